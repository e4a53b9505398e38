import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Caller } from '../platform/auth/principal.ts';
import { ConflictError, type ErrorDetail, UnknownJurisdictionError, ValidationError } from '../platform/errors.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { IdempotencyMarker, Records } from '../ports/core.ts';
import type { Quotas } from '../ports/quotas.ts';
import type { Campaign } from '../rules/campaign.ts';
import { quotaHolderOf, subSectorQuotaKey } from '../ladder/quota-request.ts';
import { effectiveRules } from '../rules/effective-rules.ts';
import { canonicalSubSector } from '../rules/sub-sectors.ts';
import { draftFormSchema, precheckThresholds } from '../rules/form.ts';
import { findJurisdiction, provincialLevelOf, reviewChain } from '../rules/jurisdictions.ts';
import { CreateApplicationBodySchema, PatchApplicationBodySchema } from '../schemas/api.ts';
import type { ApplicationStatus } from '../schemas/common.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import { assertTakingApplications, type LoadDeps, loadAuthorised, rulesOf } from './access.ts';
import { type AuditStamp, callerAudit } from './audit.ts';
import type { CampaignCatalog } from './campaigns.ts';
import {
  earlierRequest,
  keyedRequest,
  type MarkerRecords,
  newMarker,
  raceWinner,
  type RequestOptions,
} from './idempotency.ts';
import { applicationView, publicView } from './view.ts';
import { assertIdentityLocked, entryToFile, type FilingRegister } from '../register/filing.ts';

/** A wiring without the register fails the first filing for an entry, rather than skipping the check. */
const unwiredRegister: Pick<FilingRegister, 'get'> = {
  get: () => Promise.reject(new Error('Intake wired without the register: a filing for an entry needs it')),
};

/* The county's draft: created from the campaign's rules, then edited while it may be. */

/** Statuses in which the county may still edit the form and add evidence. */
export const EDITABLE_STATUSES: readonly ApplicationStatus[] = ['DRAFT', 'RETURNED'];

export interface CreateDraftDeps extends AuditStamp {
  records: Pick<Records, 'createApplication' | 'getApplication' | 'listEvidence'> & MarkerRecords;
  campaigns: Pick<CampaignCatalog, 'find' | 'get'>;
  /** The register of recognised clusters: the rereview and typical-case tracks file for one of its entries. */
  register?: Pick<FilingRegister, 'get'>;
}

export interface PatchDraftDeps extends AuditStamp, LoadDeps {
  records: Pick<Records, 'getApplication' | 'saveApplication'>;
  quotas: Pick<Quotas, 'held'>;
}

