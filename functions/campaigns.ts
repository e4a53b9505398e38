import { campaignCatalogFromEnv } from '../shared/composition.ts';
import { httpHandler } from '../shared/http/handler.ts';
import { json } from '../shared/http/respond.ts';

const catalog = campaignCatalogFromEnv();

export const handler = httpHandler({
  'GET /v1/campaigns': async () => json(200, { campaigns: await catalog.list() }),
  'GET /v1/campaigns/{campaignId}': async ({ pathParameters }) =>
    json(200, catalog.view(await catalog.get(pathParameters.campaignId ?? ''))),
  'POST /v1/campaigns': async ({ body }) => json(201, await catalog.add(body)),
});
