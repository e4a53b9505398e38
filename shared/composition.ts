import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoCampaigns } from './adapters/dynamo-campaigns.ts';
import { DynamoListings } from './adapters/dynamo-listings.ts';
import { DynamoOpsReads } from './adapters/dynamo-ops.ts';
import { DynamoQuotas } from './adapters/dynamo-quota.ts';
import { DynamoRecords } from './adapters/dynamo-records.ts';
import { DynamoReviews } from './adapters/dynamo-reviews.ts';
import { DynamoTallies } from './adapters/dynamo-tallies.ts';
import { S3UploadSigner } from './adapters/s3-upload-signer.ts';
import { SesMailer } from './adapters/ses-mailer.ts';
import { SfnExecutions } from './adapters/sfn-executions.ts';
import { SfnWorkflow } from './adapters/sfn-workflow.ts';
import { makeDocumentClient, makeS3Client } from './clients.ts';
import { ENV, requiredEnv } from './config.ts';
import { CampaignCatalog } from './domain/campaigns.ts';
import { Intake } from './domain/intake.ts';
import { OpsDesk } from './domain/ops.ts';
import type { Clock, Mailer, ObjectionLog, ReviewWorkflow, UploadSigner } from './domain/ports.ts';

/**
 * Wires the domain to its adapters from the environment. Handler modules call these at module
 * scope, so clients are built once per Lambda instance and missing configuration fails at load.
 * Each handler asks only for what it uses, which also keeps the others out of its bundle.
 */
export const systemClock: Clock = () => new Date();

/** For handlers that never submit (the evidence function): starting a workflow is not theirs. */
export const noWorkflow: ReviewWorkflow = {
  start: async () => {
    throw new Error('This handler was wired without the review workflow');
  },
  resubmitted: async () => {
    throw new Error('This handler was wired without the review workflow');
  },
};

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

/** The review ladder's state machine (STATE_MACHINE_ARN): start, and hand back resubmissions. */
export function reviewWorkflowFromEnv(): SfnWorkflow {
  return new SfnWorkflow(new SFNClient({}), requiredEnv(ENV.stateMachineArn));
}

/** SES from SENDER_EMAIL (endpoint from AWS_ENDPOINT_URL_SESV2 locally). */
export function mailerFromEnv(): Mailer {
  return new SesMailer(new SESv2Client({}), requiredEnv(ENV.senderEmail));
}

export function quotasFromEnv(): DynamoQuotas {
  return new DynamoQuotas(documentClient(), requiredEnv(ENV.tableName));
}

/** Objections as the review desk stores them (read by the workflow's CheckObjections). */
export function objectionLogFromEnv(): ObjectionLog {
  return new DynamoReviews(documentClient(), requiredEnv(ENV.tableName));
}

/**
 * The intake use cases. Only the evidence function presigns uploads (and only it gets
 * BUCKET_NAME), so it alone passes storage; only the applications function submits, so it alone
 * passes the workflow (and gets STATE_MACHINE_ARN).
 */
export function intakeFromEnv(uploads?: UploadSigner, workflow: ReviewWorkflow = noWorkflow): Intake {
  return new Intake({
    records: recordsFromEnv(),
    uploads,
    workflow,
    campaigns: campaignCatalogFromEnv(),
    clock: systemClock,
  });
}

/** The operators' desk: campaign tallies, the late list, quotas, and the ladder's executions. */
export function opsDeskFromEnv(): OpsDesk {
  const client = documentClient();
  const table = requiredEnv(ENV.tableName);
  const tallies = new DynamoTallies(client, table);
  const reads = new DynamoOpsReads(client, table);
  const listings = new DynamoListings(client, table);
  const quotas = new DynamoQuotas(client, table);
  return new OpsDesk({
    campaigns: campaignCatalogFromEnv(),
    reads: {
      tallies: (campaignId, kind, within) => tallies.list(campaignId, kind, within),
      late: (campaignId, now, limit) => reads.late(campaignId, now, limit),
      quotaCounters: (campaignId, counters) => reads.quotaCounters(campaignId, counters),
      applications: (ids) => reads.applications(ids),
      applicationsOf: (provincialCode, campaignId) => listings.applicationsOf(provincialCode, campaignId),
      quotaUsage: (campaignId, track, code) => quotas.usage(campaignId, track, code),
    },
    executions: new SfnExecutions(new SFNClient({}), requiredEnv(ENV.stateMachineArn)),
    records: new DynamoRecords(client, table),
    clock: systemClock,
  });
}
