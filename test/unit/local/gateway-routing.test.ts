import { describe, expect, it } from 'vitest';
import { compileRoutes, matchRoutes, routedPath } from '../../../local/gateway/routing.ts';
import { ROUTES } from '../../../shared/platform/http/routes.ts';

/**
 * The local gateway routes as API Gateway's HTTP API does: one trailing slash is ignored (the
 * event keeps it in rawPath), so `/console/` and `/portal/` reach their pages in both runtimes
 * (`/console/` used to answer a JSON 404 here). The HTTP API cannot declare a route ending in a
 * slash, so the route table declares none and relies on that rule.
 */
const compiled = compileRoutes(ROUTES);
const routeKeysFor = (path: string) => matchRoutes(compiled, path).map((m) => m.compiled.routeKey);

describe('routing with and without a trailing slash', () => {
  it('sends /console/ and /portal/ to the pages /console and /portal serve', () => {
    expect(routeKeysFor('/console/')).toEqual(['GET /console']);
    expect(routeKeysFor('/console')).toEqual(['GET /console']);
    expect(routeKeysFor('/portal/')).toEqual(['GET /portal']);
    expect(routeKeysFor('/portal')).toEqual(['GET /portal']);
  });

  it('keeps the page parameter of /portal/edit/ as of /portal/edit', () => {
    const [match] = matchRoutes(compiled, '/portal/edit/');
    expect(match?.compiled.routeKey).toBe('GET /portal/{page}');
    expect(match?.values).toEqual(['edit']);
    expect(routeKeysFor('/console/board/')).toEqual(['GET /console/{page}']);
  });

  it('drops one slash only, never the root, and matches nothing for an empty page', () => {
    expect(routedPath('/')).toBe('/');
    expect(routedPath('/portal//')).toBe('/portal/');
    expect(routeKeysFor('/portal//')).toEqual([]);
  });

  it('declares no route whose path ends in a slash (the HTTP API refuses them)', () => {
    for (const route of ROUTES) expect(route.path.endsWith('/'), route.path).toBe(false);
  });
});
