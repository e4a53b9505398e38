import type { Principal } from '../platform/auth/principal.ts';
import type { Clock, Records } from '../ports/core.ts';
import type { Campaign } from '../rules/campaign.ts';
import { precheckThresholds } from '../rules/form.ts';
import { additionsFor } from '../rules/form-additions.ts';
import type { ApplicationRecord, EvidenceRecord } from '../schemas/records.ts';
import { authorised, type LoadDeps, loadAuthorised, rulesOf } from './access.ts';
import { checklistStatus } from './checklist.ts';
import { trailAsSeenBy } from './trail.ts';

/* An application as its readers see it: the record, its review chain, checklist, evidence and history. */

/** The record as its readers see it: the workflow's task token is not theirs to hold. */
export function publicView(application: ApplicationRecord): Omit<ApplicationRecord, 'resubmissionToken'> {
  const { resubmissionToken: _secret, ...view } = application;
  return view;
}

/** An application as the API shows it: the record, its review chain, checklist and threshold warnings. */
export function applicationView(
  application: ApplicationRecord,
  campaign: Campaign,
  evidence: EvidenceRecord[],
  now: Date,
) {
  const rules = rulesOf(application, campaign);
  const formAdditions = additionsFor(rules.overlay?.formAdditions, application.track);
  return {
    ...publicView(application),
    reviewChain: rules.stages,
    // The sub-sectors the county picks from, where the campaign or its province lists them.
    ...(rules.subSectors && { subSectors: rules.subSectors }),
    // The fields the county's province adds to this track's form, where it adds any.
    ...(formAdditions.length > 0 && { formAdditions }),
    checklist: checklistStatus(rules.checklist, evidence, now),
    warnings: precheckThresholds(rules.thresholds, application.form),
  };
}

export interface ApplicationDetailDeps extends LoadDeps {
  records: Pick<Records, 'getApplication' | 'listEvidence' | 'listAudit'>;
  clock: Clock;
}

/** GET /v1/applications/{id}: the view, with the evidence items and the audit trail as the principal may see it. */
export async function applicationDetail(deps: ApplicationDetailDeps, applicationId: string, principal: Principal) {
  const { application, campaign } = await loadAuthorised(deps, applicationId, principal, 'read');
  const [evidence, history] = await Promise.all([
    deps.records.listEvidence(applicationId),
    deps.records.listAudit(applicationId),
  ]);
  return {
    ...applicationView(application, campaign, evidence, deps.clock()),
    evidence,
    history: trailAsSeenBy(principal, application, history),
  };
}

/** Every transition of the application, oldest first, from its audit trail as the principal may see it. */
export async function applicationHistory(
  deps: { records: Pick<Records, 'getApplication' | 'listAudit'> },
  applicationId: string,
  principal: Principal,
) {
  const application = await authorised(deps.records, applicationId, principal, 'read');
  const events = await deps.records.listAudit(applicationId);
  return {
    applicationId,
    clusterName: application.clusterName,
    status: application.status,
    track: application.track,
    events: trailAsSeenBy(
      principal,
      application,
      events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.eventId.localeCompare(b.eventId)),
    ),
  };
}
