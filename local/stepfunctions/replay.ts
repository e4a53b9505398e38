import type { AslObject } from './definition.ts';
import { end, run } from './executions.ts';
import { applyEvent, enteredAt } from './history.ts';
import { ensureDir, journalFiles, readLines, repairTail } from './journal.ts';
import {
  type ExecutionRecord,
  freshExecution,
  type JournalRecord,
  type MachineRecord,
  type Replay,
  type Resume,
  type Runtime,
} from './records.ts';
import { resumePoint } from './resume-point.ts';
import { runTask } from './tasks.ts';
import type { HistoryEvent } from './types.ts';

// ── Durability ──────────────────────────────────────────────────────────────────────────────
//
// With a dataDir, each execution has a journal: `<dataDir>/<name>-<hash>.jsonl`, one JSON object
// a line, appended before the change it records takes effect (journal.ts says why that survives
// a SIGKILL at any instant; history.ts writes them). Its lines:
//
//   start     the execution: ARN, machine, name, input, start date (first line)
//   event     each history event; the Execution* events also carry the status changes
//             (ended, redriven), so status, stop date, output, error and cause are read off them
//   position  the top-level state entered (with its input), exited (output) or caught (next)
//   task      a task attempt began; for a callback task its token, the payload the handler got,
//             and the timeout as an absolute deadline (engine clock)
//   submitted the callback task's handler returned (emails sent, token stored)
//   settled   the attempt's outcome (output, error, or timeout)
//   wait      a Wait began: its wake-up time (engine clock)
//   redriveToken  RedriveExecution's clientToken, for its idempotency
//
// On start, resumeExecutions() reruns every RUNNING one through the redrive path (resumePoint,
// then run() entering the definition at that state) and gives the state it re-enters what the
// journal knew: a callback task its same token, payload and deadline (the handler runs again
// only if it had not returned); a Wait its wake-up time; an attempt that had ended (the process
// died before the library moved on) its outcome. A Lambda task that was running is run again:
// at-least-once, as Lambda itself (handlers are idempotent).

/** Reads every journal in `dataDir` (created if missing) into `rt.unclaimed`, by state machine name. */
export function readJournals(rt: Runtime, dataDir: string): void {
  ensureDir(dataDir);
  for (const file of journalFiles(dataDir)) {
    repairTail(file);
    // A batch() is one line holding several records.
    const records = (readLines(file) as (JournalRecord | JournalRecord[])[]).flat();
    const start = records[0];
    if (start?.t !== 'start') {
      rt.log.warn(`${file}: not an execution journal, ignored`);
      continue;
    }
    const list = rt.unclaimed.get(start.machine) ?? [];
    list.push({ file, records });
    rt.unclaimed.set(start.machine, list);
  }
}

/** Takes up the journals of a machine just created (status, history, tokens); RUNNING ones wait for resumeExecutions(). */
export function loadJournals(rt: Runtime, machine: MachineRecord): void {
  const journals = rt.unclaimed.get(machine.name);
  if (!journals) return;
  rt.unclaimed.delete(machine.name);
  const loaded = journals
    .map(({ file, records }) => replayJournal(rt, machine, file, records))
    .sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
  for (const exec of loaded) {
    if (machine.executions.has(exec.name)) {
      rt.log.warn(`${exec.file}: a second journal of ${machine.name}/${exec.name}, ignored`);
      continue;
    }
    machine.executions.set(exec.name, exec);
    rt.executions.set(exec.arn, exec);
  }
  const running = loaded.filter((exec) => exec.status === 'RUNNING').length;
  rt.log.info(`${machine.name}: ${loaded.length} executions from ${rt.journalDir}, ${running} running`);
}

/** An execution as its journal tells it. */
function replayJournal(rt: Runtime, machine: MachineRecord, file: string, records: JournalRecord[]): ExecutionRecord {
  const start = records[0] as Extract<JournalRecord, { t: 'start' }>;
  const exec = freshExecution(machine, {
    arn: start.arn,
    name: start.name,
    input: start.input,
    startDate: new Date(start.startDate),
  });
  exec.file = file;
  const replay: Replay = {};
  const tokens: string[] = [];
  for (const record of records.slice(1)) {
    switch (record.t) {
      case 'event': {
        const event: HistoryEvent = { ...record.event, timestamp: new Date(record.event.timestamp) };
        exec.events.push(event);
        if (applyEvent(exec, event) === 'redriven') {
          replay.attempt = undefined;
          replay.wait = undefined;
          replay.entered = false;
        }
        break;
      }
      case 'position':
        exec.position = record.position;
        if (record.position.output === undefined && record.position.caughtNext === undefined) {
          // Entered: what the journal said about earlier states no longer matters.
          replay.attempt = undefined;
          replay.wait = undefined;
          replay.entered = true;
        }
        break;
      case 'task':
        replay.attempt = record.attempt;
        if (record.attempt.token) tokens.push(record.attempt.token);
        break;
      case 'submitted':
        if (replay.attempt?.stateName === record.stateName) replay.attempt.submitted = true;
        break;
      case 'settled':
        if (replay.attempt?.stateName === record.stateName) replay.attempt.outcome = record.outcome;
        break;
      case 'wait':
        replay.wait = { stateName: record.stateName, wakeAt: Date.parse(record.wakeAt) };
        break;
      case 'redriveToken':
        exec.redriveTokens.set(record.clientToken, new Date(record.date));
        break;
      default:
        break;
    }
  }
  const open = exec.status === 'RUNNING' && !replay.attempt?.outcome ? replay.attempt?.token : undefined;
  for (const token of tokens) if (token !== open) rt.tokens.close(token);
  if (exec.status === 'RUNNING') exec.dormant = replay;
  else exec.ending = true;
  return exec;
}

