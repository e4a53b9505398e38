import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { PipelineFunction } from '../../infra/constructs/pipeline-function.ts';
import { definePipeline } from '../../infra/pipeline.ts';
import { parseTokenIssuer } from '../../infra/settings.ts';
import { StatefulStack } from '../../infra/stacks/stateful-stack.ts';
import { CLAIMS } from '../../shared/platform/auth/principal.ts';
import { ENV } from '../../shared/composition/env.ts';
import { accessOf, ROUTES, routeKey } from '../../shared/platform/http/routes.ts';
import {
  CHINA_ENV,
  CHINA_OPTIONS,
  fromStateful,
  logicalId,
  onlyResource,
  type SynthesizedPipeline,
  synthPipeline,
  synthPipelineWith,
  TEST_OIDC,
  TEST_ORIGINS,
  testApp,
} from './helpers.ts';

/**
 * Sign-in (issue 5): a Cognito user pool in the stateful stack, or another OpenID Connect provider
 * (`oidc`, required in the China regions); the HTTP API's JWT authorizer on the `token` routes
 * and none on the others; the AUTH_* variables for the handlers that verify tokens themselves.
 */
const AUTH_VARIABLES = [ENV.authIssuer, ENV.authAudience, ENV.authJwksUrl];

const apiFunctionsOf = (pipeline: SynthesizedPipeline): [string, PipelineFunction][] =>
  Object.entries(pipeline.stateless.apiFunctions);
const otherFunctionsOf = (pipeline: SynthesizedPipeline): [string, PipelineFunction][] => [
  ...Object.entries(pipeline.stateless.eventFunctions),
  ...Object.entries(pipeline.stateless.scheduledFunctions),
  ...Object.entries(pipeline.stateless.workflowFunctions),
];
const variablesOf = (pipeline: SynthesizedPipeline, fn: PipelineFunction): Record<string, unknown> =>
  pipeline.statelessTemplate.toJSON().Resources[logicalId(pipeline.stateless, fn)].Properties.Environment?.Variables ??
  {};

/** The route of each ROUTES entry in the template, by its route key. */
function routeResource(pipeline: SynthesizedPipeline, key: string) {
  const routes = Object.values(
    pipeline.statelessTemplate.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: key } }),
  );
  expect(routes).toHaveLength(1);
  return routes[0]?.Properties as { AuthorizationType?: string; AuthorizerId?: unknown };
}

const tokenRoutes = ROUTES.filter((route) => accessOf(route) === 'token').map(routeKey);
const openRoutes = ROUTES.filter((route) => accessOf(route) !== 'token').map((route) => [
  routeKey(route),
  accessOf(route),
]);

