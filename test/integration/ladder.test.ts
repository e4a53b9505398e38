import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import { type Campaign } from '../../shared/rules/campaign.ts';
import { ChecklistItemSchema } from '../../shared/rules/checklist.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { onsiteStatementItem } from '../../shared/rules/campaigns/miit-2025-recommendation.ts';
import { DEFAULT_FORMAL_CHECK } from '../../shared/rules/steps.ts';
import { CRITERIA } from '../../shared/rules/criteria.ts';
import type { ApiClient } from '../../local/client/index.ts';
import { anonymous, as, asOperator, sentEmails, startTestStack, type TestStack, whenTaskWaiting } from './harness.ts';
import * as steps from './steps.ts';
import type { RegisterView } from '../../shared/register/api-schemas.ts';
import { DUNHUA, ladderExecution, runToEnd } from './steps.ts';

/**
 * The whole ladder through the local runtime, as people would drive it: the county files and
 * submits; each step's reviewers get an email, open the link (which decides nothing) and decide
 * on the page's form endpoint; the province's batch date and the public notice pass on a manual
 * clock (no test waits in real time); the application ends RECOGNIZED.
 *
 * The campaign declares, for Dunhua's Jilin, a sequence of steps that needs nothing beyond the
 * review desk (no level document, no expert panel): the city's review and on-site statement; the
 * province's review, formal check and sampling when necessary; MIIT's review and a notice.
 */
const clock = new ManualClock();
let stack: TestStack;
const demo = demoCampaign(new Date());
const campaign: Campaign = {
  ...demo,
  steps: { ...demo.steps, miit: [{ kind: 'review' }, { kind: 'public-notice', days: 7 }] },
  overlays: demo.overlays.map((overlay) =>
    overlay.provinceCode === '220000'
      ? {
          ...overlay,
          checklistAdditions: [...overlay.checklistAdditions, ChecklistItemSchema.parse(onsiteStatementItem)],
          steps: {
            city: [{ kind: 'review' }, { kind: 'onsite-statement' }],
            province: [
              { kind: 'review' },
              { kind: 'formal-check', points: DEFAULT_FORMAL_CHECK },
              { kind: 'sampling', when: 'when-necessary' },
            ],
          },
        }
      : overlay,
  ),
};

beforeAll(async () => {
  stack = await startTestStack({ stepFunctions: { clock: { timers: clock } } });
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
});

afterAll(async () => {
  await stack?.cleanup();
});

const fileAndSubmit = (clusterName: string) => steps.fileAndSubmit(stack, campaign, { ...DUNHUA, clusterName });
const uploadPdf = (applicationId: string, criterion: string) => steps.uploadPdf(stack, applicationId, criterion);
const reviewLink = (applicationId: string, stage: string, round = 1, step?: number) =>
  steps.reviewLink(stack, applicationId, stage, round, step);

const status = async (applicationId: string) => (await (await asOperator(stack)).getApplication(applicationId)).body;
/** A review link's holder: no one signed in, the link's secret is the credential. */
const linkHolder = () => anonymous(stack);

const scores = Object.fromEntries(CRITERIA.map((criterion, i) => [criterion, 80 + i]));

