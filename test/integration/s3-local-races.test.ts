import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../local/log.ts';
import { type S3Local, startS3Local } from '../../local/services/s3.ts';
import { S3EvidenceObjects } from '../../shared/adapters/s3-evidence-objects.ts';

/**
 * The S3 stand-in under requests that race on one key, as the validator's replayed events do.
 * S3 copies and deletes atomically: a copy whose source is deleted meanwhile either lands whole or
 * answers NoSuchKey, and never takes away what its destination already held; keys share no
 * directories, so a delete never fails a write beside it. s3rver keeps objects as files and
 * directories, and these tests hold its wrapper to S3's behaviour.
 *
 * Each race runs many rounds: one round opens the window for a few microseconds only.
 */

const BUCKET = 'races';
const ROUNDS = 60;
let s3: S3Local;
let directory: string;

/** One attempt per request: a retried 500 must not hide a failure S3 would not have. */
const client = (maxAttempts: number) =>
  new S3Client({
    endpoint: s3.endpoint,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts,
  });
let once: S3Client;
let retrying: S3Client;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 's3-races-'));
  s3 = await startS3Local({ directory, port: 0, region: 'cn-north-1', log: silentLog });
  once = client(1);
  retrying = client(3);
  await once.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  once?.destroy();
  retrying?.destroy();
  await s3?.stop();
  if (directory) {
    await rm(directory, { recursive: true, force: true });
    await rm(`${directory}.staging`, { recursive: true, force: true });
  }
});

const BODY = new TextEncoder().encode('%PDF-1.7 stray bytes that no evidence request named');
const put = (client: S3Client, key: string) =>
  client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: BODY, ContentType: 'application/pdf' }));
const listed = async (prefix: string) =>
  ((await once.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }))).Contents ?? []).map((o) => o.Key);

/** The error's S3 code, or undefined when the request succeeded. */
const outcome = (request: Promise<unknown>) =>
  request.then(
    () => undefined,
    (error: unknown) => (error as { name?: string }).name ?? String(error),
  );

describe('the local S3 stand-in, under requests racing on one key', () => {
  it('a copy racing the delete of its source lands whole or answers NoSuchKey, and keeps what the destination held', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const source = `evidence/${randomUUID()}/${randomUUID()}`;
      const destination = `quarantine/${source}`;
      await put(once, source);
      await once.send(new CopyObjectCommand({ Bucket: BUCKET, Key: destination, CopySource: `${BUCKET}/${source}` }));
      const [copy] = await Promise.all([
        outcome(
          once.send(new CopyObjectCommand({ Bucket: BUCKET, Key: destination, CopySource: `${BUCKET}/${source}` })),
        ),
        once.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: source })),
      ]);
      expect([undefined, 'NoSuchKey'], `round ${round}`).toContain(copy);
      const held = await once.send(new HeadObjectCommand({ Bucket: BUCKET, Key: destination }));
      expect(held.ContentLength, `round ${round}`).toBe(BODY.byteLength);
      expect(held.ContentType, `round ${round}`).toBe('application/pdf');
      expect(await listed(destination), `round ${round}`).toEqual([destination]);
    }
  });

  it('three quarantines of one stray object at once leave its one quarantined copy, and nothing under its key', async () => {
    const objects = new S3EvidenceObjects(retrying, BUCKET);
    for (let round = 0; round < ROUNDS; round += 1) {
      // An application's folder holds its evidence beside the stray, as in the replays of exactly-once.test.ts.
      const folder = `evidence/${randomUUID()}`;
      const key = `${folder}/${randomUUID()}`;
      await put(retrying, `${folder}/${randomUUID()}`);
      const { ETag } = await put(retrying, key);
      const copied = await Promise.all([1, 2, 3].map(() => objects.quarantine(key, { eTag: ETag })));
      expect(copied.filter(Boolean).length, `round ${round}`).toBeGreaterThanOrEqual(1);
      expect(await listed(`quarantine/${key}`), `round ${round}`).toEqual([`quarantine/${key}`]);
      expect(await listed(key), `round ${round}`).toEqual([]);
    }
  });

  it('a delete never fails a write beside it in the same folder', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const folder = `evidence/${randomUUID()}`;
      const leaving = `${folder}/${randomUUID()}`;
      const arriving = `${folder}/${randomUUID()}`;
      await put(once, leaving);
      const [write, deletion] = await Promise.all([
        outcome(put(once, arriving)),
        outcome(once.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: leaving }))),
      ]);
      expect({ write, deletion }, `round ${round}`).toEqual({ write: undefined, deletion: undefined });
      expect(await listed(folder), `round ${round}`).toEqual([arriving]);
    }
  });

  it("an upload under way shows the key's previous object, or none, until it is whole", async () => {
    const key = `evidence/${randomUUID()}/${randomUUID()}`;
    const whole = new Uint8Array(256 * 1024).fill(0x41);
    const headNow = () =>
      once.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
        (head) => head.ContentLength,
        (error: unknown) => (error as { name?: string }).name,
      );

    // A first upload, sent in two halves with a pause between: half a file is never a key's object.
    const body = new PassThrough();
    const first = once.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentLength: whole.byteLength }),
    );
    body.write(whole.subarray(0, whole.byteLength / 2));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await headNow()).toBe('NotFound');
    body.end(whole.subarray(whole.byteLength / 2));
    await first;
    expect(await headNow()).toBe(whole.byteLength);

    // A second, shorter upload of the key: until it is whole, the key holds the first one, whole.
    const again = new PassThrough();
    const second = once.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: again, ContentLength: 1000 }));
    again.write(BODY);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = await once.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect((await during.Body?.transformToByteArray())?.byteLength).toBe(whole.byteLength);
    again.end(new Uint8Array(1000 - BODY.byteLength));
    await second;
    expect(await headNow()).toBe(1000);
    // Nothing is left in the staging folder.
    expect(await readdir(`${directory}.staging`)).toEqual([]);
  });

  it('two deletes of the last keys of one folder both succeed', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const folder = `evidence/${randomUUID()}`;
      const keys = [`${folder}/${randomUUID()}`, `${folder}/${randomUUID()}`];
      await Promise.all(keys.map((key) => put(once, key)));
      const deletions = await Promise.all(
        keys.map((key) => outcome(once.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key })))),
      );
      expect(deletions, `round ${round}`).toEqual([undefined, undefined]);
      expect(await listed(folder), `round ${round}`).toEqual([]);
    }
  });
});
