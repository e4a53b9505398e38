import { beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import { CampaignCatalog } from '../../../shared/intake/campaigns.ts';
import { Intake } from '../../../shared/intake/intake.ts';
import type { ReviewWorkflow } from '../../../shared/ports/intake.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import type { AuditEvent } from '../../../shared/schemas/records.ts';
import { APP_ID, PEOPLE, sampleApplication, sampleEvidence } from '../support.ts';
import { FakeRecords } from '../ladder/fakes.ts';

/**
 * Intake checks the policy itself, whoever calls it: the ops console calls `history` directly
 * (not through the applications function), so the rule must hold at the domain's door.
 */

const NOW = new Date('2026-03-05T00:00:00.000Z');
const campaign = demoCampaign(new Date('2026-03-01T00:00:00.000Z'));
const liaoningOperator: Principal = { sub: 'operator-210000', role: 'operator', jurisdiction: '210000' };
const cityOperator: Principal = { sub: 'operator-222400', role: 'operator', jurisdiction: '222400' };

const refusesWith403 = async (work: Promise<unknown>) =>
  expect(await work.catch((e: unknown) => e)).toMatchObject({ status: 403, code: 'FORBIDDEN' });

let records: FakeRecords;
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
  records = new FakeRecords();
  records.put(sampleApplication({ campaignId: campaign.campaignId, dueAt: campaign.calendar.province }));
  records.evidence.push(sampleEvidence());
  const created: AuditEvent = {
    applicationId: APP_ID,
    eventId: '00000000-0000-4000-8000-000000000009',
    at: '2026-03-02T00:00:00.000Z',
    action: 'APPLICATION_CREATED',
    actor: 'applicant-222403',
    role: 'applicant',
    jurisdiction: '222403',
  };
  records.audit.push(created);
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

describe('history, as the ops console asks for it', () => {
  it('answers the province’s and the national operators', async () => {
    for (const principal of [PEOPLE.jilinOperator, PEOPLE.nationalOperator]) {
      const history = await intake.history(APP_ID, principal);
      expect(
        history.events.map((event) => event.action),
        principal.sub,
      ).toEqual(['APPLICATION_CREATED']);
    }
  });

  it('refuses another province’s operator and an operator scoped to a city (no such scope)', async () => {
    await refusesWith403(intake.history(APP_ID, liaoningOperator));
    await refusesWith403(intake.history(APP_ID, cityOperator));
  });
});

/**
 * Who sees the people in the trail: the officials over it see the addresses a review link went to
 * and the experts a panel seated, whole; the county that filed it sees them masked, through GET
 * …/history and GET /v1/applications/{id} alike (the portal's timeline reads the latter).
 */
describe('the trail as its reader may see it', () => {
  const decided: AuditEvent = {
    applicationId: APP_ID,
    eventId: '00000000-0000-4000-8000-000000000011',
    at: '2026-03-03T00:00:00.000Z',
    action: 'REVIEW_APPROVED',
    actor: 'zhang.wei@yanbian.example.gov.cn, li@yanbian.example.gov.cn',
    role: 'reviewer',
    jurisdiction: '222400',
    reason: '材料齐全，同意推荐',
    detail: { stage: 'city', decision: 'approve', via: 'emailed link' },
  };
  const closed: AuditEvent = {
    applicationId: APP_ID,
    eventId: '00000000-0000-4000-8000-000000000012',
    at: '2026-03-04T00:00:00.000Z',
    action: 'PANEL_CLOSED',
    actor: 'reviewer-220000',
    role: 'reviewer',
    jurisdiction: '220000',
    detail: { aggregate: 82.5, totals: [{ expert: 'chen@experts.example.cn', total: 82.5 }], notScored: ['wang@x.cn'] },
  };
  /** Both reads of the trail, after the application's creation. */
  const trailsOf = async (principal: Principal) => [
    (await intake.history(APP_ID, principal)).events.slice(1),
    (await intake.get(APP_ID, principal)).history.slice(1),
  ];
  beforeEach(() => void records.audit.push(decided, closed));

  it('the county that filed it: every address masked, in the actor and the detail; the rest unchanged', async () => {
    for (const events of await trailsOf(PEOPLE.dunhuaApplicant)) {
      expect(JSON.stringify(events)).not.toMatch(/zhang\.wei@|li@|chen@|wang@/);
      expect(events).toEqual([
        { ...decided, actor: 'z***@yanbian.example.gov.cn, l***@yanbian.example.gov.cn' },
        {
          ...closed,
          detail: {
            aggregate: 82.5,
            totals: [{ expert: 'c***@experts.example.cn', total: 82.5 }],
            notScored: ['w***@x.cn'],
          },
        },
      ]);
    }
  });

  it('the reviewers over it and the operators of its scope: whole', async () => {
    const officials = [PEOPLE.yanbianReviewer, PEOPLE.jilinReviewer, PEOPLE.miitReviewer, PEOPLE.jilinOperator];
    for (const official of [...officials, PEOPLE.nationalOperator])
      for (const events of await trailsOf(official)) expect(events, official.sub).toEqual([decided, closed]);
  });
});

describe('get and listEvidence', () => {
  it('answer the county and the reviewers above it', async () => {
    for (const principal of [PEOPLE.dunhuaApplicant, PEOPLE.yanbianReviewer, PEOPLE.miitReviewer]) {
      expect((await intake.get(APP_ID, principal)).applicationId).toBe(APP_ID);
      expect(await intake.listEvidence(APP_ID, principal)).toHaveLength(1);
    }
  });

  it('refuse a county official of elsewhere', async () => {
    await refusesWith403(intake.get(APP_ID, PEOPLE.hebeiApplicant));
    await refusesWith403(intake.listEvidence(APP_ID, PEOPLE.hebeiApplicant));
  });
});

describe('patch', () => {
  it('writes nothing for the city above the county', async () => {
    await refusesWith403(
      intake.patch(APP_ID, { clusterName: '新名称' }, { principal: PEOPLE.yanbianReviewer, requestId: 'r' }),
    );
    expect(records.applications.get(APP_ID)).toMatchObject({ revision: 0, clusterName: '敦化市医药产业集群' });
    expect(records.audit).toHaveLength(1);
  });
});
