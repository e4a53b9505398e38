import { httpHandler, signedIn } from '../platform/http/handler.ts';
import { json } from '../platform/http/respond.ts';
import { docsPage } from '../platform/openapi/docs-page.ts';
import { openApiDocument } from '../platform/openapi/document.ts';
import type { CampaignCatalog } from './campaigns.ts';

/*
 * The campaigns function's face, in a module of its own: it alone serves the API's documentation,
 * whose generator reads every schema, so no other function's bundle carries that.
 */

export interface CampaignsHandlerDeps {
  catalog: Pick<CampaignCatalog, 'list' | 'get' | 'view' | 'add'>;
}

/** Anyone signed in reads campaigns; the catalog checks who may add one. */
export function makeCampaignsHandler({ catalog }: CampaignsHandlerDeps) {
  return httpHandler({
    'GET /v1/campaigns': async (request) => {
      signedIn(request);
      return json(200, { campaigns: await catalog.list() });
    },
    'GET /v1/campaigns/{campaignId}': async (request) => {
      signedIn(request);
      return json(200, catalog.view(await catalog.get(request.pathParameters.campaignId ?? '')));
    },
    'POST /v1/campaigns': async (request) => json(201, await catalog.add(request.body, signedIn(request))),
    // The API's own documentation: public, served by this small function.
    'GET /v1/openapi.json': async () => json(200, openApiDocument()),
    'GET /v1/docs': async () => docsPage(),
  });
}
