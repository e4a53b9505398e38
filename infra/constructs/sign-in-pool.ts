import { Aws, Duration, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { CLAIMS } from '../../shared/platform/auth/principal.ts';
import { SIGN_IN_CALLBACK_PATH, SIGN_IN_PATH } from '../../shared/platform/http/routes.ts';
import { assertSignInDomainPrefix, signInDomainBase, type TokenIssuer } from '../settings.ts';

/** Custom attribute names as the pool declares them: the claims without Cognito's `custom:` prefix. */
export const CUSTOM_ATTRIBUTES = {
  role: CLAIMS.role.replace(/^custom:/, ''),
  jurisdiction: CLAIMS.jurisdiction.replace(/^custom:/, ''),
} as const;

/** What the console asks the hosted login for: an ID token with the user's email and profile. */
export const CONSOLE_SCOPES = [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE] as const;

export interface SignInPoolProps {
  /**
   * Prefix of the hosted login's domain, `https://<prefix>.auth.<region>.amazoncognito.com`
   * (assertSignInDomainPrefix). Prefixes are shared by all AWS accounts of a region.
   * @default `<stack name without "-Stateful", lower case>-<last 12 hex digits of the stack's id>`,
   * unique per deployed stack
   */
  readonly domainPrefix?: string;
}

/**
 * Who may sign in: officials and applicants, created by an administrator (no self sign-up), each
 * with a role and a jurisdiction that only an administrator can set, and the pool's Cognito
 * domain (the classic hosted UI: sign-in, the first password and the authenticator app). The app
 * client is not here but in the stateless stack (SignInClient): its callback URL is on the HTTP
 * API, which lives there, so a client here would make the two stacks refer to each other.
 */
export class SignInPool extends Construct {
  readonly userPool: UserPool;
  /** The hosted login's domain: a Cognito prefix domain, classic hosted UI. */
  readonly domain: UserPoolDomain;
  /** The `iss` of the pool's ID tokens. */
  readonly issuer: string;
  /** The hosted login's OAuth 2.0 endpoints (`<domain>/oauth2/authorize` and `/oauth2/token`). */
  readonly authorizeUrl: string;
  readonly tokenUrl: string;

  constructor(scope: Construct, id: string, props: SignInPoolProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    if (props.domainPrefix !== undefined) assertSignInDomainPrefix(props.domainPrefix);
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

    // A prefix domain: no certificate or DNS to manage. The classic hosted UI rather than the
    // newer managed login, which shows an error page until each client has a branding resource
    // (CfnManagedLoginBranding); the classic one works as it is, MFA setup included.
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? defaultDomainPrefix(stack) },
      managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });
    // https://<prefix>.auth.<region>.amazoncognito.com: Cognito's hosted domains use
    // amazoncognito.com in every partition that has user pools (none in China).
    const baseUrl = this.domain.baseUrl();
    this.authorizeUrl = `${baseUrl}/oauth2/authorize`;
    this.tokenUrl = `${baseUrl}/oauth2/token`;
    this.issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
  }
}

/**
 * `<stack name without "-Stateful">-<12 hex digits>`: the digits are the last group of the stack
 * id's UUID, so two deployments of the same stage (two accounts, or a stack deleted and made
 * again) do not ask for the same prefix, which Cognito shares across all accounts of a region.
 */
function defaultDomainPrefix(stack: Stack): string {
  const name = Token.isUnresolved(stack.stackName) ? 'cluster-pipeline' : stack.stackName.replace(/-stateful$/i, '');
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return Fn.join('-', [signInDomainBase(name), Fn.select(4, Fn.split('-', stackUuid))]);
}

/**
 * Who signs people in: the stateful stack's user pool (the stateless stack makes its app client,
 * SignInClient), or another OpenID Connect provider (`oidc`, as the China regions need).
 */
export type SignIn =
  { readonly pool: SignInPool; readonly oidc?: never } | { readonly oidc: TokenIssuer; readonly pool?: never };

export interface SignInClientProps {
  readonly pool: SignInPool;
  /** The console's base URL: the callback and logout URLs are under it. */
  readonly publicBaseUrl: string;
}

/**
 * The pool's one app client, for browsers and scripts (public: no secret). SRP for scripts that
 * sign in themselves; the OAuth 2.0 authorization code (PKCE, enforced by the console) for the
 * console's "sign in" button, which goes through the hosted login and comes back to
 * `<publicBaseUrl>/console/sign-in/callback`. Its ID tokens are the ones the API accepts
 * (`tokenIssuer`): one audience for the JWT authorizer and every handler, whichever way the token
 * was got. It lives in the stateless stack, beside the HTTP API whose URL it names.
 */
export class SignInClient extends Construct {
  readonly client: UserPoolClient;
  /** Issuer and audience of the client's ID tokens, and the hosted login's endpoints. */
  readonly tokenIssuer: TokenIssuer;
  readonly callbackUrl: string;
  readonly logoutUrl: string;

  constructor(scope: Construct, id: string, props: SignInClientProps) {
    super(scope, id);
    const { pool, publicBaseUrl } = props;
    this.callbackUrl = `${publicBaseUrl}${SIGN_IN_CALLBACK_PATH}`;
    this.logoutUrl = `${publicBaseUrl}${SIGN_IN_PATH}`;
    const customClaims = Object.values(CUSTOM_ATTRIBUTES);
    this.client = new UserPoolClient(this, 'Client', {
      userPool: pool.userPool,
      // Used from browsers and scripts, which cannot keep a secret.
      generateSecret: false,
      authFlows: { userSrp: true },
      // The hosted login, authorization code only: no implicit grant (tokens in the URL), no
      // client credentials (no secret). The console adds PKCE.
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [...CONSOLE_SCOPES],
        callbackUrls: [this.callbackUrl],
        logoutUrls: [this.logoutUrl],
      },
      // The pool's own users only: no social or SAML providers.
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
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
    this.tokenIssuer = {
      issuer: pool.issuer,
      audience: this.client.userPoolClientId,
      authorizeUrl: pool.authorizeUrl,
      tokenUrl: pool.tokenUrl,
    };
  }
}
