/**
 * The panel's arithmetic, pure: each expert's weighted total over the criteria, and the aggregate
 * the level ranks by — the mean of the totals, or the trimmed mean (without the highest and the
 * lowest total) where the step says `trimmed-mean`. Which seats count, and what the panel shows
 * before and after it closes, is decided here too, so the desk and the adapter agree.
 */
import type { PanelResult, PanelScore } from '../../ports/steps.ts';
import { type ScoredCriterion, weightedScore } from '../../rules/scoring.ts';
import type { AggregateMethod, PanelRecord, SeatRecord } from '../../schemas/panel.ts';

/** The fewest totals a trimmed mean is taken of: one left after dropping the highest and lowest. */
export const TRIMMED_MEAN_MIN = 3;

const twoDecimals = (value: number) => Math.round(value * 100) / 100;

/** An expert's weighted total (Σ weight·score / Σ weight), 0..100, two decimals. */
export const expertTotal = (scores: Readonly<Record<string, number>>, criteria: readonly ScoredCriterion[]) =>
  weightedScore(scores, criteria);

/**
 * The aggregate of the experts' totals, two decimals: the mean, or the mean without one highest
 * and one lowest total. @throws RangeError with no totals, or a trimmed mean of fewer than 3.
 */
export function aggregateOf(totals: readonly number[], method: AggregateMethod): number {
  if (totals.length === 0) throw new RangeError('an aggregate needs at least one score');
  if (method === 'trimmed-mean' && totals.length < TRIMMED_MEAN_MIN)
    throw new RangeError(`a trimmed mean needs at least ${TRIMMED_MEAN_MIN} scores, got ${totals.length}`);
  // In hundredths, as integers: the same totals give the same aggregate in any order.
  const sorted = totals.map((total) => Math.round(total * 100)).sort((a, b) => a - b);
  const kept = method === 'mean' ? sorted : sorted.slice(1, -1);
  return twoDecimals(kept.reduce((sum, total) => sum + total, 0) / kept.length / 100);
}

/** Per criterion, the plain mean of the scored experts' scores (the ranking table's columns). */
export function meanByCriterion(seats: readonly Pick<SeatRecord, 'scores'>[]): Record<string, number> {
  const sums = new Map<string, { sum: number; count: number }>();
  for (const seat of seats)
    for (const [id, score] of Object.entries(seat.scores ?? {})) {
      const entry = sums.get(id) ?? { sum: 0, count: 0 };
      sums.set(id, { sum: entry.sum + score, count: entry.count + 1 });
    }
  return Object.fromEntries([...sums].map(([id, { sum, count }]) => [id, twoDecimals(sum / count)]));
}

/** A seat that counts: not recused, not replaced. */
export const isCounted = (seat: Pick<SeatRecord, 'state'>) => seat.state !== 'RECUSED' && seat.state !== 'REPLACED';
/** A counted seat still owing its scores (late or missing). */
export const isWaiting = (seat: Pick<SeatRecord, 'state'>) => seat.state === 'ASSIGNED' || seat.state === 'DECLARED';

export const scoredSeats = (seats: readonly SeatRecord[]) =>
  seats.filter(
    (seat): seat is SeatRecord & { scores: Record<string, number>; total: number; scoredAt: string } =>
      seat.state === 'SCORED' && seat.scores !== undefined && seat.total !== undefined && seat.scoredAt !== undefined,
  );

/** Whether the level may close the panel now: at least `minExperts` counted seats have scored. */
export function closable(panel: Pick<PanelRecord, 'minExperts' | 'status'>, seats: readonly SeatRecord[]): boolean {
  return panel.status === 'OPEN' && scoredSeats(seats).length >= panel.minExperts;
}

/**
 * The panel as PanelResults answers it: the scores only once closed (an expert never sees
 * another's, nor the level before it closes), with who is still owed.
 */
export function panelResult(panel: PanelRecord, seats: readonly SeatRecord[]): PanelResult {
  const closed = panel.status === 'CLOSED';
  const scores: PanelScore[] = closed
    ? scoredSeats(seats).map((seat) => ({
        expert: seat.expert.email,
        byCriterion: seat.scores,
        total: seat.total,
        scoredAt: seat.scoredAt,
      }))
    : [];
  return {
    closed,
    method: panel.method,
    ...(closed && panel.aggregate !== undefined && { aggregate: panel.aggregate }),
    scores,
    seated: seats.filter(isCounted).length,
    // A recusal stays a recusal once its seat is given to another expert.
    recused: seats.filter((seat) => seat.recusedAt !== undefined).length,
    waitingFor: seats.filter(isWaiting).map((seat) => seat.expert.email),
  };
}
