/** The re-review table (复核情况汇总表): the year a cluster was recognised, then the recommendation's figures. */
import type { Campaign } from '../../rules/campaign.ts';
import { finite } from './cells.ts';
import { figureColumns, figureValues } from './recommendation.ts';
import { type CellValue, column, type SummaryColumn } from './table.ts';

export function rereviewColumns(campaign: Campaign): SummaryColumn[] {
  return [column('recognizedYear', '认定年份', 'Year recognised', 10, 'integer'), ...figureColumns(campaign)];
}

export function rereviewValues(campaign: Campaign, form: Record<string, unknown>): Record<string, CellValue> {
  return { recognizedYear: finite(form.recognizedYear), ...figureValues(campaign, form) };
}
