/**
 * Cancellation for false information, its HTTP face: the JSON API (file, list, decide) and the
 * console's page with its two forms. The reviews function serves them (shared/review/handler.ts
 * merges these operations); its form bodies arrive as flat JSON (formToJson).
 */
import * as z from 'zod';
import { assertAllowed } from '../platform/auth/policy.ts';
import { DomainError } from '../platform/errors.ts';
import { type ApiRequest, callerOf, logger, type Operation, signedIn } from '../platform/http/handler.ts';
import { json } from '../platform/http/respond.ts';
import type { RouteKey } from '../platform/http/routes.ts';
import { langOf, type Word } from '../platform/pages/i18n.ts';
import { type PageAnswer, type PageContext, pageContext, problemPage, seeOther } from '../platform/pages/layout.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { RevocationDesk } from './desk.ts';
import { revocationsPage } from './page.ts';
import { RevocationIdParamSchema, RevocationRequestSchema } from './request.ts';

export type RevocationOperations = Pick<RevocationDesk, 'file' | 'fileFromReview' | 'list' | 'decide'>;

/** The console's filing form, flat: which kind of target, its id, the reason and the note. */
export const RevocationFileFormSchema = z.strictObject({
  kind: z.enum(['application', 'entry']),
  id: z.string().trim().min(1).max(300),
  reason: z.string().max(2000).optional(),
  evidenceNote: z.string().max(2000).optional(),
});

/** The list the API answers. */
export const RevocationListSchema = z.object({ requests: z.array(RevocationRequestSchema) });

/** The form's fields as the API's body (the desk parses and names each bad field). */
function fromForm(body: unknown): unknown {
  const form = parseOrThrow(RevocationFileFormSchema, body ?? {});
  const target =
    form.kind === 'application' ? { kind: 'application', applicationId: form.id } : { kind: 'entry', entryId: form.id };
  return { target, reason: form.reason ?? '', ...(form.evidenceNote && { evidenceNote: form.evidenceNote }) };
}

const requestIdOf = (request: ApiRequest) =>
  parseOrThrow(RevocationIdParamSchema, request.pathParameters, 'path').requestId;

const TITLE_BY_STATUS: Readonly<Record<number, Word>> = { 400: 'badRequest', 403: 'forbidden', 404: 'notFound' };

/** A console page, or its refusal as a console problem page (400, 403, 409 …). */
async function consoleAnswer(ctx: PageContext, render: () => Promise<PageAnswer>): Promise<PageAnswer> {
  try {
    return await render();
  } catch (error) {
    if (!(error instanceof DomainError)) {
      logger.error('revocations page failed', error as Error);
      return problemPage(500, ctx, 'internal', ctx.say('internal'));
    }
    const details = (error.details ?? []).map((d) => ({ field: d.field, message: d.message }));
    return problemPage(error.status, ctx, TITLE_BY_STATUS[error.status] ?? 'refused', error.message, details);
  }
}

export function revocationOperations(desk: RevocationOperations): Partial<Record<RouteKey, Operation>> {
  const page = (request: ApiRequest) =>
    pageContext(langOf(request.query), 'revocations', request.query, signedIn(request));
  return {
    'POST /v1/revocations': async (request) => {
      const { request: filed, created } = await desk.file(callerOf(request), request.body);
      return json(created ? 201 : 200, filed);
    },
    'GET /v1/revocations': async (request) => json(200, { requests: await desk.list(signedIn(request)) }),
    'POST /v1/revocations/{requestId}/decision': async (request) =>
      json(200, await desk.decide(requestIdOf(request), request.body, callerOf(request))),
    'GET /console/revocations': async (request) => {
      const ctx = page(request);
      return consoleAnswer(ctx, async () => revocationsPage(ctx, request.query, await desk.list(signedIn(request))));
    },
    'POST /console/revocations': async (request) => {
      const ctx = page(request);
      return consoleAnswer(ctx, async () => {
        const caller = callerOf(request);
        // Only reviewers ask (the desk then checks the place); the form is read once they may.
        assertAllowed(caller.principal.role === 'reviewer', 'requestRevocation', caller.principal);
        const { request: filed } = await desk.file(caller, fromForm(request.body));
        return seeOther(ctx.link('revocations', { done: filed.requestId }));
      });
    },
    'POST /console/revocations/{requestId}/decision': async (request) => {
      const ctx = page(request);
      return consoleAnswer(ctx, async () => {
        const decided = await desk.decide(requestIdOf(request), request.body, callerOf(request));
        return seeOther(ctx.link('revocations', { done: decided.requestId }));
      });
    },
  };
}
