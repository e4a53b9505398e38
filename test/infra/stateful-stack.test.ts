import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { QUARANTINE_PREFIX } from '../../shared/rules/storage.ts';
import { INDEXES, KEY_ATTRIBUTES, TABLE_KEY } from '../../shared/adapters/table.ts';
import { logicalId, onlyResource, synthPipeline, TEST_ORIGINS } from './helpers.ts';

const { stateful, statefulTemplate: template } = synthPipeline();
const bucketId = logicalId(stateful, stateful.bucket);
const tableId = logicalId(stateful, stateful.table);

describe('evidence bucket', () => {
  it('blocks all public access and enforces bucket-owner object ownership', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('is encrypted at rest (SSE-S3) and versioned', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('denies every request that is not over TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('allows browser POST uploads from exactly the configured origins', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedMethods: ['POST'], AllowedOrigins: TEST_ORIGINS })],
      },
    });
  });

  it('aborts stale multipart uploads and expires old versions and quarantined strays', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Status: 'Enabled',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            NoncurrentVersionExpiration: { NoncurrentDays: 90 },
            Prefix: Match.absent(),
          }),
          Match.objectLike({ Status: 'Enabled', ExpiredObjectDeleteMarker: true }),
          Match.objectLike({ Status: 'Enabled', Prefix: QUARANTINE_PREFIX, ExpirationInDays: 30 }),
        ]),
      },
    });
  });

  it('never expires current evidence', () => {
    const rules = template.toJSON().Resources[bucketId].Properties.LifecycleConfiguration.Rules as {
      Prefix?: string;
      ExpirationInDays?: number;
    }[];
    const expiring = rules.filter((rule) => rule.ExpirationInDays !== undefined);
    expect(expiring.map((rule) => rule.Prefix)).toEqual([QUARANTINE_PREFIX]);
  });

  it('is retained, with no hard-coded name', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ BucketName: Match.absent() }),
    });
  });

  it('has no auto-delete custom resource', () => {
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });
});

describe('table', () => {
  it('is on-demand, point-in-time recoverable and protected from deletion', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  it('is retained, with no hard-coded name', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ TableName: Match.absent() }),
    });
  });

  it('has the keys of shared/adapters/table.ts, all strings', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith(
        KEY_ATTRIBUTES.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      ),
    });
  });

  it.each(Object.values(INDEXES))('has the $indexName index with its keys, projecting all attributes', (index) => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: Match.arrayWith([
        {
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ]),
    });
  });

  it('has exactly the indexes of shared/adapters/table.ts', () => {
    const { Properties: table } = onlyResource(template, 'AWS::DynamoDB::GlobalTable');
    const names = (table.GlobalSecondaryIndexes as { IndexName: string }[]).map((i) => i.IndexName);
    expect(names.sort()).toEqual(
      Object.values(INDEXES)
        .map((i) => i.indexName)
        .sort(),
    );
  });
});

describe('evidence access logs', () => {
  const logsId = logicalId(stateful, stateful.accessLogsBucket);

  it('the evidence bucket logs every request into its own log bucket', () => {
    expect(template.toJSON().Resources[bucketId].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 'evidence-bucket/',
    });
  });

  it('the log bucket is private, encrypted, TLS only, retained, and expires logs after a year', () => {
    const logs = template.toJSON().Resources[logsId];
    expect(logs).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 365, Status: 'Enabled' })] },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: { Service: 'logging.s3.amazonaws.com' },
          }),
        ]),
      },
    });
  });
});

describe('review-link key', () => {
  const keyId = logicalId(stateful, stateful.linkKey);

  it('is a generated secret of 64 letters and digits, retained, with no hard-coded name', () => {
    expect(template.toJSON().Resources[keyId]).toMatchObject({
      Type: 'AWS::SecretsManager::Secret',
      DeletionPolicy: 'Retain',
      Properties: {
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      },
    });
    expect(template.toJSON().Resources[keyId].Properties.Name).toBeUndefined();
    expect(template.toJSON().Resources[keyId].Properties.SecretString).toBeUndefined();
  });

  it('has no resource policy: access is granted to the reading functions’ roles only', () => {
    template.resourceCountIs('AWS::SecretsManager::ResourcePolicy', 0);
  });

  it('outputs its ARN, and no SMTP secret exists unless mailer is smtp', () => {
    template.hasOutput('LinkKeySecretArn', { Value: { Ref: keyId } });
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    expect(stateful.smtpSettings).toBeUndefined();
  });
});

describe('stateful stack', () => {
  it('outputs the bucket and table names', () => {
    template.hasOutput('EvidenceBucketName', { Value: { Ref: bucketId } });
    template.hasOutput('TableName', { Value: { Ref: tableId } });
  });

  it('depends on nothing, so the stateless stack can come and go', () => {
    expect(stateful.dependencies).toEqual([]);
  });
});
