import { Duration, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ENV, type MailerKind } from '../../shared/composition/env.ts';
import { WORKFLOW_TASKS, type WorkflowTaskKey, type WorkflowTaskSpec } from '../../shared/ladder/tasks.ts';
import {
  API_FUNCTIONS,
  type ApiFunctionName,
  EVENT_FUNCTIONS,
  type EventFunctionName,
  type FunctionSpec,
  SCHEDULED_FUNCTIONS,
  type ScheduledFunctionName,
} from '../../shared/platform/functions.ts';
import { METRICS_NAMESPACE } from '../../shared/platform/metrics.ts';
import { suppress, type Suppression } from '../nag.ts';
import { PipelineFunction, type PipelineFunctionProps } from './pipeline-function.ts';
import type { ReviewLadder } from './review-ladder.ts';
import { mapValues, pascal } from './records.ts';

/** Sizing of the event-driven functions: the validator streams and hashes whole uploads. */
const EVENT_FUNCTION_SIZING: Record<EventFunctionName, Pick<PipelineFunctionProps, 'memorySize' | 'timeout'>> = {
  validator: { memorySize: 1024, timeout: Duration.minutes(2) },
  // Streams a package of any size in constant memory (a few multipart parts); a large one takes minutes.
  packageBuilder: { memorySize: 1024, timeout: Duration.minutes(15) },
};

/** The sweeper walks every pending review and mails reminders: minutes, not seconds. */
const SCHEDULED_FUNCTION_SIZING: Record<
  ScheduledFunctionName,
  Pick<PipelineFunctionProps, 'memorySize' | 'timeout'>
> = {
  sweeper: { memorySize: 512, timeout: Duration.minutes(5) },
};

/** How email leaves, for the functions whose spec says `mail`. */
export interface MailSettings {
  /** From address of every email (an SES verified identity). */
  readonly senderEmail: string;
  readonly mailer: MailerKind;
  /** With `mailer: 'smtp'`: the SMTP endpoint and credentials. */
  readonly smtpSettings?: ISecret;
}

export interface HandlerFunctionsProps {
  readonly table: ITableV2;
  readonly bucket: IBucket;
  /** The review-link key: read by the functions that mint or verify links (spec `links`). */
  readonly linkKey: ISecret;
  /** Prefix of the links in emails (spec `links`). */
  readonly publicBaseUrl: string;
  readonly mail: MailSettings;
  readonly logRetention: RetentionDays;
  /** Bundle the AWS SDK into each handler (see pipelineBundling). @default true */
  readonly bundleAwsSdk?: boolean;
  /** Lambda without X-Ray (the China regions). @default false */
  readonly untraced?: boolean;
}

/**
 * One PipelineFunction per entry of the function catalog (shared/platform/functions.ts) and of
 * the ladder's tasks (shared/ladder/tasks.ts), each with exactly the access its spec declares:
 * table, bucket, mail (SENDER_EMAIL and SendEmail from that address, or the SMTP secret), links
 * (PUBLIC_BASE_URL and the link key). What a function may do on the review ladder is granted once
 * the ladder exists (`grantLadder`).
 *
 * Not a construct of its own: the functions are made in the scope given, the stack, so their
 * construct paths stay what they were. Some names are derived from a function's whole path, not
 * from its logical ID (the evidence bucket's permission to invoke the validator is one), and a
 * ResourceGroup would change those.
 */
export class HandlerFunctions {
  readonly api: Record<ApiFunctionName, PipelineFunction>;
  readonly event: Record<EventFunctionName, PipelineFunction>;
  readonly scheduled: Record<ScheduledFunctionName, PipelineFunction>;
  readonly workflow: Record<WorkflowTaskKey, PipelineFunction>;
  private readonly scope: Construct;
  private readonly props: HandlerFunctionsProps;

