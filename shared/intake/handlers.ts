import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { type ApiRequest, callerOf, httpHandler, type Operation, signedIn } from '../platform/http/handler.ts';
import { json } from '../platform/http/respond.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { ApplicationIdParamSchema, EvidenceIdParamSchema } from '../schemas/api.ts';
import { portalActions, portalEvidencePage, portalFormAsJson, portalPage } from '../portal/index.ts';
import type { CampaignCatalog } from './campaigns.ts';
import type { Intake } from './intake.ts';

/*
 * Intake's HTTP faces: each factory takes what its function's wiring returns (or any object with
 * the same methods, as tests pass) and answers API Gateway events. The wiring itself stays in
 * shared/composition/intake.ts, so building a handler here reads no environment.
 */

const applicationId = (request: ApiRequest) =>
  parseOrThrow(ApplicationIdParamSchema, request.pathParameters, 'path').applicationId;

/** The optional Idempotency-Key header (payload 2.0 lower-cases header names); Intake checks it. */
const idempotency = (request: ApiRequest) => ({ idempotencyKey: request.headers['idempotency-key'] });

export interface ApplicationsHandlerDeps {
  intake: Pick<Intake, 'create' | 'get' | 'history' | 'patch' | 'submit'> &
    Partial<Pick<Intake, 'countyDesk' | 'entriesToFile'>>;
  /** The campaigns, for the applicants' portal (/portal): without it the portal's routes are not served. */
  catalog?: Pick<CampaignCatalog, 'get' | 'list'>;
}

/** Thin: Intake loads the application, authorises the principal, then reads the body. */
export function makeApplicationsHandler({ intake, catalog }: ApplicationsHandlerDeps) {
  const { countyDesk } = intake;
  const portal =
    catalog && countyDesk
      ? { intake: { ...intakeOf(intake), countyDesk: countyDesk.bind(intake) }, catalog }
      : undefined;
  const actions = portal && portalActions(portal);
  const api = httpHandler({
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
    ...(portal &&
      actions && {
        'GET /portal': (request: ApiRequest) => portalPage(request, portal),
        'GET /portal/{page}': (request: ApiRequest) => portalPage(request, portal),
        'POST /portal/applications': actions.create,
        'POST /portal/applications/{applicationId}/form': actions.save,
        'POST /portal/applications/{applicationId}/submit': actions.submit,
      }),
  });
  return (event: APIGatewayProxyEventV2, context?: Context) => api(portalFormAsJson(event), context);
}

/** The intake's use cases, each bound to it (the portal calls them apart from the object). */
function intakeOf(intake: ApplicationsHandlerDeps['intake']) {
  return {
    create: intake.create.bind(intake),
    get: intake.get.bind(intake),
    patch: intake.patch.bind(intake),
    submit: intake.submit.bind(intake),
    entriesToFile: intake.entriesToFile ? intake.entriesToFile.bind(intake) : async () => [],
  };
}

export interface EvidenceHandlerDeps {
  intake: Pick<Intake, 'requestEvidenceUpload' | 'listEvidence' | 'removeEvidence' | 'get'>;
  /** The portal's evidence page: the campaign of the application, and where the browser posts the bytes. */
  catalog: Pick<CampaignCatalog, 'get'>;
  uploadOrigin: () => Promise<string>;
}

/**
 * Thin: Intake loads the application, authorises the principal, then reads the body. The
 * /portal twins are the same operations with the session cookie (the portal's uploader script
 * cannot read the HttpOnly cookie to send a Bearer token).
 */
export function makeEvidenceHandler({ intake, catalog, uploadOrigin }: EvidenceHandlerDeps) {
  const request: Operation = async (req) =>
    json(201, await intake.requestEvidenceUpload(applicationId(req), req.body ?? {}, callerOf(req), idempotency(req)));
  const list: Operation = async (req) =>
    json(200, { evidence: await intake.listEvidence(applicationId(req), signedIn(req)) });
  const remove: Operation = async (req) => {
    const path = parseOrThrow(EvidenceIdParamSchema, req.pathParameters, 'path');
    return json(200, await intake.removeEvidence(path.applicationId, path.evidenceId, callerOf(req)));
  };
  return httpHandler({
    'POST /v1/applications/{applicationId}/evidence': request,
    'GET /v1/applications/{applicationId}/evidence': list,
    'DELETE /v1/applications/{applicationId}/evidence/{evidenceId}': remove,
    'POST /portal/applications/{applicationId}/evidence': request,
    'GET /portal/applications/{applicationId}/evidence': list,
    'DELETE /portal/applications/{applicationId}/evidence/{evidenceId}': remove,
    'GET /portal/evidence': (req) => portalEvidencePage(req, { intake, catalog, uploadOrigin }),
  });
}
