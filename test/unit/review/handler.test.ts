import { createHash } from 'node:crypto';
import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { PutCommand, QueryCommand, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoQuotas, quotaKeys } from '../../../shared/adapters/dynamo-quota.ts';
import { DynamoReviews } from '../../../shared/adapters/dynamo-reviews/store.ts';
import { LAPSED_SHOWN_DAYS, reviewInbox } from '../../../shared/review/inbox.ts';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import { quotaRequestFor } from '../../../shared/ladder/quota-request.ts';
import type { Campaign } from '../../../shared/rules/campaign.ts';
import { ONSITE_STATEMENT_ITEM_ID } from '../../../shared/rules/checklist.ts';
import type { ApplicationRecord } from '../../../shared/schemas/records.ts';
import { type ReviewRecord, ReviewRecordSchema } from '../../../shared/schemas/reviews.ts';
import { UPLOADER_SCRIPT } from '../../../shared/portal/uploader-script.ts';
import { DecisionOutputSchema } from '../../../shared/ladder/contract.ts';
import {
  APP_ID,
  application,
  BUCKET,
  campaignAt,
  daysFrom,
  documentClient,
  EVIDENCE_ID,
  evidence,
  FULL_SCORES,
  onSiteCampaignAt,
  ONSITE_STEP,
  review,
  SECRET,
  seed,
  seedReview,
  sha256,
  TABLE,
  THRESHOLD_SOURCE,
} from './fixtures.ts';
import { claimsOf, PEOPLE } from '../support.ts';
import { type FunctionResult as Result, mockedCloud, reviewsFunction } from './worlds.ts';

const cloud = mockedCloud({ functionEnv: true });
const { ddb, sfn } = cloud;

const { handle: handler, token } = reviewsFunction();

/** Hebei's provincial operator: an operator with no scope over Jilin. */
const HEBEI_OPERATOR: Principal = { sub: 'operator-130000', role: 'operator', jurisdiction: '130000' };

/**
 * An HTTP API event. `as`: the JWT authorizer's claims (token routes); `bearer`: an ID token in
 * the Authorization header, which link and session routes verify themselves.
 */
function event(
  routeKey: string,
  options: {
    body?: unknown;
    pathParameters?: Record<string, string>;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    as?: Principal;
    bearer?: string;
  } = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey,
    rawPath: '/',
    rawQueryString: '',
    headers: { ...options.headers, ...(options.bearer !== undefined && { authorization: `Bearer ${options.bearer}` }) },
    isBase64Encoded: false,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
    pathParameters: options.pathParameters,
    queryStringParameters: options.query,
    requestContext: {
      requestId: 'req-1',
      http: { method: routeKey.split(' ')[0] },
      ...(options.as && { authorizer: { jwt: { claims: claimsOf(options.as), scopes: null } } }),
    } as unknown as APIGatewayProxyEventV2['requestContext'],
  };
}

const now = new Date();
let campaign: Campaign;

beforeEach(() => {
  campaign = campaignAt(now);
  seed(cloud.table).campaign(campaign);
});

const json = (result: Result) => JSON.parse(result.body);
const fields = (result: Result) => (json(result).error.details as { field: string }[]).map((d) => d.field);
const stored = (reviewId: string) => {
  const item = cloud.table.get(`APP#${APP_ID}`, `REVIEW#${reviewId}`);
  return item && ReviewRecordSchema.parse(item);
};

/** An application under review at `stage`, with its open review. */
async function underReview(
  stage: ReviewRecord['stage'],
  overrides: { application?: Partial<ApplicationRecord>; review?: Partial<ReviewRecord> } = {},
): Promise<ReviewRecord> {
  const status = stage === 'city' ? 'CITY_REVIEW' : stage === 'province' ? 'PROVINCE_REVIEW' : 'MIIT_REVIEW';
  seed(cloud.table).application(application(now, { status, ...overrides.application }));
  // The validator's warning on a VALID file (an outside hyperlink) reaches the reviewer.
  const link = { code: 'EXTERNAL_LINK', message: { zh: '外部超链接 <x.example>', en: 'links out' } };
  seed(cloud.table).evidence(evidence({ warnings: [link] }));
  seed(cloud.table).evidence(
    evidence({
      evidenceId: '11111111-2222-4333-8444-555555555555',
      criterion: 'green-development',
      fileName: 'evil.pdf',
      status: 'INVALID',
      objectKey: `evidence/${APP_ID}/bad`,
      findings: [{ code: 'NOT_A_PDF', message: { zh: '不是PDF文件', en: 'not a PDF' } }],
    }),
  );
  const open = review(now, { stage, ...overrides.review });
  await seedReview(open);
  ddb.resetHistory();
  return open;
}

const page = (reviewId: string, t?: string, bearer?: string) =>
  handler(
    event('GET /v1/reviews/{reviewId}', {
      pathParameters: { reviewId },
      ...(t !== undefined && { query: { t } }),
      ...(bearer !== undefined && { bearer }),
    }),
  );
const decide = (reviewId: string, body: unknown, headers?: Record<string, string>) =>
  handler(event('POST /v1/reviews/{reviewId}/decision', { pathParameters: { reviewId }, body, headers }));
const decideAs = async (principal: Principal, reviewId: string, body: unknown) =>
  handler(
    event('POST /v1/reviews/{reviewId}/decision', {
      pathParameters: { reviewId },
      body,
      bearer: await token(principal),
    }),
  );
/** No write of any kind reached the table. */
/** Nothing written but the per-client limiter's counters (a refused request is still counted). */
const expectNoWrite = () => {
  expect(ddb).not.toHaveReceivedCommand(PutCommand);
  expect(
    ddb.commandCalls(UpdateCommand).filter((call) => !String(call.args[0].input.Key?.pk).startsWith('LIMIT#')),
  ).toEqual([]);
  expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
};
const expectForbidden = (result: Result) => {
  expect(result.statusCode).toBe(403);
  expect(json(result).error.code).toBe('FORBIDDEN');
};
const successOutputs = () =>
  sfn.commandCalls(SendTaskSuccessCommand).map((call) => ({
    taskToken: call.args[0].input.taskToken,
    output: DecisionOutputSchema.parse(JSON.parse(call.args[0].input.output ?? '{}')),
  }));

