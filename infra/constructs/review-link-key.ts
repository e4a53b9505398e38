import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import { CfnRotationSchedule, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { suppress } from '../nag.ts';
import { isChinaRegion, LINK_KEY_LENGTH, LINK_KEY_ROTATION } from '../settings.ts';
import { PipelineFunction } from './pipeline-function.ts';
import { ResourceGroup } from './resource-group.ts';

/** What the link key's rotation function may do, on that one secret, and nothing else. */
export const LINK_KEY_ROTATION_ACTIONS = [
  'secretsmanager:DescribeSecret',
  'secretsmanager:GetSecretValue',
  'secretsmanager:PutSecretValue',
  'secretsmanager:UpdateSecretVersionStage',
] as const;

/**
 * The review-link key and its rotation. Links' secrets are stored as HMAC-SHA256 under the key
 * (shared/review/desk.ts), so a copy of the table alone cannot confirm a guessed link. Generated
 * here, never in code, retained with the stack, and rotated every LINK_KEY_ROTATION.everyDays
 * days by its own function (Secrets Manager's four steps, functions/rotate-link-key.ts); earlier
 * versions keep verifying the links minted under them.
 */
export class ReviewLinkKey extends ResourceGroup {
  readonly secret: Secret;
  readonly rotation: PipelineFunction;
  readonly schedule: CfnRotationSchedule;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'ReviewLinkKey', {
      description: `Review-link key: link secrets are stored as HMAC-SHA256 under it. Rotated every ${LINK_KEY_ROTATION.everyDays} days by its rotation function (docs/security.md: The link key); earlier versions keep verifying their links.`,
      generateSecretString: {
        passwordLength: LINK_KEY_LENGTH,
        excludePunctuation: true,
        includeSpace: false,
        requireEachIncludedType: true,
      },
      // Losing it would make every link emailed so far unusable.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.rotation = this.rotationFunction();
    // The L1 resource rather than RotationSchedule: the L2 also grants secretsmanager:GetRandomPassword
    // on "*" (the function draws keys with node:crypto) and adds a resource policy to the secret.
    this.schedule = new CfnRotationSchedule(this, 'ReviewLinkKeyRotation', {
      secretId: this.secret.secretArn,
      rotationLambdaArn: this.rotation.functionArn,
      rotationRules: { automaticallyAfterDays: LINK_KEY_ROTATION.everyDays },
      // A deploy does not rotate; the schedule does, or an operator with rotate-secret.
      rotateImmediatelyOnUpdate: false,
    });
    // After the function, its role's grants and Secrets Manager's permission to invoke it.
    this.schedule.node.addDependency(this.rotation);
  }

  /**
   * The rotation function: a PipelineFunction like the stateless stack's, allowed the four
   * rotation actions on the link key only (the key is drawn with node:crypto, so no
   * GetRandomPassword), and invocable by Secrets Manager for this secret of this account only.
   */
  private rotationFunction(): PipelineFunction {
    const stack = Stack.of(this);
    const fn = new PipelineFunction(this, 'RotateLinkKeyFunction', {
      entry: LINK_KEY_ROTATION.entry,
      description: `rotateLinkKey (${LINK_KEY_ROTATION.entry})`,
      timeout: Duration.seconds(30),
      // No Lambda X-Ray in the China regions (as the stateless stack's functions).
      ...(isChinaRegion(stack.region) && { tracing: Tracing.DISABLED }),
      environment: { POWERTOOLS_SERVICE_NAME: 'rotateLinkKey' },
    });
    fn.addToRolePolicy(
      new PolicyStatement({ actions: [...LINK_KEY_ROTATION_ACTIONS], resources: [this.secret.secretArn] }),
    );
    fn.addPermission('InvokedBySecretsManager', {
      principal: new ServicePrincipal('secretsmanager.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: stack.account,
      sourceArn: this.secret.secretArn,
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
