import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidExecutionInput,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import aslValidator from 'asl-validator';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StepFunctionsApi, startStepFunctionsApi } from '../../local/stepfunctions/api.ts';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import type { AslObject } from '../../local/stepfunctions/definition.ts';
import { LocalStepFunctions, type TaskHandler } from '../../local/stepfunctions/engine.ts';
import { extractDefinition, extractDefinitionFromTemplate } from '../../local/stepfunctions/extract.ts';
import { startTestStack, type TestStack } from './harness.ts';

/**
 * The local Step Functions runtime end to end: a small review-like state machine written with
 * CDK, extracted to ASL, validated, and run by the engine behind its JSON 1.0 API, driven only
 * through the real @aws-sdk/client-sfn. Time never passes for real: a ManualClock moves it, or a
 * compressed clock makes an hour last 10 ms.
 */

const HOUR_MS = 3_600_000;

/** prepare (Lambda, with CDK's Retry) → review (callback, timeout from input) → decided? → notice wait → recognized. */
function buildReviewMachine(): { stack: Stack; stateMachine: sfn.StateMachine } {
  const app = new App();
  const stack = new Stack(app, 'LocalSfnTest', { env: { region: 'cn-north-1', account: '000000000000' } });
  const x = lambda.Function.fromFunctionName(stack, 'x', 'local-x');
  const y = lambda.Function.fromFunctionName(stack, 'y', 'local-y');

  const prepare = new tasks.LambdaInvoke(stack, 'Prepare', {
    lambdaFunction: x,
    payloadResponseOnly: true,
    resultPath: '$.prepared',
  });
  const review = new tasks.LambdaInvoke(stack, 'Review', {
    lambdaFunction: y,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({
      taskToken: sfn.JsonPath.taskToken,
      applicationId: sfn.JsonPath.stringAt('$.applicationId'),
      round: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.round'), 1),
      executionId: sfn.JsonPath.stringAt('$$.Execution.Id'),
    }),
    taskTimeout: sfn.Timeout.at('$.timeoutSeconds'),
    resultPath: '$.decision',
  });
  const overdue = new sfn.Pass(stack, 'MarkOverdue', {
    result: sfn.Result.fromString('OVERDUE'),
    resultPath: '$.outcome',
  }).next(new sfn.Succeed(stack, 'Overdue'));
  const cancelled = new sfn.Pass(stack, 'MarkCancelled', {
    result: sfn.Result.fromString('CANCELLED'),
    resultPath: '$.outcome',
  }).next(new sfn.Succeed(stack, 'Cancelled'));
  review.addCatch(overdue, { errors: ['States.Timeout'], resultPath: '$.error' });
  review.addCatch(cancelled, { errors: ['Cancelled'], resultPath: '$.error' });

  const recognized = new sfn.Pass(stack, 'Recognized', {
    parameters: {
      'applicationId.$': '$.applicationId',
      'decision.$': '$.decision.decision',
      'outcome.$': "States.Format('RECOGNIZED after {} routes', States.ArrayLength($.prepared.route))",
    },
  });
  const notice = new sfn.Wait(stack, 'PublicNotice', { time: sfn.WaitTime.timestampPath('$.noticeUntil') });
  const decided = new sfn.Choice(stack, 'Decided')
    .when(sfn.Condition.stringEquals('$.decision.decision', 'approve'), notice.next(recognized))
    .otherwise(new sfn.Fail(stack, 'Rejected', { error: 'Rejected', causePath: '$.decision.reason' }));

  const stateMachine = new sfn.StateMachine(stack, 'ReviewLadder', {
    definitionBody: sfn.DefinitionBody.fromChainable(prepare.next(review).next(decided)),
  });
  return { stack, stateMachine };
}

/** The handlers of local-x and local-y, and the tokens local-y receives, by applicationId. */
class Handlers {
  readonly prepareCalls: unknown[] = [];
  private readonly waiting = new Map<string, (token: string) => void>();
  private readonly tokens = new Map<string, string[]>();
  private readonly failedOnce = new Set<string>();

