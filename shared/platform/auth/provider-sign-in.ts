/**
 * Signing in to the console through the identity provider's own page (Cognito's hosted sign-in;
 * locally the local issuer's stand-in): OAuth 2.0 authorization code with PKCE (RFC 6749, RFC
 * 7636), as a public client (no secret; the client id is AUTH_AUDIENCE).
 *
 *   GET /console/sign-in/start?next=…[&lang=en]
 *     not configured → 404, the paste form saying so;
 *     else 303 to AUTH_AUTHORIZE_URL?response_type=code&client_id=…&redirect_uri=<PUBLIC_BASE_URL>
 *     /console/sign-in/callback&scope=openid%20email%20profile&state=…&code_challenge=…
 *     &code_challenge_method=S256, setting
 *     cp_oauth=<base64url JSON {state, verifier, next, lang}>; HttpOnly; SameSite=Lax;
 *     Path=/console/sign-in; Max-Age=600 (; Secure over https).
 *     Lax, not Strict: the provider sends the browser back with a cross-site top-level GET.
 *
 *   GET /console/sign-in/callback?code=…&state=…  (or ?error=…&error_description=…&state=…)
 *     not configured → 404; no or malformed cp_oauth, a malformed query, a state other than the
 *     cookie's, no code → 400; the provider's `error` → 401 naming it; the token endpoint
 *     unreachable, slow, non-2xx or without an id_token → 502; the ID token refused → 401; each
 *     with the sign-in page and what went wrong. Otherwise 200 with the session cookie, set
 *     exactly as the paste form sets it, and a page that moves on to `next` by a meta refresh
 *     (and a link). Not a 303: the browser came here through a cross-site redirect chain, and
 *     would not send the SameSite=Strict session cookie on a redirect continuing that chain; a
 *     navigation our own page starts is same-site. Every answer clears cp_oauth.
 *
 * Tokens, codes and verifiers are never logged.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { ENV } from '../../composition/env.ts';
import { pkceChallenge, sameSecret } from './secrets.ts';
import { cookieValue, type TokenVerifier, UnauthenticatedError } from './verify.ts';
import { type ApiRequest, logger } from '../http/handler.ts';
import { SIGN_IN_CALLBACK_PATH, SIGN_IN_PATH } from '../http/routes.ts';
import { type Lang, LangSchema, langOf, type Word } from '../pages/i18n.ts';
import { html, type PageAnswer, pageContext, renderPage } from '../pages/layout.ts';
import {
  MAX_TOKEN_CHARS,
  overHttps,
  checkedNext,
  landing,
  SIGN_IN_PAGE,
  sessionCookieFor,
  setCookie,
  signInForm,
} from './console-sign-in.ts';

/** The sign-in in progress: state, PKCE verifier and where to go, for the callback only. */
export const FLOW_COOKIE = 'cp_oauth';
/** Both the start and the callback lie under it (and nothing that reads the session does). */
export const FLOW_COOKIE_PATH = SIGN_IN_PATH;
/** Ten minutes to sign in at the provider. */
export const FLOW_SECONDS = 600;
/** The token endpoint must answer well within the function's own timeout (10 s). */
export const TOKEN_TIMEOUT_MS = 5000;
export const SCOPE = 'openid email profile';

/** 256 random bits each: state (≥128 bits) and the PKCE verifier (43 characters, RFC 7636 §4.1). */
const RANDOM_BYTES = 32;
/** A `next` longer than this goes to /console: the cookie must stay well under 4 KB. */
const MAX_NEXT_CHARS = 2048;
/** The provider's error text is shown escaped and cut short. */
const MAX_ERROR_CHARS = 200;

/** A page that may set cookies (the flow cookie, the session cookie, their clearing). */
export type CookiePage = PageAnswer & { cookies?: string[] };

export interface ProviderSettings {
  /** The provider's authorization endpoint (AUTH_AUTHORIZE_URL). */
  authorizeUrl: string;
  /** Its token endpoint (AUTH_TOKEN_URL). */
  tokenUrl: string;
  /** The app client id: the ID tokens' audience (AUTH_AUDIENCE). */
  clientId: string;
  /** `${PUBLIC_BASE_URL}/console/sign-in/callback`, as registered with the provider. */
  redirectUri: string;
}

/**
 * The settings when both endpoints are given, else undefined (the console then takes a pasted
 * token only). Throws, for the module to fail when it loads, when the endpoints are given but
 * are not URLs, or the client id or the public base URL is missing.
 */
