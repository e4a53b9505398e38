import { beforeEach, describe, expect, it } from 'vitest';
import { closeApplication, recognize } from '../../../shared/ladder/closing.ts';
import { NOTICE_TAKEOVER_MS } from '../../../shared/ladder/notice-takeover.ts';
import { checkObjections, startPublicNotice } from '../../../shared/ladder/public-notice.ts';
import { awaitResubmission, markReturned } from '../../../shared/ladder/returns.ts';
import { computeRoute, miitDeadline, secondsUntil } from '../../../shared/ladder/route.ts';
import { enterStage, prepareRoute } from '../../../shared/ladder/stages.ts';
import { TransitionRefusedError } from '../../../shared/ladder/transition.ts';
import { type Campaign, parseCampaign } from '../../../shared/rules/campaign.ts';
import { StoredCampaignSchema } from '../../../shared/rules/stored-campaign.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import { miit2024TypicalCases } from '../../../shared/rules/campaigns/miit-2024-typical-cases.ts';
import { miit2025Recommendation } from '../../../shared/rules/campaigns/miit-2025-recommendation.ts';
import { miit2025Rereview } from '../../../shared/rules/campaigns/miit-2025-rereview.ts';
import type { ApplicationRecord } from '../../../shared/schemas/records.ts';
import { type ReviewRecord, reviewIdOf } from '../../../shared/schemas/reviews.ts';
import type { DecisionOutput } from '../../../shared/ladder/contract.ts';
import { type CurrentStage, type Route, RouteSchema, StagePositionSchema } from '../../../shared/ladder/payloads.ts';
import { DEFAULT_FORMAL_CHECK } from '../../../shared/rules/steps.ts';
import { APP_ID, sampleApplication } from '../support.ts';
import { FakeMailer, FakeQuotas, FakeRecords, FakeReviews } from './fakes.ts';

const NOW = new Date('2026-03-02T02:00:00.000Z');
const campaign = demoCampaign(new Date('2026-03-01T00:00:00.000Z'));
const EXECUTION = 'arn:aws-cn:states:cn-north-1:000000000000:execution:ReviewLadder:run-1';
const CONTACT = 'sme@example.gov.cn';

let records: FakeRecords;
let mailer: FakeMailer;
let quotas: FakeQuotas;
let reviews: FakeReviews;
let now: Date;
let ids: number;
const clock = () => now;
const newId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;
const deps = () => ({
  records,
  mailer,
  quotas,
  clock,
  newId,
  noticeTakeoverMs: NOTICE_TAKEOVER_MS,
  campaigns: { get: async (id: string) => catalog.get(id) ?? Promise.reject(new Error(`no campaign ${id}`)) },
  reviews,
});
const catalog = new Map<string, Campaign>(
  [campaign, miit2025Recommendation, miit2025Rereview, miit2024TypicalCases].map((c) => [c.campaignId, c]),
);

/** 敦化市 (Jilin, under 延边州) submitted to the demo campaign. */
function submitted(overrides: Partial<ApplicationRecord> = {}): ApplicationRecord {
  return sampleApplication({
    campaignId: campaign.campaignId,
    status: 'SUBMITTED',
    revision: 3,
    form: { contact: { name: '李明', phone: '0433-6221234', email: CONTACT } },
    ...overrides,
  });
}

const route = () => computeRoute(submitted(), campaign);

/** EnterStage's answer for the stage at `index` of the route. */
async function entered(index: number, round = 1, routeOf: Route = route()): Promise<CurrentStage> {
  return enterStage(deps(), {
    applicationId: APP_ID,
    executionArn: EXECUTION,
    route: routeOf,
    next: { index, step: 0, round },
  });
}

const decision = (kind: DecisionOutput['decision'], reason?: string): DecisionOutput => ({
  reviewId: 'review-1',
  decision: kind,
  ...(reason && { reason }),
  decidedBy: 'review-link',
  decidedAt: NOW.toISOString(),
});

