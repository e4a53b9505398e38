import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { quotaKeys } from '../../../shared/adapters/dynamo-quota.ts';
import { jurisdictionSortKey } from '../../../shared/adapters/dynamo-records/keys.ts';
import { DynamoRecords } from '../../../shared/adapters/dynamo-records/store.ts';
import { DynamoReviews } from '../../../shared/adapters/dynamo-reviews/store.ts';
import type { ReviewStore } from '../../../shared/ports/review.ts';
import { APPLICATION_STATUSES } from '../../../shared/schemas/common.ts';
import { type ReviewRecord, ReviewRecordSchema } from '../../../shared/schemas/reviews.ts';
import { decisionAudit } from '../../../shared/review/decision-audit.ts';
import { renderReviewPage } from '../../../shared/review/page.ts';
import { PEOPLE } from '../support.ts';
import {
  alsoNationalCampaignAt,
  APP_ID,
  application,
  campaignAt,
  documentClient,
  FULL_SCORES,
  makeDesk,
  review,
  reviewRequest,
  SECRET,
  seed,
  seedReview,
  TABLE,
} from './fixtures.ts';
import { mockedCloud } from './worlds.ts';

const cloud = mockedCloud();
const { sfn } = cloud;

const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = campaignAt(now);
const link = { kind: 'link' as const, secret: SECRET };
const caller = { principal: PEOPLE.dunhuaApplicant, requestId: 'req-1' };

const slotHeld = () => {
  const slot = quotaKeys.slot(campaign.campaignId, 'recommendation', 'provincial', '220000', APP_ID);
  return cloud.table.get(slot.pk, slot.sk) !== undefined;
};
const auditActions = () =>
  cloud.table
    .all()
    .filter((item) => item.pk === `APP#${APP_ID}` && String(item.sk).startsWith('AUDIT#'))
    .map((item) => item.action);
const linkAudit = (at: ReviewRecord, decision: 'approve' | 'return' | 'reject') =>
  decisionAudit({
    review: at,
    credentials: link,
    decision,
    reason: undefined,
    weightedScore: undefined,
    at: now.toISOString(),
    eventId: crypto.randomUUID(),
  });
const storedReview = (reviewId: string) =>
  ReviewRecordSchema.parse(cloud.table.get(`APP#${APP_ID}`, `REVIEW#${reviewId}`));

describe('the review items (dynamo-reviews)', () => {
  it('moves an ended application in byJurisdiction exactly as the records adapter derives it', async () => {
    const records = new DynamoRecords(documentClient(), TABLE);
    for (const status of APPLICATION_STATUSES) {
      const app = application(now, { status: 'DRAFT', revision: 0 });
      seed(cloud.table).application(app);
      await records.saveApplication({ ...app, status, revision: 1 }, app, {
        applicationId: APP_ID,
        eventId: crypto.randomUUID(),
        at: now.toISOString(),
        action: 'SUBMITTED',
        actor: 'test',
      });
      expect(cloud.table.get(`APP#${APP_ID}`, 'APP')?.gsi1sk).toBe(jurisdictionSortKey(app, status));
    }
  });

  it('keeps a pending review in the inbox index and a scored decision in the ranking, never both', async () => {
    const pending = review(now);
    await seedReview(pending);
    const item = cloud.table.get(`APP#${APP_ID}`, `REVIEW#${pending.reviewId}`);
    expect(item).toMatchObject({ gsi2pk: 'REVIEW#PENDING#222400', taskToken: pending.taskToken });
    expect(item?.gsi1pk).toBeUndefined();

    const reviews = new DynamoReviews(documentClient(), TABLE);
    const outcome = await reviews.recordDecision(pending, {
      decision: 'approve',
      scores: FULL_SCORES,
      weightedScore: 80,
      decidedBy: 'review-link',
      decidedAt: now.toISOString(),
      audit: linkAudit(pending, 'approve'),
    });
    expect(outcome.recorded).toBe(true);
    const after = cloud.table.get(`APP#${APP_ID}`, `REVIEW#${pending.reviewId}`);
    expect(after?.gsi2pk).toBeUndefined();
    expect(after).toMatchObject({
      gsi1pk: 'RANK#222400',
      gsi1sk: `${campaign.campaignId}#recommendation#08000#${pending.reviewId}`,
    });

    const again = await reviews.recordDecision(pending, {
      decision: 'reject',
      decidedBy: 'x',
      decidedAt: now.toISOString(),
      audit: linkAudit(pending, 'reject'),
    });
    expect(again).toMatchObject({ recorded: false, current: { decision: 'approve' } });
    // The decision's event was written with it, and the refused one's not at all.
    expect(auditActions()).toEqual(['REVIEW_APPROVED']);
  });

  it('reads the workflow pointers off the application item, tolerating their absence', async () => {
    const reviews = new DynamoReviews(documentClient(), TABLE);
    expect(await reviews.workflowPointers(APP_ID)).toEqual({});
    seed(cloud.table).application(application(now), { executionArn: 'arn:x', resubmissionToken: 'tok' });
    expect(await reviews.workflowPointers(APP_ID)).toEqual({ executionArn: 'arn:x', resubmissionToken: 'tok' });
  });
});

