import { SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { quotaKeys } from '../../../shared/adapters/dynamo-quota.ts';
import { withoutKeys } from '../../../shared/adapters/dynamo-util.ts';
import { DECISION_NOT_TAKEN_ACTOR, REHANDOVER_AFTER_MS } from '../../../shared/review/decide.ts';
import { AuditEventSchema } from '../../../shared/schemas/records.ts';
import { ReviewRecordSchema } from '../../../shared/schemas/reviews.ts';
import {
  APP_ID,
  application,
  campaignAt,
  FULL_SCORES,
  makeDesk,
  review,
  reviewRequest,
  SECRET,
  seed,
  seedReview,
} from '../review/fixtures.ts';
import { mockedCloud } from '../review/worlds.ts';

/**
 * A decision whose SendTaskSuccess finds the task's token gone while the application still waits
 * at that stage: the attempt that opened the review failed after opening it (its answer lost), and
 * Step Functions retries the task with a new token. The decision stands (200, the quota slot kept)
 * and the retried task takes it when it re-arms the review — it is neither lost nor refused.
 */

const cloud = mockedCloud();
const { sfn } = cloud;

const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = campaignAt(now);

const slotHeld = () => {
  const slot = quotaKeys.slot(campaign.campaignId, 'recommendation', 'provincial', '220000', APP_ID);
  return cloud.table.get(slot.pk, slot.sk) !== undefined;
};

describe('a decision that finds its task gone', () => {
  const open = review(now, { stage: 'province', jurisdictionCode: '220000' });
  const gone = () =>
    sfn
      .on(SendTaskSuccessCommand, { taskToken: open.taskToken })
      .rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));

  it('stands while the application waits at the stage: the retried task takes it', async () => {
    seed(cloud.table).application(
      application(now, { status: 'PROVINCE_REVIEW', stage: 'province', round: open.round }),
    );
    await seedReview(open);
    gone();
    const desk = makeDesk(() => now, [campaign]);

    const view = await desk.decide(
      open.reviewId,
      { kind: 'link', secret: SECRET },
      { decision: 'approve', scores: FULL_SCORES },
    );

    expect(view.decision).toBe('approve');
    expect(slotHeld()).toBe(true);
    const item = ReviewRecordSchema.parse(cloud.table.get(`APP#${APP_ID}`, `REVIEW#${open.reviewId}`));
    expect(item.status).toBe('DECIDED');

    // Step Functions' retry of RequestReview re-arms the review and is handed the decision.
    await desk.open({
      ...reviewRequest(now, { stage: 'province', jurisdictionCode: '220000' }),
      taskToken: 'task-token-2',
    });
    const delivered = sfn.commandCalls(SendTaskSuccessCommand).map((call) => call.args[0].input);
    expect(delivered.map((input) => input.taskToken)).toEqual([open.taskToken, 'task-token-2']);
    expect(JSON.parse(delivered[1]?.output ?? '{}')).toMatchObject({ reviewId: open.reviewId, decision: 'approve' });
  });

  it('is refused (410, slot freed) once the application has left the stage', async () => {
    seed(cloud.table).application(application(now, { status: 'OVERDUE', stage: 'province', round: open.round }));
    await seedReview(open);
    gone();
    const desk = makeDesk(() => now, [campaign]);

    await expect(
      desk.decide(open.reviewId, { kind: 'link', secret: SECRET }, { decision: 'approve', scores: FULL_SCORES }),
    ).rejects.toMatchObject({ status: 410, code: 'REVIEW_EXPIRED' });
    expect(slotHeld()).toBe(false);
    // The trail keeps the approval, and says beside it that it did not take effect.
    const trail = cloud.table
      .all()
      .filter((item) => item.pk === `APP#${APP_ID}` && String(item.sk).startsWith('AUDIT#'))
      .map((item) => AuditEventSchema.parse(withoutKeys(item)));
    expect(trail.map((event) => event.action)).toEqual(['REVIEW_APPROVED', 'DECISION_NOT_TAKEN']);
    expect(trail[1]).toMatchObject({
      actor: DECISION_NOT_TAKEN_ACTOR,
      role: 'workflow',
      jurisdiction: '220000',
      detail: { reviewId: open.reviewId, decision: 'approve' },
    });
    expect(trail[1]?.reason).toContain('决定未生效');
  });
});

describe('a decision recorded but never handed over', () => {
  it('is handed over by a repeated POST once it is older than REHANDOVER_AFTER_MS (still 409)', async () => {
    const open = review(now, { stage: 'city' });
    seed(cloud.table).application(application(now, { status: 'CITY_REVIEW', stage: 'city', round: open.round }));
    await seedReview(open);
    // The first request's SendTaskSuccess fails for good (its SDK retries exhausted): 500.
    sfn.on(SendTaskSuccessCommand).rejectsOnce(new Error('ServiceUnavailable')).resolves({});
    let at = now;
    const desk = makeDesk(() => at, [campaign]);
    await expect(desk.decide(open.reviewId, { kind: 'link', secret: SECRET }, { decision: 'approve' })).rejects.toThrow(
      'ServiceUnavailable',
    );

    // The reviewer's immediate retry: 409, and nothing handed over (the first request may still be at it).
    await expect(
      desk.decide(open.reviewId, { kind: 'link', secret: SECRET }, { decision: 'approve' }),
    ).rejects.toMatchObject({
      status: 409,
      code: 'ALREADY_DECIDED',
    });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);

    at = new Date(now.getTime() + REHANDOVER_AFTER_MS + 1_000);
    await expect(
      desk.decide(open.reviewId, { kind: 'link', secret: SECRET }, { decision: 'approve' }),
    ).rejects.toMatchObject({
      status: 409,
    });
    const calls = sfn.commandCalls(SendTaskSuccessCommand).map((call) => call.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.taskToken).toBe(open.taskToken);
    expect(JSON.parse(calls[1]?.output ?? '{}')).toMatchObject({ reviewId: open.reviewId, decision: 'approve' });
  });
});
