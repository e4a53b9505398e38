import { once } from 'node:events';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StepFunctionsApi, startStepFunctionsApi } from '../../local/stepfunctions/api.ts';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import { LocalStepFunctions, type PendingTask } from '../../local/stepfunctions/engine.ts';

/**
 * RedriveExecution on the local Step Functions runtime, driven through the real
 * @aws-sdk/client-sfn against the local JSON API: a failed execution restarts at the state that
 * failed, with that state's input, under the same ARN, without rerunning what succeeded.
 * Time only moves on a ManualClock; endings are awaited with waitForExecution, tokens with the
 * engine's taskWaiting event.
 */

const FN = (name: string) => `arn:aws-cn:lambda:cn-north-1:000000000000:function:local-${name}`;
const CALLBACK = 'arn:aws-cn:states:::lambda:invoke.waitForTaskToken';
const HOUR_MS = 3_600_000;

/** Pass → Fetch → Flaky → After; Flaky sees the redrive count and the execution input through $$. */
const ladder = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Parameters: { 'applicationId.$': '$.applicationId', prepared: true }, Next: 'Fetch' },
    Fetch: { Type: 'Task', Resource: FN('fetch'), ResultPath: '$.fetched', Next: 'Flaky' },
    Flaky: {
      Type: 'Task',
      Resource: FN('flaky'),
      Parameters: {
        'data.$': '$',
        'redriveCount.$': '$$.Execution.RedriveCount',
        'executionInput.$': '$$.Execution.Input',
      },
      ResultPath: '$.flaky',
      Next: 'After',
    },
    After: { Type: 'Task', Resource: FN('after'), End: true },
  },
};

/** Prepare → Review (callback; its payload carries the token and the redrive count) → Done, within an hour. */
const callbackMachine = {
  TimeoutSeconds: 3600,
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: 'prepared', ResultPath: '$.step', Next: 'Review' },
    Review: {
      Type: 'Task',
      Resource: CALLBACK,
      Parameters: {
        FunctionName: 'local-review',
        Payload: {
          'token.$': '$$.Task.Token',
          'applicationId.$': '$.applicationId',
          'redriveCount.$': '$$.Execution.RedriveCount',
        },
      },
      ResultPath: '$.decision',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

/** The failure is inside a Parallel branch: not something the local runtime can resume. */
const parallelMachine = {
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Task', Resource: FN('fetch'), End: true } } },
        { StartAt: 'Right', States: { Right: { Type: 'Task', Resource: FN('broken'), End: true } } },
      ],
      End: true,
    },
  },
};

class Calls {
  fetch: unknown[] = [];
  flaky: unknown[] = [];
  after: unknown[] = [];
  review: unknown[] = [];
  flakyDown = true;
}

const calls = new Calls();
const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
let engine: LocalStepFunctions;
let api: StepFunctionsApi;
let client: SFNClient;
const arns: Record<string, string> = {};

beforeAll(async () => {
  engine = new LocalStepFunctions({ clock: { timers: clock }, retry: { intervalScale: 0 } });
  const handlers = {
    fetch: async (payload: unknown) => {
      calls.fetch.push(payload);
      return { route: ['city', 'province'] };
    },
    flaky: async (payload: unknown) => {
      calls.flaky.push(payload);
      if (calls.flakyDown) throw Object.assign(new Error('the registry is down'), { name: 'Upstream.Unavailable' });
      return { ok: true };
    },
    after: async (payload: unknown) => {
      calls.after.push(payload);
      return { done: (payload as { applicationId: string }).applicationId };
    },
    review: async (payload: unknown) => {
      calls.review.push(payload);
      return { emailed: true };
    },
    broken: async () => {
      throw Object.assign(new Error('no'), { name: 'Broken' });
    },
  };
  for (const [name, definition] of Object.entries({ ladder, callback: callbackMachine, parallel: parallelMachine })) {
    arns[name] = engine.createStateMachine(name, definition, { handlers }).stateMachineArn;
  }
  api = await startStepFunctionsApi(engine);
  client = new SFNClient({
    endpoint: api.url,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client?.destroy();
  await api?.close();
  await engine?.close();
});

async function start(machine: string, name: string, input: unknown): Promise<string> {
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn: arns[machine], name, input: JSON.stringify(input) }),
  );
  if (!executionArn) throw new Error('no executionArn');
  return executionArn;
}

