import { describe, expect, it } from 'vitest';
import type { CampaignView } from '../../../../shared/intake/campaigns.ts';
import { cohortReminderId, filingDeadline } from '../../../../shared/operations/cohort-reminders.ts';
import type { ReminderKey } from '../../../../shared/operations/reminders.ts';
import { Sweeper } from '../../../../shared/operations/sweeper.ts';
import type { Email } from '../../../../shared/ports/core.ts';
import type { ReminderClaim, ReminderLedger } from '../../../../shared/ports/operations.ts';
import { type RegisterEntry, registerEntryId } from '../../../../shared/register/entry.ts';
import { seedEntries } from '../../../../shared/register/seed.ts';
import type { Campaign } from '../../../../shared/rules/campaign.ts';
import { demoCampaign } from '../../../../shared/rules/campaigns/index.ts';
import { miit2025Rereview } from '../../../../shared/rules/campaigns/miit-2025-rereview.ts';
import { REMINDER_RULES } from '../../../../shared/rules/reminders.ts';
import type { ApplicationRecord, AuditEvent } from '../../../../shared/schemas/records.ts';
import { sampleApplication } from '../../support.ts';

/**
 * The sweeper reminds the counties (and cities) of re-review cohort members that have not filed,
 * before the county's deadline, on a fake clock: each threshold once, however often it sweeps;
 * never a member that filed, nor a cluster outside the cohort, nor after the deadline.
 */
const DAY = 86_400_000;
const START = new Date('2026-03-01T00:00:00.000Z');
const demo = demoCampaign(START);
const campaign: Campaign = {
  ...demo,
  campaignId: 'demo-2026-rereview',
  tracks: { rereview: miit2025Rereview.tracks.rereview },
  overlays: [],
};
const [dunhua, fengtai] = seedEntries(START) as [RegisterEntry, RegisterEntry, ...RegisterEntry[]];
const yanji: RegisterEntry = {
  ...dunhua,
  entryId: registerEntryId({
    level: 'national',
    cohort: 2022,
    countyCode: '222401',
    clusterName: '延吉市食品产业集群',
  }),
  clusterName: '延吉市食品产业集群',
  countyCode: '222401',
};
const DEADLINE = filingDeadline(campaign, dunhua.countyCode);
const before = (days: number) => new Date(Date.parse(DEADLINE) - days * DAY);

class MemoryLedger implements ReminderLedger {
  readonly markers = new Map<string, 'CLAIMED' | 'SENT' | 'SKIPPED'>();
  readonly audits: AuditEvent[] = [];
  private id = (key: ReminderKey) => `${key.applicationId}#${key.kind}#${key.subject}#${key.threshold}`;
  async claim(key: ReminderKey, now: Date): Promise<ReminderClaim | undefined> {
    if (this.markers.has(this.id(key))) return undefined;
    this.markers.set(this.id(key), 'CLAIMED');
    return { key, claimId: this.id(key), claimedAt: now.toISOString(), takenOver: false };
  }
  async markSent(claim: ReminderClaim, _sent: unknown, audit: AuditEvent): Promise<boolean> {
    this.markers.set(this.id(claim.key), 'SENT');
    this.audits.push(audit);
    return true;
  }
  async release(claim: ReminderClaim): Promise<void> {
    this.markers.delete(this.id(claim.key));
  }
  async skip(key: ReminderKey): Promise<boolean> {
    if (this.markers.has(this.id(key))) return false;
    this.markers.set(this.id(key), 'SKIPPED');
    return true;
  }
}

