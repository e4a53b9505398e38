import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Principal } from '../platform/auth/principal.ts';
import type { Clock, Records } from '../ports/core.ts';
import type { CountyListings } from '../ports/intake.ts';
import { effectiveDeadlines, overlayFor } from '../rules/effective-rules.ts';
import { provincialLevelOf, reviewChain } from '../rules/jurisdictions.ts';
import type { ErrorDetail } from '../platform/errors.ts';
import type { Track } from '../schemas/common.ts';
import type { CampaignCatalog, CampaignView } from './campaigns.ts';
import { EDITABLE_STATUSES } from './drafts.ts';
import { submissionProblems } from './submission.ts';
import { applicationView } from './view.ts';

/*
 * The county's own desk: every application its county filed, each as the API shows it, with
 * what stops it from being (re)submitted; and the campaigns it may file on now, with the
 * deadlines that apply to it (its province's overlay included). Only the county's own applicant
 * reads it: the same rule as filing (`may.file`).
 */

export interface CountyDeskDeps {
  records: Pick<Records, 'listEvidence'>;
  listings: CountyListings;
  campaigns: Pick<CampaignCatalog, 'list'>;
  clock: Clock;
}

export interface CountyApplication {
  application: ReturnType<typeof applicationView>;
  campaign: CampaignView;
  /** While DRAFT or RETURNED: each form field and checklist item the submit would refuse. */
  problems: ErrorDetail[];
}

export interface OpenCampaign {
  campaign: CampaignView;
  tracks: Track[];
  /** This county's deadlines (the national calendar with its province's overlay). */
  deadlines: ReturnType<typeof effectiveDeadlines>;
  /** Dated steps its province adds (not stage deadlines). */
  milestones: NonNullable<ReturnType<typeof overlayFor>>['milestones'];
}

export interface CountyDesk {
  countyCode: string;
  applications: CountyApplication[];
  open: OpenCampaign[];
}

export async function countyDesk(deps: CountyDeskDeps, principal: Principal): Promise<CountyDesk> {
  assertAllowed(may.file(principal, principal.jurisdiction), 'file', principal);
  const countyCode = principal.jurisdiction;
  // Refuses (400) a jurisdiction that is no county before anything is read.
  reviewChain(countyCode);
  const provincialCode = provincialLevelOf(countyCode).code;
  const now = deps.clock();
  const campaigns = await deps.campaigns.list();
  const filed = await Promise.all(
    campaigns.map(async (campaign) => {
      const listed = await deps.listings.applicationsOfCounty(countyCode, provincialCode, campaign.campaignId);
      // The listing filters by county; the rule does not rest on the index: another county's never shows.
      const records = listed.filter((record) => record.countyCode === countyCode);
      return Promise.all(
        records.map(async (record): Promise<CountyApplication> => {
          const evidence = await deps.records.listEvidence(record.applicationId);
          return {
            application: applicationView(record, campaign, evidence, now),
            campaign,
            problems: EDITABLE_STATUSES.includes(record.status)
              ? submissionProblems(record, campaign, evidence, now)
              : [],
          };
        }),
      );
    }),
  );
  const applications = filed.flat().sort((a, b) => b.application.updatedAt.localeCompare(a.application.updatedAt));
  const open = campaigns
    .filter((campaign) => campaign.open)
    .map((campaign): OpenCampaign => {
      const overlay = overlayFor(campaign, countyCode);
      return {
        campaign,
        tracks: Object.keys(campaign.tracks) as Track[],
        deadlines: effectiveDeadlines(campaign, overlay),
        milestones: overlay?.milestones ?? [],
      };
    });
  return { countyCode, applications, open };
}
