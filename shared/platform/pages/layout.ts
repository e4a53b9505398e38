/**
 * The console's page frame and the pieces every page shares: headers with a strict
 * Content-Security-Policy (one nonce per response for the inline stylesheet and scripts), the
 * 中文/English switch, links that keep the language, tables that scroll on a phone, quota
 * gauges, the self-refresh, who is signed in (with the sign-out button), and the 400/403/404/500
 * pages.
 *
 * Every interpolated value goes through the `html` tag of the review page, which escapes it.
 */
import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.ts';
import { html, SafeHtml } from './html.ts';
import { beijingTime } from '../time.ts';
import { QUOTA_SCOPE_WORDS, STATUS_WORDS, TRACK_WORDS } from '../words.ts';
import type { HttpResult } from '../http/respond.ts';
import { MIIT_CODE, placeName } from '../../rules/jurisdictions.ts';
import { APPLICATION_STATUSES, type Bilingual } from '../../schemas/common.ts';
import type { QuotaGauge, StatusCounts } from '../../schemas/ops.ts';
import { type Lang, oneLanguage, ROLE_TITLES, type Say, translator, type Word } from './i18n.ts';
import { refusalText } from './refusal.ts';
import { refusedTitle } from './punctuation.ts';

export { html, SafeHtml };

/** What a page answers: an HttpResult whose headers are always there. */
export type PageAnswer = HttpResult & { headers: Record<string, string> };

/** Where the console lives; its pages link to each other and to the JSON API by absolute path. */
export const CONSOLE_BASE = '/console';
/** Where the applicants' portal lives (shared/portal/). */
export const PORTAL_BASE = '/portal';
/** The sign-out form posts here (public route: it only clears the session cookie). */
export const SIGN_OUT_PATH = `${CONSOLE_BASE}/sign-out`;

/**
 * A site the frame serves: the ops console or the applicants' portal. Its base path, its name
 * (the brand link and the title's suffix) and its home page (where the brand link leads).
 */
export interface Site {
  base: string;
  /** The header's home link text and the title's suffix: a word, or the site's own bilingual name. */
  brand: Word | Bilingual;
  home: string;
  /**
   * The base the home is under when it is not `base`: the portal's sign-in page is served under
   * the console (/console/sign-in) and its brand leads to the portal's home.
   */
  homeBase?: string;
}

export const CONSOLE_SITE: Site = { base: CONSOLE_BASE, brand: 'console', home: 'board' };

/** What a page renderer gets: the language, its translator, and links that keep the language. */
export interface PageContext {
  lang: Lang;
  say: Say;
  /** `/console/<page>?<params>` (undefined params left out), with `lang=en` when in English. */
  link(page: string, params?: Record<string, string | undefined>): string;
  /** An instant in Beijing time, in the page's language. */
  when(iso: string): string;
  /** The request's own path and query, for the language switch. */
  self: { page: string; query: Record<string, string> };
  /** Who is signed in (shown in the header with a sign-out button); none on the sign-in page. */
  principal?: Principal;
  /** The console unless a portal page says otherwise. */
  site: Site;
}

/** `<base>/<page>`, or the base itself for the empty page (a site's home). */
const pathOf = (base: string, page: string) => (page === '' ? base : `${base}/${page}`);

export function pageContext(
  lang: Lang,
  page: string,
  query: Record<string, string>,
  principal?: Principal,
  site: Site = CONSOLE_SITE,
): PageContext {
  const link = (target: string, params: Record<string, string | undefined> = {}) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params))
      if (value !== undefined && key !== 'lang') search.set(key, value);
    if (lang === 'en') search.set('lang', 'en');
    const qs = search.toString();
    return `${pathOf(site.base, target)}${qs ? `?${qs}` : ''}`;
  };
  return {
    lang,
    say: translator(lang),
    link,
    when: (iso) => beijingTime(iso)[lang],
    self: { page, query },
    ...(principal && { principal }),
    site,
  };
}

/** Where the brand leads: the site's home, in the page's language. */
export function homeLink(ctx: PageContext): string {
  return `${pathOf(ctx.site.homeBase ?? ctx.site.base, ctx.site.home)}${ctx.lang === 'en' ? '?lang=en' : ''}`;
}