  constructor(scope: Construct, props: HandlerFunctionsProps) {
    this.scope = scope;
    this.props = props;
    this.api = mapValues(API_FUNCTIONS, (spec, name) => this.makeFunction(name, spec));
    this.event = mapValues(EVENT_FUNCTIONS, (spec, name) => this.makeFunction(name, spec, EVENT_FUNCTION_SIZING[name]));
    this.scheduled = mapValues(SCHEDULED_FUNCTIONS, (spec, name) =>
      this.makeFunction(name, spec, SCHEDULED_FUNCTION_SIZING[name]),
    );
    this.workflow = mapValues(WORKFLOW_TASKS, (spec: WorkflowTaskSpec, key) =>
      this.makeFunction(`ladder${pascal(key)}`, { ...spec, bucket: spec.bucket ?? 'none' }),
    );

    const synchronous = (invoker: string): Suppression[] => [
      {
        id: 'Serverless-LambdaDLQ',
        reason: `Invoked synchronously by ${invoker}: a dead-letter queue only catches asynchronous invocations; a failure goes back to the caller.`,
      },
    ];
    for (const fn of Object.values(this.api)) suppress(fn, synchronous('API Gateway (the HTTP API)'));
    for (const fn of Object.values(this.workflow)) {
      suppress(fn, synchronous('the review ladder (Step Functions), which retries and catches every task'));
    }
  }

  /** Every function by its service name (POWERTOOLS_SERVICE_NAME), as the dashboard labels them. */
  byServiceName(): Record<string, PipelineFunction> {
    return {
      ...this.api,
      ...this.event,
      ...this.scheduled,
      ...Object.fromEntries(Object.entries(this.workflow).map(([key, fn]) => [`ladder${pascal(key)}`, fn])),
    };
  }

  /**
   * What the functions outside the ladder may do on it. Neither the applications nor the reviews
   * function is invoked by the state machine, so their grants on it make no dependency cycle (a
   * task function granted task responses would: the definition references the function, and the
   * grant the state machine).
   */
  grantLadder(ladder: ReviewLadder): void {
    const { stateMachine } = ladder;
    // The applications function starts executions (submit) and completes the wait for a resubmission.
    const applications = this.api.applications;
    applications.addEnvironment(ENV.stateMachineArn, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(applications);
    applications.addToRolePolicy(
      new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [stateMachine.stateMachineArn] }),
    );
    // The review desk inside the RequestReview task answers a retried task itself (a review
    // already decided, an application already withdrawn): granted on the ARN built from the
    // state machine's name, because a reference would close a dependency cycle.
    this.workflow.requestReview.addToRolePolicy(
      new PolicyStatement({
        // Heartbeat: a late duplicate run asks whether its own token still waits before it re-arms.
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        resources: [ladder.stateMachineArnByName],
      }),
    );
    // The reviews function answers review tasks (decisions; withdrawal and cancellation as
    // failures) and stops executions that wait in a Wait state.
    const reviews = this.api.reviews;
    stateMachine.grantTaskResponse(reviews);
    stateMachine.grantExecution(reviews, 'states:StopExecution');
    // The validator completes the formal-letter steps a level's letter was waiting for
    // (shared/review/level-documents/gate.ts); it is not invoked by the state machine: no cycle.
    stateMachine.grantTaskResponse(this.event.validator);

