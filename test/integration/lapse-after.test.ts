import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type BatchWriteCommandInput, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationItem } from '../../shared/adapters/dynamo-records/keys.ts';
import { DynamoRecords } from '../../shared/adapters/dynamo-records/store.ts';
import { ReviewItems } from '../../shared/adapters/dynamo-reviews/reviews.ts';
import { CLIENT_HOOK, type ClientHook, makeDocumentClient } from '../../shared/composition/clients.ts';
import type { LapseBackfillReport } from '../../shared/review/lapse-backfill.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import type { ApplicationRecord } from '../../shared/schemas/records.ts';
import { type ReviewRecord, reviewIdOf } from '../../shared/schemas/reviews.ts';
import { sampleApplication } from '../unit/support.ts';
import { as, asOperator, startTestStack, type TestStack, testClients } from './harness.ts';

/**
 * The follow-ups of closing lapsed reviews, on the local stack (DynamoDB Local; each function
 * under its synthesized IAM policy):
 *
 * - the backfill (POST /v1/reviews/migrations/lapsed) expires a review stored PENDING the old way
 *   under an application that ended, lists it first on a dry run, changes nothing on a second
 *   run, and leaves a decided review and an open application's review as they are;
 * - the sweeper's DynamoDB requests on a campaign with many OVERDUE applications: it reads the
 *   reviews of the applications a reminder may be due for, never an OVERDUE one's.
 */
const DAY = 86_400_000;
const campaign = demoCampaign(new Date());
const OVERDUE_REASON = '逾期不予受理：延边朝鲜族自治州市级审核未在截止时间前完成';
let stack: TestStack;

beforeAll(async () => {
  // The sweeper's own timer stays off (every hour, never reached here); the test drives a run itself.
  stack = await startTestStack({ schedules: { everyMs: 60 * 60_000 } });
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
}, 120_000);

afterAll(() => stack?.cleanup());

const table = () => ({ client: makeDocumentClient(), tableName: stack.tableName });
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

function applicationOf(overrides: Partial<ApplicationRecord>): ApplicationRecord {
  return sampleApplication({
    applicationId: randomUUID(),
    campaignId: campaign.campaignId,
    status: 'CITY_REVIEW',
    stage: 'city',
    round: 1,
    revision: 1,
    dueAt: at(3),
    ...overrides,
  });
}

/** The city's review of an application, as RequestReview stored it (PENDING, in the level's pending partition). */
function cityReview(application: ApplicationRecord, overrides: Partial<ReviewRecord> = {}): ReviewRecord {
  return {
    reviewId: reviewIdOf({ applicationId: application.applicationId, revision: 1, stage: 'city', round: 1 }),
    applicationId: application.applicationId,
    revision: 1,
    stage: 'city',
    round: 1,
    jurisdictionCode: '222400',
    deadline: application.dueAt,
    campaignId: campaign.campaignId,
    track: 'recommendation',
    countyCode: application.countyCode,
    provincialCode: '220000',
    cityCode: '222400',
    clusterName: application.clusterName,
    status: 'PENDING',
    secretHash: 'a'.repeat(64),
    taskToken: `token-${application.applicationId}`,
    openedAt: at(-20),
    armedAt: at(-20),
    attempts: 1,
    emailedTo: [],
    ...overrides,
  };
}

/** Puts applications as the records adapter lays them out (both indexes), 25 to a request. */
async function putApplications(applications: readonly ApplicationRecord[]): Promise<void> {
  const client = makeDocumentClient();
  for (let i = 0; i < applications.length; i += 25) {
    const batch = applications.slice(i, i + 25).map((a) => ({ PutRequest: { Item: applicationItem(a) } }));
    let unprocessed: BatchWriteCommandInput['RequestItems'] = { [stack.tableName]: batch };
    while (unprocessed && Object.keys(unprocessed).length > 0) {
      const answer: BatchWriteCommandOutput = await client.send(new BatchWriteCommand({ RequestItems: unprocessed }));
      unprocessed = answer.UnprocessedItems;
    }
  }
}

