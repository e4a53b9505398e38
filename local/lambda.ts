import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { asFunction } from './iam/enforce.ts';

/** The repository root (this file lives in local/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What a handler module exports, as the local runtime calls it (no callback style). */
export type LambdaHandler = (event: never, context: Context) => unknown;

const modules = new Map<string, Promise<LambdaHandler>>();

/**
 * Imports a handler module once (by its path relative to the repo root, as the route table names
 * it) and returns its `handler` export. The import happens on first use, so process.env must be
 * set before: handlers build their SDK clients at module scope, as in Lambda. Node's module cache
 * cannot be cleared, so a module stays bound to the endpoints it first saw for the process's life.
 * The import and every call run as the function `entry` names, for the local IAM check
 * (local/iam/enforce.ts): its SDK calls are held to that function's role.
 */
export function loadHandlerModule(entry: string): Promise<LambdaHandler> {
  let loaded = modules.get(entry);
  if (!loaded) {
    const url = pathToFileURL(resolve(REPO_ROOT, entry)).href;
    loaded = asFunction(entry, () => import(url)).then((mod: Record<string, unknown>) => {
      if (typeof mod.handler !== 'function') throw new Error(`${entry} does not export a handler function`);
      const handler = mod.handler as LambdaHandler;
      return (event: never, context: Context) => asFunction(entry, () => handler(event, context));
    });
    // A failed import is retried on the next call instead of caching the failure forever.
    loaded.catch(() => modules.delete(entry));
    modules.set(entry, loaded);
  }
  return loaded;
}

export interface ContextOptions {
  functionName: string;
  region: string;
  timeoutMs: number;
  requestId?: string;
  memoryMb?: number;
}

/** A minimal Lambda context, enough for handlers, Powertools' logger and timeouts. */
export function makeLambdaContext(options: ContextOptions): Context {
  const deadline = Date.now() + options.timeoutMs;
  const requestId = options.requestId ?? randomUUID();
  const legacy = (): never => {
    throw new Error('callback-style context.done/fail/succeed is not supported; return or throw instead');
  };
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:000000000000:function:${options.functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 1024),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `${day}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: legacy,
    fail: legacy,
    succeed: legacy,
  };
}

/**
 * Lambda hands results over as JSON: what a handler returns is serialized (Dates become strings,
 * undefined fields vanish, a BigInt or a cycle is an error). Doing the same locally keeps the
 * local runtime from accepting what AWS would not.
 */
export function asLambdaResult(value: unknown): unknown {
  const json = JSON.stringify(value);
  return json === undefined ? null : JSON.parse(json);
}

/** Runs a handler with a timeout, as Lambda does (the invocation fails with Task timed out). */
export async function invokeWithTimeout(
  handler: LambdaHandler,
  event: unknown,
  context: Context,
  timeoutMs: number,
): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(() => handler(event as never, context)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
