import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { contentDisposition } from '../platform/content-disposition.ts';
import type { EvidenceDownloads } from '../ports/review.ts';
import { bareETag } from './s3-etag.ts';

/**
 * Short-lived download links for the review page: the file's own name and type, never cached, and
 * exactly the bytes the validator checked. Where the bucket keeps versions (AWS) the link names
 * the recorded version; a later object at the same key is another version and never served.
 * Where it keeps none (s3rver), a presigned GET cannot carry an If-Match a browser would send, so
 * the object's ETag is compared here instead, and a replaced object gets no link at all.
 */
export class S3EvidenceDownloads implements EvidenceDownloads {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async downloadUrl(input: {
    key: string;
    fileName: string;
    contentType: string;
    expiresInSeconds: number;
    versionId?: string | undefined;
    eTag?: string | undefined;
  }): Promise<string | undefined> {
    if (input.versionId === undefined && input.eTag !== undefined && !(await this.stillHolds(input.key, input.eTag))) {
      return undefined;
    }
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: input.key,
        ...(input.versionId !== undefined && { VersionId: input.versionId }),
        ResponseContentDisposition: contentDisposition(input.fileName),
        ResponseContentType: input.contentType,
        ResponseCacheControl: 'no-store',
      }),
      { expiresIn: input.expiresInSeconds },
    );
  }

  /** Whether the key's current object still has this ETag (If-Match, checked on our side too). */
  private async stillHolds(key: string, eTag: string): Promise<boolean> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key, IfMatch: `"${bareETag(eTag)}"` }),
      );
      return bareETag(head.ETag) === bareETag(eTag);
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || status === 412) return false;
      throw error;
    }
  }
}
