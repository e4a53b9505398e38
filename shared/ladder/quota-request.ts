import type { Campaign } from '../rules/campaign.ts';
import { effectiveRules } from '../rules/effective-rules.ts';
import { subSectorKey } from '../rules/sub-sectors.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { QuotaHolder, QuotaRequest } from '../ports/quotas.ts';
import type { StageName } from './contract.ts';

/**
 * The quota slots an application takes when `stage` forwards it, where the notice binds them: the
 * city stage reserves the city cap and the per-sub-sector cap (Shanxi: ≤ 3 per city, 1 per
 * sub-sector), the province stage the provincial quota (8, or 2 for a planned city or the XPCC).
 * Where the application has no city stage (a municipality's district, 梅河口), the sub-sector cap
 * is counted at the province stage, per provincial level. MIIT reserves nothing.
 *
 * The review desk reserves with it. Releases never rebuild it: the quota adapter keeps the keys a
 * slot was reserved with and frees those (quotaHolderOf), so an edit cannot orphan a slot.
 */
export function quotaRequestFor(application: ApplicationRecord, campaign: Campaign, stage: StageName): QuotaRequest {
  const holder = quotaHolderOf(application);
  if (stage === 'miit') return holder;
  const rules = effectiveRules(campaign, application.track, application.countyCode);
  const { quota } = rules;
  const cityStage = rules.stages.find((s) => s.stage === 'city');
  const subSector =
    quota.perSubSector !== undefined
      ? {
          key: `${cityStage?.jurisdictionCode ?? quota.provincial.jurisdictionCode}:${subSectorKey(rules.subSectors, application.subSector)}`,
          limit: quota.perSubSector,
        }
      : undefined;
  // The sub-sector cap binds the first stage that forwards: the city's, or the province's without one.
  const subSectorHere = subSector && (stage === 'city') === (cityStage !== undefined) ? { subSector } : {};
  if (stage === 'city') {
    return {
      ...holder,
      ...(quota.city && quota.city.limit !== null
        ? { city: { jurisdictionCode: quota.city.jurisdictionCode, limit: quota.city.limit } }
        : {}),
      ...subSectorHere,
    };
  }
  return { ...holder, provincial: quota.provincial, ...subSectorHere };
}

/** Whose slots they are: what every release names (it frees what is held, as it was reserved). */
export function quotaHolderOf(
  application: Pick<ApplicationRecord, 'campaignId' | 'track' | 'applicationId'>,
): QuotaHolder {
  return { campaignId: application.campaignId, track: application.track, applicationId: application.applicationId };
}

/** The sub-sector quota key the application's sub-sector would be counted under now, if capped. */
export function subSectorQuotaKey(application: ApplicationRecord, campaign: Campaign): string | undefined {
  const rules = effectiveRules(campaign, application.track, application.countyCode);
  const stage = rules.stages.some((s) => s.stage === 'city') ? 'city' : 'province';
  return quotaRequestFor(application, campaign, stage).subSector?.key;
}
