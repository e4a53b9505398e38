/**
 * Summary tables (推荐汇总表, 复核情况汇总表, 典型案例汇总表): which applications a jurisdiction's
 * table lists, in what order, under which columns, with which values. Pure: records in, a table
 * out; reading the records is shared/operations/exports/summary.ts's job, writing XLSX and CSV the writers'.
 *
 * Who gets a table (`summaryScope`): a provincial-rank jurisdiction (province, municipality,
 * planned city, XPCC); MIIT (000000: the national table, every province); and a city, but only
 * where its province's overlay asks for per-city tables (`cityTables`, Shanxi).
 *
 * Which applications a table lists (`inSummary`): those that reached the jurisdiction's review
 * and that it has to account for, of the campaign and track asked for.
 * - A city lists what it decided: the applications it approved (now at the province stage or
 *   beyond, whatever became of them there) and those it rejected or returned for revision
 *   (still at the city stage with status REJECTED or RETURNED). Applications still waiting for
 *   its decision, withdrawn or overdue before it decided are not its recommendations.
 * - A province lists every application of its own that is at the province stage or beyond: waiting
 *   for the experts, approved and waiting for the batch date, returned, rejected (with the
 *   reason), refused over quota, overdue, withdrawn or cancelled there, and everything it sent on
 *   to MIIT, whatever MIIT made of it.
 * - MIIT lists every application at its stage or beyond: in review, returned, rejected, in public
 *   notice, recognised, cancelled.
 * Drafts and applications still below the jurisdiction's stage never appear.
 *
 * Order: by provincial-rank jurisdiction (the national table groups provinces), then by the
 * province's expert ranking (推荐排序: the latest weighted score of each application, best first,
 * as the reviewers' inbox ranks them; `rank` in ./reviews.ts), unranked rows after the ranked
 * ones by county and cluster name.
 *
 * Headers: Chinese in the first header row, English in the second, in XLSX and CSV alike.
 */
import { type Campaign, cityTablesFor, toBeijingIso } from '../../rules/campaign.ts';
import { TYPICAL_CASE_ASPECT_TITLES, TYPICAL_CASE_ASPECTS } from '../../rules/criteria.ts';
import { OUTPUT_YEARS } from '../../rules/form.ts';
import {
  findJurisdiction,
  isProvincialRank,
  MIIT_CODE,
  type StageName,
} from '../../rules/jurisdictions.ts';
import { type ApplicationStatus, type Track, TRACKS } from '../../schemas/common.ts';
import type { ApplicationRecord } from '../../schemas/records.ts';
import type { ReviewRecord } from '../../schemas/reviews.ts';
import { ValidationError } from '../../platform/errors.ts';
import { rank } from '../../review/inbox.ts';
import type { RankedCandidate } from '../../review/views.ts';

// ---- scope --------------------------------------------------------------------------------

export type SummaryLevel = StageName;

export interface SummaryScope {
  level: SummaryLevel;
  /** The jurisdiction asking: a city, a provincial-rank code, or 000000 for MIIT. */
  code: string;
  /** As the title names it: 吉林省, 山西省太原市, 全国. */
  name: string;
  /** For a city or a provincial-rank jurisdiction: whose applications to read. */
  provincialCode?: string;
}

export const NATIONAL_NAME = '全国';

const jurisdictionError = (code: string, errorCode: string, message: string) =>
  new ValidationError(`No summary table for jurisdiction ${code}: ${message}`, [
    { field: 'query.jurisdiction', code: errorCode, message },
  ]);

/**
 * The table a jurisdiction code asks for.
 * @throws ValidationError (field query.jurisdiction) for an unknown code, a county, or a city whose
 *   province does not ask for per-city tables in this campaign
 */
export function summaryScope(code: string, campaign: Campaign): SummaryScope {
  if (code === MIIT_CODE) return { level: 'miit', code, name: NATIONAL_NAME };
  const jurisdiction = findJurisdiction(code);
  if (!jurisdiction) throw jurisdictionError(code, 'UNKNOWN_JURISDICTION', `no jurisdiction has code ${code}`);
  if (isProvincialRank(jurisdiction.rank)) {
    return { level: 'province', code, name: jurisdiction.name, provincialCode: code };
  }
  const province = jurisdiction.parentCode === undefined ? undefined : findJurisdiction(jurisdiction.parentCode);
  if (jurisdiction.rank !== 'city' || !province || !isProvincialRank(province.rank)) {
    throw jurisdictionError(
      code,
      'NOT_A_REVIEWING_JURISDICTION',
      `${jurisdiction.name} (${code}) does not review applications: ask with a province, city or 000000 (MIIT)`,
    );
  }
  if (!cityTablesFor(campaign, province.code)) {
    throw jurisdictionError(
      code,
      'CITY_TABLES_NOT_ASKED',
      `${province.name} does not ask its cities for their own summary tables in ${campaign.campaignId}: ask with ${province.code}`,
    );
  }
  return { level: 'city', code, name: `${province.name}${jurisdiction.name}`, provincialCode: province.code };
}

