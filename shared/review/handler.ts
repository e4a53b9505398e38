import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { consoleInboxPage } from '../operations/console/index.ts';
import { type ApiRequest, callerOf, httpHandler, signedIn } from '../platform/http/handler.ts';
import { formText, isFormPost, withJsonBody } from '../platform/http/forms.ts';
import { QuotaExceededError } from '../ladder/quota-errors.ts';
import { ValidationError } from '../platform/errors.ts';
import { type HttpResult, json } from '../platform/http/respond.ts';
import { parseOrThrow } from '../platform/parse.ts';
import * as z from 'zod';
import { ApplicationIdParamSchema } from '../schemas/api.ts';
import { ReviewIdParamSchema } from '../schemas/reviews.ts';
import { NOTICE_LIMITED_ROUTES, type NoticeOperations, noticeOperations } from '../notice/handler.ts';
import type { RequestLimiter } from '../platform/limits/limiter.ts';
import type { LimitedAction } from '../platform/limits/policy.ts';
import type { RouteKey } from '../platform/http/routes.ts';
import type { DecisionCredentials } from './access.ts';
import type { ReviewDesk } from './desk.ts';
import { renderDecisionResult, renderRevocationResult } from './answer-page.ts';
import { renderReviewPage } from './page.ts';
import { portalWithdraw } from '../portal/index.ts';
import {
  PANEL_FORM_ROUTES,
  PANEL_LIMITED_ROUTES,
  panelFormResult,
  type PanelOperations,
  panelOperations,
} from './panel/handler.ts';
import { consoleReviewOperations } from './console-review-handler.ts';
import { levelDocumentOperations, type LevelDocumentOperationsDeps } from './level-documents/handler.ts';
import { panelConsoleOperations } from './panel/console-handler.ts';
import { revocationOperations, type RevocationOperations } from '../revocation/handler.ts';
import { type LapseBackfillDeps, runLapseBackfill } from './lapse-backfill.ts';

/*
 * The review desk's HTTP face: review links and decisions, the reviewers' inbox, withdrawal
 * and cancellation; and the public notice's pages and objections (shared/notice/handler.ts). The desk comes from shared/composition/review.ts (wireReviews), or
 * from a test; building the handler reads no environment.
 */

const applicationId = (request: ApiRequest) =>
  parseOrThrow(ApplicationIdParamSchema, request.pathParameters, 'path').applicationId;
const reviewId = (request: ApiRequest) => parseOrThrow(ReviewIdParamSchema, request.pathParameters, 'path').reviewId;
const ReviewEvidencePathSchema = ReviewIdParamSchema.extend({ evidenceId: z.uuid() });

/**
 * A signed-in reviewer when a Bearer token came with the request (the desk checks that the stage
 * is theirs); otherwise the link's secret: `t` in the body (JSON or the page's form) or the query.
 */
function credentials(request: ApiRequest): DecisionCredentials {
  if (request.principal) return { kind: 'reviewer', principal: request.principal };
  const body = request.body;
  const fromBody =
    body !== null && typeof body === 'object' && 't' in body && typeof body.t === 'string' ? body.t : undefined;
  return { kind: 'link', secret: fromBody ?? request.query.t };
}

/** The uploader's credentials: a Bearer token, or the link's `t` in the query (its body is the evidence request's). */
const linkOnly = (request: ApiRequest): DecisionCredentials =>
  request.principal ? { kind: 'reviewer', principal: request.principal } : { kind: 'link', secret: request.query.t };

const NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;

const BOOLEAN: Readonly<Record<string, boolean>> = { true: true, false: false };

/**
 * The review page's form posts `application/x-www-form-urlencoded`; the operations take JSON.
 * `scores.<criterion>` fields become `scores: { <criterion>: number }`, `checks.<point>` fields
 * `checks: { <point>: 'pass' | 'fail' }`, `sampling.sampled` (true/false) and `sampling.note`
 * `sampling: { sampled, note }`, `alsoNational=true|false` a boolean, and each `experts` field
 * (the panel page's checkboxes) one entry of `experts: [...]`; empty fields are absent.
 */
