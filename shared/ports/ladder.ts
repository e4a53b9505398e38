import type { Campaign } from '../rules/campaign.ts';

/*
 * What the review ladder's tasks need beyond the records, the clock and email (core.ts) and the
 * quota slots (quotas.ts): the campaign an application answers to, and its objections.
 */

/** A campaign by id, seeded or added by an operator (shared/intake/campaigns.ts's CampaignCatalog). */
export interface CampaignLookup {
  /** Throws when no campaign has this id. */
  get(campaignId: string): Promise<Campaign>;
}

/** Objections to an application during its public notice (filed through the review desk). */
export interface ObjectionLog {
  listObjections(applicationId: string): Promise<{ filedAt: string; resolved: boolean }[]>;
}