function world() {
  const state = { now: START, mail: [] as Email[], filed: new Map<string, ApplicationRecord>() };
  const ledger = new MemoryLedger();
  const sweeper = new Sweeper({
    campaigns: { list: async () => [{ ...campaign, open: true, builtIn: false } satisfies CampaignView] },
    index: { dueBefore: async () => [], validAfter: async () => [] },
    ledger,
    reviews: { listApplicationReviews: async () => [] },
    desk: {
      reissueLink: async () => {
        throw new Error('no review here');
      },
      recipients: async (code) => [`sme+${code}@clusters.example.gov.cn`],
    },
    tallies: { list: async () => [] },
    mailer: {
      send: async (email) => {
        state.mail.push(email);
        return { messageId: `m-${state.mail.length}` };
      },
    },
    rules: REMINDER_RULES,
    clock: () => state.now,
    publicBaseUrl: 'https://api.clusters.example.gov.cn/',
    cohort: {
      entries: async () => [dunhua, fengtai, yanji],
      filings: { filingOf: async ({ entryId }) => state.filed.get(entryId) },
    },
  });
  return { state, ledger, sweeper };
}

describe('reminders for the re-review cohort', () => {
  it('reminds each member not filed, its county and city, once per threshold, until the deadline', async () => {
    const { state, ledger, sweeper } = world();
    // 延吉 filed (submitted): never reminded. 丰台 is of the 2023 cohort: not a member.
    state.filed.set(yanji.entryId, sampleApplication({ status: 'CITY_REVIEW', registerEntryId: yanji.entryId }));

    state.now = before(8);
    expect((await sweeper.sweep()).cohortSent ?? 0).toBe(0);

    state.now = before(6);
    expect(await sweeper.sweep()).toMatchObject({ cohortSent: 1, remindersSent: 1 });
    expect(state.mail).toHaveLength(1);
    expect(state.mail[0]?.to).toEqual(['sme+222403@clusters.example.gov.cn', 'sme+222400@clusters.example.gov.cn']);
    expect(state.mail[0]?.subject).toContain('敦化市医药产业集群');
    expect(state.mail[0]?.text).toContain('北京时间');
    // Swept again within the same threshold: nothing more.
    state.now = new Date(state.now.getTime() + 3_600_000);
    expect((await sweeper.sweep()).cohortSent ?? 0).toBe(0);
    expect(state.mail).toHaveLength(1);

    state.now = before(2);
    expect(await sweeper.sweep()).toMatchObject({ cohortSent: 1 });
    state.now = before(0.5);
    expect(await sweeper.sweep()).toMatchObject({ cohortSent: 1 });
    state.now = new Date(Date.parse(DEADLINE) + 1000);
    expect((await sweeper.sweep()).cohortSent ?? 0).toBe(0);

    expect(state.mail).toHaveLength(3);
    expect(ledger.audits.map((a) => [a.applicationId, a.detail?.threshold])).toEqual([
      [cohortReminderId(campaign.campaignId, dunhua.entryId), 7],
      [cohortReminderId(campaign.campaignId, dunhua.entryId), 3],
      [cohortReminderId(campaign.campaignId, dunhua.entryId), 1],
    ]);
  });

  it('stops reminding a member once it files, and skips the thresholds a stopped sweeper missed', async () => {
    const { state, ledger, sweeper } = world();
    // The sweeper was down until a day before: only the last threshold goes, the others never will.
    // (Two members not filed here: 敦化 and 延吉.)
    state.now = before(0.5);
    expect(await sweeper.sweep()).toMatchObject({ cohortSent: 2, skipped: 4 });
    expect([...ledger.markers.values()].sort()).toEqual(['SENT', 'SENT', 'SKIPPED', 'SKIPPED', 'SKIPPED', 'SKIPPED']);

    const { state: later, sweeper: again } = world();
    later.filed.set(dunhua.entryId, sampleApplication({ status: 'SUBMITTED', registerEntryId: dunhua.entryId }));
    later.filed.set(yanji.entryId, sampleApplication({ status: 'DRAFT', registerEntryId: yanji.entryId }));
    later.now = before(6);
    // 敦化 submitted: not reminded; 延吉 has only a draft: it has not filed, and is reminded.
    expect(await again.sweep()).toMatchObject({ cohortSent: 1 });
    expect(later.mail.map((m) => m.subject)).toEqual([expect.stringContaining('延吉市食品产业集群')]);
  });
});
