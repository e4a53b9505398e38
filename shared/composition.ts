import { DynamoCampaigns } from './adapters/dynamo-campaigns.ts';
import { DynamoRecords } from './adapters/dynamo-records.ts';
import { S3UploadSigner } from './adapters/s3-upload-signer.ts';
import { makeDocumentClient, makeS3Client } from './clients.ts';
import { ENV, requiredEnv } from './config.ts';
import { CampaignCatalog } from './domain/campaigns.ts';
import { Intake } from './domain/intake.ts';
import type { Clock, ReviewWorkflow, UploadSigner } from './domain/ports.ts';

/**
 * Wires the domain to its adapters from the environment. Handler modules call these at module
 * scope, so clients are built once per Lambda instance and missing configuration fails at load.
 * Each handler asks only for what it uses, which also keeps the others out of its bundle.
 */
export const systemClock: Clock = () => new Date();

/** Until the review ladder lands, submission records SUBMITTED and starts nothing else. */
export const noWorkflow: ReviewWorkflow = { start: async () => {} };

const documentClient = () => makeDocumentClient();

export function recordsFromEnv(): DynamoRecords {
  return new DynamoRecords(documentClient(), requiredEnv(ENV.tableName));
}

export function campaignCatalogFromEnv(): CampaignCatalog {
  return new CampaignCatalog(new DynamoCampaigns(documentClient(), requiredEnv(ENV.tableName)), systemClock);
}

export function uploadSignerFromEnv(): S3UploadSigner {
  return new S3UploadSigner(makeS3Client(), requiredEnv(ENV.bucketName));
}

/**
 * The intake use cases. Only the evidence function presigns uploads (and only it gets
 * BUCKET_NAME), so it alone passes storage.
 */
export function intakeFromEnv(uploads?: UploadSigner): Intake {
  return new Intake({
    records: recordsFromEnv(),
    uploads,
    workflow: noWorkflow,
    campaigns: campaignCatalogFromEnv(),
    clock: systemClock,
  });
}
