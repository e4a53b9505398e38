import type { RegisterEntry } from '../../../../shared/register/entry.ts';
import type { ProvinceYear } from '../../../../shared/ports/annual-reports.ts';
import { annualReminderId } from '../../../../shared/annual-report/reminders.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CampaignView } from '../../../../shared/intake/campaigns.ts';
import { ConflictError } from '../../../../shared/platform/errors.ts';
import type { Email } from '../../../../shared/ports/core.ts';
import type { ReminderKey } from '../../../../shared/operations/reminders.ts';
import type { ReissueOptions } from '../../../../shared/review/reissue.ts';
import { Sweeper, type SweeperDeps } from '../../../../shared/operations/sweeper.ts';
import { type ReminderClaim, type ReminderLedger, type SweepLog } from '../../../../shared/ports/operations.ts';
import { demoCampaign } from '../../../../shared/rules/campaigns/index.ts';
import { REMINDER_RULES } from '../../../../shared/rules/reminders.ts';
import type { ApplicationRecord, AuditEvent } from '../../../../shared/schemas/records.ts';
import type { ReviewRecord } from '../../../../shared/schemas/reviews.ts';
import type { Tally } from '../../../../shared/schemas/tallies.ts';
import { sampleApplication } from '../../support.ts';

/**
 * The sweeper's orchestration over in-memory ports: what it reads, claims and sends on a fake
 * clock. The ledger fake keeps the claim semantics of shared/adapters/dynamo-reminders.ts (tested
 * on its own in dynamo-reminders.test.ts).
 */
const DAY = 86_400_000;
const START = new Date('2026-03-01T00:00:00.000Z');
const campaign = demoCampaign(START);
const APP = '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42';
const DEADLINE = '2026-03-22T23:59:59+08:00';
const REVIEW_ID = `${APP}.city.3.1`;
const before = (days: number) => new Date(Date.parse(DEADLINE) - days * DAY);

class MemoryLedger implements ReminderLedger {
  readonly markers = new Map<
    string,
    { status: 'CLAIMED' | 'SENT' | 'SKIPPED'; claimId?: string; claimedAt?: string }
  >();
  readonly audits: AuditEvent[] = [];
  private seq = 0;
  private id = (key: ReminderKey) => `${key.applicationId}#${key.kind}#${key.subject}#${key.threshold}`;

  async claim(key: ReminderKey, now: Date): Promise<ReminderClaim | undefined> {
    await Promise.resolve();
    const current = this.markers.get(this.id(key));
    const stale = current?.status === 'CLAIMED' && Date.parse(current.claimedAt ?? '') <= now.getTime() - 15 * 60_000;
    if (current && !stale) return undefined;
    const claim = { key, claimId: `c${++this.seq}`, claimedAt: now.toISOString(), takenOver: stale };
    this.markers.set(this.id(key), { status: 'CLAIMED', claimId: claim.claimId, claimedAt: claim.claimedAt });
    return claim;
  }
  async markSent(claim: ReminderClaim, _sent: unknown, audit: AuditEvent): Promise<boolean> {
    const current = this.markers.get(this.id(claim.key));
    if (current?.status !== 'CLAIMED' || current.claimId !== claim.claimId) return false;
    this.markers.set(this.id(claim.key), { status: 'SENT' });
    this.audits.push(audit);
    return true;
  }
  async release(claim: ReminderClaim): Promise<void> {
    if (this.markers.get(this.id(claim.key))?.claimId === claim.claimId) this.markers.delete(this.id(claim.key));
  }
  async skip(key: ReminderKey): Promise<boolean> {
    if (this.markers.has(this.id(key))) return false;
    this.markers.set(this.id(key), { status: 'SKIPPED' });
    return true;
  }
  status(key: Partial<ReminderKey>) {
    return this.markers.get(this.id({ applicationId: APP, kind: 'review', subject: REVIEW_ID, threshold: 7, ...key }))
      ?.status;
  }
}

const pendingReview = (overrides: Partial<ReviewRecord> = {}): ReviewRecord => ({
  reviewId: REVIEW_ID,
  applicationId: APP,
  revision: 3,
  stage: 'city',
  round: 1,
  jurisdictionCode: '222400',
  deadline: DEADLINE,
  campaignId: campaign.campaignId,
  track: 'recommendation',
  countyCode: '222403',
  provincialCode: '220000',
  cityCode: '222400',
  clusterName: '敦化市医药产业集群',
  status: 'PENDING',
  secretHash: 'a'.repeat(64),
  taskToken: 'token',
  openedAt: START.toISOString(),
  armedAt: START.toISOString(),
  attempts: 1,
  emailedTo: [],
  ...overrides,
});

