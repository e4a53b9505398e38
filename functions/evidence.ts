import { intakeFromEnv, uploadSignerFromEnv } from '../shared/composition.ts';
import type { Caller } from '../shared/domain/intake.ts';
import { type ApiRequest, httpHandler, signedIn } from '../shared/http/handler.ts';
import { json, parseOrThrow } from '../shared/http/respond.ts';
import { ApplicationIdParamSchema } from '../shared/schemas/api.ts';

const intake = intakeFromEnv(uploadSignerFromEnv());

const applicationId = (request: ApiRequest) =>
  parseOrThrow(ApplicationIdParamSchema, request.pathParameters, 'path').applicationId;
const caller = (request: ApiRequest): Caller => ({ principal: signedIn(request), requestId: request.requestId });

/** Thin: Intake loads the application, authorises the principal, then reads the body. */
export const handler = httpHandler({
  'POST /v1/applications/{applicationId}/evidence': async (request) => {
    const by = caller(request);
    return json(201, await intake.requestEvidenceUpload(applicationId(request), request.body ?? {}, by));
  },
  'GET /v1/applications/{applicationId}/evidence': async (request) => {
    const principal = signedIn(request);
    return json(200, { evidence: await intake.listEvidence(applicationId(request), principal) });
  },
});
