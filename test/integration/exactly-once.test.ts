import { randomUUID } from 'node:crypto';
import { setTimeout as clockPast } from 'node:timers/promises';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Context, S3Event, S3EventRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHandlerModule, makeLambdaContext } from '../../local/lambda.ts';
import { reviewLadderMachine } from '../../local/review-ladder.ts';
import { samplePdf } from '../../local/sample-evidence.ts';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import type { TaskHandler } from '../../local/stepfunctions/engine.ts';
import { DynamoQuotas } from '../../shared/adapters/dynamo-quota.ts';
import { DynamoRecords } from '../../shared/adapters/dynamo-records/store.ts';
import { EVENT_FUNCTIONS } from '../../shared/platform/functions.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { CRITERIA } from '../../shared/rules/criteria.ts';
import type { AuditEvent } from '../../shared/schemas/records.ts';
import { WORKFLOW_TASKS } from '../../shared/ladder/tasks.ts';
import { type Decision, postPresigned, type RequestedUpload, reviewLinkIn } from '../../local/client/index.ts';
import {
  anonymous,
  asOperator,
  sentEmails,
  startTestStack,
  type StoredEmail,
  type TestClients,
  testClients,
  type TestStack,
  whenTaskWaiting,
} from './harness.ts';
import * as steps from './steps.ts';
import { asBeforeSteps, DUNHUA } from './steps.ts';

/**
 * Exactly-once effects against the real local stand-ins (DynamoDB Local, s3rver, the local SES and
 * the local Step Functions runtime running the CDK-extracted ladder):
 *
 * 1. Every S3 ObjectCreated event replayed three times, shuffled and four at a time, with an older
 *    and a newer version of the same key interleaved: one evidence record per item with the
 *    outcome of the object the key still holds (s3rver keeps no versions: the older event's
 *    bytes are gone, its ETag no longer matches), one audit event per recorded validation, one
 *    quarantined copy (the stray).
 * 2. Every workflow task invoked twice with the same payload — one after the other, then both at
 *    once — as Lambda's at-least-once delivery may: one status change and audit event, one email,
 *    one review and link email, one quota slot taken and freed once.
 * 3. A decision posted twice, and ten at once (the same decision, and different ones): one 200,
 *    the rest 409, one SendTaskSuccess, one entry in the audit trail.
 *
 * Each request goes as the person who would send it: campaigns by a national operator, drafts,
 * uploads, resubmissions and withdrawals by Dunhua's applicant, decisions through the emailed link
 * alone (the link is the credential: no token).
 */

const clock = new ManualClock();
const campaign = asBeforeSteps(demoCampaign(new Date()));
let stack: TestStack;
let clients: TestClients;
let records: DynamoRecords;
let quotas: DynamoQuotas;

// ---- the validator: captured while `capturing`, otherwise the real module -------------------

let capturing = false;
const captured: S3EventRecord[] = [];

async function realValidator(event: S3Event, context: Context): Promise<{ outcomes: string[] }> {
  const handler = await loadHandlerModule(EVENT_FUNCTIONS.validator.entry);
  return (await handler(event as never, context)) as { outcomes: string[] };
}

// ---- the ladder's tasks, each invoked twice --------------------------------------------------

type Duplication = 'off' | 'sequential' | 'concurrent';
let duplication: Duplication = 'off';
/** Task → how often it ran as a duplicate; errors the duplicates threw (NoticePending apart). */
const duplicated = new Map<string, number>();
const duplicateErrors: string[] = [];
/** Duplicates refused because the other invocation was sending the applicant's notice. */
let noticePending = 0;

