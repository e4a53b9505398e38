/**
 * The formal-letter gate. A `formal-letter` step (shared/rules/steps.ts) is a review whose
 * approval needs a VALID letter of its level (正式推荐文件, or 正式复核意见文件 on the re-review):
 * decide.ts refuses an approval without one. Filing the letter is the level's act, so the step
 * flows by itself: when such a review opens and the letter is already VALID, or when the letter
 * becomes VALID later, each review of that level waiting at a formal-letter step is approved
 * through the normal decision path (decideReview: one conditional write, then SendTaskSuccess,
 * the quota where the step is the level's forwarding), decided by the letter's uploader.
 *
 * Exactly once per review: decideReview's write is conditional, so of the opening and the
 * validator racing (or a replayed S3 event) one decides and the others find it decided. The
 * audit event has an id derived from the review id, so writing it again changes nothing.
 *
 * Over a full quota the approval is refused and the review waits at the letter step, though the
 * request email said the letter completes it: the level's reviewers are emailed that it waits, and
 * why (the refusal's words), once per review. A QUOTA_FULL_TOLD event, its id derived from the
 * review id, records it after the email went out: the gate runs again with every new VALID letter
 * and every replay, and finds it told. Only a crash between the email and its record, or two
 * letters checked at the same moment, sends it twice (a duplicate beats a notice lost); its
 * Message-ID is derived from the same purpose, so a mail server can tell the copies apart.
 */
import { actorNameOf } from '../../intake/audit.ts';
import { DomainError } from '../../platform/errors.ts';
import { nameBasedUuid } from '../../platform/name-based-id.ts';
import type { Records } from '../../ports/core.ts';
import type { LevelDocumentRef, LevelDocuments } from '../../ports/steps.ts';
import type { AuditEvent } from '../../schemas/records.ts';
import type { ReviewRecord } from '../../schemas/reviews.ts';
import { decideReview } from '../decide.ts';
import type { DeskDeps } from '../deps.ts';
import { NoReviewerRegisteredError } from '../errors.ts';
import { quotaFullEmail } from '../mail.ts';
import { recipients, reviewMailInput } from '../recipients.ts';
import type { Level } from './filing.ts';
import { letterKindFor } from './records.ts';

export type GateDeps = Pick<
  DeskDeps,
  'reviews' | 'campaigns' | 'quotas' | 'tasks' | 'linkKeys' | 'clock' | 'panels' | 'newId' | 'mailer' | 'publicBaseUrl'
> & {
  records: Pick<Records, 'getApplication' | 'listEvidence' | 'saveApplication' | 'appendAudit' | 'listAudit'>;
  levelDocuments: LevelDocuments;
};

export type GateOutcome =
  | { reviewId: string; outcome: 'completed' | 'already-decided' | 'closed' }
  | { reviewId: string; outcome: 'refused'; code: string; message: string };

/** Whether a review waits at a formal-letter step. */
export const waitsForLetter = (review: ReviewRecord): boolean =>
  review.status === 'PENDING' && review.step?.kind === 'formal-letter';

/** The level's letters for the review's track, oldest first: the first one filed completes the step. */
export const lettersOf = (deps: Pick<GateDeps, 'levelDocuments'>, level: Level): Promise<LevelDocumentRef[]> =>
  deps.levelDocuments.valid(level.campaignId, level.track, level.jurisdictionCode, letterKindFor(level.track));

function auditOf(review: ReviewRecord, letter: LevelDocumentRef, at: string): AuditEvent {
  return {
    applicationId: review.applicationId,
    eventId: nameBasedUuid(`formal-letter-gate:${review.reviewId}`),
    at,
    action: 'FORMAL_LETTER_ACCEPTED',
    actor: letter.uploadedBy,
    ...actorNameOf(letter.uploadedByName),
    role: 'reviewer',
    jurisdiction: review.jurisdictionCode,
    reason: `${letter.kind} ${letter.fileName} (${letter.documentId})`,
    detail: {
      reviewId: review.reviewId,
      stage: review.stage,
      ...(review.step && { step: review.step }),
      documentId: letter.documentId,
      sha256: letter.sha256,
      decision: 'approve',
    },
  };
}

