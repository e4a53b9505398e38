import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { PACKAGE_REQUEST_PREFIX } from '../../shared/package/keys.ts';
import { suppress } from '../nag.ts';
import { failureQueueSuppressions, ON_FAILURE_DESTINATION } from './failure-queue.ts';
import { ResourceGroup } from './resource-group.ts';

export interface PackageBuildingProps {
  /** The evidence bucket as the validator's notifications import it (one notifications resource). */
  readonly notifyingBucket: IBucket;
  /** The package builder (EVENT_FUNCTIONS.packageBuilder). */
  readonly builder: IFunction;
}

/**
 * Submission packages are built in the background: the packages function writes a small request
 * object under package-requests/, whose ObjectCreated notification invokes the builder
 * asynchronously — the same path as an upload to the validator, and the same locally
 * (local/events.ts). A build that still fails after Lambda's retries lands in PackageFailures.
 * The builder writes under packages/, which notifies nothing.
 */
export class PackageBuilding extends ResourceGroup {
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: PackageBuildingProps) {
    super(scope, id);
    this.failures = new Queue(this, 'PackageFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    props.builder.configureAsyncInvoke({
      onFailure: new SqsDestination(this.failures),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    suppress(props.builder, [ON_FAILURE_DESTINATION]);
    suppress(this.failures, failureQueueSuppressions("the package builder's failed requests"));
    props.notifyingBucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(props.builder), {
      prefix: PACKAGE_REQUEST_PREFIX,
    });
  }
}
