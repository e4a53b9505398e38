/**
 * The scheduled sweeper (functions/sweeper.ts, hourly): deadline reminders, escalation and the
 * pending/overdue figures. Each run, for every campaign whose window still runs:
 *
 *   1. one Query of byDeadline DUE#<campaign> for what is due before now + the largest threshold;
 *   2. applications under review → their PENDING review (a Query of the application's partition)
 *      → the reviewers get a reminder with a fresh link to the same review (ReviewDesk.reissueLink);
 *      at the last threshold the level above gets an escalation;
 *   3. RETURNED applications → the applicant's contact is reminded to resubmit;
 *   4. PendingApplications per stage from the campaign tallies; OverdueApplications per stage from
 *      the DUE# items (OVERDUE, and open ones past their deadline); reviews due within 24 h;
 *
 * and, when an annual report threshold is due, one Query of byDeadline VALID (still recognised)
 * → each cluster's contact is reminded of the report due 30 April (Beijing).
 *
 * Every reminder is claimed before it is sent (shared/adapters/dynamo-reminders.ts), so retries,
 * repeated and concurrent sweeps send each one once. What to send is decided by the pure
 * functions in ./reminders.ts. Logs carry ids and counts, never an email address.
 */
import { randomUUID } from 'node:crypto';
import type { Campaign } from '../rules/campaign.ts';
import { findJurisdiction, MIIT_CODE, MIIT_NAME } from '../rules/jurisdictions.ts';
import type { ReminderRules } from '../rules/reminders.ts';
import type { ApplicationRecord, AuditEvent } from '../schemas/records.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import type { Tally } from '../schemas/tallies.ts';
import type { StageName } from '../ladder/contract.ts';
import type { CampaignCatalog } from '../intake/campaigns.ts';
import { DomainError } from '../platform/errors.ts';
import { stageJurisdiction } from '../ladder/route.ts';
import { contactEmailOf } from '../ladder/mail.ts';
import type { Clock, Mailer } from '../ports/core.ts';
import { annualReportReminderEmail, escalationEmail, resubmissionReminderEmail } from './reminder-mail.ts';
import {
  annualReportWindow,
  campaignRunning,
  lookAheadMs,
  planAnnualReportReminder,
  planApplicantReminder,
  planReviewReminder,
  REVIEW_STATUS_STAGE,
  type ReminderKey,
  type ReminderKind,
  type ReminderPlan,
} from './reminders.ts';
import type { DeskActor } from '../review/deps.ts';
import type { ReviewDesk } from '../review/desk.ts';
import type { DeadlineIndex, ReminderLedger } from '../ports/operations.ts';
import { type ReviewStore } from '../ports/review.ts';

