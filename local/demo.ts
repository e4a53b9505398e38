/**
 * `npm run demo`: files one real-looking application through the running local pipeline
 * (`npm start` in another terminal), the way an outside client would: over HTTP only.
 *
 *   npm run demo                       # against http://127.0.0.1:3000
 *   API_URL=http://127.0.0.1:3100 SES_URL=http://127.0.0.1:8005 npm run demo
 *
 * After submission it walks the review ladder as the reviewers would: it reads each stage's
 * email from the local SES inbox, opens the link and decides there. The province's list goes to
 * MIIT at its deadline and the public notice lasts days: start the pipeline with
 * `npm start -- --speedup 200000` to watch the whole ladder within a minute.
 *
 * Each person signs in with an ID token from the local issuer of the pipeline's data folder (as
 * `npm run token` makes them; DATA_DIR if `npm start` was given another --data-dir).
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Principal } from '../shared/platform/auth/principal.ts';
import { demoCampaign } from '../shared/rules/campaigns/index.ts';
import { parentChain } from '../shared/rules/jurisdictions.ts';
import { localIssuer } from './auth.ts';
import {
  DEMO_CLUSTERS,
  disguisedExecutable,
  samplePdf,
  sampleRecommendationForm,
} from './sample-evidence.ts';

const apiUrl = (process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
const sesUrl = (process.env.SES_URL ?? 'http://127.0.0.1:8005').replace(/\/$/, '');
const dataDir = resolve(import.meta.dirname, '..', process.env.DATA_DIR ?? '.data');

/** The people of the demo. A review link needs no one: its secret is the credential. */
const OPERATOR: Principal = { sub: 'demo-operator', role: 'operator', jurisdiction: '000000', name: '工业和信息化部运维' };
const countyOfficial = (countyCode: string): Principal => ({ sub: `demo-county-${countyCode}`, role: 'applicant', jurisdiction: countyCode });

/** The city above a county (its reviewers upload the city's on-site check statement). */
const cityOf = (countyCode: string) => parentChain(countyCode).find((place) => place.rank === 'city')?.code ?? countyCode;

const issuer = localIssuer(dataDir);
const tokens = new Map<string, Promise<string>>();
function tokenOf(who: Principal): Promise<string> {
  let token = tokens.get(who.sub);
  if (!token) {
    token = issuer.then((i) => i.issue(who));
    tokens.set(who.sub, token);
  }
  return token;
}
const bearer = async (who: Principal | undefined): Promise<Record<string, string>> =>
  who ? { authorization: `Bearer ${await tokenOf(who)}` } : {};

interface ApiAnswer<T> {
  status: number;
  body: T & { error?: { code: string; message: string; details?: Record<string, unknown>[] } };
}

