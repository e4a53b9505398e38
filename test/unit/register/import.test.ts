import { describe, expect, it } from 'vitest';
import type { AddOutcome, RegisterStore } from '../../../shared/ports/register.ts';
import type { RegisterEntry } from '../../../shared/register/entry.ts';
import { importList } from '../../../shared/register/import.ts';
import { migrateRecognized, recognitionRegister } from '../../../shared/register/recognitions.ts';
import type { ApplicationRecord } from '../../../shared/schemas/records.ts';
import { application } from '../review/fixtures.ts';
import { BROKEN_AT, generatedList, rowOf, toCsv, toXlsx } from './lists.ts';

/** The register in memory, with DynamoDB's rule: an entry is written once per natural key. */
class MemoryRegister implements Pick<RegisterStore, 'add' | 'get'> {
  readonly entries = new Map<string, RegisterEntry>();
  async add(entry: RegisterEntry): Promise<AddOutcome> {
    if (this.entries.has(entry.entryId)) return 'existing';
    this.entries.set(entry.entryId, entry);
    return 'created';
  }
  async get(entryId: string) {
    return this.entries.get(entryId);
  }
}

const NOW = new Date('2024-12-20T02:00:00Z');
const base64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
const request = (fileName: string, content: string) => ({
  level: 'national',
  cohort: 2024,
  validFrom: '2024-12-20',
  fileName,
  content,
});

/** A refusal as the report gives it: both languages in `message`, and each alone. */
const said = (zh: string, en: string) => ({ message: `${zh} / ${en}`, zh, en });

/**
 * The exact report on the generated list: its five broken rows, each refused for its own reason,
 * saying what to write there.
 */
const REFUSALS = [
  {
    row: rowOf(BROKEN_AT.emptyIndustry),
    column: '主导产业',
    code: 'required',
    ...said('主导产业为空，请填写主导产业', '主导产业 is empty: fill it in'),
  },
  {
    row: rowOf(BROKEN_AT.unknownProvince),
    column: '省份',
    code: 'unknown_province',
    ...said(
      '“东海省”不是省、自治区、直辖市或新疆生产建设兵团，请填写省级名称，如“吉林省”',
      '“东海省” is not a province, autonomous region, municipality or the XPCC: write its name, e.g. 吉林省',
    ),
  },
  {
    row: rowOf(BROKEN_AT.noCounty),
    column: '集群名称',
    code: 'county_not_in_name',
    message: expect.stringMatching(
      /^集群名称未以.+的县（市、区）开头.* \/ the name does not open with a county of .+: add a 区县 or 区县代码 column$/u,
    ),
    zh: expect.stringMatching(/^集群名称未以.+的县（市、区）开头，请增加区县或区县代码列$/u),
    en: expect.stringMatching(/^the name does not open with a county of .+: add a 区县 or 区县代码 column$/u),
  },
  {
    row: rowOf(BROKEN_AT.badCode),
    column: '区县代码',
    code: 'invalid_format',
    ...said(
      '区县代码应为6位数字（GB/T 2260），如222403，请更正或留空',
      '区县代码 must be six digits (GB/T 2260), e.g. 222403: correct it or leave it empty',
    ),
  },
  {
    row: rowOf(BROKEN_AT.duplicate),
    column: '集群名称',
    code: 'duplicate_row',
    ...said(
      `与第${rowOf(3)}行为同一集群（同一县、同一名称），请删除重复的一行`,
      `the same cluster as row ${rowOf(3)} (same county and name): remove the repeated row`,
    ),
  },
];

