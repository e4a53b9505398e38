import { randomUUID } from 'node:crypto';
import type { Caller, Principal } from '../platform/auth/principal.ts';
import type { Clock, Records } from '../ports/core.ts';
import type { CountyListings, ReviewWorkflow, UploadSigner } from '../ports/intake.ts';
import type { Quotas } from '../ports/quotas.ts';
import type { RegisterStore } from '../ports/register.ts';
import { entriesToFile } from '../register/filing.ts';
import type { Track } from '../schemas/common.ts';
import type { CampaignCatalog } from './campaigns.ts';
import { countyDesk } from './county.ts';
import { createDraft, patchDraft } from './drafts.ts';
import { listEvidence, requestEvidenceUpload } from './evidence.ts';
import { removeEvidence } from './evidence-removal.ts';
import type { RequestOptions } from './idempotency.ts';
import { submitApplication } from './submission.ts';
import { applicationDetail, applicationHistory } from './view.ts';

export interface IntakeDeps {
  records: Records;
  /** Needed only to presign evidence uploads. */
  uploads?: UploadSigner;
  workflow: ReviewWorkflow;
  campaigns: CampaignCatalog;
  clock: Clock;
  newId?: () => string;
  /** Needed only for the county's own list of applications (the portal's home). */
  listings?: CountyListings;
  /** Needed only to edit an application (PATCH): its quota keys are frozen while it holds a slot. */
  quotas?: Pick<Quotas, 'held'>;
  /**
   * The register of recognised clusters: a re-review or typical case is filed for one of its
   * entries (create), and a submitted re-review puts its entry under re-review.
   */
  register?: Pick<RegisterStore, 'get' | 'ofCounty' | 'replace'>;
}

/** A wiring without quotas fails the first edit that needs them, rather than skipping the check. */
const unwiredQuotas: Pick<Quotas, 'held'> = {
  held: () => Promise.reject(new Error('Intake wired without quotas: a sub-sector edit needs them')),
};

/**
 * The county's side of the programme: drafts, evidence upload requests, submission. Every use case
 * takes the signed-in principal and checks the policy itself (load, then authorise, then read the
 * body), so no caller can reach an application without the check. The workflow never calls these.
 * Each method hands its use case (drafts.ts, evidence.ts, submission.ts, view.ts) these deps.
 */
export class Intake {
  private readonly newId: () => string;

  constructor(private readonly deps: IntakeDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  /** The deps, with the id source settled once. */
  private get wired() {
    return { ...this.deps, newId: this.newId };
  }

  async create(input: unknown, caller: Caller, options: RequestOptions = {}) {
    return createDraft(this.wired, input, caller, options);
  }

  /** Every transition of the application, oldest first, from its audit trail. */
  async history(applicationId: string, principal: Principal) {
    return applicationHistory(this.deps, applicationId, principal);
  }

  async get(applicationId: string, principal: Principal) {
    return applicationDetail(this.deps, applicationId, principal);
  }

  async patch(applicationId: string, input: unknown, caller: Caller) {
    return patchDraft({ ...this.wired, quotas: this.deps.quotas ?? unwiredQuotas }, applicationId, input, caller);
  }

  async requestEvidenceUpload(applicationId: string, input: unknown, caller: Caller, options: RequestOptions = {}) {
    return requestEvidenceUpload(this.wired, applicationId, input, caller, options);
  }

  /** Removes an evidence file while its uploader may still change the item (evidence-removal.ts). */
  async removeEvidence(applicationId: string, evidenceId: string, caller: Caller) {
    return removeEvidence(this.wired, applicationId, evidenceId, caller);
  }

  async listEvidence(applicationId: string, principal: Principal) {
    return listEvidence(this.deps, applicationId, principal);
  }

  async submit(applicationId: string, caller: Caller) {
    return submitApplication(this.wired, applicationId, caller);
  }

  /**
   * The register entries the signed-in county may file the campaign's track for (the portal's
   * create page): none on a track filed for no entry, or where intake has no register.
   */
  async entriesToFile(principal: Principal, campaignId: string, track: Track) {
    const campaign = await this.deps.campaigns.find(campaignId);
    if (!campaign || !this.deps.register || principal.role !== 'applicant') return [];
    return entriesToFile(this.deps.register, campaign, track, principal.jurisdiction);
  }

  /** The signed-in county's applications and the campaigns open to it (the portal's home). */
  async countyDesk(principal: Principal) {
    const { listings } = this.deps;
    if (!listings) throw new Error('This Intake was wired without the county listings');
    return countyDesk({ ...this.deps, listings }, principal);
  }
}
