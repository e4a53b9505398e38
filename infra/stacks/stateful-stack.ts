import { CfnOutput, RemovalPolicy, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { type CfnRotationSchedule, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { INDEXES, TTL_ATTRIBUTE, TABLE_KEY } from '../../shared/adapters/table.ts';
import type { MailerKind } from '../../shared/composition/env.ts';
import { EvidenceStore } from '../constructs/evidence-store.ts';
import type { PipelineFunction } from '../constructs/pipeline-function.ts';
import { GroupingStack } from '../constructs/resource-group.ts';
import { ReviewLinkKey } from '../constructs/review-link-key.ts';
import { SignInFirewall } from '../constructs/sign-in-firewall.ts';
import { type SignIn, SignInPool } from '../constructs/sign-in-pool.ts';
import { suppress } from '../nag.ts';
import {
  assertAllowedOrigins,
  assertSignInAvailable,
  assertTokenIssuer,
  LINK_KEY_ROTATION,
  type TokenIssuer,
} from '../settings.ts';

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
export class StatefulStack extends GroupingStack {
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
  /** With the user pool: AWS WAF's per-address rate limit on its sign-in endpoints. */
  readonly signInFirewall?: SignInFirewall;
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
    const evidence = new EvidenceStore(this, 'Evidence', {
      allowedOrigins: props.allowedOrigins,
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays,
      quarantineExpirationDays: props.quarantineExpirationDays,
      abortIncompleteMultipartUploadDays: props.abortIncompleteMultipartUploadDays,
      accessLogExpirationDays: props.accessLogExpirationDays,
    });
    this.bucket = evidence.bucket;
    this.accessLogsBucket = evidence.accessLogs;
    assertSignInAvailable(this.region, props.oidc);
    if (props.oidc) assertTokenIssuer(props.oidc);
    if (props.oidc && props.signInDomainPrefix !== undefined) {
      throw new Error(
        "signInDomainPrefix names the Cognito user pool's hosted login domain: with oidcIssuer there is no user pool (leave it out, and give oidcAuthorizeUrl and oidcTokenUrl for the provider's own login page)",
      );
    }

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
      // The per-client rate counters expire (shared/adapters/dynamo-rate-counter.ts).
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const linkKey = new ReviewLinkKey(this, 'LinkKey');
    this.linkKey = linkKey.secret;
    this.linkKeyRotation = linkKey.rotation;
    this.linkKeyRotationSchedule = linkKey.schedule;

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
      // WAF can protect the user pool (not the HTTP API): a per-address rate limit on signing in.
      this.signInFirewall = new SignInFirewall(this, 'SignInFirewall', { userPool: this.signInPool.userPool });
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
        description:
          "The user pool's hosted login (Cognito domain, classic hosted UI); the console's sign-in button goes there",
      });
    }
    new CfnOutput(this, 'TokenIssuer', {
      value: this.tokenIssuerUrl,
      description: 'Issuer (iss) of the ID tokens the API accepts',
    });
  }
}
