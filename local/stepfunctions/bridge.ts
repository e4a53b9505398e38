// The polyfill must load before aws-local-stepfunctions (Promise.withResolvers, Node 20).
import './polyfill.ts';
import { ExecutionError, type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { type AslObject, LIBRARY_TIMER_SECONDS } from './definition.ts';

/**
 * Everything the engine asks of aws-local-stepfunctions, in one place: building its
 * `StateMachine`s, starting a run with the engine's handlers and context, reading its event log,
 * naming its failures, and capturing its Task timer. The rest of the engine never imports the
 * library; test/unit/local/stepfunctions-library-contract.test.ts pins what this module relies on.
 */

/** The library's Task timer, captured so the engine can fire it (a genuine States.Timeout). */
export interface LibraryTimer {
  fire?: () => void;
}

/** One entry of a run's `eventLogs`, as far as the engine reads it. */
export interface LibraryEvent {
  type: string;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  parentState?: { name: string };
  index?: number;
  /** StateCaught: the Catch that matched. */
  catch?: { catcher?: { Next?: unknown } };
}

export type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
export type LocalHandler = LocalHandlers[string];
export type LibraryContext = NonNullable<RunOptions['context']>;

export interface LibraryRun {
  abort: () => void;
  eventLogs: AsyncIterable<LibraryEvent>;
  result: Promise<unknown>;
}

type RunInput = Parameters<StateMachine['run']>[0];

/** A library state machine, prepared once and run many times. */
export type LibraryMachine = StateMachine;

/** The runnable definition as a library state machine (never validated by the library: it is no longer strict ASL). */
export function libraryMachine(runnable: AslObject): StateMachine {
  return new StateMachine(runnable as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
}

/**
 * The runnable definition entered at `stateName` through a hidden Pass state named `entry`,
 * which hands that state the input found in the context under `entry` (redrive and resume).
 * Cached in `cache` by state name.
 */
export function libraryEnteringAt(
  cache: Map<string, StateMachine>,
  runnable: AslObject,
  entry: string,
  stateName: string,
): StateMachine {
  const cached = cache.get(stateName);
  if (cached) return cached;
  const definition: AslObject = {
    ...runnable,
    StartAt: entry,
    States: {
      ...(runnable.States as AslObject),
      [entry]: {
        Type: 'Pass',
        Parameters: { 'input.$': `$$.${entry}.Input` },
        OutputPath: '$.input',
        Next: stateName,
      },
    },
  };
  const library = libraryMachine(definition);
  cache.set(stateName, library);
  return library;
}

/** Starts a run: aborting it resolves its result with null (no throw); its event log is read by the engine. */
export function startLibraryRun(
  library: StateMachine,
  input: unknown,
  handlers: LocalHandlers,
  context: LibraryContext,
): LibraryRun {
  const run = library.run(input as RunInput, {
    noThrowOnAbort: true,
    overrides: { taskResourceLocalHandlers: handlers },
    context,
  });
  return { abort: run.abort, eventLogs: run.eventLogs as AsyncIterable<LibraryEvent>, result: run.result };
}

/** What failed a run, as ExecutionFailed reports it: the library wraps the state's error in an ExecutionError. */
export function executionFailure(error: unknown): { name: string; cause: string } {
  const inner = error instanceof ExecutionError ? error.cause : error;
  if (inner instanceof Error) return { name: inner.name, cause: inner.message };
  return { name: 'States.Runtime', cause: String(inner) };
}

// ── The Task timer ────────────────────────────────────────────────────────────────────────────
//
// Why the global setTimeout is swapped, briefly, here and nowhere else: after calling a Task's
// local handler, the library arms `setTimeout(() => reject(new StatesTimeoutError()), ms)` with
// the bare global, and it takes no timer or clock option (aws-local-stepfunctions 3.0.0: only
// handler, Wait and Retry-interval overrides). The engine needs that rejection, fired by its own
// clock: the library's StatesTimeoutError is not exported, and only an instance of it keeps
// `States.TaskFailed` in Retry and Catch from matching a timeout (as in AWS). So for the one
// synchronous call right after the handler returns, setTimeout is swapped for an interceptor
// that keeps the callback instead of arming it.

/** The global setTimeout, writable (the library looks it up on each call). */
const timerGlobal = globalThis as unknown as { setTimeout: unknown };

let capturing = false;
const FAKE_TIMER = Object.freeze({}) as unknown as NodeJS.Timeout;

/**
 * Call synchronously at the start of a local handler. The library's following
 * setTimeout(callback, LIBRARY_TIMER_SECONDS × 1000), the TimeoutSeconds the definition gives it,
 * is handed to the engine as `fire` instead of being armed. Any other setTimeout call goes
 * through; the original is back before the next microtask in every case.
 */
export function captureLibraryTimer(): LibraryTimer {
  const handle: LibraryTimer = {};
  if (capturing) return handle;
  const original = globalThis.setTimeout;
  const expectedMs = LIBRARY_TIMER_SECONDS * 1000;
  const restore = () => {
    if (timerGlobal.setTimeout === interceptor) timerGlobal.setTimeout = original;
    capturing = false;
  };
  const interceptor = Object.assign(function (this: unknown, callback: unknown, ms?: unknown, ...args: unknown[]) {
    if (ms === expectedMs && typeof callback === 'function') {
      restore();
      handle.fire = () => (callback as (...a: unknown[]) => void)(...args);
      return FAKE_TIMER;
    }
    return (original as (...a: unknown[]) => unknown)(callback, ms, ...args);
  }, original);
  capturing = true;
  timerGlobal.setTimeout = interceptor;
  queueMicrotask(restore);
  return handle;
}

/** Wraps an engine handler as the library's local handler, capturing the Task timer it arms on return. */
export function localHandler(run: (input: unknown, timer: LibraryTimer) => Promise<unknown>): LocalHandler {
  // Must stay synchronous up to the capture: the library arms its timer right after this returns.
  return (input) => {
    const timer = captureLibraryTimer();
    return run(input, timer) as ReturnType<LocalHandler>;
  };
}
