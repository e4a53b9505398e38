/**
 * The annual reports' HTTP face (functions/annual-reports.ts): the JSON API, the county's page
 * with its uploader and figures form (portal), the province's and MIIT's page (console) with its
 * decision and forwarding forms, and the summary table. The pages' forms post
 * application/x-www-form-urlencoded; they are read here as JSON bodies.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Principal } from '../platform/auth/principal.ts';
import { ConflictError, DomainError, ValidationError } from '../platform/errors.ts';
import { formText, withJsonBody } from '../platform/http/forms.ts';
import { type ApiRequest, httpHandler, signedIn } from '../platform/http/handler.ts';
import { type HttpResult, json } from '../platform/http/respond.ts';
import { langOf } from '../platform/pages/i18n.ts';
import { type PageAnswer, type PageContext, pageContext, problemPage, seeOther } from '../platform/pages/layout.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { PORTAL_SITE } from '../portal/parts.ts';
import type { UploadSigner } from '../ports/intake.ts';
import { MIIT_CODE } from '../rules/jurisdictions.ts';
import { attachment } from '../operations/exports/response.ts';
import { assertAllowed, may } from '../platform/auth/policy.ts';
import {
  AnnualFilePathSchema,
  AnnualFileRemovalFormSchema,
  AnnualQuerySchema,
  type AnnualView,
} from './api-schemas.ts';
import type { AnnualReportDesk } from './desk.ts';
import {
  CONSOLE_ANNUAL_PATH,
  countyPage,
  miitPage,
  PORTAL_ANNUAL_PATH,
  provincePage,
  type RefusedFiling,
  type RefusedRemoval,
} from './pages.ts';
import { filingOfForm, withoutEmpty } from './forms.ts';
import { FIGURE_FIELDS, UploaderRequestBodySchema } from './report.ts';
import { summaryFile } from './summary.ts';

export interface AnnualReportHandlerDeps {
  desk: AnnualReportDesk;
  uploads: Pick<UploadSigner, 'uploadOrigin'>;
  clock: () => Date;
}

/** The JSON view by who asks: a county its own; a province its set; MIIT every province (or one, ?province=). */
async function viewOf(
  desk: AnnualReportDesk,
  principal: Principal,
  year: number,
  province?: string,
): Promise<AnnualView> {
  if (principal.role === 'applicant') return { scope: 'county', ...(await desk.countyView(principal, year)) };
  if (principal.jurisdiction === MIIT_CODE && !province)
    return { scope: 'miit', ...(await desk.miitView(principal, year)) };
  return { scope: 'province', ...(await desk.provinceView(principal, year, province)) };
}

async function answering(ctx: PageContext, render: () => Promise<PageAnswer | HttpResult>): Promise<HttpResult> {
  try {
    return await render();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const details = (error.details ?? []).map((d) => ({ field: d.field, message: d.message }));
    return problemPage(error.status, ctx, error.status === 403 ? 'forbidden' : 'refused', error.message, details);
  }
}

/** What the county typed into the figures form (as text, to show again) and why it was refused. */
function refusedFiling(body: unknown, error: ValidationError | ConflictError): RefusedFiling {
  const posted = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const text = (name: string) => (typeof posted[name] === 'string' ? posted[name] : '');
  return {
    entryId: text('entryId'),
    values: Object.fromEntries(FIGURE_FIELDS.map((field) => [field, text(field)])),
    errors: error.details?.length ? error.details : [{ code: error.code, message: error.message }],
  };
}

/** Why the page's 删除 form was refused: its details (or the refusal itself, naming no field). */
function refusedRemoval(fileId: string, error: ValidationError | ConflictError): RefusedRemoval {
  return { fileId, errors: error.details?.length ? error.details : [{ code: error.code, message: error.message }] };
}

