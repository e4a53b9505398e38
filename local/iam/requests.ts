import { INDEXES, TABLE_KEY } from '../../shared/adapters/table.ts';
import type { IamRequest } from './policy.ts';

/**
 * What IAM authorises for one SDK call: the call's command (by the SDK's command name) and
 * input turned into (action, resource, condition keys) requests, each of which must be allowed.
 * Transactions and batches expand as AWS authorises them: TransactWriteItems is each item's own
 * action (PutItem, UpdateItem, DeleteItem, ConditionCheckItem) on that item's table,
 * BatchGetItem and BatchWriteItem one request per table, CopyObject a read of the source and a
 * write of the target. dynamodb:LeadingKeys carries the partition key of every item touched.
 */

export interface ArnContext {
  partition: string;
  region: string;
  accountId: string;
  /** The state machine a task token belongs to (SendTask* names a token, not a resource). */
  stateMachineOfToken?: (taskToken: string) => string | undefined;
}

/** The services the local check covers, by the SDK client's name (context.clientName). */
export const SERVICE_OF_CLIENT: Record<string, string> = {
  DynamoDBClient: 'dynamodb',
  S3Client: 's3',
  SFNClient: 'states',
  SESv2Client: 'ses',
  SESClient: 'ses',
  SecretsManagerClient: 'secretsmanager',
};

type Input = Record<string, unknown>;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const record = (value: unknown): Input => (value && typeof value === 'object' ? (value as Input) : {});

/** A key attribute's string, whether the input is marshalled ({ S: … }) or plain (document client). */
function keyValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const attribute = record(value);
  return text(attribute.S) ?? (typeof attribute.N === 'string' ? attribute.N : undefined);
}

const leading = (item: unknown): string[] => {
  const value = keyValue(record(item)[TABLE_KEY.partitionKey]);
  return value === undefined ? [] : [value];
};

/** The IAM action for an SDK command name: `PutItemCommand` → `PutItem`. */
export const operationOf = (commandName: string) => commandName.replace(/Command$/, '');

export function requestsFor(service: string, commandName: string, input: Input, arns: ArnContext): IamRequest[] {
  const operation = operationOf(commandName);
  switch (service) {
    case 'dynamodb':
      return dynamoRequests(operation, input, arns);
    case 's3':
      return s3Requests(operation, input, arns);
    case 'states':
      return sfnRequests(operation, input, arns);
    case 'ses':
      return sesRequests(operation, input, arns);
    case 'secretsmanager':
      return secretsRequests(operation, input, arns);
    default:
      throw new Error(`no IAM mapping for the ${service} service`);
  }
}

const tableArn = (arns: ArnContext, table: string) =>
  `arn:${arns.partition}:dynamodb:${arns.region}:${arns.accountId}:table/${table}`;

/** The partition key a Query names: `<partition key> = :value` in its KeyConditionExpression. */
function queriedPartition(input: Input): string[] {
  const index = text(input.IndexName);
  const indexKey = index
    ? Object.values(INDEXES).find((candidate) => candidate.indexName === index)?.partitionKey
    : TABLE_KEY.partitionKey;
  const expression = text(input.KeyConditionExpression) ?? '';
  const names = record(input.ExpressionAttributeNames);
  const values = record(input.ExpressionAttributeValues);
  for (const [, name, placeholder] of expression.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const attribute = name?.startsWith('#') ? text(names[name]) : name;
    if (attribute === indexKey) {
      const value = keyValue(values[placeholder ?? '']);
      return value === undefined ? [] : [value];
    }
  }
  return [];
}

const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

