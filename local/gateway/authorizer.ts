import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../../shared/platform/auth/verify.ts';
import { accessOf, type Route } from '../../shared/platform/http/routes.ts';
import type { GatewayRoute } from './routing.ts';

/**
 * The stand-in for the HTTP API's JWT authorizer: a `token` route without a valid Bearer token is
 * refused (401) before any handler runs, as API Gateway refuses it, and the verified claims reach
 * the handler in `requestContext.authorizer.jwt.claims`, as strings.
 */

/** Verifies a token as the JWT authorizer does; resolves to its claims, rejects when refused. */
export type JwtAuthorizer = (token: string) => Promise<Record<string, unknown>>;

/**
 * The verified claims of a `token` route's request, undefined when the route needs no token (or
 * no authorizer guards the gateway), 'refused' when the token is missing or not valid.
 */
export async function authorize(
  authorizer: JwtAuthorizer | undefined,
  route: GatewayRoute,
  req: IncomingMessage,
): Promise<Record<string, unknown> | undefined | 'refused'> {
  if (!authorizer || accessOf(route as Route) !== 'token') return undefined;
  const token = bearerToken(req.headers as Record<string, string | undefined>);
  try {
    if (token === undefined) throw new Error('no token');
    return await authorizer(token);
  } catch {
    return 'refused';
  }
}

/** As HTTP API hands claims over: every value a string, lists as "[a b]". */
export const claimStrings = (claims: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : Array.isArray(value) ? `[${value.join(' ')}]` : String(value),
    ]),
  );
