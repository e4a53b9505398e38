// The polyfill must load before aws-local-stepfunctions (Promise.withResolvers, Node 20).
import './polyfill.ts';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { ExecutionError, type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { asLambdaResult } from '../lambda.ts';
import { type Log, silentLog } from '../log.ts';
import { type ClockOptions, realTimers, settle, type Timers } from './clock.ts';
import {
  type AslObject,
  isObject,
  LIBRARY_TIMER_SECONDS,
  lambdaFunctionName,
  type PreparedDefinition,
  prepareDefinition,
  type StatePlan,
  validateDefinition,
} from './definition.ts';
import { ExecutionClosedError, SfnError, StatesRuntimeError, TaskError } from './errors.ts';
import { appendLine, ensureDir, journalFiles, readLines, repairTail } from './journal.ts';

/**
 * A local Step Functions service: runs any ASL definition (the one extracted from the CDK
 * construct) with aws-local-stepfunctions, and adds what that library lacks: task tokens and
 * callbacks (`lambda:invoke.waitForTaskToken`), Step Functions-like executions with unique names,
 * status and history, StopExecution, and one clock for every wait and timeout.
 *
 * Task states run the handlers given to createStateMachine, by task key: the Lambda function
 * `local-<taskKey>` (from a Task's Resource ARN, or Parameters.FunctionName for
 * `arn:<partition>:states:::lambda:invoke[.waitForTaskToken]`) runs `handlers[taskKey]`.
 *
 * Without `dataDir` everything lives in memory: a restarted engine has no executions and knows no
 * tokens. With it, every execution is journaled there (see "Durability" below) and a new engine
 * on the same directory takes them up again: `resumeExecutions()`.
 */

export type TaskHandler = (payload: unknown) => Promise<unknown>;

export interface LocalStepFunctionsOptions {
  /** Region in the ARNs (default AWS_REGION, else cn-north-1). */
  region?: string;
  /** Account in the ARNs (default 000000000000). */
  accountId?: string;
  /**
   * Time for Wait states, task timeouts and heartbeats, and the execution timeout: real by
   * default; `{ speedup: 3600 }` makes an hour pass in a second (demos); `{ timers: new
   * ManualClock() }` lets tests move time by hand. See clock.ts.
   */
  clock?: ClockOptions;
  retry?: {
    /**
     * Multiplies every Retry's IntervalSeconds (default 1) and MaxDelaySeconds. CDK gives Lambda
     * tasks a Retry of 2 s × 6 with backoff 2 on Lambda service errors; tests pass 0 (retry at
     * once). Retries sleep in real time whatever the clock (aws-local-stepfunctions sleeps them).
     * Default 1 / clock.speedup.
     */
    intervalScale?: number;
  };
  /** Prefix of local Lambda function names before the task key (default 'local-'). */
  functionNamePrefix?: string;
  /**
   * Keeps executions on disk here (one JSON-lines journal per execution; created if missing), so
   * that an engine started later on the same directory knows them: their status and history, and
   * the RUNNING ones resume where they were (`resumeExecutions`) with their task tokens. Omitted:
   * in memory only.
   */
  dataDir?: string;
  log?: Log;
}

export interface CreateStateMachineOptions {
  /** Task key → handler. Every function named statically in the definition must have one. */
  handlers: Record<string, TaskHandler>;
  roleArn?: string;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** As DescribeExecution reports it (REDRIVABLE_BY_MAP_RUN concerns Distributed Map children: never locally). */
export type ExecutionRedriveStatus = 'REDRIVABLE' | 'NOT_REDRIVABLE' | 'REDRIVABLE_BY_MAP_RUN';

export type ExecutionRedriveFilter = 'REDRIVEN' | 'NOT_REDRIVEN';

export interface StateMachineDescription {
  stateMachineArn: string;
  name: string;
  status: 'ACTIVE';
  /** The definition as given (JSON text), not the rewritten one the library runs. */
  definition: string;
  roleArn: string;
  type: 'STANDARD';
  creationDate: Date;
}

export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: 'STANDARD';
  creationDate: Date;
}

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  /** How many times RedriveExecution restarted it (0 if never). */
  redriveCount: number;
  /** When it was last redriven. */
  redriveDate?: Date;
}

export interface ExecutionDescription extends ExecutionListItem {
  input: string;
  inputDetails: { included: true };
  /** JSON text; only when SUCCEEDED. */
  output?: string;
  outputDetails?: { included: true };
  error?: string;
  cause?: string;
  /** Whether RedriveExecution would restart it now. */
  redriveStatus: ExecutionRedriveStatus;
  /** Why not, when NOT_REDRIVABLE (AWS's wording where AWS has one). */
  redriveStatusReason?: string;
}

