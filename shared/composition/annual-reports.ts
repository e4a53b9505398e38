import { randomUUID } from 'node:crypto';
import { DynamoAnnualReports } from '../adapters/dynamo-annual-reports.ts';
import { DynamoRegister } from '../adapters/dynamo-register.ts';
import { S3AnnualReportObjects } from '../adapters/s3-annual-report-objects.ts';
import { S3UploadSigner } from '../adapters/s3-upload-signer.ts';
import { AnnualReportDesk } from '../annual-report/desk.ts';
import { reminderRulesFromEnv } from '../rules/reminders.ts';
import { makeS3Client } from './clients.ts';
import { systemClock } from './clock.ts';
import { tableAccess } from './core.ts';
import { ENV, type Env, readEnv, required } from './env.ts';

/**
 * The annual-reports function (shared/annual-report/): the register (read), the reports' items,
 * the upload signer, the removed uploads' deletes. The cycle's due day and thresholds are the reminder rules' (one setting).
 */
export function wireAnnualReports(env: Env = readEnv()) {
  const table = tableAccess(env);
  const s3 = makeS3Client(env);
  const bucket = required(env, ENV.bucketName);
  const uploads = new S3UploadSigner(s3, bucket);
  const desk = new AnnualReportDesk({
    register: new DynamoRegister(table.documents, table.table),
    store: new DynamoAnnualReports(table.documents, table.table),
    uploads,
    objects: new S3AnnualReportObjects(s3, bucket),
    rules: reminderRulesFromEnv(env).annualReport,
    clock: systemClock,
    newId: randomUUID,
  });
  return { desk, uploads, clock: systemClock };
}
