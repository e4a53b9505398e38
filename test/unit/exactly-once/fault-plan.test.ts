import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultPlan, InjectedFault } from '../../../local/faults.ts';

/** The fault plan itself (local/faults.ts): what each kind of fault does, and DynamoDB throttling. */

let detach: (() => Promise<void>) | undefined;
afterEach(async () => {
  await detach?.();
  detach = undefined;
});

describe('handler faults', () => {
  it('error-after runs the handler, then fails with the name Lambda gives; never more than maxConsecutive in a row', async () => {
    const plan = new FaultPlan({ handlerRate: 1, kinds: { error: 0, 'error-after': 1, stall: 0, 'stall-fail': 0 } });
    let runs = 0;
    const task = plan.wrapTask('enterStage', async () => ++runs);

    const first = await task({ applicationId: 'a' }).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(InjectedFault);
    expect((first as Error).name).toBe('Runtime.ExitError');
    await expect(task({ applicationId: 'a' })).rejects.toBeInstanceOf(InjectedFault);
    // Two in a row for this payload: the third goes through.
    expect(await task({ applicationId: 'a' })).toBe(3);
    expect(plan.stats().injected['error-after']).toBe(2);
    expect(plan.stats().byTarget['task:enterStage']).toEqual({ 'error-after': 2 });
  });

  it('a stall times the caller out and runs the handler late; stall-fail never runs it', async () => {
    const stalls = new FaultPlan({
      handlerRate: 1,
      kinds: { error: 0, 'error-after': 0, stall: 1, 'stall-fail': 0 },
      timeoutMs: 10,
      stallMs: 40,
    });
    let ran = 0;
    const task = stalls.wrapTask('recognize', async () => ++ran);
    await expect(task({})).rejects.toMatchObject({ name: 'Sandbox.Timedout' });
    expect(ran).toBe(0);
    await stalls.idle();
    expect(ran).toBe(1);
    expect(stalls.stats().lateRuns).toBe(1);

    const killed = new FaultPlan({
      handlerRate: 1,
      kinds: { error: 0, 'error-after': 0, stall: 0, 'stall-fail': 1 },
      timeoutMs: 10,
    });
    const never = killed.wrapTask('recognize', async () => ++ran);
    await expect(never({})).rejects.toMatchObject({ name: 'Sandbox.Timedout' });
    await killed.idle();
    expect(ran).toBe(1);
  });

  it('leaves task tokens out of "the same invocation" (a retry gets a new token)', async () => {
    const plan = new FaultPlan({
      handlerRate: 1,
      kinds: { error: 1, 'error-after': 0, stall: 0, 'stall-fail': 0 },
      maxConsecutive: 1,
    });
    const task = plan.wrapTask('requestReview', async () => 'opened');
    await expect(task({ taskToken: 't1', review: { id: 1 } })).rejects.toMatchObject({
      name: 'Lambda.TooManyRequestsException',
    });
    expect(await task({ taskToken: 't2', review: { id: 1 } })).toBe('opened');
  });
});

describe('DynamoDB throttling', () => {
  it('answers as DynamoDB does, so the SDK retries, and counts what reached the code', async () => {
    const plan = new FaultPlan({ dynamoDbRate: 1 });
    detach = plan.attach();
    const client = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'cn-north-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 3,
      retryStrategy: undefined,
    });
    const error = await client.send(new ListTablesCommand({})).catch((e: unknown) => e);
    client.destroy();

    expect(['ProvisionedThroughputExceededException', 'ThrottlingException']).toContain((error as Error).name);
    expect((error as { $metadata: { httpStatusCode: number; attempts: number } }).$metadata).toMatchObject({
      httpStatusCode: 400,
      attempts: 3,
    });
    const { dynamodb } = plan.stats();
    expect(dynamodb.throttled.ProvisionedThroughputExceededException + dynamodb.throttled.ThrottlingException).toBe(3);
    expect(dynamodb).toMatchObject({ requests: 1, sdkRetries: 2, surfaced: 1 });
  }, 30_000);
});
