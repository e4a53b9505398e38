import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestReviewLink, reviewLinkIn } from '../../local/client/index.ts';
import { messageIdFor } from '../../shared/adapters/smtp-mailer.ts';
import { ENV } from '../../shared/composition/env.ts';
import type { SweepSummary } from '../../shared/operations/sweep-summary.ts';
import { MAIL_ERRORS } from '../../shared/ports/core.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import {
  anonymous,
  as,
  asOperator,
  sentEmails,
  startTestStack,
  type TestStack,
  testClients,
  whenTaskWaiting,
} from './harness.ts';
import * as steps from './steps.ts';
import { asBeforeSteps, DUNHUA } from './steps.ts';

/**
 * Email over SMTP, as in the AWS China regions: the local stack with `mailer: 'smtp'` (the
 * handlers' SmtpMailer against the local SMTP server: STARTTLS, a self-signed certificate it is
 * told to trust, AUTH required). The ladder's emails arrive in the SMTP inbox, none through SES:
 * the city's review link, the sweeper's reminder and the applicant's return notice. A login the
 * server refuses fails the RequestReview step at once (Mail.Refused), visibly and redrivably;
 * once the login is fixed, the redrive emails the link: no email is lost.
 */
const DAY = 86_400_000;
const CITY_REVIEWERS = 'reviewers+222400@clusters.localhost';
const campaign = asBeforeSteps(demoCampaign(new Date()));
let stack: TestStack;
let makeSweeper: (clock: () => Date) => { sweep(): Promise<SweepSummary> };

beforeAll(async () => {
  stack = await startTestStack({ mailer: 'smtp', schedules: { everyMs: 60 * 60_000 } });
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
  const { wireSweeper } = await import('../../shared/composition/operations.ts');
  makeSweeper = (clock) => wireSweeper({ clock }).sweeper;
});

afterAll(async () => {
  await stack?.cleanup();
});

const fileAndSubmit = (clusterName: string) => steps.fileAndSubmit(stack, campaign, { ...DUNHUA, clusterName });
const sender = () => stack.env[ENV.senderEmail] ?? '';

