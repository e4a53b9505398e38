import { DomainError } from '../errors.ts';
import { findJurisdiction, isProvincialRank, MIIT_CODE, parentChain } from '../../rules/jurisdictions.ts';
import type { RouteKey } from '../http/routes.ts';
import type { Principal } from './principal.ts';

/**
 * Who may do what, as data about jurisdictions (DOMAIN.md: no one decides where they have no
 * right to). Enforced in the domain, not only at the edge:
 *
 *   applicant  acts only on applications filed by its own county;
 *   reviewer   decides only where the current stage is its jurisdiction; reads what lies below it;
 *   operator   by scope: national (000000) or one provincial-rank jurisdiction and all below it;
 *   a review link is a capability for exactly one review (checked by the review desk).
 *
 * Every check answers true or false; `assertAllowed` turns false into a 403 that names the rule.
 */

/** 403: signed in, but not allowed here. */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly code = 'FORBIDDEN';
}

/** Who uploads a checklist item: the county with its application, the city during its review. */
export type Uploader = 'county' | 'city';

/** The jurisdictions an application lies in, from its county up to MIIT. */
export interface Placed {
  countyCode: string;
  cityCode?: string;
  provincialCode: string;
}

/** Whether `code` is `ancestor` or lies below it (MIIT's 000000 covers every jurisdiction). */
export function liesWithin(code: string, ancestor: string): boolean {
  if (ancestor === MIIT_CODE || code === ancestor) return true;
  if (code === MIIT_CODE || !findJurisdiction(code)) return false;
  return parentChain(code).some((j) => j.code === ancestor);
}

const placeOf = (application: Placed) => application.countyCode;

/** National, or one provincial-rank jurisdiction: operators have no other scope. */
export function isOperatorScope(code: string): boolean {
  if (code === MIIT_CODE) return true;
  const place = findJurisdiction(code);
  return place !== undefined && isProvincialRank(place.rank);
}

