import { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { wireSweeper } from '../shared/composition/operations.ts';
import type { SweepSummary } from '../shared/operations/sweep-summary.ts';
import { createMetrics, flushMetrics, recordBacklog, SWEEPER_SERVICE } from '../shared/platform/metrics.ts';

/**
 * The scheduled sweeper (SCHEDULED_FUNCTIONS.sweeper: EventBridge Scheduler in AWS, a timer in
 * `npm start`): deadline reminders to reviewers (a fresh link) and applicants, escalation to the
 * level above, annual report reminders, and the pending/overdue gauges. Idempotent: each reminder
 * is claimed once in the table, so a retried or overlapping run sends nothing twice. A reminder
 * that failed is released and tried again by the next run (counted in ReminderFailures); the run
 * itself throws only when it cannot read at all.
 *
 * Needs TABLE_NAME, SENDER_EMAIL and PUBLIC_BASE_URL; optional: REVIEWER_FALLBACK_EMAIL,
 * REMINDER_REVIEW_DAYS / REMINDER_APPLICANT_DAYS / REMINDER_ANNUAL_REPORT_DAYS ("7,3,1"),
 * POWERTOOLS_METRICS_NAMESPACE (default ClusterRecommendation).
 */
const logger = new Logger({ serviceName: SWEEPER_SERVICE });
const metrics = createMetrics({ serviceName: SWEEPER_SERVICE });
const { sweeper } = wireSweeper({
  log: {
    debug: (message, attributes = {}) => logger.debug(message, attributes),
    info: (message, attributes = {}) => logger.info(message, attributes),
    warn: (message, attributes = {}) => logger.warn(message, attributes),
    error: (message, attributes = {}) => logger.error(message, attributes),
  },
});

/** Counts of one run, beside the backlog gauges of shared/platform/metrics.ts. */
export const SWEEP_COUNTS = {
  remindersSent: 'RemindersSent',
  escalationsSent: 'EscalationsSent',
  failed: 'ReminderFailures',
} as const satisfies Partial<Record<keyof SweepSummary, string>>;

/**
 * PendingApplications and OverdueApplications per Stage and ReviewsDueWithin24h (each its own
 * EMF line), then RemindersSent, EscalationsSent and ReminderFailures (one line); dimension
 * `service` = sweeper.
 */
export function publishSweepMetrics(target: Metrics, summary: SweepSummary): void {
  recordBacklog({ pending: summary.pending, overdue: summary.overdue, dueWithin24h: summary.reviewsDueWithin24h }, target);
  for (const [field, name] of Object.entries(SWEEP_COUNTS) as [keyof typeof SWEEP_COUNTS, string][]) {
    target.addMetric(name, MetricUnit.Count, summary[field]);
  }
  flushMetrics(target);
}

export const handler = async (_event: Partial<ScheduledEvent> = {}, context?: Context): Promise<SweepSummary> => {
  if (context) logger.addContext(context);
  const summary = await sweeper.sweep();
  publishSweepMetrics(metrics, summary);
  return summary;
};
