/** Statuses and each jurisdiction's decisions as the summary tables say them, in Chinese. */
import { STAGE_WORDS, STATUS_WORDS, TRACK_WORDS } from '../../platform/words.ts';
import type { ApplicationStatus, Track } from '../../schemas/common.ts';
import type { ApplicationRecord } from '../../schemas/records.ts';
import { STAGE_ORDER, type SummaryLevel } from './scope.ts';

/** Where a status alone does not say where it happened, the stage is added: 未通过（省级审核）. */
export function statusZh(application: Pick<ApplicationRecord, 'status' | 'stage'>): string {
  const label = STATUS_WORDS[application.status].table;
  const placed: readonly ApplicationStatus[] = [
    'RETURNED',
    'REJECTED',
    'OVERDUE',
    'QUOTA_EXCEEDED',
    'WITHDRAWN',
    'CANCELLED',
  ];
  return placed.includes(application.status) && application.stage
    ? `${label}（${STAGE_WORDS[application.stage].table}）`
    : label;
}

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
  const decisions = TRACK_WORDS[track].decisions;
  if (stage !== undefined && STAGE_ORDER[stage] > STAGE_ORDER[level]) return decisions.approved;
  switch (application.status) {
    case 'CITY_REVIEW':
    case 'PROVINCE_REVIEW':
    case 'MIIT_REVIEW':
      return approvedAwaitingBatch ? `${decisions.approved}（待报送）` : '待审核';
    case 'PUBLIC_NOTICE':
      return decisions.onNotice;
    case 'RECOGNIZED':
    case 'SELECTED':
      return decisions.final;
    case 'REJECTED':
      return level === 'miit' && track === 'recommendation' ? '不予认定' : decisions.rejected;
    default:
      return STATUS_WORDS[application.status].table;
  }
}
