/**
 * What each route of the table (shared/platform/http/routes.ts) reads and answers, by the zod
 * schemas its handler and desk parse with: the one table the API's document is generated from.
 * Who may call a route, whether it answers pages and whether it reads a body come from ROUTES
 * itself; only what ROUTES cannot say is here.
 */
import * as z from 'zod';
import { ApplicationQuerySchema } from '../../operations/console/application.ts';
import { BoardQuerySchema } from '../../operations/console/board.ts';
import { JurisdictionQuerySchema } from '../../operations/console/jurisdiction.ts';
import { TriagePageQuerySchema } from '../../notice/triage-page.ts';
import { InboxPageQuerySchema } from '../../review/inbox-page.ts';
import { ConsoleReviewQuerySchema } from '../../review/console-review-handler.ts';
import { LapseBackfillReportSchema, LapseBackfillRequestSchema } from '../../review/lapse-backfill.ts';
import { LevelDocumentsPageQuerySchema } from '../../review/level-documents/page.ts';
import {
  LevelDocumentListSchema,
  LevelDocumentRequestBodySchema,
  LevelDocumentUploadSchema,
  LevelOwnQuerySchema,
  LevelTargetSchema,
} from '../../review/level-documents/records.ts';
import { CampaignSchema } from '../../rules/campaign.ts';
import {
  ApplicationIdParamSchema,
  CreateApplicationBodySchema,
  EvidenceIdParamSchema,
  EvidenceRequestBodySchema,
  IdempotencyKeySchema,
  PatchApplicationBodySchema,
} from '../../schemas/api.ts';
import { DivisionCodeSchema, FILE_TYPE_BY_MIME, TrackSchema } from '../../schemas/common.ts';
import {
  CampaignQuerySchema,
  ExecutionNameParamSchema,
  HistorySchema,
  JurisdictionDrillDownSchema,
  JurisdictionParamSchema,
  OpsSummarySchema,
  RedriveResultSchema,
} from '../../schemas/ops.ts';
import {
  ApplicationDetailSchema,
  ApplicationSavedSchema,
  ApplicationViewSchema,
  CampaignListSchema,
  CampaignViewSchema,
  DecisionViewSchema,
  EndedSchema,
  ErrorBodySchema,
  EvidenceListSchema,
  EvidenceRemovedSchema,
  GatewayRefusalSchema,
  EvidenceUploadSchema,
  InboxSchema,
  JurisdictionViewSchema,
  ResendResultSchema,
} from '../../schemas/responses.ts';
import {
  CancelBodySchema,
  DecisionBodySchema,
  InboxQuerySchema,
  ObjectionBodySchema,
  ObjectionIdParamSchema,
  ObjectionRecordSchema,
  PublicObjectionBodySchema,
  ReviewIdParamSchema,
  TriageBodySchema,
  WithdrawBodySchema,
} from '../../schemas/reviews.ts';
import { CallbackQuerySchema } from '../auth/provider-sign-in.ts';
import { SignInBodySchema } from '../auth/console-sign-in.ts';
import { LangSchema } from '../pages/i18n.ts';
import { ApplicationQuerySchema as PortalApplicationQuerySchema } from '../../portal/deps.ts';
import { PortalFormSchema } from '../../portal/form-schema.ts';
import type { RouteKey } from '../http/routes.ts';
import {
  AssignBodySchema,
  CloseBodySchema,
  PanelCloseFormSchema,
  PanelPageQuerySchema,
  DeclarationBodySchema,
  PanelClosedSchema,
  PanelSeatedSchema,
  PanelViewSchema,
  ScoreBodySchema,
  SeatChangedSchema,
  SeatPathSchema,
} from '../../schemas/panel.ts';
import {
  ImportReportSchema,
  ImportRequestSchema,
  MigrationReportSchema,
  RegisterFilterSchema,
  RegisterViewSchema,
} from '../../register/api-schemas.ts';
import {
  BuildPackageBodySchema,
  PackageListQuerySchema,
  PackageListSchema,
  PackageViewSchema,
} from '../../package/desk.ts';
import { CampaignPathSchema, PackagePathSchema } from '../../package/handler.ts';
import { PackagesPageQuerySchema } from '../../package/page.ts';
import { RevocationFileFormSchema, RevocationListSchema } from '../../revocation/handler.ts';
import { RevocationPageQuerySchema } from '../../revocation/page.ts';
import {
  FileRevocationBodySchema,
  LinkRevocationBodySchema,
  RevocationDecisionBodySchema,
  RevocationIdParamSchema,
  RevocationRequestSchema,
} from '../../revocation/request.ts';
import {
  AnnualFileListSchema,
  AnnualFilePathSchema,
  AnnualFileRemovalFormSchema,
  AnnualFileRemovedSchema,
  AnnualForwardingSchema,
  AnnualQuerySchema,
  AnnualReportRecordSchema,
  AnnualUploadSchema,
  AnnualViewSchema,
} from '../../annual-report/api-schemas.ts';
import {
  FilingBodySchema as AnnualFilingBodySchema,
  ReviewBodySchema as AnnualReviewBodySchema,
  UploadRequestBodySchema as AnnualUploadBodySchema,
  UploaderRequestBodySchema as AnnualUploaderBodySchema,
} from '../../annual-report/report.ts';
import { CohortQuerySchema, CohortViewSchema } from '../../register/cohort.ts';
import { DecisionBodySchema as RegisterDecisionBodySchema, DecisionResultSchema } from '../../register/decisions.ts';

export type JsonSchema = Record<string, unknown>;

/**
 * Request bodies, by the name the document gives them (components.schemas). Each is generated
 * from its input side (defaults make a field optional; the request is what the caller sends).
 */
