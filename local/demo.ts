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
import { localIssuer } from './auth.ts';
import { type DemoContext, walkStage } from './demo-steps.ts';
import {
  ApiClient,
  type CreatedApplication,
  type ErrorBody,
  latestReviewLink,
  type Reply,
  sentEmails,
  uploadEvidence,
} from './client/index.ts';
import { DEMO_CLUSTERS, disguisedExecutable, samplePdf, sampleRecommendationForm } from './sample-evidence.ts';

if (process.argv.includes('--help')) {
  console.log(`usage: npm run demo   (against a running \`npm start\`; it takes no options, only these settings)

  API_URL   the API of the running pipeline (default http://127.0.0.1:$PORT, PORT default 3000)
  SES_URL   the local SES inbox, where the review links arrive (default http://127.0.0.1:8005)
  DATA_DIR  the data folder \`npm start\` was given, whose issuer signs the demo's tokens (default .data)

Start the pipeline with \`npm start -- --speedup 200000\` to see the whole ladder within a minute.`);
  process.exit(0);
}

const apiUrl = (process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
const sesUrl = (process.env.SES_URL ?? 'http://127.0.0.1:8005').replace(/\/$/, '');
const dataDir = resolve(import.meta.dirname, '..', process.env.DATA_DIR ?? '.data');

/** The people of the demo. A review link needs no one: its secret is the credential. */
const OPERATOR: Principal = {
  sub: 'demo-operator',
  role: 'operator',
  jurisdiction: '000000',
  name: '工业和信息化部运维',
};
const countyOfficial = (countyCode: string): Principal => ({
  sub: `demo-county-${countyCode}`,
  role: 'applicant',
  jurisdiction: countyCode,
});

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
/** The API as this person (no one: a review link's holder, whose secret is the credential). */
async function as(who: Principal | undefined): Promise<ApiClient> {
  return new ApiClient({ baseUrl: apiUrl, ...(who && { token: await tokenOf(who) }) });
}

const say = (text: string) => console.log(text);
const step = (n: number, text: string) => console.log(`\n\x1b[1m${n}. ${text}\x1b[0m`);
const showError = (answer: Reply<unknown>) => {
  const refusal = answer.ok ? undefined : (answer.json as Partial<ErrorBody> | undefined)?.error;
  if (!refusal) {
    say(`   → ${answer.status} ${answer.text.slice(0, 200)}`);
    return;
  }
  say(`   → ${answer.status} ${refusal.code}: ${refusal.message}`);
  for (const detail of refusal.details ?? []) say(`     · ${detail.field ?? ''} ${detail.code}: ${detail.message}`);
};

async function ensureDemoCampaign(): Promise<{ campaignId: string; year: number }> {
  const campaign = demoCampaign(new Date());
  const operator = await as(OPERATOR);
  const existing = await operator.getCampaign(campaign.campaignId);
  if (existing.status === 200) {
    say(`   campaign ${campaign.campaignId} is already there`);
    return { campaignId: campaign.campaignId, year: campaign.year };
  }
  const created = await operator.createCampaign(campaign);
  if (created.status !== 201) {
    showError(created);
    throw new Error('could not create the demo campaign');
  }
  say(
    `   created ${campaign.campaignId}: opens ${campaign.opensAt}, counties submit by ${campaign.calendar.submission}`,
  );
  return { campaignId: campaign.campaignId, year: campaign.year };
}

/** Requests a presigned POST, uploads the bytes to S3 directly, and waits for the validator. */
async function upload(who: Principal, applicationId: string, criterion: string, fileName: string, bytes: Uint8Array) {
  const client = await as(who);
  const { requested } = await uploadEvidence(
    client,
    applicationId,
    {
      criterion,
      fileName,
      contentType: 'application/pdf',
      size: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
    { bytes },
  );
  const validated = await waitFor(
    `the validator on ${fileName}`,
    async () => {
      const item = (await client.listEvidence(applicationId)).body.evidence.find(
        (e) => e.evidenceId === requested.evidenceId,
      );
      return item && item.status !== 'PENDING' ? item : undefined;
    },
    30,
  );
  if (!validated)
    throw new Error(`evidence ${requested.evidenceId} was not validated within 30 s: is the validator running?`);
  return validated;
}

async function main() {
  say(`Demo against ${apiUrl}`);
  step(1, 'An operator opens this year’s call (a campaign whose calendar starts today)');
  const { campaignId, year } = await ensureDemoCampaign();

  step(2, 'A Jilin county SME authority files its cluster');
  let application: CreatedApplication | undefined;
  let county = OPERATOR;
  for (const cluster of DEMO_CLUSTERS) {
    county = countyOfficial(cluster.countyCode);
    const attempt = await (
      await as(county)
    ).createApplication({
      campaignId,
      track: 'recommendation',
      ...cluster,
      form: sampleRecommendationForm(year),
    });
    if (attempt.status === 201) {
      application = attempt.body;
      say(
        `   ${cluster.clusterName} → ${attempt.status}, review chain: ${application.reviewChain.map((s) => s.name).join(' → ')}`,
      );
      break;
    }
    say(`   ${cluster.clusterName}: ${attempt.error.code} (filed by an earlier demo run)`);
  }
  if (!application) throw new Error('every demo cluster is already filed; remove .data/ to start afresh');
  const { applicationId } = application;
  const applicant = await as(county);

  say(
    `   signed in as the county's official (npm run token -- --role applicant --jurisdiction ${county.jurisdiction})`,
  );
  say('   Another county may not read it:');
  showError(await (await as(countyOfficial('130102'))).getApplication(applicationId));

  step(3, 'Submitting too early is refused with the exact missing items');
  showError(await applicant.submit(applicationId));

  step(4, 'A careless upload: an executable renamed 申报表.pdf');
  const bad = await upload(county, applicationId, 'application-form', '申报表.pdf', disguisedExecutable());
  say(`   validator: ${bad.status}`);
  for (const finding of bad.findings) say(`     · ${finding.code}: ${finding.message.zh} / ${finding.message.en}`);

  step(5, 'A declared type the checklist item does not take is refused before any upload');
  showError(
    await applicant.requestUpload(applicationId, {
      criterion: 'application-form',
      fileName: '申报表.xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      size: 1000,
    }),
  );

  step(6, 'The county uploads the signed form and evidence for each criterion (presigned POST → S3 → validator)');
  for (const item of application.checklist.filter((c) => c.required && c.uploadedBy === 'county')) {
    const bytes = await samplePdf(`Evidence: ${item.id}`, [
      `Application ${applicationId}`,
      `Checklist item: ${item.id}`,
      `Generated by the demo at ${new Date().toISOString()}`,
    ]);
    const outcome = await upload(county, applicationId, item.id, `${item.id}.pdf`, bytes);
    say(`   ${item.id.padEnd(26)} ${bytes.byteLength.toString().padStart(6)} bytes → ${outcome.status}`);
  }

  step(7, 'Submit');
  const submitted = await applicant.submit(applicationId);
  if (submitted.ok) {
    say(`   → ${submitted.status} ${submitted.body.status}`);
    for (const warning of submitted.body.warnings ?? []) say(`     ⚠ ${warning.message.zh}`);
  } else {
    showError(submitted);
  }

  step(8, 'Submitting twice is refused');
  showError(await applicant.submit(applicationId));

  await walkTheLadder(applicationId, county, application.reviewChain);
  const token = `$(npm run -s token -- --role applicant --jurisdiction ${county.jurisdiction}${process.env.DATA_DIR ? ` --data-dir ${process.env.DATA_DIR}` : ''})`;
  say(`\nSee it: curl -H "Authorization: Bearer ${token}" ${apiUrl}/v1/applications/${applicationId}`);
  say(`The emails: ${sesUrl}/`);
  say(`\nIn a browser:`);
  say(`   Portal, as the county official: ${apiUrl}/portal/application?id=${applicationId}`);
  say(
    `     sign in there with the token of \`npm run token -- --role applicant --jurisdiction ${county.jurisdiction}\`,` +
      ` or on the local issuer's page (申报单位 / Applicant, ${county.jurisdiction})`,
  );
  say(`   Public notice, for anyone (objections welcome): ${apiUrl}/notice`);
}

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

/** The newest review link for this application's stage (at `step`), from the local SES inbox. */
async function findReviewEmail(applicationId: string, stage: string, step?: number) {
  const link = latestReviewLink(await sentEmails(sesUrl), applicationId, stage, undefined, step);
  return link && { ...link, subject: link.email.subject };
}

/**
 * Asks `probe` every quarter of a second until it finds something (or `seconds` pass): the demo
 * watches another process's pipeline from outside, over HTTP, with nothing to subscribe to.
 */
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

async function walkTheLadder(applicationId: string, county: Principal, chain: readonly { stage: string }[]) {
  // Only the stages this application climbs: 梅河口, a direct sender in Jilin, has no city stage.
  const stages = [
    { stage: 'city', title: 'The city (市州) checks and recommends' },
    { stage: 'province', title: 'The province (省) checks, scores and recommends within its quota' },
    { stage: 'miit', title: 'MIIT (工业和信息化部) recognises' },
  ].filter(({ stage }) => chain.some((s) => s.stage === stage)) as {
    stage: 'city' | 'province' | 'miit';
    title: string;
  }[];
  const read = (await (await as(county)).getApplication(applicationId)).body;
  const placement = {
    applicationId,
    countyCode: read.countyCode,
    cityCode: read.cityCode,
    provincialCode: read.provincialCode,
  };
  const context: DemoContext = {
    campaign: demoCampaign(new Date()),
    as,
    say,
    showError,
    waitFor,
    reviewEmail: findReviewEmail,
    upload,
    scores: EXPERT_SCORES,
  };
  let n = 9;
  for (const { stage, title } of stages) {
    step(n++, `${title}: each step's email, its link, its decision`);
    if (!(await walkStage(context, placement, stage))) {
      say('   The province sends its list to MIIT at its deadline, and a 公示 lasts days. On real time');
      say('   that is weeks away; restart with `npm start -- --speedup 200000` to watch it within a minute.');
      return;
    }
  }
  step(n, 'Recognition (with a 公示 first where the campaign declares one)');
  const recognized = await waitFor(
    'the recognition',
    async () => {
      const view = (await (await as(county)).getApplication(applicationId)).body;
      return view.status === 'RECOGNIZED' ? view : undefined;
    },
    90,
  );
  say(recognized ? `   RECOGNIZED, valid until ${recognized.validUntil}` : '   not recognised yet (see --speedup)');
  await operations(applicationId, n + 1);
}

/** What an operator sees afterwards: the console, the audit trail, the summary table. */
async function operations(applicationId: string, n: number): Promise<void> {
  const { campaignId } = demoCampaign(new Date());
  step(n, 'Operations: what is late, what failed, how much quota is left');
  const operator = await as(OPERATOR);
  const summary = await operator.opsSummary({ campaignId });
  if (summary.ok) {
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
  const history = await operator.history(applicationId);
  say(`   GET …/history → ${history.status}: ${history.ok ? history.body.events.length : 0} audit events`);

  step(n + 1, 'The province hands up its 推荐汇总表 (summary table)');
  for (const file of ['summary.xlsx', 'summary.csv'] as const) {
    const response = await operator.exportSummary(campaignId, file, { jurisdiction: '220000' });
    const bytes = response.bytes.byteLength;
    say(
      `   ${file}: ${response.status}, ${bytes} bytes  ${apiUrl}/v1/exports/${campaignId}/${file}?jurisdiction=220000`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
