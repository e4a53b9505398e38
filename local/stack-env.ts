import { ensureLocalLinkKeyFile } from '../shared/adapters/link-keys.ts';
import { ENV, type MailerKind } from '../shared/composition/env.ts';
import type { StandIns } from './stack-services.ts';
import { LOCAL_ACCESS_KEY } from './stack-storage.ts';

/** The process environment the handlers read: what it holds, set at start, restored on stop. */

/** Variables that would point the handlers elsewhere than the stand-ins. */
const UNSET_ENV = ['AWS_SESSION_TOKEN', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'];

/** Sets variables (and unsets those that would redirect the SDK); returns the undo. */
export function setProcessEnv(env: Record<string, string>): () => Promise<void> {
  const saved = new Map<string, string | undefined>();
  for (const name of [...Object.keys(env), ...UNSET_ENV]) saved.set(name, process.env[name]);
  for (const name of UNSET_ENV) delete process.env[name];
  Object.assign(process.env, env);
  return async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/**
 * The handlers' variables pointing them at the stand-ins (makes the review-link key file at the
 * first start). The Step Functions endpoint, the state machines' ARNs and the sign-in's
 * variables are added as each is known.
 */
export async function handlerEnv(input: {
  tableName: string;
  bucketName: string;
  region: string;
  standIns: StandIns;
  senderEmail: string;
  publicBaseUrl: string;
  mailer: MailerKind;
  dataDir: string;
}): Promise<Record<string, string>> {
  const { region, standIns } = input;
  const { dynamo, s3, ses, smtp } = standIns;
  return {
    [ENV.tableName]: input.tableName,
    [ENV.bucketName]: input.bucketName,
    [ENV.localS3]: '1',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: LOCAL_ACCESS_KEY,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    AWS_ENDPOINT_URL_SES: ses.endpoint,
    // Emails go to the local SES inbox; their links come back to this API.
    [ENV.senderEmail]: input.senderEmail,
    [ENV.publicBaseUrl]: input.publicBaseUrl,
    // The review-link key's local stand-in (Secrets Manager in AWS): random, made at first start.
    [ENV.linkKeyFile]: await ensureLocalLinkKeyFile(input.dataDir),
    // No CloudWatch here: metrics (EMF lines on stdout) only when asked for.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    // SES unless asked: then the SMTP stand-in, its settings in a file as the secret holds them in AWS.
    [ENV.mailer]: input.mailer,
    ...(smtp && { [ENV.smtpSettingsFile]: smtp.settingsFile }),
  };
}
