import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import {
  type Principal,
  PRINCIPAL_ROLES,
  PrincipalSchema,
  type PrincipalRole,
} from '../shared/platform/auth/principal.ts';
import { pkceChallenge, sameSecret } from '../shared/platform/auth/secrets.ts';
import { SIGN_IN_CALLBACK_PATH } from '../shared/platform/http/routes.ts';
import { html, SafeHtml } from '../shared/platform/pages/html.ts';
import {
  findJurisdiction,
  isProvincialRank,
  type Jurisdiction,
  MIIT_CODE,
  MIIT_NAME,
  placeName,
} from '../shared/rules/jurisdictions.ts';
import { DEFAULT_TOKEN_HOURS, LOCAL_AUDIENCE, type LocalIssuer } from './auth.ts';
import { type ExtraHandler, readBody } from './gateway/server.ts';

/**
 * The local stand-in for Cognito's hosted sign-in page (`/oauth2/authorize`) and its token endpoint
 * (`/oauth2/token`): OAuth 2.0 authorization code with PKCE (S256) for the console's public client.
 *
 * There is NO password here, on purpose: this is a development stand-in that trusts whoever runs
 * `npm start`, exactly as `npm run token` does (both sign with the data folder's key). It listens on
 * 127.0.0.1 only. What it keeps from Cognito is what the console's side relies on: registered
 * callback URLs only (never a redirect elsewhere), one-time codes bound to client, callback and PKCE
 * challenge, and RFC 6749 §5.2 errors. Codes, verifiers and tokens are never logged.
 */
export const LOCAL_SIGN_IN_PREFIX = '/local-issuer/';
export const LOCAL_AUTHORIZE_PATH = `${LOCAL_SIGN_IN_PREFIX}authorize`;
export const LOCAL_TOKEN_PATH = `${LOCAL_SIGN_IN_PREFIX}token`;
/** Cognito's authorization codes live 5 minutes too. */
export const CODE_LIFETIME_MS = 5 * 60_000;
/** Both endpoints take small forms only. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface LocalSignInOptions {
  issuer: LocalIssuer;
  /** Base URLs whose SIGN_IN_CALLBACK_PATH may receive codes (the gateway's, PUBLIC_BASE_URL's). */
  origins: readonly string[];
  /** Tests: a clock to expire codes without waiting. */
  now?: () => number;
  codeLifetimeMs?: number;
}

interface PendingCode {
  principal: Principal;
  codeChallenge: string;
  redirectUri: string;
  clientId: string;
  expiresAt: number;
}

const FORM_TYPE = 'application/x-www-form-urlencoded';
/** The scopes Cognito grants an app client; an ID token needs `openid`. */
const KNOWN_SCOPES = new Set(['openid', 'email', 'profile', 'phone']);
/** base64url of a SHA-256 digest: 43 characters, no padding. */
const ChallengeSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a 43-character base64url S256 challenge');
/** RFC 7636 §4.1: 43–128 unreserved characters. */
const VerifierSchema = z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, 'a 43–128 character code_verifier');

function authorizeSchema(callbacks: readonly string[]) {
  return z.object({
    response_type: z.literal('code', 'response_type must be code'),
    client_id: z.literal(LOCAL_AUDIENCE, 'unknown client_id'),
    redirect_uri: z.string().refine((uri) => callbacks.includes(uri), 'redirect_uri is not a registered callback'),
    scope: z
      .string()
      .max(256)
      .refine((scope) => {
        const scopes = scope.split(' ');
        return scopes.includes('openid') && scopes.every((s) => KNOWN_SCOPES.has(s));
      }, 'scope must include openid and only openid, email, profile, phone')
      .optional(),
    state: z.string().max(1024).optional(),
    code_challenge: ChallengeSchema,
    code_challenge_method: z.literal('S256', 'code_challenge_method must be S256'),
  });
}
type AuthorizeRequest = z.infer<ReturnType<typeof authorizeSchema>>;

const TokenRequestSchema = z.object({
  code: z.string().min(1).max(256),
  redirect_uri: z.string().min(1).max(2048),
  client_id: z.string().min(1).max(256),
  code_verifier: VerifierSchema,
});

