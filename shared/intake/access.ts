import { assertAllowed, may, type Permission } from '../platform/auth/policy.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import type { Records } from '../ports/core.ts';
import type { Campaign } from '../rules/campaign.ts';
import { effectiveRules } from '../rules/effective-rules.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { CampaignCatalog } from './campaigns.ts';

/*
 * Who may act on an application, and when. Every use case of the intake loads the application,
 * then authorises the principal, then reads the body, so no caller reaches an application
 * without the check.
 */

/** The rules an application answers to here: reading it, or acting as its applicant. */
export type ApplicationRule = Extract<Permission, 'read' | 'actAsApplicant'>;

/** What loading an application with its campaign reads. */
export interface LoadDeps {
  records: Pick<Records, 'getApplication'>;
  campaigns: Pick<CampaignCatalog, 'get'>;
}

/** The application, once the principal may act on it by `rule`: 404 when there is none, else 403. */
export async function authorised(
  records: Pick<Records, 'getApplication'>,
  applicationId: string,
  principal: Principal,
  rule: ApplicationRule,
): Promise<ApplicationRecord> {
  const application = await records.getApplication(applicationId);
  if (!application) throw new NotFoundError(`No application ${applicationId}`);
  assertAllowed(may[rule](principal, application), rule, principal);
  return application;
}

/** The authorised application and its campaign. */
export async function loadAuthorised(
  deps: LoadDeps,
  applicationId: string,
  principal: Principal,
  rule: ApplicationRule,
): Promise<{ application: ApplicationRecord; campaign: Campaign }> {
  const application = await authorised(deps.records, applicationId, principal, rule);
  return { application, campaign: await deps.campaigns.get(application.campaignId) };
}

/** The campaign's rules for this application's track and county (with its province's overlay). */
export function rulesOf(application: ApplicationRecord, campaign: Campaign) {
  return effectiveRules(campaign, application.track, application.countyCode);
}

/** Refuses work on a campaign that is not taking applications from this county now. */
export function assertTakingApplications(campaign: Campaign, deadline: string, now: Date, field?: string): void {
  if (now < new Date(campaign.opensAt)) {
    throw new ConflictError('CAMPAIGN_NOT_OPEN', `Campaign ${campaign.campaignId} opens at ${campaign.opensAt}`, [
      {
        field,
        code: 'CAMPAIGN_NOT_OPEN',
        message: `opens at ${campaign.opensAt}`,
        opensAt: campaign.opensAt,
      },
    ]);
  }
  if (now > new Date(deadline)) {
    throw new ConflictError('DEADLINE_PASSED', `逾期不予受理: the submission deadline ${deadline} has passed`, [
      { field, code: 'DEADLINE_PASSED', message: `the deadline was ${deadline}`, deadline },
    ]);
  }
}
