import fc from 'fast-check';
import type * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import type { ApiFunctionName } from '../../../shared/platform/functions.ts';
import { accessOf, type Route, type RouteKey, ROUTES, routeKey } from '../../../shared/platform/http/routes.ts';
import { CampaignSchema } from '../../../shared/rules/campaign.ts';
import { PortalFormSchema } from '../../../shared/portal/form-schema.ts';
import {
  CreateApplicationBodySchema,
  EvidenceRequestBodySchema,
  PatchApplicationBodySchema,
} from '../../../shared/schemas/api.ts';
import { CampaignQuerySchema } from '../../../shared/schemas/ops.ts';
import {
  CancelBodySchema,
  DecisionBodySchema,
  InboxQuerySchema,
  ObjectionBodySchema,
  PublicObjectionBodySchema,
  TriageBodySchema,
  WithdrawBodySchema,
} from '../../../shared/schemas/reviews.ts';
import { TriagePageQuerySchema } from '../../../shared/notice/triage-page.ts';
import { LevelDocumentRequestBodySchema } from '../../../shared/review/level-documents/records.ts';
import { ImportRequestSchema, RegisterFilterSchema } from '../../../shared/register/api-schemas.ts';
import { LapseBackfillRequestSchema } from '../../../shared/review/lapse-backfill.ts';
import { RevocationFileFormSchema } from '../../../shared/revocation/handler.ts';
import { ConsoleReviewQuerySchema } from '../../../shared/review/console-review-handler.ts';
import {
  FileRevocationBodySchema,
  LinkRevocationBodySchema,
  RevocationDecisionBodySchema,
} from '../../../shared/revocation/request.ts';
import { CohortQuerySchema } from '../../../shared/register/cohort.ts';
import { DecisionBodySchema as RegisterDecisionBodySchema } from '../../../shared/register/decisions.ts';
import { BuildPackageBodySchema } from '../../../shared/package/desk.ts';
import { AnnualFileRemovalFormSchema, AnnualQuerySchema } from '../../../shared/annual-report/api-schemas.ts';
import { filingOfForm, withoutEmpty } from '../../../shared/annual-report/forms.ts';
import {
  FilingBodySchema as AnnualFilingBodySchema,
  ReviewBodySchema as AnnualReviewBodySchema,
  UploadRequestBodySchema as AnnualUploadBodySchema,
  UploaderRequestBodySchema as AnnualUploaderBodySchema,
} from '../../../shared/annual-report/report.ts';
import {
  type HostileBody,
  hostileBody,
  hostileId,
  hostileQuery,
  hostileString,
  mutatedBody,
  oddString,
  ownObject,
} from './arbitraries.ts';
import { startTestIssuer, type TestIssuer } from '../sign-in.ts';
import { PEOPLE } from '../support.ts';
import { FULL_SCORES } from '../review/fixtures.ts';
import { EXPERTS } from '../review/panel/fixtures.ts';
import {
  AssignBodySchema,
  CloseBodySchema,
  DeclarationBodySchema,
  PanelCloseFormSchema,
  PanelPageQuerySchema,
  ScoreBodySchema,
} from '../../../shared/schemas/panel.ts';
import { expectErrorJson, expectErrorPage, expectPrototypesClean } from './checks.ts';
import {
  apiEvent,
  CITY_CODE,
  DRAFT_EVIDENCE_ID,
  DRAFT_ID,
  type EventParts,
  FAILED_EXECUTION,
  ANNUAL_ENTRY_ID,
  ANNUAL_FIGURES,
  ANNUAL_SPARE_FILE_ID,
  forgetCalls,
  type Handler,
  loadHandlers,
  NOTICE_ID,
  ONSITE_EVIDENCE_ID,
  OBJECTION_ID,
  PANEL_SEATS,
  PACKAGE_ID,
  PROVINCE_CODE,
  REVIEW_APP_ID,
  REVOCATION_ID,
  redrivesAsked,
  SECRET,
  seedWorld,
  stateChanges,
  type World,
} from './world.ts';

/**
 * Hostile input on every route of the route table, through the real handler modules: random and
 * hostile JSON bodies, wrong types for every field, deep nesting, prototype keys, malformed and
 * non-UTF-8 bodies, hostile path parameters and query strings. What the handler cannot accept it
 * must refuse with a 4xx in the public error shape (an HTML page for pages), never a 5xx, and
 * without changing anything: no DynamoDB write, no S3 write or presigned upload, no email, no
 * Step Functions call that changes an execution. Object.prototype stays clean throughout.
 *
 * The world is seeded so that a valid request on each writing route does write (the controls at
 * the end), and the table enforces DynamoDB's own limits (key sizes, item size, nesting).
 */

let handlers: Record<ApiFunctionName, Handler>;
let formToJson: (text: string) => Record<string, unknown>;
let world: World;
let issuer: TestIssuer;
/** The Bearer token of each principal, minted before the properties run (events are built synchronously). */
const bearer = new Map<Principal, string>();

/**
 * What was sent, counted where it is sent: route → kind of input → requests. Controls (a valid
 * request, and the baseline a hostile query is compared with) are counted apart from the hostile
 * inputs; the last test checks both against what the properties below are configured to send.
 */
type Kind = 'body' | 'fields' | 'types' | 'path' | 'query' | 'form' | 'odd' | 'credentials' | 'control';
const tried = new Map<string, Map<Kind, number>>();
const count = (routeKey: string, kind: Kind) => {
  const kinds = tried.get(routeKey) ?? new Map<Kind, number>();
  tried.set(routeKey, kinds.set(kind, (kinds.get(kind) ?? 0) + 1));
};
/** The hostile inputs sent on a route, by kind (controls left out). */
const hostileKinds = (kinds: Map<Kind, number>) => [...kinds].filter(([kind]) => kind !== 'control');

beforeAll(async () => {
  issuer = await startTestIssuer();
  for (const principal of Object.values(PEOPLE)) bearer.set(principal, await issuer.token(principal));
  world = await seedWorld();
  handlers = await loadHandlers();
  ({ formToJson } = await import('../../../shared/review/handler.ts'));
});

afterAll(async () => {
  await issuer?.close();
  // The figures the README quotes (npx vitest run test/unit/hostile/api-fuzz.test.ts prints them).
  const sum = (kinds: [Kind, number][]) => kinds.reduce((all, [, n]) => all + n, 0);
  const total = sum([...tried.values()].flatMap(hostileKinds));
  const lines = [...tried].map(([route, kinds]) => {
    const hostile = hostileKinds(kinds);
    return `  ${String(sum(hostile)).padStart(5)}  ${route}  (${hostile.map(([kind, n]) => `${kind} ${n}`).join(', ')})`;
  });
  console.info(`hostile inputs tried: ${total}\n${lines.join('\n')}`);
});

// ---- what each route reads, and what would be a valid request -------------------------------

type Oracle = (value: unknown) => boolean;
const schemaOracle =
  (schema: z.ZodType): Oracle =>
  (value) =>
    schema.safeParse(value ?? {}).success;
/** Routes that take no body accept none, an empty string, or `{}`. */
const noBody: Oracle = (value) =>
  value === undefined ||
  (value !== null && typeof value === 'object' && !Array.isArray(value) && Reflect.ownKeys(value).length === 0);

/**
 * How to fuzz a route; its function and whether it answers pages come from ROUTES. Each request is
 * sent as someone the route lets in (`as`), so what is refused is refused for its input, and the
 * controls at the end write.
 */
interface RouteSpec {
  /** Who sends it: the JWT authorizer's claims on token routes, a Bearer token on session routes; none on link and public routes. */
  as?: Principal;
  /** Path parameters naming seeded things: a valid request. */
  path?: () => Record<string, string>;
  /** Whether a path parameter value may legitimately be served (else it must be refused). */
  pathServed?: (name: string, value: string) => boolean;
  /** A valid query. */
  query?: () => Record<string, string>;
  /** The query parameters the route reads, and whether a query may be served. */
  reads?: { names: readonly string[]; served: (query: Record<string, string>) => boolean };
  /** A valid body (routes that take one). */
  body?: () => Record<string, unknown>;
  /** Whether a parsed body passes the route's schema (else it must be refused). */
  accepts: Oracle;
}

