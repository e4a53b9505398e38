/**
 * The scheduled sweeper (functions/sweeper.ts, hourly): deadline reminders, escalation and the
 * pending/overdue figures. Each run, for every campaign whose window still runs:
 *
 *   1. one Query of byDeadline DUE#<campaign> for what is due before now + the largest threshold;
 *   2. applications under review → their PENDING review (a Query of the application's partition)
 *      → the reviewers get a reminder with a fresh link to the same review (ReviewDesk.reissueLink);
 *      at the last threshold the level above gets an escalation;
 *   3. DRAFTs not yet submitted and RETURNED applications → the county is reminded before its
 *      deadline (to submit, to resubmit), with the portal page to do it on;
 *   4. PendingApplications per stage from the campaign tallies; OverdueApplications per stage from
 *      the DUE# items (OVERDUE, and open ones past their deadline); reviews due within 24 h;
 *
 * and, when an annual report threshold is due, the register and each province's reports on the
 * year → each county with reports due or returned, and each province that has not forwarded its
 * set to MIIT, is reminded before the province's deadline (30 April, Beijing;
 * shared/annual-report/reminders.ts).
 *
 * Every reminder is claimed before it is sent (./reminder-delivery.ts, over
 * shared/adapters/dynamo-reminders.ts), so retries, repeated and concurrent sweeps send each one
 * once. What to send is decided by the pure functions in ./reminders.ts; what a sweep counts is
 * ./sweep-summary.ts. Logs carry ids and counts, never an email address.
 */
import { randomUUID } from 'node:crypto';
import { CONSOLE_BASE, PORTAL_BASE } from '../platform/pages/layout.ts';
import type { Campaign } from '../rules/campaign.ts';
import { findJurisdiction, MIIT_CODE, MIIT_NAME } from '../rules/jurisdictions.ts';
import type { ReminderRules } from '../rules/reminders.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import type { Tally } from '../schemas/tallies.ts';
import type { CampaignCatalog } from '../intake/campaigns.ts';
import { stageJurisdiction } from '../ladder/route.ts';
import { contactEmailOf } from '../ladder/mail.ts';
import type { Clock, Email, Mailer } from '../ports/core.ts';
import { draftReminderEmail, escalationEmail, resubmissionReminderEmail } from './reminder-mail.ts';
import { currentReportYear, provinceDeadline } from '../annual-report/cycle.ts';
import { annualReminderEmail, annualReminderId, annualReminderTargets } from '../annual-report/reminders.ts';
import type { AnnualReportStore } from '../ports/annual-reports.ts';
import type { RegisterStore } from '../ports/register.ts';
import type { RegisterEntry } from '../register/entry.ts';
import {
  campaignRunning,
  chooseThreshold,
  lookAheadMs,
  planApplicantReminder,
  planReviewReminder,
  type ReminderKey,
  type ReminderKind,
  reminderPurpose,
} from './reminders.ts';
import { STATUS_STAGE } from '../ladder/contract.ts';
import type { DeskActor } from '../review/deps.ts';
import type { ReviewDesk } from '../review/desk.ts';
import type { DeadlineIndex, ReminderLedger, SweepLog } from '../ports/operations.ts';
import { type ReviewStore } from '../ports/review.ts';
import { describe, ReminderDelivery, SWEEPER_ACTOR } from './reminder-delivery.ts';
import { emptySweepSummary, pendingByStage, STAGES, type SweepSummary } from './sweep-summary.ts';
import { type CohortReminderSource, remindCohort } from './cohort-reminders.ts';

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
  /** The annual reports' duties and years (shared/annual-report/reminders.ts); without them none are reminded. */
  annual?: { register: Pick<RegisterStore, 'all'>; reports: Pick<AnnualReportStore, 'provinceYear'> };
  newId?: () => string;
  /** Applications handled at once (default 8). */
  concurrency?: number;
  /** The register, for the re-review cohort's members that have not filed (./cohort-reminders.ts). */
  cohort?: CohortReminderSource;
}

// ---- the sweeper ----------------------------------------------------------------------------

const HOUR_MS = 3_600_000;