export const may = {
  /** File a new application for a county. */
  file: (p: Principal, countyCode: string) => p.role === 'applicant' && p.jurisdiction === countyCode,
  /** Edit, upload evidence for, submit, resubmit or withdraw an application. */
  actAsApplicant: (p: Principal, application: Placed) =>
    p.role === 'applicant' && p.jurisdiction === application.countyCode,
  /**
   * Ask for an upload link: county items by the county's applicant; the city's own items (its
   * signed on-site check statement) by the reviewers of the application's city.
   */
  uploadEvidence: (p: Principal, application: Placed, uploadedBy: Uploader) =>
    uploadedBy === 'county'
      ? p.role === 'applicant' && p.jurisdiction === application.countyCode
      : p.role === 'reviewer' && application.cityCode !== undefined && p.jurisdiction === application.cityCode,
  /** Read an application, its evidence and its history. */
  read: (p: Principal, application: Placed) =>
    p.role === 'applicant'
      ? p.jurisdiction === application.countyCode
      : p.role === 'reviewer'
        ? liesWithin(placeOf(application), p.jurisdiction)
        : isOperatorScope(p.jurisdiction) && liesWithin(placeOf(application), p.jurisdiction),
  /**
   * See the people in an application's trail whole (the addresses a review link went to, the
   * experts a panel seated): the officials over it, its reviewers and operators. The county that
   * filed it reads the trail with each address masked — it answers the office, not a mailbox —
   * and with officials' names but not experts' or objectors' (shared/intake/trail.ts says why).
   */
  seeReviewerAddresses: (p: Principal, application: Placed) =>
    (p.role === 'reviewer' && liesWithin(placeOf(application), p.jurisdiction)) ||
    (p.role === 'operator' && isOperatorScope(p.jurisdiction) && liesWithin(placeOf(application), p.jurisdiction)),
  /** Decide a review: only the reviewers of the jurisdiction whose stage it is. */
  decide: (p: Principal, review: { jurisdictionCode: string }) =>
    p.role === 'reviewer' && p.jurisdiction === review.jurisdictionCode,
  /**
   * See a level's expert panels (the console's list): its reviewers, who seat and close them, and
   * the operators of that very level, who watch their progress (seating and closing stay `decide`).
   */
  seePanels: (p: Principal, levelCode: string) =>
    (p.role === 'reviewer' || (p.role === 'operator' && isOperatorScope(p.jurisdiction))) &&
    p.jurisdiction === levelCode,
  /** See a jurisdiction's pending reviews (the inbox) or have its links sent again. */
  review: (p: Principal, jurisdictionCode: string) => p.role === 'reviewer' && p.jurisdiction === jurisdictionCode,
  /** The summary table of a jurisdiction: its reviewers, reviewers above it, operators over it. */
  export: (p: Principal, jurisdictionCode: string) =>
    (p.role === 'reviewer' || (p.role === 'operator' && isOperatorScope(p.jurisdiction))) &&
    liesWithin(jurisdictionCode, p.jurisdiction),
  /** Build a level's submission package to MIIT: the level's own reviewers and operators. */
  buildPackage: (p: Principal, jurisdictionCode: string) =>
    (p.role === 'reviewer' || p.role === 'operator') && p.jurisdiction === jurisdictionCode,
  /** Cancel for false information, redrive a failed execution: operators over the application. */
  operate: (p: Principal, application: Placed) =>
    p.role === 'operator' && isOperatorScope(p.jurisdiction) && liesWithin(placeOf(application), p.jurisdiction),
  /** The ops summary and drill-downs of a jurisdiction. */
  watch: (p: Principal, jurisdictionCode: string) =>
    p.role === 'operator' && isOperatorScope(p.jurisdiction) && liesWithin(jurisdictionCode, p.jurisdiction),
  /** Add a campaign (a new year's call): national operators. */
  addCampaign: (p: Principal) => p.role === 'operator' && p.jurisdiction === MIIT_CODE,
  /** Run a one-off change of stored records across every jurisdiction (a backfill): national operators. */
  migrateRecords: (p: Principal) => p.role === 'operator' && p.jurisdiction === MIIT_CODE,
  /** Object during the public notice (公示): anyone signed in (and anyone on the public notice page). */
  object: (_p: Principal) => true,
  /**
   * Triage an objection (upheld or dismissed): the reviewers of the level holding the notice, or
   * an operator whose scope covers that level.
   */
  triageAny: (p: Principal) => p.role === 'reviewer' || (p.role === 'operator' && isOperatorScope(p.jurisdiction)),
  triageObjection: (p: Principal, holderCode: string) =>
    (p.role === 'reviewer' && p.jurisdiction === holderCode) ||
    (p.role === 'operator' && isOperatorScope(p.jurisdiction) && liesWithin(holderCode, p.jurisdiction)),
  /**
   * See a register entry (shared/register/): the county's own official, reviewers and operators
   * over the county.
   */
  seeRegister: (p: Principal, countyCode: string) =>
    p.role === 'applicant'
      ? p.jurisdiction === countyCode
      : (p.role === 'reviewer' || (p.role === 'operator' && isOperatorScope(p.jurisdiction))) &&
        liesWithin(countyCode, p.jurisdiction),
  /** Import a list into the register, or run its migration: operators over the province (national: 000000). */
  keepRegister: (p: Principal, provinceCode: string) =>
    p.role === 'operator' && isOperatorScope(p.jurisdiction) && liesWithin(provinceCode, p.jurisdiction),
  /**
   * Ask for a cancellation for false information (shared/revocation/): a reviewer whose
   * jurisdiction covers the cluster's county (the level where it was found).
   */
  requestRevocation: (p: Principal, target: { countyCode: string }) =>
    p.role === 'reviewer' && liesWithin(target.countyCode, p.jurisdiction),
  /**
   * Confirm or decline that request: an operator whose scope covers the level that asked, or MIIT
   * (its reviewers and operators); never the requester (two people).
   */
  decideRevocation: (p: Principal, request: { levelCode: string; requestedBy: { sub: string } }) =>
    p.sub !== request.requestedBy.sub &&
    ((p.role === 'operator' && isOperatorScope(p.jurisdiction) && liesWithin(request.levelCode, p.jurisdiction)) ||
      (p.role !== 'applicant' && p.jurisdiction === MIIT_CODE)),
  /** See the requests: reviewers (the ones they may file or filed) and operators (the ones of their scope). */
  revocationsAny: (p: Principal) => p.role === 'reviewer' || (p.role === 'operator' && isOperatorScope(p.jurisdiction)),
  /** File a cluster's annual report (shared/annual-report/): the county's own official. */
  fileAnnualReport: (p: Principal, countyCode: string) => p.role === 'applicant' && p.jurisdiction === countyCode,
  /** Accept or return the year's reports and forward the set to MIIT: the province's reviewers and operators. */
  reviewAnnualReports: (p: Principal, provinceCode: string) =>
    (p.role === 'reviewer' || p.role === 'operator') &&
    p.jurisdiction === provinceCode &&
    provinceCode !== MIIT_CODE &&
    isOperatorScope(provinceCode),
  /** See a province's annual reports (MIIT: every province's): reviewers and operators over it. */
  seeAnnualReports: (p: Principal, provinceCode: string) =>
    (p.role === 'reviewer' || (p.role === 'operator' && isOperatorScope(p.jurisdiction))) &&
    liesWithin(provinceCode, p.jurisdiction),
  /** Remove an annual-report upload (shared/annual-report/removal.ts): the county that uploaded it, only. */
  removeAnnualReportFile: (p: Principal, file: { countyCode: string }) =>
    p.role === 'applicant' && p.jurisdiction === file.countyCode,
} as const;

