/**
 * Secrets that travel in URLs never reach a log line: the review link's `t`, the sign-in's
 * `code`, `state` and PKCE verifier, tokens. Used by the handlers' logger (every string it
 * serialises) and the local gateway (its access and error lines).
 */

const SECRET_PARAMETERS = ['t', 'code', 'state', 'code_verifier', 'id_token', 'access_token', 'token', 'secret'];

/** `name=value` of a secret parameter, after `?`, `&` or `;` (URLs, query strings, cookies). */
const SECRET_IN_TEXT = new RegExp(`((?:^|[?&;\\s])(?:${SECRET_PARAMETERS.join('|')})=)[^&;\\s#"'<>]+`, 'gi');

/** The text with every secret parameter's value replaced by `…`. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_IN_TEXT, '$1…');
}

/** A request target as logs may show it: the path, and `?…` for a query. */
export function redactUrl(url: string | undefined): string {
  const target = url ?? '/';
  const queryAt = target.indexOf('?');
  return queryAt === -1 ? target : `${target.slice(0, queryAt)}?…`;
}

/** A JSON.stringify replacer for loggers: every string value redacted. */
export const redactingReplacer = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? redactSecrets(value) : value;
