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
