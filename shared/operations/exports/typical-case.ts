/** The typical-case table (典型案例信息汇总表): the aspects a case covers and its summary, instead of figures. */
import { TYPICAL_CASE_ASPECT_TITLES, TYPICAL_CASE_ASPECTS } from '../../rules/criteria.ts';
import { field, text } from './cells.ts';
import { type CellValue, column, type SummaryColumn } from './table.ts';

export function typicalCaseColumns(): SummaryColumn[] {
  return [
    column('aspects', '案例涉及方面', 'Aspects covered', 28, 'text', true),
    column('summary', '案例摘要', 'Summary of the case', 50, 'text', true),
  ];
}

export function typicalCaseValues(form: Record<string, unknown>): Record<string, CellValue> {
  const covered = TYPICAL_CASE_ASPECTS.filter((aspect) => text(field(form, 'aspects', aspect)) !== undefined);
  return {
    aspects: covered.length > 0 ? covered.map((aspect) => TYPICAL_CASE_ASPECT_TITLES[aspect].zh).join('、') : undefined,
    summary: text(form.summary),
  };
}