/** The next callback task to wait for its token: call before what starts it. */
function nextTask(): Promise<PendingTask> {
  return once(engine, 'taskWaiting', { signal: AbortSignal.timeout(5_000) }).then(([task]) => task as PendingTask);
}

const describeExecution = (executionArn: string) => client.send(new DescribeExecutionCommand({ executionArn }));

async function history(executionArn: string): Promise<HistoryEvent[]> {
  const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return events;
}

const entered = (events: HistoryEvent[], name: string) =>
  events.filter((e) => e.type?.endsWith('StateEntered') && e.stateEnteredEventDetails?.name === name);

describe('RedriveExecution through @aws-sdk/client-sfn', () => {
  it('restarts a failed execution at the failed state with its input, and runs nothing that succeeded again', async () => {
    const input = { applicationId: 'app-1', note: 'original input' };
    const arn = await start('ladder', 'flaky-1', input);
    const failed = await engine.waitForExecution(arn, 5_000);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Upstream.Unavailable' });
    expect(JSON.parse(failed.cause ?? '{}')).toMatchObject({ errorMessage: 'the registry is down' });

    const before = await describeExecution(arn);
    expect(before).toMatchObject({ status: 'FAILED', redriveCount: 0, redriveStatus: 'REDRIVABLE' });
    expect(before.redriveDate).toBeUndefined();
    expect(before.redriveStatusReason).toBeUndefined();
    expect([calls.fetch.length, calls.flaky.length, calls.after.length]).toEqual([1, 1, 0]);

    calls.flakyDown = false;
    await clock.advance(60_000);
    const { redriveDate } = await client.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect(redriveDate).toBeInstanceOf(Date);
    expect(redriveDate?.getTime()).toBe(clock.now());

    const done = await engine.waitForExecution(arn, 5_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toEqual({ done: 'app-1' });

    // Prepare (Pass) and Fetch ran once; Flaky twice, with the same state input; After once.
    expect([calls.fetch.length, calls.flaky.length, calls.after.length]).toEqual([1, 2, 1]);
    const [first, second] = calls.flaky as { data: unknown; redriveCount: number; executionInput: unknown }[];
    expect(second?.data).toEqual(first?.data);
    expect(first?.data).toEqual({ applicationId: 'app-1', prepared: true, fetched: { route: ['city', 'province'] } });
    expect([first?.redriveCount, second?.redriveCount]).toEqual([0, 1]);
    // $$.Execution.Input is still the execution's input, not the resumed state's.
    expect(second?.executionInput).toEqual(input);

    const events = await history(arn);
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'ExecutionStarted')).toHaveLength(1);
    expect(entered(events, 'Prepare')).toHaveLength(1);
    expect(entered(events, 'Fetch')).toHaveLength(1);
    const flakyEntered = entered(events, 'Flaky');
    expect(flakyEntered).toHaveLength(2);
    expect(flakyEntered[1]?.stateEnteredEventDetails?.input).toBe(flakyEntered[0]?.stateEnteredEventDetails?.input);
    const failedAt = types.indexOf('ExecutionFailed');
    expect(types[failedAt + 1]).toBe('ExecutionRedriven');
    expect(events[failedAt + 1]?.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    expect(types.slice(failedAt + 2)).toEqual([
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.previousEventId)).toEqual(events.map((_, i) => i));
    // The entry state a redrive uses inside the engine never shows.
    const names = new Set(events.flatMap((e) => e.stateEnteredEventDetails?.name ?? []));
    expect([...names].sort()).toEqual(['After', 'Fetch', 'Flaky', 'Prepare']);

    const after = await describeExecution(arn);
    expect(after).toMatchObject({
      status: 'SUCCEEDED',
      redriveCount: 1,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      startDate: before.startDate,
    });
    expect(after.redriveDate?.getTime()).toBe(redriveDate?.getTime());
    expect(after.error).toBeUndefined();
    expect(after.cause).toBeUndefined();
  });

  it('refuses to redrive a SUCCEEDED execution (ExecutionNotRedrivable, HTTP 400) and an unknown one', async () => {
    const arn = await start('ladder', 'steady', { applicationId: 'app-steady' });
    expect((await engine.waitForExecution(arn, 5_000)).status).toBe('SUCCEEDED');
    const refused = await client.send(new RedriveExecutionCommand({ executionArn: arn })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ExecutionNotRedrivable);
    expect(refused).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    expect((refused as Error).message).toMatch(/SUCCEEDED/);
    expect((await describeExecution(arn)).redriveCount).toBe(0);

    await expect(
      client.send(new RedriveExecutionCommand({ executionArn: arn.replace(':steady', ':ghost') })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(client.send(new RedriveExecutionCommand({ executionArn: 'arn:nope' }))).rejects.toMatchObject({
      name: 'InvalidArn',
    });
  });

  it('redrives a failed callback task with a fresh token; a RUNNING execution is not redrivable; clientToken is idempotent', async () => {
    const firstTask = nextTask();
    const arn = await start('callback', 'review-1', { applicationId: 'app-cb' });
    const { taskToken: oldToken, payload: oldPayload } = await firstTask;
    expect(oldPayload).toMatchObject({ applicationId: 'app-cb', redriveCount: 0 });

    const running = await client.send(new RedriveExecutionCommand({ executionArn: arn })).catch((e: unknown) => e);
    expect(running).toBeInstanceOf(ExecutionNotRedrivable);
    expect((running as Error).message).toMatch(/RUNNING/);
    expect(await describeExecution(arn)).toMatchObject({
      status: 'RUNNING',
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is RUNNING and cannot be redriven',
    });

    await client.send(new SendTaskFailureCommand({ taskToken: oldToken, error: 'Mail.Bounced', cause: 'no inbox' }));
    expect(await engine.waitForExecution(arn, 5_000)).toMatchObject({ status: 'FAILED', error: 'Mail.Bounced' });

    const secondTask = nextTask();
    const redriven = await client.send(new RedriveExecutionCommand({ executionArn: arn, clientToken: 'operator-1' }));
    const { taskToken: newToken, payload: newPayload } = await secondTask;
    expect(newToken).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(newToken).not.toBe(oldToken);
    expect(newPayload).toEqual({ token: newToken, applicationId: 'app-cb', redriveCount: 1 });
    expect(calls.review).toHaveLength(2);

    // The same clientToken again answers the same redrive and starts nothing.
    const again = await client.send(new RedriveExecutionCommand({ executionArn: arn, clientToken: 'operator-1' }));
    expect(again.redriveDate?.getTime()).toBe(redriven.redriveDate?.getTime());
    expect((await describeExecution(arn)).redriveCount).toBe(1);

    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: oldToken, output: '{"decision":"late"}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await client.send(new SendTaskSuccessCommand({ taskToken: newToken, output: '{"decision":"approve"}' }));
    const done = await engine.waitForExecution(arn, 5_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toEqual({
      applicationId: 'app-cb',
      step: 'prepared',
      decision: { decision: 'approve' },
    });
    expect(calls.review).toHaveLength(2);
    const events = await history(arn);
    expect(entered(events, 'Prepare')).toHaveLength(1);
    expect(entered(events, 'Review')).toHaveLength(2);
  });

  it('counts TimeoutSeconds from the redrive, and redrives again what failed again', async () => {
    const firstTask = nextTask();
    const arn = await start('callback', 'review-timeout', { applicationId: 'app-slow' });
    await firstTask;
    await clock.advance(HOUR_MS);
    expect(await engine.waitForExecution(arn, 5_000)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect((await describeExecution(arn)).redriveStatus).toBe('REDRIVABLE');

    let task = nextTask();
    await client.send(new RedriveExecutionCommand({ executionArn: arn }));
    await task;
    await clock.advance(HOUR_MS - 1_000);
    expect((await describeExecution(arn)).status).toBe('RUNNING');
    await clock.advance(1_000);
    expect(await engine.waitForExecution(arn, 5_000)).toMatchObject({ status: 'TIMED_OUT' });

    task = nextTask();
    await client.send(new RedriveExecutionCommand({ executionArn: arn }));
    const { taskToken, payload } = await task;
    expect(payload).toMatchObject({ redriveCount: 2 });
    await client.send(new SendTaskSuccessCommand({ taskToken, output: '{"decision":"approve"}' }));
    expect((await engine.waitForExecution(arn, 5_000)).status).toBe('SUCCEEDED');

    const described = await describeExecution(arn);
    expect(described.redriveCount).toBe(2);
    const events = await history(arn);
    expect(events.filter((e) => e.type === 'ExecutionTimedOut')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'ExecutionRedriven').map((e) => e.executionRedrivenEventDetails)).toEqual([
      { redriveCount: 1 },
      { redriveCount: 2 },
    ]);
    expect(entered(events, 'Prepare')).toHaveLength(1);
  });

  it('redrives an ABORTED execution', async () => {
    const firstTask = nextTask();
    const arn = await start('callback', 'review-stopped', { applicationId: 'app-stop' });
    const { taskToken: oldToken } = await firstTask;
    await client.send(new StopExecutionCommand({ executionArn: arn, error: 'Operator', cause: 'paused' }));
    expect((await describeExecution(arn)).status).toBe('ABORTED');

    const task = nextTask();
    await client.send(new RedriveExecutionCommand({ executionArn: arn }));
    const { taskToken } = await task;
    expect(taskToken).not.toBe(oldToken);
    await client.send(new SendTaskSuccessCommand({ taskToken, output: '{"decision":"approve"}' }));
    expect((await engine.waitForExecution(arn, 5_000)).status).toBe('SUCCEEDED');
  });

  it('lists executions by redriveFilter, with redriveCount and redriveDate', async () => {
    const list = async (redriveFilter?: 'REDRIVEN' | 'NOT_REDRIVEN') =>
      (await client.send(new ListExecutionsCommand({ stateMachineArn: arns.callback, redriveFilter }))).executions ??
      [];
    expect((await list('REDRIVEN')).map((e) => e.name)).toEqual(['review-stopped', 'review-timeout', 'review-1']);
    expect(await list('NOT_REDRIVEN')).toEqual([]);
    const ladderList = await client.send(
      new ListExecutionsCommand({ stateMachineArn: arns.ladder, redriveFilter: 'NOT_REDRIVEN' }),
    );
    expect(ladderList.executions?.map((e) => e.name)).toEqual(['steady']);
    expect(ladderList.executions?.[0]).toMatchObject({ redriveCount: 0 });
    expect(ladderList.executions?.[0]?.redriveDate).toBeUndefined();

    const all = await list();
    expect(all.find((e) => e.name === 'review-timeout')).toMatchObject({ redriveCount: 2, status: 'SUCCEEDED' });
    expect(all.find((e) => e.name === 'review-timeout')?.redriveDate).toBeInstanceOf(Date);
    const redrivenLadder = await client.send(
      new ListExecutionsCommand({ stateMachineArn: arns.ladder, redriveFilter: 'REDRIVEN', statusFilter: 'SUCCEEDED' }),
    );
    expect(redrivenLadder.executions?.map((e) => e.name)).toEqual(['flaky-1']);

    await expect(
      client.send(new ListExecutionsCommand({ stateMachineArn: arns.ladder, redriveFilter: 'SOMETIMES' as never })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses, with the reason, an execution that failed inside a Parallel state', async () => {
    const arn = await start('parallel', 'fan-1', {});
    expect(await engine.waitForExecution(arn, 5_000)).toMatchObject({ status: 'FAILED', error: 'Broken' });
    const described = await describeExecution(arn);
    expect(described.redriveStatus).toBe('NOT_REDRIVABLE');
    expect(described.redriveStatusReason).toMatch(/Parallel state "Fan".*branches/);
    const refused = await client.send(new RedriveExecutionCommand({ executionArn: arn })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ExecutionNotRedrivable);
    expect((refused as Error).message).toMatch(/Parallel state "Fan"/);
    expect((await describeExecution(arn)).status).toBe('FAILED');
  });

  it('stops being redrivable 14 days after the execution closed', async () => {
    calls.flakyDown = true;
    const arn = await start('ladder', 'flaky-late', { applicationId: 'app-late' });
    expect((await engine.waitForExecution(arn, 5_000)).status).toBe('FAILED');
    await clock.advance(14 * 24 * HOUR_MS);
    expect((await describeExecution(arn)).redriveStatus).toBe('REDRIVABLE');
    await clock.advance(1_000);
    expect(await describeExecution(arn)).toMatchObject({
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution redrivable period exceeded',
    });
    await expect(client.send(new RedriveExecutionCommand({ executionArn: arn }))).rejects.toBeInstanceOf(
      ExecutionNotRedrivable,
    );
  });
});
