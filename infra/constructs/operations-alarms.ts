import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { assertAlarmEmail, DEFAULT_REVIEWS_DUE_ALARM_THRESHOLD } from '../settings.ts';
import type { OperationsMetrics } from './operations-metrics.ts';

/** An alarm's metric math may read at most 10 metrics (a hard CloudWatch limit). */
export const MAX_METRICS_PER_ALARM = 10;

/** What an operator is told to do about a dead-letter queue, in English and Chinese. */
export interface DeadLetterQueueAlarm {
  readonly queue: IQueue;
  /** What lands there and what to do, English first, then Chinese (one line each). */
  readonly runbook: { readonly en: string; readonly zh: string };
}

export interface OperationsAlarmsProps {
  readonly stateMachine: IStateMachine;
  /** The evidence validator (error rate). */
  readonly validator: IFunction;
  /** Every function, in groups (one throttle alarm per group of at most 10 functions). */
  readonly functionGroups: Readonly<Record<string, Readonly<Record<string, IFunction>>>>;
  /** Dead-letter queues by a short name (`validator`, `sweeper`). */
  readonly deadLetterQueues: Readonly<Record<string, DeadLetterQueueAlarm>>;
  readonly metrics: OperationsMetrics;
  /** Alarm when at least this many pending reviews are due within 24 hours. @default 10 */
  readonly reviewsDueThreshold?: number;
  /** Validator error rate (percent of invocations over 15 minutes) above which to alarm. @default 5 */
  readonly validatorErrorRatePercent?: number;
  /** Subscribed to the topic by email. @default none */
  readonly alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The alarms an operator must act on, each to one SNS topic (encrypted with its own KMS key,
 * TLS only), with an optional email subscription. Every alarm description says, in English and
 * Chinese, what broke and what to do; missing data never alarms (a quiet pipeline is healthy).
 * docs/runbook.md has the longer procedure of each, under the name given here (`alarm(name, …)`).
 */
export class OperationsAlarms extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  /** By a short name: ladderFailed, ladderTimedOut, dlq-<name>, validatorErrorRate, … */
  readonly alarms: Record<string, Alarm> = {};

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const reviewsDueThreshold = props.reviewsDueThreshold ?? DEFAULT_REVIEWS_DUE_ALARM_THRESHOLD;
    if (!Number.isInteger(reviewsDueThreshold) || reviewsDueThreshold < 1) {
      throw new Error(`reviewsDueThreshold must be a whole number, at least 1 (got ${reviewsDueThreshold})`);
    }
    const errorRate = props.validatorErrorRatePercent ?? 5;
    if (!(errorRate > 0 && errorRate < 100)) {
      throw new Error(`validatorErrorRatePercent must be between 0 and 100 (got ${errorRate})`);
    }
    if (props.alarmEmail !== undefined) assertAlarmEmail(props.alarmEmail);

