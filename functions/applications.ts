import { wireApplications } from '../shared/composition/intake.ts';
import { type ApiRequest, callerOf, httpHandler, signedIn } from '../shared/platform/http/handler.ts';
import { json } from '../shared/platform/http/respond.ts';
import { parseOrThrow } from '../shared/platform/parse.ts';
import { ApplicationIdParamSchema } from '../shared/schemas/api.ts';

const { intake } = wireApplications();

const applicationId = (request: ApiRequest) =>
  parseOrThrow(ApplicationIdParamSchema, request.pathParameters, 'path').applicationId;

/** The optional Idempotency-Key header (payload 2.0 lower-cases header names); Intake checks it. */
const idempotency = (request: ApiRequest) => ({ idempotencyKey: request.headers['idempotency-key'] });

/** Thin: Intake loads the application, authorises the principal, then reads the body. */
export const handler = httpHandler({
  'POST /v1/applications': async (request) =>
    json(201, await intake.create(request.body ?? {}, callerOf(request), idempotency(request))),
  'GET /v1/applications/{applicationId}': async (request) => {
    const principal = signedIn(request);
    return json(200, await intake.get(applicationId(request), principal));
  },
  'GET /v1/applications/{applicationId}/history': async (request) => {
    const principal = signedIn(request);
    return json(200, await intake.history(applicationId(request), principal));
  },
  'PATCH /v1/applications/{applicationId}': async (request) => {
    const by = callerOf(request);
    return json(200, await intake.patch(applicationId(request), request.body ?? {}, by));
  },
  'POST /v1/applications/{applicationId}/submit': async (request) => {
    const by = callerOf(request);
    return json(202, await intake.submit(applicationId(request), by));
  },
});
