/**
 * The ops console and the reviewer inbox: server-rendered HTML pages over the same objects the
 * JSON API answers (shared/schemas/ops.ts, and the review desk's inbox).
 *
 *   GET /console, /console/board?campaignId=…      campaign picker, then the campaign board
 *                                                  (a provincial operator: its own jurisdiction)
 *   GET /console/jurisdiction?campaignId=…&code=…  province → city → county drill-down
 *   GET /console/application?id=…                  an application's timeline (audit trail)
 *   GET /console/inbox                             the signed-in reviewer's inbox (functions/reviews.ts)
 *   GET|POST /console/sign-in, POST /console/sign-out   the session cookie (sign-in.ts)
 *
 * Every page renders for the signed-in principal, and the reads it calls check what that
 * principal may see (`may.watch`, `may.read`): a refusal is a 403 page.
 * Chinese by default, English with `?lang=en` (kept on every link). Bad queries answer a 400
 * page naming the field, unknown pages a 404 page; domain errors keep their status. One module
 * per page; the frame, widgets and words are in layout.ts and i18n.ts.
 */
import type { Principal } from '../../platform/auth/principal.ts';
import { DomainError } from '../../platform/errors.ts';
import { type ApiRequest, logger, signedIn } from '../../platform/http/handler.ts';
import type { History, JurisdictionDrillDown, OpsSummary } from '../../schemas/ops.ts';
import type { ReviewerGap } from '../../schemas/reviews.ts';
import { applicationPage } from './application.ts';
import { boardPage, type CampaignChoice } from './board.ts';
import { langOf, type Word } from '../../platform/pages/i18n.ts';
import { type InboxReader, inboxPage } from '../../review/inbox-page.ts';
import { jurisdictionPage } from './jurisdiction.ts';
import { type PageAnswer, type PageContext, pageContext, problemPage } from '../../platform/pages/layout.ts';

export type { CampaignChoice } from './board.ts';
export type { InboxView, InboxReader } from '../../review/inbox-page.ts';
export type { PageAnswer } from '../../platform/pages/layout.ts';

export interface ConsoleDeps {
  /**
   * The operators' reads (OpsDesk's summary and jurisdiction; the application's history), each
   * for the signed-in principal and refused (ForbiddenError) beyond what it may see.
   */
  ops: {
    summary(query: { campaignId: string; track?: string }, principal: Principal): Promise<OpsSummary>;
    jurisdiction(
      code: string,
      query: { campaignId: string; track?: string },
      principal: Principal,
    ): Promise<JurisdictionDrillDown>;
    history(applicationId: string, principal: Principal): Promise<History>;
  };
  /** The campaigns to choose from (CampaignCatalog.list()). */
  campaigns: () => Promise<readonly CampaignChoice[]>;
  /** Jurisdictions with reviews waiting and nobody registered to email (the board's warning). */
  reviewerGaps?: () => Promise<readonly ReviewerGap[]>;
  /**
   * The review desk's inbox (ReviewDesk.inbox). Absent where the function has no review desk:
   * GET /console/inbox is routed to functions/reviews.ts, which calls `consoleInboxPage`.
   */
  inbox?: InboxReader;
}

type Renderer = (
  ctx: PageContext,
  query: Record<string, string>,
  deps: ConsoleDeps,
  principal: Principal,
) => Promise<PageAnswer> | undefined;

const PAGES: Readonly<Record<string, Renderer>> = {
  board: (ctx, query, deps, principal) =>
    boardPage(
      ctx,
      query,
      {
        summary: (q) => deps.ops.summary(q, principal),
        campaigns: deps.campaigns,
        ...(deps.reviewerGaps && { reviewerGaps: deps.reviewerGaps }),
      },
      principal,
    ),
  jurisdiction: (ctx, query, deps, principal) =>
    jurisdictionPage(ctx, query, (code, q) => deps.ops.jurisdiction(code, q, principal)),
  application: (ctx, query, deps, principal) => applicationPage(ctx, query, (id) => deps.ops.history(id, principal)),
  inbox: (ctx, query, deps) => (deps.inbox ? inboxPage(ctx, query, deps.inbox) : undefined),
};

/** GET /console and GET /console/{page}, for the signed-in principal (401 without one). */
export async function consolePage(request: ApiRequest, deps: ConsoleDeps): Promise<PageAnswer> {
  const principal = signedIn(request);
  const page = request.pathParameters.page ?? 'board';
  const ctx = pageContext(langOf(request.query), page, request.query, principal);
  const render = Object.hasOwn(PAGES, page) ? PAGES[page] : undefined;
  const answer = render && (await answering(ctx, () => render(ctx, request.query, deps, principal)));
  return answer ?? notFound(ctx, page);
}

/** GET /console/inbox, where the review desk serves it (its route has no {page} parameter). */
export async function consoleInboxPage(request: ApiRequest, deps: { inbox: InboxReader }): Promise<PageAnswer> {
  const ctx = pageContext(langOf(request.query), 'inbox', request.query, request.principal);
  return (await answering(ctx, () => inboxPage(ctx, request.query, deps.inbox))) ?? notFound(ctx, 'inbox');
}

function notFound(ctx: PageContext, page: string): PageAnswer {
  return problemPage(404, ctx, 'notFound', `${ctx.say('notFoundText')} /console/${page}`);
}

const TITLE_BY_STATUS: Readonly<Record<number, Word>> = { 400: 'badRequest', 403: 'forbidden', 404: 'notFound' };

/** Renders the page, or the error as a page: domain errors (403 too) keep their status and details. */
async function answering(
  ctx: PageContext,
  render: () => Promise<PageAnswer> | undefined,
): Promise<PageAnswer | undefined> {
  try {
    return await render();
  } catch (error) {
    if (error instanceof DomainError) {
      logger.info('console page refused', { code: error.code, status: error.status });
      const details = (error.details ?? []).map((d) => ({ field: d.field, message: d.message }));
      return problemPage(error.status, ctx, TITLE_BY_STATUS[error.status] ?? 'refused', error.message, details);
    }
    logger.error('console page failed', error as Error);
    return problemPage(500, ctx, 'internal', ctx.say('internal'));
  }
}
