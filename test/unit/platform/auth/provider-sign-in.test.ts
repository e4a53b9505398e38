import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createRemoteJWKSet } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tokenVerifier, type TokenVerifier } from '../../../../shared/platform/auth/verify.ts';
import {
  providerCallback,
  type ProviderSettings,
  providerSettings,
  providerStart,
} from '../../../../shared/platform/auth/provider-sign-in.ts';
import { signInPage } from '../../../../shared/platform/auth/console-sign-in.ts';
import { type ApiRequest, logger } from '../../../../shared/platform/http/handler.ts';
import { PEOPLE } from '../../support.ts';
import { AUDIENCE, ISSUER, refusedTokens, startIssuer, type TestIssuer } from './tokens.ts';

/**
 * Signing in through the identity provider's page (authorization code + PKCE): the start and
 * callback functions with a fake token endpoint (an injected fetch) and real signed ID tokens;
 * then the whole round trip through the ops function's real handler against a token endpoint on
 * a loopback port.
 */

const PROVIDER = providerSettings({
  authorizeUrl: 'https://login.example/oauth2/authorize',
  tokenUrl: 'https://login.example/oauth2/token',
  clientId: AUDIENCE,
  publicBaseUrl: 'https://console.example',
}) as ProviderSettings;
const CALLBACK = 'https://console.example/console/sign-in/callback';
const NEXT = '/console/jurisdiction?campaignId=x&code=220000';
const HTTPS = { 'x-forwarded-proto': 'https' };
const CLEARED = 'cp_oauth=; HttpOnly; SameSite=Lax; Path=/console/sign-in; Max-Age=0; Secure';

let issuer: TestIssuer;
let verifier: TokenVerifier;

beforeAll(async () => {
  issuer = await startIssuer();
  verifier = tokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: createRemoteJWKSet(new URL(issuer.jwksUrl)) });
});

afterAll(() => issuer.close());

afterEach(() => vi.restoreAllMocks());

/** A request as httpHandler passes it on: a Cookie header becomes `cookies`, as payload 2.0 has it. */
const request = (query: Record<string, string> = {}, headers: Record<string, string> = HTTPS): ApiRequest => {
  const { cookie, ...rest } = headers;
  return {
    pathParameters: {},
    query,
    body: undefined,
    headers: rest,
    ...(cookie !== undefined && { cookies: cookie.split(/;\s*/) }),
    requestId: 'req-provider',
  };
};

/** `name=value; attr; attr=…` as its pair and attributes (attributes without a value map to ''). */
function cookieParts(cookie: string | undefined) {
  const [pair = '', ...rest] = (cookie ?? '').split('; ');
  const at = pair.indexOf('=');
  return {
    name: pair.slice(0, at),
    value: pair.slice(at + 1),
    attributes: Object.fromEntries(rest.map((part) => [part.split('=')[0] ?? '', part.split('=')[1] ?? ''])),
  };
}

interface Started {
  location: URL;
  /** `cp_oauth=<value>`, as the browser sends it back. */
  pair: string;
  flow: { state: string; verifier: string; next: string; lang?: string };
}

function start(query: Record<string, string> = { next: NEXT }, headers: Record<string, string> = HTTPS): Started {
  const answer = providerStart(request(query, headers), PROVIDER);
  expect(answer.statusCode).toBe(303);
  const { name, value } = cookieParts(answer.cookies?.[0]);
  expect(name).toBe('cp_oauth');
  return {
    location: new URL(answer.headers.location ?? ''),
    pair: `cp_oauth=${value}`,
    flow: JSON.parse(Buffer.from(value, 'base64url').toString('utf8')),
  };
}

/** A token endpoint as an injected fetch: records what it was sent, answers as told. */
function tokenEndpoint(answer: (form: URLSearchParams) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit; form: URLSearchParams }[] = [];
  // The sign-in calls fetch with a URL string and the form encoded as a string body.
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const form = new URLSearchParams(typeof init?.body === 'string' ? init.body : '');
    calls.push({ url, init: init ?? {}, form });
    return answer(form);
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const tokenJson = (idToken: string) =>
  Response.json({
    id_token: idToken,
    access_token: 'access-xyz',
    refresh_token: 'refresh-xyz',
    token_type: 'Bearer',
    expires_in: 3600,
  });

