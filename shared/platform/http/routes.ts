import type { ApiFunctionName } from '../functions.ts';

/**
 * The HTTP route table: one declaration that both the CDK HTTP API and the local gateway read.
 * Each route names the API function (shared/platform/functions.ts) whose handler module serves
 * it; the module dispatches on the API Gateway `routeKey` ("METHOD /path/{param}").
 */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface Route {
  method: HttpMethod;
  path: string;
  fn: ApiFunctionName;
  /**
   * The route acts on its path alone and reads no request body (GET routes never read one): a
   * body other than none or `{}` is refused with 400, so nothing sent is silently ignored.
   */
  noBody?: true;
  /** Answers an HTML page (people follow it, not programs): its refusals are HTML pages too. */
  page?: true;
  /**
   * Who may call it. Default `token`: a signed-in user's ID token, checked by the HTTP API's JWT
   * authorizer (the local gateway emulates it) before the handler runs. The others have no
   * authorizer, and the handler checks what they carry:
   *   link     the emailed review link's secret, or a signed-in reviewer's Bearer token;
   *   session  the console's session cookie (browsers cannot add a Bearer header to a page
   *            navigation, and the JWT authorizer reads no cookies), or a Bearer token;
   *   public   nothing: the console's sign-in and sign-out, and the API's documentation.
   */
  access?: 'link' | 'session' | 'public';
}

export type RouteAccess = NonNullable<Route['access']> | 'token';

/** The console's sign-in page, where a browser without a session is sent. */
export const SIGN_IN_PATH = '/console/sign-in';
/**
 * `?unsaved=1` on the sign-in page: a form was posted after the session ended (the handler sends
 * the browser to sign in from the form's page), so what it carried was not saved.
 */
export const UNSAVED_PARAM = 'unsaved';
/** Sign-in through the identity provider's page: where it starts, and where the provider sends the browser back. */
export const SIGN_IN_START_PATH = `${SIGN_IN_PATH}/start`;
export const SIGN_IN_CALLBACK_PATH = `${SIGN_IN_PATH}/callback`;
/** How a route is authorised: `token` unless the route says otherwise. */
export const accessOf = (route: Route): RouteAccess => route.access ?? 'token';

