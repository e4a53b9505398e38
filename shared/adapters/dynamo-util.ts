import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { KEY_ATTRIBUTES } from './table.ts';

const KEYS: ReadonlySet<string> = new Set(KEY_ATTRIBUTES);

/** An item without its key attributes (pk, sk, gsi*), which the repositories derive: what the schemas parse. */
export function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !KEYS.has(name)));
}

/** A failed condition, whether on a single write or inside a transaction. */
export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof TransactionCanceledException &&
      (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed'))
  );
}

/** Every page of a Query (never a Scan). */
export async function queryAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type CancellationReason = { Code?: string };

export interface TransactOptions {
  /** Attempts of one transaction that keeps being cancelled by TransactionConflict (default 10). */
  maxAttempts?: number;
  /** Backoff before attempt n+1: a random delay in [0, min(maxDelayMs, baseDelayMs·2^(n-1))). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each retry after a TransactionConflict (metrics, tests). */
  onConflictRetry?: (attempt: number) => void;
}

/**
 * Sends a transaction; resolves undefined when it committed, or the cancellation reasons when a
 * condition failed (never retried). Cancellations by TransactionConflict alone (a race with
 * another transaction on the same item: a quota counter, a campaign tally) are retried with
 * jittered exponential backoff.
 */
export async function transactWrite(
  client: DynamoDBDocumentClient,
  items: TransactItem[],
  options: TransactOptions = {},
): Promise<readonly CancellationReason[] | undefined> {
  const maxAttempts = options.maxAttempts ?? 10;
  const baseDelayMs = options.baseDelayMs ?? 25;
  const maxDelayMs = options.maxDelayMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) return reasons;
      const codes = reasons.map((reason) => reason.Code ?? 'None').filter((code) => code !== 'None');
      const conflictOnly = codes.length > 0 && codes.every((code) => code === 'TransactionConflict');
      if (!conflictOnly || attempt >= maxAttempts) throw error;
      options.onConflictRetry?.(attempt);
      await sleep(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
