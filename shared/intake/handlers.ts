import * as z from 'zod';
import { type ApiRequest, callerOf, httpHandler, signedIn } from '../platform/http/handler.ts';
import { json } from '../platform/http/respond.ts';
import { docsPage } from '../platform/openapi/docs-page.ts';
import { openApiDocument } from '../platform/openapi/document.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { childrenOf, getJurisdiction, parentChain, reviewChain } from '../rules/jurisdictions.ts';
import { ApplicationIdParamSchema } from '../schemas/api.ts';
import { DivisionCodeSchema } from '../schemas/common.ts';
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
  intake: Pick<Intake, 'create' | 'get' | 'history' | 'patch' | 'submit'>;
}

/** Thin: Intake loads the application, authorises the principal, then reads the body. */
export function makeApplicationsHandler({ intake }: ApplicationsHandlerDeps) {
  return httpHandler({
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
}

export interface EvidenceHandlerDeps {
  intake: Pick<Intake, 'requestEvidenceUpload' | 'listEvidence'>;
}

/** Thin: Intake loads the application, authorises the principal, then reads the body. */
export function makeEvidenceHandler({ intake }: EvidenceHandlerDeps) {
  return httpHandler({
    'POST /v1/applications/{applicationId}/evidence': async (request) => {
      const by = callerOf(request);
      return json(
        201,
        await intake.requestEvidenceUpload(applicationId(request), request.body ?? {}, by, idempotency(request)),
      );
    },
    'GET /v1/applications/{applicationId}/evidence': async (request) => {
      const principal = signedIn(request);
      return json(200, { evidence: await intake.listEvidence(applicationId(request), principal) });
    },
  });
}

export interface CampaignsHandlerDeps {
  catalog: Pick<CampaignCatalog, 'list' | 'get' | 'view' | 'add'>;
}

/** Anyone signed in reads campaigns; the catalog checks who may add one. */
export function makeCampaignsHandler({ catalog }: CampaignsHandlerDeps) {
  return httpHandler({
    'GET /v1/campaigns': async (request) => {
      signedIn(request);
      return json(200, { campaigns: await catalog.list() });
    },
    'GET /v1/campaigns/{campaignId}': async (request) => {
      signedIn(request);
      return json(200, catalog.view(await catalog.get(request.pathParameters.campaignId ?? '')));
    },
    'POST /v1/campaigns': async (request) => json(201, await catalog.add(request.body, signedIn(request))),
    // The API's own documentation: public, served by this small function.
    'GET /v1/openapi.json': async () => json(200, openApiDocument()),
    'GET /v1/docs': async () => docsPage(),
  });
}

const JurisdictionPathSchema = z.object({ code: DivisionCodeSchema });

/** Reference data (the GB/T 2260 tree in shared/rules): anyone signed in; nothing to wire. */
export function makeJurisdictionsHandler() {
  return httpHandler({
    'GET /v1/jurisdictions/{code}': async (request) => {
      signedIn(request);
      const { code } = parseOrThrow(JurisdictionPathSchema, request.pathParameters, 'path');
      const jurisdiction = getJurisdiction(code);
      return json(200, {
        ...jurisdiction,
        parents: parentChain(code).filter((parent) => parent.code !== code),
        reviewStages: jurisdiction.level === 'county' ? reviewChain(code) : [],
        children: childrenOf(code),
      });
    },
  });
}