describe('GET /v1/reviews/{reviewId}: the review page', () => {
  it('shows the application, escaped, with short-lived download links, and decides nothing', async () => {
    const open = await underReview('city', {
      application: { clusterName: '<script>alert("x")</script>敦化市医药产业集群' },
    });

    const result = await page(open.reviewId, SECRET);

    expect(result.statusCode).toBe(200);
    // The one script is the evidence uploader's constant (the city's on-site statement).
    expect(result.body.replace(`<script>${UPLOADER_SCRIPT}</script>`, '')).not.toContain('<script');
    expect(result.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;敦化市医药产业集群');
    expect(result.body).toContain('长白山道地药材 &lt;b&gt;全产业链&lt;/b&gt;');
    // Threshold warning: 2025 output 39 亿元 < 40.
    expect(result.body).toContain('低于');
    expect(result.body).toContain(`依据：${THRESHOLD_SOURCE}`);
    // The valid file has a presigned GET valid 5 minutes, named by RFC 6266 filename*; the invalid one none.
    const href = /href="([^"]*evidence%2F|[^"]*evidence\/[^"]*)"/.exec(result.body)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const url = new URL(href);
    expect(url.host).toBe(`${BUCKET}.s3.cn-north-1.amazonaws.com.cn`);
    expect(url.pathname).toBe(`/evidence/${APP_ID}/${EVIDENCE_ID}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="___ ____.pdf"; filename*=UTF-8''${encodeURIComponent('申报表 "终稿".pdf')}`,
    );
    expect(result.body).not.toContain(`evidence/${APP_ID}/bad`);
    expect(result.body).toContain('不是PDF文件');
    expect(result.body).toContain('<ul class="warn"><li>外部超链接 &lt;x.example&gt;');
    // The form posts back with the secret; it decides nothing by itself.
    expect(result.body).toContain(`action="./${open.reviewId}/decision"`);
    expect(result.body).toContain(`name="t" value="${SECRET}"`);
    expect(sfn.calls()).toHaveLength(0);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(stored(open.reviewId)?.status).toBe('PENDING');
  });

  it('is served with a strict CSP (no script; the one stylesheet by hash), no-store and no-referrer', async () => {
    const open = await underReview('province');
    const result = await page(open.reviewId, SECRET);
    const headers = result.headers ?? {};
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['referrer-policy']).toBe('no-referrer');
    const csp = String(headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('unsafe-inline');
    const style = /<style>([\s\S]*?)<\/style>/.exec(result.body)?.[1] ?? '';
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(result.body).not.toMatch(/<script|<img|<link|https?:\/\/(?!api\.clusters|evidence-bucket)/);
  });

  it('at the city stage, allows its uploader’s one script by hash and the bucket’s origin, nothing more', async () => {
    const open = await underReview('city');
    const result = await page(open.reviewId, SECRET);
    const csp = String(result.headers?.['content-security-policy']);
    const script = /<script>([\s\S]*?)<\/script>/.exec(result.body)?.[1] ?? '';
    expect(script).toBe(UPLOADER_SCRIPT);
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(csp).toContain(`connect-src 'self' https://${BUCKET}.s3.cn-north-1.amazonaws.com.cn;`);
    expect(csp).not.toContain('unsafe-inline');
    const style = /<style>([\s\S]*?)<\/style>/.exec(result.body)?.[1] ?? '';
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(result.body).toContain('data-criterion="onsite-check-statement"');
  });

  it('asks for the eight expert scores at the province stage', async () => {
    const open = await underReview('province');
    const result = await page(open.reviewId, SECRET);
    for (const criterion of Object.keys(FULL_SCORES)) expect(result.body).toContain(`name="scores.${criterion}"`);
  });

  it('answers a forged or absent secret with a 403 page', async () => {
    const open = await underReview('city');
    for (const t of ['forged', undefined]) {
      const result = await page(open.reviewId, t);
      expect(result.statusCode).toBe(403);
      expect(result.body).toContain('审核链接无效');
      expect(result.body).not.toContain('敦化市医药产业集群');
    }
    expect((await page('not-a-review-id', SECRET)).statusCode).toBe(403);
  });

  it('shows a decided review its decision, and a late one a 410 page', async () => {
    const decided = await underReview('city', {
      review: {
        status: 'DECIDED',
        decision: 'reject',
        reason: '主导产业占比不足',
        decidedBy: 'review-link',
        decidedAt: now.toISOString(),
      },
    });
    const shown = await page(decided.reviewId, SECRET);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('不予推荐');
    expect(shown.body).toContain('主导产业占比不足');
    expect(shown.body).not.toContain('<form');

    cloud.table.items.clear();
    const late = await underReview('city', { review: { deadline: daysFrom(now, -1) } });
    const gone = await page(late.reviewId, SECRET);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('逾期不予受理');
  });

  it('opens for a signed-in reviewer of the stage without the link, and its form carries no secret', async () => {
    const open = await underReview('city');
    const result = await page(open.reviewId, undefined, await token(PEOPLE.yanbianReviewer));
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('敦化市医药产业集群');
    expect(result.body).toContain(`action="./${open.reviewId}/decision"`);
    expect(result.body).not.toContain('name="t"');
  });

  it('refuses a signed-in principal whose stage it is not with a 403 page, even holding the link', async () => {
    const open = await underReview('city');
    for (const principal of [PEOPLE.jilinReviewer, PEOPLE.miitReviewer, PEOPLE.dunhuaApplicant, PEOPLE.jilinOperator]) {
      const result = await page(open.reviewId, SECRET, await token(principal));
      expect(result.statusCode).toBe(403);
      expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
      expect(result.body).not.toContain('敦化市医药产业集群');
    }
    // A forged token is refused outright (401), not taken as "no token".
    expect((await page(open.reviewId, SECRET, 'not-a-token')).statusCode).toBe(401);
  });

  it("a link opens its own review only: review A's secret never opens review B", async () => {
    const a = await underReview('city');
    const b = review(now, { stage: 'province', secretHash: sha256('the-province-link-secret') });
    await seedReview(b);
    expect((await page(b.reviewId, 'the-province-link-secret')).statusCode).toBe(200);

    const opened = await page(b.reviewId, SECRET);
    expect(opened.statusCode).toBe(403);
    expect(opened.body).toContain('审核链接无效');
    const decided = await decide(b.reviewId, { t: SECRET, decision: 'approve', scores: FULL_SCORES });
    expect(decided.statusCode).toBe(403);
    expect(json(decided).error.code).toBe('REVIEW_LINK_INVALID');
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(stored(b.reviewId)?.status).toBe('PENDING');
    expect(stored(a.reviewId)?.status).toBe('PENDING');
  });
});

