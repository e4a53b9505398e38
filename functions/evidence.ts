import { wireEvidence } from '../shared/composition/intake.ts';
import { type ApiRequest, callerOf, httpHandler, signedIn } from '../shared/platform/http/handler.ts';
import { json } from '../shared/platform/http/respond.ts';
import { parseOrThrow } from '../shared/platform/parse.ts';
import { ApplicationIdParamSchema } from '../shared/schemas/api.ts';

const { intake } = wireEvidence();

const applicationId = (request: ApiRequest) =>
  parseOrThrow(ApplicationIdParamSchema, request.pathParameters, 'path').applicationId;

/** Thin: Intake loads the application, authorises the principal, then reads the body. */
export const handler = httpHandler({
  'POST /v1/applications/{applicationId}/evidence': async (request) => {
    const by = callerOf(request);
    // The optional Idempotency-Key header (payload 2.0 lower-cases header names); Intake checks it.
    const options = { idempotencyKey: request.headers['idempotency-key'] };
    return json(201, await intake.requestEvidenceUpload(applicationId(request), request.body ?? {}, by, options));
  },
  'GET /v1/applications/{applicationId}/evidence': async (request) => {
    const principal = signedIn(request);
    return json(200, { evidence: await intake.listEvidence(applicationId(request), principal) });
  },
});
