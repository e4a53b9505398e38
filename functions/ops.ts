import { campaignCatalogFromEnv, intakeFromEnv, opsDeskFromEnv } from '../shared/composition.ts';
import { consolePage } from '../shared/console/index.ts';
import { type ApiRequest, httpHandler } from '../shared/http/handler.ts';
import { json, parseOrThrow } from '../shared/http/respond.ts';
import { ApplicationIdParamSchema } from '../shared/schemas/api.ts';
import { ExecutionNameParamSchema, JurisdictionParamSchema } from '../shared/schemas/ops.ts';

const ops = opsDeskFromEnv();
const intake = intakeFromEnv();
const catalog = campaignCatalogFromEnv();

/** Until sign-in lands (the trust issue) this names the request's origin only. */
const operator = (request: ApiRequest) => ({ id: 'operator', role: 'operator' as const, requestId: request.requestId });

const consoleDeps = {
  ops: {
    summary: (query: unknown) => ops.summary(query),
    jurisdiction: (code: string, query: unknown) => ops.jurisdiction(code, query),
    history: (applicationId: string) =>
      intake.history(parseOrThrow(ApplicationIdParamSchema, { applicationId }, 'query').applicationId),
  },
  campaigns: () => catalog.list(),
};

export const handler = httpHandler({
  'GET /v1/ops/summary': async (request) => json(200, await ops.summary(request.query)),
  'GET /v1/ops/jurisdictions/{code}': async (request) =>
    json(200, await ops.jurisdiction(parseOrThrow(JurisdictionParamSchema, request.pathParameters, 'path').code, request.query)),
  'POST /v1/ops/executions/{executionName}/redrive': async (request) =>
    json(
      202,
      await ops.redrive(
        parseOrThrow(ExecutionNameParamSchema, request.pathParameters, 'path').executionName,
        operator(request),
      ),
    ),
  'GET /console': (request) => consolePage(request, consoleDeps),
  'GET /console/{page}': (request) => consolePage(request, consoleDeps),
});