describe('importing an official list', () => {
  const list = generatedList();

  it('300 rows, 5 broken in different ways: 295 entries and an exact report; imported again, nothing is doubled', async () => {
    const register = new MemoryRegister();
    const deps = { register, clock: () => NOW };
    const body = request('2024年度名单.csv', base64(toCsv(list.rows)));
    const first = await importList(deps, body, 'operator:op-1');
    expect(first).toMatchObject({ rows: 300, created: 295, existing: 0, refused: 5, headerRow: 2, format: 'csv' });
    expect(first.refusals).toEqual(REFUSALS);
    expect([...register.entries.values()].map((e) => e.countyCode)).toEqual(list.counties);

    const again = await importList(deps, body, 'operator:op-2');
    expect(again).toMatchObject({ rows: 300, created: 0, existing: 295, refused: 5, importId: first.importId });
    expect(register.entries.size).toBe(295);
    // The entries still name the import and the person that first wrote them.
    expect(
      [...register.entries.values()].every((e) => e.history.length === 1 && e.history[0]?.by === 'operator:op-1'),
    ).toBe(true);
  });

  it('reads the same list as XLSX, and finds the CSV’s entries there already', async () => {
    const register = new MemoryRegister();
    const deps = { register, clock: () => NOW };
    await importList(deps, request('名单.csv', base64(toCsv(list.rows))), 'op');
    const xlsx = await importList(deps, request('名单.xlsx', base64(await toXlsx(list.rows))), 'op');
    expect(xlsx).toMatchObject({ format: 'xlsx', rows: 300, created: 0, existing: 295, refused: 5 });
    expect(xlsx.refusals).toEqual(REFUSALS);
  });

  it('an entry holds what the row says, valid for three years from the list’s date', async () => {
    const register = new MemoryRegister();
    const csv = '序号,省份,集群名称,主导产业,细分领域\n1,吉林省,敦化市医药产业集群,医药,化学药品制剂\n';
    await importList({ register, clock: () => NOW }, request('名单.csv', base64(csv)), 'operator:op-1');
    expect([...register.entries.values()]).toEqual([
      {
        entryId: 'national#2024#222403#医药',
        clusterName: '敦化市医药产业集群',
        countyCode: '222403',
        provinceCode: '220000',
        leadingIndustry: '医药',
        subSector: '化学药品制剂',
        level: 'national',
        cohort: 2024,
        validFrom: '2024-12-20',
        validUntil: '2027-12-20',
        state: 'valid',
        history: [
          {
            at: NOW.toISOString(),
            by: 'operator:op-1',
            to: 'valid',
            reason: '2024 年国家级名单导入（名单.csv 第 2 行） / imported from the 2024 national list (row 2)',
          },
        ],
        source: { kind: 'import', importId: expect.any(String), fileName: '名单.csv', row: 2 },
        revision: 0,
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
      },
    ]);
  });

  it('a dry run reports what it would enter and writes nothing; rows outside the importer’s scope are refused', async () => {
    const register = new MemoryRegister();
    const csv =
      '序号,省份,集群名称,主导产业\n1,吉林省,敦化市医药产业集群,医药\n2,北京市,北京市大兴区医疗器械,医疗器械\n';
    const dry = await importList(
      { register, clock: () => NOW },
      { ...request('a.csv', base64(csv)), dryRun: true },
      'op',
    );
    expect(dry).toMatchObject({ dryRun: true, created: 2, refused: 0 });
    expect(register.entries.size).toBe(0);
    const jilinOnly = await importList(
      { register, clock: () => NOW, inScope: (province) => province === '220000' },
      request('a.csv', base64(csv)),
      'op',
    );
    expect(jilinOnly).toMatchObject({ created: 1, refused: 1 });
    expect(jilinOnly.refusals).toEqual([
      {
        row: 3,
        column: '省份',
        code: 'outside_scope',
        ...said(
          '北京市不在导入人的辖区内，请删除这一行，或由该省或全国的运维人员导入',
          "北京市 is outside the importer's jurisdiction: remove the row, or have that province's or a national operator import it",
        ),
      },
    ]);
  });

  it('refuses a request without a format it can tell, naming the field', async () => {
    await expect(
      importList({ register: new MemoryRegister(), clock: () => NOW }, request('名单', base64('x')), 'op'),
    ).rejects.toMatchObject({ status: 400, details: [{ field: 'body.format' }] });
  });
});

describe('the pipeline’s recognitions in the register', () => {
  const recognized = (over: Partial<ApplicationRecord>): ApplicationRecord =>
    application(NOW, {
      status: 'RECOGNIZED',
      stage: 'miit',
      recognizedAt: '2025-11-30T02:00:00.000Z',
      validUntil: '2028-11-30T02:00:00.000Z',
      ...over,
    });

  it('the Recognize task enters a recommendation once, however often it runs; a re-review adds none', async () => {
    const register = new MemoryRegister();
    const entering = recognitionRegister({ register, cohortOf: async () => 2025, clock: () => NOW });
    const app = recognized({});
    expect(await entering.enterRecognition(app)).toBe('created');
    expect(await entering.enterRecognition(app)).toBe('existing');
    expect(await entering.enterRecognition(recognized({ track: 'rereview' }))).toBeUndefined();
    expect([...register.entries.values()]).toEqual([
      expect.objectContaining({
        level: 'national',
        cohort: 2025,
        countyCode: app.countyCode,
        validFrom: '2025-11-30',
        validUntil: '2028-11-30',
        source: { kind: 'pipeline', applicationId: app.applicationId, campaignId: app.campaignId },
      }),
    ]);
  });

  it('the migration enters what was recognised before the register; run twice, nothing doubled; typical cases never', async () => {
    const register = new MemoryRegister();
    const applications = [
      recognized({}),
      recognized({ applicationId: '11111111-2222-4333-8444-555555555555', clusterName: '敦化市人参产业集群' }),
      recognized({ applicationId: '11111111-2222-4333-8444-666666666666', track: 'typical-case' }),
    ];
    const deps = {
      register,
      applications: { recognized: async () => applications },
      cohortOf: async () => 2025,
      clock: () => NOW,
    };
    expect(await migrateRecognized(deps)).toEqual({ recognized: 3, created: 2, existing: 0, skipped: 1 });
    expect(await migrateRecognized(deps)).toEqual({ recognized: 3, created: 0, existing: 2, skipped: 1 });
    expect(register.entries.size).toBe(2);
    expect([...register.entries.values()].map((e) => e.source.kind)).toEqual(['migration', 'migration']);
  });
});
