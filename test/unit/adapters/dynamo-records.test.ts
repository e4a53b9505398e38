import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamo-records/keys.ts';
import { DynamoRecords } from '../../../shared/adapters/dynamo-records/store.ts';
import { sequencerOrder } from '../../../shared/validation/sequencer.ts';
import { makeDocumentClient } from '../../../shared/composition/clients.ts';
import { ConflictError } from '../../../shared/platform/errors.ts';
import type { IdempotencyMarker } from '../../../shared/ports/core.ts';
import type { AuditEvent } from '../../../shared/schemas/records.ts';
import { APP_ID, EVIDENCE_ID, sampleApplication, sampleEvidence } from '../support.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const records = new DynamoRecords(makeDocumentClient(), 'Table');

const application = sampleApplication();

const audit: AuditEvent = {
  applicationId: APP_ID,
  eventId: 'c5b0d8a4-1d2e-4f3a-9b8c-7d6e5f4a3b2c',
  at: '2026-11-23T00:00:00.000Z',
  action: 'APPLICATION_CREATED',
  actor: 'applicant',
};

const evidence = sampleEvidence({ declaredSize: 1234, maxBytes: 10_000 });

const conditionFailed = () =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
  });

beforeEach(() => ddb.reset());

describe('DynamoRecords', () => {
  it('creates an application with its cluster guard, audit event and tallies in one conditional transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await records.createApplication(application, audit);
    const call = ddb.commandCalls(TransactWriteCommand)[0];
    const items = call?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(6);
    const puts = items.slice(0, 3);
    expect(puts.every((item) => item.Put?.ConditionExpression === 'attribute_not_exists(pk)')).toBe(true);
    // The new draft counts once in its province, its county and its deadline day.
    expect(
      items.slice(3).map((item) => [item.Update?.Key?.sk, item.Update?.ExpressionAttributeValues?.[':delta']]),
    ).toEqual([
      ['P#recommendation#220000#DRAFT', 1],
      ['C#recommendation#220000#222400#222403#DRAFT', 1],
      ['D#recommendation#2026-12-07#DRAFT', 1],
    ]);
    expect(items[0]?.Put?.Item).toMatchObject({
      pk: 'CLUSTER#demo-2026-recommendation#recommendation#222403',
    });
    expect(items[1]?.Put?.Item).toMatchObject({
      pk: `APP#${APP_ID}`,
      sk: 'APP',
      gsi1pk: 'JUR#220000',
      gsi1sk: `demo-2026-recommendation#DRAFT#222403#${APP_ID}`,
      gsi2pk: 'DUE#demo-2026-recommendation',
      gsi2sk: `2026-12-07T15:59:59.000Z#${APP_ID}`,
    });
  });

  it('refuses the same cluster twice, naming the existing application', async () => {
    ddb.on(TransactWriteCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: { applicationId: 'first-one' } });
    const error = await records.createApplication(application, audit).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('DUPLICATE_APPLICATION');
    expect((error as ConflictError).details?.[0]).toMatchObject({
      field: 'clusterName',
      applicationId: 'first-one',
    });
  });

  it('saves only at the revision and status it was read at', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await records.saveApplication({ ...application, revision: 1 }, { ...application, status: 'RETURNED' }, audit);
    expect(ddb).toReceiveCommandWith(TransactWriteCommand, {
      TransactItems: expect.arrayContaining([
        expect.objectContaining({
          Put: expect.objectContaining({
            ConditionExpression: 'revision = :revision AND #status = :status',
            ExpressionAttributeValues: { ':revision': 0, ':status': 'RETURNED' },
          }),
        }),
      ]),
    });
  });

  it('reports a lost race on save as a 409 conflict', async () => {
    ddb.on(TransactWriteCommand).rejects(conditionFailed());
    await expect(records.saveApplication(application, application, audit)).rejects.toMatchObject({
      status: 409,
      code: 'CONCURRENT_CHANGE',
    });
  });

  it('lets other DynamoDB failures through untouched', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded'));
    await expect(records.createApplication(application, audit)).rejects.toThrow('ProvisionedThroughputExceeded');
  });

  it('parses what it reads back and strips the key attributes', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...application, pk: `APP#${APP_ID}`, sk: 'APP', gsi1pk: 'x' } });
    const read = await records.getApplication(APP_ID);
    expect(read).toEqual(application);
  });

  it('refuses a corrupt item instead of casting it', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...application, status: 'LOST' } });
    await expect(records.getApplication(APP_ID)).rejects.toThrow();
  });

  it('records the first validation only: on condition that none was recorded yet', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const changed = await records.recordValidation({ ...evidence, status: 'VALID', validatedSequencer: '00B0' }, audit);
    expect(changed).toBe(true);
    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(put?.ConditionExpression).toBe('attribute_exists(pk) AND attribute_not_exists(validatedSequencer)');
  });

  it('changes nothing when an outcome was recorded already (a replay, or a second object)', async () => {
    ddb.on(TransactWriteCommand).rejects(conditionFailed());
    const changed = await records.recordValidation({ ...evidence, status: 'VALID', validatedSequencer: '00B0' }, audit);
    expect(changed).toBe(false);
  });

  it('answers the first holder of duplicate bytes', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddb.on(GetCommand).resolves({ Item: { ...keys.contentHash(APP_ID, 'ab'), evidenceId: 'earlier' } });
    await expect(records.claimContentHash(APP_ID, 'ab', EVIDENCE_ID)).resolves.toBe('earlier');
  });
});