export const REQUEST_SCHEMAS = {
  CampaignDefinition: CampaignSchema,
  CreateApplicationBody: CreateApplicationBodySchema,
  PatchApplicationBody: PatchApplicationBodySchema,
  EvidenceRequestBody: EvidenceRequestBodySchema,
  WithdrawBody: WithdrawBodySchema,
  CancelBody: CancelBodySchema,
  ObjectionBody: ObjectionBodySchema,
  PublicObjectionBody: PublicObjectionBodySchema,
  TriageBody: TriageBodySchema,
  DecisionBody: DecisionBodySchema,
  SignInForm: SignInBodySchema,
  PortalForm: PortalFormSchema,
  PanelAssignBody: AssignBodySchema,
  PanelCloseBody: CloseBodySchema,
  PanelCloseForm: PanelCloseFormSchema,
  PanelDeclarationBody: DeclarationBodySchema,
  PanelScoreBody: ScoreBodySchema,
  LevelDocumentRequestBody: LevelDocumentRequestBodySchema,
  RegisterImport: ImportRequestSchema,
  LapseBackfillRequest: LapseBackfillRequestSchema,
  RegisterDecisionBody: RegisterDecisionBodySchema,
  BuildPackageBody: BuildPackageBodySchema,
  RevocationBody: FileRevocationBodySchema,
  RevocationForm: RevocationFileFormSchema,
  RevocationDecisionBody: RevocationDecisionBodySchema,
  RevocationLinkBody: LinkRevocationBodySchema,
  AnnualUploadBody: AnnualUploadBodySchema,
  AnnualUploaderBody: AnnualUploaderBodySchema,
  AnnualFilingBody: AnnualFilingBodySchema,
  AnnualReviewBody: AnnualReviewBodySchema,
  AnnualFileRemovalForm: AnnualFileRemovalFormSchema,
} as const satisfies Record<string, z.ZodType>;

/** Answers, by name; generated from their output side (what the server sends). */
export const RESPONSE_SCHEMAS = {
  Error: ErrorBodySchema,
  GatewayRefusal: GatewayRefusalSchema,
  CampaignList: CampaignListSchema,
  CampaignView: CampaignViewSchema,
  JurisdictionView: JurisdictionViewSchema,
  ApplicationView: ApplicationViewSchema,
  ApplicationDetail: ApplicationDetailSchema,
  ApplicationSaved: ApplicationSavedSchema,
  History: HistorySchema,
  EvidenceUpload: EvidenceUploadSchema,
  EvidenceList: EvidenceListSchema,
  EvidenceRemoved: EvidenceRemovedSchema,
  Ended: EndedSchema,
  Objection: ObjectionRecordSchema,
  Inbox: InboxSchema,
  DecisionView: DecisionViewSchema,
  ResendResult: ResendResultSchema,
  OpsSummary: OpsSummarySchema,
  JurisdictionDrillDown: JurisdictionDrillDownSchema,
  RedriveResult: RedriveResultSchema,
  PanelView: PanelViewSchema,
  PanelSeated: PanelSeatedSchema,
  PanelClosed: PanelClosedSchema,
  SeatChanged: SeatChangedSchema,
  LevelDocumentUpload: LevelDocumentUploadSchema,
  LevelDocumentList: LevelDocumentListSchema,
  RegisterView: RegisterViewSchema,
  ImportReport: ImportReportSchema,
  MigrationReport: MigrationReportSchema,
  LapseBackfillReport: LapseBackfillReportSchema,
  CohortView: CohortViewSchema,
  RegisterDecision: DecisionResultSchema,
  PackageView: PackageViewSchema,
  PackageList: PackageListSchema,
  RevocationRequest: RevocationRequestSchema,
  RevocationList: RevocationListSchema,
  AnnualView: AnnualViewSchema,
  AnnualUpload: AnnualUploadSchema,
  AnnualFileList: AnnualFileListSchema,
  AnnualReport: AnnualReportRecordSchema,
  AnnualForwarding: AnnualForwardingSchema,
  AnnualFileRemoved: AnnualFileRemovedSchema,
} as const satisfies Record<string, z.ZodType>;

export type RequestName = keyof typeof REQUEST_SCHEMAS;
export type ResponseName = keyof typeof RESPONSE_SCHEMAS;

/**
 * What JSON Schema can say of a refinement that z.toJSONSchema leaves out (it drops `.refine`
 * and `.superRefine` silently: code cannot be turned into a schema). Only rules a schema can
 * state exactly are added; the others (control characters, NFKC byte lengths, file-name rules, a
 * campaign's date order) stay the server's, and its 400 names the field.
 */
export const REQUEST_OVERRIDES: Partial<Record<RequestName, (schema: JsonSchema) => JsonSchema>> = {
  // "nothing to change": a field other than `revision`.
  PatchApplicationBody: (schema) => ({
    ...schema,
    anyOf: Object.keys(PatchApplicationBodySchema.shape)
      .filter((key) => key !== 'revision')
      .map((key) => ({ required: [key] })),
  }),
  // A return or a rejection needs its reason.
  DecisionBody: (schema) => ({
    ...schema,
    if: { properties: { decision: { enum: ['return', 'reject'] } }, required: ['decision'] },
    then: { required: ['reason'], properties: { reason: { minLength: 1 } } },
  }),
  // The accepted media types (a refinement against FILE_TYPE_BY_MIME).
  EvidenceRequestBody: (schema) => withProperty(schema, 'contentType', { enum: [...FILE_TYPE_BY_MIME.keys()] }),
  // The input side of `FreeText(…).pipe(min(1))` is the free text alone: the reason is still required.
  CancelBody: (schema) => withProperty(schema, 'reason', { minLength: 1 }),
  ObjectionBody: (schema) => withProperty(schema, 'reason', { minLength: 1 }),
  PublicObjectionBody: (schema) =>
    ['name', 'contact', 'reason'].reduce((out, name) => withProperty(out, name, { minLength: 1 }), schema),
  RevocationBody: (schema) => withProperty(schema, 'reason', { minLength: 1 }),
  RevocationLinkBody: (schema) => withProperty(schema, 'reason', { minLength: 1 }),
  // A declined request needs its reason.
  RevocationDecisionBody: (schema) => ({
    ...schema,
    if: { properties: { decision: { const: 'decline' } }, required: ['decision'] },
    then: { required: ['reason'], properties: { reason: { minLength: 1 } } },
  }),
  // A dismissal needs its reason.
  TriageBody: (schema) => ({
    ...schema,
    if: { properties: { outcome: { const: 'dismissed' } }, required: ['outcome'] },
    then: { required: ['reason'], properties: { reason: { minLength: 1 } } },
  }),
};