describe('the backfill of reviews left PENDING', () => {
  const migrate = async (body: unknown, who = asOperator(stack)) =>
    (await who).raw('POST', '/v1/reviews/migrations/lapsed', body);

  it('expires the one whose application ended, after a dry run, once; a decided one and an open one are left', async () => {
    const clients = testClients();
    const reviews = new ReviewItems(table());
    let stuck: ReviewRecord, decided: ReviewRecord, waiting: ReviewRecord;
    try {
      const records = new DynamoRecords(clients.doc, stack.tableName);
      const ended = applicationOf({
        clusterName: '敦化市医药产业集群（旧逾期）',
        status: 'OVERDUE',
        dueAt: at(-5),
        decisionReason: OVERDUE_REASON,
      });
      const rejected = applicationOf({ countyCode: '222401', clusterName: '延吉市食品产业集群', status: 'REJECTED' });
      const open = applicationOf({ countyCode: '222402', clusterName: '图们市木业产业集群' });
      for (const application of [ended, rejected, open]) {
        await records.createApplication(application, {
          applicationId: application.applicationId,
          eventId: randomUUID(),
          at: at(-20),
          action: 'APPLICATION_CREATED',
          actor: 'test',
        });
      }
      // Stored as the closing left a review before it expired them: PENDING, under an OVERDUE application.
      stuck = cityReview(ended, { deadline: at(-5) });
      decided = cityReview(rejected, { status: 'DECIDED', decision: 'reject', decidedAt: at(-6) });
      waiting = cityReview(open);
      for (const review of [stuck, decided, waiting]) expect(await reviews.createReview(review)).toBe(true);
    } finally {
      clients.destroy();
    }

    // Anyone but a national operator is refused.
    expect((await migrate({ dryRun: true }, as(stack, 'operator', '220000'))).status).toBe(403);

    const dry = (await migrate({ dryRun: true })).json as LapseBackfillReport;
    expect(dry).toMatchObject({ dryRun: true, open: 1 });
    expect(dry.expired).toEqual([
      expect.objectContaining({ reviewId: stuck.reviewId, applicationStatus: 'OVERDUE', jurisdictionCode: '222400' }),
    ]);
    expect((await reviews.getReview(stuck.reviewId))?.status).toBe('PENDING');

    const run = await migrate({});
    expect(run.status).toBe(200);
    expect((run.json as LapseBackfillReport).expired.map((change) => change.reviewId)).toEqual([stuck.reviewId]);
    expect(await reviews.getReview(stuck.reviewId)).toMatchObject({
      status: 'EXPIRED',
      closedReason: OVERDUE_REASON,
    });
    expect(await reviews.getReview(decided.reviewId)).toMatchObject({ status: 'DECIDED', decision: 'reject' });
    expect((await reviews.getReview(waiting.reviewId))?.status).toBe('PENDING');

    // The city's inbox: the open one pending, the expired one lapsed.
    const inbox = (await (await as(stack, 'reviewer', '222400')).inbox()).body;
    expect(inbox.reviews.map((entry) => entry.reviewId)).toContain(waiting.reviewId);
    expect(inbox.reviews.map((entry) => entry.reviewId)).not.toContain(stuck.reviewId);
    expect(inbox.lapsed?.map((entry) => entry.reviewId)).toContain(stuck.reviewId);

    const closedAt = (await reviews.getReview(stuck.reviewId))?.closedAt;
    const again = (await migrate({})).json as LapseBackfillReport;
    expect(again).toMatchObject({ dryRun: false, expired: [], changedMeanwhile: 0 });
    expect((await reviews.getReview(stuck.reviewId))?.closedAt).toBe(closedAt);
  });
});

/** A request as the client's middleware sees it: a Query's values marshalled or not yet. */
type QueryArgs = { input?: { ExpressionAttributeValues?: Record<string, string | { S?: string }> } };

/** Every DynamoDB request the clients made while `run` ran: its command, and the partition a Query read. */
async function requestsOf(run: () => Promise<unknown>): Promise<{ requests: string[]; partitions: string[] }> {
  const seen: string[] = [];
  const partitions: string[] = [];
  const hooks = globalThis as { [CLIENT_HOOK]?: ClientHook };
  const previous = hooks[CLIENT_HOOK];
  hooks[CLIENT_HOOK] = (client) => {
    previous?.(client);
    const counting =
      (next: (args: QueryArgs) => Promise<unknown>, context: { commandName?: string }) => (args: QueryArgs) => {
        const value = args.input?.ExpressionAttributeValues?.[':pk'];
        const partition = typeof value === 'string' ? value : value?.S;
        seen.push(`${context.commandName ?? '?'}${partition ? ` ${partition.split('#')[0]}#` : ''}`);
        if (partition) partitions.push(partition);
        return next(args);
      };
    client.middlewareStack.add(counting as never, { step: 'initialize', name: 'countRequests' } as never);
  };
  try {
    await run();
  } finally {
    hooks[CLIENT_HOOK] = previous;
  }
  return { requests: seen, partitions };
}

describe("the sweeper's reads on a campaign with many OVERDUE applications", () => {
  it('queries the reviews of the applications a reminder may be due for, and of no OVERDUE one', async () => {
    // A form of the size a county sends (its criteria written out), so the index pages as in AWS.
    const criteria = Object.fromEntries(
      ['core-competitiveness', 'tiered-cultivation', 'chain-collaboration', 'green-development'].map((id) => [
        id,
        '长白山道地药材全产业链，'.repeat(80),
      ]),
    );
    const overdue = Array.from({ length: 600 }, (_, i) =>
      applicationOf({
        clusterName: `逾期集群${i}`,
        status: 'OVERDUE',
        dueAt: at(-30 + (i % 20)),
        decisionReason: OVERDUE_REASON,
        form: { criteria },
      }),
    );
    const upcoming = [applicationOf({ clusterName: '将到期集群一' }), applicationOf({ clusterName: '将到期集群二' })];
    await putApplications([...overdue, ...upcoming]);
    const reviews = new ReviewItems(table());
    for (const application of upcoming) await reviews.createReview(cityReview(application));

    const { wireSweeper } = await import('../../shared/composition/operations.ts');
    // The two upcoming reviews are reminded (their 3-day threshold); what matters here is what is read.
    const { requests, partitions } = await requestsOf(() => wireSweeper({ clock: () => new Date() }).sweeper.sweep());

    const count = (name: string) => requests.filter((request) => request === name).length;
    console.info(`a sweep over ${overdue.length} OVERDUE applications: ${requests.length} DynamoDB requests`, {
      byKind: Object.fromEntries([...new Set(requests)].map((name) => [name, count(name)])),
    });
    // The reviews read: each upcoming application's partition (and any other under review), no OVERDUE one's.
    const read = new Set(partitions.filter((partition) => partition.startsWith('APP#')));
    for (const application of upcoming) expect(read).toContain(`APP#${application.applicationId}`);
    expect(overdue.filter((application) => read.has(`APP#${application.applicationId}`))).toEqual([]);
  }, 120_000);
});