type Bilingual = { zh: string; en: string };

const ROLE_LABELS: Readonly<Record<PrincipalRole, Bilingual>> = {
  applicant: { zh: '申报单位', en: 'Applicant' },
  reviewer: { zh: '审核单位', en: 'Reviewer' },
  operator: { zh: '运维人员', en: 'Operator' },
};

const EXAMPLES = ['000000', '220000', '222400', '222403'] as const;

/** What the person chose on the page, checked as the token's claims will be. */
function principalFrom(fields: Record<string, string>): { principal: Principal } | { problems: Bilingual[] } {
  const role = fields.role ?? '';
  const jurisdiction = (fields.jurisdiction ?? '').trim();
  const name = (fields.name ?? '').trim();
  const problems: Bilingual[] = [];
  const parsed = PrincipalSchema.safeParse({
    sub: `${role}-${jurisdiction}`,
    role,
    jurisdiction,
    ...(name !== '' && { name }),
  });
  if (!parsed.success) {
    const paths = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
    if (paths.has('role')) problems.push({ zh: '请选择角色。', en: 'Choose a role.' });
    if (paths.has('jurisdiction') || paths.has('sub'))
      problems.push({ zh: '行政区划代码为 6 位数字。', en: 'A jurisdiction is a 6-digit GB/T 2260 code.' });
    if (paths.has('name')) problems.push({ zh: '姓名最多 128 个字符。', en: 'The name is at most 128 characters.' });
    return { problems };
  }
  const place = parsed.data.jurisdiction === MIIT_CODE ? undefined : findJurisdiction(parsed.data.jurisdiction);
  if (parsed.data.jurisdiction !== MIIT_CODE && !place) {
    return {
      problems: [
        { zh: `没有代码为 ${jurisdiction} 的行政区划。`, en: `No jurisdiction has the code ${jurisdiction}.` },
      ],
    };
  }
  const misplaced = levelProblem(parsed.data.role, place);
  return misplaced ? { problems: [misplaced] } : { principal: parsed.data };
}

/**
 * Whether the role works at this level, as the hint says: an applicant files for a county (the
 * portal reads its county's applications, and a province's code there reads none and says the
 * code is unknown); a reviewer decides for a city, a province or MIIT (no county reviews); an
 * operator runs the whole (000000) or a province. `place` is undefined for MIIT.
 */
function levelProblem(role: PrincipalRole, place: Jurisdiction | undefined): Bilingual | undefined {
  const named = place ? `${place.name}（${place.code}）` : `${MIIT_NAME}（${MIIT_CODE}）`;
  if (role === 'applicant' && !place?.applicant)
    return {
      zh: `申报单位须填县级行政区划代码（如 222403 敦化市）；${named}不是县级。`,
      en: `An applicant is a county: ${place?.code ?? MIIT_CODE} is not one (222403 is, for example).`,
    };
  if (role === 'reviewer' && place?.applicant)
    return {
      zh: `审核单位须填市级、省级代码或 000000；${named}是县级，县级不审核。`,
      en: `A reviewer is a city, a province or 000000: ${place.code} is a county, and counties do not review.`,
    };
  if (role === 'operator' && place && !isProvincialRank(place.rank))
    return {
      zh: `运维人员须填 000000 或省级代码；${named}不是省级。`,
      en: `An operator works for 000000 or a province: ${place.code} is not one.`,
    };
  return undefined;
}

