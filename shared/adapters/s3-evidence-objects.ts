import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { QUARANTINE_PREFIX } from '../rules/storage.ts';
import type { EvidenceObjects } from '../ports/validation.ts';

export class S3EvidenceObjects implements EvidenceObjects {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async open(key: string) {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!object.Body) return undefined;
      return { body: object.Body as AsyncIterable<Uint8Array>, contentType: object.ContentType };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async quarantine(key: string): Promise<void> {
    const target = `${QUARANTINE_PREFIX}${key}`;
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: target,
          CopySource: `${this.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
        }),
      );
    } catch (error) {
      // Already moved by an earlier delivery of the same event: nothing left to do.
      if ((error as { name?: string }).name === 'NoSuchKey') return;
      throw error;
    }
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
