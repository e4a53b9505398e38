import { createHash } from 'node:crypto';
import type { LibraryEvent } from './bridge.ts';
import { isObject } from './definition.ts';
import { appendLine } from './journal.ts';
import type { ExecutionRecord, JournalRecord, Runtime } from './records.ts';
import type { ExecutionStatus, HistoryEvent } from './types.ts';

/**
 * An execution's history and the journal lines that keep it: the one write path for both
 * (`record`, `journal`, `batch`), the library's event log turned into AWS's history events, and
 * the execution's position (its last top-level state) that redrive and resume start from.
 * Reading journals back is replay.ts.
 */

/** Records a history event (dropped once the end is decided, but for the final one) and journals it. */
export function record(
  rt: Runtime,
  exec: ExecutionRecord,
  type: string,
  details: Record<string, unknown> = {},
  final = false,
): void {
  if (exec.ending && !final) return;
  const id = exec.events.length + 1;
  const event: HistoryEvent = { timestamp: new Date(rt.timers.now()), type, id, previousEventId: id - 1, ...details };
  exec.events.push(event);
  journal(rt, exec, { t: 'event', event });
}

/** Appends to the execution's journal (see journal.ts for why this is crash-safe), or to the open batch. */
export function journal(rt: Runtime, exec: ExecutionRecord, entry: JournalRecord): void {
  if (rt.journalDir === undefined || exec.file === undefined) return;
  if (exec.batch) exec.batch.push(entry);
  else appendLine(exec.file, entry);
}

/**
 * Runs `fn` (synchronous bookkeeping, no side effects outside the engine) and journals what it
 * recorded as ONE line: a change that takes several records (a task attempt and its Scheduled
 * and Started events; an outcome and its event; a state's position and its StateEntered) is
 * then on disk whole or not at all, whatever instant the process dies.
 */
export function batch<T>(rt: Runtime, exec: ExecutionRecord, fn: () => T): T {
  if (exec.batch) return fn();
  const records: JournalRecord[] = [];
  exec.batch = records;
  try {
    return fn();
  } finally {
    exec.batch = undefined;
    if (records.length > 0 && rt.journalDir !== undefined && exec.file !== undefined) {
      appendLine(exec.file, records.length === 1 ? records[0] : records);
    }
  }
}

/** `<name>-<hash of the ARN>.jsonl`: readable, and unique whatever the name holds. */
export function journalFileName(arn: string, name: string): string {
  const slug = name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60);
  return `${slug}-${createHash('sha256').update(arn).digest('hex').slice(0, 16)}.jsonl`;
}

/** One entry of the library's event log: where the run is and its history event, in one journal line. */
export function onLibraryEvent(rt: Runtime, exec: ExecutionRecord, event: LibraryEvent): void {
  batch(rt, exec, () => historyOf(rt, exec, event));
}

function historyOf(rt: Runtime, exec: ExecutionRecord, event: LibraryEvent): void {
  const state = event.state;
  if (state?.name === rt.redriveEntry) return;
  const resume = exec.resume;
  if (resume?.reentry && state?.name === resume.stateName) {
    // A resumed run re-enters the state it was in: that entry (and a Choice's exit) is in the history already.
    if (!resume.entered && event.type === 'StateEntered') {
      resume.entered = true;
      return;
    }
    if (resume.decided && !resume.exited && event.type === 'StateExited') {
      resume.exited = true;
      return;
    }
  }
  track(rt, exec, event);
  switch (event.type) {
    case 'StateEntered':
    case 'StateExited': {
      if (!state) return;
      const type = exec.machine.prepared.stateTypes.get(state.name) ?? state.type;
      if (event.type === 'StateEntered') {
        record(rt, exec, `${type}StateEntered`, {
          stateEnteredEventDetails: {
            name: state.name,
            input: JSON.stringify(state.input ?? null),
            inputDetails: { truncated: false },
          },
        });
      } else {
        record(rt, exec, `${type}StateExited`, {
          stateExitedEventDetails: {
            name: state.name,
            output: JSON.stringify(state.output ?? null),
            outputDetails: { truncated: false },
          },
        });
      }
      return;
    }
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      record(rt, exec, event.type, {
        [`${event.type[0]?.toLowerCase()}${event.type.slice(1)}EventDetails`]: {
          name: event.parentState?.name,
          index: event.index,
        },
      });
      return;
    default:
      // ExecutionStarted/Succeeded/Failed/Aborted are recorded by the engine itself;
      // StateFailed/Retried/Caught and Parallel branch events have no AWS counterpart.
      return;
  }
}

