import { App } from 'aws-cdk-lib';
import { applySecurityChecks } from './nag.ts';
import { definePipeline } from './pipeline.ts';
import { contextText, DEFAULT_STAGE, parseAllowedOrigins, parseMailer, parseTokenIssuer } from './settings.ts';

/**
 * The CDK app (cdk.json runs it with tsx). Context, from cdk.json or `-c`:
 *   stage           e.g. `-c stage=prod` (default dev); stacks are ClusterPipeline-<stage>-Stateful
 *                   and ClusterPipeline-<stage>-Stateless
 *   allowedOrigins  browser origins for the API and evidence uploads: a JSON array in cdk.json, or
 *                   `-c allowedOrigins=https://a.example,https://b.example` (a JSON array string works too)
 *   senderEmail     From address of every email, an SES verified identity (default
 *                   no-reply@clusters.example.gov.cn: set it before deploying)
 *   publicBaseUrl   prefix of the links in emails, e.g. https://clusters.example.gov.cn (default: the
 *                   HTTP API's own endpoint)
 *   alarmEmail      optional address subscribed to the alarm topic (SNS asks it to confirm first);
 *                   without it, subscribe to the topic (output AlarmTopicArn) yourself
 *   region          optional, e.g. `-c region=cn-north-1`: bind the stacks to a region so that
 *                   region-specific choices apply (China: no SES, no Lambda X-Ray); the account
 *                   comes from the credentials (CDK_DEFAULT_ACCOUNT). Default: environment-agnostic
 *   mailer          `ses` or `smtp` (default: smtp in the China regions, ses elsewhere); smtp
 *                   grants no SES permission and adds the SmtpSettings secret
 *   oidcIssuer      with oidcAudience: sign in with this OpenID Connect provider instead of a Cognito
 *                   user pool (then none is made), e.g. `-c oidcIssuer=https://sso.example.gov.cn/realms/clusters`:
 *                   the ID tokens' `iss` exactly, https, no trailing slash. Required in the China
 *                   regions, which offer no user pools
 *   oidcAudience    the client id the provider issues the ID tokens to (their `aud`)
 *   oidcJwksUrl     optional: the provider's signing keys (its discovery document's jwks_uri), for
 *                   the handlers that verify tokens themselves. Default <oidcIssuer>/.well-known/jwks.json
 *   oidcAuthorizeUrl, oidcTokenUrl
 *                   optional, together: the provider's OAuth 2.0 authorization and token endpoints
 *                   (its discovery document's authorization_endpoint and token_endpoint), for the
 *                   console's "sign in" button (code + PKCE, client id oidcAudience, redirect URI
 *                   <publicBaseUrl>/console/sign-in/callback). Without them the console takes a
 *                   pasted ID token only
 *   signInDomainPrefix
 *                   with the Cognito user pool: the prefix of its hosted login,
 *                   https://<prefix>.auth.<region>.amazoncognito.com (lower-case letters, digits, "-";
 *                   no aws/amazon/cognito). Default clusterpipeline-<stage>-<12 hex digits of the
 *                   stateful stack's id>
 *
 * The security checks (cdk-nag AwsSolutions and Serverless packs) run on every synth: an
 * unsuppressed finding fails it (infra/nag.ts).
 */
const app = new App();
const region = optionalContext(app, 'region');
definePipeline(app, {
  stage: String(app.node.tryGetContext('stage') ?? DEFAULT_STAGE),
  allowedOrigins: parseAllowedOrigins(app.node.tryGetContext('allowedOrigins')),
  senderEmail: optionalContext(app, 'senderEmail'),
  publicBaseUrl: optionalContext(app, 'publicBaseUrl'),
  alarmEmail: optionalContext(app, 'alarmEmail'),
  mailer: parseMailer(app.node.tryGetContext('mailer')),
  oidc: parseTokenIssuer({
    issuer: optionalContext(app, 'oidcIssuer'),
    audience: optionalContext(app, 'oidcAudience'),
    jwksUrl: optionalContext(app, 'oidcJwksUrl'),
    authorizeUrl: optionalContext(app, 'oidcAuthorizeUrl'),
    tokenUrl: optionalContext(app, 'oidcTokenUrl'),
  }),
  signInDomainPrefix: optionalContext(app, 'signInDomainPrefix'),
  ...(region !== undefined && { env: { region, account: process.env.CDK_DEFAULT_ACCOUNT } }),
});
applySecurityChecks(app);

function optionalContext(scope: App, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  return value === undefined || value === null || value === '' ? undefined : contextText(value).trim();
}
