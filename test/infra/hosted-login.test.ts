import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PipelineFunction } from '../../infra/constructs/pipeline-function.ts';
import { definePipeline } from '../../infra/pipeline.ts';
import { assertSignInDomainPrefix, parseTokenIssuer, signInDomainBase } from '../../infra/settings.ts';
import { ENV } from '../../shared/composition/env.ts';
import { ROUTES, SIGN_IN_CALLBACK_PATH, SIGN_IN_PATH } from '../../shared/platform/http/routes.ts';
import {
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
 * The console's sign-in through the identity provider's own page (OAuth 2.0 authorization code
 * with PKCE): the user pool's Cognito domain (classic hosted UI), the app client's OAuth settings
 * (in the stateless stack, beside the API its callback URL names), and the endpoints the ops
 * function, and only it, gets. With another OpenID Connect provider, its endpoints when given.
 */
const ENDPOINT_VARIABLES: string[] = [ENV.authAuthorizeUrl, ENV.authTokenUrl];
const PUBLIC_BASE_URL = 'https://clusters.example.gov.cn/api';
const DOMAIN_PREFIX = 'clusters-gov-test';
const OIDC_ENDPOINTS = {
  authorizeUrl: 'https://sso.example.gov.cn/realms/clusters/protocol/openid-connect/auth',
  tokenUrl: 'https://sso.example.gov.cn/realms/clusters/protocol/openid-connect/token',
} as const;

const variablesIn = (template: Template, stack: Stack, fn: PipelineFunction): Record<string, unknown> =>
  template.toJSON().Resources[logicalId(stack, fn)].Properties.Environment?.Variables ?? {};
const opsVariables = (pipeline: SynthesizedPipeline) =>
  variablesIn(pipeline.statelessTemplate, pipeline.stateless, pipeline.stateless.apiFunctions.ops);

/** Every function of both stacks but ops, with its variables. */
function otherFunctions(pipeline: SynthesizedPipeline): [string, Record<string, unknown>][] {
  const { stateless, statelessTemplate, stateful, statefulTemplate } = pipeline;
  const statelessFunctions: [string, PipelineFunction][] = [
    ...Object.entries(stateless.apiFunctions).filter(([name]) => name !== 'ops'),
    ...Object.entries(stateless.eventFunctions),
    ...Object.entries(stateless.scheduledFunctions),
    ...Object.entries(stateless.workflowFunctions),
  ];
  return [
    ...statelessFunctions.map(([name, fn]): [string, Record<string, unknown>] => [
      name,
      variablesIn(statelessTemplate, stateless, fn),
    ]),
    ['rotateLinkKey (stateful)', variablesIn(statefulTemplate, stateful, stateful.linkKeyRotation)],
  ];
}

/** The URL of `path` on the pool's domain, as the stateless stack reads it. */
const onDomain = (pipeline: SynthesizedPipeline, path: string) => {
  const domain = pipeline.stateful.signInPool?.domain;
  if (!domain) throw new Error('no user pool domain');
  return {
    'Fn::Join': [
      '',
      [
        'https://',
        fromStateful(pipeline, { Ref: logicalId(pipeline.stateful, domain) }),
        '.auth.',
        { Ref: 'AWS::Region' },
        `.amazoncognito.com${path}`,
      ],
    ],
  };
};

const apiEndpoint = (pipeline: SynthesizedPipeline) => ({
  'Fn::GetAtt': [logicalId(pipeline.stateless, pipeline.stateless.api), 'ApiEndpoint'],
});
const underApi = (pipeline: SynthesizedPipeline, path: string) => ({ 'Fn::Join': ['', [apiEndpoint(pipeline), path]] });

describe("the user pool's hosted login domain", () => {
  const pipeline = synthPipeline();
  const domain = onlyResource(pipeline.statefulTemplate, 'AWS::Cognito::UserPoolDomain').Properties;

  it('is a Cognito prefix domain of the pool, in the stateful stack, with the classic hosted UI', () => {
    const poolId = logicalId(pipeline.stateful, pipeline.stateful.signInPool!.userPool);
    expect(domain).toMatchObject({ UserPoolId: { Ref: poolId }, ManagedLoginVersion: 1 });
    expect(domain.CustomDomainConfig).toBeUndefined();
    pipeline.statelessTemplate.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    pipeline.statelessTemplate.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 0);
  });

  it('is named clusterpipeline-<stage>-<last 12 hex digits of the stateful stack id> by default', () => {
    const stackUuid = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };
    expect(domain.Domain).toEqual({
      'Fn::Join': ['-', ['clusterpipeline-test', { 'Fn::Select': [4, { 'Fn::Split': ['-', stackUuid] }] }]],
    });
  });

  it('takes -c signInDomainPrefix as it is', () => {
    const named = synthPipelineWith({ signInDomainPrefix: DOMAIN_PREFIX });
    expect(onlyResource(named.statefulTemplate, 'AWS::Cognito::UserPoolDomain').Properties.Domain).toBe(DOMAIN_PREFIX);
  });

  it('outputs its URL', () => {
    const domainId = logicalId(pipeline.stateful, pipeline.stateful.signInPool!.domain);
    pipeline.statefulTemplate.hasOutput('HostedLoginUrl', {
      Value: {
        'Fn::Join': ['', ['https://', { Ref: domainId }, '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']],
      },
    });
  });
});

