/**
 * How a typical case (典型案例) leaves the ladder at MIIT: selected (入选) or not (未入选). A typical
 * case is never recognised: it has no validity, no annual report and never enters the register
 * (DOMAIN.md, "Typical cases"). The Recognize task and MIIT's rejection hand a typical case here
 * (closing.ts); a rejection below MIIT stays a rejection (不予推荐).
 */
import type { Records } from '../ports/core.ts';
import type { ApplicationStatus } from '../schemas/common.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import { STAGE_STATUS } from './contract.ts';
import { notifyApplicant, type NotifyingDeps } from './notify.ts';
import type { CloseApplicationPayload, LadderOutcome, RecognizePayload } from './payloads.ts';
import { stageDetail, transition } from './transition.ts';

/** Whether the application is a typical case: it ends selected or not, never recognised. */
export const isTypicalCase = (application: Pick<ApplicationRecord, 'track'>): boolean =>
  application.track === 'typical-case';

/** The track of the application the task is about (the payloads carry its id only). */
export async function trackOf(records: Pick<Records, 'getApplication'>, applicationId: string) {
  return (await records.getApplication(applicationId))?.track;
}

/** Whether a closing outcome is MIIT not selecting a typical case (the caller checked the track). */
export const isMiitRejection = (payload: CloseApplicationPayload): boolean =>
  payload.outcome === 'REJECTED' && payload.current.review.stage === 'miit';

/** Where the last stage's approval ends a typical case: SELECTED, with no validity and no register entry. */
export async function selectCase(deps: NotifyingDeps, payload: RecognizePayload): Promise<LadderOutcome> {
  const { current } = payload;
  const { application, changed } = await transition(deps, payload.applicationId, {
    done: (a) => a.status === 'SELECTED',
    from: [STAGE_STATUS[current.review.stage], 'PUBLIC_NOTICE'],
    change: () => ({ status: 'SELECTED', validUntil: undefined, recognizedAt: undefined }),
    action: 'SELECTED',
    audit: () => ({ detail: stageDetail(current) }),
  });
  await notifyApplicant(deps, application, 'SELECTED', { current }, changed);
  return {
    applicationId: application.applicationId,
    status: 'SELECTED',
    stage: current.review.stage,
    round: current.review.round,
    jurisdictionCode: current.review.jurisdictionCode,
  };
}

/** The statuses MIIT's decision on a typical case is taken from. */
const AT_MIIT: readonly ApplicationStatus[] = ['MIIT_REVIEW', 'PUBLIC_NOTICE'];

/** MIIT's rejection of a typical case: NOT_SELECTED (未入选) with MIIT's reason, not REJECTED. */
export async function notSelectCase(
  deps: NotifyingDeps,
  payload: Extract<CloseApplicationPayload, { outcome: 'REJECTED' }>,
): Promise<LadderOutcome> {
  const { current, decision } = payload;
  const { application, changed } = await transition(deps, payload.applicationId, {
    done: (a) => a.status === 'NOT_SELECTED',
    from: AT_MIIT,
    change: () => ({ status: 'NOT_SELECTED', decisionReason: decision.reason, resubmissionToken: undefined }),
    action: 'NOT_SELECTED',
    audit: (_before, after) => ({
      reason: after.decisionReason,
      detail: { ...stageDetail(current), reviewId: decision.reviewId, decidedBy: decision.decidedBy },
    }),
  });
  await notifyApplicant(deps, application, 'NOT_SELECTED', { current, reason: application.decisionReason }, changed);
  return {
    applicationId: application.applicationId,
    status: 'NOT_SELECTED',
    stage: current.review.stage,
    round: current.review.round,
    jurisdictionCode: current.review.jurisdictionCode,
    ...(application.decisionReason !== undefined && { reason: application.decisionReason }),
  };
}
