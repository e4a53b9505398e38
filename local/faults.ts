import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { APIGatewayProxyEventV2, Context, S3Event } from 'aws-lambda';
import { API_FUNCTIONS, type ApiFunctionName, EVENT_FUNCTIONS } from '../shared/platform/functions.ts';
import type { EventInvoker } from './events.ts';
import { attachThrottling, DYNAMODB_THROTTLING_ERRORS, type DynamoDbThrottlingError } from './fault-throttling.ts';
import { invokeWithTimeout, type LambdaHandler, loadHandlerModule } from './lambda.ts';
import type { TaskHandler } from './stepfunctions/types.ts';

/**
 * Fault injection for the local runtime (tests and benchmarks; never in `npm start`). A FaultPlan
 * given to startLocalStack (`faults`) makes a share of handler invocations fail the ways Lambda
 * invocations fail, and makes DynamoDB answer a share of requests with throttling errors:
 *
 * - **Handler faults** (workflow tasks, the validator, API handlers), one of:
 *   `error`       the invocation fails before the handler runs (a throttled invoke, a crash at
 *                 start): nothing happened, the caller sees an error;
 *   `error-after` the handler runs to the end, then the answer is lost (a crash on return, a
 *                 dropped connection): everything happened, the caller sees an error;
 *   `stall`       the invocation outlives the caller's timeout (`timeoutMs`): the caller sees a
 *                 timeout (API: 503) and retries, and the handler runs late (`stallMs` after the
 *                 call), beside or after the retry, as a duplicate whose answer nobody reads;
 *   `stall-fail`  the same timeout, and the handler never runs (killed).
 *   The same invocation (target and payload, task tokens aside) faults at most `maxConsecutive`
 *   times in a row: transient faults do not outlast Lambda's and Step Functions' retries.
 * - **DynamoDB throttling**: a client middleware answers a share of requests, before they are
 *   sent, with the HTTP 400 DynamoDB sends (`ProvisionedThroughputExceededException` or
 *   `ThrottlingException`), so the SDK's own deserializer and retry strategy see them as they
 *   would in AWS; a request throttled on every attempt reaches the handler's code as the error.
 *   It is installed on every DynamoDB client in the process while the plan is attached (handler
 *   modules build theirs at module scope), by wrapping `send` on the client classes
 *   (local/fault-throttling.ts).
 *
 * Every fault is counted (`stats()`); `idle()` waits for the late runs of stalled invocations.
 */

export const HANDLER_FAULT_KINDS = ['error', 'error-after', 'stall', 'stall-fail'] as const;
export type HandlerFaultKind = (typeof HANDLER_FAULT_KINDS)[number];

/** What a handler fault applies to: `task:<taskKey>`, `validator`, `api:<METHOD> <route path>`. */
export type FaultTarget = string;

export interface FaultPlanOptions {
  /** Seed of the plan's random choices (default 1). Concurrency still makes runs differ. */
  seed?: number;
  /** Share (0..1) of handler invocations that fault; 0 = none. */
  handlerRate?: number;
  /** Relative weights of the handler fault kinds (default equal). */
  kinds?: Partial<Record<HandlerFaultKind, number>>;
  /** Which invocations may fault (default all): workflow tasks, the validator, API routes. */
  targets?: {
    tasks?: boolean | ((taskKey: string) => boolean);
    validator?: boolean;
    /** By route key, e.g. `POST /v1/reviews/{reviewId}/decision`. */
    api?: boolean | ((routeKey: string) => boolean);
  };
  /** Share (0..1) of DynamoDB requests (every attempt) answered with a throttling error; 0 = none. */
  dynamoDbRate?: number;
  /** Which errors throttling uses (default both, alternately at random). */
  dynamoDbErrors?: readonly DynamoDbThrottlingError[];
  /** How long the caller waits for a stalled invocation (default 100 ms). */
  timeoutMs?: number;
  /** When a stalled invocation's handler runs, after the call (default 250 ms; more than timeoutMs). */
  stallMs?: number;
  /** Faults in a row for the same invocation, at most (default 2). */
  maxConsecutive?: number;
}