describe('the Cognito user pool (default build)', () => {
  const pipeline = synthPipeline();
  const { stateful, statefulTemplate, stateless, statelessTemplate } = pipeline;
  const pool = onlyResource(statefulTemplate, 'AWS::Cognito::UserPool').Properties;
  // The app client lives in the stateless stack, beside the API its callback URL names.
  const client = onlyResource(statelessTemplate, 'AWS::Cognito::UserPoolClient').Properties;
  const poolId = stateful.signInPool ? logicalId(stateful, stateful.signInPool.userPool) : 'none';
  const clientId = stateless.signInClient ? logicalId(stateless, stateless.signInClient.client) : 'none';

  it('lives in the stateful stack, retained and protected from deletion', () => {
    statefulTemplate.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  it('lets only administrators create users, who sign in with their email', () => {
    expect(pool.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
    expect(pool.UsernameAttributes).toEqual(['email']);
    expect(pool.AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] });
  });

  it('declares the role and jurisdiction claims as custom string attributes (jurisdiction: 6 characters)', () => {
    const custom = (claim: string) =>
      (pool.Schema as { Name: string }[]).find((attribute) => `custom:${attribute.Name}` === claim);
    expect(custom(CLAIMS.role)).toMatchObject({ AttributeDataType: 'String', Mutable: true });
    expect(custom(CLAIMS.jurisdiction)).toMatchObject({
      AttributeDataType: 'String',
      Mutable: true,
      StringAttributeConstraints: { MinLength: '6', MaxLength: '6' },
    });
  });

  it('asks for strong passwords, an authenticator app (MFA required) and threat protection', () => {
    expect(pool.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool.MfaConfiguration).toBe('ON');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.UserPoolTier).toBe('PLUS');
    expect(pool.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
  });

  it('has one public app client, in the stateless stack: SRP sign-in, no secret, one-hour ID tokens', () => {
    statefulTemplate.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    expect(client).toMatchObject({
      UserPoolId: fromStateful(pipeline, { Ref: poolId }),
      GenerateSecret: false,
      IdTokenValidity: 60,
      TokenValidityUnits: { IdToken: 'minutes' },
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect([...client.ExplicitAuthFlows].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
  });

  it('lets users read, but never write, their role and jurisdiction (nor their sign-in email)', () => {
    expect(client.ReadAttributes).toEqual(expect.arrayContaining([CLAIMS.role, CLAIMS.jurisdiction, 'email']));
    expect(client.WriteAttributes).toEqual(expect.any(Array));
    for (const attribute of [CLAIMS.role, CLAIMS.jurisdiction, 'email']) {
      expect(client.WriteAttributes).not.toContain(attribute);
    }
    expect((client.WriteAttributes as string[]).filter((name) => name.startsWith('custom:'))).toEqual([]);
  });

  it('outputs the pool id, the client id and the token issuer', () => {
    statefulTemplate.hasOutput('UserPoolId', { Value: { Ref: poolId } });
    statelessTemplate.hasOutput('UserPoolClientId', { Value: { Ref: clientId } });
    statefulTemplate.hasOutput('TokenIssuer', {
      Value: {
        'Fn::Join': [
          '',
          ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: poolId }],
        ],
      },
    });
  });

  describe('the JWT authorizer', () => {
    const authorizer = onlyResource(pipeline.statelessTemplate, 'AWS::ApiGatewayV2::Authorizer').Properties;
    const issuerParts = [
      'https://cognito-idp.',
      { Ref: 'AWS::Region' },
      '.',
      { Ref: 'AWS::URLSuffix' },
      '/',
      fromStateful(pipeline, { Ref: poolId }),
    ];
    const issuer = { 'Fn::Join': ['', issuerParts] };
    // The one client, whether its ID token came from SRP or the hosted login (the console's).
    const audience = { Ref: clientId };

    it("checks the pool's issuer and the client as audience, from the Authorization header", () => {
      expect(authorizer).toMatchObject({
        ApiId: { Ref: logicalId(pipeline.stateless, pipeline.stateless.api) },
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: issuer, Audience: [audience] },
      });
    });

    it.each(apiFunctionsOf(pipeline))(
      'the %s function verifies tokens of the same issuer and audience',
      (_name, fn) => {
        const variables = variablesOf(pipeline, fn);
        expect(variables[ENV.authIssuer]).toEqual(issuer);
        expect(variables[ENV.authAudience]).toEqual(audience);
        expect(variables[ENV.authJwksUrl]).toEqual({
          'Fn::Join': ['', [...issuerParts, '/.well-known/jwks.json']],
        });
      },
    );
  });
});

describe('routes', () => {
  const pipeline = synthPipeline();
  const authorizerId = Object.keys(pipeline.statelessTemplate.findResources('AWS::ApiGatewayV2::Authorizer'))[0];

  it('some routes need a token and some do not (sanity)', () => {
    expect(tokenRoutes.length).toBeGreaterThan(10);
    expect(openRoutes.length).toBeGreaterThan(2);
  });

  it.each(tokenRoutes)('%s needs an ID token: the JWT authorizer guards it', (key) => {
    expect(routeResource(pipeline, key)).toMatchObject({
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: authorizerId },
    });
  });

  it.each(openRoutes)('%s (%s) has no authorizer: its handler checks what it carries', (key) => {
    const route = routeResource(pipeline, key);
    expect(route.AuthorizationType).toBe('NONE');
    expect(route.AuthorizerId).toBeUndefined();
  });
});

describe.each([
  ['the default build', synthPipeline()],
  ['OIDC in cn-north-1', synthPipelineWith(CHINA_OPTIONS)],
])('AUTH_* variables, %s', (_where, pipeline) => {
  it.each(apiFunctionsOf(pipeline))('the API function %s has all three', (_name, fn) => {
    expect(Object.keys(variablesOf(pipeline, fn))).toEqual(expect.arrayContaining(AUTH_VARIABLES));
  });

  it.each(otherFunctionsOf(pipeline))('%s (not behind the API) has none', (_name, fn) => {
    expect(Object.keys(variablesOf(pipeline, fn)).filter((key) => AUTH_VARIABLES.includes(key as never))).toEqual([]);
  });
});

