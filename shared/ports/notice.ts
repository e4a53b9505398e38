import type { ApplicationRecord, AuditEvent } from '../schemas/records.ts';
import type { ObjectionRecord } from '../schemas/reviews.ts';

/*
 * What the public notice (公示) needs from the world: the applications in notice, and the
 * objections to them with their triage. shared/adapters/dynamo-notice-board.ts and
 * shared/adapters/dynamo-reviews/objections.ts implement them.
 */

/** The applications whose status is PUBLIC_NOTICE, of the given campaigns. */
export interface NoticeBoard {
  inNotice(campaignIds: readonly string[]): Promise<ApplicationRecord[]>;
}

export interface ObjectionStore {
  /**
   * Stores the objection (and its receipt) with its audit event if the application is in
   * PUBLIC_NOTICE and its notice has not ended at `filedAt`. false when it is not (nothing written).
   */
  fileObjection(objection: ObjectionRecord, event: AuditEvent): Promise<boolean>;
  listObjections(applicationId: string): Promise<ObjectionRecord[]>;
  /** By its receipt number (the objection id). */
  findObjection(objectionId: string): Promise<ObjectionRecord | undefined>;
  /** Every objection not yet triaged, oldest first (they are few: a notice's objections). */
  listUntriaged(): Promise<ObjectionRecord[]>;
  /**
   * Records the triage if the objection is still untriaged and, for an upheld one, the application
   * is still in PUBLIC_NOTICE; with its audit event, in one transaction. The item after, or false
   * with what is stored now.
   */
  triage(
    objection: ObjectionRecord,
    triaged: ObjectionRecord,
    event: AuditEvent,
  ): Promise<{ triaged: true } | { triaged: false; current: ObjectionRecord | undefined }>;
}
