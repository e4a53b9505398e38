/**
 * Submitting, with nothing sent until it is complete:
 *
 *   GET  /portal/submit?id=…                    each form field and checklist item that stops the
 *                                               submission, named (the same check the API's submit
 *                                               runs), else the button; after the deadline,
 *                                               逾期不予受理 and nothing to press
 *   POST /portal/applications/{id}/submit      the API's submit (a RETURNED application's
 *                                               resubmission too) → 303 to the application;
 *                                               refused → this page again with the reasons
 */
import { EDITABLE_STATUSES } from '../intake/drafts.ts';
import { submissionProblems } from '../intake/submission.ts';
import { ConflictError, type ErrorDetail, ValidationError } from '../platform/errors.ts';
import { callerOf, signedIn } from '../platform/http/handler.ts';
import type { ApiRequest } from '../platform/http/handler.ts';
import { html, type PageAnswer, type PageContext, renderPage, seeOther } from '../platform/pages/layout.ts';
import { STATUS_WORDS } from '../platform/words.ts';
import type { Campaign } from '../rules/campaign.ts';
import { type ApplicationDetail, loadApplication, type PortalDeps } from './deps.ts';
import { deadline, lateAdvice, portalAction, PORTAL_STYLE } from './parts.ts';
import { problemList } from './problems.ts';
import { colon } from '../platform/pages/punctuation.ts';

type Verdict =
  | { kind: 'not-submittable' }
  | { kind: 'not-open'; opensAt: string }
  | { kind: 'overdue' }
  | { kind: 'incomplete'; problems: readonly ErrorDetail[] }
  | { kind: 'ready' };

/** What the submit would answer now, from the same rules it runs. */
function verdict(application: ApplicationDetail, campaign: Campaign, now: Date): Verdict {
  if (!EDITABLE_STATUSES.includes(application.status)) return { kind: 'not-submittable' };
  if (now < new Date(campaign.opensAt)) return { kind: 'not-open', opensAt: campaign.opensAt };
  if (now > new Date(application.dueAt)) return { kind: 'overdue' };
  const problems = submissionProblems(application, campaign, application.evidence, now);
  return problems.length ? { kind: 'incomplete', problems } : { kind: 'ready' };
}

function submitForm(
  ctx: PageContext,
  status: number,
  application: ApplicationDetail,
  verdictNow: Verdict,
  now: Date,
): PageAnswer {
  const { say } = ctx;
  const id = application.applicationId;
  const back = html`<p class="actions"><a class="button secondary" href="${ctx.link('application', { id })}">${say('backToApplication')}</a></p>`;
  const resubmit = application.status === 'RETURNED';
  let content;
  switch (verdictNow.kind) {
    case 'not-submittable':
      content = html`<section><p>${say('notSubmittable')} ${say('status')}${colon(ctx.lang)}<strong>${say(STATUS_WORDS[application.status].console)}</strong></p>${back}</section>`;
      break;
    case 'not-open':
      content = html`<section><p>${say('notYetOpen')} <time datetime="${verdictNow.opensAt}">${ctx.when(verdictNow.opensAt)}</time></p>${back}</section>`;
      break;
    case 'overdue':
      // The submit's refusal, then what is left to the county and whom to ask (parts.ts).
      content = html`<section class="problem" id="overdue" role="alert"><h2>${say('overdueTitle')}</h2><p>${say('overdueText')}</p>
<p class="note">${say('due')}${colon(ctx.lang)}<time datetime="${application.dueAt}">${ctx.when(application.dueAt)}</time></p>
${lateAdvice(ctx, application)}${back}</section>`;
      break;
    case 'incomplete':
      // Refused (the submit's POST answered with this page): focus starts at what stops it, as a refused form's summary does.
      content = html`<section class="problem" id="problems" role="alert"${status >= 400 ? html` tabindex="-1" autofocus` : ''}><p><strong>${say('submitBlocked')}</strong></p>
${problemList(ctx, application.track, verdictNow.problems)}
<p class="actions"><a class="button" href="${ctx.link('edit', { id })}">${say('fixForm')}</a><a class="button secondary" href="${ctx.link('evidence', { id })}">${say('uploadEvidence')}</a></p></section>`;
      break;
    case 'ready':
      content = html`<section id="ready"><p>${say('submitReady')}</p>
${application.warnings.length ? html`<h2>${say('warnings')}</h2><ul class="warnings">${application.warnings.map((warning) => html`<li>${say(warning.message)}</li>`)}</ul>` : ''}
<form method="post" action="${portalAction(ctx, id, 'submit')}"><p class="actions"><button type="submit">${say(resubmit ? 'resubmitApplication' : 'submitApplication')}</button>
<a href="${ctx.link('application', { id })}">${say('cancel')}</a></p></form></section>`;
      break;
  }
  const title = `${application.clusterName} · ${say(resubmit ? 'resubmitApplication' : 'submitTitle')}`;
  const body = html`<p>${say('submitIntro')}</p>${verdictNow.kind === 'overdue' ? '' : deadline(ctx, application, now)}${content}`;
  return renderPage(status, ctx, {
    title,
    refused: status >= 400,
    crumbs: html`<a href="${ctx.link('')}">${say('portalHome')}</a>`,
    body,
    refresh: false,
    style: PORTAL_STYLE,
  });
}

/** GET /portal/submit?id=…. */
export async function submitPage(
  ctx: PageContext,
  query: Record<string, string>,
  deps: PortalDeps,
  request: ApiRequest,
  now: Date,
): Promise<PageAnswer> {
  const { application, campaign } = await loadApplication(deps, query, signedIn(request));
  return submitForm(ctx, 200, application, verdict(application, campaign, now), now);
}

/** POST /portal/applications/{id}/submit: the API's submit; its refusal shown on this page. */
export async function submitAction(
  ctx: PageContext,
  request: ApiRequest,
  applicationId: string,
  deps: PortalDeps,
  now: Date,
): Promise<PageAnswer> {
  try {
    await deps.intake.submit(applicationId, callerOf(request));
    return seeOther(ctx.link('application', { id: applicationId, done: 'submitted' }));
  } catch (error) {
    if (!(error instanceof ConflictError || error instanceof ValidationError)) throw error;
    const { application, campaign } = await loadApplication(deps, { id: applicationId }, signedIn(request));
    const refusal: Verdict =
      error.code === 'DEADLINE_PASSED'
        ? { kind: 'overdue' }
        : error.code === 'SUBMISSION_INCOMPLETE'
          ? { kind: 'incomplete', problems: error.details ?? [] }
          : verdict(application, campaign, now);
    if (refusal.kind === 'ready') throw error;
    return submitForm(ctx, error.status, application, refusal, now);
  }
}
