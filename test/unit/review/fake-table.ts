import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { INDEXES, TABLE_KEY } from '../../../shared/adapters/table.ts';

/**
 * An in-memory stand-in for the one table, behind aws-sdk-client-mock: Get, Put, Update, Query
 * (table and indexes) and TransactWrite, with the condition and update expressions the adapters
 * use evaluated for real (an expression it does not understand fails the test). So conditional
 * writes — a decision recorded once, a quota counter that stops at its limit — behave as in
 * DynamoDB, without DynamoDB. Scan is refused: nothing may scan.
 */
type Item = Record<string, unknown>;
type Names = Record<string, string> | undefined;
type Values = Record<string, unknown> | undefined;

/** A sort key as text: DynamoDB keys here are strings or numbers; an absent one is empty. */
const keyText = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

function resolveName(token: string, names: Names): string {
  if (!token.startsWith('#')) return token;
  const name = names?.[token];
  if (name === undefined) throw new Error(`fake table: unknown attribute name ${token}`);
  return name;
}

function resolveValue(token: string, values: Values): unknown {
  if (!token.startsWith(':')) throw new Error(`fake table: expected a value placeholder, got ${token}`);
  if (!values || !(token in values)) throw new Error(`fake table: unknown value ${token}`);
  return values[token];
}

function compare(left: unknown, op: string, right: unknown): boolean {
  const [a, b] = [left as number | string, right as number | string];
  switch (op) {
    case '=':
      return JSON.stringify(left) === JSON.stringify(right);
    case '<>':
      return JSON.stringify(left) !== JSON.stringify(right);
    case '<':
      return left !== undefined && a < b;
    case '<=':
      return left !== undefined && a <= b;
    case '>':
      return left !== undefined && a > b;
    case '>=':
      return left !== undefined && a >= b;
  }
  throw new Error(`fake table: operator ${op}`);
}

function atom(text: string, item: Item | undefined, names: Names, values: Values): boolean {
  const it = item ?? {};
  let m = /^attribute_not_exists\((\S+)\)$/.exec(text);
  if (m?.[1]) return !(resolveName(m[1], names) in it);
  m = /^attribute_exists\((\S+)\)$/.exec(text);
  if (m?.[1]) return resolveName(m[1], names) in it;
  m = /^(\S+) IN \((.+)\)$/.exec(text);
  if (m?.[1] && m[2]) {
    const actual = it[resolveName(m[1], names)];
    return m[2].split(',').some((token) => compare(actual, '=', resolveValue(token.trim(), values)));
  }
  m = /^(\S+) (=|<>|<=|>=|<|>) (\S+)$/.exec(text);
  if (m?.[1] && m[2] && m[3]) return compare(it[resolveName(m[1], names)], m[2], resolveValue(m[3], values));
  throw new Error(`fake table: cannot evaluate "${text}"`);
}

export function evaluate(
  expression: string | undefined,
  item: Item | undefined,
  names: Names,
  values: Values,
): boolean {
  if (!expression) return true;
  return splitTopLevel(unwrap(expression.trim()), ' OR ').some((alternative) =>
    splitTopLevel(unwrap(alternative.trim()), ' AND ').every((part) => {
      const inner = unwrap(part.trim());
      // A parenthesised group holds its own ORs and ANDs: evaluate it whole.
      return inner === part.trim() ? atom(inner, item, names, values) : evaluate(inner, item, names, values);
    }),
  );
}

/** Splits on a separator outside parentheses, so `(a OR b) AND c` splits on the AND only. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')') depth -= 1;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
      i = start - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Drops parentheses that wrap the whole text, e.g. `(a OR b)`, but not `f(a) AND g(b)`. */
function unwrap(text: string): string {
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')') depth -= 1;
    if (depth === 0 && i < text.length - 1) return text;
  }
  return unwrap(text.slice(1, -1).trim());
}

