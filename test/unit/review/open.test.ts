import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import { reviewKeys } from '../../../shared/adapters/dynamo-reviews/items.ts';
import { ReviewRecordSchema, reviewIdOf } from '../../../shared/schemas/reviews.ts';
import { DecisionOutputSchema } from '../../../shared/ladder/contract.ts';
import { DynamoReviews } from '../../../shared/adapters/dynamo-reviews/store.ts';
import {
  APP_ID,
  application,
  BASE_URL,
  campaignAt,
  documentClient,
  makeDesk,
  review,
  reviewRequest,
  seed,
  sha256,
  TABLE,
} from './fixtures.ts';
import { mockedCloud } from './worlds.ts';

const cloud = mockedCloud();
const { sfn, ses, sentEmails } = cloud;

const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = campaignAt(now);

beforeEach(() => {
  seed(cloud.table).application(application(now));
  seed(cloud.table).reviewers('222400', ['reviewer@yanbian.example.gov.cn']);
});

const desk = () => makeDesk(() => now, [campaign]);
const reviewId = reviewIdOf(reviewRequest(now));
const storedReview = () => {
  const item = cloud.table.get(`APP#${APP_ID}`, `REVIEW#${reviewId}`);
  return item && ReviewRecordSchema.parse(item);
};
const linkSecret = (text: string) => {
  const match = /\/v1\/reviews\/([^?\s"]+)\?t=([A-Za-z0-9_-]+)/.exec(text);
  return match && { reviewId: decodeURIComponent(match[1] ?? ''), secret: match[2] ?? '' };
};

describe('open', () => {
  it('stores the review with the task token and only the hash of the link secret, and emails the link once', async () => {
    const result = await desk().open(reviewRequest(now));
    expect(result).toEqual({ reviewId, emailed: true });

    const emails = sentEmails();
    expect(emails).toHaveLength(1);
    const email = emails[0];
    expect(email?.Destination?.ToAddresses).toEqual(['reviewer@yanbian.example.gov.cn']);
    const text = email?.Content?.Simple?.Body?.Text?.Data ?? '';
    const html = email?.Content?.Simple?.Body?.Html?.Data ?? '';
    const subject = email?.Content?.Simple?.Subject?.Data ?? '';

    const link = linkSecret(text);
    expect(link?.reviewId).toBe(reviewId);
    expect(text).toContain(`${BASE_URL}/v1/reviews/${reviewId}?t=${link?.secret}`);
    expect(html).toContain(`${BASE_URL}/v1/reviews/${reviewId}?t=${link?.secret}`);
    // The task token is never emailed.
    expect(JSON.stringify(email)).not.toContain('task-token-1');
    // Bilingual, the cluster, county, stage and deadline in Beijing time.
    expect(subject).toContain('敦化市医药产业集群');
    expect(text).toContain('敦化市（222403）');
    expect(text).toContain('市级审核');
    expect(text).toContain('City review');
    expect(text).toContain('（北京时间）');
    expect(html).toContain('Open the review page');

    const stored = storedReview();
    expect(stored?.taskToken).toBe('task-token-1');
    expect(stored?.status).toBe('PENDING');
    expect(stored?.secretHash).toBe(sha256(link?.secret ?? ''));
    expect(stored?.secretHash).not.toBe(link?.secret);
    expect(stored?.emailedTo).toEqual(['reviewer@yanbian.example.gov.cn']);
    // The secret itself is nowhere in the table.
    expect(JSON.stringify(cloud.table.all())).not.toContain(link?.secret ?? 'no secret');
    // It waits in the city's inbox, by deadline.
    const item = cloud.table.get(`APP#${APP_ID}`, `REVIEW#${reviewId}`);
    expect(item?.gsi2pk).toBe('REVIEW#PENDING#222400');
    expect(String(item?.gsi2sk)).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT.*Z#${reviewId.replace(/\./g, '\\.')}$`));
  });

  it('a retried task re-arms the same review with its new token and sends no second email', async () => {
    await desk().open(reviewRequest(now));
    const first = storedReview();

    const retried = await desk().open(reviewRequest(now, { taskToken: 'task-token-2' }));

    expect(retried).toEqual({ reviewId, emailed: false });
    expect(sentEmails()).toHaveLength(1);
    const second = storedReview();
    expect(second?.taskToken).toBe('task-token-2');
    expect(second?.attempts).toBe(2);
    // The emailed link keeps working.
    expect(second?.secretHash).toBe(first?.secretHash);
  });

  it('sends a fresh link when the first email never went out', async () => {
    ses.on(SendEmailCommand).rejectsOnce(new Error('SES throttled')).resolves({ MessageId: 'm-2' });
    await expect(desk().open(reviewRequest(now))).rejects.toThrow('SES throttled');
    expect(storedReview()?.emailedAt).toBeUndefined();

    const retried = await desk().open(reviewRequest(now, { taskToken: 'task-token-2' }));

    expect(retried.emailed).toBe(true);
    const [failed, sent] = sentEmails();
    const oldSecret = linkSecret(failed?.Content?.Simple?.Body?.Text?.Data ?? '')?.secret;
    const newSecret = linkSecret(sent?.Content?.Simple?.Body?.Text?.Data ?? '')?.secret ?? '';
    expect(newSecret).not.toBe(oldSecret);
    expect(storedReview()?.secretHash).toBe(sha256(newSecret));
    expect(storedReview()?.taskToken).toBe('task-token-2');
  });

  it('emails no guessed address when the directory names nobody: the review waits, the gap is noted, a resend sends once someone is registered', async () => {
    cloud.table.items.clear();
    seed(cloud.table).application(application(now));
    const result = await desk().open(reviewRequest(now));

    expect(result).toEqual({ reviewId, emailed: false });
    expect(sentEmails()).toHaveLength(0);
    // The review is open with its task token (the workflow waits on it), never marked emailed.
    expect(storedReview()).toMatchObject({ status: 'PENDING', taskToken: 'task-token-1', emailedTo: [] });
    expect(storedReview()?.emailedAt).toBeUndefined();
    // The gap the ops console lists (and the alarm's metric counts).
    expect(cloud.table.get('REVIEWER_GAPS', '222400')).toMatchObject({
      jurisdictionCode: '222400',
      firstSeenAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      reviewId,
    });

    // Someone is registered: the gap closes, and a reissued link goes to them.
    await new DynamoReviews(documentClient(), TABLE).putReviewers({
      jurisdictionCode: '222400',
      emails: ['reviewer@yanbian.example.gov.cn'],
    });
    expect(cloud.table.get('REVIEWER_GAPS', '222400')).toBeUndefined();
    await desk().reissueLink(reviewId, {
      reason: 'resend',
      actor: { id: 'reviewer-222400', role: 'reviewer', jurisdiction: '222400', requestId: 'req-1' },
    });
    expect(sentEmails().map((email) => email.Destination?.ToAddresses)).toEqual([['reviewer@yanbian.example.gov.cn']]);
  });

  it('hands a retried task the decision already recorded, without email', async () => {
    cloud.table.put({
      ...reviewKeys.review(APP_ID, reviewId),
      ...review(now, {
        status: 'DECIDED',
        decision: 'return',
        reason: '补充2024年产值证明',
        decidedBy: 'review-link',
        decidedAt: now.toISOString(),
      }),
    });

    await desk().open(reviewRequest(now, { taskToken: 'task-token-2' }));

    expect(sentEmails()).toHaveLength(0);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    const input = sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input;
    expect(input?.taskToken).toBe('task-token-2');
    expect(DecisionOutputSchema.parse(JSON.parse(input?.output ?? '{}'))).toMatchObject({
      reviewId,
      decision: 'return',
      reason: '补充2024年产值证明',
    });
  });

  it('fails the task of a withdrawn application with the workflow error, opening nothing', async () => {
    seed(cloud.table).application(application(now, { status: 'WITHDRAWN' }));

    await desk().open(reviewRequest(now));

    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, { taskToken: 'task-token-1', error: 'Withdrawn' });
    expect(sentEmails()).toHaveLength(0);
    expect(storedReview()).toBeUndefined();
  });

  it('refuses a request that breaks the contract, naming the field', async () => {
    await expect(desk().open({ ...reviewRequest(now), taskToken: '' })).rejects.toMatchObject({
      status: 400,
      details: [expect.objectContaining({ field: 'request.taskToken' })],
    });
    expect(sentEmails()).toHaveLength(0);
  });
});
