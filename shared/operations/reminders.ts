/**
 * What the sweeper should send, decided by pure functions of the records, the rules
 * (shared/rules/reminders.ts) and the time: which reminder threshold is due, which larger ones
 * were missed (and must never go later), whom an escalation goes to. The annual report's
 * reminders are planned in shared/annual-report/reminders.ts. The sweeper (shared/operations/sweeper.ts) reads the table, claims each reminder once and sends.
 *
 * Threshold N (days) is due when deadline − N days ≤ now < deadline. When several are due at
 * once (the sweeper was down), only the smallest is sent; the larger ones are marked skipped.
 */
import type { Campaign } from '../rules/campaign.ts';
import { lastDeadline } from '../rules/effective-rules.ts';
import { MIIT_CODE } from '../rules/jurisdictions.ts';
import type { ReminderRules } from '../rules/reminders.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import { miitDeadline } from '../ladder/route.ts';

const DAY_MS = 86_400_000;

// ---- thresholds ------------------------------------------------------------------------------

export interface ThresholdChoice {
  /** The threshold to send now (the smallest one passed), if any. */
  due?: number;
  /** Larger thresholds also passed: never to be sent any more. */
  skipped: number[];
}

/**
 * Which of `daysBefore` is due at `now` for a deadline: the smallest N with deadline − N days ≤
 * now, as long as now < deadline. Nothing once the deadline has passed.
 */
export function chooseThreshold(deadline: string, now: Date, daysBefore: readonly number[]): ThresholdChoice {
  const end = Date.parse(deadline);
  const at = now.getTime();
  if (!(at < end)) return { skipped: [] };
  const passed = [...new Set(daysBefore)].filter((days) => at >= end - days * DAY_MS).sort((a, b) => a - b);
  const [due, ...skipped] = passed;
  return due === undefined ? { skipped: [] } : { due, skipped: skipped.sort((a, b) => b - a) };
}

/** The last reminder before a deadline: the smallest threshold (it also escalates). */
export const lastThreshold = (daysBefore: readonly number[]): number => Math.min(...daysBefore);

/** How far ahead the sweeper must look for deadlines: the largest threshold, in milliseconds. */
export const lookAheadMs = (rules: Pick<ReminderRules, 'reviewDaysBefore' | 'applicantDaysBefore'>): number =>
  Math.max(...rules.reviewDaysBefore, ...rules.applicantDaysBefore) * DAY_MS;

// ---- who is reminded -------------------------------------------------------------------------

/**
 * Who is told when a stage is about to miss its deadline: the level above the deciding one.
 * City → the province (or the provincial-rank level: a planned city's, the XPCC); province → MIIT
 * (000000); MIIT → nobody. Districts of a municipality have no city stage: their first stage is
 * the province's, which escalates to MIIT.
 */
export function escalationTarget(review: Pick<ReviewRecord, 'stage' | 'provincialCode'>): string | undefined {
  switch (review.stage) {
    case 'city':
      return review.provincialCode;
    case 'province':
      return MIIT_CODE;
    case 'miit':
      return undefined;
  }
}

/** One reminder, as claimed (exactly once) and recorded: what, about what, at which threshold. */
/** cohort: a re-review cohort's member that has not filed (./cohort-reminders.ts). */
export type ReminderKind = 'review' | 'escalation' | 'applicant' | 'annual-report' | 'cohort';

export interface ReminderKey {
  applicationId: string;
  kind: ReminderKind;
  /** The review id (review, escalation), `<stage>.<round>` of the return (applicant), the year (annual report). */
  subject: string;
  /** Days before the deadline. */
  threshold: number;
}

/** What a reminder email is for (its Message-ID over SMTP): the same for every attempt at it. */
export const reminderPurpose = (key: ReminderKey): string =>
  `reminder/${key.kind}/${key.applicationId}/${key.subject}/${key.threshold}`;

export interface ReminderPlan {
  /** The reminder due now, if one is. */
  send?: ReminderKey;
  /** Thresholds passed without a reminder: recorded as skipped so they never go later. */
  skip: ReminderKey[];
  /** At the last threshold: the level above is told (review reminders only). */
  escalate?: { key: ReminderKey; to: string };
}

const keys = (base: Omit<ReminderKey, 'threshold'>, choice: ThresholdChoice): ReminderPlan => ({
  ...(choice.due !== undefined && { send: { ...base, threshold: choice.due } }),
  skip: choice.skipped.map((threshold) => ({ ...base, threshold })),
});

/** A pending review: remind its reviewers; at the last threshold, tell the level above too. */
export function planReviewReminder(
  review: Pick<ReviewRecord, 'reviewId' | 'applicationId' | 'status' | 'deadline' | 'stage' | 'provincialCode'>,
  now: Date,
  rules: Pick<ReminderRules, 'reviewDaysBefore'>,
): ReminderPlan {
  if (review.status !== 'PENDING') return { skip: [] };
  const choice = chooseThreshold(review.deadline, now, rules.reviewDaysBefore);
  const plan = keys({ applicationId: review.applicationId, kind: 'review', subject: review.reviewId }, choice);
  const to = escalationTarget(review);
  if (choice.due === undefined || choice.due !== lastThreshold(rules.reviewDaysBefore) || to === undefined) return plan;
  return {
    ...plan,
    escalate: {
      key: { applicationId: review.applicationId, kind: 'escalation', subject: review.reviewId, threshold: choice.due },
      to,
    },
  };
}

/**
 * The county before its own deadline: a DRAFT not yet submitted by the submission deadline (its
 * `dueAt`), or a RETURNED application before the resubmission deadline. A draft's series is
 * `draft`; each return is its own series (stage and round), so a second return is reminded again.
 * Late material is not accepted (逾期不予受理): a draft forgotten on the last day is lost.
 */
export function planApplicantReminder(
  application: Pick<ApplicationRecord, 'applicationId' | 'status' | 'dueAt' | 'stage' | 'round'>,
  now: Date,
  rules: Pick<ReminderRules, 'applicantDaysBefore'>,
): ReminderPlan {
  const subject = applicantSeries(application);
  if (subject === undefined) return { skip: [] };
  const choice = chooseThreshold(application.dueAt, now, rules.applicantDaysBefore);
  return keys({ applicationId: application.applicationId, kind: 'applicant', subject }, choice);
}

/** The series of the applicant's reminders: `draft`, or `<stage>.<round>` of a return; none otherwise. */
function applicantSeries(application: Pick<ApplicationRecord, 'status' | 'stage' | 'round'>): string | undefined {
  if (application.status === 'DRAFT') return DRAFT_SERIES;
  if (application.status !== 'RETURNED' || !application.stage || application.round === undefined) return undefined;
  return `${application.stage}.${application.round}`;
}

/** The reminder series of a draft before the submission deadline (a return's is `<stage>.<round>`). */
export const DRAFT_SERIES = 'draft';

// ---- campaigns -------------------------------------------------------------------------------

/**
 * A campaign whose window still runs: some stage deadline of it is still ahead (MIIT's, which
 * defaults to the end of the campaign year). Ended campaigns have nothing left to remind of.
 */
export function campaignRunning(campaign: Campaign, now: Date): boolean {
  const end = Math.max(Date.parse(lastDeadline(campaign)), Date.parse(miitDeadline(campaign)));
  return now.getTime() <= end;
}
