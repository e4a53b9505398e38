/**
 * When the sweeper reminds whom (rules as data): reviewers of a pending stage, applicants of a
 * draft before the submission deadline or of a returned application before the resubmission
 * deadline, and recognised clusters of their annual report (by 30 April, Beijing time). A threshold N means "N days before the deadline"; the smallest threshold of the review
 * list is also when the level above is told (escalation).
 *
 * The day lists may be overridden per deployment through the environment (comma-separated days,
 * e.g. REMINDER_REVIEW_DAYS="10,5,2"); anything invalid stops the sweeper when it loads.
 */
import * as z from 'zod';

/** Days before a deadline, at most a year; stored largest first, without repeats. */
const DaysBeforeSchema = z
  .array(z.number().positive().max(366))
  .min(1, 'at least one threshold')
  .max(10)
  .transform((days) => [...new Set(days)].sort((a, b) => b - a));

/** "MM-DD", a day every year has (no 29 February). */
const MonthDaySchema = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'MM-DD')
  .refine((text) => {
    const [month, day] = text.split('-').map(Number) as [number, number];
    const probe = new Date(Date.UTC(2023, month - 1, day));
    return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
  }, 'a day that exists every year');

export const ReminderRulesSchema = z.object({
  /** Reviewers of a pending stage, before the stage deadline; the last one also escalates. */
  reviewDaysBefore: DaysBeforeSchema,
  /**
   * The applicant of a DRAFT before the submission deadline, and of a RETURNED application before
   * the resubmission deadline.
   */
  applicantDaysBefore: DaysBeforeSchema,
  annualReport: z.object({
    /** The report is due at the end of this day, Beijing time, every year (年报: 30 April). */
    dueMonthDay: MonthDaySchema,
    daysBefore: DaysBeforeSchema,
  }),
  /** A reminder claimed by a sweep that then crashed may be taken over after this long. */
  staleClaimMinutes: z
    .number()
    .positive()
    .max(24 * 60),
  /** POST /v1/reviews/{id}/resend: at most one resend per review within this many minutes. */
  resendCooldownMinutes: z
    .number()
    .nonnegative()
    .max(24 * 60),
  /** Links reissued for a review that stay valid beside the original (the most recent ones). */
  maxReissuedLinks: z.int().min(1).max(50),
});
export type ReminderRules = z.infer<typeof ReminderRulesSchema>;
export type ReminderRulesInput = z.input<typeof ReminderRulesSchema>;

export const REMINDER_RULES: ReminderRules = ReminderRulesSchema.parse({
  reviewDaysBefore: [7, 3, 1],
  applicantDaysBefore: [7, 3, 1],
  annualReport: { dueMonthDay: '04-30', daysBefore: [30, 7, 1] },
  staleClaimMinutes: 15,
  resendCooldownMinutes: 10,
  maxReissuedLinks: 10,
} satisfies ReminderRulesInput);

/** Optional overrides of the day lists (comma-separated days). */
export const REMINDER_DAYS_ENV = {
  review: 'REMINDER_REVIEW_DAYS',
  applicant: 'REMINDER_APPLICANT_DAYS',
  annualReport: 'REMINDER_ANNUAL_REPORT_DAYS',
} as const;

const dayList = (text: string | undefined) =>
  text === undefined || text.trim() === '' ? undefined : text.split(',').map((part) => Number(part.trim()));

/**
 * The rules with the environment's day lists, validated by the same schema.
 * @throws Error naming the variable when a list is not valid
 */
export function reminderRulesFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  base: ReminderRules = REMINDER_RULES,
): ReminderRules {
  const review = dayList(env[REMINDER_DAYS_ENV.review]);
  const applicant = dayList(env[REMINDER_DAYS_ENV.applicant]);
  const annual = dayList(env[REMINDER_DAYS_ENV.annualReport]);
  const parsed = ReminderRulesSchema.safeParse({
    ...base,
    ...(review && { reviewDaysBefore: review }),
    ...(applicant && { applicantDaysBefore: applicant }),
    annualReport: { ...base.annualReport, ...(annual && { daysBefore: annual }) },
  });
  if (!parsed.success) {
    const fields: Record<string, string> = {
      reviewDaysBefore: REMINDER_DAYS_ENV.review,
      applicantDaysBefore: REMINDER_DAYS_ENV.applicant,
      annualReport: REMINDER_DAYS_ENV.annualReport,
    };
    const names = [
      ...new Set(parsed.error.issues.map((issue) => fields[String(issue.path[0])] ?? String(issue.path[0]))),
    ];
    throw new Error(`Invalid reminder days in ${names.join(', ')}: comma-separated positive days, e.g. "7,3,1"`);
  }
  return parsed.data;
}
