import { type LibraryTimer, type LocalHandlers, localHandler } from './bridge.ts';
import { settle } from './clock.ts';
import type { StatePlan } from './definition.ts';
import { ExecutionClosedError, StatesRuntimeError, TaskError } from './errors.ts';
import { journal } from './history.ts';
import type { ExecutionRecord, Outcome, Resume, Runtime } from './records.ts';
import { runTask } from './tasks.ts';

/**
 * The states the engine runs for the library (its local handlers, one per Task state of the
 * prepared definition): Task states (tasks.ts), the Wait states and falsy-Result Pass states
 * that definition.ts turned into engine-run tasks, and a resumed run's first call into the state
 * it re-enters, which gets what the journal knew.
 */

const RFC3339 =
  /^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

interface WaitInput {
  input: unknown;
  seconds?: unknown;
  timestamp?: unknown;
}

/** The library's local handlers for one run (`generation`) of the execution. */
export function localHandlers(rt: Runtime, exec: ExecutionRecord, generation: number): LocalHandlers {
  const handlers: LocalHandlers = {};
  for (const [stateName, plan] of exec.machine.prepared.plans) {
    handlers[stateName] = localHandler((input, timer) => runState(rt, exec, generation, plan, input, timer));
  }
  return handlers;
}

async function runState(
  rt: Runtime,
  exec: ExecutionRecord,
  generation: number,
  plan: StatePlan,
  input: unknown,
  timer: LibraryTimer,
): Promise<unknown> {
  // The library arms its Task timer synchronously after the handler returns: it is captured now.
  await Promise.resolve();
  if (!timer.fire) warnNoTimer(rt);
  // A stopped run's library may still call in (a Retry's pause ends early on abort): not into a redrive.
  const over = () => exec.ending || exec.generation !== generation;
  if (over()) throw new ExecutionClosedError();
  if (plan.kind === 'pass') return plan.passResult ?? null;
  // A resumed run's first call into the state it re-enters gets what the journal knew.
  const resume = takeResume(exec, generation, plan.stateName);
  if (plan.kind === 'wait') {
    // Lets the library's StateEntered reach the history (and the journal) first.
    await settle(1);
    if (over()) throw new ExecutionClosedError();
    return runWait(rt, exec, plan, input as WaitInput, resume?.wakeAt, resume?.enteredAt);
  }
  if (resume?.reopened) {
    resume.reopened.library.timer = timer;
    return resume.reopened.promise;
  }
  if (resume?.outcome) return replayOutcome(resume.outcome, timer);

  const { parameters, timeoutSeconds, heartbeatSeconds } = unwrap(plan, input);
  // Lets the library's StateEntered reach the history first.
  await settle(1);
  if (over()) throw new ExecutionClosedError();
  return runTask(rt, exec, plan, {
    parameters,
    timeoutSeconds,
    heartbeatSeconds,
    timer,
    ...(resume?.enteredAt !== undefined ? { since: resume.enteredAt } : {}),
  }).promise;
}

/** The Parameters output, and the timeout and heartbeat: static, or resolved by the library into the wrapper. */
function unwrap(
  plan: StatePlan,
  input: unknown,
): { parameters: unknown; timeoutSeconds: number | undefined; heartbeatSeconds: number | undefined } {
  let parameters = input;
  let timeoutSeconds = plan.timeoutSeconds;
  let heartbeatSeconds = plan.heartbeatSeconds;
  if (plan.wrapped) {
    const wrapper = input as { parameters: unknown; timeoutSeconds?: unknown; heartbeatSeconds?: unknown };
    parameters = wrapper.parameters;
    if ('timeoutSeconds' in wrapper) timeoutSeconds = positiveInteger(wrapper.timeoutSeconds, 'TimeoutSecondsPath');
    if ('heartbeatSeconds' in wrapper) {
      heartbeatSeconds = positiveInteger(wrapper.heartbeatSeconds, 'HeartbeatSecondsPath');
    }
  }
  return { parameters, timeoutSeconds, heartbeatSeconds };
}

/**
 * `wakeAt` (engine clock) when a resumed run re-enters the Wait it was in: the wake-up time
 * journaled when the Wait began, so it sleeps only what is left. `since`: when the Wait was
 * entered, if that was before now (default now).
 */
async function runWait(
  rt: Runtime,
  exec: ExecutionRecord,
  plan: StatePlan,
  input: WaitInput,
  wakeAt?: number,
  since = rt.timers.now(),
): Promise<unknown> {
  if (wakeAt === undefined) {
    let ms: number;
    if (plan.waitSeconds !== undefined) ms = plan.waitSeconds * 1000;
    else if (plan.waitTimestamp !== undefined) ms = timestampMs(plan.waitTimestamp, 'Timestamp') - since;
    else if ('seconds' in input) {
      const seconds = input.seconds;
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        throw new StatesRuntimeError(`SecondsPath must select a non-negative integer, got ${JSON.stringify(seconds)}`);
      }
      ms = seconds * 1000;
    } else ms = timestampMs(input.timestamp, 'TimestampPath') - since;
    wakeAt = since + Math.max(0, ms) / rt.speedup;
    journal(rt, exec, { t: 'wait', stateName: plan.stateName, wakeAt: new Date(wakeAt).toISOString() });
    rt.log.info(`${exec.machine.name}/${exec.name}: ${plan.stateName} waits until ${new Date(wakeAt).toISOString()}`);
  }
  try {
    await rt.timers.sleep(wakeAt - rt.timers.now(), exec.aborter.signal);
  } catch {
    throw new ExecutionClosedError();
  }
  return input.input;
}

/** The resume data for a resumed run's first call into the state it re-enters (once). */
function takeResume(exec: ExecutionRecord, generation: number, stateName: string): Resume | undefined {
  const resume = exec.resume;
  if (!resume || resume.used || resume.generation !== generation || resume.stateName !== stateName) return undefined;
  resume.used = true;
  return resume;
}

/** A journaled attempt outcome, given again to the state a resumed run re-enters. */
function replayOutcome(outcome: Outcome, timer: LibraryTimer): unknown {
  switch (outcome.kind) {
    case 'succeeded':
      return outcome.output;
    case 'failed':
      throw outcome.runtime ? new StatesRuntimeError(outcome.cause) : new TaskError(outcome.error, outcome.cause);
    case 'timedOut':
      timer.fire?.();
      throw new TaskError('States.Timeout', outcome.cause);
  }
}

function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new StatesRuntimeError(`${field} must select a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function timestampMs(value: unknown, field: string): number {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    throw new StatesRuntimeError(`${field} must be an RFC 3339 timestamp, got ${JSON.stringify(value)}`);
  }
  return Date.parse(value);
}

function warnNoTimer(rt: Runtime): void {
  if (rt.warnedNoTimer) return;
  rt.warnedNoTimer = true;
  rt.log.warn(
    "could not capture aws-local-stepfunctions' Task timer (has the library changed?): task timeouts " +
      'still work, but States.TaskFailed will also catch them',
  );
}
