import { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { createMetrics, flushMetrics, recordBacklog, SWEEPER_SERVICE } from '../platform/metrics.ts';
import type { SweepLog } from '../ports/operations.ts';
import type { SweepSummary } from './sweep-summary.ts';
import type { Sweeper } from './sweeper.ts';

/**
 * The scheduled sweeper's face (SCHEDULED_FUNCTIONS.sweeper: EventBridge Scheduler in AWS, a timer
 * in `npm start`): one run of the Sweeper, then its counts and gauges as metrics. The run is
 * idempotent (each reminder is claimed once in the table) and throws only when it cannot read.
 */

const logger = new Logger({ serviceName: SWEEPER_SERVICE });

/** The sweeper's log lines through the function's Powertools logger (wireSweeper takes it). */
export const sweeperLog: SweepLog = {
  debug: (message, attributes = {}) => logger.debug(message, attributes),
  info: (message, attributes = {}) => logger.info(message, attributes),
  warn: (message, attributes = {}) => logger.warn(message, attributes),
  error: (message, attributes = {}) => logger.error(message, attributes),
};

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
  recordBacklog(
    { pending: summary.pending, overdue: summary.overdue, dueWithin24h: summary.reviewsDueWithin24h },
    target,
  );
  for (const [field, name] of Object.entries(SWEEP_COUNTS) as [keyof typeof SWEEP_COUNTS, string][]) {
    target.addMetric(name, MetricUnit.Count, summary[field]);
  }
  flushMetrics(target);
}

export interface SweeperHandlerDeps {
  sweeper: Pick<Sweeper, 'sweep'>;
}

/** `metrics`: where the run's metrics go (default: the pipeline namespace, service sweeper). */
export function makeSweeperHandler(
  { sweeper }: SweeperHandlerDeps,
  metrics: Metrics = createMetrics({ serviceName: SWEEPER_SERVICE }),
) {
  return async (_event: Partial<ScheduledEvent> = {}, context?: Context): Promise<SweepSummary> => {
    if (context) logger.addContext(context);
    const summary = await sweeper.sweep();
    publishSweepMetrics(metrics, summary);
    return summary;
  };
}
