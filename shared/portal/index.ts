/**
 * The applicants' portal: the county SME authority's own pages, server-rendered over the same
 * use cases as the API (shared/intake/), in the console's frame (its CSP, its words) under its
 * own name. Chinese by default, English with `?lang=en`; plain HTML forms, no script needed.
 *
 *   GET  /portal                                  home: our applications, the campaigns open to us
 *   GET  /portal/new?campaignId=…                 start a draft            (edit.ts)
 *   GET  /portal/edit?id=…                        the 申报表, group by group (edit.ts)
 *   GET  /portal/application?id=…                 one application, its checklist, evidence, timeline
 *   GET  /portal/print?id=…                       the 申报表 on A4, with the stamp box (print.ts)
 *   GET  /portal/submit?id=…                      what stops a submission, else the button (submit.ts)
 *   GET  /portal/withdraw?id=…                    the confirmation step (withdraw.ts)
 *   GET  /portal/evidence?id=…                    the evidence uploader (evidence-page.ts; evidence function)
 *   POST /portal/applications                     create               → 303 (applications function)
 *   POST /portal/applications/{id}/form           save                 → 303 (applications function)
 *   POST /portal/applications/{id}/submit         submit or resubmit   → 303 (applications function)
 *   POST /portal/applications/{id}/withdraw       withdraw             → 303 (reviews function)
 *
 * Only an applicant signs in here, and reads only its own county's applications (the API's own
 * rules): anyone else gets a 403 page. A refused request renders as a page keeping its status.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DomainError } from '../platform/errors.ts';
import { formText, withJsonBody } from '../platform/http/forms.ts';
import { type ApiRequest, logger, signedIn } from '../platform/http/handler.ts';
import type { Word } from '../platform/pages/i18n.ts';
import { html, type PageAnswer, type PageContext, problemPage, renderPage } from '../platform/pages/layout.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { ReviewDesk } from '../review/desk.ts';
import { ApplicationIdParamSchema } from '../schemas/api.ts';
import { applicationPage } from './application.ts';
import { loadApplication, type PortalDeps } from './deps.ts';
import { evidencePage } from './evidence-page.ts';
import { createAction, editPage, newPage, saveAction } from './edit.ts';
import { PortalFormSchema } from './form-schema.ts';
import { homePage } from './home.ts';
import { isApplicant, portalContext, PORTAL_STYLE } from './parts.ts';
import { printPage } from './print.ts';
import { submitAction, submitPage } from './submit.ts';
import { withdrawAction, withdrawPage } from './withdraw.ts';

export type { PortalDeps } from './deps.ts';

type Page = (ctx: PageContext, request: ApiRequest, deps: PortalDeps, now: Date) => Promise<PageAnswer>;

const PAGES: Readonly<Record<string, Page>> = {
  '': async (ctx, request, deps, now) =>
    homePage(ctx, request.query, await deps.intake.countyDesk(signedIn(request)), now),
  new: (ctx, request, deps) => newPage(ctx, request.query, deps),
  edit: (ctx, request, deps) => editPage(ctx, request.query, deps, request),
  application: async (ctx, request, deps, now) => {
    const { application, campaign } = await loadApplication(deps, request.query, signedIn(request));
    return applicationPage(ctx, request.query, application, campaign, now);
  },
  print: async (ctx, request, deps) => {
    const { application, campaign } = await loadApplication(deps, request.query, signedIn(request));
    return printPage(ctx, application, campaign);
  },
  submit: (ctx, request, deps, now) => submitPage(ctx, request.query, deps, request, now),
  withdraw: (ctx, request, deps) => withdrawPage(ctx, request.query, deps, request),
};

/** GET /portal and GET /portal/{page}. */
export async function portalPage(request: ApiRequest, deps: PortalDeps): Promise<PageAnswer> {
  // GET /portal is the home (''); a {page} parameter must name a page (an empty one names none).
  const named = request.pathParameters.page;
  const page = named ?? '';
  const ctx = portalContext(request, page);
  const render = named === '' || !Object.hasOwn(PAGES, page) ? undefined : PAGES[page];
  if (!render) return problemPage(404, ctx, 'notFound', `${ctx.say('notFoundText')} /portal/${page}`);
  return answering(ctx, request, () => render(ctx, request, deps, (deps.now ?? (() => new Date()))()));
}

