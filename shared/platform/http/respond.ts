import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { DomainError, type ErrorDetail, TooManyRequestsError } from '../errors.ts';
import { type Lang, oneLanguage, WORDS } from '../pages/i18n.ts';
import { refusalText } from '../pages/refusal.ts';

export type HttpResult = APIGatewayProxyResultV2 & { statusCode: number; body: string };

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(statusCode: number, body: unknown): HttpResult & { headers: Record<string, string> } {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

export function errorBody(code: string, message: string, details?: ErrorDetail[]) {
  return { error: { code, message, ...(details?.length ? { details } : {}) } };
}

/** The one error mapper: typed domain errors keep their status; anything else is a safe 500. */
export function errorResponse(error: unknown): HttpResult {
  if (error instanceof DomainError) {
    return withRetryAfter(error, json(error.status, errorBody(error.code, error.message, error.details)));
  }
  return json(500, errorBody('INTERNAL', 'Internal error'));
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/** Escaped for HTML text and attributes, and cut short: a refusal never echoes a whole hostile input. */
const text = (value: string) =>
  (value.length > 200 ? `${value.slice(0, 200)}…` : value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The same mapping for routes that answer people with pages (review links, the console), when
 * the request is refused before the page could render its own: a plain 4xx/5xx HTML page in the
 * page's language (`?lang=en`, else Chinese), naming each bad field, with the pages' strict
 * headers. What it says follows the pages' one rule (refusalText): the details alone, each in
 * the page's half (oneLanguage), else the message.
 */
export function errorPage(error: unknown, lang: Lang = 'zh'): HttpResult {
  const known = error instanceof DomainError;
  const statusCode = known ? error.status : 500;
  const shown = refusalText(known ? error.message : WORDS.internal[lang], known ? error.details : undefined);
  const items = (shown.details ?? [])
    .map((d) => `<li><code>${text(d.field ?? '')}</code> ${text(oneLanguage(lang, d.message))}</li>`)
    .join('');
  const title = WORDS.requestRefused[lang];
  const body = `<!doctype html>
<html lang="${lang === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex, nofollow">
<title>${statusCode} · ${text(title)}</title></head>
<body><main><h1>${text(title)}</h1>
${shown.details ? `<ul>${items}</ul>` : `<p>${text(oneLanguage(lang, shown.message ?? ''))}</p>`}</main></body></html>`;
  return withRetryAfter(error, { statusCode, headers: PAGE_HEADERS, body });
}

/** A 429 says when to try again (Retry-After, in seconds); other answers go through unchanged. */
export function withRetryAfter(
  error: unknown,
  result: HttpResult & { headers: Record<string, string> },
): HttpResult & { headers: Record<string, string> } {
  if (!(error instanceof TooManyRequestsError)) return result;
  const headers = { ...result.headers, 'retry-after': String(error.retryAfterSeconds) };
  return { statusCode: result.statusCode, body: result.body, headers };
}
