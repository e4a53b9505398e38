import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { executionFailure, libraryEnteringAt, startLibraryRun } from './bridge.ts';
import { settle } from './clock.ts';
import { ExecutionClosedError, SfnError } from './errors.ts';
import { batch, journal, journalFileName, onLibraryEvent, record, withoutData } from './history.ts';
import { assertName, machineOf, paginate } from './machines.ts';
import { deferred, type ExecutionRecord, freshExecution, type ResumePoint, type Runtime } from './records.ts';
import { redrivability } from './resume-point.ts';
import { localHandlers } from './states.ts';
import type {
  ExecutionDescription,
  ExecutionListItem,
  ExecutionRedriveFilter,
  ExecutionStatus,
  GetExecutionHistoryInput,
  HistoryEvent,
  ListExecutionsInput,
  StartExecutionInput,
} from './types.ts';

/**
 * Executions: starting one, each run of it (the first, a redrive's, a resume's) on the library,
 * its end (succeeded, failed, stopped, timed out), and what DescribeExecution, ListExecutions and
 * GetExecutionHistory answer about it.
 */

const MAX_INPUT_BYTES = 256 * 1024;
const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];
const REDRIVE_FILTERS: readonly ExecutionRedriveFilter[] = ['REDRIVEN', 'NOT_REDRIVEN'];

/**
 * Starts an execution. As in AWS (Standard workflows), a name is unique per state machine:
 * starting again with the name and input of a RUNNING execution returns that execution;
 * anything else under a used name is ExecutionAlreadyExists.
 */
export function startExecution(rt: Runtime, input: StartExecutionInput): { executionArn: string; startDate: Date } {
  const machine = machineOf(rt, input.stateMachineArn);
  const name = input.name ?? randomUUID();
  assertName(name, 'execution');
  const inputText = input.input ?? '{}';
  let value: unknown;
  try {
    if (Buffer.byteLength(inputText) > MAX_INPUT_BYTES) throw new Error('larger than 256 KiB');
    value = JSON.parse(inputText);
  } catch (error) {
    throw new SfnError('InvalidExecutionInput', `Invalid State Machine Execution Input: ${(error as Error).message}`);
  }
  const arn = `arn:${rt.partition}:states:${rt.region}:${rt.accountId}:execution:${machine.name}:${name}`;
  const existing = machine.executions.get(name);
  if (existing) {
    if (existing.status === 'RUNNING' && existing.input === inputText) {
      return { executionArn: existing.arn, startDate: existing.startDate };
    }
    throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
  }

  const exec = freshExecution(machine, { arn, name, input: inputText, startDate: new Date(rt.timers.now()) });
  machine.executions.set(name, exec);
  rt.executions.set(arn, exec);
  if (rt.journalDir !== undefined) exec.file = join(rt.journalDir, journalFileName(arn, name));
  batch(rt, exec, () => {
    journal(rt, exec, {
      t: 'start',
      arn,
      machine: machine.name,
      name,
      input: inputText,
      startDate: exec.startDate.toISOString(),
    });
    record(rt, exec, 'ExecutionStarted', {
      executionStartedEventDetails: { input: inputText, inputDetails: { truncated: false }, roleArn: machine.roleArn },
    });
  });
  run(rt, exec, value);
  rt.log.info(`started ${machine.name}/${name}`);
  return { executionArn: arn, startDate: exec.startDate };
}

/**
 * One run of an execution: from the start (`from` undefined) or, for a redrive or a resume,
 * entering the definition at `from.stateName` with `from.input`. The library's run, its
 * history, the execution timeout (counted from `since`, engine clock, default now), the end.
 */