  readonly x: TaskHandler = async (payload) => {
    this.prepareCalls.push(payload);
    const { applicationId, failFirst } = payload as { applicationId: string; failFirst?: boolean };
    if (failFirst && !this.failedOnce.has(applicationId)) {
      this.failedOnce.add(applicationId);
      const error = new Error('throttled');
      error.name = 'Lambda.ServiceException'; // what CDK's Retry on Lambda tasks matches
      throw error;
    }
    return { route: ['city', 'province', 'miit'] };
  };

  readonly y: TaskHandler = async (payload) => {
    const { taskToken, applicationId } = payload as { taskToken: string; applicationId: string };
    this.tokens.set(applicationId, [...(this.tokens.get(applicationId) ?? []), taskToken]);
    this.waiting.get(applicationId)?.(taskToken);
    return { emailed: true };
  };

  /** The task token of the review of this application (waits for it in real time, briefly). */
  token(applicationId: string): Promise<string> {
    const known = this.tokens.get(applicationId)?.[0];
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no task token for ${applicationId}`)), 5_000);
      this.waiting.set(applicationId, (token) => {
        clearTimeout(timer);
        this.waiting.delete(applicationId);
        resolve(token);
      });
    });
  }

  all(): Record<string, TaskHandler> {
    return { x: this.x, y: this.y };
  }
}

/** DescribeExecution through the API once the engine says the execution has ended (5 s at most). */
async function ended(
  engine: LocalStepFunctions,
  client: SFNClient,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  await engine.waitForExecution(executionArn, 5_000);
  return client.send(new DescribeExecutionCommand({ executionArn }));
}

function sfnClient(endpoint: string): SFNClient {
  return new SFNClient({
    endpoint,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

let definition: AslObject;

beforeAll(() => {
  const { stack } = buildReviewMachine();
  definition = extractDefinitionFromTemplate(Template.fromStack(stack).toJSON());
});

describe('the ASL extracted from CDK', () => {
  it('is plain JSON, the same by both routes, and asl-validator accepts it', () => {
    const { stack, stateMachine } = buildReviewMachine();
    expect(extractDefinition(stack, stateMachine)).toEqual(definition);
    const text = JSON.stringify(definition);
    expect(text).not.toMatch(/Fn::|"Ref"/);

    const result = aslValidator(structuredClone(definition), { checkArn: true, checkPaths: true });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);

    const states = definition.States as Record<string, Record<string, unknown>>;
    expect(states.Prepare?.Resource).toBe('arn:aws-cn:lambda:cn-north-1:000000000000:function:local-x');
    expect(states.Review?.Resource).toBe('arn:aws-cn:states:::lambda:invoke.waitForTaskToken');
    expect(states.Review?.Parameters).toMatchObject({
      FunctionName: 'arn:aws-cn:lambda:cn-north-1:000000000000:function:local-y',
      Payload: { 'taskToken.$': '$$.Task.Token' },
    });
    expect(states.Review?.TimeoutSecondsPath).toBe('$.timeoutSeconds');
    expect(states.Review?.TimeoutSeconds).toBeUndefined();
    expect(states.Prepare?.Retry).toEqual([expect.objectContaining({ IntervalSeconds: 2, MaxAttempts: 6 })]);
  });
});

describe('on a manual clock, through @aws-sdk/client-sfn', () => {
  const clock = new ManualClock();
  const handlers = new Handlers();
  let engine: LocalStepFunctions;
  let api: StepFunctionsApi;
  let client: SFNClient;
  let stateMachineArn: string;
  const names: Record<string, string> = {};

  const start = async (name: string, input: Record<string, unknown>): Promise<string> => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn,
        name,
        input: JSON.stringify({ round: 0, timeoutSeconds: 7 * 24 * 3600, ...input }),
      }),
    );
    names[name] = executionArn ?? '';
    return executionArn ?? '';
  };

  beforeAll(async () => {
    engine = new LocalStepFunctions({ clock: { timers: clock }, retry: { intervalScale: 0 } });
    stateMachineArn = engine.createStateMachine('review-test', definition, {
      handlers: handlers.all(),
    }).stateMachineArn;
    api = await startStepFunctionsApi(engine);
    client = sfnClient(api.url);
  });

  afterAll(async () => {
    client?.destroy();
    await api?.close();
    await engine?.close();
  });

  it('runs the approve path: Lambda retry, callback token, SendTaskSuccess, Choice, a one-hour Wait', async () => {
    const noticeUntil = new Date(clock.now() + HOUR_MS).toISOString();
    const arn = await start('approve', { applicationId: 'app-approve', failFirst: true, noticeUntil });
    const token = await handlers.token('app-approve');
    expect(token).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect((await client.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    const pending = engine.pendingTasks(arn);
    expect(pending).toHaveLength(1);
    expect(pending[0]?.payload).toEqual({ taskToken: token, applicationId: 'app-approve', round: 1, executionId: arn });

    await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await client.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'approve', by: 'city' }) }),
    );
    await clock.whenPending(1); // the public notice Wait
    expect(clock.pendingDelays()).toEqual([HOUR_MS]);
    expect((await client.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    await clock.advance(HOUR_MS);

    const done = await ended(engine, client, arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toEqual({
      applicationId: 'app-approve',
      decision: 'approve',
      outcome: 'RECOGNIZED after 3 routes',
    });
    expect(done.startDate).toBeInstanceOf(Date);
    expect(done.stopDate?.getTime()).toBeGreaterThanOrEqual(done.startDate?.getTime() ?? Infinity);
    // CDK's Retry on Lambda.ServiceException ran the prepare task twice.
    expect(
      handlers.prepareCalls.filter((p) => (p as { applicationId: string }).applicationId === 'app-approve'),
    ).toHaveLength(2);
  });

  it('records an AWS-like history', async () => {
    const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn: names.approve }));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.every((e) => e.timestamp instanceof Date)).toBe(true);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    const entered = events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual(['Prepare', 'Review', 'Decided', 'PublicNotice', 'Recognized']);
    const scheduled = events.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails;
    expect(scheduled).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      timeoutInSeconds: 604_800,
    });
    expect(events.find((e) => e.type === 'LambdaFunctionFailed')?.lambdaFunctionFailedEventDetails?.error).toBe(
      'Lambda.ServiceException',
    );

    const reversed = await client.send(
      new GetExecutionHistoryCommand({ executionArn: names.approve, reverseOrder: true, maxResults: 2 }),
    );
    expect(reversed.events?.map((e) => e.type)).toEqual(['ExecutionSucceeded', 'PassStateExited']);
    expect(reversed.nextToken).toBeTruthy();
  });

  it('catches SendTaskFailure with the custom error Cancelled, and refuses the used token', async () => {
    const arn = await start('cancel', { applicationId: 'app-cancel' });
    const token = await handlers.token('app-cancel');
    await client.send(new SendTaskFailureCommand({ taskToken: token, error: 'Cancelled', cause: 'false information' }));
    const done = await ended(engine, client, arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toMatchObject({
      outcome: 'CANCELLED',
      error: { Error: 'Cancelled', Cause: 'false information' },
    });

    // A token works once (AWS answers TaskTimedOut for a closed task's token).
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"approve"}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(client.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })),
    ).rejects.toBeInstanceOf(InvalidToken);
    await expect(
      client.send(new SendTaskFailureCommand({ taskToken: 'A'.repeat(64), error: 'Cancelled' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
  });

  it('times the review out at TimeoutSecondsPath: States.Timeout is caught (not by a TaskFailed catch)', async () => {
    const arn = await start('timeout', { applicationId: 'app-timeout', timeoutSeconds: 600 });
    const token = await handlers.token('app-timeout');
    await clock.whenPending(1);
    expect(clock.pendingDelays()).toEqual([600_000]);
    await clock.advance(599_000);
    expect((await client.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    await clock.advance(1_000);

    const done = await ended(engine, client, arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toMatchObject({ outcome: 'OVERDUE', error: { Error: 'States.Timeout' } });
    const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn: arn }));
    expect(events.find((e) => e.type === 'TaskTimedOut')?.taskTimedOutEventDetails?.error).toBe('States.Timeout');
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"approve"}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('fails at the Fail state on a rejection', async () => {
    const arn = await start('reject', { applicationId: 'app-reject' });
    const token = await handlers.token('app-reject');
    await client.send(
      new SendTaskSuccessCommand({
        taskToken: token,
        output: JSON.stringify({ decision: 'reject', reason: 'thin evidence' }),
      }),
    );
    const done = await ended(engine, client, arn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'thin evidence' });
    expect(done.output).toBeUndefined();
  });

  it('stops an execution waiting for its token: ABORTED with error and cause, token refused', async () => {
    const arn = await start('stop', { applicationId: 'app-stop' });
    const token = await handlers.token('app-stop');
    const { stopDate } = await client.send(
      new StopExecutionCommand({ executionArn: arn, error: 'Withdrawn', cause: 'withdrawn by the applicant' }),
    );
    expect(stopDate).toBeInstanceOf(Date);
    const done = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(done).toMatchObject({ status: 'ABORTED', error: 'Withdrawn', cause: 'withdrawn by the applicant' });
    expect(engine.pendingTasks(arn)).toEqual([]);
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
    const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn: arn }));
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Withdrawn', cause: 'withdrawn by the applicant' },
    });
    // Stopping again changes nothing.
    await client.send(new StopExecutionCommand({ executionArn: arn }));
    expect((await client.send(new DescribeExecutionCommand({ executionArn: arn }))).error).toBe('Withdrawn');
  });

  it('refuses a used execution name, except the idempotent restart of a running one', async () => {
    const input = JSON.stringify({ applicationId: 'app-dup', round: 0, timeoutSeconds: 3600 });
    const first = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'dup', input }));
    const again = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'dup', input }));
    expect(again.executionArn).toBe(first.executionArn);
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn, name: 'dup', input: '{"other":true}' })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await handlers.token('app-dup');
    await client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn, name: 'dup', input })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    names.dup = first.executionArn ?? '';
  });

  it('lists executions newest first, filtered by status, page by page', async () => {
    const running = await start('running', { applicationId: 'app-running' });
    await handlers.token('app-running');
    const list = async (statusFilter?: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED') =>
      (await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter }))).executions?.map((e) => e.name);
    expect(await list('SUCCEEDED')).toEqual(['timeout', 'cancel', 'approve']);
    expect(await list('FAILED')).toEqual(['reject']);
    expect(await list('ABORTED')).toEqual(['dup', 'stop']);
    expect(await list('RUNNING')).toEqual(['running']);
    expect(await list()).toHaveLength(7);

    const page1 = await client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 4 }));
    const page2 = await client.send(
      new ListExecutionsCommand({ stateMachineArn, maxResults: 4, nextToken: page1.nextToken }),
    );
    expect(page1.executions).toHaveLength(4);
    expect(page2.executions).toHaveLength(3);
    expect(page2.nextToken).toBeUndefined();
    expect(page1.executions?.[0]).toMatchObject({ name: 'running', status: 'RUNNING', stateMachineArn });
    await client.send(new StopExecutionCommand({ executionArn: running }));
  });

  it('answers with the errors AWS uses', async () => {
    const missing = stateMachineArn.replace(':stateMachine:review-test', ':stateMachine:nope');
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: missing }))).rejects.toBeInstanceOf(
      StateMachineDoesNotExist,
    );
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn, input: '{not json' })),
    ).rejects.toBeInstanceOf(InvalidExecutionInput);
    const ghost = names.approve?.replace(':approve', ':ghost');
    await expect(client.send(new DescribeExecutionCommand({ executionArn: ghost }))).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
    await expect(client.send(new DescribeExecutionCommand({ executionArn: 'arn:nope' }))).rejects.toMatchObject({
      name: 'InvalidArn',
      $metadata: { httpStatusCode: 400 },
    });

    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described).toMatchObject({ name: 'review-test', status: 'ACTIVE', type: 'STANDARD' });
    expect(JSON.parse(described.definition ?? '{}')).toEqual(definition);
    const { stateMachines = [] } = await client.send(new ListStateMachinesCommand({}));
    expect(stateMachines.map((m) => m.stateMachineArn)).toEqual([stateMachineArn]);
  });
});

describe('on a compressed clock', () => {
  it('finishes a one-hour Wait at once (an hour lasts 10 ms), keeping a week-long task timeout', async () => {
    const handlers = new Handlers();
    const engine = new LocalStepFunctions({ clock: { speedup: 360_000 }, retry: { intervalScale: 0 } });
    const { stateMachineArn } = engine.createStateMachine('compressed', definition, { handlers: handlers.all() });
    const api = await startStepFunctionsApi(engine);
    const client = sfnClient(api.url);
    try {
      const noticeUntil = new Date(Date.now() + HOUR_MS).toISOString();
      const { executionArn = '' } = await client.send(
        new StartExecutionCommand({
          stateMachineArn,
          input: JSON.stringify({ applicationId: 'fast', round: 0, timeoutSeconds: 7 * 24 * 3600, noticeUntil }),
        }),
      );
      const token = await handlers.token('fast');
      await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"approve"}' }));
      const done = await ended(engine, client, executionArn);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output ?? 'null')).toMatchObject({ outcome: 'RECOGNIZED after 3 routes' });
      const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events.map((e) => e.type)).toContain('WaitStateExited');
    } finally {
      client.destroy();
      await api.close();
      await engine.close();
    }
  });
});

describe('in the local stack', () => {
  let stack: TestStack;
  let callbackError: unknown;

  beforeAll(async () => {
    stack = await startTestStack({
      stateMachines: async () => [
        {
          name: 'review',
          definition,
          arnEnv: 'STATE_MACHINE_ARN',
          handlers: {
            x: async () => ({ route: ['city'] }),
            // As a real handler would: the SDK client configured from the environment alone.
            y: async (payload) => {
              const { taskToken } = payload as { taskToken: string };
              const client = new SFNClient({});
              try {
                await client.send(new SendTaskSuccessCommand({ taskToken, output: '{"decision":"approve"}' }));
              } catch (error) {
                callbackError = error;
              } finally {
                client.destroy();
              }
              return { emailed: true };
            },
          },
        },
      ],
    });
  });

  afterAll(() => stack?.cleanup());

  it('serves Step Functions on loopback, and the SDK finds it through AWS_ENDPOINT_URL_SFN', async () => {
    expect(stack.endpoints.stepfunctions).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(process.env.AWS_ENDPOINT_URL_SFN).toBe(stack.endpoints.stepfunctions);
    expect(stack.env.AWS_ENDPOINT_URL_SFN).toBe(stack.endpoints.stepfunctions);
    expect(process.env.STATE_MACHINE_ARN).toBe(stack.stateMachineArns.review);

    const client = new SFNClient({});
    try {
      const { executionArn = '' } = await client.send(
        new StartExecutionCommand({
          stateMachineArn: stack.stateMachineArns.review,
          input: JSON.stringify({
            applicationId: 'in-stack',
            round: 0,
            timeoutSeconds: 3600,
            noticeUntil: new Date(Date.now() - 1_000).toISOString(),
          }),
        }),
      );
      const done = await ended(stack.stepFunctions, client, executionArn);
      expect(callbackError).toBeUndefined();
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output ?? 'null')).toMatchObject({ outcome: 'RECOGNIZED after 1 routes' });
      expect(stack.stepFunctions.describeExecution({ executionArn }).status).toBe('SUCCEEDED');
    } finally {
      client.destroy();
    }
  });
});