export interface FaultStats {
  /** Handler invocations seen, by target. */
  invocations: Record<FaultTarget, number>;
  /** Handler faults injected, by kind. */
  injected: Record<HandlerFaultKind, number>;
  /** Handler faults injected, by target and kind. */
  byTarget: Record<FaultTarget, Partial<Record<HandlerFaultKind, number>>>;
  /** Stalled invocations whose handler ran late: how many, and how many of those threw. */
  lateRuns: number;
  lateRunErrors: number;
  dynamodb: {
    /** Requests sent by code (each may take several attempts). */
    requests: number;
    /** Attempts answered with a throttling error, by error. */
    throttled: Record<DynamoDbThrottlingError, number>;
    /** Retries the SDK made (all causes), from `$metadata.attempts`. */
    sdkRetries: number;
    /** Requests that still failed with a throttling error after the SDK's retries: the code saw them. */
    surfaced: number;
  };
}

/** The error a faulted invocation fails with; its name is what Step Functions' Retry matches. */
export class InjectedFault extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly kind: HandlerFaultKind,
  ) {
    super(`${message} [injected by local/faults.ts]`);
    // One line in the logs: the stack of an injected fault says nothing.
    this.stack = `${name}: ${this.message}`;
  }
}

/** Lambda's names for these failures, as Step Functions reports them. */
const ERROR_NAMES: Record<HandlerFaultKind, string> = {
  error: 'Lambda.TooManyRequestsException',
  'error-after': 'Runtime.ExitError',
  stall: 'Sandbox.Timedout',
  'stall-fail': 'Sandbox.Timedout',
};