/** Structured log lines; attributes are ids and counts only. */
export interface SweepLog {
  debug?(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

export interface SweeperDeps {
  campaigns: Pick<CampaignCatalog, 'list'>;
  index: DeadlineIndex;
  ledger: ReminderLedger;
  reviews: Pick<ReviewStore, 'listApplicationReviews'>;
  desk: Pick<ReviewDesk, 'reissueLink' | 'recipients'>;
  tallies: { list(campaignId: string, kind: 'province'): Promise<Tally[]> };
  mailer: Mailer;
  rules: ReminderRules;
  clock: Clock;
  /** For the read-only application link in escalations. */
  publicBaseUrl: string;
  log?: SweepLog;
  newId?: () => string;
  /** Applications handled at once (default 8). */
  concurrency?: number;
}

// ---- the summary ----------------------------------------------------------------------------

const STAGES: readonly StageName[] = ['city', 'province', 'miit'];
const byStage = (): Record<StageName, number> => ({ city: 0, province: 0, miit: 0 });

export interface SweepSummary {
  /** The sweep's "now". */
  at: string;
  /** Campaigns whose window still runs. */
  campaigns: string[];
  /** Reminders sent this run (reviewers, applicants, annual reports). */
  remindersSent: number;
  escalationsSent: number;
  sent: Record<Exclude<ReminderKind, 'escalation'>, number>;
  /** Reminders not sent: already sent or being sent, thresholds passed unsent, nobody to send to. */
  skipped: number;
  /** Sends or reads that failed (logged; a released claim is tried again by the next sweep). */
  failed: number;
  /** Applications under review per stage (campaign tallies). */
  pending: Record<StageName, number>;
  /** OVERDUE applications and open ones past their stage deadline, per stage. */
  overdue: Record<StageName, number>;
  /** Applications under review whose stage deadline falls within the next 24 hours. */
  reviewsDueWithin24h: number;
}

/** Applications under review per stage, summed over a campaign's provincial tallies. */
export function pendingByStage(tallies: readonly Tally[]): Record<StageName, number> {
  const counts = byStage();
  for (const tally of tallies) {
    const stage = REVIEW_STATUS_STAGE[tally.status];
    if (tally.kind === 'province' && stage) counts[stage] += tally.count;
  }
  return counts;
}

// ---- the sweeper ----------------------------------------------------------------------------

/** Who the audit trail names for the sweeper's reminders and reissued links. */
export const SWEEPER_ACTOR = 'sweeper';
const HOUR_MS = 3_600_000;

const placeName = (code: string) => (code === MIIT_CODE ? MIIT_NAME : (findJurisdiction(code)?.name ?? code));

type Outcome = 'sent' | 'taken' | 'refused' | 'failed';

export class Sweeper {
  private readonly newId: () => string;
  private readonly baseUrl: string;

  constructor(private readonly deps: SweeperDeps) {
    this.newId = deps.newId ?? randomUUID;
    this.baseUrl = deps.publicBaseUrl.replace(/\/+$/, '');
  }

  async sweep(): Promise<SweepSummary> {
    const now = this.deps.clock();
    const run = new SweepRun(this.deps, now, this.newId, this.baseUrl);
    const campaigns = (await this.deps.campaigns.list()).filter((campaign) => campaignRunning(campaign, now));
    run.summary.campaigns = campaigns.map((campaign) => campaign.campaignId);
    for (const campaign of campaigns) await run.campaign(campaign);
    await run.annualReports();
    const { remindersSent, escalationsSent, skipped, failed } = run.summary;
    // Quiet when nothing was due: the schedule runs every hour (locally, every few seconds).
    const attributes = { ...run.summary, campaigns: run.summary.campaigns.length };
    if (remindersSent + escalationsSent + skipped + failed > 0) this.deps.log?.info('sweep finished', attributes);
    else this.deps.log?.debug?.('sweep finished', attributes);
    return run.summary;
  }
}

/** One sweep: its "now", its counts. */
class SweepRun {
  readonly summary: SweepSummary;
  private readonly at: string;
  private readonly actor: DeskActor;

  constructor(
    private readonly deps: SweeperDeps,
    private readonly now: Date,
    private readonly newId: () => string,
    private readonly baseUrl: string,
  ) {
    this.at = now.toISOString();
    this.actor = { id: SWEEPER_ACTOR, role: 'scheduler', requestId: `sweep-${this.at}` };
    this.summary = {
      at: this.at,
      campaigns: [],
      remindersSent: 0,
      escalationsSent: 0,
      sent: { review: 0, applicant: 0, 'annual-report': 0 },
      skipped: 0,
      failed: 0,
      pending: byStage(),
      overdue: byStage(),
      reviewsDueWithin24h: 0,
    };
  }

  private get log(): SweepLog | undefined {
    return this.deps.log;
  }

  async campaign(campaign: Campaign): Promise<void> {
    const nowMs = this.now.getTime();
    const [due, tallies] = await Promise.all([
      this.deps.index.dueBefore(campaign.campaignId, new Date(nowMs + lookAheadMs(this.deps.rules))),
      this.deps.tallies.list(campaign.campaignId, 'province'),
    ]);
    const pending = pendingByStage(tallies);
    for (const stage of STAGES) this.summary.pending[stage] += pending[stage];

    const upcoming: ApplicationRecord[] = [];
    for (const application of due) {
      const dueMs = Date.parse(application.dueAt);
      const reviewStage = REVIEW_STATUS_STAGE[application.status];
      const waiting = reviewStage !== undefined || application.status === 'RETURNED';
      if (dueMs < nowMs) {
        if (application.stage && (application.status === 'OVERDUE' || waiting)) this.summary.overdue[application.stage] += 1;
        continue;
      }
      if (reviewStage && dueMs < nowMs + 24 * HOUR_MS) this.summary.reviewsDueWithin24h += 1;
      if (waiting) upcoming.push(application);
    }
    await forEachLimit(upcoming, this.deps.concurrency ?? 8, async (application) => {
      try {
        if (application.status === 'RETURNED') await this.applicant(application, campaign);
        else await this.reviewsOf(application, campaign);
      } catch (error) {
        this.summary.failed += 1;
        this.log?.error('reminders of an application failed', { applicationId: application.applicationId, error: describe(error) });
      }
    });
  }

  private async reviewsOf(application: ApplicationRecord, campaign: Campaign): Promise<void> {
    const reviews = await this.deps.reviews.listApplicationReviews(application.applicationId);
    for (const review of reviews.filter((r) => r.status === 'PENDING')) {
      const plan = planReviewReminder(review, this.now, this.deps.rules);
      await this.skip(plan);
      if (plan.send) {
        const outcome = await this.deliver(plan.send, review.jurisdictionCode, async () => {
          const link = await this.deps.desk.reissueLink(review.reviewId, { reason: 'reminder', actor: this.actor });
          return { messageId: link.messageId, recipients: link.sentTo };
        });
        if (outcome === 'sent') this.counted('review');
        // Decided (or closed) since it was read: nobody above needs telling either.
        if (outcome === 'refused') continue;
      }
      if (plan.escalate) {
        const { key, to } = plan.escalate;
        const outcome = await this.deliver(key, to, () => this.escalate(review, to, campaign));
        if (outcome === 'sent') this.summary.escalationsSent += 1;
      }
    }
  }

  private async escalate(review: ReviewRecord, to: string, campaign: Campaign) {
    const addresses = await this.deps.desk.recipients(to);
    const { messageId } = await this.deps.mailer.send({
      to: addresses,
      ...escalationEmail({
        clusterName: review.clusterName,
        countyName: placeName(review.countyCode),
        countyCode: review.countyCode,
        applicationId: review.applicationId,
        stage: review.stage,
        round: review.round,
        reviewerName: placeName(review.jurisdictionCode),
        reviewerCode: review.jurisdictionCode,
        supervisorName: placeName(to),
        campaignName: campaign.name,
        deadline: review.deadline,
        now: this.at,
        applicationUrl: `${this.baseUrl}/v1/applications/${encodeURIComponent(review.applicationId)}`,
      }),
    });
    return { messageId, recipients: addresses.length };
  }

  private async applicant(application: ApplicationRecord, _campaign: Campaign): Promise<void> {
    const plan = planApplicantReminder(application, this.now, this.deps.rules);
    await this.skip(plan);
    if (!plan.send) return;
    const to = contactEmailOf(application);
    if (!to) {
      this.summary.skipped += 1;
      this.log?.info('no contact email on the form: applicant not reminded', { applicationId: application.applicationId });
      return;
    }
    const { stage } = application;
    if (!stage) return;
    const outcome = await this.deliver(plan.send, application.countyCode, () =>
      this.deps.mailer
        .send(
          resubmissionReminderEmail(
            {
              clusterName: application.clusterName,
              countyName: placeName(application.countyCode),
              applicationId: application.applicationId,
              stage,
              jurisdictionName: placeName(stageJurisdiction(application)),
              ...(application.decisionReason !== undefined && { reason: application.decisionReason }),
              deadline: application.dueAt,
              now: this.at,
            },
            to,
          ),
        )
        .then(({ messageId }) => ({ messageId, recipients: 1 })),
    );
    if (outcome === 'sent') this.counted('applicant');
  }

  /** Recognised clusters, when an annual report threshold is due (else nothing is read). */
  async annualReports(): Promise<void> {
    const window = annualReportWindow(this.now, this.deps.rules);
    if (window.due === undefined && window.skipped.length === 0) return;
    let recognised: ApplicationRecord[];
    try {
      recognised = await this.deps.index.validAfter(this.now);
    } catch (error) {
      this.summary.failed += 1;
      this.log?.error('reading recognised clusters failed', { error: describe(error) });
      return;
    }
    await forEachLimit(recognised, this.deps.concurrency ?? 8, async (application) => {
      try {
        const plan = planAnnualReportReminder(application, window, this.now);
        await this.skip(plan);
        if (!plan.send) return;
        const to = contactEmailOf(application);
        if (!to) {
          this.summary.skipped += 1;
          this.log?.info('no contact email on the form: annual report not reminded', { applicationId: application.applicationId });
          return;
        }
        const outcome = await this.deliver(plan.send, application.countyCode, () =>
          this.deps.mailer
            .send(
              annualReportReminderEmail(
                {
                  clusterName: application.clusterName,
                  countyName: placeName(application.countyCode),
                  applicationId: application.applicationId,
                  year: window.year,
                  dueAt: window.dueAt,
                  now: this.at,
                  ...(application.validUntil !== undefined && { validUntil: application.validUntil }),
                },
                to,
              ),
            )
            .then(({ messageId }) => ({ messageId, recipients: 1 })),
        );
        if (outcome === 'sent') this.counted('annual-report');
      } catch (error) {
        this.summary.failed += 1;
        this.log?.error('annual report reminder failed', { applicationId: application.applicationId, error: describe(error) });
      }
    });
  }

  private counted(kind: Exclude<ReminderKind, 'escalation'>): void {
    this.summary.sent[kind] += 1;
    this.summary.remindersSent += 1;
  }

  /** Marks the thresholds that passed unsent; each newly marked one counts as skipped. */
  private async skip(plan: ReminderPlan): Promise<void> {
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
  private async deliver(
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
      await this.deps.ledger.release(claim).catch((failure: unknown) =>
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
      eventId: this.newId(),
      at: this.at,
      action: 'REMINDER_SENT',
      actor: SWEEPER_ACTOR,
      role: 'scheduler',
      jurisdiction,
      requestId: this.actor.requestId,
      detail: { kind: key.kind, subject: key.subject, threshold: key.threshold, messageId: sent.messageId, recipients: sent.recipients },
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
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function forEachLimit<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
