/**
 * The review page in the console, for the stage's signed-in reviewer (shared/review/handler.ts
 * merges these operations):
 *
 *   GET  /console/reviews/{reviewId}            the review page the emailed link opens, in the console's frame
 *   POST /console/reviews/{reviewId}/decision   its decision form, with the session cookie
 *   POST|GET /console/reviews/{reviewId}/evidence, DELETE …/evidence/{evidenceId}
 *                                               its uploader of the city's own items (the on-site
 *                                               check statement), with the session cookie
 *
 * The same desk calls as the link's routes with the signed-in reviewer's credentials, so the same
 * access (access.ts: a reviewer of the jurisdiction whose stage it is; 404 for an unknown review,
 * 403 for another's), the same decision (decide.ts: once, the audit naming the person, `via:
 * sign-in`) and the same refusals: a form the desk refused for what it held, or over a full quota,
 * is the page again with the errors; a decision already taken, a deadline passed, a review closed
 * is the link's answer (answer-page.ts) in the console's frame. A recorded decision comes back
 * with 303 to the page, which then shows it, so a reload posts nothing again.
 *
 * The page's content is the link page's, which speaks both languages; the frame around it (the
 * header, the title, the way back to the inbox, the refusal pages) speaks the console's.
 *
 * The uploader's script cannot send the session as a Bearer token (the cookie is HttpOnly), and
 * the /v1 evidence routes take a token or the link's secret only: so it calls the console's own
 * three routes, the same desk calls (own-evidence.ts) with the signed-in reviewer's credentials,
 * which the cookie's same-site rule and the console's cross-site refusal guard as the decision.
 */
import * as z from 'zod';
import { QuotaExceededError } from '../ladder/quota-errors.ts';
import { DomainError, ValidationError } from '../platform/errors.ts';
import { type ApiRequest, logger, type Operation, signedIn } from '../platform/http/handler.ts';
import { errorResponse, json } from '../platform/http/respond.ts';
import type { RouteKey } from '../platform/http/routes.ts';
import { langOf } from '../platform/pages/i18n.ts';
import {
  CONSOLE_BASE,
  html,
  type PageAnswer,
  type PageContext,
  pageContext,
  problemPage,
  renderPage,
  type SafeHtml,
  seeOther,
} from '../platform/pages/layout.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { Bilingual } from '../schemas/common.ts';
import { ReviewIdParamSchema } from '../schemas/reviews.ts';
import { EVIDENCE_PANEL_STYLE } from '../portal/evidence-panel.ts';
import { UPLOADER_SCRIPT } from '../portal/uploader-script.ts';
import type { DecisionCredentials } from './access.ts';
import { DECISION_RECORDED, decisionResultContent } from './answer-page.ts';
import type { ReviewDesk } from './desk.ts';
import { closedReviewContent, openReviewContent, type RefusedDecision } from './page.ts';
import { STEP_STYLE } from './step-page.ts';
import type { ReviewPage } from './views.ts';

export type ConsoleReviewDesk = Pick<
  ReviewDesk,
  'page' | 'decide' | 'requestOwnEvidenceUpload' | 'listOwnEvidence' | 'removeOwnEvidence'
>;

/** The console page of a review, relative to the console (for `ctx.link`). */
export const reviewPagePath = (reviewId: string) => `reviews/${encodeURIComponent(reviewId)}`;

/** `?done=decided`: the page after its decision was recorded (the 303's target) says so. */
export const ConsoleReviewQuerySchema = z.object({ done: z.enum(['decided']).optional() });

const WORDS = {
  backToReview: { zh: '返回审核页面', en: 'Back to the review page' },
} as const satisfies Record<string, Bilingual>;

/**
 * The link page's own rules the console's stylesheet lacks (the console's frame supplies the
 * rest): its notes in the other language, the stage line, the file list, the warnings, the form's
 * choices as full-width rows and its text box in the body's font.
 */
