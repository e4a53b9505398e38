import { SesMailer } from '../adapters/ses-mailer.ts';
import { fileSmtpSettings, SmtpMailer, secretsManagerSmtpSettings } from '../adapters/smtp-mailer.ts';
import type { Mailer } from '../ports/core.ts';
import { secretsManagerReader } from '../adapters/secrets-manager.ts';
import { makeSesClient } from './clients.ts';
import { ENV, type Env, MAILERS, required } from './env.ts';

/**
 * The mailer, for the wirings that mail only (review, ladder, operations): a module of its own so
 * a function that never mails (campaigns, exports…) carries neither SES nor nodemailer. The SMTP
 * adapter is imported statically, not with import(): a dynamic import makes esbuild wrap that
 * module and everything it imports (metrics, ports) in lazy initialisers, whose calls then keep
 * every importer of those modules — the SES mailer among them — in every bundle.
 */

/**
 * SMTP where SES is not offered: the endpoint and login from SMTP_SECRET_ARN (Secrets Manager) or,
 * locally, SMTP_SETTINGS_FILE, read on the first email (the adapter caches them).
 */
function smtpMailer(env: Env, from: string): Mailer {
  const file = env[ENV.smtpSettingsFile];
  const secretArn = env[ENV.smtpSecretArn];
  if (!file && !secretArn) {
    throw new Error(`${ENV.mailer}=smtp needs ${ENV.smtpSecretArn} (or, locally, ${ENV.smtpSettingsFile})`);
  }
  const settings = file ? fileSmtpSettings(file) : secretsManagerSmtpSettings(secretsManagerReader(), secretArn ?? '');
  return new SmtpMailer({ from, settings });
}

/** SES from SENDER_EMAIL (endpoint from AWS_ENDPOINT_URL_SESV2 locally), or what MAILER names. */
export function mailer(env: Env): Mailer {
  const sender = required(env, ENV.senderEmail);
  const kind = env[ENV.mailer] || 'ses';
  if (kind === 'smtp') return smtpMailer(env, sender);
  if (kind !== 'ses') throw new Error(`${ENV.mailer}=${kind}: expected one of ${MAILERS.join(', ')}`);
  return new SesMailer(makeSesClient(), sender);
}