const placeName = (code: string) => (code === MIIT_CODE ? MIIT_NAME : (findJurisdiction(code)?.name ?? code));

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
    for (const campaign of campaigns) await run.cohort(campaign);
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
  private readonly delivery: ReminderDelivery;

  constructor(
    private readonly deps: SweeperDeps,
    private readonly now: Date,
    newId: () => string,
    private readonly baseUrl: string,
  ) {
    this.at = now.toISOString();
    this.actor = { id: SWEEPER_ACTOR, role: 'scheduler', requestId: `sweep-${this.at}` };
    this.summary = emptySweepSummary(this.at);
    this.delivery = new ReminderDelivery(
      { ledger: deps.ledger, ...(deps.log && { log: deps.log }), newId },
      now,
      this.actor.requestId,
      this.summary,
    );
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
    // OVERDUE applications stay in DUE# (the overdue figure counts them) but are never due again:
    // counted here, never reminded, and their reviews never read (the closing expired them; reviews
    // left PENDING by older closings are the backfill's, shared/review/lapse-backfill.ts).
    for (const application of due) {
      const dueMs = Date.parse(application.dueAt);
      const reviewStage = STATUS_STAGE[application.status];
      const waiting = reviewStage !== undefined || application.status === 'RETURNED';
      if (dueMs < nowMs) {
        if (application.stage && (application.status === 'OVERDUE' || waiting))
          this.summary.overdue[application.stage] += 1;
        continue;
      }
      if (reviewStage && dueMs < nowMs + 24 * HOUR_MS) this.summary.reviewsDueWithin24h += 1;
      if (waiting || application.status === 'DRAFT') upcoming.push(application);
    }
    await forEachLimit(upcoming, this.deps.concurrency ?? 8, async (application) => {
      try {
        if (application.status === 'DRAFT') await this.draft(application);
        else if (application.status === 'RETURNED') await this.applicant(application);
        else await this.reviewsOf(application, campaign);
      } catch (error) {
        this.summary.failed += 1;
        this.log?.error('reminders of an application failed', {
          applicationId: application.applicationId,
          error: describe(error),
        });
      }
    });
  }

  private async reviewsOf(application: ApplicationRecord, campaign: Campaign): Promise<void> {
    const reviews = await this.deps.reviews.listApplicationReviews(application.applicationId);
    for (const review of reviews.filter((r) => r.status === 'PENDING')) {
      const plan = planReviewReminder(review, this.now, this.deps.rules);
      await this.delivery.skip(plan);
      if (plan.send) {
        const key = plan.send;
        const outcome = await this.delivery.deliver(key, review.jurisdictionCode, async () => {
          const link = await this.deps.desk.reissueLink(review.reviewId, {
            reason: 'reminder',
            actor: this.actor,
            purpose: reminderPurpose(key),
          });
          return { messageId: link.messageId, recipients: link.sentTo };
        });
        if (outcome === 'sent') this.counted('review');
        // Decided (or closed) since it was read: nobody above needs telling either.
        if (outcome === 'refused') continue;
      }
      if (plan.escalate) {
        const { key, to } = plan.escalate;
        const outcome = await this.delivery.deliver(key, to, () => this.escalate(review, to, campaign, key));
        if (outcome === 'sent') this.summary.escalationsSent += 1;
      }
    }
  }

  private async escalate(review: ReviewRecord, to: string, campaign: Campaign, key: ReminderKey) {
    const addresses = await this.deps.desk.recipients(to);
    const { messageId } = await this.deps.mailer.send({
      to: addresses,
      purpose: reminderPurpose(key),
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
        applicationUrl: this.page(CONSOLE_BASE, 'application', review.applicationId),
      }),
    });
    return { messageId, recipients: addresses.length };
  }

  /** A returned application not yet resubmitted, before the resubmission deadline: to the form's contact. */
  private async applicant(application: ApplicationRecord): Promise<void> {
    const contact = contactEmailOf(application);
    const { stage } = application;
    await this.remindCounty(
      application,
      {
        find: async () => (contact ? [contact] : []),
        nobody: 'no contact email on the form: applicant not reminded',
      },
      // The ladder returns an application from a stage; one without it has no reminder to write.
      contact && stage
        ? () =>
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
                pageUrl: this.page(PORTAL_BASE, 'application', application.applicationId),
              },
              contact,
            )
        : undefined,
    );
  }

  /** A page of the portal or the console about one application, as a browser opens it. */
  private page(base: string, page: string, applicationId: string): string {
    return `${this.baseUrl}${base}/${page}?id=${encodeURIComponent(applicationId)}`;
  }

  /**
   * A draft not yet submitted, before the submission deadline: to the form's contact, else to the
   * county's registered recipients (a new draft may not have its contact filled in yet).
   */
  private async draft(application: ApplicationRecord): Promise<void> {
    await this.remindCounty(
      application,
      {
        find: async () => {
          const contact = contactEmailOf(application);
          return contact ? [contact] : this.deps.desk.recipients(application.countyCode);
        },
        nobody: 'no contact email and no registered recipient: draft not reminded',
      },
      (to) =>
        draftReminderEmail(
          {
            clusterName: application.clusterName,
            countyName: placeName(application.countyCode),
            applicationId: application.applicationId,
            deadline: application.dueAt,
            now: this.at,
            submitUrl: this.page(PORTAL_BASE, 'submit', application.applicationId),
          },
          to,
        ),
    );
  }

  /**
   * A county's reminder before its own deadline (./reminders.ts planApplicantReminder): the
   * thresholds passed unsent marked skipped, then, when one is due, its recipients found (only
   * then: the county's may be a read) and the email sent once. Nobody to send to is a skip, logged
   * as `recipients.nobody` says; no email (`undefined`) means there is nothing to write, and nothing
   * is sent or counted.
   */
  private async remindCounty(
    application: ApplicationRecord,
    recipients: { find: () => Promise<string[]>; nobody: string },
    email: ((to: string[]) => Email) | undefined,
  ): Promise<void> {
    const plan = planApplicantReminder(application, this.now, this.deps.rules);
    await this.delivery.skip(plan);
    if (!plan.send) return;
    const to = await recipients.find();
    if (to.length === 0) {
      this.summary.skipped += 1;
      this.log?.info(recipients.nobody, { applicationId: application.applicationId });
      return;
    }
    if (!email) return;
    const key = plan.send;
    const outcome = await this.delivery.deliver(key, application.countyCode, () =>
      this.deps.mailer
        .send({ purpose: reminderPurpose(key), ...email(to) })
        .then(({ messageId }) => ({ messageId, recipients: to.length })),
    );
    if (outcome === 'sent') this.counted('applicant');
  }

  /**
   * The annual reports (shared/annual-report/), when a threshold before the province's deadline is
   * due (else nothing is read): the register's duties and each province's year, then one reminder
   * per county with reports due or returned and per province that has not forwarded.
   */
  async annualReports(): Promise<void> {
    const annual = this.deps.annual;
    if (!annual) return;
    const rules = this.deps.rules.annualReport;
    const reportYear = currentReportYear(this.now, rules);
    const deadline = provinceDeadline(reportYear, rules);
    const choice = chooseThreshold(deadline, this.now, rules.daysBefore);
    if (choice.due === undefined && choice.skipped.length === 0) return;
    let byProvince: Map<string, RegisterEntry[]>;
    try {
      byProvince = new Map();
      for (const entry of await annual.register.all()) {
        byProvince.set(entry.provinceCode, [...(byProvince.get(entry.provinceCode) ?? []), entry]);
      }
    } catch (error) {
      this.summary.failed += 1;
      this.log?.error('reading the register failed', { error: describe(error) });
      return;
    }
    await forEachLimit([...byProvince], this.deps.concurrency ?? 8, async ([provinceCode, entries]) => {
      try {
        const year = await annual.reports.provinceYear(provinceCode, reportYear);
        for (const target of annualReminderTargets(provinceCode, entries, year, reportYear)) {
          const base = { applicationId: annualReminderId(reportYear, target.code), kind: 'annual-report' as const };
          const subject = `${reportYear}.${target.code}`;
          await this.delivery.skip({ skip: choice.skipped.map((threshold) => ({ ...base, subject, threshold })) });
          if (choice.due === undefined) continue;
          const key: ReminderKey = { ...base, subject, threshold: choice.due };
          const page = target.kind === 'county' ? '/portal/annual-reports' : '/console/annual-reports';
          const outcome = await this.delivery.deliver(key, target.code, async () => {
            const to = await this.deps.desk.recipients(target.code);
            const { messageId } = await this.deps.mailer.send({
              purpose: reminderPurpose(key),
              ...annualReminderEmail(
                target,
                { reportYear, deadline, now: this.at, pageUrl: `${this.baseUrl}${page}?year=${reportYear}` },
                to,
              ),
            });
            return { messageId, recipients: to.length };
          });
          if (outcome === 'sent') this.counted('annual-report');
        }
      } catch (error) {
        this.summary.failed += 1;
        this.log?.error('annual report reminders of a province failed', { provinceCode, error: describe(error) });
      }
    });
  }

  /** The re-review cohort's members that have not filed: their counties and cities reminded. */
  async cohort(campaign: Campaign): Promise<void> {
    const source = this.deps.cohort;
    if (!source) return;
    const delivery = this.delivery;
    try {
      await remindCohort(
        {
          source,
          recipients: (code) => this.deps.desk.recipients(code),
          mailer: this.deps.mailer,
          rules: this.deps.rules,
          now: this.now,
          skip: (plan) => delivery.skip(plan),
          deliver: (key, jurisdiction, send) => delivery.deliver(key, jurisdiction, send),
          noted: (kind, attributes) => {
            if (kind === 'failed') this.summary.failed += 1;
            else this.summary.skipped += 1;
            this.log?.info(`cohort reminder not sent: ${kind}`, attributes);
          },
          sent: () => {
            this.summary.cohortSent = (this.summary.cohortSent ?? 0) + 1;
            this.summary.remindersSent += 1;
          },
        },
        campaign,
      );
    } catch (error) {
      this.summary.failed += 1;
      this.log?.error('reminding the re-review cohort failed', {
        campaignId: campaign.campaignId,
        error: describe(error),
      });
    }
  }

  private counted(kind: Exclude<ReminderKind, 'escalation' | 'cohort'>): void {
    this.summary.sent[kind] += 1;
    this.summary.remindersSent += 1;
  }
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
