/**
 * `npm run demo`: files one real-looking application through the running local pipeline
 * (`npm start` in another terminal), the way an outside client would: over HTTP only.
 *
 *   npm run demo                       # against http://127.0.0.1:3000
 *   API_URL=http://127.0.0.1:3100 npm run demo
 */
import { createHash } from 'node:crypto';
import { demoCampaign } from '../shared/rules/campaigns/index.ts';
import {
  DEMO_CLUSTERS,
  disguisedExecutable,
  samplePdf,
  sampleRecommendationForm,
} from './sample-evidence.ts';

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
  for (const cluster of DEMO_CLUSTERS) {
    const attempt = await api<NonNullable<typeof application>['body']>('POST', '/v1/applications', {
      campaignId,
      track: 'recommendation',
      ...cluster,
      alsoProvincial: true,
      form: sampleRecommendationForm(year),
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
