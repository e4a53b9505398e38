import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * DynamoDB throttling for fault runs (local/faults.ts): a client middleware answers a share of
 * requests, before they are sent, with the HTTP 400 DynamoDB sends, so the SDK's own deserializer
 * and retry strategy see them as they would in AWS. Installed on every DynamoDB client in the
 * process while a plan is attached (handler modules build theirs at module scope), by wrapping
 * `send` on the client classes.
 */

export const DYNAMODB_THROTTLING_ERRORS = ['ProvisionedThroughputExceededException', 'ThrottlingException'] as const;
export type DynamoDbThrottlingError = (typeof DYNAMODB_THROTTLING_ERRORS)[number];

/** What the middlewares ask of the attached plan (FaultPlan in local/faults.ts). */
export interface ThrottlingPlan {
  /** Called once per attempt: whether to throttle it, and with what. */
  throttle(): DynamoDbThrottlingError | undefined;
  /** Called once per request, after the SDK's retries. */
  requestEnded(attempts: number | undefined, error: unknown): void;
}

/**
 * Makes `plan` the process's active one: DynamoDB clients (every one, whenever built) get the
 * throttling middleware. Returns the detach (idempotent). One plan at a time.
 */
export function attachThrottling(plan: ThrottlingPlan): () => Promise<void> {
  if (hook.plan && hook.plan !== plan) throw new Error('another FaultPlan is attached; detach it first');
  hook.plan = plan;
  installSendHook();
  let detached = false;
  return async () => {
    if (detached) return;
    detached = true;
    if (hook.plan === plan) hook.plan = undefined;
  };
}

// ---- the DynamoDB client hook ------------------------------------------------------------

/** The attached plan, if any: the DynamoDB middlewares ask it. */
const hook: { plan?: ThrottlingPlan } = {};
let hookInstalled = false;
const equipped = new WeakSet<object>();

interface MiddlewareStackLike {
  add(middleware: unknown, options: Record<string, unknown>): void;
}

type Send = (this: { middlewareStack: MiddlewareStackLike }, ...args: unknown[]) => Promise<unknown>;

/**
 * Wraps `send` of DynamoDBClient and DynamoDBDocumentClient (a document client shares its
 * client's middleware stack) so that each stack gets the fault middlewares once, on first use.
 * They do nothing while no plan is attached. Installed once per process; harmless afterwards.
 */
function installSendHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  for (const prototype of [DynamoDBClient.prototype, DynamoDBDocumentClient.prototype] as unknown as {
    send: Send;
  }[]) {
    const original = prototype.send;
    prototype.send = function send(this: { middlewareStack: MiddlewareStackLike }, ...args: unknown[]) {
      equip(this.middlewareStack);
      return original.apply(this, args);
    };
  }
}

interface DeserializeArgs {
  request?: unknown;
}

function equip(stack: MiddlewareStackLike): void {
  if (equipped.has(stack)) return;
  equipped.add(stack);
  // Outermost: once per request, after every retry, to count what the code saw.
  stack.add(
    (next: (args: unknown) => Promise<{ output?: { $metadata?: { attempts?: number } } }>) => async (args: unknown) => {
      const plan = hook.plan;
      try {
        const result = await next(args);
        plan?.requestEnded(result.output?.$metadata?.attempts, undefined);
        return result;
      } catch (error) {
        plan?.requestEnded((error as { $metadata?: { attempts?: number } }).$metadata?.attempts, error);
        throw error;
      }
    },
    { step: 'initialize', priority: 'high', name: 'localFaultsCount' },
  );
  // Innermost, below the deserializer: an attempt answered as DynamoDB answers a throttled one.
  stack.add(
    (next: (args: DeserializeArgs) => Promise<unknown>) => async (args: DeserializeArgs) => {
      const error = hook.plan?.throttle();
      if (!error) return next(args);
      return { response: throttledResponse(error), output: undefined };
    },
    { step: 'deserialize', priority: 'low', name: 'localFaultsThrottle' },
  );
}

let responses = 0;

/** DynamoDB's HTTP answer to a throttled request (JSON 1.0 protocol). */
function throttledResponse(error: DynamoDbThrottlingError) {
  const message =
    error === 'ThrottlingException'
      ? 'Rate of requests exceeds the allowed throughput. [injected by local/faults.ts]'
      : 'The level of configured provisioned throughput for the table was exceeded. [injected by local/faults.ts]';
  const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${error}`, message });
  return {
    statusCode: 400,
    reason: 'Bad Request',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': `LOCALFAULT${(++responses).toString().padStart(10, '0')}`,
    },
    body: Readable.from([Buffer.from(body)]),
  };
}
