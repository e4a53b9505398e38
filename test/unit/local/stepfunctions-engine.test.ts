import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../local/stepfunctions/clock.ts';
import { LocalStepFunctions, type PendingTask, type TaskHandler } from '../../../local/stepfunctions/engine.ts';
import { SfnError } from '../../../local/stepfunctions/errors.ts';

/** The engine in-process, on hand-written ASL, with time moved by a ManualClock. */

const FN = (name: string) => `arn:aws:lambda:cn-north-1:000000000000:function:local-${name}`;
const CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

let engines: LocalStepFunctions[] = [];

afterEach(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  engines = [];
});

function setup(definition: object, handlers: Record<string, TaskHandler>, name = 'sm') {
  const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
  const engine = new LocalStepFunctions({ clock: { timers: clock }, retry: { intervalScale: 0 } });
  engines.push(engine);
  const { stateMachineArn } = engine.createStateMachine(name, definition, { handlers });
  const start = (input: unknown = {}, executionName?: string) =>
    engine.startExecution({ stateMachineArn, name: executionName, input: JSON.stringify(input) }).executionArn;
  const tokens: PendingTask[] = [];
  engine.on('taskWaiting', (task) => tokens.push(task));
  const nextToken = async (): Promise<PendingTask> => {
    for (let i = 0; i < 200 && tokens.length === 0; i += 1) await new Promise((r) => setImmediate(r));
    const task = tokens.shift();
    if (!task) throw new Error('no task is waiting for a token');
    return task;
  };
  return { clock, engine, stateMachineArn, start, nextToken };
}

const types = (engine: LocalStepFunctions, executionArn: string) =>
  engine.getExecutionHistory({ executionArn, maxResults: 1000 }).events.map((e) => e.type);

