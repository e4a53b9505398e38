/**
 * Email over SMTP, where SES is not offered (the AWS China regions): nodemailer against the
 * provider's submission server, TLS always (implicit TLS on 465, else STARTTLS required: never a
 * plaintext fallback), TLS 1.2 at least, certificates checked. The endpoint and the login come
 * from a secret (SMTP_SECRET_ARN in AWS, a file under the data dir locally), parsed with zod and
 * cached for a few minutes; a refused login drops the cache, so the password an operator puts
 * into the secret is read at the next attempt (a redrive).
 *
 * Transient failures (no connection, a timeout, a 4xx answer) are retried a bounded number of
 * times within one invocation; permanent ones (a 5xx answer, the login refused, no TLS) are not.
 * Every attempt at one email carries the same Message-ID, derived from what the email is for
 * (`Email.purpose`), so a server that did take a copy before the answer was lost sees the
 * retry as the same message.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import * as z from 'zod';
import { emitMetric, METRIC } from '../platform/metrics.ts';
import { type Email, MAIL_ERRORS, type Mailer } from '../ports/core.ts';
import type { SecretValueReader } from './link-keys.ts';

/**
 * The secret's JSON. `secure`: TLS from the first byte (port 465); otherwise STARTTLS, which the
 * server must offer. `ca`: a certificate authority to trust besides the system's (a private
 * relay; the local stand-in's own certificate). `user` is read as `username`.
 */
export const SmtpSettingsSchema = z.preprocess(
  (value) =>
    typeof value === 'object' && value !== null && !('username' in value) && 'user' in value
      ? { ...value, username: value.user }
      : value,
  z
    .object({
      host: z.string().trim().min(1),
      port: z.coerce.number().int().min(1).max(65_535),
      secure: z.boolean().optional(),
      username: z.string().min(1),
      password: z.string().min(1),
      ca: z.string().min(1).optional(),
      /** The name on the server's certificate, when `host` is an address. */
      servername: z.string().min(1).optional(),
    })
    .transform((settings) => ({ ...settings, secure: settings.secure ?? settings.port === 465 })),
);
export type SmtpSettings = z.output<typeof SmtpSettingsSchema>;

/** Where the secret's JSON comes from. */
export type SmtpSettingsSource = () => Promise<string>;

/** The secret in AWS Secrets Manager (its current version). */
export const secretsManagerSmtpSettings =
  (read: SecretValueReader, secretId: string): SmtpSettingsSource =>
  async () => {
    const { SecretString } = await read({ SecretId: secretId });
    if (!SecretString) throw new Error(`${secretId}: the SMTP settings secret has no string value`);
    return SecretString;
  };

/** The local stand-in: a JSON file (SMTP_SETTINGS_FILE, written by `npm start`). */
export const fileSmtpSettings =
  (path: string): SmtpSettingsSource =>
  () =>
    readFile(path, 'utf8');

/** The part of a nodemailer transport the mailer uses (a fake in unit tests). */
export interface SmtpTransport {
  sendMail(message: SMTPTransport.MailOptions): Promise<{ messageId: string }>;
  close(): void;
}

export type TransportFactory = (options: SMTPTransport.Options) => SmtpTransport;

const nodemailerTransport: TransportFactory = (options) => nodemailer.createTransport(options);

export interface SmtpMailerOptions {
  /** The From address. */
  from: string;
  settings: SmtpSettingsSource;
  transport?: TransportFactory;
  /** Attempts per email within one invocation. @default 3 */
  attempts?: number;
  /** Pause before each retry. @default [300, 1200] */
  retryDelaysMs?: readonly number[];
  /** How long settings read are trusted. @default 5 minutes */
  settingsCacheMs?: number;
  /** @default 5 s to connect, 5 s for the greeting, 10 s of socket silence */
  timeouts?: { connectionMs: number; greetingMs: number; socketMs: number };
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The mailer's verdict on a failed attempt. */
export type FailureKind = 'transient' | 'permanent';

/** nodemailer's error codes that mean "could not reach or keep the server": worth another try. */
const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * Transient: a 4xx answer ("try later", including a temporary login failure, 454), or no
 * connection, a timeout, a dropped socket. Permanent: a 5xx answer (the login refused with 535,
 * a recipient refused with 550…), TLS not offered or not trusted, anything else.
 */
export function classifySmtpFailure(error: unknown): FailureKind {
  const { responseCode, code, originalCode } = (error ?? {}) as {
    responseCode?: unknown;
    code?: unknown;
    originalCode?: unknown;
  };
  if (typeof responseCode === 'number') return responseCode >= 400 && responseCode < 500 ? 'transient' : 'permanent';
  // A certificate that is not trusted, expired or for another name comes as a socket error.
  if (typeof originalCode === 'string' && /CERT|TLS|SSL/.test(originalCode)) return 'permanent';
  return typeof code === 'string' && TRANSIENT_CODES.has(code) ? 'transient' : 'permanent';
}

/** The error a send gives up with: Mail.Refused or Mail.Unavailable (shared/ports/core.ts). */
export class MailDeliveryError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly attempts: number,
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = kind === 'permanent' ? MAIL_ERRORS.refused : MAIL_ERRORS.unavailable;
  }
}

