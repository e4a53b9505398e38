import type { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureLocalLinkKeyFile } from '../shared/adapters/link-keys.ts';
import { ENV, type MailerKind } from '../shared/composition/env.ts';
import { type EventInvoker, S3EventDelivery, type ValidatedEvent } from './events.ts';
import type { FaultPlan } from './faults.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LOCAL_JWKS_PATH, type LocalIssuer, localIssuer, serveJwks } from './auth.ts';
import { type ExtraHandler, type Gateway, startGateway } from './gateway/server.ts';
import { LOCAL_AUTHORIZE_PATH, LOCAL_SIGN_IN_PREFIX, LOCAL_TOKEN_PATH, localSignIn } from './sign-in-page.ts';
import { type LocalIamCheck, type LocalIamOption, startIamCheck } from './iam/index.ts';
import { invokeWithTimeout, loadHandlerModule, REPO_ROOT } from './lambda.ts';
import { EVENT_FUNCTIONS } from '../shared/platform/functions.ts';
import { PACKAGE_REQUEST_PREFIX } from '../shared/package/keys.ts';
import { explainListenError, makeLog } from './log.ts';
import { findFreePort } from './ports.ts';
import { type LocalSchedules, startLocalSchedules } from './schedules.ts';
import { reviewLadderMachine } from './review-ladder.ts';
import { setProcessEnv } from './stack-env.ts';
import { LOCAL_ACCESS_KEY, lockDataDir, provision } from './stack-storage.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from './services/dynamodb.ts';
import { type S3Local, startS3Local } from './services/s3.ts';
import { type SesLocal, startSesLocal } from './services/ses.ts';
import { type SmtpLocal, startSmtpLocal } from './services/smtp.ts';
import { type StepFunctionsApi, startStepFunctionsApi } from './stepfunctions/api.ts';
import { LocalStepFunctions, type LocalStepFunctionsOptions } from './stepfunctions/engine.ts';
import type { LocalStateMachine } from './stepfunctions/types.ts';

export type { ValidatedEvent } from './events.ts';
// Declared beside the engine's types, so that review-ladder.ts need not import this module.
export type { LocalStateMachine } from './stepfunctions/types.ts';

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
  /** Engine options: `clock: { speedup }` for a compressed clock, `retry: { intervalScale }`. */
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

/** The package builder's Lambda timeout (infra/constructs/handler-functions.ts). */
const PACKAGE_BUILDER_TIMEOUT_MS = 15 * 60_000;

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

