import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StepFunctionsApi, startStepFunctionsApi } from '../../../local/stepfunctions/api.ts';
import { LocalStepFunctions } from '../../../local/stepfunctions/engine.ts';

/** The wire format, byte for byte (the SDK-level tests are in test/integration/stepfunctions.test.ts). */

let engine: LocalStepFunctions;
let api: StepFunctionsApi;
let stateMachineArn: string;

beforeAll(async () => {
  engine = new LocalStepFunctions({ region: 'cn-north-1' });
  stateMachineArn = engine.createStateMachine(
    'wire',
    { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
    { handlers: {} },
  ).stateMachineArn;
  api = await startStepFunctionsApi(engine);
});

afterAll(async () => {
  await api?.close();
  await engine?.close();
});

async function call(operation: string | undefined, body: string, method = 'POST') {
  const response = await fetch(api.url, {
    method,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      ...(operation ? { 'x-amz-target': `AWSStepFunctions.${operation}` } : {}),
    },
    body: method === 'POST' ? body : undefined,
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    json: (await response.json()) as Record<string, unknown>,
  };
}

describe('the Step Functions JSON 1.0 API', () => {
  it('listens on loopback', () => {
    expect(api.url).toBe(`http://127.0.0.1:${api.port}`);
  });

  it('answers with epoch-second dates and the x-amz-json-1.0 content type', async () => {
    const started = await call('StartExecution', JSON.stringify({ stateMachineArn, name: 'one' }));
    expect(started.status).toBe(200);
    expect(started.type).toBe('application/x-amz-json-1.0');
    expect(typeof started.json.startDate).toBe('number');
    expect(Math.abs((started.json.startDate as number) - Date.now() / 1000)).toBeLessThan(60);
    await engine.waitForExecution(String(started.json.executionArn), 2_000);
    const described = await call('DescribeExecution', JSON.stringify({ executionArn: started.json.executionArn }));
    expect(described.json).toMatchObject({ status: 'SUCCEEDED', name: 'one', output: '{}' });
  });

  it('gives AWS-shaped errors', async () => {
    const bad = await call(
      'DescribeExecution',
      JSON.stringify({ executionArn: `${stateMachineArn.replace('stateMachine', 'execution')}:ghost` }),
    );
    expect(bad).toMatchObject({ status: 400, json: { __type: 'ExecutionDoesNotExist' } });
    expect(bad.json.message).toMatch(/ghost/);
    expect((await call('StartExecution', '{}')).json.__type).toBe('ValidationException');
    expect((await call('StartExecution', '{oops')).json.__type).toBe('SerializationException');
    expect((await call('CreateActivity', '{}')).json).toMatchObject({ __type: 'UnknownOperationException' });
    expect((await call(undefined, '{}')).json.__type).toBe('UnknownOperationException');
    expect((await call('ListExecutions', '{}', 'GET')).status).toBe(405);
  });
});