/** The gateway handler for everything under LOCAL_SIGN_IN_PREFIX. */
export function localSignIn(options: LocalSignInOptions): ExtraHandler {
  const callbacks = options.origins.map((origin) => `${origin.replace(/\/+$/, '')}${SIGN_IN_CALLBACK_PATH}`);
  const AuthorizeSchema = authorizeSchema(callbacks);
  const now = options.now ?? Date.now;
  const lifetime = options.codeLifetimeMs ?? CODE_LIFETIME_MS;
  // In memory only: a restart forgets unused codes, which then fail as expired ones do.
  const codes = new Map<string, PendingCode>();
  const csp = contentSecurityPolicy(callbacks);

  const mint = (request: AuthorizeRequest, principal: Principal): string => {
    const at = now();
    for (const [code, pending] of codes) if (pending.expiresAt <= at) codes.delete(code);
    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      principal,
      codeChallenge: request.code_challenge,
      redirectUri: request.redirect_uri,
      clientId: request.client_id,
      expiresAt: at + lifetime,
    });
    return code;
  };

  const authorize = async (req: IncomingMessage, res: ServerResponse, method: string, query: string) => {
    let fields: Record<string, string>;
    if (method === 'POST') {
      const form = await readForm(req);
      if ('error' in form) return sendPage(res, csp, form.status, problemPage([form.error]));
      fields = form.fields;
    } else {
      const params = singleValues(new URLSearchParams(query));
      if (!params) return sendPage(res, csp, 400, problemPage([REPEATED]));
      fields = params;
    }
    const request = AuthorizeSchema.safeParse(fields);
    // A request we cannot trust is answered here, never redirected: its redirect_uri is unchecked.
    if (!request.success) {
      const messages = request.error.issues.map((issue) => ({
        zh: '请求无效',
        en: `${String(issue.path[0])}: ${issue.message}`,
      }));
      return sendPage(res, csp, 400, problemPage(messages));
    }
    if (method !== 'POST') return sendPage(res, csp, 200, signInPage(request.data, {}, []));

    const chosen = principalFrom(fields);
    if ('problems' in chosen) return sendPage(res, csp, 400, signInPage(request.data, fields, chosen.problems));
    const location = new URL(request.data.redirect_uri);
    location.searchParams.set('code', mint(request.data, chosen.principal));
    if (request.data.state !== undefined) location.searchParams.set('state', request.data.state);
    res
      .writeHead(303, { location: location.href, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
      .end();
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const form = await readForm(req);
    if ('error' in form) return sendOAuthError(res, form.status === 413 ? 413 : 400, 'invalid_request');
    const { fields } = form;
    if (fields.grant_type === undefined) return sendOAuthError(res, 400, 'invalid_request');
    if (fields.grant_type !== 'authorization_code') return sendOAuthError(res, 400, 'unsupported_grant_type');
    // A code is spent the moment it is presented, whatever follows (RFC 6749 §4.1.2: use at most once).
    const pending = fields.code === undefined ? undefined : codes.get(fields.code);
    if (fields.code !== undefined) codes.delete(fields.code);
    const request = TokenRequestSchema.safeParse(fields);
    if (!request.success) return sendOAuthError(res, 400, 'invalid_request');
    const { client_id: clientId, redirect_uri: redirectUri, code_verifier: verifier } = request.data;
    if (
      !pending ||
      pending.expiresAt <= now() ||
      clientId !== pending.clientId ||
      redirectUri !== pending.redirectUri ||
      !sameSecret(pkceChallenge(verifier), pending.codeChallenge)
    ) {
      return sendOAuthError(res, 400, 'invalid_grant');
    }
    const idToken = await options.issuer.issue(pending.principal);
    sendJson(res, 200, { id_token: idToken, token_type: 'Bearer', expires_in: DEFAULT_TOKEN_HOURS * 3600 });
  };

  const hosts = new Set(options.origins.map((origin) => new URL(origin).host.toLowerCase()));
  const origins = new Set(options.origins.map((origin) => new URL(origin).origin));

  return async (req, res) => {
    // DNS rebinding: a page of another site whose name now resolves to 127.0.0.1 reaches this
    // issuer with its own name in Host. Only the loopback names it serves are answered.
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) {
      req.resume();
      return sendJson(res, 421, { error: 'misdirected_request' });
    }
    // Nothing here is for other sites' scripts or forms: a cross-origin POST is refused.
    if (req.method?.toUpperCase() === 'POST' && crossOrigin(req, origins)) {
      req.resume();
      return sendJson(res, 403, { error: 'cross_origin_request' });
    }
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    if (path === LOCAL_AUTHORIZE_PATH) {
      if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') return notAllowed(req, res, 'GET, HEAD, POST');
      return authorize(req, res, method, query);
    }
    if (path === LOCAL_TOKEN_PATH) {
      if (method !== 'POST') return notAllowed(req, res, 'POST');
      return token(req, res);
    }
    req.resume();
    sendJson(res, 404, { error: 'not_found' });
  };
}

