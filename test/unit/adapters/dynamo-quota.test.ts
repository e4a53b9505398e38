import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoQuotas, quotaKeys } from '../../../shared/adapters/dynamo-quota.ts';
import { makeDocumentClient } from '../../../shared/composition/clients.ts';
import { ConflictError } from '../../../shared/platform/errors.ts';
import { QuotaExceededError } from '../../../shared/ladder/quota-errors.ts';
import type { QuotaRequest } from '../../../shared/ports/quotas.ts';

const ddb = mockClient(DynamoDBDocumentClient);
let conflictRetries: number[] = [];
const quotas = new DynamoQuotas(makeDocumentClient(), 'Table', {
  baseDelayMs: 1,
  onConflictRetry: (attempt) => conflictRetries.push(attempt),
  now: () => new Date('2026-06-01T00:00:00.000Z'),
});

const CAMPAIGN = 'miit-2025-recommendation';
const TRACK = 'recommendation';
const APP = 'app-1';

/** Shanxi: province 8, Taiyuan 3, one per sub-sector in Taiyuan. */
const shanxi: QuotaRequest = {
  campaignId: CAMPAIGN,
  track: TRACK,
  applicationId: APP,
  provincial: { jurisdictionCode: '140000', limit: 8 },
  city: { jurisdictionCode: '140100', limit: 3 },
  subSector: { key: '140100#新材料', limit: 1 },
};
const jilin: QuotaRequest = {
  campaignId: CAMPAIGN,
  track: TRACK,
  applicationId: APP,
  provincial: { jurisdictionCode: '220000', limit: 8 },
};

const provincialCounter = quotaKeys.counter(CAMPAIGN, TRACK, 'provincial', '140000');
const cityCounter = quotaKeys.counter(CAMPAIGN, TRACK, 'city', '140100');
const subSectorCounter = quotaKeys.counter(CAMPAIGN, TRACK, 'sub-sector', '140100#新材料');
const slotKey = (scope: 'provincial' | 'city' | 'sub-sector', code: string) =>
  quotaKeys.slot(CAMPAIGN, TRACK, scope, code, APP);

const jilinCounterFull = {
  ...quotaKeys.counter(CAMPAIGN, TRACK, 'provincial', '220000'),
  used: 8,
  limit: 8,
  scope: 'provincial',
  jurisdictionCode: '220000',
};

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const holdsPk = quotaKeys.holds(CAMPAIGN, TRACK, APP);
const holdItem = (
  scope: 'provincial' | 'city' | 'sub-sector',
  code: string,
  reservedAt = '2026-05-01T00:00:00.000Z',
) => ({
  ...quotaKeys.hold(CAMPAIGN, TRACK, APP, scope),
  applicationId: APP,
  scope,
  code,
  reservedAt,
});
/** The application's holds, as the consistent Query of its hold partition answers. */
const holding = (...items: ReturnType<typeof holdItem>[]) => ({ Items: items });
const onHolds = () => ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': holdsPk } });

const slotItem = (scope: 'provincial' | 'city' | 'sub-sector', code: string) => ({
  ...slotKey(scope, code),
  applicationId: APP,
  scope,
  jurisdictionCode: code,
  reservedAt: '2026-05-01T00:00:00.000Z',
});

const transactItems = (call = 0) => ddb.commandCalls(TransactWriteCommand)[call]?.args[0].input.TransactItems ?? [];
type Item = ReturnType<typeof transactItems>[number];
const keyOf = (item: Item) => item.Update?.Key ?? item.Put?.Item ?? item.Delete?.Key;
const SCOPE_ITEMS = 3;
/** The partition of each item of a call's transaction, in order. */
const partitions = (call = 0) => transactItems(call).map((item) => keyOf(item)?.pk);

beforeEach(() => {
  ddb.reset();
  conflictRetries = [];
});

