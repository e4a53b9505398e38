import type { ReviewRequest } from '../ladder/contract.ts';
import type { Campaign } from '../rules/campaign.ts';

/*
 * What the review ladder's tasks need beyond the records, the clock and email (core.ts) and the
 * quota slots (quotas.ts): the campaign an application answers to, its objections, and the review
 * desk that opens each stage's review.
 */

/** A campaign by id, seeded or added by an operator (shared/intake/campaigns.ts's CampaignCatalog). */
export interface CampaignLookup {
  /** Throws when no campaign has this id. */
  get(campaignId: string): Promise<Campaign>;
}

/** Objections to an application during its public notice, and their triage (shared/notice/). */
export interface ObjectionLog {
  listObjections(
    applicationId: string,
  ): Promise<{ filedAt: string; resolved: boolean; outcome?: 'upheld' | 'dismissed' }[]>;
}

/** The review desk as the workflow's RequestReview task uses it. */
export interface ReviewDesk {
  /**
   * Opens (or, for a retried task, re-arms with the new token) the review for this stage and
   * round, and emails the stage's reviewers a link. Idempotent: one review and one email per
   * (applicationId, revision, stage, round).
   */
  open(request: ReviewRequest): Promise<{ reviewId: string; emailed: boolean }>;
}
