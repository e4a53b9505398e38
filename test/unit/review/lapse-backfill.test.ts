import { QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoRecords } from '../../../shared/adapters/dynamo-records/store.ts';
import { DynamoReviews } from '../../../shared/adapters/dynamo-reviews/store.ts';
import { reviewKeys } from '../../../shared/adapters/dynamo-reviews/items.ts';
import { INDEXES } from '../../../shared/adapters/table.ts';
import { backfillLapsedReviews, reviewingJurisdictions } from '../../../shared/review/lapse-backfill.ts';
import { reviewInbox } from '../../../shared/review/inbox.ts';
import { MIIT_CODE, reviewChain } from '../../../shared/rules/jurisdictions.ts';
import { application, APP_ID, daysFrom, documentClient, review, seed, seedReview, TABLE } from './fixtures.ts';
import { mockedCloud, reviewsFunction } from './worlds.ts';
import { claimsOf, PEOPLE } from '../support.ts';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Principal } from '../../../shared/platform/auth/principal.ts';

/**
 * The backfill of reviews left PENDING by closings before the closing expired them: a review
 * stored PENDING the old way under an application that ended is expired, as the closing now does;
 * a second run changes nothing; a decided review and a review of an open application are left.
 */
const cloud = mockedCloud({ functionEnv: true });
const { handle } = reviewsFunction();
const { ddb } = cloud;
const now = new Date('2026-06-01T00:00:00.000Z');
const OTHER_APP = '0b6f7f2e-1d2c-4b3a-9e8f-7a6b5c4d3e2f';
const OPEN_APP = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const OVERDUE_REASON = '逾期不予受理：延边朝鲜族自治州市级审核未在截止时间前完成';

const deps = () => ({
  reviews: new DynamoReviews(documentClient(), TABLE),
  records: new DynamoRecords(documentClient(), TABLE),
  clock: () => now,
});

/** Three applications: one ended OVERDUE with its review left PENDING (the old closing), one ended with its review decided, one open. */
async function oldWorld() {
  const stuck = review(now, { deadline: daysFrom(now, -5) });
  seed(cloud.table).application(
    application(now, { status: 'OVERDUE', dueAt: daysFrom(now, -5), decisionReason: OVERDUE_REASON }),
  );
  // Stored PENDING as the closing left it before it expired reviews: the same item open() writes.
  await seedReview(stuck);

  const decided = review(now, {
    applicationId: OTHER_APP,
    reviewId: stuck.reviewId.replace(APP_ID, OTHER_APP),
    status: 'DECIDED',
    decision: 'approve',
    decidedAt: daysFrom(now, -6),
  });
  seed(cloud.table).application(application(now, { applicationId: OTHER_APP, status: 'REJECTED' }));
  await seedReview(decided);

  const waiting = review(now, {
    applicationId: OPEN_APP,
    reviewId: stuck.reviewId.replace(APP_ID, OPEN_APP),
    deadline: daysFrom(now, 4),
  });
  seed(cloud.table).application(application(now, { applicationId: OPEN_APP, status: 'CITY_REVIEW' }));
  await seedReview(waiting);
  ddb.resetHistory();
  return { stuck, decided, waiting };
}

const storedReview = (applicationId: string, reviewId: string) =>
  cloud.table.get(`APP#${applicationId}`, `REVIEW#${reviewId}`);

