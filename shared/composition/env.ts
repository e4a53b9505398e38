import * as z from 'zod';
import { NOTICE_TAKEOVER_MS } from '../ladder/notice-takeover.ts';
import { REMINDER_DAYS_ENV } from '../rules/reminders.ts';

/** Names of the environment variables the handlers read; set by the CDK stack and by `npm start`. */
export const ENV = {
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  /** Set only by the local runtime: path-style S3 and checksum settings s3rver understands. */
  localS3: 'LOCAL_S3',
  /** The review ladder's state machine (handlers that start executions). */
  stateMachineArn: 'STATE_MACHINE_ARN',
  /** The From address of every email the pipeline sends (an SES verified identity). */
  senderEmail: 'SENDER_EMAIL',
  /** Base URL of the public API, for links in emails (review links). */
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /**
   * The review-link key in AWS Secrets Manager: its ARN (never its value), set by the stack on the
   * functions that mint or verify review links. The key is read at run time and cached.
   */
  linkKeySecretArn: 'LINK_KEY_SECRET_ARN',
  /** The local stand-in of that key: a JSON file in the data dir (`npm start`, tests). */
  linkKeyFile: 'LINK_KEY_FILE',
  /** How email leaves: `ses` (default) or `smtp` (regions without SES, e.g. China). */
  mailer: 'MAILER',
  /** With MAILER=smtp: the ARN of the secret holding the SMTP endpoint and credentials. */
  smtpSecretArn: 'SMTP_SECRET_ARN',
  /** The local stand-in of that secret: a JSON file in the data dir (`npm start -- --mailer smtp`). */
  smtpSettingsFile: 'SMTP_SETTINGS_FILE',
  /**
   * Sign-in (API functions): the ID tokens' issuer (the Cognito user pool, or the local issuer),
   * their audience (the app client id) and the issuer's key set. The JWT authorizer checks the
   * same issuer and audience; handlers verify tokens themselves only on routes it does not guard
   * (review links and the console, whose session is a cookie).
   */
  authIssuer: 'AUTH_ISSUER',
  authAudience: 'AUTH_AUDIENCE',
  authJwksUrl: 'AUTH_JWKS_URL',
  /**
   * The identity provider's OAuth 2.0 endpoints for the console's "sign in" button (authorization
   * code with PKCE; the client id is AUTH_AUDIENCE, a public client without a secret). Optional:
   * without them the console takes a pasted ID token only.
   */
  authAuthorizeUrl: 'AUTH_AUTHORIZE_URL',
  authTokenUrl: 'AUTH_TOKEN_URL',
  /**
   * Per-client limits (shared/platform/limits/policy.ts), JSON laid over the defaults, e.g.
   * {"objection":{"perAddress":{"limit":3,"windowSeconds":3600}}}. Optional.
   */
  rateLimits: 'RATE_LIMITS',
  /** Powertools' own: the CloudWatch namespace of the pipeline's metrics. */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  /** Set by Lambda itself: tells a deployed function from a script or a test. */
  lambdaFunctionName: 'AWS_LAMBDA_FUNCTION_NAME',
  /** Set by Lambda itself: the function's memory in MB, which sets its share of CPU. */
  lambdaMemorySize: 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  /**
   * Set only by the local runtime (never by CDK): the applicant notice's takeover window in ms,
   * scaled as the local Step Functions runtime scales the Retry intervals (local/notice-takeover.ts).
   * Unset: the product's 30 s (shared/ladder/notice-takeover.ts). See `noticeTakeoverMs`.
   */
  noticeTakeoverMs: 'NOTICE_TAKEOVER_MS',
} as const;

/** How email leaves (MAILER): SES, or SMTP where SES is not offered (the AWS China regions). */
export const MAILERS = ['ses', 'smtp'] as const;
export type MailerKind = (typeof MAILERS)[number];

/** An unset variable and an empty one mean the same: not configured. */
const setting = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());

/**
 * Every variable a handler reads, in one schema: the composition parses the environment once per
 * Lambda instance (each `wire…()` at module scope) and hands typed values to what it builds.
 * Whether a variable is required depends on the function (the stack sets only what each one
 * needs), so each is optional here and `required()` names the missing one when it is asked for.
 */
export const EnvSchema = z.object({
  ...(Object.fromEntries(Object.values(ENV).map((name) => [name, setting])) as Record<EnvName, typeof setting>),
  [REMINDER_DAYS_ENV.review]: setting,
  [REMINDER_DAYS_ENV.applicant]: setting,
  [REMINDER_DAYS_ENV.annualReport]: setting,
});

export type EnvName = (typeof ENV)[keyof typeof ENV];
export type Env = Readonly<
  Record<EnvName | (typeof REMINDER_DAYS_ENV)[keyof typeof REMINDER_DAYS_ENV], string | undefined>
>;

/** The environment, parsed: call once per module instance and pass it down. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  return EnvSchema.parse(source) as Env;
}

/** A variable this function cannot run without: fails at load, naming it. */
export function required(env: Env, name: EnvName): string {
  const value = env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

/** Whole milliseconds, never longer than the product's window (the Retry span is proven against that). */
const NoticeTakeoverSchema = z.object({
  [ENV.noticeTakeoverMs]: z.coerce.number().int().min(0).max(NOTICE_TAKEOVER_MS).default(NOTICE_TAKEOVER_MS),
});

/** The notice takeover window (NOTICE_TAKEOVER_MS): the product's 30 s unless the local runtime set it. */
export function noticeTakeoverMs(env: Env): number {
  return NoticeTakeoverSchema.parse({ [ENV.noticeTakeoverMs]: env[ENV.noticeTakeoverMs] })[ENV.noticeTakeoverMs];
}
