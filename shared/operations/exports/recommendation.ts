/**
 * The recommendation table (推荐汇总表): the form's key figures, output by year first. The
 * re-review table (./rereview.ts) shows the same figures.
 */
import type { Campaign } from '../../rules/campaign.ts';
import { OUTPUT_YEARS } from '../../rules/form.ts';
import { field, finite } from './cells.ts';
import { type CellValue, column, type SummaryColumn } from './table.ts';

/** The output years a form of this campaign reports: the three years before it. */
export const outputYears = (campaign: Pick<Campaign, 'year'>): number[] =>
  Array.from({ length: OUTPUT_YEARS }, (_, i) => campaign.year - OUTPUT_YEARS + i);

export function figureColumns(campaign: Campaign): SummaryColumn[] {
  return [
    ...outputYears(campaign).map((year) =>
      column(`output${year}`, `${year}年产值（亿元）`, `Output ${year} (100 million yuan)`, 14, 'decimal'),
    ),
    column('enterpriseCount', '企业数量（家）', 'Enterprises', 12, 'integer'),
    column('smeCount', '其中中小企业（家）', 'of which SMEs', 14, 'integer'),
    column('smeOutputShare', '中小企业产值占比', "SMEs' share of output", 14, 'percent'),
    column('leadingIndustryShare', '主导产业产值占比', "Leading industry's share of output", 14, 'percent'),
    column('averageGrowthRate', '近三年年均增速', 'Average yearly growth (3 years)', 14, 'percent'),
    column('areaKm2', '集群面积（平方公里）', 'Area (km²)', 14, 'decimal'),
  ];
}

function outputsByYear(form: Record<string, unknown>): Map<number, number> {
  const out = new Map<number, number>();
  const entries = field(form, 'outputByYear');
  for (const entry of Array.isArray(entries) ? entries : []) {
    const year = finite(field(entry as Record<string, unknown>, 'year'));
    const output = finite(field(entry as Record<string, unknown>, 'output'));
    if (year !== undefined && output !== undefined) out.set(year, output);
  }
  return out;
}

export function figureValues(campaign: Campaign, form: Record<string, unknown>): Record<string, CellValue> {
  const outputs = outputsByYear(form);
  return {
    ...Object.fromEntries(outputYears(campaign).map((year) => [`output${year}`, outputs.get(year)])),
    enterpriseCount: finite(form.enterpriseCount),
    smeCount: finite(form.smeCount),
    smeOutputShare: finite(form.smeOutputShare),
    leadingIndustryShare: finite(form.leadingIndustryShare),
    averageGrowthRate: finite(form.averageGrowthRate),
    areaKm2: finite(form.areaKm2),
  };
}
