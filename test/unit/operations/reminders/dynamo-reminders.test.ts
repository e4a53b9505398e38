import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoReminders, reminderKeys } from '../../../../shared/adapters/dynamo-reminders.ts';
import { makeDocumentClient } from '../../../../shared/composition/clients.ts';
import type { ReminderKey } from '../../../../shared/operations/reminders.ts';
import type { AuditEvent } from '../../../../shared/schemas/records.ts';
import { FakeTable, evaluate } from '../../review/fake-table.ts';
import { APP_ID, sampleApplication } from '../../support.ts';

/**
 * The claim adapter: a reminder is claimed once (conditional Put), a crashed sweep's claim is
 * taken over only when stale (conditional on its claimedAt), SENT is recorded with the audit
 * event only by the claim's holder, a failed send releases the claim, passed thresholds are
 * marked skipped. Command shapes against aws-sdk-client-mock; behaviour against the in-memory
 * table that evaluates the same condition expressions.
 */
// Not mockedCloud(): the command-shape tests stub each command over no table, which mockedCloud's would answer.
const ddb = mockClient(DynamoDBDocumentClient);
const STALE_MS = 15 * 60_000;
let ids = 0;
const newId = () => `claim-${++ids}`;
const reminders = new DynamoReminders(makeDocumentClient(), 'Table', STALE_MS, newId);

const key: ReminderKey = { applicationId: APP_ID, kind: 'review', subject: `${APP_ID}.city.3.1`, threshold: 7 };
const T0 = new Date('2026-05-09T00:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const audit = (eventId = '5b9e8c1a-2d3f-4e5a-8b7c-6d5e4f3a2b1c'): AuditEvent => ({
  applicationId: APP_ID,
  eventId,
  at: T0.toISOString(),
  action: 'REMINDER_SENT',
  actor: 'sweeper',
  role: 'scheduler',
});
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => {
  ddb.reset();
  ids = 0;
});

