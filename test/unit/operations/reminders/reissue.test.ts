import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoReviews } from '../../../../shared/adapters/dynamo-reviews/store.ts';
import { decisionAudit } from '../../../../shared/review/decision-audit.ts';
import { NotFoundError } from '../../../../shared/platform/errors.ts';
import { NoReviewerRegisteredError, ResendTooSoonError, ReviewGoneError } from '../../../../shared/review/errors.ts';
import { AuditEventSchema } from '../../../../shared/schemas/records.ts';
import { ReviewRecordSchema } from '../../../../shared/schemas/reviews.ts';
import type { Principal } from '../../../../shared/platform/auth/principal.ts';
import {
  APP_ID,
  application,
  campaignAt,
  documentClient,
  makeDesk,
  review,
  SECRET,
  seed,
  seedReview,
  sha256,
  TABLE,
} from '../../review/fixtures.ts';
import { mockedCloud, reviewsFunction } from '../../review/worlds.ts';
import { claimsOf, PEOPLE } from '../../support.ts';

/**
 * Reissued review links (reminders and POST /v1/reviews/{id}/resend): a fresh secret whose hash
 * joins the review's, every earlier link still working (up to the cap), the audit event with the
 * hash write, and a resend limited to one per cooldown, to registered addresses only.
 */
const cloud = mockedCloud({ functionEnv: true });