const isDivisionCode = (value: string) => /^\d{6}$/.test(value);
/** A one-row list in the published layout, as the import route takes it. */
const registerImportBody = () => ({
  level: 'provincial',
  cohort: 2024,
  validFrom: '2024-12-20',
  fileName: '吉林省2024年度省级特色产业集群名单.csv',
  content: Buffer.from('序号,省份,集群名称,主导产业\n1,吉林省,敦化市人参产业集群,医药\n').toString('base64'),
});
const campaignQueryServed = (query: Record<string, string>) =>
  CampaignQuerySchema.safeParse(query).success && query.campaignId === world.campaign.campaignId;

/** A valid request for a level's formal letter. */
const LEVEL_LETTER = {
  kind: 'formal-letter',
  fileName: '正式推荐文件.pdf',
  contentType: 'application/pdf',
  size: 123_456,
};

/** The annual-report routes read `year` (and `province`, `lang`): served when they parse (GETs), never without a body (POSTs). */
const annualReads = (get: boolean) => ({
  names: ['year', 'province', 'lang'] as const,
  served: (q: Record<string, string>) => get && AnnualQuerySchema.safeParse(q).success,
});
const ANNUAL_UPLOAD = { fileName: '年度报告.pdf', contentType: 'application/pdf', size: 123_456 };

