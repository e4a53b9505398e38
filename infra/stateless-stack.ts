import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket, EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { ENV, type MailerKind } from '../shared/composition/env.ts';
import { EVIDENCE_PREFIX } from '../shared/rules/storage.ts';
import {
  accessOf,
  API_FUNCTIONS,
  type ApiFunctionName,
  EVENT_FUNCTIONS,
  type FunctionSpec,
  ROUTES,
  type RouteAccess,
  SCHEDULED_FUNCTIONS,
} from '../shared/platform/http/routes.ts';
import { METRICS_NAMESPACE } from '../shared/platform/metrics.ts';
import { WORKFLOW_TASKS, type WorkflowTaskKey, type WorkflowTaskSpec } from '../shared/ladder/tasks.ts';
import { PipelineFunction, type PipelineFunctionProps } from './constructs/pipeline-function.ts';
import { type SignIn, SignInClient } from './constructs/sign-in-pool.ts';
import { OperationsAlarms } from './constructs/operations-alarms.ts';
import { OperationsDashboard } from './constructs/operations-dashboard.ts';
import { OperationsMetrics } from './constructs/operations-metrics.ts';
import { type LadderTimings, ReviewLadder } from './constructs/review-ladder.ts';
import { resourceFinding, suppress, type Suppression } from './nag.ts';
import {
  assertAllowedOrigins,
  assertPublicBaseUrl,
  assertSenderEmail,
  assertTokenIssuer,
  DEFAULT_SENDER_EMAIL,
  isChinaRegion,
  jwksUrlOf,
  mailerFor,
  type TokenIssuer,
} from './settings.ts';

export type EventFunctionName = keyof typeof EVENT_FUNCTIONS;
export type ScheduledFunctionName = keyof typeof SCHEDULED_FUNCTIONS;

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

/** Sizing of the event-driven functions: the validator streams and hashes whole uploads. */
const EVENT_FUNCTION_SIZING: Record<
  EventFunctionName,
  Pick<PipelineFunctionProps, 'memorySize' | 'timeout'>
> = {
  validator: { memorySize: 1024, timeout: Duration.minutes(2) },
};

/** The sweeper walks every pending review and mails reminders: minutes, not seconds. */
const SCHEDULED_FUNCTION_SIZING: Record<
  ScheduledFunctionName,
  Pick<PipelineFunctionProps, 'memorySize' | 'timeout'>
> = {
  sweeper: { memorySize: 512, timeout: Duration.minutes(5) },
};

/**
 * Retries of a scheduled run. EventBridge Scheduler retries delivering the invocation (throttled,
 * Lambda unavailable), then dead-letters it; it invokes asynchronously, so a run that throws is
 * retried by Lambda and then sent to the same queue by the on-failure destination. An event older
 * than one run's interval is not worth delivering: the next run does the same work.
 */
/**
 * Why a route without the JWT authorizer is still guarded (cdk-nag AwsSolutions-APIG4): what the
 * handler checks instead.
 */
const UNAUTHORIZED_ROUTE_REASONS: Record<Exclude<RouteAccess, 'token'>, string> = {
  link: 'Review link: reviewers follow it from an email, with no token; the emailed single-use secret (?t=) is the credential, checked by the reviews handler, which also verifies a signed-in reviewer\'s Bearer token itself (AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL).',
  session:
    'Console page: a browser sends no Authorization header on a page navigation and the JWT authorizer reads no cookies, so the handler verifies the session cookie (an ID token) itself against AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL.',
  public:
    "Console sign-in and sign-out: they begin and end a session, so the caller has no credential yet; sign-in verifies the ID token itself (pasted, or exchanged for the identity provider's authorization code at the token endpoint) before setting the session cookie. The API's documentation (/v1/openapi.json, /v1/docs) describes the routes and grants nothing.",
};

const SCHEDULE_DELIVERY_RETRIES = 3;
const SCHEDULED_RUN_RETRIES = 1;

/**
 * Everything that can be deleted and rebuilt from code: the handlers, the HTTP API and the
 * validator's trigger. Functions and routes come from shared/platform/http/routes.ts; each function gets
 * exactly the table and bucket access its spec declares.
 */
