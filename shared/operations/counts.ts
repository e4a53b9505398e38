import type { Campaign } from '../rules/campaign.ts';
import { placeName } from '../rules/jurisdictions.ts';
import type { ApplicationStatus, Track } from '../schemas/common.ts';
import type { CampaignQuery, PlaceCounts, StatusCounts } from '../schemas/ops.ts';
import type { Tally } from '../schemas/tallies.ts';
import { ValidationError } from '../platform/errors.ts';

/** Counting tallies by status and place, and the tracks a board counts: the national board's and the drill-down's arithmetic. */

export function addCounts(into: StatusCounts, status: ApplicationStatus, count: number): void {
  into[status] = (into[status] ?? 0) + count;
}

export function totalOf(counts: StatusCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
}

/** Sums tallies into places, keyed by `placeOf` (undefined: not counted). */
export function placeCounts(tallies: readonly Tally[], placeOf: (t: Tally) => string | undefined): PlaceCounts[] {
  const places = new Map<string, StatusCounts>();
  for (const tally of tallies) {
    const code = placeOf(tally);
    if (code === undefined) continue;
    const counts = places.get(code) ?? {};
    addCounts(counts, tally.status, tally.count);
    places.set(code, counts);
  }
  return [...places]
    .map(([code, byStatus]) => ({ code, name: placeName(code) ?? code, total: totalOf(byStatus), byStatus }))
    .filter((place) => place.total > 0)
    .sort((a, b) => a.code.localeCompare(b.code));
}

export function tracksOf(campaign: Campaign, query: CampaignQuery): Track[] {
  const tracks = Object.keys(campaign.tracks) as Track[];
  if (query.track === undefined) return tracks;
  if (!tracks.includes(query.track)) {
    throw new ValidationError(`Campaign ${campaign.campaignId} has no track ${query.track}`, [
      { field: 'query.track', code: 'UNKNOWN_TRACK', message: `the campaign's tracks are ${tracks.join(', ')}` },
    ]);
  }
  return [query.track];
}
