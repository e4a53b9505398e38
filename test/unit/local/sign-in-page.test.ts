import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, type LocalIssuer, localIssuer } from '../../../local/auth.ts';
import {
  CODE_LIFETIME_MS,
  LOCAL_AUTHORIZE_PATH,
  LOCAL_TOKEN_PATH,
  localSignIn,
  MAX_BODY_BYTES,
} from '../../../local/sign-in-page.ts';
import { SIGN_IN_CALLBACK_PATH } from '../../../shared/platform/http/routes.ts';

/**
 * The local stand-in for Cognito's hosted sign-in page and token endpoint, through a real HTTP
 * server: authorization code with PKCE, registered callbacks only, one-time codes.
 */
let dir: string;
let issuer: LocalIssuer;
let server: Server;
let base: string;
let callback: string;
let clock = Date.UTC(2026, 2, 1);

let handler: ReturnType<typeof localSignIn> | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sign-in-'));
  issuer = await localIssuer(dir);
  // Its registered callbacks name the server's own origin, known once it listens (as in the stack).
  server = createServer((req, res) => void handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
  callback = `${base}${SIGN_IN_CALLBACK_PATH}`;
  handler = localSignIn({ issuer, origins: [base, 'http://localhost:9/'], now: () => clock });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeParams(challenge: string, overrides: Record<string, string | undefined> = {}) {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: LOCAL_AUDIENCE,
    redirect_uri: callback,
    scope: 'openid email profile',
    state: 'st-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
}

const getAuthorize = (params: Record<string, string>) =>
  fetch(`${base}${LOCAL_AUTHORIZE_PATH}?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });

const postForm = (path: string, fields: Record<string, string>) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

/** Signs in on the page; returns the code from the 303. */
async function codeFor(challenge: string, person: Record<string, string> = {}, overrides: Record<string, string> = {}) {
  const response = await postForm(LOCAL_AUTHORIZE_PATH, {
    ...authorizeParams(challenge, overrides),
    role: 'reviewer',
    jurisdiction: '222400',
    ...person,
  });
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get('location') ?? '');
  return location.searchParams.get('code') ?? '';
}

const exchange = (fields: Record<string, string>) => postForm(LOCAL_TOKEN_PATH, fields);

describe('the local sign-in page (GET /local-issuer/authorize)', () => {
  it('renders a scriptless bilingual form carrying the OAuth parameters', async () => {
    const { challenge } = pkce();
    const response = await getAuthorize(authorizeParams(challenge, { state: '"><script>x</script>' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('script-src');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    expect(page).toContain('本地登录（代替 Cognito 登录页）');
    expect(page).toContain("Local sign-in, standing in for Cognito's page");
    expect(page).toContain('npm run token');
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('&quot;&gt;&lt;script&gt;');
    expect(page).toContain(`<form method="post" action="${LOCAL_AUTHORIZE_PATH}">`);
    expect(page).toContain(`name="code_challenge" value="${challenge}"`);
    expect(page).toContain(`name="redirect_uri" value="${callback}"`);
    for (const role of ['applicant', 'reviewer', 'operator']) expect(page).toContain(`<option value="${role}"`);
    for (const example of ['000000', '220000', '222400', '222403']) expect(page).toContain(`<code>${example}</code>`);
    expect(page).toContain('敦化市');
  });

  it.each([
    ['an unknown client_id', { client_id: 'someone-else' }],
    ['a redirect_uri on another site', { redirect_uri: 'https://evil.example/console/sign-in/callback' }],
    ['a redirect_uri with another path', { redirect_uri: 'CALLBACK/../../x' }],
    ['a redirect_uri with a query', { redirect_uri: 'CALLBACK?next=https://evil.example' }],
    ['no redirect_uri', { redirect_uri: undefined }],
    ['a short challenge', { code_challenge: 'A'.repeat(42) }],
    ['a challenge that is not base64url', { code_challenge: `${'A'.repeat(42)}=` }],
    ['the plain method', { code_challenge_method: 'plain' }],
    ['no challenge', { code_challenge: undefined }],
    ['the implicit flow', { response_type: 'token' }],
    ['a scope without openid', { scope: 'email profile' }],
  ])('refuses %s with a 400 page, never a redirect', async (_what, overrides) => {
    const fixed = Object.fromEntries(
      Object.entries(overrides).map(([name, value]) => [name, value?.replace('CALLBACK', callback)]),
    );
    const { challenge } = pkce();
    const response = await getAuthorize(authorizeParams(challenge, fixed));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const page = await response.text();
    expect(page).not.toContain('<form');
  });

  it('refuses a repeated parameter', async () => {
    const { challenge } = pkce();
    const query = `${new URLSearchParams(authorizeParams(challenge)).toString()}&redirect_uri=${encodeURIComponent('https://evil.example/')}`;
    const response = await fetch(`${base}${LOCAL_AUTHORIZE_PATH}?${query}`, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('accepts the other registered callback (PUBLIC_BASE_URL’s)', async () => {
    const { challenge } = pkce();
    const response = await getAuthorize(
      authorizeParams(challenge, { redirect_uri: `http://localhost:9${SIGN_IN_CALLBACK_PATH}` }),
    );
    expect(response.status).toBe(200);
  });
});