export class StatelessStack extends Stack {
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
    const retryAttempts = props.validatorRetryAttempts ?? 2;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 2) {
      throw new Error(`validatorRetryAttempts must be 0, 1 or 2 (got ${retryAttempts})`);
    }
    const logRetention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    const senderEmail = props.senderEmail ?? DEFAULT_SENDER_EMAIL;
    assertSenderEmail(senderEmail);
    if (props.publicBaseUrl !== undefined) assertPublicBaseUrl(props.publicBaseUrl);
    if (props.signIn.oidc) assertTokenIssuer(props.signIn.oidc);
    // A literal China region (stacks bound with -c region=…): no SES there, and no Lambda X-Ray.
    const china = isChinaRegion(this.region);
    const mailer = mailerFor(this.region, props.mailer);
    if (mailer === 'smtp' && !props.smtpSettings) {
      throw new Error('mailer "smtp" needs smtpSettings (the stateful stack makes the secret with mailer: "smtp")');
    }

    const makeFunction = (name: string, spec: FunctionSpec, extra: Partial<PipelineFunctionProps> = {}) => {
      const fn = new PipelineFunction(this, `${pascal(name)}Function`, {
        entry: spec.entry,
        description: `${name} (${spec.entry})`,
        logGroupRetention: logRetention,
        bundleAwsSdk: props.bundleAwsSdk,
        ...(china && { tracing: Tracing.DISABLED }),
        // Powertools: the service dimension of metrics and logs, and the metrics namespace.
        environment: { POWERTOOLS_SERVICE_NAME: name, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE },
        ...extra,
      });
      if (spec.table !== 'none') fn.bindTable(props.table, spec.table);
      if (spec.bucket !== 'none') fn.bindBucket(props.bucket, spec.bucket);
      return fn;
    };

    this.apiFunctions = mapValues(API_FUNCTIONS, (spec, name) => makeFunction(name, spec));
    this.eventFunctions = mapValues(EVENT_FUNCTIONS, (spec, name) =>
      makeFunction(name, spec, EVENT_FUNCTION_SIZING[name]),
    );
    this.scheduledFunctions = mapValues(SCHEDULED_FUNCTIONS, (spec, name) =>
      makeFunction(name, spec, SCHEDULED_FUNCTION_SIZING[name]),
    );

    // ---- HTTP API: one route per ROUTES entry, Lambda proxy (payload format 2.0).
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `${this.stackName}-api`,
      description: 'Cluster recommendation pipeline, public API v1',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...props.allowedOrigins],
        allowMethods: [...new Set(ROUTES.map((route) => CorsHttpMethod[route.method]))],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        maxAge: Duration.hours(1),
      },
    });
    // Access logs name the request, never its content: no body, no query string (review links
    // carry their secret in ?t=), no headers but the user agent; the source IP is kept for abuse
    // investigation, for the log group's retention only.
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', { retention: logRetention });
    this.apiStage = new HttpStage(this, 'HttpApiDefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // HTTP API context variables only. The path is logged without its query string on
        // purpose: review links carry their single-use token in `?t=`.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            httpMethod: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            protocol: '$context.protocol',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    const integrations = mapValues(
      this.apiFunctions,
      (fn, name) => new HttpLambdaIntegration(`${pascal(name)}Integration`, fn),
    );
    // Sign-in: with the user pool, its app client, here because its callback URL is on this API.
    const publicBaseUrl = props.publicBaseUrl ?? this.api.apiEndpoint;
    if (props.signIn.pool) {
      this.signInClient = new SignInClient(this, 'SignIn', { pool: props.signIn.pool, publicBaseUrl });
      this.tokenIssuer = this.signInClient.tokenIssuer;
    } else {
      this.tokenIssuer = props.signIn.oidc;
    }
    // `token` routes get the JWT authorizer (an ID token of the issuer, for the audience: the one
    // client, whether the token came from SRP or the hosted login); the others none, and their
    // handlers check what they carry instead (accessOf).
    const { issuer, audience } = this.tokenIssuer;
    const idTokens = new HttpJwtAuthorizer('IdTokenAuthorizer', issuer, {
      jwtAudience: [audience],
      identitySource: ['$request.header.Authorization'],
    });
    const noAuthorizer = new HttpNoneAuthorizer();
    for (const route of ROUTES) {
      const access = accessOf(route);
      const routes = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations[route.fn],
        authorizer: access === 'token' ? idTokens : noAuthorizer,
      });
      if (access !== 'token') {
        // On the route resource itself: not its Lambda permission, nor the API.
        for (const { node } of routes) {
          if (node.defaultChild) {
            suppress(node.defaultChild, [{ id: 'AwsSolutions-APIG4', reason: UNAUTHORIZED_ROUTE_REASONS[access] }]);
          }
        }
      }
    }
    // Every API handler can verify an ID token itself (the routes above without the authorizer).
    for (const fn of Object.values<PipelineFunction>(this.apiFunctions)) {
      fn.addEnvironment(ENV.authIssuer, issuer);
      fn.addEnvironment(ENV.authAudience, audience);
      fn.addEnvironment(ENV.authJwksUrl, jwksUrlOf(this.tokenIssuer));
    }
    // The console's "sign in" button (the ops function only): the provider's login page, the
    // code exchanged for the ID token, back to <publicBaseUrl>/console/sign-in/callback. Without
    // the endpoints (an OIDC provider without oidcAuthorizeUrl/oidcTokenUrl) it offers the
    // paste-a-token form only.
    const ops = this.apiFunctions.ops;
    ops.addEnvironment(ENV.publicBaseUrl, publicBaseUrl);
    const { authorizeUrl, tokenUrl } = this.tokenIssuer;
    if (authorizeUrl !== undefined && tokenUrl !== undefined) {
      ops.addEnvironment(ENV.authAuthorizeUrl, authorizeUrl);
      ops.addEnvironment(ENV.authTokenUrl, tokenUrl);
    }

    // ---- Review ladder: one function per WORKFLOW_TASKS entry, and the state machine over them.
    const sendsMail = (fn: PipelineFunction) => {
      fn.addEnvironment(ENV.senderEmail, senderEmail);
      if (mailer === 'smtp' && props.smtpSettings) {
        // No SES (not offered in the China regions): the SMTP endpoint comes from a secret.
        fn.addEnvironment(ENV.mailer, 'smtp');
        fn.bindSecret(props.smtpSettings, ENV.smtpSecretArn);
        return;
      }
      // SES authorises SendEmail against the sending identity: the address, or its verified domain.
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [senderEmail, senderEmail.slice(senderEmail.indexOf('@') + 1)].map((identity) =>
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
          ),
          conditions: { StringEquals: { 'ses:FromAddress': senderEmail } },
        }),
      );
    };
    // Functions that write review links into emails also mint and verify their secrets: the link
    // key's ARN, and reading it. Exactly these (reviews, sweeper, the RequestReview task).
    const mintsLinks = (fn: PipelineFunction) => {
      fn.addEnvironment(ENV.publicBaseUrl, publicBaseUrl);
      fn.bindSecret(props.linkKey, ENV.linkKeySecretArn);
    };
    this.workflowFunctions = mapValues(WORKFLOW_TASKS, (spec: WorkflowTaskSpec, key) => {
      const fn = makeFunction(`ladder${pascal(key)}`, {
        entry: spec.entry,
        table: spec.table,
        bucket: spec.bucket ?? 'none',
      });
      if (spec.mail) sendsMail(fn);
      if (spec.links) mintsLinks(fn);
      return fn;
    });
    this.reviewLadder = new ReviewLadder(this, 'ReviewLadder', {
      functions: this.workflowFunctions,
      timings: props.ladderTimings,
      logRetention,
    });
    const { stateMachine } = this.reviewLadder;

    // The applications function starts executions (submit) and completes the wait for a
    // resubmission. Neither it nor the reviews function is invoked by the state machine, so
    // their grants on it make no dependency cycle (a task function granted task responses would:
    // the state machine's definition references the function, and the grant the state machine).
    const applications = this.apiFunctions.applications;
    applications.addEnvironment(ENV.stateMachineArn, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(applications);
    applications.addToRolePolicy(
      new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [stateMachine.stateMachineArn] }),
    );
    // The review desk inside the RequestReview task answers a retried task itself (a review
    // already decided, an application already withdrawn): granted on the ARN built from the
    // state machine's name, because a reference would close a dependency cycle.
    this.workflowFunctions.requestReview.addToRolePolicy(
      new PolicyStatement({
        // Heartbeat: a late duplicate run asks whether its own token still waits before it re-arms.
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        resources: [this.reviewLadder.stateMachineArnByName],
      }),
    );
    // The reviews function answers review tasks (decisions; withdrawal and cancellation as
    // failures) and stops executions that wait in a Wait state. (It emails review links: its
    // spec says `mail` and `links`.)
    const reviews = this.apiFunctions.reviews;
    stateMachine.grantTaskResponse(reviews);
    stateMachine.grantExecution(reviews, 'states:StopExecution');

    // What the specs of the API and scheduled functions ask for beyond table and bucket.
    // `operate` (the ops console) lists the ladder's executions, describes one and redrives a
    // failed one; nothing else (no start, stop or task responses). Not invoked by the state
    // machine, so referencing it makes no cycle.
    const operatesLadder = (fn: PipelineFunction) => {
      fn.addEnvironment(ENV.stateMachineArn, stateMachine.stateMachineArn);
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['states:ListExecutions'], resources: [stateMachine.stateMachineArn] }),
      );
      // arn:<partition>:states:<region>:<account>:execution:<state machine name>:*
      stateMachine.grantExecution(fn, 'states:DescribeExecution', 'states:RedriveExecution');
    };
    const specified: [PipelineFunction, FunctionSpec][] = [
      ...(Object.keys(API_FUNCTIONS) as ApiFunctionName[]).map(
        (name): [PipelineFunction, FunctionSpec] => [this.apiFunctions[name], API_FUNCTIONS[name]],
      ),
      ...(Object.keys(SCHEDULED_FUNCTIONS) as ScheduledFunctionName[]).map(
        (name): [PipelineFunction, FunctionSpec] => [this.scheduledFunctions[name], SCHEDULED_FUNCTIONS[name]],
      ),
    ];
    for (const [fn, spec] of specified) {
      if (spec.mail) sendsMail(fn);
      if (spec.links) mintsLinks(fn);
      if (spec.stateMachine === 'operate') operatesLadder(fn);
    }
    // grantExecution: arn:<partition>:states:<region>:<account>:execution:<state machine name>:*
    const executionsSuppression: Suppression = {
      id: 'AwsSolutions-IAM5',
      reason:
        'Executions of the review ladder only: execution ARNs end in a name minted per application (<applicationId>-r<revision>), so the grant names the state machine and "*" for the execution.',
      appliesTo: [{ regex: '/^Resource::arn:(?:<AWS::Partition>|aws[a-z-]*):states:(?:<AWS::Region>|[a-z0-9-]+):(?:<AWS::AccountId>|\\d{12}):execution:.*:\\*$/g' }],
    };
    for (const fn of [reviews, ...specified.filter(([, spec]) => spec.stateMachine === 'operate').map(([fn]) => fn)]) {
      if (fn.role) suppress(fn.role, [executionsSuppression]);
    }

    // ---- Scheduled functions: EventBridge Scheduler (a rate needs no time zone; Beijing is
    // UTC+8 all year), retried, failures to a dead-letter queue.
    this.scheduleFailures = mapValues(
      SCHEDULED_FUNCTIONS,
      (_spec, name) =>
        new Queue(this, `${pascal(name)}Failures`, {
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        }),
    );
    this.schedules = mapValues(SCHEDULED_FUNCTIONS, (spec, name) => {
      const fn = this.scheduledFunctions[name];
      const failures = this.scheduleFailures[name];
      const interval = Duration.minutes(spec.everyMinutes);
      const maxEventAge = Duration.seconds(Math.min(Math.max(interval.toSeconds(), 60), 6 * 3600));
      fn.configureAsyncInvoke({
        onFailure: new SqsDestination(failures),
        retryAttempts: SCHEDULED_RUN_RETRIES,
        maxEventAge,
      });
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
            account: this.account,
            time: ContextAttribute.scheduledTime,
            region: this.region,
            resources: [ContextAttribute.scheduleArn],
            detail: {},
          }),
          deadLetterQueue: failures,
          retryAttempts: SCHEDULE_DELIVERY_RETRIES,
          maxEventAge,
        }),
      });
    });

    // ---- Validator: S3 ObjectCreated under evidence/, invoked asynchronously by S3.
    const validator = this.eventFunctions.validator;
    this.validatorFailures = new Queue(this, 'ValidatorFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    validator.configureAsyncInvoke({
      onFailure: new SqsDestination(this.validatorFailures),
      retryAttempts,
      maxEventAge: Duration.hours(6),
    });
    // The bucket lives in the stateful stack. Calling addEventNotification on it would put the
    // notification custom resource there, pointing at this stack's function, while this stack
    // already points at the bucket: a dependency cycle. Importing the bucket by name here keeps
    // the notification (an unmanaged Custom::S3BucketNotifications, which leaves other
    // notifications on the bucket alone) and the invoke permission in this stack, so references
    // run one way only: stateless -> stateful.
    // Moving a stray to quarantine/ writes outside evidence/, so it does not re-trigger.
    const notifyingBucket = Bucket.fromBucketName(
      this,
      'EvidenceBucketNotifications',
      props.bucket.bucketName,
    );
    notifyingBucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(validator), {
      prefix: EVIDENCE_PREFIX,
    });

    // ---- Operations: the dashboard and the alarms (to one encrypted topic).
    const metrics = new OperationsMetrics(
      METRICS_NAMESPACE,
      Duration.minutes(SCHEDULED_FUNCTIONS.sweeper.everyMinutes),
    );
    const sweeperFailures = this.scheduleFailures.sweeper;
    this.alarms = new OperationsAlarms(this, 'Alarms', {
      stateMachine,
      validator,
      functionGroups: {
        api: this.apiFunctions,
        ladder: this.workflowFunctions,
        background: { ...this.eventFunctions, ...this.scheduledFunctions },
      },
      deadLetterQueues: {
        validator: {
          queue: this.validatorFailures,
          runbook: {
            en:
              `Evidence validator: an upload event failed ${retryAttempts + 1} times and is in the ValidatorFailures queue; that evidence stays PENDING and its applicant cannot submit. ` +
              'Read the message (requestPayload is the S3 event; responsePayload.errorMessage the error) and the validator log for that key, fix the cause, ' +
              'then invoke the validator again with the requestPayload (aws lambda invoke --invocation-type Event; replays are safe) and delete the message.',
            zh:
              `佐证材料校验：有上传事件 ${retryAttempts + 1} 次处理失败，进入 ValidatorFailures 队列；该材料停留在“待校验”，申报单位无法提交。` +
              '请查看消息（requestPayload 为 S3 事件，responsePayload.errorMessage 为错误）及校验函数日志，排除原因后用 requestPayload 重新调用校验函数（可安全重放），再删除该消息。',
          },
        },
        sweeper: {
          queue: sweeperFailures,
          runbook: {
            en:
              `Sweeper: an hourly run was not delivered by EventBridge Scheduler, or failed ${SCHEDULED_RUN_RETRIES + 1} times; reminders, escalations and the pending/overdue metrics missed that run. ` +
              'Read the message and the sweeper log, fix the cause; the next hourly run picks up whatever is still due. Then purge the SweeperFailures queue.',
            zh:
              `定时巡检：有一次整点运行未能投递（EventBridge Scheduler）或 ${SCHEDULED_RUN_RETRIES + 1} 次运行均出错，该次的提醒、升级和待办/逾期指标缺失。` +
              '请查看消息及巡检函数日志并排除原因；下一次整点运行会补做仍到期的事项。随后清空 SweeperFailures 队列。',
          },
        },
      },
      metrics,
      reviewsDueThreshold: props.reviewsDueAlarmThreshold,
      alarmEmail: props.alarmEmail,
    });
    this.dashboard = new OperationsDashboard(this, 'Operations', {
      stateMachine,
      // Labelled by service name (POWERTOOLS_SERVICE_NAME), as makeFunction named them.
      functions: {
        ...this.apiFunctions,
        ...this.eventFunctions,
        ...this.scheduledFunctions,
        ...Object.fromEntries(
          Object.entries(this.workflowFunctions).map(([key, fn]) => [`ladder${pascal(key)}`, fn]),
        ),
      },
      deadLetterQueues: { ValidatorFailures: this.validatorFailures, SweeperFailures: sweeperFailures },
      metrics,
      alarms: Object.values(this.alarms.alarms),
    });

    this.suppressInapplicableFindings();

    new CfnOutput(this, 'ApiUrl', { value: this.apiStage.url, description: 'HTTP API base URL' });
    new CfnOutput(this, 'ConsoleUrl', {
      value: `${publicBaseUrl}/console`,
      description: 'The operations console (sign in there: the hosted login, or paste an ID token)',
    });
    if (this.signInClient) {
      new CfnOutput(this, 'UserPoolClientId', {
        value: this.signInClient.client.userPoolClientId,
        description: 'The app client to sign in with (SRP or the hosted login, no secret): the audience of the ID tokens',
      });
    }
    new CfnOutput(this, 'ReviewLadderArn', {
      value: stateMachine.stateMachineArn,
      description: 'The review ladder state machine (one execution per submitted application)',
    });
    new CfnOutput(this, 'ValidatorFailuresQueueUrl', {
      value: this.validatorFailures.queueUrl,
      description: 'Failed validator invocations (Lambda on-failure destination records)',
    });
    new CfnOutput(this, 'SweeperFailuresQueueUrl', {
      value: sweeperFailures.queueUrl,
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

  /** cdk-nag findings that do not apply to this stack, each with its reason (infra/nag.ts). */
  private suppressInapplicableFindings(): void {
    const synchronous = (invoker: string): Suppression[] => [
      {
        id: 'Serverless-LambdaDLQ',
        reason: `Invoked synchronously by ${invoker}: a dead-letter queue only catches asynchronous invocations; a failure goes back to the caller.`,
      },
    ];
    for (const fn of Object.values(this.apiFunctions)) suppress(fn, synchronous('API Gateway (the HTTP API)'));
    for (const fn of Object.values(this.workflowFunctions)) {
      suppress(fn, synchronous('the review ladder (Step Functions), which retries and catches every task'));
    }
    const asynchronous: Suppression = {
      id: 'Serverless-LambdaDLQ',
      reason:
        'Asynchronous, with an on-failure destination (an SQS queue, alarmed) instead of a dead-letter queue: the destination records the request and the error, a DLQ only the request.',
    };
    for (const fn of [...Object.values(this.eventFunctions), ...Object.values(this.scheduledFunctions)]) {
      suppress(fn, [asynchronous]);
    }
    const failureQueue = (what: string): Suppression[] => [
      {
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself the dead-letter store (${what}); its messages are read by an operator after an alarm, never consumed by code.`,
      },
      {
        id: 'Serverless-SQSRedrivePolicy',
        reason: `Dead-letter store of ${what}: nothing consumes it automatically, so there is no receive count to redrive on.`,
      },
    ];
    suppress(this.validatorFailures, failureQueue("the validator's failed S3 events"));
    for (const queue of Object.values(this.scheduleFailures)) {
      suppress(queue, failureQueue('undelivered or failed scheduled runs'));
    }

    // Roles that CDK constructs create for themselves.
    const byIdPrefix = (prefix: string): IConstruct[] =>
      this.node.children.filter((child) => child.node.id.startsWith(prefix));
    for (const schedulerRole of byIdPrefix('SchedulerRoleForTarget')) {
      suppress(schedulerRole, [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "EventBridge Scheduler's role for the sweeper: lambda:InvokeFunction on the function and its versions (<function ARN>:*), that one function only.",
          appliesTo: [resourceFinding('SweeperFunction', ':*')],
        },
      ]);
    }
    for (const handler of byIdPrefix('BucketNotificationsHandler')) {
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
            "CDK's bucket-notifications custom resource: s3:PutBucketNotification on \"*\" as the construct writes it; it only sets the evidence bucket's ObjectCreated notification on deploy.",
          appliesTo: ['Resource::*'],
        },
      ]);
    }
  }
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function mapValues<K extends string, V, R>(record: Record<K, V>, fn: (value: V, key: K) => R): Record<K, R> {
  return Object.fromEntries(
    (Object.entries(record) as [K, V][]).map(([key, value]) => [key, fn(value, key)]),
  ) as Record<K, R>;
}
