import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import { ReviewItems } from '../../shared/adapters/dynamo-reviews/reviews.ts';
import { makeDocumentClient } from '../../shared/composition/clients.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { as, asOperator, startTestStack, type TestStack } from './harness.ts';
import { asBeforeSteps, DUNHUA, fileDraft, ladderExecution, reviewLink, statusOf, submit } from './steps.ts';

/**
 * A stage that times out: the workflow's timeout closes the application (OVERDUE), and the
 * closing, as the close-application function under its synthesized IAM policy, expires the review
 * that was waiting, so it no longer counts as pending anywhere. The city's reviewer sees it apart
 * in the inbox (期限已过), without the button to send its link again.
 */

const clock = new ManualClock();
const campaign = asBeforeSteps(demoCampaign(new Date()));
let stack: TestStack;
let applicationId = '';
let reviewId = '';

beforeAll(async () => {
  stack = await startTestStack({ stepFunctions: { clock: { timers: clock }, retry: { intervalScale: 0 } } });
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
  applicationId = await fileDraft(stack, campaign, { ...DUNHUA, clusterName: '敦化市医药产业集群（逾期）' });
  await submit(stack, applicationId);
  ({ reviewId } = await reviewLink(stack, applicationId, 'city'));
}, 120_000);

afterAll(() => stack?.cleanup());

const storedReview = () =>
  new ReviewItems({ client: makeDocumentClient(), tableName: stack.tableName }).getReview(reviewId);

describe('a stage that times out', () => {
  it('closes the application OVERDUE and expires its pending review, with the close time and reason', async () => {
    const waiting = await storedReview();
    expect(waiting?.status).toBe('PENDING');
    // The callback task's timeout runs on the manual clock: past the city's deadline.
    await clock.advance(Math.max(0, Date.parse(waiting?.deadline ?? '') - clock.now()) + 1_000);
    const done = await stack.stepFunctions.waitForExecution(ladderExecution(stack, applicationId).executionArn, 30_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(await statusOf(stack, applicationId)).toBe('OVERDUE');

    const expired = await storedReview();
    expect(expired).toMatchObject({ status: 'EXPIRED', closedReason: expect.stringMatching(/^逾期不予受理：/) });
    expect(expired?.decision).toBeUndefined();
    expect(Date.parse(expired?.closedAt ?? '')).not.toBeNaN();
  });

  it('lists it in the inbox as lapsed, not pending, and the console page without its resend button', async () => {
    const reviewer = await as(stack, 'reviewer', '222400');
    const inbox = await reviewer.inbox({ status: 'PENDING', jurisdiction: '222400' });
    expect(inbox.status).toBe(200);
    expect(inbox.body.reviews.map((r) => r.reviewId)).not.toContain(reviewId);
    expect(inbox.body.lapsed.map((r) => r.reviewId)).toContain(reviewId);

    const page = await reviewer.raw('GET', '/console/inbox');
    expect(page.status).toBe(200);
    const html = String(page.body);
    const [toDo, lapsed] = html.split('<section id="lapsed">') as [string, string | undefined];
    expect(toDo).toContain('待办 (0)');
    expect(toDo).not.toContain(reviewId);
    expect(lapsed).toContain(`data-review="${reviewId}"`);
    expect(lapsed).not.toContain('/resend');

    // Nor can its link be sent again: the review no longer waits.
    expect((await reviewer.resend(reviewId)).status).toBeGreaterThanOrEqual(400);
  });
});