/** 303 to another console page (a provincial operator's home is its own jurisdiction). */
export function seeOther(location: string): PageAnswer {
  return { statusCode: 303, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

// ---- the frame ----------------------------------------------------------------------------

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1b1b1b;background:#f4f4f2}
main{max-width:80rem;margin:0 auto;padding:.75rem}
.top{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;margin:0 0 .75rem}
.top .brand{font-weight:600;color:#8a1c1c;text-decoration:none}
.top .side{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}
.who{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem;font-size:.9em;color:#555}
.who form{margin:0}
.who button{padding:.25rem .6rem;background:#555}
.lang a{padding:.25rem .5rem;border-radius:.3rem;text-decoration:none}
.lang a[aria-current]{background:#8a1c1c;color:#fff}
h1{font-size:1.35rem;line-height:1.3;margin:.25rem 0}
h2{font-size:1.05rem;margin:0 0 .5rem}
h3{font-size:.95rem;margin:.75rem 0 .25rem}
section{background:#fff;border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1rem;box-shadow:0 1px 2px rgba(0,0,0,.08);min-width:0}
.glance{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,22rem),1fr));gap:1rem;margin:0 0 1rem;align-items:start}
.glance section{margin:0}
.crumbs{margin:0 0 .5rem;color:#555}
.note{color:#555;font-size:.9em}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{border-top:1px solid #e6e6e6;padding:.35rem .5rem;text-align:left;vertical-align:top;white-space:nowrap}
td.wrap,th.wrap{white-space:normal;min-width:12rem;word-break:break-word}
th{background:#fafafa;font-weight:600}
td.n,th.n{text-align:right}
td.zero{color:#bbb}
tr.total td{font-weight:600;border-top:2px solid #ccc}
.late,.bad{color:#8a1c1c}
tr.late td,tr.past td{background:#fdf1f1}
.ok{color:#1b5e20}
.gauges{list-style:none;margin:0;padding:0}
.gauges li{padding:.4rem 0;border-top:1px solid #eee}
.gauge{display:flex;align-items:center;gap:.6rem;flex-wrap:wrap}
.gauge meter{flex:1 1 8rem;min-width:6rem;height:1.1rem}
.gauge .count{font-weight:600;font-variant-numeric:tabular-nums}
.gauge.full .count{color:#8a1c1c}
.holders{margin:.25rem 0 0 1rem;padding:0;font-size:.9em}
button{font:inherit;padding:.45rem .8rem;border:0;border-radius:.4rem;background:#8a1c1c;color:#fff;cursor:pointer}
button:disabled{background:#999}
a.button{display:inline-block;padding:.45rem .8rem;border-radius:.4rem;background:#8a1c1c;color:#fff;text-decoration:none;font-weight:600}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
textarea{display:block;width:100%;min-height:8rem;font:.85em/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;padding:.5rem;border:1px solid #bbb;border-radius:.4rem;word-break:break-all}
.problem{border-left:4px solid #8a1c1c;padding:.25rem .75rem;background:#fdf1f1}
output{display:block;font-size:.9em;margin-top:.25rem;white-space:normal}
code{font-size:.85em;word-break:break-all;white-space:normal}
td code{white-space:nowrap;word-break:normal}
td.wrap code,td.detail code{white-space:normal;word-break:break-all}
td.detail{min-width:16rem;max-width:28rem;white-space:normal;font-size:.85em}
details summary{cursor:pointer;color:#555;font-size:.9em}
.cause{max-width:28rem;white-space:pre-wrap;word-break:break-word;font-size:.85em}
ul.plain{list-style:none;padding:0;margin:0}ul.plain li{padding:.3rem 0;border-top:1px solid #eee}
footer{color:#666;font-size:.85em;text-align:center;padding:1rem 0}
input.text{display:block;width:100%;font:inherit;padding:.45rem .5rem;border:1px solid #bbb;border-radius:.4rem}
textarea.prose{font:inherit;word-break:normal}
[aria-invalid="true"],input.text[aria-invalid="true"]{border-color:#8a1c1c;border-width:2px}
.field-error{color:#8a1c1c;margin:.2rem 0 0;font-size:.9em}
dl.facts{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.25rem .75rem;margin:.5rem 0}
dl.facts dt{color:#555}dl.facts dd{margin:0;min-width:0;word-break:break-word}
fieldset{border:0;padding:0;margin:.5rem 0}legend{font-weight:600}
.choice{display:inline-flex;align-items:center;gap:.3rem;margin-right:1rem;font-weight:400}
@media (max-width:40rem){main{padding:.4rem}section{padding:.6rem}h1{font-size:1.15rem}th,td{padding:.3rem .35rem}}
@media print{.top,footer,.noprint{display:none!important}body{background:#fff}section{box-shadow:none}}
`;

/**
 * Reloads the page every 60 s, but not while someone is using it (a click or a key in the last
 * minute), nor in a hidden tab. Without script, a <noscript> meta refresh does the same.
 */
const REFRESH_SCRIPT = `(() => {
  let last = Date.now();
  for (const type of ['click', 'keydown', 'input', 'focusin']) addEventListener(type, () => { last = Date.now(); });
  setInterval(() => { if (!document.hidden && Date.now() - last >= 60000) location.reload(); }, 5000);
})();`;

/**
 * Buttons that POST to the JSON API and show the answer beside them:
 * `<button data-post="/console/…" data-out="id" data-busy data-ok data-failed [data-reload]>`.
 * `{field}` in data-ok is replaced by that field of the JSON answer; an error shows the error
 * body's message. Text goes in with textContent only.
 */
export const POST_BUTTON_SCRIPT = `(() => {
  for (const button of document.querySelectorAll('button[data-post]')) {
    button.addEventListener('click', async () => {
      const out = document.getElementById(button.dataset.out);
      const say = (text, kind) => { out.textContent = text; out.className = kind; };
      button.disabled = true;
      say(button.dataset.busy, '');
      try {
        const response = await fetch(button.dataset.post, { method: 'POST', headers: { accept: 'application/json' } });
        const body = await response.json().catch(() => ({}));
        if (response.ok) {
          say(button.dataset.ok.replace(/\\{(\\w+)\\}/g, (_, field) => [].concat(body[field] ?? '').join(', ')), 'ok');
          if (button.dataset.reload !== undefined) setTimeout(() => location.reload(), 1500);
        } else {
          const message = body && body.error && body.error.message;
          say((message || button.dataset.failed) + ' (' + response.status + ')', 'bad');
          button.disabled = false;
        }
      } catch (error) {
        say(button.dataset.failed + ': ' + error, 'bad');
        button.disabled = false;
      }
    });
  }
})();`;

export interface Frame {
  /** The document's title and the page's h1. */
  title: string;
  /**
   * The form on this page was refused and is shown again with its errors: the document's title
   * says so first (有误：… / Error: …), as the title is what a screen reader announces of a new
   * page and what a tab shows; the h1 stays the page's own.
   */
  refused?: boolean;
  /** Breadcrumbs above the title. */
  crumbs?: SafeHtml;
  body: SafeHtml;
  /** Inline scripts (constants of this module, never built from input). */
  scripts?: readonly string[];
  /** Default true: the page reloads itself every 60 s while idle. */
  refresh?: boolean;
  /** More CSS for this page (a constant of its module, never built from input), after the frame's. */
  style?: string;
  /**
   * A path of this site to move on to at once (`<meta http-equiv="refresh" content="0;url=…">`,
   * no script: the CSP governs no navigation). A navigation this page starts is same-site, so
   * it carries the SameSite=Strict session cookie, which a redirect would not after a cross-site
   * chain (signing in through the identity provider).
   */
  goTo?: string;
  /**
   * Origins the page's script may reach besides this site (CSP connect-src), each an origin
   * alone: the bucket's, for a page that embeds the evidence uploader (shared/portal/evidence-panel.ts).
   */
  connectSources?: readonly string[];
}

/**
 * An extra connect-src entry a page asks for, checked: an origin alone (http or https: scheme,
 * host, port; no path, no wildcard), else the page is not rendered. The evidence uploader posts
 * the bytes straight to the bucket, whose origin comes from the upload signer's configuration.
 */
export function connectOrigin(origin: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {
    parsed = undefined;
  }
  const plain = parsed !== undefined && parsed.origin === origin && !origin.includes('*');
  if (!plain || !['http:', 'https:'].includes(parsed?.protocol ?? '')) {
    throw new Error(`connect-src takes origins alone (https://host[:port]): ${origin}`);
  }
  return origin;
}

function contentSecurityPolicy(nonce: string, connect: readonly string[] = []): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    // The buttons' fetch() goes to this API; the evidence uploader's POST to the bucket too.
    ["connect-src 'self'", ...connect.map(connectOrigin)].join(' '),
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function headers(nonce: string, connect?: readonly string[]): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy(nonce, connect),
    'cache-control': 'no-store',
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };
}

function languageSwitch(ctx: PageContext): SafeHtml {
  const here = (lang: 'zh' | 'en') => {
    const search = new URLSearchParams(ctx.self.query);
    search.delete('lang');
    if (lang === 'en') search.set('lang', 'en');
    const qs = search.toString();
    return `${pathOf(ctx.site.base, ctx.self.page)}${qs ? `?${qs}` : ''}`;
  };
  const item = (lang: 'zh' | 'en', label: string, hreflang: string) =>
    html`<a href="${here(lang)}" hreflang="${hreflang}" lang="${hreflang}"${ctx.lang === lang ? new SafeHtml(' aria-current="page"') : ''}>${label}</a>`;
  return html`<nav class="lang" aria-label="Language / 语言">${item('zh', '中文', 'zh-CN')} ${item('en', 'English', 'en')}</nav>`;
}

/** "运维人员 · 吉林省" and a sign-out button (a plain form: it works without script). */
function whoIsSignedIn(ctx: PageContext): SafeHtml | string {
  const principal = ctx.principal;
  if (!principal) return '';
  const { say } = ctx;
  const place =
    principal.jurisdiction === MIIT_CODE && principal.role === 'operator'
      ? say('national')
      : (placeName(principal.jurisdiction) ?? principal.jurisdiction);
  const action = `${SIGN_OUT_PATH}${ctx.lang === 'en' ? '?lang=en' : ''}`;
  return html`<div class="who" data-signed-in="${principal.role}:${principal.jurisdiction}"><span>${say('signedInAs')}
${principal.name ? html`<strong>${principal.name}</strong> · ` : ''}${say(ROLE_TITLES[principal.role])} · ${place}</span>
<form method="post" action="${action}"><button type="submit">${say('signOut')}</button></form></div>`;
}

export function renderPage(statusCode: number, ctx: PageContext, frame: Frame): PageAnswer {
  const nonce = randomBytes(16).toString('base64');
  const refresh = frame.refresh ?? true;
  const scripts = [...(refresh ? [REFRESH_SCRIPT] : []), ...(frame.scripts ?? [])];
  const document = html`<!doctype html>
<html lang="${ctx.lang === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
${refresh ? html`<noscript><meta http-equiv="refresh" content="60"></noscript>` : ''}
${frame.goTo === undefined ? '' : html`<meta http-equiv="refresh" content="0;url=${frame.goTo}">`}
<title>${frame.refused ? refusedTitle(ctx.lang, frame.title) : frame.title} · ${ctx.say(ctx.site.brand)}</title>
<style nonce="${nonce}">${new SafeHtml(STYLE + (frame.style ?? ''))}</style></head>
<body><main>
<div class="top"><a class="brand" href="${homeLink(ctx)}">${ctx.say(ctx.site.brand)}</a><div class="side">${whoIsSignedIn(ctx)}${languageSwitch(ctx)}</div></div>
${frame.crumbs ? html`<p class="crumbs">${frame.crumbs}</p>` : ''}
<h1>${frame.title}</h1>
${frame.body}
<footer>${refresh ? ctx.say('refreshNote') : ''}</footer>
</main>
${scripts.map((script) => html`<script nonce="${nonce}">${new SafeHtml(script)}</script>`)}
</body></html>`;
  return { statusCode, headers: headers(nonce, frame.connectSources), body: document.value };
}

// ---- error pages --------------------------------------------------------------------------

export interface ProblemDetail {
  field?: string;
  message: string;
}

export interface ProblemOptions {
  /**
   * The refusal answers a form posted from the page this context is for (`ctx.self.page`): titled
   * 未能办理 / Not done unless it is a 403 or 404 (the page's own title then), and the first way
   * back is to that page, to mend what the details name.
   */
  fromForm?: boolean;
}

/**
 * 400 (naming each bad field), 403, 404, 409 …: what went wrong, and the way back: to the form
 * that was refused, and to the board, or for a reviewer (who watches no board) to the inbox. The
 * details stand alone where there are some (refusalText): the message is the API's one line for
 * developers (`Invalid request: reason`, a 403's `An operator of 220000 may not …`). Each says
 * its page's half of a message written in both languages (oneLanguage): a 403's rule is
 * `只能查看本辖区的运维数据 / you may not watch a jurisdiction outside its scope`.
 */
export function problemPage(
  statusCode: number,
  ctx: PageContext,
  title: Word,
  message: string,
  details: readonly ProblemDetail[] = [],
  options: ProblemOptions = {},
): PageAnswer {
  const { say } = ctx;
  const refusedForm = options.fromForm === true && statusCode !== 403 && statusCode !== 404;
  const shown = refusalText(message, details);
  const body = html`<section>
${
  shown.details
    ? html`<div class="scroll"><table><thead><tr><th>${say('field')}</th><th class="wrap">${say('problem')}</th></tr></thead><tbody>${shown.details.map(
        (d) =>
          html`<tr><td><code>${d.field ?? ''}</code></td><td class="wrap">${oneLanguage(ctx.lang, d.message)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${oneLanguage(ctx.lang, shown.message)}</p>`
}
<p>${options.fromForm ? html`<a href="${ctx.link(ctx.self.page)}">${say('backToForm')}</a> · ` : ''}${
    ctx.site.base !== CONSOLE_BASE
      ? html`<a href="${homeLink(ctx)}">${say(ctx.site.brand)}</a>`
      : ctx.principal?.role === 'reviewer'
        ? html`<a href="${ctx.link('inbox')}">${say('toInbox')}</a>`
        : html`<a href="${ctx.link('board')}">${say('backToBoard')}</a>`
  }</p>
</section>`;
  return renderPage(statusCode, ctx, { title: say(refusedForm ? 'notDone' : title), body, refresh: false });
}

// ---- widgets ------------------------------------------------------------------------------

/**
 * Wraps a table so it scrolls sideways on a narrow screen instead of widening the page; focusable,
 * so a keyboard can scroll it too (axe: scrollable-region-focusable).
 */
export const scroll = (table: SafeHtml) => html`<div class="scroll" tabindex="0">${table}</div>`;

/** One header cell per application status, in the ladder's order. */
export const statusHeads = (say: Say) =>
  APPLICATION_STATUSES.map(
    (status) => html`<th class="n" data-status="${status}">${say(STATUS_WORDS[status].console)}</th>`,
  );

/** One cell per application status (zero greyed), each marked with its status. */
export const statusCells = (counts: StatusCounts) =>
  APPLICATION_STATUSES.map((status) => {
    const n = counts[status] ?? 0;
    return html`<td class="n${n === 0 ? ' zero' : ''}" data-status="${status}">${n}</td>`;
  });

/**
 * A quota as a bar and "used / limit"; with `holders`, who holds each slot (linking to the
 * application's timeline).
 */
export function gauge(ctx: PageContext, quota: QuotaGauge, options: { holders?: boolean } = {}): SafeHtml {
  const { say } = ctx;
  const full = quota.used >= quota.limit;
  const max = Math.max(quota.limit, 1);
  const left = Math.max(quota.limit - quota.used, 0);
  const holders = options.holders
    ? html`<ol class="holders" aria-label="${say('holders')}">${(quota.holders ?? []).map(
        (h) =>
          html`<li><a href="${ctx.link('application', { id: h.applicationId })}">${h.clusterName ?? h.applicationId}</a></li>`,
      )}</ol>${(quota.holders ?? []).length === 0 ? html`<p class="note">${say('noHolders')}</p>` : ''}`
    : '';
  return html`<li data-quota="${quota.track}#${quota.scope}#${quota.jurisdictionCode}">
<div><strong>${quota.name}</strong> · ${say(QUOTA_SCOPE_WORDS[quota.scope].title)} · <span class="note">${say(TRACK_WORDS[quota.track].title)}</span></div>
<div class="gauge${full ? ' full' : ''}"><meter min="0" max="${max}" value="${Math.min(quota.used, max)}" low="${max * 0.5}" high="${max * 0.99}" optimum="0" title="${quota.used} / ${quota.limit}">${quota.used} / ${quota.limit}</meter>
<span class="count">${quota.used} / ${quota.limit}</span> <span class="note">${full ? say('full') : `${say('left')} ${left}`}</span></div>
${holders}</li>`;
}

export const gauges = (ctx: PageContext, quotas: readonly QuotaGauge[], options: { holders?: boolean } = {}) =>
  quotas.length
    ? html`<ul class="gauges">${quotas.map((q) => gauge(ctx, q, options))}</ul>`
    : html`<p class="note">${ctx.say('noQuotas')}</p>`;