describe('POST /v1/reviews/{reviewId}/decision', () => {
  it('approves: records the decision once and sends it to the workflow with SendTaskSuccess', async () => {
    const open = await underReview('city');

    const result = await decide(open.reviewId, { t: SECRET, decision: 'approve' });

    expect(result.statusCode).toBe(200);
    expect(json(result)).toMatchObject({ reviewId: open.reviewId, decision: 'approve', decidedBy: 'review-link' });
    expect(successOutputs()).toEqual([
      {
        taskToken: open.taskToken,
        output: {
          reviewId: open.reviewId,
          decision: 'approve',
          decidedBy: 'review-link',
          decidedAt: json(result).decidedAt,
        },
      },
    ]);
    const after = cloud.table.get(`APP#${APP_ID}`, `REVIEW#${open.reviewId}`);
    expect(after).toMatchObject({ status: 'DECIDED', decision: 'approve' });
    // Out of the inbox.
    expect(after?.gsi2pk).toBeUndefined();
  });

  it('takes the secret from the query string too', async () => {
    const open = await underReview('city');
    const result = await handler(
      event('POST /v1/reviews/{reviewId}/decision', {
        pathParameters: { reviewId: open.reviewId },
        query: { t: SECRET },
        body: { decision: 'return', reason: '请补充2024年产值证明' },
      }),
    );
    expect(result.statusCode).toBe(200);
    expect(successOutputs()[0]?.output).toMatchObject({ decision: 'return', reason: '请补充2024年产值证明' });
  });

  it('refuses a forged or absent secret with 403 and decides nothing', async () => {
    const open = await underReview('city');
    for (const body of [{ t: 'forged', decision: 'approve' }, { decision: 'approve' }]) {
      const result = await decide(open.reviewId, body);
      expect(result.statusCode).toBe(403);
      expect(json(result).error.code).toBe('REVIEW_LINK_INVALID');
    }
    expect(sfn.calls()).toHaveLength(0);
    expect(stored(open.reviewId)?.status).toBe('PENDING');
  });

  it('requires a reason to return or reject (400 naming reason)', async () => {
    const open = await underReview('city');
    for (const decision of ['return', 'reject']) {
      const result = await decide(open.reviewId, { t: SECRET, decision, reason: '  ' });
      expect(result.statusCode).toBe(400);
      expect(fields(result)).toEqual(['reason']);
      expect(result.body).toContain('需说明原因');
    }
    expect(sfn.calls()).toHaveLength(0);
    expect(stored(open.reviewId)?.decision).toBeUndefined();
  });

  it('decides once: a second POST gets 409 showing the recorded decision', async () => {
    const open = await underReview('city');
    expect((await decide(open.reviewId, { t: SECRET, decision: 'approve' })).statusCode).toBe(200);

    const second = await decide(open.reviewId, { t: SECRET, decision: 'reject', reason: '改变主意' });

    expect(second.statusCode).toBe(409);
    expect(json(second).error.code).toBe('ALREADY_DECIDED');
    expect(json(second).error.details[0].decision).toMatchObject({ decision: 'approve', reviewId: open.reviewId });
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(stored(open.reviewId)?.decision).toBe('approve');
  });

  it('of two simultaneous POSTs exactly one is recorded', async () => {
    const open = await underReview('city');
    const results = await Promise.all([
      decide(open.reviewId, { t: SECRET, decision: 'approve' }),
      decide(open.reviewId, { t: SECRET, decision: 'reject', reason: '不符合条件' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    const winner = json(results.find((r) => r.statusCode === 200) as Result).decision;
    expect(successOutputs()[0]?.output.decision).toBe(winner);
  });

  it('refuses a decision after the stage deadline with 410', async () => {
    const open = await underReview('city', { review: { deadline: daysFrom(now, -0.01) } });
    const result = await decide(open.reviewId, { t: SECRET, decision: 'approve' });
    expect(result.statusCode).toBe(410);
    expect(json(result).error.code).toBe('DEADLINE_PASSED');
    expect(result.body).toContain('逾期不予受理');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers a review the timeout expired as before its expiry: 410 逾期不予受理, on the decision and the page', async () => {
    const open = await underReview('city', {
      review: {
        status: 'EXPIRED',
        deadline: daysFrom(now, -1),
        closedAt: daysFrom(now, -1),
        closedReason: '逾期不予受理',
      },
    });
    const result = await decide(open.reviewId, { t: SECRET, decision: 'approve' });
    expect(result.statusCode).toBe(410);
    expect(json(result).error.code).toBe('DEADLINE_PASSED');
    expect(result.body).toContain('逾期不予受理');
    expect(sfn.calls()).toHaveLength(0);
    expect((await page(open.reviewId, SECRET)).body).toContain('逾期不予受理');
  });

  it('at the province, reserves the quota first and refuses when it is full: 409 "8 of 8", nothing recorded or sent', async () => {
    const open = await underReview('province');
    seed(cloud.table).quotaCounter(campaign.campaignId, 8);

    const result = await decide(open.reviewId, { t: SECRET, decision: 'approve', scores: FULL_SCORES });

    expect(result.statusCode).toBe(409);
    expect(json(result).error.code).toBe('QUOTA_EXCEEDED');
    expect(result.body).toContain('8 of 8');
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(stored(open.reviewId)).toMatchObject({ status: 'PENDING' });
    expect(stored(open.reviewId)?.decision).toBeUndefined();
  });

  /**
   * A review at 太原市 of a county of 太原 (Shanxi: 3 per city, 1 per sub-sector, at the city's
   * forwarding), at the city's last person step (onsite-statement), the statement filed.
   */
  const underTaiyuanReview = async () => {
    const open = await underReview('city', {
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
    return open;
  };

  it('at a Shanxi city, approving takes the city cap and the sub-sector slot, and no provincial one', async () => {
    const open = await underTaiyuanReview();

    const result = await decide(open.reviewId, { t: SECRET, decision: 'approve' });

    expect(result.statusCode, result.body).toBe(200);
    const slotOf = (scope: 'provincial' | 'city' | 'sub-sector', code: string) => {
      const slot = quotaKeys.slot(campaign.campaignId, 'recommendation', scope, code, APP_ID);
      return cloud.table.get(slot.pk, slot.sk);
    };
    expect(slotOf('city', '140100')).toBeDefined();
    expect(slotOf('sub-sector', '140100:coal-machinery')).toBeDefined();
    expect(slotOf('provincial', '140000')).toBeUndefined();
  });

  it('at a Shanxi city that has forwarded 3, refuses the 4th: 409 "3 of 3", nothing recorded or sent', async () => {
    const open = await underTaiyuanReview();
    cloud.table.put({
      ...quotaKeys.counter(campaign.campaignId, 'recommendation', 'city', '140100'),
      used: 3,
      limit: 3,
      scope: 'city',
      jurisdictionCode: '140100',
    });

    const result = await decide(open.reviewId, { t: SECRET, decision: 'approve' });

    expect(result.statusCode).toBe(409);
    expect(json(result).error.code).toBe('QUOTA_EXCEEDED');
    expect(result.body).toContain('3 of 3');
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(stored(open.reviewId)?.decision).toBeUndefined();
  });

  it('draws the review page again when the quota is full: 409, whose quota and what to do, what was typed kept', async () => {
    const open = await underTaiyuanReview();
    cloud.table.put({
      ...quotaKeys.counter(campaign.campaignId, 'recommendation', 'city', '140100'),
      used: 3,
      limit: 3,
      scope: 'city',
      jurisdictionCode: '140100',
    });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };

    const refused = await decide(
      open.reviewId,
      `t=${SECRET}&decision=approve&reason=${encodeURIComponent('现场核查属实')}`,
      form,
    );

    expect(refused.statusCode).toBe(409);
    expect(refused.headers?.['content-type']).toBe('text/html; charset=utf-8');
    // The page itself: its form, the choice and the reason as sent.
    expect(refused.body).toContain(`action="../${open.reviewId}/decision"`);
    expect(refused.body).toMatch(/<input type="radio" name="decision" value="approve" required checked>/);
    expect(refused.body).toMatch(/<textarea id="reason" name="reason"[^>]*>现场核查属实<\/textarea>/);
    // Not "complete or correct": nothing typed can mend a full quota. Each language in its own place.
    expect(refused.body).not.toContain('请补充或更正');
    expect(refused.body).toContain('无法记录该决定');
    expect(refused.body).toMatch(/太原市推荐至省级的名额已满（已用 3\/3）[^<]*<span class="en">the quota of 140100/);
    // Where a phone lands after posting: the top of the page, above the application, with the way to the form.
    const problem = refused.body.indexOf('<div class="problem" role="alert">');
    expect(problem).toBeGreaterThan(-1);
    expect(problem).toBeLessThan(refused.body.indexOf('<h2>概况'));
    expect(refused.body.slice(problem)).toMatch(/^<div class="problem" role="alert">[^]*?<a href="#your-decision">/);
    expect(refused.body).toContain('<section id="your-decision">');
    expect(stored(open.reviewId)?.decision).toBeUndefined();
  });

  it('says on the page, before anyone decides, that the quota its approval would take is full', async () => {
    const open = await underTaiyuanReview();
    const before = await page(open.reviewId, SECRET);
    expect(before.body).not.toContain('名额已满');
    cloud.table.put({
      ...quotaKeys.counter(campaign.campaignId, 'recommendation', 'city', '140100'),
      used: 3,
      limit: 3,
      scope: 'city',
      jurisdictionCode: '140100',
    });

    const full = await page(open.reviewId, SECRET);

    expect(full.statusCode).toBe(200);
    expect(full.body).toMatch(
      /<p id="quota-full" class="bad">太原市推荐至省级的名额已满（已用 3\/3）[^<]*<br><span class="en">the quota of 140100 for recommendations to the province is full/,
    );
  });

  it('at the province, approves with scores: a slot is taken, the weighted score recorded and ranked', async () => {
    const open = await underReview('province');

    const result = await decide(open.reviewId, { t: SECRET, decision: 'approve', scores: FULL_SCORES });

    expect(result.statusCode).toBe(200);
    expect(json(result).weightedScore).toBe(80);
    expect(successOutputs()[0]?.output.scores).toEqual(FULL_SCORES);
    const slot = quotaKeys.slot(campaign.campaignId, 'recommendation', 'provincial', '220000', APP_ID);
    expect(cloud.table.get(slot.pk, slot.sk)).toBeDefined();
    const counter = quotaKeys.counter(campaign.campaignId, 'recommendation', 'provincial', '220000');
    expect(cloud.table.get(counter.pk, counter.sk)?.used).toBe(1);
    expect(cloud.table.get(`APP#${APP_ID}`, `REVIEW#${open.reviewId}`)?.gsi1pk).toBe('RANK#220000');
  });

  it('at the province review, takes scores each 0..100 (400 naming the field), or none: experts score in the panel', async () => {
    const open = await underReview('province');
    const bad = await decide(open.reviewId, {
      t: SECRET,
      decision: 'approve',
      scores: { ...FULL_SCORES, 'green-development': 101 },
    });
    expect(bad.statusCode).toBe(400);
    expect(fields(bad)).toEqual(['scores.green-development']);
    expect(sfn.calls()).toHaveLength(0);
    expect(cloud.table.all().some((item) => String(item.pk).startsWith('QUOTA#'))).toBe(false);

    const unscored = await decide(open.reviewId, { t: SECRET, decision: 'approve' });
    expect(unscored.statusCode).toBe(200);
    expect(stored(open.reviewId)).toMatchObject({ decision: 'approve' });
    expect(stored(open.reviewId)?.scores).toBeUndefined();
  });

  it('answers 410 and frees the slot it just took when the task is gone (TaskTimedOut)', async () => {
    const open = await underReview('province');
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));

    const result = await decide(open.reviewId, { t: SECRET, decision: 'approve', scores: FULL_SCORES });

    expect(result.statusCode).toBe(410);
    expect(json(result).error.code).toBe('REVIEW_EXPIRED');
    const slot = quotaKeys.slot(campaign.campaignId, 'recommendation', 'provincial', '220000', APP_ID);
    expect(cloud.table.get(slot.pk, slot.sk)).toBeUndefined();
    const counter = quotaKeys.counter(campaign.campaignId, 'recommendation', 'provincial', '220000');
    expect(cloud.table.get(counter.pk, counter.sk)?.used).toBe(0);
    expect(stored(open.reviewId)?.status).toBe('EXPIRED');
    expect((await decide(open.reviewId, { t: SECRET, decision: 'approve', scores: FULL_SCORES })).statusCode).toBe(410);
  });

  it('at the city’s onsite-statement step, requires the statement (409 naming it)', async () => {
    campaign = onSiteCampaignAt(now);
    seed(cloud.table).campaign(campaign);
    const open = await underReview('city', {
      application: { campaignId: campaign.campaignId, step: ONSITE_STEP },
      review: { campaignId: campaign.campaignId, step: ONSITE_STEP },
    });

    // The demo's Jilin overlay, as seeded, also asks 敦化's city whether it recommends nationally.
    const refused = await decide(open.reviewId, { t: SECRET, decision: 'approve', alsoNational: true });
    expect(refused.statusCode).toBe(409);
    expect(fields(refused)).toEqual([`checklist.${ONSITE_STATEMENT_ITEM_ID}`]);
    expect(sfn.calls()).toHaveLength(0);

    // Returning needs no statement.
    seed(cloud.table).evidence(
      evidence({ evidenceId: '22222222-2222-4333-8444-555555555555', criterion: ONSITE_STATEMENT_ITEM_ID }),
    );
    const approved = await decide(open.reviewId, { t: SECRET, decision: 'approve', alsoNational: true });
    expect(approved.statusCode).toBe(200);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });

  it('answers the page form (form-encoded) with a page, keeping the status', async () => {
    const open = await underReview('province');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const scores = Object.entries(FULL_SCORES)
      .map(([id, score]) => `&scores.${id}=${score}`)
      .join('');

    const noReason = await decide(open.reviewId, `t=${SECRET}&decision=reject&reason=`, form);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(noReason.body).toContain('需说明原因');

    const approved = await decide(open.reviewId, `t=${SECRET}&decision=approve&reason=${scores}`, form);
    expect(approved.statusCode).toBe(200);
    expect(approved.body).toContain('决定已记录');
    expect(approved.body).toContain('同意推荐');
    expect(successOutputs()[0]?.output).toMatchObject({ decision: 'approve', scores: FULL_SCORES });
  });

  it('draws the review page again on a refused form: the choice and scores kept, the error beside the reason', async () => {
    const open = await underReview('province');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const [criterion, score] = Object.entries(FULL_SCORES)[0] ?? ['', 0];

    const refused = await decide(
      open.reviewId,
      `t=${SECRET}&decision=return&reason=&scores.${criterion}=${score}`,
      form,
    );

    expect(refused.statusCode).toBe(400);
    expect(refused.headers?.['content-type']).toBe('text/html; charset=utf-8');
    // The page itself, not a separate error page: its form posts to the same decision, from this URL.
    expect(refused.body).toContain(`action="../${open.reviewId}/decision"`);
    expect(refused.body).toContain(`name="t" value="${SECRET}"`);
    expect(refused.body).toMatch(/<input type="radio" name="decision" value="return" required checked>/);
    expect(refused.body).not.toMatch(/value="approve" required checked/);
    expect(refused.body).toContain(
      `name="scores.${criterion}" min="0" max="100" step="0.5" inputmode="decimal" value="${score}"`,
    );
    // Beside the reason, in both languages as the page speaks them.
    expect(refused.body).toMatch(
      /<textarea id="reason" name="reason"[^>]* aria-invalid="true" aria-describedby="reason-error">/,
    );
    expect(refused.body).toMatch(
      /<p class="field-error" id="reason-error">[^<]*需说明原因[^<]*<span class="en">a reason is required to return or reject<\/span><\/p>/,
    );
    expect(stored(open.reviewId)?.decision).toBeUndefined();

    // The reason typed is kept as well when another field is what is wrong.
    const badScore = await decide(
      open.reviewId,
      `t=${SECRET}&decision=return&reason=${encodeURIComponent('请补充<产值>证明')}&scores.${criterion}=900`,
      form,
    );
    expect(badScore.statusCode).toBe(400);
    expect(badScore.body).toContain('>请补充&lt;产值&gt;证明</textarea>');
    expect(badScore.body).toContain('value="900"');
  });

  it('a signed-in reviewer of the stage decides without the link, recorded as user:<sub>', async () => {
    const open = await underReview('city');

    const result = await decideAs(PEOPLE.yanbianReviewer, open.reviewId, { decision: 'approve' });

    expect(result.statusCode).toBe(200);
    expect(json(result)).toMatchObject({ decision: 'approve', decidedBy: 'user:reviewer-222400' });
    expect(successOutputs()).toEqual([
      {
        taskToken: open.taskToken,
        output: expect.objectContaining({ decision: 'approve', decidedBy: 'user:reviewer-222400' }),
      },
    ]);
    expect(stored(open.reviewId)).toMatchObject({ status: 'DECIDED', decidedBy: 'user:reviewer-222400' });
  });

  it('refuses a signed-in principal whose stage it is not: 403 FORBIDDEN, nothing written or sent', async () => {
    const open = await underReview('city');
    // The province above, MIIT, the county below, an operator: none decides the city's review.
    for (const principal of [
      PEOPLE.jilinReviewer,
      PEOPLE.miitReviewer,
      PEOPLE.dunhuaApplicant,
      PEOPLE.nationalOperator,
    ]) {
      // The link's secret does not help: the signed-in principal is who decides.
      expectForbidden(await decideAs(principal, open.reviewId, { t: SECRET, decision: 'approve' }));
    }
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expectNoWrite();
    expect(stored(open.reviewId)?.status).toBe('PENDING');
  });

  it('checks the reviewer before the body, and answers 404 for an unknown review', async () => {
    const open = await underReview('province');
    expectForbidden(await decideAs(PEOPLE.yanbianReviewer, open.reviewId, { decision: 'maybe' }));
    const bad = await decideAs(PEOPLE.jilinReviewer, open.reviewId, { decision: 'maybe' });
    expect(bad.statusCode).toBe(400);
    const unknown = await decideAs(PEOPLE.jilinReviewer, `${APP_ID}.province.9.9`, { decision: 'approve' });
    expect(unknown.statusCode).toBe(404);
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('GET /v1/reviews: the inbox', () => {
  const inbox = (as: Principal | undefined, query: Record<string, string> = {}) =>
    handler(event('GET /v1/reviews', { query, ...(as && { as }) }));

  it("lists the signed-in reviewer's pending reviews from the index, without secrets", async () => {
    const open = await underReview('city');

    const result = await inbox(PEOPLE.yanbianReviewer, { status: 'PENDING' });

    expect(result.statusCode).toBe(200);
    expect(json(result).jurisdiction).toEqual({ code: '222400', name: '延边朝鲜族自治州' });
    expect(json(result).reviews).toEqual([
      expect.objectContaining({
        reviewId: open.reviewId,
        clusterName: '敦化市医药产业集群',
        deadline: open.deadline,
        overdue: false,
      }),
    ]);
    expect(result.body).not.toContain(open.taskToken);
    expect(result.body).not.toContain(open.secretHash);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { IndexName: 'byDeadline' });
    expect(ddb).not.toHaveReceivedCommand(ScanCommand);
    expect(json(result).ranking).toBeUndefined();
  });

  it('lists a review expired when its stage timed out as lapsed, from its own index partition, for LAPSED_SHOWN_DAYS', async () => {
    const lapsed = await underReview('city', { review: { deadline: daysFrom(now, -3) } });
    const store = new DynamoReviews(documentClient(), TABLE);
    const reason = '逾期不予受理：延边朝鲜族自治州市级审核未在截止时间前完成';
    expect(await store.expireReview(lapsed, daysFrom(now, -3), reason)).toMatchObject({ status: 'EXPIRED' });
    // Once: a retried closing changes nothing.
    expect(await store.expireReview(lapsed, daysFrom(now, -2), reason)).toBeUndefined();
    expect(stored(lapsed.reviewId)).toMatchObject({
      status: 'EXPIRED',
      closedAt: daysFrom(now, -3),
      closedReason: reason,
    });

    const listed = json(await inbox(PEOPLE.yanbianReviewer));
    expect(listed.reviews).toEqual([]);
    expect(listed.lapsed).toEqual([expect.objectContaining({ reviewId: lapsed.reviewId, overdue: true })]);
    expect(ddb).not.toHaveReceivedCommand(ScanCommand);

    // A review that lapsed before the window is history: not listed.
    const later = new Date(Date.parse(lapsed.deadline) + (LAPSED_SHOWN_DAYS + 1) * 86_400_000);
    // A city's inbox with nothing pending: no quota is read.
    const unread = () => Promise.reject(new Error('not read'));
    const old = await reviewInbox(
      {
        reviews: store,
        clock: () => later,
        records: { getApplication: unread },
        campaigns: { get: unread },
        quotas: { usage: unread },
      },
      PEOPLE.yanbianReviewer,
      {},
    );
    expect(old.lapsed).toEqual([]);
  });

  it('does not expire a review a decision reached first', async () => {
    const decided = await underReview('city', { review: { status: 'DECIDED', decision: 'approve' } });
    const store = new DynamoReviews(documentClient(), TABLE);
    expect(await store.expireReview(decided, now.toISOString(), '逾期')).toBeUndefined();
    expect(stored(decided.reviewId)).toMatchObject({ status: 'DECIDED', decision: 'approve' });
  });

  it("takes the jurisdiction parameter of older clients when it names the reviewer's own, else 403", async () => {
    const open = await underReview('city');
    const own = await inbox(PEOPLE.yanbianReviewer, { jurisdiction: '222400' });
    expect(own.statusCode).toBe(200);
    expect(json(own).reviews.map((r: { reviewId: string }) => r.reviewId)).toEqual([open.reviewId]);

    ddb.resetHistory();
    // Below, above or beside: another jurisdiction's inbox is not theirs to read.
    expectForbidden(await inbox(PEOPLE.jilinReviewer, { jurisdiction: '222400' }));
    expectForbidden(await inbox(PEOPLE.yanbianReviewer, { jurisdiction: '220000' }));
    expectForbidden(await inbox(PEOPLE.yanbianReviewer, { jurisdiction: '220100' }));
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);

    const malformed = await inbox(PEOPLE.yanbianReviewer, { jurisdiction: 'yanbian' });
    expect(malformed.statusCode).toBe(400);
    expect(fields(malformed)).toEqual(['query.jurisdiction']);
  });

  it('is for reviewers only (403 for applicants and operators) and needs a principal (401)', async () => {
    await underReview('city');
    for (const principal of [PEOPLE.dunhuaApplicant, PEOPLE.jilinOperator, PEOPLE.nationalOperator]) {
      expectForbidden(await inbox(principal));
    }
    const anonymous = await inbox(undefined, { jurisdiction: '222400' });
    expect(anonymous.statusCode).toBe(401);
    expect(json(anonymous).error.code).toBe('UNAUTHENTICATED');
  });

  it('ranks the province candidates by weighted score (择优遴选)', async () => {
    const decided = (id: string, weightedScore: number) =>
      review(now, {
        applicationId: id,
        reviewId: `${id}.province.3.1`,
        stage: 'province',
        jurisdictionCode: '220000',
        clusterName: `集群${weightedScore}`,
        status: 'DECIDED',
        decision: 'approve',
        scores: FULL_SCORES,
        weightedScore,
        decidedBy: 'review-link',
        decidedAt: now.toISOString(),
      });
    await seedReview(decided('aaaaaaaa-2222-4333-8444-555555555555', 71.5));
    await seedReview(decided('bbbbbbbb-2222-4333-8444-555555555555', 88.25));
    await seedReview(decided('cccccccc-2222-4333-8444-555555555555', 9));

    const result = await inbox(PEOPLE.jilinReviewer);

    expect(result.statusCode).toBe(200);
    const [group] = json(result).ranking;
    expect(group.campaignId).toBe(campaign.campaignId);
    expect(group.candidates.map((c: { rank: number; weightedScore: number }) => [c.rank, c.weightedScore])).toEqual([
      [1, 88.25],
      [2, 71.5],
      [3, 9],
    ]);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { IndexName: 'byJurisdiction', ScanIndexForward: false });
  });
});

describe('GET /console/inbox: the inbox page', () => {
  const inboxPage = async (principal: Principal | undefined, query: Record<string, string> = {}) =>
    handler(event('GET /console/inbox', { query, ...(principal && { bearer: await token(principal) }) }));

  it("shows the signed-in reviewer's own inbox without asking for a jurisdiction", async () => {
    const open = await underReview('city');
    const result = await inboxPage(PEOPLE.yanbianReviewer);
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('延边朝鲜族自治州');
    expect(result.body).toContain(`data-review="${open.reviewId}"`);
    expect(result.body).toContain(`data-post="/console/reviews/${encodeURIComponent(open.reviewId)}/resend"`);

    // The province's reviewer sees the province's inbox, not the city's review.
    const province = await inboxPage(PEOPLE.jilinReviewer);
    expect(province.statusCode).toBe(200);
    expect(province.body).not.toContain(`data-review="${open.reviewId}"`);
  });

  it('links an expert-panel row to its panel page, where the level seats and closes it (the review page has no seat form)', async () => {
    const step = { index: 1, kind: 'expert-panel' as const };
    const open = await underReview('province', {
      application: { stage: 'province', step },
      review: { stage: 'province', jurisdictionCode: '220000', step },
    });
    const result = await inboxPage(PEOPLE.jilinReviewer);
    const row =
      new RegExp(`<tr data-review="${open.reviewId.replace(/\./g, '\\.')}"[^]*?</tr>`).exec(result.body)?.[0] ?? '';
    expect(row).toContain(
      `<a data-panel href="/console/panels/${encodeURIComponent(open.reviewId)}">选派专家、结束评审</a>`,
    );
    // A plain review's row has no such link.
    const city = await underReview('city');
    expect((await inboxPage(PEOPLE.yanbianReviewer)).body).toContain(`data-review="${city.reviewId}"`);
    expect((await inboxPage(PEOPLE.yanbianReviewer)).body).not.toContain('data-panel');
  });

  it("refuses another jurisdiction's inbox and non-reviewers with a 403 page; without a session, to sign-in", async () => {
    await underReview('city');
    for (const [principal, query] of [
      [PEOPLE.jilinReviewer, { jurisdiction: '222400' }],
      [PEOPLE.dunhuaApplicant, {}],
      [PEOPLE.jilinOperator, {}],
    ] as const) {
      const result = await inboxPage(principal, query);
      expect(result.statusCode).toBe(403);
      expect(result.headers?.['content-type']).toContain('text/html');
      expect(result.body).not.toContain('敦化市医药产业集群');
    }
    const anonymous = await inboxPage(undefined);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers?.location).toMatch(/^\/console\/sign-in\?next=/);
  });
});

describe('POST /v1/applications/{applicationId}/withdraw', () => {
  const withdrawAs = (as: Principal | undefined, body?: unknown, applicationId = APP_ID) =>
    handler(
      event('POST /v1/applications/{applicationId}/withdraw', {
        pathParameters: { applicationId },
        body,
        ...(as && { as }),
      }),
    );
  const withdraw = (body?: unknown) => withdrawAs(PEOPLE.dunhuaApplicant, body);

  it('fails the pending review task with "Withdrawn"; the review can no longer be decided', async () => {
    const open = await underReview('city');

    const result = await withdraw({ reason: '企业数据有误，主动撤回' });

    expect(result.statusCode).toBe(200);
    expect(json(result)).toMatchObject({ applicationId: APP_ID, status: 'WITHDRAWN', via: 'review-task' });
    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, { taskToken: open.taskToken, error: 'Withdrawn' });
    const cause = sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input.cause ?? '{}';
    expect(JSON.parse(cause)).toEqual({ reason: '企业数据有误，主动撤回', by: 'applicant-222403' });
    expect(stored(open.reviewId)?.status).toBe('WITHDRAWN');
    expect((await decide(open.reviewId, { t: SECRET, decision: 'approve' })).statusCode).toBe(410);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('while the execution waits (public notice): stops it, records WITHDRAWN and frees the slot, once', async () => {
    const app = application(now, { status: 'PUBLIC_NOTICE', revision: 9 });
    const executionArn = 'arn:aws-cn:states:cn-north-1:123456789012:execution:ReviewLadder:app-3';
    seed(cloud.table).application(app, {
      gsi2pk: 'STATUS#PUBLIC_NOTICE',
      gsi2sk: 'x',
      gsi1pk: 'JUR#220000',
      gsi1sk: 'y',
      executionArn,
    });
    await new DynamoQuotas(documentClient(), TABLE).reserve(quotaRequestFor(app, campaign, 'province'));

    const result = await withdraw();

    expect(result.statusCode).toBe(200);
    expect(json(result)).toMatchObject({ status: 'WITHDRAWN', via: 'stop-execution' });
    expect(sfn).toHaveReceivedCommandWith(StopExecutionCommand, { executionArn, error: 'Withdrawn' });
    const item = cloud.table.get(`APP#${APP_ID}`, 'APP');
    expect(item).toMatchObject({
      status: 'WITHDRAWN',
      revision: 10,
      gsi1sk: `${campaign.campaignId}#WITHDRAWN#222403#${APP_ID}`,
    });
    expect(item?.gsi2pk).toBeUndefined();
    const counter = quotaKeys.counter(campaign.campaignId, 'recommendation', 'provincial', '220000');
    expect(cloud.table.get(counter.pk, counter.sk)?.used).toBe(0);
    expect(
      cloud.table.all().filter((i) => String(i.sk).startsWith('AUDIT#') && i.action === 'WITHDRAWN'),
    ).toMatchObject([
      {
        actor: 'applicant-222403',
        role: 'applicant',
        jurisdiction: '222403',
        requestId: 'req-1',
        fromStatus: 'PUBLIC_NOTICE',
        toStatus: 'WITHDRAWN',
      },
    ]);

    const again = await withdraw();
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('ALREADY_ENDED');
    expect(cloud.table.get(counter.pk, counter.sk)?.used).toBe(0);
  });

  it('fails the resubmission task of a returned application', async () => {
    seed(cloud.table).application(application(now, { status: 'RETURNED' }), {
      resubmissionToken: 'resubmission-token',
    });
    const result = await withdraw();
    expect(result.statusCode).toBe(200);
    expect(json(result).via).toBe('resubmission-task');
    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, {
      taskToken: 'resubmission-token',
      error: 'Withdrawn',
    });
  });

  it('refuses an application that has already ended (409)', async () => {
    seed(cloud.table).application(application(now, { status: 'REJECTED' }));
    const result = await withdraw();
    expect(result.statusCode).toBe(409);
    expect(json(result).error.code).toBe('ALREADY_ENDED');
    expect(sfn.calls()).toHaveLength(0);
  });

  it("is the county's applicant's alone: others get 403 FORBIDDEN, before the body is read, and nothing ends", async () => {
    const open = await underReview('city');
    // Another county's applicant, the reviewers and operators above the county.
    for (const principal of [
      PEOPLE.hebeiApplicant,
      PEOPLE.yanbianReviewer,
      PEOPLE.jilinOperator,
      PEOPLE.nationalOperator,
    ]) {
      expectForbidden(await withdrawAs(principal, { reason: 42 }));
    }
    expect(sfn.calls()).toHaveLength(0);
    expectNoWrite();
    expect(stored(open.reviewId)?.status).toBe('PENDING');
    expect(cloud.table.get(`APP#${APP_ID}`, 'APP')?.status).toBe('CITY_REVIEW');
  });

  it('answers 401 without a principal and 404 for an unknown application', async () => {
    await underReview('city');
    const anonymous = await withdrawAs(undefined);
    expect(anonymous.statusCode).toBe(401);
    expect(json(anonymous).error.code).toBe('UNAUTHENTICATED');
    expect((await withdrawAs(PEOPLE.dunhuaApplicant, {}, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('POST /v1/applications/{applicationId}/cancel', () => {
  const cancelAs = (as: Principal | undefined, body?: unknown) =>
    handler(
      event('POST /v1/applications/{applicationId}/cancel', {
        pathParameters: { applicationId: APP_ID },
        body,
        ...(as && { as }),
      }),
    );
  const cancel = (body?: unknown) => cancelAs(PEOPLE.jilinOperator, body);

  it('needs the reason (一经查实，立即取消), then fails the pending task with "Cancelled"', async () => {
    const open = await underReview('province');
    const missing = await cancel({});
    expect(missing.statusCode).toBe(400);
    expect(fields(missing)).toEqual(['reason']);
    expect(sfn.calls()).toHaveLength(0);

    const result = await cancel({ reason: '经查实，产值数据虚报' });

    expect(result.statusCode).toBe(200);
    expect(json(result)).toMatchObject({ status: 'CANCELLED', via: 'review-task' });
    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, { taskToken: open.taskToken, error: 'Cancelled' });
    expect(stored(open.reviewId)).toMatchObject({ status: 'CANCELLED', closedReason: '经查实，产值数据虚报' });
    const cause = sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input.cause ?? '{}';
    expect(JSON.parse(cause)).toMatchObject({ by: 'operator-220000' });
  });

  it('is for operators over the application: national scope too; others 403 before the body, nothing ends', async () => {
    const open = await underReview('province');
    const cityScoped: Principal = { sub: 'operator-222400', role: 'operator', jurisdiction: '222400' };
    // Wrong role, another province's operator, an operator of no provincial scope.
    for (const principal of [
      PEOPLE.dunhuaApplicant,
      PEOPLE.jilinReviewer,
      PEOPLE.miitReviewer,
      HEBEI_OPERATOR,
      cityScoped,
    ]) {
      expectForbidden(await cancelAs(principal, {}));
    }
    expect(sfn.calls()).toHaveLength(0);
    expectNoWrite();
    expect(stored(open.reviewId)?.status).toBe('PENDING');
    expect((await cancelAs(undefined, { reason: 'x' })).statusCode).toBe(401);

    const national = await cancelAs(PEOPLE.nationalOperator, { reason: '经查实，产值数据虚报' });
    expect(national.statusCode).toBe(200);
    const cause = sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input.cause ?? '{}';
    expect(JSON.parse(cause)).toMatchObject({ by: 'operator-000000' });
  });
});

describe('POST /v1/applications/{applicationId}/objections', () => {
  const objectAs = (as: Principal | undefined, body?: unknown, applicationId = APP_ID) =>
    handler(
      event('POST /v1/applications/{applicationId}/objections', {
        pathParameters: { applicationId },
        body,
        ...(as && { as }),
      }),
    );
  const object = (body?: unknown) => objectAs(PEOPLE.hebeiApplicant, body);
  const inNotice = {
    status: 'PUBLIC_NOTICE' as const,
    stage: 'miit' as const,
    noticeStartedAt: daysFrom(now, -1),
    noticeEndsAt: daysFrom(now, 6),
  };

  it('stores an untriaged objection addressed to the level holding the notice, and moves nothing (201)', async () => {
    seed(cloud.table).application(application(now, inNotice));

    const result = await object({ reason: '集群面积超过100平方公里', contact: '0433-6222222' });

    expect(result.statusCode).toBe(201);
    const objection = json(result);
    expect(objection).toMatchObject({
      applicationId: APP_ID,
      resolved: false,
      reason: '集群面积超过100平方公里',
      channel: 'signed-in',
      addressedTo: { stage: 'miit', jurisdictionCode: '000000' },
    });
    const item = cloud.table.get(`APP#${APP_ID}`, `OBJECTION#${objection.filedAt}#${objection.objectionId}`);
    expect(item).toMatchObject({ resolved: false, contact: '0433-6222222', gsi2pk: 'OBJECTIONS#OPEN' });
    expect(cloud.table.get(`APP#${APP_ID}`, 'APP')).toMatchObject({ status: 'PUBLIC_NOTICE' });
    // Anyone signed in may object; the audit trail names who.
    expect(cloud.table.all().filter((i) => i.action === 'OBJECTION_FILED')).toMatchObject([
      { actor: 'applicant-130102', role: 'applicant', jurisdiction: '130102', requestId: 'req-1' },
    ]);
    for (const principal of [PEOPLE.jilinOperator, PEOPLE.miitReviewer]) {
      expect((await objectAs(principal, { reason: '集群面积超过100平方公里' })).statusCode).toBe(201);
    }
  });

  it('answers 401 without a principal, and 404 for an unknown application', async () => {
    seed(cloud.table).application(application(now, inNotice));
    const anonymous = await objectAs(undefined, { reason: '有异议' });
    expect(anonymous.statusCode).toBe(401);
    const unknown = await objectAs(PEOPLE.hebeiApplicant, { reason: '有异议' }, '00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(cloud.table.all().some((item) => String(item.sk).startsWith('OBJECTION#'))).toBe(false);
  });

  it('tells nobody the status of an application not in notice: the same 404 as an unknown one', async () => {
    seed(cloud.table).application(application(now, { status: 'MIIT_REVIEW' }));
    const outside = await object({ reason: '有异议' });
    const unknown = await objectAs(PEOPLE.hebeiApplicant, { reason: '有异议' }, '00000000-0000-4000-8000-000000000000');
    expect(outside.statusCode).toBe(404);
    const redact = (body: string) =>
      body.replaceAll(APP_ID, 'ID').replaceAll('00000000-0000-4000-8000-000000000000', 'ID');
    expect(redact(outside.body)).toBe(redact(unknown.body));
    expect(outside.body).not.toContain('MIIT_REVIEW');

    // The notice has ended (the ladder has not moved on yet): closed all the same.
    seed(cloud.table).application(application(now, { ...inNotice, noticeEndsAt: daysFrom(now, -0.01) }));
    expect((await object({ reason: '有异议' })).statusCode).toBe(404);

    const empty = await object({ contact: 'x' });
    expect(empty.statusCode).toBe(400);
    expect(fields(empty)).toEqual(['reason']);
    expect(cloud.table.all().some((item) => String(item.sk).startsWith('OBJECTION#'))).toBe(false);
  });

  it('counts objections per person: over the limit, 429 with Retry-After, nothing stored', async () => {
    seed(cloud.table).application(application(now, inNotice));
    for (let i = 0; i < 5; i++) expect((await object({ reason: `第${i}条异议` })).statusCode).toBe(201);
    const over = await object({ reason: '第六条异议' });
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(json(over).error.code).toBe('TOO_MANY_REQUESTS');
    expect(cloud.table.all().filter((item) => String(item.sk).startsWith('OBJECTION#'))).toHaveLength(5);
    // Another person is not held back by this one's count.
    expect((await objectAs(PEOPLE.miitReviewer, { reason: '另一人的异议' })).statusCode).toBe(201);
  });
});
