import type { Campaign } from '../rules/campaign.ts';
import { effectiveRules } from '../rules/effective-rules.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { QuotaRequest } from '../ports/quotas.ts';

/**
 * The quota slots an application takes when its province recommends it to MIIT. The review desk
 * reserves with it and the workflow releases with the same request (a later rejection, withdrawal,
 * cancellation or swap), so both sides must build it here. Sub-sector slots are counted per city,
 * or per provincial level where there is no city.
 */
export function quotaRequestFor(application: ApplicationRecord, campaign: Campaign): QuotaRequest {
  const { quota } = effectiveRules(campaign, application.track, application.countyCode);
  const subSectorScope = application.cityCode ?? quota.provincial.jurisdictionCode;
  const subSector = application.subSector.normalize('NFKC').replace(/\s+/g, '').replace(/#/g, '');
  return {
    campaignId: application.campaignId,
    track: application.track,
    applicationId: application.applicationId,
    provincial: quota.provincial,
    ...(quota.city && quota.city.limit !== null
      ? { city: { jurisdictionCode: quota.city.jurisdictionCode, limit: quota.city.limit } }
      : {}),
    ...(quota.perSubSector !== undefined
      ? { subSector: { key: `${subSectorScope}:${subSector}`, limit: quota.perSubSector } }
      : {}),
  };
}
