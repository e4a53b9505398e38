import { Duration, Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SCHEDULED_FUNCTIONS, type ScheduledFunctionName } from '../../shared/platform/functions.ts';
import { resourceFinding, suppress } from '../nag.ts';
import { failureQueueSuppressions, ON_FAILURE_DESTINATION } from './failure-queue.ts';
import { mapValues, pascal } from './records.ts';
import { ResourceGroup } from './resource-group.ts';

/**
 * Retries of a scheduled run. EventBridge Scheduler retries delivering the invocation (throttled,
 * Lambda unavailable), then dead-letters it; it invokes asynchronously, so a run that throws is
 * retried by Lambda and then sent to the same queue by the on-failure destination. An event older
 * than one run's interval is not worth delivering: the next run does the same work.
 */
const SCHEDULE_DELIVERY_RETRIES = 3;
export const SCHEDULED_RUN_RETRIES = 1;

export interface ScheduledRunsProps {
  /** One function per SCHEDULED_FUNCTIONS entry. */
  readonly functions: Record<ScheduledFunctionName, IFunction>;
}

/**
 * Each SCHEDULED_FUNCTIONS entry (the sweeper) runs every `everyMinutes` on EventBridge Scheduler
 * (a rate needs no time zone; Beijing is UTC+8 all year), retried, its failures to a queue of its
 * own that an alarm watches (docs/runbook.md).
 */
export class ScheduledRuns extends ResourceGroup {
  /** Failed runs of each scheduled function (undelivered by the scheduler, or thrown). */
  readonly failures: Record<ScheduledFunctionName, Queue>;
  readonly schedules: Record<ScheduledFunctionName, Schedule>;

  constructor(scope: Construct, id: string, props: ScheduledRunsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.failures = mapValues(
      SCHEDULED_FUNCTIONS,
      (_spec, name) =>
        new Queue(this, `${pascal(name)}Failures`, {
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        }),
    );
    this.schedules = mapValues(SCHEDULED_FUNCTIONS, (spec, name) => {
      const fn = props.functions[name];
      const failures = this.failures[name];
      const interval = Duration.minutes(spec.everyMinutes);
      const maxEventAge = Duration.seconds(Math.min(Math.max(interval.toSeconds(), 60), 6 * 3600));
      fn.configureAsyncInvoke({
        onFailure: new SqsDestination(failures),
        retryAttempts: SCHEDULED_RUN_RETRIES,
        maxEventAge,
      });
      suppress(fn, [ON_FAILURE_DESTINATION]);
      suppress(failures, failureQueueSuppressions('undelivered or failed scheduled runs'));
      return new Schedule(this, `${pascal(name)}Schedule`, {
        description: `${name} every ${spec.everyMinutes} minutes (${spec.entry})`,
        schedule: ScheduleExpression.rate(interval),
        target: new LambdaInvoke(fn, {
          // An EventBridge "Scheduled Event", as the local runtime's timers send (local/schedules.ts):
          // the run's scheduled time, and its execution id (the same for a retried delivery).
          input: ScheduleTargetInput.fromObject({
            version: '0',
            id: ContextAttribute.executionId,
            'detail-type': 'Scheduled Event',
            source: 'aws.scheduler',
            account: stack.account,
            time: ContextAttribute.scheduledTime,
            region: stack.region,
            resources: [ContextAttribute.scheduleArn],
            detail: {},
          }),
          deadLetterQueue: failures,
          retryAttempts: SCHEDULE_DELIVERY_RETRIES,
          maxEventAge,
        }),
      });
    });

    // The scheduler's role for a target is made by CDK at the stack's top, one per target.
    for (const schedulerRole of stack.node.children.filter((child) =>
      child.node.id.startsWith('SchedulerRoleForTarget'),
    )) {
      suppress(schedulerRole, [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "EventBridge Scheduler's role for the sweeper: lambda:InvokeFunction on the function and its versions (<function ARN>:*), that one function only.",
          appliesTo: [resourceFinding('SweeperFunction', ':*')],
        },
      ]);
    }
  }
}
