import { intakeFromEnv, uploadSignerFromEnv } from '../shared/composition.ts';
import { type ApiRequest, httpHandler } from '../shared/http/handler.ts';
import { json, parseOrThrow } from '../shared/http/respond.ts';
import { ApplicationIdParamSchema, EvidenceRequestBodySchema } from '../shared/schemas/api.ts';

const intake = intakeFromEnv(uploadSignerFromEnv());

const applicationId = (request: ApiRequest) =>
  parseOrThrow(ApplicationIdParamSchema, request.pathParameters, 'path').applicationId;

export const handler = httpHandler({
  'POST /v1/applications/{applicationId}/evidence': async (request) => {
    const id = applicationId(request);
    const body = parseOrThrow(EvidenceRequestBodySchema, request.body ?? {});
    return json(
      201,
      await intake.requestEvidenceUpload(id, body, { id: 'applicant', requestId: request.requestId }),
    );
  },
  'GET /v1/applications/{applicationId}/evidence': async (request) =>
    json(200, { evidence: await intake.listEvidence(applicationId(request)) }),
});