const underReview = (overrides: Partial<ApplicationRecord> = {}) =>
  sampleApplication({
    applicationId: APP,
    campaignId: campaign.campaignId,
    status: 'CITY_REVIEW',
    stage: 'city',
    round: 1,
    revision: 3,
    dueAt: DEADLINE,
    form: { contact: { name: '张三', email: 'county-sme@example.gov.cn' } },
    ...overrides,
  });

interface World {
  now: Date;
  applications: ApplicationRecord[];
  reviews: ReviewRecord[];
  tallies: Tally[];
  mail: Email[];
  reissued: { reviewId: string; options: ReissueOptions }[];
  logs: { level: string; message: string; attributes?: Record<string, unknown> }[];
  reads: { validAfter: number; dueBefore: string[] };
  failReissue?: () => Error | undefined;
  failMail?: () => Error | undefined;
}

let world: World;
let ledger: MemoryLedger;

beforeEach(() => {
  world = {
    now: before(8),
    applications: [underReview()],
    reviews: [pendingReview()],
    tallies: [],
    mail: [],
    reissued: [],
    logs: [],
    reads: { validAfter: 0, dueBefore: [] },
  };
  ledger = new MemoryLedger();
});

function sweeper(overrides: Partial<SweeperDeps> = {}): Sweeper {
  const log: SweepLog = {
    info: (message, attributes) => world.logs.push({ level: 'info', message, attributes }),
    warn: (message, attributes) => world.logs.push({ level: 'warn', message, attributes }),
    error: (message, attributes) => world.logs.push({ level: 'error', message, attributes }),
  };
  let messages = 0;
  return new Sweeper({
    campaigns: { list: async () => [{ ...campaign, open: true, builtIn: false } satisfies CampaignView] },
    index: {
      dueBefore: async (campaignId, until) => {
        world.reads.dueBefore.push(campaignId);
        return world.applications.filter(
          (a) => a.campaignId === campaignId && a.status !== 'RECOGNIZED' && Date.parse(a.dueAt) < until.getTime(),
        );
      },
      validAfter: async (at) => {
        world.reads.validAfter += 1;
        return world.applications.filter(
          (a) => a.status === 'RECOGNIZED' && Date.parse(a.validUntil ?? '') > at.getTime(),
        );
      },
    },
    ledger,
    reviews: { listApplicationReviews: async (id) => world.reviews.filter((r) => r.applicationId === id) },
    desk: {
      reissueLink: async (reviewId, options) => {
        await Promise.resolve();
        const failure = world.failReissue?.();
        if (failure) throw failure;
        world.reissued.push({ reviewId, options });
        return { reviewId, sentTo: 2, messageId: `reissue-${world.reissued.length}` };
      },
      recipients: async (code) => [`reviewers+${code}@clusters.example.gov.cn`],
    },
    tallies: { list: async () => world.tallies },
    mailer: {
      send: async (email) => {
        const failure = world.failMail?.();
        if (failure) throw failure;
        world.mail.push(email);
        return { messageId: `m-${++messages}` };
      },
    },
    rules: REMINDER_RULES,
    clock: () => world.now,
    publicBaseUrl: 'https://api.clusters.example.gov.cn/',
    log,
    ...overrides,
  });
}

