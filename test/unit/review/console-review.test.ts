import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { quotaKeys } from '../../../shared/adapters/dynamo-quota.ts';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import type { Campaign } from '../../../shared/rules/campaign.ts';
import { ONSITE_STATEMENT_ITEM_ID } from '../../../shared/rules/checklist.ts';
import type { ApplicationRecord } from '../../../shared/schemas/records.ts';
import { type ReviewRecord, ReviewRecordSchema } from '../../../shared/schemas/reviews.ts';
import {
  APP_ID,
  application,
  campaignAt,
  daysFrom,
  evidence,
  ONSITE_STEP,
  review,
  seed,
  seedReview,
} from './fixtures.ts';
import { PEOPLE } from '../support.ts';
import { type ConsoleRequest, type FunctionResult as Result, mockedCloud, reviewsFunction } from './worlds.ts';

/**
 * The review page and its decision in the console (shared/review/console-review-handler.ts) through the
 * reviews function over a fake table: the stage's signed-in reviewer opens the page the emailed
 * link opens, in the console's frame, and decides from it; anyone else is refused with the
 * console's 403 page, an unknown review with its 404; a decision already taken, a deadline passed
 * and a full quota answer as the link's do; another site's form is refused; nothing is written
 * when refused.
 */
const cloud = mockedCloud({ functionEnv: true });
const { ddb, sfn } = cloud;
const { console: consoleRequest } = reviewsFunction();

const now = new Date();
let campaign: Campaign;
beforeEach(() => {
  campaign = campaignAt(now);
  seed(cloud.table).campaign(campaign);
});

/** 延边州's reviewer, signed in with their name (the audit names the person). */
const YANBIAN: Principal = { ...PEOPLE.yanbianReviewer, name: '金审核' };

async function underReview(
  overrides: { application?: Partial<ApplicationRecord>; review?: Partial<ReviewRecord> } = {},
): Promise<ReviewRecord> {
  seed(cloud.table).application(application(now, { status: 'CITY_REVIEW', ...overrides.application }));
  const open = review(now, { stage: 'city', ...overrides.review });
  await seedReview(open);
  ddb.resetHistory();
  return open;
}

/** A console request to the review's routes (reviewsFunction's `console`). */
const send = (
  routeKey:
    | 'GET /console/reviews/{reviewId}'
    | 'POST /console/reviews/{reviewId}/decision'
    | 'POST /console/reviews/{reviewId}/evidence'
    | 'GET /console/reviews/{reviewId}/evidence',
  principal: Principal,
  reviewId: string,
  options: Omit<ConsoleRequest, 'path'> = {},
): Promise<Result> => consoleRequest(routeKey, principal, { ...options, path: { reviewId } });
const open = (principal: Principal, reviewId: string, query?: Record<string, string>) =>
  send('GET /console/reviews/{reviewId}', principal, reviewId, { ...(query && { query }) });
const decide = (principal: Principal, reviewId: string, form: string, query?: Record<string, string>) =>
  send('POST /console/reviews/{reviewId}/decision', principal, reviewId, { form, ...(query && { query }) });

const stored = (reviewId: string) => {
  const item = cloud.table.get(`APP#${APP_ID}`, `REVIEW#${reviewId}`);
  return item && ReviewRecordSchema.parse(item);
};
const decisionEvents = () =>
  cloud.table
    .all()
    .filter((item) => item.pk === `APP#${APP_ID}` && String(item.sk).startsWith('AUDIT#'))
    .filter((item) => String(item.action).startsWith('REVIEW_'));
/** Nothing written but the per-client limiter's counters (a refused request is still counted). */
const expectNoWrite = () => {
  expect(ddb).not.toHaveReceivedCommand(PutCommand);
  expect(
    ddb.commandCalls(UpdateCommand).filter((call) => !String(call.args[0].input.Key?.pk).startsWith('LIMIT#')),
  ).toEqual([]);
  expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
};
const html = (result: Result) => expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');

