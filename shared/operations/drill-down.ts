import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Principal } from '../platform/auth/principal.ts';
import {
  childrenOf,
  findJurisdiction,
  isProvincialRank,
  parentChain,
  placePath,
  provincialLevelOf,
} from '../rules/jurisdictions.ts';
import { CampaignQuerySchema, type JurisdictionDrillDown, type StatusCounts } from '../schemas/ops.ts';
import type { Tally } from '../schemas/tallies.ts';
import type { CampaignCatalog } from '../intake/campaigns.ts';
import { ValidationError } from '../platform/errors.ts';
import type { Clock } from '../ports/core.ts';
import type { OpsReads } from '../ports/operations.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { addCounts, placeCounts, totalOf, tracksOf } from './counts.ts';
import { childOrSelf, jurisdictionGauges } from './gauges.ts';

/**
 * A jurisdiction's drill-down: a provincial-rank jurisdiction, a city or a county, for whoever
 * watches it (shared/platform/auth/policy.ts `may.watch`): counts one level down, its
 * applications, its quotas.
 */

export interface DrillDownDeps {
  campaigns: Pick<CampaignCatalog, 'get'>;
  reads: Pick<OpsReads, 'tallies' | 'applicationsOf' | 'quotaUsage' | 'applications'>;
  clock: Clock;
}

const APPLICATION_LIMIT = 500;

/** A provincial-rank jurisdiction, a city or a county: counts one level down, its applications, its quotas. */
export async function drillDown(
  deps: DrillDownDeps,
  code: string,
  rawQuery: unknown,
  principal: Principal,
): Promise<JurisdictionDrillDown> {
  const query = parseOrThrow(CampaignQuerySchema, rawQuery ?? {}, 'query');
  const place = findJurisdiction(code);
  if (!place) {
    throw new ValidationError(`Unknown jurisdiction ${code}`, [
      { field: 'path.code', code: 'UNKNOWN_JURISDICTION', message: `no jurisdiction has code ${code}` },
    ]);
  }
  assertAllowed(may.watch(principal, code), 'watch', principal);
  const campaign = await deps.campaigns.get(query.campaignId);
  const tracks = tracksOf(campaign, query);
  const provincial = isProvincialRank(place.rank) ? place : provincialLevelOf(childOrSelf(code));
  const now = deps.clock();

  const [countyTallies, applications, quotas] = await Promise.all([
    // Only this provincial level's counties: one Query per track, on the sort-key prefix.
    Promise.all(
      tracks.map((track) => deps.reads.tallies(campaign.campaignId, 'county', [track, provincial.code])),
    ).then((lists) => lists.flat()),
    deps.reads.applicationsOf(provincial.code, campaign.campaignId),
    jurisdictionGauges(deps.reads, campaign, tracks, provincial.code, code),
  ]);
  const mine = countyTallies.filter(
    (t) => tracks.includes(t.track) && t.countyCode !== undefined && isWithin(t, code, provincial.code),
  );
  const childCodes = new Set(childrenOf(code).map((child) => child.code));
  const children = placeCounts(mine, (t) => childOf(t, childCodes));
  const byStatus: StatusCounts = {};
  for (const tally of mine) addCounts(byStatus, tally.status, tally.count);

  return {
    campaign: { campaignId: campaign.campaignId, name: campaign.name.zh },
    jurisdiction: {
      code,
      name: place.name,
      rank: place.rank,
      chain: parentChain(code)
        .map((j) => ({ code: j.code, name: j.name }))
        .reverse(),
    },
    generatedAt: now.toISOString(),
    totals: { total: totalOf(byStatus), byStatus },
    children,
    applications: applications
      .filter(
        (a) => tracks.includes(a.track) && (a.countyCode === code || a.cityCode === code || a.provincialCode === code),
      )
      .sort((a, b) => a.countyCode.localeCompare(b.countyCode) || a.clusterName.localeCompare(b.clusterName))
      .slice(0, APPLICATION_LIMIT)
      .map((a) => ({
        applicationId: a.applicationId,
        clusterName: a.clusterName,
        countyCode: a.countyCode,
        place: placePath(a.countyCode),
        status: a.status,
        ...(a.stage !== undefined && { stage: a.stage }),
        dueAt: a.dueAt,
        updatedAt: a.updatedAt,
      })),
    quotas,
  };
}

function isWithin(tally: Tally, code: string, provincialCode: string): boolean {
  return (
    tally.provincialCode === provincialCode &&
    (code === provincialCode || tally.cityCode === code || tally.countyCode === code)
  );
}

/** The child of the drill-down place a county tally belongs to (a city, or the county itself). */
function childOf(tally: Tally, childCodes: ReadonlySet<string>): string | undefined {
  if (tally.cityCode !== undefined && childCodes.has(tally.cityCode)) return tally.cityCode;
  if (tally.countyCode !== undefined && childCodes.has(tally.countyCode)) return tally.countyCode;
  return undefined;
}