describe('signInDomainPrefix', () => {
  it.each(['clusters-gov-prod', 'a', '0', 'x'.repeat(63), 'sme-clusters-2026'])('accepts %j', (prefix) => {
    expect(() => assertSignInDomainPrefix(prefix)).not.toThrow();
  });

  it.each([
    ['', /1-63 lower-case letters/],
    ['Clusters', /1-63 lower-case letters/],
    ['-clusters', /not starting or ending with "-"/],
    ['clusters-', /not starting or ending with "-"/],
    ['clusters_gov', /1-63 lower-case letters/],
    ['clusters.gov', /1-63 lower-case letters/],
    ['x'.repeat(64), /1-63 lower-case letters/],
    ['clusters-aws-login', /must not contain "aws"/],
    ['amazonclusters', /must not contain "amazon"/],
    ['my-cognito', /must not contain "cognito"/],
  ])('refuses %j', (prefix, message) => {
    expect(() => assertSignInDomainPrefix(prefix)).toThrow(message);
  });

  it('fails the synth on a bad prefix, naming the setting', () => {
    expect(() =>
      definePipeline(testApp(), { stage: 'test', allowedOrigins: TEST_ORIGINS, signInDomainPrefix: 'My_Login' }),
    ).toThrow(/signInDomainPrefix "My_Login" must be 1-63/);
  });

  it('is refused with another OpenID Connect provider (there is no user pool to name)', () => {
    expect(() =>
      definePipeline(testApp(), {
        stage: 'test',
        allowedOrigins: TEST_ORIGINS,
        oidc: TEST_OIDC,
        signInDomainPrefix: DOMAIN_PREFIX,
      }),
    ).toThrow(/signInDomainPrefix names the Cognito user pool's hosted login domain/);
  });

  it('derives a valid default for every stage: the stack name without the reserved words', () => {
    expect(signInDomainBase('ClusterPipeline-dev')).toBe('clusterpipeline-dev');
    expect(signInDomainBase('ClusterPipeline-aws-prod')).toBe('clusterpipeline-prod');
    expect(signInDomainBase('Stateful')).toBe('stateful');
    expect(signInDomainBase('AWS')).toBe('sign-in');
    const runs = 100;
    let checked = 0;
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,19}$/), fc.stringMatching(/^[0-9a-f]{12}$/), (stage, digits) => {
        assertSignInDomainPrefix(`${signInDomainBase(`ClusterPipeline-${stage}`)}-${digits}`);
        checked++;
      }),
      { numRuns: runs },
    );
    expect(checked).toBe(runs);
  });
});

