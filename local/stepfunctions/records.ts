import type { Log } from '../log.ts';
import type { LibraryMachine, LibraryTimer } from './bridge.ts';
import type { Timers } from './clock.ts';
import type { PreparedDefinition, StatePlan } from './definition.ts';
import type { TokenRegistry } from './tokens.ts';
import type { ExecutionStatus, HistoryEvent, LocalStepFunctionsEvents, PendingTask, TaskHandler } from './types.ts';

/**
 * The engine's own records (state machines, executions, their runs, journal lines) and the
 * runtime every module of the engine works on. Types only, but for freshExecution and two tiny
 * helpers: each module imports this, none imports the facade.
 */

/** What the engine's modules share: its settings and its registries (one per engine). */
export interface Runtime {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly timers: Timers;
  readonly speedup: number;
  readonly retryScale: number;
  readonly prefix: string;
  readonly log: Log;
  readonly machines: Map<string, MachineRecord>;
  readonly executions: Map<string, ExecutionRecord>;
  readonly tokens: TokenRegistry<TaskAttempt>;
  /** What `$$.Task.Token` resolves to inside the library; swapped for a fresh token per task. */
  readonly tokenPlaceholder: string;
  /**
   * A redriven run enters the definition through a Pass state of this name, which hands the
   * resumed state its recorded input from the context key of the same name: the library's
   * `$$.Execution.Input` is its run input, so the run input stays the execution's input.
   */
  readonly redriveEntry: string;
  /** Where executions are journaled; undefined in memory, and once closed (see close()). */
  journalDir: string | undefined;
  /** Journals read at construction, by state machine name, until that machine is created. */
  readonly unclaimed: Map<string, { file: string; records: JournalRecord[] }[]>;
  closed: boolean;
  /** The library's Task timer could not be captured once already (warned once). */
  warnedNoTimer: boolean;
  emit<K extends keyof LocalStepFunctionsEvents>(event: K, ...args: LocalStepFunctionsEvents[K]): void;
}

export function assertOpen(rt: Runtime): void {
  if (rt.closed) throw new Error('the local Step Functions engine is closed');
}

/** Sleeps `ms` of the definition's time: divided by the clock's speedup. */
export function sleepScaled(rt: Runtime, ms: number, signal: AbortSignal): Promise<void> {
  return rt.timers.sleep(ms / rt.speedup, signal);
}

export interface MachineRecord {
  arn: string;
  name: string;
  definitionText: string;
  prepared: PreparedDefinition;
  library: LibraryMachine;
  handlers: Record<string, TaskHandler>;
  roleArn: string;
  creationDate: Date;
  /** By execution name, in start order. */
  executions: Map<string, ExecutionRecord>;
  /** The runnable definition entered at a given state (for RedriveExecution), by state name. */
  redriveLibraries: Map<string, LibraryMachine>;
}

/** Where a run of the execution got to: its last top-level state (branch states are not tracked). */
export interface Position {
  stateName: string;
  /** The state's input (JSON text), as it was entered. */
  input: string;
  /** Set once the state exited: its output (JSON text). */
  output?: string;
  /** The Next of the Catch that handled the state's error, if one did. */
  caughtNext?: string;
}

/** Where RedriveExecution resumes: a top-level state and the input it is entered with. */
export interface ResumePoint {
  stateName: string;
  /** JSON text. */
  input: string;
}

export interface ExecutionRecord {
  arn: string;
  machine: MachineRecord;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
  redriveCount: number;
  redriveDate?: Date;
  /** clientToken → the redriveDate it got: the last 10 successful RedriveExecution calls. */
  redriveTokens: Map<string, Date>;
  /** A RedriveExecution call is under way (waiting for the last run's history to land). */
  redriving?: { clientToken?: string; result: Promise<{ redriveDate: Date }> };
  position?: Position;
  // The current run (StartExecution, then each RedriveExecution): everything below is renewed.
  /** Counts runs: work of an earlier run (a late handler call, a late result) must not touch this one. */
  generation: number;
  /** A terminal status is decided (stopping, timing out, or finished): no more events but the last. */
  ending: boolean;
  /** Aborts the engine's sleeps and tasks of this run. */
  aborter: AbortController;
  abortLibrary: () => void;
  /** Settles once the library's event log of this run is consumed (its history recorded). */
  consumed: Promise<void>;
  done: Promise<void>;
  markDone: () => void;
  /** Its journal (with a dataDir). */
  file?: string;
  /** Records of a batch() under way, journaled as one line when it ends. */
  batch?: JournalRecord[];
  /** Loaded from the journal as RUNNING and not resumed yet: where it was. */
  dormant?: Replay;
  /** The state a resumed run re-enters, and what the journal knew about it. */
  resume?: Resume;
}