describe('decisions racing', () => {
  it('a province approval that loses to a rejection gives its fresh quota slot back', async () => {
    seed(cloud.table).application(application(now, { status: 'PROVINCE_REVIEW' }));
    const open = review(now, { stage: 'province' });
    await seedReview(open);
    const racing = (store: DynamoReviews): ReviewStore =>
      Object.assign(Object.create(store) as DynamoReviews, {
        recordDecision: async (...args: Parameters<DynamoReviews['recordDecision']>) => {
          // Another reviewer's rejection lands between the quota reservation and this write.
          await store.recordDecision(args[0], {
            decision: 'reject',
            reason: '不符合',
            decidedBy: 'other',
            decidedAt: now.toISOString(),
            audit: linkAudit(args[0], 'reject'),
          });
          return store.recordDecision(...args);
        },
      });
    const desk = makeDesk(() => now, [campaign], { reviews: racing });

    await expect(desk.decide(open.reviewId, link, { decision: 'approve', scores: FULL_SCORES })).rejects.toMatchObject({
      status: 409,
      code: 'ALREADY_DECIDED',
    });
    expect(slotHeld()).toBe(false);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('a retried task that re-armed the review during delivery takes the decision: 200, slot kept', async () => {
    seed(cloud.table).application(application(now, { status: 'PROVINCE_REVIEW' }));
    const request = reviewRequest(now, { stage: 'province', jurisdictionCode: '220000' });
    const open = review(now, { stage: 'province' });
    await seedReview(open);
    const desk = makeDesk(() => now, [campaign]);
    sfn.on(SendTaskSuccessCommand, { taskToken: open.taskToken }).callsFake(async () => {
      await desk.open({ ...request, taskToken: 'task-token-2' });
      throw new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} });
    });

    const view = await desk.decide(open.reviewId, link, { decision: 'approve', scores: FULL_SCORES });

    expect(view.decision).toBe('approve');
    const tokens = sfn.commandCalls(SendTaskSuccessCommand).map((call) => call.args[0].input.taskToken);
    expect(tokens).toEqual([open.taskToken, 'task-token-2']);
    expect(storedReview(open.reviewId)).toMatchObject({ status: 'DECIDED', taskToken: 'task-token-2' });
    expect(slotHeld()).toBe(true);
  });
});

