import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE } from '../../local/auth.ts';
import { anonymous, startTestStack, type TestStack } from './harness.ts';

/**
 * The local stand-in for Cognito's hosted sign-in, over HTTP against the real gateway: the page,
 * the code, the token endpoint, and an ID token the API's JWT authorizer accepts.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.cleanup());

describe('signing in through the local issuer’s page', () => {
  it('names its endpoints in the handlers’ environment', () => {
    expect(stack.env.AUTH_AUTHORIZE_URL).toBe(`${stack.apiUrl}/local-issuer/authorize`);
    expect(stack.env.AUTH_TOKEN_URL).toBe(`${stack.apiUrl}/local-issuer/token`);
    expect(process.env.AUTH_AUTHORIZE_URL).toBe(stack.env.AUTH_AUTHORIZE_URL);
    expect(process.env.AUTH_TOKEN_URL).toBe(stack.env.AUTH_TOKEN_URL);
  });

  it('page → form post → code → token → an ID token the API accepts', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = `${stack.env.PUBLIC_BASE_URL}/console/sign-in/callback`;
    const state = randomBytes(16).toString('base64url');
    const authorize = new URL(stack.env.AUTH_AUTHORIZE_URL ?? '');
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: stack.env.AUTH_AUDIENCE ?? '',
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })) {
      authorize.searchParams.set(name, value);
    }
    expect(stack.env.AUTH_AUDIENCE).toBe(LOCAL_AUDIENCE);

    const page = await fetch(authorize, { redirect: 'manual' });
    expect(page.status).toBe(200);
    const markup = await page.text();
    expect(markup).toContain('本地登录（代替 Cognito 登录页）');

    // Submit the page's own form as a browser would: its hidden fields plus the person's choices.
    const form = new URLSearchParams();
    for (const [, name, value] of markup.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      form.set(name ?? '', (value ?? '').replaceAll('&amp;', '&'));
    }
    expect(form.get('code_challenge')).toBe(challenge);
    form.set('role', 'applicant');
    form.set('jurisdiction', '222403');
    const action = /<form method="post" action="([^"]+)">/.exec(markup)?.[1] ?? '';
    const posted = await fetch(new URL(action, authorize), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(posted.status).toBe(303);
    const back = new URL(posted.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe(state);
    const code = back.searchParams.get('code') ?? '';

    const exchange = () =>
      fetch(stack.env.AUTH_TOKEN_URL ?? '', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: LOCAL_AUDIENCE,
          code_verifier: verifier,
        }).toString(),
      });
    const tokens = await exchange();
    expect(tokens.status).toBe(200);
    const { id_token: idToken, token_type: tokenType } = (await tokens.json()) as {
      id_token: string;
      token_type: string;
    };
    expect(tokenType).toBe('Bearer');
    expect((await stack.issuer.verify(idToken)).principal).toMatchObject({ role: 'applicant', jurisdiction: '222403' });

    const nobody = anonymous(stack);
    const campaigns = await nobody.withToken(idToken).listCampaigns();
    expect(campaigns.status).toBe(200);
    expect((await nobody.listCampaigns()).status).toBe(401);

    // The code was good once.
    const replay = await exchange();
    expect([replay.status, await replay.json()]).toEqual([400, { error: 'invalid_grant' }]);
  });

  it('never sends a code to a callback that is not registered', async () => {
    const authorize = new URL(stack.env.AUTH_AUTHORIZE_URL ?? '');
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: LOCAL_AUDIENCE,
      redirect_uri: 'https://elsewhere.example/console/sign-in/callback',
      code_challenge: 'A'.repeat(43),
      code_challenge_method: 'S256',
      role: 'operator',
      jurisdiction: '000000',
    }).toString();
    const page = await fetch(authorize, { redirect: 'manual' });
    expect(page.status).toBe(400);
    const posted = await fetch(stack.env.AUTH_AUTHORIZE_URL ?? '', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: authorize.searchParams.toString(),
    });
    expect(posted.status).toBe(400);
    expect(posted.headers.get('location')).toBeNull();
  });
});