async function start(options: LocalStackOptions): Promise<LocalStack> {
  const quiet = options.quiet ?? false;
  const log = makeLog('local', quiet);
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await lockDataDir(dataDir);
  const cleanups: (() => Promise<void>)[] = [releaseLock];
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

    const started = await Promise.allSettled([
      startDynamoDbLocal({
        dbPath: join(dataDir, 'dynamodb'),
        port: dynamoPort,
        log: makeLog('dynamodb', quiet),
      }),
      startS3Local({
        directory: join(dataDir, 's3'),
        port: options.s3Port ?? 0,
        region,
        log: makeLog('s3', quiet),
      }),
      startSesLocal({
        port: options.sesPort ?? 0,
        storeFile: join(dataDir, 'ses', 'emails.jsonl'),
        log: makeLog('ses', quiet),
      }),
    ]);
    for (const outcome of started) if (outcome.status === 'fulfilled') cleanups.push(() => outcome.value.stop());
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const [dynamo, s3, ses] = started.map((o) => (o as PromiseFulfilledResult<unknown>).value) as [
      DynamoDbLocal,
      S3Local,
      SesLocal,
    ];
    const mailer = options.mailer ?? 'ses';
    let smtp: SmtpLocal | undefined;
    if (mailer === 'smtp') {
      smtp = await startSmtpLocal({
        directory: join(dataDir, 'smtp'),
        port: options.smtpPort ?? 0,
        inboxPort: options.smtpInboxPort ?? 0,
        log: makeLog('smtp', quiet),
      });
      const running = smtp;
      cleanups.push(() => running.stop());
    }

    const env: Record<string, string> = {
      [ENV.tableName]: tableName,
      [ENV.bucketName]: bucketName,
      [ENV.localS3]: '1',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: LOCAL_ACCESS_KEY,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      // Emails go to the local SES inbox; their links come back to this API.
      [ENV.senderEmail]: senderEmail,
      [ENV.publicBaseUrl]: apiOrigins[0] ?? `http://127.0.0.1:${apiPort}`,
      // The review-link key's local stand-in (Secrets Manager in AWS): random, made at first start.
      [ENV.linkKeyFile]: await ensureLocalLinkKeyFile(dataDir),
      // No CloudWatch here: metrics (EMF lines on stdout) only when asked for.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      // SES unless asked: then the SMTP stand-in, its settings in a file as the secret holds them in AWS.
      [ENV.mailer]: mailer,
      ...(smtp && { [ENV.smtpSettingsFile]: smtp.settingsFile }),
    };

    const stepFunctions = new LocalStepFunctions({
      ...options.stepFunctions,
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
    cleanups.push(setProcessEnv(env));

    // By default the pipeline's own review ladder; tests may pass their own (or none).
    const machines =
      typeof options.stateMachines === 'function'
        ? await options.stateMachines()
        : (options.stateMachines ?? [await reviewLadderMachine()]);
    for (const machine of machines) {
      const { stateMachineArn } = stepFunctions.createStateMachine(machine.name, machine.definition, {
        handlers: options.faults ? options.faults.wrapTasks(machine.handlers) : machine.handlers,
      });
      stateMachineArns[machine.name] = stateMachineArn;
      if (machine.arnEnv) {
        env[machine.arnEnv] = stateMachineArn;
        cleanups.push(setProcessEnv({ [machine.arnEnv]: stateMachineArn }));
      }
    }

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
    const delivery = new S3EventDelivery({
      invoke: options.faults ? options.faults.wrapValidator(options.invokeValidator) : options.invokeValidator,
      deadLetterFile,
      region,
      retryDelaysMs: options.retryDelaysMs,
      log: makeLog('validator', quiet),
    });
    const unsubscribe = s3.onObjectCreated((record) => delivery.deliver(record));
    cleanups.push(async () => {
      unsubscribe();
      await delivery.stop();
    });
    // Submission packages: a request object under package-requests/ invokes the builder, as the
    // bucket's notification does in AWS (shared/package/keys.ts, infra/constructs/package-building.ts).
    const packageDelivery = new S3EventDelivery({
      invoke: async (event, context) => {
        const handler = await loadHandlerModule(EVENT_FUNCTIONS.packageBuilder.entry);
        return invokeWithTimeout(handler, event, context, PACKAGE_BUILDER_TIMEOUT_MS);
      },
      filter: (record, key) => record.eventName.startsWith('ObjectCreated:') && key.startsWith(PACKAGE_REQUEST_PREFIX),
      deadLetterFile,
      region,
      retryDelaysMs: options.retryDelaysMs,
      timeoutMs: PACKAGE_BUILDER_TIMEOUT_MS,
      log: makeLog('packages', quiet),
    });
    const unsubscribePackages = s3.onObjectCreated((record) => packageDelivery.deliver(record));
    cleanups.push(async () => {
      unsubscribePackages();
      await packageDelivery.stop();
    });

    // Sign-in: the local issuer stands in for the Cognito user pool, the gateway for the JWT authorizer.
    const issuer = await localIssuer(dataDir);
    const gateway: Gateway = await startGateway({
      port: apiPort,
      corsOrigins,
      region,
      authorizer: async (token) => (await issuer.verify(token)).claims,
      extraHandlers: { [LOCAL_JWKS_PATH]: serveJwks(issuer), ...options.extraHandlers },
      ...(options.faults && { loadHandler: options.faults.wrapApiLoader() }),
      log: makeLog('api', quiet),
    }).catch((error: unknown) => {
      throw explainListenError(error, 'the API', apiPort, '--port');
    });
    cleanups.push(() => gateway.close());
    // The stand-in for Cognito's hosted sign-in page and token endpoint; its registered callbacks
    // are this gateway's and PUBLIC_BASE_URL's (known only now that the gateway listens).
    const publicBaseUrl = env[ENV.publicBaseUrl] ?? gateway.url;
    gateway.mount(LOCAL_SIGN_IN_PREFIX, localSignIn({ issuer, origins: [...new Set([gateway.url, publicBaseUrl])] }));
    const authEnv = {
      [ENV.authIssuer]: LOCAL_ISSUER,
      [ENV.authAudience]: LOCAL_AUDIENCE,
      [ENV.authJwksUrl]: `${gateway.url}${LOCAL_JWKS_PATH}`,
      [ENV.authAuthorizeUrl]: `${gateway.url}${LOCAL_AUTHORIZE_PATH}`,
      [ENV.authTokenUrl]: `${gateway.url}${LOCAL_TOKEN_PATH}`,
    };
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
      whenValidated(key, timeoutMs = 30_000) {
        return new Promise<ValidatedEvent>((resolveEvent, reject) => {
          const timer = setTimeout(() => {
            delivery.off('validated', listener);
            reject(new Error(`no validator run for ${key} within ${timeoutMs} ms`));
          }, timeoutMs);
          const listener = (event: ValidatedEvent) => {
            if (event.key !== key) return;
            clearTimeout(timer);
            delivery.off('validated', listener);
            resolveEvent(event);
          };
          delivery.on('validated', listener);
        });
      },
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
