import { Duration, Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Bucket, EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EVIDENCE_PREFIX } from '../../shared/rules/storage.ts';
import { suppress } from '../nag.ts';
import { failureQueueSuppressions, ON_FAILURE_DESTINATION } from './failure-queue.ts';
import { ResourceGroup } from './resource-group.ts';

export interface EvidenceValidationProps {
  /** The stateful stack's evidence bucket. */
  readonly bucket: IBucket;
  /** The validator function (EVENT_FUNCTIONS.validator). */
  readonly validator: IFunction;
  /** Validator retries after a failed asynchronous invocation (0-2). @default 2 */
  readonly retryAttempts?: number;
}

/**
 * Every upload under evidence/ is checked: S3's ObjectCreated notification invokes the validator
 * asynchronously; an event that still fails after Lambda's retries lands, with its error, in the
 * ValidatorFailures queue (an on-failure destination), which an alarm watches (docs/runbook.md).
 */
export class EvidenceValidation extends ResourceGroup {
  readonly failures: Queue;
  /**
   * The evidence bucket as imported for notifications: other notifications on the bucket (the
   * package builder's) are added to this one, so the stack keeps one notifications resource.
   */
  readonly notifyingBucket: IBucket;
  /** Invocations of one upload event before it is given up: the first and the retries. */
  readonly attempts: number;

  constructor(scope: Construct, id: string, props: EvidenceValidationProps) {
    super(scope, id);
    const retryAttempts = props.retryAttempts ?? 2;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 2) {
      throw new Error(`validatorRetryAttempts must be 0, 1 or 2 (got ${retryAttempts})`);
    }
    this.attempts = retryAttempts + 1;
    this.failures = new Queue(this, 'ValidatorFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    props.validator.configureAsyncInvoke({
      onFailure: new SqsDestination(this.failures),
      retryAttempts,
      maxEventAge: Duration.hours(6),
    });
    suppress(props.validator, [ON_FAILURE_DESTINATION]);
    suppress(this.failures, failureQueueSuppressions("the validator's failed S3 events"));

    // The bucket lives in the stateful stack. Calling addEventNotification on it would put the
    // notification custom resource there, pointing at this stack's function, while this stack
    // already points at the bucket: a dependency cycle. Importing the bucket by name here keeps
    // the notification (an unmanaged Custom::S3BucketNotifications, which leaves other
    // notifications on the bucket alone) and the invoke permission in this stack, so references
    // run one way only: stateless -> stateful.
    // Moving a stray to quarantine/ writes outside evidence/, so it does not re-trigger.
    const notifyingBucket = Bucket.fromBucketName(this, 'EvidenceBucketNotifications', props.bucket.bucketName);
    this.notifyingBucket = notifyingBucket;
    notifyingBucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(props.validator), {
      prefix: EVIDENCE_PREFIX,
    });

    // CDK makes the notifications' custom resource once per stack, at the stack's top.
    const stack = Stack.of(this);
    for (const handler of stack.node.children.filter((child) =>
      child.node.id.startsWith('BucketNotificationsHandler'),
    )) {
      suppress(handler, [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            "CDK's bucket-notifications custom resource (one per stack, runs only on deploy): its role uses AWSLambdaBasicExecutionRole, which the construct does not let us replace.",
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'CDK\'s bucket-notifications custom resource: s3:PutBucketNotification on "*" as the construct writes it; it only sets the evidence bucket\'s ObjectCreated notification on deploy.',
          appliesTo: ['Resource::*'],
        },
      ]);
    }
  }
}
