import type { DecisionKind, DecisionOutput } from '../ladder/contract.ts';
import type { AuditEvent } from '../schemas/records.ts';
import type { Records } from './core.ts';
import type { UploadSigner } from './intake.ts';
import type { ReviewerDirectoryEntry, ReviewRecord } from '../schemas/reviews.ts';

/** How a pending review can end before a decision: the application was withdrawn or cancelled. */
export type EndStatus = 'WITHDRAWN' | 'CANCELLED';

/*
 * What the review desk needs from the world: its items, Step Functions' task tokens, evidence
 * download links and the review-link key. Adapters in shared/adapters/ implement them.
 */

// ---- the desk's store and tasks --------------------------------------------------------------------------------

export interface DecisionToRecord {
  decision: DecisionKind;
  reason?: string;
  scores?: Record<string, number>;
  weightedScore?: number;
  /** A formal-check step's points. */
  checks?: Record<string, 'pass' | 'fail'>;
  /** A sampling step's answer. */
  sampling?: { sampled: boolean; note?: string };
  decidedBy: string;
  decidedAt: string;
  /** The city's "also national" statement: stored on the review and on the application. */
  alsoNational?: boolean;
  /** The province's exception to "provincial first": stored on the application (the reason is the decision's). */
  nationalException?: true;
  /** The event naming who decided, appended in the same write as the decision (never without it). */
  audit: AuditEvent;
}

/** The desk's items (shared/adapters/dynamo-reviews/). */
export interface ReviewStore {
  getReview(reviewId: string): Promise<ReviewRecord | undefined>;
  /** false when the review exists already. */
  createReview(review: ReviewRecord): Promise<boolean>;
  /** Replaces the review if it still has the status and task token read; false otherwise. */
  replaceReview(expected: Pick<ReviewRecord, 'status' | 'taskToken'>, next: ReviewRecord): Promise<boolean>;
  markEmailed(reviewId: string, at: string, to: string[]): Promise<void>;
  /**
   * Adds a reissued link's hash (keeping the `keep` most recent) with its audit event, if the
   * review is still as read and PENDING; with `resend`, only if no resend since `notSince`.
   */
  addLinkSecret(
    review: ReviewRecord,
    input: { secretHash: string; keep: number; audit: AuditEvent; resend?: { at: string; notSince: string } },
  ): Promise<{ added: true; review: ReviewRecord } | { added: false; current: ReviewRecord | undefined }>;
  /** Records the decision if the review is PENDING and undecided; the item after, with its token. */
  recordDecision(
    review: ReviewRecord,
    decision: DecisionToRecord,
  ): Promise<{ recorded: true; review: ReviewRecord } | { recorded: false; current: ReviewRecord | undefined }>;
  /** DECIDED → EXPIRED if the task token is still `usedToken`; false if a retried task re-armed it. */
  markTaskGone(reviewId: string, usedToken: string, at: string, reason: string, audit: AuditEvent): Promise<boolean>;
  /** PENDING → WITHDRAWN/CANCELLED; the item after (with its token), or undefined if not pending. */
  closeReview(reviewId: string, status: EndStatus, at: string, reason: string): Promise<ReviewRecord | undefined>;
  /**
   * PENDING → EXPIRED: the workflow closed the application while the review waited (its stage
   * timed out), so its task is gone. The item after, or undefined if it was not pending and
   * undecided (a decision that raced in first keeps it; a retried closing changes nothing).
   * It stays listed for its jurisdiction as lapsed (listLapsed), no longer as pending.
   */
  expireReview(
    review: Pick<ReviewRecord, 'reviewId' | 'jurisdictionCode' | 'deadline'>,
    at: string,
    reason: string,
  ): Promise<ReviewRecord | undefined>;
  listApplicationReviews(applicationId: string): Promise<ReviewRecord[]>;
  listPending(jurisdictionCode: string): Promise<ReviewRecord[]>;
  /** Reviews of the jurisdiction expired by a closing (expireReview) whose deadline is at or after `since`. */
  listLapsed(jurisdictionCode: string, since: string): Promise<ReviewRecord[]>;
  /** Decided reviews with a weighted score, of a province-stage jurisdiction. */
  listScored(jurisdictionCode: string, campaignId?: string): Promise<ReviewRecord[]>;
  reviewers(jurisdictionCode: string): Promise<string[] | undefined>;
  /** Registers (or replaces) a jurisdiction's reviewers; its gap, if one was noted, is closed. */
  putReviewers(entry: ReviewerDirectoryEntry): Promise<void>;
  /**
   * Notes that a review (or an escalation) found nobody registered for the jurisdiction: the gap
   * the ops console lists, and the ReviewersMissing metric the alarm watches.
   */
  noteMissingReviewers(jurisdictionCode: string, at: string, reviewId?: string): Promise<void>;
  /** What the workflow recorded on the application item, if anything. */
  workflowPointers(applicationId: string): Promise<WorkflowPointers>;
}

