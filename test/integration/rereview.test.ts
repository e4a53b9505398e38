import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import { sampleRecommendationForm } from '../../local/sample-evidence.ts';
import type { RegisterView } from '../../shared/register/api-schemas.ts';
import type { CohortView } from '../../shared/register/cohort.ts';
import { registerEntryId } from '../../shared/register/entry.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { ONE_REVIEW_A_LEVEL, rereviewCampaign } from '../support/campaigns.ts';
import { anonymous, as, asOperator, startTestStack, type TestStack } from './harness.ts';
import * as steps from './steps.ts';

/**
 * The re-review cohort against the local stand-ins (issue 13 item 2): a re-review campaign names
 * the 2022 national cohort; a non-member is refused; a member files, pre-filled and locked, once;
 * its submission puts the entry under re-review, MIIT's approval retains it (validity renewed
 * from its old end) and a city's rejection revokes another; the member that never filed is on
 * the console, and the operator's decision on it is recorded.
 */
const clock = new ManualClock();
let stack: TestStack;
const campaign = rereviewCampaign(demoCampaign(new Date()), { steps: ONE_REVIEW_A_LEVEL });

/** 敦化市医药产业集群 is the seed's 2022 member; the list below adds two more and a 2023 cluster is a non-member. */
const DUNHUA_ENTRY = registerEntryId({
  level: 'national',
  cohort: 2022,
  countyCode: '222403',
  clusterName: '敦化市医药产业集群',
});
const GINSENG_ENTRY = registerEntryId({
  level: 'national',
  cohort: 2022,
  countyCode: '222403',
  clusterName: '敦化市人参产业集群',
});
const YANJI_ENTRY = registerEntryId({
  level: 'national',
  cohort: 2022,
  countyCode: '222401',
  clusterName: '延吉市食品产业集群',
});
const DAXING_2023 = registerEntryId({
  level: 'national',
  cohort: 2023,
  countyCode: '110115',
  clusterName: '北京市大兴区医疗器械',
});

const rereviewForm = (year: number) => {
  const { criteria: _criteria, ...figures } = sampleRecommendationForm(year);
  return {
    ...figures,
    recognizedYear: 2022,
    changesSinceRecognition: '认定以来集群产值年均增长 12%，新增专精特新企业 9 家。',
  };
};

beforeAll(async () => {
  stack = await startTestStack({ stepFunctions: { clock: { timers: clock } } });
  const operator = await asOperator(stack);
  expect((await operator.createCampaign(campaign)).status).toBe(201);
  const list = '序号,省份,集群名称,主导产业\n1,吉林省,敦化市人参产业集群,人参\n2,吉林省,延吉市食品产业集群,食品\n';
  const imported = await operator.raw('POST', '/v1/register/imports', {
    level: 'national',
    cohort: 2022,
    validFrom: '2022-12-30',
    fileName: '2022年度名单.csv',
    content: Buffer.from(list).toString('base64'),
  });
  expect(imported.status, imported.text).toBe(200);
  expect(imported.json).toMatchObject({ created: 2, refused: 0 });
});

afterAll(async () => {
  await stack?.cleanup();
});

const entryOf = async (entryId: string) => {
  const view = (await (await asOperator(stack)).raw('GET', '/v1/register')).json as RegisterView;
  return view.entries.find((entry) => entry.entryId === entryId);
};

async function fileFor(countyCode: string, registerEntryId: string) {
  return (await as(stack, 'applicant', countyCode)).raw('POST', '/v1/applications', {
    campaignId: campaign.campaignId,
    track: 'rereview',
    countyCode,
    registerEntryId,
    form: rereviewForm(campaign.year),
  });
}

async function fileAndSubmit(countyCode: string, registerEntryId: string): Promise<string> {
  const created = await fileFor(countyCode, registerEntryId);
  expect(created.status, created.text).toBe(201);
  const { applicationId, checklist } = created.json as {
    applicationId: string;
    checklist: { id: string; required: boolean; uploadedBy: string }[];
  };
  for (const item of checklist.filter((c) => c.required && c.uploadedBy === 'county')) {
    await steps.uploadPdf(stack, applicationId, item.id);
  }
  await steps.submit(stack, applicationId);
  return applicationId;
}