describe('providerSettings', () => {
  it('is undefined unless both endpoints are given', () => {
    expect(providerSettings({})).toBeUndefined();
    expect(
      providerSettings({ authorizeUrl: 'https://login.example/a', clientId: 'c', publicBaseUrl: 'https://x' }),
    ).toBeUndefined();
    expect(
      providerSettings({ tokenUrl: 'https://login.example/t', clientId: 'c', publicBaseUrl: 'https://x' }),
    ).toBeUndefined();
  });

  it('builds the callback from PUBLIC_BASE_URL, and fails on half a configuration or a URL that is none', () => {
    const both = { authorizeUrl: 'https://login.example/a', tokenUrl: 'https://login.example/t' };
    expect(providerSettings({ ...both, clientId: 'c', publicBaseUrl: 'https://clusters.example.gov.cn/api' })).toEqual({
      ...both,
      clientId: 'c',
      redirectUri: 'https://clusters.example.gov.cn/api/console/sign-in/callback',
    });
    expect(() => providerSettings({ ...both, publicBaseUrl: 'https://x' })).toThrow('AUTH_AUDIENCE');
    expect(() => providerSettings({ ...both, clientId: 'c' })).toThrow('PUBLIC_BASE_URL');
    expect(() =>
      providerSettings({ ...both, authorizeUrl: 'login.example', clientId: 'c', publicBaseUrl: 'https://x' }),
    ).toThrow('AUTH_AUTHORIZE_URL');
  });
});

describe('GET /console/sign-in (the button)', () => {
  it('offers the provider button, keeping next and the language, only when the provider is configured', () => {
    const offered = signInPage(request({ next: '/console/board', lang: 'en' }), true);
    expect(offered.body).toContain(
      '<a class="button" id="provider-sign-in-link" href="/console/sign-in/start?next=%2Fconsole%2Fboard%3Flang%3Den&amp;lang=en">Sign in with the identity provider</a>',
    );
    expect(offered.body).toContain('<textarea id="token"');
    expect(signInPage(request({ next: '//evil.example' }), true).body).toContain(
      'href="/console/sign-in/start?next=">用统一身份认证登录</a>',
    );

    const pasteOnly = signInPage(request({ next: '/console/board' }), false);
    expect(pasteOnly.body).not.toContain('/console/sign-in/start');
    expect(pasteOnly.body).toContain('<textarea id="token"');
  });
});

describe('GET /console/sign-in/start', () => {
  it('sends the browser to the authorize endpoint with state and an S256 challenge of the verifier in the cookie', () => {
    const answer = providerStart(request({ next: NEXT }), PROVIDER);
    expect(answer.statusCode).toBe(303);
    expect(answer.headers['cache-control']).toBe('no-store');
    const location = answer.headers.location ?? '';
    // Spaces as %20, the callback URL encoded.
    expect(location).toContain('scope=openid%20email%20profile');
    expect(location).toContain(`redirect_uri=${encodeURIComponent(CALLBACK)}`);

    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe('https://login.example/oauth2/authorize');
    const params = Object.fromEntries(url.searchParams);
    expect(Object.keys(params).sort()).toEqual(
      [
        'client_id',
        'code_challenge',
        'code_challenge_method',
        'redirect_uri',
        'response_type',
        'scope',
        'state',
      ].sort(),
    );
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: AUDIENCE,
      redirect_uri: CALLBACK,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });

    expect(answer.cookies).toHaveLength(1);
    const { name, value, attributes } = cookieParts(answer.cookies?.[0]);
    expect(name).toBe('cp_oauth');
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Object.keys(attributes)).toEqual(['HttpOnly', 'SameSite', 'Path', 'Max-Age', 'Secure']);
    expect(attributes).toMatchObject({ SameSite: 'Lax', Path: '/console/sign-in', 'Max-Age': '600' });

    const flow = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    expect(flow).toMatchObject({ state: params.state, next: NEXT, lang: 'zh' });
    // ≥128 bits of state; an RFC 7636 verifier; the challenge is BASE64URL(SHA256(verifier)).
    expect(Buffer.from(flow.state, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(flow.verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    expect(params.code_challenge).toBe(createHash('sha256').update(flow.verifier).digest('base64url'));
    expect(params.code_challenge).not.toBe(flow.verifier);
  });

  it('draws a fresh state and verifier every time, leaves Secure out over http, and keeps only a safe next', () => {
    const first = start();
    const second = start({ next: '//evil.example/console', lang: 'en' }, { 'x-forwarded-proto': 'http' });
    expect(second.flow.state).not.toBe(first.flow.state);
    expect(second.flow.verifier).not.toBe(first.flow.verifier);
    expect(second.flow).toMatchObject({ next: '', lang: 'en' });

    const answer = providerStart(request({}, {}), PROVIDER);
    expect(cookieParts(answer.cookies?.[0]).attributes).not.toHaveProperty('Secure');
    expect(start({ next: `/console/board?x=${'a'.repeat(3000)}` }).flow.next).toBe('');
  });

  it('answers 404 with the paste form when the provider is not configured, setting no cookie', () => {
    const answer = providerStart(request({ next: NEXT, lang: 'en' }), undefined);
    expect(answer.statusCode).toBe(404);
    expect(answer.cookies ?? []).toEqual([]);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain('not offered here');
    expect(answer.body).toContain('<textarea id="token"');
    expect(answer.body).toContain(
      '<input type="hidden" name="next" value="/console/jurisdiction?campaignId=x&amp;code=220000&amp;lang=en">',
    );
    expect(answer.body).not.toContain('/console/sign-in/start');
  });
});