/**
 * The Message-ID of an email: a hash of what it is for, at the sender's domain; the same for
 * every attempt. Without a purpose, a random one, still the same for this send's retries.
 */
export function messageIdFor(from: string, purpose: string | undefined): string {
  const domain = from.slice(from.lastIndexOf('@') + 1) || 'localhost';
  const local = purpose
    ? createHash('sha256').update(`cluster-pipeline/${purpose}`).digest('hex').slice(0, 40)
    : randomUUID();
  return `<${local}@${domain}>`;
}

export class SmtpMailer implements Mailer {
  private readonly transport: TransportFactory;
  private readonly attempts: number;
  private readonly delays: readonly number[];
  private readonly cacheMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private cached: { settings: SmtpSettings; until: number } | undefined;

  constructor(private readonly options: SmtpMailerOptions) {
    this.transport = options.transport ?? nodemailerTransport;
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.delays = options.retryDelaysMs ?? [300, 1200];
    this.cacheMs = options.settingsCacheMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async send(email: Email): Promise<{ messageId: string }> {
    const messageId = messageIdFor(this.options.from, email.purpose);
    const message: SMTPTransport.MailOptions = {
      from: this.options.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      ...(email.html !== undefined && { html: email.html }),
      messageId,
      // Nothing in an email may make the mailer read a file or fetch a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
    };
    for (let attempt = 1; ; attempt++) {
      const settings = await this.settings();
      const transport = this.transport(transportOptions(settings, this.options.timeouts));
      try {
        await transport.sendMail(message);
        // Counted once the server has taken the email; emitted at once, and never throws.
        emitMetric(METRIC.emailsSent);
        return { messageId: messageId.slice(1, -1) };
      } catch (error) {
        const kind = classifySmtpFailure(error);
        const { responseCode, code } = error as { responseCode?: number; code?: string };
        // A refused login may be a password changed at the provider: read the secret again next time.
        if (kind === 'permanent' || code === 'EAUTH') this.cached = undefined;
        const detail = `${code ?? (error as Error).name}${responseCode ? ` ${responseCode}` : ''}: ${(error as Error).message}`;
        if (kind === 'permanent' || attempt >= this.attempts) {
          throw new MailDeliveryError(
            kind,
            `SMTP ${settings.host}:${settings.port} ${kind === 'permanent' ? 'refused the email' : 'unavailable'} after ${attempt} attempt(s) (${detail})`,
            attempt,
            responseCode,
          );
        }
        console.warn(
          JSON.stringify({ level: 'WARN', message: 'SMTP send failed; retrying', attempt, messageId, error: detail }),
        );
        await this.sleep(this.delays[Math.min(attempt - 1, this.delays.length - 1)] ?? 0);
      } finally {
        transport.close();
      }
    }
  }

  private async settings(): Promise<SmtpSettings> {
    if (this.cached && this.cached.until > this.now()) return this.cached.settings;
    const text = await this.options.settings();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error('the SMTP settings are not JSON (expected {"host", "port", "username", "password"})');
    }
    const parsed = SmtpSettingsSchema.safeParse(json);
    if (!parsed.success) {
      // Field names only: a value could be the password.
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)');
      throw new Error(`the SMTP settings are invalid: ${[...new Set(fields)].join(', ')}`);
    }
    this.cached = { settings: parsed.data, until: this.now() + this.cacheMs };
    return parsed.data;
  }
}

/** TLS always: implicit, or STARTTLS required; TLS 1.2 at least; the certificate checked. */
export function transportOptions(
  settings: SmtpSettings,
  timeouts: SmtpMailerOptions['timeouts'] = { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 },
): SMTPTransport.Options {
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: !settings.secure,
    ignoreTLS: false,
    auth: { user: settings.username, pass: settings.password },
    tls: {
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      ...(settings.ca !== undefined && { ca: settings.ca }),
      ...(settings.servername !== undefined && { servername: settings.servername }),
    },
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
