import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { asFunction, check, type IamCheckOptions, installIamCheck } from '../../../local/iam/enforce.ts';
import { evaluate, type PolicyStatement } from '../../../local/iam/policy.ts';
import { requestsFor } from '../../../local/iam/requests.ts';
import { CLIENT_HOOK } from '../../../shared/composition/clients.ts';

const ARNS = { partition: 'aws-cn', region: 'cn-north-1', accountId: '000000000000' };
const TABLE = 'arn:aws-cn:dynamodb:cn-north-1:000000000000:table/t';
const MACHINE = 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:review-ladder';

const ops: PolicyStatement[] = [
  { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: [TABLE, `${TABLE}/index/*`] },
  {
    Effect: 'Allow',
    Action: 'dynamodb:PutItem',
    Resource: TABLE,
    Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APP#*'] } },
  },
  { Effect: 'Allow', Action: 'states:SendTaskSuccess', Resource: MACHINE },
];

describe('policy evaluation (local/iam/policy.ts)', () => {
  it('allows a listed action on a matching resource, action names case-insensitive', () => {
    expect(evaluate(ops, { action: 'DynamoDB:getitem', resource: TABLE }).allowed).toBe(true);
    expect(evaluate(ops, { action: 'dynamodb:Query', resource: `${TABLE}/index/byDeadline` }).allowed).toBe(true);
    expect(evaluate(ops, { action: 'dynamodb:Scan', resource: TABLE }).allowed).toBe(false);
    expect(evaluate(ops, { action: 'dynamodb:GetItem', resource: `${TABLE}2` }).allowed).toBe(false);
  });

  it('holds writes to the partition-key prefixes of dynamodb:LeadingKeys', () => {
    const put = (keys: string[]) =>
      evaluate(ops, { action: 'dynamodb:PutItem', resource: TABLE, context: { 'dynamodb:LeadingKeys': keys } });
    expect(put(['APP#1']).allowed).toBe(true);
    expect(put(['APP#1', 'APP#2']).allowed).toBe(true);
    expect(put(['APP#1', 'CAMPAIGNS']).allowed).toBe(false);
    expect(put(['TALLY#c']).allowed).toBe(false);
  });

  it('lets an explicit Deny win over an Allow', () => {
    const statements: PolicyStatement[] = [...ops, { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' }];
    expect(evaluate(statements, { action: 'dynamodb:GetItem', resource: TABLE })).toMatchObject({
      allowed: false,
      reason: 'explicit deny',
    });
  });

  it('refuses, naming it, a condition it cannot evaluate (fails closed)', () => {
    const statements: PolicyStatement[] = [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'true' } },
      },
    ];
    expect(() => evaluate(statements, { action: 's3:GetObject', resource: 'arn:aws-cn:s3:::b/k' })).toThrow(
      /aws:SecureTransport is not evaluated by the local IAM check/,
    );
  });
});

describe('SDK calls as IAM requests (local/iam/requests.ts)', () => {
  it('expands a transaction into each item’s action on its table, with its partition key', () => {
    const requests = requestsFor(
      'dynamodb',
      'TransactWriteItemsCommand',
      {
        TransactItems: [
          { Put: { TableName: 't', Item: { pk: { S: 'APP#1' }, sk: { S: 'AUDIT#x' } } } },
          { Update: { TableName: 't', Key: { pk: { S: 'TALLY#c' }, sk: { S: 'P#x' } } } },
          { ConditionCheck: { TableName: 'u', Key: { pk: { S: 'APP#1' }, sk: { S: 'APP' } } } },
        ],
      },
      ARNS,
    );
    expect(requests).toEqual([
      { action: 'dynamodb:PutItem', resource: TABLE, context: { 'dynamodb:LeadingKeys': ['APP#1'] } },
      { action: 'dynamodb:UpdateItem', resource: TABLE, context: { 'dynamodb:LeadingKeys': ['TALLY#c'] } },
      {
        action: 'dynamodb:ConditionCheckItem',
        resource: `${TABLE.slice(0, -1)}u`,
        context: { 'dynamodb:LeadingKeys': ['APP#1'] },
      },
    ]);
  });

  it('expands a batch per table, and names the index a Query goes through', () => {
    expect(
      requestsFor(
        'dynamodb',
        'BatchGetItemCommand',
        { RequestItems: { t: { Keys: [{ pk: { S: 'APP#1' } }, { pk: { S: 'APP#2' } }] } } },
        ARNS,
      ),
    ).toEqual([
      { action: 'dynamodb:BatchGetItem', resource: TABLE, context: { 'dynamodb:LeadingKeys': ['APP#1', 'APP#2'] } },
    ]);
    const [query] = requestsFor(
      'dynamodb',
      'QueryCommand',
      {
        TableName: 't',
        IndexName: 'byDeadline',
        KeyConditionExpression: '#p = :p AND gsi2sk < :now',
        ExpressionAttributeNames: { '#p': 'gsi2pk' },
        ExpressionAttributeValues: { ':p': { S: 'DUE#c' }, ':now': { S: '2026' } },
      },
      ARNS,
    );
    expect(query).toEqual({
      action: 'dynamodb:Query',
      resource: `${TABLE}/index/byDeadline`,
      context: { 'dynamodb:LeadingKeys': ['DUE#c'] },
    });
  });

  it('reads the source and writes the target of a CopyObject; a version read is GetObjectVersion', () => {
    expect(
      requestsFor(
        's3',
        'CopyObjectCommand',
        { Bucket: 'b', Key: 'quarantine/a b', CopySource: 'b/evidence/a%20b' },
        ARNS,
      ),
    ).toEqual([
      { action: 's3:GetObject', resource: 'arn:aws-cn:s3:::b/evidence/a b' },
      { action: 's3:PutObject', resource: 'arn:aws-cn:s3:::b/quarantine/a b' },
    ]);
    expect(requestsFor('s3', 'GetObjectCommand', { Bucket: 'b', Key: 'k', VersionId: 'v' }, ARNS)).toEqual([
      { action: 's3:GetObjectVersion', resource: 'arn:aws-cn:s3:::b/k' },
    ]);
  });

  it('sends email from an identity with ses:FromAddress; a task token resolves to its state machine', () => {
    expect(requestsFor('ses', 'SendEmailCommand', { FromEmailAddress: '集群 <no-reply@x.cn>' }, ARNS)).toEqual([
      {
        action: 'ses:SendEmail',
        resource: 'arn:aws-cn:ses:cn-north-1:000000000000:identity/no-reply@x.cn',
        context: { 'ses:FromAddress': 'no-reply@x.cn' },
      },
    ]);
    expect(
      requestsFor(
        'states',
        'SendTaskSuccessCommand',
        { taskToken: 't' },
        { ...ARNS, stateMachineOfToken: () => MACHINE },
      ),
    ).toEqual([{ action: 'states:SendTaskSuccess', resource: MACHINE }]);
  });
});

