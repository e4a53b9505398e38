import type { ApplicationRecord } from '../schemas/records.ts';
import { notifyApplicant, type NotifyingDeps } from './notify.ts';
import type { AwaitResubmissionPayload, CurrentStage, MarkReturnedPayload, Returned } from './payloads.ts';
import { secondsUntil } from './route.ts';
import { STAGE_STATUS } from './contract.ts';
import { stageDetail, transition, type TransitionDeps } from './transition.ts';

/* A stage returned the application: the applicant revises it, and the workflow waits for it. */

const atStage = (current: CurrentStage) => (a: ApplicationRecord) =>
  a.stage === current.review.stage && a.round === current.review.round;

/** MarkReturned: RETURNED with the reason; the applicant may resubmit until the stage deadline. */
export async function markReturned(deps: NotifyingDeps, payload: MarkReturnedPayload): Promise<Returned> {
  const { current, decision } = payload;
  const { deadline } = current.review;
  const { application, changed } = await transition(deps, payload.applicationId, {
    done: (a) => a.status === 'RETURNED' && atStage(current)(a),
    from: [STAGE_STATUS[current.review.stage]],
    refuse: (a) => (atStage(current)(a) ? undefined : `it is at ${a.stage} round ${a.round}`),
    change: () => ({ status: 'RETURNED', decisionReason: decision.reason, dueAt: deadline }),
    action: 'RETURNED',
    audit: () => ({
      reason: decision.reason,
      detail: { ...stageDetail(current), reviewId: decision.reviewId, decidedBy: decision.decidedBy },
    }),
  });
  await notifyApplicant(deps, application, 'RETURNED', { current, reason: decision.reason }, changed);
  return { dueAt: deadline, timeoutSeconds: secondsUntil(deadline, deps.clock()) };
}

/**
 * AwaitResubmission: stores the task token that a resubmission completes. A retried task comes
 * with a new token, which replaces the old one.
 */
export async function awaitResubmission(deps: TransitionDeps, payload: AwaitResubmissionPayload): Promise<void> {
  const { current, taskToken } = payload;
  await transition(deps, payload.applicationId, {
    done: (a) => a.resubmissionToken === taskToken,
    from: ['RETURNED'],
    refuse: (a) => (atStage(current)(a) ? undefined : `it was returned at ${a.stage} round ${a.round}`),
    change: () => ({ resubmissionToken: taskToken }),
    action: 'RESUBMISSION_AWAITED',
    // Never the token itself: the audit trail is shown to the applicant.
    audit: () => ({ detail: stageDetail(current) }),
  });
}
