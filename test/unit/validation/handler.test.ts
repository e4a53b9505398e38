import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamo-records.ts';
import type { EvidenceRecord } from '../../../shared/schemas/records.ts';
import { MIME_BY_FILE_TYPE } from '../../../shared/schemas/common.ts';
import { docxWithHyperlink } from '../../fixtures/active-office.ts';
import { pdfLibPdf, windowsExecutable } from '../../fixtures/files.ts';
import { APP_ID, EVIDENCE_ID, sampleEvidence } from '../support.ts';

process.env.TABLE_NAME = 'Records';
process.env.BUCKET_NAME = 'evidence-bucket';

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

const s3Event = (key: string, sequencer = '0A1B', eventName = 'ObjectCreated:Post') => ({
  Records: [
    {
      eventName,
      eventTime: new Date().toISOString(),
      s3: { bucket: { name: 'evidence-bucket' }, object: { key, size: 1, sequencer } },
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
