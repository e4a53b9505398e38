import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamo-records/keys.ts';
import { MIME_BY_FILE_TYPE } from '../../../shared/schemas/common.ts';
import type { EvidenceRecord } from '../../../shared/schemas/records.ts';
import { inspectStream } from '../../../shared/validation/inspect.ts';
import { chunked, MiB } from '../../fixtures/files.ts';
import { APP_ID, EVIDENCE_ID, sampleEvidence } from '../support.ts';
import { CORPUS, type CorpusItem, GENUINE } from './corpus.ts';

/**
 * The hostile upload corpus (corpus.ts), every item through the real validator twice: the
 * streaming inspector (inspectStream, 64 KiB chunks as S3 yields them) and the validator handler
 * reading the object from a mocked S3. Each must be INVALID with its own finding; the handler
 * records that and nothing else (no content-hash claim, nothing moved or written in S3).
 * Genuine files of every type pass the same way, so the rejections are not a broken validator.
 */

process.env.TABLE_NAME = 'Records';
process.env.BUCKET_NAME = 'evidence-bucket';
// The formal-letter gate's full-quota notice: the validator's wiring reads the sender and the console's base URL.
process.env.SENDER_EMAIL = 'noreply@clusters.example.gov.cn';
process.env.PUBLIC_BASE_URL = 'https://api.clusters.example.gov.cn';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const KEY = `evidence/${APP_ID}/${EVIDENCE_ID}`;

let handler: (event: unknown) => Promise<{ outcomes: string[] }>;
/** Corpus items rejected (by category) and genuine files accepted, recorded as each one's checks pass. */
const rejected = new Map<string, string[]>();
const accepted: string[] = [];

beforeAll(async () => {
  handler = (await import('../../../functions/validator.ts')).handler;
});

beforeEach(() => {
  ddb.reset();
  s3.reset();
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(PutCommand).resolves({});
});

afterAll(() => {
  const lines = [...rejected.entries()].map(([category, ids]) => `  ${String(ids.length).padStart(3)}  ${category}`);
  const total = [...rejected.values()].reduce((sum, ids) => sum + ids.length, 0);
  console.info(`hostile uploads rejected: ${total} of ${CORPUS.length}\n${lines.join('\n')}`);
});

interface Prepared {
  bytes: Buffer;
  declaredSize: number;
  maxBytes: number;
  sha256?: string;
}

async function prepare(item: CorpusItem): Promise<Prepared> {
  const bytes = await item.bytes();
  return {
    bytes,
    declaredSize: item.declaredSize?.(bytes.length) ?? bytes.length,
    maxBytes: item.maxBytes ?? 20 * MiB,
    ...(item.sha256 && { sha256: item.sha256(bytes) }),
  };
}

const s3Event = () => ({
  Records: [
    {
      eventName: 'ObjectCreated:Post',
      eventTime: new Date().toISOString(),
      s3: { bucket: { name: 'evidence-bucket' }, object: { key: KEY, size: 1, sequencer: '0A1B' } },
    },
  ],
});

/** Runs the validator handler on `bytes` uploaded for a pending request; the recorded evidence. */
async function validate(declared: CorpusItem['declared'], file: Prepared) {
  const pending: EvidenceRecord = sampleEvidence({
    contentType: MIME_BY_FILE_TYPE[declared],
    fileType: declared,
    fileName: `evidence.${declared}`,
    declaredSize: file.declaredSize,
    maxBytes: file.maxBytes,
    ...(file.sha256 && { declaredSha256: file.sha256 }),
    requestedAt: new Date().toISOString(),
    uploadExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
  });
  ddb.on(GetCommand).resolves({ Item: { ...pending, ...keys.evidence(APP_ID, EVIDENCE_ID) } });
  s3.on(GetObjectCommand).resolves({
    Body: Readable.from(chunked(file.bytes, 64 * 1024)) as unknown as GetObjectCommandOutput['Body'],
    ContentType: MIME_BY_FILE_TYPE[declared],
    ContentLength: file.bytes.length,
  });
  const { outcomes } = await handler(s3Event());
  const written = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put?.Item as
    EvidenceRecord | undefined;
  return { outcomes, written };
}

describe('the hostile upload corpus', () => {
  it('has items of every kind the brief names', () => {
    const categories = new Set(CORPUS.map((item) => item.category));
    for (const kind of [
      'spoofed type',
      'polyglot',
      'zip bomb',
      'zip slip',
      'symlink',
      'pixel flood',
      'encrypted PDF',
      'PDF script',
      'PDF attachment',
      'macros',
      'truncated',
      'empty',
      'size mismatch',
    ]) {
      expect(categories).toContain(kind);
    }
    expect(new Set(CORPUS.map((item) => item.id)).size).toBe(CORPUS.length);
  });

  it.each(CORPUS.map((item) => [`${item.category}: ${item.id} → ${item.expect}`, item] as const))(
    '%s',
    async (_title, item) => {
      const file = await prepare(item);

      const inspection = await inspectStream(chunked(file.bytes, 64 * 1024), {
        type: item.declared,
        declaredSize: file.declaredSize,
        maxBytes: file.maxBytes,
        ...(file.sha256 && { sha256: file.sha256 }),
      });
      const codes = inspection.findings.map((finding) => finding.code);
      expect(inspection.valid, item.id).toBe(false);
      expect(codes, item.id).toContain(item.expect);
      for (const finding of inspection.findings) {
        expect(finding.message.zh, `${item.id} ${finding.code}`).toMatch(/[\u4e00-\u9fff]/);
        expect(finding.message.en, `${item.id} ${finding.code}`).not.toMatch(/\{\w+\}/);
      }

      const { outcomes, written } = await validate(item.declared, file);
      expect(outcomes, item.id).toEqual(['INVALID']);
      expect(written?.status).toBe('INVALID');
      expect(
        written?.findings.map((finding) => finding.code),
        item.id,
      ).toContain(item.expect);
      // INVALID claims no content hash, and nothing is written to or moved in the bucket.
      expect(ddb).not.toHaveReceivedCommand(PutCommand);
      expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
      expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
      expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);

      rejected.set(item.category, [...(rejected.get(item.category) ?? []), item.id]);
    },
  );

  it.each(GENUINE.map((item) => [item.id, item] as const))(
    'accepts a genuine %s on the same path',
    async (_id, item) => {
      const bytes = await item.bytes();
      const file = { bytes, declaredSize: bytes.length, maxBytes: 20 * MiB };
      const inspection = await inspectStream(chunked(bytes, 64 * 1024), {
        type: item.declared,
        declaredSize: bytes.length,
        maxBytes: file.maxBytes,
      });
      expect(inspection.findings).toEqual([]);
      const { outcomes, written } = await validate(item.declared, file);
      expect(outcomes).toEqual(['VALID']);
      expect(written?.status).toBe('VALID');
      accepted.push(item.id);
    },
  );

  it('rejected every item of the corpus and accepted every genuine file', () => {
    expect([...rejected.values()].flat().sort()).toEqual(CORPUS.map((item) => item.id).sort());
    expect(accepted.sort()).toEqual(GENUINE.map((item) => item.id).sort());
  });
});