describe('DynamoRecords: Idempotency-Key markers', () => {
  const marker: IdempotencyMarker = {
    sub: 'applicant-222403',
    route: 'CREATE',
    key: 'retry-1',
    requestHash: 'a'.repeat(64),
    applicationId: APP_ID,
    createdAt: '2026-11-23T00:00:00.000Z',
    expiresAt: '2026-11-24T00:00:00.000Z',
  };
  const markerKey = { pk: 'IDEMP#applicant-222403#retry-1', sk: 'CREATE#POST /v1/applications' };

  it('puts the marker first in the transaction that creates the application, only if the key is unused', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await records.createApplication(application, audit, marker);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(7);
    expect(items[0]?.Put).toEqual({
      TableName: 'Table',
      Item: { ...marker, ...markerKey },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('reports a key another request holds as IDEMPOTENCY_KEY_IN_USE, a taken cluster as before', async () => {
    ddb.on(TransactWriteCommand).rejects(conditionFailed());
    ddb.on(GetCommand, { Key: markerKey }).resolves({ Item: { ...marker, ...markerKey } });
    const taken = await records.createApplication(application, audit, marker).catch((e: unknown) => e);
    expect(taken).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: markerKey, ConsistentRead: true });

    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(conditionFailed());
    ddb.on(GetCommand, { Key: markerKey }).resolves({});
    ddb.on(GetCommand, { Key: keys.clusterGuard(application) }).resolves({ Item: { applicationId: 'first-one' } });
    const duplicate = await records.createApplication(application, audit, marker).catch((e: unknown) => e);
    expect(duplicate).toMatchObject({ code: 'DUPLICATE_APPLICATION' });
  });

  it('creates evidence with its marker in one transaction; a held key or a closed application is a 409', async () => {
    const evidenceMarker: IdempotencyMarker = { ...marker, route: 'EVIDENCE', evidenceId: EVIDENCE_ID };
    const evidenceKey = { ...markerKey, sk: 'EVIDENCE#POST /v1/applications/{applicationId}/evidence' };
    ddb.on(TransactWriteCommand).resolves({});
    await records.createEvidence(evidence, ['DRAFT'], audit, evidenceMarker);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => item.Put?.Item?.sk ?? 'check')).toEqual([
      evidenceKey.sk,
      'check',
      `EVIDENCE#${EVIDENCE_ID}`,
      expect.stringMatching(/^AUDIT#/),
    ]);

    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: { ...evidenceMarker, ...evidenceKey } });
    expect(
      await records.createEvidence(evidence, ['DRAFT'], audit, evidenceMarker).catch((e: unknown) => e),
    ).toMatchObject({
      code: 'IDEMPOTENCY_KEY_IN_USE',
    });
    ddb.on(GetCommand).resolves({});
    expect(
      await records.createEvidence(evidence, ['DRAFT'], audit, evidenceMarker).catch((e: unknown) => e),
    ).toMatchObject({
      code: 'NOT_EDITABLE',
    });
  });

  it('reads a marker back without its keys, and undefined when there is none', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...marker, ...markerKey } });
    expect(await records.getIdempotencyMarker(marker)).toEqual(marker);
    ddb.on(GetCommand).resolves({});
    expect(await records.getIdempotencyMarker(marker)).toBeUndefined();
  });

  it('renews an upload deadline only while the item is PENDING', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ...evidence, uploadExpiresAt: '2026-11-23T00:15:00.000Z' } });
    expect(await records.renewUpload(evidence, '2026-11-23T00:15:00.000Z', '2026-12-01T00:00:00.000Z')).toMatchObject({
      evidenceId: EVIDENCE_ID,
      uploadExpiresAt: '2026-11-23T00:15:00.000Z',
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: '#status = :pending AND attribute_not_exists(validatedSequencer)',
    });
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    expect(await records.renewUpload(evidence, '2026-11-23T00:15:00.000Z', '2026-12-01T00:00:00.000Z')).toBeUndefined();
  });
});

describe('sequencerOrder', () => {
  it('compares S3 sequencers of different lengths as padded hex', () => {
    expect(sequencerOrder('00A1', '0000A1')).toBe(0);
    expect(sequencerOrder('FF', '0100')).toBe(-1);
    expect(sequencerOrder('0100', 'ff')).toBe(1);
  });
});