const SPECS: Record<RouteKey, RouteSpec> = {
  'GET /v1/campaigns': {
    as: PEOPLE.dunhuaApplicant,
    accepts: noBody,
  },
  'POST /v1/campaigns': {
    as: PEOPLE.nationalOperator,
    body: () =>
      JSON.parse(JSON.stringify({ ...world.campaign, campaignId: 'hostile-probe-2026' })) as Record<string, unknown>,
    accepts: schemaOracle(CampaignSchema),
  },
  'GET /v1/campaigns/{campaignId}': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ campaignId: world.campaign.campaignId }),
    pathServed: (_name, value) => value === world.campaign.campaignId || value === 'miit-2025-recommendation',
    accepts: noBody,
  },
  'GET /v1/jurisdictions/{code}': {
    as: PEOPLE.yanbianReviewer,
    path: () => ({ code: '222403' }),
    pathServed: (_name, value) => isDivisionCode(value),
    accepts: noBody,
  },
  'POST /v1/applications': {
    as: PEOPLE.dunhuaApplicant,
    body: () => ({
      campaignId: world.campaign.campaignId,
      track: 'recommendation',
      countyCode: '222403',
      clusterName: '敦化市新材料产业集群',
      leadingIndustry: '新材料',
      subSector: '石墨烯',
      form: { areaKm2: 12.5 },
    }),
    accepts: schemaOracle(CreateApplicationBodySchema),
  },
  'GET /v1/applications/{applicationId}': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ applicationId: DRAFT_ID }),
    pathServed: () => false,
    accepts: noBody,
  },
  'GET /v1/applications/{applicationId}/history': {
    as: PEOPLE.jilinReviewer,
    path: () => ({ applicationId: DRAFT_ID }),
    pathServed: () => false,
    accepts: noBody,
  },
  'PATCH /v1/applications/{applicationId}': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ applicationId: DRAFT_ID }),
    pathServed: () => false,
    body: () => ({ subSector: '人参制品', revision: 0 }),
    accepts: schemaOracle(PatchApplicationBodySchema),
  },
  'POST /v1/applications/{applicationId}/submit': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ applicationId: DRAFT_ID }),
    pathServed: () => false,
    accepts: noBody,
  },
  'POST /v1/applications/{applicationId}/evidence': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ applicationId: DRAFT_ID }),
    pathServed: () => false,
    body: () => ({
      criterion: world.openCriterion,
      fileName: '敦化市医药产业集群申报书.pdf',
      contentType: 'application/pdf',
      size: 123_456,
    }),
    accepts: schemaOracle(EvidenceRequestBodySchema),
  },
  'GET /v1/applications/{applicationId}/evidence': {
    as: PEOPLE.yanbianReviewer,
    path: () => ({ applicationId: DRAFT_ID }),
    pathServed: () => false,
    accepts: noBody,
  },
  'POST /v1/applications/{applicationId}/withdraw': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ applicationId: DRAFT_ID }),
    pathServed: () => false,
    body: () => ({ reason: '县里决定明年再报' }),
    accepts: schemaOracle(WithdrawBodySchema),
  },
  'POST /v1/applications/{applicationId}/objections': {
    as: PEOPLE.hebeiApplicant,
    path: () => ({ applicationId: NOTICE_ID }),
    pathServed: () => false,
    body: () => ({ reason: '申报产值与统计年鉴不符', contact: '13812345678' }),
    accepts: schemaOracle(ObjectionBodySchema),
  },
  'POST /v1/applications/{applicationId}/cancel': {
    as: PEOPLE.jilinOperator,
    path: () => ({ applicationId: DRAFT_ID }),
    pathServed: () => false,
    body: () => ({ reason: '经查实提供虚假材料' }),
    accepts: schemaOracle(CancelBodySchema),
  },
  'GET /v1/reviews': {
    as: PEOPLE.yanbianReviewer,
    query: () => ({ jurisdiction: CITY_CODE }),
    reads: { names: ['status', 'jurisdiction', 'campaignId'], served: (q) => InboxQuerySchema.safeParse(q).success },
    accepts: noBody,
  },
  'GET /v1/reviews/{reviewId}': {
    path: () => ({ reviewId: world.reviewId }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    reads: { names: ['t', 'lang'], served: (q) => q.t === SECRET },
    accepts: noBody,
  },
  'POST /v1/reviews/{reviewId}/decision': {
    path: () => ({ reviewId: world.reviewId }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    // Fuzzed without a body: with the right secret the request is still refused (no decision).
    reads: { names: ['t'], served: () => false },
    body: () => ({ decision: 'return', reason: '请补充近三年产值的统计证明' }),
    accepts: (value) =>
      schemaOracle(DecisionBodySchema)(value) &&
      // A secret in the body overrides the query's.
      !(
        value !== null &&
        typeof value === 'object' &&
        't' in value &&
        value.t !== SECRET &&
        typeof value.t === 'string'
      ),
  },
  'POST /v1/reviews/{reviewId}/resend': {
    as: PEOPLE.yanbianReviewer,
    path: () => ({ reviewId: world.reviewId }),
    pathServed: () => false,
    accepts: noBody,
  },
  'GET /v1/ops/summary': {
    as: PEOPLE.nationalOperator,
    query: () => ({ campaignId: world.campaign.campaignId }),
    reads: { names: ['campaignId', 'track'], served: campaignQueryServed },
    accepts: noBody,
  },
  'GET /v1/ops/jurisdictions/{code}': {
    as: PEOPLE.nationalOperator,
    path: () => ({ code: PROVINCE_CODE }),
    pathServed: (_name, value) => isDivisionCode(value),
    query: () => ({ campaignId: world.campaign.campaignId }),
    reads: { names: ['campaignId', 'track'], served: campaignQueryServed },
    accepts: noBody,
  },
  'POST /v1/ops/executions/{executionName}/redrive': {
    as: PEOPLE.jilinOperator,
    path: () => ({ executionName: FAILED_EXECUTION }),
    pathServed: () => false,
    accepts: noBody,
  },
  'GET /v1/exports/{campaignId}/{file}': {
    as: PEOPLE.nationalOperator,
    path: () => ({ campaignId: world.campaign.campaignId, file: 'summary.csv' }),
    pathServed: (name, value) =>
      name === 'file' ? ['summary.csv', 'summary.xlsx'].includes(value) : value === world.campaign.campaignId,
    query: () => ({ jurisdiction: PROVINCE_CODE }),
    // Without a jurisdiction the table is the principal's own (national).
    reads: {
      names: ['jurisdiction', 'track'],
      served: (q) =>
        (q.jurisdiction === undefined || isDivisionCode(q.jurisdiction)) &&
        (q.track === undefined || q.track === 'recommendation'),
    },
    accepts: noBody,
  },
  'GET /console': {
    as: PEOPLE.nationalOperator,
    query: () => ({ campaignId: world.campaign.campaignId }),
    reads: {
      names: ['campaignId', 'track', 'lang'],
      served: (q) => q.campaignId === undefined || campaignQueryServed(q),
    },
    accepts: noBody,
  },
  'GET /console/{page}': {
    as: PEOPLE.nationalOperator,
    path: () => ({ page: 'application' }),
    pathServed: (_name, value) => ['board', 'jurisdiction', 'application'].includes(value),
    query: () => ({ id: REVIEW_APP_ID }),
    reads: { names: ['id', 'campaignId', 'code', 'lang'], served: () => true },
    accepts: noBody,
  },
  'GET /console/inbox': {
    as: PEOPLE.yanbianReviewer,
    query: () => ({ jurisdiction: CITY_CODE }),
    // The signed-in reviewer's own inbox; another jurisdiction's is refused.
    reads: {
      names: ['jurisdiction', 'campaignId', 'lang'],
      served: (q) => q.jurisdiction === undefined || q.jurisdiction === CITY_CODE,
    },
    accepts: noBody,
  },
  // Jilin's submission package: its reviewers build and read it, MIIT verifies it.
  'POST /v1/campaigns/{campaignId}/packages': {
    as: PEOPLE.jilinReviewer,
    path: () => ({ campaignId: world.campaign.campaignId }),
    pathServed: (_name, value) => value === world.campaign.campaignId,
    body: () => ({ track: 'recommendation' }),
    accepts: schemaOracle(BuildPackageBodySchema),
  },
  'GET /v1/campaigns/{campaignId}/packages': {
    as: PEOPLE.jilinReviewer,
    path: () => ({ campaignId: world.campaign.campaignId }),
    pathServed: (_name, value) => value === world.campaign.campaignId,
    reads: { names: ['jurisdiction'], served: (q) => q.jurisdiction === undefined || isDivisionCode(q.jurisdiction) },
    accepts: noBody,
  },
  'GET /v1/campaigns/{campaignId}/packages/{packageId}': {
    as: PEOPLE.jilinReviewer,
    path: () => ({ campaignId: world.campaign.campaignId, packageId: PACKAGE_ID }),
    pathServed: (name, value) => value === (name === 'campaignId' ? world.campaign.campaignId : PACKAGE_ID),
    accepts: noBody,
  },
  'POST /v1/campaigns/{campaignId}/packages/{packageId}/verify': {
    as: PEOPLE.miitReviewer,
    path: () => ({ campaignId: world.campaign.campaignId, packageId: PACKAGE_ID }),
    pathServed: (name, value) => value === (name === 'campaignId' ? world.campaign.campaignId : PACKAGE_ID),
    accepts: noBody,
  },
  'GET /console/packages': {
    as: PEOPLE.jilinReviewer,
    reads: { names: ['campaignId', 'started', 'verifying', 'lang'], served: () => true },
    accepts: noBody,
  },
  'POST /console/packages': {
    as: PEOPLE.jilinReviewer,
    // Its query names the campaign; with an empty body (every field has a default) a build starts,
    // so the query is not fuzzed on its own: the GET page's is.
    query: () => ({ campaignId: world.campaign.campaignId }),
    body: () => ({ track: 'recommendation' }),
    accepts: schemaOracle(BuildPackageBodySchema),
  },
  'POST /console/packages/{packageId}/verify': {
    as: PEOPLE.miitReviewer,
    path: () => ({ packageId: PACKAGE_ID }),
    pathServed: (_name, value) => value === PACKAGE_ID,
    // As the build form's: a valid campaign starts a verification whatever else the query holds.
    query: () => ({ campaignId: world.campaign.campaignId }),
    accepts: noBody,
  },
  'POST /console/executions/{executionName}/redrive': {
    as: PEOPLE.jilinOperator,
    path: () => ({ executionName: FAILED_EXECUTION }),
    pathServed: () => false,
    accepts: noBody,
  },
  'POST /console/reviews/{reviewId}/resend': {
    as: PEOPLE.yanbianReviewer,
    path: () => ({ reviewId: world.reviewId }),
    pathServed: () => false,
    accepts: noBody,
  },
  // The review page and its decision in the console: 延边州's signed-in reviewer, whose stage it is.
  'GET /console/reviews/{reviewId}': {
    as: PEOPLE.yanbianReviewer,
    path: () => ({ reviewId: world.reviewId }),
    pathServed: (_name, value) => value === world.reviewId,
    reads: { names: ['done', 'lang'], served: (q) => ConsoleReviewQuerySchema.safeParse({ done: q.done }).success },
    accepts: noBody,
  },
  'POST /console/reviews/{reviewId}/decision': {
    as: PEOPLE.yanbianReviewer,
    path: () => ({ reviewId: world.reviewId }),
    pathServed: () => false,
    // Fuzzed without a body: whatever the query, no decision.
    reads: { names: ['lang'], served: () => false },
    body: () => ({ decision: 'return', reason: '请补充近三年产值的统计证明' }),
    accepts: schemaOracle(DecisionBodySchema),
  },
  // The console review page's uploader: its /v1 twins' operations as the stage's signed-in reviewer.
  'POST /console/reviews/{reviewId}/evidence': {
    as: PEOPLE.yanbianReviewer,
    path: () => ({ reviewId: world.reviewId }),
    pathServed: () => false,
    // Fuzzed without a body: whatever the query, no upload.
    reads: { names: [], served: () => false },
    body: () => ({
      criterion: 'onsite-check-statement',
      fileName: '现场核查符合性说明.pdf',
      contentType: 'application/pdf',
      size: 123_456,
    }),
    accepts: schemaOracle(EvidenceRequestBodySchema),
  },
  'GET /console/reviews/{reviewId}/evidence': {
    as: PEOPLE.yanbianReviewer,
    path: () => ({ reviewId: world.reviewId }),
    pathServed: () => false,
    accepts: noBody,
  },
  // A DELETE with the right path removes the file: its path is not fuzzed beyond its GET twin's.
  'DELETE /console/reviews/{reviewId}/evidence/{evidenceId}': {
    as: PEOPLE.yanbianReviewer,
    path: () => ({ reviewId: world.reviewId, evidenceId: ONSITE_EVIDENCE_ID }),
    pathServed: () => false,
    accepts: noBody,
  },
  'GET /console/sign-in': {
    reads: { names: ['next', 'lang'], served: () => true },
    accepts: noBody,
  },
  // A body that is not a valid ID token signs no one in: refused whatever it holds.
  'POST /console/sign-in': { accepts: () => false },
  'POST /console/sign-out': { accepts: noBody },
  'GET /console/sign-in/start': {
    reads: { names: ['next', 'lang'], served: () => true },
    accepts: noBody,
  },
  // No sign-in was started (no state cookie): whatever the query, no one is signed in.
  'GET /console/sign-in/callback': {
    reads: { names: ['code', 'state', 'error', 'lang'], served: () => true },
    accepts: noBody,
  },
  // The public notice: no one signed in.
  'GET /notice': { reads: { names: ['lang'], served: () => true }, accepts: noBody },
  'GET /notice/applications/{applicationId}': {
    path: () => ({ applicationId: NOTICE_ID }),
    pathServed: (_name, value) => value === NOTICE_ID,
    reads: { names: ['lang'], served: () => true },
    accepts: noBody,
  },
  // No page is served here: whatever the name, a page saying there is none (404).
  'GET /notice/{page}': {
    path: () => ({ page: 'nowhere' }),
    pathServed: () => false,
    reads: { names: ['lang'], served: () => false },
    accepts: noBody,
  },
  'POST /notice/applications/{applicationId}/objections': {
    path: () => ({ applicationId: NOTICE_ID }),
    pathServed: () => false,
    body: () => ({ name: '张三', organisation: '敦化市某企业', contact: 'zhang@example.com', reason: '产值数据不实' }),
    // A field left out is sent as empty by a form: named as missing all the same.
    accepts: (value) =>
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      PublicObjectionBodySchema.safeParse({ name: '', contact: '', reason: '', ...value }).success,
  },
  'GET /notice/status': {
    reads: {
      names: ['receipt', 'lang'],
      // A receipt is a UUID: matched whatever its case.
      served: (q) => (q.receipt ?? '').trim() === '' || q.receipt?.trim().toLowerCase() === OBJECTION_ID,
    },
    accepts: noBody,
  },
  'GET /console/objections': {
    as: PEOPLE.miitReviewer,
    reads: {
      names: ['done', 'told', 'lang'],
      served: (q) => TriagePageQuerySchema.safeParse({ done: q.done, told: q.told }).success,
    },
    accepts: noBody,
  },
  'POST /console/objections/{objectionId}/triage': {
    as: PEOPLE.miitReviewer,
    path: () => ({ objectionId: OBJECTION_ID }),
    pathServed: () => false,
    body: () => ({ outcome: 'dismissed', reason: '经核实，异议所述与事实不符' }),
    accepts: schemaOracle(TriageBodySchema),
  },
  // The API's documentation: the same answer for anyone, whatever the query.
  'GET /v1/openapi.json': { accepts: noBody },
  'GET /v1/docs': { accepts: noBody },
  'DELETE /v1/applications/{applicationId}/evidence/{evidenceId}': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ applicationId: DRAFT_ID, evidenceId: DRAFT_EVIDENCE_ID }),
    pathServed: () => false,
    accepts: noBody,
  },
  'POST /portal/applications/{applicationId}/evidence': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ applicationId: DRAFT_ID }),
    pathServed: () => false,
    body: () => ({
      criterion: world.openCriterion,
      fileName: '敦化市医药产业集群申报书.pdf',
      contentType: 'application/pdf',
      size: 123_456,
    }),
    accepts: schemaOracle(EvidenceRequestBodySchema),
  },
  'GET /portal/applications/{applicationId}/evidence': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ applicationId: DRAFT_ID }),
    pathServed: () => false,
    accepts: noBody,
  },
  'DELETE /portal/applications/{applicationId}/evidence/{evidenceId}': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ applicationId: DRAFT_ID, evidenceId: DRAFT_EVIDENCE_ID }),
    pathServed: () => false,
    accepts: noBody,
  },
  'POST /v1/reviews/{reviewId}/evidence': {
    path: () => ({ reviewId: world.reviewId }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    // Fuzzed without a body: with the right secret the request is still refused (no upload).
    reads: { names: ['t'], served: () => false },
    body: () => ({
      criterion: 'onsite-check-statement',
      fileName: '现场核查符合性说明.pdf',
      contentType: 'application/pdf',
      size: 123_456,
    }),
    accepts: schemaOracle(EvidenceRequestBodySchema),
  },
  'GET /v1/reviews/{reviewId}/evidence': {
    path: () => ({ reviewId: world.reviewId }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    reads: { names: ['t'], served: (q) => q.t === SECRET },
    accepts: noBody,
  },
  // Its one query parameter is the link's secret, checked by the same authorize as its GET twin's
  // (fuzzed there): with the right secret a DELETE removes the file, so its query is not fuzzed.
  'DELETE /v1/reviews/{reviewId}/evidence/{evidenceId}': {
    path: () => ({ reviewId: world.reviewId, evidenceId: ONSITE_EVIDENCE_ID }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    accepts: noBody,
  },
  // The expert panel as its level sees it: the panel review's link (a Bearer token is the other way in).
  'GET /v1/reviews/{reviewId}/panel': {
    path: () => ({ reviewId: world.panelReviewId }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    reads: { names: ['t'], served: (q) => q.t === SECRET },
    accepts: noBody,
  },
  'POST /v1/reviews/{reviewId}/panel/experts': {
    path: () => ({ reviewId: world.panelReviewId }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    // Fuzzed without a body: with the right secret the request is still refused (nobody named).
    reads: { names: ['t'], served: () => false },
    body: () => ({ experts: [EXPERTS.spare.email] }),
    accepts: schemaOracle(AssignBodySchema),
  },
  'POST /v1/reviews/{reviewId}/panel/close': {
    path: () => ({ reviewId: world.panelReviewId }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    // Fuzzed without a body: closing is never unconfirmed.
    reads: { names: ['t'], served: () => false },
    body: () => ({ confirm: true }),
    accepts: schemaOracle(CloseBodySchema),
  },
  // The expert's seat: its own link only.
  'GET /v1/panels/{reviewId}/seats/{seatId}': {
    path: () => ({ reviewId: world.panelReviewId, seatId: PANEL_SEATS.declared }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    reads: { names: ['t', 'lang'], served: (q) => q.t === SECRET },
    accepts: noBody,
  },
  'POST /v1/panels/{reviewId}/seats/{seatId}/declaration': {
    path: () => ({ reviewId: world.panelReviewId, seatId: PANEL_SEATS.assigned }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    reads: { names: ['t'], served: () => false },
    body: () => ({ declaration: 'no-conflict', notFromCounty: 'yes', notFromCity: 'yes', noStake: 'yes' }),
    accepts: schemaOracle(DeclarationBodySchema),
  },
  'POST /v1/panels/{reviewId}/seats/{seatId}/scores': {
    path: () => ({ reviewId: world.panelReviewId, seatId: PANEL_SEATS.declared }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    reads: { names: ['t'], served: () => false },
    body: () => ({ scores: { ...FULL_SCORES } }),
    accepts: schemaOracle(ScoreBodySchema),
  },
  // The applicants' portal: Dunhua's county official, with a Bearer token (browsers send the cookie).
  'GET /portal': { as: PEOPLE.dunhuaApplicant, accepts: noBody },
  'GET /portal/{page}': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ page: 'application' }),
    pathServed: (_name, value) => ['new', 'edit', 'application', 'print', 'submit', 'withdraw'].includes(value),
    query: () => ({ id: DRAFT_ID }),
    reads: { names: ['id', 'campaignId', 'done', 'lang'], served: () => true },
    accepts: noBody,
  },
  'GET /portal/evidence': {
    as: PEOPLE.dunhuaApplicant,
    query: () => ({ id: DRAFT_ID }),
    reads: { names: ['id', 'lang'], served: () => true },
    accepts: noBody,
  },
  'POST /portal/applications': {
    as: PEOPLE.dunhuaApplicant,
    body: () => ({
      campaignId: world.campaign.campaignId,
      track: 'recommendation',
      clusterName: '敦化市新材料产业集群',
      leadingIndustry: '新材料',
      subSector: '石墨烯',
      coCountyCodes: '',
    }),
    accepts: schemaOracle(PortalFormSchema),
  },
  'POST /portal/applications/{applicationId}/form': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ applicationId: DRAFT_ID }),
    pathServed: () => false,
    // A name no other application of the county holds: a rename onto a filed one is refused (409).
    body: () => ({
      clusterName: '敦化市人参制品产业集群',
      leadingIndustry: '医药',
      subSector: '人参制品',
      'form.contact.name': '张敏',
      revision: '0',
    }),
    accepts: schemaOracle(PortalFormSchema),
  },
  'POST /portal/applications/{applicationId}/submit': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ applicationId: DRAFT_ID }),
    pathServed: () => false,
    accepts: noBody,
  },
  'POST /portal/applications/{applicationId}/withdraw': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ applicationId: DRAFT_ID }),
    pathServed: () => false,
    body: () => ({ reason: '县里决定明年再报' }),
    accepts: schemaOracle(WithdrawBodySchema),
  },
  // A level's own documents: 延边州's reviewers (signed in, or by the review's link).
  'POST /v1/level-documents': {
    as: PEOPLE.yanbianReviewer,
    query: () => ({ campaignId: world.campaign.campaignId, jurisdiction: CITY_CODE }),
    // Fuzzed without a body: whatever the query, nothing is filed.
    reads: { names: ['campaignId', 'track', 'jurisdiction'], served: () => false },
    body: () => LEVEL_LETTER,
    accepts: schemaOracle(LevelDocumentRequestBodySchema),
  },
  'GET /v1/level-documents': {
    as: PEOPLE.yanbianReviewer,
    query: () => ({ campaignId: world.campaign.campaignId, jurisdiction: CITY_CODE }),
    reads: { names: ['campaignId', 'track', 'jurisdiction'], served: () => true },
    accepts: noBody,
  },
  'POST /v1/reviews/{reviewId}/level-documents': {
    path: () => ({ reviewId: world.reviewId }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    reads: { names: ['t'], served: () => false },
    body: () => LEVEL_LETTER,
    accepts: schemaOracle(LevelDocumentRequestBodySchema),
  },
  'GET /v1/reviews/{reviewId}/level-documents': {
    path: () => ({ reviewId: world.reviewId }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    reads: { names: ['t'], served: (q) => q.t === SECRET },
    accepts: noBody,
  },
  'GET /console/level-documents': {
    as: PEOPLE.yanbianReviewer,
    query: () => ({ campaignId: world.campaign.campaignId }),
    reads: { names: ['campaignId', 'track', 'lang'], served: () => true },
    accepts: noBody,
  },
  'POST /console/level-documents/files': {
    as: PEOPLE.yanbianReviewer,
    query: () => ({ campaignId: world.campaign.campaignId }),
    reads: { names: ['campaignId', 'track'], served: () => false },
    body: () => LEVEL_LETTER,
    accepts: schemaOracle(LevelDocumentRequestBodySchema),
  },
  'GET /console/level-documents/files': {
    as: PEOPLE.yanbianReviewer,
    query: () => ({ campaignId: world.campaign.campaignId }),
    reads: { names: ['campaignId', 'track'], served: () => true },
    accepts: noBody,
  },
  // The register: entries by scope, a list's import (one valid row: the control writes it), the
  // migration (the world's recognised application has no entry yet), the console's page and
  // import, and the county's clusters.
  'GET /v1/register': {
    as: PEOPLE.nationalOperator,
    query: () => ({ cohort: '2023' }),
    reads: {
      names: ['province', 'cohort', 'state', 'level'],
      served: (q) => RegisterFilterSchema.safeParse(q).success,
    },
    accepts: noBody,
  },
  'POST /v1/register/imports': {
    as: PEOPLE.jilinOperator,
    body: registerImportBody,
    accepts: schemaOracle(ImportRequestSchema),
  },
  'POST /v1/register/migrations/recognized': { as: PEOPLE.nationalOperator, accepts: noBody },
  'POST /v1/reviews/migrations/lapsed': {
    as: PEOPLE.nationalOperator,
    // The world's OVERDUE application left its review PENDING: a run (not a dry run) expires it.
    body: () => ({ dryRun: false }),
    accepts: schemaOracle(LapseBackfillRequestSchema),
  },
  'GET /console/register': {
    as: PEOPLE.nationalOperator,
    query: () => ({ state: 'valid' }),
    reads: {
      names: ['province', 'cohort', 'state', 'level', 'lang'],
      served: (q) =>
        RegisterFilterSchema.safeParse(Object.fromEntries(Object.entries(q).filter(([, v]) => v !== ''))).success,
    },
    accepts: noBody,
  },
  'POST /console/register/imports': {
    as: PEOPLE.jilinOperator,
    body: registerImportBody,
    accepts: schemaOracle(ImportRequestSchema),
  },
  'GET /console/register/export.csv': {
    as: PEOPLE.jilinReviewer,
    query: () => ({ cohort: '2022' }),
    reads: {
      names: ['province', 'cohort', 'state', 'level'],
      served: (q) =>
        RegisterFilterSchema.safeParse(Object.fromEntries(Object.entries(q).filter(([, v]) => v !== ''))).success,
    },
    accepts: noBody,
  },
  'GET /portal/clusters': { as: PEOPLE.dunhuaApplicant, accepts: noBody },
  // The level's expert-panel pages: Jilin's signed-in reviewer, over the world's open panel.
  'GET /console/panels': {
    as: PEOPLE.jilinReviewer,
    reads: { names: ['lang'], served: () => true },
    accepts: noBody,
  },
  'GET /console/panels/{reviewId}': {
    as: PEOPLE.jilinReviewer,
    path: () => ({ reviewId: world.panelReviewId }),
    pathServed: (_name, value) => value === world.panelReviewId,
    reads: { names: ['done', 'lang'], served: (q) => PanelPageQuerySchema.safeParse({ done: q.done }).success },
    accepts: noBody,
  },
  'POST /console/panels/{reviewId}/experts': {
    as: PEOPLE.jilinReviewer,
    path: () => ({ reviewId: world.panelReviewId }),
    pathServed: () => false,
    body: () => ({ experts: [EXPERTS.spare.email] }),
    accepts: schemaOracle(AssignBodySchema),
  },
  'POST /console/panels/{reviewId}/close': {
    as: PEOPLE.jilinReviewer,
    path: () => ({ reviewId: world.panelReviewId }),
    pathServed: () => false,
    body: () => ({ confirm: true }),
    accepts: schemaOracle(PanelCloseFormSchema),
  },
  // Cancellation for false information: 延边州's reviewer asks about the application under review
  // (signed in, or from its review link; the one in notice already has an open request);
  // 吉林省's operator declines the open one.
  'POST /v1/revocations': {
    as: PEOPLE.yanbianReviewer,
    body: () => ({ target: { kind: 'application', applicationId: REVIEW_APP_ID }, reason: '虚报企业数量' }),
    accepts: schemaOracle(FileRevocationBodySchema),
  },
  'POST /v1/reviews/{reviewId}/revocations': {
    path: () => ({ reviewId: world.reviewId }),
    pathServed: () => false,
    query: () => ({ t: SECRET }),
    // Fuzzed without a body: with the right secret the request is still refused (no reason).
    reads: { names: ['t'], served: () => false },
    body: () => ({ reason: '虚报企业数量', evidenceNote: '工商登记核查' }),
    accepts: schemaOracle(LinkRevocationBodySchema),
  },
  'GET /v1/revocations': { as: PEOPLE.jilinOperator, accepts: noBody },
  'POST /v1/revocations/{requestId}/decision': {
    as: PEOPLE.jilinOperator,
    path: () => ({ requestId: REVOCATION_ID }),
    body: () => ({ decision: 'decline', reason: '核查属实，不予确认' }),
    accepts: schemaOracle(RevocationDecisionBodySchema),
  },
  'GET /console/revocations': { as: PEOPLE.jilinOperator, accepts: noBody },
  'POST /console/revocations': {
    as: PEOPLE.yanbianReviewer,
    body: () => ({ kind: 'application', id: REVIEW_APP_ID, reason: '虚报企业数量' }),
    accepts: schemaOracle(RevocationFileFormSchema),
  },
  'POST /console/revocations/{requestId}/decision': {
    as: PEOPLE.jilinOperator,
    path: () => ({ requestId: REVOCATION_ID }),
    body: () => ({ decision: 'decline', reason: '核查属实，不予确认' }),
    accepts: schemaOracle(RevocationDecisionBodySchema),
  },
  // Annual reports: 敦化市 owes this cycle's report (filed, VALID upload); Jilin decides; Hebei,
  // owing none, forwards an empty set. Writing routes are fuzzed without their body.
  'GET /v1/annual-reports': { as: PEOPLE.jilinReviewer, reads: annualReads(true), accepts: noBody },
  'POST /v1/annual-reports/files': {
    as: PEOPLE.dunhuaApplicant,
    reads: annualReads(false),
    body: () => ({ entryId: ANNUAL_ENTRY_ID, ...ANNUAL_UPLOAD }),
    accepts: schemaOracle(AnnualUploadBodySchema),
  },
  'POST /v1/annual-reports/reports': {
    as: PEOPLE.dunhuaApplicant,
    reads: annualReads(false),
    body: () => ({ entryId: ANNUAL_ENTRY_ID, figures: ANNUAL_FIGURES }),
    accepts: schemaOracle(AnnualFilingBodySchema),
  },
  'POST /v1/annual-reports/decisions': {
    as: PEOPLE.jilinReviewer,
    reads: annualReads(false),
    body: () => ({ entryId: ANNUAL_ENTRY_ID, decision: 'return', reason: '数据不完整' }),
    accepts: schemaOracle(AnnualReviewBodySchema),
  },
  'POST /v1/annual-reports/forwarding': { as: PEOPLE.hebeiOperator, accepts: noBody },
  'GET /portal/annual-reports': { as: PEOPLE.dunhuaApplicant, reads: annualReads(true), accepts: noBody },
  'POST /portal/annual-reports/files': {
    as: PEOPLE.dunhuaApplicant,
    reads: annualReads(false),
    body: () => ({ criterion: ANNUAL_ENTRY_ID, ...ANNUAL_UPLOAD }),
    accepts: schemaOracle(AnnualUploaderBodySchema),
  },
  'GET /portal/annual-reports/files': { as: PEOPLE.dunhuaApplicant, reads: annualReads(true), accepts: noBody },
  'POST /portal/annual-reports/reports': {
    as: PEOPLE.dunhuaApplicant,
    reads: annualReads(false),
    body: () => ({ entryId: ANNUAL_ENTRY_ID, ...ANNUAL_FIGURES }),
    accepts: (value) => {
      try {
        return AnnualFilingBodySchema.safeParse(filingOfForm(value ?? {})).success;
      } catch {
        return false;
      }
    },
  },
  'GET /console/annual-reports': { as: PEOPLE.jilinReviewer, reads: annualReads(true), accepts: noBody },
  'POST /console/annual-reports/decisions': {
    as: PEOPLE.jilinReviewer,
    reads: annualReads(false),
    body: () => ({ entryId: ANNUAL_ENTRY_ID, decision: 'accept', reason: '' }),
    accepts: (value) => AnnualReviewBodySchema.safeParse(withoutEmpty(value ?? {})).success,
  },
  'POST /console/annual-reports/forwarding': { as: PEOPLE.hebeiOperator, accepts: noBody },
  'GET /console/annual-reports/summary.xlsx': {
    as: PEOPLE.jilinReviewer,
    reads: annualReads(true),
    accepts: noBody,
  },
  // The county's removal of an upload no report carries (the seeded spare one); a hostile id is
  // never served. The DELETE reads `year` as the forwarding does not: like it, its query is left
  // to the GETs' properties (a served query would remove the spare, which is the control's).
  'DELETE /v1/annual-reports/files/{fileId}': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ fileId: ANNUAL_SPARE_FILE_ID }),
    pathServed: () => false,
    accepts: noBody,
  },
  'POST /portal/annual-reports/files/{fileId}/removal': {
    as: PEOPLE.dunhuaApplicant,
    path: () => ({ fileId: ANNUAL_SPARE_FILE_ID }),
    pathServed: () => false,
    reads: annualReads(false),
    body: () => ({ confirm: 'true' }),
    accepts: schemaOracle(AnnualFileRemovalFormSchema),
  },
  // The re-review cohort (its campaign names one) and an operator's decision on an entry.
  'GET /v1/register/cohort': {
    as: PEOPLE.jilinReviewer,
    query: () => ({ campaignId: 'miit-2025-rereview' }),
    reads: {
      names: ['campaignId', 'province'],
      served: (q) => CohortQuerySchema.safeParse(q).success && q.campaignId === 'miit-2025-rereview',
    },
    accepts: noBody,
  },
  'GET /console/register/cohort': {
    as: PEOPLE.nationalOperator,
    query: () => ({ campaignId: 'miit-2025-rereview' }),
    reads: {
      names: ['campaignId', 'province', 'lang'],
      served: (q) => {
        const given = Object.fromEntries(Object.entries(q).filter(([name, v]) => v !== '' && name !== 'lang'));
        return (
          CohortQuerySchema.partial().safeParse(given).success &&
          (given.campaignId === undefined || given.campaignId === 'miit-2025-rereview')
        );
      },
    },
    accepts: noBody,
  },
  'POST /v1/register/decisions': {
    as: PEOPLE.nationalOperator,
    body: () => ({ entryId: 'national#2022#222403#医药', decision: 'retain', reason: '复核材料齐全' }),
    accepts: schemaOracle(RegisterDecisionBodySchema),
  },
};

