import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepSummary } from '../../shared/operations/sweep-summary.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { type ApiClient, reviewLinkIn } from '../../local/client/index.ts';
import {
  anonymous,
  as,
  asOperator,
  sentEmails,
  type StoredEmail,
  startTestStack,
  type TestStack,
  whenTaskWaiting,
} from './harness.ts';
import * as steps from './steps.ts';
import { asBeforeSteps, DUNHUA } from './steps.ts';

/**
 * The sweeper against the real local stack (DynamoDB Local, the local SES, the review ladder on
 * the local Step Functions): a county files and submits; the city's review waits; the sweeper
 * runs on a fake clock around the city's deadline and reminds exactly once per threshold, also
 * when five sweeps run at once, and at the last threshold tells the province. The reminder's
 * fresh link opens the review page, and so does the original one. Resending is allowed once per
 * ten minutes, and only for the reviewers of the review's own jurisdiction.
 */
const DAY = 86_400_000;
const campaign = asBeforeSteps(demoCampaign(new Date()));
let stack: TestStack;
let makeSweeper: (clock: () => Date) => { sweep(): Promise<SweepSummary> };

beforeAll(async () => {
  // The sweeper's own timer stays off (every hour, never reached here); the test drives runs itself.
  stack = await startTestStack({ schedules: { everyMs: 60 * 60_000 } });
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
  // Imported after the stack set the environment: the clients reach the stand-ins.
  const { wireSweeper } = await import('../../shared/composition/operations.ts');
  makeSweeper = (clock) => wireSweeper({ clock }).sweeper;
});

afterAll(async () => {
  await stack?.cleanup();
});

const fileAndSubmit = (clusterName: string) => steps.fileAndSubmit(stack, campaign, { ...DUNHUA, clusterName });

const linkIn = (email: StoredEmail | undefined) => {
  const link = reviewLinkIn(email);
  if (!link) throw new Error(`no review link in ${email?.subject}`);
  return { reviewId: link.reviewId, secret: link.secret };
};
/** Opens a review page as the link's holder (no one signed in). */
const openPage = (link: { reviewId: string; secret: string }) =>
  anonymous(stack).reviewPage(link.reviewId, link.secret);
const CITY_REVIEWERS = 'reviewers+222400@clusters.localhost';
const PROVINCE_REVIEWERS = 'reviewers+220000@clusters.localhost';

