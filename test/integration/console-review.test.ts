import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../local/client/api-client.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { asBeforeSteps, DUNHUA, fileAndSubmit, reviewLink, statusOf, uploadPdf } from './steps.ts';
import { as, asOperator, startTestStack, type TestStack } from './harness.ts';

/**
 * A signed-in city reviewer decides from the console, over the whole local stack: the inbox's
 * row opens the review's console page, its form (posted as a browser posts it) records the
 * approval, the ladder moves on to the province (its reviewers are emailed their link), and the
 * trail names the person who signed in, through sign-in.
 */
const campaign = asBeforeSteps(demoCampaign(new Date()));
let stack: TestStack;
let applicationId = '';
let reviewId = '';

beforeAll(async () => {
  stack = await startTestStack();
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
  applicationId = await fileAndSubmit(stack, campaign, { ...DUNHUA, clusterName: '敦化市医药产业集群（控制台审核）' });
  ({ reviewId } = await reviewLink(stack, applicationId, 'city'));
}, 120_000);

afterAll(() => stack?.cleanup());

const FORM = { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' };

describe('a signed-in city reviewer decides from the console', () => {
  it('opens the review from the inbox’s row, approves it, and the ladder moves on to the province', async () => {
    // 延边州's reviewer, signed in with their name.
    const token = await stack.issuer.issue({
      sub: 'reviewer-222400',
      role: 'reviewer',
      jurisdiction: '222400',
      name: '金审核',
    });
    const reviewer = new ApiClient({ baseUrl: stack.apiUrl, token });

    const inbox = await reviewer.raw('GET', '/console/inbox');
    expect(inbox.status).toBe(200);
    const href = `/console/reviews/${encodeURIComponent(reviewId)}`;
    expect(String(inbox.body)).toContain(`href="${href}"`);

    const page = await reviewer.raw('GET', href);
    expect(page.status, page.text.slice(0, 300)).toBe(200);
    expect(page.text).toContain('敦化市医药产业集群（控制台审核）');
    expect(page.text).toContain(`action="${href}/decision"`);
    // Another city's reviewer, and the province above, are refused.
    for (const other of [await as(stack, 'reviewer', '220100'), await as(stack, 'reviewer', '220000')])
      expect((await other.raw('GET', href)).status).toBe(403);

    // The city approves once its on-site check statement is on file (the link's page uploads it).
    await uploadPdf(stack, applicationId, 'onsite-check-statement');
    const form = new URLSearchParams({ decision: 'approve' });
    // The city asks whether the cluster also goes for national recognition where its province does.
    if (page.text.includes('name="alsoNational"')) form.set('alsoNational', 'true');
    const decided = await reviewer.raw('POST', `${href}/decision`, form.toString(), FORM);
    expect(decided.status, decided.text.replace(/<style[^]*?<\/style>/, '').slice(0, 3000)).toBe(303);
    expect(decided.headers.get('location')).toBe(`${href}?done=decided`);

    // The ladder moves on: the province's review is opened and its link emailed.
    await reviewLink(stack, applicationId, 'province');
    expect(await statusOf(stack, applicationId)).toBe('PROVINCE_REVIEW');

    // The trail names who decided: the signed-in person, through sign-in.
    const history = await (await asOperator(stack)).history(applicationId);
    const approvals = history.body.events.filter((event) => event.action === 'REVIEW_APPROVED');
    expect(approvals).toEqual([
      expect.objectContaining({
        actor: 'reviewer-222400',
        actorName: '金审核',
        role: 'reviewer',
        jurisdiction: '222400',
        detail: expect.objectContaining({ stage: 'city', via: 'sign-in' }),
      }),
    ]);

    // Back on the page: the decision shown, no form; the inbox no longer lists the review.
    const after = await reviewer.raw('GET', `${href}?done=decided`);
    expect(after.status).toBe(200);
    expect(after.text).toContain('决定已记录');
    expect(after.text).not.toContain(`action="${href}/decision"`);
    expect(String((await reviewer.raw('GET', '/console/inbox')).body)).not.toContain(`data-review="${reviewId}"`);

    // A second post of the form is the link's answer: decided already, nothing moves.
    const again = await reviewer.raw('POST', `${href}/decision`, form.toString(), FORM);
    expect(again.status).toBe(409);
    expect(again.text).toContain('无法记录该决定');
  });
});
