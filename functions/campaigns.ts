import { wireCampaigns } from '../shared/composition/intake.ts';
import { httpHandler, signedIn } from '../shared/platform/http/handler.ts';
import { json } from '../shared/platform/http/respond.ts';
import { docsPage } from '../shared/platform/openapi/docs-page.ts';
import { openApiDocument } from '../shared/platform/openapi/document.ts';

const { catalog } = wireCampaigns();

/** Anyone signed in reads campaigns; the catalog checks who may add one. The API's documentation is public. */
export const handler = httpHandler({
  'GET /v1/campaigns': async (request) => {
    signedIn(request);
    return json(200, { campaigns: await catalog.list() });
  },
  'GET /v1/campaigns/{campaignId}': async (request) => {
    signedIn(request);
    return json(200, catalog.view(await catalog.get(request.pathParameters.campaignId ?? '')));
  },
  'POST /v1/campaigns': async (request) => json(201, await catalog.add(request.body, signedIn(request))),
  'GET /v1/openapi.json': async () => json(200, openApiDocument()),
  'GET /v1/docs': async () => docsPage(),
});
