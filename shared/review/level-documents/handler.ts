/**
 * The level documents' HTTP face, served by the reviews function (it holds the link key and the
 * upload signer; shared/review/handler.ts merges these operations):
 *
 *   POST|GET /v1/level-documents?campaignId=&track=&jurisdiction=   a signed-in reviewer or operator of the level
 *   POST|GET /v1/reviews/{reviewId}/level-documents?t=              the holder of a pending review link of the level
 *   GET /console/level-documents                                    the page (session)
 *   POST|GET /console/level-documents/files?campaignId=&track=      the page's uploader (session)
 */
import type { CampaignCatalog } from '../../intake/campaigns.ts';
import { type ApiRequest, type Operation, signedIn } from '../../platform/http/handler.ts';
import { json } from '../../platform/http/respond.ts';
import type { RouteKey } from '../../platform/http/routes.ts';
import { langOf } from '../../platform/pages/i18n.ts';
import { pageContext } from '../../platform/pages/layout.ts';
import { parseOrThrow } from '../../platform/parse.ts';
import type { UploadSigner } from '../../ports/intake.ts';
import { ReviewIdParamSchema } from '../../schemas/reviews.ts';
import type { DecisionCredentials } from '../access.ts';
import type { LevelDocumentDesk } from './desk.ts';
import { assertMayFile, type Filer, type Level } from './filing.ts';
import { answeringPage, LEVEL_DOCUMENTS_PAGE, levelDocumentsPage, parsePageQuery } from './page.ts';
import { LevelOwnQuerySchema, LevelTargetSchema } from './records.ts';
import { overlayFor } from '../../rules/effective-rules.ts';
import { MIIT_CODE } from '../../rules/jurisdictions.ts';

export interface LevelDocumentOperationsDeps {
  desk: LevelDocumentDesk;
  campaigns: Pick<CampaignCatalog, 'list'>;
  uploads: Pick<UploadSigner, 'uploadOrigin'>;
}

const signedInFiler = (request: ApiRequest): Filer => ({ kind: 'signed-in', principal: signedIn(request) });

function targetOf(request: ApiRequest): Level {
  const target = parseOrThrow(LevelTargetSchema, request.query, 'query');
  return { campaignId: target.campaignId, track: target.track, jurisdictionCode: target.jurisdiction };
}

function ownLevel(request: ApiRequest): Level {
  const query = parseOrThrow(LevelOwnQuerySchema, request.query, 'query');
  return { campaignId: query.campaignId, track: query.track, jurisdictionCode: signedIn(request).jurisdiction };
}

/** A Bearer token, or the review link's `t` in the query (the body is the upload request's). */
const credentialsOf = (request: ApiRequest): DecisionCredentials =>
  request.principal ? { kind: 'reviewer', principal: request.principal } : { kind: 'link', secret: request.query.t };

const reviewIdOf = (request: ApiRequest) => parseOrThrow(ReviewIdParamSchema, request.pathParameters, 'path').reviewId;

const listed = (documents: Awaited<ReturnType<LevelDocumentDesk['list']>>) => ({ documents, evidence: documents });

export function levelDocumentOperations({
  desk,
  campaigns,
  uploads,
}: LevelDocumentOperationsDeps): Partial<Record<RouteKey, Operation>> {
  const viaReview = async (request: ApiRequest) => desk.filerOfReview(reviewIdOf(request), credentialsOf(request));
  return {
    'POST /v1/level-documents': async (request) =>
      json(201, await desk.request(signedInFiler(request), targetOf(request), request.body ?? {})),
    'GET /v1/level-documents': async (request) =>
      json(200, listed(await desk.list(signedInFiler(request), targetOf(request)))),
    'POST /v1/reviews/{reviewId}/level-documents': async (request) => {
      const { filer, level } = await viaReview(request);
      return json(201, await desk.request(filer, level, request.body ?? {}));
    },
    'GET /v1/reviews/{reviewId}/level-documents': async (request) => {
      const { filer, level } = await viaReview(request);
      return json(200, listed(await desk.list(filer, level)));
    },
    'POST /console/level-documents/files': async (request) =>
      json(201, await desk.request(signedInFiler(request), ownLevel(request), request.body ?? {})),
    'GET /console/level-documents/files': async (request) =>
      json(200, listed(await desk.list(signedInFiler(request), ownLevel(request)))),
    'GET /console/level-documents': async (request) => {
      const principal = signedIn(request);
      const ctx = pageContext(langOf(request.query), LEVEL_DOCUMENTS_PAGE, request.query, principal);
      return answeringPage(ctx, async () => {
        assertMayFile(
          { kind: 'signed-in', principal },
          { campaignId: '', track: 'recommendation', jurisdictionCode: principal.jurisdiction },
        );
        const query = parsePageQuery(request.query);
        const views = await campaigns.list();
        const choices = views.map((c) => ({
          campaignId: c.campaignId,
          title: c.name[ctx.lang],
          tracks: Object.keys(c.tracks),
        }));
        const chosenCampaign = query.campaignId ?? (choices.length === 1 ? choices[0]?.campaignId : undefined);
        const level = chosenCampaign
          ? {
              campaignId: chosenCampaign,
              track: query.track ?? 'recommendation',
              jurisdictionCode: principal.jurisdiction,
            }
          : undefined;
        const chosen = level && { ...level, ...(await desk.overview(principal, level)) };
        // The documents a province's notice adds are offered where that notice asks for them.
        const campaign = views.find((c) => c.campaignId === chosen?.campaignId);
        const overlay =
          campaign && principal.jurisdiction !== MIIT_CODE ? overlayFor(campaign, principal.jurisdiction) : undefined;
        const uploadOrigin = (await uploads.uploadOrigin?.()) ?? '';
        return levelDocumentsPage(ctx, {
          principal,
          campaigns: choices,
          ...(chosen && {
            chosen: {
              campaignId: chosen.campaignId,
              track: chosen.track,
              documents: chosen.documents,
              waiting: chosen.waiting,
              ...(overlay && { overlay }),
            },
          }),
          uploadOrigin,
        });
      });
    },
  };
}
