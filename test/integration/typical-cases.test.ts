import { randomUUID } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import { DynamoRecords } from '../../shared/adapters/dynamo-records/store.ts';
import { DynamoRegister } from '../../shared/adapters/dynamo-register.ts';
import type { MigrationReport, RegisterView } from '../../shared/register/api-schemas.ts';
import type { RegisterEntry } from '../../shared/register/entry.ts';
import { seededNationalEntry } from '../support/register.ts';
import { entryOfRecognition } from '../../shared/register/recognitions.ts';
import { typicalCasesCampaign } from '../support/campaigns.ts';
import { sampleApplication } from '../unit/support.ts';
import {
  anonymous,
  as,
  asOperator,
  sentEmails,
  startTestStack,
  type TestClients,
  testClients,
  type TestStack,
} from './harness.ts';
import { fileLevelDocument, ladderExecution, reviewLink, statusOf } from './steps.ts';

/**
 * Typical cases as a track of their own, through the whole local runtime: two counties of 合肥市
 * (Anhui, whose cities gather their cases) file their cases with the attestation; the city reviews
 * each, then files its 培育举措 once, which sends both on as one batch with one generated
 * 典型案例信息汇总表; the province does the same; MIIT selects one and not the other. Neither
 * becomes a recognition, and nothing of them enters the register. Then the migration of a
 * typical case written under the old rules.
 */

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const campaign = typicalCasesCampaign(`typical-${Date.now()}`);

const HEFEI = '340100';
const ANHUI = '340000';
const CASES = [
  { countyCode: '340104', clusterName: '蜀山区智能语音产业集群', leadingIndustry: '智能语音', subSector: '语音识别' },
  { countyCode: '340103', clusterName: '庐阳区食品产业集群', leadingIndustry: '食品加工', subSector: '休闲食品' },
];
/** A typical case is filed for a standing register entry of its own county: one seeded per case. */
const entryFor = (filing: (typeof CASES)[number]): RegisterEntry =>
  seededNationalEntry(filing, '340000', 'seeded for the typical-case filing');
const ENTRIES = CASES.map(entryFor);
const ATTESTED = { trueAndValid: true, noIpDispute: true, noSensitiveInformation: true };
const formOf = (county: string) => ({
  contact: { name: '王芳', phone: '0551-62123456', email: `contact-${county}@example.gov.cn` },
  aspects: { innovation: '产学研协同攻关，创新提升', 'digital-upgrading': '工业互联网平台' },
  summary: '以龙头企业带动中小企业协同发展的案例',
});

const clock = new ManualClock();
let stack: TestStack;
let clients: TestClients;

beforeAll(async () => {
  stack = await startTestStack({ stepFunctions: { clock: { timers: clock } } });
  clients = testClients();
  const register = new DynamoRegister(clients.doc, stack.tableName);
  for (const entry of ENTRIES) expect(await register.add(entry)).toBe('created');
  const created = await (await asOperator(stack)).createCampaign(campaign);
  expect(created.status, created.text).toBe(201);
});

afterAll(async () => {
  clients?.destroy();
  await stack?.cleanup();
});

interface FiledDocument {
  documentId: string;
  kind: string;
  status: string;
  summaryTable?: { s3Key: string; fileName: string; sha256: string };
}

/** The level's reviewer files its 培育举措 for the typical cases, and the validator passes it. */
const fileMeasures = (jurisdiction: string) =>
  fileLevelDocument(
    stack,
    { campaignId: campaign.campaignId, track: 'typical-case', jurisdiction },
    'cultivation-measures',
    {
      fileName: `${jurisdiction}集群培育举措.pdf`,
      pdf: { title: 'Cultivation measures', lines: [jurisdiction] },
    },
  );

async function documentsOf(jurisdiction: string): Promise<FiledDocument[]> {
  const listed = await (
    await as(stack, 'reviewer', jurisdiction)
  ).raw('GET', `/v1/level-documents?campaignId=${campaign.campaignId}&track=typical-case&jurisdiction=${jurisdiction}`);
  expect(listed.status, listed.text).toBe(200);
  return (listed.body as { documents: FiledDocument[] }).documents;
}

