import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamo-records/keys.ts';
import type { EvidenceRecord } from '../../../shared/schemas/records.ts';
import { MIME_BY_FILE_TYPE } from '../../../shared/schemas/common.ts';
import { docxWithHyperlink } from '../../fixtures/active-office.ts';
import { pdfLibPdf, windowsExecutable } from '../../fixtures/files.ts';
import { APP_ID, EVIDENCE_ID, sampleEvidence } from '../support.ts';

process.env.TABLE_NAME = 'Records';
process.env.BUCKET_NAME = 'evidence-bucket';
// The formal-letter gate's full-quota notice: the validator's wiring reads the sender and the console's base URL.
process.env.SENDER_EMAIL = 'noreply@clusters.example.gov.cn';
process.env.PUBLIC_BASE_URL = 'https://api.clusters.example.gov.cn';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);

const KEY = `evidence/${APP_ID}/${EVIDENCE_ID}`;

let handler: (event: unknown) => Promise<{ outcomes: string[] }>;
let pdf: Buffer;

beforeAll(async () => {
  handler = (await import('../../../functions/validator.ts')).handler;
  pdf = await pdfLibPdf();
});

const pending = (overrides: Partial<EvidenceRecord> = {}): EvidenceRecord =>
  sampleEvidence({
    declaredSize: pdf.length,
    requestedAt: new Date().toISOString(),
    uploadExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    ...overrides,
  });

const s3Event = (
  key: string,
  sequencer = '0A1B',
  eventName = 'ObjectCreated:Post',
  extra: { versionId?: string; eTag?: string; eventTime?: string } = {},
) => ({
  Records: [
    {
      eventName,
      eventTime: extra.eventTime ?? new Date().toISOString(),
      s3: {
        bucket: { name: 'evidence-bucket' },
        object: {
          key,
          size: 1,
          sequencer,
          ...(extra.versionId && { versionId: extra.versionId }),
          ...(extra.eTag && { eTag: extra.eTag }),
        },
      },
    },
  ],
});

/** What GetObject's Body is at run time in Node: a readable stream (the adapter iterates it). */
const body = (bytes: Buffer) => Readable.from([bytes]) as unknown as GetObjectCommandOutput['Body'];

const writtenEvidence = () =>
  ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put?.Item as
    (EvidenceRecord & { pk: string }) | undefined;

beforeEach(() => {
  ddb.reset();
  s3.reset();
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(PutCommand).resolves({});
});

