import { beforeEach, describe, expect, it } from 'vitest';
import { CampaignCatalog } from '../../../shared/intake/campaigns.ts';
import { ConflictError } from '../../../shared/platform/errors.ts';
import { Intake } from '../../../shared/intake/intake.ts';
import type { ReviewWorkflow } from '../../../shared/ports/intake.ts';
import { effectiveRules } from '../../../shared/rules/effective-rules.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import { sampleRecommendationForm } from '../../../local/sample-evidence.ts';
import type { ApplicationRecord } from '../../../shared/schemas/records.ts';
import { APP_ID, PEOPLE, sampleApplication, sampleEvidence } from '../support.ts';
import { FakeRecords } from './fakes.ts';

/** Intake's side of the return loop: a RETURNED application resubmitted to the waiting workflow. */

const NOW = new Date('2026-03-05T00:00:00.000Z');
const campaign = demoCampaign(new Date('2026-03-01T00:00:00.000Z'));
const actor = { principal: PEOPLE.dunhuaApplicant, requestId: 'req-1' };

let records: FakeRecords;
let handedOver: ApplicationRecord[];
let intake: Intake;

const workflow: ReviewWorkflow = {
  start: async () => {
    throw new Error('a resubmission starts no new execution');
  },
  resubmitted: async (application) => {
    handedOver.push(application);
  },
};

function returned(overrides: Partial<ApplicationRecord> = {}): ApplicationRecord {
  const cityDeadline = effectiveRules(campaign, 'recommendation', '222403').deadlines.city ?? '';
  return sampleApplication({
    campaignId: campaign.campaignId,
    form: sampleRecommendationForm(campaign.year),
    status: 'RETURNED',
    revision: 6,
    stage: 'city',
    round: 1,
    dueAt: cityDeadline,
    decisionReason: '缺少现场核查说明',
    resubmissionToken: 'token-1',
    ...overrides,
  });
}

beforeEach(() => {
  records = new FakeRecords();
  handedOver = [];
  // Every checklist item of the track has a VALID file.
  for (const [i, item] of effectiveRules(campaign, 'recommendation', '222403').checklist.entries()) {
    records.evidence.push(
      sampleEvidence({
        evidenceId: `7d0c2d7a-52a4-4b8f-8a0e-${String(i).padStart(12, '0')}`,
        criterion: item.id,
        status: 'VALID',
      }),
    );
  }
  intake = new Intake({
    records,
    workflow,
    campaigns: new CampaignCatalog(
      { putCampaign: async () => {}, getStoredCampaign: async () => campaign, listStoredCampaigns: async () => [] },
      () => NOW,
    ),
    clock: () => NOW,
    newId: () => '00000000-0000-4000-8000-000000000001',
  });
});

describe('resubmitting a returned application', () => {
  it('records SUBMITTED with the next revision and hands it to the waiting workflow', async () => {
    records.put(returned());
    const result = await intake.submit(APP_ID, actor);
    expect(result).toMatchObject({ status: 'SUBMITTED', revision: 7, resubmittedAt: NOW.toISOString() });
    expect(result).not.toHaveProperty('resubmissionToken');
    expect(handedOver).toHaveLength(1);
    expect(handedOver[0]).toMatchObject({ revision: 7, resubmissionToken: 'token-1' });
    expect(records.audit.at(-1)).toMatchObject({
      action: 'RESUBMITTED',
      actor: 'applicant-222403',
      role: 'applicant',
      jurisdiction: '222403',
      requestId: 'req-1',
      fromStatus: 'RETURNED',
      toStatus: 'SUBMITTED',
      detail: { stage: 'city', round: 1 },
    });
  });

  it('records the county official’s display name beside the subject', async () => {
    records.put(returned());
    await intake.submit(APP_ID, { principal: { ...PEOPLE.dunhuaApplicant, name: '李申报' }, requestId: 'req-1' });
    expect(records.audit.at(-1)).toMatchObject({
      action: 'RESUBMITTED',
      actor: 'applicant-222403',
      actorName: '李申报',
      role: 'applicant',
    });
  });

  it('hands it over again when asked again before the workflow took it, writing nothing', async () => {
    records.put(returned());
    await intake.submit(APP_ID, actor);
    const audited = records.audit.length;
    await intake.submit(APP_ID, actor);
    expect(handedOver.map((a) => a.revision)).toEqual([7, 7]);
    expect(records.audit).toHaveLength(audited);
  });

  it('refuses after the stage deadline (逾期不予受理)', async () => {
    records.put(returned({ dueAt: '2026-03-04T23:59:59+08:00' }));
    const error = await intake.submit(APP_ID, actor).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('DEADLINE_PASSED');
    expect(handedOver).toEqual([]);
  });

  it('refuses an incomplete resubmission like a first submission', async () => {
    records.put(returned());
    records.evidence.length = 0;
    const error = await intake.submit(APP_ID, actor).catch((e: unknown) => e);
    expect((error as ConflictError).code).toBe('SUBMISSION_INCOMPLETE');
    expect(handedOver).toEqual([]);
  });

  it('asks to try again while the workflow has not yet stored its token', async () => {
    records.put(returned({ resubmissionToken: undefined }));
    const error = await intake.submit(APP_ID, actor).catch((e: unknown) => e);
    expect((error as ConflictError).code).toBe('RESUBMISSION_NOT_READY');
  });

  it('is the county’s alone: the city that returned it, the province above and a sibling county get 403', async () => {
    const sibling = { sub: 'applicant-222401', role: 'applicant', jurisdiction: '222401' } as const;
    for (const principal of [PEOPLE.yanbianReviewer, PEOPLE.jilinReviewer, PEOPLE.jilinOperator, sibling]) {
      records.put(returned());
      const error = await intake.submit(APP_ID, { principal, requestId: 'req-2' }).catch((e: unknown) => e);
      expect(error, principal.sub).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
    expect(handedOver).toEqual([]);
    expect(records.audit).toEqual([]);
    expect(records.applications.get(APP_ID)).toMatchObject({ status: 'RETURNED', revision: 6 });
  });

  it('hands nothing over again for a stranger while the hand-over is pending', async () => {
    records.put(returned({ status: 'SUBMITTED', revision: 7 }));
    const error = await intake
      .submit(APP_ID, { principal: PEOPLE.hebeiApplicant, requestId: 'req-2' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(handedOver).toEqual([]);
  });
});