describe('another OpenID Connect provider (oidc)', () => {
  it.each([
    ['cn-north-1', CHINA_OPTIONS],
    ['cn-northwest-1', { env: { ...CHINA_ENV, region: 'cn-northwest-1' }, oidc: TEST_OIDC }],
    ['any region', { oidc: TEST_OIDC }],
  ])('%s: a JWT authorizer for that provider and no user pool', (_where, options) => {
    const pipeline = synthPipelineWith(options);
    pipeline.statefulTemplate.resourceCountIs('AWS::Cognito::UserPool', 0);
    pipeline.statefulTemplate.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    expect(Object.keys(pipeline.statefulTemplate.findOutputs('UserPool*'))).toEqual([]);
    pipeline.statefulTemplate.hasOutput('TokenIssuer', { Value: TEST_OIDC.issuer });
    expect(onlyResource(pipeline.statelessTemplate, 'AWS::ApiGatewayV2::Authorizer').Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: TEST_OIDC.issuer, Audience: [TEST_OIDC.audience] },
    });
    for (const key of tokenRoutes) expect(routeResource(pipeline, key).AuthorizationType).toBe('JWT');
    for (const [, fn] of apiFunctionsOf(pipeline)) {
      expect(variablesOf(pipeline, fn)).toMatchObject({
        [ENV.authIssuer]: TEST_OIDC.issuer,
        [ENV.authAudience]: TEST_OIDC.audience,
        [ENV.authJwksUrl]: `${TEST_OIDC.issuer}/.well-known/jwks.json`,
      });
    }
  });

  it("gives the handlers the provider's own key set when it is elsewhere (oidcJwksUrl)", () => {
    const jwksUrl = `${TEST_OIDC.issuer}/protocol/openid-connect/certs`;
    const pipeline = synthPipelineWith({ oidc: { ...TEST_OIDC, jwksUrl } });
    expect(variablesOf(pipeline, pipeline.stateless.apiFunctions.ops)[ENV.authJwksUrl]).toBe(jwksUrl);
  });

  it.each(['cn-north-1', 'cn-northwest-1'])('is required in %s: synth fails naming both settings', (region) => {
    expect(() => definePipeline(testApp(), { stage: 'test', allowedOrigins: TEST_ORIGINS, env: { region } })).toThrow(
      /Cognito user pools are not offered in the AWS China regions.*-c oidcIssuer=.*-c oidcAudience=/,
    );
  });

  it('the stateful stack refuses a bad provider', () => {
    expect(
      () =>
        new StatefulStack(testApp(), 'Stateful', {
          allowedOrigins: TEST_ORIGINS,
          oidc: { issuer: 'http://sso.example.gov.cn', audience: 'x' },
        }),
    ).toThrow(/oidcIssuer.*must be an https URL/);
  });
});

describe('reading -c oidcIssuer, oidcAudience and oidcJwksUrl', () => {
  it('gives no provider when none is set (a Cognito user pool then)', () => {
    expect(parseTokenIssuer({})).toBeUndefined();
  });

  it('reads issuer, audience and an optional key-set URL', () => {
    expect(parseTokenIssuer({ issuer: TEST_OIDC.issuer, audience: TEST_OIDC.audience })).toEqual(TEST_OIDC);
    expect(
      parseTokenIssuer({
        issuer: TEST_OIDC.issuer,
        audience: TEST_OIDC.audience,
        jwksUrl: 'https://keys.example.gov.cn/jwks',
      }),
    ).toEqual({ ...TEST_OIDC, jwksUrl: 'https://keys.example.gov.cn/jwks' });
  });

  it.each([
    [{ issuer: TEST_OIDC.issuer }, /oidcIssuer and oidcAudience go together/],
    [{ audience: TEST_OIDC.audience }, /oidcIssuer and oidcAudience go together/],
    [{ jwksUrl: 'https://keys.example.gov.cn/jwks' }, /oidcIssuer and oidcAudience go together/],
    [{ issuer: 'sso.example.gov.cn', audience: 'a' }, /oidcIssuer: "sso\.example\.gov\.cn" is not a URL/],
    [{ issuer: 'http://sso.example.gov.cn', audience: 'a' }, /oidcIssuer: .* must be an https URL/],
    [{ issuer: 'https://sso.example.gov.cn/?realm=x', audience: 'a' }, /must be an https URL with no query/],
    [{ issuer: 'https://sso.example.gov.cn/realms/x/', audience: 'a' }, /oidcIssuer: .* must not end with "\/"/],
    [{ issuer: TEST_OIDC.issuer, audience: ' ' }, /oidcAudience " " must be the client id/],
    [{ issuer: TEST_OIDC.issuer, audience: 'a', jwksUrl: 'http://keys.example.gov.cn' }, /oidcJwksUrl: .* https/],
  ])('refuses %j', (context, message) => {
    expect(() => parseTokenIssuer(context)).toThrow(message);
  });
});