// ---- decoding as the handlers must (an independent model of shared/platform/http/handler.ts) --------

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function wellFormed(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') {
      if (LONE_SURROGATE.test(next)) return false;
    } else if (next !== null && typeof next === 'object') {
      for (const key of Object.keys(next)) {
        if (LONE_SURROGATE.test(key)) return false;
        stack.push((next as Record<string, unknown>)[key]);
      }
    }
  }
  return true;
}

/** Query names and values that can be read at all (no lone surrogates anywhere). */
const wellFormedQuery = (query: Record<string, string>) =>
  Object.entries(query).every(([k, v]) => wellFormed(k) && wellFormed(v));

/** The body as the operation receives it, or `refused` when no JSON document can be read from it. */
function decoded(body: HostileBody): { value: unknown } | 'refused' {
  if (body.body === undefined || body.body === '') return { value: undefined };
  let text = body.body;
  if (body.isBase64Encoded) {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Buffer.from(body.body, 'base64'));
    } catch {
      return 'refused';
    }
  }
  if (Buffer.byteLength(text) > 1024 * 1024) return 'refused';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'refused';
  }
  return wellFormed(value) ? { value } : 'refused';
}

// ---- running one request ------------------------------------------------------------------

const routeKeys = ROUTES.map((route) => routeKey(route) as RouteKey);
const ROUTE_OF = new Map<string, Route>(ROUTES.map((route) => [routeKey(route), route]));
/** Whether the route answers HTML pages (its refusals are 4xx pages). */
const answersPage = (key: string) => ROUTE_OF.get(key)?.page === true;

