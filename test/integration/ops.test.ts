import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRecommendationForm } from '../../local/sample-evidence.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import type { History, JurisdictionDrillDown, OpsSummary } from '../../shared/schemas/ops.ts';
import { api as send, as, asOperator, type Caller, startTestStack, type TestStack } from './harness.ts';
import { expectAnswerContract } from '../support/contract.ts';

/** Every answer is checked against the API's own document (GET /v1/openapi.json). */
const api = async <T = unknown>(...args: Parameters<typeof send>) => {
  const answer = await send<T>(...args);
  expectAnswerContract(args[1], args[2], answer);
  return answer;
};

/**
 * The operators' API over the real local stack: the tallies the ops summary reads move with every
 * status change written through the API, the drill-down goes province → city, and an
 * application's history names who did what, as whom, for which jurisdiction.
 */
let stack: TestStack;
let operator: Caller;
const campaign = demoCampaign(new Date());

beforeAll(async () => {
  stack = await startTestStack();
  operator = await asOperator(stack);
  expect((await api(operator, 'POST', '/v1/campaigns', campaign)).status).toBe(201);
});

afterAll(async () => {
  await stack?.cleanup();
});

async function draft(countyCode: string, clusterName: string): Promise<string> {
  const created = await api<{ applicationId: string }>(await as(stack, 'applicant', countyCode), 'POST', '/v1/applications', {
    campaignId: campaign.campaignId,
    track: 'recommendation',
    countyCode,
    clusterName,
    leadingIndustry: '医药健康',
    subSector: '现代中药',
    form: sampleRecommendationForm(campaign.year),
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return created.json.applicationId;
}

const summary = async () => {
  const response = await api<OpsSummary>(operator, 'GET', `/v1/ops/summary?campaignId=${campaign.campaignId}`);
  expect(response.status, JSON.stringify(response.json)).toBe(200);
  return response.json;
};

describe('the ops summary and drill-down', () => {
  it('counts drafts per province and county, and moves a withdrawn one between columns', async () => {
    const dunhua = await draft('222403', '敦化市医药产业集群');
    await draft('222403', '敦化市食品产业集群');
    await draft('140105', '小店区信创产业集群');

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

    const withdrawn = await api(await as(stack, 'applicant', '222403'), 'POST', `/v1/applications/${dunhua}/withdraw`, { reason: '合并申报' });
    expect(withdrawn.status, JSON.stringify(withdrawn.json)).toBe(200);
    board = await summary();
    expect(board.totals.byStatus).toEqual({ DRAFT: 2, WITHDRAWN: 1 });
    expect(board.calendar.filter((day) => day.total > 0).map((day) => day.total)).toEqual([2]);

    const jilin = await api<JurisdictionDrillDown>(operator, 'GET', `/v1/ops/jurisdictions/220000?campaignId=${campaign.campaignId}`);
    expect(jilin.status).toBe(200);
    expect(jilin.json.children).toEqual([
      expect.objectContaining({ code: '222400', total: 2, byStatus: { DRAFT: 1, WITHDRAWN: 1 } }),
    ]);
    const yanbian = await api<JurisdictionDrillDown>(operator, 'GET', `/v1/ops/jurisdictions/222400?campaignId=${campaign.campaignId}`);
    expect(yanbian.json.children.map((c) => [c.code, c.name, c.total])).toEqual([['222403', '敦化市', 2]]);
    expect(yanbian.json.applications.map((a) => a.clusterName).sort()).toEqual(['敦化市医药产业集群', '敦化市食品产业集群']);
  });

  it('answers a bad query with the field named and an unknown campaign with 404', async () => {
    const missing = await api<{ error: { details: { field: string }[] } }>(operator, 'GET', '/v1/ops/summary');
    expect(missing.status).toBe(400);
    expect(missing.json.error.details.map((d) => d.field)).toContain('query.campaignId');
    expect((await api(operator, 'GET', '/v1/ops/summary?campaignId=no-such-campaign')).status).toBe(404);
    const redrive = await api(operator, 'POST', '/v1/ops/executions/not-a-ladder-run/redrive');
    expect(redrive.status).toBe(400);
  });

  it('keeps a provincial operator to its province: its drill-downs, not the national board nor another province', async () => {
    const jilinOperator = await as(stack, 'operator', '220000');
    const query = `?campaignId=${campaign.campaignId}`;
    expect((await api(jilinOperator, 'GET', `/v1/ops/jurisdictions/220000${query}`)).status).toBe(200);
    expect((await api(jilinOperator, 'GET', `/v1/ops/jurisdictions/222400${query}`)).status).toBe(200);
    for (const path of [`/v1/ops/summary${query}`, `/v1/ops/jurisdictions/140000${query}`, `/v1/ops/jurisdictions/140105${query}`]) {
      const refused = await api<{ error: { code: string } }>(jilinOperator, 'GET', path);
      expect(refused.status, path).toBe(403);
      expect(refused.json.error.code).toBe('FORBIDDEN');
    }
    // Reviewers and applicants do not watch operations at all.
    expect((await api(await as(stack, 'reviewer', '220000'), 'GET', `/v1/ops/jurisdictions/220000${query}`)).status).toBe(403);
    expect((await api(await as(stack, 'applicant', '222403'), 'GET', `/v1/ops/summary${query}`)).status).toBe(403);
  });
});

describe('GET /v1/applications/{id}/history', () => {
  it('lists every transition with actor, role, jurisdiction and request id, oldest first', async () => {
    const id = await draft('222403', '敦化市人参产业集群');
    const dunhua = await as(stack, 'applicant', '222403');
    expect((await api(dunhua, 'PATCH', `/v1/applications/${id}`, { subSector: '人参' })).status).toBe(200);
    expect((await api(dunhua, 'POST', `/v1/applications/${id}/withdraw`, {})).status).toBe(200);

    const history = await api<History>(dunhua, 'GET', `/v1/applications/${id}/history`);
    expect(history.status).toBe(200);
    expect(history.json).toMatchObject({ applicationId: id, clusterName: '敦化市人参产业集群', status: 'WITHDRAWN' });
    // The signed-in county official, by the token's subject.
    expect(history.json.events.map((e) => [e.action, e.actor, e.role, e.jurisdiction, e.fromStatus, e.toStatus])).toEqual([
      ['APPLICATION_CREATED', 'applicant-222403', 'applicant', '222403', undefined, 'DRAFT'],
      ['FORM_UPDATED', 'applicant-222403', 'applicant', '222403', undefined, undefined],
      ['WITHDRAWN', 'applicant-222403', 'applicant', '222403', 'DRAFT', 'WITHDRAWN'],
    ]);
    expect(history.json.events.every((e) => typeof e.requestId === 'string' && e.requestId.length > 0)).toBe(true);
    expect((await api(dunhua, 'GET', '/v1/applications/not-a-uuid/history')).status).toBe(400);
    // Another county's official reads nothing of it.
    expect((await api(await as(stack, 'applicant', '222401'), 'GET', `/v1/applications/${id}/history`)).status).toBe(403);
  });
});
