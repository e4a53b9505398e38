import { intakeFromEnv, reviewWorkflowFromEnv } from '../shared/composition.ts';
import { type ApiRequest, httpHandler } from '../shared/http/handler.ts';
import { json, parseOrThrow } from '../shared/http/respond.ts';
import {
  ApplicationIdParamSchema,
  CreateApplicationBodySchema,
  PatchApplicationBodySchema,
} from '../shared/schemas/api.ts';

const intake = intakeFromEnv(undefined, reviewWorkflowFromEnv());

const applicationId = (request: ApiRequest) =>
  parseOrThrow(ApplicationIdParamSchema, request.pathParameters, 'path').applicationId;
const actor = (request: ApiRequest) => ({ id: 'applicant', requestId: request.requestId });

export const handler = httpHandler({
  'POST /v1/applications': async (request) =>
    json(
      201,
      await intake.create(parseOrThrow(CreateApplicationBodySchema, request.body ?? {}), actor(request)),
    ),
  'GET /v1/applications/{applicationId}': async (request) =>
    json(200, await intake.get(applicationId(request))),
  'GET /v1/applications/{applicationId}/history': async (request) =>
    json(200, await intake.history(applicationId(request))),
  'PATCH /v1/applications/{applicationId}': async (request) => {
    const id = applicationId(request);
    return json(
      200,
      await intake.patch(id, parseOrThrow(PatchApplicationBodySchema, request.body ?? {}), actor(request)),
    );
  },
  'POST /v1/applications/{applicationId}/submit': async (request) =>
    json(202, await intake.submit(applicationId(request), actor(request))),
});