describe('LocalStepFunctions', () => {
  it('loads the Promise.withResolvers polyfill with the library', () => {
    expect(typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers).toBe('function');
  });

  it('runs Parallel and Map with Wait SecondsPath, intrinsics, InputPath, ResultSelector and OutputPath', async () => {
    const { clock, engine, start } = setup(
      {
        StartAt: 'Fan',
        States: {
          Fan: {
            Type: 'Parallel',
            ResultSelector: { 'doubled.$': '$[0]', 'text.$': '$[1].text', 'list.$': '$[1].list' },
            ResultPath: '$.fan',
            Next: 'Each',
            Branches: [
              {
                StartAt: 'Pause',
                States: {
                  Pause: { Type: 'Wait', SecondsPath: '$.pause', Next: 'Double' },
                  Double: { Type: 'Task', Resource: FN('double'), InputPath: '$.n', End: true },
                },
              },
              {
                StartAt: 'Format',
                States: {
                  Format: {
                    Type: 'Pass',
                    Parameters: {
                      'text.$': "States.Format('n={} in {}', $.n, $$.Execution.Name)",
                      'list.$': 'States.Array(1, 2)',
                    },
                    End: true,
                  },
                },
              },
            ],
          },
          Each: {
            Type: 'Map',
            ItemsPath: '$.fan.list',
            Iterator: {
              StartAt: 'DoubleItem',
              States: { DoubleItem: { Type: 'Task', Resource: FN('double'), End: true } },
            },
            ResultPath: '$.mapped',
            Next: 'Shape',
          },
          Shape: {
            Type: 'Pass',
            OutputPath: '$.fan',
            Parameters: { 'fan.$': '$.fan', 'mapped.$': '$.mapped' },
            End: true,
          },
        },
      },
      { double: async (n) => (n as number) * 2 },
    );
    const arn = start({ n: 21, pause: 30 }, 'fan-out');
    await clock.whenPending(1);
    expect(clock.pendingDelays()).toEqual([30_000]);
    await clock.advance(30_000);
    const done = await engine.waitForExecution(arn, 2_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toEqual({ doubled: 42, text: 'n=21 in fan-out', list: [1, 2] });
    const history = types(engine, arn);
    expect(history).toEqual(
      expect.arrayContaining(['ParallelStateEntered', 'WaitStateEntered', 'MapStateEntered', 'MapIterationStarted']),
    );
    expect(history.filter((t) => t === 'LambdaFunctionSucceeded')).toHaveLength(3);
  });

  it('runs lambda:invoke (whole Lambda response), with ResultPath "$"', async () => {
    const { engine, start } = setup(
      {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'local-echo', 'Payload.$': '$' },
            ResultSelector: { 'body.$': '$.Payload', 'status.$': '$.StatusCode' },
            ResultPath: '$',
            End: true,
          },
        },
      },
      { echo: async (payload) => ({ echoed: payload }) },
    );
    const done = await engine.waitForExecution(start({ a: 1 }), 2_000);
    expect(JSON.parse(done.output ?? 'null')).toEqual({ body: { echoed: { a: 1 } }, status: 200 });
  });

  it("keeps a Pass state's falsy Result (the library alone would pass the input on)", async () => {
    const { engine, start } = setup(
      {
        StartAt: 'No',
        States: {
          No: { Type: 'Pass', Result: false, ResultPath: '$.approved', Next: 'Zero' },
          Zero: { Type: 'Pass', Result: 0, ResultPath: '$.score', Next: 'Nothing' },
          Nothing: { Type: 'Pass', Result: null, ResultPath: '$.note', End: true },
        },
      },
      {},
    );
    const arn = start({ id: 1 });
    const done = await engine.waitForExecution(arn, 2_000);
    expect(JSON.parse(done.output ?? 'null')).toEqual({ id: 1, approved: false, score: 0, note: null });
    expect(types(engine, arn).filter((t) => t.startsWith('Pass'))).toHaveLength(6);
  });

  it('reports a handler error as Lambda does, caught by States.TaskFailed', async () => {
    class EvidenceMissing extends Error {
      override name = 'EvidenceMissing';
    }
    const { engine, start } = setup(
      {
        StartAt: 'Boom',
        States: {
          Boom: {
            Type: 'Task',
            Resource: FN('boom'),
            Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.caught', Next: 'Done' }],
            Next: 'Done',
          },
          Done: { Type: 'Succeed' },
        },
      },
      {
        boom: async () => {
          throw new EvidenceMissing('no business licence');
        },
      },
    );
    const done = await engine.waitForExecution(start({}), 2_000);
    const { caught } = JSON.parse(done.output ?? 'null') as { caught: { Error: string; Cause: string } };
    expect(caught.Error).toBe('EvidenceMissing');
    expect(JSON.parse(caught.Cause)).toMatchObject({
      errorType: 'EvidenceMissing',
      errorMessage: 'no business licence',
    });
  });

  it('times out a callback with States.Timeout, which States.TaskFailed does not catch', async () => {
    const { clock, engine, start, nextToken } = setup(
      {
        StartAt: 'Slow',
        States: {
          Slow: {
            Type: 'Task',
            Resource: CALLBACK,
            Parameters: {
              FunctionName: 'local-slow',
              Payload: { 'link.$': "States.Format('/review?t={}', $$.Task.Token)" },
            },
            TimeoutSeconds: 5,
            Catch: [
              { ErrorEquals: ['States.TaskFailed'], Next: 'Wrong' },
              { ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Right' },
            ],
            End: true,
          },
          Wrong: { Type: 'Fail', Error: 'Wrong' },
          Right: { Type: 'Succeed' },
        },
      },
      { slow: async () => null },
    );
    const arn = start({});
    const task = await nextToken();
    expect(task.payload).toEqual({ link: `/review?t=${task.taskToken}` });
    expect(task.timeoutDate?.toISOString()).toBe('2026-03-01T00:00:05.000Z');
    await clock.advance(5_000);
    const done = await engine.waitForExecution(arn, 2_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null').err.Error).toBe('States.Timeout');
  });

  it('times out a plain Lambda task at TimeoutSeconds (no 60 s default otherwise)', async () => {
    const { clock, engine, start } = setup(
      {
        StartAt: 'Hang',
        States: {
          Hang: { Type: 'Task', Resource: FN('hang'), TimeoutSeconds: 90, Next: 'Forever' },
          Forever: { Type: 'Task', Resource: FN('hang'), End: true },
        },
      },
      { hang: () => new Promise(() => {}) },
    );
    const arn = start({});
    await clock.advance(90_000);
    const done = await engine.waitForExecution(arn, 2_000);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(types(engine, arn)).toContain('LambdaFunctionTimedOut');

    const second = setup(
      { StartAt: 'Forever', States: { Forever: { Type: 'Task', Resource: FN('hang'), End: true } } },
      { hang: () => new Promise(() => {}) },
    );
    const running = second.start({});
    await second.clock.advance(365 * 24 * 3_600_000);
    expect(second.engine.describeExecution({ executionArn: running }).status).toBe('RUNNING');
  });

  it('times out a callback without heartbeats at HeartbeatSeconds', async () => {
    const { clock, engine, start, nextToken } = setup(
      {
        StartAt: 'Beat',
        States: {
          Beat: {
            Type: 'Task',
            Resource: CALLBACK,
            Parameters: { FunctionName: 'local-beat', Payload: { 'token.$': '$$.Task.Token' } },
            TimeoutSeconds: 1000,
            HeartbeatSecondsPath: '$.heartbeat',
            End: true,
          },
        },
      },
      { beat: async () => ({}) },
    );
    const arn = start({ heartbeat: 10 });
    const { taskToken } = await nextToken();
    await clock.advance(9_000);
    engine.sendTaskHeartbeat(taskToken);
    await clock.advance(9_000);
    expect(engine.describeExecution({ executionArn: arn }).status).toBe('RUNNING');
    await clock.advance(1_000);
    const done = await engine.waitForExecution(arn, 2_000);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(() => engine.sendTaskHeartbeat(taskToken)).toThrow(expect.objectContaining({ type: 'TaskTimedOut' }));
  });

  it('ends an execution at its TimeoutSeconds: TIMED_OUT, tokens refused', async () => {
    const { clock, engine, start, nextToken } = setup(
      {
        TimeoutSeconds: 60,
        StartAt: 'Wait4Token',
        States: {
          Wait4Token: {
            Type: 'Task',
            Resource: CALLBACK,
            Parameters: { FunctionName: 'local-y', Payload: { 'token.$': '$$.Task.Token' } },
            End: true,
          },
        },
      },
      { y: async () => ({}) },
    );
    const arn = start({});
    const { taskToken } = await nextToken();
    await clock.advance(60_000);
    const done = await engine.waitForExecution(arn, 2_000);
    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(types(engine, arn).at(-1)).toBe('ExecutionTimedOut');
    expect(() => engine.sendTaskSuccess(taskToken, '{}')).toThrow(expect.objectContaining({ type: 'TaskTimedOut' }));
  });

  it('scales Retry intervals (CDK-like 2 s × 6 with backoff) and retries until success', async () => {
    let calls = 0;
    const { engine, start } = setup(
      {
        StartAt: 'Flaky',
        States: {
          Flaky: {
            Type: 'Task',
            Resource: FN('flaky'),
            Retry: [{ ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 }],
            End: true,
          },
        },
      },
      {
        flaky: async () => {
          calls += 1;
          if (calls < 4) throw Object.assign(new Error('busy'), { name: 'Lambda.ServiceException' });
          return 'ok';
        },
      },
    );
    const done = await engine.waitForExecution(start({}), 2_000);
    expect(done.output).toBe('"ok"');
    expect(calls).toBe(4);
  });

  it('fails with States.Runtime (not caught) when TimeoutSecondsPath selects no positive integer', async () => {
    const { engine, start } = setup(
      {
        StartAt: 'Bad',
        States: {
          Bad: {
            Type: 'Task',
            Resource: CALLBACK,
            Parameters: { FunctionName: 'local-y', Payload: { 'token.$': '$$.Task.Token' } },
            TimeoutSecondsPath: '$.timeout',
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
            End: true,
          },
          Caught: { Type: 'Succeed' },
        },
      },
      { y: async () => ({}) },
    );
    const done = await engine.waitForExecution(start({ timeout: 'soon' }), 2_000);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('maps function names and ARNs to handlers by task key, and says which one is missing', async () => {
    const engine = new LocalStepFunctions();
    engines.push(engine);
    const definition = (resource: string) => ({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: resource, End: true } },
    });
    expect(() =>
      engine.createStateMachine('missing', definition(FN('missing')), { handlers: { other: async () => 1 } }),
    ).toThrow(/no handler for T → .*local-missing.*handlers given: other/);
    engine.createStateMachine('qualified', definition(`${FN('x')}:$LATEST`), { handlers: { x: async () => 1 } });

    const { stateMachineArn } = engine.createStateMachine(
      'dynamic',
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { 'FunctionName.$': '$.fn', Payload: {} },
            End: true,
          },
        },
      },
      { handlers: { x: async () => 1 } },
    );
    const ok = engine.startExecution({ stateMachineArn, input: '{"fn":"000000000000:function:local-x"}' });
    expect((await engine.waitForExecution(ok.executionArn, 2_000)).status).toBe('SUCCEEDED');
    const bad = engine.startExecution({ stateMachineArn, input: '{"fn":"local-ghost"}' });
    const failed = await engine.waitForExecution(bad.executionArn, 2_000);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
    expect(failed.cause).toMatch(/local-ghost.*handlers: x/);
  });

  it('refuses invalid definitions, unsupported resources and bad names', () => {
    const engine = new LocalStepFunctions();
    engines.push(engine);
    expect(() => engine.createStateMachine('x', { StartAt: 'Nowhere', States: {} }, { handlers: {} })).toThrow(
      expect.objectContaining({ type: 'InvalidDefinition' }),
    );
    expect(() =>
      engine.createStateMachine(
        'x',
        { StartAt: 'Put', States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', End: true } } },
        { handlers: {} },
      ),
    ).toThrow(/not supported.*dynamodb:putItem/);
    expect(() =>
      engine.createStateMachine('a b', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, { handlers: {} }),
    ).toThrow(SfnError);
    const { stateMachineArn } = engine.createStateMachine(
      'p',
      { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      { handlers: {} },
    );
    expect(() => engine.startExecution({ stateMachineArn, name: 'x'.repeat(81) })).toThrow(
      expect.objectContaining({ type: 'InvalidName' }),
    );
    expect(() => engine.startExecution({ stateMachineArn, name: 'has/slash' })).toThrow(
      expect.objectContaining({ type: 'InvalidName' }),
    );
  });

  it('refuses output that is not JSON, and accepts it once', async () => {
    const { engine, start, nextToken } = setup(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: CALLBACK,
            Parameters: { FunctionName: 'local-y', Payload: { 't.$': '$$.Task.Token' } },
            End: true,
          },
        },
      },
      { y: async () => ({}) },
    );
    const arn = start({});
    const { taskToken } = await nextToken();
    expect(engine.pendingTasks(arn).map((t) => t.taskToken)).toEqual([taskToken]);
    expect(() => engine.sendTaskSuccess(taskToken, 'not json')).toThrow(
      expect.objectContaining({ type: 'InvalidOutput' }),
    );
    engine.sendTaskSuccess(taskToken, '{"ok":true}');
    expect(() => engine.sendTaskFailure(taskToken, 'Cancelled')).toThrow(
      expect.objectContaining({ type: 'TaskTimedOut' }),
    );
    expect((await engine.waitForExecution(arn, 2_000)).output).toBe('{"ok":true}');
    expect(engine.pendingTasks()).toEqual([]);
  });

  it('a handler may call back before it returns', async () => {
    const late: { engine?: LocalStepFunctions } = {};
    const { engine, start } = setup(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: CALLBACK,
            Parameters: { FunctionName: 'local-y', Payload: { 't.$': '$$.Task.Token' } },
            End: true,
          },
        },
      },
      {
        y: async (payload) => {
          late.engine?.sendTaskSuccess((payload as { t: string }).t, '"fast"');
          return {};
        },
      },
    );
    late.engine = engine;
    const done = await engine.waitForExecution(start({}), 2_000);
    expect(done.output).toBe('"fast"');
  });

  it('rejects a speedup that would make every timeout fire at once', () => {
    expect(() => new LocalStepFunctions({ clock: { speedup: 0 } })).toThrow(/speedup/);
    expect(() => new LocalStepFunctions({ clock: { speedup: Number.POSITIVE_INFINITY } })).toThrow(/speedup/);
  });
});