/** Approves one waiting review with the letter, through the normal decision path; the audit once. */
async function completeWithLetter(
  deps: GateDeps,
  review: ReviewRecord,
  letter: LevelDocumentRef,
): Promise<GateOutcome> {
  const decidedBy = letter.uploadedBy;
  const principal = {
    sub: decidedBy,
    role: 'reviewer' as const,
    jurisdiction: review.jurisdictionCode,
    // The approval's event names the uploader as the letter's own event does.
    ...(letter.uploadedByName !== undefined && { name: letter.uploadedByName }),
  };
  try {
    await decideReview(deps, review.reviewId, { kind: 'reviewer', principal }, { decision: 'approve' }, { decidedBy });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const now = await deps.reviews.getReview(review.reviewId);
    if (now?.status === 'DECIDED') {
      // Decided by this gate before (a replay, or the other path won the race): the audit once more is a no-op.
      if (now.decision === 'approve' && now.decidedBy === decidedBy) {
        await deps.records.appendAudit(auditOf(now, letter, now.decidedAt ?? deps.clock().toISOString()));
      }
      return { reviewId: review.reviewId, outcome: 'already-decided' };
    }
    if (now?.status !== 'PENDING') return { reviewId: review.reviewId, outcome: 'closed' };
    // Still pending: the step's other conditions refused it (a quota full, a deadline passed).
    if (error.code === QUOTA_EXCEEDED) await tellQuotaFull(deps, now, error.details?.[0]?.message ?? error.message);
    return { reviewId: review.reviewId, outcome: 'refused', code: error.code, message: error.message };
  }
  const decided = await deps.reviews.getReview(review.reviewId);
  await deps.records.appendAudit(auditOf(review, letter, decided?.decidedAt ?? deps.clock().toISOString()));
  return { reviewId: review.reviewId, outcome: 'completed' };
}

const QUOTA_EXCEEDED = 'QUOTA_EXCEEDED';

/**
 * Emails the level's reviewers that the review waits over a full quota, unless they were told
 * already (its QUOTA_FULL_TOLD event). With nobody registered nothing is sent nor recorded (the
 * gap is noted, as for a review link): the next letter or replay tells whoever is registered then.
 */
async function tellQuotaFull(deps: GateDeps, review: ReviewRecord, refusal: string): Promise<void> {
  const eventId = nameBasedUuid(`quota-full-told:${review.reviewId}`);
  const trail = await deps.records.listAudit(review.applicationId);
  if (trail.some((event) => event.eventId === eventId)) return;
  let to: string[];
  try {
    to = await recipients(deps, review.jurisdictionCode, review.reviewId);
  } catch (error) {
    if (error instanceof NoReviewerRegisteredError) return;
    throw error;
  }
  const { link: _link, levelDocuments: _documents, ...facts } = await reviewMailInput(deps, review, '');
  const { messageId } = await deps.mailer.send({
    to,
    purpose: `quota-full/${review.reviewId}`,
    ...quotaFullEmail({ ...facts, refusal, inboxUrl: `${deps.publicBaseUrl.replace(/\/+$/, '')}/console/inbox` }),
  });
  await deps.records.appendAudit({
    applicationId: review.applicationId,
    eventId,
    at: deps.clock().toISOString(),
    action: 'QUOTA_FULL_TOLD',
    actor: 'formal-letter-gate',
    role: 'validator',
    jurisdiction: review.jurisdictionCode,
    reason: refusal,
    detail: {
      reviewId: review.reviewId,
      stage: review.stage,
      ...(review.step && { step: review.step }),
      recipients: to.length,
      messageId,
    },
  });
}

/**
 * A review just opened (the workflow's RequestReview): completed at once when it waits at a
 * formal-letter step and its level's letter is already VALID. Undefined when nothing applies.
 */
export async function completeIfLetterFiled(deps: GateDeps, reviewId: string): Promise<GateOutcome | undefined> {
  const review = await deps.reviews.getReview(reviewId);
  if (!review || !waitsForLetter(review)) return undefined;
  const [letter] = await lettersOf(deps, review);
  return letter ? completeWithLetter(deps, review, letter) : undefined;
}

/**
 * A letter of this level became VALID (the validator): every review of the level, campaign and
 * track waiting at a formal-letter step is completed with the first letter filed. Each review is
 * tried even when another fails; the first unexpected error is thrown after, so the S3 event is
 * retried (and the reviews already completed are found decided).
 */
export async function completeWaitingLetterSteps(deps: GateDeps, level: Level): Promise<GateOutcome[]> {
  const [letter] = await lettersOf(deps, level);
  if (!letter) return [];
  const pending = await deps.reviews.listPending(level.jurisdictionCode);
  const waiting = pending.filter(
    (review) => waitsForLetter(review) && review.campaignId === level.campaignId && review.track === level.track,
  );
  const outcomes: GateOutcome[] = [];
  let failure: Error | undefined;
  for (const review of waiting) {
    try {
      outcomes.push(await completeWithLetter(deps, review, letter));
    } catch (error) {
      failure ??= error instanceof Error ? error : new Error(String(error));
    }
  }
  if (failure !== undefined) throw failure;
  return outcomes;
}