describe('DynamoQuotas.reserve', () => {
  it('reserves counter, slot and hold of every scope of the request in one conditional transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await expect(quotas.reserve(shanxi)).resolves.toEqual({ reserved: true, alreadyHeld: false });

    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = transactItems();
    expect(items).toHaveLength(9);
    const scopes = [
      { scope: 'provincial', code: '140000', limit: 8, key: provincialCounter },
      { scope: 'city', code: '140100', limit: 3, key: cityCounter },
      { scope: 'sub-sector', code: '140100#新材料', limit: 1, key: subSectorCounter },
    ] as const;
    scopes.forEach(({ scope, code, limit, key }, i) => {
      expect(items[SCOPE_ITEMS * i]).toEqual({
        Update: {
          TableName: 'Table',
          Key: key,
          UpdateExpression: 'SET #limit = :limit, #scope = :scope, jurisdictionCode = :code ADD used :one',
          ConditionExpression: 'attribute_not_exists(used) OR used < :limit',
          ExpressionAttributeNames: { '#limit': 'limit', '#scope': 'scope' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':scope': scope, ':code': code },
        },
      });
      expect(items[SCOPE_ITEMS * i + 1]).toEqual({
        Put: {
          TableName: 'Table',
          Item: {
            pk: key.pk,
            sk: `SLOT#${APP}`,
            applicationId: APP,
            scope,
            jurisdictionCode: code,
            reservedAt: '2026-06-01T00:00:00.000Z',
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      // The hold keeps the key the slot is reserved under, for its release.
      expect(items[SCOPE_ITEMS * i + 2]).toEqual({
        Put: {
          TableName: 'Table',
          Item: { pk: holdsPk, sk: scope, applicationId: APP, scope, code, reservedAt: '2026-06-01T00:00:00.000Z' },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    });
    expect(provincialCounter).toEqual({ pk: `QUOTA#${CAMPAIGN}#${TRACK}#provincial#140000`, sk: 'COUNTER' });
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });

  it('includes only the scopes the request names', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await quotas.reserve(jilin);
    expect(transactItems(0).map((item) => [keyOf(item)?.sk, keyOf(item)?.pk])).toEqual([
      ['COUNTER', `QUOTA#${CAMPAIGN}#${TRACK}#provincial#220000`],
      [`SLOT#${APP}`, `QUOTA#${CAMPAIGN}#${TRACK}#provincial#220000`],
      ['provincial', holdsPk],
    ]);

    // The city's forwarding: city and sub-sector, no provincial slot.
    const { provincial: _provincial, ...atCity } = shanxi;
    await quotas.reserve(atCity);
    expect(partitions(1)).toEqual([
      cityCounter.pk,
      cityCounter.pk,
      holdsPk,
      subSectorCounter.pk,
      subSectorCounter.pk,
      holdsPk,
    ]);
  });

  it('takes no provincial slot when the provincial limit is null; writes nothing when nothing is capped', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await quotas.reserve({ ...shanxi, provincial: { jurisdictionCode: '140000', limit: null } });
    expect(partitions(0)).toEqual([
      cityCounter.pk,
      cityCounter.pk,
      holdsPk,
      subSectorCounter.pk,
      subSectorCounter.pk,
      holdsPk,
    ]);

    ddb.reset();
    const typicalCase: QuotaRequest = {
      ...jilin,
      track: 'typical-case',
      provincial: { jurisdictionCode: '220000', limit: null },
    };
    await expect(quotas.reserve(typicalCase)).resolves.toEqual({ reserved: true, alreadyHeld: false });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('admits nobody under a limit of 0, not even the first', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await quotas.reserve({ ...jilin, provincial: { jurisdictionCode: '220000', limit: 0 } });
    expect(transactItems()[0]?.Update?.ConditionExpression).toBe('used < :limit');
  });

  it('refuses with QuotaExceededError naming the full scope, used read from the counter', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelled('None', 'None', 'None', 'ConditionalCheckFailed', 'None', 'None', 'None', 'None', 'None'))
      .on(QueryCommand)
      .resolves(holding())
      .on(GetCommand)
      .resolves({})
      .on(GetCommand, { Key: cityCounter })
      .resolves({ Item: { ...cityCounter, used: 3, limit: 3, scope: 'city', jurisdictionCode: '140100' } });

    const error = await quotas.reserve(shanxi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error).toMatchObject({
      status: 409,
      code: 'QUOTA_EXCEEDED',
      scope: 'city',
      jurisdictionCode: '140100',
      used: 3,
      limit: 3,
    });
    expect((error as Error).message).toContain('3 of 3 used');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1); // a condition failure is never retried
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: cityCounter, ConsistentRead: true });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':pk': holdsPk },
      ConsistentRead: true,
    });
  });

  it('reports the provincial quota as "8 of 8 used"', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelled('ConditionalCheckFailed', 'None', 'None'))
      .on(QueryCommand)
      .resolves(holding())
      .on(GetCommand, { Key: quotaKeys.counter(CAMPAIGN, TRACK, 'provincial', '220000') })
      .resolves({ Item: jilinCounterFull });
    await expect(quotas.reserve(jilin)).rejects.toThrow(/8 of 8 used: the provincial quota of 220000 is full/);
  });

  it('answers alreadyHeld, writing nothing more, when the application already holds its slots (a retry)', async () => {
    // A retry that arrives when the quota has filled up meanwhile: every condition fails.
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed', 'ConditionalCheckFailed'));
    onHolds().resolves(holding(holdItem('provincial', '220000')));
    await expect(quotas.reserve(jilin)).resolves.toEqual({ reserved: false, alreadyHeld: true });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('answers alreadyHeld only when every scope is held under the same key', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelled(...[1, 2, 3].flatMap(() => ['None', 'ConditionalCheckFailed', 'None'])));
    onHolds().resolves(
      holding(holdItem('provincial', '140000'), holdItem('city', '140100'), holdItem('sub-sector', '140100#新材料')),
    );
    await expect(quotas.reserve(shanxi)).resolves.toEqual({ reserved: false, alreadyHeld: true });

    // The slots were there when the transaction ran, one is gone now (a concurrent release).
    onHolds().resolves(holding(holdItem('provincial', '140000'), holdItem('sub-sector', '140100#新材料')));
    const gone = await quotas.reserve(shanxi).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ConflictError);
    expect(gone).not.toBeInstanceOf(QuotaExceededError);
    expect(gone).toMatchObject({ code: 'CONCURRENT_CHANGE' });

    // Held under another sub-sector: never counted as this request's.
    onHolds().resolves(
      holding(holdItem('provincial', '140000'), holdItem('city', '140100'), holdItem('sub-sector', '140100#特种钢')),
    );
    await expect(quotas.reserve(shanxi)).rejects.toMatchObject({ code: 'CONCURRENT_CHANGE' });
  });

  it('retries a transaction cancelled by TransactionConflict, then succeeds', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('TransactionConflict', 'None', 'None'))
      .rejectsOnce(cancelled('None', 'TransactionConflict', 'None'))
      .resolves({});
    await expect(quotas.reserve(jilin)).resolves.toEqual({ reserved: true, alreadyHeld: false });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 3);
    expect(conflictRetries).toEqual([1, 2]);
    expect(transactItems(2)).toEqual(transactItems(0));
  });

  it('gives up after 10 attempts of TransactionConflict and throws the cancellation', async () => {
    const conflict = cancelled('TransactionConflict', 'None', 'None');
    ddb.on(TransactWriteCommand).rejects(conflict);
    await expect(quotas.reserve(jilin)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 10);
    expect(conflictRetries).toHaveLength(9);
  });

  it('retries a conflict that ends in a condition failure only until the condition fails', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('TransactionConflict', 'None', 'None'))
      .rejects(cancelled('ConditionalCheckFailed', 'None', 'None'))
      .on(QueryCommand)
      .resolves(holding())
      .on(GetCommand, { Key: quotaKeys.counter(CAMPAIGN, TRACK, 'provincial', '220000') })
      .resolves({ Item: jilinCounterFull });
    await expect(quotas.reserve(jilin)).rejects.toBeInstanceOf(QuotaExceededError);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
  });

  it('propagates other errors without retrying', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('socket hang up'));
    await expect(quotas.reserve(jilin)).rejects.toThrow('socket hang up');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);

    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(cancelled('ThrottlingError', 'TransactionConflict', 'None'));
    await expect(quotas.reserve(jilin)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('refuses a request whose campaign or track would corrupt the key', async () => {
    await expect(quotas.reserve({ ...jilin, campaignId: 'a#b' })).rejects.toThrow();
    await expect(quotas.reserve({ ...jilin, provincial: { jurisdictionCode: '220000', limit: -1 } })).rejects.toThrow();
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('DynamoQuotas.release', () => {
  const holder = { campaignId: CAMPAIGN, track: TRACK, applicationId: APP };

  it('frees what the holds say, never what the caller computes: counter, slot and hold per scope', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    // Reserved under 新材料; whatever the application says now, that is the key released.
    onHolds().resolves(holding(holdItem('city', '140100'), holdItem('sub-sector', '140100#新材料')));
    await expect(quotas.release(holder)).resolves.toEqual({ released: true });
    const items = transactItems();
    expect(items).toHaveLength(6);
    [cityCounter, subSectorCounter].forEach((key, i) => {
      expect(items[SCOPE_ITEMS * i]).toEqual({
        Update: {
          TableName: 'Table',
          Key: key,
          UpdateExpression: 'ADD used :minusOne',
          ConditionExpression: 'used > :zero',
          ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
        },
      });
      expect(items[SCOPE_ITEMS * i + 1]).toEqual({
        Delete: {
          TableName: 'Table',
          Key: { pk: key.pk, sk: `SLOT#${APP}` },
          ConditionExpression: 'attribute_exists(pk)',
        },
      });
      expect(items[SCOPE_ITEMS * i + 2]).toEqual({
        Delete: {
          TableName: 'Table',
          Key: { pk: holdsPk, sk: i === 0 ? 'city' : 'sub-sector' },
          ConditionExpression: 'reservedAt = :reservedAt',
          ExpressionAttributeValues: { ':reservedAt': '2026-05-01T00:00:00.000Z' },
        },
      });
    });
  });

  it('frees only the scopes asked for (a refused decision undoes its own reservation)', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    onHolds().resolves(
      holding(holdItem('provincial', '140000'), holdItem('city', '140100'), holdItem('sub-sector', '140100#新材料')),
    );
    await expect(quotas.release(holder, ['provincial'])).resolves.toEqual({ released: true });
    expect(partitions()).toEqual([provincialCounter.pk, provincialCounter.pk, holdsPk]);
  });

  it('changes nothing when nothing is held', async () => {
    onHolds().resolves(holding());
    await expect(quotas.release(holder)).resolves.toEqual({ released: false });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('releases once: a concurrent release that freed the slots first leaves this one nothing', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'ConditionalCheckFailed'));
    onHolds()
      .resolvesOnce(holding(holdItem('provincial', '220000')))
      .resolves(holding());
    await expect(quotas.release(holder)).resolves.toEqual({ released: false });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('does not free a new reservation when a duplicate release arrives after a re-reservation', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed'));
    onHolds()
      .resolvesOnce(holding(holdItem('provincial', '220000', '2026-05-01T00:00:00.000Z')))
      .resolves(holding(holdItem('provincial', '220000', '2026-05-02T00:00:00.000Z')));
    await expect(quotas.release(holder)).resolves.toEqual({ released: false });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('frees the slots still held when another call freed some meanwhile', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'None', 'None', 'None', 'ConditionalCheckFailed', 'None'))
      .resolves({});
    onHolds()
      .resolvesOnce(holding(holdItem('provincial', '140000'), holdItem('city', '140100')))
      .resolves(holding(holdItem('provincial', '140000')));
    await expect(quotas.release(holder)).resolves.toEqual({ released: true });
    expect(partitions(1)).toEqual([provincialCounter.pk, provincialCounter.pk, holdsPk]);
  });

  it('fails loudly when a counter is at 0 while its slot is held', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None'));
    onHolds().resolves(holding(holdItem('provincial', '220000')));
    await expect(quotas.release(holder)).rejects.toThrow(/counter is at 0/);
  });

  it('retries TransactionConflict and propagates other errors', async () => {
    onHolds().resolves(holding(holdItem('provincial', '220000')));
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('TransactionConflict', 'None', 'None'))
      .resolves({});
    await expect(quotas.release(holder)).resolves.toEqual({ released: true });
    expect(conflictRetries).toEqual([1]);

    ddb.reset();
    onHolds().resolves(holding(holdItem('provincial', '220000')));
    ddb.on(TransactWriteCommand).rejects(new Error('boom'));
    await expect(quotas.release(holder)).rejects.toThrow('boom');
  });
});