describe('the review ladder through the local runtime', () => {
  it('refuses a campaign whose calendar gives MIIT no window of its own: 400 naming calendar.miit', async () => {
    const { miit: _miit, ...calendar } = campaign.calendar;
    const operator = await asOperator(stack);
    // As a client outside this repository might send it: the type requires the field.
    const without = await operator.createCampaign({
      ...campaign,
      campaignId: 'no-miit-window',
      calendar: calendar as typeof campaign.calendar,
    });
    expect(without.status).toBe(400);
    expect(without.error.details?.map((d) => d.field)).toEqual(['calendar.miit']);
    const onTheProvincesDate = await operator.createCampaign({
      ...campaign,
      campaignId: 'no-miit-window',
      calendar: { ...calendar, miit: calendar.province },
    });
    expect(onTheProvincesDate.status).toBe(400);
    expect(onTheProvincesDate.error.details?.map((d) => d.field)).toEqual(['calendar.miit']);
  });

  it('climbs county → city → province → MIIT → public notice → recognised, every step from an email link', async () => {
    const applicationId = await fileAndSubmit('敦化市医药产业集群');

    // City: the link shows the application and decides nothing; a forged secret is refused.
    const city = await reviewLink(applicationId, 'city');
    expect(city.email.body.text).toContain('敦化市医药产业集群');
    expect(city.email.body.text).not.toContain('taskToken');
    const page = await linkHolder().reviewPage(city.reviewId, city.secret);
    expect(page.status).toBe(200);
    expect(page.text).toContain('敦化市医药产业集群');
    expect((await status(applicationId)).status).toBe('CITY_REVIEW');
    const forged = await linkHolder().decide(city.reviewId, { t: 'x'.repeat(43), decision: 'approve' });
    expect(forged.status).toBe(403);
    const noReason = await linkHolder().decide(city.reviewId, { t: city.secret, decision: 'reject' });
    expect(noReason.status).toBe(400);
    expect(noReason.error.details?.map((d) => d.field)).toContain('reason');
    // Jilin recommends provincially and nationally in one pass: the city's approval states whether
    // this candidate is also recommended for national status.
    const unstated = await linkHolder().decide(city.reviewId, { t: city.secret, decision: 'approve' });
    expect(unstated.status).toBe(400);
    expect(unstated.error.details?.map((d) => d.field)).toEqual(['alsoNational']);
    const approval = { t: city.secret, decision: 'approve', alsoNational: true } as const;
    expect((await linkHolder().decide(city.reviewId, approval)).status).toBe(200);
    expect((await status(applicationId)).alsoNational).toBe(true);
    const twice = await linkHolder().decide(city.reviewId, approval);
    expect(twice.status).toBe(409);

    // The city's next step: its on-site statement, its own review with its own link and email.
    const statement = await reviewLink(applicationId, 'city', 1, 1);
    // The application's revision moved on when it entered the step: round 1, step 1.
    expect(statement.reviewId).toMatch(new RegExp(`^${applicationId}\\.city\\.\\d+\\.1\\.1$`));
    expect(statement.email.subject).toContain('现场核查符合性说明');
    const statementPage = await linkHolder().reviewPage(statement.reviewId, statement.secret);
    expect(statementPage.text).toContain('<li aria-current="step">现场核查符合性说明');
    const withoutStatement = await linkHolder().decide(statement.reviewId, {
      t: statement.secret,
      decision: 'approve',
    });
    expect(withoutStatement.status).toBe(409);
    expect(withoutStatement.error.details?.map((d) => d.field)).toEqual(['checklist.onsite-check-statement']);
    await uploadPdf(applicationId, 'onsite-check-statement');
    expect((await linkHolder().decide(statement.reviewId, { t: statement.secret, decision: 'approve' })).status).toBe(
      200,
    );

    // Province: a review (scores optional), the formal check point by point, sampling when
    // necessary; then the list waits for the batch date.
    const checkLink = await (async () => {
      const review = await reviewLink(applicationId, 'province', 1, 0);
      expect(
        (await linkHolder().decide(review.reviewId, { t: review.secret, decision: 'approve', scores })).status,
      ).toBe(200);
      return reviewLink(applicationId, 'province', 1, 1);
    })();
    const unchecked = await linkHolder().decide(checkLink.reviewId, { t: checkLink.secret, decision: 'approve' });
    expect(unchecked.status).toBe(400);
    expect(unchecked.error.details?.map((d) => d.field)).toContain('checks.form-complete');
    const allPass = Object.fromEntries(DEFAULT_FORMAL_CHECK.map((point) => [point.id, 'pass' as const]));
    expect(
      (await linkHolder().decide(checkLink.reviewId, { t: checkLink.secret, decision: 'approve', checks: allPass }))
        .status,
    ).toBe(200);
    const sampling = await reviewLink(applicationId, 'province', 1, 2);
    expect(
      (
        await linkHolder().decide(sampling.reviewId, {
          t: sampling.secret,
          decision: 'approve',
          sampling: { sampled: false },
        })
      ).status,
    ).toBe(200);
    await clock.whenPending();
    await clock.next(); // the province's list is sealed and sent at its deadline

    // MIIT, then the public notice passes without objection.
    const miit = await reviewLink(applicationId, 'miit');
    expect((await linkHolder().decide(miit.reviewId, { t: miit.secret, decision: 'approve' })).status).toBe(200);
    const execution = ladderExecution(stack, applicationId);
    // The notice period's Wait runs on the manual clock: wake what sleeps until the execution ends.
    expect((await runToEnd(stack, clock, applicationId)).status).toBe('SUCCEEDED');
    const recognized = await status(applicationId);
    expect(recognized.status).toBe('RECOGNIZED');
    expect(new Date(recognized.validUntil ?? 0).getUTCFullYear()).toBe(new Date().getUTCFullYear() + 3);
    // The recognition entered the register of recognised clusters (shared/register/), once; Jilin
    // keeps a provincial list too, which its national candidate entered as it left the province.
    const register = await (await as(stack, 'applicant', DUNHUA.countyCode)).raw('GET', '/v1/register');
    const entries = (register.json as RegisterView).entries.filter(
      (e) => e.source.kind === 'pipeline' && e.source.applicationId === applicationId,
    );
    expect(entries.map((e) => [e.level, e.cohort, e.state]).sort()).toEqual([
      ['national', campaign.year, 'valid'],
      ['provincial', campaign.year, 'valid'],
    ]);

    // The trail names who decided at each level: the addresses each link was emailed to, their
    // jurisdiction, through the link; the workflow's own moves stay the workflow's.
    const decisions = recognized.history.filter((event) => event.action.startsWith('REVIEW_'));
    // Every step's approval is one event naming its level's reviewers (the city's and MIIT's are the
    // addresses their links went to).
    expect(decisions.every((e) => e.action === 'REVIEW_APPROVED' && e.role === 'reviewer')).toBe(true);
    expect(decisions.every((e) => e.detail?.via === 'emailed link')).toBe(true);
    expect([...new Set(decisions.map((e) => e.jurisdiction))]).toEqual(['222400', '220000', '000000']);
    expect(decisions.find((e) => e.jurisdiction === '222400')?.actor).toBe(city.email.destination.to.join(', '));
    expect(decisions.find((e) => e.jurisdiction === '000000')?.actor).toBe(miit.email.destination.to.join(', '));
    // The county that filed it reads the same trail with each of those addresses masked: the
    // office's domain, not the person (GET …/history and the application's own history alike).
    const county = await as(stack, 'applicant', DUNHUA.countyCode);
    const countyTrail = (await county.history(applicationId)).body.events;
    expect(countyTrail.map((e) => e.eventId)).toEqual(recognized.history.map((e) => e.eventId));
    const cityDecision = countyTrail.find((e) => e.action.startsWith('REVIEW_') && e.jurisdiction === '222400');
    expect(cityDecision?.actor).toBe(
      city.email.destination.to.map((to) => `${to.slice(0, 1)}***${to.slice(to.indexOf('@'))}`).join(', '),
    );
    const everyAddress = decisions.flatMap((e) => e.actor.split(', ')).filter((actor) => actor.includes('@'));
    expect(everyAddress.length).toBeGreaterThan(0);
    for (const trail of [countyTrail, (await county.getApplication(applicationId)).body.history])
      for (const address of everyAddress) expect(JSON.stringify(trail)).not.toContain(address);
    expect(recognized.history.filter((e) => e.action === 'STAGE_ENTERED').every((e) => e.role === 'workflow')).toBe(
      true,
    );

    // The same history through the real Step Functions client.
    const sfn = new SFNClient({ endpoint: stack.endpoints.stepfunctions });
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: execution.executionArn, maxResults: 1000 }),
    );
    const entered = (history.events ?? []).filter((e) => e.type?.endsWith('StateEntered')).length;
    // Five states for a person step, one more to move on; eight for a notice and the recognition.
    expect(entered).toBeGreaterThan(30);
    expect(entered).toBeLessThanOrEqual(1 + 7 * 6 + 8);
    sfn.destroy();
  });

  it('returns for revision with a reason, and the resubmission comes back to the same stage', async () => {
    const applicationId = await fileAndSubmit('敦化市医药产业集群（退回重报）');
    const first = await reviewLink(applicationId, 'city');
    const returned = await linkHolder().decide(first.reviewId, {
      t: first.secret,
      decision: 'return',
      reason: '现场核查发现产值数据与统计年鉴不一致，请核实后重报',
    });
    expect(returned.status).toBe(200);
    await whenTaskWaiting(
      stack,
      (task) => task.executionArn.includes(applicationId) && task.stateName === 'AwaitResubmission',
    );
    expect((await status(applicationId)).status).toBe('RETURNED');
    const told = (await sentEmails(stack)).find(
      (email) =>
        email.body.text?.includes('现场核查发现产值数据') && email.destination.to.includes('sme@example.gov.cn'),
    );
    expect(told).toBeDefined();

    expect((await (await steps.applicantOf(stack, applicationId)).submit(applicationId)).status).toBe(202);
    const second = await reviewLink(applicationId, 'city', 2);
    expect(second.reviewId).not.toBe(first.reviewId);
    expect((await status(applicationId)).status).toBe('CITY_REVIEW');
  });

  it('lets a signed-in reviewer of the stage decide without the link, and no reviewer of another city', async () => {
    const applicationId = await fileAndSubmit('敦化市医药产业集群（登录审核）');
    const city = await reviewLink(applicationId, 'city');
    await uploadPdf(applicationId, 'onsite-check-statement');
    const decide = (who: ApiClient) => who.decide(city.reviewId, { decision: 'approve', alsoNational: false });

    // 长春市 is a sibling city; 吉林省 is above the stage, but the stage is the city's.
    for (const other of [await as(stack, 'reviewer', '220100'), await as(stack, 'reviewer', '220000')]) {
      const refused = await decide(other);
      expect(refused.status, refused.text).toBe(403);
      expect(refused.error.code).toBe('FORBIDDEN');
    }
    // Neither a token nor a secret: the link's credential is missing.
    expect((await linkHolder().decide(city.reviewId, { decision: 'approve' })).status).toBe(403);
    expect((await status(applicationId)).status).toBe('CITY_REVIEW');

    const decided = await decide(await as(stack, 'reviewer', '222400'));
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body.decidedBy).toBe('user:reviewer-222400');
    // The city's next step (its statement, uploaded above), walked with the body it asks.
    await steps.approveStage(stack, campaign, applicationId, 'city', { from: 1, statementUploaded: true });
    const trail = (await (await asOperator(stack)).getApplication(applicationId)).body.history;
    // Each step's decision is audited naming its person: the signed-in reviewer's review, then the
    // statement step decided from the link emailed to the city's reviewers.
    expect(trail.filter((e) => e.action === 'REVIEW_APPROVED')).toEqual([
      expect.objectContaining({ actor: 'reviewer-222400', role: 'reviewer', jurisdiction: '222400' }),
      expect.objectContaining({
        role: 'reviewer',
        jurisdiction: '222400',
        detail: expect.objectContaining({ step: 'onsite-statement', stepIndex: 1, via: 'emailed link' }),
      }),
    ]);
    await reviewLink(applicationId, 'province');
    expect((await status(applicationId)).status).toBe('PROVINCE_REVIEW');
  });
});
