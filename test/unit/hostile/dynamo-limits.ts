import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { INDEXES, KEY_ATTRIBUTES, TABLE_KEY } from '../../../shared/adapters/table.ts';
import { FakeTable } from '../review/fake-table.ts';

/**
 * The in-memory table of the review tests (test/unit/review/fake-table.ts) with the limits real
 * DynamoDB enforces and the fake does not, so that a hostile value which would make DynamoDB
 * answer ValidationException (a 500 in production) fails here too:
 *
 * - key attributes (table and index keys): non-empty strings, partition key ≤ 2048 bytes, sort
 *   key ≤ 1024 bytes (UTF-8), also in Get/Query/BatchGet keys and key-condition values;
 * - an item ≤ 400 KB, and no value nested deeper than 32 levels;
 * - a transaction of at most 100 items, a BatchGetItem of at most 100 keys.
 *
 * BatchGetItem (which the fake does not answer) is answered from the same items.
 */
export class DynamoValidationException extends Error {
  override readonly name = 'ValidationException';
  readonly $metadata = { httpStatusCode: 400 };
  readonly $fault = 'client';
}

const PARTITION_KEY_BYTES = 2048;
const SORT_KEY_BYTES = 1024;
const ITEM_BYTES = 400 * 1024;
const MAX_DEPTH = 32;

const bytes = (value: string) => Buffer.byteLength(value, 'utf8');
const SORT_KEYS = new Set(KEY_ATTRIBUTES.filter((_, i) => i % 2 === 1));

function checkKeyValue(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value.length === 0) {
    throw new DynamoValidationException(
      `One or more parameter values are not valid: key ${name} must be a non-empty string`,
    );
  }
  const limit = SORT_KEYS.has(name) ? SORT_KEY_BYTES : PARTITION_KEY_BYTES;
  if (bytes(value) > limit) {
    throw new DynamoValidationException(
      `One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of ${limit} bytes`,
    );
  }
}

function depthOf(value: unknown, depth = 0): number {
  if (value === null || typeof value !== 'object') return depth;
  let deepest = depth + 1;
  for (const inner of Object.values(value as Record<string, unknown>)) {
    deepest = Math.max(deepest, depthOf(inner, depth + 1));
    if (deepest > MAX_DEPTH) return deepest;
  }
  return deepest;
}

function checkItem(item: Record<string, unknown>): void {
  for (const name of KEY_ATTRIBUTES) checkKeyValue(name, item[name]);
  if (bytes(JSON.stringify(item)) > ITEM_BYTES) {
    throw new DynamoValidationException('Item size has exceeded the maximum allowed size');
  }
  if (depthOf(item) > MAX_DEPTH + 1) {
    throw new DynamoValidationException('Nesting Levels have exceeded supported limits');
  }
}

function checkKey(key: Record<string, unknown> | undefined): void {
  if (!key) return;
  checkKeyValue(TABLE_KEY.partitionKey, key[TABLE_KEY.partitionKey]);
  checkKeyValue(TABLE_KEY.sortKey, key[TABLE_KEY.sortKey]);
}

type Handler = (input: never) => unknown;