describe('the ladder over SMTP', () => {
  it('starts the SMTP stand-in and points the handlers at it, not at SES', () => {
    expect(stack.mailer).toBe('smtp');
    expect(stack.env[ENV.mailer]).toBe('smtp');
    expect(stack.env[ENV.smtpSettingsFile]).toBe(stack.smtp?.settingsFile);
    expect(stack.endpoints.inbox).toBe(stack.smtp?.inbox);
    expect(stack.endpoints.smtp).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
  });

  it('a review link, a reminder and a return notice arrive in the SMTP inbox', async () => {
    const applicationId = await fileAndSubmit('敦化市医药产业集群（SMTP）');
    const request = await steps.reviewLink(stack, applicationId, 'city');
    expect(request.email).toMatchObject({ from: sender(), destination: { to: [CITY_REVIEWERS] } });
    expect(request.email.subject).toContain('敦化市医药产业集群（SMTP）');
    expect(request.email.body.html).toContain(request.url.replaceAll('&', '&amp;'));
    // The Message-ID names what the email is for: the review's first link.
    expect(request.email.messageId).toBe(messageIdFor(sender(), `review-link/${request.reviewId}/1`).slice(1, -1));
    // The link works: the review page opens for its holder.
    const page = await anonymous(stack).reviewPage(request.reviewId, request.secret);
    expect(page.status, page.text).toBe(200);

    // The sweeper, six days before the city's deadline: a reminder with a fresh link.
    const inbox = await (await as(stack, 'reviewer', '222400')).inbox({ status: 'PENDING', jurisdiction: '222400' });
    const deadline = Date.parse(inbox.body.reviews.find((r) => r.reviewId === request.reviewId)?.deadline ?? '');
    expect(deadline - Date.now()).toBeGreaterThan(7 * DAY);
    const before = (await sentEmails(stack)).length;
    expect(await makeSweeper(() => new Date(deadline - 6 * DAY)).sweep()).toMatchObject({
      remindersSent: 1,
      failed: 0,
    });
    const [reminder, ...more] = (await sentEmails(stack)).slice(before);
    expect(more).toEqual([]);
    expect(reminder?.destination.to).toEqual([CITY_REVIEWERS]);
    expect(reminder?.subject).toContain('审核提醒');
    const fresh = reviewLinkIn(reminder);
    expect(fresh?.reviewId).toBe(request.reviewId);
    expect(fresh?.secret).not.toBe(request.secret);

    // The city returns it through the reminder's link: the applicant is told, over SMTP.
    const returned = await anonymous(stack).decide(request.reviewId, {
      t: fresh?.secret ?? '',
      decision: 'return',
      reason: '请补充2024年产值证明（SMTP）',
    });
    expect(returned.status, returned.text).toBe(200);
    await whenTaskWaiting(
      stack,
      (task) => task.executionArn.includes(applicationId) && task.stateName === 'AwaitResubmission',
    );
    const told = (await sentEmails(stack)).find((email) => email.body.text?.includes('请补充2024年产值证明（SMTP）'));
    expect(told).toMatchObject({ from: sender(), destination: { to: ['sme@example.gov.cn'] } });
    expect(told?.subject).toContain('退回');

    // Nothing went through SES.
    expect(await sentEmails(stack.endpoints.ses)).toEqual([]);
  });

  it('a refused SMTP login fails the review step at once (Mail.Refused), redrivable; fixed, the redrive emails the link', async () => {
    const smtp = stack.smtp;
    if (!smtp) throw new Error('no SMTP stand-in');
    const settings = JSON.parse(await readFile(smtp.settingsFile, 'utf8')) as { username: string; password: string };
    // The provider changed the password; the secret still holds the old one.
    smtp.acceptLogin({ username: settings.username, password: 'changed-at-the-provider' });

    const applicationId = await fileAndSubmit('敦化市医药产业集群（SMTP 登录失败）');
    const [machineArn = ''] = Object.values(stack.stateMachineArns);
    const execution = stack.stepFunctions
      .listExecutions({ stateMachineArn: machineArn })
      .executions.find((e) => e.name.includes(applicationId));
    if (!execution) throw new Error('no execution for the application');
    const failed = await stack.stepFunctions.waitForExecution(execution.executionArn);
    expect(failed).toMatchObject({ status: 'FAILED', error: MAIL_ERRORS.refused });
    expect(failed.cause).toMatch(/535/);
    expect((await sentEmails(stack)).filter((email) => email.subject.includes('SMTP 登录失败'))).toEqual([]);

    // The operator sees it among the failed executions, and can redrive it.
    const operator = await asOperator(stack);
    const summary = await operator.opsSummary({ campaignId: campaign.campaignId });
    const listed = summary.body.failedExecutions.find((e) => e.executionName === execution.name);
    expect(listed).toMatchObject({ error: MAIL_ERRORS.refused });

    // Fixed: the new password goes into the secret (locally its file), then Redrive.
    await writeFile(smtp.settingsFile, JSON.stringify({ ...settings, password: 'changed-at-the-provider' }));
    const waiting = whenTaskWaiting(
      stack,
      (task) => task.executionArn === execution.executionArn && task.stateName === 'RequestReview',
    );
    const redriven = await operator.redrive(execution.name);
    expect(redriven.status, redriven.text).toBe(202);
    await waiting;
    const link = latestReviewLink(await sentEmails(stack), applicationId, 'city');
    expect(link?.email.destination.to).toEqual([CITY_REVIEWERS]);
    expect((await anonymous(stack).reviewPage(link?.reviewId ?? '', link?.secret ?? '')).status).toBe(200);
  });

  it('with nobody registered for the city, emails no one (no guessed address): the review waits, the board warns; registered, a resend sends the link', async () => {
    const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { ReviewerDirectory } = await import('../../shared/adapters/dynamo-reviews/directory.ts');
    const { wireOps } = await import('../../shared/composition/operations.ts');
    const clients = testClients();
    const { doc } = clients;
    try {
      const directory = new ReviewerDirectory({ client: doc, tableName: stack.tableName });
      await doc.send(new DeleteCommand({ TableName: stack.tableName, Key: { pk: 'REVIEWERS', sk: '222400' } }));
      const mailBefore = (await sentEmails(stack)).length;

      const applicationId = await fileAndSubmit('敦化市医药产业集群（未登记审核人员）');
      // The RequestReview task ran and waits for a decision: its token is stored, nothing was sent.
      const task = await whenTaskWaiting(
        stack,
        (t) => t.executionArn.includes(applicationId) && t.stateName === 'RequestReview',
      );
      expect(task.submitted).toBe(true);
      expect((await sentEmails(stack)).slice(mailBefore)).toEqual([]);
      const cityReviewer = await as(stack, 'reviewer', '222400');
      const pending = (await cityReviewer.inbox({ status: 'PENDING', jurisdiction: '222400' })).body.reviews.find((r) =>
        r.reviewId.startsWith(`${applicationId}.`),
      );
      if (!pending) throw new Error('the review is not waiting in the city inbox');

      // The ops board's warning names the city; a resend has nowhere to go yet.
      expect((await wireOps().reviewerGaps()).map((gap) => gap.jurisdictionCode)).toEqual(['222400']);
      const refused = await cityReviewer.resend(pending.reviewId);
      expect(refused.status).toBe(409);
      expect(refused.error.code).toBe('NO_REVIEWER_REGISTERED');

      // Registered: the warning goes, and the resend emails the link over SMTP.
      await directory.putReviewers({ jurisdictionCode: '222400', emails: ['city-reviewer@yanbian.example.gov.cn'] });
      expect(await wireOps().reviewerGaps()).toEqual([]);
      const resent = await cityReviewer.resend(pending.reviewId);
      expect(resent.status, resent.text).toBe(202);
      const link = latestReviewLink(await sentEmails(stack), applicationId, 'city');
      expect(link?.email.destination.to).toEqual(['city-reviewer@yanbian.example.gov.cn']);
      expect((await anonymous(stack).reviewPage(link?.reviewId ?? '', link?.secret ?? '')).status).toBe(200);
    } finally {
      clients.destroy();
    }
  });
});
