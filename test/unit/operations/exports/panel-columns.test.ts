import { describe, expect, it } from 'vitest';
import { buildSummaryTable } from '../../../../shared/operations/exports/exports.ts';
import { summaryScope } from '../../../../shared/operations/exports/scope.ts';
import type { PanelResult } from '../../../../shared/ports/steps.ts';
import { campaign, jilin } from './fixtures.ts';

/** A closed panel of `totals` (scored in that order), aggregated by `method`. */
function closedPanel(totals: number[], aggregate: number, method: PanelResult['method']): PanelResult {
  return {
    closed: true,
    method,
    aggregate,
    scores: totals.map((total, i) => ({
      expert: `expert${i}@example.cn`,
      byCriterion: {},
      total,
      scoredAt: `2025-06-1${i}T00:00:00.000Z`,
    })),
    seated: totals.length,
    recused: 0,
    waitingFor: [],
  };
}

describe('the summary table’s expert-panel columns', () => {
  it('appends each expert’s total and the aggregate where the ranking came from a closed panel', () => {
    const j = jilin();
    const [first, second] = j.reviews;
    if (!first || !second) throw new Error('two scored reviews');
    const reviews = [
      { ...first, step: { index: 1, kind: 'expert-panel' as const } },
      { ...second, step: { index: 1, kind: 'expert-panel' as const } },
    ];
    const panels = new Map([
      // Scored later first: the columns follow the order the experts scored in.
      [first.reviewId, closedPanel([90, 70, 80, 100], 85, 'trimmed-mean')],
      [second.reviewId, closedPanel([60, 65, 70], 65, 'mean')],
    ]);
    const table = buildSummaryTable({
      campaign,
      track: 'recommendation',
      scope: summaryScope('220000', campaign),
      applications: j.applications,
      scored: reviews,
      panels,
    });
    expect(table.columns.slice(-6).map((c) => c.zh)).toEqual([
      '专家1评分',
      '专家2评分',
      '专家3评分',
      '专家4评分',
      '专家评审综合得分',
      '计分方法',
    ]);
    const row = (applicationId: string) =>
      table.rows.find(
        (r) => r.clusterName === j.applications.find((a) => a.applicationId === applicationId)?.clusterName,
      );
    expect(row(first.applicationId)).toMatchObject({
      expert1: 90,
      expert2: 70,
      expert3: 80,
      expert4: 100,
      panelAggregate: 85,
      panelMethod: '去掉最高分和最低分后平均',
    });
    expect(row(second.applicationId)).toMatchObject({
      expert1: 60,
      expert3: 70,
      panelAggregate: 65,
      panelMethod: '平均',
    });
    expect(row(second.applicationId)?.expert4).toBeUndefined();
  });

  it('has no panel columns where no panel closed', () => {
    const j = jilin();
    const plain = buildSummaryTable({
      campaign,
      track: 'recommendation',
      scope: summaryScope('220000', campaign),
      applications: j.applications,
      scored: j.reviews,
      panels: new Map(),
    });
    expect(plain.columns.some((c) => c.key === 'panelAggregate')).toBe(false);
  });
});
