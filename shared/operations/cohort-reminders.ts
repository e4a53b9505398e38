/**
 * Reminders for the re-review cohort (issue 13 item 2): each member of a running re-review's cohort
 * that has not submitted its filing, its county (and city) reminded before the county's deadline,
 * at the applicant thresholds, each reminder exactly once through the reminder ledger. A member
 * has no application yet, so the ledger's key is a stable id of (campaign, entry): the marker and
 * its REMINDER_SENT audit event live under that id, never under an application.
 */
import { createHash } from 'node:crypto';
import { beijingTime } from '../platform/time.ts';
import type { Mailer } from '../ports/core.ts';
import type { EntryFilings } from '../ports/register.ts';
import { COHORT_TRACK, filingState } from '../register/cohort.ts';
import { inCohort } from '../register/eligibility.ts';
import type { RegisterEntry } from '../register/entry.ts';
import type { Campaign } from '../rules/campaign.ts';
import { effectiveRules } from '../rules/effective-rules.ts';
import { findJurisdiction } from '../rules/jurisdictions.ts';
import type { ReminderRules } from '../rules/reminders.ts';
import { chooseThreshold, type ReminderKey, type ReminderPlan, reminderPurpose } from './reminders.ts';

/** What the sweeper reads for the cohort: the register's entries and who filed. */
export interface CohortReminderSource {
  entries(): Promise<RegisterEntry[]>;
  filings: EntryFilings;
}

/** A stable UUID for a member's reminders in a campaign (the ledger's partition). */
export function cohortReminderId(campaignId: string, entryId: string): string {
  const hex = createHash('sha256').update(`cohort/${campaignId}/${entryId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The county's deadline to file: as a draft's (the submission deadline, else the province's). */
export function filingDeadline(campaign: Campaign, countyCode: string): string {
  return effectiveRules(campaign, COHORT_TRACK, countyCode).deadlines.submission ?? campaign.calendar.province;
}

/** The member's reminder due now, and the thresholds passed unsent. */
export function planCohortReminder(
  campaign: Campaign,
  entry: RegisterEntry,
  now: Date,
  rules: Pick<ReminderRules, 'applicantDaysBefore'>,
): ReminderPlan {
  const choice = chooseThreshold(filingDeadline(campaign, entry.countyCode), now, rules.applicantDaysBefore);
  const base = {
    applicationId: cohortReminderId(campaign.campaignId, entry.entryId),
    kind: 'cohort' as const,
    subject: entry.entryId,
  };
  return {
    ...(choice.due !== undefined && { send: { ...base, threshold: choice.due } }),
    skip: choice.skipped.map((threshold) => ({ ...base, threshold })),
  };
}

/** The county's and its city's addresses (the jurisdictions' registered recipients). */
export async function cohortRecipients(
  recipients: (code: string) => Promise<string[]>,
  countyCode: string,
): Promise<string[]> {
  const city = findJurisdiction(countyCode)?.parentCode;
  const lists = await Promise.all([recipients(countyCode), ...(city ? [recipients(city)] : [])]);
  return [...new Set(lists.flat())];
}

export function cohortReminderEmail(campaign: Campaign, entry: RegisterEntry, deadline: string, to: string[]) {
  const when = beijingTime(deadline);
  return {
    to,
    subject: `【复核提醒】${entry.clusterName}尚未提交复核申报 / Re-review not yet filed: ${entry.clusterName}`,
    text: [
      `${entry.clusterName}（${entry.cohort}年度认定）须参与${campaign.name.zh}，目前尚未提交复核申报。请于 ${when.zh} 前在申报系统中提交，逾期不予受理。`,
      '',
      `${entry.clusterName} (recognised in ${entry.cohort}) must take part in the ${campaign.name.en} and has not filed yet. Please submit it before ${when.en}; late filings are not accepted.`,
    ].join('\n'),
  };
}

export interface CohortSweep {
  source: CohortReminderSource;
  recipients: (code: string) => Promise<string[]>;
  mailer: Mailer;
  rules: Pick<ReminderRules, 'applicantDaysBefore'>;
  now: Date;
  skip(plan: ReminderPlan): Promise<void>;
  deliver(
    key: ReminderKey,
    jurisdiction: string,
    send: () => Promise<{ messageId: string; recipients: number }>,
  ): Promise<string>;
  /** Nobody to send to, or a failure the next sweep retries. */
  noted(kind: 'no-recipient' | 'failed', attributes: Record<string, unknown>): void;
  sent(): void;
}

/** One sweep of one campaign's cohort: the members not filed, reminded at most once per threshold. */
export async function remindCohort(sweep: CohortSweep, campaign: Campaign): Promise<void> {
  const cohort = campaign.tracks[COHORT_TRACK]?.cohort;
  if (!cohort) return;
  const members = (await sweep.source.entries()).filter((entry) => inCohort(entry, cohort));
  for (const entry of members) {
    const plan = planCohortReminder(campaign, entry, sweep.now, sweep.rules);
    if (!plan.send && plan.skip.length === 0) continue;
    const filing = await sweep.source.filings.filingOf({
      campaignId: campaign.campaignId,
      track: COHORT_TRACK,
      countyCode: entry.countyCode,
      entryId: entry.entryId,
    });
    const state = filingState(filing);
    if (state === 'in-review' || state === 'ended') continue;
    await sweep.skip(plan);
    const key = plan.send;
    if (!key) continue;
    const to = await cohortRecipients(sweep.recipients, entry.countyCode);
    if (to.length === 0) {
      sweep.noted('no-recipient', { entryId: entry.entryId, countyCode: entry.countyCode });
      continue;
    }
    const deadline = filingDeadline(campaign, entry.countyCode);
    const outcome = await sweep.deliver(key, entry.countyCode, () =>
      sweep.mailer
        .send({ purpose: reminderPurpose(key), ...cohortReminderEmail(campaign, entry, deadline, to) })
        .then(({ messageId }) => ({ messageId, recipients: to.length })),
    );
    if (outcome === 'sent') sweep.sent();
  }
}
