/**
 * `npm run demo`: files one real-looking application through the running local pipeline
 * (`npm start` in another terminal), the way an outside client would: over HTTP only.
 *
 *   npm run demo                       # against http://127.0.0.1:3000
 *   API_URL=http://127.0.0.1:3100 npm run demo
 */
import { createHash } from 'node:crypto';
import { demoCampaign } from '../shared/rules/campaigns/index.ts';
import { disguisedExecutable, samplePdf } from './sample-evidence.ts';

const apiUrl = (process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, '');

interface ApiAnswer<T> {
  status: number;
  body: T & { error?: { code: string; message: string; details?: Record<string, unknown>[] } };
}

async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as ApiAnswer<T>['body'] };
}

const say = (text: string) => console.log(text);
const step = (n: number, text: string) => console.log(`\n\x1b[1m${n}. ${text}\x1b[0m`);
const showError = (answer: ApiAnswer<unknown>) => {
  say(`   → ${answer.status} ${answer.body.error?.code}: ${answer.body.error?.message}`);
  for (const detail of answer.body.error?.details ?? [])
    say(`     · ${detail.field ?? ''} ${detail.code}: ${detail.message}`);
};

/** Clusters a Jilin county might file; the demo takes the first one not filed yet. */
const CLUSTERS = [
  {
    countyCode: '222403',
    clusterName: '敦化市医药产业集群',
    leadingIndustry: '医药健康',
    subSector: '现代中药',
  },
  {
    countyCode: '220882',
    clusterName: '大安市清洁能源装备产业集群',
    leadingIndustry: '新能源装备',
    subSector: '风电装备',
  },
  {
    countyCode: '220581',
    clusterName: '梅河口市医药产业集群',
    leadingIndustry: '医药健康',
    subSector: '化学药',
  },
];

function recommendationForm(year: number) {
  return {
    contact: { name: '李明', phone: '0433-6221234', email: 'sme@example.gov.cn' },
    areaKm2: 58.6,
    enterpriseCount: 126,
    smeCount: 118,
    outputByYear: [
      { year: year - 3, output: 41.2 },
      { year: year - 2, output: 46.8 },
      { year: year - 1, output: 52.3 },
    ],
    smeOutputShare: 0.74,
    leadingIndustryShare: 0.81,
    averageGrowthRate: 0.127,
    criteria: {
      'core-competitiveness':
        '集群以长白山道地药材为基础，中成药品种 300 余个，主导产品市场占有率居全国前列。',
      'tiered-cultivation':
        '拥有专精特新"小巨人"企业 3 家、省级专精特新中小企业 21 家、创新型中小企业 46 家。',
      'chain-collaboration': '形成种植—提取—制剂—流通的完整链条，本地配套率 62%。',
      'collaborative-innovation': '与吉林大学、长春中医药大学共建研发平台 8 个，近三年授权发明专利 96 件。',
      'digital-transformation': '规上企业数字化改造覆盖率 85%，建成工业互联网平台 1 个。',
      'green-development': '建成省级绿色工厂 6 家，单位产值能耗三年下降 14%。',
      'open-cooperation': '产品出口 12 个国家和地区，引进域外合作项目 17 个。',
      'governance-services': '设立集群发展促进机构，提供融资、人才、检测等一站式服务。',
    },
  };
}

async function ensureDemoCampaign(): Promise<{ campaignId: string; year: number }> {
  const campaign = demoCampaign(new Date());
  const existing = await api('GET', `/v1/campaigns/${campaign.campaignId}`);
  if (existing.status === 200) {
    say(`   campaign ${campaign.campaignId} is already there`);
    return { campaignId: campaign.campaignId, year: campaign.year };
  }
  const created = await api('POST', '/v1/campaigns', campaign);
  if (created.status !== 201) {
    showError(created);
    throw new Error('could not create the demo campaign');
  }
  say(
    `   created ${campaign.campaignId}: opens ${campaign.opensAt}, counties submit by ${campaign.calendar.submission}`,
  );
  return { campaignId: campaign.campaignId, year: campaign.year };
}

interface Evidence {
  evidenceId: string;
  status: string;
  findings: { code: string; message: { zh: string; en: string } }[];
  warnings: { code: string }[];
  upload: { url: string; fields: Record<string, string>; expiresAt: string };
}