beforeEach(() => {
  records = new FakeRecords();
  mailer = new FakeMailer();
  quotas = new FakeQuotas();
  reviews = new FakeReviews();
  now = NOW;
  ids = 0;
});

describe('the route', () => {
  it('takes an ordinary county through its city, its province and MIIT, with the campaign deadlines', () => {
    const { stages, noticeDays, validityYears } = route();
    expect(stages.map((s) => [s.stage, s.jurisdictionCode])).toEqual([
      ['city', '222400'],
      ['province', '220000'],
      ['miit', '000000'],
    ]);
    // Jilin's overlay moves the city deadline earlier than the national one.
    const jilin = campaign.overlays.find((o) => o.provinceCode === '220000');
    expect(stages.map((s) => s.deadline)).toEqual([
      jilin?.calendar?.city,
      campaign.calendar.province,
      campaign.calendar.miit,
    ]);
    // No notice is invented after MIIT: a notice is a step a level declares.
    expect([noticeDays, validityYears]).toEqual([undefined, campaign.calendar.validityYears]);
  });

  it('forwards the province’s approvals as one list at its deadline, and no other stage', () => {
    const { stages } = route();
    expect(stages.map((s) => s.forwardAt)).toEqual([undefined, campaign.calendar.province, undefined]);
  });

  it('runs the national call’s steps, Jilin’s city adding its formal letter; the forwarding step reserves', () => {
    const steps = route().stages.map((s) =>
      s.steps.map((step) => [step.config.kind, step.forwards, step.quotaReservation, step.onSiteStatement]),
    );
    expect(steps).toEqual([
      [
        ['review', false, false, false],
        ['formal-letter', true, false, false],
      ],
      [
        ['review', false, false, false],
        ['sampling', false, false, false],
        ['formal-letter', true, true, false],
      ],
      [['review', true, false, false]],
    ]);
  });

  it('runs Shanxi’s sequence: the statement at the city (its cap taken there), the 公示 before the letter', () => {
    const taiyuan = submitted({ countyCode: '140105', cityCode: '140100', provincialCode: '140000' });
    const [city, province] = computeRoute(taiyuan, campaign).stages;
    expect(city?.steps.map((s) => [s.config.kind, s.forwards, s.quotaReservation, s.onSiteStatement])).toEqual([
      ['review', false, false, false],
      ['onsite-statement', true, true, true],
    ]);
    expect(province?.steps.map((s) => s.config)).toEqual([
      { kind: 'formal-check', points: DEFAULT_FORMAL_CHECK },
      { kind: 'expert-panel', minExperts: 3, aggregate: 'mean' },
      { kind: 'sampling', when: 'always' },
      { kind: 'meeting' },
      { kind: 'public-notice', days: 7 },
      { kind: 'formal-letter', document: 'recommendation' },
    ]);
    // The last person step forwards: the letter, after the notice.
    expect(province?.steps.map((s) => s.forwards)).toEqual([false, false, false, false, false, true]);
    expect(province?.steps.at(-1)?.quotaReservation).toBe(true);
  });

  it('runs one review where neither the campaign nor the overlay names the level', () => {
    const bare = parseCampaign({ ...campaign, steps: {}, overlays: [] });
    expect(computeRoute(submitted(), bare).stages.map((s) => s.steps.map((step) => step.config.kind))).toEqual([
      ['review'],
      ['review'],
      ['review'],
    ]);
  });

  it('reads a route stored before steps were data: one review, with its old requirements', () => {
    const { stages, ...rest } = route();
    const old = {
      ...rest,
      noticeDays: 7,
      stages: stages.map(({ steps: _steps, ...stage }) => ({
        ...stage,
        requirements: {
          onSiteStatement: false,
          expertScores: stage.stage === 'province',
          quotaReservation: stage.stage === 'province',
        },
      })),
    };
    const parsed = RouteSchema.parse(old);
    expect(parsed.noticeDays).toBe(7);
    expect(
      parsed.stages.map((s) => s.steps.map((step) => [step.config.kind, step.forwards, step.quotaReservation])),
    ).toEqual([[['review', true, false]], [['review', true, true]], [['review', true, false]]]);
  });

  it('parses a position and a current stage written before steps were data (step 0, a review)', () => {
    expect(StagePositionSchema.parse({ index: 1, round: 2 })).toEqual({ index: 1, step: 0, round: 2 });
  });

  it('has no city stage for a municipality’s district', () => {
    const beijing = submitted({ countyCode: '110101', provincialCode: '110000', cityCode: undefined });
    expect(computeRoute(beijing, campaign).stages.map((s) => [s.stage, s.jurisdictionCode])).toEqual([
      ['province', '110000'],
      ['miit', '000000'],
    ]);
  });

  it('gives a planned city’s district to the planned city as its province stage', () => {
    const qingdao = submitted({ countyCode: '370202', provincialCode: '370200', cityCode: undefined });
    const stages = computeRoute(qingdao, campaign).stages;
    expect(stages.map((s) => [s.stage, s.jurisdictionCode, s.jurisdictionName])).toEqual([
      ['province', '370200', '青岛市'],
      ['miit', '000000', '工业和信息化部'],
    ]);
    expect(stages[0]?.forwardAt).toBe(stages[0]?.deadline);
  });

  it('takes no quota slot for a typical case', () => {
    const typical = submitted({ campaignId: miit2024TypicalCases.campaignId, track: 'typical-case' });
    const stages = computeRoute(typical, miit2024TypicalCases).stages;
    expect(stages.every((s) => s.steps.every((step) => !step.quotaReservation))).toBe(true);
  });

  it("gives MIIT its own calendar deadline, never the provinces' forwarding date", () => {
    expect(miitDeadline(miit2025Recommendation)).toBe(miit2025Recommendation.calendar.miit);
    for (const county of ['222403', '140105', '110105', '440305']) {
      const application = submitted({ campaignId: miit2025Recommendation.campaignId, countyCode: county });
      const stages = computeRoute(application, miit2025Recommendation).stages;
      const forwardAt = stages.find((s) => s.stage === 'province')?.forwardAt;
      const miit = stages.find((s) => s.stage === 'miit')?.deadline;
      expect(forwardAt).toBe(miit2025Recommendation.calendar.province);
      expect(Date.parse(miit ?? '') - Date.parse(forwardAt ?? '')).toBeGreaterThanOrEqual(14 * 86_400_000);
      const deadlines = stages.map((s) => Date.parse(s.deadline));
      expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
    }
  });

  it("gives a campaign stored without MIIT's deadline the default window after the provinces'", () => {
    const { miit: _miit, ...calendar } = miit2025Recommendation.calendar;
    const stored = StoredCampaignSchema.parse({ ...miit2025Recommendation, calendar });
    const application = submitted({ campaignId: stored.campaignId });
    const stages = computeRoute(application, stored).stages;
    expect(stages.at(-1)?.deadline).toBe('2025-07-29T23:59:59+08:00');
    expect(stages.at(-1)?.deadline).not.toBe(stages.find((s) => s.stage === 'province')?.forwardAt);
  });

  it('is what PrepareRoute starts the execution with, at the first stage, round 1', async () => {
    records.put(submitted());
    const start = await prepareRoute(deps(), { applicationId: APP_ID, revision: 3 });
    expect(start).toEqual({
      applicationId: APP_ID,
      revision: 3,
      route: route(),
      next: { index: 0, step: 0, round: 1 },
    });
    expect(records.audit).toEqual([]);
  });

  it('times a task out at its deadline, never sooner than 1 s', () => {
    expect(secondsUntil('2026-03-02T03:00:00.000Z', NOW)).toBe(3600);
    expect(secondsUntil('2026-03-02T02:00:00.400Z', NOW)).toBe(1);
    expect(secondsUntil('2020-01-01T00:00:00.000Z', NOW)).toBe(1);
  });
});