const posted = (request: ApiRequest) => parseOrThrow(PortalFormSchema, request.body ?? {}, 'form');
const applicationIdOf = (request: ApiRequest) =>
  parseOrThrow(ApplicationIdParamSchema, request.pathParameters, 'path').applicationId;

/**
 * GET /portal/evidence, served by the evidence function: the uploader's page needs the bucket's
 * origin for its connect-src, and only the function that presigns uploads knows it.
 */
export async function portalEvidencePage(
  request: ApiRequest,
  deps: Pick<PortalDeps, 'now'> & {
    intake: Pick<PortalDeps['intake'], 'get'>;
    catalog: Pick<PortalDeps['catalog'], 'get'>;
    uploadOrigin: () => Promise<string>;
  },
): Promise<PageAnswer> {
  const ctx = portalContext(request, 'evidence');
  return answering(ctx, request, async () => {
    const { application, campaign } = await loadApplication(deps, request.query, signedIn(request));
    const now = (deps.now ?? (() => new Date()))();
    return evidencePage(ctx, request.query, application, campaign, now, await deps.uploadOrigin());
  });
}

/** The portal's form POSTs that the applications function serves. */
export const portalActions = (deps: PortalDeps) => ({
  create: (request: ApiRequest) => {
    const ctx = portalContext(request, 'new');
    return answering(ctx, request, () => createAction(ctx, request, posted(request), deps));
  },
  save: (request: ApiRequest) => {
    const ctx = portalContext(request, 'edit');
    return answering(ctx, request, () =>
      saveAction(ctx, request, applicationIdOf(request), () => posted(request), deps),
    );
  },
  submit: (request: ApiRequest) => {
    const ctx = portalContext(request, 'submit');
    return answering(ctx, request, () =>
      submitAction(ctx, request, applicationIdOf(request), deps, (deps.now ?? (() => new Date()))()),
    );
  },
});

/** POST /portal/applications/{id}/withdraw, served by the review desk (it stops the execution). */
export function portalWithdraw(request: ApiRequest, desk: Pick<ReviewDesk, 'withdraw'>): Promise<PageAnswer> {
  const ctx = portalContext(request, 'withdraw');
  return answering(ctx, request, () => withdrawAction(ctx, request, desk));
}

/**
 * The portal's HTML forms post `application/x-www-form-urlencoded`; the operations read JSON.
 * Each field's last value goes in as a JSON object of strings; anything else passes unchanged.
 */
export function portalFormAsJson(event: APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
  const text = event.routeKey.startsWith('POST /portal/') ? formText(event) : undefined;
  if (text === undefined) return event;
  return withJsonBody(event, Object.fromEntries(new URLSearchParams(text)));
}

/** 403 for anyone but an applicant: the portal is the county's. */
function applicantsOnly(ctx: PageContext): PageAnswer {
  const { say } = ctx;
  const body = html`<section><p>${say('portalOnly')}</p><p><a href="/console">${say('toConsole')}</a></p></section>`;
  return renderPage(403, ctx, { title: say('forbidden'), body, refresh: false, style: PORTAL_STYLE });
}

const TITLE_BY_STATUS: Readonly<Record<number, Word>> = { 400: 'badRequest', 403: 'forbidden', 404: 'notFound' };

/** Renders the page for an applicant, or the error as a page: domain errors keep their status and details. */
async function answering(
  ctx: PageContext,
  request: ApiRequest,
  render: () => Promise<PageAnswer>,
): Promise<PageAnswer> {
  if (!isApplicant(request.principal)) return applicantsOnly(ctx);
  try {
    return await render();
  } catch (error) {
    if (error instanceof DomainError) {
      logger.info('portal page refused', { code: error.code, status: error.status });
      const details = (error.details ?? []).map((d) => ({ field: d.field, message: d.message }));
      return problemPage(error.status, ctx, TITLE_BY_STATUS[error.status] ?? 'refused', error.message, details);
    }
    logger.error('portal page failed', error as Error);
    return problemPage(500, ctx, 'internal', ctx.say('internal'));
  }
}
