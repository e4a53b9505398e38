import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCampaigns } from '../adapters/dynamo-campaigns.ts';
import { DynamoRecords } from '../adapters/dynamo-records/store.ts';
import { CachedLinkKeys, FileLinkKeySource, SecretsManagerLinkKeySource } from '../adapters/link-keys.ts';
import { secretsManagerReader } from '../adapters/secrets-manager.ts';
import { CampaignCatalog } from '../intake/campaigns.ts';
import type { ReviewWorkflow } from '../ports/intake.ts';
import type { LinkKeys } from '../ports/review.ts';
import { systemClock } from './clock.ts';
import { makeDocumentClient } from './clients.ts';
import { ENV, type Env, required } from './env.ts';

/** What every feature's wiring shares: the table, the campaigns, the link key (the mailer: ./mail.ts). */

/** For handlers that never submit (the evidence function): starting a workflow is not theirs. */
export const noWorkflow: ReviewWorkflow = {
  start: async () => {
    throw new Error('This handler was wired without the review workflow');
  },
  resubmitted: async () => {
    throw new Error('This handler was wired without the review workflow');
  },
};

/** The one table, through one document client per Lambda instance. */
export interface TableAccess {
  documents: DynamoDBDocumentClient;
  table: string;
}

/** TABLE_NAME with the Lambda's one document client. */
export const tableAccess = (env: Env): TableAccess => ({
  documents: makeDocumentClient(),
  table: required(env, ENV.tableName),
});

export const records = ({ documents, table }: TableAccess): DynamoRecords => new DynamoRecords(documents, table);

export const campaignCatalog = ({ documents, table }: TableAccess): CampaignCatalog =>
  new CampaignCatalog(new DynamoCampaigns(documents, table), systemClock);

/**
 * The review-link key, cached per instance: LINK_KEY_FILE (the local stand-in: `npm start`,
 * integration tests) or LINK_KEY_SECRET_ARN (AWS Secrets Manager, set by the stack on the
 * functions that mint or verify links). Neither: undefined, and links are stored as plain
 * SHA-256 (unit tests, scripts) — but not in Lambda, where that is a deployment mistake.
 */
export function linkKeys(env: Env): LinkKeys | undefined {
  const file = env[ENV.linkKeyFile];
  if (file) return new CachedLinkKeys(new FileLinkKeySource(file));
  const secretArn = env[ENV.linkKeySecretArn];
  if (secretArn) return new CachedLinkKeys(new SecretsManagerLinkKeySource(secretsManagerReader(), secretArn));
  if (env[ENV.lambdaFunctionName]) {
    throw new Error(
      `${ENV.linkKeySecretArn} is not set: this function mints or verifies review links and needs the link key`,
    );
  }
  return undefined;
}