describe('EnterStage', () => {
  it('puts the application under review at the stage, once', async () => {
    records.put(submitted());
    const first = await entered(0);
    const second = await entered(0);
    expect(second).toEqual(first);
    expect(first).toMatchObject({
      index: 0,
      isLast: false,
      jurisdictionName: '延边朝鲜族自治州',
      review: { applicationId: APP_ID, revision: 4, stage: 'city', jurisdictionCode: '222400', round: 1 },
    });
    expect(first.timeoutSeconds).toBe(secondsUntil(first.review.deadline, NOW));
    expect(await records.getApplication(APP_ID)).toMatchObject({
      status: 'CITY_REVIEW',
      stage: 'city',
      round: 1,
      dueAt: first.review.deadline,
      executionArn: EXECUTION,
    });
    expect(records.actions(APP_ID)).toEqual(['STAGE_ENTERED']);
    expect(records.audit[0]).toMatchObject({
      fromStatus: 'SUBMITTED',
      toStatus: 'CITY_REVIEW',
      actor: 'review-workflow',
    });
  });

  it('moves on from the previous stage only', async () => {
    records.put(submitted());
    await expect(entered(1)).rejects.toThrow(TransitionRefusedError);
    await entered(0);
    await entered(1);
    expect((await records.getApplication(APP_ID))?.status).toBe('PROVINCE_REVIEW');
  });

  it('refuses an application that is not submitted, by name', async () => {
    records.put(submitted({ status: 'WITHDRAWN' }));
    const error = await entered(0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransitionRefusedError);
    expect((error as Error).name).toBe('TransitionRefused');
  });

  it('reads again when someone else wrote in between', async () => {
    records.put(submitted());
    records.beforeNextSave = () => records.put({ ...submitted(), revision: 9 });
    const current = await entered(0);
    expect(current.review.revision).toBe(10);
    expect(records.actions(APP_ID)).toEqual(['STAGE_ENTERED']);
  });
});

