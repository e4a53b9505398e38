import { CfnOutput, type StackProps } from 'aws-cdk-lib';
import type { HttpApi, HttpStage, ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { MailerKind } from '../../shared/composition/env.ts';
import type { WorkflowTaskKey } from '../../shared/ladder/tasks.ts';
import type { ApiFunctionName, EventFunctionName, ScheduledFunctionName } from '../../shared/platform/functions.ts';
import { EvidenceValidation } from '../constructs/evidence-validation.ts';
import { PackageBuilding } from '../constructs/package-building.ts';
import { HandlerFunctions } from '../constructs/handler-functions.ts';
import { HttpEndpoint } from '../constructs/http-endpoint.ts';
import type { OperationsAlarms } from '../constructs/operations-alarms.ts';
import type { OperationsDashboard } from '../constructs/operations-dashboard.ts';
import { Operations } from '../constructs/operations.ts';
import type { PipelineFunction } from '../constructs/pipeline-function.ts';
import { GroupingStack } from '../constructs/resource-group.ts';
import { type LadderTimings, ReviewLadder } from '../constructs/review-ladder.ts';
import { ScheduledRuns } from '../constructs/scheduled-runs.ts';
import type { SignIn, SignInClient } from '../constructs/sign-in-pool.ts';
import {
  assertAllowedOrigins,
  assertPublicBaseUrl,
  assertSenderEmail,
  assertTokenIssuer,
  DEFAULT_SENDER_EMAIL,
  isChinaRegion,
  mailerFor,
  type TokenIssuer,
} from '../settings.ts';

export interface StatelessStackProps extends StackProps {
  readonly bucket: IBucket;
  readonly table: ITableV2;
  /** The review-link key (the stateful stack's): read by the functions that mint or verify links. */
  readonly linkKey: ISecret;
  /**
   * Who signs people in: the stateful stack's user pool, whose app client this stack makes (its
   * callback URL is on this stack's API), or another OpenID Connect provider (`oidc`).
   */
  readonly signIn: SignIn;
  /** How email leaves: SES, or SMTP (no SES permissions). @default 'smtp' in China regions, else 'ses' */
  readonly mailer?: MailerKind;
  /** With `mailer: 'smtp'`: the SMTP endpoint and credentials (the stateful stack's). */
  readonly smtpSettings?: ISecret;
  /** Browser origins allowed to call the API (exact origins, no wildcards). */
  readonly allowedOrigins: readonly string[];
  /** Default stage throttling for the whole API. @default 50 rps, burst 100 */
  readonly throttle?: ThrottleSettings;
  /** Retention of function and access logs. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /** Validator retries after a failed asynchronous invocation (0-2). @default 2 */
  readonly validatorRetryAttempts?: number;
  /** Bundle the AWS SDK into each handler (see pipelineBundling). @default true */
  readonly bundleAwsSdk?: boolean;
  /** From address of every email (an SES verified identity). @default DEFAULT_SENDER_EMAIL */
  readonly senderEmail?: string;
  /**
   * Prefix of the links in emails and of the console's sign-in callback (a custom domain).
   * @default the HTTP API's own endpoint
   */
  readonly publicBaseUrl?: string;
  /** Retry timings of the review ladder's tasks. @default 2 s, 6 attempts, backoff 2 */
  readonly ladderTimings?: LadderTimings;
  /** Subscribed by email to the alarm topic (SNS asks the address to confirm). @default none */
  readonly alarmEmail?: string;
  /** Alarm when at least this many pending reviews are due within 24 hours. @default 10 */
  readonly reviewsDueAlarmThreshold?: number;
}

/**
 * Everything that can be deleted and rebuilt from code: the handlers, the HTTP API, the
 * validator's trigger, the review ladder, the scheduled runs and what operators watch. Functions
 * come from the catalog (shared/platform/functions.ts) and routes from the route table
 * (shared/platform/http/routes.ts); each function gets exactly the access its spec declares.
 */
export class StatelessStack extends GroupingStack {
  readonly api: HttpApi;
  readonly apiStage: HttpStage;
  readonly apiFunctions: Record<ApiFunctionName, PipelineFunction>;
  readonly eventFunctions: Record<EventFunctionName, PipelineFunction>;
  readonly scheduledFunctions: Record<ScheduledFunctionName, PipelineFunction>;
  readonly workflowFunctions: Record<WorkflowTaskKey, PipelineFunction>;
  readonly reviewLadder: ReviewLadder;
  readonly validatorFailures: Queue;
  /** Failed runs of each scheduled function (undelivered by the scheduler, or thrown). */
  readonly scheduleFailures: Record<ScheduledFunctionName, Queue>;
  readonly schedules: Record<ScheduledFunctionName, Schedule>;
  readonly dashboard: OperationsDashboard;
  readonly alarms: OperationsAlarms;
  /** Whose ID tokens the API accepts: the user pool's app client (`signInClient`), or the OIDC provider. */
  readonly tokenIssuer: TokenIssuer;
  /** With the user pool: its one app client (SRP, and the hosted login's authorization code). */
  readonly signInClient?: SignInClient;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    assertAllowedOrigins(props.allowedOrigins);
    const logRetention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    const senderEmail = props.senderEmail ?? DEFAULT_SENDER_EMAIL;
    assertSenderEmail(senderEmail);
    if (props.publicBaseUrl !== undefined) assertPublicBaseUrl(props.publicBaseUrl);
    if (props.signIn.oidc) assertTokenIssuer(props.signIn.oidc);
    // A literal China region (stacks bound with -c region=…): no SES there, and no Lambda X-Ray.
    const mailer = mailerFor(this.region, props.mailer);
    if (mailer === 'smtp' && !props.smtpSettings) {
      throw new Error('mailer "smtp" needs smtpSettings (the stateful stack makes the secret with mailer: "smtp")');
    }

    const http = new HttpEndpoint(this, 'Http', {
      allowedOrigins: props.allowedOrigins,
      throttle: props.throttle,
      logRetention,
      signIn: props.signIn,
      publicBaseUrl: props.publicBaseUrl,
    });
    const functions = new HandlerFunctions(this, {
      table: props.table,
      bucket: props.bucket,
      linkKey: props.linkKey,
      publicBaseUrl: http.publicBaseUrl,
      mail: { senderEmail, mailer, ...(props.smtpSettings && { smtpSettings: props.smtpSettings }) },
      logRetention,
      bundleAwsSdk: props.bundleAwsSdk,
      untraced: isChinaRegion(this.region),
    });
    http.serve(functions.api);
    this.reviewLadder = new ReviewLadder(this, 'ReviewLadder', {
      functions: functions.workflow,
      timings: props.ladderTimings,
      logRetention,
    });
    functions.grantLadder(this.reviewLadder);
    const scheduledRuns = new ScheduledRuns(this, 'ScheduledRuns', { functions: functions.scheduled });
    const evidenceValidation = new EvidenceValidation(this, 'EvidenceValidation', {
      bucket: props.bucket,
      validator: functions.event.validator,
      retryAttempts: props.validatorRetryAttempts,
    });
    new PackageBuilding(this, 'PackageBuilding', {
      notifyingBucket: evidenceValidation.notifyingBucket,
      builder: functions.event.packageBuilder,
    });
    const operations = new Operations(this, 'Monitoring', {
      stateMachine: this.reviewLadder.stateMachine,
      functions,
      evidenceValidation,
      scheduledRuns,
      reviewsDueThreshold: props.reviewsDueAlarmThreshold,
      alarmEmail: props.alarmEmail,
    });

    this.api = http.api;
    this.apiStage = http.stage;
    this.tokenIssuer = http.tokenIssuer;
    if (http.signInClient) this.signInClient = http.signInClient;
    this.apiFunctions = functions.api;
    this.eventFunctions = functions.event;
    this.scheduledFunctions = functions.scheduled;
    this.workflowFunctions = functions.workflow;
    this.validatorFailures = evidenceValidation.failures;
    this.scheduleFailures = scheduledRuns.failures;
    this.schedules = scheduledRuns.schedules;
    this.alarms = operations.alarms;
    this.dashboard = operations.dashboard;
    this.outputs(http);
  }

  private outputs(http: HttpEndpoint): void {
    new CfnOutput(this, 'ApiUrl', { value: this.apiStage.url, description: 'HTTP API base URL' });
    new CfnOutput(this, 'ConsoleUrl', {
      value: `${http.publicBaseUrl}/console`,
      description: 'The operations console (sign in there: the hosted login, or paste an ID token)',
    });
    if (this.signInClient) {
      new CfnOutput(this, 'UserPoolClientId', {
        value: this.signInClient.client.userPoolClientId,
        description:
          'The app client to sign in with (SRP or the hosted login, no secret): the audience of the ID tokens',
      });
    }
    new CfnOutput(this, 'ReviewLadderArn', {
      value: this.reviewLadder.stateMachine.stateMachineArn,
      description: 'The review ladder state machine (one execution per submitted application)',
    });
    new CfnOutput(this, 'ValidatorFailuresQueueUrl', {
      value: this.validatorFailures.queueUrl,
      description: 'Failed validator invocations (Lambda on-failure destination records)',
    });
    new CfnOutput(this, 'SweeperFailuresQueueUrl', {
      value: this.scheduleFailures.sweeper.queueUrl,
      description: 'Failed sweeper runs (undelivered by EventBridge Scheduler, or thrown)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Alarm notifications (subscribe here, or deploy with -c alarmEmail=…)',
    });
    new CfnOutput(this, 'DashboardName', {
      value: this.dashboard.dashboard.dashboardName,
      description: 'The operations dashboard (CloudWatch)',
    });
  }
}
