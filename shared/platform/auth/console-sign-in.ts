/**
 * The console's sign-in and sign-out. A browser cannot add a Bearer header to a page navigation,
 * so the console keeps the ID token in a session cookie that the handler verifies on every
 * console request (shared/platform/http/handler.ts):
 *
 *   GET  /console/sign-in?next=…   a form to paste an ID token (the way back in `next`)
 *   POST /console/sign-in          token=…&next=…: verified → 303 to `next` with the cookie;
 *                                  refused → 401, the form again saying why
 *   POST /console/sign-out         303 to the sign-in page, the cookie cleared
 *
 * Where the identity provider's endpoints are configured, the form also offers a button that signs
 * in through the provider's own page (/console/sign-in/start → the provider → /console/sign-in/
 * callback, in provider-sign-in.ts); that path ends in the same session cookie, set by the same
 * function (sessionCookieFor).
 *
 * The cookie is `cp_session=<token>; HttpOnly; SameSite=Strict; Path=/; Max-Age=…` over plain http
 * (`npm start`), and `__Host-cp_session=…; …; Secure` over https (verify.ts says why the prefix).
 * Path=/: two sites read the session, the console (/console) and the applicants' portal
 * (/portal), and a `__Host-` cookie must be Path=/. The /v1 API takes Bearer tokens only and
 * ignores it. Max-Age runs to the token's own expiry, at most 8 h: the cookie never outlives what
 * it carries. After signing in, a person goes to `next` when it is a console or portal path of
 * this site, else home: applicants to the portal, everyone else to the console.
 */
import { decodeJwt } from 'jose';
import * as z from 'zod';
import type { Principal } from './principal.ts';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE, type TokenVerifier, UnauthenticatedError } from './verify.ts';
import { headerIn } from '../http/forms.ts';
import type { ApiRequest } from '../http/handler.ts';
import { SIGN_IN_PATH, SIGN_IN_START_PATH, UNSAVED_PARAM } from '../http/routes.ts';
import { type Lang, langOf } from '../pages/i18n.ts';
import {
  CONSOLE_BASE,
  html,
  type PageAnswer,
  type PageContext,
  pageContext,
  PORTAL_BASE,
  renderPage,
  SIGN_OUT_PATH,
  type Site,
} from '../pages/layout.ts';

/** The page name, for the language switch's links (`/console/sign-in`). */
export const SIGN_IN_PAGE = 'sign-in';
/** The cookie's path: the console and the portal both read the session (and `__Host-` requires /). */
export const SESSION_COOKIE_PATH = '/';
/** Where sessions lived before the portal: a cookie left there is cleared on sign-out. */
const OLD_SESSION_COOKIE_PATH = CONSOLE_BASE;
/** A session lasts as long as its token, and never more than a working day. */
export const MAX_SESSION_SECONDS = 8 * 3600;

/** Cognito's ID tokens are 1–2 KB; a cookie holds 4 KB. */
export const MAX_TOKEN_CHARS = 4000;

export const SignInBodySchema = z.object({
  token: z.string().trim().max(MAX_TOKEN_CHARS).optional(),
  next: z.string().max(2048).optional(),
});