describe('return for revision', () => {
  async function returnedAtCity() {
    records.put(submitted());
    const current = await entered(0);
    const payload = {
      applicationId: APP_ID,
      current,
      decision: { ...decision('return', '缺少现场核查说明'), decision: 'return' as const, reason: '缺少现场核查说明' },
    };
    return { current, payload };
  }

  it('marks the application RETURNED with the reason and tells the applicant once', async () => {
    const { current, payload } = await returnedAtCity();
    const first = await markReturned(deps(), payload);
    const again = await markReturned(deps(), payload);
    expect(again).toEqual(first);
    expect(first).toEqual({ dueAt: current.review.deadline, timeoutSeconds: current.timeoutSeconds });
    expect(await records.getApplication(APP_ID)).toMatchObject({
      status: 'RETURNED',
      decisionReason: '缺少现场核查说明',
      lastApplicantNotice: 'RETURNED#city#1',
    });
    expect(records.actions(APP_ID)).toEqual(['STAGE_ENTERED', 'RETURNED', 'APPLICANT_NOTIFIED']);
    expect(mailer.sent).toHaveLength(1);
    const [email] = mailer.sent;
    expect(email?.to).toEqual([CONTACT]);
    expect(email?.subject).toContain('敦化市医药产业集群');
    for (const text of [
      '退回修改',
      'returned for revision',
      '缺少现场核查说明',
      '延边朝鲜族自治州',
      '市级审核',
      'city review',
    ]) {
      expect(email?.text).toContain(text);
    }
  });

  it('sends the email on the retry when it failed after the status changed', async () => {
    const { payload } = await returnedAtCity();
    mailer.failNext = true;
    await expect(markReturned(deps(), payload)).rejects.toThrow(/SES/);
    expect((await records.getApplication(APP_ID))?.status).toBe('RETURNED');
    // Moments later the notice is still the changing invocation's (it may be a duplicate that is
    // sending right now): the state machine retries; once the change is old enough, a retry sends.
    await expect(markReturned(deps(), payload)).rejects.toMatchObject({ name: 'NoticePending' });
    now = new Date(now.getTime() + NOTICE_TAKEOVER_MS);
    await markReturned(deps(), payload);
    expect(mailer.sent).toHaveLength(1);
    expect(records.actions(APP_ID)).toEqual(['STAGE_ENTERED', 'RETURNED', 'APPLICANT_NOTIFIED']);
  });

  it('notes a notice it could not send for want of an address', async () => {
    records.put(submitted({ form: {} }));
    const current = await entered(0);
    await markReturned(deps(), {
      applicationId: APP_ID,
      current,
      decision: { ...decision('return'), decision: 'return', reason: '材料不全' },
    });
    expect(mailer.sent).toEqual([]);
    expect(records.audit.at(-1)).toMatchObject({
      action: 'APPLICANT_NOTIFIED',
      detail: { notice: 'RETURNED#city#1', skipped: expect.any(String) },
    });
  });

  it('stores the resubmission token (a retried task’s new token replaces it), never in the audit trail', async () => {
    const { current, payload } = await returnedAtCity();
    await markReturned(deps(), payload);
    await awaitResubmission(deps(), { applicationId: APP_ID, current, taskToken: 'token-1' });
    await awaitResubmission(deps(), { applicationId: APP_ID, current, taskToken: 'token-1' });
    expect((await records.getApplication(APP_ID))?.resubmissionToken).toBe('token-1');
    await awaitResubmission(deps(), { applicationId: APP_ID, current, taskToken: 'token-2' });
    expect((await records.getApplication(APP_ID))?.resubmissionToken).toBe('token-2');
    expect(records.actions(APP_ID).filter((a) => a === 'RESUBMISSION_AWAITED')).toHaveLength(2);
    expect(JSON.stringify(records.audit)).not.toContain('token-');
  });

  it('waits for a resubmission only while RETURNED', async () => {
    records.put(submitted());
    const current = await entered(0);
    await expect(awaitResubmission(deps(), { applicationId: APP_ID, current, taskToken: 't' })).rejects.toThrow(
      TransitionRefusedError,
    );
  });

  it('enters the same stage again in the next round after the resubmission, clearing the token', async () => {
    const { current, payload } = await returnedAtCity();
    await markReturned(deps(), payload);
    await awaitResubmission(deps(), { applicationId: APP_ID, current, taskToken: 'token-1' });
    const stored = await records.getApplication(APP_ID);
    if (!stored) throw new Error('stored');
    // What Intake's resubmit writes.
    records.put({ ...stored, status: 'SUBMITTED', revision: stored.revision + 1 });
    const again = await entered(0, 2);
    expect(again.review).toMatchObject({ stage: 'city', round: 2 });
    expect(await records.getApplication(APP_ID)).toMatchObject({ status: 'CITY_REVIEW', round: 2 });
    expect((await records.getApplication(APP_ID))?.resubmissionToken).toBeUndefined();
    expect((await records.getApplication(APP_ID))?.decisionReason).toBeUndefined();
  });
});

