/**
 * Sending one reminder exactly once: claim it in the ledger (shared/adapters/dynamo-reminders.ts),
 * send, then mark it SENT with its audit event; thresholds that passed unsent are marked skipped.
 * What to send is ./reminders.ts's decision; whom and what the mail says, the sweeper's
 * (./sweeper.ts). Every outcome is counted in the sweep's summary.
 */
import type { AuditEvent } from '../schemas/records.ts';
import { DomainError } from '../platform/errors.ts';
import type { ReminderLedger, SweepLog } from '../ports/operations.ts';
import type { ReminderKey, ReminderPlan } from './reminders.ts';
import type { SweepSummary } from './sweep-summary.ts';

/** Who the audit trail names for the sweeper's reminders and reissued links. */
export const SWEEPER_ACTOR = 'sweeper';

export type Outcome = 'sent' | 'taken' | 'refused' | 'failed';

export interface DeliveryDeps {
  ledger: ReminderLedger;
  log?: SweepLog;
  newId: () => string;
}

/** One sweep's sending: its "now", its request id, the summary it counts into. */
export class ReminderDelivery {
  private readonly at: string;

  constructor(
    private readonly deps: DeliveryDeps,
    private readonly now: Date,
    private readonly requestId: string,
    private readonly summary: SweepSummary,
  ) {
    this.at = now.toISOString();
  }

  private get log(): SweepLog | undefined {
    return this.deps.log;
  }

  /** Marks the thresholds that passed unsent; each newly marked one counts as skipped. */
  async skip(plan: ReminderPlan): Promise<void> {
    for (const key of plan.skip) {
      if (await this.deps.ledger.skip(key, this.at)) {
        this.summary.skipped += 1;
        this.log?.info('reminder threshold passed unsent: skipped', { ...key });
      }
    }
  }

  /**
   * Claim → send → SENT (with the REMINDER_SENT audit event). Someone else's claim: skipped. A
   * send that throws releases the claim: a refusal (the review was decided meanwhile, the
   * deadline passed) is a skip, anything else a failure the next sweep retries.
   */
  async deliver(
    key: ReminderKey,
    jurisdiction: string,
    send: () => Promise<{ messageId: string; recipients: number }>,
  ): Promise<Outcome> {
    const claim = await this.deps.ledger.claim(key, this.now);
    if (!claim) {
      this.summary.skipped += 1;
      return 'taken';
    }
    if (claim.takenOver) this.log?.warn('reminder claim taken over from a sweep that stopped', { ...key });
    let sent: { messageId: string; recipients: number };
    try {
      sent = await send();
    } catch (error) {
      await this.deps.ledger
        .release(claim)
        .catch((failure: unknown) =>
          this.log?.error('releasing a reminder claim failed', { ...key, error: describe(failure) }),
        );
      if (error instanceof DomainError) {
        this.summary.skipped += 1;
        this.log?.info('reminder not sent', { ...key, code: error.code });
        return 'refused';
      }
      this.summary.failed += 1;
      this.log?.error('sending a reminder failed; the next sweep retries', { ...key, error: describe(error) });
      return 'failed';
    }
    const audit: AuditEvent = {
      applicationId: key.applicationId,
      eventId: this.deps.newId(),
      at: this.at,
      action: 'REMINDER_SENT',
      actor: SWEEPER_ACTOR,
      role: 'scheduler',
      jurisdiction,
      requestId: this.requestId,
      detail: {
        kind: key.kind,
        subject: key.subject,
        threshold: key.threshold,
        messageId: sent.messageId,
        recipients: sent.recipients,
      },
    };
    try {
      const marked = await this.deps.ledger.markSent(claim, { at: this.at, ...sent }, audit);
      if (!marked) this.log?.warn('reminder sent, but its claim was taken over meanwhile', { ...key });
    } catch (error) {
      // Sent but not recorded: the claim stays CLAIMED and may be taken over (at least once).
      this.log?.error('reminder sent but not recorded', { ...key, error: describe(error) });
    }
    this.log?.info('reminder sent', { ...key, recipients: sent.recipients });
    return 'sent';
  }
}

/** An error for the logs: its name and message (SDK messages carry no personal data). */
export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
