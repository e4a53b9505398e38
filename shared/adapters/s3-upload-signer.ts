import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { PresignedUpload, UploadSigner } from '../ports/intake.ts';

export class S3UploadSigner implements UploadSigner {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async presignUpload(input: {
    key: string;
    contentType: string;
    size: number;
    expiresInSeconds: number;
  }): Promise<PresignedUpload> {
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: input.key,
      Fields: { 'Content-Type': input.contentType },
      Conditions: [
        // Exactly the declared size: S3 refuses anything else before a byte is stored.
        ['content-length-range', input.size, input.size],
        ['eq', '$Content-Type', input.contentType],
      ],
      Expires: input.expiresInSeconds,
    });
    return { url, fields };
  }

  /**
   * Where the browser posts: the URL of a presigned POST for a probe key (the endpoint is the
   * bucket's whatever the key; signing is local, nothing is sent and the policy is thrown away),
   * reduced to its origin.
   */
  async uploadOrigin(): Promise<string> {
    const { url } = await createPresignedPost(this.client, { Bucket: this.bucket, Key: 'origin-probe', Expires: 1 });
    return new URL(url).origin;
  }
}
