import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateOf, closable, expertTotal, panelResult } from '../../../../shared/review/panel/aggregate.ts';
import { assertNoConflicts, conflictOf } from '../../../../shared/review/panel/conflict.ts';
import { ValidationError } from '../../../../shared/platform/errors.ts';
import { weightedCriteria } from '../../../../shared/rules/scoring.ts';
import type { PanelRecord, SeatRecord } from '../../../../shared/schemas/panel.ts';
import { EXPERTS } from './fixtures.ts';

const total = fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100);

describe('the aggregate (专家评审): the mean, or the mean without the highest and the lowest', () => {
  it('is the plain mean of the totals, to two decimals', () => {
    expect(aggregateOf([80, 90, 70], 'mean')).toBe(80);
    expect(aggregateOf([80, 85], 'mean')).toBe(82.5);
    expect(aggregateOf([70, 70, 71], 'mean')).toBe(70.33);
  });

  it('drops one highest and one lowest total for the trimmed mean', () => {
    expect(aggregateOf([60, 80, 82, 99], 'trimmed-mean')).toBe(81);
    // A tie at the top drops only one of them.
    expect(aggregateOf([90, 90, 50], 'trimmed-mean')).toBe(90);
    expect(aggregateOf([10, 80, 81, 82, 100], 'trimmed-mean')).toBe(81);
  });

  it('refuses a trimmed mean of fewer than 3 totals, and an aggregate of none', () => {
    expect(() => aggregateOf([80, 90], 'trimmed-mean')).toThrow(RangeError);
    expect(() => aggregateOf([], 'mean')).toThrow(RangeError);
  });

  it('lies between the lowest and the highest total, whatever the order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(total, { minLength: 3, maxLength: 15 }),
        fc.constantFrom('mean', 'trimmed-mean'),
        (totals, method) => {
          const value = aggregateOf(totals, method);
          expect(value).toBeGreaterThanOrEqual(Math.min(...totals) - 0.005);
          expect(value).toBeLessThanOrEqual(Math.max(...totals) + 0.005);
          expect(aggregateOf([...totals].reverse(), method)).toBe(value);
        },
      ),
    );
  });

  it('ignores one outlier with the trimmed mean: raising the highest total changes nothing (property)', () => {
    fc.assert(
      fc.property(fc.array(total, { minLength: 3, maxLength: 15 }), (totals) => {
        const sorted = [...totals].sort((a, b) => a - b);
        const raised = [...sorted.slice(0, -1), 100];
        expect(aggregateOf(raised, 'trimmed-mean')).toBe(aggregateOf(sorted, 'trimmed-mean'));
      }),
    );
  });

  it("weighs an expert's criteria by the track's weights", () => {
    const criteria = weightedCriteria('recommendation', { scoringWeights: { 'core-competitiveness': 3 } });
    const scores = Object.fromEntries(criteria.map((c) => [c.id, c.id === 'core-competitiveness' ? 100 : 50]));
    // (3·100 + 7·50) / 10
    expect(expertTotal(scores, criteria)).toBe(65);
  });
});

describe('回避: who may not sit on a candidate’s panel', () => {
  const dunhua = { countyCode: '222403', cityCode: '222400' };

  it('refuses an expert of the candidate’s county, or of its city (directly or by the county registered)', () => {
    expect(conflictOf(EXPERTS.dunhua, dunhua)).toBe('county');
    expect(conflictOf(EXPERTS.yanbian, dunhua)).toBe('city');
    expect(conflictOf(EXPERTS.yanji, dunhua)).toBe('city');
  });

  it('seats an expert from elsewhere, or with no place registered', () => {
    expect(conflictOf(EXPERTS.changchun, dunhua)).toBeUndefined();
    expect(conflictOf(EXPERTS.university, dunhua)).toBeUndefined();
  });

  it('counts a co-located county as the candidate’s own', () => {
    expect(conflictOf({ countyCode: '222404' }, { ...dunhua, coCountyCodes: ['222404'] })).toBe('county');
  });

  it('names the field of each expert who must step aside', () => {
    const error = (() => {
      try {
        assertNoConflicts([EXPERTS.changchun, EXPERTS.dunhua, EXPERTS.yanbian], dunhua);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    const details = (error as ValidationError).details ?? [];
    expect(details.map((d) => [d.field, d.code])).toEqual([
      ['experts.1', 'CONFLICT_OF_INTEREST'],
      ['experts.2', 'CONFLICT_OF_INTEREST'],
    ]);
    expect(details[0]?.message).toContain('敦化市');
  });
});

describe('what the panel reveals, and when', () => {
  const panel: PanelRecord = {
    reviewId: '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42.province.3.1.1',
    applicationId: '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42',
    jurisdictionCode: '220000',
    campaignId: 'c',
    track: 'recommendation',
    countyCode: '222403',
    clusterName: '敦化市医药产业集群',
    minExperts: 3,
    method: 'mean',
    status: 'OPEN',
    openedAt: '2026-06-01T00:00:00.000Z',
    openedBy: 'x',
  };
  const seat = (n: number, state: SeatRecord['state'], totalScore?: number): SeatRecord => ({
    reviewId: panel.reviewId,
    applicationId: panel.applicationId,
    seatId: `00000000-0000-4000-8000-00000000000${n}`,
    expert: { email: `e${n}@x.cn`, name: `e${n}` },
    state,
    secretHash: 'a'.repeat(64),
    assignedAt: '2026-06-01T00:00:00.000Z',
    assignedBy: 'x',
    ...(state === 'RECUSED' && { recusedAt: '2026-06-01T01:00:00.000Z' }),
    ...(totalScore !== undefined && {
      scores: { a: totalScore },
      total: totalScore,
      scoredAt: '2026-06-02T00:00:00.000Z',
    }),
  });
  const seats = [
    seat(1, 'SCORED', 80),
    seat(2, 'SCORED', 90),
    seat(3, 'RECUSED'),
    seat(4, 'DECLARED'),
    seat(5, 'REPLACED'),
  ];

  it('shows no score while open, and who is still owed', () => {
    const result = panelResult(panel, seats);
    expect(result).toMatchObject({ closed: false, scores: [], seated: 3, recused: 1, waitingFor: ['e4@x.cn'] });
    expect(result.aggregate).toBeUndefined();
    expect(closable(panel, seats)).toBe(false);
  });

  it('reveals every total and the aggregate once closed', () => {
    const result = panelResult({ ...panel, status: 'CLOSED', aggregate: 85 }, seats);
    expect(result.closed).toBe(true);
    expect(result.aggregate).toBe(85);
    expect(result.scores.map((s) => [s.expert, s.total])).toEqual([
      ['e1@x.cn', 80],
      ['e2@x.cn', 90],
    ]);
  });
});