function withProperty(schema: JsonSchema, name: string, extra: JsonSchema): JsonSchema {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return { ...schema, properties: { ...properties, [name]: { ...properties[name], ...extra } } };
}

/**
 * What a route answers with a success status:
 *   a response name  JSON of that schema;
 *   page             an HTML page;
 *   redirect         303 with a Location header, no body;
 *   files            an XLSX workbook or a CSV file (by the path's file name), as an attachment;
 *   document         this API's own OpenAPI document.
 */
export type Answer = ResponseName | 'page' | 'redirect' | 'files' | 'document';

export interface OperationSpec {
  summary: string;
  description?: string;
  /** Path parameters, as the handler parses them; a parameter not named here is a plain string. */
  path?: z.ZodObject;
  /** Query parameters the route reads. */
  query?: z.ZodObject;
  /** The query is read by sub-page: every parameter is optional here, each page requires its own. */
  queryByPage?: true;
  /** Request headers the route reads (the document names them as written here). */
  headers?: z.ZodObject;
  /** The JSON body (routes that read one); `form` also takes it as an HTML form. */
  body?: RequestName;
  form?: true;
  responses: Partial<Record<200 | 201 | 202 | 303, Answer>>;
}

/** `?lang=en`: the pages' language (Chinese otherwise). */
const Lang = z.object({ lang: LangSchema.optional() });
const withLang = (schema: z.ZodObject) => schema.extend(Lang.shape);

const IdempotencyKey = z.object({
  'Idempotency-Key': IdempotencyKeySchema.optional().describe(
    'repeats of a request with the same key answer as the first did, and create nothing more',
  ),
});

/**
 * Kept here rather than imported: the exports function's own list lives beside the XLSX writer,
 * which would bring exceljs into every bundle that serves this document. A unit test holds the
 * two lists equal.
 */
export const EXPORT_FILES = ['summary.xlsx', 'summary.csv'] as const;
export const EXPORT_MEDIA_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
} as const;

const ExportPath = z.object({ campaignId: z.string().min(1).max(64), file: z.enum(EXPORT_FILES) });
const ExportQuery = z.object({
  jurisdiction: DivisionCodeSchema.optional().describe('default: the signed-in principal’s own jurisdiction'),
  track: TrackSchema.optional().describe('default: the campaign’s first track'),
});

const ApplicationPath = ApplicationIdParamSchema;
const ReviewPath = ReviewIdParamSchema;

/** Who sees the people an application's trail names (shared/intake/trail.ts). */
const HISTORY_PRIVACY =
  'Each audit event names its `actor`: a signed-in person by their subject, a decision taken through an emailed link by the addresses the link went to, a panel’s events by the experts’ addresses (also in `detail`). The reviewers over the application and the operators of its scope read them whole; the county that filed it reads every address with its local part masked (`r***@office.example.gov.cn`).';

