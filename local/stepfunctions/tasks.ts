import { randomUUID } from 'node:crypto';
import { asLambdaResult } from '../lambda.ts';
import type { LibraryTimer } from './bridge.ts';
import { isObject, jsonText, type StatePlan } from './definition.ts';
import { ExecutionClosedError, StatesRuntimeError, TaskError } from './errors.ts';
import { batch, journal, record } from './history.ts';
import { handlerFor } from './machines.ts';
import {
  deferred,
  type ExecutionRecord,
  type JournaledAttempt,
  type Outcome,
  type Runtime,
  sleepScaled,
  type TaskAttempt,
} from './records.ts';
import { replacePlaceholder } from './tokens.ts';
import type { PendingTask, TaskHandler } from './types.ts';

/**
 * One attempt of a Task state (a retry is a new attempt): runs the handler, and for a callback
 * task mints the token and waits for SendTaskSuccess/Failure, the timeout or the heartbeat. Each
 * step journals before it has an effect outside the engine (see history.ts `batch`).
 */

/** How the attempt is called. */
export interface TaskCall {
  /** The state's Parameters output (for a reopened callback attempt: unused). */
  parameters: unknown;
  timeoutSeconds: number | undefined;
  heartbeatSeconds: number | undefined;
  /** The library's Task timer, replaceable until the library reaches the state. */
  timer: LibraryTimer;
  /**
   * A callback attempt taken up again from the journal after a restart, with its token, payload
   * and deadline (the handler runs again only if it had not returned; no Scheduled/Started again).
   */
  reopened?: JournaledAttempt;
  /** When the state was entered, if before now (a resumed run): the timeout counts from it. */
  since?: number;
}

/** A started attempt: its result, and the library timer it fires on a timeout. */
export interface RunningTask {
  promise: Promise<unknown>;
  library: { timer: LibraryTimer };
}

export function runTask(rt: Runtime, exec: ExecutionRecord, plan: StatePlan, call: TaskCall): RunningTask {
  const attempt = new Attempt(rt, exec, plan, call);
  attempt.armTimeout();
  try {
    if (plan.kind === 'lambda') attempt.startLambda();
    else {
      const { handler, payload } = batch(rt, exec, () => attempt.schedule());
      if (plan.kind === 'invoke') attempt.startInvoke(handler, payload);
      else attempt.startCallback(handler, payload);
    }
  } catch (error) {
    attempt.failWith(error);
  }
  return attempt.running;
}

class Attempt implements TaskAttempt {
  token?: string;
  pending?: PendingTask;
  settled = false;
  readonly running: RunningTask;
  private readonly resolve: (value: unknown) => void;
  private readonly reject: (reason: unknown) => void;
  /** Aborts this attempt's timers once it settles. */
  private readonly aborter = new AbortController();
  private heartbeatTimer: AbortController | undefined;
  private readonly lambda: boolean;
  private readonly resourceInfo: { resourceType: string; resource: string };
  /** The deadline (engine clock), if the attempt has a timeout. */
  private readonly timeoutAt: number | undefined;

  constructor(
    private readonly rt: Runtime,
    readonly exec: ExecutionRecord,
    readonly plan: StatePlan,
    private readonly call: TaskCall,
  ) {
    const { promise, resolve, reject } = deferred<unknown>();
    this.resolve = resolve;
    this.reject = reject;
    this.running = { promise, library: { timer: call.timer } };
    this.lambda = plan.kind === 'lambda';
    this.resourceInfo = {
      resourceType: 'lambda',
      resource: plan.kind === 'callback' ? 'invoke.waitForTaskToken' : 'invoke',
    };
    exec.aborter.signal.addEventListener('abort', this.onExecutionAbort, { once: true });
    // The deadline is a point in time (engine clock), journaled with a callback's token: a resumed
    // attempt keeps it.
    const { reopened, timeoutSeconds } = call;
    const since = call.since ?? rt.timers.now();
    if (reopened) this.timeoutAt = reopened.timeoutDate === undefined ? undefined : Date.parse(reopened.timeoutDate);
    else this.timeoutAt = timeoutSeconds === undefined ? undefined : since + (timeoutSeconds * 1000) / rt.speedup;
  }

  // ── Outcomes ──────────────────────────────────────────────────────────────────────────────

  succeed = (output: unknown): void => {
    this.settleWith(() => {
      const fields = { output: JSON.stringify(output), outputDetails: { truncated: false } };
      if (this.lambda) this.detail('LambdaFunctionSucceeded', fields);
      else this.detail('TaskSucceeded', { ...this.resourceInfo, ...fields });
      this.journalOutcome({ kind: 'succeeded', output });
      this.resolve(output);
    });
  };