/**
 * Resumes every execution loaded as RUNNING (see LocalStepFunctions.resumeExecutions). Returns
 * what was resumed where.
 */
export function resumeExecutions(rt: Runtime): { executionArn: string; stateName: string }[] {
  const resumed: { executionArn: string; stateName: string }[] = [];
  for (const exec of rt.executions.values()) {
    const replay = exec.dormant;
    if (!replay) continue;
    exec.dormant = undefined;
    if (exec.status !== 'RUNNING') continue;
    const stateName = resumeOne(rt, exec, replay);
    if (stateName !== undefined) resumed.push({ executionArn: exec.arn, stateName });
  }
  return resumed;
}

/** Resumes one execution at the state it was in; undefined if it ended instead (it had finished, or its state is gone). */
function resumeOne(rt: Runtime, exec: ExecutionRecord, replay: Replay): string | undefined {
  const point = resumePoint(exec, 'resume');
  if (!('from' in point)) {
    // It had left its last state: it had finished, but the process died before it said so.
    const output = point.finished ?? 'null';
    end(rt, exec, 'SUCCEEDED', { output }, 'ExecutionSucceeded', {
      executionSucceededEventDetails: { output, outputDetails: { truncated: false } },
    });
    return undefined;
  }
  const { stateName } = point.from;
  const states = exec.machine.prepared.runnable.States as AslObject;
  if (!Object.hasOwn(states, stateName)) {
    const cause = `cannot resume after a restart: the state machine has no state "${stateName}" any more`;
    end(rt, exec, 'FAILED', { error: 'States.Runtime', cause }, 'ExecutionFailed', {
      executionFailedEventDetails: { error: 'States.Runtime', cause },
    });
    return undefined;
  }
  const position = exec.position;
  const here = replay.entered === true && position?.stateName === stateName;
  // A Choice that had decided is decided again (resumePoint): the same way, on the same input.
  const decided =
    here && position?.output !== undefined && exec.machine.prepared.stateTypes.get(stateName) === 'Choice';
  // The state it was in, not left yet: its StateEntered is in the history, and the journal may
  // know its attempt or its Wait.
  const reentry = decided || (here && position?.output === undefined);
  const attempt = reentry && replay.attempt?.stateName === stateName ? replay.attempt : undefined;
  const wait = reentry && replay.wait?.stateName === stateName ? replay.wait : undefined;
  run(
    rt,
    exec,
    JSON.parse(exec.input),
    position ? point.from : undefined,
    (exec.redriveDate ?? exec.startDate).getTime(),
  );
  const resume: Resume = {
    generation: exec.generation,
    stateName,
    reentry,
    entered: false,
    decided,
    exited: false,
    used: false,
    ...(wait ? { wakeAt: wait.wakeAt } : {}),
    ...(attempt?.outcome ? { outcome: attempt.outcome } : {}),
    ...(reentry && !attempt && !wait ? { enteredAt: enteredAt(exec.events, stateName) } : {}),
  };
  exec.resume = resume;
  const plan = exec.machine.prepared.plans.get(stateName);
  if (plan?.kind === 'callback' && attempt?.token && !attempt.outcome) {
    // Open before anything can answer it (the API may be called before the library gets there).
    const reopened = runTask(rt, exec, plan, {
      parameters: undefined,
      timeoutSeconds: attempt.timeoutSeconds,
      heartbeatSeconds: attempt.heartbeatSeconds,
      timer: {},
      reopened: attempt,
    });
    reopened.promise.catch(() => {}); // the library takes it over when it reaches the state
    resume.reopened = reopened;
  }
  const how = resume.reopened
    ? `waiting for its callback with the same token${attempt?.submitted ? '' : ' (its handler runs again)'}`
    : resume.wakeAt !== undefined
      ? `waiting until ${new Date(resume.wakeAt).toISOString()}`
      : resume.outcome
        ? `with the ${resume.outcome.kind} outcome it had`
        : reentry && plan && plan.kind !== 'wait' && plan.kind !== 'pass'
          ? 'running its task again'
          : 'entering it';
  rt.log.info(`resumed ${exec.machine.name}/${exec.name} at ${stateName}, ${how}`);
  return stateName;
}