// ---- requests ------------------------------------------------------------------------------

/** Whether a browser sent this request from another origin than the issuer's own pages. */
function crossOrigin(req: IncomingMessage, origins: ReadonlySet<string>): boolean {
  // Sec-Fetch-Site, where the browser sends it, decides alone: the issuer's own page is served
  // with `Referrer-Policy: no-referrer`, under which Chromium sends `Origin: null` on its own
  // same-origin form POST.
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  return origin !== undefined && !origins.has(origin);
}

const REPEATED: Bilingual = { zh: '参数重复', en: 'A parameter appears more than once.' };

/** OAuth parameters must not repeat (RFC 6749 §3.1); a repeat is refused rather than guessed at. */
function singleValues(params: URLSearchParams): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  for (const [name, value] of params) {
    if (Object.hasOwn(fields, name)) return undefined;
    fields[name] = value;
  }
  return fields;
}

type FormResult = { fields: Record<string, string> } | { status: number; error: Bilingual };

async function readForm(req: IncomingMessage): Promise<FormResult> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== FORM_TYPE) {
    req.resume();
    return { status: 400, error: { zh: '请以表单提交', en: `The body must be ${FORM_TYPE}.` } };
  }
  const tooLarge = { status: 413, error: { zh: '请求过大', en: `The body is larger than ${MAX_BODY_BYTES} bytes.` } };
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    req.resume();
    return tooLarge;
  }
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === 'too-large') return tooLarge;
  const fields = singleValues(new URLSearchParams(body.toString('utf8')));
  return fields ? { fields } : { status: 400, error: REPEATED };
}

// ---- answers -------------------------------------------------------------------------------

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      // RFC 6749 §5.1: token responses are never cached.
      'cache-control': 'no-store',
      pragma: 'no-cache',
      // An oversized upload is not read to its end: this connection is done.
      ...(status === 413 && { connection: 'close' }),
    })
    .end(body);
}

const sendOAuthError = (res: ServerResponse, status: number, error: string): void => sendJson(res, status, { error });

function notAllowed(req: IncomingMessage, res: ServerResponse, allow: string): void {
  req.resume();
  res.setHeader('allow', allow);
  sendJson(res, 405, { error: 'method_not_allowed' });
}

const STYLE = `
body{font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f4f5f7;color:#222}
main{max-width:30rem;margin:0 auto;padding:1rem}
section{background:#fff;border-radius:.5rem;padding:1rem 1.2rem;margin-bottom:1rem}
h1{font-size:1.25rem;margin:.2rem 0 .8rem}.en{color:#555;font-size:.9em}
.local{background:#fff4d6;border:1px solid #e0b84c;border-radius:.4rem;padding:.6rem .8rem;font-size:.9rem}
.problem{background:#fde8e8;border:1px solid #d66;border-radius:.4rem;padding:.6rem .8rem}
label{display:block;margin:.8rem 0 .3rem;font-weight:600}
input,select{box-sizing:border-box;width:100%;font:inherit;padding:.6rem;border:1px solid #bbb;border-radius:.4rem;background:#fff}
.hint{font-size:.85rem;color:#555;margin:.3rem 0 0}.hint code{background:#eee;padding:0 .2rem}
button{width:100%;margin-top:1.2rem;padding:.8rem;font:inherit;font-weight:600;color:#fff;background:#1f5fbf;border:0;border-radius:.4rem}
dl{font-size:.85rem;color:#555;word-break:break-all}dt{font-weight:600}dd{margin:0 0 .4rem}
`;

const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

/**
 * No script at all; the one stylesheet by its hash. Forms post to this page only; the callbacks
 * are listed too because browsers check form-action against the 303 that follows a submission.
 */