describe('the check on real SDK clients (local/iam/enforce.ts)', () => {
  let uninstall: (() => void) | undefined;
  afterEach(() => uninstall?.());

  const options = (policies: Record<string, PolicyStatement[]>): IamCheckOptions => ({
    ...ARNS,
    policies,
    stateMachineOfToken: () => MACHINE,
  });

  /** A client as the composition builds it: through the hook. */
  function hookedClient<T extends { middlewareStack: unknown }>(client: T): T {
    (globalThis as { [CLIENT_HOOK]?: (c: unknown) => void })[CLIENT_HOOK]?.(client);
    return client;
  }

  it('refuses, before sending, a call the running function may not make, with the SDK’s error shape', async () => {
    uninstall = installIamCheck(options({ 'functions/ops.ts': ops }));
    // An endpoint nothing listens on: a call that got past the check would fail differently.
    const base = hookedClient(
      new DynamoDBClient({
        endpoint: 'http://127.0.0.1:9',
        region: 'cn-north-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        maxAttempts: 1,
      }),
    );
    const documents = DynamoDBDocumentClient.from(base);
    const forged = new PutCommand({ TableName: 't', Item: { pk: 'CAMPAIGNS', sk: 'CAMPAIGN#x' } });
    await expect(asFunction('functions/ops.ts', () => documents.send(forged))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: expect.stringContaining(
        'dynamodb:PutItem on resource: arn:aws-cn:dynamodb:cn-north-1:000000000000:table/t',
      ),
    });
    const transaction = new TransactWriteCommand({
      // The Put is allowed (APP#), the tally's Update is not: the whole transaction is refused.
      TransactItems: [
        { Put: { TableName: 't', Item: { pk: 'APP#1', sk: 'AUDIT#1' } } },
        { Update: { TableName: 't', Key: { pk: 'TALLY#c', sk: 'P#x' }, UpdateExpression: 'ADD n :one' } },
      ],
    });
    await expect(asFunction('functions/ops.ts', () => documents.send(transaction))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    // Allowed calls go on to the network (here: nothing listens), as do calls outside any function.
    const query = new QueryCommand({
      TableName: 't',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': 'APP#1' },
    });
    await expect(asFunction('functions/ops.ts', () => documents.send(query))).rejects.not.toMatchObject({
      name: 'AccessDeniedException',
    });
    await expect(documents.send(forged)).rejects.not.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('answers S3’s own AccessDenied (403), and refuses every call of a function the CDK app does not define', async () => {
    uninstall = installIamCheck(options({ 'functions/ops.ts': ops }));
    const s3 = hookedClient(
      new S3Client({
        endpoint: 'http://127.0.0.1:9',
        region: 'cn-north-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        maxAttempts: 1,
      }),
    );
    await expect(
      asFunction('functions/ops.ts', () => s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'evidence/x' }))),
    ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const sfn = hookedClient(
      new SFNClient({
        endpoint: 'http://127.0.0.1:9',
        region: 'cn-north-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        maxAttempts: 1,
      }),
    );
    await expect(
      asFunction('functions/unknown.ts', () => sfn.send(new SendTaskSuccessCommand({ taskToken: 't', output: '{}' }))),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('the CDK app defines no function for functions/unknown.ts'),
    });
  });

  it('checks the policies it was given, call by call (no function: no check)', () => {
    const given = options({ 'functions/ops.ts': ops });
    expect(() =>
      check('functions/ops.ts', 'dynamodb', 'GetItemCommand', { TableName: 't', Key: {} }, given),
    ).not.toThrow();
    expect(() => check('functions/ops.ts', 'dynamodb', 'ScanCommand', { TableName: 't' }, given)).toThrow(
      /dynamodb:Scan/,
    );
  });
});
