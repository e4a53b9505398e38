import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { asBeforeSteps } from './steps.ts';
import { anonymous, as, asOperator, startTestStack, type TestStack } from './harness.ts';

/**
 * Per-client limits through the local stack (the gateway passes each request's source address):
 * every public path answers 429 with Retry-After once a client is over its limit, the public
 * objection form and the signed-in route counting against the same limits.
 */
const LIMITS = {
  objection: { perPerson: { limit: 5, windowSeconds: 3600 }, perAddress: { limit: 4, windowSeconds: 3600 } },
  reviewDecision: { perPerson: { limit: 60, windowSeconds: 3600 }, perAddress: { limit: 12, windowSeconds: 3600 } },
  linkResend: { perPerson: { limit: 2, windowSeconds: 3600 }, perAddress: { limit: 2, windowSeconds: 3600 } },
  signIn: { perPerson: { limit: 3, windowSeconds: 3600 }, perAddress: { limit: 3, windowSeconds: 3600 } },
};

const clock = new ManualClock();
let stack: TestStack;
const campaign = asBeforeSteps(demoCampaign(new Date()));
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

beforeAll(async () => {
  process.env.RATE_LIMITS = JSON.stringify(LIMITS);
  stack = await startTestStack({ stepFunctions: { clock: { timers: clock } } });
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
});

afterAll(async () => {
  delete process.env.RATE_LIMITS;
  await stack?.cleanup();
});

/** Files from the public page: the receipt number from the answer page. */
async function objectFromPage(applicationId: string, fields: Record<string, string>) {
  const answer = await anonymous(stack).raw(
    'POST',
    `/notice/applications/${applicationId}/objections`,
    form(fields),
    FORM,
  );
  const receipt = /data-receipt="([0-9a-f-]{36})"/.exec(answer.text)?.[1];
  return { answer, receipt };
}

describe('per-client limits on every public path: 429 with Retry-After', () => {
  /** Sends until refused; the refusal comes exactly at limit + 1 counting what this address already sent. */
  async function untilRefused(send: () => Promise<{ status: number; headers: Headers }>, cap: number) {
    for (let i = 0; i < cap; i++) {
      const answer = await send();
      if (answer.status === 429) return answer;
    }
    throw new Error(`no 429 after ${cap} requests`);
  }
  const expectRetryAfter = (answer: { headers: Headers }) =>
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);

  it('sign-in', async () => {
    const refused = await untilRefused(
      () => anonymous(stack).raw('POST', '/console/sign-in', form({ token: 'not-a-token' }), FORM),
      LIMITS.signIn.perAddress.limit + 1,
    );
    expectRetryAfter(refused);
  });

  it('review links: the decision and the resend', async () => {
    const decision = await untilRefused(
      () => anonymous(stack).raw('POST', '/v1/reviews/x/decision', { t: 'x', decision: 'approve' }),
      LIMITS.reviewDecision.perAddress.limit + 1,
    );
    expectRetryAfter(decision);
    const reviewer = await as(stack, 'reviewer', '222400');
    const resend = await untilRefused(
      () => reviewer.raw('POST', '/v1/reviews/x/resend'),
      LIMITS.linkResend.perAddress.limit + 1,
    );
    expectRetryAfter(resend);
  });

  it('objections: the public form and the signed-in route share the limits', async () => {
    const signedIn = await as(stack, 'applicant', '222403');
    const refused = await untilRefused(
      () => signedIn.raw('POST', '/v1/applications/00000000-0000-4000-8000-000000000000/objections', { reason: 'x' }),
      LIMITS.objection.perAddress.limit + 1,
    );
    expectRetryAfter(refused);
    // The same address on the public form is over the same limit: a 429 page.
    const page = await objectFromPage('00000000-0000-4000-8000-000000000000', { name: 'x', contact: 'x', reason: 'x' });
    expect(page.answer.status).toBe(429);
    expect(page.answer.contentType).toContain('text/html');
    expectRetryAfter(page.answer);
  });
});
