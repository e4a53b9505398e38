import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { requestKey } from '../package/keys.ts';
import type { PackageRequests, PackageWorkRequest } from '../ports/package.ts';

/**
 * Starts a build or a verification: a small object under package-requests/ whose ObjectCreated
 * notification invokes the builder asynchronously (in AWS an S3 event notification; locally the
 * same event from s3rver, delivered by local/events.ts), the way an upload reaches the validator.
 */
export class S3PackageRequests implements PackageRequests {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async send(request: PackageWorkRequest): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: requestKey(request),
        Body: JSON.stringify(request),
        ContentType: 'application/json',
      }),
    );
  }
}
