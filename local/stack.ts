import type { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENV, type MailerKind } from '../shared/composition/env.ts';
import type { EventInvoker, ValidatedEvent } from './events.ts';
import type { FaultPlan } from './faults.ts';
import type { LocalIssuer } from './auth.ts';
import type { ExtraHandler } from './gateway/server.ts';
import { type LocalIamCheck, type LocalIamOption, startIamCheck } from './iam/index.ts';
import { REPO_ROOT } from './lambda.ts';
import { explainListenError, makeLog } from './log.ts';
import { localNoticeTakeoverMs, localRetryScale } from './notice-takeover.ts';
import { findFreePort } from './ports.ts';
import { type LocalSchedules, startLocalSchedules } from './schedules.ts';
import { reviewLadderMachine } from './review-ladder.ts';
import { handlerEnv, setProcessEnv } from './stack-env.ts';
import { createStateMachines, startEventDeliveries, whenValidated } from './stack-functions.ts';
import { startApi } from './stack-gateway.ts';
import { type Cleanup, startStandIns } from './stack-services.ts';
import { lockDataDir, provision } from './stack-storage.ts';
import type { SmtpLocal } from './services/smtp.ts';
import { type StepFunctionsApi, startStepFunctionsApi } from './stepfunctions/api.ts';
import { LocalStepFunctions, type LocalStepFunctionsOptions } from './stepfunctions/engine.ts';
import type { LocalStateMachine } from './stepfunctions/types.ts';

/**
 * The whole pipeline on one machine: DynamoDB Local, s3rver, aws-ses-v2-local, the HTTP API
 * gateway and S3 → validator event delivery, all wired to the same handler modules as AWS.
 * Everything but DynamoDB Local listens on 127.0.0.1; all data lives under `dataDir`.
 *
 * One stack per process: handlers read process.env and build their SDK clients when first
 * imported, and Node cannot unload a module. A second start in the same process (after stop)
 * works, but handler modules imported earlier keep the endpoints they saw first: restart on the
 * same ports (as the test harness does) if handlers are to keep working.
 */
export interface LocalStackOptions {
  /**
   * All persistent state: DynamoDB database, s3rver objects, dead letters, Step Functions
   * executions, sent mail. Created if missing.
   */
  dataDir: string;
  /** Port of the HTTP API on 127.0.0.1; 0 = a free port. */
  apiPort: number;
  /** Omitted = a free port. DynamoDB Local listens on every interface. */
  dynamoPort?: number;
  /** Omitted = a free port. */
  s3Port?: number;
  /** Omitted = a free port. */
  sesPort?: number;
  /**
   * How the handlers send email: `ses` (aws-ses-v2-local, the default) or `smtp` (a local SMTP
   * server with STARTTLS and AUTH, as in the AWS China regions; local/services/smtp.ts).
   */
  mailer?: MailerKind;
  /** With `mailer: 'smtp'`: the SMTP port and the inbox page's port; omitted = free ports. */
  smtpPort?: number;
  smtpInboxPort?: number;
  /** Only errors and warnings on the console. */
  quiet?: boolean;
  /** AWS_REGION for the handlers (default cn-north-1, as the tests' vitest env). */
  region?: string;
  /** Default 'cluster-recommendation'. */
  tableName?: string;
  /** Default 'cluster-recommendation-evidence'. */
  bucketName?: string;
  /** More browser origins for the API and bucket CORS rules (the API's own are always allowed). */
  corsOrigins?: readonly string[];
  /** Pages served beside the API, by path prefix (e.g. `{ '/console/': handler }`). */
  extraHandlers?: Record<string, ExtraHandler>;
  /** Replaces the validator handler for S3 events (tests). */
  invokeValidator?: EventInvoker;
  /** Waits before the validator's retries (default [1000, 2000]: two retries). */
  retryDelaysMs?: readonly number[];
  /**
   * State machines to run on the local Step Functions runtime, or a callback returning them (called
   * after process.env points at the stand-ins, so it may import handler modules).
   */
  stateMachines?: readonly LocalStateMachine[] | (() => Promise<readonly LocalStateMachine[]>);
  /**
   * Engine options: `clock: { speedup }` for a compressed clock, `retry: { intervalScale }` (default
   * 1 / speedup; raised to 0.002 if below, and to 0.1 with `faults`: local/notice-takeover.ts says
   * why). The handlers' notice takeover window (NOTICE_TAKEOVER_MS) is scaled by the same factor.
   */
  stepFunctions?: Omit<LocalStepFunctionsOptions, 'region' | 'log'>;
  /** Port of the Step Functions API on 127.0.0.1; omitted = a free port. */
  sfnPort?: number;
  /**
   * Run SCHEDULED_FUNCTIONS (the sweeper) on timers, as EventBridge does: every `everyMinutes`
   * divided by the clock's speedup, or every `everyMs`. Default off (npm start turns it on).
   */
  schedules?: boolean | { everyMs?: number };
  /**
   * Fault injection (tests, benchmarks; local/faults.ts): the plan wraps the workflow task handlers,
   * the validator's invoker and the API handlers, and throttles DynamoDB requests, until stop().
   */
  faults?: FaultPlan;
  /**
   * Hold each function's SDK calls to its IAM policy as the CDK app grants it (local/iam/): a call
   * its role would be refused in AWS fails with AccessDeniedException. Default on; `{ adjust }`
   * changes the policies first (tests: a grant removed must be caught).
   */
  iam?: LocalIamOption;
}