function baseParts(spec: RouteSpec): EventParts {
  const body = spec.body?.();
  return {
    ...(spec.path && { pathParameters: spec.path() }),
    ...(spec.query && { query: spec.query() }),
    ...(body !== undefined && { body: JSON.stringify(body) }),
  };
}

/** The parts as the route's sender sends them: claims from the authorizer, or a Bearer token the handler verifies. */
function signedIn(route: Route, parts: EventParts): EventParts {
  const who = SPECS[routeKey(route) as RouteKey].as;
  if (who === undefined) return parts;
  if (accessOf(route) === 'token') return { ...parts, as: who };
  const headers = parts.headers ?? (parts.body === undefined ? {} : { 'content-type': 'application/json' });
  return { ...parts, headers: { ...headers, authorization: `Bearer ${bearer.get(who) ?? ''}` } };
}

async function send(routeKey: string, kind: Kind, parts: EventParts) {
  forgetCalls();
  count(routeKey, kind);
  const route = ROUTE_OF.get(routeKey);
  if (!route) throw new Error(`no route ${routeKey}`);
  const result = await handlers[route.fn](apiEvent(routeKey, signedIn(route, parts)));
  return { result, changes: stateChanges() };
}

/** The property every refused input must satisfy. */
function expectRefused(routeKey: string, { result, changes }: Awaited<ReturnType<typeof send>>, what: string): void {
  const context = `${routeKey} ← ${what}`;
  if (answersPage(routeKey)) expectErrorPage(result, context);
  else expectErrorJson(result, context);
  expect(changes, context).toEqual([]);
  expectPrototypesClean(context);
}