/** A RUNNING execution with nothing run yet: a new one, or one about to replay its journal. */
export function freshExecution(
  machine: MachineRecord,
  start: Pick<ExecutionRecord, 'arn' | 'name' | 'input' | 'startDate'>,
): ExecutionRecord {
  return {
    ...start,
    machine,
    status: 'RUNNING',
    events: [],
    redriveCount: 0,
    redriveTokens: new Map(),
    generation: 0,
    ending: false,
    aborter: new AbortController(),
    abortLibrary: () => {},
    consumed: Promise.resolve(),
    done: Promise.resolve(),
    markDone: () => {},
  };
}

/** A task attempt's end, as journaled: what the state is given again if the process died before it moved on. */
export type Outcome =
  | { kind: 'succeeded'; output: unknown }
  | { kind: 'failed'; error: string; cause: string; runtime?: boolean }
  | { kind: 'timedOut'; cause: string };

/** A task attempt as journaled. */
export interface JournaledAttempt {
  stateName: string;
  /** Callback tasks: the token, what the handler was given, and the deadline (engine clock). */
  token?: string;
  functionName?: string;
  payload?: unknown;
  scheduledDate?: string;
  timeoutSeconds?: number;
  timeoutDate?: string;
  heartbeatSeconds?: number;
  submitted?: boolean;
  outcome?: Outcome;
}

/** One line of an execution's journal. */
export type JournalRecord =
  | { t: 'start'; arn: string; machine: string; name: string; input: string; startDate: string }
  | { t: 'event'; event: HistoryEvent }
  | { t: 'position'; position: Position }
  | { t: 'task'; attempt: JournaledAttempt }
  | { t: 'submitted'; stateName: string }
  | { t: 'settled'; stateName: string; outcome: Outcome }
  | { t: 'wait'; stateName: string; wakeAt: string }
  | { t: 'redriveToken'; clientToken: string; date: string };

/** What a journal says about the state a RUNNING execution was in, beyond its position. */
export interface Replay {
  /** The current run entered its position's state (a redriven run may not have yet). */
  entered?: boolean;
  /** The last task attempt since the state was entered. */
  attempt?: JournaledAttempt;
  /** The wake-up time (engine clock) of the Wait it was in. */
  wait?: { stateName: string; wakeAt: number };
}

/** How a resumed run re-enters its state (consumed by the first call into that state). */
export interface Resume {
  generation: number;
  stateName: string;
  /** The state had been entered already: its StateEntered is not recorded again. */
  reentry: boolean;
  entered: boolean;
  /** A Choice that had decided (exited): decided again, the same way, and its StateExited not recorded again. */
  decided: boolean;
  exited: boolean;
  used: boolean;
  /**
   * When the state was entered (engine clock), if the journal knows no attempt or Wait of it yet
   * (the process died in between): its timeout or wait then counts from there, not from now.
   */
  enteredAt?: number;
  wakeAt?: number;
  outcome?: Outcome;
  /** A callback task's attempt, reopened with its token before the run reached the state. */
  reopened?: { promise: Promise<unknown>; library: { timer: LibraryTimer } };
}

/** One attempt of a Task state (a retry is a new attempt). */
export interface TaskAttempt {
  exec: ExecutionRecord;
  plan: StatePlan;
  token?: string;
  pending?: PendingTask;
  settled: boolean;
  succeed(output: unknown): void;
  /** `thrown` is rejected as is (a States.Runtime error stays uncatchable). */
  fail(error: string, cause: string, thrown?: Error): void;
  heartbeat(): void;
}

export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
