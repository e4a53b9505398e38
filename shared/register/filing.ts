/**
 * Filing for a register entry (the rereview and typical-case tracks): intake asks here which
 * entry a draft is for, takes its identity from it, and keeps that identity locked. The rules
 * are eligibility.ts; this module reads the entry and turns a refusal into an error naming
 * `registerEntryId` (or the locked field).
 */
import { ConflictError, ValidationError } from '../platform/errors.ts';
import type { RegisterStore } from '../ports/register.ts';
import type { Campaign } from '../rules/campaign.ts';
import type { Track } from '../schemas/common.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import {
  type Cohort,
  eligibleEntries,
  filingRefusal,
  type IdentityField,
  identityChanges,
  TRACKS_FILED_FOR_AN_ENTRY,
} from './eligibility.ts';
import { type RegisterEntry, STANDING_STATES } from './entry.ts';

/** What intake reads of the register: one entry, or the county's. */
export type FilingRegister = Pick<RegisterStore, 'get' | 'ofCounty'>;

/** The cohort a campaign's track names (the re-review's), if any. */
export const cohortOf = (campaign: Campaign, track: Track): Cohort | undefined => campaign.tracks[track]?.cohort;

export interface EntryFiling {
  track: Track;
  countyCode: string;
  registerEntryId?: string | undefined;
  clusterName?: string | undefined;
  leadingIndustry?: string | undefined;
  subSector?: string | undefined;
}

/**
 * The entry a new draft is filed for, with the identity it gives the draft; undefined on a track
 * filed for no entry. 400 naming registerEntryId when the county may not file for it (why: not in
 * the register, not of the cohort, revoked or expired, another county's), or naming an identity
 * field sent with another value than the entry's.
 */
export async function entryToFile(
  register: Pick<FilingRegister, 'get'>,
  campaign: Campaign,
  filing: EntryFiling,
): Promise<{ entry: RegisterEntry; identity: Record<IdentityField, string> } | undefined> {
  if (!TRACKS_FILED_FOR_AN_ENTRY.has(filing.track)) return undefined;
  if (filing.registerEntryId === undefined) {
    // The body's schema requires it on these tracks; a caller bypassing it is refused the same way.
    throw new ValidationError('A register entry is required', [
      { field: 'registerEntryId', code: 'REQUIRED', message: `required on the ${filing.track} track` },
    ]);
  }
  const entry = await register.get(filing.registerEntryId);
  const refusal = filingRefusal(entry, { ...filing, cohort: cohortOf(campaign, filing.track) });
  if (refusal || !entry) {
    throw new ValidationError(`Cannot file for register entry ${filing.registerEntryId}`, [
      {
        field: 'registerEntryId',
        code: refusal?.code ?? 'NOT_IN_REGISTER',
        message: refusal?.message ?? 'no register entry has this id',
      },
    ]);
  }
  const identity = {
    clusterName: entry.clusterName,
    leadingIndustry: entry.leadingIndustry,
    subSector: entry.subSector,
  };
  assertIdentityKept(identity, filing, ValidationError);
  return { entry, identity };
}

/** The county's entries it may file the campaign's track for (the portal's create page). */
export async function entriesToFile(
  register: Pick<FilingRegister, 'ofCounty'>,
  campaign: Campaign,
  track: Track,
  countyCode: string,
): Promise<RegisterEntry[]> {
  if (!TRACKS_FILED_FOR_AN_ENTRY.has(track) || !campaign.tracks[track]) return [];
  const entries = await register.ofCounty(countyCode);
  return eligibleEntries(entries, { track, countyCode, cohort: cohortOf(campaign, track) });
}

/**
 * A draft filed for an entry keeps the entry's identity: 409 naming each field a patch would
 * change (the same value, as a form posting every field sends it, is no change).
 */
export function assertIdentityLocked(
  application: ApplicationRecord,
  patch: Partial<Record<IdentityField, string | undefined>>,
): void {
  if (application.registerEntryId === undefined) return;
  assertIdentityKept(application, patch, ConflictError);
}

function assertIdentityKept(
  current: Record<IdentityField, string>,
  patch: Partial<Record<IdentityField, string | undefined>>,
  as: typeof ValidationError | typeof ConflictError,
): void {
  const changed = identityChanges(current, patch);
  if (changed.length === 0) return;
  const details = changed.map((field) => ({
    field,
    code: 'IDENTITY_LOCKED',
    message: `与认定名单一致，不可修改（「${current[field]}」） / taken from the register entry and locked: ${current[field]}`,
  }));
  const message = `${changed.join(', ')} cannot change: the application is filed for a register entry`;
  throw as === ConflictError
    ? new ConflictError('IDENTITY_LOCKED', message, details)
    : new ValidationError(message, details);
}

/**
 * At submission: the entry filed for is still standing (an operator may have revoked it since the
 * draft was made). 409 naming registerEntryId otherwise.
 */
export async function assertEntryStillStanding(
  register: Pick<FilingRegister, 'get'>,
  application: ApplicationRecord,
): Promise<void> {
  if (application.registerEntryId === undefined) return;
  const entry = await register.get(application.registerEntryId);
  if (entry && STANDING_STATES.has(entry.state)) return;
  throw new ConflictError('ENTRY_NOT_STANDING', `register entry ${application.registerEntryId} no longer stands`, [
    {
      field: 'registerEntryId',
      code: 'ENTRY_NOT_STANDING',
      message: entry
        ? `该集群认定状态为「${entry.state}」，不能再提交 / the entry is ${entry.state}: the filing can no longer be submitted`
        : '认定名单中没有该集群 / no register entry has this id',
    },
  ]);
}
