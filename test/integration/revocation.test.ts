import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import type { RegisterView } from '../../shared/register/api-schemas.ts';
import type { RevocationRequest } from '../../shared/revocation/request.ts';
import type { Campaign } from '../../shared/rules/campaign.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { anonymous, as, asOperator, sentEmails, startTestStack, type TestStack } from './harness.ts';
import * as steps from './steps.ts';
import { asBeforeSteps, DUNHUA } from './steps.ts';

/**
 * Cancellation for false information on the local stand-ins (issue 13, item 4): a cluster
 * recognised by walking the ladder is revoked after a province reviewer's request and the province
 * operator's confirmation (the register entry revoked with its history line, the application's
 * trail, the county's email, gone from the valid list); an application in flight is cancelled
 * through the same request and confirmation; the requester never confirms their own request.
 */
const clock = new ManualClock();
let stack: TestStack;
const before = asBeforeSteps(demoCampaign(new Date(clock.now())));
/** One review a level, no public notice after MIIT: the execution ends on MIIT's approval. */
const campaign: Campaign = { ...before, steps: { ...before.steps, miit: [{ kind: 'review' }] } };

beforeAll(async () => {
  stack = await startTestStack({ stepFunctions: { clock: { timers: clock } } });
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
});

afterAll(async () => {
  await stack?.cleanup();
});

const executionOf = (applicationId: string) => steps.ladderExecution(stack, applicationId).executionArn;

/** Walks the application up the ladder to RECOGNIZED: each level's link, the province's batch date on the clock. */
async function recognise(applicationId: string): Promise<void> {
  // Jilin's city states whether its candidate is also recommended for national status.
  await steps.approveStage(stack, campaign, applicationId, 'city', { extra: () => ({ alsoNational: true }) });
  await steps.approveStage(stack, campaign, applicationId, 'province');
  await clock.advance(Math.max(0, Date.parse(campaign.calendar.province) - clock.now()) + 1_000);
  const miit = await steps.reviewLink(stack, applicationId, 'miit');
  const ended = stack.stepFunctions.waitForExecution(executionOf(applicationId), 10_000);
  expect((await anonymous(stack).decide(miit.reviewId, { t: miit.secret, decision: 'approve' })).status).toBe(200);
  expect((await ended).status).toBe('SUCCEEDED');
  expect(await steps.statusOf(stack, applicationId)).toBe('RECOGNIZED');
}

async function registerOf(query: string): Promise<RegisterView> {
  const reply = await (await asOperator(stack)).raw('GET', `/v1/register${query}`);
  expect(reply.status, reply.text).toBe(200);
  return reply.json as RegisterView;
}

interface HistoryEvent {
  action: string;
  actor: string;
  reason?: string;
  fromStatus?: string;
  toStatus?: string;
  detail?: Record<string, unknown>;
}
const historyOf = async (applicationId: string) =>
  (
    (await (await asOperator(stack)).raw('GET', `/v1/applications/${applicationId}/history`)).json as {
      events: HistoryEvent[];
    }
  ).events;

