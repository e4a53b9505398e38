import { AsyncLocalStorage } from 'node:async_hooks';
import { CLIENT_HOOK, type ClientHook, type HookedClient } from '../../shared/composition/clients.ts';
import type { FunctionPolicies } from './extract.ts';
import { evaluate, type IamRequest, UnsupportedConditionError } from './policy.ts';
import { type ArnContext, requestsFor, SERVICE_OF_CLIENT } from './requests.ts';

/**
 * The local IAM check. Three pieces:
 *
 * 1. Which function is running: `asFunction(entry, run)` runs an invocation (and its module's
 *    first import) inside an AsyncLocalStorage scope naming its handler entry. The local runtime
 *    calls it wherever it invokes a handler (local/lambda.ts, local/review-ladder.ts).
 * 2. Every SDK client the composition builds passes through a hook (CLIENT_HOOK on globalThis,
 *    unset in Lambda); `installIamCheck` sets it to add one 'build' step middleware to the client.
 * 3. That middleware maps the command and its input to IAM requests (./requests.ts) and evaluates
 *    them against the running function's policies as the CDK app grants them (./extract.ts): a
 *    refused request fails the call with the error AWS answers (AccessDeniedException; S3's
 *    AccessDenied), before it leaves the process.
 *
 * Calls outside any invocation (tests seeding data, the runtime's own provisioning) pass.
 */

const running = new AsyncLocalStorage<string>();

/** Runs `run` as the function whose handler module is `entry` (e.g. `functions/ops.ts`). */
export const asFunction = <T>(entry: string, run: () => T): T => running.run(entry, run);

/** The entry of the function whose invocation this code runs in, if any. */
export const currentFunction = (): string | undefined => running.getStore();

export interface IamCheckOptions extends ArnContext {
  /** Each function's statements; undefined until loaded (a call before then is refused). */
  policies?: FunctionPolicies;
  /** Called for each refusal (the runtime logs it: the first thing to read when a call fails). */
  onDenied?: (denial: { entry: string; request: IamRequest; message: string }) => void;
}

/** The SDK's shape of a service error: what adapters and handlers test (`name`, `$metadata`). */
export class AccessDeniedError extends Error {
  readonly $fault = 'client';
  readonly $metadata: { httpStatusCode: number; requestId: string; attempts: number; totalRetryDelay: number };
  readonly Code: string;

  constructor(name: string, status: number, message: string) {
    super(message);
    this.name = name;
    this.Code = name;
    this.$metadata = { httpStatusCode: status, requestId: 'local-iam', attempts: 1, totalRetryDelay: 0 };
  }
}

/** The error name and HTTP status each service answers a refused call with. */
const DENIAL: Record<string, [string, number]> = {
  s3: ['AccessDenied', 403],
  ses: ['AccessDeniedException', 403],
};

/**
 * Sets the client hook: from now on every client the composition builds is checked. Returns an
 * uninstall (the stack's stop()). Clients built before stay unchecked: install before any handler
 * module is imported.
 */
export function installIamCheck(options: IamCheckOptions): () => void {
  const hook: ClientHook = (client) => attach(client, options);
  const slot = globalThis as { [CLIENT_HOOK]?: ClientHook };
  const previous = slot[CLIENT_HOOK];
  slot[CLIENT_HOOK] = hook;
  return () => {
    if (slot[CLIENT_HOOK] === hook) slot[CLIENT_HOOK] = previous;
  };
}

/** The slice of the SDK's middleware stack used here (@smithy/types' BuildMiddleware, structurally). */
interface BuildArgs {
  input: object;
}
type BuildHandler = (args: BuildArgs) => Promise<unknown>;
interface CheckedStack {
  add(
    middleware: (next: BuildHandler, context: { clientName?: string; commandName?: string }) => BuildHandler,
    options: { step: 'build'; name: string; priority: 'high' },
  ): void;
}

function attach(client: HookedClient, options: IamCheckOptions): void {
  const stack: unknown = client.middlewareStack;
  (stack as CheckedStack).add(
    (next, context) => async (args) => {
      const entry = running.getStore();
      if (entry !== undefined) {
        const clientName = String(context.clientName ?? '');
        const service = SERVICE_OF_CLIENT[clientName];
        if (!service) throw new Error(`local IAM: no mapping for ${clientName} (local/iam/requests.ts)`);
        check(entry, service, String(context.commandName ?? ''), args.input as Record<string, unknown>, options);
      }
      return next(args);
    },
    // After the document client's marshalling (initialize), before signing and sending.
    { step: 'build', name: 'localIamCheck', priority: 'high' },
  );
}

/** @throws AccessDeniedError unless the function's policies allow every request of the call */
export function check(
  entry: string,
  service: string,
  commandName: string,
  input: Record<string, unknown>,
  options: IamCheckOptions,
): void {
  if (!options.policies) throw new Error('local IAM: a function called AWS before the policies were loaded');
  const statements = options.policies[entry];
  const [name, status] = DENIAL[service] ?? ['AccessDeniedException', 400];
  const role = `arn:${options.partition}:sts::${options.accountId}:assumed-role/${entry}/local`;
  for (const request of requestsFor(service, commandName, input, options)) {
    let message: string | undefined;
    if (!statements) {
      message = `User: ${role} is not authorized to perform: ${request.action} on resource: ${request.resource} because the CDK app defines no function for ${entry}`;
    } else {
      try {
        const decision = evaluate(statements, request);
        if (!decision.allowed) {
          message = `User: ${role} is not authorized to perform: ${request.action} on resource: ${request.resource} because ${
            decision.reason === 'explicit deny'
              ? `an identity-based policy explicitly denies the ${request.action} action`
              : `no identity-based policy allows the ${request.action} action${describeContext(request)}`
          }`;
        }
      } catch (error) {
        if (!(error instanceof UnsupportedConditionError)) throw error;
        message = `User: ${role} is not authorized to perform: ${request.action} on resource: ${request.resource}: ${error.message}`;
      }
    }
    if (message !== undefined) {
      options.onDenied?.({ entry, request, message });
      throw new AccessDeniedError(name, status, message);
    }
  }
}

const describeContext = (request: IamRequest) => {
  const keys = Object.entries(request.context ?? {}).filter(([, v]) => (typeof v === 'string' ? true : v.length > 0));
  return keys.length === 0 ? '' : ` (with ${keys.map(([k, v]) => `${k}=${[v].flat().join(',')}`).join('; ')})`;
};
