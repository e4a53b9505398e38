import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient, makeS3Client } from '../shared/composition/clients.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from './stack.ts';
import type { PendingTask } from './stepfunctions/engine.ts';

/**
 * A throwaway local stack, for the integration tests and the benchmarks alike: quiet, on a fresh
 * temporary data dir and free ports, deleted on cleanup. Also the SDK clients a caller builds
 * from the environment the stack set, and a wait for a callback task to be ready.
 *
 *   const stack = await startScratchStack();
 *   try { … } finally { await stack.cleanup(); }
 *
 * The stack sets process.env (TABLE_NAME, BUCKET_NAME, AWS_ENDPOINT_URL_*, …) as npm start does,
 * so handler modules imported *after* it started talk to it.
 */
export interface ScratchStack extends LocalStack {
  /** Stops the stack and deletes its temporary data dir. Idempotent. */
  cleanup(): Promise<void>;
  /**
   * Stops and starts again on the same data dir and the same ports (so handler modules already
   * imported, whose SDK clients were built at module scope, keep reaching the stand-ins).
   * Returns the new stack; the old object is stopped. Step Functions executions and task tokens
   * are journaled in the data dir: running executions resume where they were.
   */
  restart(): Promise<ScratchStack>;
}

export type ScratchStackOptions = Partial<LocalStackOptions>;

/**
 * Starts a quiet local stack on a fresh temporary data dir and free ports. Validator retries wait
 * 20 ms and 40 ms instead of seconds, and state machine Retry intervals are as short as the stack
 * runs them (intervalScale 0, raised to 0.002: 4 ms doubling, 252 ms for six, where CDK's 2 s × 6
 * on Lambda errors would take two minutes; the notice takeover window 60 ms; 0.1 and 3 s with
 * `faults`, see local/notice-takeover.ts). Any LocalStackOptions can be overridden.
 */
export async function startScratchStack(options: ScratchStackOptions = {}): Promise<ScratchStack> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'cluster-local-')));
  const full: LocalStackOptions = {
    apiPort: 0,
    quiet: true,
    retryDelaysMs: [20, 40],
    stepFunctions: { retry: { intervalScale: 0 } },
    ...options,
    dataDir,
  };
  try {
    return wrap(await startLocalStack(full), full, ownsDataDir);
  } catch (error) {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

function wrap(stack: LocalStack, options: LocalStackOptions, ownsDataDir: boolean): ScratchStack {
  let cleaned: Promise<void> | undefined;
  return {
    ...stack,
    cleanup() {
      cleaned ??= stack.stop().finally(async () => {
        if (ownsDataDir) await rm(options.dataDir, { recursive: true, force: true });
      });
      return cleaned;
    },
    async restart() {
      await stack.stop();
      const next = await startLocalStack({
        ...options,
        apiPort: stack.ports.api,
        dynamoPort: stack.ports.dynamodb,
        s3Port: stack.ports.s3,
        sesPort: stack.ports.ses,
        sfnPort: stack.ports.stepfunctions,
        ...(stack.ports.smtp !== undefined && { smtpPort: stack.ports.smtp, smtpInboxPort: stack.ports.smtpInbox }),
      });
      // The data dir outlives the restart; whoever cleans up the new stack deletes it.
      return wrap(next, options, ownsDataDir);
    },
  };
}

export interface SdkClients {
  /** Built as handlers build it (shared/composition/clients.ts): endpoint from AWS_ENDPOINT_URL_DYNAMODB. */
  doc: DynamoDBDocumentClient;
  /** Plain DynamoDB client, endpoint from the environment. */
  ddb: DynamoDBClient;
  /** Built as handlers build it: path-style, WHEN_REQUIRED checksums, endpoint from AWS_ENDPOINT_URL_S3. */
  s3: S3Client;
  /** Endpoint from AWS_ENDPOINT_URL_SESV2. */
  ses: SESv2Client;
  destroy(): void;
}

/**
 * SDK clients configured only through the environment the stack set, exactly as handlers get
 * theirs: a test using them also proves the endpoint variables are honoured.
 */
export function sdkClients(): SdkClients {
  const doc = makeDocumentClient();
  const ddb = new DynamoDBClient({});
  const s3 = makeS3Client();
  const ses = new SESv2Client({});
  return {
    doc,
    ddb,
    s3,
    ses,
    destroy() {
      doc.destroy();
      ddb.destroy();
      s3.destroy();
      ses.destroy();
    },
  };
}

/**
 * Resolves when the local Step Functions runtime has a callback task that `match` accepts
 * waiting with its handler done (emails sent, token stored): already, or as the next one to get
 * there. An event, not a sleep-poll.
 */
export function whenTaskWaiting(
  stack: Pick<LocalStack, 'stepFunctions'>,
  match: (task: PendingTask) => boolean,
  timeoutMs = 15_000,
): Promise<PendingTask> {
  const engine = stack.stepFunctions;
  const already = engine.pendingTasks().find((task) => task.submitted && match(task));
  if (already) return Promise.resolve(already);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      engine.off('taskSubmitted', listener);
      reject(new Error(`no matching task was waiting within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (task: PendingTask) => {
      if (!match(task)) return;
      clearTimeout(timer);
      engine.off('taskSubmitted', listener);
      resolve(task);
    };
    engine.on('taskSubmitted', listener);
  });
}