describe('closing', () => {
  async function atProvince(overrides: Partial<ApplicationRecord> = {}) {
    records.put(submitted(overrides));
    await entered(0);
    return entered(1);
  }

  it('rejects with the reason, frees the quota slot and tells the applicant, once', async () => {
    const current = await atProvince();
    await quotas.reserve({
      campaignId: campaign.campaignId,
      track: 'recommendation',
      applicationId: APP_ID,
      provincial: { jurisdictionCode: '220000', limit: 8 },
    });
    const payload = {
      applicationId: APP_ID,
      outcome: 'REJECTED' as const,
      current,
      decision: { ...decision('reject'), decision: 'reject' as const, reason: '产值未达门槛' },
    };
    const outcome = await closeApplication(deps(), payload);
    expect(outcome).toEqual({
      applicationId: APP_ID,
      status: 'REJECTED',
      stage: 'province',
      round: 1,
      jurisdictionCode: '220000',
      reason: '产值未达门槛',
      quotaReleased: true,
    });
    const replay = await closeApplication(deps(), payload);
    expect(replay).toEqual({ ...outcome, quotaReleased: false });
    expect(records.actions(APP_ID)).toEqual(['STAGE_ENTERED', 'STAGE_ENTERED', 'REJECTED', 'APPLICANT_NOTIFIED']);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.text).toContain('产值未达门槛');
    expect(mailer.sent[0]?.text).toContain('未通过');
    // The release names the holder only: the adapter frees what it holds, as reserved.
    expect(quotas.releases[0]).toEqual({
      campaignId: campaign.campaignId,
      track: 'recommendation',
      applicationId: APP_ID,
    });
  });

  it('tells a re-reviewed cluster its recognition is revoked', async () => {
    const current = await atProvince({ campaignId: miit2025Rereview.campaignId, track: 'rereview' });
    await closeApplication(deps(), {
      applicationId: APP_ID,
      outcome: 'REJECTED',
      current,
      decision: { ...decision('reject'), decision: 'reject', reason: '复核不合格' },
    });
    expect(mailer.sent[0]?.subject).toContain('撤销认定');
    expect(mailer.sent[0]?.subject).toContain('revoked');
  });

  it('declares a stage overdue (逾期不予受理), naming the stage and who let the deadline pass', async () => {
    const current = await atProvince();
    const outcome = await closeApplication(deps(), {
      applicationId: APP_ID,
      outcome: 'OVERDUE',
      current,
      failure: { Error: 'States.Timeout' },
    });
    expect(outcome.status).toBe('OVERDUE');
    expect(outcome.reason).toMatch(/^逾期不予受理：吉林省省级审核推荐未在截止时间/);
    expect(outcome.reason).toContain('provincial review and recommendation');
    expect(mailer.sent[0]?.text).toContain('逾期不予受理');
  });

  /** The review the desk opened for the stage the application is at (PENDING unless told otherwise). */
  function reviewAt(current: CurrentStage, overrides: Partial<ReviewRecord> = {}): ReviewRecord {
    const { review } = current;
    return {
      reviewId: reviewIdOf({
        applicationId: APP_ID,
        stage: review.stage,
        revision: review.revision,
        round: review.round,
      }),
      applicationId: APP_ID,
      revision: review.revision,
      stage: review.stage,
      round: review.round,
      jurisdictionCode: review.jurisdictionCode,
      deadline: review.deadline,
      campaignId: campaign.campaignId,
      track: 'recommendation',
      countyCode: '222403',
      provincialCode: '220000',
      cityCode: '222400',
      clusterName: '敦化市医药产业集群',
      status: 'PENDING',
      secretHash: '0'.repeat(64),
      taskToken: 'task-token-1',
      openedAt: NOW.toISOString(),
      armedAt: NOW.toISOString(),
      attempts: 1,
      emailedTo: [],
      ...overrides,
    };
  }

  it('expires the review left pending when its stage timed out, with the close time and reason, once', async () => {
    const current = await atProvince();
    const cityReview = reviewAt(current, {
      reviewId: reviewIdOf({ applicationId: APP_ID, stage: 'city', revision: current.review.revision, round: 1 }),
      stage: 'city',
      jurisdictionCode: '222400',
      status: 'DECIDED',
      decision: 'approve',
    });
    const provinceReview = reviewAt(current);
    reviews.put(cityReview);
    reviews.put(provinceReview);
    now = new Date(Date.parse(current.review.deadline) + 1_000);
    const payload = {
      applicationId: APP_ID,
      outcome: 'OVERDUE' as const,
      current,
      failure: { Error: 'States.Timeout' },
    };
    const outcome = await closeApplication(deps(), payload);

    expect(reviews.get(provinceReview.reviewId)).toMatchObject({
      status: 'EXPIRED',
      closedAt: now.toISOString(),
      closedReason: outcome.reason,
    });
    expect(outcome.reason).toMatch(/^逾期不予受理/);
    // The city's decided review is history, not a pending one.
    expect(reviews.get(cityReview.reviewId)).toEqual(cityReview);

    // A retried task changes nothing: the review keeps its first close time.
    const firstClose = reviews.get(provinceReview.reviewId);
    now = new Date(now.getTime() + 60_000);
    await closeApplication(deps(), payload);
    expect(reviews.get(provinceReview.reviewId)).toEqual(firstClose);
    expect(reviews.expiries).toEqual([provinceReview.reviewId]);
  });

  it('leaves a review a decision raced into: the decision wins, the review is not expired', async () => {
    const current = await atProvince();
    const decided = reviewAt(current, { status: 'DECIDED', decision: 'approve', decidedBy: 'reviewer' });
    reviews.put(decided);
    await closeApplication(deps(), {
      applicationId: APP_ID,
      outcome: 'OVERDUE',
      current,
      failure: { Error: 'States.Timeout' },
    });
    expect(reviews.get(decided.reviewId)).toEqual(decided);
    expect(reviews.expiries).toEqual([]);
  });

  it('blames the applicant when a returned application was not resubmitted in time', async () => {
    const current = await atProvince();
    const stored = await records.getApplication(APP_ID);
    if (!stored) throw new Error('stored');
    records.put({ ...stored, status: 'RETURNED' });
    const outcome = await closeApplication(deps(), {
      applicationId: APP_ID,
      outcome: 'OVERDUE',
      current,
      failure: { Error: 'States.Timeout' },
    });
    expect(outcome.reason).toContain('前未重新提交');
  });

  it('takes the reason of a cancellation or withdrawal from the failure’s cause, JSON or text', async () => {
    const current = await atProvince();
    const cancelled = await closeApplication(deps(), {
      applicationId: APP_ID,
      outcome: 'CANCELLED',
      current,
      failure: { Error: 'Cancelled', Cause: JSON.stringify({ reason: '经查实产值数据造假', by: 'operator' }) },
    });
    expect(cancelled.reason).toBe('经查实产值数据造假');
    expect(mailer.sent[0]?.subject).toContain('取消申报资格');
    // The audit trail names who asked for it; the workflow only carried it out.
    expect(records.audit.find((e) => e.action === 'CANCELLED')).toMatchObject({
      role: 'workflow',
      reason: '经查实产值数据造假',
      detail: expect.objectContaining({ requestedBy: 'operator' }),
    });

    records.put(submitted({ applicationId: '9b6f3b7e-4c1a-4d7e-9a57-2f3a1c0d9e12' }));
    const other = { ...current, review: { ...current.review, applicationId: '9b6f3b7e-4c1a-4d7e-9a57-2f3a1c0d9e12' } };
    const withdrawn = await closeApplication(deps(), {
      applicationId: '9b6f3b7e-4c1a-4d7e-9a57-2f3a1c0d9e12',
      outcome: 'WITHDRAWN',
      current: other,
      failure: { Error: 'Withdrawn', Cause: '县里决定明年再报' },
    });
    expect(withdrawn.reason).toBe('县里决定明年再报');
  });

  it('refuses to close an application that already closed otherwise', async () => {
    const current = await atProvince();
    const stored = await records.getApplication(APP_ID);
    if (!stored) throw new Error('stored');
    records.put({ ...stored, status: 'RECOGNIZED' });
    await expect(
      closeApplication(deps(), {
        applicationId: APP_ID,
        outcome: 'OVERDUE',
        current,
        failure: { Error: 'States.Timeout' },
      }),
    ).rejects.toThrow(TransitionRefusedError);
    expect(quotas.releases).toEqual([]);
  });
});