const REVIEW_STYLE = `
.en{color:#555;font-size:.9em}
.stage{color:#8a1c1c;font-weight:600;margin:0}
.deadline strong{color:#8a1c1c}
dl dt{font-weight:600;margin-top:.5rem}dl dd{margin:0}
.files{list-style:none;padding:0}.files li{border-top:1px solid #eee;padding:.5rem 0}
.files a{display:inline-block;padding:.5rem 0;word-break:break-all}
.warn{border-left:4px solid #e0a000}
details{border-top:1px solid #eee;padding:.4rem 0}details p{white-space:pre-wrap}
#your-decision fieldset{border:1px solid #ddd;border-radius:.5rem;padding:.5rem 1rem}
#your-decision .choice{display:flex;padding:.5rem 0;font-size:1.05rem}
#your-decision .choice input{width:1.3rem;height:1.3rem}
#your-decision textarea,#your-decision input[type=number]{display:block;width:100%;min-height:0;font:inherit;padding:.6rem;border:1px solid #bbb;border-radius:.4rem;word-break:normal}
#your-decision button[type=submit]{width:100%;font-size:1.1rem;font-weight:600;padding:.9rem}
${STEP_STYLE}`;

const ReviewEvidencePathSchema = ReviewIdParamSchema.extend({ evidenceId: z.uuid() });

/** The uploader's URLs on the console (absolute, no `lang`: they answer JSON). */
function evidenceUrls(reviewId: string) {
  const base = `${CONSOLE_BASE}/${reviewPagePath(reviewId)}/evidence`;
  return { request: base, list: base, remove: `${base}/{evidenceId}` };
}

const reviewIdOf = (request: ApiRequest) => parseOrThrow(ReviewIdParamSchema, request.pathParameters, 'path').reviewId;
const asReviewer = (request: ApiRequest): DecisionCredentials => ({ kind: 'reviewer', principal: signedIn(request) });

/** A few lines in a section, and the ways back: to the review's page (unless this is it) and to the inbox. */
function linesPage(
  ctx: PageContext,
  statusCode: number,
  title: Bilingual,
  lines: readonly SafeHtml[],
  options: { reviewId?: string; done?: boolean } = {},
): PageAnswer {
  const { say } = ctx;
  const body = html`${options.done ? html`<p class="ok" role="status">${say(DECISION_RECORDED)}</p>` : ''}<section>${lines}</section>
<p>${options.reviewId === undefined ? '' : html`<a href="${ctx.link(reviewPagePath(options.reviewId))}">${say(WORDS.backToReview)}</a> · `}<a href="${ctx.link('inbox')}">${say('toInbox')}</a></p>`;
  return renderPage(statusCode, ctx, {
    title: say(title),
    body,
    crumbs: inboxCrumb(ctx),
    style: REVIEW_STYLE,
    refresh: false,
  });
}

const inboxCrumb = (ctx: PageContext) => html`<a href="${ctx.link('inbox')}">${ctx.say('inbox')}</a>`;

/** The review as the link's page shows it, in the console's frame; `refused`: its form drawn again with the errors. */
function reviewPage(
  ctx: PageContext,
  model: ReviewPage,
  options: { refused?: RefusedDecision; done?: boolean } = {},
): PageAnswer {
  if (model.state !== 'open') {
    const closed = closedReviewContent(model);
    return linesPage(ctx, closed.statusCode, closed.title, closed.lines, { done: options.done === true });
  }
  const { review, application } = model;
  const open = openReviewContent(model, options.refused, {
    console: {
      decisionAction: ctx.link(`${reviewPagePath(review.reviewId)}/decision`),
      revocationsUrl: ctx.link('revocations', { kind: 'application', id: application.applicationId }),
      evidenceUrls: evidenceUrls(review.reviewId),
    },
  });
  // With the uploader: its stylesheet and script, and the bucket's origin its POST goes to.
  const uploader = open.uploadOrigin !== undefined;
  return renderPage(open.statusCode, ctx, {
    title: open.title,
    body: open.body,
    crumbs: inboxCrumb(ctx),
    style: uploader ? REVIEW_STYLE + EVIDENCE_PANEL_STYLE : REVIEW_STYLE,
    ...(open.uploadOrigin !== undefined && { scripts: [UPLOADER_SCRIPT], connectSources: [open.uploadOrigin] }),
    // A form being filled in: the console's idle reload would lose what was typed.
    refresh: false,
    ...(options.refused && { refused: true }),
  });
}

