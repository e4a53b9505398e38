import { DynamoListings } from '../adapters/dynamo-listings.ts';
import { DynamoQuotas } from '../adapters/dynamo-quota.ts';
import { DynamoRegister } from '../adapters/dynamo-register.ts';
import { S3UploadSigner } from '../adapters/s3-upload-signer.ts';
import { SfnWorkflow } from '../adapters/sfn-workflow.ts';
import { Intake } from '../intake/intake.ts';
import { makeS3Client, makeSfnClient } from './clients.ts';
import { campaignCatalog, noWorkflow, records, tableAccess } from './core.ts';
import { systemClock } from './clock.ts';
import { ENV, type Env, readEnv, required } from './env.ts';

/**
 * The applications function: drafts, edits and submission (which starts the review ladder), and
 * the applicants' portal pages (/portal), which read the county's applications and the campaigns.
 */
export function wireApplications(env: Env = readEnv()) {
  const table = tableAccess(env);
  const catalog = campaignCatalog(table);
  return {
    intake: new Intake({
      records: records(table),
      workflow: new SfnWorkflow(makeSfnClient(), required(env, ENV.stateMachineArn)),
      campaigns: catalog,
      clock: systemClock,
      listings: new DynamoListings(table.documents, table.table),
      quotas: new DynamoQuotas(table.documents, table.table),
      register: new DynamoRegister(table.documents, table.table),
    }),
    catalog,
  };
}

/** The evidence function: it alone presigns uploads, and alone gets BUCKET_NAME. */
export function wireEvidence(env: Env = readEnv()) {
  const table = tableAccess(env);
  const uploads = new S3UploadSigner(makeS3Client(env), required(env, ENV.bucketName));
  const catalog = campaignCatalog(table);
  return {
    intake: new Intake({
      records: records(table),
      uploads,
      workflow: noWorkflow,
      campaigns: catalog,
      clock: systemClock,
    }),
    catalog,
    /** The bucket's origin, where the portal's uploader posts the bytes (its page's connect-src). */
    uploadOrigin: () => uploads.uploadOrigin(),
  };
}

/** The campaigns function: reads campaigns, and operators add them. */
export function wireCampaigns(env: Env = readEnv()) {
  return { catalog: campaignCatalog(tableAccess(env)) };
}
