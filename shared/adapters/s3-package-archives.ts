import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import * as yauzl from 'yauzl';
import * as yazl from 'yazl';
import type { ArchiveEntry, ArchiveWriteResult, PackageArchives, WrittenEntry } from '../ports/package.ts';
import { bareETag } from './s3-etag.ts';

/** Multipart part size and parts in flight: the writer's memory is about partSize × (queueSize + 1). */
export interface ArchiveTuning {
  partSize?: number;
  queueSize?: number;
}
const MiB = 1024 * 1024;
const DEFAULT_PART_SIZE = 8 * MiB;
const DEFAULT_QUEUE_SIZE = 2;

const isAbsent = (error: unknown) => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
};

/**
 * Packages in the bucket: a ZIP streamed from the sources through yazl into a multipart upload
 * (@aws-sdk/lib-storage; the memory is a few parts, whatever the package's size), read back
 * through yauzl over ranged GETs (a RandomAccessReader: the central directory, then each entry's
 * bytes, never the whole object). Download links are ./s3-package-links.ts's.
 *
 * Entries are stored, not deflated: the evidence is PDF, OFD, images and OOXML, compressed already,
 * and storing keeps the build bound by the network rather than the CPU.
 */
export class S3PackageArchives implements PackageArchives {
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    tuning: ArchiveTuning = {},
  ) {
    this.partSize = tuning.partSize ?? DEFAULT_PART_SIZE;
    this.queueSize = tuning.queueSize ?? DEFAULT_QUEUE_SIZE;
  }

  async write(
    key: string,
    entries: Iterable<ArchiveEntry>,
    trailer: (written: readonly WrittenEntry[], absent: readonly string[]) => { path: string; bytes: Uint8Array }[],
    onProgress?: (files: number, bytes: number) => void,
  ): Promise<ArchiveWriteResult> {
    const zip = new yazl.ZipFile();
    const mtime = new Date();
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: zip.outputStream as Readable, ContentType: 'application/zip' },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    let failed: ((error: unknown) => void) | undefined;
    const failure = new Promise<never>((_, reject) => {
      failed = reject;
    });
    zip.on('error', (error: unknown) => failed?.(error));
    const uploading = upload.done();
    uploading.catch((error: unknown) => failed?.(error));
    failure.catch(() => undefined);

    const written: WrittenEntry[] = [];
    const absent: string[] = [];
    let bytes = 0;
    const add = async (path: string, source: AsyncIterable<Uint8Array>) => {
      const hash = createHash('sha256');
      let size = 0;
      let finished: (() => void) | undefined;
      const done = new Promise<void>((resolve) => {
        finished = resolve;
      });
      async function* hashing() {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          bytes += chunk.length;
          yield chunk;
        }
        finished?.();
      }
      zip.addReadStream(Readable.from(hashing(), { objectMode: false }), path, { compress: false, mtime });
      // One source open at a time: the next is opened once this one is read to its end.
      await Promise.race([done, failure]);
      written.push({ path, size, sha256: hash.digest('hex') });
      onProgress?.(written.length, bytes);
    };

    try {
      for (const entry of entries) {
        const source = await Promise.race([entry.open(), failure]);
        if (source === undefined) absent.push(entry.path);
        else await add(entry.path, source);
      }
      for (const extra of trailer(written, absent)) await add(extra.path, once(extra.bytes));
      zip.end();
      const result = await Promise.race([uploading, failure]);
      const size = await this.sizeOf(key);
      return {
        written,
        absent,
        size,
        ...(result.VersionId !== undefined && { versionId: result.VersionId }),
        ...(bareETag(result.ETag) !== undefined && { eTag: bareETag(result.ETag) }),
      };
    } catch (error) {
      await upload.abort().catch(() => undefined);
      throw error;
    }
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }),
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return object.Body ? await object.Body.transformToByteArray() : undefined;
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  async entries(key: string): Promise<WrittenEntry[] | undefined> {
    let size: number;
    try {
      size = await this.sizeOf(key);
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
    const reader = new S3RangeReader(this.client, this.bucket, key);
    const zip = await yauzl.fromRandomAccessReaderPromise(reader, size, {
      lazyEntries: true,
      validateEntrySizes: true,
      // Names as bytes: yauzl reads a name without the UTF-8 flag as CP437, and Info-ZIP (Debian's
      // zip) writes UTF-8 names without the flag; entryName decides.
      decodeStrings: false,
    });
    const out: WrittenEntry[] = [];
    try {
      for (;;) {
        const entry = await nextEntry(zip);
        if (!entry) break;
        const path = entryName(entry);
        if (path.endsWith('/')) continue;
        const stream = await zip.openReadStreamPromise(entry);
        const hash = createHash('sha256');
        let read = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          hash.update(chunk);
          read += chunk.length;
        }
        out.push({ path, size: read, sha256: hash.digest('hex') });
      }
    } finally {
      zip.close();
    }
    return out;
  }

  private async sizeOf(key: string): Promise<number> {
    const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    return head.ContentLength ?? 0;
  }
}

const UTF8_FLAG = 0x800;
const UNICODE_PATH_FIELD = 0x7075;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
const gbk = new TextDecoder('gbk');

/**
 * An entry's name from its bytes (the ZIP opened with decodeStrings: false). The UTF-8 flag, or
 * Info-ZIP's Unicode Path field whose CRC matches the name, says UTF-8. Without either the bytes
 * are whatever the writing tool's locale wrote: Info-ZIP on Linux and macOS writes UTF-8 unflagged,
 * Chinese Windows tools write GBK. Strict UTF-8 first (GBK text is almost never valid UTF-8), GBK
 * only where it fails; CP437, the format's nominal default, is what nobody here writes.
 * yauzl's own name checks (absolute paths, "..", backslashes) are kept.
 */
export function entryName(entry: yauzl.Entry): string {
  const raw = entry.fileNameRaw;
  let name: string;
  const unicodePath = entry.extraFields.find(
    (field) =>
      field.id === UNICODE_PATH_FIELD &&
      field.data.length >= 6 &&
      field.data.readUInt8(0) === 1 &&
      field.data.readUInt32LE(1) === crc32(raw),
  );
  if (unicodePath) name = lenientUtf8.decode(unicodePath.data.subarray(5));
  else if ((entry.generalPurposeBitFlag & UTF8_FLAG) !== 0) name = lenientUtf8.decode(raw);
  else {
    try {
      name = strictUtf8.decode(raw);
    } catch {
      name = gbk.decode(raw);
    }
  }
  name = name.replace(/\\/g, '/');
  const refused = yauzl.validateFileName(name);
  if (refused !== null) throw new Error(refused);
  return name;
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/** The next entry of a lazily read ZIP, or undefined at its end. */
function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(undefined);
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

/** yauzl's view of the object: each range it asks for is one ranged GET, streamed. */
class S3RangeReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
  ) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const out = new PassThrough();
    if (end <= start) {
      out.end();
      return out;
    }
    this.client
      .send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key, Range: `bytes=${start}-${end - 1}` }))
      .then((object) => {
        const body = object.Body as Readable | undefined;
        if (!body) throw new Error(`no body for bytes ${start}-${end - 1} of ${this.key}`);
        body.on('error', (error) => out.destroy(error));
        body.pipe(out);
      })
      .catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
    return out;
  }
}
