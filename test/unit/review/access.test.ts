import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import type { ReviewDesk } from '../../../shared/review/desk.ts';
import { ReviewRecordSchema } from '../../../shared/schemas/reviews.ts';
import { PEOPLE } from '../support.ts';
import {
  APP_ID,
  application,
  campaignAt,
  FULL_SCORES,
  makeDesk,
  review,
  SECRET,
  seed,
  seedReview,
  sha256,
} from './fixtures.ts';
import { mockedCloud } from './worlds.ts';

/**
 * The review desk checks who may act itself (issue 5 §1), whatever calls it: these tests call the
 * desk directly, with no handler in front.
 */
const cloud = mockedCloud();
const { ddb, sfn } = cloud;

const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = campaignAt(now);
const FORBIDDEN = { status: 403, code: 'FORBIDDEN' };
let desk: ReviewDesk;

beforeEach(async () => {
  seed(cloud.table).campaign(campaign);
  seed(cloud.table).application(application(now));
  await seedReview(review(now));
  ddb.resetHistory();
  desk = makeDesk(() => now, [campaign]);
});

const CITY_REVIEW = review(now).reviewId;
const reviewer = (principal: Principal) => ({ kind: 'reviewer' as const, principal });
const caller = (principal: Principal) => ({ principal, requestId: 'req-1' });
const storedReview = (reviewId: string) =>
  ReviewRecordSchema.parse(cloud.table.get(`APP#${APP_ID}`, `REVIEW#${reviewId}`));
const expectNothingWritten = () => {
  expect(ddb).not.toHaveReceivedCommand(PutCommand);
  expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  expect(sfn.calls()).toHaveLength(0);
};

describe('deciding', () => {
  it('a reviewer of the stage decides; the decision names them', async () => {
    const view = await desk.decide(CITY_REVIEW, reviewer(PEOPLE.yanbianReviewer), {
      decision: 'return',
      reason: '请补充材料',
    });
    expect(view).toMatchObject({ decision: 'return', decidedBy: 'user:reviewer-222400' });
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });

  it('anyone else is refused before the body is read: the province above, MIIT, an applicant, an operator', async () => {
    for (const principal of [
      PEOPLE.jilinReviewer,
      PEOPLE.miitReviewer,
      PEOPLE.dunhuaApplicant,
      PEOPLE.nationalOperator,
    ]) {
      await expect(desk.decide(CITY_REVIEW, reviewer(principal), { decision: 'nonsense' })).rejects.toMatchObject(
        FORBIDDEN,
      );
      await expect(desk.page(CITY_REVIEW, reviewer(principal))).rejects.toMatchObject(FORBIDDEN);
    }
    expectNothingWritten();
    expect(storedReview(CITY_REVIEW).status).toBe('PENDING');
  });

  it('a reviewer is told of an unknown review (404); a link is not (403, nothing revealed)', async () => {
    const unknown = `${APP_ID}.city.9.9`;
    await expect(desk.decide(unknown, reviewer(PEOPLE.yanbianReviewer), { decision: 'approve' })).rejects.toMatchObject(
      { status: 404 },
    );
    await expect(desk.decide(unknown, { kind: 'link', secret: SECRET }, { decision: 'approve' })).rejects.toMatchObject(
      {
        status: 403,
        code: 'REVIEW_LINK_INVALID',
      },
    );
  });

  it("a link is a capability for its one review: review A's secret opens neither B's page nor B's decision", async () => {
    const b = review(now, { stage: 'province', secretHash: sha256('province-secret') });
    await seedReview(b);
    ddb.resetHistory();
    expect((await desk.page(CITY_REVIEW, { kind: 'link', secret: SECRET })).state).toBe('open');
    expect((await desk.page(b.reviewId, { kind: 'link', secret: 'province-secret' })).state).toBe('open');

    expect((await desk.page(b.reviewId, { kind: 'link', secret: SECRET })).state).toBe('forged');
    expect((await desk.page(CITY_REVIEW, { kind: 'link', secret: 'province-secret' })).state).toBe('forged');
    await expect(
      desk.decide(b.reviewId, { kind: 'link', secret: SECRET }, { decision: 'approve', scores: FULL_SCORES }),
    ).rejects.toMatchObject({ status: 403, code: 'REVIEW_LINK_INVALID' });
    expectNothingWritten();
  });

  it("a signed-in reviewer's page carries no secret into its form", async () => {
    const page = await desk.page(CITY_REVIEW, reviewer(PEOPLE.yanbianReviewer));
    if (page.state !== 'open') throw new Error(`expected an open page, got ${page.state}`);
    expect(page.secret).toBeUndefined();
    expect(page).not.toHaveProperty('secret');
  });
});

describe('the inbox', () => {
  it("is the reviewer's own jurisdiction's; a jurisdiction asked for must be theirs", async () => {
    const own = await desk.inbox(PEOPLE.yanbianReviewer, {});
    expect(own.jurisdiction.code).toBe('222400');
    expect(own.reviews.map((r) => r.reviewId)).toEqual([CITY_REVIEW]);
    expect((await desk.inbox(PEOPLE.yanbianReviewer, { jurisdiction: '222400' })).reviews).toHaveLength(1);
    expect((await desk.inbox(PEOPLE.jilinReviewer, {})).reviews).toEqual([]);

    await expect(desk.inbox(PEOPLE.jilinReviewer, { jurisdiction: '222400' })).rejects.toMatchObject(FORBIDDEN);
    await expect(desk.inbox(PEOPLE.miitReviewer, { jurisdiction: '222400' })).rejects.toMatchObject(FORBIDDEN);
    await expect(desk.inbox(PEOPLE.dunhuaApplicant, {})).rejects.toMatchObject(FORBIDDEN);
    await expect(desk.inbox(PEOPLE.nationalOperator, {})).rejects.toMatchObject(FORBIDDEN);
  });
});

describe('withdrawal and cancellation', () => {
  it("withdrawal is the county's applicant's: others are refused before the body is read; nothing ends", async () => {
    for (const principal of [PEOPLE.hebeiApplicant, PEOPLE.yanbianReviewer, PEOPLE.jilinOperator]) {
      await expect(desk.withdraw(APP_ID, { reason: 7 }, caller(principal))).rejects.toMatchObject(FORBIDDEN);
    }
    expectNothingWritten();
    expect(storedReview(CITY_REVIEW).status).toBe('PENDING');

    await desk.withdraw(APP_ID, {}, caller(PEOPLE.dunhuaApplicant));
    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, { error: 'Withdrawn' });
  });

  it('cancellation is for operators over the application; others are refused before the body is read', async () => {
    const hebeiOperator: Principal = { sub: 'operator-130000', role: 'operator', jurisdiction: '130000' };
    for (const principal of [PEOPLE.dunhuaApplicant, PEOPLE.jilinReviewer, hebeiOperator]) {
      await expect(desk.cancel(APP_ID, {}, caller(principal))).rejects.toMatchObject(FORBIDDEN);
    }
    expectNothingWritten();

    await desk.cancel(APP_ID, { reason: '经查实，数据虚报' }, caller(PEOPLE.jilinOperator));
    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, { error: 'Cancelled' });
  });
});