describe('cancellation for false information', () => {
  it('after recognition: a province reviewer asks, the province operator confirms, the entry is revoked', async () => {
    const clusterName = '敦化市医药产业集群（撤销测试）';
    const applicationId = await steps.fileAndSubmit(stack, campaign, { ...DUNHUA, clusterName });
    await recognise(applicationId);
    const valid = await registerOf('?state=valid');
    const entry = valid.entries.find((e) => e.source.kind === 'pipeline' && e.source.applicationId === applicationId);
    expect(entry?.state).toBe('valid');

    const reviewer = await as(stack, 'reviewer', '220000');
    const filed = await reviewer.raw('POST', '/v1/revocations', {
      target: { kind: 'application', applicationId },
      reason: '经查实，申报的规上企业数量虚报',
      evidenceNote: '市场监管部门登记信息比对',
    });
    expect(filed.status, filed.text).toBe(201);
    const request = filed.json as RevocationRequest;
    expect(request).toMatchObject({ state: 'requested', phase: 'recognised', entryId: entry?.entryId });

    // Two people: the requester is refused; a reviewer of another province cannot ask about it either.
    const own = await reviewer.raw('POST', `/v1/revocations/${request.requestId}/decision`, { decision: 'confirm' });
    expect(own.status).toBe(403);
    expect(own.text).toContain('OWN_REQUEST');
    const elsewhere = await (
      await as(stack, 'reviewer', '140000')
    ).raw('POST', '/v1/revocations', {
      target: { kind: 'application', applicationId },
      reason: 'x',
    });
    expect(elsewhere.status).toBe(403);

    const operator = await as(stack, 'operator', '220000');
    const confirmed = await operator.raw('POST', `/v1/revocations/${request.requestId}/decision`, {
      decision: 'confirm',
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json).toMatchObject({
      state: 'confirmed',
      decidedBy: { sub: 'operator-220000' },
      effect: { outcome: 'revoked', entryId: entry?.entryId, countyTold: true },
    });
    // Confirmed again: the same answer, nothing changed twice.
    const again = await operator.raw('POST', `/v1/revocations/${request.requestId}/decision`, { decision: 'confirm' });
    expect(again.json).toEqual(confirmed.json);

    // The register shows it revoked, with the reason and who confirmed; it left the valid list.
    const revoked = (await registerOf('')).entries.find((e) => e.entryId === entry?.entryId);
    expect(revoked?.state).toBe('revoked');
    expect(revoked?.due).toEqual([]);
    expect(revoked?.history).toHaveLength(2);
    expect(revoked?.history.at(-1)).toMatchObject({ from: 'valid', to: 'revoked', by: 'operator:operator-220000' });
    expect(revoked?.history.at(-1)?.reason).toContain('规上企业数量虚报');
    expect((await registerOf('?state=valid')).entries.map((e) => e.entryId)).not.toContain(entry?.entryId);

    // The application's trail: asked, then cancelled after recognition by the confirming operator.
    expect(await steps.statusOf(stack, applicationId)).toBe('CANCELLED');
    const history = await historyOf(applicationId);
    expect(history.find((e) => e.action === 'REVOCATION_REQUESTED')).toMatchObject({ actor: 'reviewer-220000' });
    expect(history.find((e) => e.action === 'CANCELLED')).toMatchObject({
      actor: 'operator-220000',
      fromStatus: 'RECOGNIZED',
      toStatus: 'CANCELLED',
      detail: { via: 'revocation', revocationRequest: request.requestId },
    });

    // The county was told, once.
    const told = (await sentEmails(stack)).filter((m) => m.subject.includes(`Recognition revoked: ${clusterName}`));
    expect(told).toHaveLength(1);
    expect(told[0]?.body.text).toContain('规上企业数量虚报');

    // The county's own page shows it revoked, owing nothing.
    const page = await (await as(stack, 'applicant', DUNHUA.countyCode)).raw('GET', '/portal/clusters');
    expect(page.text).toMatch(new RegExp(`data-entry="${entry?.entryId ?? ''}"[\\s\\S]*?data-state="revoked"`));
  });

  it('in flight: the same request and confirmation cancel the application and end its workflow', async () => {
    const applicationId = await steps.fileAndSubmit(stack, campaign, {
      ...DUNHUA,
      clusterName: '敦化市人参产业集群（取消测试）',
    });
    // The city's reviewer found it while holding the step: the request goes from the review link page's form.
    const city = await steps.reviewLink(stack, applicationId, 'city');
    const page = await anonymous(stack).raw('GET', `/v1/reviews/${city.reviewId}?t=${city.secret}`);
    expect(page.text).toContain(`action="./${city.reviewId}/revocations"`);
    const filed = await anonymous(stack).raw('POST', `/v1/reviews/${city.reviewId}/revocations?t=${city.secret}`, {
      reason: '申报材料中的产值证明系伪造',
    });
    expect(filed.status, filed.text).toBe(201);
    const request = filed.json as RevocationRequest;
    expect(request).toMatchObject({
      phase: 'in-flight',
      levelCode: '222400',
      requestedBy: { sub: `link-${city.reviewId}` },
    });

    // Another operator's province may not decide it; the national operator may, but 吉林省's does.
    const liaoning = await as(stack, 'operator', '210000');
    expect(
      (await liaoning.raw('POST', `/v1/revocations/${request.requestId}/decision`, { decision: 'confirm' })).status,
    ).toBe(403);
    const ended = stack.stepFunctions.waitForExecution(executionOf(applicationId), 10_000);
    const confirmed = await (
      await as(stack, 'operator', '220000')
    ).raw('POST', `/v1/revocations/${request.requestId}/decision`, { decision: 'confirm' });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json).toMatchObject({ state: 'confirmed', effect: { outcome: 'cancelled' } });
    expect((await ended).status).not.toBe('RUNNING');
    expect(await steps.statusOf(stack, applicationId)).toBe('CANCELLED');
    const cancelled = (await historyOf(applicationId)).find((e) => e.action === 'CANCELLED');
    expect(cancelled?.reason).toContain('产值证明系伪造');

    // The list shows both requests to 吉林省's operator, with their states; none to 辽宁's.
    const listed = (await (await as(stack, 'operator', '220000')).raw('GET', '/v1/revocations')).json as {
      requests: RevocationRequest[];
    };
    expect(listed.requests.map((r) => r.state)).toEqual(['confirmed', 'confirmed']);
    expect(listed.requests[0]?.requestedBy.sub).toBe(`link-${city.reviewId}`);
    const none = (await liaoning.raw('GET', '/v1/revocations')).json as { requests: RevocationRequest[] };
    expect(none.requests).toEqual([]);
  });

  it('an imported entry is revoked on its own request; a declined request leaves the entry valid', async () => {
    // The seeded 2022 national cluster of 敦化市 came from the list, not from an application.
    const seeded = (await registerOf('?cohort=2022')).entries.find((e) => e.clusterName === '敦化市医药产业集群');
    if (!seeded) throw new Error('the seed has no 敦化市医药产业集群');
    const reviewer = await as(stack, 'reviewer', '220000');
    const first = (
      await reviewer.raw('POST', '/v1/revocations', {
        target: { kind: 'entry', entryId: seeded.entryId },
        reason: '线索：年报数据前后不一',
      })
    ).json as RevocationRequest;
    const national = await asOperator(stack);
    const declined = await national.raw('POST', `/v1/revocations/${first.requestId}/decision`, { decision: 'decline' });
    expect(declined.status).toBe(400);
    expect(
      (
        await national.raw('POST', `/v1/revocations/${first.requestId}/decision`, {
          decision: 'decline',
          reason: '经核查，数据口径调整所致',
        })
      ).json,
    ).toMatchObject({ state: 'declined', declineReason: '经核查，数据口径调整所致' });
    expect((await registerOf('?cohort=2022')).entries.find((e) => e.entryId === seeded.entryId)?.state).toBe('valid');

    const second = await reviewer.raw('POST', '/v1/revocations', {
      target: { kind: 'entry', entryId: seeded.entryId },
      reason: '经查实，集群面积虚报',
    });
    expect(second.status, second.text).toBe(201);
    const confirmed = await national.raw(
      'POST',
      `/v1/revocations/${(second.json as RevocationRequest).requestId}/decision`,
      {
        decision: 'confirm',
      },
    );
    expect(confirmed.json).toMatchObject({ effect: { outcome: 'revoked', countyTold: false } });
    const after = (await registerOf('?cohort=2022')).entries.find((e) => e.entryId === seeded.entryId);
    expect(after?.state).toBe('revoked');
    expect(after?.history.at(-1)).toMatchObject({ by: 'operator:operator-000000', to: 'revoked' });
  });
});