export function providerSettings(values: {
  authorizeUrl?: string | undefined;
  tokenUrl?: string | undefined;
  clientId?: string | undefined;
  publicBaseUrl?: string | undefined;
}): ProviderSettings | undefined {
  const { authorizeUrl, tokenUrl, clientId, publicBaseUrl } = values;
  if (!authorizeUrl || !tokenUrl) return undefined;
  if (!clientId || !publicBaseUrl) {
    throw new Error(
      `${ENV.authAuthorizeUrl} and ${ENV.authTokenUrl} need ${ENV.authAudience} and ${ENV.publicBaseUrl} too`,
    );
  }
  for (const [name, url] of [
    [ENV.authAuthorizeUrl, authorizeUrl],
    [ENV.authTokenUrl, tokenUrl],
    [ENV.publicBaseUrl, publicBaseUrl],
  ] as const) {
    if (!URL.canParse(url)) throw new Error(`${name} is not a URL: ${url}`);
  }
  return {
    authorizeUrl,
    tokenUrl,
    clientId,
    redirectUri: `${publicBaseUrl.replace(/\/+$/, '')}${SIGN_IN_CALLBACK_PATH}`,
  };
}

// ---- the flow cookie ----------------------------------------------------------------------

const BASE64URL = /^[A-Za-z0-9_-]+$/;

