/**
 * A campaign's calendar as plain dates, apart from any campaign: the stage order its deadlines
 * must keep, and the default that fills a missing earlier deadline with the next later one. The
 * campaign schema checks definitions with it; the effective rules merge overlays with it.
 */
import { toBeijingIso } from '../platform/time.ts';

export const DEADLINE_STAGES = ['submission', 'city', 'province', 'miit'] as const;
export type DeadlineName = (typeof DEADLINE_STAGES)[number];

export const DEADLINE_DESCRIPTIONS: Readonly<Record<DeadlineName, string>> = {
  submission: 'counties submit to their city (or straight to the province stage where there is no city)',
  city: 'cities send their recommendations to the province',
  province: 'provinces send their recommendations to MIIT',
  miit: 'MIIT decides',
};

export type DeadlineDates = Partial<Record<DeadlineName, string>>;

/**
 * Dates in `dates` must follow `opensAt` (strictly) and each other (or be equal), in stage order.
 * `report` is called for each offending stage with the stage it must not precede.
 */
export function checkOrder(
  opensAt: string,
  dates: DeadlineDates,
  report: (stage: DeadlineName, previous: DeadlineName | 'opensAt', message: string) => void,
): void {
  let previous: { name: DeadlineName | 'opensAt'; value: string } = { name: 'opensAt', value: opensAt };
  for (const stage of DEADLINE_STAGES) {
    const value = dates[stage];
    if (value === undefined) continue;
    const [at, before] = [Date.parse(value), Date.parse(previous.value)];
    const label = previous.name === 'opensAt' ? 'opensAt' : `calendar.${previous.name}`;
    if (previous.name === 'opensAt' ? at <= before : at < before) {
      const relation = previous.name === 'opensAt' ? 'after' : 'on or after';
      report(stage, previous.name, `calendar.${stage} (${value}) must be ${relation} ${label} (${previous.value})`);
    } else {
      // Compare each later date with the latest one so far, so every misplaced date is named.
      previous = { name: stage, value };
    }
  }
}

/**
 * MIIT's own review window: its deadline must fall at least this many days after the provinces'
 * deadline (the day the provinces' lists reach MIIT). Without it MIIT's deadline could fall on the
 * provinces' forwarding date, and every application would turn OVERDUE the moment it arrived. Not
 * a figure from the notices (they set no MIIT deadline): a floor against a calendar that leaves
 * MIIT no time. A campaign may set its own floor (`calendar.miitWindowDays`, at least 1 day).
 */
export const DEFAULT_MIIT_WINDOW_DAYS = 14;

const DAY_MS = 86_400_000;

/** Whether `miit` leaves MIIT at least `windowDays` whole days after the provinces' `province` deadline. */
export function leavesMiitWindow(province: string, miit: string, windowDays: number): boolean {
  return Date.parse(miit) - Date.parse(province) >= windowDays * DAY_MS;
}

/**
 * MIIT's deadline for a campaign stored before a calendar had to name one: the provinces' deadline
 * plus the default window (never the provinces' own date). New definitions must name it.
 */
export function legacyMiitDeadline(province: string): string {
  return toBeijingIso(new Date(Date.parse(province) + DEFAULT_MIIT_WINDOW_DAYS * DAY_MS));
}

export type FilledDeadlines = { submission: string; city: string; province: string; miit: string | undefined };

/** Deadlines with a missing earlier one defaulting to the next later one. */
export function filledDeadlines(dates: DeadlineDates & { province: string }): FilledDeadlines {
  const city = dates.city ?? dates.province;
  return { submission: dates.submission ?? city, city, province: dates.province, miit: dates.miit };
}

/** The defined fields only, so that spreading it never overwrites a value with undefined. */
export function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