describe('DynamoReminders: command shapes', () => {
  it('claims with a conditional Put of a CLAIMED marker in the application partition', async () => {
    ddb.on(PutCommand).resolves({});
    const claim = await reminders.claim(key, T0);
    expect(claim).toEqual({ key, claimId: 'claim-1', claimedAt: T0.toISOString(), takenOver: false });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'Table',
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: {
        pk: `APP#${APP_ID}`,
        sk: `REMINDER#review#${APP_ID}.city.3.1#7`,
        applicationId: APP_ID,
        kind: 'review',
        subject: `${APP_ID}.city.3.1`,
        threshold: 7,
        status: 'CLAIMED',
        claimId: 'claim-1',
        claimedAt: T0.toISOString(),
      },
    });
  });

  it('does not take over a fresh claim (no Update is even tried)', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({
      Item: {
        ...reminderKeys.marker(key),
        ...key,
        status: 'CLAIMED',
        claimId: 'other',
        claimedAt: minutes(-14).toISOString(),
      },
    });
    expect(await reminders.claim(key, T0)).toBeUndefined();
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 0);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { ConsistentRead: true, Key: reminderKeys.marker(key) });
  });

  it('does not claim a SENT or SKIPPED reminder', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    for (const status of ['SENT', 'SKIPPED']) {
      ddb.on(GetCommand).resolves({
        Item: { ...reminderKeys.marker(key), ...key, status, claimedAt: minutes(-60).toISOString() },
      });
      expect(await reminders.claim(key, T0)).toBeUndefined();
    }
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 0);
  });

  it('takes over a stale claim, conditional on the claimedAt it read', async () => {
    const stale = minutes(-16).toISOString();
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb
      .on(GetCommand)
      .resolves({ Item: { ...reminderKeys.marker(key), ...key, status: 'CLAIMED', claimId: 'old', claimedAt: stale } });
    ddb.on(UpdateCommand).resolves({});
    const claim = await reminders.claim(key, T0);
    expect(claim).toMatchObject({ takenOver: true, claimedAt: T0.toISOString() });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: '#status = :claimed AND claimedAt = :previous',
      ExpressionAttributeValues: expect.objectContaining({ ':previous': stale, ':claimedAt': T0.toISOString() }),
    });
  });

  it('loses a takeover race quietly', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({
      Item: {
        ...reminderKeys.marker(key),
        ...key,
        status: 'CLAIMED',
        claimId: 'old',
        claimedAt: minutes(-30).toISOString(),
      },
    });
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await reminders.claim(key, T0)).toBeUndefined();
  });

  it('lets other failures through', async () => {
    ddb.on(PutCommand).rejects(new Error('ProvisionedThroughputExceeded'));
    await expect(reminders.claim(key, T0)).rejects.toThrow('ProvisionedThroughputExceeded');
  });

  it('marks SENT with the audit event in one transaction, only for the claim holder', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const claim = { key, claimId: 'claim-9', claimedAt: T0.toISOString(), takenOver: false };
    expect(await reminders.markSent(claim, { at: T0.toISOString(), messageId: 'm-1', recipients: 2 }, audit())).toBe(
      true,
    );
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    expect(items[0]?.Update).toMatchObject({
      Key: reminderKeys.marker(key),
      ConditionExpression: '#status = :claimed AND claimId = :claimId',
      ExpressionAttributeValues: expect.objectContaining({
        ':claimId': 'claim-9',
        ':messageId': 'm-1',
        ':recipients': 2,
      }),
    });
    expect(items[1]?.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: `APP#${APP_ID}`, action: 'REMINDER_SENT', role: 'scheduler', actor: 'sweeper' },
    });
  });

  it('releases with a conditional Delete and ignores a claim no longer its own', async () => {
    ddb.on(DeleteCommand).rejectsOnce(conditionFailed()).resolves({});
    const claim = { key, claimId: 'claim-9', claimedAt: T0.toISOString(), takenOver: false };
    await expect(reminders.release(claim)).resolves.toBeUndefined();
    await reminders.release(claim);
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, {
      Key: reminderKeys.marker(key),
      ConditionExpression: '#status = :claimed AND claimId = :claimId',
      ExpressionAttributeValues: { ':claimed': 'CLAIMED', ':claimId': 'claim-9' },
    });
  });

  it('queries DUE#<campaign> before a time, every page, and parses the applications', async () => {
    const first = sampleApplication({
      applicationId: APP_ID,
      status: 'CITY_REVIEW',
      dueAt: '2026-05-16T23:59:59+08:00',
    });
    const secondId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    const second = sampleApplication({
      applicationId: secondId,
      status: 'RETURNED',
      dueAt: '2026-05-17T23:59:59+08:00',
    });
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ ...first, pk: `APP#${APP_ID}`, sk: 'APP', gsi2pk: 'x', gsi2sk: 'y' }],
        LastEvaluatedKey: { pk: 'k' },
      })
      .resolvesOnce({ Items: [{ ...second, pk: `APP#${secondId}`, sk: 'APP' }] });
    const until = new Date('2026-05-20T00:00:00.000Z');
    const due = await reminders.dueBefore('demo-2026-recommendation', until);
    expect(due.map((a) => [a.applicationId, a.status])).toEqual([
      [APP_ID, 'CITY_REVIEW'],
      [secondId, 'RETURNED'],
    ]);
    expect(due[0]).not.toHaveProperty('gsi2pk');
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 1, {
      IndexName: 'byDeadline',
      KeyConditionExpression: '#pk = :pk AND #sk < :until',
      ExpressionAttributeValues: { ':pk': 'DUE#demo-2026-recommendation', ':until': until.toISOString() },
    });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: { pk: 'k' } });
  });

  it('queries VALID after now (still recognised)', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await reminders.validAfter(T0);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byDeadline',
      KeyConditionExpression: '#pk = :pk AND #sk > :at',
      ExpressionAttributeValues: { ':pk': 'VALID', ':at': `${T0.toISOString()}#~` },
    });
  });
});

