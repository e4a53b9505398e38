import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { silentLog } from '../log.ts';
import { realTimers } from './clock.ts';
import { executionHistory, describe, listExecutions, startExecution, stopExecution, terminate } from './executions.ts';
import { createMachine, describeMachine, executionOf, listMachines, machineOf, partitionOf } from './machines.ts';
import { assertOpen, type Runtime, type TaskAttempt } from './records.ts';
import { redriveExecution } from './redrive.ts';
import { loadJournals, readJournals, resumeExecutions } from './replay.ts';
import { SfnError } from './errors.ts';
import { TokenRegistry } from './tokens.ts';
import type {
  CreateStateMachineOptions,
  ExecutionDescription,
  ExecutionListItem,
  GetExecutionHistoryInput,
  HistoryEvent,
  ListExecutionsInput,
  LocalStepFunctionsEvents,
  LocalStepFunctionsOptions,
  PendingTask,
  RedriveExecutionInput,
  StartExecutionInput,
  StateMachineDescription,
  StateMachineListItem,
} from './types.ts';

export type {
  CreateStateMachineOptions,
  ExecutionDescription,
  ExecutionListItem,
  ExecutionRedriveFilter,
  ExecutionRedriveStatus,
  ExecutionStatus,
  GetExecutionHistoryInput,
  HistoryEvent,
  ListExecutionsInput,
  LocalStateMachine,
  LocalStepFunctionsEvents,
  LocalStepFunctionsOptions,
  PendingTask,
  RedriveExecutionInput,
  StartExecutionInput,
  StateMachineDescription,
  StateMachineListItem,
  TaskHandler,
} from './types.ts';

/** The Retry interval scale an engine with these options runs with: `retry.intervalScale`, or 1 / clock.speedup. */
export function retryIntervalScale(options: Pick<LocalStepFunctionsOptions, 'clock' | 'retry'>): number {
  return options.retry?.intervalScale ?? 1 / (options.clock?.speedup ?? 1);
}

/**
 * A local Step Functions service: runs any ASL definition (the one extracted from the CDK
 * construct) with aws-local-stepfunctions, and adds what that library lacks: task tokens and
 * callbacks (`lambda:invoke.waitForTaskToken`), Step Functions-like executions with unique names,
 * status and history, StopExecution, RedriveExecution, and one clock for every wait and timeout.
 *
 * Task states run the handlers given to createStateMachine, by task key: the Lambda function
 * `local-<taskKey>` (from a Task's Resource ARN, or Parameters.FunctionName for
 * `arn:<partition>:states:::lambda:invoke[.waitForTaskToken]`) runs `handlers[taskKey]`.
 *
 * Without `dataDir` everything lives in memory: a restarted engine has no executions and knows no
 * tokens. With it, every execution is journaled there and a new engine on the same directory
 * takes them up again: `resumeExecutions()`.
 *
 * This class is the facade; the work is in its modules: machines.ts (state machines, handlers),
 * executions.ts (runs, ends, queries), states.ts and tasks.ts (what each state does), tokens.ts,
 * history.ts (history events and journal lines), replay.ts (journals read back, resume),
 * redrive.ts and resume-point.ts, and bridge.ts (the only module that touches the library).
 */
export class LocalStepFunctions extends EventEmitter<LocalStepFunctionsEvents> {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  private readonly rt: Runtime;

  constructor(options: LocalStepFunctionsOptions = {}) {
    super();
    const speedup = options.clock?.speedup ?? 1;
    if (!(speedup > 0) || !Number.isFinite(speedup)) {
      throw new Error(`clock.speedup must be a finite number > 0, got ${speedup}`);
    }
    const retryScale = retryIntervalScale(options);
    if (!(retryScale >= 0) || !Number.isFinite(retryScale)) {
      throw new Error(`retry.intervalScale must be a finite number >= 0, got ${retryScale}`);
    }
    this.region = options.region ?? process.env.AWS_REGION ?? 'cn-north-1';
    this.accountId = options.accountId ?? '000000000000';
    this.partition = partitionOf(this.region);
    this.rt = {
      region: this.region,
      accountId: this.accountId,
      partition: this.partition,
      timers: options.clock?.timers ?? realTimers,
      speedup,
      retryScale,
      prefix: options.functionNamePrefix ?? 'local-',
      log: options.log ?? silentLog,
      machines: new Map(),
      executions: new Map(),
      tokens: new TokenRegistry<TaskAttempt>(options.dataDir !== undefined),
      tokenPlaceholder: `local-sfn-task-token-placeholder-${randomUUID()}`,
      redriveEntry: `localRedrive${randomUUID().replaceAll('-', '')}`,
      journalDir: options.dataDir,
      unclaimed: new Map(),
      closed: false,
      warnedNoTimer: false,
      // The modules' emit is typed per event already; the untyped view spares a cast per event.
      emit: (event, ...args) => void (this as EventEmitter).emit(event, ...args),
    };
    if (options.dataDir !== undefined) readJournals(this.rt, options.dataDir);
  }

