import { describe, expect, it } from 'vitest';
import type { RegisterView } from '../../../shared/register/api-schemas.ts';
import { registerCsv } from '../../../shared/register/export.ts';
import { seedEntries } from '../../../shared/register/seed.ts';

const view = (entries: RegisterView['entries']): RegisterView => ({
  filter: {},
  entries,
  counts: { total: entries.length, byProvince: {}, byCohort: {}, byState: {} },
});

describe('the register as CSV', () => {
  it('has a BOM, Chinese then English headers, one line per entry, CRLF', () => {
    const [dunhua] = seedEntries(new Date('2024-01-01T00:00:00Z')).slice(0);
    if (!dunhua) throw new Error('seed');
    const csv = registerCsv(view([{ ...dunhua, lapsed: false, due: [] }]));
    expect(csv.startsWith('\uFEFF序号,省份,集群名称,所在地,区县代码,')).toBe(true);
    expect(csv.split('\r\n')).toEqual([
      expect.any(String),
      'No.,Province,Cluster,Where,County code,Leading industry,Sub-sector,Level,Cohort,Valid from,Valid until,State',
      '1,吉林省,敦化市医药产业集群,吉林省 延边朝鲜族自治州 敦化市,222403,医药,,国家级,2022,2022-12-31,2025-12-31,有效',
      '',
    ]);
  });

  it('defuses text a spreadsheet would take for a formula, and quotes commas', () => {
    const [entry] = seedEntries(new Date('2024-01-01T00:00:00Z'));
    if (!entry) throw new Error('seed');
    const csv = registerCsv(
      view([{ ...entry, clusterName: '=HYPERLINK("x")', leadingIndustry: '医药,保健', lapsed: false, due: [] }]),
    );
    expect(csv).toContain(`,"'=HYPERLINK(""x"")",`);
    expect(csv).toContain(',"医药,保健",');
  });
});
