import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { CLAIMS } from '../../shared/auth/principal.ts';
import type { TokenIssuer } from '../settings.ts';

/** Custom attribute names as the pool declares them: the claims without Cognito's `custom:` prefix. */
export const CUSTOM_ATTRIBUTES = {
  role: CLAIMS.role.replace(/^custom:/, ''),
  jurisdiction: CLAIMS.jurisdiction.replace(/^custom:/, ''),
} as const;

/**
 * Who may sign in: officials and applicants, created by an administrator (no self sign-up), each
 * with a role and a jurisdiction that only an administrator can set. The API accepts the ID
 * tokens of its one app client (`tokenIssuer`).
 */
export class SignInPool extends Construct {
  readonly userPool: UserPool;
  /** The public client that browsers and scripts sign in with (SRP, no secret). */
  readonly client: UserPoolClient;
  /** Issuer and audience of the client's ID tokens. */
  readonly tokenIssuer: TokenIssuer;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      // Accounts are issued, not claimed: a role and jurisdiction decide what a person may see.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      customAttributes: {
        // Mutable so that an administrator can move someone to another role or jurisdiction.
        [CUSTOM_ATTRIBUTES.role]: new StringAttribute({ minLen: 1, maxLen: 16, mutable: true }),
        // A 6-digit GB/T 2260 code.
        [CUSTOM_ATTRIBUTES.jurisdiction]: new StringAttribute({ minLen: 6, maxLen: 6, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // An authenticator app, not SMS: no SNS role, no phone numbers, nothing to buy per message.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Threat protection (compromised credentials, risky sign-ins) needs the Plus plan.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      // It holds the people: losing it would lock every official out.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const customClaims = Object.values(CUSTOM_ATTRIBUTES);
    this.client = this.userPool.addClient('Client', {
      // Used from browsers and scripts, which cannot keep a secret.
      generateSecret: false,
      authFlows: { userSrp: true },
      // No hosted sign-in page: the console takes a pasted ID token.
      disableOAuth: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      preventUserExistenceErrors: true,
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(...customClaims),
      // Never the custom attributes: a user could otherwise call UpdateUserAttributes and make
      // themselves an operator. Nor the email, which signs in and recovers the account.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });

    const stack = Stack.of(this);
    this.tokenIssuer = {
      issuer: `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`,
      audience: this.client.userPoolClientId,
    };
  }
}