/** A small seeded PRNG (mulberry32): the plan's choices repeat for a seed, concurrency aside. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Payload identity for `maxConsecutive`: the JSON with task tokens left out (a retry gets a new one). */
function identityOf(payload: unknown): string {
  const json = JSON.stringify(payload, (key, value: unknown) => (key === 'taskToken' ? undefined : value)) ?? '';
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

export class FaultPlan {
  private readonly random: () => number;
  private readonly handlerRate: number;
  private readonly dynamoDbRate: number;
  private readonly kinds: [HandlerFaultKind, number][];
  private readonly kindTotal: number;
  private readonly timeoutMs: number;
  private readonly stallMs: number;
  private readonly maxConsecutive: number;
  private readonly dynamoDbErrors: readonly DynamoDbThrottlingError[];
  private readonly consecutive = new Map<string, number>();
  private readonly late = new Set<Promise<void>>();
  private readonly counts: FaultStats;
  private enabled = true;

  constructor(private readonly options: FaultPlanOptions = {}) {
    this.random = mulberry32(options.seed ?? 1);
    this.handlerRate = options.handlerRate ?? 0;
    this.dynamoDbRate = options.dynamoDbRate ?? 0;
    this.kinds = HANDLER_FAULT_KINDS.map((kind) => [kind, options.kinds?.[kind] ?? 1]);
    this.kindTotal = this.kinds.reduce((sum, [, weight]) => sum + weight, 0);
    this.timeoutMs = options.timeoutMs ?? 100;
    this.stallMs = Math.max(options.stallMs ?? 250, this.timeoutMs + 1);
    this.maxConsecutive = options.maxConsecutive ?? 2;
    this.dynamoDbErrors = options.dynamoDbErrors ?? DYNAMODB_THROTTLING_ERRORS;
    for (const rate of [this.handlerRate, this.dynamoDbRate]) {
      if (!(rate >= 0 && rate <= 1)) throw new Error(`fault rates are shares between 0 and 1, got ${rate}`);
    }
    this.counts = {
      invocations: {},
      injected: { error: 0, 'error-after': 0, stall: 0, 'stall-fail': 0 },
      byTarget: {},
      lateRuns: 0,
      lateRunErrors: 0,
      dynamodb: {
        requests: 0,
        throttled: { ProvisionedThroughputExceededException: 0, ThrottlingException: 0 },
        sdkRetries: 0,
        surfaced: 0,
      },
    };
  }

  /** Turns injection on or off (e.g. off while a test reads back what happened). Counting goes on. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  /** A copy of the counters. */
  stats(): FaultStats {
    return structuredClone(this.counts);
  }

  /** Total handler faults injected. */
  get injectedTotal(): number {
    return Object.values(this.counts.injected).reduce((sum, n) => sum + n, 0);
  }

  /** Resolves when every late run of a stalled invocation has ended. */
  async idle(): Promise<void> {
    while (this.late.size > 0) await Promise.allSettled([...this.late]);
  }

  // ---- wrapping handlers -----------------------------------------------------------------

  /** Every task handler of a state machine, wrapped (targets `task:<key>`). */
  wrapTasks(handlers: Record<string, TaskHandler>): Record<string, TaskHandler> {
    return Object.fromEntries(Object.entries(handlers).map(([key, handler]) => [key, this.wrapTask(key, handler)]));
  }

  wrapTask(taskKey: string, handler: TaskHandler): TaskHandler {
    const allowed = this.options.targets?.tasks ?? true;
    if (allowed === false) return handler;
    return (payload) => {
      if (typeof allowed === 'function' && !allowed(taskKey)) return handler(payload);
      return this.invoke(`task:${taskKey}`, identityOf(payload), () => handler(payload));
    };
  }

  /** The validator's S3 event invoker, wrapped (target `validator`); default: the validator module. */
  wrapValidator(invoker: EventInvoker = defaultValidatorInvoker): EventInvoker {
    if (this.options.targets?.validator === false) return invoker;
    return (event: S3Event, context: Context) => {
      const object = event.Records[0]?.s3.object;
      return this.invoke('validator', `${object?.key}#${object?.sequencer}`, () => invoker(event, context));
    };
  }

  /** The gateway's handler loader, each API handler wrapped (targets `api:<route key>`). */
  wrapApiLoader(
    load: (fn: string) => Promise<LambdaHandler> = defaultApiLoader,
  ): (fn: string) => Promise<LambdaHandler> {
    const allowed = this.options.targets?.api ?? true;
    if (allowed === false) return load;
    return async (fn) => {
      const handler = await load(fn);
      return (event: APIGatewayProxyEventV2, context: Context) => {
        const routeKey = event.routeKey;
        if (typeof allowed === 'function' && !allowed(routeKey)) return handler(event as never, context);
        const identity = identityOf([event.rawPath, event.rawQueryString, event.body]);
        return this.invoke(`api:${routeKey}`, identity, () => Promise.resolve(handler(event as never, context)));
      };
    };
  }

  private pick(target: FaultTarget, identity: string): HandlerFaultKind | undefined {
    this.counts.invocations[target] = (this.counts.invocations[target] ?? 0) + 1;
    const key = `${target}#${identity}`;
    const inRow = this.consecutive.get(key) ?? 0;
    if (!this.enabled || inRow >= this.maxConsecutive || this.random() >= this.handlerRate) {
      this.consecutive.delete(key);
      return undefined;
    }
    this.consecutive.set(key, inRow + 1);
    let roll = this.random() * this.kindTotal;
    for (const [kind, weight] of this.kinds) {
      roll -= weight;
      if (roll < 0) return kind;
    }
    return this.kinds.at(-1)?.[0];
  }

  private async invoke<T>(target: FaultTarget, identity: string, run: () => Promise<T>): Promise<T> {
    const kind = this.pick(target, identity);
    if (!kind) return run();
    this.counts.injected[kind] += 1;
    const byTarget = (this.counts.byTarget[target] ??= {});
    byTarget[kind] = (byTarget[kind] ?? 0) + 1;
    const fault = (message: string) => new InjectedFault(ERROR_NAMES[kind], `${target}: ${message}`, kind);
    switch (kind) {
      case 'error':
        throw fault('transient error before the handler ran');
      case 'error-after':
        await run();
        throw fault('the handler ran; its answer was lost');
      case 'stall': {
        const lateRun = sleep(this.stallMs).then(async () => {
          this.counts.lateRuns += 1;
          try {
            await run();
          } catch {
            this.counts.lateRunErrors += 1;
          }
        });
        this.late.add(lateRun);
        void lateRun.finally(() => this.late.delete(lateRun));
        await sleep(this.timeoutMs);
        throw fault(`Task timed out after ${(this.timeoutMs / 1000).toFixed(2)} seconds (it runs late)`);
      }
      case 'stall-fail':
        await sleep(this.timeoutMs);
        throw fault(`Task timed out after ${(this.timeoutMs / 1000).toFixed(2)} seconds (it never ran)`);
    }
  }

  // ---- DynamoDB throttling ---------------------------------------------------------------

  /** Called by the middleware once per attempt: whether to throttle it, and with what. */
  throttle(): DynamoDbThrottlingError | undefined {
    if (!this.enabled || this.dynamoDbRate === 0 || this.random() >= this.dynamoDbRate) return undefined;
    const error = this.dynamoDbErrors[Math.floor(this.random() * this.dynamoDbErrors.length)] ?? 'ThrottlingException';
    this.counts.dynamodb.throttled[error] += 1;
    return error;
  }

  /** Called by the middleware once per request, after the SDK's retries. */
  requestEnded(attempts: number | undefined, error: unknown): void {
    this.counts.dynamodb.requests += 1;
    this.counts.dynamodb.sdkRetries += Math.max(0, (attempts ?? 1) - 1);
    const name = (error as { name?: string } | undefined)?.name;
    if (name && (DYNAMODB_THROTTLING_ERRORS as readonly string[]).includes(name)) this.counts.dynamodb.surfaced += 1;
  }

  /**
   * Makes this plan the process's active one: DynamoDB clients (every one, whenever built) get the
   * throttling middleware (local/fault-throttling.ts). Returns the detach (idempotent). One plan at a time.
   */
  attach(): () => Promise<void> {
    return attachThrottling(this);
  }
}

/** How the gateway loads an API handler when no loader is given (local/gateway/server.ts). */
const defaultApiLoader = (fn: string): Promise<LambdaHandler> => {
  const spec = API_FUNCTIONS[fn as ApiFunctionName];
  if (!spec) return Promise.reject(new Error(`no function named ${fn} in API_FUNCTIONS`));
  return loadHandlerModule(spec.entry);
};

/** How the local runtime invokes the validator when no invoker is given (local/events.ts). */
const defaultValidatorInvoker: EventInvoker = async (event, context) => {
  const handler = await loadHandlerModule(EVENT_FUNCTIONS.validator.entry);
  return invokeWithTimeout(handler, event, context, 60_000);
};

/**
 * Console lines about injected faults (the gateway, the validator's delivery and the engine log
 * every failure) are dropped while a fault run is under way, and lines with any of `also` (the
 * failures they cause, e.g. 'NoticePending'); everything else passes. Returns the restore.
 */
export function muteInjectedFaultLogs(also: readonly string[] = []): () => void {
  const { error, warn } = console;
  const patterns = ['[injected by local/faults.ts]', ...also];
  const injected = (args: unknown[]) =>
    args.some((arg) => {
      const text = arg instanceof Error ? `${arg.name}: ${arg.message}` : String(arg);
      return patterns.some((pattern) => text.includes(pattern));
    });
  console.error = (...args: unknown[]) => {
    if (!injected(args)) error(...args);
  };
  console.warn = (...args: unknown[]) => {
    if (!injected(args)) warn(...args);
  };
  return () => {
    console.error = error;
    console.warn = warn;
  };
}
