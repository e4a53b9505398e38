import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ListExecutionsCommand, RedriveExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamo-records/keys.ts';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import { apiEvent, APP_ID, PEOPLE, sampleApplication } from '../support.ts';

/**
 * The ops function's /v1 routes through the real handler and adapters (mocked AWS clients): who
 * may read the board and the drill-downs, and who may redrive an execution.
 */

process.env.TABLE_NAME = 'Records';
process.env.STATE_MACHINE_ARN = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:Ladder';
process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY = 'secret';
process.env.AWS_REGION = 'cn-north-1';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

type Result = { statusCode: number; body: string };
let handler: (event: ReturnType<typeof apiEvent>) => Promise<Result>;

beforeAll(async () => {
  handler = (await import('../../../functions/ops.ts')).handler;
});

const CAMPAIGN_ID = 'miit-2025-recommendation';
const EXECUTION = `${APP_ID}-r1`;
const jilinApplication = { ...sampleApplication(), ...keys.application(APP_ID) };

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(BatchGetCommand).resolves({ Responses: { Records: [jilinApplication] } });
  ddb.on(PutCommand).resolves({});
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date('2026-11-24T04:00:00Z') });
});

const errorOf = (result: Result) => JSON.parse(result.body).error as { code: string; message: string };

const summary = (as?: Principal) =>
  handler(apiEvent('GET /v1/ops/summary', { query: { campaignId: CAMPAIGN_ID }, ...(as && { as }) }));
const drillDown = (code: string, as?: Principal) =>
  handler(
    apiEvent('GET /v1/ops/jurisdictions/{code}', {
      pathParameters: { code },
      query: { campaignId: CAMPAIGN_ID },
      ...(as && { as }),
    }),
  );
const redrive = (as?: Principal, executionName = EXECUTION) =>
  handler(
    apiEvent('POST /v1/ops/executions/{executionName}/redrive', {
      pathParameters: { executionName },
      ...(as && { as }),
    }),
  );

describe('GET /v1/ops/summary', () => {
  it('answers the national board to a national operator', async () => {
    const result = await summary(PEOPLE.nationalOperator);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ campaign: { campaignId: CAMPAIGN_ID } });
  });

  it('refuses a provincial operator with 403 pointing to its own drill-down, reading nothing', async () => {
    const result = await summary(PEOPLE.jilinOperator);
    expect(result.statusCode).toBe(403);
    expect(errorOf(result)).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('/v1/ops/jurisdictions/220000'),
    });
    expect(ddb.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('refuses reviewers and applicants with 403, and answers 401 without a principal', async () => {
    for (const principal of [PEOPLE.miitReviewer, PEOPLE.dunhuaApplicant]) {
      expect((await summary(principal)).statusCode, principal.sub).toBe(403);
    }
    const anonymous = await summary();
    expect(anonymous.statusCode).toBe(401);
    expect(errorOf(anonymous).code).toBe('UNAUTHENTICATED');
  });
});

describe('GET /v1/ops/jurisdictions/{code}', () => {
  it('answers a provincial operator for its province and below', async () => {
    for (const code of ['220000', '222400']) {
      const result = await drillDown(code, PEOPLE.jilinOperator);
      expect(result.statusCode, code).toBe(200);
      expect(JSON.parse(result.body)).toMatchObject({ jurisdiction: { code } });
    }
  });

  it('refuses another province, a reviewer, and no principal', async () => {
    expect((await drillDown('140000', PEOPLE.jilinOperator)).statusCode).toBe(403);
    expect((await drillDown('220000', PEOPLE.jilinReviewer)).statusCode).toBe(403);
    expect((await drillDown('220000')).statusCode).toBe(401);
  });
});

describe('POST /v1/ops/executions/{executionName}/redrive', () => {
  it('redrives for an operator over the application, and the audit trail names that operator', async () => {
    const result = await redrive(PEOPLE.jilinOperator);
    expect(result.statusCode).toBe(202);
    expect(JSON.parse(result.body)).toMatchObject({
      executionName: EXECUTION,
      redriveDate: '2026-11-24T04:00:00.000Z',
    });
    expect(sfn).toHaveReceivedCommandWith(RedriveExecutionCommand, {
      executionArn: `arn:aws-cn:states:cn-north-1:123456789012:execution:Ladder:${EXECUTION}`,
    });
    const audit = ddb.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(audit).toMatchObject({
      action: 'EXECUTION_REDRIVEN',
      actor: 'operator-220000',
      role: 'operator',
      jurisdiction: '220000',
      requestId: 'req-1',
    });
  });

  it('refuses an operator of another province, a reviewer and an applicant: 403, no redrive, no write', async () => {
    const hebeiOperator = { sub: 'operator-130000', role: 'operator', jurisdiction: '130000' } as const;
    for (const principal of [hebeiOperator, PEOPLE.jilinReviewer, PEOPLE.dunhuaApplicant]) {
      const result = await redrive(principal);
      expect(result.statusCode, principal.sub).toBe(403);
      expect(errorOf(result).code).toBe('FORBIDDEN');
    }
    expect(sfn).not.toHaveReceivedCommand(RedriveExecutionCommand);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 404 when the execution names no application, 401 without a principal', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { Records: [] } });
    expect((await redrive(PEOPLE.nationalOperator)).statusCode).toBe(404);
    expect((await redrive()).statusCode).toBe(401);
    expect(sfn).not.toHaveReceivedCommand(RedriveExecutionCommand);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });
});