describe('review reminders', () => {
  it('reminds at −7 days once, however often it sweeps, with a fresh link from the review desk', async () => {
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 0, escalationsSent: 0 });
    expect(world.reissued).toHaveLength(0);

    world.now = before(6);
    const first = await sweeper().sweep();
    expect(first).toMatchObject({ remindersSent: 1, escalationsSent: 0, sent: { review: 1 }, failed: 0 });
    expect(world.reissued).toEqual([
      {
        reviewId: REVIEW_ID,
        options: {
          reason: 'reminder',
          actor: expect.objectContaining({ id: 'sweeper', role: 'scheduler' }),
          // The reminder's Message-ID over SMTP: the same for any retry of this one reminder.
          purpose: `reminder/review/${APP}/${REVIEW_ID}/7`,
        },
      },
    ]);
    expect(ledger.status({ threshold: 7 })).toBe('SENT');
    expect(ledger.audits).toEqual([
      expect.objectContaining({
        action: 'REMINDER_SENT',
        actor: 'sweeper',
        role: 'scheduler',
        jurisdiction: '222400',
        detail: expect.objectContaining({ kind: 'review', threshold: 7, messageId: 'reissue-1', recipients: 2 }),
      }),
    ]);

    const again = await sweeper().sweep();
    expect(again).toMatchObject({ remindersSent: 0, skipped: 1 });
    expect(world.reissued).toHaveLength(1);
  });

  it('after downtime sends only the smallest passed threshold; the larger ones never go', async () => {
    world.now = before(2.5);
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 1, skipped: 1 });
    expect(ledger.status({ threshold: 3 })).toBe('SENT');
    expect(ledger.status({ threshold: 7 })).toBe('SKIPPED');
    world.now = before(2);
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 0 });
    expect(world.reissued).toHaveLength(1);
  });

  it('at the last threshold also tells the level above, without a review link', async () => {
    world.now = before(0.5);
    const summary = await sweeper().sweep();
    expect(summary).toMatchObject({ remindersSent: 1, escalationsSent: 1 });
    expect(world.mail).toHaveLength(1);
    const escalation = world.mail[0];
    expect(escalation?.to).toEqual(['reviewers+220000@clusters.example.gov.cn']);
    expect(escalation?.subject).toContain('敦化市医药产业集群');
    expect(escalation?.text).toContain('延边朝鲜族自治州');
    // A page a browser opens (the console's read-only timeline), not the API, which answers 401 without a token.
    expect(escalation?.text).toContain(`https://api.clusters.example.gov.cn/console/application?id=${APP}`);
    expect(escalation?.text).not.toContain('/v1/');
    expect(escalation?.text).not.toMatch(/[?&]t=/);
    expect(ledger.audits.map((a) => [a.detail?.kind, a.jurisdiction])).toEqual(
      expect.arrayContaining([
        ['review', '222400'],
        ['escalation', '220000'],
      ]),
    );
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 0, escalationsSent: 0 });
  });

  it('of five concurrent sweeps exactly one sends', async () => {
    world.now = before(2.5);
    const summaries = await Promise.all(Array.from({ length: 5 }, () => sweeper().sweep()));
    expect(summaries.reduce((sum, s) => sum + s.remindersSent, 0)).toBe(1);
    expect(world.reissued).toHaveLength(1);
  });

  it('a failed send releases the claim and the next sweep sends it', async () => {
    world.now = before(6);
    world.failReissue = () => new Error('SES throttled');
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 0, failed: 1 });
    expect(ledger.status({ threshold: 7 })).toBeUndefined();
    world.failReissue = undefined;
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 1, failed: 0 });
  });

  it('a review decided meanwhile is a skip, not a failure', async () => {
    world.now = before(6);
    world.failReissue = () => new ConflictError('REVIEW_NOT_PENDING', 'decided');
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 0, failed: 0, skipped: 1 });
    expect(ledger.status({ threshold: 7 })).toBeUndefined();
  });

  it('a review decided just before its last reminder escalates nothing', async () => {
    world.now = before(0.5);
    world.failReissue = () => new ConflictError('REVIEW_NOT_PENDING', 'decided');
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 0, escalationsSent: 0, failed: 0 });
    expect(world.mail).toHaveLength(0);
  });

  it('reminds only pending reviews', async () => {
    world.now = before(6);
    world.reviews = [pendingReview({ status: 'DECIDED' })];
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 0 });
  });
});

