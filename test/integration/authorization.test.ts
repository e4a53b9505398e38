import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRecommendationForm } from '../../local/sample-evidence.ts';
import type { PrincipalRole } from '../../shared/platform/auth/principal.ts';
import { type RouteKey, ROUTES, routeKey } from '../../shared/platform/http/routes.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import type { ApiClient } from '../../local/client/index.ts';
import { anonymous, as, asOperator, startTestStack, type TestStack } from './harness.ts';
import * as steps from './steps.ts';
import { asBeforeSteps, DUNHUA } from './steps.ts';

/**
 * The authorisation matrix over the whole local stack: every route × role × relation, each request
 * through the gateway (the JWT authorizer's stand-in), the handler and the domain. The target is
 * one application of 敦化市 (222403) under 延边州 (222400) in 吉林省 (220000), waiting for its city
 * review. Each role signs in at four jurisdictions related to it:
 *
 *   applicant  own 222403 · parent 222400 · sibling 222401 (延吉市) · unrelated 140105 (太原小店区)
 *   reviewer   own 222400 (the stage's) · parent 220000 · sibling 220100 (长春市) · unrelated 140100 (太原市)
 *   operator   own 220000 (its province) · parent 000000 (national) · sibling 210000 (辽宁) · unrelated 140000 (山西)
 *
 * The expectations are written out by hand (✔ = let in, ✘ = 403), from the rules, not
 * computed from the policy under test. "Let in" means neither 401 nor 403: the requests are built
 * so that a principal who is let in is then refused for its input or the application's state
 * (400, 409) wherever a success would change what the next request sees.
 */
const RELATIONS = ['own', 'parent', 'sibling', 'unrelated'] as const;
const ROLES = ['applicant', 'reviewer', 'operator'] as const satisfies readonly PrincipalRole[];
const JURISDICTION: Record<PrincipalRole, readonly string[]> = {
  applicant: ['222403', '222400', '222401', '140105'],
  reviewer: ['222400', '220000', '220100', '140100'],
  operator: ['220000', '000000', '210000', '140000'],
};

type Row = Record<PrincipalRole, string>;
const ALL: Row = { applicant: '✔✔✔✔', reviewer: '✔✔✔✔', operator: '✔✔✔✔' };
const NONE = '✘✘✘✘';
const only = (row: Partial<Row>): Row => ({ applicant: NONE, reviewer: NONE, operator: NONE, ...row });

interface Probe {
  method: string;
  path: string;
  body?: unknown;
  expected: Row;
  /** Review links and the console's pages take no authorizer: the handler verifies the token. */
  page?: true;
}

const campaign = asBeforeSteps(demoCampaign(new Date()));
/** An evidence id no application has: removing it is refused (403) or not found (404). */
const NO_EVIDENCE = '00000000-0000-4000-8000-000000000000';
/** A package id no package has. */
const NO_PACKAGE = '220000-recommendation-20250101000000-00000000';
let stack: TestStack;
let applicationId: string;
let reviewId: string;
let executionName: string;
/** An open cancellation request 延边州's reviewer filed on the application. */
let revocationId: string;

