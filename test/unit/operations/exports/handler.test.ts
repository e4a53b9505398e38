import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import ExcelJS from 'exceljs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jurisdictionSortKey, keys } from '../../../../shared/adapters/dynamo-records/keys.ts';
import { reviewKeys } from '../../../../shared/adapters/dynamo-reviews/items.ts';
import { tallyPartition, tallySortKey } from '../../../../shared/adapters/dynamo-tallies.ts';
import { FIRST_DATA_ROW } from '../../../../shared/operations/exports/xlsx.ts';
import type { ApplicationRecord } from '../../../../shared/schemas/records.ts';
import type { ReviewRecord } from '../../../../shared/schemas/reviews.ts';
import type { Tally } from '../../../../shared/schemas/tallies.ts';
import type { Principal } from '../../../../shared/platform/auth/principal.ts';
import { apiEvent, PEOPLE } from '../../support.ts';
import { CAMPAIGN_ID, jilin, scored, shanxi } from './fixtures.ts';

process.env.TABLE_NAME = 'Records';
process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY = 'secret';

const ROUTE = 'GET /v1/exports/{campaignId}/{file}';
const ddb = mockClient(DynamoDBDocumentClient);

type Result = { statusCode: number; body: string; headers?: Record<string, unknown>; isBase64Encoded?: boolean };
let handler: (event: ReturnType<typeof apiEvent>) => Promise<Result>;

beforeAll(async () => {
  handler = (await import('../../../../functions/exports.ts')).handler;
});

/** MIIT's reviewers may export every table: the tests of what a table holds download as them (null: no one). */
const download = (
  file: string,
  query: Record<string, string>,
  campaignId = CAMPAIGN_ID,
  as: Principal | null = PEOPLE.miitReviewer,
) => handler(apiEvent(ROUTE, { pathParameters: { campaignId, file }, query, ...(as && { as }) }));

const errorOf = (result: Result) =>
  JSON.parse(result.body).error as { code: string; details?: { field: string; code: string }[] };

// ---- a fake table behind the mocked client, with the real adapters' key layout --------------

let applicationItems: Record<string, unknown>[] = [];
let reviewItems: Record<string, unknown>[] = [];
let tallyItems: Record<string, unknown>[] = [];

const applicationItem = (a: ApplicationRecord) => ({
  ...a,
  ...keys.application(a.applicationId),
  gsi1pk: `JUR#${a.provincialCode}`,
  gsi1sk: jurisdictionSortKey(a, a.status),
});
const reviewItem = (r: ReviewRecord) => ({
  ...r,
  ...reviewKeys.review(r.applicationId, r.reviewId),
  gsi1pk: reviewKeys.rankPartition(r.jurisdictionCode),
  gsi1sk: `${r.campaignId}#${r.track}#${String(Math.round((r.weightedScore ?? 0) * 100)).padStart(5, '0')}#${r.reviewId}`,
});
const tallyItem = (t: Tally) => ({ ...t, pk: tallyPartition(t.campaignId), sk: tallySortKey(t) });
const tally = (provincialCode: string, status: Tally['status'], count = 1): Tally => ({
  campaignId: CAMPAIGN_ID,
  kind: 'province',
  track: 'recommendation',
  status,
  provincialCode,
  count,
});

const value = (input: QueryCommandInput, name: string) => String(input.ExpressionAttributeValues?.[name] ?? '');

/** Answers Queries from the items above; byJurisdiction answers in pages of two. */
function query(input: QueryCommandInput) {
  const pk = value(input, ':pk');
  const prefix = value(input, ':prefix');
  if (input.IndexName === 'byJurisdiction') {
    const pool = pk.startsWith('JUR#') ? applicationItems : reviewItems;
    const matching = pool.filter((item) => item.gsi1pk === pk && String(item.gsi1sk).startsWith(prefix));
    const start = Number(input.ExclusiveStartKey?.offset ?? 0);
    const page = matching.slice(start, start + 2);
    return {
      Items: page,
      ...(start + 2 < matching.length && { LastEvaluatedKey: { offset: start + 2 } }),
    };
  }
  return { Items: tallyItems.filter((item) => item.pk === pk && String(item.sk).startsWith(prefix)) };
}

const queries = () => ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);