/**
 * The campaign's track the table is for: the one asked for, else the campaign's first.
 * @throws ValidationError (field query.track) when the campaign has no such track
 */
export function summaryTrack(campaign: Campaign, track: Track | undefined): Track {
  const offered = TRACKS.filter((t) => campaign.tracks[t] !== undefined);
  const chosen = track ?? offered[0];
  if (chosen === undefined || !offered.includes(chosen)) {
    throw new ValidationError(`Campaign ${campaign.campaignId} has no ${track} track`, [
      {
        field: 'query.track',
        code: 'TRACK_NOT_OFFERED',
        message: `campaign ${campaign.campaignId} offers ${offered.join(', ')}`,
      },
    ]);
  }
  return chosen;
}

// ---- which applications -------------------------------------------------------------------

const STAGE_ORDER: Readonly<Record<StageName, number>> = { city: 0, province: 1, miit: 2 };

/** Whether the table of `scope` lists the application (see the module comment). */
export function inSummary(application: ApplicationRecord, scope: SummaryScope): boolean {
  const stage = application.stage;
  if (stage === undefined) return false;
  switch (scope.level) {
    case 'miit':
      return stage === 'miit';
    case 'province':
      return application.provincialCode === scope.code && STAGE_ORDER[stage] >= STAGE_ORDER.province;
    case 'city':
      return (
        application.cityCode === scope.code &&
        (STAGE_ORDER[stage] > STAGE_ORDER.city ||
          application.status === 'REJECTED' ||
          application.status === 'RETURNED')
      );
  }
}

// ---- columns ------------------------------------------------------------------------------

/** How a column's values are typed and shown: numbers stay numbers in XLSX. */
export type ColumnFormat = 'text' | 'integer' | 'decimal' | 'percent' | 'datetime';

export interface SummaryColumn {
  key: string;
  zh: string;
  en: string;
  /** Column width in characters (XLSX). */
  width: number;
  format: ColumnFormat;
  /** Long text that wraps in XLSX. */
  wrap?: boolean;
}

export type CellValue = string | number | undefined;
export type SummaryRow = Readonly<Record<string, CellValue>>;

export interface SummaryTable {
  /** e.g. 2025年中小企业特色产业集群推荐汇总表（吉林省） */
  title: string;
  sheetName: string;
  /** Without extension; Chinese title plus ASCII ids, so the ASCII fallback still tells it apart. */
  fileBaseName: string;
  columns: readonly SummaryColumn[];
  rows: readonly SummaryRow[];
}

export const TABLE_KINDS: Readonly<Record<Track, { zh: string; en: string }>> = {
  recommendation: { zh: '推荐汇总表', en: 'Recommendation summary' },
  rereview: { zh: '复核情况汇总表', en: 'Re-review summary' },
  'typical-case': { zh: '典型案例汇总表', en: 'Typical-case summary' },
};

const column = (
  key: string,
  zh: string,
  en: string,
  width: number,
  format: ColumnFormat = 'text',
  wrap = false,
): SummaryColumn => ({ key, zh, en, width, format, ...(wrap && { wrap }) });

const LEAD_COLUMNS: readonly SummaryColumn[] = [
  column('no', '序号', 'No.', 6, 'integer'),
  column('clusterName', '集群名称', 'Cluster', 30, 'text', true),
  column('province', '所在地（省级）', 'Province (provincial level)', 14),
  column('city', '所在地（市）', 'City', 16),
  column('county', '所在地（县）', 'County (co-located counties after 、)', 18, 'text', true),
  column('leadingIndustry', '主导产业', 'Leading industry', 16, 'text', true),
  column('subSector', '细分领域', 'Sub-sector', 16, 'text', true),
];

/** The output years a form of this campaign reports: the three years before it. */
export const outputYears = (campaign: Pick<Campaign, 'year'>): number[] =>
  Array.from({ length: OUTPUT_YEARS }, (_, i) => campaign.year - OUTPUT_YEARS + i);

