/**
 * The level's expert-panel pages' HTTP face (shared/review/handler.ts merges these operations):
 *
 *   GET  /console/panels                      the level's candidates at its expert-panel step
 *   GET  /console/panels/{reviewId}           one panel: experts, directory, forms (operators: read-only)
 *   POST /console/panels/{reviewId}/experts   seat experts, or replace one (`replaces`)
 *   POST /console/panels/{reviewId}/close     close the panel (`confirm`)
 *
 * Signed in with the session cookie; the same domain functions as the JSON routes
 * (/v1/reviews/{reviewId}/panel…) with the signed-in reviewer's credentials, so the same scope
 * check (the level's own reviewers) and the same refusals. The forms come back with 303. An
 * operator of the level opens a panel to watch it (PanelDesk.watch: the same 404 and 403 a
 * reviewer of another level gets), without the forms; its POSTs are refused as before.
 */
import { DomainError } from '../../platform/errors.ts';
import { type ApiRequest, logger, type Operation, signedIn } from '../../platform/http/handler.ts';
import type { RouteKey } from '../../platform/http/routes.ts';
import { langOf } from '../../platform/pages/i18n.ts';
import { type PageAnswer, type PageContext, pageContext, problemPage, seeOther } from '../../platform/pages/layout.ts';
import { parseOrThrow } from '../../platform/parse.ts';
import { placeName } from '../../rules/jurisdictions.ts';
import { PanelCloseFormSchema, PanelPageQuerySchema } from '../../schemas/panel.ts';
import { ReviewIdParamSchema } from '../../schemas/reviews.ts';
import type { DecisionCredentials } from '../access.ts';
import { panelPage, panelPagePath, PANELS_PAGE, panelsPage } from './console-page.ts';
import { panelPageModel } from './console-view.ts';
import type { PanelDesk } from './desk.ts';

export type PanelConsoleOperations = Pick<PanelDesk, 'view' | 'watch' | 'assign' | 'close' | 'waiting'>;

const reviewIdOf = (request: ApiRequest) => parseOrThrow(ReviewIdParamSchema, request.pathParameters, 'path').reviewId;
const asReviewer = (request: ApiRequest): DecisionCredentials => ({ kind: 'reviewer', principal: signedIn(request) });

/** The page, or its refusal as a page; a refused form (`fromForm`) leads back to the panel's page. */
async function answering(
  ctx: PageContext,
  render: () => Promise<PageAnswer>,
  options: { fromForm?: boolean } = {},
): Promise<PageAnswer> {
  try {
    return await render();
  } catch (error) {
    if (!(error instanceof DomainError)) {
      logger.error('panel page failed', error as Error);
      return problemPage(500, ctx, 'internal', ctx.say('internal'));
    }
    const details = (error.details ?? []).map((d) => ({ field: d.field, message: d.message }));
    const title = error.status === 403 ? 'forbidden' : error.status === 404 ? 'notFound' : 'refused';
    return problemPage(error.status, ctx, title, error.message, details, options);
  }
}

export function panelConsoleOperations(panel: PanelConsoleOperations): Partial<Record<RouteKey, Operation>> {
  const contextOf = (request: ApiRequest, page: string) =>
    pageContext(langOf(request.query), page, request.query, signedIn(request));
  return {
    'GET /console/panels': async (request) => {
      const ctx = contextOf(request, PANELS_PAGE);
      return answering(ctx, async () => {
        const { jurisdictionCode, panels, manages } = await panel.waiting(signedIn(request));
        return panelsPage(ctx, { jurisdictionName: placeName(jurisdictionCode) ?? jurisdictionCode, panels, manages });
      });
    },
    'GET /console/panels/{reviewId}': async (request) => {
      const reviewId = reviewIdOf(request);
      const ctx = contextOf(request, panelPagePath(reviewId));
      return answering(ctx, async () => {
        const query = parseOrThrow(PanelPageQuerySchema, { done: request.query.done }, 'query');
        const principal = signedIn(request);
        const watching = principal.role === 'operator';
        const view = watching
          ? await panel.watch(reviewId, principal)
          : await panel.view(reviewId, asReviewer(request));
        const rank =
          view.status === 'CLOSED'
            ? (await panel.waiting(principal)).panels.find((p) => p.reviewId === reviewId)?.rank
            : undefined;
        return panelPage(ctx, panelPageModel(view, { ...(rank !== undefined && { rank }), watching }), {
          ...(query.done !== undefined && { done: query.done }),
        });
      });
    },
    'POST /console/panels/{reviewId}/experts': async (request) => {
      const reviewId = reviewIdOf(request);
      const ctx = contextOf(request, panelPagePath(reviewId));
      return answering(
        ctx,
        async () => {
          // The form's fields are the assign body's (`experts`, `replaces`): the panel checks who asks, then parses it.
          const seated = await panel.assign(reviewId, asReviewer(request), request.body, request.requestId);
          return seeOther(ctx.link(panelPagePath(reviewId), { done: seated.replaced ? 'replaced' : 'seated' }));
        },
        { fromForm: true },
      );
    },
    'POST /console/panels/{reviewId}/close': async (request) => {
      const reviewId = reviewIdOf(request);
      const ctx = contextOf(request, panelPagePath(reviewId));
      return answering(
        ctx,
        async () => {
          // The form's ticked box sends `confirm=true` as text. Anything else goes to the panel as
          // it came: it checks who asks first, then refuses the body naming the field.
          const form = PanelCloseFormSchema.safeParse(request.body ?? {});
          const body = form.success ? { confirm: true } : request.body;
          await panel.close(reviewId, asReviewer(request), body, request.requestId);
          return seeOther(ctx.link(panelPagePath(reviewId), { done: 'closed' }));
        },
        { fromForm: true },
      );
    },
  };
}
