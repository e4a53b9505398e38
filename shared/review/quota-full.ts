/**
 * Whether a pending review's approval would be refused over a full quota: the review page says so
 * before anyone decides, the inbox marks its row, the level-documents page its waiting step, and
 * the ranking tells the ones that wait over the quota from those that hold its slots.
 */
import { QuotaExceededError, quotaRefusalContext } from '../ladder/quota-errors.ts';
import { quotaRequestFor } from '../ladder/quota-request.ts';
import { reservesAtStage } from '../ladder/provincial-list.ts';
import type { RouteStep } from '../ladder/payloads.ts';
import type { Quotas, QuotaUse } from '../ports/quotas.ts';
import type { Campaign } from '../rules/campaign.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import { reviewStep } from './decide.ts';
import type { CampaignCatalog } from '../intake/campaigns.ts';
import type { Records } from '../ports/core.ts';

/** What telling a review's full quota reads: its application, campaign and the quota's use. */
export interface QuotaFullDeps {
  records: Pick<Records, 'getApplication'>;
  campaigns: Pick<CampaignCatalog, 'get'>;
  quotas: Pick<Quotas, 'usage'>;
}

/**
 * What the quota this step's approval would take says, when it is full and the application holds
 * none of its slots: the refusal the approval would meet (QuotaExceededError's words, both
 * languages), shown before anyone decides. A formal-letter step that forwards completes by itself
 * once the letter is valid, except over a full quota: its page would otherwise say it completes
 * while it waits. The provincial and city caps are read; a full sub-sector is told when the
 * approval is refused.
 */
export async function fullQuota(
  deps: { quotas: Pick<Quotas, 'usage'> },
  review: ReviewRecord,
  application: ApplicationRecord,
  campaign: Campaign,
  step: RouteStep,
): Promise<string | undefined> {
  if (!step.quotaReservation || !reservesAtStage(application, campaign, review.stage)) return undefined;
  const request = quotaRequestFor(application, campaign, review.stage);
  const capped = [
    ...(request.provincial ? [{ scope: 'provincial' as const, code: request.provincial.jurisdictionCode }] : []),
    ...(request.city ? [{ scope: 'city' as const, code: request.city.jurisdictionCode }] : []),
  ];
  for (const { scope, code } of capped) {
    const use = (await deps.quotas.usage(application.campaignId, application.track, code)).find(
      (u) => u.scope === scope,
    );
    if (use && use.used >= use.limit && !use.holders.includes(application.applicationId)) {
      return new QuotaExceededError(scope, code, use.used, use.limit, quotaRefusalContext(application, campaign))
        .details?.[0]?.message;
    }
  }
  return undefined;
}

/**
 * The same for a review known by its record alone (a list's row): its application, campaign and
 * step read first. Undefined when the application is gone.
 */
export async function fullQuotaOfReview(deps: QuotaFullDeps, review: ReviewRecord): Promise<string | undefined> {
  const application = await deps.records.getApplication(review.applicationId);
  if (!application) return undefined;
  const campaign = await deps.campaigns.get(application.campaignId);
  return fullQuota(deps, review, application, campaign, reviewStep(review, application, campaign));
}

/**
 * The quota's usage read once per campaign, track and jurisdiction while one list is drawn: its
 * rows share a province's (or a city's) counters, and a page of them should not read each again.
 */
export function usageReadOnce(quotas: Pick<Quotas, 'usage'>): Pick<Quotas, 'usage'> {
  const read = new Map<string, Promise<QuotaUse[]>>();
  return {
    usage(campaignId, track, jurisdictionCode) {
      const key = `${campaignId}#${track}#${jurisdictionCode}`;
      let use = read.get(key);
      if (!use) {
        use = quotas.usage(campaignId, track, jurisdictionCode);
        read.set(key, use);
      }
      return use;
    },
  };
}