export interface WorkflowPointers {
  /** The execution carrying the application (set when it enters a stage). */
  executionArn?: string;
  /** While RETURNED: the task token the resubmission completes. */
  resubmissionToken?: string;
}

/** The task token's task (or the execution) is gone: timed out, stopped, or already answered. */
export class TaskGoneError extends Error {
  override readonly name = 'TaskGoneError';
}

/** Step Functions, as the desk uses it. */
export interface TaskControl {
  /** @throws TaskGoneError */
  succeed(taskToken: string, output: DecisionOutput): Promise<void>;
  /** @throws TaskGoneError */
  fail(taskToken: string, error: string, cause: string): Promise<void>;
  stop(executionArn: string, error: string, cause: string): Promise<void>;
  /**
   * Whether the task behind this token still waits (SendTaskHeartbeat answers); undefined when
   * that cannot be told. Optional: without it, every token counts as waiting.
   */
  waiting?(taskToken: string): Promise<boolean | undefined>;
}

/** Short-lived download links for evidence (presigned S3 GET). */
export interface EvidenceDownloads {
  /**
   * A link to exactly the bytes the validator checked: its `versionId` where the bucket keeps
   * versions, else the object only while its ETag is still `eTag`. Undefined when those bytes are
   * no longer there to give (never a link to other bytes).
   */
  downloadUrl(input: {
    key: string;
    fileName: string;
    contentType: string;
    expiresInSeconds: number;
    versionId?: string | undefined;
    eTag?: string | undefined;
  }): Promise<string | undefined>;
}

/** One version of the link key: HMAC-SHA256 key bytes and the version id recorded beside hashes. */
export interface LinkKey {
  versionId: string;
  key: Uint8Array;
}

/**
 * The review-link key by version (shared/adapters/link-keys.ts: AWS Secrets Manager, or a local
 * file): the current version mints, the version recorded beside a hash verifies it, after a
 * rotation too. Without it the desk stores plain SHA-256 hashes, as before keyed hashes.
 */
export interface LinkKeys {
  current(): Promise<LinkKey>;
  /** undefined when that version no longer exists: its links open nothing. */
  version(versionId: string): Promise<LinkKey | undefined>;
}

/** A link's stored hash: HMAC-SHA256 under `secretKeyVersion`, or plain SHA-256 when that is absent. */
export interface StoredLinkHash {
  secretHash: string;
  secretKeyVersion?: string;
}

/**
 * What the desk needs to take the city's own evidence from the review page (the reviews
 * function): the records the intake's evidence use cases read and write, and an upload signer.
 */
export interface OwnEvidencePorts {
  records: Pick<
    Records,
    | 'getApplication'
    | 'listEvidence'
    | 'createEvidence'
    | 'getEvidence'
    | 'renewUpload'
    | 'getIdempotencyMarker'
    | 'removeEvidence'
    | 'listAudit'
  >;
  uploads: UploadSigner;
}
