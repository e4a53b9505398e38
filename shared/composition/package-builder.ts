import { DynamoLevelDocuments } from '../adapters/dynamo-level-documents.ts';
import { DynamoListings } from '../adapters/dynamo-listings.ts';
import { DynamoPackages } from '../adapters/dynamo-packages.ts';
import { DynamoReviews } from '../adapters/dynamo-reviews/store.ts';
import { DynamoTallies } from '../adapters/dynamo-tallies.ts';
import { S3EvidenceObjects } from '../adapters/s3-evidence-objects.ts';
import { S3PackageArchives } from '../adapters/s3-package-archives.ts';
import { SummaryExports } from '../operations/exports/summary.ts';
import type { BuilderDeps } from '../package/builder.ts';
import type { LevelDocuments } from '../ports/steps.ts';
import { makeS3Client } from './clients.ts';
import { systemClock } from './clock.ts';
import { campaignCatalog, records, tableAccess } from './core.ts';
import { ENV, type Env, readEnv, required } from './env.ts';

/** The package builder: reads what it packs (Query only), streams the ZIP, records the outcome. */
export function wirePackageBuilder(
  log: BuilderDeps['log'],
  env: Env = readEnv(),
  /** The levels' own documents (their formal letters); the level-documents store unless given. */
  letters?: LevelDocuments,
): BuilderDeps {
  const table = tableAccess(env);
  const { documents, table: name } = table;
  const s3 = makeS3Client(env);
  const bucket = required(env, ENV.bucketName);
  const campaigns = campaignCatalog(table);
  const listings = new DynamoListings(documents, name);
  const reviews = new DynamoReviews(documents, name);
  const summaries = new SummaryExports({
    campaigns,
    listings,
    reviews,
    tallies: new DynamoTallies(documents, name),
    clock: systemClock,
  });
  const evidence = records(table);
  return {
    store: new DynamoPackages(documents, name),
    sources: {
      campaign: (id) => campaigns.get(id),
      applicationsOf: (code, campaignId) => listings.applicationsOf(code, campaignId),
      scored: (code, campaignId) => reviews.listScored(code, campaignId),
      evidenceOf: (applicationId) => evidence.listEvidence(applicationId),
      summaryXlsx: async (request, principal) => {
        const file = await summaries.file({ ...request, file: 'summary.xlsx' }, principal);
        return { fileName: file.fileName, body: typeof file.body === 'string' ? Buffer.from(file.body) : file.body };
      },
      levelDocuments: letters ?? new DynamoLevelDocuments(documents, name),
      objects: new S3EvidenceObjects(s3, bucket),
    },
    archives: new S3PackageArchives(s3, bucket),
    clock: systemClock,
    ...(log && { log }),
  };
}
