import { Duration, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/composition/env.ts';
import type { ApiFunctionName } from '../../shared/platform/functions.ts';
import { accessOf, ROUTES, type RouteAccess } from '../../shared/platform/http/routes.ts';
import { suppress } from '../nag.ts';
import { jwksUrlOf, type TokenIssuer } from '../settings.ts';
import type { PipelineFunction } from './pipeline-function.ts';
import { mapValues, pascal } from './records.ts';
import { ResourceGroup } from './resource-group.ts';
import { type SignIn, SignInClient } from './sign-in-pool.ts';

/**
 * Why a route without the JWT authorizer is still guarded (cdk-nag AwsSolutions-APIG4): what the
 * handler checks instead.
 */
const UNAUTHORIZED_ROUTE_REASONS: Record<Exclude<RouteAccess, 'token'>, string> = {
  link: "Review link: reviewers follow it from an email, with no token; the emailed single-use secret (?t=) is the credential, checked by the reviews handler, which also verifies a signed-in reviewer's Bearer token itself (AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL).",
  session:
    'Console page: a browser sends no Authorization header on a page navigation and the JWT authorizer reads no cookies, so the handler verifies the session cookie (an ID token) itself against AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL.',
  public:
    "Console sign-in and sign-out: they begin and end a session, so the caller has no credential yet; sign-in verifies the ID token itself (pasted, or exchanged for the identity provider's authorization code at the token endpoint) before setting the session cookie. The API's documentation (/v1/openapi.json, /v1/docs) describes the routes and grants nothing. The public notice (/notice) publishes what is in notice and takes objections from anyone, as a 公示 does: per-client limits in the handler guard the form, and an objection moves nothing until the level holding the notice triages it.",
};

export interface HttpEndpointProps {
  /** Browser origins allowed to call the API (exact origins, no wildcards). */
  readonly allowedOrigins: readonly string[];
  /** Default stage throttling for the whole API. @default 50 rps, burst 100 */
  readonly throttle?: ThrottleSettings;
  /** Retention of the access logs. */
  readonly logRetention: RetentionDays;
  /** The user pool (its app client is made here: its callback URL is on this API), or an OIDC provider. */
  readonly signIn: SignIn;
  /** Prefix of the links in emails and of the console's sign-in callback. @default the API's own endpoint */
  readonly publicBaseUrl?: string;
}

/**
 * The public HTTP API (v1) and the console: one route per ROUTES entry (shared/platform/http/routes.ts),
 * Lambda proxy with payload format 2.0, CORS for the allowed origins, stage throttling, access
 * logs, and the JWT authorizer on `token` routes. The routes are added by `serve`, once the
 * functions exist (they need `publicBaseUrl`, which defaults to this API's endpoint).
 */
export class HttpEndpoint extends ResourceGroup {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** Where links and the console's sign-in callback point: the custom domain, or the API's endpoint. */
  readonly publicBaseUrl: string;
  /** Whose ID tokens the API accepts: the user pool's app client (`signInClient`), or the OIDC provider. */
  readonly tokenIssuer: TokenIssuer;
  /** With the user pool: its one app client (SRP, and the hosted login's authorization code). */
  readonly signInClient?: SignInClient;

  constructor(scope: Construct, id: string, props: HttpEndpointProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'Cluster recommendation pipeline, public API v1',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...props.allowedOrigins],
        allowMethods: [...new Set(ROUTES.map((route) => CorsHttpMethod[route.method]))],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        maxAge: Duration.hours(1),
      },
    });
    // Access logs name the request, never its content: no body, no query string (review links
    // carry their secret in ?t=), no headers but the user agent; the source IP is kept for abuse
    // investigation, for the log group's retention only.
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', { retention: props.logRetention });
    this.stage = new HttpStage(this, 'HttpApiDefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // HTTP API context variables only. The path is logged without its query string on
        // purpose: review links carry their single-use token in `?t=`.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            httpMethod: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            protocol: '$context.protocol',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.publicBaseUrl = props.publicBaseUrl ?? this.api.apiEndpoint;
    // Sign-in: with the user pool, its app client, here because its callback URL is on this API.
    if (props.signIn.pool) {
      this.signInClient = new SignInClient(this, 'SignIn', {
        pool: props.signIn.pool,
        publicBaseUrl: this.publicBaseUrl,
      });
      this.tokenIssuer = this.signInClient.tokenIssuer;
    } else {
      this.tokenIssuer = props.signIn.oidc;
    }
  }

  /**
   * The routes, each to its API function. `token` routes get the JWT authorizer (an ID token of
   * the issuer, for the audience: the one client, whether the token came from SRP or the hosted
   * login); the others none, and their handlers check what they carry instead (accessOf), so
   * every API function can verify an ID token itself.
   */
  serve(functions: Record<ApiFunctionName, PipelineFunction>): void {
    const integrations = mapValues(
      functions,
      (fn, name) => new HttpLambdaIntegration(`${pascal(name)}Integration`, fn),
    );
    const { issuer, audience, authorizeUrl, tokenUrl } = this.tokenIssuer;
    const idTokens = new HttpJwtAuthorizer('IdTokenAuthorizer', issuer, {
      jwtAudience: [audience],
      identitySource: ['$request.header.Authorization'],
    });
    const noAuthorizer = new HttpNoneAuthorizer();
    for (const route of ROUTES) {
      const access = accessOf(route);
      const routes = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations[route.fn],
        authorizer: access === 'token' ? idTokens : noAuthorizer,
      });
      if (access !== 'token') {
        // On the route resource itself: not its Lambda permission, nor the API.
        for (const { node } of routes) {
          if (node.defaultChild) {
            suppress(node.defaultChild, [{ id: 'AwsSolutions-APIG4', reason: UNAUTHORIZED_ROUTE_REASONS[access] }]);
          }
        }
      }
    }
    for (const fn of Object.values(functions)) {
      fn.addEnvironment(ENV.authIssuer, issuer);
      fn.addEnvironment(ENV.authAudience, audience);
      fn.addEnvironment(ENV.authJwksUrl, jwksUrlOf(this.tokenIssuer));
    }
    // The console's "sign in" button (the ops function only): the provider's login page, the
    // code exchanged for the ID token, back to <publicBaseUrl>/console/sign-in/callback. Without
    // the endpoints (an OIDC provider without oidcAuthorizeUrl/oidcTokenUrl) it offers the
    // paste-a-token form only.
    const { ops } = functions;
    ops.addEnvironment(ENV.publicBaseUrl, this.publicBaseUrl);
    if (authorizeUrl !== undefined && tokenUrl !== undefined) {
      ops.addEnvironment(ENV.authAuthorizeUrl, authorizeUrl);
      ops.addEnvironment(ENV.authTokenUrl, tokenUrl);
    }
  }
}
