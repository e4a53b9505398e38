/**
 * Who opens a review, and whether it takes a decision now: an emailed link opens only the review
 * whose hashes it matches; a signed-in reviewer opens the reviews of their jurisdiction's stage.
 * A review takes a decision while it is pending and before its stage's deadline.
 */
import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { NotFoundError } from '../platform/errors.ts';
import { beijingTime } from '../platform/time.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import type { DeskDeps } from './deps.ts';
import { alreadyDecided, ReviewGoneError, ReviewLinkForbiddenError } from './errors.ts';
import { linkSecretMatches, storedLinkHashes } from './links.ts';
import type { ReviewPage } from './views.ts';

/**
 * Who opens or decides a review: the holder of an emailed link (the link is a capability for its
 * one review), or a signed-in reviewer of the jurisdiction whose stage it is.
 */
export type DecisionCredentials =
  { kind: 'link'; secret: string | undefined } | { kind: 'reviewer'; principal: Principal };

/**
 * The review, if the credentials open it. A link opens only the review whose hashes it matches,
 * and answers 403 for a review that does not exist too (a guessed id learns nothing). A
 * signed-in reviewer gets 404 for an unknown review and 403 where the stage is not theirs.
 */
export async function authorize(
  deps: Pick<DeskDeps, 'reviews' | 'linkKeys'>,
  reviewId: string,
  credentials: DecisionCredentials,
): Promise<ReviewRecord> {
  const review = await deps.reviews.getReview(reviewId);
  if (credentials.kind === 'reviewer') {
    if (!review) throw new NotFoundError(`No review ${reviewId}`);
    assertAllowed(may.decide(credentials.principal, review), 'decide', credentials.principal);
    return review;
  }
  if (!review || !(await linkSecretMatches(credentials.secret, storedLinkHashes(review), deps.linkKeys))) {
    throw new ReviewLinkForbiddenError();
  }
  return review;
}

/** Why the review takes no decision now, or undefined when it does. */
export function closedBecause(
  deps: Pick<DeskDeps, 'clock'>,
  review: ReviewRecord,
): Extract<ReviewPage, { state: 'gone' }>['why'] | 'decided' | undefined {
  switch (review.status) {
    case 'DECIDED':
      return 'decided';
    case 'EXPIRED':
      // Expired undecided by the closing when its stage timed out: the reviewer is told the
      // deadline passed (逾期不予受理), as before the expiry; a late decision kept for the record is 'expired'.
      return review.decision === undefined && pastDeadline(deps, review) ? 'deadline' : 'expired';
    case 'WITHDRAWN':
      return 'withdrawn';
    case 'CANCELLED':
      return 'cancelled';
    case 'PENDING':
      return pastDeadline(deps, review) ? 'deadline' : undefined;
  }
}

const pastDeadline = (deps: Pick<DeskDeps, 'clock'>, review: Pick<ReviewRecord, 'deadline'>) =>
  deps.clock().getTime() > Date.parse(review.deadline);

/** Throws why the review takes no decision now: 409 decided, 410 late, expired or closed. */
export function assertDecidable(deps: Pick<DeskDeps, 'clock'>, review: ReviewRecord): void {
  const why = closedBecause(deps, review);
  if (why === undefined) return;
  if (why === 'decided') throw alreadyDecided(review);
  if (why === 'deadline') {
    const when = beijingTime(review.deadline);
    throw new ReviewGoneError(
      'DEADLINE_PASSED',
      `逾期不予受理: the ${review.stage} deadline ${review.deadline} has passed`,
      [
        {
          field: 'deadline',
          code: 'DEADLINE_PASSED',
          message: `逾期不予受理：截止时间 ${when.zh} 已过 / the deadline (${when.en}) has passed`,
          deadline: review.deadline,
        },
      ],
    );
  }
  if (why === 'expired') {
    throw new ReviewGoneError('REVIEW_EXPIRED', 'This review is no longer waiting for a decision', [
      { code: 'REVIEW_EXPIRED', message: '该审核已失效 / this review is no longer waiting for a decision' },
    ]);
  }
  throw new ReviewGoneError('REVIEW_CLOSED', `The application was ${why}`, [
    {
      code: 'REVIEW_CLOSED',
      message:
        why === 'withdrawn'
          ? '申报已撤回 / the application was withdrawn'
          : '申报资格已取消 / the application was cancelled',
      ...(review.closedReason !== undefined && { reason: review.closedReason }),
    },
  ]);
}
