import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import type { LevelDocumentKind } from '../../shared/ports/steps.ts';
import type { RegisterView } from '../../shared/register/api-schemas.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { anonymous, asOperator, sentEmails, startTestStack, type TestStack } from './harness.ts';
import * as steps from './steps.ts';

/**
 * Jilin's provincial track on the local stand-ins, with the seeded overlay (issue 12, item 6): two
 * clusters of 敦化市 climb 延边州 → 吉林省 together. The city says "also national" for one and not
 * for the other. The first enters Jilin's own list once the province's review and sampling have
 * passed, as its letter opens; passing the province's last step (its formal letter), the second
 * ends PROVINCIALLY_RECOGNIZED with an entry on Jilin's own list and no MIIT slot; the first waits
 * for the province's batch date and goes on to MIIT.
 */
const clock = new ManualClock();
let stack: TestStack;
const campaign = demoCampaign(new Date(clock.now()));
const JILIN = '220000';
const YANBIAN = '222400';

beforeAll(async () => {
  stack = await startTestStack({ stepFunctions: { clock: { timers: clock } } });
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
});

afterAll(async () => {
  await stack?.cleanup();
});

/** A level files one of its own documents, signed in, and waits for the validator. */
const fileDocument = (jurisdiction: string, kind: LevelDocumentKind, applicationIds?: string[]) =>
  steps.fileLevelDocument(stack, { campaignId: campaign.campaignId, track: 'recommendation', jurisdiction }, kind, {
    ...(applicationIds && { applicationIds }),
  });

/** Approves the review each application waits at (stage, step), with `body`. */
async function approveAll(
  applicationIds: string[],
  stage: 'city' | 'province',
  step: number,
  body: (applicationId: string) => Record<string, unknown> = () => ({}),
): Promise<void> {
  for (const applicationId of applicationIds) {
    const link = await steps.reviewLink(stack, applicationId, stage, 1, step);
    const decided = await anonymous(stack).decide(link.reviewId, {
      t: link.secret,
      decision: 'approve',
      ...body(applicationId),
    });
    expect(decided.status, decided.text).toBe(200);
  }
}

const executionOf = (applicationId: string) => steps.ladderExecution(stack, applicationId).executionArn;

describe("Jilin's provincial track: the city's statement decides who goes on to MIIT", () => {
  it('one cluster ends on Jilin’s own list, the other goes on to MIIT; only it takes a MIIT slot', async () => {
    const [national, provincial] = [
      await steps.fileAndSubmit(stack, campaign, { ...steps.DUNHUA, clusterName: '敦化市医药产业集群' }),
      await steps.fileAndSubmit(stack, campaign, { ...steps.DUNHUA, clusterName: '敦化市人参产业集群' }),
    ] as [string, string];
    const both = [national, provincial];

    // 延边州: its review with the statement, then its formal letter (which completes both waiting steps).
    await approveAll(both, 'city', 0, (id) => ({ alsoNational: id === national }));
    for (const id of both) await steps.reviewLink(stack, id, 'city', 1, 1);
    await fileDocument(YANBIAN, 'formal-letter');

    // 吉林省: 初审, 实地抽查 (one record naming both), then its formal letter.
    await approveAll(both, 'province', 0);
    for (const id of both) await steps.reviewLink(stack, id, 'province', 1, 1);
    await fileDocument(JILIN, 'sampling-record', both);
    await approveAll(both, 'province', 1, () => ({ sampling: { sampled: true, note: '现场查看，情况属实' } }));
    for (const id of both) await steps.reviewLink(stack, id, 'province', 1, 2);

    // Its review and sampling settle Jilin's list: the national candidate is on it as the letter
    // opens, before the province forwards it (its letter, its MIIT slot, its batch date).
    const operator = await asOperator(stack);
    const provincialList = async () => {
      const view = (await operator.raw('GET', `/v1/register?level=provincial`)).json as RegisterView;
      return view.entries
        .filter((entry) => entry.cohort === campaign.year && entry.countyCode === '222403')
        .map((entry) => [entry.clusterName, entry.level, entry.state])
        .sort();
    };
    expect(await provincialList()).toEqual([['敦化市医药产业集群', 'provincial', 'valid']]);
    const trail = (await operator.history(national)).body.events;
    expect(trail.filter((e) => e.action === 'PROVINCIALLY_RECOGNIZED')).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ level: 'provincial', alsoNational: true }) }),
    ]);
    expect(await steps.statusOf(stack, national)).toBe('PROVINCE_REVIEW');

    const provincialEnds = stack.stepFunctions.waitForExecution(executionOf(provincial), 10_000);
    await fileDocument(JILIN, 'formal-letter');

    // Not a national candidate: recognised on Jilin's list at once, with no wait for the batch date.
    expect((await provincialEnds).status).toBe('SUCCEEDED');
    const ended = (await operator.getApplication(provincial)).body;
    expect(ended).toMatchObject({ status: 'PROVINCIALLY_RECOGNIZED', stage: 'province' });
    expect(await steps.statusOf(stack, national)).toBe('PROVINCE_REVIEW');
    // The applicant is told: recognised provincially, not sent on this year.
    const told = (await sentEmails(stack)).filter((email) => email.subject.includes('敦化市人参产业集群'));
    expect(told.map((email) => email.subject).join('\n')).toContain('认定为省级中小企业特色产业集群');

    // The national candidate goes on at the province's deadline, already on Jilin's list.
    await clock.advance(Math.max(0, Date.parse(campaign.calendar.province) - clock.now()) + 1_000);
    await steps.reviewLink(stack, national, 'miit');
    expect(await steps.statusOf(stack, national)).toBe('MIIT_REVIEW');

    expect(await provincialList()).toEqual([
      ['敦化市人参产业集群', 'provincial', 'valid'],
      ['敦化市医药产业集群', 'provincial', 'valid'],
    ]);
    // Entering MIIT wrote nothing more: one provincial recognition in the candidate's trail.
    const after = (await operator.history(national)).body.events;
    expect(after.filter((e) => e.action === 'PROVINCIALLY_RECOGNIZED')).toHaveLength(1);

    // The province's MIIT quota: one slot, the national candidate's.
    const summary = await operator.raw('GET', `/v1/ops/summary?campaignId=${campaign.campaignId}`);
    expect(summary.status, summary.text).toBe(200);
    const quotas = (summary.json as { quotas: { jurisdictionCode: string; used: number }[] }).quotas;
    expect(quotas.find((quota) => quota.jurisdictionCode === JILIN)?.used).toBe(1);
  });
});