describe('GET /console/reviews/{reviewId}: the review page in the console', () => {
  it('opens for the stage’s signed-in reviewer in the console’s frame: its form posts to the console, no secret', async () => {
    const pending = await underReview();
    const result = await open(YANBIAN, pending.reviewId, { lang: 'en' });
    expect(result.statusCode, result.body.slice(0, 400)).toBe(200);
    html(result);
    // The console's frame: its nonce policy, who is signed in, the way back to the inbox, in English.
    expect(result.headers?.['content-security-policy']).toMatch(/style-src 'nonce-/);
    expect(result.body).toContain('<html lang="en">');
    expect(result.body).toContain('data-signed-in="reviewer:222400"');
    expect(result.body).toContain('<a href="/console/inbox?lang=en">Reviewer inbox</a>');
    // The link page's content: the application and the decision form, one h1 (the frame's).
    expect(result.body).toContain('<h1>敦化市医药产业集群</h1>');
    expect(result.body.match(/<h1>/g)).toHaveLength(1);
    expect(result.body).toContain(`action="/console/reviews/${encodeURIComponent(pending.reviewId)}/decision?lang=en"`);
    expect(result.body).toContain('name="decision" value="approve"');
    expect(result.body).not.toContain('name="t"');
    // A cancellation request is the console's page, for this application.
    expect(result.body).toContain(`href="/console/revocations?kind=application&amp;id=${APP_ID}&amp;lang=en"`);
    // No idle reload (it would lose what was typed).
    expect(result.body).not.toContain('location.reload');
    // The uploader of the city's own items, calling the console's routes (the session, no secret),
    // its script under the page's nonce and the bucket's origin in connect-src.
    const evidenceBase = `/console/reviews/${pending.reviewId}/evidence`;
    expect(result.body).toContain(`data-criterion="${ONSITE_STATEMENT_ITEM_ID}"`);
    expect(result.body).toContain(`data-request-url="${evidenceBase}"`);
    expect(result.body).toContain(`data-remove-url="${evidenceBase}/{evidenceId}"`);
    expect(result.body).not.toContain('?t=');
    expect(result.headers?.['content-security-policy']).toMatch(/connect-src 'self' https?:\/\/[^ ;]+;/);
    expectNoWrite();
  });

  it('refuses anyone whose stage it is not with the console’s 403 page, and an unknown review with its 404', async () => {
    const pending = await underReview();
    for (const other of [PEOPLE.jilinReviewer, PEOPLE.miitReviewer, PEOPLE.dunhuaApplicant, PEOPLE.jilinOperator]) {
      const result = await open(other, pending.reviewId);
      expect(result.statusCode).toBe(403);
      html(result);
      expect(result.headers?.['content-security-policy']).toMatch(/style-src 'nonce-/);
      expect(result.body).not.toContain('敦化市医药产业集群');
    }
    const unknown = await open(YANBIAN, `${APP_ID}.city.9.9`);
    expect(unknown.statusCode).toBe(404);
    html(unknown);
    expect(unknown.body).toContain('href="/console/inbox"');
  });

  it('says why a lapsed review takes no decision, without the form', async () => {
    const late = await underReview({ review: { deadline: daysFrom(now, -1) } });
    const result = await open(YANBIAN, late.reviewId);
    expect(result.statusCode).toBe(410);
    expect(result.body).toContain('逾期不予受理：本阶段截止时间已过');
    expect(result.body).not.toContain('<form method="post" action="/console/reviews');
  });
});

describe('POST /console/reviews/{reviewId}/decision: the console’s decision form', () => {
  it('records the decision as the signed-in person (via sign-in), hands it to the workflow, and comes back with 303', async () => {
    const pending = await underReview();

    const result = await decide(
      YANBIAN,
      pending.reviewId,
      `decision=return&reason=${encodeURIComponent('请补充产值证明')}`,
    );

    expect(result.statusCode, result.body.slice(0, 400)).toBe(303);
    expect(result.headers?.location).toBe(`/console/reviews/${encodeURIComponent(pending.reviewId)}?done=decided`);
    expect(stored(pending.reviewId)).toMatchObject({
      status: 'DECIDED',
      decision: 'return',
      decidedBy: `user:${YANBIAN.sub}`,
    });
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(decisionEvents()).toEqual([
      expect.objectContaining({
        action: 'REVIEW_RETURNED',
        actor: YANBIAN.sub,
        actorName: '金审核',
        reason: '请补充产值证明',
        detail: expect.objectContaining({ via: 'sign-in', stage: 'city' }),
      }),
    ]);
    // The 303's page: the decision recorded, shown, no form; the way back to the inbox.
    const after = await open(YANBIAN, pending.reviewId, { done: 'decided' });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('<p class="ok" role="status">决定已记录</p>');
    expect(after.body).toContain('请补充产值证明');
    expect(after.body).not.toContain('<form method="post" action="/console/reviews');
    expect(after.body).toContain('href="/console/inbox"');
  });

  it('decides once: a second post is the link’s 409 with the recorded decision, and sends nothing again', async () => {
    const pending = await underReview();
    expect((await decide(YANBIAN, pending.reviewId, 'decision=approve')).statusCode).toBe(303);

    const again = await decide(YANBIAN, pending.reviewId, `decision=reject&reason=${encodeURIComponent('改变主意')}`);

    expect(again.statusCode).toBe(409);
    html(again);
    expect(again.body).toContain('<h1>无法记录该决定</h1>');
    expect(again.body).toContain('同意推荐');
    expect(again.body).toContain(`href="/console/reviews/${encodeURIComponent(pending.reviewId)}"`);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(stored(pending.reviewId)?.decision).toBe('approve');
  });

  it('refuses after the deadline as the link does: 410 逾期不予受理, nothing recorded', async () => {
    const late = await underReview({ review: { deadline: daysFrom(now, -0.01) } });
    const result = await decide(YANBIAN, late.reviewId, 'decision=approve');
    expect(result.statusCode).toBe(410);
    expect(result.body).toContain('<h1>审核已结束</h1>');
    expect(result.body).toContain('逾期不予受理');
    expectNoWrite();
  });

  it('draws the page again on a refused form: the choice kept, the error beside the reason', async () => {
    const pending = await underReview();
    const result = await decide(YANBIAN, pending.reviewId, 'decision=reject&reason=%20');
    expect(result.statusCode).toBe(400);
    expect(result.body).toMatch(/<title>有误：/);
    expect(result.body).toMatch(/<input type="radio" name="decision" value="reject" required checked>/);
    expect(result.body).toContain('<p class="field-error" id="reason-error">');
    expect(result.body).toContain(`action="/console/reviews/${encodeURIComponent(pending.reviewId)}/decision"`);
    expectNoWrite();
  });

  it('draws the page again over a full quota: 409, whose quota, what was typed kept', async () => {
    const pending = await underReview({
      application: {
        countyCode: '140105',
        provincialCode: '140000',
        cityCode: '140100',
        subSector: '煤机装备',
        step: ONSITE_STEP,
      },
      review: { jurisdictionCode: '140100', step: ONSITE_STEP },
    });
    seed(cloud.table).evidence(
      evidence({ evidenceId: '22222222-2222-4333-8444-555555555555', criterion: ONSITE_STATEMENT_ITEM_ID }),
    );
    cloud.table.put({
      ...quotaKeys.counter(campaign.campaignId, 'recommendation', 'city', '140100'),
      used: 3,
      limit: 3,
      scope: 'city',
      jurisdictionCode: '140100',
    });
    const taiyuan: Principal = { sub: 'reviewer-140100', role: 'reviewer', jurisdiction: '140100' };

    const result = await decide(
      taiyuan,
      pending.reviewId,
      `decision=approve&reason=${encodeURIComponent('现场核查属实')}`,
    );

    expect(result.statusCode).toBe(409);
    expect(result.body).toContain('无法记录该决定');
    expect(result.body).toContain('太原市推荐至省级的名额已满（已用 3/3）');
    expect(result.body).toMatch(/<textarea id="reason" name="reason"[^>]*>现场核查属实<\/textarea>/);
    expect(stored(pending.reviewId)?.decision).toBeUndefined();
  });

  it('refuses whoever’s stage it is not (403 page) before reading the form, and another site’s post', async () => {
    const pending = await underReview();
    for (const other of [PEOPLE.jilinReviewer, PEOPLE.jilinOperator, PEOPLE.dunhuaApplicant])
      for (const form of ['decision=approve', 'decision=maybe']) {
        const result = await decide(other, pending.reviewId, form);
        expect(result.statusCode).toBe(403);
        html(result);
      }
    const crossSite = await send('POST /console/reviews/{reviewId}/decision', YANBIAN, pending.reviewId, {
      form: 'decision=approve',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.body).toContain('只接受本站页面提交');
    expectNoWrite();
    expect(stored(pending.reviewId)?.status).toBe('PENDING');
  });

  it('counts against the link decision’s per-client limits', async () => {
    const pending = await underReview();
    await decide(YANBIAN, pending.reviewId, 'decision=maybe');
    const counters = cloud.table.all().filter((item) => String(item.pk).startsWith('LIMIT#reviewDecision#'));
    expect(counters.length).toBeGreaterThan(0);
  });
});

describe('/console/reviews/{reviewId}/evidence: the console page’s uploader, signed in', () => {
  const statement = JSON.stringify({
    criterion: ONSITE_STATEMENT_ITEM_ID,
    fileName: '现场核查符合性说明.pdf',
    contentType: 'application/pdf',
    size: 4096,
  });
  /** The uploader's fetch(): JSON, same-site, with the session cookie (here its token); `form` carries the body. */
  const asScript = (body?: string) => ({
    headers: {
      'sec-fetch-site': 'same-origin',
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
  });

  it('gives the stage’s signed-in reviewer an upload link for the on-site statement, audited as the person', async () => {
    const pending = await underReview({ review: { step: ONSITE_STEP } });
    const result = await consoleRequest('POST /console/reviews/{reviewId}/evidence', YANBIAN, {
      path: { reviewId: pending.reviewId },
      ...asScript(statement),
      form: statement,
    });
    expect(result.statusCode, result.body).toBe(201);
    expect(JSON.parse(result.body)).toMatchObject({ criterion: ONSITE_STATEMENT_ITEM_ID, status: 'PENDING' });
    const audit = cloud.table
      .all()
      .filter((item) => item.pk === `APP#${APP_ID}` && String(item.sk).startsWith('AUDIT#'));
    expect(audit.map((item) => item.actor)).toContain(YANBIAN.sub);
    const listed = await send('GET /console/reviews/{reviewId}/evidence', YANBIAN, pending.reviewId);
    expect(listed.statusCode).toBe(200);
    expect(JSON.parse(listed.body).evidence).toEqual([
      expect.objectContaining({ criterion: ONSITE_STATEMENT_ITEM_ID, fileName: '现场核查符合性说明.pdf' }),
    ]);
  });

  it('refuses a reviewer whose stage it is not (403), another site’s request, and writes nothing', async () => {
    const pending = await underReview({ review: { step: ONSITE_STEP } });
    for (const other of [PEOPLE.jilinReviewer, PEOPLE.miitReviewer, PEOPLE.dunhuaApplicant]) {
      const result = await consoleRequest('POST /console/reviews/{reviewId}/evidence', other, {
        path: { reviewId: pending.reviewId },
        ...asScript(statement),
        form: statement,
      });
      expect(result.statusCode, result.body).toBe(403);
      const listed = await send('GET /console/reviews/{reviewId}/evidence', other, pending.reviewId);
      expect(listed.statusCode).toBe(403);
    }
    const crossSite = await consoleRequest('POST /console/reviews/{reviewId}/evidence', YANBIAN, {
      path: { reviewId: pending.reviewId },
      form: statement,
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.body).toContain('CROSS_SITE');
    expectNoWrite();
  });
});