let now = new Date('2026-06-01T02:00:00.000Z');
const clock = () => now;
const campaign = campaignAt(now);
const REVIEW_ID = review(now).reviewId;
const scheduler = { id: 'sweeper', role: 'scheduler' as const, requestId: 'sweep-1' };
const asker = { principal: PEOPLE.yanbianReviewer, requestId: 'req-1' };
const LINK = /\/v1\/reviews\/([^?\s"<>]+)\?t=([A-Za-z0-9_%-]+)/;

beforeEach(async () => {
  now = new Date('2026-06-01T02:00:00.000Z');
  seed(cloud.table).campaign(campaign);
  seed(cloud.table).application(application(now));
  seed(cloud.table).reviewers('222400', ['reviewers+222400@clusters.example.gov.cn']);
  await seedReview(review(now));
});

const emails = cloud.sentEmails;
const lastLink = () => {
  const text = emails().at(-1)?.Content?.Simple?.Body?.Text?.Data ?? '';
  const match = LINK.exec(text);
  if (!match?.[2]) throw new Error('no link in the last email');
  return { reviewId: decodeURIComponent(match[1] ?? ''), secret: decodeURIComponent(match[2]) };
};
const stored = () => ReviewRecordSchema.parse(cloud.table.get(`APP#${APP_ID}`, `REVIEW#${REVIEW_ID}`));
const audits = () =>
  cloud.table
    .all()
    .filter((item) => String(item.sk).startsWith('AUDIT#'))
    .map((item) => AuditEventSchema.parse(item));
const opens = async (desk: ReturnType<typeof makeDesk>, secret: string) =>
  (await desk.page(REVIEW_ID, { kind: 'link', secret })).state;

describe('reissueLink', () => {
  it('with nobody registered for the jurisdiction sends nothing to a guessed address: 409 NO_REVIEWER_REGISTERED, no new link stored, the gap noted', async () => {
    cloud.table.items.clear();
    seed(cloud.table).campaign(campaign);
    seed(cloud.table).application(application(now));
    await seedReview(review(now));
    const desk = makeDesk(clock, [campaign]);
    const refused = await desk
      .reissueLink(REVIEW_ID, { reason: 'reminder', actor: scheduler })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NoReviewerRegisteredError);
    expect(refused).toMatchObject({ status: 409, code: 'NO_REVIEWER_REGISTERED' });
    expect(emails()).toHaveLength(0);
    expect(stored().extraSecretHashes ?? []).toEqual([]);
    expect(audits().filter((event) => event.action === 'LINK_REISSUED')).toEqual([]);
    expect(cloud.table.get('REVIEWER_GAPS', '222400')).toMatchObject({
      jurisdictionCode: '222400',
      reviewId: REVIEW_ID,
    });
  });

  it('mails a fresh link to the same review; the new link and the original both open it', async () => {
    const desk = makeDesk(clock, [campaign]);
    const sent = await desk.reissueLink(REVIEW_ID, { reason: 'reminder', actor: scheduler });
    expect(sent).toEqual({ reviewId: REVIEW_ID, sentTo: 1, messageId: 'm-1' });

    const email = emails()[0];
    expect(email?.Destination?.ToAddresses).toEqual(['reviewers+222400@clusters.example.gov.cn']);
    expect(email?.Content?.Simple?.Subject?.Data).toContain('审核提醒');
    const link = lastLink();
    expect(link.reviewId).toBe(REVIEW_ID);
    expect(link.secret).not.toBe(SECRET);
    expect(stored().secretHash).toBe(sha256(SECRET));
    expect(stored().extraSecretHashes).toEqual([sha256(link.secret)]);
    expect(JSON.stringify(cloud.table.all())).not.toContain(link.secret);

    expect(await opens(desk, link.secret)).toBe('open');
    expect(await opens(desk, SECRET)).toBe('open');
    expect(await opens(desk, `${link.secret}x`)).toBe('forged');
  });

  it('writes LINK_REISSUED (who, why, how many addresses; never the addresses)', async () => {
    await makeDesk(clock, [campaign]).reissueLink(REVIEW_ID, { reason: 'reminder', actor: scheduler });
    const reissued = audits().filter((event) => event.action === 'LINK_REISSUED');
    expect(reissued).toEqual([
      expect.objectContaining({
        actor: 'sweeper',
        role: 'scheduler',
        jurisdiction: '222400',
        detail: expect.objectContaining({ reviewId: REVIEW_ID, reason: 'reminder', recipients: 1 }),
      }),
    ]);
    expect(JSON.stringify(reissued)).not.toContain('@');
    // The sweeper is no person: no name.
    expect(reissued[0]).not.toHaveProperty('actorName');
  });

  it('keeps the 10 most recent reissued links beside the original', async () => {
    const desk = makeDesk(clock, [campaign]);
    const secrets: string[] = [];
    for (let i = 0; i < 12; i++) {
      await desk.reissueLink(REVIEW_ID, { reason: 'reminder', actor: scheduler });
      secrets.push(lastLink().secret);
    }
    expect(stored().extraSecretHashes).toHaveLength(10);
    expect(await opens(desk, secrets[0] ?? '')).toBe('forged');
    expect(await opens(desk, secrets[1] ?? '')).toBe('forged');
    expect(await opens(desk, secrets[2] ?? '')).toBe('open');
    expect(await opens(desk, secrets[11] ?? '')).toBe('open');
    expect(await opens(desk, SECRET)).toBe('open');
  });

  it('two reissues at once both land: the one that loses the write reads again', async () => {
    const desk = makeDesk(clock, [campaign]);
    await Promise.all([
      desk.reissueLink(REVIEW_ID, { reason: 'reminder', actor: scheduler }),
      desk.reissueLink(REVIEW_ID, { reason: 'reminder', actor: scheduler }),
    ]);
    expect(stored().extraSecretHashes).toHaveLength(2);
    const secrets = emails().map((email) => LINK.exec(email.Content?.Simple?.Body?.Text?.Data ?? '')?.[2] ?? '');
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) expect(await opens(desk, decodeURIComponent(secret))).toBe('open');
  });

  it('refuses a review that is not pending, is unknown, or is past its deadline', async () => {
    const desk = makeDesk(clock, [campaign]);
    await expect(
      desk.reissueLink(`${APP_ID}.city.9.9`, { reason: 'reminder', actor: scheduler }),
    ).rejects.toBeInstanceOf(NotFoundError);
    now = new Date(Date.parse(stored().deadline) + 1000);
    await expect(desk.reissueLink(REVIEW_ID, { reason: 'reminder', actor: scheduler })).rejects.toBeInstanceOf(
      ReviewGoneError,
    );
    now = new Date('2026-06-01T02:00:00.000Z');
    await new DynamoReviews(documentClient(), TABLE).closeReview(
      REVIEW_ID,
      'WITHDRAWN',
      now.toISOString(),
      'withdrawn',
    );
    await expect(desk.reissueLink(REVIEW_ID, { reason: 'reminder', actor: scheduler })).rejects.toMatchObject({
      status: 409,
      code: 'REVIEW_NOT_PENDING',
    });
    expect(emails()).toHaveLength(0);
  });
});

