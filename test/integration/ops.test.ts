import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRecommendationForm } from '../../local/sample-evidence.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { asBeforeSteps } from './steps.ts';
import type { ApiClient } from '../../local/client/index.ts';
import { as, asOperator, startTestStack, type TestStack } from './harness.ts';

/**
 * The operators' API over the real local stack: the tallies the ops summary reads move with every
 * status change written through the API, the drill-down goes province → city, and an
 * application's history names who did what, as whom, for which jurisdiction.
 */
let stack: TestStack;
let operator: ApiClient;
const campaign = asBeforeSteps(demoCampaign(new Date()));

beforeAll(async () => {
  stack = await startTestStack();
  operator = await asOperator(stack);
  expect((await operator.createCampaign(campaign)).status).toBe(201);
});

afterAll(async () => {
  await stack?.cleanup();
});

/** Shanxi's counties pick their sub-sector from the province's list; Jilin's write it freely. */
async function draft(countyCode: string, clusterName: string, subSector = '现代中药'): Promise<string> {
  const created = await (
    await as(stack, 'applicant', countyCode)
  ).createApplication({
    campaignId: campaign.campaignId,
    track: 'recommendation',
    countyCode,
    clusterName,
    leadingIndustry: '医药健康',
    subSector,
    form: sampleRecommendationForm(campaign.year),
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return created.body.applicationId;
}

const summary = async () => {
  const response = await operator.opsSummary({ campaignId: campaign.campaignId });
  expect(response.status, JSON.stringify(response.json)).toBe(200);
  return response.body;
};

describe('the ops summary and drill-down', () => {
  it('counts drafts per province and county, and moves a withdrawn one between columns', async () => {
    const dunhua = await draft('222403', '敦化市医药产业集群');
    await draft('222403', '敦化市食品产业集群');
    await draft('140105', '小店区信创产业集群', '新材料');

    let board = await summary();
    expect(board.totals.byStatus).toEqual({ DRAFT: 3 });
    expect(board.provinces.map((p) => [p.code, p.byStatus])).toEqual([
      ['140000', { DRAFT: 1 }],
      ['220000', { DRAFT: 2 }],
    ]);
    // Every draft is due at the submission deadline: one calendar day holds all three.
    expect(board.calendar.filter((day) => day.total > 0).map((day) => day.total)).toEqual([3]);
    expect(board.quotas.map((q) => [q.jurisdictionCode, q.used])).toEqual([
      ['140000', 0],
      ['220000', 0],
    ]);
    expect(board.failedExecutions).toEqual([]);

    const withdrawn = await (await as(stack, 'applicant', '222403')).withdraw(dunhua, { reason: '合并申报' });
    expect(withdrawn.status, JSON.stringify(withdrawn.json)).toBe(200);
    board = await summary();
    expect(board.totals.byStatus).toEqual({ DRAFT: 2, WITHDRAWN: 1 });
    expect(board.calendar.filter((day) => day.total > 0).map((day) => day.total)).toEqual([2]);

    const jilin = await operator.opsJurisdiction('220000', { campaignId: campaign.campaignId });
    expect(jilin.status).toBe(200);
    expect(jilin.body.children).toEqual([
      expect.objectContaining({ code: '222400', total: 2, byStatus: { DRAFT: 1, WITHDRAWN: 1 } }),
    ]);
    const yanbian = await operator.opsJurisdiction('222400', { campaignId: campaign.campaignId });
    expect(yanbian.body.children.map((c) => [c.code, c.name, c.total])).toEqual([['222403', '敦化市', 2]]);
    expect(yanbian.body.applications.map((a) => a.clusterName).sort()).toEqual([
      '敦化市医药产业集群',
      '敦化市食品产业集群',
    ]);
  });

  it('answers a bad query with the field named and an unknown campaign with 404', async () => {
    // Without its campaign: a request the typed call would not send.
    const missing = await operator.raw('GET', '/v1/ops/summary');
    expect(missing.status).toBe(400);
    expect(missing.error.details?.map((d) => d.field)).toContain('query.campaignId');
    expect((await operator.opsSummary({ campaignId: 'no-such-campaign' })).status).toBe(404);
    const redrive = await operator.redrive('not-a-ladder-run');
    expect(redrive.status).toBe(400);
  });

  it('keeps a provincial operator to its province: its drill-downs, not the national board nor another province', async () => {
    const jilinOperator = await as(stack, 'operator', '220000');
    const query = { campaignId: campaign.campaignId };
    expect((await jilinOperator.opsJurisdiction('220000', query)).status).toBe(200);
    expect((await jilinOperator.opsJurisdiction('222400', query)).status).toBe(200);
    for (const [what, read] of [
      ['the national board', () => jilinOperator.opsSummary(query)],
      ['山西 140000', () => jilinOperator.opsJurisdiction('140000', query)],
      ['小店区 140105', () => jilinOperator.opsJurisdiction('140105', query)],
    ] as const) {
      const refused = await read();
      expect(refused.status, what).toBe(403);
      expect(refused.error.code).toBe('FORBIDDEN');
    }
    // Reviewers and applicants do not watch operations at all.
    expect((await (await as(stack, 'reviewer', '220000')).opsJurisdiction('220000', query)).status).toBe(403);
    expect((await (await as(stack, 'applicant', '222403')).opsSummary(query)).status).toBe(403);
  });
});

describe('GET /v1/applications/{id}/history', () => {
  it('lists every transition with actor, role, jurisdiction and request id, oldest first', async () => {
    const id = await draft('222403', '敦化市人参产业集群');
    const dunhua = await as(stack, 'applicant', '222403');
    expect((await dunhua.patchApplication(id, { subSector: '人参' })).status).toBe(200);
    expect((await dunhua.withdraw(id, {})).status).toBe(200);

    const history = await dunhua.history(id);
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ applicationId: id, clusterName: '敦化市人参产业集群', status: 'WITHDRAWN' });
    // The signed-in county official, by the token's subject.
    expect(
      history.body.events.map((e) => [e.action, e.actor, e.role, e.jurisdiction, e.fromStatus, e.toStatus]),
    ).toEqual([
      ['APPLICATION_CREATED', 'applicant-222403', 'applicant', '222403', undefined, 'DRAFT'],
      ['FORM_UPDATED', 'applicant-222403', 'applicant', '222403', undefined, undefined],
      ['WITHDRAWN', 'applicant-222403', 'applicant', '222403', 'DRAFT', 'WITHDRAWN'],
    ]);
    expect(history.body.events.every((e) => typeof e.requestId === 'string' && e.requestId.length > 0)).toBe(true);
    expect((await dunhua.history('not-a-uuid')).status).toBe(400);
    // Another county's official reads nothing of it.
    expect((await (await as(stack, 'applicant', '222401')).history(id)).status).toBe(403);
  });
});
