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
} as const;

/** How email leaves (MAILER): SES, or SMTP where SES is not offered (the AWS China regions). */
export const MAILERS = ['ses', 'smtp'] as const;
export type MailerKind = (typeof MAILERS)[number];

/** Reads a required environment variable, failing fast when the module loads. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}