beforeEach(() => {
  ddb.reset();
  const j = jilin();
  const s = shanxi();
  applicationItems = [...j.applications, ...s.applications].map(applicationItem);
  reviewItems = j.reviews.map(reviewItem);
  tallyItems = [];
  ddb.on(QueryCommand).callsFake(query);
  ddb.on(GetCommand).resolves({});
});

async function sheetOf(result: Result): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  const bytes = Buffer.from(result.body, 'base64');
  await workbook.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('no worksheet');
  return sheet;
}

const column = (sheet: ExcelJS.Worksheet, header: string) => {
  const row = sheet.getRow(2);
  for (let i = 1; i <= row.cellCount; i++) if (row.getCell(i).value === header) return i;
  throw new Error(`no column ${header}`);
};

const dataRows = (sheet: ExcelJS.Worksheet) =>
  Array.from({ length: sheet.rowCount - FIRST_DATA_ROW + 1 }, (_, i) => sheet.getRow(FIRST_DATA_ROW + i));

describe('GET /v1/exports/{campaignId}/{file}: refusals', () => {
  it('answers 400 naming query.jurisdiction when it is malformed, and reads nothing', async () => {
    for (const query of [{ jurisdiction: '22' }, { jurisdiction: 'abcdef' }] as Record<string, string>[]) {
      const result = await download('summary.xlsx', query);
      expect(result.statusCode).toBe(400);
      expect(errorOf(result).details?.map((d) => d.field)).toEqual(['query.jurisdiction']);
    }
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 400 naming path.file for a file it does not serve', async () => {
    const result = await download('summary.pdf', { jurisdiction: '220000' });
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details?.map((d) => d.field)).toEqual(['path.file']);
  });

  it('answers 400 for an unknown jurisdiction, a county, and a city whose province asks for no city tables', async () => {
    for (const [code, expected] of [
      ['229999', 'UNKNOWN_JURISDICTION'],
      ['222403', 'NOT_A_REVIEWING_JURISDICTION'],
      // Hebei's overlay-less cities file no table of their own (Jilin's and Shanxi's do).
      ['130100', 'CITY_TABLES_NOT_ASKED'],
    ] as const) {
      const result = await download('summary.xlsx', { jurisdiction: code });
      expect(result.statusCode, code).toBe(400);
      expect(errorOf(result).details).toEqual([
        expect.objectContaining({ field: 'query.jurisdiction', code: expected }),
      ]);
    }
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });

  it('answers 400 naming query.track for a track the campaign does not run', async () => {
    const result = await download('summary.xlsx', { jurisdiction: '220000', track: 'rereview' });
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details?.map((d) => d.field)).toEqual(['query.track']);
  });

  it('answers 404 for an unknown campaign', async () => {
    const result = await download('summary.xlsx', { jurisdiction: '220000' }, 'no-such-campaign');
    expect(result.statusCode).toBe(404);
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 1);
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });

  it('answers a bare 500 when DynamoDB fails', async () => {
    ddb.on(QueryCommand).rejects(new Error('ProvisionedThroughputExceeded: secret detail'));
    const result = await download('summary.xlsx', { jurisdiction: '220000' });
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' } });
  });
});