export const ROUTES = [
  { method: 'GET', path: '/v1/campaigns', fn: 'campaigns' },
  { method: 'POST', path: '/v1/campaigns', fn: 'campaigns' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}', fn: 'campaigns' },
  { method: 'GET', path: '/v1/jurisdictions/{code}', fn: 'jurisdictions' },
  { method: 'POST', path: '/v1/applications', fn: 'applications' },
  { method: 'GET', path: '/v1/applications/{applicationId}', fn: 'applications' },
  { method: 'GET', path: '/v1/applications/{applicationId}/history', fn: 'applications' },
  { method: 'PATCH', path: '/v1/applications/{applicationId}', fn: 'applications' },
  { method: 'POST', path: '/v1/applications/{applicationId}/submit', fn: 'applications', noBody: true },
  { method: 'POST', path: '/v1/applications/{applicationId}/evidence', fn: 'evidence' },
  { method: 'GET', path: '/v1/applications/{applicationId}/evidence', fn: 'evidence' },
  { method: 'POST', path: '/v1/applications/{applicationId}/withdraw', fn: 'reviews' },
  { method: 'POST', path: '/v1/applications/{applicationId}/objections', fn: 'reviews' },
  { method: 'POST', path: '/v1/applications/{applicationId}/cancel', fn: 'reviews' },
  { method: 'GET', path: '/v1/reviews', fn: 'reviews' },
  { method: 'GET', path: '/v1/reviews/{reviewId}', fn: 'reviews', page: true, access: 'link' },
  { method: 'POST', path: '/v1/reviews/{reviewId}/decision', fn: 'reviews', access: 'link' },
  { method: 'POST', path: '/v1/reviews/{reviewId}/resend', fn: 'reviews', noBody: true },
  // The one-off backfill of reviews left PENDING by closings before the closing expired them.
  { method: 'POST', path: '/v1/reviews/migrations/lapsed', fn: 'reviews' },
  { method: 'GET', path: '/v1/ops/summary', fn: 'ops' },
  { method: 'GET', path: '/v1/ops/jurisdictions/{code}', fn: 'ops' },
  { method: 'POST', path: '/v1/ops/executions/{executionName}/redrive', fn: 'ops', noBody: true },
  { method: 'GET', path: '/v1/exports/{campaignId}/{file}', fn: 'exports' },
  /** The submission package to MIIT (shared/package/): built and verified in the background. */
  { method: 'POST', path: '/v1/campaigns/{campaignId}/packages', fn: 'packages' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/packages', fn: 'packages' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/packages/{packageId}', fn: 'packages' },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/packages/{packageId}/verify', fn: 'packages', noBody: true },
  { method: 'GET', path: '/console/packages', fn: 'packages', page: true, access: 'session' },
  { method: 'POST', path: '/console/packages', fn: 'packages', page: true, access: 'session' },
  {
    method: 'POST',
    path: '/console/packages/{packageId}/verify',
    fn: 'packages',
    page: true,
    noBody: true,
    access: 'session',
  },
  { method: 'GET', path: '/console', fn: 'ops', page: true, access: 'session' },
  { method: 'GET', path: '/console/{page}', fn: 'ops', page: true, access: 'session' },
  /** The reviewer inbox page is the review desk's (it reads pending reviews and ranks). */
  { method: 'GET', path: '/console/inbox', fn: 'reviews', page: true, access: 'session' },
  /**
   * The console's buttons (redrive, resend a link) act with the session cookie: the page's script
   * cannot read the HttpOnly cookie to send a Bearer token to the /v1 routes.
   */
  { method: 'POST', path: '/console/executions/{executionName}/redrive', fn: 'ops', noBody: true, access: 'session' },
  { method: 'POST', path: '/console/reviews/{reviewId}/resend', fn: 'reviews', noBody: true, access: 'session' },
  /**
   * The review page the emailed link opens, and its decision form, in the console for the stage's
   * signed-in reviewer (shared/review/console-review-handler.ts): the inbox's rows lead there.
   */
  { method: 'GET', path: '/console/reviews/{reviewId}', fn: 'reviews', page: true, access: 'session' },
  { method: 'POST', path: '/console/reviews/{reviewId}/decision', fn: 'reviews', page: true, access: 'session' },
  /** The console review page's uploader of the city's own items: the /v1/reviews evidence routes, with the session cookie. */
  { method: 'POST', path: '/console/reviews/{reviewId}/evidence', fn: 'reviews', access: 'session' },
  { method: 'GET', path: '/console/reviews/{reviewId}/evidence', fn: 'reviews', access: 'session' },
  {
    method: 'DELETE',
    path: '/console/reviews/{reviewId}/evidence/{evidenceId}',
    fn: 'reviews',
    noBody: true,
    access: 'session',
  },
  /** The console's sign-in form (paste an ID token) and sign-out: they set and clear the session cookie. */
  { method: 'GET', path: '/console/sign-in', fn: 'ops', page: true, access: 'public' },
  { method: 'POST', path: '/console/sign-in', fn: 'ops', page: true, access: 'public' },
  { method: 'POST', path: '/console/sign-out', fn: 'ops', page: true, noBody: true, access: 'public' },
  /**
   * Sign-in through the identity provider's own page (Cognito's hosted login; locally the local
   * issuer's): start sends the browser there (OAuth 2.0 authorization code with PKCE), the
   * callback takes the code back, exchanges it for the ID token and opens the session.
   */
  { method: 'GET', path: '/console/sign-in/start', fn: 'ops', page: true, access: 'public' },
  { method: 'GET', path: '/console/sign-in/callback', fn: 'ops', page: true, access: 'public' },
  /**
   * The public notice (公示, shared/notice/): what is in notice and the objection form, with no
   * sign-in; served by the review desk's function, which already reads applications, writes
   * objections and sends email. Per-client limits guard the form.
   */
  { method: 'GET', path: '/notice', fn: 'reviews', page: true, access: 'public' },
  { method: 'GET', path: '/notice/applications/{applicationId}', fn: 'reviews', page: true, access: 'public' },
  {
    method: 'POST',
    path: '/notice/applications/{applicationId}/objections',
    fn: 'reviews',
    page: true,
    access: 'public',
  },
  { method: 'GET', path: '/notice/status', fn: 'reviews', page: true, access: 'public' },
  /**
   * Any other page of the notice (a mistyped or stale link): the notice's own "no such page", with
   * the way back, where the HTTP API would answer its JSON 404. The portal and the console have
   * theirs in `/portal/{page}` and `/console/{page}`.
   */
  { method: 'GET', path: '/notice/{page}', fn: 'reviews', page: true, access: 'public' },
  /** The objections' triage by the level holding the notice (its reviewers, or an operator over it). */
  { method: 'GET', path: '/console/objections', fn: 'reviews', page: true, access: 'session' },
  { method: 'POST', path: '/console/objections/{objectionId}/triage', fn: 'reviews', page: true, access: 'session' },
  /** The API's own documentation (shared/platform/openapi): public, it describes and grants nothing. */
  { method: 'GET', path: '/v1/openapi.json', fn: 'campaigns', access: 'public' },
  { method: 'GET', path: '/v1/docs', fn: 'campaigns', page: true, access: 'public' },
  /** Removes an evidence file while its uploader may still change the item (the object is left to lifecycle rules). */
  { method: 'DELETE', path: '/v1/applications/{applicationId}/evidence/{evidenceId}', fn: 'evidence', noBody: true },
  /**
   * The portal's evidence uploader (shared/portal/uploader-script.ts) with the session cookie: the
   * same operations as the /v1 evidence routes, whose Bearer token the page's script cannot send.
   */
  { method: 'POST', path: '/portal/applications/{applicationId}/evidence', fn: 'evidence', access: 'session' },
  { method: 'GET', path: '/portal/applications/{applicationId}/evidence', fn: 'evidence', access: 'session' },
  {
    method: 'DELETE',
    path: '/portal/applications/{applicationId}/evidence/{evidenceId}',
    fn: 'evidence',
    noBody: true,
    access: 'session',
  },
  /**
   * The review page's uploader: the city's own items (its on-site check statement) by the holder
   * of the review's link, or a signed-in reviewer of the stage. The reviews function serves them:
   * it alone holds the link key that checks the link, so it also presigns these uploads (its one
   * write grant on the bucket, s3:PutObject under evidence/) rather than the link key being
   * handed to a second function.
   */
  { method: 'POST', path: '/v1/reviews/{reviewId}/evidence', fn: 'reviews', access: 'link' },
  { method: 'GET', path: '/v1/reviews/{reviewId}/evidence', fn: 'reviews', access: 'link' },
  {
    method: 'DELETE',
    path: '/v1/reviews/{reviewId}/evidence/{evidenceId}',
    fn: 'reviews',
    noBody: true,
    access: 'link',
  },
  /**
   * The applicants' portal (shared/portal/): its pages read records, campaigns and history, so
   * the applications function serves them; each form posts to the function that owns the act
   * (create, save, submit: applications; withdraw: reviews, which stops the execution).
   */
  { method: 'GET', path: '/portal', fn: 'applications', page: true, access: 'session' },
  { method: 'GET', path: '/portal/{page}', fn: 'applications', page: true, access: 'session' },
  /** The evidence uploader's page: the evidence function serves it, as it alone knows the bucket's origin. */
  { method: 'GET', path: '/portal/evidence', fn: 'evidence', page: true, access: 'session' },
  { method: 'POST', path: '/portal/applications', fn: 'applications', page: true, access: 'session' },
  {
    method: 'POST',
    path: '/portal/applications/{applicationId}/form',
    fn: 'applications',
    page: true,
    access: 'session',
  },
  {
    method: 'POST',
    path: '/portal/applications/{applicationId}/submit',
    fn: 'applications',
    page: true,
    noBody: true,
    access: 'session',
  },
  {
    method: 'POST',
    path: '/portal/applications/{applicationId}/withdraw',
    fn: 'reviews',
    page: true,
    access: 'session',
  },
  /**
   * The expert panel (专家评审, shared/review/panel/): the level seats experts, replaces one, sees
   * who is late and closes (by the review's link, or a signed-in reviewer of the level); each
   * expert declares and scores through their own seat's emailed link. The reviews function serves
   * them: it alone holds the link key.
   */
  { method: 'GET', path: '/v1/reviews/{reviewId}/panel', fn: 'reviews', access: 'link' },
  { method: 'POST', path: '/v1/reviews/{reviewId}/panel/experts', fn: 'reviews', access: 'link' },
  { method: 'POST', path: '/v1/reviews/{reviewId}/panel/close', fn: 'reviews', access: 'link' },
  { method: 'GET', path: '/v1/panels/{reviewId}/seats/{seatId}', fn: 'reviews', page: true, access: 'link' },
  { method: 'POST', path: '/v1/panels/{reviewId}/seats/{seatId}/declaration', fn: 'reviews', access: 'link' },
  { method: 'POST', path: '/v1/panels/{reviewId}/seats/{seatId}/scores', fn: 'reviews', access: 'link' },
  /**
   * A level's own documents (shared/review/level-documents/): its formal letter, minutes, sampling
   * record and candidate list, uploaded through the same presigned POST and validator as evidence.
   * The reviews function serves them: it holds the link key and the upload signer.
   */
  { method: 'POST', path: '/v1/level-documents', fn: 'reviews' },
  { method: 'GET', path: '/v1/level-documents', fn: 'reviews' },
  { method: 'POST', path: '/v1/reviews/{reviewId}/level-documents', fn: 'reviews', access: 'link' },
  { method: 'GET', path: '/v1/reviews/{reviewId}/level-documents', fn: 'reviews', access: 'link' },
  { method: 'GET', path: '/console/level-documents', fn: 'reviews', page: true, access: 'session' },
  { method: 'POST', path: '/console/level-documents/files', fn: 'reviews', access: 'session' },
  { method: 'GET', path: '/console/level-documents/files', fn: 'reviews', access: 'session' },
  /**
   * The register of recognised clusters (shared/register/): its entries by the principal's scope,
   * an official list imported (CSV or XLSX in the body), the migration of earlier recognitions,
   * the console's register page (its import form posts with the session cookie) and the county's
   * "my recognised clusters" on the portal.
   */
  { method: 'GET', path: '/v1/register', fn: 'register' },
  { method: 'POST', path: '/v1/register/imports', fn: 'register' },
  { method: 'POST', path: '/v1/register/migrations/recognized', fn: 'register', noBody: true },
  { method: 'GET', path: '/console/register', fn: 'register', page: true, access: 'session' },
  { method: 'POST', path: '/console/register/imports', fn: 'register', access: 'session' },
  { method: 'GET', path: '/console/register/export.csv', fn: 'register', access: 'session' },
  { method: 'GET', path: '/portal/clusters', fn: 'register', page: true, access: 'session' },
  /**
   * The level's expert-panel pages (shared/review/panel/console-page.ts): the same operations as
   * the /v1/reviews/{reviewId}/panel routes for its signed-in reviewers, with the session cookie.
   */
  { method: 'GET', path: '/console/panels', fn: 'reviews', page: true, access: 'session' },
  { method: 'GET', path: '/console/panels/{reviewId}', fn: 'reviews', page: true, access: 'session' },
  { method: 'POST', path: '/console/panels/{reviewId}/experts', fn: 'reviews', page: true, access: 'session' },
  { method: 'POST', path: '/console/panels/{reviewId}/close', fn: 'reviews', page: true, access: 'session' },
  /**
   * Cancellation for false information at any stage (shared/revocation/): a reviewer files a
   * request, an operator over that level confirms or declines it; the console's page and forms.
   * The reviews function serves them: it already ends applications in flight (their tasks, their
   * quota slots) and sends email; confirming after recognition revokes the register entry.
   */
  { method: 'POST', path: '/v1/revocations', fn: 'reviews' },
  /** The same request from a review's link page (the link, or the stage's signed-in reviewer). */
  { method: 'POST', path: '/v1/reviews/{reviewId}/revocations', fn: 'reviews', access: 'link' },
  { method: 'GET', path: '/v1/revocations', fn: 'reviews' },
  { method: 'POST', path: '/v1/revocations/{requestId}/decision', fn: 'reviews' },
  { method: 'GET', path: '/console/revocations', fn: 'reviews', page: true, access: 'session' },
  { method: 'POST', path: '/console/revocations', fn: 'reviews', page: true, access: 'session' },
  { method: 'POST', path: '/console/revocations/{requestId}/decision', fn: 'reviews', page: true, access: 'session' },
  /**
   * Annual reports (shared/annual-report/): the year's view by who asks, the county's upload and
   * filing, the province's decisions and its forwarding to MIIT; the county's page and uploader
   * (portal), the province's and MIIT's page with its forms and the summary table (console).
   */
  { method: 'GET', path: '/v1/annual-reports', fn: 'annualReports' },
  { method: 'POST', path: '/v1/annual-reports/files', fn: 'annualReports' },
  { method: 'POST', path: '/v1/annual-reports/reports', fn: 'annualReports' },
  { method: 'POST', path: '/v1/annual-reports/decisions', fn: 'annualReports' },
  { method: 'POST', path: '/v1/annual-reports/forwarding', fn: 'annualReports', noBody: true },
  { method: 'GET', path: '/portal/annual-reports', fn: 'annualReports', page: true, access: 'session' },
  { method: 'POST', path: '/portal/annual-reports/files', fn: 'annualReports', access: 'session' },
  { method: 'GET', path: '/portal/annual-reports/files', fn: 'annualReports', access: 'session' },
  { method: 'POST', path: '/portal/annual-reports/reports', fn: 'annualReports', page: true, access: 'session' },
  { method: 'GET', path: '/console/annual-reports', fn: 'annualReports', page: true, access: 'session' },
  { method: 'POST', path: '/console/annual-reports/decisions', fn: 'annualReports', page: true, access: 'session' },
  {
    method: 'POST',
    path: '/console/annual-reports/forwarding',
    fn: 'annualReports',
    noBody: true,
    page: true,
    access: 'session',
  },
  { method: 'GET', path: '/console/annual-reports/summary.xlsx', fn: 'annualReports', access: 'session' },
  /** The county removes an upload of its own (shared/annual-report/removal.ts), and the page's 删除 form for it. */
  { method: 'DELETE', path: '/v1/annual-reports/files/{fileId}', fn: 'annualReports', noBody: true },
  {
    method: 'POST',
    path: '/portal/annual-reports/files/{fileId}/removal',
    fn: 'annualReports',
    page: true,
    access: 'session',
  },
  /**
   * The re-review cohort (shared/register/cohort.ts): its members in the caller's scope, filed or
   * not, with each level's countdown; and the operator's recorded decision on an entry.
   */
  { method: 'GET', path: '/v1/register/cohort', fn: 'register' },
  { method: 'GET', path: '/console/register/cohort', fn: 'register', page: true, access: 'session' },
  { method: 'POST', path: '/v1/register/decisions', fn: 'register' },
] as const satisfies readonly Route[];

type RouteKeyOf<R> = R extends { method: infer M extends string; path: infer P extends string } ? `${M} ${P}` : never;
/** `METHOD /path` of each declared route, exactly (not every method with every path). */
export type RouteKey = RouteKeyOf<(typeof ROUTES)[number]>;

export const routeKey = (route: Route): string => `${route.method} ${route.path}`;

/** Whether a route reads a request body: POST and PATCH routes unless marked `noBody`. */
export const readsBody = (route: Route): boolean => route.method !== 'GET' && route.noBody !== true;
