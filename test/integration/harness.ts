import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.ts';
import type { PendingTask } from '../../local/stepfunctions/engine.ts';
import type { LocalIssuer } from '../../local/auth.ts';
import type { PrincipalRole } from '../../shared/platform/auth/principal.ts';
import { makeDocumentClient, makeS3Client } from '../../shared/composition/clients.ts';

/**
 * Integration tests run against the real local stand-ins (DynamoDB Local, s3rver,
 * aws-ses-v2-local), started once per test file:
 *
 *   let stack: TestStack;
 *   beforeAll(async () => { stack = await startTestStack(); });
 *   afterAll(() => stack?.cleanup());
 *
 * The stack sets process.env (TABLE_NAME, BUCKET_NAME, AWS_ENDPOINT_URL_*, …) as npm start does,
 * so handler modules imported *after* startTestStack() talk to it. Import handlers dynamically
 * (`await import('../../functions/x.ts')`) inside beforeAll, after the stack is up, or rely on
 * the gateway (`stack.apiUrl`), which imports them on first request.
 */
export interface TestStack extends LocalStack {
  /** Stops the stack and deletes its temporary data dir. Idempotent. */
  cleanup(): Promise<void>;
  /**
   * Stops and starts again on the same data dir and the same ports (so handler modules already
   * imported, whose SDK clients were built at module scope, keep reaching the stand-ins).
   * Returns the new stack; the old object is stopped. Step Functions executions and task tokens
   * are journaled in the data dir: running executions resume where they were.
   */
  restart(): Promise<TestStack>;
}

export type TestStackOptions = Partial<LocalStackOptions>;

/**
 * Starts a quiet local stack on a fresh temporary data dir and free ports. Validator retries wait
 * 20 ms and 40 ms instead of seconds, and state machine Retry intervals are 0 (CDK's 2 s × 6 on
 * Lambda errors would otherwise take two minutes). Any LocalStackOptions can be overridden.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
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

function wrap(stack: LocalStack, options: LocalStackOptions, ownsDataDir: boolean): TestStack {
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
      });
      // The data dir outlives the restart; whoever cleans up the new stack deletes it.
      return wrap(next, options, ownsDataDir);
    },
  };
}

export interface TestClients {
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
export function testClients(): TestClients {
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

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: T;
  text: string;
}

/** Someone calling the local API: its URL and, once signed in, their ID token. */
export interface Caller {
  apiUrl: string;
  token?: string;
}

const tokens = new WeakMap<LocalIssuer, Map<string, Promise<string>>>();

/**
 * Signs in as a role of a jurisdiction: an ID token from the stack's local issuer (the Cognito
 * stand-in), kept for the stack's life. `api(await as(stack, 'applicant', '222403'), …)`.
 */
export async function as(
  stack: Pick<LocalStack, 'apiUrl' | 'issuer'>,
  role: PrincipalRole,
  jurisdiction: string,
): Promise<Caller> {
  const mine = tokens.get(stack.issuer) ?? new Map<string, Promise<string>>();
  tokens.set(stack.issuer, mine);
  const key = `${role}-${jurisdiction}`;
  let token = mine.get(key);
  if (!token) {
    token = stack.issuer.issue({ sub: key, role, jurisdiction });
    mine.set(key, token);
  }
  return { apiUrl: stack.apiUrl, token: await token };
}

/** A national operator: sees every application (for checks that read state, not for acting). */
export const asOperator = (stack: Pick<LocalStack, 'apiUrl' | 'issuer'>) => as(stack, 'operator', '000000');

/** Calls the local HTTP API: `await api(caller, 'POST', '/v1/applications', body)`; the caller's token goes along. */
export async function api<T = unknown>(
  caller: Caller,
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<ApiResponse<T>> {
  const headers = { ...(caller.token !== undefined && { authorization: `Bearer ${caller.token}` }), ...extraHeaders };
  const response = await fetch(`${caller.apiUrl}${path}`, {
    method,
    // A redirect (the console's 303 to sign-in) is an answer to look at, not to follow.
    redirect: 'manual',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: T = undefined as T;
  try {
    json = JSON.parse(text) as T;
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** One email as aws-ses-v2-local's GET /store lists it. */
export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

/** Mail "sent" through the local SES, oldest first. */
export async function sentEmails(stack: Pick<LocalStack, 'endpoints'>): Promise<StoredEmail[]> {
  const response = await fetch(`${stack.endpoints.ses}/store`);
  if (!response.ok) throw new Error(`GET /store answered ${response.status}`);
  const { emails } = (await response.json()) as { emails: StoredEmail[] };
  return emails;
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
