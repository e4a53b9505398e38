import type { ReminderKey } from '../operations/reminders.ts';
import type { ApplicationRecord, AuditEvent } from '../schemas/records.ts';

/* What the sweeper needs: the byDeadline index and the reminders' ledger (shared/adapters/dynamo-reminders.ts). */

// ---- ports --------------------------------------------------------------------------------

/** byDeadline, as the sweeper reads it. */
export interface DeadlineIndex {
  /** Open (and OVERDUE) applications of a campaign whose current deadline is before `until`. */
  dueBefore(campaignId: string, until: Date): Promise<ApplicationRecord[]>;
  /** Recognised applications still valid after `at`. */
  validAfter(at: Date): Promise<ApplicationRecord[]>;
}

export interface ReminderClaim {
  key: ReminderKey;
  claimId: string;
  claimedAt: string;
  /** Taken over from a sweep that crashed while holding it. */
  takenOver: boolean;
}

export interface SentReminder {
  at: string;
  messageId: string;
  recipients: number;
}

/** One marker per reminder: claimed once, then sent, released or skipped. */
export interface ReminderLedger {
  /** The claim, or undefined when the reminder is sent, skipped or being sent by another sweep. */
  claim(key: ReminderKey, now: Date): Promise<ReminderClaim | undefined>;
  /** SENT, with the audit event; false when the claim was taken over meanwhile. */
  markSent(claim: ReminderClaim, sent: SentReminder, audit: AuditEvent): Promise<boolean>;
  /** Gives the claim up (the send failed): the next sweep tries again. */
  release(claim: ReminderClaim): Promise<void>;
  /** Records a threshold that passed unsent, so it never goes later; false if it had a marker. */
  skip(key: ReminderKey, at: string): Promise<boolean>;
}