function figureColumns(campaign: Campaign): SummaryColumn[] {
  return [
    ...outputYears(campaign).map((year) =>
      column(`output${year}`, `${year}年产值（亿元）`, `Output ${year} (100 million yuan)`, 14, 'decimal'),
    ),
    column('enterpriseCount', '企业数量（家）', 'Enterprises', 12, 'integer'),
    column('smeCount', '其中中小企业（家）', 'of which SMEs', 14, 'integer'),
    column('smeOutputShare', '中小企业产值占比', "SMEs' share of output", 14, 'percent'),
    column('leadingIndustryShare', '主导产业产值占比', "Leading industry's share of output", 14, 'percent'),
    column('averageGrowthRate', '近三年年均增速', 'Average yearly growth (3 years)', 14, 'percent'),
    column('areaKm2', '集群面积（平方公里）', 'Area (km²)', 14, 'decimal'),
  ];
}

/** The key figures per track: the form's figures, or for typical cases their aspects. */
function trackColumns(campaign: Campaign, track: Track): SummaryColumn[] {
  switch (track) {
    case 'recommendation':
      return figureColumns(campaign);
    case 'rereview':
      return [column('recognizedYear', '认定年份', 'Year recognised', 10, 'integer'), ...figureColumns(campaign)];
    case 'typical-case':
      return [
        column('aspects', '案例涉及方面', 'Aspects covered', 28, 'text', true),
        column('summary', '案例摘要', 'Summary of the case', 50, 'text', true),
      ];
  }
}

const TAIL_COLUMNS: readonly SummaryColumn[] = [
  column('rank', '推荐排序', "Rank (province's expert review)", 10, 'integer'),
  column('score', '专家评审得分', 'Expert score (weighted)', 12, 'decimal'),
  column('decision', '决定', "Decision (this level's)", 16, 'text', true),
  column('status', '当前状态', 'Current status', 20, 'text', true),
  column('reason', '原因', 'Reason', 40, 'text', true),
  column('contact', '联系人', 'Contact', 10),
  column('phone', '联系电话', 'Phone', 16),
  column('submittedAt', '提交时间', 'Submitted (ISO 8601, Beijing time)', 26, 'datetime'),
];

export function summaryColumns(campaign: Campaign, track: Track): SummaryColumn[] {
  return [...LEAD_COLUMNS, ...trackColumns(campaign, track), ...TAIL_COLUMNS];
}

// ---- decisions and statuses in Chinese ----------------------------------------------------

export const STATUS_ZH: Readonly<Record<ApplicationStatus, string>> = {
  DRAFT: '草稿',
  SUBMITTED: '已提交',
  CITY_REVIEW: '市级审核中',
  PROVINCE_REVIEW: '省级审核中',
  MIIT_REVIEW: '工业和信息化部审核中',
  PUBLIC_NOTICE: '公示中',
  RECOGNIZED: '已认定',
  RETURNED: '退回修改',
  REJECTED: '未通过',
  OVERDUE: '逾期不予受理',
  QUOTA_EXCEEDED: '超出推荐名额',
  WITHDRAWN: '申报单位撤回',
  CANCELLED: '取消资格',
};

const STAGE_ZH: Readonly<Record<StageName, string>> = {
  city: '市级审核',
  province: '省级审核',
  miit: '工业和信息化部审核',
};

/** Where a status alone does not say where it happened, the stage is added: 未通过（省级审核）. */
export function statusZh(application: Pick<ApplicationRecord, 'status' | 'stage'>): string {
  const label = STATUS_ZH[application.status];
  const placed: readonly ApplicationStatus[] = ['RETURNED', 'REJECTED', 'OVERDUE', 'QUOTA_EXCEEDED', 'WITHDRAWN', 'CANCELLED'];
  return placed.includes(application.status) && application.stage ? `${label}（${STAGE_ZH[application.stage]}）` : label;
}

const APPROVED_ZH: Readonly<Record<Track, string>> = {
  recommendation: '推荐',
  rereview: '复核通过',
  'typical-case': '推荐',
};
const REJECTED_ZH: Readonly<Record<Track, string>> = {
  recommendation: '不予推荐',
  rereview: '复核不通过',
  'typical-case': '不予推荐',
};
const FINAL_ZH: Readonly<Record<Track, { notice: string; done: string }>> = {
  recommendation: { notice: '拟认定（公示中）', done: '认定' },
  rereview: { notice: '复核通过（公示中）', done: '复核通过' },
  'typical-case': { notice: '拟入选（公示中）', done: '入选' },
};

/**
 * The jurisdiction's own decision on a listed application, in Chinese: what it approved shows
 * as approved whatever happened above it (the current status says that).
 * `approvedAwaitingBatch`: the province approved it (its latest scored decision) and the list
 * waits for the province's batch date, so the status is still PROVINCE_REVIEW.
 */
