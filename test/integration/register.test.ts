import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRecords } from '../../shared/adapters/dynamo-records/store.ts';
import type { ImportReport, MigrationReport, RegisterView } from '../../shared/register/api-schemas.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { sampleApplication } from '../unit/support.ts';
import { generatedList, toCsv, toXlsx } from '../unit/register/lists.ts';
import { as, asOperator, startTestStack, type TestStack, testClients } from './harness.ts';

/**
 * The register against DynamoDB Local, through the local API: the seed, a national list of 300
 * rows (5 broken) imported twice as CSV and once as XLSX, a provincial operator's scope, the
 * migration of a recognition made before the register (run twice), and what a county sees.
 */
let stack: TestStack;
const campaign = demoCampaign(new Date());
const list = generatedList();

beforeAll(async () => {
  stack = await startTestStack();
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
});

afterAll(async () => {
  await stack?.cleanup();
});

const importBody = (fileName: string, bytes: Uint8Array | string) => ({
  level: 'national',
  cohort: 2024,
  validFrom: '2024-12-20',
  fileName,
  content: Buffer.from(bytes).toString('base64'),
});

async function register(role: 'operator' | 'applicant' | 'reviewer', code: string, query = '') {
  const reply = await (await as(stack, role, code)).raw('GET', `/v1/register${query}`);
  expect(reply.status, reply.text).toBe(200);
  return reply.json as RegisterView;
}

describe('the register of recognised clusters on DynamoDB Local', () => {
  it('holds the seed: 敦化市医药产业集群 (2022) and the three 2023 clusters the notices name', async () => {
    const view = await register('operator', '000000');
    expect(view.entries.map((e) => [e.clusterName, e.cohort, e.level, e.countyCode])).toEqual([
      ['北京市丰台区轨道交通智能控制', 2023, 'national', '110106'],
      ['北京市大兴区医疗器械', 2023, 'national', '110115'],
      ['江苏省南京市江宁区智能配电设备', 2023, 'national', '320115'],
      ['敦化市医药产业集群', 2022, 'national', '222403'],
    ]);
  });

  it('imports a 300-row list with 5 broken rows: an exact report, and nothing doubled on a re-import (CSV, then XLSX)', async () => {
    const operator = await asOperator(stack);
    const csv = importBody('2024年度名单.csv', toCsv(list.rows));
    const first = await operator.raw('POST', '/v1/register/imports', csv);
    expect(first.status, first.text).toBe(200);
    const report = first.json as ImportReport;
    expect(report).toMatchObject({ rows: 300, created: 295, existing: 0, refused: 5 });
    expect(report.refusals.map((r) => [r.row, r.column, r.code])).toEqual([
      [20, '主导产业', 'required'],
      [63, '省份', 'unknown_province'],
      [124, '集群名称', 'county_not_in_name'],
      [203, '区县代码', 'invalid_format'],
      [253, '集群名称', 'duplicate_row'],
    ]);

    const again = (await operator.raw('POST', '/v1/register/imports', csv)).json as ImportReport;
    expect(again).toMatchObject({ created: 0, existing: 295, refused: 5 });
    const xlsx = (
      await operator.raw('POST', '/v1/register/imports', importBody('2024年度名单.xlsx', await toXlsx(list.rows)))
    ).json as ImportReport;
    expect(xlsx).toMatchObject({ format: 'xlsx', created: 0, existing: 295, refused: 5 });

    const cohort2024 = await register('operator', '000000', '?cohort=2024');
    expect(cohort2024.entries).toHaveLength(295);
    expect(new Set(cohort2024.entries.map((e) => e.countyCode))).toEqual(new Set(list.counties));
    expect(cohort2024.counts.total).toBe(299);
  });

  it('a provincial operator imports its own province’s rows only, and sees its province', async () => {
    const jilin = await as(stack, 'operator', '220000');
    const csv =
      '序号,省份,集群名称,主导产业\n1,吉林省,延吉市食品产业集群,食品\n2,北京市,北京市海淀区软件产业集群,软件\n';
    const reply = await jilin.raw('POST', '/v1/register/imports', {
      ...importBody('吉林省名单.csv', csv),
      level: 'provincial',
    });
    expect(reply.json).toMatchObject({ created: 1, refused: 1, refusals: [{ row: 3, code: 'outside_scope' }] });
    const view = await register('operator', '220000', '?level=provincial');
    expect(view.entries.map((e) => e.clusterName)).toEqual(['延吉市食品产业集群']);
    expect(Object.keys(view.counts.byProvince)).toEqual(['220000']);
  });

  it('the migration enters a recognition made before the register; run twice, nothing doubled', async () => {
    const clients = testClients();
    try {
      const records = new DynamoRecords(clients.doc, process.env.TABLE_NAME ?? '');
      const applicationId = randomUUID();
      const at = new Date().toISOString();
      await records.createApplication(
        sampleApplication({
          applicationId,
          campaignId: campaign.campaignId,
          countyCode: '222401',
          cityCode: '222400',
          clusterName: '延吉市医药产业集群',
          status: 'RECOGNIZED',
          stage: 'miit',
          recognizedAt: at,
          validUntil: new Date(Date.now() + 3 * 365 * 86_400_000).toISOString(),
        }),
        { applicationId, eventId: randomUUID(), at, action: 'RECOGNIZED', actor: 'workflow' },
      );
    } finally {
      clients.destroy();
    }
    const operator = await asOperator(stack);
    const first = await operator.raw('POST', '/v1/register/migrations/recognized');
    expect(first.json as MigrationReport).toMatchObject({ created: 1, existing: 0 });
    const second = await operator.raw('POST', '/v1/register/migrations/recognized');
    expect(second.json as MigrationReport).toMatchObject({ created: 0, existing: 1 });
    const yanji = await register('applicant', '222401');
    const fromPipeline = yanji.entries.filter((e) => e.source.kind === 'migration');
    expect(fromPipeline.map((e) => [e.clusterName, e.cohort, e.level])).toEqual([
      ['延吉市医药产业集群', campaign.year, 'national'],
    ]);
    expect(yanji.entries.every((e) => e.countyCode === '222401')).toBe(true);
  });

  it('a county sees its own clusters only, with their validity and what is due', async () => {
    const dunhua = await register('applicant', '222403');
    expect(dunhua.entries.map((e) => e.clusterName)).toEqual(['敦化市医药产业集群']);
    expect(dunhua.entries[0]).toMatchObject({ validFrom: '2022-12-31', validUntil: '2025-12-31' });
    const page = await (await as(stack, 'applicant', '222403')).raw('GET', '/portal/clusters');
    expect(page.status).toBe(200);
    expect(page.text).toContain('敦化市医药产业集群');
    expect(page.text).not.toContain('北京市大兴区医疗器械');
  });
});
