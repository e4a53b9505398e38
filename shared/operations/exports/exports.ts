/**
 * Summary tables (推荐汇总表, 复核情况汇总表, 典型案例信息汇总表): one row per listed application, in
 * order, with the values of the table's columns. Pure: records in, a table out; who gets a table
 * and what it lists is ./scope.ts, the columns ./columns.ts (each kind's own in its module), the
 * Chinese labels ./labels.ts; reading the records is shared/operations/exports/summary.ts's job,
 * writing XLSX and CSV the writers'.
 *
 * Order: by provincial-rank jurisdiction (the national table groups provinces), then by the
 * province's expert ranking (推荐排序: the latest weighted score of each application, best first,
 * as the reviewers' inbox ranks them; `rank` in shared/review/desk.ts), unranked rows after the
 * ranked ones by county and cluster name.
 */
import { type Campaign } from '../../rules/campaign.ts';
import { toBeijingIso } from '../../platform/time.ts';
import { TRACK_WORDS } from '../../platform/words.ts';
import { findJurisdiction } from '../../rules/jurisdictions.ts';
import type { Track } from '../../schemas/common.ts';
import type { ApplicationRecord } from '../../schemas/records.ts';
import type { ReviewRecord } from '../../schemas/reviews.ts';
import { rank } from '../../review/inbox.ts';
import type { RankedCandidate } from '../../review/views.ts';
import { field, text } from './cells.ts';
import { summaryColumns } from './columns.ts';
import { decisionZh, statusZh } from './labels.ts';
import { figureValues } from './recommendation.ts';
import { provincialAdditions, provincialValues } from './provincial.ts';
import { rereviewValues } from './rereview.ts';
import { inSummary, type SummaryScope } from './scope.ts';
import { type CellValue, type SummaryRow, type SummaryTable } from './table.ts';
import { typicalCaseValues } from './typical-case.ts';
import type { PanelResult } from '../../ports/steps.ts';
import { panelColumns, panelValues, panelWidth } from './panel-columns.ts';

const nameOf = (code: string | undefined): string | undefined =>
  code === undefined ? undefined : (findJurisdiction(code)?.name ?? code);

function trackValues(campaign: Campaign, track: Track, form: Record<string, unknown>): Record<string, CellValue> {
  switch (track) {
    case 'recommendation':
      return figureValues(campaign, form);
    case 'rereview':
      return rereviewValues(campaign, form);
    case 'typical-case':
      return typicalCaseValues(form);
  }
}

/** Each province's expert ranking of the campaign's track: applicationId → candidate. */
export function rankingByApplication(
  scored: readonly ReviewRecord[],
  campaignId: string,
  track: Track,
): Map<string, RankedCandidate> {
  const byProvince = new Map<string, ReviewRecord[]>();
  for (const review of scored) {
    if (review.stage !== 'province' || review.campaignId !== campaignId || review.track !== track) continue;
    byProvince.set(review.jurisdictionCode, [...(byProvince.get(review.jurisdictionCode) ?? []), review]);
  }
  const out = new Map<string, RankedCandidate>();
  // Ranked per province: the national table shows each province's own order.
  for (const reviews of byProvince.values()) {
    for (const group of rank(reviews))
      for (const candidate of group.candidates) out.set(candidate.applicationId, candidate);
  }
  return out;
}

export interface SummaryInput {
  campaign: Campaign;
  track: Track;
  scope: SummaryScope;
  /** The campaign's applications as read for the scope (more is fine: filtered here). */
  applications: readonly ApplicationRecord[];
  /** The provinces' scored decisions (DynamoReviews.listScored), for 推荐排序. */
  scored: readonly ReviewRecord[];
  /** The closed expert panels of the scored reviews, by review id: their columns are appended. */
  panels?: ReadonlyMap<string, PanelResult>;
}

/** The table: title, columns and one row per listed application, in order. */
export function buildSummaryTable(input: SummaryInput): SummaryTable {
  const { campaign, track, scope } = input;
  const ranking = rankingByApplication(input.scored, campaign.campaignId, track);
  const listed = input.applications.filter(
    (application) =>
      application.campaignId === campaign.campaignId && application.track === track && inSummary(application, scope),
  );
  const rankOf = (application: ApplicationRecord) =>
    ranking.get(application.applicationId)?.rank ?? Number.POSITIVE_INFINITY;
  listed.sort(
    (a, b) =>
      a.provincialCode.localeCompare(b.provincialCode) ||
      rankOf(a) - rankOf(b) ||
      a.countyCode.localeCompare(b.countyCode) ||
      a.clusterName.localeCompare(b.clusterName, 'zh-Hans-CN') ||
      a.applicationId.localeCompare(b.applicationId),
  );

  const panelOf = (application: ApplicationRecord) => {
    const reviewId = ranking.get(application.applicationId)?.reviewId;
    return reviewId === undefined ? undefined : input.panels?.get(reviewId);
  };
  const experts = panelWidth(listed.flatMap((application) => panelOf(application) ?? []));
  const withPanels = listed.some((application) => panelOf(application)?.closed === true);
  const additions = provincialAdditions(campaign, track, scope.provincialCode);
  const rows = listed.map((application, i): SummaryRow => {
    const candidate = ranking.get(application.applicationId);
    const form = application.form;
    const approvedAwaitingBatch =
      scope.level === 'province' && application.status === 'PROVINCE_REVIEW' && candidate?.decision === 'approve';
    const coCounties = application.coCountyCodes.map(nameOf).filter((name) => name !== undefined);
    return {
      no: i + 1,
      clusterName: application.clusterName,
      province: nameOf(application.provincialCode),
      city: nameOf(application.cityCode),
      county: [nameOf(application.countyCode), ...coCounties].join('、'),
      leadingIndustry: application.leadingIndustry,
      subSector: application.subSector,
      ...trackValues(campaign, track, form),
      ...provincialValues(additions, form),
      alsoNational: application.alsoNational === undefined ? undefined : application.alsoNational ? '是' : '否',
      rank: candidate?.rank,
      score: candidate?.weightedScore,
      decision: decisionZh(application, scope.level, track, approvedAwaitingBatch),
      status: statusZh(application),
      reason: text(application.decisionReason),
      contact: text(field(form, 'contact', 'name')),
      phone: text(field(form, 'contact', 'phone')),
      submittedAt: application.submittedAt === undefined ? undefined : toBeijingIso(new Date(application.submittedAt)),
      ...(withPanels && panelValues(panelOf(application), experts)),
    };
  });

  const kind = TRACK_WORDS[track].summaryTable;
  const multiTrack = Object.keys(campaign.tracks).length > 1;
  return {
    title: `${campaign.year}年中小企业特色产业集群${kind.zh}（${scope.name}）`,
    sheetName: kind.zh,
    fileBaseName: `${campaign.year}年${kind.zh}（${scope.name}）-${campaign.campaignId}${multiTrack ? `-${track}` : ''}-${scope.code}`,
    columns: [...summaryColumns(campaign, track, scope.provincialCode), ...(withPanels ? panelColumns(experts) : [])],
    rows,
  };
}
