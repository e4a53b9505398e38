import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { StageName } from '../rules/jurisdictions.ts';
import { ENV, readEnv } from '../composition/env.ts';

/**
 * Custom CloudWatch metrics, written as EMF log lines by Powertools Metrics (no PutMetricData, no
 * IAM): the names and dimensions are declared here once, and both the handlers that emit them and
 * the dashboard and alarms in infra/ read them from here.
 *
 * Every data point carries the dimension `service` that Powertools adds from
 * POWERTOOLS_SERVICE_NAME (the stack sets it to the function's name: `validator`, `sweeper`,
 * `reviews`, `ladderRequestReview`…), plus the dimensions listed below.
 *
 * Settings, from the environment (Powertools reads them):
 * - POWERTOOLS_METRICS_NAMESPACE: the namespace; the stack sets METRICS_NAMESPACE on every function.
 * - POWERTOOLS_METRICS_DISABLED=true: nothing is written (tests, the local runtime). The calls stay
 *   safe: values are still checked, then dropped.
 */

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** The namespace of every custom metric (POWERTOOLS_METRICS_NAMESPACE, set by the stack). */
export const METRICS_NAMESPACE = 'ClusterRecommendation';

/** The dimension Powertools adds to every data point, from POWERTOOLS_SERVICE_NAME. */
export const SERVICE_DIMENSION = 'service';

/** The service name of the hourly sweeper (its function's POWERTOOLS_SERVICE_NAME). */
export const SWEEPER_SERVICE = 'sweeper';
/** The service name of the evidence validator (its function's POWERTOOLS_SERVICE_NAME). */
export const VALIDATOR_SERVICE = 'validator';
/** The functions that look up reviewers (and emit ReviewersMissing): RequestReview, reviews, sweeper. */
export const REVIEWER_LOOKUP_SERVICES = ['ladderRequestReview', 'reviews', SWEEPER_SERVICE] as const;

export const METRIC = {
  /** Gauge, per Stage (sweeper): applications waiting for a review at that stage. */
  pendingApplications: 'PendingApplications',
  /** Gauge, per Stage (sweeper): reviews past their stage deadline and not yet closed. */
  overdueApplications: 'OverdueApplications',
  /** Gauge, no extra dimension (sweeper): pending reviews whose deadline is within 24 hours. */
  reviewsDueWithin24h: 'ReviewsDueWithin24h',
  /** Count, per Outcome (VALID or INVALID) and Reason (a finding code; NONE when valid) (validator). */
  evidenceChecked: 'EvidenceChecked',
  /** Count (validator): checks that threw instead of reaching an outcome (retried, then dead-lettered). */
  evidenceCheckFailed: 'EvidenceCheckFailed',
  /** Count (every function that sends mail): emails SES accepted. */
  emailsSent: 'EmailsSent',
  /** Count per run (sweeper): deadline reminders sent. */
  remindersSent: 'RemindersSent',
  /** Count per run (sweeper): escalations to the level above sent. */
  escalationsSent: 'EscalationsSent',
  /** Count per run (sweeper): reminders that failed (released; the next run tries again). */
  reminderFailures: 'ReminderFailures',
  /**
   * Count (ladderRequestReview, reviews, sweeper): a review link or an escalation found nobody
   * registered for its jurisdiction; nothing was emailed (no guessed address) and the review waits.
   */
  reviewersMissing: 'ReviewersMissing',
} as const;

export const DIMENSION = {
  stage: 'Stage',
  outcome: 'Outcome',
  reason: 'Reason',
} as const;

/** The stages the sweeper reports, in ladder order (StageName in shared/rules/jurisdictions.ts). */
export const METRIC_STAGES: readonly StageName[] = ['city', 'province', 'miit'];

/** The Reason of a VALID outcome (an INVALID one has one data point per finding code). */
export const NO_FINDING = 'NONE';

/** A Metrics instance with the pipeline's namespace; the service comes from POWERTOOLS_SERVICE_NAME. */
export function createMetrics(options: { serviceName?: string } = {}): Metrics {
  return new Metrics({
    namespace: readEnv()[ENV.metricsNamespace] || METRICS_NAMESPACE,
    ...options,
  });
}

