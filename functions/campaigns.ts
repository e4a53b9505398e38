import { wireCampaigns } from '../shared/composition/intake.ts';
import { httpHandler, signedIn } from '../shared/platform/http/handler.ts';
import { json } from '../shared/platform/http/respond.ts';

const { catalog } = wireCampaigns();

/** Anyone signed in reads campaigns; the catalog checks who may add one. */
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
});