describe('public notice and recognition', () => {
  async function approvedByMiit(overrides: Partial<ApplicationRecord> = {}) {
    records.put(submitted(overrides));
    await entered(0);
    await entered(1);
    return entered(2);
  }

  it('puts the application on notice for the campaign’s notice days, once', async () => {
    const current = await approvedByMiit();
    expect(current.isLast).toBe(true);
    const window = await startPublicNotice(deps(), { applicationId: APP_ID, current, noticeDays: 7 });
    expect(window).toEqual({ startedAt: NOW.toISOString(), endsAt: '2026-03-09T02:00:00.000Z' });
    now = new Date(NOW.getTime() + 60_000);
    expect(await startPublicNotice(deps(), { applicationId: APP_ID, current, noticeDays: 7 })).toEqual(window);
    expect(await records.getApplication(APP_ID)).toMatchObject({ status: 'PUBLIC_NOTICE', dueAt: window.endsAt });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.text).toContain('公示期至 2026-03-09 10:00');
  });

  it('counts the upheld and the untriaged objections filed during this notice; a dismissed one moves nothing', async () => {
    const notice = { startedAt: '2026-03-02T00:00:00.000Z', endsAt: '2026-03-09T00:00:00.000Z' };
    const objections = {
      listObjections: async () => [
        { filedAt: '2026-03-03T00:00:00.000Z', resolved: true, outcome: 'upheld' as const },
        { filedAt: '2026-03-04T00:00:00.000Z', resolved: true, outcome: 'dismissed' as const },
        { filedAt: '2026-03-05T00:00:00.000Z', resolved: false },
        // An earlier notice's, upheld then: weighed in the round it caused.
        { filedAt: '2026-02-01T00:00:00.000Z', resolved: true, outcome: 'upheld' as const },
        { filedAt: '2026-03-08T23:59:59+08:00', resolved: false },
      ],
    };
    expect(await checkObjections({ objections }, { applicationId: APP_ID, notice })).toEqual({
      upheld: 1,
      untriaged: 2,
      unresolved: 1,
    });
  });

  it('recognises the cluster for the validity years, once', async () => {
    const current = await approvedByMiit();
    await startPublicNotice(deps(), { applicationId: APP_ID, current, noticeDays: 7 });
    const outcome = await recognize(deps(), { applicationId: APP_ID, current, validityYears: 3 });
    expect(outcome).toEqual({
      applicationId: APP_ID,
      status: 'RECOGNIZED',
      stage: 'miit',
      round: 1,
      jurisdictionCode: '000000',
      validUntil: '2029-03-02T02:00:00.000Z',
    });
    expect(await recognize(deps(), { applicationId: APP_ID, current, validityYears: 3 })).toEqual(outcome);
    expect(records.actions(APP_ID).filter((a) => a === 'RECOGNIZED')).toHaveLength(1);
    expect(mailer.sent.at(-1)?.text).toContain('有效期至 2029-03-02 10:00');
  });

  it('tells a re-reviewed cluster it keeps its recognition', async () => {
    const current = await approvedByMiit({ campaignId: miit2025Rereview.campaignId, track: 'rereview' });
    await startPublicNotice(deps(), { applicationId: APP_ID, current, noticeDays: 7 });
    await recognize(deps(), { applicationId: APP_ID, current, validityYears: 3 });
    expect(mailer.sent.at(-1)?.subject).toContain('保留认定');
    expect(records.audit.find((e) => e.action === 'RECOGNIZED')?.detail).toMatchObject({ rereview: 'retained' });
  });

  it('sends an upheld objection back to MIIT review in the next round', async () => {
    const current = await approvedByMiit();
    await startPublicNotice(deps(), { applicationId: APP_ID, current, noticeDays: 7 });
    const again = await entered(2, 2);
    expect(again.review).toMatchObject({ stage: 'miit', round: 2 });
    expect((await records.getApplication(APP_ID))?.status).toBe('MIIT_REVIEW');
  });
});
