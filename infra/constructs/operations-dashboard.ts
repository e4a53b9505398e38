import { Duration, Stack } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  LegendPosition,
  type Metric,
  Stats,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC, METRIC_STAGES } from '../../shared/platform/metrics.ts';
import { type OperationsMetrics, sesMetric } from './operations-metrics.ts';

export interface OperationsDashboardProps {
  /** The review ladder. */
  readonly stateMachine: IStateMachine;
  /** Every function of the pipeline, by the name the route table and task list give it. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** Dead-letter queues, by a label for the graph. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** The custom metrics (namespace, sweep period). */
  readonly metrics: OperationsMetrics;
  /** Shown as a status row at the top. @default none */
  readonly alarms?: readonly IAlarm[];
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * One CloudWatch dashboard, `<stack name>-Operations`, read top to bottom: alarms; the review
 * ladder and the dead-letter queues; the applications waiting at each stage; the validator; every
 * function's errors, throttles and p95 duration; email.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const { stateMachine, metrics } = props;
    const functions = Object.entries(props.functions);
    const perFunction = (metric: (fn: IFunction) => Metric) =>
      functions.map(([name, fn]) => metric(fn).with({ label: name }));
    const graph = (title: string, left: IMetric[], extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {}) =>
      new GraphWidget({
        title,
        left,
        width: 8,
        height: 6,
        leftYAxis: { min: 0 },
        legendPosition: LegendPosition.BOTTOM,
        ...extra,
      });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-Operations`,
      defaultInterval: Duration.days(7),
    });

    this.dashboard.addWidgets(
      new TextWidget({
        width: 24,
        height: 2,
        markdown:
          '## Cluster recommendation pipeline — operations · 运维看板\n' +
          'Failed ladder executions: open the ops console (`/console`) → Failed executions → Redrive after fixing the cause. ' +
          'Each alarm says what to do (docs/runbook.md, a section per alarm). · 评审流程执行失败：运维控制台 → 失败的执行 → 排除原因后重新驱动。',
      }),
    );
    if (props.alarms && props.alarms.length > 0) {
      this.dashboard.addWidgets(
        new AlarmStatusWidget({ title: 'Alarms · 告警', alarms: [...props.alarms], width: 24, height: 3 }),
      );
    }

    this.dashboard.addWidgets(
      graph(
        'Review ladder executions · 评审流程执行',
        [
          stateMachine.metricStarted({ label: 'started', period: FIVE_MINUTES }),
          stateMachine.metricSucceeded({ label: 'succeeded', period: FIVE_MINUTES }),
          stateMachine.metricFailed({ label: 'failed', period: FIVE_MINUTES }),
          stateMachine.metricTimedOut({ label: 'timed out', period: FIVE_MINUTES }),
          stateMachine.metricAborted({ label: 'aborted (stopped while waiting)', period: FIVE_MINUTES }),
        ],
        { width: 12, statistic: Stats.SUM },
      ),
      graph(
        'Dead-letter queues: messages visible · 死信队列',
        Object.entries(props.deadLetterQueues).map(([label, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({ label, period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
        ),
        { width: 12 },
      ),
    );

    this.dashboard.addWidgets(
      graph(
        'Pending applications by stage · 待审核',
        METRIC_STAGES.map((stage) => metrics.backlog(METRIC.pendingApplications, stage)),
        { stacked: true },
      ),
      graph(
        'Overdue applications by stage · 逾期',
        METRIC_STAGES.map((stage) => metrics.backlog(METRIC.overdueApplications, stage)),
        { stacked: true },
      ),
      graph('Reviews due within 24 hours · 24 小时内到期', [
        metrics.reviewsDueWithin24h().with({ label: 'all stages' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Sweeper: reminders per run · 催办提醒',
        [
          metrics.sweep(METRIC.remindersSent).with({ label: 'reminders sent' }),
          metrics.sweep(METRIC.escalationsSent).with({ label: 'escalations sent' }),
          metrics.sweep(METRIC.reminderFailures).with({ label: 'reminders failed (retried next run)' }),
        ],
        { width: 24, height: 5 },
      ),
    );

    this.dashboard.addWidgets(
      graph('Evidence checked, by outcome and reason · 佐证材料校验结果', [metrics.evidenceCheckedByReason()], {
        width: 16,
        stacked: true,
        legendPosition: LegendPosition.RIGHT,
      }),
      graph('Evidence checks that failed · 校验异常', [
        metrics.evidenceCheckFailed().with({ label: 'checks that threw' }),
      ]),
    );

    this.dashboard.addWidgets(
      graph(
        'Lambda errors · 函数错误',
        perFunction((fn) => fn.metricErrors({ period: FIVE_MINUTES })),
        {
          legendPosition: LegendPosition.RIGHT,
        },
      ),
      graph(
        'Lambda throttles · 函数限流',
        perFunction((fn) => fn.metricThrottles({ period: FIVE_MINUTES })),
        {
          legendPosition: LegendPosition.RIGHT,
        },
      ),
      graph(
        'Lambda duration p95 (ms) · 函数耗时 p95',
        perFunction((fn) => fn.metricDuration({ period: FIVE_MINUTES, statistic: Stats.percentile(95) })),
        { legendPosition: LegendPosition.RIGHT },
      ),
    );

    this.dashboard.addWidgets(
      graph('Emails sent, by function · 已发送邮件', [metrics.emailsSentByService()], { width: 12, stacked: true }),
      graph('SES sending · 邮件服务', [sesMetric('Send'), sesMetric('Bounce'), sesMetric('Complaint')], { width: 12 }),
    );
  }
}
