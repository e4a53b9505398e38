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
} as const;

/** Reads a required environment variable, failing fast when the module loads. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

/** Presigned uploads expire quickly: long enough for a slow county connection, no longer. */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
/** Prefix under which evidence objects are written; the validator listens to it only. */
export const EVIDENCE_PREFIX = 'evidence/';
/** Objects that match no evidence request are moved here and kept for inspection. */
export const QUARANTINE_PREFIX = 'quarantine/';
