import { describe, expect, it } from 'vitest';
import { summaryColumns } from '../../../../shared/operations/exports/columns.ts';
import { buildSummaryTable } from '../../../../shared/operations/exports/exports.ts';
import { summaryScope } from '../../../../shared/operations/exports/scope.ts';
import { miit2025Rereview } from '../../../../shared/rules/campaigns/miit-2025-rereview.ts';
import { app, form } from './fixtures.ts';

const campaign = miit2025Rereview;
const CONTRIBUTION_KEYS = [
  'provincial.economyContribution',
  'provincial.taxRevenue',
  'provincial.employmentContribution',
  'provincial.employees',
  'provincial.innovationContribution',
  'provincial.patentsGranted',
];

/** A Shanxi re-review the province (and 太原市) accounts for, its contributions filled in. */
const shanxiRereview = (provincial: Record<string, unknown>) =>
  app('PROVINCE_REVIEW', 'province', {
    campaignId: campaign.campaignId,
    track: 'rereview',
    provincialCode: '140000',
    cityCode: '140100',
    countyCode: '140121',
    clusterName: '清徐县醋产业集群',
    form: form({ criteria: undefined, recognizedYear: 2022, changesSinceRecognition: '稳步增长', provincial }),
  });

const tableOf = (code: string, applications: ReturnType<typeof app>[]) =>
  buildSummaryTable({ campaign, track: 'rereview', scope: summaryScope(code, campaign), applications, scored: [] });

describe('Shanxi’s re-review summary table: the contributions the province asks for', () => {
  it('the province’s table and its cities’ carry a column for each, after the re-review’s own', () => {
    for (const code of ['140000', '140100']) {
      const keys = tableOf(code, []).columns.map((c) => c.key);
      const start = keys.indexOf('provincial.economyContribution');
      expect(keys.slice(start, start + CONTRIBUTION_KEYS.length), code).toEqual(CONTRIBUTION_KEYS);
      expect(start).toBeGreaterThan(keys.indexOf('averageGrowthRate'));
      expect(start).toBeLessThan(keys.indexOf('rank'));
    }
    const economy = tableOf('140000', []).columns.find((c) => c.key === 'provincial.economyContribution');
    expect(economy).toMatchObject({ zh: '对地方经济的贡献', en: 'Contribution to the local economy', wrap: true });
    const employees = tableOf('140000', []).columns.find((c) => c.key === 'provincial.employees');
    expect(employees).toMatchObject({ zh: '集群从业人数（人）', format: 'decimal' });
  });

  it('each row shows the county’s narratives, and its figures as numbers (blank where it gave none)', () => {
    const application = shanxiRereview({
      economyContribution: '带动县域经济增长',
      employmentContribution: '吸纳就业一万二千人',
      innovationContribution: '建成两个省级技术中心',
      employees: 12000,
    });
    for (const code of ['140000', '140100']) {
      const [row] = tableOf(code, [application]).rows;
      expect(row?.['provincial.economyContribution']).toBe('带动县域经济增长');
      expect(row?.['provincial.employees']).toBe(12000);
      expect(row?.['provincial.taxRevenue']).toBeUndefined();
    }
  });

  it('Jilin’s, Beijing’s and the national tables have no such columns', () => {
    for (const code of ['220000', '110000', '000000']) {
      expect(
        tableOf(code, []).columns.some((c) => c.key.startsWith('provincial.')),
        code,
      ).toBe(false);
    }
    expect(summaryColumns(campaign, 'rereview').some((c) => c.key.startsWith('provincial.'))).toBe(false);
  });
});