    // `operate` (the ops console) lists the ladder's executions, describes one and redrives a
    // failed one; nothing else (no start, stop or task responses). Not invoked by the state
    // machine, so referencing it makes no cycle.
    const operators = this.specified()
      .filter(([, spec]) => spec.stateMachine === 'operate')
      .map(([fn]) => fn);
    for (const fn of operators) {
      fn.addEnvironment(ENV.stateMachineArn, stateMachine.stateMachineArn);
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['states:ListExecutions'], resources: [stateMachine.stateMachineArn] }),
      );
      // arn:<partition>:states:<region>:<account>:execution:<state machine name>:*
      stateMachine.grantExecution(fn, 'states:DescribeExecution', 'states:RedriveExecution');
    }
    const executionsSuppression: Suppression = {
      id: 'AwsSolutions-IAM5',
      reason:
        'Executions of the review ladder only: execution ARNs end in a name minted per application (<applicationId>-r<revision>), so the grant names the state machine and "*" for the execution.',
      appliesTo: [
        {
          regex:
            '/^Resource::arn:(?:<AWS::Partition>|aws[a-z-]*):states:(?:<AWS::Region>|[a-z0-9-]+):(?:<AWS::AccountId>|\\d{12}):execution:.*:\\*$/g',
        },
      ],
    };
    for (const fn of [reviews, ...operators]) {
      if (fn.role) suppress(fn.role, [executionsSuppression]);
    }
  }

  /** The API and scheduled functions with their specs (what may ask for `stateMachine`). */
  private specified(): [PipelineFunction, FunctionSpec][] {
    return [
      ...(Object.keys(API_FUNCTIONS) as ApiFunctionName[]).map((name): [PipelineFunction, FunctionSpec] => [
        this.api[name],
        API_FUNCTIONS[name],
      ]),
      ...(Object.keys(SCHEDULED_FUNCTIONS) as ScheduledFunctionName[]).map((name): [PipelineFunction, FunctionSpec] => [
        this.scheduled[name],
        SCHEDULED_FUNCTIONS[name],
      ]),
    ];
  }

  private makeFunction(name: string, spec: FunctionSpec, extra: Partial<PipelineFunctionProps> = {}): PipelineFunction {
    const { props } = this;
    const fn = new PipelineFunction(this.scope, `${pascal(name)}Function`, {
      entry: spec.entry,
      description: `${name} (${spec.entry})`,
      logGroupRetention: props.logRetention,
      bundleAwsSdk: props.bundleAwsSdk,
      ...(props.untraced && { tracing: Tracing.DISABLED }),
      // Powertools: the service dimension of metrics and logs, and the metrics namespace.
      environment: { POWERTOOLS_SERVICE_NAME: name, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE },
      ...extra,
    });
    if (spec.table !== 'none') fn.bindTable(props.table, spec.table);
    if (spec.limiter && spec.table !== 'readwrite') this.countsLimits(fn);
    if (spec.bucket !== 'none') fn.bindBucket(props.bucket, spec.bucket);
    if (spec.mail) this.sendsMail(fn);
    // Functions that write review links into emails also mint and verify their secrets: the link
    // key's ARN, and reading it. Exactly these (reviews, sweeper, the RequestReview task).
    if (spec.links) {
      fn.addEnvironment(ENV.publicBaseUrl, props.publicBaseUrl);
      fn.bindSecret(props.linkKey, ENV.linkKeySecretArn);
    } else if (spec.consoleLinks) {
      // A console page's address only (the validator's full-quota notice): no review link, no key.
      fn.addEnvironment(ENV.publicBaseUrl, props.publicBaseUrl);
    }
    return fn;
  }

  /**
   * The per-client limiter's counters only: UpdateItem on items whose partition key begins
   * LIMIT# (shared/adapters/dynamo-rate-counter.ts), for a function that otherwise only reads.
   */
  private countsLimits(fn: PipelineFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [this.props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LIMIT#*'] } },
      }),
    );
  }

  private sendsMail(fn: PipelineFunction): void {
    const { senderEmail, mailer, smtpSettings } = this.props.mail;
    fn.addEnvironment(ENV.senderEmail, senderEmail);
    if (mailer === 'smtp' && smtpSettings) {
      // No SES (not offered in the China regions): the SMTP endpoint and login come from a secret,
      // read with GetSecretValue on that secret only (it is encrypted with the AWS managed key).
      fn.addEnvironment(ENV.mailer, 'smtp');
      fn.addEnvironment(ENV.smtpSecretArn, smtpSettings.secretArn);
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [smtpSettings.secretArn] }),
      );
      return;
    }
    // SES authorises SendEmail against the sending identity: the address, or its verified domain.
    const stack = Stack.of(this.scope);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [senderEmail, senderEmail.slice(senderEmail.indexOf('@') + 1)].map((identity) =>
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
        ),
        conditions: { StringEquals: { 'ses:FromAddress': senderEmail } },
      }),
    );
  }
}
