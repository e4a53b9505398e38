/**
 * The pipeline's own vocabulary, each term declared once: the review stages, the application
 * statuses, the decisions, the tracks and the quota levels, in Chinese and English. Where the
 * pages, the emails and the summary tables say the same term differently, each way of saying it
 * is a named field of the one entry. Every table is keyed by its zod enum, so a new stage, status,
 * decision or track does not compile until it has its words.
 * The console's other words (headings, buttons) are in platform/pages/i18n.ts, Beijing time in
 * platform/time.ts.
 */
import type { DecisionKind, StageName } from '../ladder/contract.ts';
import type { ApplicationStatus, Bilingual, Track } from '../schemas/common.ts';
import type { QuotaGauge } from '../schemas/ops.ts';

export interface StageWords {
  /** As reviewers, the console and the reviewers' emails name the stage. */
  title: Bilingual;
  /** As the applicant's emails phrase it ("…在吉林省省级审核推荐环节…", "at the provincial review and recommendation"). */
  applicant: Bilingual;
  /** In the summary tables, where a status is placed at its stage: 未通过（省级审核）. */
  table: string;
}

export const STAGE_WORDS: Readonly<Record<StageName, StageWords>> = {
  city: {
    title: { zh: '市级审核', en: 'City review' },
    applicant: { zh: '市级审核', en: 'city review' },
    table: '市级审核',
  },
  province: {
    // The stage only: which steps it runs (专家评审 at Shanxi, none at Beijing or on the typical-case
    // track) is each level's own, named by its step where one is declared (STEP_TITLES).
    title: { zh: '省级审核', en: 'Provincial review' },
    applicant: { zh: '省级审核推荐', en: 'provincial review and recommendation' },
    table: '省级审核',
  },
  miit: {
    title: { zh: '工业和信息化部审核', en: 'MIIT review' },
    applicant: { zh: '工业和信息化部审核认定', en: 'MIIT review and recognition' },
    table: '工业和信息化部审核',
  },
};

export interface StatusWords {
  /** The console's label, short enough for a table head. */
  console: Bilingual;
  /** The summary tables' status column, in Chinese. */
  table: string;
  /** The board's "waiting at" row, where it says more than the console label. */
  waiting?: Bilingual;
}

/** In APPLICATION_STATUSES order. */
export const STATUS_WORDS: Readonly<Record<ApplicationStatus, StatusWords>> = {
  DRAFT: { console: { zh: '草稿', en: 'Draft' }, table: '草稿' },
  SUBMITTED: { console: { zh: '已提交', en: 'Submitted' }, table: '已提交' },
  CITY_REVIEW: { console: { zh: '市级审核', en: 'City review' }, table: '市级审核中' },
  PROVINCE_REVIEW: { console: { zh: '省级审核', en: 'Province review' }, table: '省级审核中' },
  MIIT_REVIEW: { console: { zh: '工信部审核', en: 'MIIT review' }, table: '工业和信息化部审核中' },
  PUBLIC_NOTICE: { console: { zh: '公示', en: 'Public notice' }, table: '公示中' },
  RECOGNIZED: { console: { zh: '已认定', en: 'Recognised' }, table: '已认定' },
  RETURNED: {
    console: { zh: '退回', en: 'Returned' },
    table: '退回修改',
    waiting: { zh: '退回待重报', en: 'Returned, awaiting revision' },
  },
  REJECTED: { console: { zh: '不予推荐', en: 'Rejected' }, table: '未通过' },
  OVERDUE: { console: { zh: '逾期', en: 'Overdue' }, table: '逾期不予受理' },
  QUOTA_EXCEEDED: { console: { zh: '名额已满', en: 'Over quota' }, table: '超出推荐名额' },
  WITHDRAWN: { console: { zh: '撤回', en: 'Withdrawn' }, table: '申报单位撤回' },
  CANCELLED: { console: { zh: '取消', en: 'Cancelled' }, table: '取消资格' },
  SELECTED: { console: { zh: '入选', en: 'Selected' }, table: '入选' },
  NOT_SELECTED: { console: { zh: '未入选', en: 'Not selected' }, table: '未入选' },
  PROVINCIALLY_RECOGNIZED: {
    console: { zh: '省级认定', en: 'Recognised by the province' },
    table: '省级认定（未推荐国家级）',
  },
};

