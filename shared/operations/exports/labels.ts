/** Statuses and each jurisdiction's decisions as the summary tables say them, in Chinese. */
import type { StageName } from '../../rules/jurisdictions.ts';
import type { ApplicationStatus, Track } from '../../schemas/common.ts';
import type { ApplicationRecord } from '../../schemas/records.ts';
import { STAGE_ORDER, type SummaryLevel } from './scope.ts';

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
