/**
 * Withdrawing, confirmed on a page of its own (no script):
 *
 *   GET  /portal/withdraw?id=…                    what withdrawing does — the review ends, any
 *                                                 quota slot is freed, it cannot be undone — and
 *                                                 the button that does it
 *   POST /portal/applications/{id}/withdraw      the review desk's withdrawal (functions/reviews.ts,
 *                                                 which stops the execution) → 303 to the application
 */
import { callerOf, signedIn } from '../platform/http/handler.ts';
import type { ApiRequest } from '../platform/http/handler.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { html, type PageAnswer, type PageContext, renderPage, seeOther } from '../platform/pages/layout.ts';
import { STATUS_WORDS } from '../platform/words.ts';
import type { ReviewDesk } from '../review/desk.ts';
import { ApplicationIdParamSchema } from '../schemas/api.ts';
import { ENDED_STATUSES } from '../schemas/common.ts';
import { loadApplication, type PortalDeps } from './deps.ts';
import { portalAction, PORTAL_STYLE } from './parts.ts';
import { colon } from '../platform/pages/punctuation.ts';

/** GET /portal/withdraw?id=…: the confirmation step. */
export async function withdrawPage(
  ctx: PageContext,
  query: Record<string, string>,
  deps: PortalDeps,
  request: ApiRequest,
): Promise<PageAnswer> {
  const { application } = await loadApplication(deps, query, signedIn(request));
  const { say } = ctx;
  const id = application.applicationId;
  const body = ENDED_STATUSES.has(application.status)
    ? html`<section><p>${say('alreadyEnded')} ${say('status')}${colon(ctx.lang)}<strong>${say(STATUS_WORDS[application.status].console)}</strong></p>
<p><a href="${ctx.link('application', { id })}">${say('backToApplication')}</a></p></section>`
    : html`<section class="problem" id="consequences"><p><strong>${say('withdrawConsequences')}</strong></p>
<ul>${
        // A draft was never sent: no review to end, no quota slot held.
        application.submittedAt === undefined
          ? html`<li>${say('withdrawDraftVoid')}</li>`
          : html`<li>${say('withdrawEnds')}</li><li>${say('withdrawFrees')}</li>`
      }<li><strong>${say('withdrawFinal')}</strong></li></ul></section>
<section><form method="post" action="${portalAction(ctx, id, 'withdraw')}">
<div class="field"><label for="reason">${say('withdrawReason')}</label><textarea id="reason" name="reason" rows="3" maxlength="2000"></textarea></div>
<p class="actions"><button type="submit">${say('confirmWithdraw')}</button> <a href="${ctx.link('application', { id })}">${say('cancel')}</a></p>
</form></section>`;
  return renderPage(200, ctx, {
    title: `${application.clusterName} · ${say('withdrawTitle')}`,
    crumbs: html`<a href="${ctx.link('')}">${say('portalHome')}</a>`,
    body,
    refresh: false,
    style: PORTAL_STYLE,
  });
}

/** POST /portal/applications/{id}/withdraw: the review desk's withdrawal, then back to the application. */
export async function withdrawAction(
  ctx: PageContext,
  request: ApiRequest,
  desk: Pick<ReviewDesk, 'withdraw'>,
): Promise<PageAnswer> {
  const { applicationId } = parseOrThrow(ApplicationIdParamSchema, request.pathParameters, 'path');
  await desk.withdraw(applicationId, request.body ?? {}, callerOf(request));
  return seeOther(ctx.link('application', { id: applicationId, done: 'withdrawn' }));
}
