/**
 * The level's panels at a glance (the console's /console/panels): each candidate waiting at the
 * level's expert-panel step, how far its panel has come, and the ranking of the panels that have
 * closed. The level's signed-in reviewers see it and manage each panel from it; the operators of
 * that very level see it too, to watch (each panel opens read-only: seating and closing are the reviewers').
 */
import { assertAllowed, may } from '../../platform/auth/policy.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { placeName } from '../../rules/jurisdictions.ts';
import type { AggregateMethod, PanelRecord, SeatRecord } from '../../schemas/panel.ts';
import type { Track } from '../../schemas/common.ts';
import type { ReviewRecord } from '../../schemas/reviews.ts';
import { isCounted, scoredSeats } from './aggregate.ts';
import type { PanelDeps } from './deps.ts';

export interface WaitingPanel {
  reviewId: string;
  applicationId: string;
  clusterName: string;
  countyName: string;
  campaignId: string;
  track: Track;
  deadline: string;
  status: PanelRecord['status'] | 'NOT_OPENED';
  method?: AggregateMethod;
  /** Counted seats (neither recused nor replaced), and how many of them scored. */
  seated: number;
  scored: number;
  /** Seats that recused and have not been given to another expert yet. */
  recused: number;
  aggregate?: number;
  /** Its place among the level's closed panels of the same campaign and track, 1 the best. */
  rank?: number;
}

const summary = (review: ReviewRecord, current: { panel: PanelRecord; seats: SeatRecord[] } | undefined) => {
  const seats = current?.seats ?? [];
  const closed = current?.panel.status === 'CLOSED';
  return {
    reviewId: review.reviewId,
    applicationId: review.applicationId,
    clusterName: review.clusterName,
    countyName: placeName(review.countyCode) ?? review.countyCode,
    campaignId: review.campaignId,
    track: review.track,
    deadline: review.deadline,
    status: current?.panel.status ?? ('NOT_OPENED' as const),
    ...(current && { method: current.panel.method }),
    seated: seats.filter(isCounted).length,
    scored: scoredSeats(seats).length,
    recused: seats.filter((seat) => seat.state === 'RECUSED').length,
    ...(closed && current.panel.aggregate !== undefined && { aggregate: current.panel.aggregate }),
  } satisfies WaitingPanel;
};

/**
 * Ranks the closed panels within each campaign and track by aggregate, best first (ties share
 * the better place); the order of the list is by deadline, then the ranked first.
 */
export function rankPanels(panels: readonly WaitingPanel[]): WaitingPanel[] {
  const ranked = panels.map((panel) => {
    if (panel.aggregate === undefined) return panel;
    const better = panels.filter(
      (other) =>
        other.aggregate !== undefined &&
        other.campaignId === panel.campaignId &&
        other.track === panel.track &&
        other.aggregate > (panel.aggregate ?? 0),
    ).length;
    return { ...panel, rank: better + 1 };
  });
  return ranked.sort(
    (a, b) =>
      Date.parse(a.deadline) - Date.parse(b.deadline) ||
      (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
      a.reviewId.localeCompare(b.reviewId),
  );
}

/**
 * The signed-in person's level: every pending review at an expert-panel step, with its panel, and
 * whether they manage the panels (its reviewers) or only watch them (its operators).
 */
export async function waitingPanels(
  deps: Pick<PanelDeps, 'reviews' | 'panels'>,
  principal: Principal,
): Promise<{ jurisdictionCode: string; panels: WaitingPanel[]; manages: boolean }> {
  const code = principal.jurisdiction;
  assertAllowed(may.seePanels(principal, code), 'seePanels', principal);
  const pending = (await deps.reviews.listPending(code)).filter((review) => review.step?.kind === 'expert-panel');
  const panels = await Promise.all(
    pending.map(async (review) => summary(review, await deps.panels.panelOf(review.reviewId))),
  );
  return {
    jurisdictionCode: code,
    panels: rankPanels(panels),
    manages: may.decide(principal, { jurisdictionCode: code }),
  };
}
