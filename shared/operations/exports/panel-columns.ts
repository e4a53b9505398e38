/**
 * The expert panel's columns, appended to a summary table where a listed application's ranking
 * came from a closed panel (专家评审): each expert's weighted total (unnamed, in the order they
 * scored) and the aggregate the level ranked by. A table with no panel has none of them.
 */
import type { PanelResult } from '../../ports/steps.ts';
import { type CellValue, column, type SummaryColumn } from './table.ts';

/** The columns for up to `experts` totals, then the aggregate. */
export function panelColumns(experts: number): SummaryColumn[] {
  return [
    ...Array.from({ length: experts }, (_, i) =>
      column(`expert${i + 1}`, `专家${i + 1}评分`, `Expert ${i + 1} (weighted total)`, 10, 'decimal'),
    ),
    column('panelAggregate', '专家评审综合得分', 'Panel aggregate', 12, 'decimal'),
    column('panelMethod', '计分方法', 'Aggregate method', 18),
  ];
}

/** How many expert columns the closed panels of a table need. */
export const panelWidth = (results: Iterable<PanelResult>): number =>
  Math.max(0, ...[...results].filter((result) => result.closed).map((result) => result.scores.length));

/** One row's panel cells (blank where its panel is not closed, or there is none). */
export function panelValues(result: PanelResult | undefined, experts: number): Record<string, CellValue> {
  const closed = result?.closed === true ? result : undefined;
  const totals = [...(closed?.scores ?? [])].sort((a, b) => a.scoredAt.localeCompare(b.scoredAt));
  return {
    ...Object.fromEntries(Array.from({ length: experts }, (_, i) => [`expert${i + 1}`, totals[i]?.total])),
    panelAggregate: closed?.aggregate,
    panelMethod:
      closed === undefined ? undefined : closed.method === 'trimmed-mean' ? '去掉最高分和最低分后平均' : '平均',
  };
}