export function formToJson(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const scores: Record<string, unknown> = {};
  const checks: Record<string, unknown> = {};
  const sampling: Record<string, unknown> = {};
  const experts: string[] = [];
  for (const [name, value] of new URLSearchParams(text)) {
    if (value.trim() === '') continue;
    if (name === 'experts') experts.push(value);
    else if (name.startsWith('scores.'))
      scores[name.slice('scores.'.length)] = NUMBER.test(value) ? Number(value) : value;
    else if (name.startsWith('checks.')) checks[name.slice('checks.'.length)] = value;
    else if (name === 'sampling.sampled') sampling.sampled = BOOLEAN[value] ?? value;
    else if (name === 'sampling.note') sampling.note = value;
    else if (name === 'alsoNational' || name === 'nationalException') out[name] = BOOLEAN[value] ?? value;
    else out[name] = value;
  }
  if (Object.keys(scores).length > 0) out.scores = scores;
  if (Object.keys(checks).length > 0) out.checks = checks;
  if (Object.keys(sampling).length > 0) out.sampling = sampling;
  if (experts.length > 0) out.experts = experts;
  return out;
}

export interface ReviewsHandlerDeps {
  desk: Pick<
    ReviewDesk,
    | 'inbox'
    | 'page'
    | 'decide'
    | 'resend'
    | 'withdraw'
    | 'cancel'
    | 'requestOwnEvidenceUpload'
    | 'listOwnEvidence'
    | 'removeOwnEvidence'
  >;
  /** The public notice and its objections (shared/notice/), served by this function too. */
  notice: NoticeOperations;
  /** The expert panel (shared/review/panel/), served by this function too; none in tests that build without. */
  panel?: PanelOperations;
  /** A level's own documents (shared/review/level-documents/handler.ts); absent in tests that build without. */
  levelDocuments?: LevelDocumentOperationsDeps;
  /** Cancellation for false information (shared/revocation/); absent in tests that build without. */
  revocations?: RevocationOperations;
  /** The one-off backfill of reviews left PENDING (./lapse-backfill.ts); absent in tests that build without. */
  lapseBackfill?: LapseBackfillDeps;
  /** Per-client limits on decisions, resends and objections; none in tests that build without. */
  limiter?: Pick<RequestLimiter, 'enforce'>;
}

/** What each limited route counts against (objections: NOTICE_LIMITED_ROUTES). */
const LIMITED_ROUTES: Partial<Record<RouteKey, LimitedAction>> = {
  'POST /v1/reviews/{reviewId}/decision': 'reviewDecision',
  'POST /v1/reviews/{reviewId}/resend': 'linkResend',
  'POST /console/reviews/{reviewId}/resend': 'linkResend',
  // The console's decision form counts against the link's decision limits.
  'POST /console/reviews/{reviewId}/decision': 'reviewDecision',
  ...NOTICE_LIMITED_ROUTES,
  ...PANEL_LIMITED_ROUTES,
};