describe('the re-review cohort on the local stand-ins', () => {
  it('refuses a re-review for a non-member (a 2023 cluster), naming registerEntryId', async () => {
    const refused = await fileFor('110115', DAXING_2023);
    expect(refused.status, refused.text).toBe(400);
    expect(refused.text).toContain('registerEntryId');
    expect(refused.text).toContain('NOT_A_MEMBER');
    const otherCounty = await fileFor('222401', DUNHUA_ENTRY);
    expect(otherCounty.status).toBe(400);
    expect(otherCounty.text).toContain('ANOTHER_COUNTY');
  });

  it('files a member once, pre-filled and locked; MIIT’s approval retains it with its validity renewed', async () => {
    const created = await fileFor('222403', DUNHUA_ENTRY);
    expect(created.status, created.text).toBe(201);
    const draft = created.json as { applicationId: string; clusterName: string; leadingIndustry: string };
    expect(draft).toMatchObject({ clusterName: '敦化市医药产业集群', leadingIndustry: '医药' });
    // One filing per entry per campaign and track: a conditional write.
    const second = await fileFor('222403', DUNHUA_ENTRY);
    expect(second.status, second.text).toBe(409);
    expect(second.text).toContain('registerEntryId');
    const renamed = await (
      await as(stack, 'applicant', '222403')
    ).raw('PATCH', `/v1/applications/${draft.applicationId}`, { clusterName: '敦化市生物医药产业集群' });
    expect(renamed.status, renamed.text).toBe(409);
    expect(renamed.text).toContain('IDENTITY_LOCKED');

    for (const item of ['rereview-form', 'development-since-recognition']) {
      await steps.uploadPdf(stack, draft.applicationId, item);
    }
    await steps.submit(stack, draft.applicationId);
    expect((await entryOf(DUNHUA_ENTRY))?.state).toBe('under-re-review');

    await steps.approveStage(stack, campaign, draft.applicationId, 'city');
    await steps.approveStage(stack, campaign, draft.applicationId, 'province');
    await clock.whenPending();
    await clock.next(); // the province's list is sent at its deadline
    await steps.approveStage(stack, campaign, draft.applicationId, 'miit');
    expect((await steps.runToEnd(stack, clock, draft.applicationId)).status).toBe('SUCCEEDED');
    expect(await steps.statusOf(stack, draft.applicationId)).toBe('RECOGNIZED');
    // The seed's term ran 2022-12-31 → 2025-12-31: three more years from its end.
    expect(await entryOf(DUNHUA_ENTRY)).toMatchObject({ state: 'retained', validUntil: '2028-12-31' });
  });

  it('revokes a member its city rejects, with the reason', async () => {
    const applicationId = await fileAndSubmit('222403', GINSENG_ENTRY);
    const city = await steps.reviewLink(stack, applicationId, 'city');
    const rejected = await anonymous(stack).decide(city.reviewId, {
      t: city.secret,
      decision: 'reject',
      reason: '集群规模明显萎缩，不再符合认定条件',
    });
    expect(rejected.status, rejected.text).toBe(200);
    expect((await steps.runToEnd(stack, clock, applicationId)).status).toBe('SUCCEEDED');
    const entry = await entryOf(GINSENG_ENTRY);
    expect(entry?.state).toBe('revoked');
    expect(entry?.history.at(-1)?.reason).toContain('集群规模明显萎缩');
  });

  it('shows the member that never filed on the console, and records the operator’s decision on it', async () => {
    const reviewer = await as(stack, 'reviewer', '222400');
    const reply = await reviewer.raw('GET', `/v1/register/cohort?campaignId=${campaign.campaignId}`);
    expect(reply.status, reply.text).toBe(200);
    const view = reply.json as CohortView;
    const byEntry = new Map(view.members.map((m) => [m.entryId, m]));
    expect(byEntry.get(YANJI_ENTRY)).toMatchObject({ filing: 'not-filed', countyName: '延吉市', cityCode: '222400' });
    expect(byEntry.get(DUNHUA_ENTRY)).toMatchObject({ filing: 'ended', status: 'RECOGNIZED' });
    expect(byEntry.get(GINSENG_ENTRY)).toMatchObject({ filing: 'ended', status: 'REJECTED' });
    expect(view.counts).toMatchObject({ members: 3, filed: 2, notFiled: 1 });
    expect(byEntry.get(YANJI_ENTRY)?.deadlines.map((d) => d.stage)).toEqual(['city', 'province', 'miit']);
    // Beijing's officials see none of Jilin's members.
    const beijing = (
      await (await as(stack, 'reviewer', '110000')).raw('GET', `/v1/register/cohort?campaignId=${campaign.campaignId}`)
    ).json as CohortView;
    expect(beijing.members).toEqual([]);

    const page = await reviewer.raw('GET', `/console/register/cohort?campaignId=${campaign.campaignId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('延吉市食品产业集群');
    expect(page.text).toContain('data-filing="not-filed"');

    // Never automatic: the province's operator records the decision, and a reviewer may not.
    const refused = await reviewer.raw('POST', '/v1/register/decisions', {
      entryId: YANJI_ENTRY,
      decision: 'expire',
      reason: '未参加复核',
    });
    expect(refused.status).toBe(403);
    const decided = await (
      await as(stack, 'operator', '220000')
    ).raw('POST', '/v1/register/decisions', {
      entryId: YANJI_ENTRY,
      decision: 'expire',
      reason: '未在截止时间前参加复核',
    });
    expect(decided.status, decided.text).toBe(200);
    expect(await entryOf(YANJI_ENTRY)).toMatchObject({ state: 'expired' });
    expect((await entryOf(YANJI_ENTRY))?.history.at(-1)).toMatchObject({ by: 'operator:operator-220000' });
  });
});
