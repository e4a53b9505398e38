import { describe, expect, it } from 'vitest';
import {
  campaignRunning,
  chooseThreshold,
  escalationTarget,
  planApplicantReminder,
  planReviewReminder,
} from '../../../../shared/operations/reminders.ts';
import { demoCampaign } from '../../../../shared/rules/campaigns/index.ts';
import { miit2025Recommendation } from '../../../../shared/rules/campaigns/miit-2025-recommendation.ts';
import { MIIT_CODE, provincialLevelOf, reviewChain } from '../../../../shared/rules/jurisdictions.ts';
import { REMINDER_DAYS_ENV, REMINDER_RULES, reminderRulesFromEnv } from '../../../../shared/rules/reminders.ts';

/** The pure decisions of the sweeper: what is due, which threshold, whom to tell. */

const DAY = 86_400_000;
const DEADLINE = '2026-05-16T23:59:59+08:00';
const before = (days: number) => new Date(Date.parse(DEADLINE) - days * DAY);
const APP = '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42';

const review = (overrides: Partial<Parameters<typeof planReviewReminder>[0]> = {}) => ({
  reviewId: `${APP}.city.3.1`,
  applicationId: APP,
  status: 'PENDING' as const,
  deadline: DEADLINE,
  stage: 'city' as const,
  provincialCode: '220000',
  ...overrides,
});

describe('chooseThreshold', () => {
  const days = [7, 3, 1];

  it('sends nothing before the largest threshold', () => {
    expect(chooseThreshold(DEADLINE, before(8), days)).toEqual({ skipped: [] });
    expect(chooseThreshold(DEADLINE, new Date(before(7).getTime() - 1), days)).toEqual({ skipped: [] });
  });

  it('is due from deadline − N days on (inclusive)', () => {
    expect(chooseThreshold(DEADLINE, before(7), days)).toEqual({ due: 7, skipped: [] });
    expect(chooseThreshold(DEADLINE, before(6), days)).toEqual({ due: 7, skipped: [] });
    expect(chooseThreshold(DEADLINE, before(3), days)).toEqual({ due: 3, skipped: [7] });
  });

  it('after downtime sends only the smallest passed threshold and names the larger ones as skipped', () => {
    expect(chooseThreshold(DEADLINE, before(2.5), days)).toEqual({ due: 3, skipped: [7] });
    expect(chooseThreshold(DEADLINE, before(0.5), days)).toEqual({ due: 1, skipped: [7, 3] });
  });

  it('sends nothing at or after the deadline', () => {
    expect(chooseThreshold(DEADLINE, new Date(DEADLINE), days)).toEqual({ skipped: [] });
    expect(chooseThreshold(DEADLINE, new Date(Date.parse(DEADLINE) + 1), days)).toEqual({ skipped: [] });
  });

  it('takes the thresholds in any order, repeated or not', () => {
    expect(chooseThreshold(DEADLINE, before(0.5), [1, 7, 3, 3])).toEqual({ due: 1, skipped: [7, 3] });
  });
});

describe('review reminders and escalation', () => {
  it('reminds at each threshold and escalates only at the last one', () => {
    const at6 = planReviewReminder(review(), before(6), REMINDER_RULES);
    expect(at6.send).toEqual({ applicationId: APP, kind: 'review', subject: `${APP}.city.3.1`, threshold: 7 });
    expect(at6.escalate).toBeUndefined();
    expect(planReviewReminder(review(), before(2.5), REMINDER_RULES).escalate).toBeUndefined();

    const last = planReviewReminder(review(), before(0.5), REMINDER_RULES);
    expect(last.send?.threshold).toBe(1);
    expect(last.skip.map((key) => key.threshold)).toEqual([7, 3]);
    expect(last.skip.every((key) => key.kind === 'review' && key.subject === `${APP}.city.3.1`)).toBe(true);
    expect(last.escalate).toEqual({
      key: { applicationId: APP, kind: 'escalation', subject: `${APP}.city.3.1`, threshold: 1 },
      to: '220000',
    });
  });

  it('escalates with the configured last threshold', () => {
    const rules = { reviewDaysBefore: [10, 5, 2] };
    expect(planReviewReminder(review(), before(1.5), rules).escalate?.key.threshold).toBe(2);
    expect(planReviewReminder(review(), before(4), rules).escalate).toBeUndefined();
  });

  it('does nothing for a review that no longer waits', () => {
    expect(planReviewReminder(review({ status: 'DECIDED' }), before(0.5), REMINDER_RULES)).toEqual({ skip: [] });
  });

  it('tells the level above: city → its province, province → MIIT, MIIT → nobody', () => {
    expect(escalationTarget({ stage: 'city', provincialCode: '220000' })).toBe('220000');
    expect(escalationTarget({ stage: 'province', provincialCode: '220000' })).toBe(MIIT_CODE);
    expect(escalationTarget({ stage: 'miit', provincialCode: '220000' })).toBeUndefined();
    const miit = planReviewReminder(
      review({ stage: 'miit', reviewId: `${APP}.miit.5.1` }),
      before(0.5),
      REMINDER_RULES,
    );
    expect(miit.send?.threshold).toBe(1);
    expect(miit.escalate).toBeUndefined();
  });

  it('a municipality district has no city stage: its first stage (the municipality) escalates to MIIT', () => {
    const chain = reviewChain('110105'); // 北京市朝阳区
    expect(chain.map((stage) => stage.stage)).toEqual(['province', 'miit']);
    const provincialCode = provincialLevelOf('110105').code;
    expect(provincialCode).toBe('110000');
    const plan = planReviewReminder(
      review({ stage: 'province', provincialCode, reviewId: `${APP}.province.3.1` }),
      before(0.5),
      REMINDER_RULES,
    );
    expect(plan.escalate?.to).toBe(MIIT_CODE);
  });

  it("a planned city's county: the planned city holds the provincial stage and escalates to MIIT", () => {
    const chain = reviewChain('210213'); // 大连市金州区
    expect(chain[0]?.stage).toBe('province');
    expect(chain[0]?.jurisdictionCode).toBe('210200');
    expect(escalationTarget({ stage: 'province', provincialCode: '210200' })).toBe(MIIT_CODE);
  });

  it('a city stage in a province with cities escalates to that province', () => {
    const chain = reviewChain('222403'); // 敦化市, 延边州, 吉林省
    expect(chain.map((stage) => stage.jurisdictionCode)).toEqual(['222400', '220000', MIIT_CODE]);
    expect(escalationTarget({ stage: 'city', provincialCode: provincialLevelOf('222403').code })).toBe('220000');
  });
});