const FlowSchema = z.object({
  state: z.string().min(22).max(128).regex(BASE64URL),
  /** RFC 7636 §4.1: 43–128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
  verifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/),
  next: z.string().max(MAX_NEXT_CHARS),
  lang: LangSchema.optional(),
});
type Flow = z.infer<typeof FlowSchema>;

const flowCookie = (value: string, maxAgeSeconds: number, headers: Record<string, string>) =>
  setCookie(FLOW_COOKIE, value, { sameSite: 'Lax', path: FLOW_COOKIE_PATH, maxAgeSeconds, secure: overHttps(headers) });

/** The cookie that ends the flow: same name and path, Max-Age=0. */
const clearFlow = (headers: Record<string, string>) => flowCookie('', 0, headers);

/** The flow this browser started, or undefined when there is none or the cookie is not ours. */
function flowOf(cookies: readonly string[] | undefined): Flow | undefined {
  const value = cookieValue(cookies, FLOW_COOKIE);
  if (!value || value.length > 4096 || !BASE64URL.test(value)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = FlowSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/**
 * `next` for the flow: a console or portal path of this site, short enough for the cookie; else
 * '' (the signed-in person's home, chosen once the token says who they are).
 */
function flowNext(next: string | undefined): string {
  const safe = checkedNext(next) ?? '';
  return safe.length > MAX_NEXT_CHARS ? '' : safe;
}

/** The sign-in pages of the flow: the switch keeps only `next` (never a code or a state). */
const flowContext = (lang: Lang, next: string) => pageContext(lang, SIGN_IN_PAGE, { next });

function notOffered(lang: Lang, next: string): PageAnswer {
  const ctx = flowContext(lang, next);
  return signInForm(404, ctx, next, { providerOffered: false, problem: ctx.say('providerNotOffered') });
}

// ---- start --------------------------------------------------------------------------------

/** GET /console/sign-in/start: to the provider's page, with a fresh state and PKCE challenge. */
export function providerStart(request: ApiRequest, provider: ProviderSettings | undefined): CookiePage {
  const lang = langOf(request.query);
  const next = flowNext(request.query.next);
  if (!provider) return notOffered(lang, next);

  const state = randomBytes(RANDOM_BYTES).toString('base64url');
  const verifier = randomBytes(RANDOM_BYTES).toString('base64url');
  const challenge = pkceChallenge(verifier);

  const url = new URL(provider.authorizeUrl);
  const params = {
    response_type: 'code',
    client_id: provider.clientId,
    redirect_uri: provider.redirectUri,
    scope: SCOPE,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  // URLSearchParams writes a space as "+"; "%20" reads the same to every parser (a "+" in a value is "%2B").
  url.search = url.searchParams.toString().replaceAll('+', '%20');

  const flow: Flow = { state, verifier, next, lang };
  return {
    statusCode: 303,
    headers: { location: url.href, 'cache-control': 'no-store' },
    cookies: [flowCookie(Buffer.from(JSON.stringify(flow)).toString('base64url'), FLOW_SECONDS, request.headers)],
    body: '',
  };
}

// ---- callback -----------------------------------------------------------------------------

/** What the provider sends back (RFC 6749 §4.1.2, §4.1.2.1); anything else is ignored. */
export const CallbackQuerySchema = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(512).optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

/** The token endpoint's answer: only the ID token is used (access and refresh tokens are dropped). */
const TokenAnswerSchema = z.object({ id_token: z.string().min(1).max(MAX_TOKEN_CHARS) });
/** An OAuth error answer (RFC 6749 §5.2): its code is logged, nothing else. */
const TokenErrorSchema = z.object({ error: z.string().max(100) });

export interface CallbackDeps {
  /** The same verifier the paste form uses. */
  verifier: TokenVerifier;
  /** The token endpoint is called with this (tests inject a fake). */
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: Date;
}

const cut = (text: string) => (text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text);

/** GET /console/sign-in/callback: the code exchanged for the ID token, verified, and the session opened. */
export async function providerCallback(
  request: ApiRequest,
  provider: ProviderSettings | undefined,
  deps: CallbackDeps,
): Promise<CookiePage> {
  const flow = flowOf(request.cookies);
  const lang = flow?.lang ?? langOf(request.query);
  // The cookie is ours, but a `next` is never followed unchecked.
  const next = checkedNext(flow?.next) ?? '';
  if (!provider) return notOffered(lang, next);

  const ctx = flowContext(lang, next);
  const done = [clearFlow(request.headers)];
  const refuse = (statusCode: number, word: Word, reason?: string): CookiePage =>
    Object.assign(
      signInForm(statusCode, ctx, next, {
        providerOffered: true,
        problem: ctx.say(word),
        ...(reason !== undefined && { reason }),
      }),
      {
        cookies: done,
      },
    );

  if (!flow) return refuse(400, 'providerNoFlow');
  const query = CallbackQuerySchema.safeParse(request.query);
  if (!query.success) return refuse(400, 'providerMalformed');
  const { code, state, error, error_description: description } = query.data;
  if (!sameSecret(state, flow.state)) return refuse(400, 'providerStateMismatch');
  if (error !== undefined) {
    logger.info('the identity provider refused the sign-in', { error: cut(error) });
    return refuse(401, 'providerRefused', cut(description ? `${error}: ${description}` : error));
  }
  if (!code) return refuse(400, 'providerNoCode');

  const token = await exchangeCode(provider, code, flow.verifier, deps);
  if (token === undefined) return refuse(502, 'providerUnavailable');
  let goTo: string;
  try {
    goTo = landing(next, await deps.verifier.verify(token));
  } catch (failure) {
    if (failure instanceof UnauthenticatedError) return refuse(401, 'signInFailed', failure.message);
    throw failure;
  }
  const { say } = ctx;
  const body = html`<section id="signed-in">
<p>${say('movingOn')}</p>
<p><a id="continue" href="${goTo}">${say('continueTo')}</a></p>
</section>`;
  return Object.assign(renderPage(200, ctx, { title: say('signedIn'), body, refresh: false, goTo }), {
    cookies: [sessionCookieFor(token, request.headers, deps.now), ...done],
  });
}

/** The ID token for the code, or undefined when the token endpoint did not answer as expected. */
async function exchangeCode(
  provider: ProviderSettings,
  code: string,
  verifier: string,
  deps: CallbackDeps,
): Promise<string | undefined> {
  const call = deps.fetch ?? fetch;
  let body: unknown;
  try {
    const response = await call(provider.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: provider.clientId,
        code,
        redirect_uri: provider.redirectUri,
        code_verifier: verifier,
      }).toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(deps.timeoutMs ?? TOKEN_TIMEOUT_MS),
    });
    body = await response.json().catch(() => undefined);
    if (!response.ok) {
      const refusal = TokenErrorSchema.safeParse(body);
      logger.warn('the token endpoint refused the code', {
        status: response.status,
        ...(refusal.success ? { error: refusal.data.error } : {}),
      });
      return undefined;
    }
  } catch (failure) {
    // A timeout, a refused connection, a redirect: the error's name only (no URL, no body).
    logger.warn('the token endpoint did not answer', { error: failure instanceof Error ? failure.name : 'unknown' });
    return undefined;
  }
  const answer = TokenAnswerSchema.safeParse(body);
  if (!answer.success) {
    logger.warn('the token endpoint answered without an ID token');
    return undefined;
  }
  return answer.data.id_token;
}