/** Requests a presigned POST, uploads the bytes to S3 directly, and waits for the validator. */
async function uploadEvidence(applicationId: string, criterion: string, fileName: string, bytes: Uint8Array) {
  const request = await api<Evidence>('POST', `/v1/applications/${applicationId}/evidence`, {
    criterion,
    fileName,
    contentType: 'application/pdf',
    size: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
  if (request.status !== 201) {
    showError(request);
    throw new Error(`upload request for ${criterion} refused`);
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(request.body.upload.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), fileName);
  const stored = await fetch(request.body.upload.url, { method: 'POST', body: form });
  if (!stored.ok)
    throw new Error(`S3 refused the upload of ${fileName}: ${stored.status} ${await stored.text()}`);
  return waitForValidation(applicationId, request.body.evidenceId);
}

async function waitForValidation(applicationId: string, evidenceId: string): Promise<Evidence> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const list = await api<{ evidence: Evidence[] }>('GET', `/v1/applications/${applicationId}/evidence`);
    const item = list.body.evidence.find((e) => e.evidenceId === evidenceId);
    if (item && item.status !== 'PENDING') return item;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`evidence ${evidenceId} was not validated within 30 s: is the validator running?`);
}

async function main() {
  say(`Demo against ${apiUrl}`);
  step(1, 'An operator opens this year’s call (a campaign whose calendar starts today)');
  const { campaignId, year } = await ensureDemoCampaign();

  step(2, 'A Jilin county SME authority files its cluster');
  let application:
    | ApiAnswer<{
        applicationId: string;
        checklist: { id: string; required: boolean }[];
        reviewChain: { name: string }[];
        warnings: unknown[];
      }>
    | undefined;
  for (const cluster of CLUSTERS) {
    const attempt = await api<NonNullable<typeof application>['body']>('POST', '/v1/applications', {
      campaignId,
      track: 'recommendation',
      ...cluster,
      alsoProvincial: true,
      form: recommendationForm(year),
    });
    if (attempt.status === 201) {
      application = attempt;
      say(
        `   ${cluster.clusterName} → ${attempt.status}, review chain: ${attempt.body.reviewChain.map((s) => s.name).join(' → ')}`,
      );
      break;
    }
    say(`   ${cluster.clusterName}: ${attempt.body.error?.code} (filed by an earlier demo run)`);
  }
  if (!application) throw new Error('every demo cluster is already filed; remove .data/ to start afresh');
  const { applicationId } = application.body;

  step(3, 'Submitting too early is refused with the exact missing items');
  showError(await api('POST', `/v1/applications/${applicationId}/submit`));

  step(4, 'A careless upload: an executable renamed 申报表.pdf');
  const bad = await uploadEvidence(applicationId, 'application-form', '申报表.pdf', disguisedExecutable());
  say(`   validator: ${bad.status}`);
  for (const finding of bad.findings)
    say(`     · ${finding.code}: ${finding.message.zh} / ${finding.message.en}`);

  step(5, 'A declared type the checklist item does not take is refused before any upload');
  showError(
    await api('POST', `/v1/applications/${applicationId}/evidence`, {
      criterion: 'application-form',
      fileName: '申报表.xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      size: 1000,
    }),
  );

  step(
    6,
    'The county uploads the signed form and evidence for each criterion (presigned POST → S3 → validator)',
  );
  for (const item of application.body.checklist.filter((c) => c.required)) {
    const bytes = await samplePdf(`Evidence: ${item.id}`, [
      `Application ${applicationId}`,
      `Checklist item: ${item.id}`,
      `Generated by the demo at ${new Date().toISOString()}`,
    ]);
    const outcome = await uploadEvidence(applicationId, item.id, `${item.id}.pdf`, bytes);
    say(`   ${item.id.padEnd(26)} ${bytes.byteLength.toString().padStart(6)} bytes → ${outcome.status}`);
  }

  step(7, 'Submit');
  const submitted = await api<{ status: string; warnings: { message: { zh: string } }[] }>(
    'POST',
    `/v1/applications/${applicationId}/submit`,
  );
  say(`   → ${submitted.status} ${submitted.body.status ?? submitted.body.error?.code}`);
  for (const warning of submitted.body.warnings ?? []) say(`     ⚠ ${warning.message.zh}`);
  if (submitted.status !== 202) showError(submitted);

  step(8, 'Submitting twice is refused');
  showError(await api('POST', `/v1/applications/${applicationId}/submit`));

  say(`\nSee it: curl ${apiUrl}/v1/applications/${applicationId}`);
}

main().catch((error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