describe('GET /v1/exports/{campaignId}/{file}: the province table', () => {
  it('answers 200 with a base64 XLSX attachment whose rows are the province table, in rank order', async () => {
    const result = await download('summary.xlsx', { jurisdiction: '220000' });
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(true);
    expect(result.headers?.['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const disposition = String(result.headers?.['content-disposition']);
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(disposition).toContain('-miit-2025-recommendation-220000.xlsx"');
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe(
      '2025年推荐汇总表（吉林省）-miit-2025-recommendation-220000.xlsx',
    );
    expect(result.headers?.['cache-control']).toBe('no-store');

    const sheet = await sheetOf(result);
    expect(sheet.getCell('A1').value).toBe('2025年中小企业特色产业集群推荐汇总表（吉林省）');
    const name = column(sheet, '集群名称');
    const rank = column(sheet, '推荐排序');
    const decision = column(sheet, '决定');
    const reason = column(sheet, '原因');
    expect(
      dataRows(sheet).map((row) => [row.getCell(name).value, row.getCell(rank).value, row.getCell(decision).value]),
    ).toEqual([
      ['敦化市医药产业集群', 1, '推荐'],
      ['梅河口市医药产业集群', 2, '推荐（待报送）'],
      ['大安市清洁能源装备产业集群', 3, '不予推荐'],
      ['=HYPERLINK("http://evil.example","点击")', null, '待审核'],
    ]);
    expect(dataRows(sheet)[2]?.getCell(reason).value).toContain('低于40亿元的门槛');
  });

  it('reads with Queries only: every page of the byJurisdiction index, and the ranking', async () => {
    await download('summary.xlsx', { jurisdiction: '220000' });
    expect(ddb).not.toHaveReceivedCommand(ScanCommand);
    expect(ddb.calls().every((call) => call.args[0] instanceof QueryCommand)).toBe(true);
    const listings = queries().filter((input) => value(input, ':pk') === 'JUR#220000');
    // 7 Jilin items of this prefix in pages of two: four pages.
    expect(listings).toHaveLength(4);
    for (const input of listings) {
      expect(input).toMatchObject({
        IndexName: 'byJurisdiction',
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': 'gsi1pk', '#sk': 'gsi1sk' },
        ExpressionAttributeValues: { ':prefix': `${CAMPAIGN_ID}#` },
      });
    }
    // Three scored reviews, in pages of two.
    expect(queries().filter((input) => value(input, ':pk') === 'RANK#220000')).toHaveLength(2);
    expect(queries()).toHaveLength(6);
  });

  it('answers the same rows as CSV: UTF-8 with a BOM, as text', async () => {
    const result = await download('summary.csv', { jurisdiction: '220000' });
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(false);
    expect(result.headers?.['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(String(result.headers?.['content-disposition'])).toContain('.csv');
    expect(result.body.startsWith('\uFEFF序号,集群名称,')).toBe(true);
    const lines = result.body.split('\r\n');
    expect(lines[2]?.startsWith('1,敦化市医药产业集群,吉林省,延边朝鲜族自治州,敦化市,')).toBe(true);
    expect(result.body).toContain(`"'=HYPERLINK(""http://evil.example"",""点击"")"`);
  });
});

describe('GET /v1/exports/{campaignId}/{file}: city and national tables', () => {
  it("serves a Shanxi city's own table, ranked by the province's scores", async () => {
    const s = shanxi();
    reviewItems = [scored(s.notice, 90), scored(s.approved, 70)].map(reviewItem);
    applicationItems = s.applications.map(applicationItem);
    const result = await download('summary.xlsx', { jurisdiction: '140100' });
    expect(result.statusCode).toBe(200);
    const sheet = await sheetOf(result);
    expect(sheet.getCell('A1').value).toBe('2025年中小企业特色产业集群推荐汇总表（山西省太原市）');
    const name = column(sheet, '集群名称');
    // Ranked first, then by county (小店区 140105 before 清徐县 140121) and name.
    expect(dataRows(sheet).map((row) => row.getCell(name).value)).toEqual([
      '清徐县装备产业集群',
      '清徐县醋产业集群',
      '小店区软件产业集群',
      '清徐县葡萄产业集群',
    ]);
    expect(
      queries()
        .map((input) => value(input, ':pk'))
        .sort(),
    ).toEqual(['JUR#140000', 'JUR#140000', 'JUR#140000', 'RANK#140000']);
  });

  it("MIIT's national table reads only the provinces the tallies show at its stage", async () => {
    tallyItems = [
      tally('220000', 'MIIT_REVIEW'),
      tally('220000', 'PROVINCE_REVIEW', 2),
      tally('140000', 'PUBLIC_NOTICE'),
      tally('110000', 'CITY_REVIEW', 3),
      tally('130000', 'MIIT_REVIEW', 0),
    ].map(tallyItem);
    const result = await download('summary.xlsx', { jurisdiction: '000000' });
    expect(result.statusCode).toBe(200);
    const sheet = await sheetOf(result);
    expect(sheet.getCell('A1').value).toBe('2025年中小企业特色产业集群推荐汇总表（全国）');
    const name = column(sheet, '集群名称');
    const province = column(sheet, '所在地（省级）');
    expect(dataRows(sheet).map((row) => [row.getCell(province).value, row.getCell(name).value])).toEqual([
      ['山西省', '清徐县装备产业集群'],
      ['吉林省', '敦化市医药产业集群'],
    ]);
    const partitions = queries().map((input) => value(input, ':pk'));
    expect(partitions.filter((pk) => pk.startsWith('TALLY#'))).toEqual([`TALLY#${CAMPAIGN_ID}`]);
    expect([...new Set(partitions.filter((pk) => !pk.startsWith('TALLY#')))].sort()).toEqual([
      'JUR#140000',
      'JUR#220000',
      'RANK#140000',
      'RANK#220000',
    ]);
    expect(ddb).not.toHaveReceivedCommand(ScanCommand);
  });
});

describe('GET /v1/exports/{campaignId}/{file}: who may export which table', () => {
  const title = async (result: Result) => (await sheetOf(result)).getCell('A1').value;

  it("serves the principal's own jurisdiction's table when the query names none", async () => {
    const result = await download('summary.xlsx', {}, CAMPAIGN_ID, PEOPLE.jilinReviewer);
    expect(result.statusCode).toBe(200);
    expect(await title(result)).toBe('2025年中小企业特色产业集群推荐汇总表（吉林省）');
  });

  it("serves a jurisdiction's table to its reviewers, reviewers above it and operators over it", async () => {
    const shanxiCityReviewer = { sub: 'reviewer-140100', role: 'reviewer', jurisdiction: '140100' } as const;
    for (const [principal, jurisdiction] of [
      [PEOPLE.jilinReviewer, '220000'],
      [PEOPLE.miitReviewer, '220000'],
      [PEOPLE.jilinOperator, '220000'],
      [PEOPLE.nationalOperator, '220000'],
      [shanxiCityReviewer, '140100'],
    ] as const) {
      const result = await download('summary.csv', { jurisdiction }, CAMPAIGN_ID, principal);
      expect(result.statusCode, `${principal.sub} → ${jurisdiction}`).toBe(200);
    }
  });

  it('refuses 403 a sibling, a parent, an unrelated province and any applicant, reading nothing but the campaign', async () => {
    for (const [principal, query] of [
      [PEOPLE.yanbianReviewer, { jurisdiction: '220000' }], // a city asking for its province's table
      [PEOPLE.jilinReviewer, { jurisdiction: '000000' }], // a province asking for the national table
      [PEOPLE.jilinReviewer, { jurisdiction: '140000' }], // another province
      [PEOPLE.jilinOperator, { jurisdiction: '000000' }], // a provincial operator, the national table
      [PEOPLE.jilinOperator, { jurisdiction: '140100' }], // a provincial operator, another province's city
      [PEOPLE.dunhuaApplicant, {}], // applicants export nothing, not even their own county's
      [PEOPLE.dunhuaApplicant, { jurisdiction: '220000' }],
    ] as const) {
      const result = await download('summary.xlsx', query, CAMPAIGN_ID, principal);
      expect(result.statusCode, `${principal.sub} → ${JSON.stringify(query)}`).toBe(403);
      expect(errorOf(result).code).toBe('FORBIDDEN');
    }
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });

  it('checks in order: the campaign (404), then who asks (403), then whether the table exists (400)', async () => {
    expect(
      (await download('summary.xlsx', { jurisdiction: '140000' }, 'no-such-campaign', PEOPLE.jilinReviewer)).statusCode,
    ).toBe(404);
    expect(
      (await download('summary.xlsx', { jurisdiction: '229999' }, CAMPAIGN_ID, PEOPLE.jilinReviewer)).statusCode,
    ).toBe(403);
    // Shijiazhuang may ask for its own table, but Hebei has no overlay that asks for city tables.
    const shijiazhuang = { sub: 'reviewer-130100', role: 'reviewer', jurisdiction: '130100' } as const;
    const own = await download('summary.xlsx', {}, CAMPAIGN_ID, shijiazhuang);
    expect(own.statusCode).toBe(400);
    expect(errorOf(own).details).toEqual([
      expect.objectContaining({ field: 'query.jurisdiction', code: 'CITY_TABLES_NOT_ASKED' }),
    ]);
  });

  it('answers 401 without a principal', async () => {
    const result = await download('summary.xlsx', { jurisdiction: '220000' }, CAMPAIGN_ID, null);
    expect(result.statusCode).toBe(401);
    expect(ddb.calls()).toHaveLength(0);
  });
});
