/**
 * The audit event a decision appends, in the same write that records it: the person who decided
 * (the signed-in subject with their display name, or the registered addresses the emailed link was
 * sent to), their role
 * and jurisdiction, the decision and its reason, at every stage and step. The workflow's own moves
 * that follow (the next stage entered, the return, the rejection) stay credited to the workflow.
 */
import { personActor } from '../intake/audit.ts';
import type { DecisionKind } from '../ladder/contract.ts';
import type { AuditEvent } from '../schemas/records.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import type { DecisionCredentials } from './access.ts';

/** The audit action for each decision. */
export const DECISION_ACTIONS = {
  approve: 'REVIEW_APPROVED',
  return: 'REVIEW_RETURNED',
  reject: 'REVIEW_REJECTED',
} as const satisfies Record<DecisionKind, AuditEvent['action']>;

/** Who took a decision through an emailed link: the addresses it was sent to (the jurisdiction's registered reviewers). */
export function linkHolder(review: Pick<ReviewRecord, 'emailedTo'>): string {
  return review.emailedTo.length > 0 ? review.emailedTo.join(', ') : 'review-link (not yet emailed)';
}

export function decisionAudit(input: {
  review: ReviewRecord;
  credentials: DecisionCredentials;
  decision: DecisionKind;
  reason: string | undefined;
  weightedScore: number | undefined;
  /** The city's "also national" statement, where its province asks for one. */
  alsoNational?: boolean | undefined;
  /** The province's exception to "provincial first" (its reason is the decision's). */
  nationalException?: true | undefined;
  at: string;
  eventId: string;
}): AuditEvent {
  const { review, credentials } = input;
  const person =
    credentials.kind === 'reviewer'
      ? personActor(credentials.principal)
      : // A link holder did not sign in: the addresses are all the trail can name.
        { actor: linkHolder(review), role: 'reviewer' as const, jurisdiction: review.jurisdictionCode };
  return {
    applicationId: review.applicationId,
    eventId: input.eventId,
    at: input.at,
    action: DECISION_ACTIONS[input.decision],
    ...person,
    ...(input.reason !== undefined && { reason: input.reason }),
    detail: {
      reviewId: review.reviewId,
      stage: review.stage,
      round: review.round,
      ...(review.step && { step: review.step.kind, stepIndex: review.step.index }),
      decision: input.decision,
      via: credentials.kind === 'reviewer' ? 'sign-in' : 'emailed link',
      ...(input.weightedScore !== undefined && { weightedScore: input.weightedScore }),
      ...(input.alsoNational !== undefined && { alsoNational: input.alsoNational }),
      ...(input.nationalException && { nationalException: true, provincialRecognition: 'not recognised provincially' }),
    },
  };
}