export interface LocalStack {
  /** http://127.0.0.1:<port>, no trailing slash. */
  apiUrl: string;
  endpoints: {
    /** http://127.0.0.1:<port> (but DynamoDB Local listens on all interfaces). */
    dynamodb: string;
    s3: string;
    /** The SESv2 API endpoint; its page `${ses}/` is the local inbox and `${ses}/store` the JSON. */
    ses: string;
    /** The Step Functions API (JSON 1.0 protocol; AWS_ENDPOINT_URL_SFN points the SDK at it). */
    stepfunctions: string;
    /** Where the pipeline's email lands (`/store` lists it): the SES endpoint, or the SMTP inbox. */
    inbox: string;
    /** With `mailer: 'smtp'`: smtp://127.0.0.1:<port>. */
    smtp?: string;
  };
  ports: {
    api: number;
    dynamodb: number;
    s3: number;
    ses: number;
    stepfunctions: number;
    smtp?: number;
    smtpInbox?: number;
  };
  /** How the handlers send email. */
  mailer: MailerKind;
  /** The SMTP stand-in, with `mailer: 'smtp'`. */
  smtp?: SmtpLocal;
  /** The local Step Functions engine (executions, history, pending task tokens; journaled under dataDir). */
  stepFunctions: LocalStepFunctions;
  /** ARN of each state machine from `stateMachines`, by name. */
  stateMachineArns: Record<string, string>;
  /** Pid of the DynamoDB Local Java process. */
  dynamoPid: number;
  tableName: string;
  bucketName: string;
  region: string;
  dataDir: string;
  deadLetterFile: string;
  /** The variables set in process.env for the handlers (restored on stop). */
  env: Record<string, string>;
  /** Emits 'validated' once per S3 event delivered to the validator, after its last attempt. */
  events: EventEmitter<{ validated: [ValidatedEvent] }>;
  /** Subscribes to 'validated'; returns an unsubscribe. */
  onValidated(listener: (event: ValidatedEvent) => void): () => void;
  /**
   * Resolves with the next 'validated' event for this object key (subscribe before uploading);
   * rejects after timeoutMs (default 30 s).
   */
  whenValidated(key: string, timeoutMs?: number): Promise<ValidatedEvent>;
  /**
   * Emits 'validated' once per package request (package-requests/…) delivered to the package
   * builder, after its last attempt: a build or a verification is then recorded.
   */
  packageEvents: EventEmitter<{ validated: [ValidatedEvent] }>;
  /** Mounts a page beside the API after start. */
  mount(prefix: string, handler: ExtraHandler): void;
  /** The local sign-in issuer (the Cognito stand-in): `issuer.issue({ sub, role, jurisdiction })` makes an ID token. */
  issuer: LocalIssuer;
  /** The scheduled functions' timers, when `schedules` was asked for. */
  schedules?: LocalSchedules;
  /** Stops the API, waits for running validations, stops every service. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_TABLE_NAME = 'cluster-recommendation';
export const DEFAULT_BUCKET_NAME = 'cluster-recommendation-evidence';
export const DEFAULT_REGION = 'cn-north-1';

let active: Promise<LocalStack> | undefined;

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  // Lambda runs Node 22; this machine runs 20 on purpose (see README), so the SDK's notice is noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (active) throw new Error('a local stack is already running in this process; stop() it first');
  const starting = start(options);
  active = starting;
  starting.catch(() => {
    if (active === starting) active = undefined;
  });
  return starting;
}

/**
 * Starts the parts in the order they need each other: the IAM check before any handler loads,
 * the stand-ins, the handlers' environment, the workflow engine and its machines, the tables and
 * bucket, the bucket's events, then the API and the schedules. What fails stops what started.
 */
async function start(options: LocalStackOptions): Promise<LocalStack> {
  const quiet = options.quiet ?? false;
  const log = makeLog('local', quiet);
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await lockDataDir(dataDir);
  const cleanups: Cleanup[] = [releaseLock];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => log.error('stop:', error));
    cleanups.length = 0;
  };

  try {
    const region = options.region ?? DEFAULT_REGION;
    const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
    const bucketName = options.bucketName ?? DEFAULT_BUCKET_NAME;
    const apiPort = options.apiPort || (await findFreePort());
    // DynamoDB Local (Java) refuses port 0: 0, like none, means a free port found here.
    const dynamoPort = options.dynamoPort || (await findFreePort('0.0.0.0'));
    const apiOrigins = [`http://127.0.0.1:${apiPort}`, `http://localhost:${apiPort}`];
    const corsOrigins = [...apiOrigins, ...(options.corsOrigins ?? [])];

    const senderEmail = 'no-reply@clusters.localhost';
    const stateMachineArns: Record<string, string> = {};
    // Installed before any handler module loads (they build their SDK clients as they load).
    let iam: LocalIamCheck | undefined;
    if (options.iam !== false) {
      const check = startIamCheck({
        region,
        senderEmail,
        option: options.iam ?? true,
        // Task tokens name no state machine: the only one, or none.
        stateMachineOfToken: () => {
          const arns = Object.values(stateMachineArns);
          return arns.length === 1 ? arns[0] : undefined;
        },
        log: makeLog('iam', quiet),
        root: REPO_ROOT,
        cacheDir: join(tmpdir(), 'cluster-pipeline-local-iam'),
      });
      iam = check;
      cleanups.push(async () => check.uninstall());
    }

    const mailer = options.mailer ?? 'ses';
    const standIns = await startStandIns(
      {
        dataDir,
        dynamoPort,
        s3Port: options.s3Port,
        sesPort: options.sesPort,
        region,
        mailer,
        smtpPort: options.smtpPort,
        smtpInboxPort: options.smtpInboxPort,
        quiet,
      },
      cleanups,
    );
    const { dynamo, s3, ses, smtp } = standIns;

    const env = await handlerEnv({
      tableName,
      bucketName,
      region,
      standIns,
      senderEmail,
      publicBaseUrl: apiOrigins[0] ?? `http://127.0.0.1:${apiPort}`,
      mailer,
      dataDir,
    });

    const stepFunctions = new LocalStepFunctions({
      ...options.stepFunctions,
      // Never 0 (nor below 0.1 under faults): the notice takeover window scales with it.
      retry: {
        ...options.stepFunctions?.retry,
        intervalScale: localRetryScale(options.stepFunctions, options.faults !== undefined),
      },
      region,
      // Executions, history and task tokens are journaled here: a restart resumes them.
      dataDir: join(dataDir, 'stepfunctions'),
      log: makeLog('stepfunctions', quiet),
    });
    cleanups.push(() => stepFunctions.close());
    const sfnApi: StepFunctionsApi = await startStepFunctionsApi(stepFunctions, {
      port: options.sfnPort ?? 0,
      log: makeLog('stepfunctions', true),
    }).catch((error: unknown) => {
      throw explainListenError(error, 'the Step Functions API', options.sfnPort ?? 0, 'sfnPort');
    });
    cleanups.push(() => sfnApi.close());
    env.AWS_ENDPOINT_URL_SFN = sfnApi.url;
    // The handlers' clock is real: the notice takeover window shrinks as the Retry intervals do.
    env[ENV.noticeTakeoverMs] = String(localNoticeTakeoverMs(stepFunctions.retryIntervalScale));
    cleanups.push(setProcessEnv(env));

    // By default the pipeline's own review ladder; tests may pass their own (or none).
    const machines =
      typeof options.stateMachines === 'function'
        ? await options.stateMachines()
        : (options.stateMachines ?? [await reviewLadderMachine()]);
    createStateMachines({ stepFunctions, machines, faults: options.faults, env, stateMachineArns }, cleanups);

    await iam?.load({
      tableName,
      bucketName,
      ...(env[ENV.stateMachineArn] !== undefined && { stateMachineArn: env[ENV.stateMachineArn] }),
    });
    await provision({ dynamo, s3, tableName, bucketName, region, corsOrigins, log });
    if (options.faults) cleanups.push(options.faults.attach());
    // Before the API serves a review link: their tokens must be open again.
    stepFunctions.resumeExecutions();

    const deadLetterFile = join(dataDir, 'dead-letters.jsonl');
    const { delivery, packageDelivery } = startEventDeliveries(
      {
        s3,
        invokeValidator: options.invokeValidator,
        faults: options.faults,
        deadLetterFile,
        region,
        retryDelaysMs: options.retryDelaysMs,
        quiet,
      },
      cleanups,
    );

    const { gateway, issuer, authEnv } = await startApi(
      {
        apiPort,
        corsOrigins,
        region,
        dataDir,
        extraHandlers: options.extraHandlers,
        faults: options.faults,
        publicBaseUrl: env[ENV.publicBaseUrl],
        quiet,
      },
      cleanups,
    );
    Object.assign(env, authEnv);
    cleanups.push(setProcessEnv(authEnv));

    let schedules: LocalSchedules | undefined;
    if (options.schedules) {
      const every = typeof options.schedules === 'object' ? options.schedules.everyMs : undefined;
      schedules = startLocalSchedules({
        region,
        log: makeLog('schedules', quiet),
        speedup: options.stepFunctions?.clock?.speedup ?? 1,
        ...(every !== undefined && { everyMs: every }),
      });
      const running = schedules;
      cleanups.push(() => running.stop());
    }

    let stopping: Promise<void> | undefined;
    const stack: LocalStack = {
      apiUrl: gateway.url,
      endpoints: {
        dynamodb: dynamo.endpoint,
        s3: s3.endpoint,
        ses: ses.endpoint,
        stepfunctions: sfnApi.url,
        inbox: smtp?.inbox ?? ses.endpoint,
        ...(smtp && { smtp: smtp.endpoint }),
      },
      ports: {
        api: gateway.port,
        dynamodb: dynamo.port,
        s3: s3.port,
        ses: ses.port,
        stepfunctions: sfnApi.port,
        ...(smtp && { smtp: smtp.port, smtpInbox: smtp.inboxPort }),
      },
      mailer,
      ...(smtp && { smtp }),
      stepFunctions,
      stateMachineArns,
      dynamoPid: dynamo.pid,
      tableName,
      bucketName,
      region,
      dataDir,
      deadLetterFile,
      env,
      events: delivery,
      packageEvents: packageDelivery,
      onValidated(listener) {
        delivery.on('validated', listener);
        return () => delivery.off('validated', listener);
      },
      whenValidated: (key, timeoutMs = 30_000) => whenValidated(delivery, key, timeoutMs),
      mount: (prefix, handler) => gateway.mount(prefix, handler),
      issuer,
      ...(schedules && { schedules }),
      stop() {
        stopping ??= cleanUp().finally(() => {
          active = undefined;
        });
        return stopping;
      },
    };
    return stack;
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
