import type { PanelResults } from './steps.ts';
import type { ReminderKey } from '../operations/reminders.ts';
import type { Campaign } from '../rules/campaign.ts';
import type { FailedExecution } from '../schemas/ops.ts';
import type { ApplicationRecord, AuditEvent } from '../schemas/records.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import type { Tally, TallyKind } from '../schemas/tallies.ts';
import type { QuotaScope, QuotaUse } from './quotas.ts';

/*
 * What operations read and write through: the sweeper's byDeadline index, reminders' ledger and
 * log (shared/adapters/dynamo-reminders.ts); the operators' desk's reads and the ladder's
 * executions (shared/adapters/dynamo-ops.ts, sfn-executions.ts); the summary tables' reads.
 */

// ---- the sweeper --------------------------------------------------------------------------

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

/** Structured log lines; attributes are ids and counts only. */
export interface SweepLog {
  debug?(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

// ---- the operators' desk ------------------------------------------------------------------

export interface OpsReads {
  tallies(campaignId: string, kind: TallyKind, within?: readonly string[]): Promise<Tally[]>;
  late(campaignId: string, now: Date, limit: number): Promise<ApplicationRecord[]>;
  /** How many slots are used, keyed `<track>#<scope>#<code>`; counters nobody reserved in are absent. */
  quotaCounters(
    campaignId: string,
    counters: readonly { track: string; scope: QuotaScope; code: string }[],
  ): Promise<Map<string, { used: number; limit: number }>>;
  applications(applicationIds: readonly string[]): Promise<ApplicationRecord[]>;
  /** A provincial-rank jurisdiction's applications in a campaign (byJurisdiction). */
  applicationsOf(provincialCode: string, campaignId: string): Promise<ApplicationRecord[]>;
  /** Counter and slot holders of one jurisdiction's quotas (provincial, and a capped city's). */
  quotaUsage(campaignId: string, track: string, jurisdictionCode: string): Promise<QuotaUse[]>;
}

/** A closed execution that did not succeed, as the console lists it. */
export interface ClosedExecutionView {
  executionName: string;
  executionArn: string;
  status: FailedExecution['status'];
  startDate: Date;
  stopDate?: Date;
  error?: string;
  cause?: string;
  redriveCount: number;
  redrivable: boolean;
}

export interface ExecutionsAdmin {
  failures(limit: number): Promise<ClosedExecutionView[]>;
  redrive(executionName: string, clientToken?: string): Promise<{ executionArn: string; redriveDate: Date }>;
}

// ---- summary tables -----------------------------------------------------------------------

/** What the summary-table use case reads; the Dynamo adapters implement these. */
export interface SummaryReads {
  /** @throws NotFoundError for an unknown campaign */
  campaigns: { get(campaignId: string): Promise<Campaign> };
  /** DynamoListings (shared/adapters/dynamo-listings.ts). */
  listings: { applicationsOf(provincialCode: string, campaignId: string): Promise<ApplicationRecord[]> };
  /** DynamoReviews: a province's decided reviews with a weighted score. */
  reviews: { listScored(jurisdictionCode: string, campaignId?: string): Promise<ReviewRecord[]> };
  /** DynamoTallies: the campaign's running counts. */
  tallies: { list(campaignId: string, kind: TallyKind): Promise<Tally[]> };
  /** DynamoPanels: the expert panels' results (each expert's total and the aggregate), where a step ran one. */
  panels?: PanelResults;
  clock: () => Date;
}