  fail = (error: string, cause: string, thrown?: Error): void => {
    this.settleWith(() => {
      this.detail(this.lambda ? 'LambdaFunctionFailed' : 'TaskFailed', {
        ...(this.lambda ? {} : this.resourceInfo),
        error,
        cause,
      });
      this.journalOutcome({
        kind: 'failed',
        error,
        cause,
        ...(thrown instanceof StatesRuntimeError ? { runtime: true } : {}),
      });
      this.reject(thrown ?? new TaskError(error, cause));
    });
  };

  /** A handler's or the engine's throw: a States.Runtime error stays uncatchable; anything else is a Lambda error. */
  failWith = (error: unknown): void => {
    if (error instanceof StatesRuntimeError) this.fail(error.name, error.message, error);
    else {
      const taskError = asTaskError(error);
      this.fail(taskError.name, taskError.message);
    }
  };

  private timeOut(cause: string): void {
    this.settleWith(() => {
      this.detail(this.lambda ? 'LambdaFunctionTimedOut' : 'TaskTimedOut', {
        ...(this.lambda ? {} : this.resourceInfo),
        error: 'States.Timeout',
        cause,
      });
      this.journalOutcome({ kind: 'timedOut', cause });
      // The library's own timer rejects with its StatesTimeoutError, which States.TaskFailed
      // does not match (as in AWS). Ours is the fallback should the capture ever fail.
      this.running.library.timer.fire?.();
      this.reject(new TaskError('States.Timeout', cause));
    });
  }

  private readonly onExecutionAbort = (): void => {
    this.settleWith(() => this.reject(new ExecutionClosedError()));
  };