describe('applicant reminders', () => {
  it('reminds the contact of a RETURNED application before the resubmission deadline', async () => {
    world.applications = [underReview({ status: 'RETURNED', decisionReason: '产值数据需核实' })];
    world.now = before(3);
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 1, sent: { applicant: 1 }, skipped: 1 });
    expect(world.mail).toHaveLength(1);
    expect(world.mail[0]?.to).toEqual(['county-sme@example.gov.cn']);
    expect(world.mail[0]?.text).toContain('产值数据需核实');
    expect(world.mail[0]?.text.indexOf('重新提交')).toBeLessThan(world.mail[0]?.text.indexOf('resubmit') ?? 0);
    expect(world.mail[0]?.text).toContain(`https://api.clusters.example.gov.cn/portal/application?id=${APP}`);
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 0 });
  });

  it('reminds the county of a draft not yet submitted, once per threshold, with the check before submitting', async () => {
    world.applications = [underReview({ status: 'DRAFT', stage: undefined, round: undefined })];
    world.reviews = [];
    world.now = before(0.5);
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 1, sent: { applicant: 1 }, skipped: 2 });
    expect(world.mail).toHaveLength(1);
    expect(world.mail[0]?.to).toEqual(['county-sme@example.gov.cn']);
    expect(world.mail[0]?.subject).toContain('草稿尚未提交');
    expect(world.mail[0]?.text).toContain(`https://api.clusters.example.gov.cn/portal/submit?id=${APP}`);
    expect(ledger.audits.map((a) => [a.detail?.kind, a.detail?.subject, a.jurisdiction])).toEqual([
      ['applicant', 'draft', '222403'],
    ]);
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 0 });
  });

  it("reminds a draft without a contact yet through the county's registered recipients", async () => {
    world.applications = [underReview({ status: 'DRAFT', stage: undefined, round: undefined, form: {} })];
    world.reviews = [];
    world.now = before(2.5);
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 1 });
    expect(world.mail[0]?.to).toEqual(['reviewers+222403@clusters.example.gov.cn']);
  });

  it('skips an application without a contact email, with a note in the log', async () => {
    world.applications = [underReview({ status: 'RETURNED', form: {} })];
    world.now = before(3);
    expect(await sweeper().sweep()).toMatchObject({ remindersSent: 0, failed: 0 });
    expect(world.mail).toHaveLength(0);
    expect(world.logs).toContainEqual(expect.objectContaining({ level: 'info', attributes: { applicationId: APP } }));
  });
});

describe('annual report reminders (the cycle: shared/annual-report/)', () => {
  const entry = (over: Partial<RegisterEntry> = {}): RegisterEntry => ({
    entryId: 'national#2022#222403#敦化市医药',
    clusterName: '敦化市医药产业集群',
    countyCode: '222403',
    provinceCode: '220000',
    leadingIndustry: '医药',
    subSector: '',
    level: 'national',
    cohort: 2022,
    validFrom: '2022-12-20',
    validUntil: '2025-12-20',
    state: 'valid',
    history: [{ at: '2022-12-20T00:00:00Z', by: 'seed', to: 'valid', reason: 'seed' }],
    source: { kind: 'seed' },
    revision: 0,
    createdAt: '2022-12-20T00:00:00Z',
    updatedAt: '2022-12-20T00:00:00Z',
    ...over,
  });
  let entries: RegisterEntry[];
  let forwarded: boolean;
  let registerReads: number;
  const annual = () => ({
    register: {
      all: async () => {
        registerReads += 1;
        return entries;
      },
    },
    reports: {
      provinceYear: async (): Promise<ProvinceYear> => ({
        reports: [],
        files: [],
        version: 0,
        ...(forwarded && {
          forwarding: {
            reportYear: 2025,
            provinceCode: '220000',
            forwardedAt: '2026-04-20T00:00:00Z',
            forwardedBy: 'operator:x',
            owed: 1,
            reports: [],
            missing: [],
          },
        }),
      }),
    },
  });
  beforeEach(() => {
    entries = [entry()];
    forwarded = false;
    registerReads = 0;
  });

  it('reads nothing while no threshold is due, then reminds the county and the province once each', async () => {
    world.now = new Date('2026-03-15T00:00:00Z');
    await sweeper({ annual: annual() }).sweep();
    expect(registerReads).toBe(0);

    world.now = new Date('2026-04-24T00:00:00Z'); // 6 days before 30 April (Beijing)
    expect(await sweeper({ annual: annual() }).sweep()).toMatchObject({ sent: { 'annual-report': 2 } });
    expect(world.mail.map((m) => m.to)).toEqual(
      expect.arrayContaining([
        ['reviewers+222403@clusters.example.gov.cn'],
        ['reviewers+220000@clusters.example.gov.cn'],
      ]),
    );
    expect(world.mail[0]?.subject).toContain('2025年度报告');
    await Promise.all([sweeper({ annual: annual() }).sweep(), sweeper({ annual: annual() }).sweep()]);
    expect(world.mail).toHaveLength(2);
    const county = annualReminderId(2025, '222403');
    expect(ledger.markers.get(`${county}#annual-report#2025.222403#30`)?.status).toBe('SKIPPED');
    expect(ledger.markers.get(`${county}#annual-report#2025.222403#7`)?.status).toBe('SENT');
  });

  it('reminds no one for a revoked cluster, nor a province that has forwarded', async () => {
    world.now = new Date('2026-04-24T00:00:00Z');
    entries = [entry({ state: 'revoked' })];
    await sweeper({ annual: annual() }).sweep();
    expect(world.mail).toHaveLength(0);
    entries = [entry()];
    forwarded = true;
    await sweeper({ annual: annual() }).sweep();
    expect(world.mail).toHaveLength(0);
  });
});