export type Permission = keyof typeof may;

/** Throws a 403 naming the rule when `allowed` is false. */
export function assertAllowed(allowed: boolean, rule: Permission, p: Principal): void {
  if (allowed) return;
  const article = /^[aeiou]/.test(p.role) ? 'An' : 'A';
  throw new ForbiddenError(`${article} ${p.role} of ${p.jurisdiction} may not ${RULE_TEXT[rule].en}`, [
    // Each half a whole sentence: a page shows its language's half alone (oneLanguage).
    { field: 'authorization', code: 'FORBIDDEN', message: `${RULE_TEXT[rule].zh} / you may not ${RULE_TEXT[rule].en}` },
  ]);
}

const RULE_TEXT: Record<Permission, { zh: string; en: string }> = {
  file: { zh: '只能为本县（市、区）申报', en: 'file an application for another county' },
  actAsApplicant: { zh: '只能办理本县（市、区）的申报', en: "act on another county's application" },
  uploadEvidence: { zh: '只能上传本级负责的材料', en: 'upload an item another jurisdiction is responsible for' },
  read: { zh: '只能查看本辖区内的申报', en: 'read an application outside its jurisdiction' },
  seeReviewerAddresses: {
    zh: '只有辖区内的审核人员和运维人员可以查看审核人员的邮箱地址',
    en: "see reviewers' addresses on an application outside its jurisdiction",
  },
  decide: { zh: '只能审核本级当前环节的申报', en: 'decide a review of another jurisdiction' },
  review: { zh: '只能查看本级的审核待办', en: "see another jurisdiction's reviews" },
  seePanels: {
    zh: '只有本级审核人员和运维人员可以查看本级的专家评审',
    en: "see a level's expert panels (its own reviewers and operators only)",
  },
  export: { zh: '只能导出本辖区的汇总表', en: 'export the summary table of a jurisdiction outside its own' },
  buildPackage: { zh: '只能生成本级的报送材料包', en: "build another level's submission package" },
  operate: { zh: '只能处理本辖区内的申报', en: 'operate on an application outside its scope' },
  watch: { zh: '只能查看本辖区的运维数据', en: 'watch a jurisdiction outside its scope' },
  addCampaign: { zh: '只有国家级运维人员可以新增申报活动', en: 'add a campaign (national operators only)' },
  migrateRecords: {
    zh: '只有国家级运维人员可以运行存量数据迁移',
    en: 'run a migration of stored records (national operators only)',
  },
  object: { zh: '', en: '' },
  triageAny: { zh: '只有审核单位和运维人员可以处理异议', en: 'triage objections (reviewers and operators only)' },
  triageObjection: {
    zh: '只有公示所在层级的审核单位或其上级运维人员可以处理异议',
    en: 'triage an objection to a notice another level holds',
  },
  seeRegister: { zh: '只能查看本辖区的认定集群', en: 'see recognised clusters outside its jurisdiction' },
  keepRegister: {
    zh: '只有本辖区的运维人员可以导入认定名单',
    en: 'import a list of recognised clusters outside its scope',
  },
  requestRevocation: {
    zh: '只有辖区覆盖该集群的审核单位可以提出取消资格申请',
    en: 'ask to cancel a cluster outside its jurisdiction (reviewers only)',
  },
  decideRevocation: {
    zh: '只有提出层级或其上级的运维人员（或工业和信息化部）可以确认，且申请人不能确认本人的申请',
    en: 'decide this cancellation request (an operator over the level that asked, or MIIT; never the requester)',
  },
  revocationsAny: {
    zh: '只有审核单位和运维人员可以查看取消资格申请',
    en: 'see cancellation requests (reviewers and operators only)',
  },
  fileAnnualReport: { zh: '只能由本县（市、区）报送本地集群的年度报告', en: "file another county's annual report" },
  reviewAnnualReports: {
    zh: '只能由本省审核人员或运维人员审核并报送年度报告',
    en: "review or forward another province's annual reports",
  },
  seeAnnualReports: { zh: '只能查看本辖区的年度报告', en: 'see annual reports outside its jurisdiction' },
  removeAnnualReportFile: {
    zh: '只能由上传该文件的县（市、区）删除',
    en: 'remove an annual-report file another county uploaded',
  },
};