describe("the app client's OAuth settings (the console's sign-in)", () => {
  const pipeline = synthPipeline();
  const client = onlyResource(pipeline.statelessTemplate, 'AWS::Cognito::UserPoolClient').Properties;

  it('allows the authorization code grant only: no implicit grant, no client credentials', () => {
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.GenerateSecret).toBe(false);
  });

  it('asks for exactly openid, email and profile', () => {
    expect([...client.AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile']);
  });

  it("signs in the pool's own users only (no social or SAML providers)", () => {
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
  });

  it('keeps SRP and never lets users write their role, jurisdiction or email', () => {
    expect([...client.ExplicitAuthFlows].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
    expect(client.WriteAttributes).toEqual(['name']);
  });

  it("returns to the console on the API's own endpoint by default", () => {
    expect(client.CallbackURLs).toEqual([underApi(pipeline, '/console/sign-in/callback')]);
    expect(client.LogoutURLs).toEqual([underApi(pipeline, '/console/sign-in')]);
  });

  it('returns to the console under publicBaseUrl when it is given', () => {
    const custom = synthPipelineWith({ publicBaseUrl: PUBLIC_BASE_URL });
    const customClient = onlyResource(custom.statelessTemplate, 'AWS::Cognito::UserPoolClient').Properties;
    expect(customClient.CallbackURLs).toEqual([`${PUBLIC_BASE_URL}/console/sign-in/callback`]);
    expect(customClient.LogoutURLs).toEqual([`${PUBLIC_BASE_URL}/console/sign-in`]);
    expect(opsVariables(custom)[ENV.publicBaseUrl]).toBe(PUBLIC_BASE_URL);
  });

  it('names pages the ops function serves', () => {
    const served = (path: string) =>
      ROUTES.some((route) => route.method === 'GET' && route.path === path && route.fn === 'ops');
    expect(served(SIGN_IN_CALLBACK_PATH)).toBe(true);
    expect(served(SIGN_IN_PATH)).toBe(true);
  });

  it("is the JWT authorizer's audience and every handler's, so a console session works everywhere", () => {
    const clientRef = { Ref: logicalId(pipeline.stateless, pipeline.stateless.signInClient!.client) };
    const authorizer = onlyResource(pipeline.statelessTemplate, 'AWS::ApiGatewayV2::Authorizer').Properties;
    expect(authorizer.JwtConfiguration.Audience).toContainEqual(clientRef);
    for (const fn of Object.values(pipeline.stateless.apiFunctions)) {
      expect(variablesIn(pipeline.statelessTemplate, pipeline.stateless, fn)[ENV.authAudience]).toEqual(clientRef);
    }
  });
});

describe("the ops function's sign-in endpoints (user pool)", () => {
  const pipeline = synthPipeline();

  it("gets the hosted login's /oauth2/authorize and /oauth2/token, and the public base URL", () => {
    expect(opsVariables(pipeline)).toMatchObject({
      [ENV.authAuthorizeUrl]: onDomain(pipeline, '/oauth2/authorize'),
      [ENV.authTokenUrl]: onDomain(pipeline, '/oauth2/token'),
      [ENV.publicBaseUrl]: apiEndpoint(pipeline),
    });
  });

  it('names the region when the stacks are bound to one', () => {
    const bound = synthPipelineWith({
      env: { region: 'eu-west-1', account: '123456789012' },
      signInDomainPrefix: DOMAIN_PREFIX,
    });
    const variables = opsVariables(bound);
    expect(JSON.stringify(variables[ENV.authAuthorizeUrl])).toContain(
      '.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
    );
    expect(JSON.stringify(variables[ENV.authTokenUrl])).toContain('.auth.eu-west-1.amazoncognito.com/oauth2/token');
  });

  it.each(otherFunctions(pipeline))('%s gets neither', (_name, variables) => {
    expect(Object.keys(variables).filter((key) => ENDPOINT_VARIABLES.includes(key))).toEqual([]);
  });
});

describe('another OpenID Connect provider (China)', () => {
  const withEndpoints = synthPipelineWith({ ...CHINA_OPTIONS, oidc: { ...TEST_OIDC, ...OIDC_ENDPOINTS } });
  const without = synthPipelineWith(CHINA_OPTIONS);

  it('makes no user pool, domain or client', () => {
    for (const pipeline of [withEndpoints, without]) {
      for (const template of [pipeline.statefulTemplate, pipeline.statelessTemplate]) {
        for (const type of ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolDomain', 'AWS::Cognito::UserPoolClient']) {
          template.resourceCountIs(type, 0);
        }
      }
    }
  });

  it('passes oidcAuthorizeUrl and oidcTokenUrl to the ops function', () => {
    expect(opsVariables(withEndpoints)).toMatchObject({
      [ENV.authAuthorizeUrl]: OIDC_ENDPOINTS.authorizeUrl,
      [ENV.authTokenUrl]: OIDC_ENDPOINTS.tokenUrl,
      [ENV.authAudience]: TEST_OIDC.audience,
      [ENV.publicBaseUrl]: apiEndpoint(withEndpoints),
    });
  });

  it.each(otherFunctions(withEndpoints))('and to no other function: %s', (_name, variables) => {
    expect(Object.keys(variables).filter((key) => ENDPOINT_VARIABLES.includes(key))).toEqual([]);
  });

  it('sets neither without them (the console offers the paste form only)', () => {
    expect(Object.keys(opsVariables(without)).filter((key) => ENDPOINT_VARIABLES.includes(key))).toEqual([]);
    for (const [, variables] of otherFunctions(without)) {
      expect(Object.keys(variables).filter((key) => ENDPOINT_VARIABLES.includes(key))).toEqual([]);
    }
  });

  it('reads -c oidcAuthorizeUrl and -c oidcTokenUrl', () => {
    expect(parseTokenIssuer({ ...TEST_OIDC, ...OIDC_ENDPOINTS })).toEqual({ ...TEST_OIDC, ...OIDC_ENDPOINTS });
  });

  it.each([
    [{ authorizeUrl: OIDC_ENDPOINTS.authorizeUrl }, /oidcAuthorizeUrl and oidcTokenUrl go together/],
    [{ tokenUrl: OIDC_ENDPOINTS.tokenUrl }, /oidcAuthorizeUrl and oidcTokenUrl go together/],
    [
      { ...OIDC_ENDPOINTS, authorizeUrl: 'http://sso.example.gov.cn/auth' },
      /oidcAuthorizeUrl: .* must be an https URL/,
    ],
    [{ ...OIDC_ENDPOINTS, tokenUrl: 'sso.example.gov.cn/token' }, /oidcTokenUrl: .* is not a URL/],
    [{ ...OIDC_ENDPOINTS, tokenUrl: 'https://sso.example.gov.cn/token?x=1' }, /oidcTokenUrl: .* no query/],
  ])('refuses %j', (endpoints, message) => {
    expect(() => parseTokenIssuer({ ...TEST_OIDC, ...endpoints })).toThrow(message);
  });

  it('refuses the endpoints without an issuer', () => {
    expect(() => parseTokenIssuer(OIDC_ENDPOINTS)).toThrow(/oidcIssuer and oidcAudience go together/);
  });
});

describe('no reference cycle between the stacks', () => {
  it.each([
    ['the default build', {}],
    ['publicBaseUrl', { publicBaseUrl: PUBLIC_BASE_URL }],
    ['signInDomainPrefix', { signInDomainPrefix: DOMAIN_PREFIX }],
    ['OIDC with endpoints', { oidc: { ...TEST_OIDC, ...OIDC_ENDPOINTS } }],
  ])('%s: the stateful stack refers to nothing of the stateless one, and the app synthesizes', (_name, options) => {
    const app = testApp();
    const { stateful, stateless } = definePipeline(app, { stage: 'test', allowedOrigins: TEST_ORIGINS, ...options });
    const assembly = app.synth();
    // Known once references are resolved, at synth.
    expect(stateful.dependencies.map((stack) => stack.stackName)).toEqual([]);
    expect(stateless.dependencies.map((stack) => stack.stackName)).toEqual([stateful.stackName]);
    expect(JSON.stringify(assembly.getStackByName(stateful.stackName).template)).not.toContain(stateless.stackName);
  });
});