describe('resend', () => {
  it('sends the review request again with a new link, then refuses for 10 minutes', async () => {
    const desk = makeDesk(clock, [campaign]);
    expect(await desk.resend(REVIEW_ID, asker)).toEqual({ reviewId: REVIEW_ID, sentTo: 1 });
    expect(emails()[0]?.Content?.Simple?.Subject?.Data).toContain('待审核');
    expect(stored().lastLinkSentAt).toBe(now.toISOString());

    now = new Date(now.getTime() + 9 * 60_000);
    const refused = desk.resend(REVIEW_ID, asker);
    await expect(refused).rejects.toBeInstanceOf(ResendTooSoonError);
    await expect(refused).rejects.toMatchObject({ status: 429, code: 'RESEND_TOO_SOON' });
    expect(emails()).toHaveLength(1);

    // The sweeper's reminders are not resends: neither blocked by the cooldown nor restarting it.
    await desk.reissueLink(REVIEW_ID, { reason: 'reminder', actor: scheduler });
    now = new Date(now.getTime() + 60_000 + 1);
    expect(await desk.resend(REVIEW_ID, asker)).toEqual({ reviewId: REVIEW_ID, sentTo: 1 });
    expect(emails()).toHaveLength(3);
  });

  it('two resends at once: one goes out, the other is refused (conditional write, then a fresh read)', async () => {
    const desk = makeDesk(clock, [campaign]);
    const results = await Promise.allSettled([desk.resend(REVIEW_ID, asker), desk.resend(REVIEW_ID, asker)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(emails()).toHaveLength(1);
  });

  it('audits the reviewer who asked, by their token (subject and display name)', async () => {
    await makeDesk(clock, [campaign]).resend(REVIEW_ID, {
      ...asker,
      principal: { ...asker.principal, name: '王审核' },
    });
    expect(audits().filter((event) => event.action === 'LINK_REISSUED')).toEqual([
      expect.objectContaining({
        actor: 'reviewer-222400',
        actorName: '王审核',
        role: 'reviewer',
        jurisdiction: '222400',
        requestId: 'req-1',
        detail: expect.objectContaining({ reason: 'resend' }),
      }),
    ]);
  });

  it("is only for the review's own jurisdiction's reviewers: 403, no link minted, no email", async () => {
    const desk = makeDesk(clock, [campaign]);
    const before = stored();
    for (const principal of [PEOPLE.jilinReviewer, PEOPLE.miitReviewer, PEOPLE.dunhuaApplicant, PEOPLE.jilinOperator]) {
      await expect(desk.resend(REVIEW_ID, { principal, requestId: 'req-1' })).rejects.toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
      });
    }
    expect(emails()).toHaveLength(0);
    expect(stored()).toEqual(before);
    expect(audits()).toEqual([]);
  });
});