export function applyUpdate(item: Item, expression: string, names: Names, values: Values): Item {
  const next: Item = structuredClone(item);
  const clauses = expression.split(/\b(?=SET |ADD |REMOVE )/).map((clause) => clause.trim());
  for (const clause of clauses) {
    const [keyword, ...rest] = clause.split(' ');
    const body = rest.join(' ');
    const parts = body
      // Commas inside if_not_exists(…) separate its arguments, not two updates.
      .split(/,(?![^(]*\))/)
      .map((part) => part.trim())
      .filter(Boolean);
    for (const part of parts) {
      if (keyword === 'SET') {
        const [name, value] = part.split(' = ');
        if (!name || !value) throw new Error(`fake table: SET ${part}`);
        const ifNotExists = /^if_not_exists\(\s*([^,\s]+)\s*,\s*([^)\s]+)\s*\)$/.exec(value);
        if (ifNotExists) {
          const existing = next[resolveName(ifNotExists[1] ?? '', names)];
          next[resolveName(name, names)] = structuredClone(existing ?? resolveValue(ifNotExists[2] ?? '', values));
          continue;
        }
        next[resolveName(name, names)] = structuredClone(resolveValue(value, values));
      } else if (keyword === 'ADD') {
        const [name, value] = part.split(' ');
        if (!name || !value) throw new Error(`fake table: ADD ${part}`);
        const key = resolveName(name, names);
        next[key] = (typeof next[key] === 'number' ? next[key] : 0) + (resolveValue(value, values) as number);
      } else if (keyword === 'REMOVE') {
        delete next[resolveName(part, names)];
      } else {
        throw new Error(`fake table: update clause ${clause}`);
      }
    }
  }
  return next;
}

const KEY = (pk: unknown, sk: unknown) => `${String(pk)}\u0000${String(sk)}`;

export class FakeTable {
  readonly items = new Map<string, Item>();

  put(item: Item): void {
    this.items.set(KEY(item[TABLE_KEY.partitionKey], item[TABLE_KEY.sortKey]), structuredClone(item));
  }

  get(pk: string, sk: string): Item | undefined {
    const item = this.items.get(KEY(pk, sk));
    return item && structuredClone(item);
  }

  all(): Item[] {
    return [...this.items.values()].map((item) => structuredClone(item));
  }

  private at(key: Record<string, unknown>): Item | undefined {
    return this.items.get(KEY(key[TABLE_KEY.partitionKey], key[TABLE_KEY.sortKey]));
  }

  private set(key: Record<string, unknown>, item: Item | undefined): void {
    const k = KEY(key[TABLE_KEY.partitionKey], key[TABLE_KEY.sortKey]);
    if (item) this.items.set(k, item);
    else this.items.delete(k);
  }

  /** Answers the mocked document client's commands from this table. */
  install(stub: AwsClientStub<DynamoDBDocumentClient>): void {
    stub.on(GetCommand).callsFake((input) => {
      const item = this.at(input.Key);
      if (!item) return {};
      if (!input.ProjectionExpression) return { Item: structuredClone(item) };
      const names = (input.ProjectionExpression as string).split(',').map((name) => name.trim());
      return { Item: Object.fromEntries(names.filter((n) => n in item).map((n) => [n, structuredClone(item[n])])) };
    });
    stub.on(PutCommand).callsFake((input) => {
      const current = this.at(input.Item);
      if (
        !evaluate(input.ConditionExpression, current, input.ExpressionAttributeNames, input.ExpressionAttributeValues)
      ) {
        throw conditionFailed();
      }
      this.set(input.Item, structuredClone(input.Item));
      return {};
    });
    stub.on(UpdateCommand).callsFake((input) => {
      const current = this.at(input.Key);
      if (
        !evaluate(input.ConditionExpression, current, input.ExpressionAttributeNames, input.ExpressionAttributeValues)
      ) {
        throw conditionFailed();
      }
      const next = applyUpdate(
        { ...(current ?? input.Key) },
        input.UpdateExpression,
        input.ExpressionAttributeNames,
        input.ExpressionAttributeValues,
      );
      this.set(input.Key, next);
      return input.ReturnValues === 'ALL_NEW' ? { Attributes: structuredClone(next) } : {};
    });
    stub.on(QueryCommand).callsFake((input) => this.query(input));
    stub.on(TransactWriteCommand).callsFake((input) => this.transact(input.TransactItems ?? []));
    stub.on(ScanCommand).rejects(new Error('fake table: Scan is not allowed'));
  }

