/**
 * The frame every page of the review link shares: the stylesheet, the strict
 * Content-Security-Policy (and the wider one of a page carrying the evidence uploader), the
 * no-store headers, and the plain notice page. Apart from what the pages say, because the policy
 * and headers change for security reasons only, and one frame serves the review page and the
 * pages answering its forms.
 */
import { createHash } from 'node:crypto';
import type { Bilingual } from '../schemas/common.ts';
import { html, SafeHtml } from '../platform/pages/html.ts';
import { connectOrigin } from '../platform/pages/layout.ts';
import { EVIDENCE_PANEL_STYLE } from '../portal/evidence-panel.ts';
import { UPLOADER_SCRIPT } from '../portal/uploader-script.ts';
import { STEP_STYLE } from './step-page.ts';

export const bi = (text: Bilingual) => html`${text.zh}<br><span class="en">${text.en}</span>`;

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1b1b1b;background:#f4f4f2}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;line-height:1.3;margin:.25rem 0}
h2{font-size:1.1rem;margin:0 0 .5rem}
section,header{background:#fff;border-radius:.5rem;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.en{color:#555;font-size:.9em}
.stage{color:#8a1c1c;font-weight:600;margin:0}
.deadline strong{color:#8a1c1c}
dl{margin:0}dt{font-weight:600;margin-top:.5rem}dd{margin:0}
ul{padding-left:1.2rem}li{margin:.4rem 0}
.files{list-style:none;padding:0}.files li{border-top:1px solid #eee;padding:.5rem 0}
.files a{display:inline-block;padding:.5rem 0;word-break:break-all}
.ok{color:#1b5e20}.bad{color:#8a1c1c}
.warn{border-left:4px solid #e0a000}
.problem{border-left:4px solid #8a1c1c;padding:.25rem .75rem;margin:0 0 1rem}
.field-error{color:#8a1c1c;font-weight:600;margin:.25rem 0}
.note{color:#555;font-size:.9em}
details{border-top:1px solid #eee;padding:.4rem 0}summary{cursor:pointer;font-weight:600}
details p{white-space:pre-wrap}
fieldset{border:1px solid #ddd;border-radius:.5rem;margin:0 0 1rem;padding:.5rem 1rem}
.choice{display:block;padding:.6rem 0;font-size:1.05rem}
.choice input{width:1.3rem;height:1.3rem;vertical-align:middle;margin-right:.5rem}
label{display:block;margin:.5rem 0 .25rem}
textarea,input[type=number]{width:100%;font:inherit;padding:.6rem;border:1px solid #bbb;border-radius:.4rem}
button{width:100%;font:inherit;font-size:1.15rem;font-weight:600;padding:1rem;border:0;border-radius:.5rem;background:#8a1c1c;color:#fff}
table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #eee;padding:.3rem;text-align:left}
a.back{display:block;text-align:center;padding:1rem;background:#fff;border-radius:.5rem}
${STEP_STYLE}`;

const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

/** No script, no external asset; the one stylesheet by its hash; forms post back to this API only. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // The URL holds the link's secret: keep it out of caches and other sites' logs.
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

export interface PageResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');
const UPLOADER_STYLE = STYLE + EVIDENCE_PANEL_STYLE;
const UPLOADER_STYLE_HASH = sha256(UPLOADER_STYLE);
const UPLOADER_SCRIPT_HASH = sha256(UPLOADER_SCRIPT);

/**
 * The policy of a page with the uploader: its stylesheet and its one script by their hashes;
 * fetch() to this API and the upload's POST to the bucket's origin, nothing else.
 */
export function uploaderContentSecurityPolicy(uploadOrigin: string): string {
  const origin = connectOrigin(uploadOrigin);
  return [
    "default-src 'none'",
    `style-src 'sha256-${UPLOADER_STYLE_HASH}'`,
    `script-src 'sha256-${UPLOADER_SCRIPT_HASH}'`,
    `connect-src 'self' ${origin}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A whole page with its headers; with `uploadOrigin`, the uploader's stylesheet, script and policy. */
export function page(statusCode: number, title: string, body: SafeHtml, uploadOrigin?: string): PageResult {
  const uploader = uploadOrigin !== undefined;
  const document = html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex, nofollow">
<title>${title}</title><style>${new SafeHtml(uploader ? UPLOADER_STYLE : STYLE)}</style></head>
<body><main>${body}</main>${uploader ? html`<script>${new SafeHtml(UPLOADER_SCRIPT)}</script>` : ''}</body></html>`;
  const headers = uploader
    ? { ...PAGE_HEADERS, 'content-security-policy': uploaderContentSecurityPolicy(uploadOrigin) }
    : { ...PAGE_HEADERS };
  return { statusCode, headers, body: document.value };
}

/** A page that only tells something: a title and a few lines. */
export function notice(statusCode: number, title: Bilingual, lines: SafeHtml[]): PageResult {
  return page(statusCode, `${title.zh} / ${title.en}`, html`<section><h1>${bi(title)}</h1>${lines}</section>`);
}