/**
 * Where open applications wait (the ops summary's `stages`, named after the status they wait in):
 * the status's console label, or its `waiting` words where it has them.
 */
export const WAITING_POINT_TITLES: Readonly<Record<string, Bilingual>> = Object.fromEntries(
  (
    [
      ['draft', 'DRAFT'],
      ['submitted', 'SUBMITTED'],
      ['city', 'CITY_REVIEW'],
      ['province', 'PROVINCE_REVIEW'],
      ['miit', 'MIIT_REVIEW'],
      ['public-notice', 'PUBLIC_NOTICE'],
      ['returned', 'RETURNED'],
    ] as const satisfies readonly (readonly [string, ApplicationStatus])[]
  ).map(([point, status]) => [point, STATUS_WORDS[status].waiting ?? STATUS_WORDS[status].console]),
);

export interface DecisionWords {
  /** On the review page, its inbox and its errors. */
  title: Bilingual;
}

export const DECISION_WORDS: Readonly<Record<DecisionKind, DecisionWords>> = {
  approve: { title: { zh: '同意推荐', en: 'Approve (recommend onward)' } },
  return: { title: { zh: '退回修改', en: 'Return for revision' } },
  reject: { title: { zh: '不予推荐', en: 'Reject' } },
};

export interface TrackWords {
  title: Bilingual;
  /** The name of the track's summary table. */
  summaryTable: Bilingual;
  /**
   * A jurisdiction's decision in the summary table's decision column, in Chinese: what it
   * approved, what it rejected, and the outcome while on public notice and once final.
   */
  decisions: { approved: string; rejected: string; onNotice: string; final: string };
}

export const TRACK_WORDS: Readonly<Record<Track, TrackWords>> = {
  recommendation: {
    title: { zh: '特色产业集群推荐', en: 'Recommendation' },
    summaryTable: { zh: '推荐汇总表', en: 'Recommendation summary' },
    decisions: { approved: '推荐', rejected: '不予推荐', onNotice: '拟认定（公示中）', final: '认定' },
  },
  rereview: {
    title: { zh: '复核', en: 'Re-review' },
    summaryTable: { zh: '复核情况汇总表', en: 'Re-review summary' },
    decisions: { approved: '复核通过', rejected: '复核不通过', onNotice: '复核通过（公示中）', final: '复核通过' },
  },
  'typical-case': {
    title: { zh: '典型案例', en: 'Typical case' },
    summaryTable: { zh: '典型案例信息汇总表', en: 'Typical-case information summary' },
    decisions: { approved: '推荐', rejected: '不予推荐', onNotice: '拟入选（公示中）', final: '入选' },
  },
};

/** The level a quota binds at, as the console's quota gauges name it. */
export const QUOTA_SCOPE_WORDS: Readonly<Record<QuotaGauge['scope'], { title: Bilingual }>> = {
  provincial: { title: { zh: '省级推荐名额', en: 'Provincial quota' } },
  city: { title: { zh: '市级名额', en: 'City quota' } },
  'sub-sector': { title: { zh: '细分领域名额', en: 'Sub-sector quota' } },
};

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const LATIN = /^[A-Za-z\u00c0-\u024f]$/u;

/** The first letter of a text, past its digits, spaces and punctuation. */
const firstLetter = (text: string): string => /\p{L}/u.exec(text)?.[0] ?? '';

/**
 * The two halves of a message written once in both languages, `<Chinese> / <English>` (逾期不予受理：…
 * / Not accepted: …), or undefined for anything else (one language, data). The English half is
 * told by its first letter, not by holding no Chinese: it names Chinese places (`Not accepted:
 * 延边州 did not decide by …`), and Chinese on both sides of a slash is data, not two languages.
 */
export function bilingualHalves(message: string): Bilingual | undefined {
  const at = message.lastIndexOf(' / ');
  if (at < 0) return undefined;
  const zh = message.slice(0, at);
  const en = message.slice(at + 3);
  return CJK.test(zh) && LATIN.test(firstLetter(en)) ? { zh, en } : undefined;
}
