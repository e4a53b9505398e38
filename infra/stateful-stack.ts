import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import { CfnRotationSchedule, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type MailerKind } from '../shared/composition/env.ts';
import { QUARANTINE_PREFIX } from '../shared/rules/storage.ts';
import { INDEXES, TABLE_KEY } from '../shared/adapters/table.ts';
import { PipelineFunction } from './constructs/pipeline-function.ts';
import { type SignIn, SignInPool } from './constructs/sign-in-pool.ts';
import { suppress } from './nag.ts';
import {
  assertAllowedOrigins,
  assertSignInAvailable,
  assertTokenIssuer,
  isChinaRegion,
  LINK_KEY_LENGTH,
  LINK_KEY_ROTATION,
  type TokenIssuer,
} from './settings.ts';

/** What the link key's rotation function may do, on that one secret, and nothing else. */
export const LINK_KEY_ROTATION_ACTIONS = [
  'secretsmanager:DescribeSecret',
  'secretsmanager:GetSecretValue',
  'secretsmanager:PutSecretValue',
  'secretsmanager:UpdateSecretVersionStage',
] as const;

export interface StatefulStackProps extends StackProps {
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
  /** How email leaves; `smtp` adds the SmtpSettings secret. @default 'ses' */
  readonly mailer?: MailerKind;
  /**
   * Another OpenID Connect provider whose ID tokens the API accepts, instead of a Cognito user
   * pool. Required in the AWS China regions, which offer no user pools. @default a user pool
   */
  readonly oidc?: TokenIssuer;
  /**
   * Prefix of the user pool's hosted login domain (`https://<prefix>.auth.<region>.amazoncognito.com`).
   * Not with `oidc`. @default derived from the stack name, plus digits unique to the deployed stack
   */
  readonly signInDomainPrefix?: string;
}

/**
 * What must outlive any deployment: the evidence bucket, the single table and the user pool (the
 * people who sign in). All are retained when the stack is deleted, have no hard-coded physical
 * names (so a stage can be deployed twice in one account), and are handed to the stateless stack
 * by props. The review-link key's rotation function lives here too, beside its secret: the
 * rotation schedule names the function, and the stateless stack already refers to the secret, so
 * a function there would make the two stacks refer to each other.
 */
export class StatefulStack extends Stack {
  readonly bucket: Bucket;
  /** Server access logs of the evidence bucket: who read or wrote which evidence object, when. */
  readonly accessLogsBucket: Bucket;
  readonly table: TableV2;
  /**
   * The review-link key: links' secrets are stored as HMAC-SHA256 under it (shared/review/desk.ts),
   * so a copy of the table alone cannot confirm a guessed link. Generated here, never in code;
   * the functions that mint or verify links get its ARN and read it at run time.
   */
  readonly linkKey: Secret;
  /** Rotates `linkKey` (Secrets Manager's four steps, functions/rotate-link-key.ts). */
  readonly linkKeyRotation: PipelineFunction;
  /** Every LINK_KEY_ROTATION.everyDays days, with `linkKeyRotation`. */
  readonly linkKeyRotationSchedule: CfnRotationSchedule;
  /** With `mailer: 'smtp'`: the SMTP endpoint and credentials (set by the operator). */
  readonly smtpSettings?: Secret;
  /** The people who sign in and the hosted login's domain, unless another OpenID Connect provider (`oidc`) does that. */
  readonly signInPool?: SignInPool;
  /**
   * Who signs people in, for the stateless stack: the user pool (whose app client the stateless
   * stack makes, beside the API its callback URL names), or `oidc`.
   */
  readonly signIn: SignIn;
  /** The `iss` of the ID tokens the API accepts. */
  readonly tokenIssuerUrl: string;

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
    const accessLogDays = positiveDays('accessLogExpirationDays', props.accessLogExpirationDays, 365);
    assertSignInAvailable(this.region, props.oidc);
    if (props.oidc) assertTokenIssuer(props.oidc);
    if (props.oidc && props.signInDomainPrefix !== undefined) {
      throw new Error(
        'signInDomainPrefix names the Cognito user pool\'s hosted login domain: with oidcIssuer there is no user pool (leave it out, and give oidcAuthorizeUrl and oidcTokenUrl for the provider\'s own login page)',
      );
    }