describe('the figures', () => {
  it('counts pending per stage from the tallies, overdue from the due index, reviews due within 24 hours', async () => {
    world.now = before(0.5);
    const overdueId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    const lateId = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';
    const draftId = '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f';
    world.applications = [
      underReview(),
      underReview({
        applicationId: overdueId,
        status: 'OVERDUE',
        stage: 'province',
        dueAt: '2026-03-10T23:59:59+08:00',
      }),
      underReview({ applicationId: lateId, status: 'MIIT_REVIEW', stage: 'miit', dueAt: '2026-03-21T00:00:00+08:00' }),
      underReview({ applicationId: draftId, status: 'DRAFT', stage: undefined, dueAt: '2026-03-01T00:00:00+08:00' }),
    ];
    const tally = (status: Tally['status'], count: number, provincialCode = '220000'): Tally => ({
      campaignId: campaign.campaignId,
      kind: 'province',
      track: 'recommendation',
      status,
      provincialCode,
      count,
    });
    world.tallies = [
      tally('CITY_REVIEW', 3),
      tally('CITY_REVIEW', 2, '140000'),
      tally('PROVINCE_REVIEW', 4),
      tally('DRAFT', 9),
    ];
    const summary = await sweeper().sweep();
    expect(summary.pending).toEqual({ city: 5, province: 4, miit: 0 });
    expect(summary.overdue).toEqual({ city: 0, province: 1, miit: 1 });
    expect(summary.reviewsDueWithin24h).toBe(1);
    expect(summary).toMatchObject({ remindersSent: 1, escalationsSent: 1, failed: 0 });
  });

  it('counts OVERDUE applications from the due index and reads none of their reviews', async () => {
    world.now = before(6);
    const overdue = Array.from({ length: 50 }, (_, i) =>
      underReview({
        applicationId: `9a8b7c6d-5e4f-4a3b-8c2d-${String(i).padStart(12, '0')}`,
        status: 'OVERDUE',
        stage: 'city',
        // Closed at their deadline (long past), and one whose recorded deadline is still ahead.
        dueAt: i === 0 ? '2026-03-30T23:59:59+08:00' : '2026-03-05T23:59:59+08:00',
      }),
    );
    world.applications = [underReview(), ...overdue];
    const read: string[] = [];
    const summary = await sweeper({
      reviews: {
        listApplicationReviews: async (id) => {
          read.push(id);
          return world.reviews.filter((r) => r.applicationId === id);
        },
      },
    }).sweep();
    expect(read).toEqual([APP]);
    expect(summary.overdue).toEqual({ city: 49, province: 0, miit: 0 });
    expect(summary).toMatchObject({ remindersSent: 1, failed: 0 });
  });

  it('reads nothing of campaigns whose window has ended', async () => {
    world.now = new Date(Date.parse(campaign.calendar.miit ?? '') + DAY);
    expect(await sweeper().sweep()).toMatchObject({ campaigns: [], remindersSent: 0 });
    expect(world.reads.dueBefore).toEqual([]);
  });

  it('logs ids and counts, never an email address', async () => {
    world.applications = [
      underReview(),
      underReview({ applicationId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', status: 'RETURNED' }),
    ];
    world.reviews = [pendingReview()];
    world.now = before(0.5);
    world.failMail = () => new Error('MessageRejected');
    await sweeper().sweep();
    world.failMail = undefined;
    await sweeper().sweep();
    expect(world.mail.length).toBeGreaterThan(0);
    expect(world.logs.length).toBeGreaterThan(3);
    expect(JSON.stringify(world.logs)).not.toContain('@');
  });
});
