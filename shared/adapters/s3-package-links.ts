import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { contentDisposition } from '../platform/content-disposition.ts';
import type { PackageLinks } from '../ports/package.ts';

/**
 * Short-lived download links to built packages: a presigned GET of the version built (where the
 * bucket keeps versions), with the package's own file name, never cached.
 */
export class S3PackageLinks implements PackageLinks {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  downloadUrl(input: { key: string; fileName: string; versionId?: string; expiresInSeconds: number }): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: input.key,
        ...(input.versionId !== undefined && { VersionId: input.versionId }),
        ResponseContentDisposition: contentDisposition(input.fileName),
        ResponseContentType: 'application/zip',
        ResponseCacheControl: 'no-store',
      }),
      { expiresIn: input.expiresInSeconds },
    );
  }
}
