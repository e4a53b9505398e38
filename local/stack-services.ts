import { join } from 'node:path';
import type { MailerKind } from '../shared/composition/env.ts';
import { makeLog } from './log.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from './services/dynamodb.ts';
import { type S3Local, startS3Local } from './services/s3.ts';
import { type SesLocal, startSesLocal } from './services/ses.ts';
import { type SmtpLocal, startSmtpLocal } from './services/smtp.ts';

/**
 * The stand-ins for the AWS services the handlers call: DynamoDB Local, s3rver, aws-ses-v2-local,
 * and the SMTP server when the handlers are to send by SMTP. Apart from the wiring of the
 * functions: what starts a service changes with the service, not with the pipeline.
 */

/** What stops something the stack started (run in reverse order at stop). */
export type Cleanup = () => Promise<void>;

export interface StandIns {
  dynamo: DynamoDbLocal;
  s3: S3Local;
  ses: SesLocal;
  /** With `mailer: 'smtp'`. */
  smtp?: SmtpLocal;
}

/**
 * Starts the three stand-ins together, then the SMTP one if asked; each started one's stop is
 * pushed on `cleanups` as soon as it runs, so a failure of another stops it too.
 */
export async function startStandIns(
  input: {
    dataDir: string;
    dynamoPort: number;
    s3Port?: number;
    sesPort?: number;
    region: string;
    mailer: MailerKind;
    smtpPort?: number;
    smtpInboxPort?: number;
    quiet: boolean;
  },
  cleanups: Cleanup[],
): Promise<StandIns> {
  const { dataDir, quiet } = input;
  const started = await Promise.allSettled([
    startDynamoDbLocal({
      dbPath: join(dataDir, 'dynamodb'),
      port: input.dynamoPort,
      log: makeLog('dynamodb', quiet),
    }),
    startS3Local({
      directory: join(dataDir, 's3'),
      port: input.s3Port ?? 0,
      region: input.region,
      log: makeLog('s3', quiet),
    }),
    startSesLocal({
      port: input.sesPort ?? 0,
      storeFile: join(dataDir, 'ses', 'emails.jsonl'),
      log: makeLog('ses', quiet),
    }),
  ]);
  for (const outcome of started) if (outcome.status === 'fulfilled') cleanups.push(() => outcome.value.stop());
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  const [dynamo, s3, ses] = started.map((o) => (o as PromiseFulfilledResult<unknown>).value) as [
    DynamoDbLocal,
    S3Local,
    SesLocal,
  ];
  let smtp: SmtpLocal | undefined;
  if (input.mailer === 'smtp') {
    smtp = await startSmtpLocal({
      directory: join(dataDir, 'smtp'),
      port: input.smtpPort ?? 0,
      inboxPort: input.smtpInboxPort ?? 0,
      log: makeLog('smtp', quiet),
    });
    const running = smtp;
    cleanups.push(() => running.stop());
  }
  return { dynamo, s3, ses, ...(smtp && { smtp }) };
}
