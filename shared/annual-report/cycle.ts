/**
 * The annual-report cycle (DOMAIN.md, "Re-review, annual reports, dynamic management"): each year
 * Y the province collects its recognised clusters' reports on year Y-1 and forwards them to MIIT
 * by 30 April of Y, the end of that day in Beijing. The due day and the reminder thresholds are
 * data (shared/rules/reminders.ts: `annualReport`, overridable per deployment).
 *
 * Who owes a report is computed from the register when it is read, never stored: an entry in a
 * standing state whose validity overlaps the reporting year. A revocation or expiry therefore
 * drops the duty at once, with nothing to clean up.
 */
import { toBeijingIso } from '../platform/time.ts';
import { type RegisterEntry, STANDING_STATES } from '../register/entry.ts';
import type { ReminderRules } from '../rules/reminders.ts';

/** What the cycle reads of the rules: the due day (MM-DD) and the reminder thresholds (days before). */
export type CycleRules = ReminderRules['annualReport'];

/** The province's deadline to MIIT for the reports on `reportYear`: the due day of the next year, 23:59:59 Beijing. */
export const provinceDeadline = (reportYear: number, rules: CycleRules): string =>
  `${reportYear + 1}-${rules.dueMonthDay}T23:59:59+08:00`;

/**
 * The reporting year whose deadline is the next at or after `now`: until 30 April of Y it is Y-1,
 * after it Y (whose reports are due the year after).
 */
export function currentReportYear(now: Date, rules: CycleRules): number {
  const year = Number(toBeijingIso(now).slice(0, 4));
  return now.getTime() <= Date.parse(provinceDeadline(year - 1, rules)) ? year - 1 : year;
}

/** Whether the deadline of `reportYear` has passed at `now`. */
export const deadlinePassed = (reportYear: number, now: Date, rules: CycleRules): boolean =>
  now.getTime() > Date.parse(provinceDeadline(reportYear, rules));

/**
 * Whether a register entry owes the report on `reportYear`: it still stands (valid, under
 * re-review, retained) and its validity overlaps that year.
 */
export function owesReport(
  entry: Pick<RegisterEntry, 'state' | 'validFrom' | 'validUntil'>,
  reportYear: number,
): boolean {
  return (
    STANDING_STATES.has(entry.state) &&
    entry.validFrom <= `${reportYear}-12-31` &&
    entry.validUntil >= `${reportYear}-01-01`
  );
}

/** The entries owing the report on `reportYear`, in list order (county, then name). */
export function dutiesOf<
  E extends Pick<RegisterEntry, 'state' | 'validFrom' | 'validUntil' | 'countyCode' | 'clusterName'>,
>(entries: readonly E[], reportYear: number): E[] {
  return entries
    .filter((entry) => owesReport(entry, reportYear))
    .sort((a, b) => a.countyCode.localeCompare(b.countyCode) || a.clusterName.localeCompare(b.clusterName, 'zh'));
}