export function run(
  rt: Runtime,
  exec: ExecutionRecord,
  executionInput: unknown,
  from?: ResumePoint,
  since?: number,
): void {
  const generation = beginRun(exec);
  const machine = exec.machine;
  const library = from
    ? libraryEnteringAt(machine.redriveLibraries, machine.prepared.runnable, rt.redriveEntry, from.stateName)
    : machine.library;
  const libraryRun = startLibraryRun(library, executionInput, localHandlers(rt, exec, generation), {
    Execution: {
      Id: exec.arn,
      Name: exec.name,
      RoleArn: machine.roleArn,
      StartTime: exec.startDate.toISOString(),
      RedriveCount: exec.redriveCount,
      ...(exec.redriveDate ? { RedriveTime: exec.redriveDate.toISOString() } : {}),
    },
    StateMachine: { Id: machine.arn, Name: machine.name },
    Task: { Token: rt.tokenPlaceholder },
    ...(from ? { [rt.redriveEntry]: { Input: JSON.parse(from.input) as unknown } } : {}),
  });
  exec.abortLibrary = libraryRun.abort;
  const consumed = (async () => {
    for await (const event of libraryRun.eventLogs) onLibraryEvent(rt, exec, event);
  })().catch((error: unknown) => rt.log.error(`history of ${exec.name}:`, error));
  exec.consumed = consumed;
  const current = () => exec.generation === generation && !exec.ending;
  armExecutionTimeout(rt, exec, since, current);
  libraryRun.result.then(
    async (output) => {
      await consumed;
      if (!current()) return;
      const text = JSON.stringify(output ?? null);
      end(rt, exec, 'SUCCEEDED', { output: text }, 'ExecutionSucceeded', {
        executionSucceededEventDetails: { output: text, outputDetails: { truncated: false } },
      });
    },
    async (error: unknown) => {
      await consumed;
      if (!current()) return;
      const { name: errorName, cause } = executionFailure(error);
      end(rt, exec, 'FAILED', { error: errorName, cause }, 'ExecutionFailed', {
        executionFailedEventDetails: { error: errorName, cause },
      });
    },
  );
}

/** Renews everything of the execution that belongs to one run; returns the run's generation. */
function beginRun(exec: ExecutionRecord): number {
  exec.generation += 1;
  exec.ending = false;
  exec.resume = undefined;
  exec.aborter = new AbortController();
  const { promise: done, resolve: markDone } = deferred<void>();
  exec.done = done;
  exec.markDone = () => markDone();
  return exec.generation;
}

/** The definition's TimeoutSeconds, counted from `since` (engine clock, default now). */
function armExecutionTimeout(
  rt: Runtime,
  exec: ExecutionRecord,
  since: number | undefined,
  current: () => boolean,
): void {
  const timeoutSeconds = exec.machine.prepared.executionTimeoutSeconds;
  if (timeoutSeconds === undefined) return;
  const elapsed = since === undefined ? 0 : rt.timers.now() - since;
  rt.timers.sleep((timeoutSeconds * 1000) / rt.speedup - elapsed, exec.aborter.signal).then(
    () => {
      if (!current()) return;
      void terminate(rt, exec, 'TIMED_OUT', 'States.Timeout', `execution exceeded TimeoutSeconds (${timeoutSeconds})`);
    },
    () => {},
  );
}

/** Stops a RUNNING execution (ABORTED); on an ended one it changes nothing. */
export async function stopExecution(
  rt: Runtime,
  exec: ExecutionRecord,
  error: string | undefined,
  cause: string | undefined,
): Promise<{ stopDate: Date }> {
  // Lets history the library has queued (a state just entered) land before ExecutionAborted.
  if (!exec.ending) await settle(1);
  if (!exec.ending) await terminate(rt, exec, 'ABORTED', error, cause);
  await exec.done;
  return { stopDate: exec.stopDate ?? new Date(rt.timers.now()) };
}

/** Stops an execution from outside (StopExecution, execution timeout, close). */
export async function terminate(
  rt: Runtime,
  exec: ExecutionRecord,
  status: 'ABORTED' | 'TIMED_OUT',
  error: string | undefined,
  cause: string | undefined,
): Promise<void> {
  if (exec.ending) return;
  exec.ending = true;
  exec.aborter.abort(new ExecutionClosedError());
  exec.abortLibrary();
  const type = status === 'ABORTED' ? 'ExecutionAborted' : 'ExecutionTimedOut';
  const details = {
    [status === 'ABORTED' ? 'executionAbortedEventDetails' : 'executionTimedOutEventDetails']: {
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    },
  };
  end(rt, exec, status, { error, cause }, type, details);
}