/** POST /v1/applications: a DRAFT for the county, on a campaign taking applications now. */
export async function createDraft(deps: CreateDraftDeps, input: unknown, caller: Caller, options: RequestOptions) {
  const { principal } = caller;
  // The county filed for is in the body: refuse those who may file for no county before reading it.
  assertAllowed(may.file(principal, principal.jurisdiction), 'file', principal);
  const body = parseOrThrow(CreateApplicationBodySchema, input);
  // Co-located counties are listed, not filing: only the applicant county's own official files.
  assertAllowed(may.file(principal, body.countyCode), 'file', principal);
  // A repeat answers as the first request did, whatever changed since (the deadline passing).
  const keyed = keyedRequest(options, 'CREATE', principal, { body });
  const repeated = keyed && (await earlierRequest(deps.records, keyed));
  if (repeated) return replayCreate(deps, repeated);
  const campaign = await deps.campaigns.find(body.campaignId);
  if (!campaign) {
    throw new ValidationError(`Unknown campaign ${body.campaignId}`, [
      { field: 'campaignId', code: 'UNKNOWN_CAMPAIGN', message: `no campaign has id ${body.campaignId}` },
    ]);
  }
  if (!campaign.tracks[body.track]) {
    throw new ValidationError(`Campaign ${campaign.campaignId} has no ${body.track} track`, [
      {
        field: 'track',
        code: 'UNKNOWN_TRACK',
        message: `must be one of ${Object.keys(campaign.tracks).join(', ')}`,
      },
    ]);
  }
  countyChain(body.countyCode, 'countyCode');
  assertCoCounties(body.coCountyCodes, body.countyCode);
  const form = parseOrThrow(draftFormSchema(body.track), body.form, 'form');

  const rules = effectiveRules(campaign, body.track, body.countyCode);
  // A re-review or typical case is filed for a register entry, whose identity the draft takes.
  const filed = await entryToFile(deps.register ?? unwiredRegister, campaign, body);
  const identity = filed?.identity ?? {
    clusterName: body.clusterName ?? '',
    leadingIndustry: body.leadingIndustry ?? '',
    // Where the campaign or the province lists its sub-sectors, the county picks one (400 otherwise).
    subSector: canonicalSubSector(rules.subSectors, body.subSector ?? ''),
  };
  const dueAt = rules.deadlines.submission ?? campaign.calendar.province;
  assertTakingApplications(campaign, dueAt, deps.clock(), 'campaignId');

  const now = deps.clock().toISOString();
  const application: ApplicationRecord = {
    applicationId: deps.newId(),
    campaignId: campaign.campaignId,
    track: body.track,
    countyCode: body.countyCode,
    provincialCode: provincialLevelOf(body.countyCode).code,
    // The city stage as routed: the tree's city, a city-level sender (综改区), or none (梅河口).
    cityCode: rules.stages.find((stage) => stage.stage === 'city')?.jurisdictionCode,
    ...identity,
    ...(filed && { registerEntryId: filed.entry.entryId }),
    coCountyCodes: body.coCountyCodes,
    form,
    status: 'DRAFT',
    revision: 0,
    dueAt,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.records.createApplication(
      application,
      callerAudit(deps, application, caller, 'APPLICATION_CREATED', { toStatus: 'DRAFT' }),
      keyed && newMarker(keyed, { applicationId: application.applicationId }, deps.clock()),
    );
  } catch (error) {
    // Another request with the same key won the race: answer as its repeat.
    const winner = await raceWinner(deps.records, keyed, error);
    if (winner) return replayCreate(deps, winner);
    throw error;
  }
  return applicationView(application, campaign, [], deps.clock());
}

/** A repeated create: the draft the first request made. */
async function replayCreate(deps: CreateDraftDeps, marker: IdempotencyMarker) {
  const application = await deps.records.getApplication(marker.applicationId);
  if (!application) throw new Error(`Idempotency marker names no application ${marker.applicationId}`);
  const [campaign, evidence] = await Promise.all([
    deps.campaigns.get(application.campaignId),
    deps.records.listEvidence(application.applicationId),
  ]);
  return applicationView(application, campaign, evidence, deps.clock());
}

/**
 * Co-located counties (a cluster spanning counties is filed by one of them): each another county
 * that could file itself. One rule for create and PATCH; 400 naming each bad entry.
 */
function assertCoCounties(codes: readonly string[], countyCode: string): void {
  const problems = codes.flatMap((code, i): ErrorDetail[] =>
    findJurisdiction(code)?.applicant && code !== countyCode
      ? []
      : [{ field: `coCountyCodes.${i}`, code: 'UNKNOWN_JURISDICTION', message: `${code} is not another county` }],
  );
  if (problems.length) throw new ValidationError('Invalid co-located counties', problems);
}

/** The county's review chain; 400 naming `field` when the code is no county. */
function countyChain(code: string, field: string) {
  try {
    return reviewChain(code);
  } catch (error) {
    if (error instanceof UnknownJurisdictionError) {
      throw new ValidationError(`Unknown county ${code}`, [
        { field, code: 'UNKNOWN_JURISDICTION', message: `${code} is not a county-level GB/T 2260 code` },
      ]);
    }
    throw error;
  }
}