export function decisionZh(
  application: Pick<ApplicationRecord, 'status' | 'stage'>,
  level: SummaryLevel,
  track: Track,
  approvedAwaitingBatch = false,
): string {
  const stage = application.stage;
  if (stage !== undefined && STAGE_ORDER[stage] > STAGE_ORDER[level]) return APPROVED_ZH[track];
  switch (application.status) {
    case 'CITY_REVIEW':
    case 'PROVINCE_REVIEW':
    case 'MIIT_REVIEW':
      return approvedAwaitingBatch ? `${APPROVED_ZH[track]}（待报送）` : '待审核';
    case 'PUBLIC_NOTICE':
      return FINAL_ZH[track].notice;
    case 'RECOGNIZED':
      return FINAL_ZH[track].done;
    case 'REJECTED':
      return level === 'miit' && track === 'recommendation' ? '不予认定' : REJECTED_ZH[track];
    default:
      return STATUS_ZH[application.status];
  }
}

// ---- rows ---------------------------------------------------------------------------------

const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;
const field = (form: Record<string, unknown>, ...path: string[]): unknown => {
  let current: unknown = form;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};

const nameOf = (code: string | undefined): string | undefined =>
  code === undefined ? undefined : (findJurisdiction(code)?.name ?? code);

function outputsByYear(form: Record<string, unknown>): Map<number, number> {
  const out = new Map<number, number>();
  const entries = field(form, 'outputByYear');
  for (const entry of Array.isArray(entries) ? entries : []) {
    const year = finite(field(entry as Record<string, unknown>, 'year'));
    const output = finite(field(entry as Record<string, unknown>, 'output'));
    if (year !== undefined && output !== undefined) out.set(year, output);
  }
  return out;
}

function figureValues(campaign: Campaign, form: Record<string, unknown>): Record<string, CellValue> {
  const outputs = outputsByYear(form);
  return {
    ...Object.fromEntries(outputYears(campaign).map((year) => [`output${year}`, outputs.get(year)])),
    enterpriseCount: finite(form.enterpriseCount),
    smeCount: finite(form.smeCount),
    smeOutputShare: finite(form.smeOutputShare),
    leadingIndustryShare: finite(form.leadingIndustryShare),
    averageGrowthRate: finite(form.averageGrowthRate),
    areaKm2: finite(form.areaKm2),
  };
}

function trackValues(campaign: Campaign, track: Track, form: Record<string, unknown>): Record<string, CellValue> {
  switch (track) {
    case 'recommendation':
      return figureValues(campaign, form);
    case 'rereview':
      return { recognizedYear: finite(form.recognizedYear), ...figureValues(campaign, form) };
    case 'typical-case': {
      const covered = TYPICAL_CASE_ASPECTS.filter((aspect) => text(field(form, 'aspects', aspect)) !== undefined);
      return {
        aspects: covered.length > 0 ? covered.map((aspect) => TYPICAL_CASE_ASPECT_TITLES[aspect].zh).join('、') : undefined,
        summary: text(form.summary),
      };
    }
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
    for (const group of rank(reviews)) for (const candidate of group.candidates) out.set(candidate.applicationId, candidate);
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
}

/** The table: title, columns and one row per listed application, in order. */
export function buildSummaryTable(input: SummaryInput): SummaryTable {
  const { campaign, track, scope } = input;
  const ranking = rankingByApplication(input.scored, campaign.campaignId, track);
  const listed = input.applications.filter(
    (application) =>
      application.campaignId === campaign.campaignId && application.track === track && inSummary(application, scope),
  );
  const rankOf = (application: ApplicationRecord) => ranking.get(application.applicationId)?.rank ?? Number.POSITIVE_INFINITY;
  listed.sort(
    (a, b) =>
      a.provincialCode.localeCompare(b.provincialCode) ||
      rankOf(a) - rankOf(b) ||
      a.countyCode.localeCompare(b.countyCode) ||
      a.clusterName.localeCompare(b.clusterName, 'zh-Hans-CN') ||
      a.applicationId.localeCompare(b.applicationId),
  );

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
      rank: candidate?.rank,
      score: candidate?.weightedScore,
      decision: decisionZh(application, scope.level, track, approvedAwaitingBatch),
      status: statusZh(application),
      reason: text(application.decisionReason),
      contact: text(field(form, 'contact', 'name')),
      phone: text(field(form, 'contact', 'phone')),
      submittedAt: application.submittedAt === undefined ? undefined : toBeijingIso(new Date(application.submittedAt)),
    };
  });

  const kind = TABLE_KINDS[track];
  const multiTrack = Object.keys(campaign.tracks).length > 1;
  return {
    title: `${campaign.year}年中小企业特色产业集群${kind.zh}（${scope.name}）`,
    sheetName: kind.zh,
    fileBaseName: `${campaign.year}年${kind.zh}（${scope.name}）-${campaign.campaignId}${multiTrack ? `-${track}` : ''}-${scope.code}`,
    columns: summaryColumns(campaign, track),
    rows,
  };
}