/** Wraps each task handler so that, when asked, every invocation runs twice with the same payload. */
function twice(handlers: Record<string, TaskHandler>): Record<string, TaskHandler> {
  const wrap =
    (key: string, handler: TaskHandler): TaskHandler =>
    async (payload) => {
      if (duplication === 'off') return handler(payload);
      duplicated.set(key, (duplicated.get(key) ?? 0) + 1);
      const noteError = (error: unknown) => {
        if (error instanceof Error && error.name === 'NoticePending') {
          noticePending += 1;
          return;
        }
        duplicateErrors.push(`${key}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      };
      if (duplication === 'sequential') {
        const first = await handler(payload).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        await handler(structuredClone(payload)).catch(noteError);
        if (!first.ok) throw first.error;
        return first.value;
      }
      const [first, second] = await Promise.allSettled([handler(payload), handler(structuredClone(payload))]);
      if (second.status === 'rejected') noteError(second.reason);
      if (first.status === 'rejected') throw first.reason;
      return first.value;
    };
  return Object.fromEntries(Object.entries(handlers).map(([key, handler]) => [key, wrap(key, handler)]));
}

beforeAll(async () => {
  stack = await startTestStack({
    // Retries 200 ms, 400 ms, … (CDK's 2 s × 2ⁿ scaled down), so the notice takeover window is 3 s
    // (local/notice-takeover.ts): a duplicate running beside the invocation that made the change
    // is refused with NoticePending even when a loaded machine stalls it for a second or more.
    stepFunctions: { clock: { timers: clock }, retry: { intervalScale: 0.1 } },
    invokeValidator: async (event, context) => {
      if (!capturing) return realValidator(event, context);
      captured.push(...event.Records);
      return { captured: event.Records.length };
    },
    stateMachines: async () => {
      const ladder = await reviewLadderMachine();
      return [{ ...ladder, handlers: twice(ladder.handlers) }];
    },
  });
  clients = testClients();
  records = new DynamoRecords(clients.doc, stack.tableName);
  quotas = new DynamoQuotas(clients.doc, stack.tableName);
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
});

afterAll(async () => {
  clients?.destroy();
  await stack?.cleanup();
});

// ---- helpers ---------------------------------------------------------------------------------

/** A deterministic shuffle (the test repeats itself). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index] as T);
      }
    }),
  );
  return results;
}

const audit = (applicationId: string): Promise<AuditEvent[]> => records.listAudit(applicationId);
const count = <T>(items: readonly T[], predicate: (item: T) => boolean) => items.filter(predicate).length;

/** Emails whose review link names this review. */
const linkEmails = (emails: readonly StoredEmail[], reviewId: string) =>
  emails.filter((email) => reviewLinkIn(email)?.reviewId === reviewId);

/** Applicant notices of this cluster, by subject (status and cluster are in it). */
function noticesBySubject(emails: readonly StoredEmail[], clusterName: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const email of emails) {
    if (!email.subject.includes(clusterName) || reviewLinkIn(email)) continue;
    counts.set(email.subject, (counts.get(email.subject) ?? 0) + 1);
  }
  return counts;
}

/** SendTaskSuccess calls the runtime accepted for a review (its output names the review). */
function taskSuccesses(applicationId: string, reviewId: string): number {
  const { events } = stack.stepFunctions.getExecutionHistory({
    executionArn: steps.ladderExecution(stack, applicationId).executionArn,
    maxResults: 1000,
  });
  return count(events, (e) => e.type === 'TaskSucceeded' && JSON.stringify(e).includes(reviewId));
}

async function runToEnd(applicationId: string): Promise<string> {
  const ended = stack.stepFunctions.waitForExecution(steps.ladderExecution(stack, applicationId).executionArn, 30_000);
  let finished = false;
  void ended.finally(() => {
    finished = true;
  });
  // Waits (the province's list date, the public notice) run on the manual clock.
  while (!finished) if (!(await clock.next())) await ended;
  return (await ended).status;
}

const scores = Object.fromEntries(CRITERIA.map((criterion, i) => [criterion, 70 + i]));
/** A reviewer answering from the emailed link: the link's secret `t` is the credential, no token. */
const decide = (reviewId: string, body: Decision) => anonymous(stack).decide(reviewId, body);

async function approveCity(applicationId: string, round = 1) {
  const city = await steps.reviewLink(stack, applicationId, 'city', round);
  await steps.uploadPdf(stack, applicationId, 'onsite-check-statement');
  expect((await decide(city.reviewId, { t: city.secret, decision: 'approve', alsoNational: true })).status).toBe(200);
  return city;
}

/** The province's deadline, while the application is at the province (read before deciding). */
async function provinceDeadline(applicationId: string): Promise<number> {
  const application = await records.getApplication(applicationId);
  expect(application?.status).toBe('PROVINCE_REVIEW');
  return Date.parse(application?.dueAt ?? '');
}

/** The province sends its list at its deadline: time moves there (if it is not past it already). */
async function forwardList(deadline: number): Promise<void> {
  await clock.advance(Math.max(0, deadline - clock.now()) + 1_000);
}

async function approveProvince(applicationId: string) {
  const province = await steps.reviewLink(stack, applicationId, 'province');
  const deadline = await provinceDeadline(applicationId);
  expect((await decide(province.reviewId, { t: province.secret, decision: 'approve', scores })).status).toBe(200);
  await forwardList(deadline);
  return province;
}

async function quotaUse(countyCode = DUNHUA.countyCode) {
  const provincial = `${countyCode.slice(0, 2)}0000`;
  const [use] = (await quotas.usage(campaign.campaignId, 'recommendation', provincial)).filter(
    (u) => u.scope === 'provincial',
  );
  return use ?? { used: 0, holders: [] as string[] };
}

// ---- 1. S3 events --------------------------------------------------------------------------

interface Upload extends Pick<RequestedUpload, 'evidenceId' | 'objectKey' | 'upload'> {
  criterion: string;
}

async function requestUpload(applicationId: string, criterion: string, size: number): Promise<Upload> {
  const response = await (
    await steps.applicantOf(stack, applicationId)
  ).requestUpload(applicationId, {
    criterion,
    fileName: `${criterion}.pdf`,
    contentType: 'application/pdf',
    size,
  });
  expect(response.status, response.text).toBe(201);
  const { evidenceId, objectKey, upload } = response.body;
  return { criterion, evidenceId, objectKey, upload };
}

/** Posts bytes to the presigned POST (again, for a second version of the same key). */
async function post(upload: Upload, bytes: Uint8Array): Promise<void> {
  const delivered = stack.whenValidated(upload.objectKey);
  expect((await postPresigned(upload.upload, { bytes })).ok).toBe(true);
  const { record } = await delivered;
  // S3 sequencers here are the post's millisecond: the next version must come in a later one.
  // (The validator's run nearly always took longer; then nothing waits.)
  const ahead = Number.parseInt(record.s3.object.sequencer, 16) + 1 - Date.now();
  if (ahead > 0) await clockPast(ahead);
}

/** The same length, not a PDF any more. */
const corrupted = (bytes: Uint8Array) => {
  const copy = new Uint8Array(bytes);
  copy.set(new TextEncoder().encode('XXXX'), 0);
  return copy;
};

describe('S3 events replayed three times in shuffled order', () => {
  it('leave one record per item with the outcome of the bytes the key holds, one audit event per validation, one quarantined copy', async () => {
    const applicationId = await steps.fileDraft(
      stack,
      campaign,
      { ...DUNHUA, clusterName: '敦化市医药产业集群（重放）' },
      false,
    );
    const criteria = ['application-form', 'core-competitiveness', 'tiered-cultivation', 'chain-collaboration'];
    const pdfs = await Promise.all(criteria.map((c) => samplePdf(c, [applicationId, 'replay'])));
    const [pdfA, pdfB, pdfC, pdfD] = pdfs as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];

    capturing = true;
    captured.length = 0;
    const [a, b, c, d] = await Promise.all([
      requestUpload(applicationId, criteria[0] as string, pdfA.byteLength),
      requestUpload(applicationId, criteria[1] as string, pdfB.byteLength),
      requestUpload(applicationId, criteria[2] as string, pdfC.byteLength),
      requestUpload(applicationId, criteria[3] as string, pdfD.byteLength),
    ]);
    if (!a || !b || !c || !d) throw new Error('upload requests');
    // a: one version (VALID). b: VALID, then a corrupted second version (INVALID). c: the other
    // way round. d: one version (VALID). And an object no evidence request named.
    await post(a, pdfA);
    await post(b, pdfB);
    await post(b, corrupted(pdfB));
    await post(c, corrupted(pdfC));
    await post(c, pdfC);
    await post(d, pdfD);
    const strayKey = `evidence/${applicationId}/${randomUUID()}`;
    const strayDelivered = stack.whenValidated(strayKey);
    await clients.s3.send(
      new PutObjectCommand({ Bucket: stack.bucketName, Key: strayKey, Body: pdfA, ContentType: 'application/pdf' }),
    );
    await strayDelivered;
    capturing = false;
    expect(captured).toHaveLength(7);

    // Every record three times, shuffled, four in flight: older and newer versions interleave.
    const replays = shuffled([...captured, ...captured, ...captured], 20_250_515);
    const outcomes = await pool(replays, 4, async (record) => {
      const context = makeLambdaContext({ functionName: 'local-validator', region: stack.region, timeoutMs: 60_000 });
      const {
        outcomes: [outcome],
      } = await realValidator({ Records: [record] }, context);
      return { key: decodeURIComponent(record.s3.object.key), sequencer: record.s3.object.sequencer, outcome };
    });

    const evidence = await records.listEvidence(applicationId);
    expect(evidence).toHaveLength(4);
    const newest = (key: string) =>
      captured
        .filter((r) => decodeURIComponent(r.s3.object.key) === key)
        .map((r) => r.s3.object.sequencer)
        .sort()
        .at(-1);
    const expected = new Map([
      [a.evidenceId, 'VALID'],
      [b.evidenceId, 'INVALID'],
      [c.evidenceId, 'VALID'],
      [d.evidenceId, 'VALID'],
    ]);
    const trail = await audit(applicationId);
    for (const item of evidence) {
      expect(item.status, item.criterion).toBe(expected.get(item.evidenceId));
      // The event of the bytes the key still holds is the one on record, whatever order the replays came in.
      expect(item.validatedSequencer, item.criterion).toBe(newest(item.objectKey));
      const recorded = count(
        outcomes,
        (o) => o.key === item.objectKey && (o.outcome === 'VALID' || o.outcome === 'INVALID'),
      );
      const versions = new Set(
        captured
          .filter((r) => decodeURIComponent(r.s3.object.key) === item.objectKey)
          .map((r) => r.s3.object.sequencer),
      ).size;
      const events = count(
        trail,
        (e) =>
          (e.action === 'EVIDENCE_VALIDATED' || e.action === 'EVIDENCE_REJECTED') &&
          (e.detail as { evidenceId?: string } | undefined)?.evidenceId === item.evidenceId,
      );
      expect(events, item.criterion).toBe(recorded);
      expect(events, item.criterion).toBeGreaterThanOrEqual(1);
      expect(events, item.criterion).toBeLessThanOrEqual(versions);
    }
    // No content claimed twice: the valid files are all different, so no DUPLICATE_CONTENT.
    expect(evidence.flatMap((e) => e.warnings ?? [])).toEqual([]);

    // The stray object: moved once, gone from evidence/.
    expect(count(outcomes, (o) => o.key === strayKey && o.outcome === 'QUARANTINED')).toBe(3);
    const quarantined = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: 'quarantine/' }),
    );
    expect((quarantined.Contents ?? []).map((o) => o.Key)).toEqual([`quarantine/${strayKey}`]);
    const left = await clients.s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: strayKey }));
    expect(left.KeyCount ?? 0).toBe(0);
  });
});

describe('an older and a newer event for the same key, at the same moment', () => {
  it('records the object the key holds (s3rver keeps no versions), whichever event runs first', async () => {
    const applicationId = await steps.fileDraft(
      stack,
      campaign,
      { ...DUNHUA, clusterName: '敦化市医药产业集群（新旧并发）' },
      false,
    );
    const criteria = CRITERIA.slice(0, 6);
    capturing = true;
    captured.length = 0;
    const uploads: Upload[] = [];
    for (const criterion of criteria) {
      const pdf = await samplePdf(criterion, [applicationId, 'race']);
      const upload = await requestUpload(applicationId, criterion, pdf.byteLength);
      await post(upload, corrupted(pdf));
      await post(upload, pdf);
      uploads.push(upload);
    }
    capturing = false;
    expect(captured).toHaveLength(2 * criteria.length);

    const context = () =>
      makeLambdaContext({ functionName: 'local-validator', region: stack.region, timeoutMs: 60_000 });
    await Promise.all(
      uploads.map((upload) => {
        const [older, newer] = captured.filter((r) => decodeURIComponent(r.s3.object.key) === upload.objectKey);
        if (!older || !newer) throw new Error(`two events for ${upload.objectKey}`);
        // Both at once, each three times: the older one may well write first.
        return Promise.all(
          [older, newer, older, newer, older, newer].map((record) => realValidator({ Records: [record] }, context())),
        );
      }),
    );
    for (const upload of uploads) {
      const item = await records.getEvidence(applicationId, upload.evidenceId);
      const newest = captured
        .filter((r) => decodeURIComponent(r.s3.object.key) === upload.objectKey)
        .map((r) => r.s3.object.sequencer)
        .sort()
        .at(-1);
      expect(item?.validatedSequencer, upload.criterion).toBe(newest);
      expect(item?.status, upload.criterion).toBe('VALID');
    }
  });
});

describe('the record of a validation', () => {
  it('keeps the first outcome recorded: another object written between a read and a write changes nothing', async () => {
    const applicationId = await steps.fileDraft(
      stack,
      campaign,
      { ...DUNHUA, clusterName: '敦化市医药产业集群（记录竞争）' },
      false,
    );
    const upload = await requestUpload(applicationId, 'application-form', 1024);
    const evidence = await records.getEvidence(applicationId, upload.evidenceId);
    if (!evidence) throw new Error('no evidence item');
    const outcome = (sequencer: string, status: 'VALID' | 'INVALID') => ({
      evidence: {
        ...evidence,
        status,
        size: 1024,
        sha256: 'a'.repeat(64),
        findings: [],
        warnings: [],
        validatedAt: new Date().toISOString(),
        validatedSequencer: sequencer,
      },
      audit: {
        applicationId,
        eventId: randomUUID(),
        at: new Date().toISOString(),
        action: status === 'VALID' ? ('EVIDENCE_VALIDATED' as const) : ('EVIDENCE_REJECTED' as const),
        actor: 'validator',
        role: 'validator' as const,
        detail: { evidenceId: evidence.evidenceId, findings: [] },
      },
    });
    // The newer event's write waits until the older one has read and written.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = false;
    let holding: () => void = () => undefined;
    const heldNow = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const gated = new Proxy(clients.doc, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: { constructor: { name: string } }) => {
          if (!held && command.constructor.name === 'TransactWriteCommand') {
            held = true;
            holding();
            await gate;
          }
          return target.send(command as never);
        };
      },
    });
    const newerRecords = new DynamoRecords(gated, stack.tableName);
    const newer = outcome('0000018F0000000002', 'VALID');
    const older = outcome('0000018F0000000001', 'INVALID');
    const newerWrite = newerRecords.recordValidation(newer.evidence, newer.audit);
    await heldNow;
    expect(await records.recordValidation(older.evidence, older.audit)).toBe(true);
    release();
    // An evidence item takes exactly one object: the write that lost changes nothing.
    expect(await newerWrite).toBe(false);
    const stored = await records.getEvidence(applicationId, evidence.evidenceId);
    expect(stored).toMatchObject({ status: 'INVALID', validatedSequencer: '0000018F0000000001' });
    expect(await records.recordValidation(older.evidence, { ...older.audit, eventId: randomUUID() })).toBe(false);
    const events = (await audit(applicationId)).filter(
      (e) => (e.detail as { evidenceId?: string } | undefined)?.evidenceId === evidence.evidenceId,
    );
    expect(events.map((e) => e.action).sort()).toEqual(['EVIDENCE_REJECTED', 'EVIDENCE_REQUESTED']);
  });
});

// ---- 2. every workflow task twice ------------------------------------------------------------

/** Each (action, stage, round) of the workflow at most once in the application's audit trail. */
function expectWorkflowEventsOnce(trail: readonly AuditEvent[]): void {
  const seen = new Map<string, number>();
  for (const event of trail) {
    if (event.role !== 'workflow') continue;
    const detail = (event.detail ?? {}) as { stage?: string; round?: number; notice?: string };
    const key = `${event.action}#${detail.stage ?? ''}#${detail.round ?? ''}#${detail.notice ?? ''}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
}

function expectOneEmailPerNotice(emails: readonly StoredEmail[], clusterName: string, expected: number): void {
  const notices = noticesBySubject(emails, clusterName);
  expect(
    [...notices.values()].every((n) => n === 1),
    JSON.stringify([...notices]),
  ).toBe(true);
  expect(notices.size).toBe(expected);
}

describe.each(['sequential', 'concurrent'] as const)('every workflow task invoked twice (%s)', (mode) => {
  beforeAll(() => {
    duplication = mode;
    duplicated.clear();
    duplicateErrors.length = 0;
    noticePending = 0;
  });
  afterAll(() => {
    duplication = 'off';
  });

  it('returned, resubmitted, recommended, noticed and recognised: every step once', async () => {
    const clusterName = `敦化市医药产业集群（两次-${mode}）`;
    const applicationId = await steps.fileAndSubmit(stack, campaign, { ...DUNHUA, clusterName });

    // City returns; the applicant resubmits; round 2 comes back to the city.
    const first = await steps.reviewLink(stack, applicationId, 'city');
    const reason = '佐证材料与申报表数据不一致，请核实后重报';
    expect((await decide(first.reviewId, { t: first.secret, decision: 'return', reason })).status).toBe(200);
    await whenTaskWaiting(
      stack,
      (task) => task.executionArn.includes(applicationId) && task.stateName === 'AwaitResubmission',
    );
    expect((await (await steps.applicantOf(stack, applicationId)).submit(applicationId)).status).toBe(202);
    const second = await approveCity(applicationId, 2);
    expect(second.reviewId).not.toBe(first.reviewId);

    const province = await approveProvince(applicationId);
    const miit = await steps.reviewLink(stack, applicationId, 'miit');
    expect((await decide(miit.reviewId, { t: miit.secret, decision: 'approve' })).status).toBe(200);
    expect(await runToEnd(applicationId)).toBe('SUCCEEDED');
    expect((await records.getApplication(applicationId))?.status).toBe('RECOGNIZED');

    const trail = await audit(applicationId);
    expectWorkflowEventsOnce(trail);
    expect(count(trail, (e) => e.action === 'STAGE_ENTERED')).toBe(4); // city ×2, province, MIIT
    for (const action of ['RETURNED', 'RESUBMISSION_AWAITED', 'PUBLIC_NOTICE_STARTED', 'RECOGNIZED'] as const) {
      expect(
        count(trail, (e) => e.action === action),
        action,
      ).toBe(1);
    }
    expect(count(trail, (e) => e.action === 'APPLICANT_NOTIFIED')).toBe(3);

    const emails = await sentEmails(stack);
    for (const review of [first, second, province, miit])
      expect(linkEmails(emails, review.reviewId), review.reviewId).toHaveLength(1);
    expectOneEmailPerNotice(emails, clusterName, 3); // returned, public notice, recognised
    expect((await quotaUse()).holders).toContain(applicationId);
    for (const decided of [first, second, province, miit])
      expect(taskSuccesses(applicationId, decided.reviewId)).toBe(1);

    // Every task ran twice; the duplicates failed at nothing (prepareRoute … recognize).
    for (const key of Object.keys(WORKFLOW_TASKS).filter((k) => k !== 'closeApplication')) {
      expect(duplicated.get(key) ?? 0, key).toBeGreaterThan(0);
    }
  });

  it('rejected at the province and withdrawn at MIIT: closed once, the quota slot taken and freed once', async () => {
    const before = await quotaUse();
    const rejectedName = `敦化市医药产业集群（两次-驳回-${mode}）`;
    const rejected = await steps.fileAndSubmit(stack, campaign, { ...DUNHUA, clusterName: rejectedName });
    await approveCity(rejected);
    const province = await steps.reviewLink(stack, rejected, 'province');
    expect(
      (await decide(province.reviewId, { t: province.secret, decision: 'reject', reason: '产业集聚度不足' })).status,
    ).toBe(200);
    expect(await runToEnd(rejected)).toBe('SUCCEEDED');

    const withdrawnName = `敦化市医药产业集群（两次-撤回-${mode}）`;
    const withdrawn = await steps.fileAndSubmit(stack, campaign, { ...DUNHUA, clusterName: withdrawnName });
    await approveCity(withdrawn);
    await approveProvince(withdrawn);
    await steps.reviewLink(stack, withdrawn, 'miit');
    expect((await quotaUse()).used).toBe(before.used + 1);
    expect(
      (await (await steps.applicantOf(stack, withdrawn)).withdraw(withdrawn, { reason: '企业主动撤回' })).status,
    ).toBe(200);
    expect(await runToEnd(withdrawn)).toBe('SUCCEEDED');

    for (const [applicationId, status] of [
      [rejected, 'REJECTED'],
      [withdrawn, 'WITHDRAWN'],
    ] as const) {
      expect((await records.getApplication(applicationId))?.status).toBe(status);
      const trail = await audit(applicationId);
      expectWorkflowEventsOnce(trail);
      expect(
        count(trail, (e) => e.action === status),
        status,
      ).toBe(1);
    }
    const emails = await sentEmails(stack);
    expectOneEmailPerNotice(emails, rejectedName, 1);
    expectOneEmailPerNotice(emails, withdrawnName, 1);
    const after = await quotaUse();
    expect(after.used).toBe(before.used);
    expect(after.holders).not.toContain(withdrawn);
    expect(after.used).toBe(after.holders.length);
    expect(duplicated.get('closeApplication') ?? 0).toBeGreaterThanOrEqual(2);
  });

  it('the duplicates threw nothing but NoticePending (refused while the other one sent the notice)', () => {
    expect(duplicateErrors).toEqual([]);
    if (mode === 'sequential') expect(noticePending).toBe(0);
  });
});

// ---- 3. decisions sent twice, and ten at once ------------------------------------------------

describe('a decision sent twice, or ten at once', () => {
  it('sequentially: 200, then 409; one SendTaskSuccess; the next stage entered once', async () => {
    const applicationId = await steps.fileAndSubmit(stack, campaign, {
      ...DUNHUA,
      clusterName: '敦化市医药产业集群（决定两次）',
    });
    const city = await steps.reviewLink(stack, applicationId, 'city');
    await steps.uploadPdf(stack, applicationId, 'onsite-check-statement');
    const answers = [];
    for (const decision of ['approve', 'approve', 'reject'] as const) {
      answers.push(
        (
          await decide(city.reviewId, {
            t: city.secret,
            decision,
            ...(decision === 'reject' && { reason: '重复提交' }),
            ...(decision === 'approve' && { alsoNational: true }),
          })
        ).status,
      );
    }
    expect(answers).toEqual([200, 409, 409]);
    await steps.reviewLink(stack, applicationId, 'province');
    expect(taskSuccesses(applicationId, city.reviewId)).toBe(1);
    const trail = await audit(applicationId);
    expect(
      count(trail, (e) => e.action === 'STAGE_ENTERED' && (e.detail as { stage?: string }).stage === 'province'),
    ).toBe(1);
  });

  it('ten at once, the same approval at the province: one 200, nine 409, one quota slot', async () => {
    const before = await quotaUse();
    const applicationId = await steps.fileAndSubmit(stack, campaign, {
      ...DUNHUA,
      clusterName: '敦化市医药产业集群（十次同意）',
    });
    await approveCity(applicationId);
    const province = await steps.reviewLink(stack, applicationId, 'province');
    const deadline = await provinceDeadline(applicationId);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => decide(province.reviewId, { t: province.secret, decision: 'approve', scores })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array<number>(9).fill(409)]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.error.code === 'ALREADY_DECIDED')).toBe(true);
    await forwardList(deadline);
    await steps.reviewLink(stack, applicationId, 'miit');
    expect(taskSuccesses(applicationId, province.reviewId)).toBe(1);
    const after = await quotaUse();
    expect(after.used).toBe(before.used + 1);
    expect(after.holders).toContain(applicationId);
    expect(after.used).toBe(after.holders.length);
    const trail = await audit(applicationId);
    expect(count(trail, (e) => e.action === 'STAGE_ENTERED' && (e.detail as { stage?: string }).stage === 'miit')).toBe(
      1,
    );
  });

  it('ten at once, different decisions at the province: one wins, and only its effects happen', async () => {
    const before = await quotaUse();
    const applicationId = await steps.fileAndSubmit(stack, campaign, {
      ...DUNHUA,
      clusterName: '敦化市医药产业集群（十次不同）',
    });
    await approveCity(applicationId);
    const province = await steps.reviewLink(stack, applicationId, 'province');
    const deadline = await provinceDeadline(applicationId);
    const bodies = shuffled(
      [
        ...Array.from({ length: 4 }, () => ({ decision: 'approve' as const, scores })),
        ...Array.from({ length: 3 }, () => ({ decision: 'return' as const, reason: '请补充现场核查材料' })),
        ...Array.from({ length: 3 }, () => ({ decision: 'reject' as const, reason: '不符合推荐条件' })),
      ],
      7,
    );
    const answers = await Promise.all(bodies.map((body) => decide(province.reviewId, { t: province.secret, ...body })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array<number>(9).fill(409)]);
    const winner = bodies[answers.findIndex((a) => a.status === 200)]?.decision;
    if (!winner) throw new Error('no decision won');
    if (winner === 'approve') {
      await forwardList(deadline);
      await steps.reviewLink(stack, applicationId, 'miit');
    }
    const expectedStatus = { approve: 'MIIT_REVIEW', return: 'RETURNED', reject: 'REJECTED' }[winner];
    // The winner's effects are written by the next task: wait for that step, not for the status.
    if (winner === 'return') {
      await whenTaskWaiting(
        stack,
        (task) => task.executionArn.includes(applicationId) && task.stateName === 'AwaitResubmission',
      );
    }
    if (winner === 'reject')
      await stack.stepFunctions.waitForExecution(steps.ladderExecution(stack, applicationId).executionArn, 10_000);
    expect((await records.getApplication(applicationId))?.status).toBe(expectedStatus);
    expect(taskSuccesses(applicationId, province.reviewId)).toBe(1);
    const trail = await audit(applicationId);
    const byReview = trail.filter(
      (e) => (e.detail as { reviewId?: string } | undefined)?.reviewId === province.reviewId,
    );
    // The winning decision's own event (naming who decided), once, and the workflow's move after it.
    const decisionEvent = { approve: 'REVIEW_APPROVED', return: 'REVIEW_RETURNED', reject: 'REVIEW_REJECTED' }[winner];
    expect(byReview.map((e) => e.action).sort()).toEqual(
      (winner === 'approve' ? [decisionEvent] : [decisionEvent, winner === 'return' ? 'RETURNED' : 'REJECTED']).sort(),
    );
    const after = await quotaUse();
    expect(after.used).toBe(before.used + (winner === 'approve' ? 1 : 0));
    expect(after.holders.includes(applicationId)).toBe(winner === 'approve');
    expect(after.used).toBe(after.holders.length);
  });
});