export function makeReviewsHandler({
  desk,
  notice,
  panel,
  limiter,
  levelDocuments,
  revocations,
  lapseBackfill,
}: ReviewsHandlerDeps) {
  const resend = async (request: ApiRequest) => json(202, await desk.resend(reviewId(request), callerOf(request)));

  const api = httpHandler(
    {
      'GET /v1/reviews': async (request) => json(200, await desk.inbox(signedIn(request), request.query)),
      // The reviewer inbox page (the ops console's other pages are the ops function's): the signed-in reviewer's.
      'GET /console/inbox': (request) => {
        const principal = signedIn(request);
        return consoleInboxPage(request, { inbox: (query) => desk.inbox(principal, query) });
      },
      // Shows, never decides: mail scanners follow links.
      'GET /v1/reviews/{reviewId}': async (request) =>
        renderReviewPage(await desk.page(reviewId(request), credentials(request))),
      'POST /v1/reviews/{reviewId}/decision': async (request) => {
        const id = reviewId(request);
        try {
          return json(200, await desk.decide(id, credentials(request), request.body));
        } catch (error) {
          // The page's form refused for what it held (the link and the reviewer were accepted
          // first), or over a full quota: the page again, the choice and entries kept, each error
          // beside its field (a full quota's above the form: whose, and what to do instead), so a
          // reviewer does not start over from a separate error page.
          const overQuota = error instanceof QuotaExceededError;
          if (!(error instanceof ValidationError || overQuota) || !isFormPost(request.headers)) throw error;
          const model = await desk.page(id, credentials(request));
          if (model.state !== 'open') throw error;
          const sent = request.body !== null && typeof request.body === 'object' ? request.body : {};
          return renderReviewPage(model, {
            sent: sent as Record<string, unknown>,
            errors: error.details ?? [],
            ...(overQuota && { status: 409 }),
          });
        }
      },
      'POST /v1/reviews/{reviewId}/resend': resend,
      // The inbox page's button: the same, with the session cookie.
      'POST /console/reviews/{reviewId}/resend': resend,
      // The review page and its decision in the console, for the stage's signed-in reviewer.
      ...consoleReviewOperations(desk),
      'POST /v1/applications/{applicationId}/withdraw': async (request) =>
        json(200, await desk.withdraw(applicationId(request), request.body, callerOf(request))),
      'POST /v1/applications/{applicationId}/cancel': async (request) =>
        json(200, await desk.cancel(applicationId(request), request.body, callerOf(request))),
      // The review page's uploader (the city's own items); the link's `t` rides in the query.
      'POST /v1/reviews/{reviewId}/evidence': async (request) => {
        const body = request.body ?? {};
        const options = { idempotencyKey: request.headers['idempotency-key'] };
        return json(
          201,
          await desk.requestOwnEvidenceUpload(reviewId(request), linkOnly(request), body, request.requestId, options),
        );
      },
      'GET /v1/reviews/{reviewId}/evidence': async (request) =>
        json(200, { evidence: await desk.listOwnEvidence(reviewId(request), linkOnly(request), request.requestId) }),
      'DELETE /v1/reviews/{reviewId}/evidence/{evidenceId}': async (request) => {
        const path = parseOrThrow(ReviewEvidencePathSchema, request.pathParameters, 'path');
        return json(
          200,
          await desk.removeOwnEvidence(path.reviewId, linkOnly(request), path.evidenceId, request.requestId),
        );
      },
      // The applicants' portal's withdraw button (its confirmation page is the applications function's).
      'POST /portal/applications/{applicationId}/withdraw': (request) => portalWithdraw(request, desk),
      ...noticeOperations(notice),
      ...(panel && panelOperations(panel)),
      ...(panel && panelConsoleOperations(panel)),
      ...(levelDocuments && levelDocumentOperations(levelDocuments)),
      ...(revocations && revocationOperations(revocations)),
      ...(lapseBackfill && {
        'POST /v1/reviews/migrations/lapsed': async (request: ApiRequest) =>
          json(200, await runLapseBackfill(lapseBackfill, callerOf(request), request.body)),
      }),
      ...(revocations && {
        'POST /v1/reviews/{reviewId}/revocations': async (request: ApiRequest) => {
          const { request: filed, created } = await revocations.fileFromReview(
            reviewId(request),
            credentials(request),
            request.body,
            request.requestId,
          );
          return json(created ? 201 : 200, filed);
        },
      }),
    },
    limiter && { limiter, actions: LIMITED_ROUTES },
  );

  return async (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> => {
    const text = formText(event);
    if (text === undefined) return api(event, context);

    const fields = formToJson(text);
    const result = await api(withJsonBody(event, fields), context);
    // An expert posted the seat page's form: 303 back to the page, or the refusal as a page.
    if (PANEL_FORM_ROUTES.has(event.routeKey))
      return panelFormResult(result, { seatId: event.pathParameters?.seatId ?? '', fields });
    const secret = typeof fields.t === 'string' ? fields.t : event.queryStringParameters?.t;
    // The link page's cancellation request (shared/revocation/review-form.ts): answered as a page too.
    if (event.routeKey === 'POST /v1/reviews/{reviewId}/revocations')
      return renderRevocationResult(result, { reviewId: event.pathParameters?.reviewId ?? '', secret });
    if (event.routeKey !== 'POST /v1/reviews/{reviewId}/decision') return result;
    // Already a page: the review page drawn again with the form's errors.
    if (typeof result === 'object' && String(result.headers?.['content-type']).startsWith('text/html')) return result;
    // A person posted the review page's form: answer with a page, same status and content.
    return renderDecisionResult(result, {
      reviewId: event.pathParameters?.reviewId ?? '',
      secret: typeof fields.t === 'string' ? fields.t : event.queryStringParameters?.t,
    });
  };
}