  /** What every Retry's IntervalSeconds and MaxDelaySeconds are multiplied by (`retry.intervalScale`). */
  get retryIntervalScale(): number {
    return this.rt.retryScale;
  }

  // ── State machines ──────────────────────────────────────────────────────────────────────────

  /**
   * Registers a state machine (validated with asl-validator). The same name with the same
   * definition again is a no-op that keeps the first handlers, as CreateStateMachine is
   * idempotent; another definition under that name is StateMachineAlreadyExists. With a dataDir,
   * the machine's journals are loaded (its executions of earlier processes).
   */
  createStateMachine(
    name: string,
    definition: object,
    options: CreateStateMachineOptions,
  ): { stateMachineArn: string; creationDate: Date } {
    assertOpen(this.rt);
    const { machine, created } = createMachine(this.rt, name, definition, options);
    if (created) loadJournals(this.rt, machine);
    return { stateMachineArn: machine.arn, creationDate: machine.creationDate };
  }

  describeStateMachine(input: { stateMachineArn: string }): StateMachineDescription {
    return describeMachine(machineOf(this.rt, input.stateMachineArn));
  }

  listStateMachines(input: { maxResults?: number; nextToken?: string } = {}): {
    stateMachines: StateMachineListItem[];
    nextToken?: string;
  } {
    return listMachines(this.rt, input);
  }

  /** State machine ARNs by name. */
  stateMachineArns(): Record<string, string> {
    return Object.fromEntries([...this.rt.machines.values()].map((m) => [m.name, m.arn]));
  }

  // ── Executions ──────────────────────────────────────────────────────────────────────────────

  /** StartExecution; the same name and input while RUNNING returns that execution (executions.ts). */
  startExecution(input: StartExecutionInput): { executionArn: string; startDate: Date } {
    assertOpen(this.rt);
    return startExecution(this.rt, input);
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
    assertOpen(this.rt);
    return redriveExecution(this.rt, executionOf(this.rt, input.executionArn), input);
  }

  describeExecution(input: { executionArn: string }): ExecutionDescription {
    return describe(this.rt, executionOf(this.rt, input.executionArn));
  }

  listExecutions(input: ListExecutionsInput): { executions: ExecutionListItem[]; nextToken?: string } {
    return listExecutions(this.rt, input);
  }

  getExecutionHistory(input: GetExecutionHistoryInput): { events: HistoryEvent[]; nextToken?: string } {
    return executionHistory(executionOf(this.rt, input.executionArn), input);
  }

  /** Stops a RUNNING execution (ABORTED); on an ended one it changes nothing. */
  async stopExecution(input: { executionArn: string; error?: string; cause?: string }): Promise<{ stopDate: Date }> {
    return stopExecution(this.rt, executionOf(this.rt, input.executionArn), input.error, input.cause);
  }

  // ── Callbacks ───────────────────────────────────────────────────────────────────────────────

  /** Completes a waiting `.waitForTaskToken` task with `output` (JSON text). A token works once. */
  sendTaskSuccess(taskToken: string, output: string): Record<string, never> {
    const attempt = this.rt.tokens.attemptOf(taskToken);
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
    this.rt.tokens.attemptOf(taskToken).fail(error ?? '', cause ?? '');
    return {};
  }

  /** Restarts the task's HeartbeatSeconds countdown, if it has one. */
  sendTaskHeartbeat(taskToken: string): Record<string, never> {
    this.rt.tokens.attemptOf(taskToken).heartbeat();
    return {};
  }

  // ── Local conveniences (no AWS equivalent) ──────────────────────────────────────────────────

  /** Callback tasks waiting for their token, oldest first (optionally of one execution). */
  pendingTasks(executionArn?: string): PendingTask[] {
    return this.rt.tokens.pending(executionArn);
  }

  /** Resolves with the description once the execution has ended (rejects after timeoutMs of real time). */
  async waitForExecution(executionArn: string, timeoutMs = 30_000): Promise<ExecutionDescription> {
    const exec = executionOf(this.rt, executionArn);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${exec.name} still ${exec.status} after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([exec.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return describe(this.rt, exec);
  }

  // ── Durability ──────────────────────────────────────────────────────────────────────────────

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
    assertOpen(this.rt);
    return resumeExecutions(this.rt);
  }

  /**
   * Stops every running execution (ABORTED) and refuses new ones. Idempotent. With a dataDir the
   * journal is closed first: on disk the executions stay RUNNING, and the next engine on that
   * directory resumes them (a stop is not an end, just as a kill is not).
   */
  async close(): Promise<void> {
    this.rt.closed = true;
    this.rt.journalDir = undefined;
    const running = [...this.rt.executions.values()].filter((exec) => !exec.ending);
    await Promise.all(
      running.map((exec) =>
        terminate(this.rt, exec, 'ABORTED', 'States.Runtime', 'the local Step Functions engine stopped'),
      ),
    );
  }
}
