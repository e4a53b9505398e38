/**
 * The city's own evidence from the review page (its on-site check statement, 现场核查符合性说明):
 * the review's link, or a signed-in reviewer of the stage, asks for upload links, lists the
 * application's evidence and removes the city's files — through the intake's own use cases, so
 * the rules are the same as on POST /v1/applications/{id}/evidence: only items the checklist
 * marks `uploadedBy: "city"`, only while the application is CITY_REVIEW, only the city's reviewers.
 *
 * A link is a capability for one review: here it stands for the reviewers of that review's
 * jurisdiction (the audit trail names the link, `review-link:<reviewId>`), and only while the
 * review still waits for its decision.
 */
import type { Caller, Principal } from '../platform/auth/principal.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import { listEvidence, requestEvidenceUpload } from '../intake/evidence.ts';
import { removeEvidence } from '../intake/evidence-removal.ts';
import type { RequestOptions } from '../intake/idempotency.ts';
import { assertDecidable, authorize, type DecisionCredentials } from './access.ts';
import type { DeskDeps } from './deps.ts';

type OwnEvidenceDeps = Pick<DeskDeps, 'reviews' | 'linkKeys' | 'clock' | 'campaigns' | 'newId' | 'ownEvidence'>;

/** Who the link holder acts as: the reviewers of the review's jurisdiction. */
export const linkPrincipal = (review: Pick<ReviewRecord, 'reviewId' | 'jurisdictionCode'>): Principal => ({
  sub: `review-link:${review.reviewId}`,
  role: 'reviewer',
  jurisdiction: review.jurisdictionCode,
});

/** The review (its link checked, still waiting for a decision), the caller it stands for, and the intake's deps. */
async function opened(deps: OwnEvidenceDeps, reviewId: string, credentials: DecisionCredentials, requestId: string) {
  const review = await authorize(deps, reviewId, credentials);
  assertDecidable(deps, review);
  if (!deps.ownEvidence) throw new Error('The review desk was wired without evidence uploads');
  const principal = credentials.kind === 'reviewer' ? credentials.principal : linkPrincipal(review);
  const caller: Caller = { principal, requestId };
  const intake = {
    records: deps.ownEvidence.records,
    uploads: deps.ownEvidence.uploads,
    campaigns: deps.campaigns,
    clock: deps.clock,
    newId: deps.newId,
  };
  return { review, caller, intake };
}

/** POST /v1/reviews/{reviewId}/evidence: an upload link for one of the city's items. */
export async function requestOwnEvidenceUpload(
  deps: OwnEvidenceDeps,
  reviewId: string,
  credentials: DecisionCredentials,
  body: unknown,
  requestId: string,
  options: RequestOptions = {},
) {
  const { review, caller, intake } = await opened(deps, reviewId, credentials, requestId);
  return requestEvidenceUpload(intake, review.applicationId, body, caller, options);
}

/** GET /v1/reviews/{reviewId}/evidence: the application's evidence (the page's script follows its verdicts). */
export async function listOwnEvidence(
  deps: OwnEvidenceDeps,
  reviewId: string,
  credentials: DecisionCredentials,
  requestId: string,
) {
  const { review, caller, intake } = await opened(deps, reviewId, credentials, requestId);
  return listEvidence(intake, review.applicationId, caller.principal);
}

/** DELETE /v1/reviews/{reviewId}/evidence/{evidenceId}: removes one of the city's files. */
export async function removeOwnEvidence(
  deps: OwnEvidenceDeps,
  reviewId: string,
  credentials: DecisionCredentials,
  evidenceId: string,
  requestId: string,
) {
  const { review, caller, intake } = await opened(deps, reviewId, credentials, requestId);
  return removeEvidence(intake, review.applicationId, evidenceId, caller);
}
