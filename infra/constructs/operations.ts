import { Duration } from 'aws-cdk-lib';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { SCHEDULED_FUNCTIONS, type ScheduledFunctionName } from '../../shared/platform/functions.ts';
import { METRICS_NAMESPACE } from '../../shared/platform/metrics.ts';
import type { EvidenceValidation } from './evidence-validation.ts';
import type { HandlerFunctions } from './handler-functions.ts';
import { type DeadLetterQueueAlarm, OperationsAlarms } from './operations-alarms.ts';
import { OperationsDashboard } from './operations-dashboard.ts';
import { OperationsMetrics } from './operations-metrics.ts';
import { ResourceGroup } from './resource-group.ts';
import { SCHEDULED_RUN_RETRIES, type ScheduledRuns } from './scheduled-runs.ts';

/**
 * What lands in each scheduled function's failure queue and what to do, as its alarm says (the
 * alarm description is deployed; docs/runbook.md has the longer procedure under the alarm's name).
 */
const SCHEDULED_RUN_FAILURES: Record<ScheduledFunctionName, DeadLetterQueueAlarm['runbook']> = {
  sweeper: {
    en:
      `Sweeper: an hourly run was not delivered by EventBridge Scheduler, or failed ${SCHEDULED_RUN_RETRIES + 1} times; reminders, escalations and the pending/overdue metrics missed that run. ` +
      'Read the message and the sweeper log, fix the cause; the next hourly run picks up whatever is still due. Then purge the SweeperFailures queue.',
    zh:
      `定时巡检：有一次整点运行未能投递（EventBridge Scheduler）或 ${SCHEDULED_RUN_RETRIES + 1} 次运行均出错，该次的提醒、升级和待办/逾期指标缺失。` +
      '请查看消息及巡检函数日志并排除原因；下一次整点运行会补做仍到期的事项。随后清空 SweeperFailures 队列。',
  },
};

/** What lands in ValidatorFailures after `attempts` failed invocations, and what to do. */
function validatorFailures(attempts: number): DeadLetterQueueAlarm['runbook'] {
  return {
    en:
      `Evidence validator: an upload event failed ${attempts} times and is in the ValidatorFailures queue; that evidence stays PENDING and its applicant cannot submit. ` +
      'Read the message (requestPayload is the S3 event; responsePayload.errorMessage the error) and the validator log for that key, fix the cause, ' +
      'then invoke the validator again with the requestPayload (aws lambda invoke --invocation-type Event; replays are safe) and delete the message.',
    zh:
      `佐证材料校验：有上传事件 ${attempts} 次处理失败，进入 ValidatorFailures 队列；该材料停留在“待校验”，申报单位无法提交。` +
      '请查看消息（requestPayload 为 S3 事件，responsePayload.errorMessage 为错误）及校验函数日志，排除原因后用 requestPayload 重新调用校验函数（可安全重放），再删除该消息。',
  };
}

export interface OperationsProps {
  readonly stateMachine: IStateMachine;
  readonly functions: HandlerFunctions;
  readonly evidenceValidation: EvidenceValidation;
  readonly scheduledRuns: ScheduledRuns;
  /** Alarm when at least this many pending reviews are due within 24 hours. @default 10 */
  readonly reviewsDueThreshold?: number;
  /** Subscribed by email to the alarm topic (SNS asks the address to confirm). @default none */
  readonly alarmEmail?: string;
}

/**
 * What an operator watches: the pipeline's metrics (shared/platform/metrics.ts), the alarms (to
 * one encrypted topic; each described in docs/runbook.md under its name) and the dashboard.
 */
export class Operations extends ResourceGroup {
  readonly metrics: OperationsMetrics;
  readonly alarms: OperationsAlarms;
  readonly dashboard: OperationsDashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const { functions, evidenceValidation, scheduledRuns } = props;
    this.metrics = new OperationsMetrics(METRICS_NAMESPACE, Duration.minutes(SCHEDULED_FUNCTIONS.sweeper.everyMinutes));
    const scheduledDeadLetters = Object.fromEntries(
      (Object.keys(SCHEDULED_FUNCTIONS) as ScheduledFunctionName[]).map((name) => [
        name,
        { queue: scheduledRuns.failures[name], runbook: SCHEDULED_RUN_FAILURES[name] },
      ]),
    );
    this.alarms = new OperationsAlarms(this, 'Alarms', {
      stateMachine: props.stateMachine,
      validator: functions.event.validator,
      functionGroups: {
        api: functions.api,
        ladder: functions.workflow,
        background: { ...functions.event, ...functions.scheduled },
      },
      deadLetterQueues: {
        validator: { queue: evidenceValidation.failures, runbook: validatorFailures(evidenceValidation.attempts) },
        ...scheduledDeadLetters,
      },
      metrics: this.metrics,
      reviewsDueThreshold: props.reviewsDueThreshold,
      alarmEmail: props.alarmEmail,
    });
    this.dashboard = new OperationsDashboard(this, 'Operations', {
      stateMachine: props.stateMachine,
      // Labelled by service name (POWERTOOLS_SERVICE_NAME).
      functions: functions.byServiceName(),
      deadLetterQueues: {
        ValidatorFailures: evidenceValidation.failures,
        SweeperFailures: scheduledRuns.failures.sweeper,
      },
      metrics: this.metrics,
      alarms: Object.values(this.alarms.alarms),
    });
  }
}
