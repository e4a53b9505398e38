/**
 * The public notice's HTTP face: its pages (no sign-in), the signed-in objection route, and the
 * console's triage. The reviews function serves them (shared/review/handler.ts merges these
 * operations), with the per-client limits named in NOTICE_LIMITED_ROUTES.
 */
import { DomainError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { type ApiRequest, callerOf, logger, type Operation, signedIn } from '../platform/http/handler.ts';
import { json } from '../platform/http/respond.ts';
import type { RouteKey } from '../platform/http/routes.ts';
import type { LimitedAction } from '../platform/limits/policy.ts';
import { langOf, NOTICE_WORDS, type Word } from '../platform/pages/i18n.ts';
import { type PageAnswer, type PageContext, pageContext, problemPage, seeOther } from '../platform/pages/layout.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { ApplicationIdParamSchema } from '../schemas/api.ts';
import { ObjectionIdParamSchema } from '../schemas/reviews.ts';
import type { NoticeDesk } from './desk.ts';
import {
  NOTICE_SITE,
  noticeEntryPage,
  noticeListPage,
  noticeProblemPage,
  objectionReceivedPage,
  objectionStatusPage,
} from './pages.ts';
import { triagePage } from './triage-page.ts';

export type NoticeOperations = Pick<NoticeDesk, 'notices' | 'entry' | 'file' | 'status' | 'untriaged' | 'triage'>;

/** Both ways to object count against the same limits; so does nothing else here. */
export const NOTICE_LIMITED_ROUTES: Partial<Record<RouteKey, LimitedAction>> = {
  'POST /notice/applications/{applicationId}/objections': 'objection',
  'POST /v1/applications/{applicationId}/objections': 'objection',
};

const applicationIdOf = (request: ApiRequest) =>
  parseOrThrow(ApplicationIdParamSchema, request.pathParameters, 'path').applicationId;

const publicContext = (request: ApiRequest, page: string): PageContext =>
  pageContext(langOf(request.query), page, request.query, undefined, NOTICE_SITE);

/** The form's fields as text, to show them again beside their errors. */
function formValues(body: unknown): Record<string, string> {
  if (body === null || typeof body !== 'object') return {};
  return Object.fromEntries(
    Object.entries(body).flatMap(([key, value]) => (typeof value === 'string' ? [[key, value.slice(0, 5000)]] : [])),
  );
}

/** A refusal of a public page, in the notice's frame. */
function refused(ctx: PageContext, error: unknown): PageAnswer {
  if (!(error instanceof DomainError) || error.status >= 500) {
    logger.error('notice page failed', error as Error);
    return noticeProblemPage(ctx, 500, ctx.say('internal'));
  }
  logger.info('notice page refused', { code: error.code, status: error.status });
  const message = error instanceof NotFoundError ? ctx.say(NOTICE_WORDS.notInNotice) : error.message;
  return noticeProblemPage(ctx, error.status, message);
}

async function answering(ctx: PageContext, render: () => Promise<PageAnswer>): Promise<PageAnswer> {
  try {
    return await render();
  } catch (error) {
    return refused(ctx, error);
  }
}

const TITLE_BY_STATUS: Readonly<Record<number, Word>> = { 400: 'badRequest', 403: 'forbidden', 404: 'notFound' };

export function noticeOperations(notice: NoticeOperations): Partial<Record<RouteKey, Operation>> {
  return {
    'GET /notice': async (request) => {
      const ctx = publicContext(request, '');
      return answering(ctx, async () => noticeListPage(ctx, await notice.notices()));
    },
    'GET /notice/applications/{applicationId}': async (request) => {
      const ctx = publicContext(request, `applications/${request.pathParameters.applicationId ?? ''}`);
      return answering(ctx, async () => noticeEntryPage(ctx, await notice.entry(applicationIdOf(request))));
    },
    'POST /notice/applications/{applicationId}/objections': async (request) => {
      const ctx = publicContext(request, `applications/${request.pathParameters.applicationId ?? ''}`);
      return answering(ctx, async () => {
        const applicationId = applicationIdOf(request);
        try {
          // An empty field is left out of the form's JSON: sent as empty, it is named as missing.
          const sent = request.body;
          const body =
            sent !== null && typeof sent === 'object' && !Array.isArray(sent)
              ? { name: '', contact: '', reason: '', ...sent }
              : sent;
          const objection = await notice.file(applicationId, body, {
            kind: 'public',
            requestId: request.requestId,
          });
          return objectionReceivedPage(ctx, objection, await notice.entry(applicationId));
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          // The form again, with what was sent and each error beside its field.
          const entry = await notice.entry(applicationId);
          return noticeEntryPage(ctx, entry, { values: formValues(request.body), errors: error.details ?? [] });
        }
      });
    },
    'GET /notice/status': async (request) => {
      const ctx = publicContext(request, 'status');
      const receipt = request.query.receipt?.trim();
      if (!receipt) return objectionStatusPage(ctx, {});
      const parsed = ObjectionIdParamSchema.safeParse({ objectionId: receipt });
      if (!parsed.success)
        return objectionStatusPage(ctx, { receipt, status: 400, error: parsed.error.issues[0]?.message ?? 'invalid' });
      try {
        return objectionStatusPage(ctx, { view: await notice.status(parsed.data.objectionId), receipt });
      } catch (error) {
        if (!(error instanceof NotFoundError)) return refused(ctx, error);
        return objectionStatusPage(ctx, { receipt, status: 404, error: error.details?.[0]?.message ?? error.message });
      }
    },
    'GET /notice/{page}': async (request) => {
      const ctx = publicContext(request, '');
      return noticeProblemPage(ctx, 404, `${ctx.say('notFoundText')} /notice/${request.pathParameters.page ?? ''}`);
    },
    // A signed-in person's objection: the same path and limits as the public form's.
    'POST /v1/applications/{applicationId}/objections': async (request) =>
      json(
        201,
        await notice.file(applicationIdOf(request), request.body, { kind: 'signed-in', caller: callerOf(request) }),
      ),
    'GET /console/objections': async (request) => {
      const principal = signedIn(request);
      const ctx = pageContext(langOf(request.query), 'objections', request.query, principal);
      return consoleAnswer(ctx, async () => triagePage(ctx, request.query, await notice.untriaged(principal)));
    },
    'POST /console/objections/{objectionId}/triage': async (request) => {
      const caller = callerOf(request);
      const ctx = pageContext(langOf(request.query), 'objections', request.query, caller.principal);
      return consoleAnswer(
        ctx,
        async () => {
          const { objectionId } = parseOrThrow(ObjectionIdParamSchema, request.pathParameters, 'path');
          const result = await notice.triage(objectionId, request.body, caller);
          return seeOther(ctx.link('objections', { done: objectionId, told: result.notified ? 'yes' : 'no' }));
        },
        { fromForm: true },
      );
    },
  };
}

/**
 * A console page, or its refusal as a console problem page (403, 409 …); a refused triage form
 * (`fromForm`) leads back to the list it was filed from.
 */
async function consoleAnswer(
  ctx: PageContext,
  render: () => Promise<PageAnswer>,
  options: { fromForm?: boolean } = {},
): Promise<PageAnswer> {
  try {
    return await render();
  } catch (error) {
    if (!(error instanceof DomainError)) {
      logger.error('objections page failed', error as Error);
      return problemPage(500, ctx, 'internal', ctx.say('internal'));
    }
    const details = (error.details ?? []).map((d) => ({ field: d.field, message: d.message }));
    return problemPage(error.status, ctx, TITLE_BY_STATUS[error.status] ?? 'refused', error.message, details, options);
  }
}