/** 403 and 404 (and what the desk did not foresee) as the console's problem pages. */
function problem(ctx: PageContext, error: unknown, options: { fromForm?: boolean } = {}): PageAnswer {
  if (!(error instanceof DomainError)) {
    logger.error('console review page failed', error as Error);
    return problemPage(500, ctx, 'internal', ctx.say('internal'));
  }
  const details = (error.details ?? []).map((d) => ({ field: d.field, message: d.message }));
  const title = error.status === 403 ? 'forbidden' : error.status === 404 ? 'notFound' : 'refused';
  return problemPage(error.status, ctx, title, error.message, details, options);
}

export function consoleReviewOperations(desk: ConsoleReviewDesk): Partial<Record<RouteKey, Operation>> {
  const contextOf = (request: ApiRequest, reviewId: string) =>
    pageContext(langOf(request.query), reviewPagePath(reviewId), request.query, signedIn(request));
  return {
    'GET /console/reviews/{reviewId}': async (request) => {
      const reviewId = reviewIdOf(request);
      const ctx = contextOf(request, reviewId);
      try {
        const query = parseOrThrow(ConsoleReviewQuerySchema, { done: request.query.done }, 'query');
        const model = await desk.page(reviewId, asReviewer(request));
        return reviewPage(ctx, model, { done: query.done === 'decided' && model.state === 'decided' });
      } catch (error) {
        return problem(ctx, error);
      }
    },
    'POST /console/reviews/{reviewId}/decision': async (request) => {
      const reviewId = reviewIdOf(request);
      const ctx = contextOf(request, reviewId);
      const credentials = asReviewer(request);
      try {
        await desk.decide(reviewId, credentials, request.body);
        return seeOther(ctx.link(reviewPagePath(reviewId), { done: 'decided' }));
      } catch (error) {
        if (!(error instanceof DomainError)) return problem(ctx, error, { fromForm: true });
        // Who may not decide it, or an unknown review: the console's 403 and 404.
        if (error.status === 403 || error.status === 404) return problem(ctx, error, { fromForm: true });
        // What the form held, or a full quota: the page again, the choice and entries kept, as the link's.
        if (error instanceof ValidationError || error instanceof QuotaExceededError) {
          const model = await desk.page(reviewId, credentials);
          if (model.state === 'open') {
            const sent = request.body !== null && typeof request.body === 'object' ? request.body : {};
            return reviewPage(ctx, model, {
              refused: {
                sent: sent as Record<string, unknown>,
                errors: error.details ?? [],
                ...(error instanceof QuotaExceededError && { status: 409 }),
              },
            });
          }
        }
        // Decided already (the decision shown), late, closed, a step's gate: the link's answer, framed.
        const answer = errorResponse(error);
        const { title, lines } = decisionResultContent(answer);
        return linesPage(ctx, answer.statusCode, title, lines, { reviewId });
      }
    },
    // The uploader's calls answer JSON, refusals as the API's (its script shows their message).
    'POST /console/reviews/{reviewId}/evidence': async (request) => {
      const options = { idempotencyKey: request.headers['idempotency-key'] };
      const upload = await desk.requestOwnEvidenceUpload(
        reviewIdOf(request),
        asReviewer(request),
        request.body ?? {},
        request.requestId,
        options,
      );
      return json(201, upload);
    },
    'GET /console/reviews/{reviewId}/evidence': async (request) =>
      json(200, { evidence: await desk.listOwnEvidence(reviewIdOf(request), asReviewer(request), request.requestId) }),
    'DELETE /console/reviews/{reviewId}/evidence/{evidenceId}': async (request) => {
      const path = parseOrThrow(ReviewEvidencePathSchema, request.pathParameters, 'path');
      return json(
        200,
        await desk.removeOwnEvidence(path.reviewId, asReviewer(request), path.evidenceId, request.requestId),
      );
    },
  };
}