/** What an input the route may serve must still satisfy: no 5xx, no change from a read, clean prototypes. */
function expectNoHarm(routeKey: string, { result, changes }: Awaited<ReturnType<typeof send>>, what: string): void {
  const context = `${routeKey} ← ${what}`;
  expect(result.statusCode, `${context}: ${result.body.slice(0, 300)}`).toBeLessThan(500);
  if (result.statusCode >= 400) {
    if (answersPage(routeKey)) expectErrorPage(result, context);
    else expectErrorJson(result, context);
  }
  expect(changes, context).toEqual([]);
  expectPrototypesClean(context);
}

/**
 * What an input the route's schema accepts must satisfy (odd, but well-formed): never a 5xx; a
 * refusal in the error shape and without a change. When it was served and wrote, the world is
 * seeded afresh for the next run.
 */
async function expectServedOrRefused(
  routeKey: string,
  outcome: Awaited<ReturnType<typeof send>>,
  what: string,
): Promise<void> {
  const context = `${routeKey} ← ${what} (accepted by the schema)`;
  expect(outcome.result.statusCode, `${context}: ${outcome.result.body.slice(0, 300)}`).toBeLessThan(500);
  if (outcome.result.statusCode >= 400) expectRefused(routeKey, outcome, what);
  expectPrototypesClean(context);
  if (outcome.changes.length > 0) world = await seedWorld();
}