function dynamoRequests(operation: string, input: Input, arns: ArnContext): IamRequest[] {
  const request = (action: string, table: string, keys: string[], index?: string): IamRequest => ({
    action: `dynamodb:${action}`,
    resource: index ? `${tableArn(arns, table)}/index/${index}` : tableArn(arns, table),
    context: { 'dynamodb:LeadingKeys': keys },
  });
  switch (operation) {
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return ((input.TransactItems as unknown[] | undefined) ?? []).flatMap((entry) =>
        Object.entries(record(entry)).map(([kind, item]) => {
          const action = TRANSACT_ACTIONS[kind];
          if (!action) throw new Error(`unknown transaction item kind ${kind}`);
          const { TableName, Key, Item } = record(item);
          return request(action, text(TableName) ?? '', leading(Key ?? Item));
        }),
      );
    case 'BatchGetItem':
      return Object.entries(record(input.RequestItems)).map(([table, entry]) =>
        request(operation, table, ((record(entry).Keys as unknown[] | undefined) ?? []).flatMap(leading)),
      );
    case 'BatchWriteItem':
      return Object.entries(record(input.RequestItems)).map(([table, writes]) =>
        request(
          operation,
          table,
          ((writes as unknown[] | undefined) ?? []).flatMap((write) => {
            const { PutRequest, DeleteRequest } = record(write);
            return leading(record(PutRequest).Item ?? record(DeleteRequest).Key);
          }),
        ),
      );
    case 'Query':
      return [request(operation, text(input.TableName) ?? '', queriedPartition(input), text(input.IndexName))];
    case 'Scan':
      return [request(operation, text(input.TableName) ?? '', [], text(input.IndexName))];
    default: {
      const table = text(input.TableName);
      const keys = leading(input.Key ?? input.Item);
      return [table ? request(operation, table, keys) : { action: `dynamodb:${operation}`, resource: '*' }];
    }
  }
}

const s3Arn = (arns: ArnContext, bucket: string, key?: string) =>
  `arn:${arns.partition}:s3:::${bucket}${key === undefined ? '' : `/${key}`}`;

function s3Requests(operation: string, input: Input, arns: ArnContext): IamRequest[] {
  const bucket = text(input.Bucket) ?? '';
  const key = text(input.Key);
  const versioned = text(input.VersionId) !== undefined;
  const object = (action: string) => ({ action: `s3:${action}`, resource: s3Arn(arns, bucket, key) });
  switch (operation) {
    case 'GetObject':
    case 'HeadObject':
      return [object(versioned ? 'GetObjectVersion' : 'GetObject')];
    case 'DeleteObject':
      return [object(versioned ? 'DeleteObjectVersion' : 'DeleteObject')];
    // A multipart upload is authorised as PutObject, part by part (the package builder's).
    case 'PutObject':
    case 'CreateMultipartUpload':
    case 'UploadPart':
    case 'CompleteMultipartUpload':
      return [object('PutObject')];
    case 'AbortMultipartUpload':
      return [object('AbortMultipartUpload')];
    case 'CopyObject': {
      // CopySource: "<bucket>/<url-encoded key>[?versionId=…]".
      const [path = '', query = ''] = (text(input.CopySource) ?? '').split('?');
      const slash = path.indexOf('/');
      const source = s3Arn(arns, path.slice(0, slash), decodeURIComponent(path.slice(slash + 1)));
      const sourceVersioned = /(^|&)versionId=/.test(query);
      return [
        { action: `s3:${sourceVersioned ? 'GetObjectVersion' : 'GetObject'}`, resource: source },
        object('PutObject'),
      ];
    }
    case 'ListObjects':
    case 'ListObjectsV2':
      return [{ action: 's3:ListBucket', resource: s3Arn(arns, bucket) }];
    default:
      return [key === undefined ? { action: `s3:${operation}`, resource: s3Arn(arns, bucket) } : object(operation)];
  }
}

function sfnRequests(operation: string, input: Input, arns: ArnContext): IamRequest[] {
  const token = text(input.taskToken);
  const resource =
    text(input.executionArn) ??
    text(input.stateMachineArn) ??
    (token !== undefined ? arns.stateMachineOfToken?.(token) : undefined) ??
    '*';
  return [{ action: `states:${operation}`, resource }];
}

/** The address in `Name <address>` or a bare address. */
const addressOf = (from: string) => /<([^>]+)>/.exec(from)?.[1] ?? from.trim();

function sesRequests(operation: string, input: Input, arns: ArnContext): IamRequest[] {
  const from = text(input.FromEmailAddress) ?? text(input.Source);
  if (operation !== 'SendEmail' && operation !== 'SendRawEmail') return [{ action: `ses:${operation}`, resource: '*' }];
  const address = from === undefined ? '' : addressOf(from);
  return [
    {
      action: `ses:${operation}`,
      resource: `arn:${arns.partition}:ses:${arns.region}:${arns.accountId}:identity/${address}`,
      context: { 'ses:FromAddress': address },
    },
  ];
}

function secretsRequests(operation: string, input: Input, arns: ArnContext): IamRequest[] {
  const id = text(input.SecretId) ?? '*';
  const resource = id.startsWith('arn:')
    ? id
    : `arn:${arns.partition}:secretsmanager:${arns.region}:${arns.accountId}:secret:${id}`;
  return [{ action: `secretsmanager:${operation}`, resource }];
}