describe('POST /v1/reviews/{reviewId}/resend and the inbox page’s POST /console/reviews/{reviewId}/resend', () => {
  const { handle: handler, token } = reviewsFunction();

  /** The API route, the principal's claims passed on by the JWT authorizer. */
  const resendAs = (as: Principal | undefined, reviewId: string, body?: unknown) =>
    handler({
      version: '2.0',
      routeKey: 'POST /v1/reviews/{reviewId}/resend',
      rawPath: `/v1/reviews/${reviewId}/resend`,
      rawQueryString: '',
      headers: {},
      isBase64Encoded: false,
      body: body === undefined ? undefined : JSON.stringify(body),
      pathParameters: { reviewId },
      requestContext: {
        requestId: 'req-9',
        http: { method: 'POST' },
        ...(as && { authorizer: { jwt: { claims: claimsOf(as), scopes: null } } }),
      } as unknown as APIGatewayProxyEventV2['requestContext'],
    });
  const resend = (reviewId: string, body?: unknown) => resendAs(PEOPLE.yanbianReviewer, reviewId, body);
  /** The console's button: the session cookie, verified by the function itself. */
  const consoleResendAs = async (as: Principal | undefined, reviewId: string) =>
    handler({
      version: '2.0',
      routeKey: 'POST /console/reviews/{reviewId}/resend',
      rawPath: `/console/reviews/${reviewId}/resend`,
      rawQueryString: '',
      headers: { 'sec-fetch-site': 'same-origin' },
      ...(as && { cookies: [`cp_session=${await token(as)}`] }),
      isBase64Encoded: false,
      pathParameters: { reviewId },
      requestContext: {
        requestId: 'req-10',
        http: { method: 'POST' },
      } as unknown as APIGatewayProxyEventV2['requestContext'],
    });

  beforeEach(async () => {
    // The handler runs on the real clock: a review due in ten days from now.
    const real = new Date();
    cloud.table.put({ ...cloud.table.get(`APP#${APP_ID}`, 'APP'), ...application(real) });
    await new DynamoReviews(documentClient(), TABLE).replaceReview(stored(), review(real));
  });

  it('answers 202 with the count, to the registered addresses only; an address in the body is refused', async () => {
    // Nobody chooses where a link goes: a body naming an address is refused and sends nothing.
    const steered = await resend(REVIEW_ID, { to: 'someone@elsewhere.example', email: 'x@elsewhere.example' });
    expect(steered.statusCode).toBe(400);
    expect(JSON.parse(steered.body).error.details[0]).toMatchObject({ field: '(body)' });
    expect(emails()).toHaveLength(0);

    const result = await resend(REVIEW_ID);
    expect(result.statusCode).toBe(202);
    expect(JSON.parse(result.body)).toEqual({ reviewId: REVIEW_ID, sentTo: 1 });
    expect(emails().map((email) => email.Destination?.ToAddresses)).toEqual([
      ['reviewers+222400@clusters.example.gov.cn'],
    ]);
    expect(audits().find((event) => event.action === 'LINK_REISSUED')).toMatchObject({
      actor: 'reviewer-222400',
      role: 'reviewer',
      jurisdiction: '222400',
      requestId: 'req-9',
    });

    const again = await resend(REVIEW_ID);
    expect(again.statusCode).toBe(429);
    expect(JSON.parse(again.body).error.code).toBe('RESEND_TOO_SOON');
    expect(emails()).toHaveLength(1);
  });

  it('404 for an unknown review, 409 for a decided one', async () => {
    expect((await resend(`${APP_ID}.city.9.9`)).statusCode).toBe(404);
    expect((await resend('not-a-review')).statusCode).toBe(404);
    const current = stored();
    const decidedAt = new Date().toISOString();
    await new DynamoReviews(documentClient(), TABLE).recordDecision(current, {
      decision: 'approve',
      decidedBy: 'review-link',
      decidedAt,
      audit: decisionAudit({
        review: current,
        credentials: { kind: 'link', secret: undefined },
        decision: 'approve',
        reason: undefined,
        weightedScore: undefined,
        at: decidedAt,
        eventId: crypto.randomUUID(),
      }),
    });
    const decided = await resend(REVIEW_ID);
    expect(decided.statusCode).toBe(409);
    expect(JSON.parse(decided.body).error.code).toBe('REVIEW_NOT_PENDING');
    expect(emails()).toHaveLength(0);
  });

  it('refuses other principals with 403 FORBIDDEN and none with 401; nothing minted or sent', async () => {
    const before = stored();
    for (const principal of [
      PEOPLE.jilinReviewer,
      PEOPLE.miitReviewer,
      PEOPLE.dunhuaApplicant,
      PEOPLE.nationalOperator,
    ]) {
      const refused = await resendAs(principal, REVIEW_ID);
      expect(refused.statusCode).toBe(403);
      expect(JSON.parse(refused.body).error.code).toBe('FORBIDDEN');
    }
    const anonymous = await resendAs(undefined, REVIEW_ID);
    expect(anonymous.statusCode).toBe(401);
    expect(JSON.parse(anonymous.body).error.code).toBe('UNAUTHENTICATED');
    expect(emails()).toHaveLength(0);
    expect(stored()).toEqual(before);
  });

  it('from the console: 202 for the reviewer whose review it is, 403 for another, 401 without a session', async () => {
    const refused = await consoleResendAs(PEOPLE.jilinReviewer, REVIEW_ID);
    expect(refused.statusCode).toBe(403);
    expect(JSON.parse(refused.body).error.code).toBe('FORBIDDEN');
    const anonymous = await consoleResendAs(undefined, REVIEW_ID);
    expect(anonymous.statusCode).toBe(401);
    expect(emails()).toHaveLength(0);

    const sent = await consoleResendAs(PEOPLE.yanbianReviewer, REVIEW_ID);
    expect(sent.statusCode).toBe(202);
    expect(JSON.parse(sent.body)).toEqual({ reviewId: REVIEW_ID, sentTo: 1 });
    expect(emails().map((email) => email.Destination?.ToAddresses)).toEqual([
      ['reviewers+222400@clusters.example.gov.cn'],
    ]);
    expect(audits().find((event) => event.action === 'LINK_REISSUED')).toMatchObject({
      actor: 'reviewer-222400',
      requestId: 'req-10',
    });
  });
});
