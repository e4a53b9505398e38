import * as library from 'aws-local-stepfunctions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  captureLibraryTimer,
  executionFailure,
  type LibraryEvent,
  type LibraryRun,
  libraryEnteringAt,
  libraryMachine,
  type LibraryTimer,
  localHandler,
  startLibraryRun,
} from '../../../local/stepfunctions/bridge.ts';
import { type AslObject, LIBRARY_TIMER_SECONDS } from '../../../local/stepfunctions/definition.ts';
import { TaskError } from '../../../local/stepfunctions/errors.ts';

/**
 * What local/stepfunctions/bridge.ts relies on in aws-local-stepfunctions (pinned in
 * package.json). Each test names one behaviour of the library the engine depends on: after an
 * upgrade, the test that fails says what the bridge must change.
 */

const CONTEXT = { Execution: { Id: 'exec-arn', Name: 'exec' }, Task: { Token: 'placeholder-token' } };

const runs: LibraryRun[] = [];
afterEach(() => {
  for (const run of runs.splice(0)) run.abort();
  vi.restoreAllMocks();
});

function start(
  definition: AslObject,
  handlers: Record<string, (input: unknown, timer: LibraryTimer) => Promise<unknown>>,
  input: unknown = {},
  context: AslObject = CONTEXT,
) {
  const local = Object.fromEntries(Object.entries(handlers).map(([name, fn]) => [name, localHandler(fn)]));
  const run = startLibraryRun(libraryMachine(definition), input, local, context);
  runs.push(run);
  return run;
}

async function eventsOf(run: LibraryRun): Promise<LibraryEvent[]> {
  const events: LibraryEvent[] = [];
  for await (const event of run.eventLogs) events.push(event);
  return events;
}

/** Resolves with the timer the library armed once the handler has been called. */
function timerProbe() {
  let found!: (timer: LibraryTimer) => void;
  const captured = new Promise<LibraryTimer>((resolve) => (found = resolve));
  const handler = async (_input: unknown, timer: LibraryTimer) => {
    await Promise.resolve(); // the library arms its timer synchronously after the handler returns
    found(timer);
    return new Promise<never>(() => {});
  };
  return { captured, handler };
}

const task = (extra: AslObject = {}): AslObject => ({
  Type: 'Task',
  Resource: 'arn:aws:lambda:cn-north-1:000000000000:function:x',
  ...extra,
});