/** Ends a RUNNING execution with its last history event, and tells the listeners. */
export function end(
  rt: Runtime,
  exec: ExecutionRecord,
  status: ExecutionStatus,
  fields: { output?: string; error?: string; cause?: string },
  eventType: string,
  details: Record<string, unknown>,
): void {
  if (exec.status !== 'RUNNING') return;
  exec.ending = true;
  record(rt, exec, eventType, details, true);
  exec.status = status;
  exec.stopDate = new Date(rt.timers.now());
  if (fields.output !== undefined) exec.output = fields.output;
  if (fields.error !== undefined) exec.error = fields.error;
  if (fields.cause !== undefined) exec.cause = fields.cause;
  exec.aborter.abort(new ExecutionClosedError());
  exec.markDone();
  rt.log.info(`${exec.machine.name}/${exec.name}: ${status}${fields.error ? ` (${fields.error})` : ''}`);
  rt.emit('executionEnded', describe(rt, exec));
}

export function describe(rt: Runtime, exec: ExecutionRecord): ExecutionDescription {
  const verdict: { from: ResumePoint } | { reason: string } = exec.redriving
    ? { reason: 'Execution is RUNNING and cannot be redriven' }
    : redrivability(rt, exec);
  return {
    ...listItem(exec),
    input: exec.input,
    inputDetails: { included: true },
    ...(exec.status === 'SUCCEEDED' && exec.output !== undefined
      ? { output: exec.output, outputDetails: { included: true as const } }
      : {}),
    ...(exec.error !== undefined ? { error: exec.error } : {}),
    ...(exec.cause !== undefined ? { cause: exec.cause } : {}),
    ...('from' in verdict
      ? { redriveStatus: 'REDRIVABLE' as const }
      : { redriveStatus: 'NOT_REDRIVABLE' as const, redriveStatusReason: verdict.reason }),
  };
}

export function listExecutions(
  rt: Runtime,
  input: ListExecutionsInput,
): { executions: ExecutionListItem[]; nextToken?: string } {
  const machine = machineOf(rt, input.stateMachineArn);
  if (input.statusFilter !== undefined && !STATUSES.includes(input.statusFilter)) {
    throw new SfnError('ValidationException', `statusFilter must be one of ${STATUSES.join(', ')}`);
  }
  if (input.redriveFilter !== undefined && !REDRIVE_FILTERS.includes(input.redriveFilter)) {
    throw new SfnError('ValidationException', `redriveFilter must be one of ${REDRIVE_FILTERS.join(', ')}`);
  }
  const redriven = input.redriveFilter === undefined ? undefined : input.redriveFilter === 'REDRIVEN';
  const newestFirst = [...machine.executions.values()]
    .reverse()
    .filter((exec) => input.statusFilter === undefined || exec.status === input.statusFilter)
    .filter((exec) => redriven === undefined || exec.redriveCount > 0 === redriven)
    .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())
    .map(listItem);
  const { items, nextToken } = paginate(newestFirst, input.maxResults, input.nextToken);
  return { executions: items, ...(nextToken ? { nextToken } : {}) };
}

export function executionHistory(
  exec: ExecutionRecord,
  input: GetExecutionHistoryInput,
): { events: HistoryEvent[]; nextToken?: string } {
  let events = input.reverseOrder ? [...exec.events].reverse() : [...exec.events];
  if (input.includeExecutionData === false) events = events.map(withoutData);
  const { items, nextToken } = paginate(events, input.maxResults, input.nextToken);
  return { events: items, ...(nextToken ? { nextToken } : {}) };
}

function listItem(exec: ExecutionRecord): ExecutionListItem {
  return {
    executionArn: exec.arn,
    stateMachineArn: exec.machine.arn,
    name: exec.name,
    status: exec.status,
    startDate: exec.startDate,
    ...(exec.stopDate ? { stopDate: exec.stopDate } : {}),
    redriveCount: exec.redriveCount,
    ...(exec.redriveDate ? { redriveDate: exec.redriveDate } : {}),
  };
}
