import type { ApplicationStatus } from '../schemas/common.ts';
import type { ApplicationRecord, AuditEvent, EvidenceRecord } from '../schemas/records.ts';

/**
 * The ports the domain talks through. The DynamoDB and S3 adapters implement them in AWS and in
 * `npm start`; unit tests pass fakes or aws-sdk-client-mock. This file holds those more than one
 * stage uses (the records, the clock, email); a stage's own ports are in its file beside this one
 * (intake.ts, validation.ts, ladder.ts, review.ts, quotas.ts, operations.ts).
 */

/** The requests an `Idempotency-Key` makes safe to retry (the route each stands for). */
export type IdempotentRoute = 'CREATE' | 'EVIDENCE';

/** Whose key, for which route: two people, or two routes, never share a key. */
export interface IdempotencyScope {
  sub: string;
  route: IdempotentRoute;
  key: string;
}

/** What the first request with a key left behind: what it created, and a hash of what it asked. */
export interface IdempotencyMarker extends IdempotencyScope {
  /** SHA-256 (hex) of the canonical request: route, path id, body with sorted keys. */
  requestHash: string;
  applicationId: string;
  /** The evidence item an EVIDENCE request created. */
  evidenceId?: string;
  createdAt: string;
  /** For information: the table has no TTL, so nothing removes the marker then. */
  expiresAt: string;
}

/**
 * Most evidence items an application may create, in all and per checklist item: counted in the
 * same transaction as each item (ConflictError EVIDENCE_LIMIT_REACHED beyond them), so racing
 * requests cannot pass them.
 */
export interface EvidenceRequestLimits {
  perApplication: number;
  perItem: number;
}

export interface Records {
  /**
   * Creates the application, its audit event and a guard against the same cluster filed twice;
   * with `idempotency`, the marker too, in the same transaction and only if the key is unused
   * (ConflictError IDEMPOTENCY_KEY_IN_USE when it is).
   */
  createApplication(application: ApplicationRecord, audit: AuditEvent, idempotency?: IdempotencyMarker): Promise<void>;
  getApplication(applicationId: string): Promise<ApplicationRecord | undefined>;
  /**
   * Replaces `before` (the record as read) with `application` if nobody changed it since (same
   * revision and status), appending the audit event and moving the campaign's tallies in the
   * same transaction. ConflictError CONCURRENT_CHANGE when someone did.
   */
  saveApplication(application: ApplicationRecord, before: ApplicationRecord, audit: AuditEvent): Promise<void>;

  /**
   * Stores a new evidence item while the application is still in one of `editableStatuses`; with
   * `idempotency`, the marker too, as createApplication does; with `limits`, only while the
   * application's evidence counter is below them.
   */
  createEvidence(
    evidence: EvidenceRecord,
    editableStatuses: readonly ApplicationStatus[],
    audit: AuditEvent,
    idempotency?: IdempotencyMarker,
    limits?: EvidenceRequestLimits,
  ): Promise<void>;
  /**
   * The marker a request with this key left (a strongly consistent read). Optional: a store that
   * is never handed an `Idempotency-Key` (the workflow's fakes) need not implement it.
   */
  getIdempotencyMarker?(scope: IdempotencyScope): Promise<IdempotencyMarker | undefined>;
  /**
   * Moves a PENDING item's link expiry to `uploadExpiresAt` (a fresh link was issued for it) and
   * its filing deadline to `uploadDeadline`; the item as stored then, or undefined when it is no
   * longer PENDING (an upload was recorded).
   */
  renewUpload?(
    evidence: EvidenceRecord,
    uploadExpiresAt: string,
    uploadDeadline: string,
  ): Promise<EvidenceRecord | undefined>;
  getEvidence(applicationId: string, evidenceId: string): Promise<EvidenceRecord | undefined>;
  /**
   * Deletes the item exactly as read (same status, same validated upload) while the application
   * is still in one of `editableStatuses`, with its audit event, in one transaction; releases the
   * item's claim on its content hash. ConflictError CONCURRENT_CHANGE when the item or the
   * application changed. Optional: only the evidence function and the review desk remove items.
   * The object stays in the bucket (versioned; lifecycle rules expire it, and a late upload to
   * its key is quarantined by the validator: no item names it any more).
   */
  removeEvidence?(
    evidence: EvidenceRecord,
    editableStatuses: readonly ApplicationStatus[],
    audit: AuditEvent,
  ): Promise<void>;
  listEvidence(applicationId: string): Promise<EvidenceRecord[]>;
  /**
   * Records a validation outcome unless one was already recorded for the item (an item takes
   * exactly one object: the first outcome stands). Returns false when it changed nothing.
   */
  recordValidation(evidence: EvidenceRecord, audit: AuditEvent): Promise<boolean>;
  /** The first evidence item of this application that had these bytes (claims it if none). */
  claimContentHash(applicationId: string, sha256: string, evidenceId: string): Promise<string>;

  listAudit(applicationId: string): Promise<AuditEvent[]>;
  /** Appends an event that changes nothing else (a redrive, a reminder); a repeated event id is a no-op. */
  appendAudit(event: AuditEvent): Promise<void>;
}

export type Clock = () => Date;

/** One email; every email the pipeline sends is bilingual (Chinese first, then English). */
export interface Email {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  /**
   * What the email is for, the same for every attempt at sending the same email (e.g.
   * `review-link/<reviewId>/<attempt>`): a mailer that sets its own Message-ID derives it from
   * this, so a copy sent again after a lost answer is recognisable as the same message.
   */
  purpose?: string;
}

/** Sends email (SES in AWS and locally, SMTP where SES is not offered). */
export interface Mailer {
  send(email: Email): Promise<{ messageId: string }>;
}

/**
 * The names of the errors a mailer throws when it gives up (the Lambda error type the review
 * ladder sees): `refused` when retrying cannot help (the login or the address was refused, TLS
 * could not be had), so the ladder fails the step at once and an operator redrives it after the
 * fix; `unavailable` when the server could not be reached or answered "try later" after the
 * mailer's own retries, so the ladder's retries continue.
 */
export const MAIL_ERRORS = {
  refused: 'Mail.Refused',
  unavailable: 'Mail.Unavailable',
} as const;