let processMetrics: Metrics | undefined;

/**
 * The process's own instance, created on first use (so the environment a test sets before its
 * first call counts, and a handler that never emits never builds one).
 */
export function pipelineMetrics(): Metrics {
  processMetrics ??= createMetrics();
  return processMetrics;
}

/**
 * Writes the data points stored on `metrics` (one EMF line) and clears them. Does nothing when
 * none are stored: Powertools would warn "No application metrics to publish" on every
 * invocation of a handler that had nothing to report.
 */
export function flushMetrics(metrics: Metrics = pipelineMetrics()): void {
  try {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  } catch (error) {
    warn('could not publish metrics', error);
  }
}

/**
 * Wraps a handler so that metrics stored during an invocation are flushed when it ends, whether
 * it returns or throws (Powertools' logMetrics does the same for decorators and Middy).
 */
export function withMetrics<A extends unknown[], R>(
  handler: (...args: A) => Promise<R>,
  metrics: () => Metrics = pipelineMetrics,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } finally {
      flushMetrics(metrics());
    }
  };
}

/**
 * Writes one data point now, with its own dimensions (besides `service`), as its own EMF line:
 * nothing to flush, so code that does not own the handler (an adapter) can use it. Never throws:
 * a metric must not fail the work it counts (a mailer that threw after SES accepted the email
 * would have its task retried, and the email sent twice).
 */
export function emitMetric(
  name: (typeof METRIC)[keyof typeof METRIC],
  dimensions: Readonly<Record<string, string>> = {},
  value = 1,
  unit: Unit = MetricUnit.Count,
  metrics: Metrics = pipelineMetrics(),
): void {
  if (!Number.isFinite(value)) {
    // Powertools would write NaN as null, and CloudWatch drop the point silently.
    warn(`could not emit metric ${name}`, new RangeError(`${value} is not a finite number`));
    return;
  }
  try {
    const single = metrics.singleMetric();
    for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
    single.addMetric(name, unit, value);
  } catch (error) {
    warn(`could not emit metric ${name}`, error);
  }
}

/** One validated evidence object: one data point per finding code, or one with Reason NONE. */
export function recordEvidenceChecked(
  status: 'VALID' | 'INVALID',
  findingCodes: readonly string[],
  metrics?: Metrics,
): void {
  const reasons = status === 'VALID' || findingCodes.length === 0 ? [NO_FINDING] : [...new Set(findingCodes)];
  for (const reason of reasons) {
    emitMetric(
      METRIC.evidenceChecked,
      { [DIMENSION.outcome]: status, [DIMENSION.reason]: reason },
      1,
      MetricUnit.Count,
      metrics,
    );
  }
}

export interface Backlog {
  /** Applications waiting for a review, by stage (a missing stage counts 0). */
  pending: Partial<Record<StageName, number>>;
  /** Reviews past their stage deadline, by stage (a missing stage counts 0). */
  overdue: Partial<Record<StageName, number>>;
  /** Pending reviews whose deadline falls within the next 24 hours. */
  dueWithin24h: number;
}

/**
 * The sweeper's gauges, written now: PendingApplications and OverdueApplications for every stage
 * (0 included, so graphs show zero rather than gaps), and ReviewsDueWithin24h, which the alarm
 * watches. Dimensions: service (sweeper) and Stage; ReviewsDueWithin24h service only.
 */
export function recordBacklog(backlog: Backlog, metrics?: Metrics): void {
  for (const stage of METRIC_STAGES) {
    const dimensions = { [DIMENSION.stage]: stage };
    emitMetric(METRIC.pendingApplications, dimensions, backlog.pending[stage] ?? 0, MetricUnit.Count, metrics);
    emitMetric(METRIC.overdueApplications, dimensions, backlog.overdue[stage] ?? 0, MetricUnit.Count, metrics);
  }
  emitMetric(METRIC.reviewsDueWithin24h, {}, backlog.dueWithin24h, MetricUnit.Count, metrics);
}

function warn(message: string, error: unknown): void {
  console.warn(
    JSON.stringify({ level: 'WARN', message, error: error instanceof Error ? error.message : String(error) }),
  );
}