function contentSecurityPolicy(callbacks: readonly string[]): string {
  return [
    "default-src 'none'",
    `style-src 'sha256-${STYLE_HASH}'`,
    `form-action 'self' ${callbacks.join(' ')}`.trim(),
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function sendPage(res: ServerResponse, csp: string, status: number, body: SafeHtml): void {
  const document = html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex, nofollow">
<title>本地登录（代替 Cognito 登录页）/ Local sign-in, standing in for Cognito's page</title>
<style>${new SafeHtml(STYLE)}</style></head>
<body><main>${body}</main></body></html>`.value;
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(document),
      'content-security-policy': csp,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      ...(status === 413 && { connection: 'close' }),
    })
    .end(document);
}

const heading = html`<h1>本地登录（代替 Cognito 登录页）<br><span class="en">Local sign-in, standing in for Cognito's page</span></h1>`;

const standIn = html`<p class="local">这是开发用的本地替身，没有密码：它信任运行 <code>npm start</code> 的人（与 <code>npm run token</code> 相同）。在 AWS 上由 Cognito 的登录页验证身份。<br>
<span class="en">A development stand-in with no password: it trusts whoever runs <code>npm start</code> (as <code>npm run token</code> does). In AWS, Cognito's own page checks who you are.</span></p>`;

function problemList(problems: readonly Bilingual[]): SafeHtml {
  return html`<div class="problem" role="alert">${problems.map((p) => html`<p>${p.zh}<br><span class="en">${p.en}</span></p>`)}</div>`;
}

function problemPage(problems: readonly Bilingual[]): SafeHtml {
  return html`<section>${heading}
<p>无法处理此登录请求。请回到控制台重新登录。<br><span class="en">This sign-in request cannot be used. Go back to the console and sign in again.</span></p>
${problemList(problems)}</section>`;
}

function signInPage(
  request: AuthorizeRequest,
  entered: Record<string, string>,
  problems: readonly Bilingual[],
): SafeHtml {
  const role = entered.role ?? '';
  const hidden = (
    ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const
  ).map((name) => {
    const value = request[name];
    return value === undefined ? '' : html`<input type="hidden" name="${name}" value="${value}">`;
  });
  const examples = EXAMPLES.map((code) => ({ code, name: placeName(code) ?? '' }));
  return html`<section>${heading}${standIn}
${problems.length > 0 ? problemList(problems) : ''}
<form method="post" action="${LOCAL_AUTHORIZE_PATH}">${hidden}
<label for="role">角色 <span class="en">Role</span></label>
<select id="role" name="role" required>
${PRINCIPAL_ROLES.map(
  (r) =>
    html`<option value="${r}"${r === role ? new SafeHtml(' selected') : ''}>${ROLE_LABELS[r].zh} / ${ROLE_LABELS[r].en} (${r})</option>`,
)}
</select>
<label for="jurisdiction">行政区划代码 <span class="en">Jurisdiction (GB/T 2260)</span></label>
<input id="jurisdiction" name="jurisdiction" value="${entered.jurisdiction ?? ''}" required inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="off" list="examples" aria-describedby="jurisdiction-hint">
<datalist id="examples">${examples.map((e) => html`<option value="${e.code}">${e.name}</option>`)}</datalist>
<p class="hint" id="jurisdiction-hint">6 位代码：申报单位填县级，审核单位填市级、省级或 000000，运维人员填 000000 或省级。<br>
<span class="en">6 digits: an applicant's county; a reviewer's city, province or 000000; an operator's 000000 or province.</span><br>
${examples.map((e, i) => html`${i > 0 ? '，' : ''}<code>${e.code}</code> ${e.name}`)}</p>
<label for="name">姓名（可选） <span class="en">Display name (optional)</span></label>
<input id="name" name="name" value="${entered.name ?? ''}" maxlength="128" autocomplete="name">
<button type="submit">登录 / Sign in</button>
</form>
<dl><dt>应用 / Client</dt><dd>${request.client_id}</dd><dt>返回地址 / Returns to</dt><dd>${request.redirect_uri}</dd></dl>
</section>`;
}
