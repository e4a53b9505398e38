import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/**
 * AWS WAF where it can attach: the Cognito user pool (its hosted login and token endpoints). The
 * HTTP API (API Gateway v2) cannot carry a web ACL at all; the per-client limits in the handlers
 * (shared/platform/limits/) guard its public routes instead, and docs/security.md sets out the
 * options for putting WAF in front of the API (CloudFront, a REST API, an ALB), the China regions
 * included.
 *
 * One rate-based rule: a source address over `limitPer5Minutes` requests in any 5 minutes is
 * blocked (429 from WAF) until its rate falls. Sampled requests and metrics stay on; the ACL's
 * default is to allow.
 */
export interface SignInFirewallProps {
  readonly userPool: IUserPool;
  /** Requests per source address in a 5-minute window before WAF blocks it. @default 300 */
  readonly limitPer5Minutes?: number;
}

export const SIGN_IN_RATE_RULE = 'SignInRatePerAddress';

export class SignInFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: SignInFirewallProps) {
    super(scope, id);
    const limit = props.limitPer5Minutes ?? 300;
    if (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000) {
      throw new Error(`limitPer5Minutes must be an integer from 10 to 2,000,000,000 (WAF's range), not ${limit}`);
    }
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      description: 'Per-address rate limit on the sign-in endpoints of the Cognito user pool',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('SignInFirewall'),
      rules: [
        {
          name: SIGN_IN_RATE_RULE,
          priority: 0,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: { aggregateKeyType: 'IP', limit, evaluationWindowSec: 300 },
          },
          visibilityConfig: visibility(SIGN_IN_RATE_RULE),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'UserPoolAssociation', {
      resourceArn: props.userPool.userPoolArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
