import type { Route } from '../../shared/platform/http/routes.ts';

/**
 * Routing as API Gateway's HTTP API does it: `{param}` and greedy `{param+}` path segments, the
 * most specific route (most literal segments) first.
 */

/** A route as the gateway needs it: ROUTES entries fit, tests may pass their own. */
export interface GatewayRoute {
  method: string;
  path: string;
  fn: string;
  /** As in ROUTES; default `token`. */
  access?: Route['access'];
}

export interface CompiledRoute {
  route: GatewayRoute;
  routeKey: string;
  pattern: RegExp;
  params: string[];
  /** More literal segments = more specific, as API Gateway prefers. */
  literals: number;
}

export function compileRoutes(routes: readonly GatewayRoute[]): CompiledRoute[] {
  return routes
    .map((route) => {
      const params: string[] = [];
      let literals = 0;
      const source = route.path
        .split('/')
        .map((segment) => {
          const param = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
          if (!param?.[1]) {
            literals += 1;
            return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          }
          params.push(param[1]);
          return param[2] ? '(.+)' : '([^/]+)';
        })
        .join('/');
      return {
        route,
        routeKey: `${route.method} ${route.path}`,
        pattern: new RegExp(`^${source}$`),
        params,
        literals,
      };
    })
    .sort((a, b) => b.literals - a.literals);
}

/**
 * The path a route is matched against: API Gateway's HTTP API routes `/console/` as `/console`
 * (one trailing slash is ignored; the event's rawPath keeps it), and refuses to declare a route
 * whose path ends in a slash. So `/portal/` and `/console/` reach their pages, here as in AWS.
 */
export const routedPath = (rawPath: string): string =>
  rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;

/** Every route whose path matches, with the raw values of its path parameters. */
export function matchRoutes(
  routes: readonly CompiledRoute[],
  rawPath: string,
): { compiled: CompiledRoute; values: string[] }[] {
  const path = routedPath(rawPath);
  return routes.flatMap((compiled) => {
    const found = compiled.pattern.exec(path);
    return found ? [{ compiled, values: found.slice(1) }] : [];
  });
}