/** One history event, shaped as GetExecutionHistory returns it (details under `<type>EventDetails`). */
export interface HistoryEvent {
  timestamp: Date;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** A `.waitForTaskToken` task waiting for SendTaskSuccess/Failure. */
export interface PendingTask {
  taskToken: string;
  executionArn: string;
  stateName: string;
  functionName: string;
  /** What the handler was given (with the token in it). */
  payload: unknown;
  scheduledDate: Date;
  /** When it times out (by the engine's clock), if it has a timeout. */
  timeoutDate?: Date;
  /** True once the handler has returned and the task only waits for its callback. */
  submitted?: boolean;
}

export interface StartExecutionInput {
  stateMachineArn: string;
  /** Default: a random UUID. */
  name?: string;
  /** JSON text (default "{}"). */
  input?: string;
}

export interface ListExecutionsInput {
  stateMachineArn: string;
  statusFilter?: ExecutionStatus;
  redriveFilter?: ExecutionRedriveFilter;
  maxResults?: number;
  nextToken?: string;
}

export interface RedriveExecutionInput {
  executionArn: string;
  /**
   * Idempotency: the same token again (within 15 minutes, among the execution's last 10) answers
   * the earlier redrive's date and redrives nothing. The SDK sends a fresh one when none is given.
   */
  clientToken?: string;
}

export interface GetExecutionHistoryInput {
  executionArn: string;
  maxResults?: number;
  reverseOrder?: boolean;
  nextToken?: string;
  includeExecutionData?: boolean;
}

export interface LocalStepFunctionsEvents {
  /** An execution ended (any status). */
  executionEnded: [ExecutionDescription];
  /** A callback task has its token and is waiting (emitted before its handler runs). */
  taskWaiting: [PendingTask];
  /** A waiting callback task's handler has returned (its emails sent, its token stored). */
  taskSubmitted: [PendingTask];
}

interface MachineRecord {
  arn: string;
  name: string;
  definitionText: string;
  prepared: PreparedDefinition;
  library: StateMachine;
  handlers: Record<string, TaskHandler>;
  roleArn: string;
  creationDate: Date;
  /** By execution name, in start order. */
  executions: Map<string, ExecutionRecord>;
  /** The runnable definition entered at a given state (for RedriveExecution), by state name. */
  redriveLibraries: Map<string, StateMachine>;
}

/** Where a run of the execution got to: its last top-level state (branch states are not tracked). */
interface Position {
  stateName: string;
  /** The state's input (JSON text), as it was entered. */
  input: string;
  /** Set once the state exited: its output (JSON text). */
  output?: string;
  /** The Next of the Catch that handled the state's error, if one did. */
  caughtNext?: string;
}

/** Where RedriveExecution resumes: a top-level state and the input it is entered with. */
interface ResumePoint {
  stateName: string;
  /** JSON text. */
  input: string;
}

interface ExecutionRecord {
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
function freshExecution(
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
type Outcome =
  | { kind: 'succeeded'; output: unknown }
  | { kind: 'failed'; error: string; cause: string; runtime?: boolean }
  | { kind: 'timedOut'; cause: string };

/** A task attempt as journaled. */
interface JournaledAttempt {
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
type JournalRecord =
  | { t: 'start'; arn: string; machine: string; name: string; input: string; startDate: string }
  | { t: 'event'; event: HistoryEvent }
  | { t: 'position'; position: Position }
  | { t: 'task'; attempt: JournaledAttempt }
  | { t: 'submitted'; stateName: string }
  | { t: 'settled'; stateName: string; outcome: Outcome }
  | { t: 'wait'; stateName: string; wakeAt: string }
  | { t: 'redriveToken'; clientToken: string; date: string };

/** What a journal says about the state a RUNNING execution was in, beyond its position. */
interface Replay {
  /** The current run entered its position's state (a redriven run may not have yet). */
  entered?: boolean;
  /** The last task attempt since the state was entered. */
  attempt?: JournaledAttempt;
  /** The wake-up time (engine clock) of the Wait it was in. */
  wait?: { stateName: string; wakeAt: number };
}

/** How a resumed run re-enters its state (consumed by the first call into that state). */
interface Resume {
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
interface TaskAttempt {
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

/** The library's Task timer, captured so the engine can fire it (a genuine States.Timeout). */
interface LibraryTimer {
  fire?: () => void;
}

type RunInput = Parameters<StateMachine['run']>[0];
type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

interface LibraryEvent {
  type: string;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  parentState?: { name: string };
  index?: number;
  /** StateCaught: the Catch that matched. */
  catch?: { catcher?: { Next?: unknown } };
}

const DEFAULT_REGION = 'cn-north-1';
const DEFAULT_ACCOUNT = '000000000000';
const MAX_INPUT_BYTES = 256 * 1024;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{64}$/;
const RFC3339 =
  /^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];
const REDRIVE_FILTERS: readonly ExecutionRedriveFilter[] = ['REDRIVEN', 'NOT_REDRIVEN'];
const DAY_MS = 24 * 3_600_000;
/** AWS's limits on redriving: 14 days after the execution closed, one year open, 25,000 history events. */
const REDRIVABLE_PERIOD_MS = 14 * DAY_MS;
const MAX_OPEN_MS = 365 * DAY_MS;
const MAX_HISTORY_EVENTS = 25_000;
/** AWS keeps a clientToken's answer for 15 minutes, for the execution's last 10 tokens. */
const CLIENT_TOKEN_TTL_MS = 15 * 60_000;
const CLIENT_TOKENS_KEPT = 10;
const CLIENT_TOKEN = /^[!-~]{1,64}$/;

export class LocalStepFunctions extends EventEmitter<LocalStepFunctionsEvents> {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  private readonly timers: Timers;
  private readonly speedup: number;
  private readonly retryScale: number;
  private readonly prefix: string;
  private readonly log: Log;
  private readonly machines = new Map<string, MachineRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly openTokens = new Map<string, TaskAttempt>();
  private readonly closedTokens = new Set<string>();
  /** What `$$.Task.Token` resolves to inside the library; swapped for a fresh token per task. */
  private readonly tokenPlaceholder = `local-sfn-task-token-placeholder-${randomUUID()}`;
  /**
   * A redriven run enters the definition through a Pass state of this name, which hands the
   * resumed state its recorded input from the context key of the same name: the library's
   * `$$.Execution.Input` is its run input, so the run input stays the execution's input.
   */
  private readonly redriveEntry = `localRedrive${randomUUID().replaceAll('-', '')}`;
  private closed = false;
  /** Whether this engine was given a dataDir. */
  private readonly journaled: boolean;
  /** Where executions are journaled; undefined in memory, and once closed (see close()). */
  private journalDir: string | undefined;
  /** Journals read at construction, by state machine name, until that machine is created. */
  private readonly unclaimed = new Map<string, { file: string; records: JournalRecord[] }[]>();

  constructor(options: LocalStepFunctionsOptions = {}) {
    super();
    this.region = options.region ?? process.env.AWS_REGION ?? DEFAULT_REGION;
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT;
    this.partition = partitionOf(this.region);
    this.timers = options.clock?.timers ?? realTimers;
    this.speedup = options.clock?.speedup ?? 1;
    if (!(this.speedup > 0) || !Number.isFinite(this.speedup)) {
      throw new Error(`clock.speedup must be a finite number > 0, got ${this.speedup}`);
    }
    this.retryScale = options.retry?.intervalScale ?? 1 / this.speedup;
    if (!(this.retryScale >= 0) || !Number.isFinite(this.retryScale)) {
      throw new Error(`retry.intervalScale must be a finite number >= 0, got ${this.retryScale}`);
    }
    this.prefix = options.functionNamePrefix ?? 'local-';
    this.log = options.log ?? silentLog;
    this.journaled = options.dataDir !== undefined;
    if (options.dataDir !== undefined) {
      ensureDir(options.dataDir);
      this.journalDir = options.dataDir;
      for (const file of journalFiles(options.dataDir)) {
        repairTail(file);
        // A batch() is one line holding several records.
        const records = (readLines(file) as (JournalRecord | JournalRecord[])[]).flat();
        const start = records[0];
        if (start?.t !== 'start') {
          this.log.warn(`${file}: not an execution journal, ignored`);
          continue;
        }
        const list = this.unclaimed.get(start.machine) ?? [];
        list.push({ file, records });
        this.unclaimed.set(start.machine, list);
      }
    }
  }

  // ── State machines ──────────────────────────────────────────────────────────────────────────

  /**
   * Registers a state machine (validated with asl-validator). The same name with the same
   * definition again is a no-op that keeps the first handlers, as CreateStateMachine is
   * idempotent; another definition under that name is StateMachineAlreadyExists.
   */
  createStateMachine(
    name: string,
    definition: object,
    options: CreateStateMachineOptions,
  ): { stateMachineArn: string; creationDate: Date } {
    this.assertOpen();
    assertName(name, 'state machine');
    validateDefinition(definition);
    const definitionText = JSON.stringify(definition);
    const arn = `arn:${this.partition}:states:${this.region}:${this.accountId}:stateMachine:${name}`;
    const existing = this.machines.get(arn);
    if (existing) {
      if (existing.definitionText === definitionText) {
        return { stateMachineArn: arn, creationDate: existing.creationDate };
      }
      throw new SfnError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const prepared = prepareDefinition(definition as AslObject, { retryScale: this.retryScale });
    const machine: MachineRecord = {
      arn,
      name,
      definitionText,
      prepared,
      library: new StateMachine(prepared.runnable as unknown as StateMachineDefinition, {
        validationOptions: { noValidate: true },
      }),
      handlers: { ...options.handlers },
      roleArn: options.roleArn ?? `arn:${this.partition}:iam::${this.accountId}:role/local-${name}`,
      creationDate: new Date(this.timers.now()),
      executions: new Map(),
      redriveLibraries: new Map(),
    };
    const missing = [...prepared.plans.values()]
      .filter((plan) => plan.functionName !== undefined && !this.findHandler(machine, plan.functionName))
      .map((plan) => `${plan.stateName} → ${plan.functionName}`);
    if (missing.length > 0) {
      throw new SfnError(
        'InvalidDefinition',
        `state machine ${name}: no handler for ${missing.join(', ')}. Functions named ` +
          `"${this.prefix}<taskKey>" run handlers[taskKey]; handlers given: ${handlerKeys(machine)}`,
      );
    }
    this.machines.set(arn, machine);
    this.log.info(`state machine ${name}: ${arn}`);
    this.load(machine);
    return { stateMachineArn: arn, creationDate: machine.creationDate };
  }

  describeStateMachine(input: { stateMachineArn: string }): StateMachineDescription {
    const machine = this.machine(input.stateMachineArn);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: machine.definitionText,
      roleArn: machine.roleArn,
      type: 'STANDARD',
      creationDate: machine.creationDate,
    };
  }

  listStateMachines(input: { maxResults?: number; nextToken?: string } = {}): {
    stateMachines: StateMachineListItem[];
    nextToken?: string;
  } {
    const all = [...this.machines.values()].map((m) => ({
      stateMachineArn: m.arn,
      name: m.name,
      type: 'STANDARD' as const,
      creationDate: m.creationDate,
    }));
    const { items, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return { stateMachines: items, ...(nextToken ? { nextToken } : {}) };
  }

  // ── Executions ──────────────────────────────────────────────────────────────────────────────

  /**
   * Starts an execution. As in AWS (Standard workflows), a name is unique per state machine:
   * starting again with the name and input of a RUNNING execution returns that execution;
   * anything else under a used name is ExecutionAlreadyExists.
   */
  startExecution(input: StartExecutionInput): { executionArn: string; startDate: Date } {
    this.assertOpen();
    const machine = this.machine(input.stateMachineArn);
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
    const arn = `arn:${this.partition}:states:${this.region}:${this.accountId}:execution:${machine.name}:${name}`;
    const existing = machine.executions.get(name);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn: existing.arn, startDate: existing.startDate };
      }
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }

    const exec = freshExecution(machine, { arn, name, input: inputText, startDate: new Date(this.timers.now()) });
    machine.executions.set(name, exec);
    this.executions.set(arn, exec);
    if (this.journalDir !== undefined) exec.file = join(this.journalDir, journalFileName(arn, name));
    this.batch(exec, () => {
      this.journal(exec, {
        t: 'start',
        arn,
        machine: machine.name,
        name,
        input: inputText,
        startDate: exec.startDate.toISOString(),
      });
      this.record(exec, 'ExecutionStarted', {
        executionStartedEventDetails: { input: inputText, inputDetails: { truncated: false }, roleArn: machine.roleArn },
      });
    });
    this.run(exec, value);
    this.log.info(`started ${machine.name}/${name}`);
    return { executionArn: arn, startDate: exec.startDate };
  }

  /**
   * Restarts a FAILED, TIMED_OUT or ABORTED execution at the top-level state where it stopped,
   * with the input that state was entered with (RedriveExecution): same ARN, history continued
   * after an ExecutionRedriven event, states that succeeded are not run again, the execution's
   * TimeoutSeconds counts from now. SUCCEEDED or RUNNING executions are ExecutionNotRedrivable,
   * and so is one that stopped inside a Parallel or Map state (AWS reruns only the failed
   * branches or iterations; the local runtime cannot).
   */
  async redriveExecution(input: RedriveExecutionInput): Promise<{ redriveDate: Date }> {
    this.assertOpen();
    const exec = this.execution(input.executionArn);
    const { clientToken } = input;
    if (clientToken !== undefined && (typeof clientToken !== 'string' || !CLIENT_TOKEN.test(clientToken))) {
      throw new SfnError('ValidationException', "'clientToken' must be 1 to 64 printable ASCII characters");
    }
    if (clientToken !== undefined) {
      const earlier = exec.redriveTokens.get(clientToken);
      if (earlier && this.timers.now() - earlier.getTime() < CLIENT_TOKEN_TTL_MS) return { redriveDate: earlier };
      if (exec.redriving && exec.redriving.clientToken === clientToken) return exec.redriving.result;
    }
    if (exec.redriving) throw notRedrivable(exec, 'Execution is RUNNING and cannot be redriven');
    const result = this.redrive(exec, clientToken);
    exec.redriving = { clientToken, result };
    try {
      return await result;
    } finally {
      exec.redriving = undefined;
    }
  }

  private async redrive(exec: ExecutionRecord, clientToken: string | undefined): Promise<{ redriveDate: Date }> {
    // The last run's history (and so where it stopped) may still be landing after a stop or timeout.
    if (exec.status !== 'RUNNING') await exec.consumed;
    this.assertOpen();
    const verdict = this.redrivability(exec);
    if (!('from' in verdict)) throw notRedrivable(exec, verdict.reason);
    const redriveDate = new Date(this.timers.now());
    exec.redriveCount += 1;
    exec.redriveDate = redriveDate;
    exec.status = 'RUNNING';
    exec.stopDate = undefined;
    exec.output = undefined;
    exec.error = undefined;
    exec.cause = undefined;
    exec.ending = false;
    this.record(exec, 'ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount: exec.redriveCount } });
    this.run(exec, JSON.parse(exec.input), verdict.from);
    if (clientToken !== undefined) {
      exec.redriveTokens.set(clientToken, redriveDate);
      this.journal(exec, { t: 'redriveToken', clientToken, date: redriveDate.toISOString() });
      for (const oldest of exec.redriveTokens.keys()) {
        if (exec.redriveTokens.size <= CLIENT_TOKENS_KEPT) break;
        exec.redriveTokens.delete(oldest);
      }
    }
    this.log.info(`redriven ${exec.machine.name}/${exec.name} at ${verdict.from.stateName} (redrive ${exec.redriveCount})`);
    return { redriveDate };
  }

  /**
   * One run of an execution: from the start (`from` undefined) or, for a redrive or a resume,
   * entering the definition at `from.stateName` with `from.input`. The library's run, its
   * history, the execution timeout (counted from `since`, engine clock, default now), the end.
   */
  private run(exec: ExecutionRecord, executionInput: unknown, from?: ResumePoint, since?: number): void {
    const machine = exec.machine;
    exec.generation += 1;
    const generation = exec.generation;
    exec.ending = false;
    exec.resume = undefined;
    exec.aborter = new AbortController();
    const { promise: done, resolve: markDone } = deferred<void>();
    exec.done = done;
    exec.markDone = () => markDone();

    const library = from ? this.redriveLibrary(machine, from.stateName) : machine.library;
    const run = library.run(executionInput as RunInput, {
      noThrowOnAbort: true,
      overrides: { taskResourceLocalHandlers: this.localHandlers(exec, generation) },
      context: {
        Execution: {
          Id: exec.arn,
          Name: exec.name,
          RoleArn: machine.roleArn,
          StartTime: exec.startDate.toISOString(),
          RedriveCount: exec.redriveCount,
          ...(exec.redriveDate ? { RedriveTime: exec.redriveDate.toISOString() } : {}),
        },
        StateMachine: { Id: machine.arn, Name: machine.name },
        Task: { Token: this.tokenPlaceholder },
        ...(from ? { [this.redriveEntry]: { Input: JSON.parse(from.input) as unknown } } : {}),
      },
    });
    exec.abortLibrary = run.abort;
    const consumed = (async () => {
      for await (const event of run.eventLogs) this.onLibraryEvent(exec, event as LibraryEvent);
    })().catch((error: unknown) => this.log.error(`history of ${exec.name}:`, error));
    exec.consumed = consumed;
    const current = () => exec.generation === generation && !exec.ending;

    const timeoutSeconds = machine.prepared.executionTimeoutSeconds;
    if (timeoutSeconds !== undefined) {
      const elapsed = since === undefined ? 0 : this.timers.now() - since;
      this.timers.sleep((timeoutSeconds * 1000) / this.speedup - elapsed, exec.aborter.signal).then(
        () => {
          if (!current()) return;
          void this.terminate(exec, 'TIMED_OUT', 'States.Timeout', `execution exceeded TimeoutSeconds (${timeoutSeconds})`);
        },
        () => {},
      );
    }

    run.result.then(
      async (output) => {
        await consumed;
        if (!current()) return;
        const text = JSON.stringify(output ?? null);
        this.end(exec, 'SUCCEEDED', { output: text }, 'ExecutionSucceeded', {
          executionSucceededEventDetails: { output: text, outputDetails: { truncated: false } },
        });
      },
      async (error: unknown) => {
        await consumed;
        if (!current()) return;
        const { name: errorName, cause } = executionFailure(error);
        this.end(exec, 'FAILED', { error: errorName, cause }, 'ExecutionFailed', {
          executionFailedEventDetails: { error: errorName, cause },
        });
      },
    );
  }

  /** The runnable definition entered at `stateName` through the redrive entry state (cached; redrive and resume). */
  private redriveLibrary(machine: MachineRecord, stateName: string): StateMachine {
    const cached = machine.redriveLibraries.get(stateName);
    if (cached) return cached;
    const runnable = machine.prepared.runnable;
    const definition: AslObject = {
      ...runnable,
      StartAt: this.redriveEntry,
      States: {
        ...(runnable.States as AslObject),
        [this.redriveEntry]: {
          Type: 'Pass',
          Parameters: { 'input.$': `$$.${this.redriveEntry}.Input` },
          OutputPath: '$.input',
          Next: stateName,
        },
      },
    };
    const library = new StateMachine(definition as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
    machine.redriveLibraries.set(stateName, library);
    return library;
  }

  /** Whether the execution can be redriven now and, if so, where it resumes; else AWS's reason (or ours). */
  private redrivability(exec: ExecutionRecord): { from: ResumePoint } | { reason: string } {
    if (exec.status === 'RUNNING') return { reason: 'Execution is RUNNING and cannot be redriven' };
    if (exec.status === 'SUCCEEDED') return { reason: 'Execution is SUCCEEDED and cannot be redriven' };
    const now = this.timers.now();
    if (exec.events.length >= MAX_HISTORY_EVENTS) return { reason: 'Execution history event limit exceeded' };
    if (now - exec.startDate.getTime() > MAX_OPEN_MS) return { reason: 'Execution has exceeded the max execution time' };
    if (exec.stopDate && now - exec.stopDate.getTime() > REDRIVABLE_PERIOD_MS) {
      return { reason: 'Execution redrivable period exceeded' };
    }
    return this.resumePoint(exec, 'redrive');
  }

  /**
   * Where a run that stopped at the execution's position goes on: the state it was in (with the
   * input it was entered with) if it had not left it, else the next one (with the output). Shared
   * by RedriveExecution and the resume after a restart; a resume also re-enters a Parallel or Map
   * state whole (a redrive refuses to), and reports `finished` when the last state had exited.
   */
  private resumePoint(
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

  describeExecution(input: { executionArn: string }): ExecutionDescription {
    return this.describe(this.execution(input.executionArn));
  }

  listExecutions(input: ListExecutionsInput): { executions: ExecutionListItem[]; nextToken?: string } {
    const machine = this.machine(input.stateMachineArn);
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

  getExecutionHistory(input: GetExecutionHistoryInput): { events: HistoryEvent[]; nextToken?: string } {
    const exec = this.execution(input.executionArn);
    let events = input.reverseOrder ? [...exec.events].reverse() : [...exec.events];
    if (input.includeExecutionData === false) events = events.map(withoutData);
    const { items, nextToken } = paginate(events, input.maxResults, input.nextToken);
    return { events: items, ...(nextToken ? { nextToken } : {}) };
  }

  /** Stops a RUNNING execution (ABORTED); on an ended one it changes nothing. */
  async stopExecution(input: { executionArn: string; error?: string; cause?: string }): Promise<{ stopDate: Date }> {
    const exec = this.execution(input.executionArn);
    // Lets history the library has queued (a state just entered) land before ExecutionAborted.
    if (!exec.ending) await settle(1);
    if (!exec.ending) await this.terminate(exec, 'ABORTED', input.error, input.cause);
    await exec.done;
    return { stopDate: exec.stopDate ?? new Date(this.timers.now()) };
  }

  // ── Callbacks ───────────────────────────────────────────────────────────────────────────────

  /** Completes a waiting `.waitForTaskToken` task with `output` (JSON text). A token works once. */
  sendTaskSuccess(taskToken: string, output: string): Record<string, never> {
    const attempt = this.attemptOf(taskToken);
    let value: unknown;
    try {
      value = JSON.parse(output);
    } catch {
      throw new SfnError('InvalidOutput', 'Invalid Output: the output must be JSON text');
    }
    attempt.succeed(value);
    return {};
  }

  /** Fails a waiting task with `error` (what Retry/Catch match, e.g. 'Cancelled') and `cause`. */
  sendTaskFailure(taskToken: string, error?: string, cause?: string): Record<string, never> {
    this.attemptOf(taskToken).fail(error ?? '', cause ?? '');
    return {};
  }

  /** Restarts the task's HeartbeatSeconds countdown, if it has one. */
  sendTaskHeartbeat(taskToken: string): Record<string, never> {
    this.attemptOf(taskToken).heartbeat();
    return {};
  }

  // ── Local conveniences (no AWS equivalent) ──────────────────────────────────────────────────

  /** Callback tasks waiting for their token, oldest first (optionally of one execution). */
  pendingTasks(executionArn?: string): PendingTask[] {
    return [...this.openTokens.values()]
      .filter((attempt) => executionArn === undefined || attempt.exec.arn === executionArn)
      .flatMap((attempt) => (attempt.pending ? [attempt.pending] : []));
  }

  /** Resolves with the description once the execution has ended (rejects after timeoutMs of real time). */
  async waitForExecution(executionArn: string, timeoutMs = 30_000): Promise<ExecutionDescription> {
    const exec = this.execution(executionArn);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${exec.name} still ${exec.status} after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([exec.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return this.describe(exec);
  }

  /** State machine ARNs by name. */
  stateMachineArns(): Record<string, string> {
    return Object.fromEntries([...this.machines.values()].map((m) => [m.name, m.arn]));
  }

  /**
   * Stops every running execution (ABORTED) and refuses new ones. Idempotent. With a dataDir the
   * journal is closed first: on disk the executions stay RUNNING, and the next engine on that
   * directory resumes them (a stop is not an end, just as a kill is not).
   */
  async close(): Promise<void> {
    this.closed = true;
    this.journalDir = undefined;
    const running = [...this.executions.values()].filter((exec) => !exec.ending);
    await Promise.all(
      running.map((exec) => this.terminate(exec, 'ABORTED', 'States.Runtime', 'the local Step Functions engine stopped')),
    );
  }

  // ── Durability ──────────────────────────────────────────────────────────────────────────────
  //
  // With a dataDir, each execution has a journal: `<dataDir>/<name>-<hash>.jsonl`, one JSON object
  // a line, appended before the change it records takes effect (journal.ts says why that survives
  // a SIGKILL at any instant). Its lines:
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

  /** Takes up the journals of a machine just created (status, history, tokens); RUNNING ones wait for resumeExecutions(). */
  private load(machine: MachineRecord): void {
    const journals = this.unclaimed.get(machine.name);
    if (!journals) return;
    this.unclaimed.delete(machine.name);
    const loaded = journals
      .map(({ file, records }) => this.replay(machine, file, records))
      .sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
    for (const exec of loaded) {
      if (machine.executions.has(exec.name)) {
        this.log.warn(`${exec.file}: a second journal of ${machine.name}/${exec.name}, ignored`);
        continue;
      }
      machine.executions.set(exec.name, exec);
      this.executions.set(exec.arn, exec);
    }
    const running = loaded.filter((exec) => exec.status === 'RUNNING').length;
    this.log.info(`${machine.name}: ${loaded.length} executions from ${this.journalDir}, ${running} running`);
  }

  /** An execution as its journal tells it. */
  private replay(machine: MachineRecord, file: string, records: JournalRecord[]): ExecutionRecord {
    const start = records[0] as Extract<JournalRecord, { t: 'start' }>;
    const exec = freshExecution(machine, { arn: start.arn, name: start.name, input: start.input, startDate: new Date(start.startDate) });
    exec.file = file;
    const replay: Replay = {};
    const tokens: string[] = [];
    for (const record of records.slice(1)) {
      switch (record.t) {
        case 'event': {
          const event: HistoryEvent = { ...record.event, timestamp: new Date(record.event.timestamp as unknown as string) };
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
    for (const token of tokens) if (token !== open) this.closedTokens.add(token);
    if (exec.status === 'RUNNING') exec.dormant = replay;
    else exec.ending = true;
    return exec;
  }

  /**
   * Resumes every execution loaded from the data dir as RUNNING (call once the state machines are
   * created and their handlers can run): each re-enters the state it was in with that state's
   * input, through the same path as RedriveExecution, under the state machine as created now. A
   * callback task keeps its token (links already emailed still work) and its absolute deadline;
   * a Wait sleeps only what is left; a Lambda task that was running runs again (at-least-once);
   * the execution's TimeoutSeconds still counts from its start (or last redrive). Returns what
   * was resumed where.
   */
  resumeExecutions(): { executionArn: string; stateName: string }[] {
    this.assertOpen();
    const resumed: { executionArn: string; stateName: string }[] = [];
    for (const exec of this.executions.values()) {
      const replay = exec.dormant;
      if (!replay) continue;
      exec.dormant = undefined;
      if (exec.status !== 'RUNNING') continue;
      const point = this.resumePoint(exec, 'resume');
      if (!('from' in point)) {
        // It had left its last state: it had finished, but the process died before it said so.
        const output = point.finished ?? 'null';
        this.end(exec, 'SUCCEEDED', { output }, 'ExecutionSucceeded', {
          executionSucceededEventDetails: { output, outputDetails: { truncated: false } },
        });
        continue;
      }
      const { stateName } = point.from;
      const states = exec.machine.prepared.runnable.States as AslObject;
      if (!Object.hasOwn(states, stateName)) {
        const cause = `cannot resume after a restart: the state machine has no state "${stateName}" any more`;
        this.end(exec, 'FAILED', { error: 'States.Runtime', cause }, 'ExecutionFailed', {
          executionFailedEventDetails: { error: 'States.Runtime', cause },
        });
        continue;
      }
      const position = exec.position;
      const here = replay.entered === true && position?.stateName === stateName;
      // A Choice that had decided is decided again (resumePoint): the same way, on the same input.
      const decided = here && position?.output !== undefined && exec.machine.prepared.stateTypes.get(stateName) === 'Choice';
      // The state it was in, not left yet: its StateEntered is in the history, and the journal may
      // know its attempt or its Wait.
      const reentry = decided || (here && position?.output === undefined);
      const attempt = reentry && replay.attempt?.stateName === stateName ? replay.attempt : undefined;
      const wait = reentry && replay.wait?.stateName === stateName ? replay.wait : undefined;
      this.run(exec, JSON.parse(exec.input), position ? point.from : undefined, (exec.redriveDate ?? exec.startDate).getTime());
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
        const reopened = this.runTask(exec, plan, undefined, attempt.timeoutSeconds, attempt.heartbeatSeconds, {}, attempt);
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
      this.log.info(`resumed ${exec.machine.name}/${exec.name} at ${stateName}, ${how}`);
      resumed.push({ executionArn: exec.arn, stateName });
    }
    return resumed;
  }

  /** The resume data for a resumed run's first call into the state it re-enters (once). */
  private takeResume(exec: ExecutionRecord, generation: number, stateName: string): Resume | undefined {
    const resume = exec.resume;
    if (!resume || resume.used || resume.generation !== generation || resume.stateName !== stateName) return undefined;
    resume.used = true;
    return resume;
  }

  // ── Running states ──────────────────────────────────────────────────────────────────────────

  private localHandlers(exec: ExecutionRecord, generation: number): LocalHandlers {
    const handlers: LocalHandlers = {};
    for (const [stateName, plan] of exec.machine.prepared.plans) {
      // Must stay synchronous up to the capture: the library arms its timer right after this returns.
      handlers[stateName] = (input) => {
        const timer = captureLibraryTimer();
        return this.runState(exec, generation, plan, input, timer) as ReturnType<LocalHandlers[string]>;
      };
    }
    return handlers;
  }

  private async runState(
    exec: ExecutionRecord,
    generation: number,
    plan: StatePlan,
    input: unknown,
    timer: LibraryTimer,
  ): Promise<unknown> {
    // The library arms its Task timer synchronously after the handler returns: it is captured now.
    await null;
    if (!timer.fire) this.warnNoTimer();
    // A stopped run's library may still call in (a Retry's pause ends early on abort): not into a redrive.
    const over = () => exec.ending || exec.generation !== generation;
    if (over()) throw new ExecutionClosedError();
    if (plan.kind === 'pass') return plan.passResult ?? null;
    // A resumed run's first call into the state it re-enters gets what the journal knew.
    const resume = this.takeResume(exec, generation, plan.stateName);
    if (plan.kind === 'wait') {
      // Lets the library's StateEntered reach the history (and the journal) first.
      await settle(1);
      if (over()) throw new ExecutionClosedError();
      return this.runWait(exec, plan, input as WaitInput, resume?.wakeAt, resume?.enteredAt);
    }
    if (resume?.reopened) {
      resume.reopened.library.timer = timer;
      return resume.reopened.promise;
    }
    if (resume?.outcome) return replayOutcome(resume.outcome, timer);

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
    // Lets the library's StateEntered reach the history first.
    await settle(1);
    if (over()) throw new ExecutionClosedError();
    return this.runTask(exec, plan, parameters, timeoutSeconds, heartbeatSeconds, timer, undefined, resume?.enteredAt)
      .promise;
  }

  /**
   * `wakeAt` (engine clock) when a resumed run re-enters the Wait it was in: the wake-up time
   * journaled when the Wait began, so it sleeps only what is left. `since`: when the Wait was
   * entered, if that was before now (default now).
   */
  private async runWait(
    exec: ExecutionRecord,
    plan: StatePlan,
    input: WaitInput,
    wakeAt?: number,
    since = this.timers.now(),
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
      wakeAt = since + Math.max(0, ms) / this.speedup;
      this.journal(exec, { t: 'wait', stateName: plan.stateName, wakeAt: new Date(wakeAt).toISOString() });
      this.log.info(`${exec.machine.name}/${exec.name}: ${plan.stateName} waits until ${new Date(wakeAt).toISOString()}`);
    }
    try {
      await this.timers.sleep(wakeAt - this.timers.now(), exec.aborter.signal);
    } catch {
      throw new ExecutionClosedError();
    }
    return input.input;
  }

  /**
   * One attempt of a Task state: runs the handler, and for a callback task mints the token and
   * waits for SendTaskSuccess/Failure, the timeout or the heartbeat. `reopened`: a callback
   * attempt taken up again from the journal after a restart, with its token, payload and deadline
   * (the handler runs again only if it had not returned; no Scheduled/Started events again).
   * `library.timer` is the library's Task timer, replaceable until the library reaches the state.
   * `since`: when the state was entered, if before now (a resumed run): the timeout counts from it.
   */
  private runTask(
    exec: ExecutionRecord,
    plan: StatePlan,
    parameters: unknown,
    timeoutSeconds: number | undefined,
    heartbeatSeconds: number | undefined,
    timer: LibraryTimer,
    reopened?: JournaledAttempt,
    since = this.timers.now(),
  ): { promise: Promise<unknown>; library: { timer: LibraryTimer } } {
    const { promise, resolve, reject } = deferred<unknown>();
    const library = { timer };
    const aborter = new AbortController();
    const lambda = plan.kind === 'lambda';
    const resourceInfo = { resourceType: 'lambda', resource: plan.kind === 'callback' ? 'invoke.waitForTaskToken' : 'invoke' };
    const detail = (type: string, fields?: Record<string, unknown>) => {
      this.record(exec, type, fields ? { [`${type[0]?.toLowerCase()}${type.slice(1)}EventDetails`]: fields } : {});
    };
    const settled = (outcome: Outcome) => this.journal(exec, { t: 'settled', stateName: plan.stateName, outcome });

    const attempt: TaskAttempt = {
      exec,
      plan,
      settled: false,
      succeed: (output) => {
        settleWith(() => {
          if (lambda) detail('LambdaFunctionSucceeded', { output: JSON.stringify(output), outputDetails: { truncated: false } });
          else detail('TaskSucceeded', { ...resourceInfo, output: JSON.stringify(output), outputDetails: { truncated: false } });
          settled({ kind: 'succeeded', output });
          resolve(output);
        });
      },
      fail: (error, cause, thrown) => {
        settleWith(() => {
          detail(lambda ? 'LambdaFunctionFailed' : 'TaskFailed', { ...(lambda ? {} : resourceInfo), error, cause });
          settled({ kind: 'failed', error, cause, ...(thrown instanceof StatesRuntimeError ? { runtime: true } : {}) });
          reject(thrown ?? new TaskError(error, cause));
        });
      },
      heartbeat: () => armHeartbeat(),
    };

    const onExecutionAbort = () => settleWith(() => reject(new ExecutionClosedError()));
    const settleWith = (effect: () => void): boolean => {
      if (attempt.settled) return false;
      attempt.settled = true;
      aborter.abort();
      exec.aborter.signal.removeEventListener('abort', onExecutionAbort);
      if (attempt.token) {
        this.openTokens.delete(attempt.token);
        this.closedTokens.add(attempt.token);
      }
      // The outcome and its history event in one journal line.
      this.batch(exec, effect);
      return true;
    };
    exec.aborter.signal.addEventListener('abort', onExecutionAbort, { once: true });

    const timeOut = (cause: string) =>
      settleWith(() => {
        detail(lambda ? 'LambdaFunctionTimedOut' : 'TaskTimedOut', {
          ...(lambda ? {} : resourceInfo),
          error: 'States.Timeout',
          cause,
        });
        settled({ kind: 'timedOut', cause });
        // The library's own timer rejects with its StatesTimeoutError, which States.TaskFailed
        // does not match (as in AWS). Ours is the fallback should the capture ever fail.
        library.timer.fire?.();
        reject(new TaskError('States.Timeout', cause));
      });
    // The deadline is a point in time (engine clock), journaled with a callback's token: a resumed
    // attempt keeps it.
    const timeoutAt = reopened
      ? reopened.timeoutDate === undefined
        ? undefined
        : Date.parse(reopened.timeoutDate)
      : timeoutSeconds === undefined
        ? undefined
        : since + (timeoutSeconds * 1000) / this.speedup;
    if (timeoutAt !== undefined) {
      this.timers.sleep(timeoutAt - this.timers.now(), aborter.signal).then(
        () => timeOut(`the task did not finish within ${timeoutSeconds} s`),
        () => {},
      );
    }
    let heartbeat: AbortController | undefined;
    const armHeartbeat = () => {
      heartbeat?.abort();
      if (heartbeatSeconds === undefined || attempt.settled) return;
      heartbeat = new AbortController();
      this.sleep(heartbeatSeconds * 1000, AbortSignal.any([heartbeat.signal, aborter.signal])).then(
        () => timeOut(`no heartbeat within ${heartbeatSeconds} s`),
        () => {},
      );
    };

    const failWith = (error: unknown) => {
      if (error instanceof StatesRuntimeError) attempt.fail(error.name, error.message, error);
      else {
        const taskError = asTaskError(error);
        attempt.fail(taskError.name, taskError.message);
      }
    };
    const result = { promise, library };

    try {
      if (plan.kind === 'lambda') {
        const handler = this.handler(exec.machine, plan.functionName ?? plan.resource);
        // One journal line for the attempt and its events (see batch()).
        this.batch(exec, () => {
          this.journal(exec, { t: 'task', attempt: { stateName: plan.stateName } });
          detail('LambdaFunctionScheduled', {
            resource: plan.resource,
            input: JSON.stringify(parameters),
            inputDetails: { truncated: false },
            ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
          });
          detail('LambdaFunctionStarted');
        });
        invoke(handler, parameters).then(attempt.succeed, failWith);
        return result;
      }

      let payload: unknown;
      const handler = this.batch(exec, (): TaskHandler => {
        let functionName: string;
        let shownParameters: unknown = parameters;
        if (reopened?.token) {
          functionName = reopened.functionName ?? '';
          payload = reopened.payload;
        } else {
          if (!isObject(parameters)) throw new StatesRuntimeError('lambda:invoke needs Parameters with FunctionName');
          functionName = String(parameters.FunctionName ?? '');
          payload = parameters.Payload ?? {};
        }
        if (reopened?.token) {
          attempt.token = reopened.token;
          attempt.pending = {
            taskToken: reopened.token,
            executionArn: exec.arn,
            stateName: plan.stateName,
            functionName,
            payload,
            scheduledDate: new Date(reopened.scheduledDate ?? this.timers.now()),
            ...(timeoutAt !== undefined ? { timeoutDate: new Date(timeoutAt) } : {}),
            ...(reopened.submitted ? { submitted: true } : {}),
          };
          this.openTokens.set(reopened.token, attempt);
        } else if (plan.kind === 'callback') {
          const token = randomBytes(48).toString('base64url');
          const replaced = replacePlaceholder(payload, this.tokenPlaceholder, token);
          if (!replaced.found) this.log.warn(`${plan.stateName}: the payload does not pass $$.Task.Token`);
          payload = replaced.value;
          shownParameters = replacePlaceholder(parameters, this.tokenPlaceholder, token).value;
          attempt.token = token;
          attempt.pending = {
            taskToken: token,
            executionArn: exec.arn,
            stateName: plan.stateName,
            functionName,
            payload,
            scheduledDate: new Date(this.timers.now()),
            ...(timeoutAt !== undefined ? { timeoutDate: new Date(timeoutAt) } : {}),
          };
          this.openTokens.set(token, attempt);
          // Before the handler sees the token: a restart must know it.
          this.journal(exec, {
            t: 'task',
            attempt: {
              stateName: plan.stateName,
              token,
              functionName,
              payload,
              scheduledDate: attempt.pending.scheduledDate.toISOString(),
              ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
              ...(timeoutAt !== undefined ? { timeoutDate: new Date(timeoutAt).toISOString() } : {}),
              ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
            },
          });
        } else {
          this.journal(exec, { t: 'task', attempt: { stateName: plan.stateName } });
        }
        if (!reopened) {
          detail('TaskScheduled', {
            ...resourceInfo,
            region: this.region,
            parameters: JSON.stringify(shownParameters),
            ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
            ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
          });
        }
        const found = this.handler(exec.machine, functionName);
        if (!reopened) detail('TaskStarted', resourceInfo);
        return found;
      });

      if (plan.kind === 'invoke') {
        invoke(handler, payload).then(
          (output) => attempt.succeed(invokeResponse(output)),
          failWith,
        );
        return result;
      }

      armHeartbeat();
      // A reopened attempt whose handler had returned only waits for its callback, as before.
      if (reopened?.submitted) return result;
      if (attempt.pending) this.emit('taskWaiting', attempt.pending);
      invoke(handler, payload).then(
        (output) => {
          if (attempt.settled) return;
          this.batch(exec, () => {
            detail('TaskSubmitted', {
              ...resourceInfo,
              output: JSON.stringify(invokeResponse(output)),
              outputDetails: { truncated: false },
            });
            this.journal(exec, { t: 'submitted', stateName: plan.stateName });
          });
          if (attempt.pending) {
            attempt.pending.submitted = true;
            this.log.info(`${exec.machine.name}/${exec.name}: ${plan.stateName} waits for its callback`);
            this.emit('taskSubmitted', attempt.pending);
          }
        },
        failWith,
      );
      return result;
    } catch (error) {
      failWith(error);
      return result;
    }
  }

  private handler(machine: MachineRecord, functionNameOrArn: string): TaskHandler {
    const handler = this.findHandler(machine, functionNameOrArn);
    if (handler) return handler;
    throw new TaskError(
      'Lambda.ResourceNotFoundException',
      `Function not found: ${functionNameOrArn}. Locally, function "${this.prefix}<taskKey>" runs ` +
        `handlers[taskKey] of state machine ${machine.name}; handlers: ${handlerKeys(machine)}`,
    );
  }

  private findHandler(machine: MachineRecord, functionNameOrArn: string): TaskHandler | undefined {
    const name = lambdaFunctionName(functionNameOrArn);
    if (name === undefined) return undefined;
    const key = name.startsWith(this.prefix) ? name.slice(this.prefix.length) : undefined;
    const byKey = key !== undefined && Object.hasOwn(machine.handlers, key) ? machine.handlers[key] : undefined;
    return byKey ?? (Object.hasOwn(machine.handlers, name) ? machine.handlers[name] : undefined);
  }

  private attemptOf(taskToken: string): TaskAttempt {
    if (typeof taskToken !== 'string' || !TOKEN_PATTERN.test(taskToken)) {
      throw new SfnError('InvalidToken', 'Invalid Token: the task token is malformed');
    }
    const attempt = this.openTokens.get(taskToken);
    if (attempt) return attempt;
    if (this.closedTokens.has(taskToken)) {
      throw new SfnError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    }
    throw new SfnError(
      'TaskDoesNotExist',
      this.journaled
        ? 'Task Does Not Exist: this token was not issued by this local runtime (nor by an earlier one on its data dir)'
        : 'Task Does Not Exist: this token was not issued by this local runtime (without a dataDir, tokens live in memory and die with a restart)',
    );
  }

  // ── Execution bookkeeping ───────────────────────────────────────────────────────────────────

  private onLibraryEvent(exec: ExecutionRecord, event: LibraryEvent): void {
    // Where the run is and its history event, in one journal line.
    this.batch(exec, () => this.historyOf(exec, event));
  }

  private historyOf(exec: ExecutionRecord, event: LibraryEvent): void {
    const state = event.state;
    if (state?.name === this.redriveEntry) return;
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
    this.track(exec, event);
    switch (event.type) {
      case 'StateEntered':
      case 'StateExited': {
        if (!state) return;
        const type = exec.machine.prepared.stateTypes.get(state.name) ?? state.type;
        if (event.type === 'StateEntered') {
          this.record(exec, `${type}StateEntered`, {
            stateEnteredEventDetails: {
              name: state.name,
              input: JSON.stringify(state.input ?? null),
              inputDetails: { truncated: false },
            },
          });
        } else {
          this.record(exec, `${type}StateExited`, {
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
        this.record(exec, event.type, {
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
  private track(exec: ExecutionRecord, event: LibraryEvent): void {
    const state = event.state;
    const states = exec.machine.prepared.runnable.States;
    if (!state || !isObject(states) || !Object.hasOwn(states, state.name)) return;
    if (event.type === 'StateEntered') {
      exec.position = { stateName: state.name, input: JSON.stringify(state.input ?? null) };
      this.journal(exec, { t: 'position', position: exec.position });
      return;
    }
    const position = exec.position;
    if (position?.stateName !== state.name) return;
    if (event.type === 'StateExited') position.output = JSON.stringify(state.output ?? null);
    else if (event.type === 'StateCaught' && typeof event.catch?.catcher?.Next === 'string') {
      position.caughtNext = event.catch.catcher.Next;
    } else return;
    this.journal(exec, { t: 'position', position });
  }

  private record(exec: ExecutionRecord, type: string, details: Record<string, unknown> = {}, final = false): void {
    if (exec.ending && !final) return;
    const id = exec.events.length + 1;
    const event: HistoryEvent = { timestamp: new Date(this.timers.now()), type, id, previousEventId: id - 1, ...details };
    exec.events.push(event);
    this.journal(exec, { t: 'event', event });
  }

  /** Appends to the execution's journal (see journal.ts for why this is crash-safe), or to the open batch. */
  private journal(exec: ExecutionRecord, record: JournalRecord): void {
    if (this.journalDir === undefined || exec.file === undefined) return;
    if (exec.batch) exec.batch.push(record);
    else appendLine(exec.file, record);
  }

  /**
   * Runs `fn` (synchronous bookkeeping, no side effects outside the engine) and journals what it
   * recorded as ONE line: a change that takes several records (a task attempt and its Scheduled
   * and Started events; an outcome and its event; a state's position and its StateEntered) is
   * then on disk whole or not at all, whatever instant the process dies.
   */
  private batch<T>(exec: ExecutionRecord, fn: () => T): T {
    if (exec.batch) return fn();
    const records: JournalRecord[] = [];
    exec.batch = records;
    try {
      return fn();
    } finally {
      exec.batch = undefined;
      if (records.length > 0 && this.journalDir !== undefined && exec.file !== undefined) {
        appendLine(exec.file, records.length === 1 ? records[0] : records);
      }
    }
  }

  /** Stops an execution from outside (StopExecution, execution timeout, close). */
  private async terminate(
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
    this.end(exec, status, { error, cause }, type, details);
  }

  private end(
    exec: ExecutionRecord,
    status: ExecutionStatus,
    fields: { output?: string; error?: string; cause?: string },
    eventType: string,
    details: Record<string, unknown>,
  ): void {
    if (exec.status !== 'RUNNING') return;
    exec.ending = true;
    this.record(exec, eventType, details, true);
    exec.status = status;
    exec.stopDate = new Date(this.timers.now());
    if (fields.output !== undefined) exec.output = fields.output;
    if (fields.error !== undefined) exec.error = fields.error;
    if (fields.cause !== undefined) exec.cause = fields.cause;
    exec.aborter.abort(new ExecutionClosedError());
    exec.markDone();
    this.log.info(`${exec.machine.name}/${exec.name}: ${status}${fields.error ? ` (${fields.error})` : ''}`);
    this.emit('executionEnded', this.describe(exec));
  }

  private describe(exec: ExecutionRecord): ExecutionDescription {
    const verdict: { from: ResumePoint } | { reason: string } = exec.redriving
      ? { reason: 'Execution is RUNNING and cannot be redriven' }
      : this.redrivability(exec);
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

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return this.timers.sleep(ms / this.speedup, signal);
  }

  private machine(arn: string): MachineRecord {
    if (typeof arn !== 'string' || !/^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(arn)) {
      throw new SfnError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
    }
    const machine = this.machines.get(arn);
    if (!machine) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  private execution(arn: string): ExecutionRecord {
    if (typeof arn !== 'string' || !/^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn)) {
      throw new SfnError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
    }
    const exec = this.executions.get(arn);
    if (!exec) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return exec;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the local Step Functions engine is closed');
  }

  private warnedNoTimer = false;
  private warnNoTimer(): void {
    if (this.warnedNoTimer) return;
    this.warnedNoTimer = true;
    this.log.warn(
      'could not capture aws-local-stepfunctions\' Task timer (has the library changed?): task timeouts ' +
        'still work, but States.TaskFailed will also catch them',
    );
  }
}

// ── Helpers ───────────────────────────────────────────────────────────────────────────────────

interface WaitInput {
  input: unknown;
  seconds?: unknown;
  timestamp?: unknown;
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

/**
 * Applies an Execution* event read from a journal to the execution's status (what end() and
 * redrive() did when it was recorded).
 */
function applyEvent(exec: ExecutionRecord, event: HistoryEvent): 'ended' | 'redriven' | undefined {
  const details = (key: string) => (isObject(event[key]) ? event[key] : {}) as { output?: unknown; error?: unknown; cause?: unknown; redriveCount?: unknown };
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
function enteredAt(events: HistoryEvent[], stateName: string): number | undefined {
  const entry = events.findLast(
    (e) => e.type.endsWith('StateEntered') && (e.stateEnteredEventDetails as { name?: unknown } | undefined)?.name === stateName,
  );
  return entry?.timestamp.getTime();
}

/** `<name>-<hash of the ARN>.jsonl`: readable, and unique whatever the name holds. */
function journalFileName(arn: string, name: string): string {
  const slug = name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60);
  return `${slug}-${createHash('sha256').update(arn).digest('hex').slice(0, 16)}.jsonl`;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The global setTimeout, writable (the library looks it up on each call). */
const timerGlobal = globalThis as unknown as { setTimeout: unknown };

let capturing = false;
const FAKE_TIMER = Object.freeze({}) as unknown as NodeJS.Timeout;

/**
 * aws-local-stepfunctions arms a setTimeout for every Task right after calling the local handler
 * (synchronously, with TimeoutSeconds × 1000, which the engine sets to LIBRARY_TIMER_SECONDS).
 * This swaps setTimeout for exactly that one call and hands its callback to the engine: the engine
 * fires it when its own clock says the task timed out, so the library rejects with its genuine
 * StatesTimeoutError. Any other setTimeout call goes through; the original is back before the
 * next microtask in every case.
 */
function captureLibraryTimer(): LibraryTimer {
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

async function invoke(handler: TaskHandler, payload: unknown): Promise<unknown> {
  // Lambda receives and returns JSON: a handler gets its own copy and returns only JSON.
  const result = await handler(asLambdaResult(payload));
  return asLambdaResult(result);
}

/** What `arn:aws:states:::lambda:invoke` returns (payloadResponseOnly: false). */
function invokeResponse(payload: unknown): Record<string, unknown> {
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: { 'X-Amz-Executed-Version': ['$LATEST'], 'x-amzn-RequestId': [requestId] },
      HttpHeaders: { 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/** A handler's throw as Lambda reports it: the error name is the errorType; Cause is the JSON. */
function asTaskError(error: unknown): TaskError {
  if (error instanceof TaskError) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  const errorType = err.name || 'Error';
  return new TaskError(
    errorType,
    JSON.stringify({ errorType, errorMessage: err.message, trace: (err.stack ?? '').split('\n') }),
  );
}

function replacePlaceholder(value: unknown, placeholder: string, token: string): { value: unknown; found: boolean } {
  let found = false;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      if (!node.includes(placeholder)) return node;
      found = true;
      return node.replaceAll(placeholder, token);
    }
    if (Array.isArray(node)) return node.map(walk);
    if (isObject(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  const result = walk(value);
  return { value: result, found };
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

function executionFailure(error: unknown): { name: string; cause: string } {
  const inner = error instanceof ExecutionError ? (error.cause as unknown) : error;
  if (inner instanceof Error) return { name: inner.name, cause: inner.message };
  return { name: 'States.Runtime', cause: String(inner) };
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

function notRedrivable(exec: ExecutionRecord, reason: string): SfnError {
  // ExecutionNotRedrivable is AWS's error name (its own class in @aws-sdk/client-sfn).
  return new SfnError('ExecutionNotRedrivable', `Execution Not Redrivable: '${exec.arn}': ${reason}`);
}

function withoutData(event: HistoryEvent): HistoryEvent {
  const copy: HistoryEvent = { ...event };
  for (const [key, value] of Object.entries(copy)) {
    if (!key.endsWith('EventDetails') || !isObject(value)) continue;
    const { input: _input, output: _output, ...rest } = value;
    copy[key] = rest;
  }
  return copy;
}

function paginate<T>(all: T[], maxResults?: number, nextToken?: string): { items: T[]; nextToken?: string } {
  const size = maxResults && maxResults > 0 ? Math.min(maxResults, 1000) : 100;
  let start = 0;
  if (nextToken !== undefined) {
    start = Number.parseInt(Buffer.from(nextToken, 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0) throw new SfnError('ValidationException', 'Invalid nextToken');
  }
  const items = all.slice(start, start + size);
  const next = start + size < all.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { items, ...(next ? { nextToken: next } : {}) };
}

/** AWS's rule for state machine and execution names. */
function assertName(name: unknown, what: string): asserts name is string {
  const bad =
    typeof name !== 'string' ||
    name.length < 1 ||
    name.length > 80 ||
    [...name].some((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(ch);
    });
  if (bad) throw new SfnError('InvalidName', `Invalid Name: '${String(name)}' is not a valid ${what} name`);
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function handlerKeys(machine: MachineRecord): string {
  const keys = Object.keys(machine.handlers);
  return keys.length > 0 ? keys.join(', ') : '(none)';
}