/** One request per route (and a second where a route answers to two rules), in ROUTES order. */
function probes(): Record<RouteKey, Probe[]> {
  const app = `/v1/applications/${applicationId}`;
  const c = campaign.campaignId;
  /** Not a valid body for any route that reads one: whoever is let in gets a 400. */
  const invalid = { reason: 7 };
  return {
    'GET /v1/campaigns': [{ method: 'GET', path: '/v1/campaigns', expected: ALL }],
    'POST /v1/campaigns': [
      { method: 'POST', path: '/v1/campaigns', body: { campaignId: 7 }, expected: only({ operator: '✘✔✘✘' }) },
    ],
    'GET /v1/campaigns/{campaignId}': [{ method: 'GET', path: `/v1/campaigns/${c}`, expected: ALL }],
    'GET /v1/jurisdictions/{code}': [{ method: 'GET', path: '/v1/jurisdictions/222403', expected: ALL }],
    // A valid draft for 敦化市: only its own county files it (a new draft; it changes nothing else).
    'POST /v1/applications': [
      {
        method: 'POST',
        path: '/v1/applications',
        body: {
          campaignId: c,
          track: 'recommendation',
          form: sampleRecommendationForm(campaign.year),
          ...DUNHUA,
          clusterName: '敦化市矩阵测试产业集群',
        },
        expected: only({ applicant: '✔✘✘✘' }),
      },
    ],
    // Reviewers read what lies below them; operators within their scope.
    'GET /v1/applications/{applicationId}': [
      { method: 'GET', path: app, expected: { applicant: '✔✘✘✘', reviewer: '✔✔✘✘', operator: '✔✔✘✘' } },
    ],
    'GET /v1/applications/{applicationId}/history': [
      { method: 'GET', path: `${app}/history`, expected: { applicant: '✔✘✘✘', reviewer: '✔✔✘✘', operator: '✔✔✘✘' } },
    ],
    'PATCH /v1/applications/{applicationId}': [
      { method: 'PATCH', path: app, body: invalid, expected: only({ applicant: '✔✘✘✘' }) },
    ],
    // Already submitted: the county is let in and told 409.
    'POST /v1/applications/{applicationId}/submit': [
      { method: 'POST', path: `${app}/submit`, expected: only({ applicant: '✔✘✘✘' }) },
    ],
    'POST /v1/applications/{applicationId}/evidence': [
      // The county's item: its applicant (409: under review, no longer editable).
      {
        method: 'POST',
        path: `${app}/evidence`,
        body: { criterion: 'application-form', fileName: '申报表.pdf', contentType: 'application/pdf', size: 1000 },
        expected: only({ applicant: '✔✘✘✘' }),
      },
      // The city's own statement: the city's reviewers, while the city reviews (201: a PENDING upload).
      {
        method: 'POST',
        path: `${app}/evidence`,
        body: {
          criterion: 'onsite-check-statement',
          fileName: '现场核查符合性说明.pdf',
          contentType: 'application/pdf',
          size: 1000,
        },
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    'GET /v1/applications/{applicationId}/evidence': [
      { method: 'GET', path: `${app}/evidence`, expected: { applicant: '✔✘✘✘', reviewer: '✔✔✘✘', operator: '✔✔✘✘' } },
    ],
    'POST /v1/applications/{applicationId}/withdraw': [
      { method: 'POST', path: `${app}/withdraw`, body: invalid, expected: only({ applicant: '✔✘✘✘' }) },
    ],
    // Anyone signed in may object (400 here: the body, and it is not in its public notice).
    'POST /v1/applications/{applicationId}/objections': [
      { method: 'POST', path: `${app}/objections`, body: invalid, expected: ALL },
    ],
    'POST /v1/applications/{applicationId}/cancel': [
      { method: 'POST', path: `${app}/cancel`, body: invalid, expected: only({ operator: '✔✔✘✘' }) },
    ],
    // The inbox named: only that jurisdiction's reviewers.
    'GET /v1/reviews': [
      { method: 'GET', path: '/v1/reviews?jurisdiction=222400', expected: only({ reviewer: '✔✘✘✘' }) },
    ],
    // With a Bearer token instead of the link: the stage's reviewers only, not the province above.
    'GET /v1/reviews/{reviewId}': [
      { method: 'GET', path: `/v1/reviews/${reviewId}`, page: true, expected: only({ reviewer: '✔✘✘✘' }) },
    ],
    'POST /v1/reviews/{reviewId}/decision': [
      {
        method: 'POST',
        path: `/v1/reviews/${reviewId}/decision`,
        body: { decision: 'maybe' },
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    // 202 the first time, 429 after: let in either way.
    'POST /v1/reviews/{reviewId}/resend': [
      { method: 'POST', path: `/v1/reviews/${reviewId}/resend`, expected: only({ reviewer: '✔✘✘✘' }) },
    ],
    // The national board: national operators; a province's drill-down: its operators and national ones.
    'GET /v1/ops/summary': [
      { method: 'GET', path: `/v1/ops/summary?campaignId=${c}`, expected: only({ operator: '✘✔✘✘' }) },
    ],
    'GET /v1/ops/jurisdictions/{code}': [
      { method: 'GET', path: `/v1/ops/jurisdictions/220000?campaignId=${c}`, expected: only({ operator: '✔✔✘✘' }) },
    ],
    // The execution is running: whoever is let in hears Step Functions' refusal.
    'POST /v1/ops/executions/{executionName}/redrive': [
      { method: 'POST', path: `/v1/ops/executions/${executionName}/redrive`, expected: only({ operator: '✔✔✘✘' }) },
    ],
    // Jilin's table: Jilin's reviewers and operators, and national ones; not the city below it.
    'GET /v1/exports/{campaignId}/{file}': [
      {
        method: 'GET',
        path: `/v1/exports/${c}/summary.csv?jurisdiction=220000`,
        expected: only({ reviewer: '✘✔✘✘', operator: '✔✔✘✘' }),
      },
    ],
    // Jilin's submission package: built by Jilin's own reviewers and operators (then refused, 400:
    // the demo campaign has no re-review track), read by them and MIIT's; an unknown package is 404.
    'POST /v1/campaigns/{campaignId}/packages': [
      {
        method: 'POST',
        path: `/v1/campaigns/${c}/packages`,
        body: { jurisdiction: '220000', track: 'rereview' },
        expected: only({ reviewer: '✘✔✘✘', operator: '✔✘✘✘' }),
      },
    ],
    'GET /v1/campaigns/{campaignId}/packages': [
      {
        method: 'GET',
        path: `/v1/campaigns/${c}/packages?jurisdiction=220000`,
        expected: only({ reviewer: '✘✔✘✘', operator: '✔✔✘✘' }),
      },
    ],
    'GET /v1/campaigns/{campaignId}/packages/{packageId}': [
      { method: 'GET', path: `/v1/campaigns/${c}/packages/${NO_PACKAGE}`, expected: ALL },
    ],
    'POST /v1/campaigns/{campaignId}/packages/{packageId}/verify': [
      { method: 'POST', path: `/v1/campaigns/${c}/packages/${NO_PACKAGE}/verify`, expected: ALL },
    ],
    'GET /console/packages': [
      {
        method: 'GET',
        path: `/console/packages?campaignId=${c}`,
        page: true,
        expected: only({ reviewer: '✔✔✔✔', operator: '✔✔✔✔' }),
      },
    ],
    // Their own level's package (a city or MIIT is then refused, 400; so is the track).
    'POST /console/packages': [
      {
        method: 'POST',
        path: `/console/packages?campaignId=${c}`,
        body: { track: 'rereview' },
        page: true,
        expected: only({ reviewer: '✔✔✔✔', operator: '✔✔✔✔' }),
      },
    ],
    'POST /console/packages/{packageId}/verify': [
      {
        method: 'POST',
        path: `/console/packages/${NO_PACKAGE}/verify?campaignId=${c}`,
        page: true,
        expected: ALL,
      },
    ],
    // The console with a Bearer token (browsers use the session cookie; the same check).
    // The console's home belongs to no jurisdiction: every operator has one (national: the board;
    // provincial: a 303 to its own province), reviewers and applicants none.
    'GET /console': [
      { method: 'GET', path: `/console?campaignId=${c}`, page: true, expected: only({ operator: '✔✔✔✔' }) },
    ],
    'GET /console/{page}': [
      {
        method: 'GET',
        path: `/console/jurisdiction?campaignId=${c}&code=220000`,
        page: true,
        expected: only({ operator: '✔✔✘✘' }),
      },
    ],
    'GET /console/inbox': [
      { method: 'GET', path: '/console/inbox?jurisdiction=222400', page: true, expected: only({ reviewer: '✔✘✘✘' }) },
    ],
    'POST /console/executions/{executionName}/redrive': [
      { method: 'POST', path: `/console/executions/${executionName}/redrive`, expected: only({ operator: '✔✔✘✘' }) },
    ],
    'POST /console/reviews/{reviewId}/resend': [
      { method: 'POST', path: `/console/reviews/${reviewId}/resend`, expected: only({ reviewer: '✔✘✘✘' }) },
    ],
    // The review page and its decision in the console: the stage's own reviewers only, as its link's
    // signed-in holder (not the province above, not an operator); the decision's bad choice is
    // refused (400, the page again), so nothing moves.
    'GET /console/reviews/{reviewId}': [
      { method: 'GET', path: `/console/reviews/${reviewId}`, page: true, expected: only({ reviewer: '✔✘✘✘' }) },
    ],
    'POST /console/reviews/{reviewId}/decision': [
      {
        method: 'POST',
        path: `/console/reviews/${reviewId}/decision`,
        body: { decision: 'maybe' },
        page: true,
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    // The console review page's uploader: the same stage's reviewers as the /v1 routes it mirrors.
    'POST /console/reviews/{reviewId}/evidence': [
      {
        method: 'POST',
        path: `/console/reviews/${reviewId}/evidence`,
        body: { criterion: 'onsite-check-statement' },
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    'GET /console/reviews/{reviewId}/evidence': [
      { method: 'GET', path: `/console/reviews/${reviewId}/evidence`, expected: only({ reviewer: '✔✘✘✘' }) },
    ],
    'DELETE /console/reviews/{reviewId}/evidence/{evidenceId}': [
      {
        method: 'DELETE',
        path: `/console/reviews/${reviewId}/evidence/${NO_EVIDENCE}`,
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    // Sign-in and sign-out need no one.
    'GET /console/sign-in': [{ method: 'GET', path: '/console/sign-in', page: true, expected: ALL }],
    'POST /console/sign-in': [{ method: 'POST', path: '/console/sign-in', page: true, expected: ALL }],
    'POST /console/sign-out': [{ method: 'POST', path: '/console/sign-out', page: true, expected: ALL }],
    'GET /console/sign-in/start': [{ method: 'GET', path: '/console/sign-in/start', page: true, expected: ALL }],
    'GET /console/sign-in/callback': [{ method: 'GET', path: '/console/sign-in/callback', page: true, expected: ALL }],
    // The public notice: anyone, signed in or not (this application is not in notice: 404 alike).
    'GET /notice': [{ method: 'GET', path: '/notice', page: true, expected: ALL }],
    'GET /notice/applications/{applicationId}': [
      { method: 'GET', path: `/notice/applications/${applicationId}`, page: true, expected: ALL },
    ],
    'POST /notice/applications/{applicationId}/objections': [
      {
        method: 'POST',
        path: `/notice/applications/${applicationId}/objections`,
        body: invalid,
        page: true,
        expected: ALL,
      },
    ],
    'GET /notice/status': [{ method: 'GET', path: '/notice/status', page: true, expected: ALL }],
    'GET /notice/{page}': [{ method: 'GET', path: '/notice/nowhere', page: true, expected: ALL }],
    // Triage: reviewers and operators (each sees only the objections addressed to a level it may
    // decide for); an unknown objection is 404 to them, applicants are refused.
    'GET /console/objections': [
      {
        method: 'GET',
        path: '/console/objections',
        page: true,
        expected: only({ reviewer: '✔✔✔✔', operator: '✔✔✔✔' }),
      },
    ],
    'POST /console/objections/{objectionId}/triage': [
      {
        method: 'POST',
        path: '/console/objections/00000000-0000-4000-8000-000000000000/triage',
        body: invalid,
        page: true,
        expected: only({ reviewer: '✔✔✔✔', operator: '✔✔✔✔' }),
      },
    ],
    // The API's documentation: anyone, signed in or not.
    'GET /v1/openapi.json': [{ method: 'GET', path: '/v1/openapi.json', expected: ALL }],
    'GET /v1/docs': [{ method: 'GET', path: '/v1/docs', page: true, expected: ALL }],
    // No such file (404 for whoever is let in): the county's applicant, and the city's reviewers
    // (who remove their own items); no one else, though others may read the application.
    'DELETE /v1/applications/{applicationId}/evidence/{evidenceId}': [
      {
        method: 'DELETE',
        path: `${app}/evidence/${NO_EVIDENCE}`,
        expected: only({ applicant: '✔✘✘✘', reviewer: '✔✘✘✘' }),
      },
    ],
    // The portal's twins with a Bearer token (its script sends the session cookie; the same checks).
    'POST /portal/applications/{applicationId}/evidence': [
      {
        method: 'POST',
        path: `/portal/applications/${applicationId}/evidence`,
        body: { criterion: 'application-form', fileName: '申报表.pdf', contentType: 'application/pdf', size: 1000 },
        expected: only({ applicant: '✔✘✘✘' }),
      },
    ],
    'GET /portal/applications/{applicationId}/evidence': [
      {
        method: 'GET',
        path: `/portal/applications/${applicationId}/evidence`,
        expected: { applicant: '✔✘✘✘', reviewer: '✔✔✘✘', operator: '✔✔✘✘' },
      },
    ],
    'DELETE /portal/applications/{applicationId}/evidence/{evidenceId}': [
      {
        method: 'DELETE',
        path: `/portal/applications/${applicationId}/evidence/${NO_EVIDENCE}`,
        expected: only({ applicant: '✔✘✘✘', reviewer: '✔✘✘✘' }),
      },
    ],
    // The review page's uploader: the stage's reviewers (or the link); 400 here, the body is incomplete.
    'POST /v1/reviews/{reviewId}/evidence': [
      {
        method: 'POST',
        path: `/v1/reviews/${reviewId}/evidence`,
        body: { criterion: 'onsite-check-statement' },
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    'GET /v1/reviews/{reviewId}/evidence': [
      { method: 'GET', path: `/v1/reviews/${reviewId}/evidence`, expected: only({ reviewer: '✔✘✘✘' }) },
    ],
    'DELETE /v1/reviews/{reviewId}/evidence/{evidenceId}': [
      {
        method: 'DELETE',
        path: `/v1/reviews/${reviewId}/evidence/${NO_EVIDENCE}`,
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    // The expert panel, as its level: the stage's reviewers (or the review's link); this review is
    // no expert-panel step, so whoever is let in gets a 409 (or 400 for the body).
    'GET /v1/reviews/{reviewId}/panel': [
      { method: 'GET', path: `/v1/reviews/${reviewId}/panel`, expected: only({ reviewer: '✔✘✘✘' }) },
    ],
    'POST /v1/reviews/{reviewId}/panel/experts': [
      {
        method: 'POST',
        path: `/v1/reviews/${reviewId}/panel/experts`,
        body: invalid,
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    'POST /v1/reviews/{reviewId}/panel/close': [
      {
        method: 'POST',
        path: `/v1/reviews/${reviewId}/panel/close`,
        body: invalid,
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    // A seat opens by its own link only: a token, whoever's, opens none.
    'GET /v1/panels/{reviewId}/seats/{seatId}': [
      { method: 'GET', path: `/v1/panels/${reviewId}/seats/${NO_EVIDENCE}`, page: true, expected: only({}) },
    ],
    'POST /v1/panels/{reviewId}/seats/{seatId}/declaration': [
      {
        method: 'POST',
        path: `/v1/panels/${reviewId}/seats/${NO_EVIDENCE}/declaration`,
        body: { declaration: 'no-conflict' },
        expected: only({}),
      },
    ],
    'POST /v1/panels/{reviewId}/seats/{seatId}/scores': [
      {
        method: 'POST',
        path: `/v1/panels/${reviewId}/seats/${NO_EVIDENCE}/scores`,
        body: { scores: {} },
        expected: only({}),
      },
    ],
    // The applicants' portal: applicants only (a reviewer or an operator gets a 403 page); an
    // application's pages for its own county only. The POSTs are sent bodies they refuse (400) or
    // meet a submitted application (409), so nothing changes.
    'GET /portal': [{ method: 'GET', path: '/portal', page: true, expected: only({ applicant: '✔✔✔✔' }) }],
    'GET /portal/{page}': [
      {
        method: 'GET',
        path: `/portal/application?id=${applicationId}`,
        page: true,
        expected: only({ applicant: '✔✘✘✘' }),
      },
    ],
    'GET /portal/evidence': [
      {
        method: 'GET',
        path: `/portal/evidence?id=${applicationId}`,
        page: true,
        expected: only({ applicant: '✔✘✘✘' }),
      },
    ],
    'POST /portal/applications': [
      {
        method: 'POST',
        path: '/portal/applications',
        body: invalid,
        page: true,
        expected: only({ applicant: '✔✔✔✔' }),
      },
    ],
    'POST /portal/applications/{applicationId}/form': [
      {
        method: 'POST',
        path: `/portal/applications/${applicationId}/form`,
        body: invalid,
        page: true,
        expected: only({ applicant: '✔✘✘✘' }),
      },
    ],
    'POST /portal/applications/{applicationId}/submit': [
      {
        method: 'POST',
        path: `/portal/applications/${applicationId}/submit`,
        page: true,
        expected: only({ applicant: '✔✘✘✘' }),
      },
    ],
    'POST /portal/applications/{applicationId}/withdraw': [
      {
        method: 'POST',
        path: `/portal/applications/${applicationId}/withdraw`,
        body: invalid,
        page: true,
        expected: only({ applicant: '✔✘✘✘' }),
      },
    ],
    // A level's own documents: the level's reviewers (an operator of that very jurisdiction too:
    // none here holds 延边州), or its review link; the console's uploader files for the signed-in
    // level itself, so every reviewer and operator is let in there, and no applicant. Every body
    // is refused (400), so nothing is filed.
    'POST /v1/level-documents': [
      {
        method: 'POST',
        path: `/v1/level-documents?campaignId=${c}&jurisdiction=222400`,
        body: invalid,
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    'GET /v1/level-documents': [
      {
        method: 'GET',
        path: `/v1/level-documents?campaignId=${c}&jurisdiction=222400`,
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    'POST /v1/reviews/{reviewId}/level-documents': [
      {
        method: 'POST',
        path: `/v1/reviews/${reviewId}/level-documents`,
        body: invalid,
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    'GET /v1/reviews/{reviewId}/level-documents': [
      { method: 'GET', path: `/v1/reviews/${reviewId}/level-documents`, expected: only({ reviewer: '✔✘✘✘' }) },
    ],
    'GET /console/level-documents': [
      {
        method: 'GET',
        path: `/console/level-documents?campaignId=${c}`,
        page: true,
        expected: only({ reviewer: '✔✔✔✔', operator: '✔✔✔✔' }),
      },
    ],
    'POST /console/level-documents/files': [
      {
        method: 'POST',
        path: `/console/level-documents/files?campaignId=${c}`,
        body: invalid,
        expected: only({ reviewer: '✔✔✔✔', operator: '✔✔✔✔' }),
      },
    ],
    'GET /console/level-documents/files': [
      {
        method: 'GET',
        path: `/console/level-documents/files?campaignId=${c}`,
        expected: only({ reviewer: '✔✔✔✔', operator: '✔✔✔✔' }),
      },
    ],
    // The register: every signed-in person sees what lies within their scope (a county: its own);
    // imports by operators (a provincial one: its own province's rows); the migration by national
    // operators. The bodies are refused (400), so nothing is written.
    'GET /v1/register': [{ method: 'GET', path: '/v1/register', expected: ALL }],
    'POST /v1/register/imports': [
      { method: 'POST', path: '/v1/register/imports', body: invalid, expected: only({ operator: '✔✔✔✔' }) },
    ],
    'POST /v1/register/migrations/recognized': [
      { method: 'POST', path: '/v1/register/migrations/recognized', expected: only({ operator: '✘✔✘✘' }) },
    ],
    'POST /v1/reviews/migrations/lapsed': [
      {
        method: 'POST',
        path: '/v1/reviews/migrations/lapsed',
        body: { dryRun: true },
        expected: only({ operator: '✘✔✘✘' }),
      },
    ],
    'GET /console/register': [{ method: 'GET', path: '/console/register', page: true, expected: ALL }],
    'POST /console/register/imports': [
      {
        method: 'POST',
        path: '/console/register/imports',
        body: invalid,
        expected: only({ operator: '✔✔✔✔' }),
      },
    ],
    'GET /console/register/export.csv': [{ method: 'GET', path: '/console/register/export.csv', expected: ALL }],
    'GET /portal/clusters': [{ method: 'GET', path: '/portal/clusters', page: true, expected: ALL }],
    // The level's expert-panel pages: any reviewer sees their own level's list (and any operator,
    // to watch); one panel opens to the stage's reviewers and, read-only, to an operator of its
    // level — this review is a city's, and operators sit only at province and MIIT, so every
    // operator row is ✘ (and it is no expert-panel step: whoever is let in gets a 409).
    'GET /console/panels': [
      { method: 'GET', path: '/console/panels', page: true, expected: only({ reviewer: '✔✔✔✔', operator: '✔✔✔✔' }) },
    ],
    'GET /console/panels/{reviewId}': [
      { method: 'GET', path: `/console/panels/${reviewId}`, page: true, expected: only({ reviewer: '✔✘✘✘' }) },
    ],
    'POST /console/panels/{reviewId}/experts': [
      {
        method: 'POST',
        path: `/console/panels/${reviewId}/experts`,
        body: invalid,
        page: true,
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    'POST /console/panels/{reviewId}/close': [
      {
        method: 'POST',
        path: `/console/panels/${reviewId}/close`,
        body: invalid,
        page: true,
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    // Cancellation for false information: reviewers over the county ask (the reason is refused,
    // 400, so nothing is filed); operators over the asking level (延边州) decide the open request
    // 延边州's reviewer filed (the decision is refused, 400); reviewers and operators see the list.
    'POST /v1/revocations': [
      {
        method: 'POST',
        path: '/v1/revocations',
        body: { target: { kind: 'application', applicationId }, reason: 7 },
        expected: only({ reviewer: '✔✔✘✘' }),
      },
    ],
    'POST /v1/reviews/{reviewId}/revocations': [
      {
        method: 'POST',
        path: `/v1/reviews/${reviewId}/revocations`,
        body: invalid,
        expected: only({ reviewer: '✔✘✘✘' }),
      },
    ],
    'GET /v1/revocations': [
      { method: 'GET', path: '/v1/revocations', expected: only({ reviewer: '✔✔✔✔', operator: '✔✔✔✔' }) },
    ],
    'POST /v1/revocations/{requestId}/decision': [
      {
        method: 'POST',
        path: `/v1/revocations/${revocationId}/decision`,
        body: invalid,
        expected: only({ operator: '✔✔✘✘' }),
      },
    ],
    'GET /console/revocations': [
      {
        method: 'GET',
        path: '/console/revocations',
        page: true,
        expected: only({ reviewer: '✔✔✔✔', operator: '✔✔✔✔' }),
      },
    ],
    'POST /console/revocations': [
      { method: 'POST', path: '/console/revocations', body: invalid, expected: only({ reviewer: '✔✔✔✔' }) },
    ],
    'POST /console/revocations/{requestId}/decision': [
      {
        method: 'POST',
        path: `/console/revocations/${revocationId}/decision`,
        body: invalid,
        expected: only({ operator: '✔✔✘✘' }),
      },
    ],
    // Annual reports: a county files its own (any applicant acts for its own county; the bodies are
    // refused, 400); a province's reviewers and operators review and forward (a city's may not);
    // views by scope (a county its own, a province its set, MIIT every province).
    'GET /v1/annual-reports': [{ method: 'GET', path: '/v1/annual-reports', expected: { ...ALL, reviewer: '✘✔✘✘' } }],
    'POST /v1/annual-reports/files': [
      { method: 'POST', path: '/v1/annual-reports/files', body: invalid, expected: only({ applicant: '✔✔✔✔' }) },
    ],
    'POST /v1/annual-reports/reports': [
      { method: 'POST', path: '/v1/annual-reports/reports', body: invalid, expected: only({ applicant: '✔✔✔✔' }) },
    ],
    'POST /v1/annual-reports/decisions': [
      {
        method: 'POST',
        path: '/v1/annual-reports/decisions',
        body: invalid,
        expected: only({ reviewer: '✘✔✘✘', operator: '✔✘✔✔' }),
      },
    ],
    'POST /v1/annual-reports/forwarding': [
      {
        method: 'POST',
        path: '/v1/annual-reports/forwarding',
        expected: only({ reviewer: '✘✔✘✘', operator: '✔✘✔✔' }),
      },
    ],
    'GET /portal/annual-reports': [
      { method: 'GET', path: '/portal/annual-reports', page: true, expected: only({ applicant: '✔✔✔✔' }) },
    ],
    'POST /portal/annual-reports/files': [
      { method: 'POST', path: '/portal/annual-reports/files', body: invalid, expected: only({ applicant: '✔✔✔✔' }) },
    ],
    'GET /portal/annual-reports/files': [
      { method: 'GET', path: '/portal/annual-reports/files', expected: only({ applicant: '✔✔✔✔' }) },
    ],
    'POST /portal/annual-reports/reports': [
      {
        method: 'POST',
        path: '/portal/annual-reports/reports',
        body: invalid,
        page: true,
        expected: only({ applicant: '✔✔✔✔' }),
      },
    ],
    'GET /console/annual-reports': [
      {
        method: 'GET',
        path: '/console/annual-reports',
        page: true,
        expected: only({ reviewer: '✘✔✘✘', operator: '✔✔✔✔' }),
      },
    ],
    'POST /console/annual-reports/decisions': [
      {
        method: 'POST',
        path: '/console/annual-reports/decisions',
        body: invalid,
        page: true,
        expected: only({ reviewer: '✘✔✘✘', operator: '✔✘✔✔' }),
      },
    ],
    'POST /console/annual-reports/forwarding': [
      {
        method: 'POST',
        path: '/console/annual-reports/forwarding',
        page: true,
        expected: only({ reviewer: '✘✔✘✘', operator: '✔✘✔✔' }),
      },
    ],
    'GET /console/annual-reports/summary.xlsx': [
      {
        method: 'GET',
        path: '/console/annual-reports/summary.xlsx',
        expected: only({ reviewer: '✘✔✘✘', operator: '✔✔✔✔' }),
      },
    ],
    // A county removes an upload of its own: any applicant is let in (no such upload in its own
    // province's year, 404; the form's empty body, 400); the uploader's county alone is the
    // integration test's (annual-reports.test.ts: a neighbour county is refused 403).
    'DELETE /v1/annual-reports/files/{fileId}': [
      {
        method: 'DELETE',
        path: `/v1/annual-reports/files/${NO_EVIDENCE}`,
        expected: only({ applicant: '✔✔✔✔' }),
      },
    ],
    'POST /portal/annual-reports/files/{fileId}/removal': [
      {
        method: 'POST',
        path: `/portal/annual-reports/files/${NO_EVIDENCE}/removal`,
        body: invalid,
        page: true,
        expected: only({ applicant: '✔✔✔✔' }),
      },
    ],
    // The re-review cohort: everyone sees the members within their scope; only operators decide
    // on an entry (the invalid body is refused, so nothing moves).
    'GET /v1/register/cohort': [
      { method: 'GET', path: '/v1/register/cohort?campaignId=miit-2025-rereview', expected: ALL },
    ],
    'GET /console/register/cohort': [{ method: 'GET', path: '/console/register/cohort', page: true, expected: ALL }],
    'POST /v1/register/decisions': [
      { method: 'POST', path: '/v1/register/decisions', body: invalid, expected: only({ operator: '✔✔✔✔' }) },
    ],
  };
}

beforeAll(async () => {
  // Every person of the matrix calls from the one local address: its objection limit (20 an hour,
  // meant for an office) would answer the later probes 429 for all. Each person's own limit stays.
  process.env.RATE_LIMITS = JSON.stringify({ objection: { perAddress: { limit: 1000, windowSeconds: 3600 } } });
  stack = await startTestStack();
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
  applicationId = await steps.fileAndSubmit(stack, campaign, {
    ...DUNHUA,
    clusterName: '敦化市医药产业集群（授权矩阵）',
  });
  ({ reviewId } = await steps.reviewLink(stack, applicationId, 'city'));
  executionName = steps.ladderExecution(stack, applicationId).name;
  expect(executionName).not.toBe('');
  const filed = await (
    await as(stack, 'reviewer', '222400')
  ).raw('POST', '/v1/revocations', { target: { kind: 'application', applicationId }, reason: '矩阵：待确认的申请' });
  expect(filed.status).toBe(201);
  revocationId = (filed.json as { requestId: string }).requestId;
});

afterAll(async () => {
  delete process.env.RATE_LIMITS;
  await stack?.cleanup();
});

/** Matrix requests answered as the matrix says, counted as each role's row passes; the last test checks them all ran. */
let matrixRequests = 0;

const shown = (status: number) => (status === 403 ? '✘' : status === 401 ? '401' : '✔');

describe('the authorisation matrix: every route × role × relation', () => {
  it('covers every declared route', () => {
    expect(Object.keys(probes()).sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it.each(ROUTES.map(routeKey) as RouteKey[])('%s', async (key) => {
    for (const probe of probes()[key]) {
      for (const role of ROLES) {
        const callers: ApiClient[] = await Promise.all(JURISDICTION[role].map((code) => as(stack, role, code)));
        const answers: number[] = [];
        for (const caller of callers) {
          // Any route, any body: the matrix probes who is let in, not what the typed calls send.
          const response = await caller.raw(probe.method, probe.path, probe.body);
          answers.push(response.status);
        }
        const got = answers.map(shown).join('');
        expect(got, `${probe.method} ${probe.path} as ${role} [${RELATIONS.join(', ')}]: ${answers.join(' ')}`).toBe(
          probe.expected[role],
        );
        matrixRequests += answers.length;
      }
    }
  });

  it('answers every guarded route 401 without a token, before any handler runs', async () => {
    const statuses = new Map<string, number>();
    for (const [key, list] of Object.entries(probes())) {
      const probe = list[0] as Probe;
      const answer = await anonymous(stack).raw(probe.method, probe.path, probe.body);
      statuses.set(key, answer.status);
    }
    for (const route of ROUTES) {
      const key = routeKey(route);
      const access = (route as { access?: string }).access ?? 'token';
      const status = statuses.get(key);
      if (access === 'token') expect(status, key).toBe(401);
      // The console's and the portal's pages (and the portal's forms) send a browser to sign in;
      // the console's buttons and the portal's evidence uploader (JSON) answer 401.
      else if (access === 'session') expect(status, key).toBe('page' in route ? 303 : 401);
      // A review link without its secret is a forged link (403); sign-in needs no one.
      else if (access === 'link') expect(status, key).toBe(403);
      // The notice's page and form of an application that is not in notice, and a page the notice
      // does not have: not found, to anyone alike.
      else if (route.path.startsWith('/notice/applications/') || route.path === '/notice/{page}')
        expect(status, key).toBe(404);
      else expect([200, 303, 400, 401], key).toContain(status);
    }
    expect(statuses.size).toBe(ROUTES.length);
  });

  it('sent every probe as every role from each of its jurisdictions', () => {
    const perProbe = ROLES.reduce((sum, role) => sum + JURISDICTION[role].length, 0);
    expect(matrixRequests).toBe(Object.values(probes()).flat().length * perProbe);
  });

  it('serves the API’s documentation to anyone, through the gateway without a token', async () => {
    const nobody = anonymous(stack);
    const document = await nobody.raw('GET', '/v1/openapi.json');
    expect(document.status).toBe(200);
    const json = document.json as { openapi: string; paths: Record<string, unknown> };
    expect(json.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(json.paths)).toContain('/v1/docs');
    const page = await nobody.raw('GET', '/v1/docs');
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(page.text).toContain('/v1/applications/{applicationId}/evidence');
  });
});