/** Every route of ROUTES, and nothing else (the type says so: a new route needs its entry). */
export const OPERATIONS: Record<RouteKey, OperationSpec> = {
  'GET /v1/campaigns': { summary: 'List the campaigns (yearly calls)', responses: { 200: 'CampaignList' } },
  'POST /v1/campaigns': {
    summary: 'Add a campaign from its full definition (national operators)',
    body: 'CampaignDefinition',
    responses: { 201: 'CampaignView' },
  },
  'GET /v1/campaigns/{campaignId}': { summary: 'Read one campaign', responses: { 200: 'CampaignView' } },
  'GET /v1/jurisdictions/{code}': {
    summary: 'Read a jurisdiction (GB/T 2260), its parents, children and review chain',
    path: JurisdictionParamSchema,
    responses: { 200: 'JurisdictionView' },
  },
  'POST /v1/applications': {
    summary: 'Create a draft application (the applicant county)',
    headers: IdempotencyKey,
    body: 'CreateApplicationBody',
    responses: { 201: 'ApplicationView' },
  },
  'GET /v1/applications/{applicationId}': {
    summary: 'Read an application with its checklist, evidence and history',
    description: HISTORY_PRIVACY,
    path: ApplicationPath,
    responses: { 200: 'ApplicationDetail' },
  },
  'GET /v1/applications/{applicationId}/history': {
    summary: 'Read an application’s audit trail, oldest first',
    description: HISTORY_PRIVACY,
    path: ApplicationPath,
    responses: { 200: 'History' },
  },
  'PATCH /v1/applications/{applicationId}': {
    summary: 'Change a draft or returned application (the form fields it names are replaced)',
    path: ApplicationPath,
    body: 'PatchApplicationBody',
    responses: { 200: 'ApplicationSaved' },
  },
  'POST /v1/applications/{applicationId}/submit': {
    summary: 'Submit the application (or resubmit a returned one) to the review ladder',
    path: ApplicationPath,
    responses: { 202: 'ApplicationSaved' },
  },
  'POST /v1/applications/{applicationId}/evidence': {
    summary: 'Ask to upload an evidence file: answers a presigned POST to send its bytes to',
    path: ApplicationPath,
    headers: IdempotencyKey,
    body: 'EvidenceRequestBody',
    responses: { 201: 'EvidenceUpload' },
  },
  'GET /v1/applications/{applicationId}/evidence': {
    summary: 'List an application’s evidence files and their validation',
    path: ApplicationPath,
    responses: { 200: 'EvidenceList' },
  },
  'POST /v1/applications/{applicationId}/withdraw': {
    summary: 'Withdraw the application (the applicant county)',
    path: ApplicationPath,
    body: 'WithdrawBody',
    responses: { 200: 'Ended' },
  },
  'POST /v1/applications/{applicationId}/objections': {
    summary: 'File an objection during the public notice (公示)',
    description:
      'Addressed to the level holding the notice, which triages it; it moves nothing by itself. An application unknown or not in notice is 404 alike. Limited per person and address (429 with Retry-After).',
    path: ApplicationPath,
    body: 'ObjectionBody',
    responses: { 201: 'Objection' },
  },
  'POST /v1/applications/{applicationId}/cancel': {
    summary: 'Cancel the application (an operator, with the reason)',
    path: ApplicationPath,
    body: 'CancelBody',
    responses: { 200: 'Ended' },
  },
  'GET /v1/reviews': {
    summary: 'The signed-in reviewer’s inbox: pending reviews and, for a province, the ranking',
    query: InboxQuerySchema,
    responses: { 200: 'Inbox' },
  },
  'GET /v1/reviews/{reviewId}': {
    summary: 'The review page an emailed link opens (shows, never decides)',
    path: ReviewPath,
    query: Lang,
    responses: { 200: 'page' },
  },
  'POST /v1/reviews/{reviewId}/decision': {
    summary: 'Decide a review: approve, return or reject',
    description: 'The page’s form posts it as a form and is answered with a page; JSON is answered with JSON.',
    path: ReviewPath,
    body: 'DecisionBody',
    form: true,
    responses: { 200: 'DecisionView' },
  },
  'POST /v1/reviews/{reviewId}/resend': {
    summary: 'Email the review’s link again (once per cooldown)',
    path: ReviewPath,
    responses: { 202: 'ResendResult' },
  },
  'GET /v1/ops/summary': {
    summary: 'The national board of a campaign',
    query: CampaignQuerySchema,
    responses: { 200: 'OpsSummary' },
  },
  'GET /v1/ops/jurisdictions/{code}': {
    summary: 'A jurisdiction’s drill-down: the level below, its applications and quotas',
    path: JurisdictionParamSchema,
    query: CampaignQuerySchema,
    responses: { 200: 'JurisdictionDrillDown' },
  },
  'POST /v1/ops/executions/{executionName}/redrive': {
    summary: 'Redrive a failed review-ladder execution',
    path: ExecutionNameParamSchema,
    responses: { 202: 'RedriveResult' },
  },
  'GET /v1/exports/{campaignId}/{file}': {
    summary: 'A summary table (推荐汇总表, 复核情况汇总表, 典型案例信息汇总表) as XLSX or CSV',
    path: ExportPath,
    query: ExportQuery,
    responses: { 200: 'files' },
  },
  'POST /v1/campaigns/{campaignId}/packages': {
    summary: 'Start building the province’s submission package to MIIT (a ZIP with its manifest), in the background',
    path: CampaignPathSchema,
    body: 'BuildPackageBody',
    responses: { 202: 'PackageView' },
  },
  'GET /v1/campaigns/{campaignId}/packages': {
    summary: 'A jurisdiction’s submission packages (MIIT: every province’s), newest first',
    path: CampaignPathSchema,
    query: PackageListQuerySchema,
    responses: { 200: 'PackageList' },
  },
  'GET /v1/campaigns/{campaignId}/packages/{packageId}': {
    summary:
      'A submission package: its status, manifest digest, verification and, once ready, a short-lived download link',
    path: PackagePathSchema,
    responses: { 200: 'PackageView' },
  },
  'POST /v1/campaigns/{campaignId}/packages/{packageId}/verify': {
    summary: 'Verify a stored package against its manifest (every entry’s SHA-256), in the background',
    path: PackagePathSchema,
    responses: { 202: 'PackageView' },
  },
  'GET /console/packages': {
    summary: 'The submission packages page',
    query: withLang(PackagesPageQuerySchema),
    responses: { 200: 'page' },
  },
  'POST /console/packages': {
    summary: 'The packages page’s build form',
    query: withLang(z.object({ campaignId: z.string().min(1).max(64) })),
    body: 'BuildPackageBody',
    form: true,
    responses: { 303: 'redirect' },
  },
  'POST /console/packages/{packageId}/verify': {
    summary: 'The packages page’s verify button',
    path: PackagePathSchema.pick({ packageId: true }),
    query: withLang(z.object({ campaignId: z.string().min(1).max(64) })),
    responses: { 303: 'redirect' },
  },
  'GET /console': { summary: 'The ops console’s home', query: withLang(BoardQuerySchema), responses: { 200: 'page' } },
  'GET /console/{page}': {
    summary: 'A console page: board, jurisdiction or application',
    path: z.object({ page: z.string().describe('board, jurisdiction or application') }),
    query: withLang(BoardQuerySchema.extend(JurisdictionQuerySchema.shape).extend(ApplicationQuerySchema.shape)),
    queryByPage: true,
    responses: { 200: 'page' },
  },
  'GET /console/inbox': {
    summary: 'The reviewer inbox page',
    query: withLang(InboxPageQuerySchema),
    responses: { 200: 'page' },
  },
  'POST /console/executions/{executionName}/redrive': {
    summary: 'The board’s redrive button',
    path: ExecutionNameParamSchema,
    responses: { 202: 'RedriveResult' },
  },
  'POST /console/reviews/{reviewId}/resend': {
    summary: 'The inbox’s resend button',
    path: ReviewPath,
    responses: { 202: 'ResendResult' },
  },
  'GET /console/reviews/{reviewId}': {
    summary: 'The review page an emailed link opens, in the console, for the stage’s signed-in reviewer',
    description: 'The inbox’s rows lead here; `done=decided` is the page after its decision was recorded.',
    path: ReviewPath,
    query: withLang(ConsoleReviewQuerySchema),
    responses: { 200: 'page' },
  },
  'POST /console/reviews/{reviewId}/decision': {
    summary: 'The console review page’s decision form: POST /v1/reviews/{reviewId}/decision, with the session cookie',
    path: ReviewPath,
    query: Lang,
    body: 'DecisionBody',
    form: true,
    responses: { 303: 'redirect' },
  },
  'POST /console/reviews/{reviewId}/evidence': {
    summary: 'The console review page’s uploader: POST /v1/reviews/{reviewId}/evidence with the session cookie',
    path: ReviewPath,
    headers: IdempotencyKey,
    body: 'EvidenceRequestBody',
    responses: { 201: 'EvidenceUpload' },
  },
  'GET /console/reviews/{reviewId}/evidence': {
    summary: 'The console review page’s uploader: GET /v1/reviews/{reviewId}/evidence with the session cookie',
    path: ReviewPath,
    responses: { 200: 'EvidenceList' },
  },
  'DELETE /console/reviews/{reviewId}/evidence/{evidenceId}': {
    summary:
      'The console review page’s uploader’s Remove: DELETE /v1/reviews/{reviewId}/evidence/{evidenceId} with the session cookie',
    path: ReviewPath.extend({ evidenceId: z.uuid() }),
    responses: { 200: 'EvidenceRemoved' },
  },
  'GET /console/sign-in': {
    summary: 'The console’s sign-in page',
    query: withLang(SignInBodySchema.pick({ next: true })),
    responses: { 200: 'page' },
  },
  'POST /console/sign-in': {
    summary: 'Sign in with a pasted ID token: sets the session cookie',
    body: 'SignInForm',
    form: true,
    responses: { 303: 'redirect' },
  },
  'POST /console/sign-out': { summary: 'Sign out: clears the session cookie', responses: { 303: 'redirect' } },
  'GET /console/sign-in/start': {
    summary: 'Sign in through the identity provider’s page (authorization code with PKCE)',
    query: withLang(SignInBodySchema.pick({ next: true })),
    responses: { 303: 'redirect' },
  },
  'GET /console/sign-in/callback': {
    summary: 'Where the identity provider sends the browser back: opens the session',
    query: withLang(CallbackQuerySchema),
    responses: { 200: 'page' },
  },
  'GET /notice': {
    summary: 'The public notice (公示): what is in notice, and what an objection needs (no sign-in)',
    query: Lang,
    responses: { 200: 'page' },
  },
  'GET /notice/applications/{applicationId}': {
    summary: 'One application in notice, with the objection form (no sign-in)',
    path: ApplicationPath,
    query: Lang,
    responses: { 200: 'page' },
  },
  'POST /notice/applications/{applicationId}/objections': {
    summary: 'Object from the public notice page: answers the receipt number (no sign-in; limited per client)',
    description:
      'An application unknown or not in notice is 404 alike. Too many objections from one address: 429 with Retry-After.',
    path: ApplicationPath,
    query: Lang,
    body: 'PublicObjectionBody',
    form: true,
    responses: { 201: 'page' },
  },
  'GET /notice/status': {
    summary: 'Where an objection stands, by its receipt number (no sign-in)',
    query: withLang(z.object({ receipt: z.string().optional().describe('the receipt number (objection id)') })),
    responses: { 200: 'page' },
  },
  'GET /notice/{page}': {
    summary: 'Any other page of the public notice: answers 404 with a page saying there is no such page (no sign-in)',
    path: z.object({ page: z.string().describe('any name but the notice’s own pages') }),
    query: Lang,
    responses: { 200: 'page' },
  },
  'GET /console/objections': {
    summary: 'The objections waiting for the signed-in reviewer’s (or operator’s) triage',
    query: withLang(TriagePageQuerySchema),
    responses: { 200: 'page' },
  },
  'POST /console/objections/{objectionId}/triage': {
    summary: 'Triage an objection: upheld (back to review when the notice closes) or dismissed with a reason',
    path: ObjectionIdParamSchema,
    query: Lang,
    body: 'TriageBody',
    form: true,
    responses: { 303: 'redirect' },
  },
  'GET /v1/openapi.json': { summary: 'This document (OpenAPI 3.1)', responses: { 200: 'document' } },
  'GET /v1/docs': { summary: 'This document as a page to read', responses: { 200: 'page' } },
  'DELETE /v1/applications/{applicationId}/evidence/{evidenceId}': {
    summary: 'Remove an evidence file while its uploader may still change the item (a repeat answers the same)',
    path: EvidenceIdParamSchema,
    responses: { 200: 'EvidenceRemoved' },
  },
  'POST /portal/applications/{applicationId}/evidence': {
    summary:
      'The portal uploader’s upload request: POST /v1/applications/{applicationId}/evidence with the session cookie',
    path: ApplicationPath,
    headers: IdempotencyKey,
    body: 'EvidenceRequestBody',
    responses: { 201: 'EvidenceUpload' },
  },
  'GET /portal/applications/{applicationId}/evidence': {
    summary:
      'The portal uploader’s evidence list: GET /v1/applications/{applicationId}/evidence with the session cookie',
    path: ApplicationPath,
    responses: { 200: 'EvidenceList' },
  },
  'DELETE /portal/applications/{applicationId}/evidence/{evidenceId}': {
    summary:
      'The portal uploader’s Remove: DELETE /v1/applications/{applicationId}/evidence/{evidenceId} with the session cookie',
    path: EvidenceIdParamSchema,
    responses: { 200: 'EvidenceRemoved' },
  },
  'POST /v1/reviews/{reviewId}/evidence': {
    summary: 'The review page’s uploader: ask to upload one of the city’s own items (its on-site check statement)',
    path: ReviewPath,
    headers: IdempotencyKey,
    body: 'EvidenceRequestBody',
    responses: { 201: 'EvidenceUpload' },
  },
  'GET /v1/reviews/{reviewId}/evidence': {
    summary: 'The review page’s uploader: the evidence of the review’s application',
    path: ReviewPath,
    responses: { 200: 'EvidenceList' },
  },
  'DELETE /v1/reviews/{reviewId}/evidence/{evidenceId}': {
    summary: 'The review page’s uploader: remove one of the city’s own files during its review',
    path: ReviewPath.extend({ evidenceId: z.uuid() }),
    responses: { 200: 'EvidenceRemoved' },
  },
  'GET /portal': {
    summary: 'The applicants’ portal: our applications and the campaigns open to us',
    query: withLang(z.object({})),
    responses: { 200: 'page' },
  },
  'GET /portal/{page}': {
    summary: 'A portal page: new, edit, application, print, submit or withdraw',
    path: z.object({ page: z.string().describe('new, edit, application, print, submit or withdraw') }),
    query: withLang(PortalApplicationQuerySchema.extend({ campaignId: z.string().max(64).optional() })),
    queryByPage: true,
    responses: { 200: 'page' },
  },
  'GET /portal/evidence': {
    summary: 'The portal’s evidence uploader: the checklist item by item, with upload, replace and remove',
    query: withLang(PortalApplicationQuerySchema),
    responses: { 200: 'page' },
  },
  'POST /portal/applications': {
    summary: 'The portal’s new-draft form: creates the draft (as POST /v1/applications) and goes to its form',
    body: 'PortalForm',
    form: true,
    responses: { 303: 'redirect' },
  },
  'POST /portal/applications/{applicationId}/form': {
    summary: 'The portal’s 申报表 form: saves it (as PATCH /v1/applications/{applicationId}, at the page’s revision)',
    path: ApplicationPath,
    body: 'PortalForm',
    form: true,
    responses: { 303: 'redirect' },
  },
  'POST /portal/applications/{applicationId}/submit': {
    summary: 'The portal’s submit button (as POST /v1/applications/{applicationId}/submit)',
    path: ApplicationPath,
    responses: { 303: 'redirect' },
  },
  'POST /portal/applications/{applicationId}/withdraw': {
    summary: 'The portal’s confirmed withdrawal (as POST /v1/applications/{applicationId}/withdraw)',
    path: ApplicationPath,
    body: 'WithdrawBody',
    form: true,
    responses: { 303: 'redirect' },
  },
  'GET /v1/reviews/{reviewId}/panel': {
    summary: 'The expert panel of an expert-panel review, as its level sees it (by the review’s link or signed in)',
    description:
      'Seats with their state and who is late since when; the level’s experts with any conflict (回避) marked. No score is shown before the panel closes.',
    path: ReviewPath,
    responses: { 200: 'PanelView' },
  },
  'POST /v1/reviews/{reviewId}/panel/experts': {
    summary: 'Seat experts on the panel (at least the step’s minExperts), or replace one seat',
    description:
      'Experts come from the level’s directory; one from the candidate’s county or city is refused (400 naming experts.<i>). Each seat gets its own emailed link. Limited per client.',
    path: ReviewPath,
    body: 'PanelAssignBody',
    responses: { 201: 'PanelSeated' },
  },
  'POST /v1/reviews/{reviewId}/panel/close': {
    summary: 'Close the panel once at least minExperts have scored: the aggregate (mean or trimmed mean)',
    path: ReviewPath,
    body: 'PanelCloseBody',
    responses: { 200: 'PanelClosed' },
  },
  'GET /v1/panels/{reviewId}/seats/{seatId}': {
    summary: 'The expert’s page an emailed seat link opens: declare, then score (shows, never changes)',
    path: SeatPathSchema,
    query: Lang,
    responses: { 200: 'page' },
  },
  'POST /v1/panels/{reviewId}/seats/{seatId}/declaration': {
    summary: 'The expert declares no conflict of interest (the material opens), or recuses with a reason',
    description:
      'The page’s form posts it as a form and is answered 303 to the seat’s page; JSON is answered with JSON.',
    path: SeatPathSchema,
    body: 'PanelDeclarationBody',
    form: true,
    responses: { 200: 'SeatChanged' },
  },
  'POST /v1/panels/{reviewId}/seats/{seatId}/scores': {
    summary: 'The expert’s scores for every criterion, 0..100, once (a repeat is 409)',
    description:
      'The page’s form posts it as a form and is answered 303 to the seat’s page; JSON is answered with JSON.',
    path: SeatPathSchema,
    body: 'PanelScoreBody',
    form: true,
    responses: { 200: 'SeatChanged' },
  },
  'POST /v1/level-documents': {
    summary: 'Ask to upload one of a level’s own documents (formal letter, minutes, sampling record, candidate list)',
    description:
      'The level’s reviewers, or its operators (of that very jurisdiction). The bytes go to the presigned POST; the validator checks them as it checks evidence, and a valid formal letter completes the level’s waiting formal-letter steps.',
    query: LevelTargetSchema,
    body: 'LevelDocumentRequestBody',
    responses: { 201: 'LevelDocumentUpload' },
  },
  'GET /v1/level-documents': {
    summary: 'What a level has filed for a campaign and track (every status)',
    query: LevelTargetSchema,
    responses: { 200: 'LevelDocumentList' },
  },
  'POST /v1/reviews/{reviewId}/level-documents': {
    summary: 'The holder of a pending review link files a document of the review’s level, campaign and track',
    path: ReviewPath,
    body: 'LevelDocumentRequestBody',
    responses: { 201: 'LevelDocumentUpload' },
  },
  'GET /v1/reviews/{reviewId}/level-documents': {
    summary: 'What the review’s level has filed for the review’s campaign and track',
    path: ReviewPath,
    responses: { 200: 'LevelDocumentList' },
  },
  'GET /console/level-documents': {
    summary: 'The level documents page: what the level filed, what its waiting steps need, and the uploader',
    query: withLang(LevelDocumentsPageQuerySchema),
    responses: { 200: 'page' },
  },
  'POST /console/level-documents/files': {
    summary:
      'The level documents page’s upload request: POST /v1/level-documents for the signed-in level, with the session cookie',
    query: LevelOwnQuerySchema,
    body: 'LevelDocumentRequestBody',
    responses: { 201: 'LevelDocumentUpload' },
  },
  'GET /console/level-documents/files': {
    summary:
      'The level documents page’s list: GET /v1/level-documents for the signed-in level, with the session cookie',
    query: LevelOwnQuerySchema,
    responses: { 200: 'LevelDocumentList' },
  },
  'GET /v1/register': {
    summary: 'The register of recognised clusters in the caller’s scope (a county: its own), with counts',
    query: RegisterFilterSchema,
    responses: { 200: 'RegisterView' },
  },
  'POST /v1/register/imports': {
    summary: 'Import an official list (CSV or XLSX, the published layout): a per-row report; a re-import adds nothing',
    body: 'RegisterImport',
    responses: { 200: 'ImportReport' },
  },
  'POST /v1/register/migrations/recognized': {
    summary: 'Enter the applications recognised before the register existed (national operators; idempotent)',
    responses: { 200: 'MigrationReport' },
  },
  'POST /v1/reviews/migrations/lapsed': {
    summary:
      'Expire the reviews left PENDING under applications that ended before closings expired them (national operators; idempotent; dryRun lists them)',
    body: 'LapseBackfillRequest',
    responses: { 200: 'LapseBackfillReport' },
  },
  'GET /console/register': {
    summary: 'The register page: by province, cohort, state and level, with the import form for operators',
    query: withLang(RegisterFilterSchema),
    responses: { 200: 'page' },
  },
  'POST /console/register/imports': {
    summary: 'The register page’s import, with the session cookie',
    body: 'RegisterImport',
    responses: { 200: 'ImportReport' },
  },
  'GET /console/register/export.csv': {
    summary: 'The register as CSV (认定集群名录.csv), with the page’s filters',
    query: RegisterFilterSchema,
    responses: { 200: 'files' },
  },
  'GET /portal/clusters': {
    summary: 'The county’s recognised clusters: validity, state and what is due',
    query: Lang,
    responses: { 200: 'page' },
  },
  'GET /console/panels': {
    summary: 'The expert-panel page: the level’s candidates at its expert-panel step, their panels and ranking',
    description:
      'The signed-in person’s own level: its reviewers open each panel from here; its operators see the same list without those links.',
    query: Lang,
    responses: { 200: 'page' },
  },
  'GET /console/panels/{reviewId}': {
    summary: 'One candidate’s panel: seated experts, the directory with 回避, and the seat, replace and close forms',
    path: ReviewPath,
    query: withLang(PanelPageQuerySchema),
    responses: { 200: 'page' },
  },
  'POST /console/panels/{reviewId}/experts': {
    summary:
      'The panel page’s seat or replace form: POST /v1/reviews/{reviewId}/panel/experts, with the session cookie',
    path: ReviewPath,
    query: Lang,
    body: 'PanelAssignBody',
    form: true,
    responses: { 303: 'redirect' },
  },
  'POST /console/panels/{reviewId}/close': {
    summary: 'The panel page’s close form: POST /v1/reviews/{reviewId}/panel/close, with the session cookie',
    path: ReviewPath,
    query: Lang,
    body: 'PanelCloseForm',
    form: true,
    responses: { 303: 'redirect' },
  },
  'POST /v1/revocations': {
    summary:
      'Ask to cancel for false information (a reviewer over the cluster): an application in flight or recognised, or a register entry',
    body: 'RevocationBody',
    responses: { 201: 'RevocationRequest', 200: 'RevocationRequest' },
  },
  'POST /v1/reviews/{reviewId}/revocations': {
    summary:
      'Ask to cancel the review’s application for false information, from its link page (the link’s holder, or the stage’s signed-in reviewer)',
    path: ReviewIdParamSchema,
    query: z.object({
      t: z.string().optional().describe('the review link’s secret (or in the body, as the page’s form sends it)'),
    }),
    body: 'RevocationLinkBody',
    responses: { 201: 'RevocationRequest', 200: 'RevocationRequest' },
  },
  'GET /v1/revocations': {
    summary: 'The cancellation requests within the caller’s jurisdiction, and their own, with their state',
    responses: { 200: 'RevocationList' },
  },
  'POST /v1/revocations/{requestId}/decision': {
    summary:
      'Confirm (cancel in flight, or revoke the register entry) or decline with a reason: an operator over the level, or MIIT; never the requester',
    path: RevocationIdParamSchema,
    body: 'RevocationDecisionBody',
    responses: { 200: 'RevocationRequest' },
  },
  'GET /console/revocations': {
    summary: 'The cancellation requests page: their state, the decision forms, and the reviewers’ filing form',
    query: withLang(RevocationPageQuerySchema),
    responses: { 200: 'page' },
  },
  'POST /console/revocations': {
    summary: 'The page’s filing form (a reviewer), with the session cookie',
    query: Lang,
    body: 'RevocationForm',
    form: true,
    responses: { 303: 'redirect' },
  },
  'POST /console/revocations/{requestId}/decision': {
    summary: 'The page’s decision form (confirm, or decline with a reason), with the session cookie',
    path: RevocationIdParamSchema,
    query: Lang,
    body: 'RevocationDecisionBody',
    form: true,
    responses: { 303: 'redirect' },
  },
  'GET /v1/annual-reports': {
    summary:
      'The year’s annual reports in the caller’s scope: a county its clusters owing one, a province its set, MIIT every province',
    description:
      'The reporting year defaults to the one whose deadline (30 April of the next year, Beijing) comes next. Who owes a report is read from the register: a revoked or expired cluster owes none.',
    query: AnnualQuerySchema.omit({ lang: true }),
    responses: { 200: 'AnnualView' },
  },
  'POST /v1/annual-reports/files': {
    summary: 'The county asks to upload its cluster’s report file (presigned POST; checked by the validator)',
    query: AnnualQuerySchema.pick({ year: true }),
    body: 'AnnualUploadBody',
    responses: { 201: 'AnnualUpload' },
  },
  'POST /v1/annual-reports/reports': {
    summary:
      'The county files (or re-files after a return) its cluster’s report: the figures, with its latest VALID upload',
    query: AnnualQuerySchema.pick({ year: true }),
    body: 'AnnualFilingBody',
    responses: { 200: 'AnnualReport' },
  },
  'POST /v1/annual-reports/decisions': {
    summary: 'The province accepts a filed report or returns it with the reason',
    query: AnnualQuerySchema.pick({ year: true }),
    body: 'AnnualReviewBody',
    responses: { 200: 'AnnualReport' },
  },
  'POST /v1/annual-reports/forwarding': {
    summary: 'The province forwards its set to MIIT, once, before its deadline; missing reports are listed',
    description: '409 while a filed report waits for the province’s decision, after the deadline, or once forwarded.',
    query: AnnualQuerySchema.pick({ year: true }),
    responses: { 201: 'AnnualForwarding' },
  },
  'GET /portal/annual-reports': {
    summary: 'The county’s annual-report page: its clusters owing the year’s report, the upload and the figures form',
    query: AnnualQuerySchema.pick({ year: true, lang: true }),
    responses: { 200: 'page' },
  },
  'POST /portal/annual-reports/files': {
    summary:
      'The county page’s uploader: POST /v1/annual-reports/files with the session cookie (criterion: the register entry)',
    query: AnnualQuerySchema.pick({ year: true }),
    body: 'AnnualUploaderBody',
    responses: { 201: 'AnnualUpload' },
  },
  'GET /portal/annual-reports/files': {
    summary: 'The county page’s uploads, as the uploader lists them',
    query: AnnualQuerySchema.pick({ year: true }),
    responses: { 200: 'AnnualFileList' },
  },
  'POST /portal/annual-reports/reports': {
    summary: 'The county page’s figures form: files the report, then back to the page',
    query: AnnualQuerySchema.pick({ year: true, lang: true }),
    body: 'AnnualFilingBody',
    form: true,
    responses: { 303: 'redirect' },
  },
  'GET /console/annual-reports': {
    summary: 'The province’s annual-report page (decisions, forwarding); MIIT’s overview of every province',
    query: AnnualQuerySchema,
    responses: { 200: 'page' },
  },
  'POST /console/annual-reports/decisions': {
    summary: 'The province page’s accept or return form',
    query: AnnualQuerySchema.pick({ year: true, lang: true }),
    body: 'AnnualReviewBody',
    form: true,
    responses: { 303: 'redirect' },
  },
  'POST /console/annual-reports/forwarding': {
    summary: 'The province page’s forwarding to MIIT',
    query: AnnualQuerySchema.pick({ year: true, lang: true }),
    responses: { 303: 'redirect' },
  },
  'GET /console/annual-reports/summary.xlsx': {
    summary: 'The province’s annual-report summary table (XLSX), the missing reports listed',
    query: AnnualQuerySchema.omit({ lang: true }),
    responses: { 200: 'files' },
  },
  'DELETE /v1/annual-reports/files/{fileId}': {
    summary:
      'The county removes an upload of its own cluster’s report that no report carries (a repeat answers the same)',
    description:
      'Only the county that uploaded it, while the year is open (before the deadline, before the province forwards). Never the file a report carries, whatever its state (409 FILE_FILED, field fileId): only filing again with another file replaces it. Not while it is being checked with its upload link open (409 FILE_PENDING). The removal is written conditionally on the upload and the report as read (a filing that takes the file at the same moment wins or loses as a whole), recorded in the report’s history (fileRemoved), and the object is deleted from the bucket.',
    path: AnnualFilePathSchema,
    query: AnnualQuerySchema.pick({ year: true }),
    responses: { 200: 'AnnualFileRemoved' },
  },
  'POST /portal/annual-reports/files/{fileId}/removal': {
    summary:
      'The county page’s 删除 (Remove) form: the DELETE above, confirmed by its ticked box, then back to the page',
    path: AnnualFilePathSchema,
    query: AnnualQuerySchema.pick({ year: true, lang: true }),
    body: 'AnnualFileRemovalForm',
    form: true,
    responses: { 303: 'redirect' },
  },
  'GET /v1/register/cohort': {
    summary:
      'The re-review cohort in the caller’s scope: each member filed or not, its filing’s status, each level’s countdown; counts of not filed',
    query: CohortQuerySchema,
    responses: { 200: 'CohortView' },
  },
  'GET /console/register/cohort': {
    summary: 'The re-review cohort page: members by province, city and county, not filed first counted',
    query: withLang(CohortQuerySchema.partial()),
    responses: { 200: 'page' },
  },
  'POST /v1/register/decisions': {
    summary:
      'An operator’s recorded decision on a register entry (retain, revoke or expire, with a reason): national operators or the province’s',
    body: 'RegisterDecisionBody',
    responses: { 200: 'RegisterDecision' },
  },
};
