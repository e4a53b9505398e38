import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AnnualReportObjects } from '../ports/annual-reports.ts';
import { ANNUAL_REPORT_PREFIX } from '../rules/storage.ts';

/**
 * The annual-report files' objects in the evidence bucket: the county's removal deletes one. The
 * bucket is versioned, so the delete adds a delete marker and the lifecycle rules expire the
 * bytes later; S3 answers a key already gone as deleted, so a repeat is harmless.
 */
export class S3AnnualReportObjects implements AnnualReportObjects {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async remove(objectKey: string): Promise<void> {
    // The grant covers this prefix only; a key outside it is a bug, said here rather than as a 403.
    if (!objectKey.startsWith(ANNUAL_REPORT_PREFIX)) throw new Error(`not an annual-report object: ${objectKey}`);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
  }
}