describe('the audit trail names who decided', () => {
  const decisionEvents = () =>
    cloud.table
      .all()
      .filter((item) => item.pk === `APP#${APP_ID}` && String(item.sk).startsWith('AUDIT#'))
      .filter((item) => String(item.action).startsWith('REVIEW_'));

  it("names the registered address a city's link went to, its jurisdiction and the reason", async () => {
    seed(cloud.table).application(application(now, { status: 'CITY_REVIEW' }));
    const open = review(now);
    await seedReview(open);
    await makeDesk(() => now, [campaign]).decide(open.reviewId, link, { decision: 'approve', reason: '材料齐全' });
    expect(decisionEvents()).toEqual([
      expect.objectContaining({
        action: 'REVIEW_APPROVED',
        actor: 'reviewer@yanbian.example.gov.cn',
        role: 'reviewer',
        jurisdiction: '222400',
        reason: '材料齐全',
        detail: expect.objectContaining({
          reviewId: open.reviewId,
          stage: 'city',
          decision: 'approve',
          via: 'emailed link',
        }),
      }),
    ]);
  });

  it("names the signed-in subject of a province's approval, with its score", async () => {
    seed(cloud.table).application(application(now, { status: 'PROVINCE_REVIEW' }));
    const open = review(now, { stage: 'province' });
    await seedReview(open);
    await makeDesk(() => now, [campaign]).decide(
      open.reviewId,
      { kind: 'reviewer', principal: PEOPLE.jilinReviewer },
      { decision: 'approve', scores: FULL_SCORES },
    );
    const [event] = decisionEvents();
    expect(event).toMatchObject({
      action: 'REVIEW_APPROVED',
      actor: PEOPLE.jilinReviewer.sub,
      role: 'reviewer',
      jurisdiction: '220000',
      detail: { stage: 'province', via: 'sign-in', weightedScore: expect.any(Number) as number },
    });
    expect(storedReview(open.reviewId)).toMatchObject({ decidedBy: `user:${PEOPLE.jilinReviewer.sub}` });
  });

  it('records a return and a rejection with their reasons, and nothing for a refused decision', async () => {
    seed(cloud.table).application(application(now, { status: 'CITY_REVIEW' }));
    const open = review(now);
    await seedReview(open);
    const desk = makeDesk(() => now, [campaign]);
    await desk.decide(open.reviewId, link, { decision: 'return', reason: '请补充佐证材料' });
    await expect(desk.decide(open.reviewId, link, { decision: 'reject', reason: '不符合' })).rejects.toMatchObject({
      status: 409,
    });
    expect(decisionEvents().map((e) => [e.action, e.reason])).toEqual([['REVIEW_RETURNED', '请补充佐证材料']]);
  });

  it("records a signed-in reviewer's display name beside the subject on a return; a link holder has none", async () => {
    seed(cloud.table).application(application(now, { status: 'CITY_REVIEW' }));
    const open = review(now);
    await seedReview(open);
    const named = { ...PEOPLE.yanbianReviewer, name: '王审核' };
    await makeDesk(() => now, [campaign]).decide(
      open.reviewId,
      { kind: 'reviewer', principal: named },
      { decision: 'return', reason: '请补充佐证材料' },
    );
    expect(decisionEvents()).toEqual([
      expect.objectContaining({ action: 'REVIEW_RETURNED', actor: named.sub, actorName: '王审核', role: 'reviewer' }),
    ]);
    expect(linkAudit(open, 'approve')).not.toHaveProperty('actorName');
  });

  it('records no name for a token whose name claim is blank', async () => {
    seed(cloud.table).application(application(now, { status: 'CITY_REVIEW' }));
    const open = review(now);
    await seedReview(open);
    await makeDesk(() => now, [campaign]).decide(
      open.reviewId,
      { kind: 'reviewer', principal: { ...PEOPLE.yanbianReviewer, name: '  ' } },
      { decision: 'approve' },
    );
    const [event] = decisionEvents();
    expect(event).toMatchObject({ actor: PEOPLE.yanbianReviewer.sub });
    expect(event).not.toHaveProperty('actorName');
  });
});

describe("Jilin's city states whether a provincial candidate is also recommended nationally", () => {
  const jilinCampaign = alsoNationalCampaignAt(now);
  const appItem = () => cloud.table.get(`APP#${APP_ID}`, 'APP');

  it('requires the statement to approve (400 naming alsoNational), and stores it on the review and the application', async () => {
    seed(cloud.table).application(application(now, { status: 'CITY_REVIEW' }));
    const open = review(now);
    await seedReview(open);
    const desk = makeDesk(() => now, [jilinCampaign]);
    await expect(desk.decide(open.reviewId, link, { decision: 'approve' })).rejects.toMatchObject({
      status: 400,
      details: [expect.objectContaining({ field: 'alsoNational', code: 'ALSO_NATIONAL_REQUIRED' })],
    });
    expect(storedReview(open.reviewId).status).toBe('PENDING');

    await desk.decide(open.reviewId, link, { decision: 'approve', alsoNational: false });
    expect(storedReview(open.reviewId).alsoNational).toBe(false);
    expect(appItem()?.alsoNational).toBe(false);
    expect(cloud.table.all().find((item) => item.action === 'REVIEW_APPROVED')?.detail).toMatchObject({
      alsoNational: false,
    });
  });

  it('needs no statement to return, and keeps none given at a city whose province does not ask', async () => {
    seed(cloud.table).application(application(now, { status: 'CITY_REVIEW' }));
    const open = review(now);
    await seedReview(open);
    await makeDesk(() => now, [jilinCampaign]).decide(open.reviewId, link, { decision: 'return', reason: '补充材料' });
    expect(storedReview(open.reviewId).decision).toBe('return');

    cloud.emptyTable();
    seed(cloud.table).application(application(now, { status: 'CITY_REVIEW' }));
    await seedReview(open);
    await makeDesk(() => now, [campaign]).decide(open.reviewId, link, { decision: 'approve', alsoNational: true });
    expect(storedReview(open.reviewId).alsoNational).toBeUndefined();
    expect(appItem()?.alsoNational).toBeUndefined();
  });

  it("asks on the city's page, and shows the statement on the province's", async () => {
    seed(cloud.table).application(application(now, { status: 'CITY_REVIEW' }));
    const cityReview = review(now);
    await seedReview(cityReview);
    const desk = makeDesk(() => now, [jilinCampaign]);
    const cityPage = renderReviewPage(await desk.page(cityReview.reviewId, link)).body;
    expect(cityPage).toContain('name="alsoNational" value="true"');
    await desk.decide(cityReview.reviewId, link, { decision: 'approve', alsoNational: true });

    const decided = appItem();
    seed(cloud.table).application(
      application(now, { status: 'PROVINCE_REVIEW', alsoNational: decided?.alsoNational as boolean }),
    );
    const provinceReview = review(now, { stage: 'province' });
    await seedReview(provinceReview);
    const provincePage = renderReviewPage(await desk.page(provinceReview.reviewId, link)).body;
    expect(provincePage).not.toContain('name="alsoNational"');
    expect(provincePage).toContain('data-also-national="true"');
    expect(provincePage).toContain('是：同时推荐申报国家级');
  });
});

