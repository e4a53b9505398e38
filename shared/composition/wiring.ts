import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoCampaigns } from '../adapters/dynamo-campaigns.ts';
import { DynamoListings } from '../adapters/dynamo-listings.ts';
import { DynamoOpsReads } from '../adapters/dynamo-ops.ts';
import { DynamoQuotas } from '../adapters/dynamo-quota.ts';
import { DynamoRecords } from '../adapters/dynamo-records.ts';
import { DynamoReviews } from '../adapters/dynamo-reviews.ts';
import { DynamoTallies } from '../adapters/dynamo-tallies.ts';
import { CachedLinkKeys, FileLinkKeySource, SecretsManagerLinkKeySource } from '../adapters/link-keys.ts';
import { S3UploadSigner } from '../adapters/s3-upload-signer.ts';
import { secretsManagerReader } from '../adapters/secrets-manager.ts';
import { SesMailer } from '../adapters/ses-mailer.ts';
import { SfnExecutions } from '../adapters/sfn-executions.ts';
import { SfnWorkflow } from '../adapters/sfn-workflow.ts';
import { makeDocumentClient, makeS3Client } from './clients.ts';
import { ENV, MAILERS, requiredEnv } from './env.ts';
import { CampaignCatalog } from '../intake/campaigns.ts';
import { Intake } from '../intake/intake.ts';
import { OpsDesk } from '../operations/desk.ts';
import type { Clock, Email, Mailer, ObjectionLog, ReviewWorkflow, UploadSigner } from '../ports/core.ts';
import type { LinkKeys } from '../review/desk.ts';

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

/**
 * Stands in for the SMTP mailer, which this build does not have (no SMTP library among the
 * dependencies): every send fails, naming what is missing, so a stack deployed with
 * `-c mailer=smtp` fails its email steps visibly (retried, then in the ops console) instead of
 * calling an SES endpoint that does not exist there. The SMTP endpoint is in SMTP_SECRET_ARN.
 */
class MissingSmtpMailer implements Mailer {
  async send(_email: Email): Promise<{ messageId: string }> {
    throw new Error(
      'MAILER=smtp: this build has no SMTP mailer (add one behind the Mailer port, shared/ports/core.ts, ' +
        `reading the endpoint from ${ENV.smtpSecretArn}); see README "Security baseline"`,
    );
  }
}

/** SES from SENDER_EMAIL (endpoint from AWS_ENDPOINT_URL_SESV2 locally), or what MAILER names. */
export function mailerFromEnv(): Mailer {
  const sender = requiredEnv(ENV.senderEmail);
  const kind = process.env[ENV.mailer] || 'ses';
  if (kind === 'smtp') return new MissingSmtpMailer();
  if (kind !== 'ses') throw new Error(`${ENV.mailer}=${kind}: expected one of ${MAILERS.join(', ')}`);
  return new SesMailer(new SESv2Client({}), sender);
}

/**
 * The review-link key, cached per instance: LINK_KEY_FILE (the local stand-in: `npm start`,
 * integration tests) or LINK_KEY_SECRET_ARN (AWS Secrets Manager, set by the stack on the
 * functions that mint or verify links). Neither: undefined, and links are stored as plain
 * SHA-256 (unit tests, scripts) — but not in Lambda, where that is a deployment mistake.
 */
export function linkKeysFromEnv(): LinkKeys | undefined {
  const file = process.env[ENV.linkKeyFile];
  if (file) return new CachedLinkKeys(new FileLinkKeySource(file));
  const secretArn = process.env[ENV.linkKeySecretArn];
  if (secretArn) return new CachedLinkKeys(new SecretsManagerLinkKeySource(secretsManagerReader(), secretArn));
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new Error(`${ENV.linkKeySecretArn} is not set: this function mints or verifies review links and needs the link key`);
  }
  return undefined;
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