  private query(input: {
    IndexName?: string;
    KeyConditionExpression: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
    ScanIndexForward?: boolean;
  }) {
    const index = Object.values(INDEXES).find((candidate) => candidate.indexName === input.IndexName);
    const [pkName, skName] = index ? [index.partitionKey, index.sortKey] : [TABLE_KEY.partitionKey, TABLE_KEY.sortKey];
    const m = /^(\S+) = (\S+)(?: AND begins_with\((\S+), (\S+)\)| AND (\S+) >= (\S+))?$/.exec(
      input.KeyConditionExpression,
    );
    if (!m?.[1] || !m[2]) throw new Error(`fake table: key condition ${input.KeyConditionExpression}`);
    if (resolveName(m[1], input.ExpressionAttributeNames) !== pkName)
      throw new Error('fake table: wrong partition key');
    if (m[5] && resolveName(m[5], input.ExpressionAttributeNames) !== skName)
      throw new Error('fake table: wrong sort key');
    const pk = resolveValue(m[2], input.ExpressionAttributeValues);
    const prefix = m[4] ? String(resolveValue(m[4], input.ExpressionAttributeValues)) : '';
    // A lower bound on the sort key (the lapsed reviews since a date).
    const from = m[6] ? String(resolveValue(m[6], input.ExpressionAttributeValues)) : '';
    const items = [...this.items.values()]
      .filter(
        (item) =>
          item[pkName] === pk &&
          keyText(item[skName]).startsWith(prefix) &&
          keyText(item[skName]) >= from &&
          skName in item,
      )
      .sort((a, b) => keyText(a[skName]).localeCompare(keyText(b[skName])));
    if (input.ScanIndexForward === false) items.reverse();
    return { Items: items.map((item) => structuredClone(item)) };
  }

  private transact(transactItems: readonly Record<string, Record<string, unknown> | undefined>[]) {
    type Op = { kind: string; input: Record<string, unknown> };
    const ops: Op[] = transactItems.map((entry) => {
      const [kind, input] = Object.entries(entry).find(([, value]) => value !== undefined) ?? [];
      if (!kind || !input) throw new Error('fake table: empty transaction item');
      return { kind, input };
    });
    const keyOf = (op: Op) => (op.kind === 'Put' ? op.input.Item : op.input.Key) as Record<string, unknown>;
    const reasons = ops.map((op) => {
      const ok = evaluate(
        op.input.ConditionExpression as string | undefined,
        this.at(keyOf(op)),
        op.input.ExpressionAttributeNames as Names,
        op.input.ExpressionAttributeValues as Values,
      );
      return { Code: ok ? 'None' : 'ConditionalCheckFailed' };
    });
    if (reasons.some((reason) => reason.Code !== 'None')) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: reasons,
      });
    }
    for (const op of ops) {
      const key = keyOf(op);
      if (op.kind === 'Put') this.set(key, structuredClone(op.input.Item as Item));
      else if (op.kind === 'Delete') this.set(key, undefined);
      else if (op.kind === 'Update') {
        this.set(
          key,
          applyUpdate(
            { ...(this.at(key) ?? key) },
            op.input.UpdateExpression as string,
            op.input.ExpressionAttributeNames as Names,
            op.input.ExpressionAttributeValues as Values,
          ),
        );
      }
    }
    return {};
  }
}
