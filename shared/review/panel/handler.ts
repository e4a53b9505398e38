/**
 * The expert panel's HTTP face, served by the reviews function (it holds the link key that checks
 * seat links, the mailer and the evidence download links): the level's panel (JSON, by the
 * review's link or a signed-in reviewer) and the expert's seat page with its two forms.
 */
import type { ApiRequest, Operation } from '../../platform/http/handler.ts';
import { json } from '../../platform/http/respond.ts';
import { langOf } from '../../platform/pages/i18n.ts';
import type { LimitedAction } from '../../platform/limits/policy.ts';
import { parseOrThrow } from '../../platform/parse.ts';
import type { RouteKey } from '../../platform/http/routes.ts';
import { SeatPathSchema } from '../../schemas/panel.ts';
import { ReviewIdParamSchema } from '../../schemas/reviews.ts';
import type { DecisionCredentials } from '../access.ts';
import type { PanelDesk } from './desk.ts';
import { type PanelPageResult, renderRefusal, renderSeatPage } from './page.ts';

export type PanelOperations = Pick<
  PanelDesk,
  'view' | 'watch' | 'assign' | 'close' | 'seatPage' | 'declare' | 'score' | 'waiting'
>;

/** The level: a Bearer token's reviewer, else the review link's `t` (body or query). */
function levelCredentials(request: ApiRequest): DecisionCredentials {
  if (request.principal) return { kind: 'reviewer', principal: request.principal };
  return { kind: 'link', secret: secretOf(request) };
}

/** The link's secret: `t` in the body (JSON or the page's form), else in the query. */
function secretOf(request: ApiRequest): string | undefined {
  const body = request.body;
  const fromBody =
    body !== null && typeof body === 'object' && 't' in body && typeof body.t === 'string' ? body.t : undefined;
  return fromBody ?? request.query.t;
}

const reviewIdOf = (request: ApiRequest) => parseOrThrow(ReviewIdParamSchema, request.pathParameters, 'path').reviewId;
const seatOf = (request: ApiRequest) => parseOrThrow(SeatPathSchema, request.pathParameters, 'path');

/** What each panel route counts against: the same limits as deciding a review by its link. */
export const PANEL_LIMITED_ROUTES: Partial<Record<RouteKey, LimitedAction>> = {
  'POST /v1/reviews/{reviewId}/panel/experts': 'reviewDecision',
  'POST /v1/reviews/{reviewId}/panel/close': 'reviewDecision',
  'POST /v1/panels/{reviewId}/seats/{seatId}/declaration': 'reviewDecision',
  'POST /v1/panels/{reviewId}/seats/{seatId}/scores': 'reviewDecision',
  'POST /console/panels/{reviewId}/experts': 'reviewDecision',
  'POST /console/panels/{reviewId}/close': 'reviewDecision',
};

/** The seat's forms: a browser posting them gets a page (303 to the seat page when taken). */
export const PANEL_FORM_ROUTES: ReadonlySet<string> = new Set([
  'POST /v1/panels/{reviewId}/seats/{seatId}/declaration',
  'POST /v1/panels/{reviewId}/seats/{seatId}/scores',
]);

export function panelOperations(panel: PanelOperations): Partial<Record<RouteKey, Operation>> {
  return {
    'GET /v1/reviews/{reviewId}/panel': async (request) =>
      json(200, await panel.view(reviewIdOf(request), levelCredentials(request))),
    'POST /v1/reviews/{reviewId}/panel/experts': async (request) =>
      json(201, await panel.assign(reviewIdOf(request), levelCredentials(request), request.body, request.requestId)),
    'POST /v1/reviews/{reviewId}/panel/close': async (request) =>
      json(200, await panel.close(reviewIdOf(request), levelCredentials(request), request.body, request.requestId)),
    // Shows, never changes: mail scanners follow links.
    'GET /v1/panels/{reviewId}/seats/{seatId}': async (request) => {
      const { reviewId, seatId } = seatOf(request);
      return renderSeatPage(await panel.seatPage(reviewId, seatId, request.query.t), langOf(request.query));
    },
    'POST /v1/panels/{reviewId}/seats/{seatId}/declaration': async (request) => {
      const { reviewId, seatId } = seatOf(request);
      return json(200, await panel.declare(reviewId, seatId, secretOf(request), request.body, request.requestId));
    },
    'POST /v1/panels/{reviewId}/seats/{seatId}/scores': async (request) => {
      const { reviewId, seatId } = seatOf(request);
      return json(200, await panel.score(reviewId, seatId, secretOf(request), request.body, request.requestId));
    },
  };
}

/**
 * A seat form's answer for a browser: taken → 303 back to the seat's page (which now shows the
 * next step); refused → a page with the error's details and the way back.
 */
export function panelFormResult(
  result: { statusCode: number; body: string },
  context: { seatId: string; fields: Record<string, unknown> },
): PanelPageResult {
  const secret = typeof context.fields.t === 'string' ? context.fields.t : undefined;
  const lang = context.fields.lang === 'en' ? 'en' : 'zh';
  if (result.statusCode >= 200 && result.statusCode < 300 && secret !== undefined) {
    const location = `../${encodeURIComponent(context.seatId)}?t=${encodeURIComponent(secret)}${lang === 'en' ? '&lang=en' : ''}`;
    return {
      statusCode: 303,
      headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
      body: '',
    };
  }
  return renderRefusal(result, { seatId: context.seatId, ...(secret !== undefined && { secret }), lang });
}
