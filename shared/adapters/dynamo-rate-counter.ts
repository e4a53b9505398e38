import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateCounter, WindowHit } from '../ports/limits.ts';
import { TTL_ATTRIBUTE } from './table.ts';
import { isConditionFailure } from './dynamo-util.ts';

/**
 * The per-client counters: item pk `LIMIT#<action>#<dimension>#<hash>`, sk `W#<window start>`,
 * `count`, and the table's TTL attribute so DynamoDB removes old windows. One conditional
 * UpdateItem per hit: ADD 1 only while count < limit, so racing requests never count past it.
 */
export const limitKeys = (hit: Pick<WindowHit, 'key' | 'windowStart'>) => ({
  pk: `LIMIT#${hit.key}`,
  sk: `W#${hit.windowStart}`,
});

export class DynamoRateCounter implements RateCounter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(input: WindowHit): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: limitKeys(input),
          UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':one': 1, ':limit': input.limit, ':ttl': input.expiresAtEpochSeconds },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