/**
 * The rule each route answers to, checked once the target is known (the application, the review,
 * the jurisdiction asked for). `link`: the review link's secret is the capability, or a signed-in
 * reviewer whose stage it is. `signed-in`: anyone with a valid token (reference data). `public`:
 * no one needs to be signed in (the console's sign-in and sign-out, the API's documentation).
 */
export const ROUTE_RULES = {
  'GET /v1/campaigns': 'signed-in',
  'POST /v1/campaigns': 'addCampaign',
  'GET /v1/campaigns/{campaignId}': 'signed-in',
  'GET /v1/jurisdictions/{code}': 'signed-in',
  'POST /v1/applications': 'file',
  'GET /v1/applications/{applicationId}': 'read',
  'GET /v1/applications/{applicationId}/history': 'read',
  'PATCH /v1/applications/{applicationId}': 'actAsApplicant',
  'POST /v1/applications/{applicationId}/submit': 'actAsApplicant',
  'POST /v1/applications/{applicationId}/evidence': 'uploadEvidence',
  'GET /v1/applications/{applicationId}/evidence': 'read',
  'POST /v1/applications/{applicationId}/withdraw': 'actAsApplicant',
  'POST /v1/applications/{applicationId}/objections': 'object',
  'POST /v1/applications/{applicationId}/cancel': 'operate',
  'GET /v1/reviews': 'review',
  'GET /v1/reviews/{reviewId}': 'link',
  'POST /v1/reviews/{reviewId}/decision': 'link',
  'POST /v1/reviews/{reviewId}/resend': 'review',
  'GET /v1/ops/summary': 'watch',
  'GET /v1/ops/jurisdictions/{code}': 'watch',
  'POST /v1/ops/executions/{executionName}/redrive': 'operate',
  'GET /v1/exports/{campaignId}/{file}': 'export',
  // Reading a package is exporting its level's list; building one is for the level itself (shared/package/desk.ts).
  'POST /v1/campaigns/{campaignId}/packages': 'export',
  'GET /v1/campaigns/{campaignId}/packages': 'export',
  'GET /v1/campaigns/{campaignId}/packages/{packageId}': 'export',
  'POST /v1/campaigns/{campaignId}/packages/{packageId}/verify': 'export',
  'GET /console/packages': 'export',
  'POST /console/packages': 'export',
  'POST /console/packages/{packageId}/verify': 'export',
  'GET /console': 'watch',
  'GET /console/{page}': 'watch',
  'GET /console/inbox': 'review',
  'POST /console/executions/{executionName}/redrive': 'operate',
  'POST /console/reviews/{reviewId}/resend': 'review',
  // The review page and its decision in the console: the reviewers of the stage's jurisdiction, as a link's signed-in holder.
  'GET /console/reviews/{reviewId}': 'decide',
  'POST /console/reviews/{reviewId}/decision': 'decide',
  // The console review page's uploader: the desk checks the stage is the reviewer's, then the intake's rules.
  'POST /console/reviews/{reviewId}/evidence': 'decide',
  'GET /console/reviews/{reviewId}/evidence': 'decide',
  'DELETE /console/reviews/{reviewId}/evidence/{evidenceId}': 'decide',
  'GET /console/sign-in': 'public',
  'POST /console/sign-in': 'public',
  'POST /console/sign-out': 'public',
  'GET /console/sign-in/start': 'public',
  'GET /console/sign-in/callback': 'public',
  'GET /notice': 'public',
  'GET /notice/applications/{applicationId}': 'public',
  'POST /notice/applications/{applicationId}/objections': 'public',
  'GET /notice/status': 'public',
  'GET /notice/{page}': 'public',
  'GET /console/objections': 'triageObjection',
  'POST /console/objections/{objectionId}/triage': 'triageObjection',
  'GET /v1/openapi.json': 'public',
  'GET /v1/docs': 'public',
  'DELETE /v1/applications/{applicationId}/evidence/{evidenceId}': 'uploadEvidence',
  'POST /portal/applications/{applicationId}/evidence': 'uploadEvidence',
  'GET /portal/applications/{applicationId}/evidence': 'read',
  'DELETE /portal/applications/{applicationId}/evidence/{evidenceId}': 'uploadEvidence',
  'POST /v1/reviews/{reviewId}/evidence': 'link',
  'GET /v1/reviews/{reviewId}/evidence': 'link',
  'DELETE /v1/reviews/{reviewId}/evidence/{evidenceId}': 'link',
  'GET /portal': 'file',
  'GET /portal/{page}': 'actAsApplicant',
  'GET /portal/evidence': 'actAsApplicant',
  'POST /portal/applications': 'file',
  'POST /portal/applications/{applicationId}/form': 'actAsApplicant',
  'POST /portal/applications/{applicationId}/submit': 'actAsApplicant',
  'POST /portal/applications/{applicationId}/withdraw': 'actAsApplicant',
  // The expert panel: the review's link (or its level's signed-in reviewer), and each seat's link.
  'GET /v1/reviews/{reviewId}/panel': 'link',
  'POST /v1/reviews/{reviewId}/panel/experts': 'link',
  'POST /v1/reviews/{reviewId}/panel/close': 'link',
  'GET /v1/panels/{reviewId}/seats/{seatId}': 'link',
  'POST /v1/panels/{reviewId}/seats/{seatId}/declaration': 'link',
  'POST /v1/panels/{reviewId}/seats/{seatId}/scores': 'link',
  // A level's own documents: its reviewers (and operators of that very jurisdiction), or its review link.
  'POST /v1/level-documents': 'review',
  'GET /v1/level-documents': 'review',
  'POST /v1/reviews/{reviewId}/level-documents': 'link',
  'GET /v1/reviews/{reviewId}/level-documents': 'link',
  'GET /console/level-documents': 'review',
  'POST /console/level-documents/files': 'review',
  'GET /console/level-documents/files': 'review',
  'GET /v1/register': 'seeRegister',
  'POST /v1/register/imports': 'keepRegister',
  'POST /v1/register/migrations/recognized': 'keepRegister',
  'POST /v1/reviews/migrations/lapsed': 'migrateRecords',
  'GET /console/register': 'seeRegister',
  'POST /console/register/imports': 'keepRegister',
  'GET /console/register/export.csv': 'seeRegister',
  'GET /portal/clusters': 'seeRegister',
  // The level's expert-panel pages: its own reviewers (each panel's review checked as deciding it);
  // the list and each panel also to the level's operators, to watch (read-only).
  'GET /console/panels': 'seePanels',
  'GET /console/panels/{reviewId}': 'seePanels',
  'POST /console/panels/{reviewId}/experts': 'decide',
  'POST /console/panels/{reviewId}/close': 'decide',
  // Cancellation for false information (shared/revocation/): a reviewer asks, an operator over that level confirms.
  'POST /v1/revocations': 'requestRevocation',
  'POST /v1/reviews/{reviewId}/revocations': 'link',
  'GET /v1/revocations': 'revocationsAny',
  'POST /v1/revocations/{requestId}/decision': 'decideRevocation',
  'GET /console/revocations': 'revocationsAny',
  'POST /console/revocations': 'requestRevocation',
  'POST /console/revocations/{requestId}/decision': 'decideRevocation',
  // Annual reports: the county files its own; the province reviews and forwards; MIIT sees all.
  'GET /v1/annual-reports': 'seeAnnualReports',
  'POST /v1/annual-reports/files': 'fileAnnualReport',
  'POST /v1/annual-reports/reports': 'fileAnnualReport',
  'POST /v1/annual-reports/decisions': 'reviewAnnualReports',
  'POST /v1/annual-reports/forwarding': 'reviewAnnualReports',
  'GET /portal/annual-reports': 'fileAnnualReport',
  'POST /portal/annual-reports/files': 'fileAnnualReport',
  'GET /portal/annual-reports/files': 'fileAnnualReport',
  'POST /portal/annual-reports/reports': 'fileAnnualReport',
  'GET /console/annual-reports': 'seeAnnualReports',
  'POST /console/annual-reports/decisions': 'reviewAnnualReports',
  'POST /console/annual-reports/forwarding': 'reviewAnnualReports',
  'GET /console/annual-reports/summary.xlsx': 'seeAnnualReports',
  // The county removes an upload of its own (never the one a report carries).
  'DELETE /v1/annual-reports/files/{fileId}': 'removeAnnualReportFile',
  'POST /portal/annual-reports/files/{fileId}/removal': 'removeAnnualReportFile',
  'GET /v1/register/cohort': 'seeRegister',
  'GET /console/register/cohort': 'seeRegister',
  'POST /v1/register/decisions': 'keepRegister',
} as const satisfies Record<RouteKey, Permission | 'link' | 'signed-in' | 'public'>;