describe('a resubmission’s review page', () => {
  it('shows what this level asked for when it returned the application, and nothing on a first round', async () => {
    seed(cloud.table).application(application(now, { status: 'CITY_REVIEW' }));
    const returned = review(now, {
      round: 1,
      status: 'DECIDED',
      decision: 'return',
      reason: '佐证材料中2024年产值与申报表不一致',
      decidedBy: 'review-link',
      decidedAt: '2026-05-30T02:00:00.000Z',
    });
    // Another level's return is not this level's request.
    const provinceReturned = review(now, {
      stage: 'province',
      round: 1,
      status: 'DECIDED',
      decision: 'return',
      reason: '省级意见',
      decidedBy: 'review-link',
      decidedAt: '2026-05-29T02:00:00.000Z',
    });
    const resubmitted = review(now, { round: 2, taskToken: 'task-token-2' });
    for (const r of [returned, provinceReturned, resubmitted]) await seedReview(r);
    const desk = makeDesk(() => now, [campaign]);

    const page = renderReviewPage(await desk.page(resubmitted.reviewId, link)).body;
    expect(page).toContain('id="earlier-returns"');
    expect(page).toContain('<li data-round="1">');
    expect(page).toContain('佐证材料中2024年产值与申报表不一致');
    expect(page).not.toContain('省级意见');

    cloud.emptyTable();
    seed(cloud.table).application(application(now, { status: 'CITY_REVIEW' }));
    const first = review(now);
    await seedReview(first);
    expect(renderReviewPage(await desk.page(first.reviewId, link)).body).not.toContain('earlier-returns');
  });
});

describe('withdrawal edge cases', () => {
  it('when the pending task is gone, ends the execution itself', async () => {
    const executionArn = 'arn:aws-cn:states:cn-north-1:1:execution:Ladder:x';
    seed(cloud.table).application(application(now), { executionArn });
    await seedReview(review(now));
    sfn.on(SendTaskFailureCommand).rejects(new TaskDoesNotExist({ message: 'gone', $metadata: {} }));

    const result = await makeDesk(() => now, [campaign]).withdraw(APP_ID, {}, caller);

    expect(result).toMatchObject({ status: 'WITHDRAWN', via: 'stop-execution' });
    expect(sfn).toHaveReceivedCommandWith(StopExecutionCommand, { executionArn, error: 'Withdrawn' });
    expect(cloud.table.get(`APP#${APP_ID}`, 'APP')?.status).toBe('WITHDRAWN');
  });

  it('when failing the task errors otherwise, reopens the review and reports the error', async () => {
    seed(cloud.table).application(application(now));
    const open = review(now);
    await seedReview(open);
    sfn.on(SendTaskFailureCommand).rejects(new Error('ThrottlingException'));

    await expect(makeDesk(() => now, [campaign]).withdraw(APP_ID, {}, caller)).rejects.toThrow('ThrottlingException');

    expect(storedReview(open.reviewId)).toMatchObject({ status: 'PENDING' });
    expect(storedReview(open.reviewId).closedReason).toBeUndefined();
    expect(cloud.table.get(`APP#${APP_ID}`, `REVIEW#${open.reviewId}`)?.gsi2pk).toBe('REVIEW#PENDING#222400');
    expect(cloud.table.get(`APP#${APP_ID}`, 'APP')?.status).toBe('CITY_REVIEW');
  });
});