describe('DynamoQuotas.held', () => {
  it('answers the keys each slot was reserved under', async () => {
    onHolds().resolves(holding(holdItem('city', '140100'), holdItem('sub-sector', '140100#新材料')));
    await expect(quotas.held({ campaignId: CAMPAIGN, track: TRACK, applicationId: APP })).resolves.toEqual([
      { scope: 'city', code: '140100', reservedAt: '2026-05-01T00:00:00.000Z' },
      { scope: 'sub-sector', code: '140100#新材料', reservedAt: '2026-05-01T00:00:00.000Z' },
    ]);
    await expect(quotas.holds({ campaignId: CAMPAIGN, track: TRACK, applicationId: APP })).resolves.toBe(true);
  });
});

describe('DynamoQuotas.usage', () => {
  it('reads counter and holders of the provincial (and city) scope with one consistent Query each', async () => {
    const pk = provincialCounter.pk;
    ddb
      .on(QueryCommand)
      .resolves({ Items: [] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': pk } })
      .resolves({
        Items: [
          { pk, sk: 'COUNTER', used: 2, limit: 8, scope: 'provincial', jurisdictionCode: '140000' },
          { ...slotItem('provincial', '140000'), sk: 'SLOT#a', applicationId: 'a' },
          { ...slotItem('provincial', '140000'), sk: 'SLOT#b', applicationId: 'b' },
        ],
      });
    await expect(quotas.usage(CAMPAIGN, TRACK, '140000')).resolves.toEqual([
      { scope: 'provincial', jurisdictionCode: '140000', used: 2, limit: 8, holders: ['a', 'b'] },
    ]);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'Table',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':pk': quotaKeys.partition(CAMPAIGN, TRACK, 'city', '140000') },
    });
  });

  it('is empty for a jurisdiction that never reserved, and rejects malformed items', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await expect(quotas.usage(CAMPAIGN, TRACK, '220000')).resolves.toEqual([]);

    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'x', sk: 'COUNTER', used: 'many' }] });
    await expect(quotas.usage(CAMPAIGN, TRACK, '220000')).rejects.toThrow();
  });
});