describe('applicant reminders (RETURNED)', () => {
  const returned = {
    applicationId: APP,
    status: 'RETURNED' as const,
    dueAt: DEADLINE,
    stage: 'city' as const,
    round: 1,
  };

  it('reminds before the resubmission deadline, one series per return', () => {
    const plan = planApplicantReminder(returned, before(3), REMINDER_RULES);
    expect(plan.send).toEqual({ applicationId: APP, kind: 'applicant', subject: 'city.1', threshold: 3 });
    expect(plan.skip.map((key) => key.threshold)).toEqual([7]);
    expect(planApplicantReminder({ ...returned, round: 2 }, before(3), REMINDER_RULES).send?.subject).toBe('city.2');
  });

  it('reminds nobody unless RETURNED', () => {
    expect(planApplicantReminder({ ...returned, status: 'CITY_REVIEW' }, before(3), REMINDER_RULES)).toEqual({
      skip: [],
    });
    expect(planApplicantReminder(returned, before(10), REMINDER_RULES)).toEqual({ skip: [] });
  });
});

describe('applicant reminders (a DRAFT before the submission deadline)', () => {
  const draft = { applicationId: APP, status: 'DRAFT' as const, dueAt: DEADLINE };

  it('reminds the county of a draft not yet submitted, at the applicant thresholds, in a series of its own', () => {
    const plan = planApplicantReminder(draft, before(0.5), REMINDER_RULES);
    expect(plan.send).toEqual({ applicationId: APP, kind: 'applicant', subject: 'draft', threshold: 1 });
    expect(plan.skip.map((key) => key.threshold)).toEqual([7, 3]);
    expect(planApplicantReminder(draft, before(10), REMINDER_RULES)).toEqual({ skip: [] });
    // Past the deadline nothing: a late draft is not accepted, so there is nothing left to remind of.
    expect(planApplicantReminder(draft, before(-0.1), REMINDER_RULES)).toEqual({ skip: [] });
  });
});

describe('campaigns whose window still runs', () => {
  it("keeps a campaign until its last stage deadline (MIIT's own)", () => {
    const seeded = miit2025Recommendation; // province → MIIT by 15 July 2025, MIIT by the end of 2025
    expect(seeded.calendar.miit).toBe('2025-12-31T23:59:59+08:00');
    expect(campaignRunning(seeded, new Date('2025-12-31T15:59:58Z'))).toBe(true);
    expect(campaignRunning(seeded, new Date('2026-01-01T00:00:00Z'))).toBe(false);
    const demo = demoCampaign(new Date('2026-03-01T00:00:00Z'));
    expect(campaignRunning(demo, new Date('2026-05-01T00:00:00Z'))).toBe(true);
    expect(campaignRunning(demo, new Date('2026-07-01T00:00:00Z'))).toBe(false);
  });
});

describe('reminder rules as data', () => {
  it('keeps the thresholds largest first, without repeats', () => {
    expect(REMINDER_RULES.reviewDaysBefore).toEqual([7, 3, 1]);
    expect(REMINDER_RULES.annualReport).toEqual({ dueMonthDay: '04-30', daysBefore: [30, 7, 1] });
  });

  it('takes day lists from the environment', () => {
    const rules = reminderRulesFromEnv({
      [REMINDER_DAYS_ENV.review]: '2, 10,5',
      [REMINDER_DAYS_ENV.annualReport]: '14',
    });
    expect(rules.reviewDaysBefore).toEqual([10, 5, 2]);
    expect(rules.applicantDaysBefore).toEqual([7, 3, 1]);
    expect(rules.annualReport.daysBefore).toEqual([14]);
  });

  it('refuses an invalid list, naming its variable', () => {
    expect(() => reminderRulesFromEnv({ [REMINDER_DAYS_ENV.applicant]: '7,x' })).toThrow(/REMINDER_APPLICANT_DAYS/);
    expect(() => reminderRulesFromEnv({ [REMINDER_DAYS_ENV.review]: '0' })).toThrow(/REMINDER_REVIEW_DAYS/);
  });
});
