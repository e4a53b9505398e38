import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Caller, Principal } from '../auth/principal.ts';
import { principalFromClaims } from '../auth/principal.ts';
import { ForbiddenError } from '../auth/policy.ts';
import { bearerToken, sessionToken, UnauthenticatedError } from '../auth/verify.ts';
import { tokenVerifierFromEnv } from '../../composition/auth.ts';
import { DomainError, type ErrorDetail, ValidationError } from '../errors.ts';
import { redactingReplacer } from '../redact.ts';
import { langOf } from '../pages/i18n.ts';
import { CONSOLE_BASE, PORTAL_BASE } from '../pages/layout.ts';
import type { RequestLimiter } from '../limits/limiter.ts';
import type { LimitedAction } from '../limits/policy.ts';
import { errorBody, errorPage, errorResponse, type HttpResult, json } from './respond.ts';
import {
  accessOf,
  readsBody,
  ROUTES,
  type Route,
  type RouteAccess,
  type RouteKey,
  routeKey,
  SIGN_IN_PATH,
  UNSAVED_PARAM,
} from './routes.ts';

/** Every string it writes is redacted: an error message quoting a review link keeps no secret. */
export const logger = new Logger({ serviceName: 'cluster-pipeline', jsonReplacerFn: redactingReplacer });

/** What an operation sees of the request: already decoded, nothing AWS-specific. */
export interface ApiRequest {
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
  headers: Record<string, string>;
  /** The request's cookies, "name=value" each (payload 2.0 moves them out of the headers). */
  cookies?: readonly string[];
  requestId: string;
  /**
   * Who is signed in: always present on `token` routes (the JWT authorizer let the request in)
   * and `session` routes (the console redirects to sign-in otherwise); on `link` routes only when
   * a Bearer token came with the request; never on `public` routes.
   */
  principal?: Principal;
  /** The address the request came from (API Gateway's requestContext.http.sourceIp): per-client limits. */
  sourceIp?: string;
}

/** The signed-in principal of a request; 401 when there is none. */
export function signedIn(request: Pick<ApiRequest, 'principal'>): Principal {
  if (!request.principal) throw new UnauthenticatedError();
  return request.principal;
}

/** The signed-in caller of a request (401 when none), for domain calls and their audit trail. */
export const callerOf = (request: Pick<ApiRequest, 'principal' | 'requestId'>): Caller => ({
  principal: signedIn(request),
  requestId: request.requestId,
});

export type Operation = (request: ApiRequest) => Promise<HttpResult>;

const MAX_BODY_BYTES = 1024 * 1024;
/** Ids in paths are short (a UUID, a review id, a campaign slug); DynamoDB refuses keys over 1 KiB. */
const MAX_PATH_PARAMETER_BYTES = 256;

/** Route keys of the routes that read no body (GET, and POSTs that act on their path alone). */
const BODILESS: ReadonlySet<string> = new Set(ROUTES.filter((route) => !readsBody(route)).map(routeKey));
/** Route keys of the routes that answer HTML pages: their refusals are pages too. */
const PAGES: ReadonlySet<string> = new Set(ROUTES.filter((route: Route) => route.page === true).map(routeKey));
/** How each route is authorised (routeKey → access); a route not in the table needs a token. */
const ACCESS: ReadonlyMap<string, RouteAccess> = new Map(
  ROUTES.map((route: Route) => [routeKey(route), accessOf(route)]),
);

/**
 * The principal a request carries, by the route's access:
 *   token    the claims the JWT authorizer verified (401 if there are none: a misconfigured route);
 *   link     a Bearer token when one is sent (verified here), else none: the link's secret decides;
 *   session  a Bearer token or the session cookie, verified here; none means "sign in first";
 *   public   none.
 */
async function principalOf(event: APIGatewayProxyEventV2, access: RouteAccess): Promise<Principal | undefined> {
  if (access === 'public') return undefined;
  if (access === 'token') {
    const context = event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } } | undefined;
    const principal = principalFromClaims(context?.authorizer?.jwt?.claims);
    if (!principal) throw new UnauthenticatedError();
    return principal;
  }
  const token = bearerToken(event.headers ?? {}) ?? (access === 'session' ? sessionToken(event.cookies) : undefined);
  return token === undefined ? undefined : tokenVerifierFromEnv().verify(token);
}

