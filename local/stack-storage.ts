import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { type Log, StartupError } from './log.ts';
import {
  ensureBucket,
  ensureLocalExperts,
  ensureLocalReviewers,
  ensureRegisterSeed,
  ensureTable,
} from './provision.ts';
import { type DynamoDbLocal, isAlive } from './services/dynamodb.ts';
import type { S3Local } from './services/s3.ts';

/** What the local stack keeps: its data dir (one stack each) and the table and bucket in the stand-ins. */

/** The key s3rver expects; DynamoDB Local (sharedDb) and aws-ses-v2-local accept anything. */
export const LOCAL_ACCESS_KEY = 'S3RVER';

export async function provision(input: {
  dynamo: DynamoDbLocal;
  s3: S3Local;
  tableName: string;
  bucketName: string;
  region: string;
  corsOrigins: readonly string[];
  log: Log;
}): Promise<void> {
  const credentials = { accessKeyId: LOCAL_ACCESS_KEY, secretAccessKey: LOCAL_ACCESS_KEY };
  const ddb = new DynamoDBClient({ endpoint: input.dynamo.endpoint, region: input.region, credentials });
  const s3 = new S3Client({
    endpoint: input.s3.endpoint,
    region: input.region,
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    const [table, bucket] = await Promise.all([
      ensureTable(ddb, input.tableName),
      ensureBucket(s3, input.bucketName, { corsOrigins: input.corsOrigins }),
    ]);
    input.log.info(`table ${input.tableName}: ${table}; bucket ${input.bucketName}: ${bucket}`);
    const registered = await ensureLocalReviewers(ddb, input.tableName);
    if (registered > 0)
      input.log.info(`${registered} jurisdictions' reviewers registered (reviewers+<code>@clusters.localhost)`);
    const experts = await ensureLocalExperts(ddb, input.tableName);
    if (experts > 0)
      input.log.info(`${experts} experts registered for the expert panels (experts+<n>@clusters.localhost)`);
    const seeded = await ensureRegisterSeed(ddb, input.tableName);
    if (seeded > 0) input.log.info(`${seeded} recognised clusters seeded in the register (/console/register)`);
  } finally {
    ddb.destroy();
    s3.destroy();
  }
}

/** One stack per data dir: a second `npm start` on the same directory stops with a clear message. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = join(dataDir, 'local-stack.pid');
  try {
    const owner = Number.parseInt(await readFile(lockFile, 'utf8'), 10);
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new StartupError(
        `${dataDir} is in use by another local stack (pid ${owner}). Stop it, or pass another --data-dir. ` +
          `(If pid ${owner} is not a local stack, delete ${lockFile}.)`,
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await writeFile(lockFile, `${process.pid}\n`);
  return () => rm(lockFile, { force: true });
}
