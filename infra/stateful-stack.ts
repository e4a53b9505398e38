import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { QUARANTINE_PREFIX } from '../shared/config.ts';
import { INDEXES, TABLE_KEY } from '../shared/table.ts';
import { assertAllowedOrigins } from './settings.ts';

export interface StatefulStackProps extends StackProps {
  /** Browser origins allowed to POST evidence uploads (exact origins, no wildcards). */
  readonly allowedOrigins: readonly string[];
  /** Days before a replaced or deleted evidence version is removed for good. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days a quarantined upload is kept for inspection. @default 30 */
  readonly quarantineExpirationDays?: number;
  /** Days before parts of an unfinished multipart upload are removed. @default 1 */
  readonly abortIncompleteMultipartUploadDays?: number;
}

/**
 * What must outlive any deployment: the evidence bucket and the single table. Both are retained
 * when the stack is deleted, have no hard-coded physical names (so a stage can be deployed twice
 * in one account), and are handed to the stateless stack by props.
 */
export class StatefulStack extends Stack {
  readonly bucket: Bucket;
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    assertAllowedOrigins(props.allowedOrigins);
    const noncurrentDays = positiveDays(
      'noncurrentVersionExpirationDays',
      props.noncurrentVersionExpirationDays,
      90,
    );
    const quarantineDays = positiveDays('quarantineExpirationDays', props.quarantineExpirationDays, 30);
    const multipartDays = positiveDays(
      'abortIncompleteMultipartUploadDays',
      props.abortIncompleteMultipartUploadDays,
      1,
    );

    this.bucket = new Bucket(this, 'EvidenceBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // SSE-S3: presigned POST uploads need no KMS permissions for the presigning role, and the
      // grants in PipelineFunction.bindBucket stay object-only. Switch to KMS only together with
      // kms:GenerateDataKey / kms:Decrypt grants there.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
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

    const stringKey = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new TableV2(this, 'Table', {
      partitionKey: stringKey(TABLE_KEY.partitionKey),
      sortKey: stringKey(TABLE_KEY.sortKey),
      globalSecondaryIndexes: Object.values(INDEXES).map((index) => ({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: ProjectionType.ALL,
      })),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    new CfnOutput(this, 'EvidenceBucketName', {
      value: this.bucket.bucketName,
      description: 'Evidence uploads (S3)',
    });
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'The single DynamoDB table',
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