describe('validator handler', () => {
  it('streams the object, records VALID with its hash and size, and claims its content hash', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...pending(), ...keys.evidence(APP_ID, EVIDENCE_ID) } });
    s3.on(GetObjectCommand).resolves({ Body: body(pdf), ContentType: 'application/pdf' });
    await expect(handler(s3Event(KEY))).resolves.toEqual({ outcomes: ['VALID'] });
    const item = writtenEvidence();
    expect(item).toMatchObject({
      status: 'VALID',
      size: pdf.length,
      validatedSequencer: '0A1B',
      findings: [],
    });
    expect(item?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ sk: `SHA256#${item?.sha256}`, evidenceId: EVIDENCE_ID }),
    });
  });

  it('records the inspection’s warnings on a VALID file (a DOCX with an outside hyperlink)', async () => {
    const file = await docxWithHyperlink();
    ddb.on(GetCommand).resolves({
      Item: pending({
        declaredSize: file.length,
        fileType: 'docx',
        contentType: MIME_BY_FILE_TYPE.docx,
        fileName: 'a.docx',
      }),
    });
    s3.on(GetObjectCommand).resolves({ Body: body(file), ContentType: MIME_BY_FILE_TYPE.docx });
    await expect(handler(s3Event(KEY))).resolves.toEqual({ outcomes: ['VALID'] });
    expect(writtenEvidence()?.warnings).toEqual([
      expect.objectContaining({ code: 'EXTERNAL_LINK', detail: { target: 'https://www.miit.gov.cn/' } }),
    ]);
  });

  it('records INVALID with bilingual reasons for an executable named .pdf', async () => {
    const exe = windowsExecutable();
    ddb.on(GetCommand).resolves({ Item: pending({ declaredSize: exe.length }) });
    s3.on(GetObjectCommand).resolves({ Body: body(exe), ContentType: 'application/pdf' });
    await expect(handler(s3Event(KEY))).resolves.toEqual({ outcomes: ['INVALID'] });
    const item = writtenEvidence();
    expect(item?.status).toBe('INVALID');
    expect(item?.findings[0]).toMatchObject({
      code: 'TYPE_MISMATCH',
      message: { zh: expect.any(String), en: expect.any(String) },
    });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('refuses an upload whose stored content type differs from the request', async () => {
    ddb.on(GetCommand).resolves({ Item: pending() });
    s3.on(GetObjectCommand).resolves({ Body: body(pdf), ContentType: 'text/html' });
    await handler(s3Event(KEY));
    expect(writtenEvidence()?.findings.map((f) => f.code)).toEqual(['CONTENT_TYPE_MISMATCH']);
  });

  it('changes nothing for a replayed event', async () => {
    ddb.on(GetCommand).resolves({ Item: pending({ status: 'VALID', validatedSequencer: '0A1B' }) });
    await expect(handler(s3Event(KEY, '0A1B'))).resolves.toEqual({ outcomes: ['REPLAYED'] });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('quarantines an object that matches no evidence request', async () => {
    ddb.on(GetCommand).resolves({});
    s3.on(CopyObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
    await expect(handler(s3Event(KEY))).resolves.toEqual({ outcomes: ['QUARANTINED'] });
    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, {
      Key: `quarantine/${KEY}`,
      CopySource: `evidence-bucket/${KEY}`,
    });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: KEY });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('quarantines a key that is not shaped like an evidence key, decoding it first', async () => {
    s3.on(CopyObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
    await handler(s3Event('evidence/%E7%94%B3%E6%8A%A5+%E8%A1%A8.pdf'));
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: 'evidence/申报 表.pdf' });
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });

  it('ignores events that are not object creations and fails loudly on a malformed event', async () => {
    await expect(handler(s3Event(KEY, '01', 'ObjectRemoved:Delete'))).resolves.toEqual({ outcomes: [] });
    await expect(handler({ Records: [{ eventName: 'ObjectCreated:Put' }] })).rejects.toThrow();
  });

  it('lets a DynamoDB failure propagate so the invocation is retried', async () => {
    ddb.on(GetCommand).rejects(new Error('ThrottlingException'));
    await expect(handler(s3Event(KEY))).rejects.toThrow('ThrottlingException');
  });
});

describe('validator handler: one object per evidence item, pinned', () => {
  it('reads exactly the version the event names and records it with its ETag', async () => {
    ddb.on(GetCommand).resolves({ Item: pending() });
    s3.on(GetObjectCommand).resolves({
      Body: body(pdf),
      ContentType: 'application/pdf',
      VersionId: 'v1',
      ETag: '"e1"',
    });
    await expect(handler(s3Event(KEY, '0A1B', 'ObjectCreated:Post', { versionId: 'v1', eTag: 'e1' }))).resolves.toEqual(
      {
        outcomes: ['VALID'],
      },
    );
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Key: KEY, VersionId: 'v1' });
    expect(writtenEvidence()).toMatchObject({ status: 'VALID', versionId: 'v1', eTag: 'e1' });
  });

  it('without versions (s3rver), reads the object only while its ETag is the one in the event', async () => {
    ddb.on(GetCommand).resolves({ Item: pending() });
    // s3rver ignores If-Match and answers with the bytes that replaced the event's object.
    s3.on(GetObjectCommand).resolves({ Body: body(pdf), ContentType: 'application/pdf', ETag: '"e2"' });
    await expect(handler(s3Event(KEY, '0A1B', 'ObjectCreated:Post', { eTag: 'e1' }))).resolves.toEqual({
      outcomes: ['GONE'],
    });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Key: KEY, IfMatch: '"e1"' });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('quarantines a second object for a decided item and changes nothing on it', async () => {
    ddb.on(GetCommand).resolves({
      Item: pending({
        status: 'VALID',
        validatedSequencer: '0A1B',
        versionId: 'v1',
        eTag: 'e1',
        sha256: 'a'.repeat(64),
      }),
    });
    s3.on(CopyObjectCommand).resolves({});
    s3.on(HeadObjectCommand).resolves({ VersionId: 'v2', ETag: '"e2"' });
    s3.on(DeleteObjectCommand).resolves({});
    await expect(handler(s3Event(KEY, '0B00', 'ObjectCreated:Post', { versionId: 'v2', eTag: 'e2' }))).resolves.toEqual(
      {
        outcomes: ['QUARANTINED'],
      },
    );
    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, {
      Key: `quarantine/${KEY}`,
      CopySource: `evidence-bucket/${KEY}?versionId=v2`,
    });
    // The stray is the current object: the key is deleted, and the recorded version v1 stays.
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: KEY });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('quarantines a second object for an INVALID item too, and never deletes the recorded one', async () => {
    ddb.on(GetCommand).resolves({
      Item: pending({ status: 'INVALID', validatedSequencer: '0B00', versionId: 'v2' }),
    });
    s3.on(CopyObjectCommand).resolves({});
    // An older object's event arrives late: the key's current version is the recorded one.
    s3.on(HeadObjectCommand).resolves({ VersionId: 'v2' });
    await expect(handler(s3Event(KEY, '0A1B', 'ObjectCreated:Post', { versionId: 'v1' }))).resolves.toEqual({
      outcomes: ['QUARANTINED'],
    });
    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, { CopySource: `evidence-bucket/${KEY}?versionId=v1` });
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('without versions, a second object already replaced has nothing left to move', async () => {
    ddb.on(GetCommand).resolves({ Item: pending({ status: 'VALID', validatedSequencer: '0A1B', eTag: 'e1' }) });
    s3.on(HeadObjectCommand).resolves({ ETag: '"e1"' });
    await expect(handler(s3Event(KEY, '0B00', 'ObjectCreated:Post', { eTag: 'e2' }))).resolves.toEqual({
      outcomes: ['GONE'],
    });
    expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
  });

  it('quarantines the object of a delivery that lost the race to record', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: pending() })
      .resolves({ Item: pending({ status: 'VALID', validatedSequencer: '0A1B', versionId: 'v1' }) });
    s3.on(GetObjectCommand).resolves({ Body: body(pdf), ContentType: 'application/pdf', VersionId: 'v2' });
    s3.on(HeadObjectCommand).resolves({ VersionId: 'v2' });
    s3.on(CopyObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    await expect(handler(s3Event(KEY, '0B00', 'ObjectCreated:Post', { versionId: 'v2' }))).resolves.toEqual({
      outcomes: ['QUARANTINED'],
    });
    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, { CopySource: `evidence-bucket/${KEY}?versionId=v2` });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: KEY });
  });

  it('refuses an object that arrived after the filing deadline, however fresh its link', async () => {
    const deadline = new Date(Date.now() - 1_000).toISOString();
    ddb.on(GetCommand).resolves({ Item: pending({ uploadDeadline: deadline }) });
    s3.on(GetObjectCommand).resolves({ Body: body(pdf), ContentType: 'application/pdf' });
    await expect(
      handler(s3Event(KEY, '0A1B', 'ObjectCreated:Post', { eventTime: new Date().toISOString() })),
    ).resolves.toEqual({ outcomes: ['INVALID'] });
    const item = writtenEvidence();
    expect(item?.findings.map((f) => f.code)).toEqual(['UPLOAD_AFTER_DEADLINE']);
    expect(item?.findings[0]?.message.en).toContain('after the deadline');
    expect(item?.findings[0]?.detail).toMatchObject({ deadline });
  });

  it('allows a link its minute of grace, but never past the deadline', async () => {
    const now = Date.now();
    ddb.on(GetCommand).resolves({
      Item: pending({
        uploadExpiresAt: new Date(now - 30_000).toISOString(),
        uploadDeadline: new Date(now + 60_000).toISOString(),
      }),
    });
    s3.on(GetObjectCommand).resolves({ Body: body(pdf), ContentType: 'application/pdf' });
    await expect(handler(s3Event(KEY))).resolves.toEqual({ outcomes: ['VALID'] });
  });
});
