/**
 * What a recognised cluster owes, as of a day (DOMAIN.md, "Re-review, annual reports, dynamic
 * management"): each year its province collects the report on the previous year and sends it to
 * MIIT by 30 April; in the last year of its validity a national cluster takes part in its
 * cohort's re-review (the 2022 cohort: 2025). A revoked or expired entry owes nothing.
 */
import { beijingDate } from '../platform/time.ts';
import { type RegisterEntry, STANDING_STATES } from './entry.ts';

/** The province's deadline for the year's reports to MIIT: 30 April (month-day, Beijing). */
export const ANNUAL_REPORT_DEADLINE = '04-30';

export type Due =
  { kind: 'annual-report'; reportYear: number; provinceDeadline: string } | { kind: 're-review'; year: number };

export function dueFor(entry: Pick<RegisterEntry, 'state' | 'level' | 'validFrom' | 'validUntil'>, now: Date): Due[] {
  if (!STANDING_STATES.has(entry.state)) return [];
  const today = beijingDate(now.toISOString());
  const year = Number(today.slice(0, 4));
  const due: Due[] = [];
  // This year's report (on last year) until 30 April; after it, next year's.
  const deadlineYear = today <= `${year}-${ANNUAL_REPORT_DEADLINE}` ? year : year + 1;
  const provinceDeadline = `${deadlineYear}-${ANNUAL_REPORT_DEADLINE}`;
  // A report is owed on a year the cluster held the title, while it still holds it.
  if (deadlineYear - 1 >= Number(entry.validFrom.slice(0, 4)) && provinceDeadline <= entry.validUntil) {
    due.push({ kind: 'annual-report', reportYear: deadlineYear - 1, provinceDeadline });
  }
  const reReviewYear = Number(entry.validUntil.slice(0, 4));
  if (entry.level === 'national' && reReviewYear >= year) due.push({ kind: 're-review', year: reReviewYear });
  return due;
}
