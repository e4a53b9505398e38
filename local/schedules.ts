/**
 * EventBridge schedules, locally: each SCHEDULED_FUNCTIONS entry's handler runs every
 * `everyMinutes` (divided by the local clock's speedup, never more often than MIN_INTERVAL_MS),
 * with a Scheduled Event and a Lambda context, as AWS invokes it. One run of a function at a
 * time: the next is timed from the end of the last. A failing run is logged, never thrown; the
 * next one comes as usual.
 */
import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { SCHEDULED_FUNCTIONS } from '../shared/platform/functions.ts';
import { invokeWithTimeout, loadHandlerModule, makeLambdaContext } from './lambda.ts';
import type { Log } from './log.ts';

/** Runs closer together than this would only hammer the stand-ins. */
export const MIN_INTERVAL_MS = 5_000;
/** Lambda's longest timeout. */
const TIMEOUT_MS = 15 * 60_000;

export interface ScheduledFunction {
  entry: string;
  everyMinutes: number;
}

export type ScheduledInvoker = (name: string, event: ScheduledEvent, context: Context) => Promise<unknown>;

export interface LocalSchedulesOptions {
  region: string;
  log: Log;
  /** Default: SCHEDULED_FUNCTIONS from shared/platform/http/routes.ts. */
  functions?: Readonly<Record<string, ScheduledFunction>>;
  /** One interval for every function (tests, demos), instead of `everyMinutes`. */
  everyMs?: number;
  /** The local clock's speedup (npm start --speedup): schedules run this many times as often. */
  speedup?: number;
  /** Default: import the function's module once and call its handler. */
  invoke?: ScheduledInvoker;
}

export interface LocalSchedules {
  /** Milliseconds between the end of one run of `name` and the start of the next. */
  intervalMs(name: string): number;
  /** Runs `name` now (or waits for the run under way) and resolves with its result. */
  runNow(name: string): Promise<unknown>;
  /** Stops the timers and waits for runs under way. Idempotent. */
  stop(): Promise<void>;
}

export function startLocalSchedules(options: LocalSchedulesOptions): LocalSchedules {
  const functions: Readonly<Record<string, ScheduledFunction>> = options.functions ?? SCHEDULED_FUNCTIONS;
  const speedup = options.speedup ?? 1;
  const invoke: ScheduledInvoker =
    options.invoke ??
    (async (name, event, context) => {
      const spec = functions[name];
      if (!spec) throw new Error(`no scheduled function ${name}`);
      return invokeWithTimeout(await loadHandlerModule(spec.entry), event, context, TIMEOUT_MS);
    });
  const timers = new Map<string, NodeJS.Timeout>();
  /** Per function, the run under way: its result, and the same settled (for stop()). */
  const running = new Map<string, { result: Promise<unknown>; settled: Promise<void> }>();
  let stopped = false;

  const intervalMs = (name: string) => {
    const spec = functions[name];
    if (!spec) throw new Error(`no scheduled function ${name}`);
    return Math.max(MIN_INTERVAL_MS, options.everyMs ?? (spec.everyMinutes * 60_000) / speedup);
  };

  const run = (name: string): Promise<unknown> => {
    const under = running.get(name);
    if (under) return under.result;
    const time = new Date();
    const event: ScheduledEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '000000000000',
      time: time.toISOString(),
      region: options.region,
      resources: [`arn:aws:scheduler:${options.region}:000000000000:schedule/default/local-${name}`],
      detail: {},
    };
    const context = makeLambdaContext({ functionName: `local-${name}`, region: options.region, timeoutMs: TIMEOUT_MS });
    const started = Date.now();
    const result = invoke(name, event, context).then(
      (value) => {
        // A run that did nothing says nothing: at a high --speedup runs come every few seconds.
        if (didSomething(value)) options.log.info(`${name}: ran in ${Date.now() - started} ms${summarize(value)}`);
        return value;
      },
      (error: unknown) => {
        options.log.error(`${name}: the scheduled run failed`, error);
        throw error;
      },
    );
    const settled = result
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        running.delete(name);
        arm(name);
      });
    running.set(name, { result, settled });
    return result;
  };

  const arm = (name: string) => {
    if (stopped) return;
    clearTimeout(timers.get(name));
    const timer = setTimeout(() => {
      timers.delete(name);
      run(name).catch(() => undefined);
    }, intervalMs(name));
    timer.unref();
    timers.set(name, timer);
  };

  for (const name of Object.keys(functions)) arm(name);
  const every = Object.keys(functions).map((name) => `${name} every ${Math.round(intervalMs(name) / 1000)} s`);
  options.log.info(`schedules: ${every.join(', ') || 'none'}`);

  let stopping: Promise<void> | undefined;
  return {
    intervalMs,
    runNow: (name) => {
      if (!functions[name]) return Promise.reject(new Error(`no scheduled function ${name}`));
      return run(name);
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        for (const timer of timers.values()) clearTimeout(timer);
        timers.clear();
        await Promise.all([...running.values()].map((under) => under.settled));
      })();
      return stopping;
    },
  };
}

/** A short line from a handler's result (the sweeper's counts), if it has any. */
/** Whether a run's summary counts anything (any numeric field above zero). */
function didSomething(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.values(value).some((v) => typeof v === 'number' && v > 0);
}

function summarize(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  const counts = Object.entries(value).filter(([, v]) => typeof v === 'number');
  return counts.length ? `: ${counts.map(([k, v]) => `${k} ${String(v)}`).join(', ')}` : '';
}
