import type { Campaign } from '../rules/campaign.ts';
import { effectiveRules } from '../rules/effective-rules.ts';
import { childrenOf, getJurisdiction, placeName } from '../rules/jurisdictions.ts';
import type { Track } from '../schemas/common.ts';
import type { PlaceCounts, QuotaGauge } from '../schemas/ops.ts';
import type { OpsReads } from '../ports/operations.ts';

/**
 * Quota gauges, as the campaign's rules cap each place: the national board's provincial gauges
 * and a drill-down's gauges with their slot holders.
 */

/** A county code that lies under `code` (any county of a provincial-rank code, for the rules). */
export function childOrSelf(code: string): string {
  const place = getJurisdiction(code);
  if (place.applicant) return code;
  const child = childrenOf(code)[0];
  return child ? childOrSelf(child.code) : code;
}

function provincialLimit(campaign: Campaign, track: Track, provincialCode: string): number | null {
  const county = childOrSelf(provincialCode);
  return effectiveRules(campaign, track, county).quota.provincial.limit;
}

function cityLimit(campaign: Campaign, track: Track, provincialCode: string): number | undefined {
  const city = childrenOf(provincialCode).find((c) => !c.applicant);
  if (!city) return undefined;
  const limit = effectiveRules(campaign, track, childOrSelf(city.code)).quota.city?.limit;
  return limit ?? undefined;
}

/** Provincial-rank gauges of every jurisdiction with applications, one BatchGetItem for all. */
export async function provincialGauges(
  reads: Pick<OpsReads, 'quotaCounters'>,
  campaign: Campaign,
  tracks: readonly Track[],
  provinces: readonly PlaceCounts[],
) {
  const wanted = tracks.flatMap((track) =>
    provinces.flatMap((province) => {
      const limit = provincialLimit(campaign, track, province.code);
      return limit === null ? [] : [{ track, code: province.code, limit }];
    }),
  );
  const counters = await reads.quotaCounters(
    campaign.campaignId,
    wanted.map((w) => ({ track: w.track, scope: 'provincial' as const, code: w.code })),
  );
  return wanted.map((w): QuotaGauge => ({
    scope: 'provincial',
    jurisdictionCode: w.code,
    name: placeName(w.code) ?? w.code,
    track: w.track,
    used: counters.get(`${w.track}#provincial#${w.code}`)?.used ?? 0,
    limit: w.limit,
  }));
}

/** The provincial gauge with its holders, and each capped city's under it (or the one asked for). */
export async function jurisdictionGauges(
  reads: Pick<OpsReads, 'quotaUsage' | 'applications'>,
  campaign: Campaign,
  tracks: readonly Track[],
  provincialCode: string,
  code: string,
): Promise<QuotaGauge[]> {
  const cities =
    code === provincialCode ? childrenOf(provincialCode).filter((c) => !c.applicant) : [getJurisdiction(code)];
  const uses = await Promise.all(
    tracks.flatMap((track) => {
      if (provincialLimit(campaign, track, provincialCode) === null) return [];
      const cityCapped = cityLimit(campaign, track, provincialCode) !== undefined;
      const codes = [provincialCode, ...(cityCapped ? cities.map((c) => c.code) : [])];
      return [...new Set(codes)].map(async (c) => ({
        track,
        uses: await reads.quotaUsage(campaign.campaignId, track, c),
      }));
    }),
  );
  const holderIds = uses.flatMap((u) => u.uses.flatMap((use) => use.holders));
  const names = new Map(
    (holderIds.length > 0 ? await reads.applications(holderIds) : []).map((a) => [a.applicationId, a.clusterName]),
  );
  const seen = new Set<string>();
  const gauges: QuotaGauge[] = [];
  for (const { track, uses: list } of uses) {
    for (const use of list) {
      const key = `${track}#${use.scope}#${use.jurisdictionCode}`;
      if (seen.has(key) || use.scope === 'sub-sector') continue;
      seen.add(key);
      gauges.push({
        scope: use.scope,
        jurisdictionCode: use.jurisdictionCode,
        name: placeName(use.jurisdictionCode) ?? use.jurisdictionCode,
        track,
        used: use.used,
        limit: use.limit,
        holders: use.holders.map((applicationId) => ({
          applicationId,
          ...(names.has(applicationId) && { clusterName: names.get(applicationId) }),
        })),
      });
    }
  }
  // A capped jurisdiction nobody reserved in yet still shows its (empty) gauge.
  for (const track of tracks) {
    const limit = provincialLimit(campaign, track, provincialCode);
    if (limit !== null && !seen.has(`${track}#provincial#${provincialCode}`)) {
      gauges.unshift({
        scope: 'provincial',
        jurisdictionCode: provincialCode,
        name: placeName(provincialCode) ?? provincialCode,
        track,
        used: 0,
        limit,
        holders: [],
      });
    }
  }
  return gauges;
}