/**
 * Follows the run's top-level states, for RedriveExecution: also events that arrive once the
 * end is decided (the history drops those), since they tell what the library really did.
 */
function track(rt: Runtime, exec: ExecutionRecord, event: LibraryEvent): void {
  const state = event.state;
  const states = exec.machine.prepared.runnable.States;
  if (!state || !isObject(states) || !Object.hasOwn(states, state.name)) return;
  if (event.type === 'StateEntered') {
    exec.position = { stateName: state.name, input: JSON.stringify(state.input ?? null) };
    journal(rt, exec, { t: 'position', position: exec.position });
    return;
  }
  const position = exec.position;
  if (position?.stateName !== state.name) return;
  if (event.type === 'StateExited') position.output = JSON.stringify(state.output ?? null);
  else if (event.type === 'StateCaught' && typeof event.catch?.catcher?.Next === 'string') {
    position.caughtNext = event.catch.catcher.Next;
  } else return;
  journal(rt, exec, { t: 'position', position });
}

/**
 * Applies an Execution* event read from a journal to the execution's status (what end() and
 * a redrive did when it was recorded).
 */
export function applyEvent(exec: ExecutionRecord, event: HistoryEvent): 'ended' | 'redriven' | undefined {
  const details = (key: string) =>
    (isObject(event[key]) ? event[key] : {}) as {
      output?: unknown;
      error?: unknown;
      cause?: unknown;
      redriveCount?: unknown;
    };
  const ended = (status: ExecutionStatus, key: string): 'ended' => {
    const { output, error, cause } = details(key);
    exec.status = status;
    exec.stopDate = event.timestamp;
    if (typeof output === 'string') exec.output = output;
    if (typeof error === 'string') exec.error = error;
    if (typeof cause === 'string') exec.cause = cause;
    return 'ended';
  };
  switch (event.type) {
    case 'ExecutionSucceeded':
      return ended('SUCCEEDED', 'executionSucceededEventDetails');
    case 'ExecutionFailed':
      return ended('FAILED', 'executionFailedEventDetails');
    case 'ExecutionAborted':
      return ended('ABORTED', 'executionAbortedEventDetails');
    case 'ExecutionTimedOut':
      return ended('TIMED_OUT', 'executionTimedOutEventDetails');
    case 'ExecutionRedriven': {
      const { redriveCount } = details('executionRedrivenEventDetails');
      exec.status = 'RUNNING';
      exec.redriveCount = typeof redriveCount === 'number' ? redriveCount : exec.redriveCount + 1;
      exec.redriveDate = event.timestamp;
      exec.stopDate = exec.output = exec.error = exec.cause = undefined;
      return 'redriven';
    }
    default:
      return undefined;
  }
}

/** When the state was last entered, by the history (engine clock). */
export function enteredAt(events: HistoryEvent[], stateName: string): number | undefined {
  const entry = events.findLast(
    (e) =>
      e.type.endsWith('StateEntered') &&
      (e.stateEnteredEventDetails as { name?: unknown } | undefined)?.name === stateName,
  );
  return entry?.timestamp.getTime();
}

/** GetExecutionHistory with includeExecutionData false: the event without its input and output. */
export function withoutData(event: HistoryEvent): HistoryEvent {
  const copy: HistoryEvent = { ...event };
  for (const [key, value] of Object.entries(copy)) {
    if (!key.endsWith('EventDetails') || !isObject(value)) continue;
    const { input: _input, output: _output, ...rest } = value;
    copy[key] = rest;
  }
  return copy;
}