  /** Settles once: stops the timers, spends the token, and journals the outcome with its event as one line. */
  private settleWith(effect: () => void): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.aborter.abort();
    this.exec.aborter.signal.removeEventListener('abort', this.onExecutionAbort);
    if (this.token) this.rt.tokens.close(this.token);
    batch(this.rt, this.exec, effect);
    return true;
  }

  // ── Timers ────────────────────────────────────────────────────────────────────────────────

  armTimeout(): void {
    if (this.timeoutAt === undefined) return;
    this.rt.timers.sleep(this.timeoutAt - this.rt.timers.now(), this.aborter.signal).then(
      () => this.timeOut(`the task did not finish within ${this.call.timeoutSeconds} s`),
      () => {},
    );
  }

  /** (Re)starts the HeartbeatSeconds countdown, if the task has one (SendTaskHeartbeat). */
  heartbeat = (): void => {
    this.heartbeatTimer?.abort();
    const { heartbeatSeconds } = this.call;
    if (heartbeatSeconds === undefined || this.settled) return;
    this.heartbeatTimer = new AbortController();
    sleepScaled(
      this.rt,
      heartbeatSeconds * 1000,
      AbortSignal.any([this.heartbeatTimer.signal, this.aborter.signal]),
    ).then(
      () => this.timeOut(`no heartbeat within ${heartbeatSeconds} s`),
      () => {},
    );
  };

  // ── Steps ─────────────────────────────────────────────────────────────────────────────────

  /** A Lambda function task (Resource = function ARN): the attempt and its events in one journal line, then the handler. */
  startLambda(): void {
    const { rt, exec, plan, call } = this;
    const handler = handlerFor(rt, exec.machine, plan.functionName ?? plan.resource);
    batch(rt, exec, () => {
      journal(rt, exec, { t: 'task', attempt: { stateName: plan.stateName } });
      this.detail('LambdaFunctionScheduled', {
        resource: plan.resource,
        input: JSON.stringify(call.parameters),
        inputDetails: { truncated: false },
        ...(call.timeoutSeconds !== undefined ? { timeoutInSeconds: call.timeoutSeconds } : {}),
      });
      this.detail('LambdaFunctionStarted');
    });
    invoke(handler, call.parameters).then(this.succeed, this.failWith);
  }

  /**
   * A `lambda:invoke[.waitForTaskToken]` task (inside one batch): its function and payload, the
   * token opened (a callback's, minted or reopened) and journaled, TaskScheduled and TaskStarted.
   */
  schedule(): { handler: TaskHandler; payload: unknown } {
    const { rt, exec, plan, call } = this;
    const { parameters, reopened } = call;
    let functionName: string;
    let payload: unknown;
    let shownParameters: unknown = parameters;
    if (reopened?.token) {
      functionName = reopened.functionName ?? '';
      payload = reopened.payload;
      this.reopen(reopened.token, reopened, functionName, payload);
    } else {
      if (!isObject(parameters)) throw new StatesRuntimeError('lambda:invoke needs Parameters with FunctionName');
      functionName = jsonText(parameters.FunctionName ?? '');
      payload = parameters.Payload ?? {};
      if (plan.kind === 'callback') ({ payload, shownParameters } = this.openToken(functionName, payload));
      else journal(rt, exec, { t: 'task', attempt: { stateName: plan.stateName } });
    }
    if (!reopened) {
      this.detail('TaskScheduled', {
        ...this.resourceInfo,
        region: rt.region,
        parameters: JSON.stringify(shownParameters),
        ...(call.timeoutSeconds !== undefined ? { timeoutInSeconds: call.timeoutSeconds } : {}),
        ...(call.heartbeatSeconds !== undefined ? { heartbeatInSeconds: call.heartbeatSeconds } : {}),
      });
    }
    const handler = handlerFor(rt, exec.machine, functionName);
    if (!reopened) this.detail('TaskStarted', this.resourceInfo);
    return { handler, payload };
  }

  /** A journaled callback attempt's token answers this attempt again, with its payload and deadline. */
  private reopen(token: string, reopened: JournaledAttempt, functionName: string, payload: unknown): void {
    this.token = token;
    this.pending = {
      taskToken: token,
      executionArn: this.exec.arn,
      stateName: this.plan.stateName,
      functionName,
      payload,
      scheduledDate: new Date(reopened.scheduledDate ?? this.rt.timers.now()),
      ...(this.timeoutAt !== undefined ? { timeoutDate: new Date(this.timeoutAt) } : {}),
      ...(reopened.submitted ? { submitted: true } : {}),
    };
    this.rt.tokens.openFor(token, this);
  }

  /** Mints the callback's token, puts it where `$$.Task.Token` was, and journals it before the handler sees it. */
  private openToken(functionName: string, rawPayload: unknown): { payload: unknown; shownParameters: unknown } {
    const { rt, exec, plan, call } = this;
    const token = rt.tokens.mint();
    const replaced = replacePlaceholder(rawPayload, rt.tokenPlaceholder, token);
    if (!replaced.found) rt.log.warn(`${plan.stateName}: the payload does not pass $$.Task.Token`);
    const payload = replaced.value;
    const shownParameters = replacePlaceholder(call.parameters, rt.tokenPlaceholder, token).value;
    this.token = token;
    const pending: PendingTask = {
      taskToken: token,
      executionArn: exec.arn,
      stateName: plan.stateName,
      functionName,
      payload,
      scheduledDate: new Date(rt.timers.now()),
      ...(this.timeoutAt !== undefined ? { timeoutDate: new Date(this.timeoutAt) } : {}),
    };
    this.pending = pending;
    rt.tokens.openFor(token, this);
    // Before the handler sees the token: a restart must know it.
    journal(rt, exec, {
      t: 'task',
      attempt: {
        stateName: plan.stateName,
        token,
        functionName,
        payload,
        scheduledDate: pending.scheduledDate.toISOString(),
        ...(call.timeoutSeconds !== undefined ? { timeoutSeconds: call.timeoutSeconds } : {}),
        ...(this.timeoutAt !== undefined ? { timeoutDate: new Date(this.timeoutAt).toISOString() } : {}),
        ...(call.heartbeatSeconds !== undefined ? { heartbeatSeconds: call.heartbeatSeconds } : {}),
      },
    });
    return { payload, shownParameters };
  }

  /** `lambda:invoke`: the handler's result, wrapped as the invoke API returns it. */
  startInvoke(handler: TaskHandler, payload: unknown): void {
    invoke(handler, payload).then((output) => this.succeed(invokeResponse(output)), this.failWith);
  }

  /** `.waitForTaskToken`: the heartbeat, the handler, then TaskSubmitted; the result comes with the callback. */
  startCallback(handler: TaskHandler, payload: unknown): void {
    const { rt, exec, plan } = this;
    this.heartbeat();
    // A reopened attempt whose handler had returned only waits for its callback, as before.
    if (this.call.reopened?.submitted) return;
    if (this.pending) rt.emit('taskWaiting', this.pending);
    invoke(handler, payload).then((output) => {
      if (this.settled) return;
      batch(rt, exec, () => {
        this.detail('TaskSubmitted', {
          ...this.resourceInfo,
          output: JSON.stringify(invokeResponse(output)),
          outputDetails: { truncated: false },
        });
        journal(rt, exec, { t: 'submitted', stateName: plan.stateName });
      });
      if (this.pending) {
        this.pending.submitted = true;
        rt.log.info(`${exec.machine.name}/${exec.name}: ${plan.stateName} waits for its callback`);
        rt.emit('taskSubmitted', this.pending);
      }
    }, this.failWith);
  }

  // ── Bookkeeping ───────────────────────────────────────────────────────────────────────────

  /** A history event with its details under `<type>EventDetails`. */
  private detail(type: string, fields?: Record<string, unknown>): void {
    record(
      this.rt,
      this.exec,
      type,
      fields ? { [`${type[0]?.toLowerCase()}${type.slice(1)}EventDetails`]: fields } : {},
    );
  }

  private journalOutcome(outcome: Outcome): void {
    journal(this.rt, this.exec, { t: 'settled', stateName: this.plan.stateName, outcome });
  }
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