const show = (value: unknown) => {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
};

/** Runs per property: enough to matter, small enough for ~60 s on two cores. */
const RUNS = { body: 200, fields: 150, path: 120, query: 120, form: 200, odd: 60, credentials: 20 };
const seedOf = (text: string) => [...text].reduce((hash, c) => (hash * 31 + c.charCodeAt(0)) >>> 0, 7);

const jsonKind = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
/** Each field of a valid body paired with every value of a JSON type other than its own. */
const wrongTypes = (base: Record<string, unknown>): [string, unknown][] =>
  Object.entries(base).flatMap(([field, good]) =>
    [null, true, 0, -1.5, 1e308, '', 'x', [], [good], {}, ownObject([['__proto__', good]])]
      .filter((value) => jsonKind(value) !== jsonKind(good))
      .map((value): [string, unknown] => [field, value]),
  );

/** The route the review page's form posts to. */
const FORM_ROUTE: RouteKey = 'POST /v1/reviews/{reviewId}/decision';

/** The free-text fields fed odd but well-formed text. */
const ODD_FIELDS: [RouteKey, string][] = [
  ['POST /v1/applications', 'clusterName'],
  ['POST /v1/applications', 'leadingIndustry'],
  ['POST /v1/applications', 'subSector'],
  ['PATCH /v1/applications/{applicationId}', 'clusterName'],
  ['POST /v1/applications/{applicationId}/evidence', 'fileName'],
  ['POST /v1/applications/{applicationId}/withdraw', 'reason'],
  ['POST /v1/applications/{applicationId}/objections', 'reason'],
  ['POST /v1/applications/{applicationId}/objections', 'contact'],
  ['POST /v1/applications/{applicationId}/cancel', 'reason'],
  ['POST /v1/reviews/{reviewId}/decision', 'reason'],
];

/** Routes that need credentials: they are also sent none or junk ones. */
const isGuarded = (route: Route) => accessOf(route) === 'token' || accessOf(route) === 'session';
/** Routes whose control must write (sign-in and sign-out write nothing to the store: a cookie is all they set). */
const isWriting = (key: RouteKey) => !key.startsWith('GET ') && accessOf(ROUTE_OF.get(key) as Route) !== 'public';

// ---- the properties -----------------------------------------------------------------------

describe.each(routeKeys)('%s', (routeKey) => {
  const spec = SPECS[routeKey];

  it('refuses every body it cannot read or accept, and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, async (body) => {
        const read = decoded(body);
        const base = baseParts(spec);
        const outcome = await send(routeKey, 'body', {
          ...base,
          body: body.body,
          isBase64Encoded: body.isBase64Encoded,
        });
        const what = `${body.kind} body ${show(body.body)}`;
        if (read === 'refused' || !spec.accepts(read.value)) expectRefused(routeKey, outcome, what);
        else await expectServedOrRefused(routeKey, outcome, what);
      }),
      { numRuns: RUNS.body, seed: seedOf(`${routeKey} body`) },
    );
  });

  if (spec.body) {
    const valid = spec.body;
    it('refuses a valid body with any one field wrong, and changes nothing', async () => {
      await fc.assert(
        fc.asyncProperty(mutatedBody(valid()), async ({ value, change }) => {
          const outcome = await send(routeKey, 'fields', { ...baseParts(spec), body: JSON.stringify(value) });
          const what = `${change}: ${show(value)}`;
          if (!wellFormed(value) || !spec.accepts(value)) expectRefused(routeKey, outcome, what);
          else await expectServedOrRefused(routeKey, outcome, what);
        }),
        { numRuns: RUNS.fields, seed: seedOf(`${routeKey} fields`) },
      );
    });
  }

  if (spec.body) {
    const valid = spec.body;
    it('refuses every field of a valid body given a value of each wrong JSON type', async () => {
      const base = valid();
      for (const [field, value] of wrongTypes(base)) {
        const body = { ...base, [field]: value };
        const outcome = await send(routeKey, 'types', { ...baseParts(spec), body: JSON.stringify(body) });
        const what = `${field} = ${show(value)}`;
        if (spec.accepts(body)) await expectServedOrRefused(routeKey, outcome, what);
        else expectRefused(routeKey, outcome, what);
      }
    });
  }

  if (spec.path) {
    const valid = spec.path;
    const served = spec.pathServed ?? (() => false);
    it('refuses hostile path parameters, and changes nothing', async () => {
      const names = Object.keys(valid());
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...names), hostileId, async (name, value) => {
          fc.pre(value !== valid()[name]);
          const outcome = await send(routeKey, 'path', {
            ...baseParts(spec),
            pathParameters: { ...valid(), [name]: value },
          });
          const what = `path.${name} = ${show(value)}`;
          if (served(name, value)) expectNoHarm(routeKey, outcome, what);
          else expectRefused(routeKey, outcome, what);
          // Only a redrive of a well-formed unknown execution name may ask Step Functions (which says no).
          if (!routeKey.endsWith('/redrive')) expect(redrivesAsked(), what).toBe(0);
        }),
        { numRuns: RUNS.path, seed: seedOf(`${routeKey} path`) },
      );
    });
  }

  if (spec.reads) {
    const reads = spec.reads;
    it('refuses hostile query values of the parameters it reads, and changes nothing', async () => {
      await fc.assert(
        fc.asyncProperty(hostileQuery(reads.names), fc.boolean(), async (hostile, keepValid) => {
          const query = { ...(keepValid ? spec.query?.() : {}), ...hostile };
          // A writing route is fuzzed without its body: whatever the query, nothing may be written.
          const { body: _body, ...parts } = baseParts(spec);
          const outcome = await send(routeKey, 'query', { ...parts, query });
          const what = `query ${show(query)}`;
          if (wellFormedQuery(query) && reads.served(query)) expectNoHarm(routeKey, outcome, what);
          else expectRefused(routeKey, outcome, what);
        }),
        { numRuns: RUNS.query, seed: seedOf(`${routeKey} query`) },
      );
    });
  } else if (routeKey.startsWith('GET ')) {
    it('ignores a hostile query it does not read: the same answer, nothing changed', async () => {
      const baseline = await send(routeKey, 'control', baseParts(spec));
      await fc.assert(
        fc.asyncProperty(hostileQuery([]), async (query) => {
          const outcome = await send(routeKey, 'query', { ...baseParts(spec), query });
          const what = `query ${show(query)}`;
          if (!wellFormedQuery(query)) return expectRefused(routeKey, outcome, what);
          expectNoHarm(routeKey, outcome, what);
          expect(outcome.result.statusCode, what).toBe(baseline.result.statusCode);
        }),
        { numRuns: RUNS.query, seed: seedOf(`${routeKey} ignored query`) },
      );
    });
  }
});