/** Installs the fake table behind `stub`, every request checked against DynamoDB's limits first. */
export function installLimitedTable(stub: AwsClientStub<DynamoDBDocumentClient>, table = new FakeTable()): FakeTable {
  // Collect the fake's handlers instead of registering them, to put the checks in front.
  const handlers = new Map<unknown, Handler>();
  const collector = {
    on: (command: unknown) => ({
      callsFake: (fn: Handler) => handlers.set(command, fn),
      rejects: (error: Error) =>
        handlers.set(command, () => {
          throw error;
        }),
    }),
  } as unknown as AwsClientStub<DynamoDBDocumentClient>;
  table.install(collector);
  const call = (command: unknown, input: unknown) => {
    const handler = handlers.get(command);
    if (!handler) throw new Error('fake table: command not supported');
    return handler(input as never);
  };

  stub.on(GetCommand).callsFake((input) => {
    checkKey(input.Key);
    return call(GetCommand, input);
  });
  stub.on(PutCommand).callsFake((input) => {
    checkItem(input.Item);
    return call(PutCommand, input);
  });
  stub.on(UpdateCommand).callsFake((input) => {
    checkKey(input.Key);
    const result = call(UpdateCommand, input) as { Attributes?: Record<string, unknown> };
    return result;
  });
  stub.on(QueryCommand).callsFake((input) => {
    for (const value of Object.values(input.ExpressionAttributeValues ?? {})) {
      if (typeof value === 'string' && bytes(value) > PARTITION_KEY_BYTES) {
        throw new DynamoValidationException('Query key condition value exceeds the key size limit');
      }
    }
    return query(table, input);
  });
  stub.on(TransactWriteCommand).callsFake((input) => {
    const items = input.TransactItems ?? [];
    if (items.length > 100) throw new DynamoValidationException('Member must have length less than or equal to 100');
    for (const entry of items) {
      if (entry.Put) checkItem(entry.Put.Item as Record<string, unknown>);
      for (const op of [entry.Update, entry.Delete, entry.ConditionCheck]) checkKey(op?.Key);
    }
    return call(TransactWriteCommand, input);
  });
  stub.on(BatchGetCommand).callsFake((input) => {
    const Responses: Record<string, Record<string, unknown>[]> = {};
    const requests = (input.RequestItems ?? {}) as Record<string, { Keys?: Record<string, unknown>[] }>;
    for (const [tableName, request] of Object.entries(requests)) {
      const keys = request.Keys ?? [];
      if (keys.length > 100) throw new DynamoValidationException('Too many items requested for the BatchGetItem call');
      Responses[tableName] = keys.flatMap((key) => {
        checkKey(key);
        const item = table.get(String(key[TABLE_KEY.partitionKey]), String(key[TABLE_KEY.sortKey]));
        return item ? [item] : [];
      });
    }
    return { Responses };
  });
  stub.on(DeleteCommand).callsFake((input) => {
    checkKey(input.Key);
    table.items.delete(`${String(input.Key?.[TABLE_KEY.partitionKey])}\u0000${String(input.Key?.[TABLE_KEY.sortKey])}`);
    return {};
  });
  stub.on(BatchWriteCommand).rejects(new Error('fake table: BatchWriteItem is not used by the pipeline'));
  stub.on(ScanCommand).rejects(new Error('fake table: Scan is not allowed'));
  return table;
}

/**
 * Query over the fake's items, with every key condition the adapters write (the fake knows only
 * `=` and begins_with): `pk = :v [AND (sk op :v | begins_with(sk, :v) | sk BETWEEN :a AND :b)]`,
 * on the table or an index, with Limit and ScanIndexForward.
 */
function query(
  table: FakeTable,
  input: {
    IndexName?: string;
    KeyConditionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
    ScanIndexForward?: boolean;
    Limit?: number;
  },
) {
  const index = Object.values(INDEXES).find((candidate) => candidate.indexName === input.IndexName);
  const [pkName, skName] = index ? [index.partitionKey, index.sortKey] : [TABLE_KEY.partitionKey, TABLE_KEY.sortKey];
  const name = (token: string) => (token.startsWith('#') ? (input.ExpressionAttributeNames?.[token] ?? token) : token);
  const value = (token: string) => {
    if (!input.ExpressionAttributeValues || !(token in input.ExpressionAttributeValues)) {
      throw new DynamoValidationException(`Value provided in ExpressionAttributeValues unused or missing: ${token}`);
    }
    return input.ExpressionAttributeValues[token];
  };
  const m =
    /^(\S+) = (\S+)(?: AND (?:begins_with\((\S+), (\S+)\)|(\S+) (=|<|<=|>|>=) (\S+)|(\S+) BETWEEN (\S+) AND (\S+)))?$/.exec(
      input.KeyConditionExpression ?? '',
    );
  if (!m?.[1] || !m[2]) throw new Error(`limited table: key condition ${input.KeyConditionExpression}`);
  if (name(m[1]) !== pkName) throw new Error('limited table: wrong partition key');
  const pk = value(m[2]);
  let test: (sk: string) => boolean = () => true;
  if (m[3] && m[4]) {
    if (name(m[3]) !== skName) throw new Error('limited table: wrong sort key');
    const prefix = String(value(m[4]));
    test = (sk) => sk.startsWith(prefix);
  } else if (m[5] && m[6] && m[7]) {
    if (name(m[5]) !== skName) throw new Error('limited table: wrong sort key');
    const bound = String(value(m[7]));
    const op = m[6];
    test = (sk) =>
      op === '='
        ? sk === bound
        : op === '<'
          ? sk < bound
          : op === '<='
            ? sk <= bound
            : op === '>'
              ? sk > bound
              : sk >= bound;
  } else if (m[8] && m[9] && m[10]) {
    const [low, high] = [String(value(m[9])), String(value(m[10]))];
    test = (sk) => sk >= low && sk <= high;
  }
  let items = [...table.items.values()]
    .filter((item) => item[pkName] === pk && skName in item && test(String(item[skName])))
    .sort((a, b) => (String(a[skName]) < String(b[skName]) ? -1 : String(a[skName]) > String(b[skName]) ? 1 : 0));
  if (input.ScanIndexForward === false) items.reverse();
  if (input.Limit !== undefined) items = items.slice(0, input.Limit);
  return { Items: items.map((item) => structuredClone(item)) };
}
