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
import { registerCsvFile } from './export.ts';
import { myClustersPage, registerPage } from './pages.ts';
import { cohortPage, DEFAULT_COHORT_CAMPAIGN } from './cohort-page.ts';

export interface RegisterHandlerDeps {
  desk: Pick<RegisterDesk, 'view' | 'import' | 'migrate' | 'cohort' | 'decide'>;
}

/** The filter form's query: an empty choice ("全部") is no filter, and the language is the page's. */
function withoutEmpty(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([name, value]) => value !== '' && name !== 'lang'));
}

export function makeRegisterHandler({ desk }: RegisterHandlerDeps) {
  return httpHandler({
    'GET /v1/register': async (request) => json(200, await desk.view(signedIn(request), request.query)),
    'POST /v1/register/imports': async (request) => json(200, await desk.import(callerOf(request), request.body)),
    'POST /v1/register/migrations/recognized': async (request) => json(200, await desk.migrate(callerOf(request))),
    'POST /console/register/imports': async (request) => json(200, await desk.import(callerOf(request), request.body)),
    'GET /console/register': async (request) => {
      const principal = signedIn(request);
      const ctx = pageContext(langOf(request.query), 'register', request.query, principal);
      return registerPage(ctx, await desk.view(principal, withoutEmpty(request.query)));
    },
    'GET /console/register/export.csv': async (request) =>
      registerCsvFile(await desk.view(signedIn(request), withoutEmpty(request.query))),
    'GET /v1/register/cohort': async (request) => json(200, await desk.cohort(signedIn(request), request.query)),
    'POST /v1/register/decisions': async (request) => json(200, await desk.decide(callerOf(request), request.body)),
    'GET /console/register/cohort': async (request) => {
      const principal = signedIn(request);
      const ctx = pageContext(langOf(request.query), 'cohort', request.query, principal);
      const query = withoutEmpty(request.query);
      return cohortPage(ctx, await desk.cohort(principal, { campaignId: DEFAULT_COHORT_CAMPAIGN, ...query }));
    },
    'GET /portal/clusters': async (request) => {
      const principal = signedIn(request);
      const ctx = pageContext(langOf(request.query), 'clusters', request.query, principal, PORTAL_SITE);
      return myClustersPage(ctx, await desk.view(principal, {}));
    },
  });
}
