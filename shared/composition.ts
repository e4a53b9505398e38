import { DynamoRecords } from './adapters/dynamo-records.ts';
import { S3EvidenceStorage } from './adapters/s3-storage.ts';
import { makeDocumentClient, makeS3Client } from './clients.ts';
import { ENV, requiredEnv } from './config.ts';
import { CampaignCatalog } from './domain/campaigns.ts';
import { Intake } from './domain/intake.ts';
import type { Clock, ReviewWorkflow } from './domain/ports.ts';

/**
 * Wires the domain to its adapters from the environment. Handler modules call these at module
 * scope, so clients are built once per Lambda instance and missing configuration fails at load.
 */
export const systemClock: Clock = () => new Date();

/** Until the review ladder lands, submission records SUBMITTED and starts nothing else. */
export const noWorkflow: ReviewWorkflow = { start: async () => {} };

export function recordsFromEnv(): DynamoRecords {
  return new DynamoRecords(makeDocumentClient(), requiredEnv(ENV.tableName));
}

export function storageFromEnv(): S3EvidenceStorage {
  return new S3EvidenceStorage(makeS3Client(), requiredEnv(ENV.bucketName));
}

/**
 * The intake use cases. Only the evidence function may presign uploads (and only it gets
 * BUCKET_NAME), so the others build an Intake without storage.
 */
export function intakeFromEnv(options: { evidenceUploads: boolean }): Intake {
  const records = recordsFromEnv();
  return new Intake({
    records,
    storage: options.evidenceUploads ? storageFromEnv() : undefined,
    workflow: noWorkflow,
    campaigns: new CampaignCatalog(records, systemClock),
    clock: systemClock,
  });
}