    // Server access logs of the evidence bucket. S3 writes them with its logging service
    // principal (a bucket policy, cdk.json's serverAccessLogsUseBucketPolicy), and a log bucket
    // takes SSE-S3 only. They name object keys (application and evidence ids), never contents.
    this.accessLogsBucket = new Bucket(this, 'EvidenceAccessLogs', {
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
      serverAccessLogsBucket: this.accessLogsBucket,
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

    this.linkKey = new Secret(this, 'ReviewLinkKey', {
      description: `Review-link key: link secrets are stored as HMAC-SHA256 under it. Rotated every ${LINK_KEY_ROTATION.everyDays} days by its rotation function (README: Security baseline); earlier versions keep verifying their links.`,
      generateSecretString: {
        passwordLength: LINK_KEY_LENGTH,
        excludePunctuation: true,
        includeSpace: false,
        requireEachIncludedType: true,
      },
      // Losing it would make every link emailed so far unusable.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.linkKeyRotation = this.rotateLinkKey();
    // The L1 resource rather than RotationSchedule: the L2 also grants secretsmanager:GetRandomPassword
    // on "*" (the function draws keys with node:crypto) and adds a resource policy to the secret.
    this.linkKeyRotationSchedule = new CfnRotationSchedule(this, 'ReviewLinkKeyRotation', {
      secretId: this.linkKey.secretArn,
      rotationLambdaArn: this.linkKeyRotation.functionArn,
      rotationRules: { automaticallyAfterDays: LINK_KEY_ROTATION.everyDays },
      // A deploy does not rotate; the schedule does, or an operator with rotate-secret.
      rotateImmediatelyOnUpdate: false,
    });
    // After the function, its role's grants and Secrets Manager's permission to invoke it.
    this.linkKeyRotationSchedule.node.addDependency(this.linkKeyRotation);

    if ((props.mailer ?? 'ses') === 'smtp') {
      this.smtpSettings = new Secret(this, 'SmtpSettings', {
        description:
          'SMTP endpoint where SES is not offered (the AWS China regions): JSON {host, port, secure, username, password}; set the real values after the first deploy.',
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ host: 'smtp.example.gov.cn', port: 465, secure: true, username: '' }),
          generateStringKey: 'password',
          excludePunctuation: true,
        },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      suppress(this.smtpSettings, [
        {
          id: 'AwsSolutions-SMG4',
          reason:
            'SMTP credentials are issued and rotated by the mail provider, outside AWS: the operator puts the new password into this secret when the provider changes it.',
        },
      ]);
    }

    if (props.oidc) {
      this.signIn = { oidc: props.oidc };
      this.tokenIssuerUrl = props.oidc.issuer;
    } else {
      this.signInPool = new SignInPool(this, 'SignIn', {
        ...(props.signInDomainPrefix !== undefined && { domainPrefix: props.signInDomainPrefix }),
      });
      this.signIn = { pool: this.signInPool };
      this.tokenIssuerUrl = this.signInPool.issuer;
    }

    new CfnOutput(this, 'EvidenceBucketName', {
      value: this.bucket.bucketName,
      description: 'Evidence uploads (S3)',
    });
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'The single DynamoDB table',
    });
    new CfnOutput(this, 'LinkKeySecretArn', {
      value: this.linkKey.secretArn,
      description: `The review-link key (Secrets Manager), rotated every ${LINK_KEY_ROTATION.everyDays} days; rotate now with aws secretsmanager rotate-secret (README)`,
    });
    if (this.smtpSettings) {
      new CfnOutput(this, 'SmtpSettingsSecretArn', {
        value: this.smtpSettings.secretArn,
        description: 'SMTP endpoint and credentials: put the real values here',
      });
    }
    if (this.signInPool) {
      new CfnOutput(this, 'UserPoolId', {
        value: this.signInPool.userPool.userPoolId,
        description: 'The Cognito user pool: create users with aws cognito-idp admin-create-user (README)',
      });
      new CfnOutput(this, 'HostedLoginUrl', {
        value: this.signInPool.domain.baseUrl(),
        description: "The user pool's hosted login (Cognito domain, classic hosted UI); the console's sign-in button goes there",
      });
    }
    new CfnOutput(this, 'TokenIssuer', {
      value: this.tokenIssuerUrl,
      description: 'Issuer (iss) of the ID tokens the API accepts',
    });
  }

  /**
   * The link key's rotation function: a PipelineFunction like the stateless stack's, allowed the
   * four rotation actions on the link key only (the key is drawn with node:crypto, so no
   * GetRandomPassword), and invocable by Secrets Manager for this secret of this account only.
   */
  private rotateLinkKey(): PipelineFunction {
    const fn = new PipelineFunction(this, 'RotateLinkKeyFunction', {
      entry: LINK_KEY_ROTATION.entry,
      description: `rotateLinkKey (${LINK_KEY_ROTATION.entry})`,
      timeout: Duration.seconds(30),
      // No Lambda X-Ray in the China regions (as the stateless stack's functions).
      ...(isChinaRegion(this.region) && { tracing: Tracing.DISABLED }),
      environment: { POWERTOOLS_SERVICE_NAME: 'rotateLinkKey' },
    });
    fn.addToRolePolicy(
      new PolicyStatement({ actions: [...LINK_KEY_ROTATION_ACTIONS], resources: [this.linkKey.secretArn] }),
    );
    fn.addPermission('InvokedBySecretsManager', {
      principal: new ServicePrincipal('secretsmanager.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: this.account,
      sourceArn: this.linkKey.secretArn,
    });
    suppress(fn, [
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously by Secrets Manager, one rotation step at a time: a failed step fails the rotation, which Secrets Manager retries as a whole and logs (CloudTrail RotationFailed); a dead-letter queue only catches asynchronous invocations.',
      },
    ]);
    return fn;
  }
}

function positiveDays(name: string, value: number | undefined, fallback: number): number {
  const days = value ?? fallback;
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`${name} must be a whole number of days, at least 1 (got ${value})`);
  }
  return days;
}
