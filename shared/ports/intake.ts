import type { Campaign } from '../rules/campaign.ts';
import type { ApplicationRecord } from '../schemas/records.ts';

/*
 * What the intake (drafts, evidence upload requests, submission, the campaign catalog) needs
 * beyond the records: stored campaigns, upload links and the review workflow. The records
 * themselves, with the Idempotency-Key markers they keep, are in core.ts.
 */

/** Campaigns operators added through the API (the seeded ones live in code). */
export interface CampaignStore {
  putCampaign(campaign: Campaign, at: string): Promise<void>;
  getStoredCampaign(campaignId: string): Promise<Campaign | undefined>;
  listStoredCampaigns(): Promise<Campaign[]>;
}

export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
}

/** Presigns browser uploads straight to the evidence bucket (the evidence function). */
export interface UploadSigner {
  presignUpload(input: {
    key: string;
    contentType: string;
    size: number;
    expiresInSeconds: number;
  }): Promise<PresignedUpload>;
  /**
   * The origin (scheme, host, port) browsers post these uploads to: a page that uploads allows
   * it in its CSP connect-src. Optional: only pages that embed the uploader ask.
   */
  uploadOrigin?(): Promise<string>;
}

/** The review workflow as the intake sees it (Step Functions: shared/adapters/sfn-workflow.ts). */
export interface ReviewWorkflow {
  /** Starts the review ladder for a submitted application; a repeated call starts nothing twice. */
  start(application: ApplicationRecord): Promise<void>;
  /**
   * Hands a resubmitted (formerly RETURNED) application back to the workflow waiting for it,
   * through the `resubmissionToken` stored on it. A repeated call changes nothing.
   */
  resubmitted(application: ApplicationRecord): Promise<void>;
}

/**
 * A county's applications in one campaign (the applicants' portal's home), read through the
 * byJurisdiction index (shared/adapters/dynamo-listings.ts), never a Scan. Eventually consistent:
 * a change made a moment ago may not show yet.
 */
export interface CountyListings {
  applicationsOfCounty(countyCode: string, provincialCode: string, campaignId: string): Promise<ApplicationRecord[]>;
}
