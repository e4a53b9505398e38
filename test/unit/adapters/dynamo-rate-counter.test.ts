import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoRateCounter } from '../../../shared/adapters/dynamo-rate-counter.ts';
import { TTL_ATTRIBUTE } from '../../../shared/adapters/table.ts';
import { makeDocumentClient } from '../../../shared/composition/clients.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const counter = new DynamoRateCounter(makeDocumentClient(), 'Table');
const hit = {
  key: 'objection#ip#0123456789abcdef0123456789abcdef',
  windowStart: '2026-06-01T00:00:00.000Z',
  limit: 20,
  expiresAtEpochSeconds: 1_780_276_400,
};

beforeEach(() => ddb.reset());

describe('DynamoRateCounter', () => {
  it('counts a hit with one conditional UpdateItem: ADD 1 while below the limit, with the TTL', async () => {
    ddb.on(UpdateCommand).resolves({});
    expect(await counter.hit(hit)).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'Table',
      Key: { pk: `LIMIT#${hit.key}`, sk: `W#${hit.windowStart}` },
      UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#count': 'count', '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':one': 1, ':limit': 20, ':ttl': hit.expiresAtEpochSeconds },
    });
  });

  it('answers false when the window is full (the condition failed), counting nothing more', async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'full', $metadata: {} }));
    expect(await counter.hit(hit)).toBe(false);
  });

  it('lets any other failure through: a throttled table is not a full window', async () => {
    ddb.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceeded'));
    await expect(counter.hit(hit)).rejects.toThrow('ProvisionedThroughputExceeded');
  });
});