describe('DynamoReminders: behaviour on a table that evaluates the conditions', () => {
  let table: FakeTable;
  beforeEach(() => {
    table = new FakeTable();
    table.install(ddb);
    // The in-memory table has no standalone Delete: evaluate its condition here.
    ddb.on(DeleteCommand).callsFake((input) => {
      const current = table.get(String(input.Key.pk), String(input.Key.sk));
      if (
        !evaluate(input.ConditionExpression, current, input.ExpressionAttributeNames, input.ExpressionAttributeValues)
      ) {
        throw conditionFailed();
      }
      table.items.delete(`${String(input.Key.pk)}\u0000${String(input.Key.sk)}`);
      return {};
    });
  });
  const marker = () => table.get(reminderKeys.marker(key).pk, reminderKeys.marker(key).sk);

  it('of many simultaneous claims exactly one wins', async () => {
    const claims = await Promise.all(Array.from({ length: 10 }, () => reminders.claim(key, T0)));
    expect(claims.filter((claim) => claim !== undefined)).toHaveLength(1);
  });

  it('claim → SENT: later claims get nothing, and the audit event is written', async () => {
    const claim = await reminders.claim(key, T0);
    if (!claim) throw new Error('no claim');
    expect(await reminders.markSent(claim, { at: T0.toISOString(), messageId: 'm-1', recipients: 1 }, audit())).toBe(
      true,
    );
    expect(marker()).toMatchObject({ status: 'SENT', messageId: 'm-1', recipients: 1 });
    expect(table.all().filter((item) => String(item.sk).startsWith('AUDIT#'))).toHaveLength(1);
    // Even long after: a SENT reminder is never claimed again.
    expect(await reminders.claim(key, minutes(24 * 60))).toBeUndefined();
  });

  it('a released claim can be claimed again by the next sweep', async () => {
    const claim = await reminders.claim(key, T0);
    if (!claim) throw new Error('no claim');
    await reminders.release(claim);
    expect(marker()).toBeUndefined();
    expect(await reminders.claim(key, minutes(60))).toMatchObject({ takenOver: false });
  });

  it("a crashed sweep's claim is taken over after 15 minutes, and then only the new holder records SENT", async () => {
    const crashed = await reminders.claim(key, T0);
    if (!crashed) throw new Error('no claim');
    expect(await reminders.claim(key, minutes(10))).toBeUndefined();
    const [a, b] = await Promise.all([reminders.claim(key, minutes(16)), reminders.claim(key, minutes(16))]);
    const taker = a ?? b;
    expect([a, b].filter(Boolean)).toHaveLength(1);
    if (!taker) throw new Error('no takeover');
    expect(taker.takenOver).toBe(true);
    // The crashed sweep wakes up: its claim is no longer its own.
    expect(
      await reminders.markSent(crashed, { at: minutes(17).toISOString(), messageId: 'late', recipients: 1 }, audit()),
    ).toBe(false);
    await reminders.release(crashed);
    expect(marker()).toMatchObject({ status: 'CLAIMED', claimId: taker.claimId });
    expect(
      await reminders.markSent(
        taker,
        { at: minutes(17).toISOString(), messageId: 'm-2', recipients: 1 },
        audit('6c0f9d2b-3e4a-4f5b-9c8d-7e6f5a4b3c2d'),
      ),
    ).toBe(true);
    expect(marker()).toMatchObject({ status: 'SENT', messageId: 'm-2' });
  });

  it('marks a passed threshold skipped once, and never over a reminder already there', async () => {
    expect(await reminders.skip(key, T0.toISOString())).toBe(true);
    expect(await reminders.skip(key, T0.toISOString())).toBe(false);
    expect(marker()).toMatchObject({ status: 'SKIPPED' });
    expect(await reminders.claim(key, minutes(60 * 24))).toBeUndefined();

    const other = { ...key, threshold: 3 };
    const claim = await reminders.claim(other, T0);
    if (!claim) throw new Error('no claim');
    await reminders.markSent(claim, { at: T0.toISOString(), messageId: 'm', recipients: 1 }, audit());
    expect(await reminders.skip(other, T0.toISOString())).toBe(false);
    expect(await reminders.get(other)).toMatchObject({ status: 'SENT' });
  });
});