describe('aws-local-stepfunctions, as the bridge uses it', () => {
  it('exports StateMachine and ExecutionError', () => {
    expect(typeof library.StateMachine).toBe('function');
    expect(typeof library.ExecutionError).toBe('function');
  });

  it('calls Promise.withResolvers in every Task state (Node 20 lacks it: polyfill.ts provides it)', async () => {
    expect(typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers).toBe('function');
    const spy = vi.spyOn(Promise as unknown as { withResolvers: () => unknown }, 'withResolvers');
    const run = start({ StartAt: 'T', States: { T: task({ End: true }) } }, { T: async () => 'ok' });
    await expect(run.result).resolves.toBe('ok');
    expect(spy).toHaveBeenCalled();
  });

  it('skips its own validation with validationOptions.noValidate', async () => {
    // The engine validates with asl-validator itself, then runs its rewrite of the definition
    // (not strict ASL: its own Resource for Wait states, Retry intervals of 0, wrapped Parameters).
    const definition = {
      StartAt: 'T',
      States: { T: task({ Resource: 'arn:aws:states:::local:wait', NotAsl: 1, End: true }) },
    };
    expect(() => new library.StateMachine(definition as never)).toThrow(/invalid/);
    const run = start(definition, { T: async () => 42 });
    await expect(run.result).resolves.toBe(42);
  });

  it('calls taskResourceLocalHandlers by state name, with the Parameters output and the given context', async () => {
    const seen: unknown[] = [];
    const run = start(
      {
        StartAt: 'T',
        States: {
          T: task({
            Parameters: {
              'n.$': '$.n',
              'token.$': '$$.Task.Token',
              'id.$': '$$.Execution.Id',
              'custom.$': '$$.Custom.Input',
            },
            End: true,
          }),
        },
      },
      { T: async (input) => (seen.push(input), 'done') },
      { n: 7 },
      { ...CONTEXT, Custom: { Input: 'kept' } },
    );
    await expect(run.result).resolves.toBe('done');
    expect(seen).toEqual([{ n: 7, token: 'placeholder-token', id: 'exec-arn', custom: 'kept' }]);
  });

  it('arms setTimeout(callback, TimeoutSeconds × 1000) on the global, synchronously after the handler returns', async () => {
    const original = globalThis.setTimeout;
    const probe = timerProbe();
    const run = start(
      { StartAt: 'T', States: { T: task({ TimeoutSeconds: LIBRARY_TIMER_SECONDS, End: true }) } },
      { T: probe.handler },
    );
    const timer = await probe.captured;
    expect(typeof timer.fire).toBe('function');
    expect(globalThis.setTimeout).toBe(original); // put back once captured
    run.abort();
    await expect(run.result).resolves.toBeNull();
  });

  it("lets every other setTimeout call through while it waits for the library's", () => {
    const seen: number[] = [];
    const original = globalThis.setTimeout;
    const handle = captureLibraryTimer();
    const ours = setTimeout(() => {}, 5);
    clearTimeout(ours);
    const theirs = globalThis.setTimeout(() => seen.push(1), LIBRARY_TIMER_SECONDS * 1000);
    expect(typeof handle.fire).toBe('function');
    expect(globalThis.setTimeout).toBe(original);
    handle.fire?.();
    expect(seen).toEqual([1]);
    clearTimeout(theirs);
  });

  it('rejects a Task with its own States.Timeout when that timer fires, which States.TaskFailed does not catch', async () => {
    const definition = (errors: string[]) => ({
      StartAt: 'T',
      States: {
        T: task({ TimeoutSeconds: LIBRARY_TIMER_SECONDS, Catch: [{ ErrorEquals: errors, Next: 'Caught' }], End: true }),
        Caught: { Type: 'Pass', Result: 'caught', End: true },
      },
    });
    const uncaught = timerProbe();
    const run = start(definition(['States.TaskFailed']), { T: uncaught.handler });
    (await uncaught.captured).fire?.();
    const error = await run.result.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(library.ExecutionError);
    expect(executionFailure(error)).toEqual({ name: 'States.Timeout', cause: 'States.Timeout' });

    const caught = timerProbe();
    const again = start(definition(['States.Timeout']), { T: caught.handler });
    (await caught.captured).fire?.();
    await expect(again.result).resolves.toBe('caught');
  });

  it('matches Retry and Catch on a thrown error by its name, and fails the run with an ExecutionError around it', async () => {
    const attempts: number[] = [];
    const caught = start(
      {
        StartAt: 'T',
        States: {
          T: task({
            // IntervalSeconds 0 (not ASL; the engine's retry.intervalScale 0 gives it) retries at once.
            Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 0, MaxAttempts: 1 }],
            Catch: [{ ErrorEquals: ['Cancelled'], Next: 'Caught' }],
            End: true,
          }),
          Caught: { Type: 'Pass', Result: 'caught', End: true },
        },
      },
      {
        T: async () => {
          attempts.push(attempts.length);
          throw new TaskError(attempts.length === 1 ? 'Flaky' : 'Cancelled', 'no');
        },
      },
    );
    await expect(caught.result).resolves.toBe('caught');
    expect(attempts).toHaveLength(2);

    const failed = start(
      { StartAt: 'T', States: { T: task({ End: true }) } },
      {
        T: async () => {
          throw new TaskError('Lambda.Unknown', 'the cause');
        },
      },
    );
    const error = await failed.result.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(executionFailure(error)).toEqual({ name: 'Lambda.Unknown', cause: 'the cause' });
  });

  it('resolves an aborted run with null (noThrowOnAbort) and ends its event log', async () => {
    const probe = timerProbe();
    const run = start({ StartAt: 'T', States: { T: task({ End: true }) } }, { T: probe.handler });
    await probe.captured;
    run.abort();
    await expect(run.result).resolves.toBeNull();
    const types = (await eventsOf(run)).map((e) => e.type);
    expect(types).toContain('ExecutionAborted');
  });

  it('logs StateEntered/StateExited with name, type, input and output, and StateCaught with the catcher', async () => {
    const run = start(
      {
        StartAt: 'T',
        States: {
          T: task({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'After' }], Next: 'After' }),
          After: { Type: 'Pass', End: true },
        },
      },
      {
        T: async () => {
          throw new TaskError('Boom', 'x');
        },
      },
      { a: 1 },
    );
    await run.result;
    const events = await eventsOf(run);
    const entered = events.find((e) => e.type === 'StateEntered' && e.state?.name === 'T');
    expect(entered?.state).toMatchObject({ name: 'T', type: 'Task', input: { a: 1 } });
    const caughtEvent = events.find((e) => e.type === 'StateCaught');
    expect(caughtEvent?.state?.name).toBe('T');
    expect(caughtEvent?.catch?.catcher?.Next).toBe('After');
    const exited = events.find((e) => e.type === 'StateExited' && e.state?.name === 'After');
    expect(exited?.state).toMatchObject({ name: 'After', type: 'Pass' });
    expect(exited?.state).toHaveProperty('output');
  });

  it('logs MapIteration events with the Map state as parentState and the index', async () => {
    const run = start(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: '$.items',
            Iterator: { StartAt: 'Each', States: { Each: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      },
      {},
      { items: ['a', 'b'] },
    );
    await expect(run.result).resolves.toEqual(['a', 'b']);
    const iterations = (await eventsOf(run)).filter((e) => e.type === 'MapIterationStarted');
    expect(iterations.map((e) => [e.parentState?.name, e.index])).toEqual([
      ['M', 0],
      ['M', 1],
    ]);
  });

  it('enters a definition at any state through the hidden entry Pass state, with the input from the context', async () => {
    const definition: AslObject = {
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Result: 'first', Next: 'Second' },
        Second: { Type: 'Pass', End: true },
      },
    };
    const entry = 'localRedriveContract';
    const cache = new Map<string, library.StateMachine>();
    const machine = libraryEnteringAt(cache, definition, entry, 'Second');
    expect(libraryEnteringAt(cache, definition, entry, 'Second')).toBe(machine);
    const run = startLibraryRun(
      machine,
      { ignored: true },
      {},
      { ...CONTEXT, [entry]: { Input: { resumed: 'here' } } },
    );
    runs.push(run);
    await expect(run.result).resolves.toEqual({ resumed: 'here' });
    const entered = (await eventsOf(run)).filter((e) => e.type === 'StateEntered').map((e) => e.state?.name);
    expect(entered).toEqual([entry, 'Second']);
  });
});
