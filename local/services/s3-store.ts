import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import FilesystemStore from 's3rver/lib/stores/filesystem.js';
import S3Error from 's3rver/lib/models/error.js';
import S3Object from 's3rver/lib/models/object.js';

/**
 * s3rver's filesystem store, with a write, a copy and a delete as atomic as S3's.
 *
 * s3rver writes an object into its file in place: a reader (the validator, woken by the event of
 * an earlier write of the key, or a reviewer's download) could read half a file, and a process
 * killed mid-upload left half a file under the key. Worse, its write answered once the request's
 * bytes had passed its digest, not once they were on disk, so the ObjectCreated event could come
 * before the last bytes. S3 shows a key's previous object, or none, until the new one is whole.
 * Here an upload is written into the staging folder, and renamed over the key once it is all on
 * disk: the object's file last, its digest and metadata just before.
 *
 * s3rver copies an object by unlinking the destination's file and then copying the source's over
 * it; when a delete of the source lands between the two, the destination is gone and the copy
 * answers 500 — the SDK retries, hears NoSuchKey, and the caller takes the object for moved
 * already. Two deliveries of one stray object's event lost its quarantined copy that way. S3
 * answers a copy from its source as it was when read, or NoSuchKey, and never takes away what the
 * destination held. So here the source's files are read into a staging folder first, and renamed
 * over the destination's at the end: each rename replaces a file whole.
 *
 * s3rver also removes a folder left empty by a delete, which a write to a sibling key (folder
 * made, file not yet opened) or a second delete in the same folder trips over. S3 has no folders:
 * here a delete takes the object's files and leaves folders be; an empty folder holds no key, so
 * no listing changes.
 */
export class AtomicFilesystemStore extends FilesystemStore {
  /** Beside the root, not in it: s3rver takes every folder in its root for a bucket. */
  private readonly staging: string;

  constructor(rootDirectory: string) {
    super(rootDirectory);
    this.staging = `${rootDirectory}.staging`;
  }

  override async putObject(object: StoredObject): Promise<{ size: number; md5: string }> {
    await mkdir(this.staging, { recursive: true });
    const staged = join(this.staging, randomUUID());
    try {
      const digest = createHash('md5');
      let size = 0;
      const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
      const counted = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          digest.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      // Settles once the file is closed: every byte is on disk before the key points at it.
      await pipeline(content, counted, createWriteStream(`${staged}.object`));
      const md5 = digest.digest('hex');
      const destination = (resource: string) => this.getResourcePath(object.bucket, object.key, resource);
      await writeFile(`${staged}.object.md5`, md5);
      await writeFile(`${staged}.metadata.json`, JSON.stringify(storedMetadata(object.metadata), null, 2));
      await mkdir(dirname(destination('object')), { recursive: true });
      await rename(`${staged}.object.md5`, destination('object.md5'));
      await rename(`${staged}.metadata.json`, destination('metadata.json'));
      await rename(`${staged}.object`, destination('object'));
      return { size, md5 };
    } finally {
      await Promise.all(
        ['object', 'object.md5', 'metadata.json'].map((resource) => rm(`${staged}.${resource}`, { force: true })),
      );
    }
  }

  override async copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata: Record<string, string> | null,
  ): Promise<Record<string, unknown>> {
    const source = (resource: string) => this.getResourcePath(srcBucket, srcKey, resource);
    const destination = (resource: string) => this.getResourcePath(destBucket, destKey, resource);
    // Onto itself: only the metadata changes (s3rver refuses it without a replacement).
    if (source('object') === destination('object')) {
      return super.copyObject(srcBucket, srcKey, destBucket, destKey, replacementMetadata);
    }
    await mkdir(this.staging, { recursive: true });
    const staged = join(this.staging, randomUUID());
    try {
      await copyFile(source('object'), `${staged}.object`).catch((error: unknown) => {
        if (isMissing(error)) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: srcKey });
        throw error;
      });
      // Without a metadata file s3rver answers defaults; the copy then has none either.
      const keepsMetadata =
        !replacementMetadata &&
        (await copyFile(source('metadata.json'), `${staged}.metadata.json`).then(
          () => true,
          (error: unknown) => {
            if (isMissing(error)) return false;
            throw error;
          },
        ));
      // The digest of the bytes staged, not the source's md5 file: the source may be replaced meanwhile.
      const md5 = await md5Of(`${staged}.object`);
      await writeFile(`${staged}.object.md5`, md5);
      await mkdir(dirname(destination('object')), { recursive: true });
      await rename(`${staged}.object.md5`, destination('object.md5'));
      if (keepsMetadata) await rename(`${staged}.metadata.json`, destination('metadata.json'));
      else if (!replacementMetadata) await removeIfThere(destination('metadata.json'));
      // The object's file last: a key is there once its file is, and its digest is ready by then.
      await rename(`${staged}.object`, destination('object'));
      if (replacementMetadata) await this.putMetadata(destBucket, destKey, replacementMetadata, md5);
    } finally {
      await Promise.all(
        ['object', 'object.md5', 'metadata.json'].map((resource) => rm(`${staged}.${resource}`, { force: true })),
      );
    }
    return this.getMetadata(destBucket, destKey);
  }

  override async deleteObject(bucket: string, key: string): Promise<void> {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((resource) =>
        removeIfThere(this.getResourcePath(bucket, key, resource)),
      ),
    );
  }
}

/** What s3rver's controllers hand a store to write (its S3Object). */
interface StoredObject {
  bucket: string;
  key: string;
  content: Buffer | Readable;
  metadata: Record<string, string>;
}

const KEPT_HEADERS = new Set(S3Object.ALLOWED_METADATA);

/** The metadata s3rver keeps beside an object (as its putMetadata does): its allowed headers and `x-amz-meta-*`. */
function storedMetadata(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).filter(([name]) => KEPT_HEADERS.has(name) || name.startsWith('x-amz-meta-')),
  );
}

const isMissing = (error: unknown) => (error as { code?: string }).code === 'ENOENT';

async function removeIfThere(path: string): Promise<void> {
  await unlink(path).catch((error: unknown) => {
    if (!isMissing(error)) throw error;
  });
}

async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
