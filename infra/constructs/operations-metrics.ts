import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import {
  DIMENSION,
  METRIC,
  REVIEWER_LOOKUP_SERVICES,
  SERVICE_DIMENSION,
  SWEEPER_SERVICE,
  VALIDATOR_SERVICE,
} from '../../shared/platform/metrics.ts';
import type { StageName } from '../../shared/rules/jurisdictions.ts';

/**
 * The pipeline's custom metrics as CloudWatch sees them, for the dashboard and the alarms. Names,
 * dimensions and service names come from shared/platform/metrics.ts, where the handlers emit them; the
 * `service` dimension is the one Powertools adds from POWERTOOLS_SERVICE_NAME.
 */
export class OperationsMetrics {
  constructor(
    /** POWERTOOLS_METRICS_NAMESPACE of every function. */
    readonly namespace: string,
    /** How often the sweeper writes its gauges: their period (a gauge is read as its Maximum). */
    readonly sweepPeriod: Duration,
  ) {}

  /** PendingApplications or OverdueApplications at one stage (sweeper gauge). */
  backlog(name: typeof METRIC.pendingApplications | typeof METRIC.overdueApplications, stage: StageName): Metric {
    return new Metric({
      namespace: this.namespace,
      metricName: name,
      dimensionsMap: { [SERVICE_DIMENSION]: SWEEPER_SERVICE, [DIMENSION.stage]: stage },
      statistic: Stats.MAXIMUM,
      period: this.sweepPeriod,
      label: stage,
    });
  }

  /** ReviewsDueWithin24h (sweeper gauge, all stages together). */
  reviewsDueWithin24h(): Metric {
    return new Metric({
      namespace: this.namespace,
      metricName: METRIC.reviewsDueWithin24h,
      dimensionsMap: { [SERVICE_DIMENSION]: SWEEPER_SERVICE },
      statistic: Stats.MAXIMUM,
      period: this.sweepPeriod,
    });
  }

  /** RemindersSent, EscalationsSent or ReminderFailures: the sweeper's counts per run. */
  sweep(name: typeof METRIC.remindersSent | typeof METRIC.escalationsSent | typeof METRIC.reminderFailures): Metric {
    return new Metric({
      namespace: this.namespace,
      metricName: name,
      dimensionsMap: { [SERVICE_DIMENSION]: SWEEPER_SERVICE },
      statistic: Stats.SUM,
      period: this.sweepPeriod,
    });
  }

  /**
   * ReviewersMissing, summed over the functions that look reviewers up (each writes it under its
   * own service): review links or escalations that found nobody registered to email.
   */
  reviewersMissing(period = Duration.minutes(5)): MathExpression {
    const usingMetrics = Object.fromEntries(
      REVIEWER_LOOKUP_SERVICES.map((service, i) => [
        `m${i}`,
        new Metric({
          namespace: this.namespace,
          metricName: METRIC.reviewersMissing,
          dimensionsMap: { [SERVICE_DIMENSION]: service },
          statistic: Stats.SUM,
          period,
        }),
      ]),
    );
    return new MathExpression({
      expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
      usingMetrics,
      period,
      label: 'reviews with no registered reviewer',
    });
  }

  /** EvidenceCheckFailed: validator invocations that threw (each retry counts). */
  evidenceCheckFailed(period = Duration.minutes(5)): Metric {
    return new Metric({
      namespace: this.namespace,
      metricName: METRIC.evidenceCheckFailed,
      dimensionsMap: { [SERVICE_DIMENSION]: VALIDATOR_SERVICE },
      statistic: Stats.SUM,
      period,
    });
  }

  /**
   * EvidenceChecked, one line per Outcome and Reason that occurred (a search: new finding codes
   * appear without a deploy). Searches work in graphs only, never in alarms.
   */
  evidenceCheckedByReason(period = Duration.hours(1)): MathExpression {
    return this.search(
      METRIC.evidenceChecked,
      [SERVICE_DIMENSION, DIMENSION.outcome, DIMENSION.reason],
      `${SERVICE_DIMENSION}="${VALIDATOR_SERVICE}"`,
      period,
      // Dynamic labels: one line per series the search finds, named by its dimensions.
      `\${PROP('Dim.${DIMENSION.outcome}')} \${PROP('Dim.${DIMENSION.reason}')}`,
    );
  }

  /** EmailsSent, one line per sending function (a search: every function that mails). */
  emailsSentByService(period = Duration.hours(1)): MathExpression {
    return this.search(METRIC.emailsSent, [SERVICE_DIMENSION], '', period, `\${PROP('Dim.${SERVICE_DIMENSION}')}`);
  }

  private search(
    metricName: string,
    dimensions: readonly string[],
    filter: string,
    period: Duration,
    label: string,
  ): MathExpression {
    const schema = [JSON.stringify(this.namespace), ...dimensions].join(',');
    const terms = [`MetricName="${metricName}"`, filter].filter((term) => term !== '').join(' ');
    return new MathExpression({
      expression: `SEARCH('{${schema}} ${terms}', 'Sum', ${period.toSeconds()})`,
      usingMetrics: {},
      period,
      label,
    });
  }
}

/** SES account-level sending metrics (no dimensions): Send, Bounce, Complaint. */
export function sesMetric(metricName: 'Send' | 'Bounce' | 'Complaint', period = Duration.hours(1)): Metric {
  return new Metric({ namespace: 'AWS/SES', metricName, statistic: Stats.SUM, period, label: `SES ${metricName}` });
}