/**
 * Whether a browser sent this request from another site. The session cookie (SameSite=Strict)
 * should not ride along then, but the console's POSTs (sign-in, redrive, resend) also refuse it
 * themselves: Sec-Fetch-Site where the browser sends it, else the Origin against the Host.
 */
function crossSite(headers: Record<string, string | undefined>): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  if (headers.origin === undefined) return false;
  try {
    return new URL(headers.origin).host !== headers.host;
  } catch {
    return true;
  }
}

/**
 * The page a form was posted from, when the browser names one of this site's (the pages send
 * Referrer-Policy: same-origin, so a form on them names its page); undefined otherwise.
 */
function formPage(headers: Record<string, string | undefined>): string | undefined {
  const referer = headers.referer;
  if (referer === undefined || headers.host === undefined) return undefined;
  try {
    const url = new URL(referer);
    return url.host === headers.host ? `${url.pathname}${url.search}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * 303 to the sign-in page, coming back to where the browser was going. A GET comes back to
 * itself. A form's POST cannot (a GET of its path answers 405, and what it carried is gone): it
 * comes back to the page the form was on, or the site's home when that is not known, and the
 * sign-in page says the entries were not saved. The sign-in page checks `next` either way.
 */
function toSignIn(event: APIGatewayProxyEventV2): HttpResult {
  const get = (event.requestContext?.http?.method ?? 'GET') === 'GET';
  const home = event.rawPath.startsWith(`${PORTAL_BASE}/`) ? PORTAL_BASE : CONSOLE_BASE;
  const back = get
    ? `${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`
    : (formPage(event.headers ?? {}) ?? home);
  return {
    statusCode: 303,
    headers: {
      location: `${SIGN_IN_PATH}?next=${encodeURIComponent(back)}${get ? '' : `&${UNSAVED_PARAM}=1`}`,
      'cache-control': 'no-store',
    },
    body: '',
  };
}

/** Refuses bytes that are not UTF-8 instead of turning them into U+FFFD. A BOM is kept (and is not JSON). */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A UTF-16 surrogate without its pair: no UTF-8 encoding exists, so DynamoDB and URLs cannot carry it. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

const refuse = (message: string, field: string, code: string, detail: string) =>
  new ValidationError(message, [{ field, code, message: detail }]);

/** The dotted path of the first string (value or key) holding a lone surrogate, or undefined. */
function illFormedAt(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [next, path] = stack.pop() as [unknown, string];
    if (typeof next === 'string') {
      if (LONE_SURROGATE.test(next)) return path || '(body)';
    } else if (next !== null && typeof next === 'object') {
      for (const key of Object.keys(next)) {
        const at = path ? `${path}.${key}` : key;
        if (LONE_SURROGATE.test(key)) return path || '(body)';
        stack.push([(next as Record<string, unknown>)[key], at]);
      }
    }
  }
  return undefined;
}

const isEmptyObject = (value: unknown) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;

function decodeBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  let text = event.body;
  if (event.isBase64Encoded) {
    try {
      text = UTF8.decode(Buffer.from(event.body, 'base64'));
    } catch {
      throw refuse('Request body is not UTF-8', '(body)', 'invalid_encoding', 'the body must be UTF-8 text');
    }
  }
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw refuse('Request body is too large', '(body)', 'too_big', 'the body must be at most 1 MiB');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw refuse('Request body is not valid JSON', '(body)', 'invalid_json', 'the body must be a JSON document');
  }
  const bad = illFormedAt(value);
  if (bad !== undefined) {
    throw refuse(
      'Request body is not well-formed Unicode',
      bad,
      'invalid_unicode',
      'must not contain lone surrogates (\\uD800–\\uDFFF)',
    );
  }
  if (BODILESS.has(event.routeKey) && !isEmptyObject(value)) {
    throw refuse(`${event.routeKey} takes no request body`, '(body)', 'unexpected_body', 'send no body (or {})');
  }
  return value;
}

/** The entries that have a value, as own properties: a parameter named `__proto__` stays a parameter. */
function defined(record: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    if (value !== undefined)
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Path parameters or query values, checked before any operation sees them: every name and value
 * well-formed Unicode, a path parameter at most MAX_PATH_PARAMETER_BYTES; otherwise 400 naming
 * each (`path.campaignId`, `query.t`).
 */
function parameters(
  record: Record<string, string | undefined> | undefined,
  where: 'path' | 'query',
): Record<string, string> {
  const out = defined(record);
  const problems: ErrorDetail[] = [];
  for (const [key, value] of Object.entries(out)) {
    const field = `${where}.${key}`;
    if (LONE_SURROGATE.test(key) || LONE_SURROGATE.test(value)) {
      problems.push({ field, code: 'invalid_unicode', message: 'must not contain lone surrogates' });
    } else if (where === 'path' && Buffer.byteLength(value) > MAX_PATH_PARAMETER_BYTES) {
      problems.push({ field, code: 'too_big', message: `must be at most ${MAX_PATH_PARAMETER_BYTES} bytes` });
    }
  }
  if (problems.length > 0) {
    throw new ValidationError(`Invalid ${where}: ${problems.map((p) => p.field).join(', ')}`, problems);
  }
  return out;
}

/**
 * Per-client limits on some routes: each named route counts against its action's limits for the
 * signed-in person and the source address before the operation runs (429 with Retry-After).
 */
export interface RouteLimits {
  limiter: Pick<RequestLimiter, 'enforce'>;
  actions: Partial<Record<RouteKey, LimitedAction>>;
}

/**
 * Builds an HTTP API (payload 2.0) handler that dispatches on the route key and maps every
 * error in one place. Handlers stay thin: parse, call the domain, answer.
 */
export function httpHandler(operations: Partial<Record<RouteKey, Operation>>, limits?: RouteLimits) {
  return async (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> => {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
    logger.appendKeys({ requestId, routeKey: event.routeKey });
    try {
      const operation = operations[event.routeKey as RouteKey];
      if (!operation) {
        return json(404, errorBody('ROUTE_NOT_FOUND', `No route ${event.routeKey}`));
      }
      const access = ACCESS.get(event.routeKey) ?? 'token';
      if (
        (access === 'session' || access === 'public') &&
        // Whatever changes something (POST, and the evidence uploader's DELETE).
        (event.requestContext?.http?.method ?? 'GET') !== 'GET' &&
        crossSite(event.headers ?? {})
      ) {
        throw new ForbiddenError('The console takes no requests from other sites', [
          { field: 'origin', code: 'CROSS_SITE', message: '只接受本站页面提交 / only from this site’s own pages' },
        ]);
      }
      let principal: Principal | undefined;
      try {
        principal = await principalOf(event, access);
      } catch (error) {
        // A console page whose session is missing or expired goes to sign-in; the API answers 401.
        if (access === 'session' && error instanceof UnauthenticatedError && PAGES.has(event.routeKey))
          return toSignIn(event);
        throw error;
      }
      if (access === 'session' && !principal) {
        if (PAGES.has(event.routeKey)) return toSignIn(event);
        throw new UnauthenticatedError();
      }
      if (principal) logger.appendKeys({ role: principal.role, jurisdiction: principal.jurisdiction });
      const sourceIp = event.requestContext?.http?.sourceIp;
      const action = limits?.actions[event.routeKey as RouteKey];
      if (limits && action) await limits.limiter.enforce(action, { sub: principal?.sub, sourceIp });
      return await operation({
        pathParameters: parameters(event.pathParameters, 'path'),
        query: parameters(event.queryStringParameters, 'query'),
        body: decodeBody(event),
        headers: defined(event.headers),
        ...(event.cookies && { cookies: event.cookies }),
        requestId,
        ...(principal && { principal }),
        ...(sourceIp && { sourceIp }),
      });
    } catch (error) {
      if (error instanceof DomainError) {
        logger.info('request refused', { code: error.code, status: error.status });
      } else {
        logger.error('request failed', error as Error);
      }
      return PAGES.has(event.routeKey)
        ? errorPage(error, langOf(defined(event.queryStringParameters)))
        : errorResponse(error);
    } finally {
      logger.removeKeys(['requestId', 'routeKey', 'role', 'jurisdiction']);
    }
  };
}