export function makeAnnualReportHandler({ desk, uploads, clock }: AnnualReportHandlerDeps) {
  const query = (request: ApiRequest) => parseOrThrow(AnnualQuerySchema, request.query, 'query');
  const yearOf = (request: ApiRequest) => desk.year(query(request).year);
  const portalCtx = (request: ApiRequest) =>
    pageContext(langOf(request.query), 'annual-reports', request.query, signedIn(request), PORTAL_SITE);
  const consoleCtx = (request: ApiRequest) =>
    pageContext(langOf(request.query), 'annual-reports', request.query, signedIn(request));
  const back = (request: ApiRequest, path: string, year: number) =>
    seeOther(`${path}?year=${year}${langOf(request.query) === 'en' ? '&lang=en' : ''}`);

  const api = httpHandler({
    'GET /v1/annual-reports': async (request) => {
      const q = query(request);
      return json(200, await viewOf(desk, signedIn(request), desk.year(q.year), q.province));
    },
    'POST /v1/annual-reports/files': async (request) =>
      json(201, await desk.requestUpload(signedIn(request), yearOf(request), request.body ?? {})),
    'POST /v1/annual-reports/reports': async (request) =>
      json(200, await desk.file(signedIn(request), yearOf(request), request.body ?? {})),
    'POST /v1/annual-reports/decisions': async (request) =>
      json(200, await desk.review(signedIn(request), yearOf(request), request.body ?? {})),
    'POST /v1/annual-reports/forwarding': async (request) =>
      json(201, await desk.forward(signedIn(request), yearOf(request))),

    'DELETE /v1/annual-reports/files/{fileId}': async (request) => {
      const { fileId } = parseOrThrow(AnnualFilePathSchema, request.pathParameters, 'path');
      return json(200, await desk.removeFile(signedIn(request), yearOf(request), fileId));
    },

    'GET /portal/annual-reports': async (request) => {
      const ctx = portalCtx(request);
      return answering(ctx, async () =>
        countyPage(
          ctx,
          await desk.countyView(signedIn(request), yearOf(request)),
          (await uploads.uploadOrigin?.()) ?? '',
          { now: clock() },
        ),
      );
    },
    // The uploader's request: its `criterion` is the register entry.
    'POST /portal/annual-reports/files': async (request) => {
      const principal = signedIn(request);
      // Who may, before what was sent: a refusal says 403 whatever the body.
      assertAllowed(may.fileAnnualReport(principal, principal.jurisdiction), 'fileAnnualReport', principal);
      const { criterion, ...rest } = parseOrThrow(UploaderRequestBodySchema, request.body ?? {});
      return json(201, await desk.requestUpload(principal, yearOf(request), { ...rest, entryId: criterion }));
    },
    'GET /portal/annual-reports/files': async (request) =>
      json(200, { evidence: await desk.files(signedIn(request), yearOf(request)) }),
    'POST /portal/annual-reports/reports': async (request) => {
      const ctx = portalCtx(request);
      return answering(ctx, async () => {
        const year = yearOf(request);
        const principal = signedIn(request);
        assertAllowed(may.fileAnnualReport(principal, principal.jurisdiction), 'fileAnnualReport', principal);
        try {
          await desk.file(principal, year, filingOfForm(request.body));
        } catch (error) {
          if (!(error instanceof ValidationError || error instanceof ConflictError)) throw error;
          // The page again, the county's entries in the form they were typed into, each refusal beside its field.
          const view = await desk.countyView(principal, year);
          const refused = refusedFiling(request.body, error);
          if (!view.rows.some((row) => row.entry.entryId === refused.entryId)) throw error;
          return countyPage(ctx, view, (await uploads.uploadOrigin?.()) ?? '', {
            now: clock(),
            refused: { ...refused, status: error.status },
          });
        }
        return back(request, PORTAL_ANNUAL_PATH, year);
      });
    },

    // The page's 删除 form: the removal, confirmed by its ticked box; refused, the page again with why.
    'POST /portal/annual-reports/files/{fileId}/removal': async (request) => {
      const ctx = portalCtx(request);
      return answering(ctx, async () => {
        const year = yearOf(request);
        const principal = signedIn(request);
        // Who may, before what was sent: a refusal says 403 whatever the body.
        assertAllowed(may.fileAnnualReport(principal, principal.jurisdiction), 'fileAnnualReport', principal);
        const { fileId } = parseOrThrow(AnnualFilePathSchema, request.pathParameters, 'path');
        try {
          parseOrThrow(AnnualFileRemovalFormSchema, request.body ?? {});
          await desk.removeFile(principal, year, fileId);
        } catch (error) {
          if (!(error instanceof ValidationError || error instanceof ConflictError)) throw error;
          // Drawn again only around a file the county's own page lists; anything else is a plain refusal.
          const view = await desk.countyView(principal, year);
          if (!view.rows.some((row) => row.files.some((file) => file.fileId === fileId))) throw error;
          const refused = { ...refusedRemoval(fileId, error), status: error.status };
          return countyPage(ctx, view, (await uploads.uploadOrigin?.()) ?? '', {
            now: clock(),
            refusedRemoval: refused,
          });
        }
        return back(request, PORTAL_ANNUAL_PATH, year);
      });
    },

    'GET /console/annual-reports': async (request) => {
      const ctx = consoleCtx(request);
      const principal = signedIn(request);
      return answering(ctx, async () => {
        const q = query(request);
        const year = desk.year(q.year);
        if (principal.jurisdiction === MIIT_CODE && !q.province)
          return miitPage(ctx, await desk.miitView(principal, year));
        const view = await desk.provinceView(principal, year, q.province);
        return provincePage(ctx, view, may.reviewAnnualReports(principal, view.provinceCode));
      });
    },
    'POST /console/annual-reports/decisions': async (request) => {
      const ctx = consoleCtx(request);
      return answering(ctx, async () => {
        const year = yearOf(request);
        await desk.review(signedIn(request), year, withoutEmpty(request.body));
        return back(request, CONSOLE_ANNUAL_PATH, year);
      });
    },
    'POST /console/annual-reports/forwarding': async (request) => {
      const ctx = consoleCtx(request);
      return answering(ctx, async () => {
        const year = yearOf(request);
        await desk.forward(signedIn(request), year);
        return back(request, CONSOLE_ANNUAL_PATH, year);
      });
    },
    'GET /console/annual-reports/summary.xlsx': async (request) => {
      const q = query(request);
      const view = await desk.provinceView(signedIn(request), desk.year(q.year), q.province);
      return attachment(await summaryFile(view, clock()));
    },
  });

  // The pages' forms post application/x-www-form-urlencoded; the operations read JSON.
  return async (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> => {
    const form = /^POST \/(portal|console)\//.test(event.routeKey) ? formText(event) : undefined;
    if (form === undefined) return api(event, context);
    return api(withJsonBody(event, Object.fromEntries(new URLSearchParams(form))), context);
  };
}
