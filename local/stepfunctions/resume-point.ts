import { type AslObject, isObject } from './definition.ts';
import { SfnError } from './errors.ts';
import type { ExecutionRecord, ResumePoint, Runtime } from './records.ts';

/**
 * Where a stopped run goes on, shared by RedriveExecution (redrive.ts), DescribeExecution's
 * redriveStatus (executions.ts) and the resume after a restart (replay.ts).
 */

const DAY_MS = 24 * 3_600_000;
/** AWS's limits on redriving: 14 days after the execution closed, one year open, 25,000 history events. */
const REDRIVABLE_PERIOD_MS = 14 * DAY_MS;
const MAX_OPEN_MS = 365 * DAY_MS;
const MAX_HISTORY_EVENTS = 25_000;

/** Whether the execution can be redriven now and, if so, where it resumes; else AWS's reason (or ours). */
export function redrivability(rt: Runtime, exec: ExecutionRecord): { from: ResumePoint } | { reason: string } {
  if (exec.status === 'RUNNING') return { reason: 'Execution is RUNNING and cannot be redriven' };
  if (exec.status === 'SUCCEEDED') return { reason: 'Execution is SUCCEEDED and cannot be redriven' };
  const now = rt.timers.now();
  if (exec.events.length >= MAX_HISTORY_EVENTS) return { reason: 'Execution history event limit exceeded' };
  if (now - exec.startDate.getTime() > MAX_OPEN_MS) return { reason: 'Execution has exceeded the max execution time' };
  if (exec.stopDate && now - exec.stopDate.getTime() > REDRIVABLE_PERIOD_MS) {
    return { reason: 'Execution redrivable period exceeded' };
  }
  return resumePoint(exec, 'redrive');
}

/**
 * Where a run that stopped at the execution's position goes on: the state it was in (with the
 * input it was entered with) if it had not left it, else the next one (with the output). Shared
 * by RedriveExecution and the resume after a restart; a resume also re-enters a Parallel or Map
 * state whole (a redrive refuses to), and reports `finished` when the last state had exited.
 */
export function resumePoint(
  exec: ExecutionRecord,
  purpose: 'redrive' | 'resume',
): { from: ResumePoint } | { reason: string; finished?: string } {
  const runnable = exec.machine.prepared.runnable;
  const position = exec.position;
  if (!position) return { from: { stateName: String(runnable.StartAt), input: exec.input } };
  const { stateName } = position;
  const type = exec.machine.prepared.stateTypes.get(stateName);
  if (position.output === undefined) {
    if (purpose === 'redrive' && (type === 'Parallel' || type === 'Map')) {
      return {
        reason:
          `the execution stopped in ${type} state "${stateName}": AWS would rerun only its unsuccessful ` +
          `${type === 'Map' ? 'iterations' : 'branches'}, which the local runtime cannot do; start a new execution`,
      };
    }
    return { from: { stateName, input: position.input } };
  }
  // It stopped between two states: resume at the next one (a Choice is simply decided again).
  if (type === 'Choice') return { from: { stateName, input: position.input } };
  const state = (runnable.States as AslObject)[stateName];
  const next = position.caughtNext ?? (isObject(state) && typeof state.Next === 'string' ? state.Next : undefined);
  if (next === undefined) {
    return { reason: `the execution stopped after its last state "${stateName}"`, finished: position.output };
  }
  return { from: { stateName: next, input: position.output } };
}

export function notRedrivable(exec: ExecutionRecord, reason: string): SfnError {
  // ExecutionNotRedrivable is AWS's error name (its own class in @aws-sdk/client-sfn).
  return new SfnError('ExecutionNotRedrivable', `Execution Not Redrivable: '${exec.arn}': ${reason}`);
}