    // CloudWatch publishes to an encrypted topic only with a customer managed key whose policy
    // lets it generate data keys (the AWS managed aws/sns key does not).
    this.key = new Key(this, 'TopicKey', {
      description: `${stack.stackName}: encrypts the alarm topic`,
      enableKeyRotation: true,
      // Nothing is stored under it: alarm notifications are transient.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToTheTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Cluster pipeline alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one: name the publisher, this account's alarms only.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarm = (
      name: string,
      metric: IMetric,
      settings: { threshold: number; comparison?: ComparisonOperator; en: string; zh: string },
    ) => {
      const created = new Alarm(this, pascal(name), {
        alarmName: `${stack.stackName}-${name}`,
        metric,
        threshold: settings.threshold,
        comparisonOperator: settings.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: `${settings.en}\n${settings.zh}`,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms[name] = created;
      return created;
    };

    // ---- The review ladder.
    const redrive =
      'Open the ops console (/console) > Failed executions, read the error and its cause, fix the cause ' +
      '(a failed deploy, a missing permission, SES refusing mail, a throttled table), then press Redrive on ' +
      'each execution (possible for 14 days; the application resumes at the state that failed).';
    const redriveZh =
      '处理：打开运维控制台 /console →「失败的执行」，查看错误及原因并排除（部署失败、权限缺失、邮件被拒、数据表限流等），' +
      '然后对每个执行点击「重新驱动」（14 天内有效，申请从失败的步骤继续）。';
    alarm('ladder-executions-failed', props.stateMachine.metricFailed({ period: FIVE_MINUTES, statistic: Stats.SUM }), {
      threshold: 1,
      en: `Review ladder: an execution FAILED (a task kept failing after its retries); its application is stuck at its current stage. ${redrive}`,
      zh: `评审流程：有执行失败（任务多次重试后仍失败），对应申请停在当前环节。${redriveZh}`,
    });
    alarm(
      'ladder-executions-timed-out',
      props.stateMachine.metricTimedOut({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      {
        threshold: 1,
        en: `Review ladder: an execution TIMED OUT as a whole (stage deadlines do not do this: they end in OVERDUE). ${redrive}`,
        zh: `评审流程：有执行整体超时（环节截止不会引起此告警，截止会转为“逾期”）。${redriveZh}`,
      },
    );

    // ---- Dead-letter queues.
    for (const [name, { queue, runbook }] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}-dead-letters`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
        { threshold: 1, en: runbook.en, zh: runbook.zh },
      );
    }

    // ---- The validator.
    const fifteenMinutes = Duration.minutes(15);
    alarm(
      'validator-error-rate',
      new MathExpression({
        expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
        usingMetrics: {
          errors: props.validator.metricErrors({ period: fifteenMinutes, statistic: Stats.SUM }),
          invocations: props.validator.metricInvocations({ period: fifteenMinutes, statistic: Stats.SUM }),
        },
        period: fifteenMinutes,
        label: 'validator error rate (%)',
      }),
      {
        threshold: errorRate,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
        en:
          `Evidence validator: more than ${errorRate}% of invocations failed in 15 minutes; uploads stay PENDING and applicants cannot submit. ` +
          "Open the validator function's log group, find the ERROR entries (DynamoDB throttling? S3 access denied? a bad deploy?), fix the cause. " +
          'Lambda retries each event; what still fails lands in the ValidatorFailures queue (see its alarm).',
        zh:
          `佐证材料校验函数：15 分钟内超过 ${errorRate}% 的调用失败，上传的材料停留在“待校验”，申报单位无法提交。` +
          '请打开校验函数的日志组，查找 ERROR 记录（数据表限流？S3 拒绝访问？部署有误？）并排除。每个事件会自动重试，仍失败的进入 ValidatorFailures 队列（见该告警）。',
      },
    );
    alarm('evidence-check-failed', props.metrics.evidenceCheckFailed(), {
      threshold: 1,
      en:
        'Evidence validator: a check threw instead of reaching VALID or INVALID (metric EvidenceCheckFailed). ' +
        "Lambda retries it; if the error persists the event lands in ValidatorFailures. Read the validator's log for the object key and the error, fix the cause.",
      zh: '佐证材料校验：有校验抛出异常，未得出“有效/无效”结论（指标 EvidenceCheckFailed）。系统会自动重试，仍失败的进入 ValidatorFailures 队列。请在校验函数日志中按对象键查看错误并排除。',
    });

    // ---- Deadlines.
    alarm('reviews-due-within-24h', props.metrics.reviewsDueWithin24h(), {
      threshold: reviewsDueThreshold,
      en:
        `${reviewsDueThreshold} or more reviews are still pending with their deadline less than 24 hours away; at the deadline they become OVERDUE and the application drops out. ` +
        'Open the ops console summary (/console) to see which jurisdictions hold them and contact those reviewers; the sweeper has emailed reminders, ' +
        'and a lost link can be sent again (POST /v1/reviews/{reviewId}/resend).',
      zh:
        `有 ${reviewsDueThreshold} 件及以上的审核距截止不足 24 小时仍未处理，到期将转为“逾期”，申请随之终止。` +
        '请在运维控制台 /console 查看积压在哪些地区，并联系相应审核人员；系统已发送提醒邮件，链接丢失可重新发送（POST /v1/reviews/{reviewId}/resend）。',
    });

    // ---- Nobody to email: no review link goes to a guessed address.
    alarm('reviewers-missing', props.metrics.reviewersMissing(), {
      threshold: 1,
      en:
        'A review (or an escalation) found no reviewer registered for its jurisdiction (metric ReviewersMissing): no email was sent and the review waits, its task open. ' +
        'The ops console (/console) lists the jurisdictions under "No registered reviewer". Register their reviewers (docs/runbook.md: Registering reviewers), then resend the link ' +
        '(POST /v1/reviews/{reviewId}/resend, or the inbox button); the sweeper also sends one with its next reminder.',
      zh:
        '有审核（或督办）所属地区未登记审核人员（指标 ReviewersMissing）：未发送邮件，审核保持待办、流程等待。' +
        '运维控制台 /console 的「未登记审核人员」列出这些地区。请登记其审核人员（见 docs/runbook.md：登记审核人员），然后重发链接（POST /v1/reviews/{reviewId}/resend 或收件箱按钮）；巡检提醒也会随下一次提醒发送链接。',
    });

    // ---- Throttles, a sum per group of at most 10 functions (the metric math limit of alarms).
    for (const [group, functions] of Object.entries(props.functionGroups)) {
      const entries = Object.entries(functions);
      const chunks = chunk(entries, MAX_METRICS_PER_ALARM);
      chunks.forEach((part, index) => {
        const usingMetrics = Object.fromEntries(
          part.map(([, fn], i) => [`t${i}`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM })]),
        );
        const names = part.map(([name]) => name).join(', ');
        alarm(
          `${group}${chunks.length > 1 ? `-${index + 1}` : ''}-throttles`,
          new MathExpression({
            expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
            usingMetrics,
            period: FIVE_MINUTES,
            label: `${group} throttles`,
          }),
          {
            threshold: 1,
            en:
              `Lambda throttled invocations of ${names}. API callers got errors; the ladder and the validator retry. ` +
              "Check the account's concurrency (Lambda console > Concurrency: is another function's reserved concurrency taking it?), " +
              'a traffic spike in the API access logs, and request a higher concurrency quota if needed.',
            zh:
              `函数被限流：${names}。接口调用方收到错误，评审流程与校验函数会重试。请检查账户并发额度（Lambda 控制台 → 并发，是否被其他函数的预留并发占用）、` +
              'API 访问日志中的流量高峰，必要时申请提高并发配额。',
          },
        );
      });
    }
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

function pascal(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
