import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { QUARANTINE_PREFIX } from '../rules/storage.ts';
import { bareETag } from './s3-etag.ts';
import type { EvidenceObjects, ObjectVersion } from '../ports/validation.ts';

/** What S3 answers when the object (or the version, or the precondition) is not there. */
const ABSENT = new Set(['NoSuchKey', 'NoSuchVersion', 'NotFound', 'PreconditionFailed']);
const isAbsent = (error: unknown) => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return ABSENT.has(name ?? '') || $metadata?.httpStatusCode === 404 || $metadata?.httpStatusCode === 412;
};

/** The object is the one named: the same version where versions are kept, else the same ETag. */
function sameObject(current: ObjectVersion, named: ObjectVersion): boolean {
  if (named.versionId !== undefined) return current.versionId === named.versionId;
  return named.eTag !== undefined && bareETag(current.eTag) === bareETag(named.eTag);
}

export class S3EvidenceObjects implements EvidenceObjects {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async open(key: string, version: ObjectVersion = {}) {
    const { versionId } = version;
    const eTag = bareETag(version.eTag);
    let object;
    try {
      object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(versionId !== undefined ? { VersionId: versionId } : eTag !== undefined && { IfMatch: `"${eTag}"` }),
        }),
      );
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
    if (!object.Body) return undefined;
    const body = object.Body as AsyncIterable<Uint8Array> & { destroy?: () => void };
    // A store that keeps no versions (s3rver) and ignores If-Match: the bytes were replaced since
    // the event; its own event follows.
    if (versionId === undefined && eTag !== undefined && bareETag(object.ETag) !== eTag) {
      body.destroy?.();
      return undefined;
    }
    return {
      body,
      contentType: object.ContentType,
      ...(object.VersionId !== undefined && { versionId: object.VersionId }),
      ...(bareETag(object.ETag) !== undefined && { eTag: bareETag(object.ETag) }),
    };
  }

  /** The current object's version and ETag, or undefined when the key holds none. */
  private async current(key: string): Promise<ObjectVersion | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { versionId: head.VersionId, eTag: bareETag(head.ETag) };
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  async quarantine(key: string, stray: ObjectVersion = {}, keep?: ObjectVersion): Promise<boolean> {
    const source = `${this.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    let copySource: string | undefined = source;
    if (stray.versionId !== undefined) {
      copySource = `${source}?versionId=${encodeURIComponent(stray.versionId)}`;
    } else if (stray.eTag !== undefined) {
      // No versions: the stray's bytes exist only while the key still holds them.
      const now = await this.current(key);
      if (!now || !sameObject(now, { eTag: stray.eTag })) copySource = undefined;
    }
    let copied = false;
    if (copySource !== undefined) {
      try {
        await this.client.send(
          new CopyObjectCommand({ Bucket: this.bucket, Key: `${QUARANTINE_PREFIX}${key}`, CopySource: copySource }),
        );
        copied = true;
      } catch (error) {
        // Already moved by an earlier delivery of the same event: nothing left to copy.
        if (!isAbsent(error)) throw error;
      }
    }
    if (keep) {
      // The key's current object is the one an evidence item recorded: it stays.
      const now = await this.current(key);
      if (!now || sameObject(now, keep)) return copied;
    }
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    return copied;
  }
}