describe('the lapsed-review backfill', () => {
  it('expires a review left PENDING under an ended application, once, and nothing else', async () => {
    const { stuck, decided, waiting } = await oldWorld();

    const first = await backfillLapsedReviews(deps(), {});

    expect(first).toMatchObject({ dryRun: false, pending: 2, open: 1, changedMeanwhile: 0, withoutApplication: [] });
    expect(first.expired).toEqual([
      {
        reviewId: stuck.reviewId,
        applicationId: APP_ID,
        jurisdictionCode: '222400',
        deadline: stuck.deadline,
        applicationStatus: 'OVERDUE',
      },
    ]);
    // As the closing expires it: EXPIRED, its close time and reason, moved to the lapsed partition.
    expect(storedReview(APP_ID, stuck.reviewId)).toMatchObject({
      status: 'EXPIRED',
      closedAt: now.toISOString(),
      closedReason: OVERDUE_REASON,
      [INDEXES.byDeadline.partitionKey]: reviewKeys.lapsedPartition('222400'),
    });
    expect(storedReview(OTHER_APP, decided.reviewId)).toMatchObject({ status: 'DECIDED', decision: 'approve' });
    expect(storedReview(OPEN_APP, waiting.reviewId)).toMatchObject({ status: 'PENDING' });
    // Read from the pending partitions, never a Scan; one write, the review's.
    expect(ddb).not.toHaveReceivedCommand(ScanCommand);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);

    // The reviewer's inbox lists it as lapsed, no longer as pending.
    // The open review's quota mark is not this test's: its application is not read for it.
    const noQuotaMark = {
      records: { getApplication: async () => undefined },
      campaigns: { get: () => Promise.reject(new Error('not read')) },
      quotas: { usage: () => Promise.reject(new Error('not read')) },
    };
    const inbox = await reviewInbox(
      { reviews: deps().reviews, clock: () => now, ...noQuotaMark },
      PEOPLE.yanbianReviewer,
      {},
    );
    expect(inbox.reviews.map((entry) => entry.reviewId)).toEqual([waiting.reviewId]);
    expect(inbox.lapsed.map((entry) => entry.reviewId)).toEqual([stuck.reviewId]);

    ddb.resetHistory();
    const second = await backfillLapsedReviews(deps(), {});
    expect(second).toMatchObject({ pending: 1, open: 1, expired: [] });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(storedReview(APP_ID, stuck.reviewId)).toMatchObject({ closedAt: now.toISOString() });
  });

  it('lists on a dry run what it would change, and writes nothing', async () => {
    const { stuck } = await oldWorld();

    const dry = await backfillLapsedReviews(deps(), { dryRun: true });

    expect(dry).toMatchObject({ dryRun: true, pending: 2, open: 1 });
    expect(dry.expired.map((change) => change.reviewId)).toEqual([stuck.reviewId]);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(storedReview(APP_ID, stuck.reviewId)).toMatchObject({ status: 'PENDING' });
  });

  it('leaves a review a decision took between the read and the write', async () => {
    const { stuck } = await oldWorld();
    const reviews = deps().reviews;
    const racing = {
      listPending: (code: string) => reviews.listPending(code),
      expireReview: async (...args: Parameters<typeof reviews.expireReview>) => {
        cloud.table.put({ ...storedReview(APP_ID, stuck.reviewId), status: 'DECIDED', decision: 'approve' });
        return reviews.expireReview(...args);
      },
    };

    const report = await backfillLapsedReviews({ ...deps(), reviews: racing }, {});

    expect(report).toMatchObject({ expired: [], changedMeanwhile: 1 });
    expect(storedReview(APP_ID, stuck.reviewId)).toMatchObject({ status: 'DECIDED', decision: 'approve' });
  });

  it('reads one pending partition per level a review can belong to: every stage of every applicant county', () => {
    const levels = new Set(reviewingJurisdictions());
    expect(levels.has(MIIT_CODE)).toBe(true);
    // 敦化市 → 延边州 → 吉林省 → MIIT; a Qingdao district stops at 青岛 (a planned city).
    for (const county of ['222403', '370202', '110101', '659001']) {
      for (const stage of reviewChain(county)) expect(levels.has(stage.jurisdictionCode)).toBe(true);
    }
    // Applicant counties never review.
    expect(levels.has('222403')).toBe(false);
  });

  it('queries each level once', async () => {
    await oldWorld();
    await backfillLapsedReviews(deps(), { dryRun: true });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(reviewingJurisdictions().length);
  });
});

describe('POST /v1/reviews/migrations/lapsed', () => {
  const post = (as: Principal, body: unknown) =>
    handle({
      version: '2.0',
      routeKey: 'POST /v1/reviews/migrations/lapsed',
      rawPath: '/v1/reviews/migrations/lapsed',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      isBase64Encoded: false,
      body: JSON.stringify(body),
      requestContext: {
        requestId: 'req-1',
        http: { method: 'POST' },
        authorizer: { jwt: { claims: claimsOf(as), scopes: null } },
      } as unknown as APIGatewayProxyEventV2['requestContext'],
    });

  it('runs for a national operator, a dry run first, then for real', async () => {
    const { stuck } = await oldWorld();
    const dry = await post(PEOPLE.nationalOperator, { dryRun: true });
    expect(dry.statusCode).toBe(200);
    expect(JSON.parse(dry.body).expired).toEqual([expect.objectContaining({ reviewId: stuck.reviewId })]);
    expect(storedReview(APP_ID, stuck.reviewId)).toMatchObject({ status: 'PENDING' });

    const run = await post(PEOPLE.nationalOperator, {});
    expect(run.statusCode).toBe(200);
    expect(JSON.parse(run.body)).toMatchObject({ dryRun: false, expired: [{ reviewId: stuck.reviewId }] });
    expect(storedReview(APP_ID, stuck.reviewId)).toMatchObject({ status: 'EXPIRED' });
  });

  it('refuses anyone else (403) and a body it does not know (400), reading nothing', async () => {
    await oldWorld();
    const provincial: Principal = { sub: 'operator-220000', role: 'operator', jurisdiction: '220000' };
    expect((await post(provincial, { dryRun: true })).statusCode).toBe(403);
    expect((await post(PEOPLE.yanbianReviewer, {})).statusCode).toBe(403);
    expect((await post(PEOPLE.nationalOperator, { dryRun: 'yes' })).statusCode).toBe(400);
    expect((await post(PEOPLE.nationalOperator, { everything: true })).statusCode).toBe(400);
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });
});
