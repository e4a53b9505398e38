import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import { ReviewRecordSchema, reviewIdOf } from '../../../shared/schemas/reviews.ts';
import {
  APP_ID,
  application,
  campaignAt,
  makeDesk,
  review,
  reviewRequest,
  seed,
  seedReview,
} from '../review/fixtures.ts';
import { mockedCloud } from '../review/worlds.ts';

/**
 * RequestReview delivered more than once (Lambda and Step Functions run a task at least once):
 * the review desk opens one review, sends one link, and keeps the token of the task that waits.
 *
 * - the same invocation twice, at once: the second finds the first's review (same token) before
 *   its email is recorded, and sends nothing;
 * - a late duplicate of an earlier attempt, whose token no longer waits (its invocation outlived
 *   the caller's timeout and the state machine retried): it changes nothing, before or after the
 *   retry;
 * - the invocation's own write whose answer was lost: it still sends its link, once.
 */

const cloud = mockedCloud();
const { sfn, sentEmails } = cloud;

const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = campaignAt(now);
const reviewId = reviewIdOf(reviewRequest(now));

beforeEach(() => {
  seed(cloud.table).application(application(now));
  seed(cloud.table).reviewers('222400', ['reviewer@yanbian.example.gov.cn']);
});

const desk = () => makeDesk(() => now, [campaign]);
const storedReview = () => ReviewRecordSchema.parse(cloud.table.get(`APP#${APP_ID}`, `REVIEW#${reviewId}`));

describe('RequestReview delivered twice', () => {
  it('the same task token at once: one review, one email, the link that was sent works', async () => {
    const results = await Promise.all([desk().open(reviewRequest(now)), desk().open(reviewRequest(now))]);

    expect(results.map((r) => r.emailed).sort()).toEqual([false, true]);
    expect(sentEmails()).toHaveLength(1);
    const text = sentEmails()[0]?.Content?.Simple?.Body?.Text?.Data ?? '';
    const secret = /\?t=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
    // The stored hash is the emailed link's: the duplicate replaced nothing.
    const page = await desk().page(reviewId, { kind: 'link', secret });
    expect(page.state).toBe('open');
    expect(storedReview()).toMatchObject({ taskToken: reviewRequest(now).taskToken, status: 'PENDING' });
  });

  it('a late duplicate of an earlier attempt (its token no longer waits) changes nothing', async () => {
    const waiting = review(now, { taskToken: 'task-token-2', attempts: 2 });
    await seedReview(waiting);
    sfn
      .on(SendTaskHeartbeatCommand, { taskToken: 'task-token-1' })
      .rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));

    const late = await desk().open(reviewRequest(now, { taskToken: 'task-token-1' }));

    expect(late).toEqual({ reviewId, emailed: false });
    expect(storedReview()).toMatchObject({ taskToken: 'task-token-2', attempts: 2, secretHash: waiting.secretHash });
    expect(sentEmails()).toHaveLength(0);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(sfn).not.toHaveReceivedCommand(SendTaskFailureCommand);
  });

  it('a late duplicate that comes first opens nothing and emails nobody; the retry does', async () => {
    sfn
      .on(SendTaskHeartbeatCommand, { taskToken: 'task-token-1' })
      .rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));

    expect(await desk().open(reviewRequest(now, { taskToken: 'task-token-1' }))).toEqual({ reviewId, emailed: false });
    expect(cloud.table.get(`APP#${APP_ID}`, `REVIEW#${reviewId}`)).toBeUndefined();
    expect(await desk().open(reviewRequest(now, { taskToken: 'task-token-2' }))).toEqual({ reviewId, emailed: true });
    expect(storedReview()).toMatchObject({ taskToken: 'task-token-2', attempts: 1 });
    expect(sentEmails()).toHaveLength(1);
  });

  it('a retry whose predecessor is gone re-arms the review with its token (no second email)', async () => {
    await seedReview(review(now, { taskToken: 'task-token-1' }));

    const retried = await desk().open(reviewRequest(now, { taskToken: 'task-token-2' }));

    expect(retried).toEqual({ reviewId, emailed: false });
    expect(storedReview()).toMatchObject({ taskToken: 'task-token-2', attempts: 2 });
    expect(sentEmails()).toHaveLength(0);
  });

  it('its own review, whose write answered with an error: the link still goes out, once', async () => {
    const lostAnswer = makeDesk(() => now, [campaign], {
      reviews: (store) =>
        Object.assign(Object.create(store) as typeof store, {
          createReview: async (record: Parameters<typeof store.createReview>[0]) => {
            await store.createReview(record);
            return false; // written, but the caller was told it exists already
          },
        }),
    });

    const opened = await lostAnswer.open(reviewRequest(now));

    expect(opened).toEqual({ reviewId, emailed: true });
    expect(sentEmails()).toHaveLength(1);
    expect(storedReview().emailedAt).toBeDefined();
  });
});