/** PATCH /v1/applications/{id}: edits the form while the county may, at the revision it read. */
export async function patchDraft(deps: PatchDraftDeps, applicationId: string, input: unknown, caller: Caller) {
  const { application, campaign } = await loadAuthorised(deps, applicationId, caller.principal, 'actAsApplicant');
  const parsed = parseOrThrow(PatchApplicationBodySchema, input);
  // Filed for a register entry: the cluster's identity is the entry's (409 naming the field).
  assertIdentityLocked(application, parsed);
  // Where a sub-sector list exists the value must be on it, and is stored as the list spells it
  // (an entry's sub-sector is the register's, as the lock just checked).
  const body =
    parsed.subSector === undefined || application.registerEntryId !== undefined
      ? parsed
      : { ...parsed, subSector: canonicalSubSector(rulesOf(application, campaign).subSectors, parsed.subSector) };
  if (!EDITABLE_STATUSES.includes(application.status)) {
    throw new ConflictError('NOT_EDITABLE', `The application is ${application.status} and can no longer be edited`);
  }
  if (body.revision !== undefined && body.revision !== application.revision) {
    throw new ConflictError('CONCURRENT_CHANGE', 'The application changed since you loaded it', [
      {
        field: 'revision',
        code: 'STALE_REVISION',
        message: `the current revision is ${application.revision}`,
      },
    ]);
  }
  if (body.coCountyCodes !== undefined) assertCoCounties(body.coCountyCodes, application.countyCode);
  await assertQuotaKeysKept(deps, application, campaign, body);
  // alsoProvincial is accepted from v1 clients and ignored (the city states "also national").
  const { revision: _ignored, alsoProvincial: _retired, form: formPatch, ...fields } = body;
  // A form field set to null is removed (a page's blanked field must not keep its old value).
  const merged = Object.entries({ ...application.form, ...formPatch }).filter(([, value]) => value !== null);
  const form = parseOrThrow(draftFormSchema(application.track), Object.fromEntries(merged), 'form');
  const updated: ApplicationRecord = {
    ...application,
    ...fields,
    form,
    revision: application.revision + 1,
    updatedAt: deps.clock().toISOString(),
  };
  await deps.records.saveApplication(
    updated,
    application,
    callerAudit(deps, application, caller, 'FORM_UPDATED', { detail: { fields: Object.keys(body) } }),
  );
  const rules = rulesOf(updated, campaign);
  return { ...publicView(updated), warnings: precheckThresholds(rules.thresholds, form) };
}

/**
 * A slot is taken once and released once (DOMAIN.md "Quotas"). The quota adapter keeps the keys
 * each slot was reserved under and releases by them, so no edit can orphan one; but the sub-sector
 * cap would no longer mean anything if a held sub-sector slot could be carried to another
 * sub-sector by an edit (returned by MIIT after the approvals, or by the province after an upheld
 * objection). So the sub-sector is frozen while a sub-sector slot holds it: 409 naming the field.
 * The same sub-sector written another way (the same list entry, or the same normalised text)
 * keeps its key and is accepted.
 */
async function assertQuotaKeysKept(
  deps: Pick<PatchDraftDeps, 'quotas'>,
  application: ApplicationRecord,
  campaign: Campaign,
  body: { subSector?: string },
): Promise<void> {
  if (body.subSector === undefined) return;
  const after = subSectorQuotaKey({ ...application, subSector: body.subSector }, campaign);
  // The same key (no sub-sector cap, or the same sub-sector spelled another way): nothing moves.
  if (after === subSectorQuotaKey(application, campaign)) return;
  const held = (await deps.quotas.held(quotaHolderOf(application))).find((slot) => slot.scope === 'sub-sector');
  if (!held || held.code === after) return;
  throw new ConflictError('QUOTA_KEY_FROZEN', 'The sub-sector cannot change while the application holds a quota slot', [
    {
      field: 'subSector',
      code: 'QUOTA_KEY_FROZEN',
      message:
        '已占用细分领域推荐名额，不能修改细分领域 / the application holds a sub-sector quota slot: its sub-sector cannot change',
    },
  ]);
}
