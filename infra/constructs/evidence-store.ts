import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { QUARANTINE_PREFIX } from '../../shared/rules/storage.ts';
import { ResourceGroup } from './resource-group.ts';

export interface EvidenceStoreProps {
  /** Browser origins allowed to POST evidence uploads (exact origins, no wildcards). */
  readonly allowedOrigins: readonly string[];
  /** Days before a replaced or deleted evidence version is removed for good. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days a quarantined upload is kept for inspection. @default 30 */
  readonly quarantineExpirationDays?: number;
  /** Days before parts of an unfinished multipart upload are removed. @default 1 */
  readonly abortIncompleteMultipartUploadDays?: number;
  /** Days the evidence bucket's server access logs are kept. @default 365 */
  readonly accessLogExpirationDays?: number;
}

/**
 * The evidence bucket (versioned, private, TLS only, uploads by presigned POST from the allowed
 * origins, strays expired from quarantine/) and its server access logs. Both retained with the
 * stack; no physical names, so a stage can be deployed twice in one account.
 */
export class EvidenceStore extends ResourceGroup {
  readonly bucket: Bucket;
  /** Server access logs of the evidence bucket: who read or wrote which evidence object, when. */
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: EvidenceStoreProps) {
    super(scope, id);
    const noncurrentDays = positiveDays('noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays, 90);
    const quarantineDays = positiveDays('quarantineExpirationDays', props.quarantineExpirationDays, 30);
    const multipartDays = positiveDays(
      'abortIncompleteMultipartUploadDays',
      props.abortIncompleteMultipartUploadDays,
      1,
    );
    const accessLogDays = positiveDays('accessLogExpirationDays', props.accessLogExpirationDays, 365);

    // Server access logs of the evidence bucket. S3 writes them with its logging service
    // principal (a bucket policy, cdk.json's serverAccessLogsUseBucketPolicy), and a log bucket
    // takes SSE-S3 only. They name object keys (application and evidence ids), never contents.
    this.accessLogs = new Bucket(this, 'EvidenceAccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(accessLogDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new Bucket(this, 'EvidenceBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // SSE-S3: presigned POST uploads need no KMS permissions for the presigning role, and the
      // grants in PipelineFunction.bindBucket stay object-only. Switch to KMS only together with
      // kms:GenerateDataKey / kms:Decrypt grants there.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'evidence-bucket/',
      // Evidence is proof in a public recognition procedure: an overwrite or delete must leave
      // the earlier bytes recoverable for a while.
      versioned: true,
      cors: [
        {
          // Browsers upload with the presigned POST form; nothing else runs cross-origin.
          allowedMethods: [HttpMethods.POST],
          allowedOrigins: [...props.allowedOrigins],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag', 'Location'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'housekeeping',
          // Presigned POST uploads are single requests, but any multipart upload that fails
          // midway leaves invisible billed parts behind: clear them.
          abortIncompleteMultipartUploadAfter: Duration.days(multipartDays),
          // Versioning keeps every replaced or deleted version; keep them long enough to undo a
          // mistake or answer a dispute, then let them go. Current evidence is never expired here.
          noncurrentVersionExpiration: Duration.days(noncurrentDays),
        },
        {
          id: 'expired-delete-markers',
          // Once the old versions are gone, the lone delete markers are clutter.
          expiredObjectDeleteMarker: true,
        },
        {
          id: 'quarantine',
          // Strays (uploads that match no evidence request: abandoned, duplicated, wrong type or
          // hostile) are moved under quarantine/ so an operator can look at them. They are not
          // evidence of any application and may hold personal data nobody asked for, so they are
          // kept only for an inspection window. With versioning the expiry adds a delete marker;
          // the bytes follow after noncurrentVersionExpiration.
          prefix: QUARANTINE_PREFIX,
          expiration: Duration.days(quarantineDays),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

function positiveDays(name: string, value: number | undefined, fallback: number): number {
  const days = value ?? fallback;
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`${name} must be a whole number of days, at least 1 (got ${value})`);
  }
  return days;
}
