import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { contentDisposition } from '../platform/content-disposition.ts';
import type { EvidenceDownloads } from '../ports/review.ts';

/** Short-lived download links for the review page: the file's own name and type, never cached. */
export class S3EvidenceDownloads implements EvidenceDownloads {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  downloadUrl(input: {
    key: string;
    fileName: string;
    contentType: string;
    expiresInSeconds: number;
  }): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: input.key,
        ResponseContentDisposition: contentDisposition(input.fileName),
        ResponseContentType: input.contentType,
        ResponseCacheControl: 'no-store',
      }),
      { expiresIn: input.expiresInSeconds },
    );
  }
}
