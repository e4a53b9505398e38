import type { Log } from '../log.ts';
import type { ClockOptions } from './clock.ts';

/**
 * The public shapes of the local Step Functions runtime: what `engine.ts` (the facade) takes and
 * answers, and what the local stack hands it. Kept apart from the engine's code so that modules
 * describing state machines (local/review-ladder.ts, local/stack.ts, local/faults.ts) can share
 * them without importing one another.
 */

export type TaskHandler = (payload: unknown) => Promise<unknown>;

/** A state machine for the local Step Functions runtime (its ASL, e.g. from extractDefinition). */
export interface LocalStateMachine {
  name: string;
  /** The ASL definition as plain JSON (local/stepfunctions/extract.ts turns a CDK construct into it). */
  definition: object;
  /** Task key → handler: Lambda function `local-<taskKey>` runs `handlers[taskKey]`. */
  handlers: Record<string, TaskHandler>;
  /** An environment variable set to its ARN for the handlers (e.g. ENV.stateMachineArn). */
  arnEnv?: string;
}

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