/** The cluster names in a generated summary table (its second column, below the title and header rows). */
async function namesInTable(s3Key: string): Promise<string[]> {
  const object = await clients.s3.send(new GetObjectCommand({ Bucket: stack.bucketName, Key: s3Key }));
  const workbook = new ExcelJS.Workbook();
  const bytes = Buffer.from(await object.Body!.transformToByteArray());
  await workbook.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  const names: string[] = [];
  workbook.worksheets[0]?.eachRow((row) => {
    row.eachCell((cell) => {
      const text = typeof cell.value === 'string' ? cell.value : '';
      if (CASES.some((c) => c.clusterName === text)) names.push(text);
    });
  });
  return names.sort();
}

/** The one measures document a level filed, with its table, and the table's title and rows. */
async function expectOneBatch(jurisdiction: string) {
  const documents = await documentsOf(jurisdiction);
  expect(documents.map((d) => [d.kind, d.status])).toEqual([['cultivation-measures', 'VALID']]);
  const table = documents[0]?.summaryTable;
  expect(table?.fileName).toContain('典型案例信息汇总表');
  expect(await namesInTable(table?.s3Key ?? '')).toEqual(CASES.map((c) => c.clusterName).sort());
}

describe('typical cases as a track of their own', () => {
  const ids: string[] = [];

  it('a county cannot submit its case without the attestation; with it, it can', async () => {
    for (const [index, filing] of CASES.entries()) {
      const applicant = await as(stack, 'applicant', filing.countyCode);
      const created = await applicant.createApplication({
        campaignId: campaign.campaignId,
        track: 'typical-case',
        registerEntryId: ENTRIES[index]?.entryId,
        ...filing,
        form: formOf(filing.countyCode),
      });
      expect(created.status, created.text).toBe(201);
      const { applicationId, checklist } = created.body;
      // The county is never asked for the summary table nor the measures.
      expect(checklist.map((c) => c.id)).not.toContain('summary-table');
      expect(checklist.map((c) => c.id)).not.toContain('cultivation-measures');

      const refused = await applicant.submit(applicationId);
      expect(refused.status, refused.text).toBe(409);
      expect(refused.error.details?.map((d) => d.field)).toEqual(
        expect.arrayContaining([
          'form.attestation.trueAndValid',
          'form.attestation.noIpDispute',
          'form.attestation.noSensitiveInformation',
        ]),
      );
      const patched = await applicant.patchApplication(applicationId, {
        form: { ...formOf(filing.countyCode), attestation: ATTESTED },
      });
      expect(patched.status, patched.text).toBe(200);
      const submitted = await applicant.submit(applicationId);
      expect(submitted.status, submitted.text).toBe(202);
      ids.push(applicationId);
    }
  });

  it('the city (Anhui) and the province each send their cases as one batch: one measures document, one summary table', async () => {
    // 合肥市 reviews each case; each then waits at its measures step, which is not approved by hand.
    for (const applicationId of ids) {
      const review = await reviewLink(stack, applicationId, 'city', 1, 0);
      expect((await anonymous(stack).decide(review.reviewId, { t: review.secret, decision: 'approve' })).status).toBe(
        200,
      );
      const step = await reviewLink(stack, applicationId, 'city', 1, 1);
      const early = await anonymous(stack).decide(step.reviewId, { t: step.secret, decision: 'approve' });
      expect(early.status, early.text).toBe(409);
      expect(early.error.details?.map((d) => d.field)).toEqual(['levelDocuments.cultivation-measures']);
    }
    await fileMeasures(HEFEI);
    for (const applicationId of ids) await reviewLink(stack, applicationId, 'province', 1, 0);
    await expectOneBatch(HEFEI);

    // 安徽省 the same, then its list goes to MIIT at its deadline.
    for (const applicationId of ids) {
      const review = await reviewLink(stack, applicationId, 'province', 1, 0);
      expect((await anonymous(stack).decide(review.reviewId, { t: review.secret, decision: 'approve' })).status).toBe(
        200,
      );
      await reviewLink(stack, applicationId, 'province', 1, 1);
    }
    await fileMeasures(ANHUI);
    // Both wait for the province's deadline (the same instant): one jump sends the list.
    await clock.whenPending(ids.length);
    await clock.next();
    await expectOneBatch(ANHUI);
  });

  it('MIIT selects one (入选) and not the other (未入选): neither is recognised, neither enters the register', async () => {
    const [selected = '', notSelected = ''] = ids;
    const yes = await reviewLink(stack, selected, 'miit');
    expect((await anonymous(stack).decide(yes.reviewId, { t: yes.secret, decision: 'approve' })).status).toBe(200);
    const no = await reviewLink(stack, notSelected, 'miit');
    const reason = '案例代表性不足';
    expect((await anonymous(stack).decide(no.reviewId, { t: no.secret, decision: 'reject', reason })).status).toBe(200);
    for (const [applicationId, status] of [
      [selected, 'SELECTED'],
      [notSelected, 'NOT_SELECTED'],
    ] as const) {
      const execution = ladderExecution(stack, applicationId);
      await stack.stepFunctions.waitForExecution(execution.executionArn, 10_000);
      expect(await statusOf(stack, applicationId)).toBe(status);
      const read = await (await asOperator(stack)).getApplication(applicationId);
      expect(read.body).not.toHaveProperty('validUntil');
      expect(read.body).not.toHaveProperty('recognizedAt');
    }

    const subjects = (await sentEmails(stack)).map((email) => [email.destination.to[0], email.subject]);
    expect(subjects).toContainEqual([`contact-340104@example.gov.cn`, expect.stringContaining('入选典型案例')]);
    expect(subjects).toContainEqual([`contact-340103@example.gov.cn`, expect.stringContaining('未入选')]);
    expect(subjects.map(([, subject]) => subject).join('\n')).not.toContain('认定为中小企业特色产业集群');

    const register = await (await asOperator(stack)).raw('GET', '/v1/register');
    expect(register.status, register.text).toBe(200);
    const entries = (register.body as RegisterView).entries;
    // Only the seeded entries the cases were filed for, untouched: no recognition was added.
    const ofTheCounties = entries.filter((e) => CASES.some((c) => c.countyCode === e.countyCode));
    expect(ofTheCounties.map((e) => [e.entryId, e.state, e.source.kind]).sort()).toEqual(
      ENTRIES.map((e) => [e.entryId, 'valid', 'seed']).sort(),
    );
  });

  it('the migration makes a typical case recognised under the old rules SELECTED and revokes its entry; run twice, nothing changes', async () => {
    const applicationId = randomUUID();
    const now = new Date().toISOString();
    const old = sampleApplication({
      applicationId,
      campaignId: campaign.campaignId,
      track: 'typical-case',
      countyCode: '340111',
      cityCode: HEFEI,
      provincialCode: ANHUI,
      clusterName: '包河区新能源汽车产业集群',
      status: 'RECOGNIZED',
      stage: 'miit',
      recognizedAt: now,
      validUntil: at(3 * 365),
    });
    const records = new DynamoRecords(clients.doc, stack.tableName);
    await records.createApplication(old, {
      applicationId,
      eventId: randomUUID(),
      at: now,
      action: 'RECOGNIZED',
      actor: 'workflow',
    });
    // What an old Recognize task could have made of it: an entry in the register.
    const wrong = entryOfRecognition({ ...old, track: 'recommendation' }, campaign.year, 'pipeline', new Date());
    if (!wrong) throw new Error('no entry');
    expect(await new DynamoRegister(clients.doc, stack.tableName).add(wrong)).toBe('created');

    const operator = await asOperator(stack);
    const first = await operator.raw('POST', '/v1/register/migrations/recognized');
    expect(first.status, first.text).toBe(200);
    expect((first.json as MigrationReport).typicalCases).toEqual({ converted: 1, entriesRevoked: 1 });
    const second = await operator.raw('POST', '/v1/register/migrations/recognized');
    expect((second.json as MigrationReport).typicalCases).toEqual({ converted: 0, entriesRevoked: 0 });

    const read = await operator.getApplication(applicationId);
    expect(read.body).toMatchObject({ status: 'SELECTED' });
    expect(read.body).not.toHaveProperty('validUntil');
    const history = await operator.raw('GET', `/v1/applications/${applicationId}/history`);
    const actions = (history.body as { events: { action: string }[] }).events.map((e) => e.action);
    expect(actions.filter((a) => a === 'MIGRATED_TO_SELECTED')).toHaveLength(1);

    const view = await operator.raw('GET', '/v1/register?province=340000');
    const mine = (view.body as RegisterView).entries.filter((e) => e.entryId === wrong.entryId);
    expect(mine.map((e) => [e.state, e.history.at(-1)?.by])).toEqual([['revoked', 'migration']]);
    const standing = await operator.raw('GET', '/v1/register?province=340000&state=valid');
    // Standing: only the entries the cases were filed for, not the revoked one.
    expect((standing.body as RegisterView).entries.map((e) => e.entryId).sort()).toEqual(
      ENTRIES.map((e) => e.entryId).sort(),
    );
  });
});