/** Only console and portal paths of this site come back as `next`: `//evil.example`, `https://…`, `/\evil` do not. */
const SITE_PATH = /^\/(?:console|portal)(?:[/?#]|$)/;
const SITE_PATHNAME = /^\/(?:console|portal)(?:\/|$)/;
const PLACEHOLDER_ORIGIN = 'https://console.invalid';

/** Browsers read a backslash as a slash and drop tabs and newlines: such a `next` is never a path. */
const misread = (text: string) =>
  [...text].some((c) => c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** `next` when it is a console or portal path of this site (not a sign-in page), else undefined. */
export function checkedNext(next: string | undefined): string | undefined {
  if (next === undefined || !SITE_PATH.test(next) || misread(next)) return undefined;
  const url = new URL(next, PLACEHOLDER_ORIGIN);
  // Resolving `/console/../v1/…` leaves the console; the sign-in pages themselves lead nowhere.
  if (url.origin !== PLACEHOLDER_ORIGIN || !SITE_PATHNAME.test(url.pathname)) return undefined;
  if (url.pathname === SIGN_IN_PATH || url.pathname.startsWith(`${SIGN_IN_PATH}/`) || url.pathname === SIGN_OUT_PATH) {
    return undefined;
  }
  return `${url.pathname}${url.search}`;
}

/** Where to go after signing in: `next` when it is a console or portal path of this site, else /console. */
export const safeNext = (next: string | undefined): string => checkedNext(next) ?? CONSOLE_BASE;

/** Where a person lands after signing in without a `next`: applicants on the portal, others on the console. */
export const homeOf = (principal: Pick<Principal, 'role'>): string =>
  principal.role === 'applicant' ? PORTAL_BASE : CONSOLE_BASE;

/** `next` when it is safe to follow, else the signed-in person's home. */
export const landing = (next: string | undefined, principal: Pick<Principal, 'role'>): string =>
  checkedNext(next) ?? homeOf(principal);

/** Browsers send cookies marked Secure only over https: the request's scheme as the edge saw it. */
export function overHttps(headers: Record<string, string>): boolean {
  const proto = headerIn(headers, 'x-forwarded-proto');
  return proto?.split(',')[0]?.trim().toLowerCase() === 'https';
}

export interface CookieAttributes {
  sameSite: 'Strict' | 'Lax';
  path: string;
  maxAgeSeconds: number;
  /** Over https only (see overHttps). */
  secure: boolean;
}

/** A Set-Cookie value the console's way: always HttpOnly, attributes in this order. */
export function setCookie(
  name: string,
  value: string,
  { sameSite, path, maxAgeSeconds, secure }: CookieAttributes,
): string {
  return [
    `${name}=${value}`,
    'HttpOnly',
    `SameSite=${sameSite}`,
    `Path=${path}`,
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** The session cookie: `__Host-cp_session` over https, `cp_session` over plain http (verify.ts). */
export const sessionCookieName = (secure: boolean) => (secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE);

function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return setCookie(sessionCookieName(secure), value, {
    sameSite: 'Strict',
    path: SESSION_COOKIE_PATH,
    maxAgeSeconds,
    secure,
  });
}

/** Seconds until the (verified) token expires, at most MAX_SESSION_SECONDS, at least 1. */
function sessionSeconds(token: string, now: Date): number {
  const { exp } = decodeJwt(token);
  if (exp === undefined) return MAX_SESSION_SECONDS;
  return Math.max(1, Math.min(MAX_SESSION_SECONDS, Math.floor(exp - now.getTime() / 1000)));
}

/** The session cookie for a verified ID token: both ways of signing in open the session with this. */
export function sessionCookieFor(token: string, headers: Record<string, string>, now = new Date()): string {
  return sessionCookie(token, sessionSeconds(token, now), overHttps(headers));
}

/** `next` without its language: the sign-in page keeps the language apart and puts it back (nextIn). */
function languageFree(next: string): string {
  const url = new URL(next, PLACEHOLDER_ORIGIN);
  url.searchParams.delete('lang');
  return `${url.pathname}${url.search}`;
}

/** A checked `next` in `lang`: where the person goes on after signing in, in the language they signed in with. */
function nextIn(next: string | undefined, lang: Lang): string {
  const checked = checkedNext(next);
  if (checked === undefined) return '';
  const url = new URL(languageFree(checked), PLACEHOLDER_ORIGIN);
  if (lang === 'en') url.searchParams.set('lang', 'en');
  return `${url.pathname}${url.search}`;
}

/**
 * The sign-in page's context. It speaks the language the person was reading: its own `lang`, else
 * that of the page they were on the way to (a signed-out visit to /portal?lang=en comes here with
 * the language inside `next`). The form and the provider's button put that language into `next`
 * (nextIn), and the language switch leaves it out (signInForm).
 */
function signInContext(request: ApiRequest): PageContext {
  const checked = checkedNext(request.query.next);
  const lang =
    request.query.lang !== undefined || checked === undefined
      ? langOf(request.query)
      : langOf(Object.fromEntries(new URL(checked, PLACEHOLDER_ORIGIN).searchParams));
  return pageContext(lang, SIGN_IN_PAGE, request.query);
}

/** GET /console/sign-in; with `providerOffered`, the button that signs in through the provider's page too. */
export function signInPage(request: ApiRequest, providerOffered = false): PageAnswer {
  const next = request.query.next;
  return signInForm(200, signInContext(request), next, {
    providerOffered,
    unsaved: request.query[UNSAVED_PARAM] === '1',
  });
}

/** POST /console/sign-in: the form's token verified → 303 to `next` with the session cookie. */
export async function signIn(
  request: ApiRequest,
  verifier: TokenVerifier,
  { providerOffered = false, now = new Date() }: { providerOffered?: boolean; now?: Date } = {},
): Promise<PageAnswer> {
  const ctx = signInContext(request);
  const parsed = SignInBodySchema.safeParse(request.body ?? {});
  const next = parsed.success ? parsed.data.next : undefined;
  const token = parsed.success ? parsed.data.token : undefined;
  if (!token) return signInForm(400, ctx, next, { providerOffered, problem: ctx.say('tokenMissing') });
  let principal: Principal;
  try {
    principal = await verifier.verify(token);
  } catch (error) {
    if (error instanceof UnauthenticatedError) {
      return signInForm(401, ctx, next, { providerOffered, problem: ctx.say('signInFailed'), reason: error.message });
    }
    throw error;
  }
  return {
    statusCode: 303,
    headers: { location: landing(next, principal), 'cache-control': 'no-store' },
    cookies: [sessionCookieFor(token, request.headers, now)],
    body: '',
  };
}

/**
 * POST /console/sign-out: back to the sign-in page, the cookie cleared (same name and path), and
 * a session cookie from before the portal (Path=/console) cleared too, so none outlives sign-out.
 */
export function signOut(request: ApiRequest): PageAnswer {
  const english = langOf(request.query) === 'en';
  const secure = overHttps(request.headers);
  return {
    statusCode: 303,
    headers: { location: `${SIGN_IN_PATH}${english ? '?lang=en' : ''}`, 'cache-control': 'no-store' },
    cookies: [
      sessionCookie('', 0, secure),
      setCookie(SESSION_COOKIE, '', { sameSite: 'Strict', path: OLD_SESSION_COOKIE_PATH, maxAgeSeconds: 0, secure }),
    ],
    body: '',
  };
}

export interface SignInFormOptions {
  /** Offer the button that signs in through the identity provider's page. */
  providerOffered: boolean;
  /** What went wrong, shown above the form. */
  problem?: string;
  /** Why, in detail (the verifier's message, the provider's error): shown as code, escaped. */
  reason?: string;
  /** A form was sent without a live session: say its entries were not saved. */
  unsaved?: boolean;
}

/**
 * The sign-in page's words for where the person is going. A county official on the way into the
 * portal reads the portal's name, the portal's words and the applicant's token command; everyone
 * else the console's. The frame's links stay the sign-in page's own (the language switch keeps
 * `next`), and the brand leads to the portal's home, as it does on every portal page: not to the
 * console's sign-in page, which the brand's base alone would give.
 */
function signInWords(ctx: PageContext, next: string | undefined) {
  const portal = checkedNext(next)?.startsWith(PORTAL_BASE) ?? false;
  return portal
    ? ({
        ctx: { ...ctx, site: { base: CONSOLE_BASE, brand: 'portal', homeBase: PORTAL_BASE, home: '' } satisfies Site },
        intro: 'signInIntroPortal',
        providerNote: 'providerSignInNotePortal',
        command: 'npm run token -- --role applicant --jurisdiction 222403',
      } as const)
    : ({
        ctx,
        intro: 'signInIntro',
        providerNote: 'providerSignInNote',
        command: 'npm run token -- --role operator --jurisdiction 000000',
      } as const);
}

/** Where the provider button leads: the start route, with the way back and the language. */
function providerStartLink(ctx: PageContext, next: string | undefined): string {
  const search = new URLSearchParams({ next: nextIn(next, ctx.lang) });
  if (ctx.lang === 'en') search.set('lang', 'en');
  return `${SIGN_IN_START_PATH}?${search.toString()}`;
}

/** The sign-in page: the provider's button when offered, the paste form, and what went wrong if anything did. */
export function signInForm(
  statusCode: number,
  pageCtx: PageContext,
  next: string | undefined,
  { providerOffered, problem, reason, unsaved = false }: SignInFormOptions,
): PageAnswer {
  const words = signInWords(pageCtx, next);
  // The language switch's links keep `next` without a language of its own, which would outvote the switch.
  const checked = checkedNext(next);
  const query = { ...words.ctx.self.query, ...(checked !== undefined && { next: languageFree(checked) }) };
  const ctx: PageContext = { ...words.ctx, self: { ...words.ctx.self, query } };
  const { say } = ctx;
  const action = `${SIGN_IN_PATH}${ctx.lang === 'en' ? '?lang=en' : ''}`;
  const body = html`${
    unsaved
      ? html`<section class="problem" id="unsaved" role="alert"><p><strong>${say('unsavedEntries')}</strong></p></section>`
      : ''
  }${
    problem
      ? html`<section class="problem" id="problem" role="alert"><p><strong>${problem}</strong></p>${
          reason ? html`<p class="note"><code>${reason}</code></p>` : ''
        }</section>`
      : ''
  }${
    providerOffered
      ? html`<section id="provider-sign-in">
<p><a class="button" id="provider-sign-in-link" href="${providerStartLink(ctx, next)}">${say('providerSignIn')}</a></p>
<p class="note">${say(words.providerNote)}</p>
</section>`
      : ''
  }<section id="sign-in">
<p>${say(words.intro)}</p>
<form method="post" action="${action}">
<label for="token">${say('tokenLabel')}</label>
<textarea id="token" name="token" rows="6" required autocomplete="off" autocapitalize="off" spellcheck="false"></textarea>
<input type="hidden" name="next" value="${nextIn(next, ctx.lang)}">
<p><button type="submit">${say('signIn')}</button></p>
</form>
<p class="note">${say('signInLocal')} <code>${words.command}</code></p>
<p class="note">${say('signInAws')}</p>
</section>`;
  return renderPage(statusCode, ctx, { title: say('signIn'), body, refresh: false });
}