describe('the sweeper on the local stack', () => {
  let applicationId: string;
  let reviewId: string;
  let original: { reviewId: string; secret: string };
  let deadline: number;
  let mailBefore: number;
  /** A reviewer of the city whose review it is (the review's stage on the application's review chain). */
  let cityReviewer: ApiClient;
  const at = (daysBefore: number) => () => new Date(deadline - daysBefore * DAY);
  const newMail = async () => (await sentEmails(stack)).slice(mailBefore);

  beforeAll(async () => {
    applicationId = await fileAndSubmit('敦化市医药产业集群（提醒）');
    await whenTaskWaiting(
      stack,
      (task) => task.executionArn.includes(applicationId) && task.stateName === 'RequestReview',
    );
    const requests = (await sentEmails(stack)).filter((email) => email.destination.to.includes(CITY_REVIEWERS));
    original = linkIn(requests.at(-1));
    reviewId = original.reviewId;
    // <applicationId>.<stage>.…: the stage's jurisdiction is on the application's review chain.
    const stage = reviewId.slice(applicationId.length + 1).split('.')[0];
    const application = await (await asOperator(stack)).getApplication(applicationId);
    const jurisdiction = application.body.reviewChain.find((s) => s.stage === stage)?.jurisdictionCode;
    expect(jurisdiction).toBe('222400');
    cityReviewer = await as(stack, 'reviewer', '222400');
    const inbox = await cityReviewer.inbox({ status: 'PENDING', jurisdiction: '222400' });
    const pending = inbox.body.reviews.find((review) => review.reviewId === reviewId);
    if (!pending) throw new Error('the city review is not in the inbox');
    deadline = Date.parse(pending.deadline);
    // The demo city deadline (Jilin: 21 days ahead) leaves room for the whole 7-day series.
    expect(deadline - Date.now()).toBeGreaterThan(8 * DAY);
    mailBefore = (await sentEmails(stack)).length;
  });

  it('8 days before the deadline: nothing', async () => {
    const summary = await makeSweeper(at(8)).sweep();
    expect(summary).toMatchObject({ remindersSent: 0, escalationsSent: 0, failed: 0 });
    expect(summary.campaigns).toContain(campaign.campaignId);
    expect(summary.pending.city).toBeGreaterThanOrEqual(1);
    expect(await newMail()).toEqual([]);
  });

  it('6 days before: one reminder to the city reviewers, with a fresh link; a second sweep adds nothing', async () => {
    expect(await makeSweeper(at(6)).sweep()).toMatchObject({ remindersSent: 1, escalationsSent: 0, failed: 0 });
    const mail = await newMail();
    expect(mail).toHaveLength(1);
    expect(mail[0]?.destination.to).toEqual([CITY_REVIEWERS]);
    expect(mail[0]?.subject).toContain('审核提醒');
    expect(mail[0]?.body.text).toContain('敦化市医药产业集群（提醒）');
    const fresh = linkIn(mail[0]);
    expect(fresh.reviewId).toBe(reviewId);
    expect(fresh.secret).not.toBe(original.secret);

    expect(await makeSweeper(at(6)).sweep()).toMatchObject({ remindersSent: 0, skipped: 1 });
    expect(await newMail()).toHaveLength(1);
  });

  it('five sweeps at once, 2.5 days before: exactly one more reminder', async () => {
    const summaries = await Promise.all(Array.from({ length: 5 }, () => makeSweeper(at(2.5)).sweep()));
    expect(summaries.reduce((sum, summary) => sum + summary.remindersSent, 0)).toBe(1);
    expect(summaries.reduce((sum, summary) => sum + summary.failed, 0)).toBe(0);
    const mail = await newMail();
    expect(mail).toHaveLength(2);
    expect(mail[1]?.destination.to).toEqual([CITY_REVIEWERS]);
  });

  it('half a day before: the 1-day reminder, and one escalation to the province', async () => {
    expect(await makeSweeper(at(0.5)).sweep()).toMatchObject({ remindersSent: 1, escalationsSent: 1, failed: 0 });
    const mail = (await newMail()).slice(2);
    expect(mail).toHaveLength(2);
    const reminder = mail.find((email) => email.destination.to.includes(CITY_REVIEWERS));
    const escalation = mail.find((email) => email.destination.to.includes(PROVINCE_REVIEWERS));
    expect(reminder?.subject).toContain('剩余不足 1 天');
    expect(escalation?.subject).toContain('临期督办');
    expect(escalation?.body.text).toContain('延边朝鲜族自治州（222400）尚未完成');
    expect(escalation?.body.text).not.toContain('?t=');

    // Nothing more at any later sweep before the deadline, however many.
    await Promise.all([makeSweeper(at(0.4)).sweep(), makeSweeper(at(0.1)).sweep()]);
    expect(await newMail()).toHaveLength(4);
  });

  it('the audit trail records each reminder, the escalation and the reissued links', async () => {
    const history = await (await asOperator(stack)).history(applicationId);
    const reminders = history.body.events.filter((event) => event.action === 'REMINDER_SENT');
    // Events of one sweep share their time: compare without their order.
    expect(reminders.map((event) => `${String(event.detail?.kind)}:${String(event.detail?.threshold)}`).sort()).toEqual(
      ['escalation:1', 'review:1', 'review:3', 'review:7'],
    );
    expect(reminders.every((event) => event.role === 'scheduler')).toBe(true);
    expect(history.body.events.filter((event) => event.action === 'LINK_REISSUED')).toHaveLength(3);
    expect(JSON.stringify(history.body)).not.toContain('@clusters.localhost');
  });

  it("the reminder's fresh link opens the review page, and the original emailed link still does", async () => {
    const reminders = (await newMail()).filter((email) => email.destination.to.includes(CITY_REVIEWERS));
    for (const link of [...reminders.map(linkIn), original]) {
      const page = await openPage(link);
      expect(page.status).toBe(200);
      expect(page.text).toContain('敦化市医药产业集群（提醒）');
    }
    const forged = await openPage({ reviewId, secret: 'x'.repeat(43) });
    expect(forged.status).toBe(403);
  });

  it('resend: 202 to the registered reviewers, then refused within ten minutes', async () => {
    // Nobody chooses the address: a body naming one is refused, and nothing is sent.
    const steered = await cityReviewer.raw('POST', `/v1/reviews/${reviewId}/resend`, {
      to: 'someone@elsewhere.example',
    });
    expect(steered.status).toBe(400);
    const first = await cityReviewer.resend(reviewId);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ reviewId, sentTo: 1 });
    const resent = (await newMail()).at(-1);
    expect(resent?.destination.to).toEqual([CITY_REVIEWERS]);
    const link = linkIn(resent);
    expect((await openPage(link)).status).toBe(200);

    const again = await cityReviewer.resend(reviewId);
    expect(again.status).toBe(429);
    expect(again.error.code).toBe('RESEND_TOO_SOON');
    expect((await cityReviewer.resend(`${applicationId}.city.9.9`)).status).toBe(404);
  });

  it('resend by a reviewer of another city (长春市 220100) is forbidden, and sends nothing', async () => {
    // After the resend above, so a missing check cannot spend the city's ten-minute allowance.
    const before = (await sentEmails(stack)).length;
    const changchun = await (await as(stack, 'reviewer', '220100')).resend(reviewId);
    expect(changchun.status, changchun.text).toBe(403);
    expect(changchun.error.code).toBe('FORBIDDEN');
    expect((await sentEmails(stack)).length).toBe(before);
  });

  it('the handler module runs on the local schedule, on the real clock: nothing due yet, the backlog counted', async () => {
    const schedules = stack.schedules;
    if (!schedules) throw new Error('the stack runs no schedules');
    const before = (await sentEmails(stack)).length;
    const summary = (await schedules.runNow('sweeper')) as SweepSummary;
    expect(summary).toMatchObject({ remindersSent: 0, escalationsSent: 0, failed: 0 });
    expect(summary.pending.city).toBeGreaterThanOrEqual(1);
    expect((await sentEmails(stack)).length).toBe(before);
  });
});
