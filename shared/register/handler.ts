/**
 * The register function's face: the JSON API (the entries in the caller's scope, a list's
 * import, the migration), the console's register page with its import form, and the county's
 * "my recognised clusters" on the portal.
 */
import { callerOf, httpHandler, signedIn } from '../platform/http/handler.ts';
import { json } from '../platform/http/respond.ts';
import { langOf } from '../platform/pages/i18n.ts';
import { pageContext } from '../platform/pages/layout.ts';
import { PORTAL_SITE } from '../portal/parts.ts';
import type { RegisterDesk } from './desk.ts';
import { myClustersPage, registerPage } from './pages.ts';

export interface RegisterHandlerDeps {
  desk: Pick<RegisterDesk, 'view' | 'import' | 'migrate'>;
}

export function makeRegisterHandler({ desk }: RegisterHandlerDeps) {
  return httpHandler({
    'GET /v1/register': async (request) => json(200, await desk.view(signedIn(request), request.query)),
    'POST /v1/register/imports': async (request) => json(200, await desk.import(callerOf(request), request.body)),
    'POST /v1/register/migrations/recognized': async (request) => json(200, await desk.migrate(callerOf(request))),
    'POST /console/register/imports': async (request) => json(200, await desk.import(callerOf(request), request.body)),
    'GET /console/register': async (request) => {
      const principal = signedIn(request);
      const { lang: _lang, ...query } = request.query;
      const ctx = pageContext(langOf(request.query), 'register', request.query, principal);
      // Empty choices of the filter form ("全部") are no filter.
      const filter = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
      return registerPage(ctx, await desk.view(principal, filter));
    },
    'GET /portal/clusters': async (request) => {
      const principal = signedIn(request);
      const ctx = pageContext(langOf(request.query), 'clusters', request.query, principal, PORTAL_SITE);
      return myClustersPage(ctx, await desk.view(principal, {}));
    },
  });
}
