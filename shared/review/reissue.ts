/**
 * Reissued links: the sweeper's reminder, and a resend asked for by a reviewer. A fresh secret
 * beside the earlier ones (every link already sent keeps working), to the jurisdiction's
 * registered addresses only.
 */
import { actorNameOf } from '../intake/audit.ts';
import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Caller } from '../platform/auth/principal.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { REMINDER_RULES } from '../rules/reminders.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import { assertDecidable, closedBecause } from './access.ts';
import { actorOf, type DeskActor, type DeskDeps } from './deps.ts';
import { ResendTooSoonError } from './errors.ts';
import { encodeLinkHash, hashLinkSecret } from './links.ts';
import { reviewReminderEmail, reviewRequestEmail } from './mail.ts';
import { recipients, reviewMailInput } from './recipients.ts';

/** Why a link is reissued: the sweeper's reminder, or a resend asked for through the API. */
export interface ReissueOptions {
  reason: 'reminder' | 'resend';
  actor: DeskActor;
  /** What the email is for (its Message-ID over SMTP); default: this reissue's audit event. */
  purpose?: string;
}

export interface ReissuedLink {
  reviewId: string;
  /** How many addresses it went to (never the addresses: they stay out of answers and logs). */
  sentTo: number;
  messageId: string;
}

type ReissueDeps = Pick<
  DeskDeps,
  'reviews' | 'mailer' | 'campaigns' | 'clock' | 'newId' | 'newSecret' | 'linkKeys' | 'links' | 'publicBaseUrl'
>;

/**
 * POST /v1/reviews/{reviewId}/resend (and the inbox page's button): a fresh link to the
 * jurisdiction's registered reviewer addresses (never to an address in the request), at most
 * once per cooldown, asked for by a reviewer of that jurisdiction. 404 unknown review, 403 another
 * jurisdiction's, 409 not pending, 410 past the deadline, 429 resent a moment ago.
 */
export async function resendLink(
  deps: ReissueDeps,
  reviewId: string,
  caller: Caller,
): Promise<{ reviewId: string; sentTo: number }> {
  const review = await deps.reviews.getReview(reviewId);
  if (!review) throw new NotFoundError(`No review ${reviewId}`);
  // A review's jurisdiction never changes, so this check holds for the reissue's own reads.
  assertAllowed(may.review(caller.principal, review.jurisdictionCode), 'review', caller.principal);
  const { sentTo } = await reissueLink(deps, reviewId, { reason: 'resend', actor: actorOf(caller) });
  return { reviewId, sentTo };
}

/**
 * Mints a new secret for a PENDING review, adds its hash beside the earlier ones (every link
 * already sent keeps working; the oldest reissued ones drop out past the cap), writes the
 * LINK_REISSUED audit event in the same transaction, then emails the link to the review's
 * jurisdiction: the reminder text for the sweeper, the review request again for a resend.
 * The hash is stored before the email goes out, so no emailed link is ever unknown.
 */
export async function reissueLink(deps: ReissueDeps, reviewId: string, options: ReissueOptions): Promise<ReissuedLink> {
  const keep = deps.links?.keep ?? REMINDER_RULES.maxReissuedLinks;
  const cooldownMs = (deps.links?.resendCooldownMinutes ?? REMINDER_RULES.resendCooldownMinutes) * 60_000;
  for (let attempt = 0; attempt < 5; attempt++) {
    const review = await deps.reviews.getReview(reviewId);
    if (!review) throw new NotFoundError(`No review ${reviewId}`);
    assertReissuable(deps, review, options.reason === 'resend' ? cooldownMs : undefined);
    const now = deps.clock();
    const at = now.toISOString();
    // Nobody registered: NoReviewerRegisteredError (409 to a resend; the sweeper tries again next run).
    const to = await recipients(deps, review.jurisdictionCode, reviewId);
    const secret = deps.newSecret();
    const eventId = deps.newId();
    const stored = await deps.reviews.addLinkSecret(review, {
      secretHash: encodeLinkHash(await hashLinkSecret(secret, deps.linkKeys)),
      keep,
      audit: {
        applicationId: review.applicationId,
        eventId,
        at,
        action: 'LINK_REISSUED',
        actor: options.actor.id,
        ...actorNameOf(options.actor.name),
        role: options.actor.role,
        jurisdiction: options.actor.jurisdiction ?? review.jurisdictionCode,
        requestId: options.actor.requestId,
        detail: { reviewId, reason: options.reason, stage: review.stage, round: review.round, recipients: to.length },
      },
      ...(options.reason === 'resend' && {
        resend: { at, notSince: new Date(now.getTime() - cooldownMs).toISOString() },
      }),
    });
    if (!stored.added) {
      if (!stored.current) throw new NotFoundError(`No review ${reviewId}`);
      assertReissuable(deps, stored.current, options.reason === 'resend' ? cooldownMs : undefined);
      continue; // another link was reissued meanwhile: read again
    }
    const content = await reviewMailInput(deps, review, secret);
    const { messageId } = await deps.mailer.send({
      to,
      purpose: options.purpose ?? `review-link-${options.reason}/${reviewId}/${eventId}`,
      ...(options.reason === 'reminder' ? reviewReminderEmail({ ...content, now: at }) : reviewRequestEmail(content)),
    });
    return { reviewId, sentTo: to.length, messageId };
  }
  throw new ConflictError('CONCURRENT_CHANGE', `review ${reviewId} kept changing while its link was reissued`);
}

/** A link is reissued only while the review waits for a decision, and resent once per cooldown. */
function assertReissuable(
  deps: Pick<DeskDeps, 'clock'>,
  review: ReviewRecord,
  resendCooldownMs: number | undefined,
): void {
  if (review.status !== 'PENDING') {
    throw new ConflictError('REVIEW_NOT_PENDING', `The review is ${review.status}, not waiting for a decision`, [
      {
        field: 'status',
        code: 'REVIEW_NOT_PENDING',
        message: `该审核不在待审状态（${review.status}） / the review is not pending (${review.status})`,
        status: review.status,
      },
    ]);
  }
  if (closedBecause(deps, review) === 'deadline') assertDecidable(deps, review);
  if (resendCooldownMs === undefined || !review.lastLinkSentAt) return;
  const waitMs = Date.parse(review.lastLinkSentAt) + resendCooldownMs - deps.clock().getTime();
  if (waitMs > 0) throw new ResendTooSoonError(Math.ceil(waitMs / 1000));
}
