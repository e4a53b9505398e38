import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { type ApplicationRecord, ApplicationRecordSchema } from '../schemas/records.ts';
import { INDEXES } from './table.ts';
import type { QuotaScope } from '../ports/quotas.ts';
import { quotaKeys } from './dynamo-quota.ts';
import { deadlineIndexKeys, keys } from './dynamo-records/keys.ts';
import { withoutKeys } from './dynamo-util.ts';

/**
 * The few reads the ops summary needs besides the tallies, each one request: what is late (one
 * Query of the campaign's deadline partition), the quota counters (one BatchGetItem) and the
 * applications behind failed executions (one BatchGetItem). Never a Scan.
 */

/** BatchGetItem takes at most 100 keys. */
const BATCH_LIMIT = 100;
/** Unprocessed keys (throttling) are asked again this often before giving up. */
const BATCH_ATTEMPTS = 4;

const CounterSchema = z.object({ pk: z.string(), used: z.int().nonnegative(), limit: z.int().nonnegative() });

export interface QuotaCounterKey {
  track: string;
  scope: QuotaScope;
  code: string;
}

export class DynamoOpsReads {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Applications of the campaign due before `now` (OVERDUE, or open and late), latest deadline first. */
  async late(campaignId: string, now: Date, limit: number): Promise<ApplicationRecord[]> {
    const { byDeadline } = INDEXES;
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: byDeadline.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk < :now',
        ExpressionAttributeNames: { '#pk': byDeadline.partitionKey, '#sk': byDeadline.sortKey },
        ExpressionAttributeValues: { ':pk': deadlineIndexKeys.duePartition(campaignId), ':now': now.toISOString() },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((item) => ApplicationRecordSchema.parse(withoutKeys(item)));
  }

  /** `used` and `limit` of each counter that exists, keyed `<track>#<scope>#<code>`. */
  async quotaCounters(
    campaignId: string,
    counters: readonly QuotaCounterKey[],
  ): Promise<Map<string, { used: number; limit: number }>> {
    const byPartition = new Map(
      counters.map((c) => [
        quotaKeys.partition(campaignId, c.track, c.scope, c.code),
        `${c.track}#${c.scope}#${c.code}`,
      ]),
    );
    const items = await this.batchGet(counters.map((c) => quotaKeys.counter(campaignId, c.track, c.scope, c.code)));
    const found = new Map<string, { used: number; limit: number }>();
    for (const item of items) {
      const counter = CounterSchema.parse(item);
      const key = byPartition.get(counter.pk);
      if (key) found.set(key, { used: counter.used, limit: counter.limit });
    }
    return found;
  }

  async applications(applicationIds: readonly string[]): Promise<ApplicationRecord[]> {
    const items = await this.batchGet([...new Set(applicationIds)].map((id) => keys.application(id)));
    return items.map((item) => ApplicationRecordSchema.parse(withoutKeys(item)));
  }

  private async batchGet(keyList: readonly Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let start = 0; start < keyList.length; start += BATCH_LIMIT) {
      let pending: Record<string, unknown>[] = keyList.slice(start, start + BATCH_LIMIT);
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > BATCH_ATTEMPTS) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed`);
        const result = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }),
        );
        found.push(...(result.Responses?.[this.tableName] ?? []));
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return found;
  }
}
