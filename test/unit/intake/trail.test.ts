import { beforeEach, describe, expect, it } from 'vitest';
import { CampaignCatalog } from '../../../shared/intake/campaigns.ts';
import { Intake } from '../../../shared/intake/intake.ts';
import { maskAddresses } from '../../../shared/intake/trail.ts';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import type { ReviewWorkflow } from '../../../shared/ports/intake.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import type { AuditEvent } from '../../../shared/schemas/records.ts';
import { FakeRecords } from '../ladder/fakes.ts';
import { APP_ID, PEOPLE, sampleApplication } from '../support.ts';

/**
 * Who sees the people in an application's trail: the officials over it see the addresses a review
 * link went to and the experts a panel seated, whole; the county that filed it sees them masked,
 * through GET …/history and GET /v1/applications/{id} alike (the portal's timeline reads the latter).
 */
const NOW = new Date('2026-03-05T00:00:00.000Z');
const campaign = demoCampaign(new Date('2026-03-01T00:00:00.000Z'));
const CITY_LINK = 'zhang.wei@yanbian.example.gov.cn, li@yanbian.example.gov.cn';

const decided: AuditEvent = {
  applicationId: APP_ID,
  eventId: '00000000-0000-4000-8000-000000000001',
  at: '2026-03-03T00:00:00.000Z',
  action: 'REVIEW_APPROVED',
  actor: CITY_LINK,
  role: 'reviewer',
  jurisdiction: '222400',
  reason: '材料齐全，同意推荐',
  detail: { stage: 'city', decision: 'approve', via: 'emailed link' },
};
const closed: AuditEvent = {
  applicationId: APP_ID,
  eventId: '00000000-0000-4000-8000-000000000002',
  at: '2026-03-04T00:00:00.000Z',
  action: 'PANEL_CLOSED',
  actor: 'reviewer-220000',
  role: 'reviewer',
  jurisdiction: '220000',
  detail: {
    aggregate: 82.5,
    totals: [{ expert: 'chen@experts.example.cn', total: 82.5 }],
    notScored: ['wang@experts.example.cn'],
  },
};

let intake: Intake;
const workflow: ReviewWorkflow = {
  start: async () => {
    throw new Error('no workflow here');
  },
  resubmitted: async () => {
    throw new Error('no workflow here');
  },
};

beforeEach(() => {
  const records = new FakeRecords();
  records.put(sampleApplication({ campaignId: campaign.campaignId, dueAt: campaign.calendar.province }));
  records.audit.push(decided, closed);
  intake = new Intake({
    records,
    workflow,
    campaigns: new CampaignCatalog(
      { putCampaign: async () => {}, getStoredCampaign: async () => campaign, listStoredCampaigns: async () => [] },
      () => NOW,
    ),
    clock: () => NOW,
  });
});

const historyOf = async (principal: Principal) => (await intake.history(APP_ID, principal)).events;
const detailTrailOf = async (principal: Principal) => (await intake.get(APP_ID, principal)).history;

describe('maskAddresses', () => {
  it('masks the local part of each address, keeps the office’s domain, leaves other actors alone', () => {
    expect(maskAddresses(CITY_LINK)).toBe('z***@yanbian.example.gov.cn, l***@yanbian.example.gov.cn');
    expect(maskAddresses('reviewer-222400')).toBe('reviewer-222400');
    expect(maskAddresses('review-link (not yet emailed)')).toBe('review-link (not yet emailed)');
  });
});

describe('the trail as its reader may see it', () => {
  it('the county that filed it: every address masked, in the actor and the detail; the rest unchanged', async () => {
    for (const events of [await historyOf(PEOPLE.dunhuaApplicant), await detailTrailOf(PEOPLE.dunhuaApplicant)]) {
      expect(JSON.stringify(events)).not.toMatch(/zhang\.wei@|li@|chen@|wang@/);
      expect(events).toEqual([
        { ...decided, actor: 'z***@yanbian.example.gov.cn, l***@yanbian.example.gov.cn' },
        {
          ...closed,
          detail: {
            aggregate: 82.5,
            totals: [{ expert: 'c***@experts.example.cn', total: 82.5 }],
            notScored: ['w***@experts.example.cn'],
          },
        },
      ]);
    }
  });

  it('the reviewers over it and the operators of its scope: whole', async () => {
    for (const official of [
      PEOPLE.yanbianReviewer,
      PEOPLE.jilinReviewer,
      PEOPLE.miitReviewer,
      PEOPLE.jilinOperator,
      PEOPLE.nationalOperator,
    ]) {
      expect(await historyOf(official), official.sub).toEqual([decided, closed]);
      expect(await detailTrailOf(official), official.sub).toEqual([decided, closed]);
    }
  });
});