describe('POST /v1/reviews/{reviewId}/decision from the review page (form-encoded)', () => {
  const routeKey = FORM_ROUTE;
  const field = fc.oneof(
    fc.constantFrom(
      'decision',
      'reason',
      't',
      'scores.core-competitiveness',
      'scores.__proto__',
      '__proto__',
      'constructor',
    ),
    oddString,
  );
  const pairs = fc.array(
    fc.tuple(field, fc.oneof(hostileString, fc.constantFrom('approve', 'return', 'reject', '90'))),
    {
      minLength: 1,
      maxLength: 5,
    },
  );

  it('answers a 4xx page to any form it cannot accept, and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(pairs, fc.boolean(), async (entries, withSecret) => {
        const form = new URLSearchParams([
          ...(withSecret ? [['t', SECRET] as [string, string]] : []),
          ...entries,
        ]).toString();
        const fields = formToJson(form);
        fc.pre(!(fields.t === SECRET && DecisionBodySchema.safeParse(fields).success));
        forgetCalls();
        count(routeKey, 'form');
        const result = await handlers.reviews(
          apiEvent(routeKey, {
            pathParameters: { reviewId: world.reviewId },
            body: form,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        );
        const context = `form ${show(form)}`;
        expectErrorPage(result, context);
        expect(stateChanges(), context).toEqual([]);
        expectPrototypesClean(context);
      }),
      { numRuns: RUNS.form, seed: seedOf('decision form') },
    );
  });
});

// ---- odd but well-formed text: accepted or refused, never a 5xx -----------------------------

describe('odd but well-formed text in every free-text field', () => {
  /** Text a person may really type (emoji, combining marks, zero-width joiners) and text that grows. */
  const oddText = fc.oneof(
    { weight: 4, arbitrary: oddString.filter((text) => wellFormed(text)) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 100 }).map((n) => '\uFDFA'.repeat(n)) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 5000 }).map((n) => '👨‍👩‍👧‍👦'.repeat(n).slice(0, n)) },
  );
  it.each(ODD_FIELDS)('%s %s: never a 5xx; a refusal changes nothing', async (routeKey, field) => {
    const spec = SPECS[routeKey];
    await fc.assert(
      fc.asyncProperty(oddText, async (value) => {
        world = await seedWorld();
        const body = { ...spec.body?.(), [field]: value };
        const outcome = await send(routeKey, 'odd', { ...baseParts(spec), body: JSON.stringify(body) });
        const what = `${field} = ${show(value)}`;
        expect(outcome.result.statusCode, `${what}: ${outcome.result.body.slice(0, 300)}`).toBeLessThan(500);
        if (outcome.result.statusCode >= 400) expectRefused(routeKey, outcome, what);
        expectPrototypesClean(what);
      }),
      { numRuns: RUNS.odd, seed: seedOf(`${routeKey} ${field} odd`) },
    );
  });
});

// ---- credentials: none, or anything that is not a valid ID token -----------------------------

describe('requests without valid credentials', () => {
  const guarded = (ROUTES as readonly Route[]).filter(isGuarded);
  /** Bearer values: not JWTs, JWT-shaped junk, a token signed with `none`. */
  const hostileBearer = fc.oneof(
    hostileString,
    fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((parts) => parts.join('.')),
    fc.constant(
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"custom:role":"operator","custom:jurisdiction":"000000","token_use":"id","sub":"x"}').toString('base64url')}.`,
    ),
  );

  it.each(guarded.map((route) => [routeKey(route), route] as const))(
    '%s: 401 (or the sign-in page), and nothing changes',
    async (key, route) => {
      const spec = SPECS[key as RouteKey];
      await fc.assert(
        fc.asyncProperty(fc.option(hostileBearer, { nil: undefined }), async (token) => {
          forgetCalls();
          count(key, 'credentials');
          const parts = baseParts(spec);
          // No authorizer claims; a Bearer header only where the handler reads one (the JWT authorizer would refuse it first).
          const headers = {
            ...(parts.body !== undefined && { 'content-type': 'application/json' }),
            ...(token !== undefined && accessOf(route) === 'session' && { authorization: `Bearer ${token}` }),
          };
          const result = await handlers[route.fn](apiEvent(key, { ...parts, headers }));
          const what = `${key} with ${token === undefined ? 'no token' : `Bearer ${show(token)}`}`;
          if (accessOf(route) === 'session' && route.page === true) {
            expect(result.statusCode, what).toBe(303);
            expect(String((result as { headers?: Record<string, unknown> }).headers?.location), what).toMatch(
              /^\/console\/sign-in\?next=/,
            );
          } else {
            expect(result.statusCode, `${what}: ${result.body.slice(0, 200)}`).toBe(401);
            expectErrorJson(result, what);
          }
          expect(stateChanges(), what).toEqual([]);
        }),
        { numRuns: RUNS.credentials, seed: seedOf(`${key} credentials`) },
      );
    },
  );
});

// ---- controls: the world is one in which valid requests do write ---------------------------

describe('controls: a valid request on each writing route reaches the store', () => {
  it.each(routeKeys.filter(isWriting))('%s', async (routeKey) => {
    world = await seedWorld();
    const spec = SPECS[routeKey];
    const { result, changes } = await send(routeKey, 'control', baseParts(spec));
    expect(result.statusCode, result.body.slice(0, 500)).toBeGreaterThanOrEqual(200);
    // A page's form is answered by a 303 to the page that shows what was done.
    expect(result.statusCode, result.body.slice(0, 500)).toBeLessThan(answersPage(routeKey) ? 304 : 300);
    expect(changes.length, routeKey).toBeGreaterThan(0);
  });

  /**
   * No identity provider is configured in this world: its sign-in is not offered (404 pages). The
   * notice's catch-all serves no page at all: its answer is the "no such page" page.
   */
  const CONTROL_STATUS: Partial<Record<RouteKey, number>> = {
    'GET /console/sign-in/start': 404,
    'GET /console/sign-in/callback': 404,
    'GET /notice/{page}': 404,
  };

  it.each(routeKeys.filter((key) => key.startsWith('GET ')))(
    '%s answers as it should and writes nothing',
    async (routeKey) => {
      world = await seedWorld();
      const spec = SPECS[routeKey];
      const { result, changes } = await send(routeKey, 'control', baseParts(spec));
      expect(result.statusCode, result.body.slice(0, 500)).toBe(CONTROL_STATUS[routeKey] ?? 200);
      expect(changes).toEqual([]);
    },
  );
});

// ---- how many inputs ran: a property that lost its route, its runs or its generator fails here --

/**
 * What the properties above are configured to send on a route, by kind: each property's numRuns
 * (a passing fast-check property has run exactly that many predicates to the end; an input
 * `fc.pre` rejects is dropped before it is sent and counted), the wrong-typed bodies, the odd-text
 * fields, and the controls (a valid request on each writing or GET route, and the baseline of each
 * GET route that ignores its query).
 */
function expectedTried(key: RouteKey): Partial<Record<Kind, number>> {
  const spec = SPECS[key];
  const isGet = key.startsWith('GET ');
  const ignoresQuery = spec.reads === undefined && isGet;
  const sent: [Kind, number][] = [
    ['body', RUNS.body],
    ['fields', spec.body ? RUNS.fields : 0],
    ['types', spec.body ? wrongTypes(spec.body()).length : 0],
    ['path', spec.path ? RUNS.path : 0],
    ['query', spec.reads !== undefined || ignoresQuery ? RUNS.query : 0],
    ['form', key === FORM_ROUTE ? RUNS.form : 0],
    ['odd', ODD_FIELDS.filter(([fieldRoute]) => fieldRoute === key).length * RUNS.odd],
    ['credentials', isGuarded(ROUTE_OF.get(key) as Route) ? RUNS.credentials : 0],
    ['control', Number(isWriting(key)) + Number(isGet) + Number(ignoresQuery)],
  ];
  return Object.fromEntries(sent.filter(([, n]) => n > 0));
}

describe('the inputs tried', () => {
  it('are exactly what the properties are configured to send, on every route of the table', () => {
    const expected = Object.fromEntries(routeKeys.map((key) => [key, expectedTried(key)]));
    const actual = Object.fromEntries([...tried].map(([key, kinds]) => [key, Object.fromEntries(kinds)]));
    expect(actual).toEqual(expected);
  });
});
