import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ConflictError } from '../../platform/errors.ts';
import type { IdempotencyMarker, IdempotencyScope } from '../../ports/core.ts';
import { type TransactItem, withoutKeys } from '../dynamo-util.ts';
import { keys, type RecordTable } from './keys.ts';

/**
 * What the first request with an Idempotency-Key left behind: the marker written in the same
 * transaction as what the request created, and read back when a repeat or a racing request comes.
 * Apart because it serves two writes (an application, an evidence item) and belongs to neither.
 */

const IdempotencyMarkerSchema = z.object({
  sub: z.string().min(1),
  route: z.enum(['CREATE', 'EVIDENCE']),
  key: z.string().min(1),
  requestHash: z.string().regex(/^[0-9a-f]{64}$/),
  applicationId: z.string().min(1),
  evidenceId: z.string().min(1).optional(),
  createdAt: z.string(),
  expiresAt: z.string(),
});

/** The marker's key taken by another request (the domain answers as a repeat of that one). */
export const keyInUse = (marker: IdempotencyMarker) =>
  new ConflictError('IDEMPOTENCY_KEY_IN_USE', 'Another request with this Idempotency-Key is being handled', [
    { field: 'header.idempotency-key', code: 'IDEMPOTENCY_KEY_IN_USE', message: `key ${marker.key} is in use` },
  ]);

export class IdempotencyMarkers {
  constructor(private readonly table: RecordTable) {}

  /** The marker's Put, when there is one: only if no request used the key before. */
  put(marker: IdempotencyMarker | undefined): TransactItem[] {
    if (!marker) return [];
    return [
      {
        Put: {
          TableName: this.table.tableName,
          Item: { ...IdempotencyMarkerSchema.parse(marker), ...keys.idempotency(marker) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  /** After a failed condition: whether it was the marker's (another request holds the key). */
  async taken(marker: IdempotencyMarker | undefined): Promise<boolean> {
    return marker !== undefined && (await this.get(marker)) !== undefined;
  }

  async get(scope: IdempotencyScope): Promise<IdempotencyMarker | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.idempotency(scope), ConsistentRead: true }),
    );
    return Item ? IdempotencyMarkerSchema.parse(withoutKeys(Item)) : undefined;
  }
}