describe('GET /console/sign-in/callback', () => {
  const callback = (
    started: Started | undefined,
    query: Record<string, string>,
    fetch: typeof globalThis.fetch,
    timeoutMs?: number,
  ) =>
    providerCallback(
      request(query, { ...HTTPS, ...(started && { cookie: `other=1; ${started.pair}; cp_session=old` }) }),
      PROVIDER,
      {
        verifier,
        fetch,
        ...(timeoutMs !== undefined && { timeoutMs }),
      },
    );

  it('exchanges the code (with the verifier), opens the session as the paste form does, and moves on to next by a page', async () => {
    const idToken = await issuer.token(PEOPLE.jilinOperator, { expiresInSeconds: 3600 });
    const started = start();
    const endpoint = tokenEndpoint(() => tokenJson(idToken));
    const answer = await callback(started, { code: 'the-code', state: started.flow.state }, endpoint.fetch);

    expect(endpoint.calls).toHaveLength(1);
    const [call] = endpoint.calls;
    expect(call?.url).toBe(PROVIDER.tokenUrl);
    expect(call?.init.method).toBe('POST');
    expect(call?.init.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(call?.init.signal).toBeInstanceOf(AbortSignal);
    expect(Object.fromEntries(call?.form ?? [])).toEqual({
      grant_type: 'authorization_code',
      client_id: AUDIENCE,
      code: 'the-code',
      redirect_uri: CALLBACK,
      code_verifier: started.flow.verifier,
    });

    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain(
      '<meta http-equiv="refresh" content="0;url=/console/jurisdiction?campaignId=x&amp;code=220000">',
    );
    expect(answer.body).toContain('<a id="continue" href="/console/jurisdiction?campaignId=x&amp;code=220000">');
    // Neither the code nor the state comes back in the page (not even in the language switch).
    expect(answer.body).not.toContain('the-code');
    expect(answer.body).not.toContain(started.flow.state);
    // No script needed: the CSP lets the meta refresh navigate.
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
    expect(answer.headers['content-security-policy']).not.toMatch(/navigate-to/);

    expect(answer.cookies).toHaveLength(2);
    const session = cookieParts(answer.cookies?.[0]);
    expect(session).toMatchObject({ name: '__Host-cp_session', value: idToken });
    expect(Object.keys(session.attributes)).toEqual(['HttpOnly', 'SameSite', 'Path', 'Max-Age', 'Secure']);
    expect(session.attributes).toMatchObject({ SameSite: 'Strict', Path: '/' });
    expect(Number(session.attributes['Max-Age'])).toBeGreaterThan(3590);
    expect(Number(session.attributes['Max-Age'])).toBeLessThanOrEqual(3600);
    expect(answer.cookies?.[1]).toBe(CLEARED);
  });

  it('speaks the language the sign-in started in', async () => {
    const idToken = await issuer.token(PEOPLE.nationalOperator);
    const started = start({ next: '/console', lang: 'en' });
    const answer = await callback(
      started,
      { code: 'c', state: started.flow.state },
      tokenEndpoint(() => tokenJson(idToken)).fetch,
    );
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('<html lang="en">');
    expect(answer.body).toContain('content="0;url=/console"');
  });

  it('refuses without asking the token endpoint: no cookie, a malformed one, another state, no state, no code (400)', async () => {
    // The page speaks the language the sign-in started in (or, without a flow, the query's).
    const started = start({ next: NEXT, lang: 'en' });
    const wrongState = start().flow.state;
    const garbage = (text: string) => ({ ...started, pair: `cp_oauth=${Buffer.from(text).toString('base64url')}` });
    const cases: [string, Started | undefined, Record<string, string>, RegExp][] = [
      ['no cookie', undefined, { code: 'c', state: started.flow.state }, /this browser started none/],
      [
        'not base64url',
        { ...started, pair: 'cp_oauth=%%%' },
        { code: 'c', state: started.flow.state },
        /this browser started none/,
      ],
      ['not JSON', garbage('{"state":'), { code: 'c', state: started.flow.state }, /this browser started none/],
      [
        'no verifier',
        garbage(JSON.stringify({ state: started.flow.state, next: '/console' })),
        { code: 'c', state: started.flow.state },
        /started none/,
      ],
      ['another state', started, { code: 'c', state: wrongState }, /does not belong/],
      ['a shorter state', started, { code: 'c', state: started.flow.state.slice(1) }, /does not belong/],
      ['no state', started, { code: 'c' }, /does not belong/],
      ['no code', started, { state: started.flow.state }, /no authorization code/],
      ['an empty code', started, { code: '', state: started.flow.state }, /no authorization code/],
      ['a code too long', started, { code: 'c'.repeat(5000), state: started.flow.state }, /malformed/],
    ];
    for (const [what, flow, query, message] of cases) {
      const endpoint = tokenEndpoint(() => Promise.reject(new Error('must not be called')));
      const answer = await callback(flow, { ...query, lang: 'en' }, endpoint.fetch);
      expect(answer.statusCode, what).toBe(400);
      expect(answer.body, what).toMatch(message);
      expect(answer.cookies, what).toEqual([CLEARED]);
      expect(endpoint.calls, what).toEqual([]);
      // The sign-in page again: the provider button to start over, and the paste form.
      expect(answer.body, what).toContain('id="provider-sign-in-link"');
      expect(answer.body, what).toContain('<textarea id="token"');
    }
  });

  it("shows the provider's error (escaped, cut short) with 401 once the state matches", async () => {
    const started = start();
    const endpoint = tokenEndpoint(() => Promise.reject(new Error('must not be called')));
    const answer = await callback(
      started,
      {
        error: 'access_denied',
        error_description: `<script>alert(1)</script> ${'x'.repeat(500)}`,
        state: started.flow.state,
      },
      endpoint.fetch,
    );
    expect(answer.statusCode).toBe(401);
    expect(answer.body).toContain('access_denied: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(answer.body).not.toContain('<script>alert');
    expect(answer.body).not.toContain('x'.repeat(300));
    expect(answer.cookies).toEqual([CLEARED]);
    expect(endpoint.calls).toEqual([]);

    // The same error without this browser's state is not shown: anyone could send that link.
    const forged = await callback(
      started,
      { error: 'access_denied', error_description: 'call +86 …', state: 'nope' },
      endpoint.fetch,
    );
    expect(forged.statusCode).toBe(400);
    expect(forged.body).not.toContain('call +86');
  });

  it('answers 502 when the token endpoint refuses, fails, stalls, or answers without an ID token; no session', async () => {
    const answers: [string, Parameters<typeof tokenEndpoint>[0]][] = [
      ['400 invalid_grant', () => Response.json({ error: 'invalid_grant' }, { status: 400 })],
      ['500', () => new Response('oops', { status: 500 })],
      ['a redirect', () => Promise.reject(new TypeError('fetch failed: redirect'))],
      ['connection refused', () => Promise.reject(new TypeError('fetch failed'))],
      ['not JSON', () => new Response('<html>hello</html>', { status: 200 })],
      ['no id_token', () => Response.json({ access_token: 'a', token_type: 'Bearer' })],
      ['an empty id_token', () => Response.json({ id_token: '' })],
      ['a non-string id_token', () => Response.json({ id_token: 42 })],
    ];
    for (const [what, answer] of answers) {
      const started = start({ next: NEXT, lang: 'en' });
      const result = await callback(started, { code: 'c', state: started.flow.state }, tokenEndpoint(answer).fetch);
      expect(result.statusCode, what).toBe(502);
      expect(result.body, what).toContain('did not answer as expected');
      expect(result.cookies, what).toEqual([CLEARED]);
    }
  });

  it('gives up on a token endpoint that does not answer in time (502)', async () => {
    const started = start();
    const stalled = tokenEndpoint(() => new Promise<Response>(() => undefined));
    // The fake honours the abort signal, as fetch does.
    const fetch = (async (url: string, init: RequestInit) => {
      const pending = stalled.fetch(url, init);
      return Promise.race([
        pending,
        new Promise<Response>((_, reject) =>
          init.signal?.addEventListener('abort', () => {
            const reason: unknown = init.signal?.reason;
            reject(reason instanceof Error ? reason : new Error('aborted', { cause: reason }));
          }),
        ),
      ]);
    }) as unknown as typeof globalThis.fetch;
    const began = Date.now();
    const result = await callback(started, { code: 'c', state: started.flow.state }, fetch, 50);
    expect(Date.now() - began).toBeLessThan(2000);
    expect(result.statusCode).toBe(502);
    expect(result.cookies).toEqual([CLEARED]);
  });

  it('refuses an ID token the verifier refuses (forged, expired, another issuer, an access token) with 401, no session', async () => {
    const refused = await refusedTokens(issuer, PEOPLE.nationalOperator);
    for (const idToken of refused) {
      const started = start({ next: NEXT, lang: 'en' });
      const result = await callback(
        started,
        { code: 'c', state: started.flow.state },
        tokenEndpoint(() => tokenJson(idToken)).fetch,
      );
      expect(result.statusCode, idToken).toBe(401);
      expect(result.body, idToken).toContain('Sign-in failed');
      expect(result.cookies, idToken).toEqual([CLEARED]);
    }
  });

  it('answers 404 when the provider is not configured', async () => {
    const started = start();
    const result = await providerCallback(
      request({ code: 'c', state: started.flow.state }, { cookie: started.pair }),
      undefined,
      {
        verifier,
        fetch: tokenEndpoint(() => Promise.reject(new Error('must not be called'))).fetch,
      },
    );
    expect(result.statusCode).toBe(404);
    expect(result.cookies ?? []).toEqual([]);
  });

  it('never logs the code, the verifier, the state or a token', async () => {
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((level) => vi.spyOn(logger, level));
    const idToken = await issuer.token(PEOPLE.jilinOperator);
    const secrets: string[] = [idToken, 'the-secret-code'];
    const outcomes = [
      () => tokenJson(idToken),
      () => Response.json({ error: 'invalid_grant', error_description: 'the-secret-code was used' }, { status: 400 }),
      () => Promise.reject(new TypeError('fetch failed')),
      () => Response.json({ access_token: idToken }),
    ];
    for (const outcome of outcomes) {
      const started = start();
      secrets.push(started.flow.state, started.flow.verifier);
      await callback(started, { code: 'the-secret-code', state: started.flow.state }, tokenEndpoint(outcome).fetch);
    }
    const started = start();
    await callback(
      started,
      { error: 'access_denied', state: started.flow.state },
      tokenEndpoint(tokenJson.bind(null, idToken)).fetch,
    );
    const logged = JSON.stringify(spies.flatMap((spy) => spy.mock.calls));
    expect(spies.some((spy) => spy.mock.calls.length > 0)).toBe(true);
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });
});

// ---- the round trip through the ops function's handler ---------------------------------------

describe('through functions/ops.ts', () => {
  type Result = { statusCode: number; body: string; headers?: Record<string, string>; cookies?: string[] };
  let handler: (event: APIGatewayProxyEventV2) => Promise<Result>;
  let provider: Server;
  let providerUrl: string;
  const exchanged: Record<string, string>[] = [];
  const ddb = mockClient(DynamoDBDocumentClient);
  const sfn = mockClient(SFNClient);

  beforeAll(async () => {
    const idToken = await issuer.token(PEOPLE.jilinOperator);
    // The provider's token endpoint: gives the ID token for the code it issued.
    provider = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        const form = Object.fromEntries(new URLSearchParams(text));
        exchanged.push(form);
        const good = req.method === 'POST' && req.url === '/oauth2/token' && form.code === 'issued-code';
        res.writeHead(good ? 200 : 400, { 'content-type': 'application/json' });
        res.end(JSON.stringify(good ? { id_token: idToken, token_type: 'Bearer' } : { error: 'invalid_grant' }));
      });
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;

    Object.assign(process.env, {
      TABLE_NAME: 'Records',
      STATE_MACHINE_ARN: 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:Ladder',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_JWKS_URL: issuer.jwksUrl,
      AUTH_AUTHORIZE_URL: `${providerUrl}/oauth2/authorize`,
      AUTH_TOKEN_URL: `${providerUrl}/oauth2/token`,
      PUBLIC_BASE_URL: 'https://console.example',
    });
    handler = (await import('../../../../functions/ops.ts')).handler as typeof handler;
    ddb.on(GetCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(BatchGetCommand).resolves({ Responses: { Records: [] } });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  });

  afterAll(async () => {
    ddb.restore();
    sfn.restore();
    provider.closeAllConnections();
    await new Promise<void>((resolve) => provider.close(() => resolve()));
  });

  function event(
    routeKey: string,
    options: { query?: Record<string, string>; cookies?: string[]; headers?: Record<string, string> } = {},
  ) {
    const [method, rawPath] = routeKey.split(' ') as [string, string];
    return {
      version: '2.0',
      routeKey,
      rawPath,
      rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
      headers: { host: 'console.example', 'x-forwarded-proto': 'https', ...options.headers },
      ...(options.cookies && { cookies: options.cookies }),
      isBase64Encoded: false,
      ...(options.query && { queryStringParameters: options.query }),
      requestContext: { requestId: 'req-provider', http: { method, path: rawPath } },
    } as unknown as APIGatewayProxyEventV2;
  }

  it('signs in: the button, start, the provider, the callback (cross-site), and the session opens the console', async () => {
    const page = await handler(event('GET /console/sign-in', { query: { next: '/console/board' } }));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/console/sign-in/start?next=%2Fconsole%2Fboard"');

    const started = await handler(
      event('GET /console/sign-in/start', {
        query: { next: '/console/board' },
        headers: { 'sec-fetch-site': 'same-origin' },
      }),
    );
    expect(started.statusCode).toBe(303);
    const location = new URL(started.headers?.location ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${providerUrl}/oauth2/authorize`);
    expect(location.searchParams.get('redirect_uri')).toBe(CALLBACK);
    const flowPair = started.cookies?.[0]?.split('; ')[0] ?? '';
    expect(flowPair).toMatch(/^cp_oauth=[A-Za-z0-9_-]+$/);

    // The provider sends the browser back: a cross-site top-level GET carrying the Lax cookie.
    const back = await handler(
      event('GET /console/sign-in/callback', {
        query: { code: 'issued-code', state: location.searchParams.get('state') ?? '' },
        cookies: ['unrelated=1', flowPair],
        headers: { 'sec-fetch-site': 'cross-site' },
      }),
    );
    expect(back.statusCode, back.body.slice(0, 300)).toBe(200);
    expect(back.body).toContain('<meta http-equiv="refresh" content="0;url=/console/board">');
    expect(exchanged.at(-1)).toMatchObject({
      grant_type: 'authorization_code',
      code: 'issued-code',
      redirect_uri: CALLBACK,
      client_id: AUDIENCE,
    });
    expect(back.cookies?.[1]).toBe(CLEARED);
    const session = back.cookies?.[0]?.split('; ')[0] ?? '';
    expect(session).toMatch(/^(?:__Host-)?cp_session=ey/);

    const home = await handler(event('GET /console', { cookies: [session] }));
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('data-signed-in="operator:220000"');
  });

  it('refuses a callback the token endpoint refuses (502) and one without the flow cookie (400)', async () => {
    const started = await handler(event('GET /console/sign-in/start'));
    const state = new URL(started.headers?.location ?? '').searchParams.get('state') ?? '';
    const flowPair = started.cookies?.[0]?.split('; ')[0] ?? '';

    const refused = await handler(
      event('GET /console/sign-in/callback', { query: { code: 'stolen', state }, cookies: [flowPair] }),
    );
    expect(refused.statusCode).toBe(502);
    expect(refused.cookies).toEqual([CLEARED]);

    const stranger = await handler(event('GET /console/sign-in/callback', { query: { code: 'issued-code', state } }));
    expect(stranger.statusCode).toBe(400);
    expect(stranger.cookies).toEqual([CLEARED]);
  });
});
