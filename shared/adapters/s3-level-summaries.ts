import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { GeneratedTable, SummaryTableStorage } from '../ports/level-documents.ts';

/** The generated summary tables of filed letters, in the evidence bucket under level-summaries/. */
export class S3LevelSummaries implements SummaryTableStorage {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, table: GeneratedTable): Promise<{ versionId?: string }> {
    const answer = await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: table.body, ContentType: table.contentType }),
    );
    return answer.VersionId ? { versionId: answer.VersionId } : {};
  }
}