describe('signing in (POST /local-issuer/authorize)', () => {
  it('mints a fresh random code and 303s to exactly the redirect_uri with code and state', async () => {
    const { challenge } = pkce();
    const first = await postForm(LOCAL_AUTHORIZE_PATH, {
      ...authorizeParams(challenge),
      role: 'applicant',
      jurisdiction: '222403',
    });
    expect(first.status).toBe(303);
    const location = new URL(first.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(callback);
    expect([...location.searchParams.keys()].sort()).toEqual(['code', 'state']);
    expect(location.searchParams.get('state')).toBe('st-123');
    const code = location.searchParams.get('code') ?? '';
    expect(code).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(await codeFor(challenge)).not.toBe(code);
  });

  it.each([
    ['no role', { role: '' }, '请选择角色'],
    ['a role that does not exist', { role: 'admin' }, 'Choose a role'],
    ['a 5-digit jurisdiction', { jurisdiction: '22240' }, '6-digit'],
    ['an unknown jurisdiction', { jurisdiction: '999999' }, 'No jurisdiction has the code 999999'],
    ['a name too long', { name: 'x'.repeat(129) }, '128'],
    // Each role at the level it works at, as the page's hint says: a county official with a
    // province's code would sign in to a portal that reads no county.
    ['an applicant at a province', { role: 'applicant', jurisdiction: '220000' }, '申报单位须填县级行政区划代码'],
    ['an applicant at MIIT', { role: 'applicant', jurisdiction: '000000' }, '工业和信息化部（000000）不是县级'],
    ['a reviewer at a county', { role: 'reviewer', jurisdiction: '222403' }, '县级不审核'],
    ['an operator at a city', { role: 'operator', jurisdiction: '222400' }, '运维人员须填 000000 或省级代码'],
  ])('re-renders the page for %s (400, no code)', async (_what, person, message) => {
    const { challenge } = pkce();
    const response = await postForm(LOCAL_AUTHORIZE_PATH, {
      ...authorizeParams(challenge),
      role: 'reviewer',
      jurisdiction: '222400',
      ...person,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const page = await response.text();
    expect(page).toContain(message);
    expect(page).toContain('<form');
    expect(page).toContain(`name="code_challenge" value="${challenge}"`);
  });

  it('refuses a posted request with a bad redirect_uri or client_id without redirecting', async () => {
    const { challenge } = pkce();
    for (const overrides of [{ redirect_uri: 'https://evil.example/cb' }, { client_id: 'other' }]) {
      const response = await postForm(LOCAL_AUTHORIZE_PATH, {
        ...authorizeParams(challenge, overrides),
        role: 'operator',
        jurisdiction: '000000',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
  });

  it('takes only a form of at most 16 KiB', async () => {
    const { challenge } = pkce();
    const json = await fetch(`${base}${LOCAL_AUTHORIZE_PATH}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...authorizeParams(challenge), role: 'operator', jurisdiction: '000000' }),
    });
    expect(json.status).toBe(400);
    const big = await postForm(LOCAL_AUTHORIZE_PATH, {
      ...authorizeParams(challenge),
      role: 'operator',
      jurisdiction: '000000',
      padding: 'x'.repeat(MAX_BODY_BYTES),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('location')).toBeNull();
  });
});

describe('the token endpoint (POST /local-issuer/token)', () => {
  it('exchanges a code once, for an ID token of the chosen role and jurisdiction', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge, { role: 'reviewer', jurisdiction: '222400', name: '李明' });
    const fields = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: callback,
      client_id: LOCAL_AUDIENCE,
      code_verifier: verifier,
    };
    const response = await exchange(fields);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { id_token: string; token_type: string; expires_in: number };
    expect(body).toEqual({ id_token: expect.any(String), token_type: 'Bearer', expires_in: 8 * 3600 });
    const { principal, claims } = await issuer.verify(body.id_token);
    expect(principal).toEqual({ sub: 'reviewer-222400', role: 'reviewer', jurisdiction: '222400', name: '李明' });
    expect(claims).toMatchObject({ token_use: 'id', 'custom:role': 'reviewer', 'custom:jurisdiction': '222400' });

    const again = await exchange(fields);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'invalid_grant' });
  });

  it('refuses the wrong verifier, and the code is spent by that attempt', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const fields = { grant_type: 'authorization_code', code, redirect_uri: callback, client_id: LOCAL_AUDIENCE };
    const wrong = await exchange({ ...fields, code_verifier: pkce().verifier });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_grant' });
    const right = await exchange({ ...fields, code_verifier: verifier });
    expect(await right.json()).toEqual({ error: 'invalid_grant' });
  });

  it('refuses the challenge itself sent as the verifier (S256, not plain)', async () => {
    const { challenge } = pkce();
    const code = await codeFor(challenge);
    const response = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: callback,
      client_id: LOCAL_AUDIENCE,
      code_verifier: challenge,
    });
    expect(await response.json()).toEqual({ error: 'invalid_grant' });
  });

  it.each([
    ['another redirect_uri', { redirect_uri: `http://localhost:9${SIGN_IN_CALLBACK_PATH}` }],
    ['another client_id', { client_id: 'someone-else' }],
  ])('refuses %s than the code was issued for', async (_what, override) => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const response = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: callback,
      client_id: LOCAL_AUDIENCE,
      code_verifier: verifier,
      ...override,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_grant' });
  });

  it('refuses a code older than five minutes', async () => {
    const fresh = pkce();
    const late = pkce();
    const freshCode = await codeFor(fresh.challenge);
    const lateCode = await codeFor(late.challenge);
    const fields = { grant_type: 'authorization_code', redirect_uri: callback, client_id: LOCAL_AUDIENCE };
    const start = clock;
    try {
      clock = start + CODE_LIFETIME_MS - 1;
      const inTime = await exchange({ ...fields, code: freshCode, code_verifier: fresh.verifier });
      expect(inTime.status).toBe(200);
      clock = start + CODE_LIFETIME_MS;
      const expired = await exchange({ ...fields, code: lateCode, code_verifier: late.verifier });
      expect(expired.status).toBe(400);
      expect(await expired.json()).toEqual({ error: 'invalid_grant' });
    } finally {
      clock = start;
    }
  });

  it('refuses unknown codes and malformed requests as RFC 6749 §5.2 says', async () => {
    const { verifier } = pkce();
    const fields = {
      grant_type: 'authorization_code',
      code: 'never-issued',
      redirect_uri: callback,
      client_id: LOCAL_AUDIENCE,
      code_verifier: verifier,
    };
    const unknown = await exchange(fields);
    expect([unknown.status, await unknown.json()]).toEqual([400, { error: 'invalid_grant' }]);

    const refresh = await exchange({ ...fields, grant_type: 'refresh_token' });
    expect([refresh.status, await refresh.json()]).toEqual([400, { error: 'unsupported_grant_type' }]);

    const { grant_type: _grant, ...noGrant } = fields;
    const missingGrant = await exchange(noGrant);
    expect([missingGrant.status, await missingGrant.json()]).toEqual([400, { error: 'invalid_request' }]);

    const { code_verifier: _verifier, ...noVerifier } = fields;
    const missingVerifier = await exchange(noVerifier);
    expect([missingVerifier.status, await missingVerifier.json()]).toEqual([400, { error: 'invalid_request' }]);

    const asJson = await fetch(`${base}${LOCAL_TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fields),
    });
    expect([asJson.status, await asJson.json()]).toEqual([400, { error: 'invalid_request' }]);

    const big = await exchange({ ...fields, padding: 'x'.repeat(MAX_BODY_BYTES) });
    expect(big.status).toBe(413);

    // Without a content-length (chunked), the limit holds while reading.
    const chunked = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${base}${LOCAL_TOKEN_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      for (let i = 0; i < 5; i += 1) req.write(`padding${i}=${'x'.repeat(MAX_BODY_BYTES / 4)}&`);
      req.end();
    });
    expect(chunked).toBe(413);

    const get = await fetch(`${base}${LOCAL_TOKEN_PATH}`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('DNS rebinding and cross-origin requests', () => {
  /** A raw request with the Host (and other headers) a browser on another site would send. */
  const send = (method: string, path: string, headers: Record<string, string>, body = '') =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const sent = request(`${base}${path}`, { method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      sent.on('error', reject);
      sent.end(body);
    });

  it('answers no Host but the loopback names it serves (421), page or code', async () => {
    const { challenge } = pkce();
    const query = new URLSearchParams(authorizeParams(challenge)).toString();
    const page = await send('GET', `${LOCAL_AUTHORIZE_PATH}?${query}`, {
      host: `rebound.example:${new URL(base).port}`,
    });
    expect(page.status).toBe(421);
    expect(page.text).not.toContain('<form');
    const form = new URLSearchParams({ ...authorizeParams(challenge), role: 'operator', jurisdiction: '000000' });
    const minted = await send(
      'POST',
      LOCAL_AUTHORIZE_PATH,
      { host: 'rebound.example', 'content-type': 'application/x-www-form-urlencoded' },
      form.toString(),
    );
    expect(minted.status).toBe(421);
    // Its own name still works.
    expect((await send('GET', `${LOCAL_AUTHORIZE_PATH}?${query}`, { host: new URL(base).host })).status).toBe(200);
  });

  it('refuses a POST from another origin (403), by Origin or Sec-Fetch-Site, and mints no code', async () => {
    const { challenge, verifier } = pkce();
    const form = new URLSearchParams({ ...authorizeParams(challenge), role: 'operator', jurisdiction: '000000' });
    const headers = { host: new URL(base).host, 'content-type': 'application/x-www-form-urlencoded' };
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const extra of crossSite) {
      const refused = await send('POST', LOCAL_AUTHORIZE_PATH, { ...headers, ...extra }, form.toString());
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('cross_origin_request');
    }
    const token = await send(
      'POST',
      LOCAL_TOKEN_PATH,
      { ...headers, origin: 'https://evil.example' },
      new URLSearchParams({ grant_type: 'authorization_code', code: 'x', code_verifier: verifier }).toString(),
    );
    expect(token.status).toBe(403);
    // The issuer's own page may post to itself, also as Chromium sends it from a no-referrer
    // page: Origin null, Sec-Fetch-Site same-origin.
    const own = await send('POST', LOCAL_AUTHORIZE_PATH, { ...headers, origin: base }, form.toString());
    expect(own.status).toBe(303);
    const fromNoReferrerPage = { ...headers, origin: 'null', 'sec-fetch-site': 'same-origin' };
    const again = await send('POST', LOCAL_AUTHORIZE_PATH, fromNoReferrerPage, form.toString());
    expect(again.status).toBe(303);
    // …while a null Origin that no browser vouches for as same-origin is still refused.
    const opaque = await send('POST', LOCAL_AUTHORIZE_PATH, { ...headers, origin: 'null' }, form.toString());
    expect(opaque.status).toBe(403);
  });
});
