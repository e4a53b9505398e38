import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLUSTERS } from '../../local/sample-evidence.ts';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { asBeforeSteps } from './steps.ts';
import { CRITERIA } from '../../shared/rules/criteria.ts';
import type { Decision } from '../../local/client/index.ts';
import { anonymous, as, asOperator, startTestStack, type TestStack } from './harness.ts';
import * as steps from './steps.ts';

/**
 * The province's summary table downloaded over HTTP from the local API, after three Jilin
 * applications went up the real ladder: one approved by the province (with expert scores, waiting
 * for the batch date), one rejected there with scores and a reason, one still with its city.
 */
const clock = new ManualClock();
let stack: TestStack;
const campaign = asBeforeSteps(demoCampaign(new Date()));

beforeAll(async () => {
  stack = await startTestStack({ stepFunctions: { clock: { timers: clock } } });
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
});

afterAll(async () => {
  await stack?.cleanup();
});

const fileAndSubmit = (cluster: (typeof DEMO_CLUSTERS)[number]) => steps.fileAndSubmit(stack, campaign, cluster);
const uploadPdf = (applicationId: string, criterion: string) => steps.uploadPdf(stack, applicationId, criterion);
const reviewLink = (applicationId: string, stage: string) => steps.reviewLink(stack, applicationId, stage);

async function decide(applicationId: string, stage: string, body: Omit<Decision, 't'>): Promise<void> {
  const link = await reviewLink(applicationId, stage);
  const decided = await anonymous(stack).decide(link.reviewId, { t: link.secret, ...body });
  expect(decided.status, JSON.stringify(decided.json)).toBe(200);
}

async function cityApproves(applicationId: string): Promise<void> {
  await reviewLink(applicationId, 'city');
  await uploadPdf(applicationId, 'onsite-check-statement');
  await decide(applicationId, 'city', { decision: 'approve', alsoNational: true });
}

const scores = (base: number) => Object.fromEntries(CRITERIA.map((criterion) => [criterion, base]));

describe('summary tables from the local API', () => {
  it("serves the province's 推荐汇总表 as XLSX and CSV, ranked by the experts' scores", async () => {
    const [dunhua, daan, meihekou] = DEMO_CLUSTERS;
    if (!dunhua || !daan || !meihekou) throw new Error('three demo clusters expected');
    const approved = await fileAndSubmit(dunhua);
    const rejected = await fileAndSubmit(daan);
    // 梅河口 sends to Jilin's province directly (a sender of Jilin's overlay): a county of 延边 stands
    // for an application still with its city.
    const withCity = await fileAndSubmit({ ...meihekou, countyCode: '222401', clusterName: '延吉市医药产业集群' });

    await cityApproves(approved);
    await cityApproves(rejected);
    await decide(approved, 'province', { decision: 'approve', scores: scores(90) });
    await decide(rejected, 'province', { decision: 'reject', reason: '产值增速不足, 未达"门槛"', scores: scores(70) });
    const execution = steps.ladderExecution(stack, rejected);
    await stack.stepFunctions.waitForExecution(execution.executionArn, 15_000);
    expect(await steps.statusOf(stack, rejected)).toBe('REJECTED');
    await reviewLink(withCity, 'city'); // still with its city: not in the province's table

    // Jilin's reviewers download Jilin's table.
    const jilin = await as(stack, 'reviewer', '220000');
    const response = await jilin.exportSummary(campaign.campaignId, 'summary.xlsx', { jurisdiction: '220000' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.xlsx"; filename\*=UTF-8''/);
    const workbook = new ExcelJS.Workbook();
    const bytes = Buffer.from(response.bytes);
    await workbook.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no worksheet');

    expect(sheet.getCell('A1').value).toBe(`${campaign.year}年中小企业特色产业集群推荐汇总表（吉林省）`);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    const headers = (sheet.getRow(2).values as unknown[]).slice(1);
    const at = (row: number, header: string) => sheet.getRow(row).getCell(headers.indexOf(header) + 1).value;
    expect(sheet.rowCount).toBe(5);
    expect(
      [4, 5].map((row) => [
        at(row, '序号'),
        at(row, '集群名称'),
        at(row, '推荐排序'),
        at(row, '专家评审得分'),
        at(row, '决定'),
      ]),
    ).toEqual([
      [1, dunhua.clusterName, 1, 90, '推荐（待报送）'],
      [2, daan.clusterName, 2, 70, '不予推荐'],
    ]);
    expect(at(4, '所在地（市）')).toBe('延边朝鲜族自治州');
    expect(at(4, `${campaign.year - 1}年产值（亿元）`)).toBe(52.3);
    expect(at(5, '当前状态')).toBe('未通过（省级审核）');
    expect(at(5, '原因')).toBe('产值增速不足, 未达"门槛"');
    // Jilin's cities stated "also national" with their approvals (the helper says yes).
    expect([4, 5].map((row) => at(row, '同时推荐国家级'))).toEqual(['是', '是']);

    // Without ?jurisdiction= the table is the signed-in reviewer's own.
    const csv = await jilin.exportSummary(campaign.campaignId, 'summary.csv');
    expect(csv.status).toBe(200);
    const csvBytes = Buffer.from(csv.bytes);
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csvBytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain(`2,${daan.clusterName},吉林省,`);
    expect(lines[3]).toContain('"产值增速不足, 未达""门槛"""');

    // Jilin's cities file their candidate list with their own table: 延边州's lists what it approved.
    const city = await jilin.exportSummary(campaign.campaignId, 'summary.xlsx', { jurisdiction: '222400' });
    expect(city.status, city.text).toBe(200);

    // Below the province no one downloads the province's table; nor does another province.
    for (const who of [
      await as(stack, 'reviewer', '222400'),
      await as(stack, 'reviewer', '140000'),
      await as(stack, 'applicant', '222403'),
    ]) {
      const refused = await who.exportSummary(campaign.campaignId, 'summary.xlsx', { jurisdiction: '220000' });
      expect(refused.status, who.token).toBe(403);
      expect(refused.error.code).toBe('FORBIDDEN');
    }
    expect(
      (await (await asOperator(stack)).exportSummary(campaign.campaignId, 'summary.xlsx', { jurisdiction: '220000' }))
        .status,
    ).toBe(200);
  });
});
