/**
 * What a sweep counts, as gauges: reminders sent, skipped and failed; applications pending and
 * overdue per stage; reviews due within a day. The sweeper logs it and functions/sweeper.ts
 * publishes it as metrics.
 */
import { type ReminderKind } from './reminders.ts';
import { STATUS_STAGE } from '../ladder/contract.ts';
import type { StageName } from '../ladder/contract.ts';
import type { Tally } from '../schemas/tallies.ts';

export const STAGES: readonly StageName[] = ['city', 'province', 'miit'];
export const byStage = (): Record<StageName, number> => ({ city: 0, province: 0, miit: 0 });

export interface SweepSummary {
  /** The sweep's "now". */
  at: string;
  /** Campaigns whose window still runs. */
  campaigns: string[];
  /** Reminders sent this run (reviewers, applicants, annual reports). */
  remindersSent: number;
  escalationsSent: number;
  sent: Record<Exclude<ReminderKind, 'escalation' | 'cohort'>, number>;
  /** Reminders to the counties and cities of re-review cohort members that have not filed. */
  cohortSent?: number;
  /** Reminders not sent: already sent or being sent, thresholds passed unsent, nobody to send to. */
  skipped: number;
  /** Sends or reads that failed (logged; a released claim is tried again by the next sweep). */
  failed: number;
  /** Applications under review per stage (campaign tallies). */
  pending: Record<StageName, number>;
  /** OVERDUE applications and open ones past their stage deadline, per stage. */
  overdue: Record<StageName, number>;
  /** Applications under review whose stage deadline falls within the next 24 hours. */
  reviewsDueWithin24h: number;
}

/** Applications under review per stage, summed over a campaign's provincial tallies. */
export function pendingByStage(tallies: readonly Tally[]): Record<StageName, number> {
  const counts = byStage();
  for (const tally of tallies) {
    const stage = STATUS_STAGE[tally.status];
    if (tally.kind === 'province' && stage) counts[stage] += tally.count;
  }
  return counts;
}

/** A sweep's summary before anything was counted. */
export function emptySweepSummary(at: string): SweepSummary {
  return {
    at,
    campaigns: [],
    remindersSent: 0,
    escalationsSent: 0,
    sent: { review: 0, applicant: 0, 'annual-report': 0 },
    skipped: 0,
    failed: 0,
    pending: byStage(),
    overdue: byStage(),
    reviewsDueWithin24h: 0,
  };
}