async function api<T = Record<string, unknown>>(
  who: Principal | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const signedIn = await bearer(who);
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: body === undefined ? signedIn : { 'content-type': 'application/json', ...signedIn },
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
  const existing = await api(OPERATOR, 'GET', `/v1/campaigns/${campaign.campaignId}`);
  if (existing.status === 200) {
    say(`   campaign ${campaign.campaignId} is already there`);
    return { campaignId: campaign.campaignId, year: campaign.year };
  }
  const created = await api(OPERATOR, 'POST', '/v1/campaigns', campaign);
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
async function uploadEvidence(who: Principal, applicationId: string, criterion: string, fileName: string, bytes: Uint8Array) {
  const request = await api<Evidence>(who, 'POST', `/v1/applications/${applicationId}/evidence`, {
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
  return waitForValidation(who, applicationId, request.body.evidenceId);
}

async function waitForValidation(who: Principal, applicationId: string, evidenceId: string): Promise<Evidence> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const list = await api<{ evidence: Evidence[] }>(who, 'GET', `/v1/applications/${applicationId}/evidence`);
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
        checklist: { id: string; required: boolean; uploadedBy: 'county' | 'city' }[];
        reviewChain: { name: string }[];
        warnings: unknown[];
      }>
    | undefined;
  let county = OPERATOR;
  for (const cluster of DEMO_CLUSTERS) {
    county = countyOfficial(cluster.countyCode);
    const attempt = await api<NonNullable<typeof application>['body']>(county, 'POST', '/v1/applications', {
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

  say(`   signed in as the county's official (npm run token -- --role applicant --jurisdiction ${county.jurisdiction})`);
  say('   Another county may not read it:');
  showError(await api(countyOfficial('130102'), 'GET', `/v1/applications/${applicationId}`));

  step(3, 'Submitting too early is refused with the exact missing items');
  showError(await api(county, 'POST', `/v1/applications/${applicationId}/submit`));

  step(4, 'A careless upload: an executable renamed 申报表.pdf');
  const bad = await uploadEvidence(county, applicationId, 'application-form', '申报表.pdf', disguisedExecutable());
  say(`   validator: ${bad.status}`);
  for (const finding of bad.findings)
    say(`     · ${finding.code}: ${finding.message.zh} / ${finding.message.en}`);

  step(5, 'A declared type the checklist item does not take is refused before any upload');
  showError(
    await api(county, 'POST', `/v1/applications/${applicationId}/evidence`, {
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
  for (const item of application.body.checklist.filter((c) => c.required && c.uploadedBy === 'county')) {
    const bytes = await samplePdf(`Evidence: ${item.id}`, [
      `Application ${applicationId}`,
      `Checklist item: ${item.id}`,
      `Generated by the demo at ${new Date().toISOString()}`,
    ]);
    const outcome = await uploadEvidence(county, applicationId, item.id, `${item.id}.pdf`, bytes);
    say(`   ${item.id.padEnd(26)} ${bytes.byteLength.toString().padStart(6)} bytes → ${outcome.status}`);
  }

  step(7, 'Submit');
  const submitted = await api<{ status: string; warnings: { message: { zh: string } }[] }>(
    county,
    'POST',
    `/v1/applications/${applicationId}/submit`,
  );
  say(`   → ${submitted.status} ${submitted.body.status ?? submitted.body.error?.code}`);
  for (const warning of submitted.body.warnings ?? []) say(`     ⚠ ${warning.message.zh}`);
  if (submitted.status !== 202) showError(submitted);

  step(8, 'Submitting twice is refused');
  showError(await api(county, 'POST', `/v1/applications/${applicationId}/submit`));

  await walkTheLadder(applicationId, county);
  const token = `$(npm run -s token -- --role applicant --jurisdiction ${county.jurisdiction}${process.env.DATA_DIR ? ` --data-dir ${process.env.DATA_DIR}` : ''})`;
  say(`\nSee it: curl -H "Authorization: Bearer ${token}" ${apiUrl}/v1/applications/${applicationId}`);
  say(`The emails: ${sesUrl}/`);
}

const LINK = /https?:\/\/[^\s"<>]+\/v1\/reviews\/([^?\s"<>]+)\?t=([A-Za-z0-9_-]+)/;
const EXPERT_SCORES = {
  'core-competitiveness': 88,
  'tiered-cultivation': 84,
  'chain-collaboration': 81,
  'collaborative-innovation': 86,
  'digital-transformation': 79,
  'green-development': 83,
  'open-cooperation': 77,
  'governance-services': 85,
};

/** The newest review link for this application's stage, from the local SES inbox. */
async function findReviewEmail(applicationId: string, stage: string) {
  const response = await fetch(`${sesUrl}/store`);
  if (!response.ok) throw new Error(`the local SES inbox at ${sesUrl} answered ${response.status}`);
  const { emails } = (await response.json()) as { emails: { subject: string; body: { text?: string } }[] };
  for (const email of [...emails].reverse()) {
    const match = LINK.exec(email.body.text ?? '');
    if (match?.[1]?.startsWith(`${applicationId}.${stage}.`)) return { url: match[0], reviewId: match[1], secret: match[2] ?? '', subject: email.subject };
  }
  return undefined;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, seconds: number): Promise<T | undefined> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  say(`   … still waiting for ${what} after ${seconds} s`);
  return undefined;
}

async function walkTheLadder(applicationId: string, county: Principal) {
  const stages = [
    { stage: 'city', title: 'The city (市州) checks and recommends' },
    { stage: 'province', title: 'The province (省) scores on the eight criteria and recommends within its quota of 8' },
    { stage: 'miit', title: 'MIIT (工业和信息化部) recognises' },
  ];
  let n = 9;
  for (const { stage, title } of stages) {
    step(n++, `${title}: the reviewers' email, the link, the decision`);
    const email = await waitFor(`the ${stage} review email`, () => findReviewEmail(applicationId, stage), stage === 'miit' ? 90 : 20);
    if (!email) {
      say('   The province sends its list to MIIT at its deadline. On real time that is weeks away;');
      say('   restart with `npm start -- --speedup 200000` to watch the rest within a minute.');
      return;
    }
    say(`   ✉ ${email.subject}`);
    const page = await fetch(email.url);
    say(`   GET the link → ${page.status} (the page shows the application and decides nothing)`);
    if (stage === 'city') {
      const early = await api(undefined, 'POST', `/v1/reviews/${email.reviewId}/decision`, { t: email.secret, decision: 'approve' });
      say('   Approving before the city has uploaded its on-site check statement is refused:');
      showError(early);
      const statement = await samplePdf('On-site check statement', [
        `Application ${applicationId}`,
        'The city visited the cluster and found the application consistent with the facts.',
      ]);
      const cityReviewer: Principal = { sub: 'demo-city-reviewer', role: 'reviewer', jurisdiction: cityOf(county.jurisdiction) };
      const uploaded = await uploadEvidence(cityReviewer, applicationId, 'onsite-check-statement', '现场核查符合性说明.pdf', statement);
      say(`   The city uploads its statement (现场核查符合性说明.pdf) → ${uploaded.status}`);
    }
    const decided = await api<{ decision?: string }>(undefined, 'POST', `/v1/reviews/${email.reviewId}/decision`, {
      t: email.secret,
      decision: 'approve',
      ...(stage === 'province' ? { scores: EXPERT_SCORES } : {}),
    });
    say(`   POST the decision (approve) → ${decided.status}`);
    if (decided.status !== 200) {
      showError(decided);
      return;
    }
  }
  step(n, 'Public notice (公示), then recognition');
  const recognized = await waitFor(
    'the end of the public notice',
    async () => {
      const view = await api<{ status: string; validUntil?: string }>(county, 'GET', `/v1/applications/${applicationId}`);
      return view.body.status === 'RECOGNIZED' ? view.body : undefined;
    },
    90,
  );
  say(recognized ? `   RECOGNIZED, valid until ${recognized.validUntil}` : '   still in public notice (see --speedup)');
  await operations(applicationId, n + 1);
}

/** What an operator sees afterwards: the console, the audit trail, the summary table. */
async function operations(applicationId: string, n: number): Promise<void> {
  const { campaignId } = demoCampaign(new Date());
  step(n, 'Operations: what is late, what failed, how much quota is left');
  const summary = await api<{
    totals: { total: number };
    late: unknown[];
    failedExecutions: unknown[];
    quotas: { name: string; used: number; limit: number }[];
  }>(OPERATOR, 'GET', `/v1/ops/summary?campaignId=${campaignId}`);
  if (summary.status === 200) {
    const jilin = summary.body.quotas.find((q) => q.name === '吉林省');
    say(
      `   ${summary.body.totals.total} applications · late ${summary.body.late.length} · failed executions ` +
        `${summary.body.failedExecutions.length} · 吉林省 quota ${jilin ? `${jilin.used} / ${jilin.limit}` : 'n/a'}`,
    );
  } else {
    showError(summary);
  }
  say(`   Console: ${apiUrl}/console/board?campaignId=${campaignId}`);
  say(`   Timeline: ${apiUrl}/console/application?id=${applicationId}`);
  say('   (sign in there with the token of `npm run token -- --role operator --jurisdiction 000000`)');
  const history = await api<{ events: { action: string }[] }>(OPERATOR, 'GET', `/v1/applications/${applicationId}/history`);
  say(`   GET …/history → ${history.status}: ${history.body.events?.length ?? 0} audit events`);

  step(n + 1, 'The province hands up its 推荐汇总表 (summary table)');
  for (const file of ['summary.xlsx', 'summary.csv']) {
    const response = await fetch(`${apiUrl}/v1/exports/${campaignId}/${file}?jurisdiction=220000`, { headers: await bearer(OPERATOR) });
    const bytes = (await response.arrayBuffer()).byteLength;
    say(`   ${file}: ${response.status}, ${bytes} bytes  ${apiUrl}/v1/exports/${campaignId}/${file}?jurisdiction=220000`);
  }
}

main().catch((error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
