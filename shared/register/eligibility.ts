/**
 * Who may file for a register entry (issue 13): a re-review only for a standing member of the
 * cohort its campaign names, a typical case for any standing entry, national or provincial; in
 * both, only the entry's own county files. Pure: the rules are data (the track's `cohort`), the
 * entry is read by the caller.
 */
import type { Track } from '../schemas/common.ts';
import type { RegisterEntry, RegisterLevel } from './entry.ts';
import { STANDING_STATES } from './entry.ts';

/** The tracks filed for an existing register entry: the application names it (registerEntryId). */
export const TRACKS_FILED_FOR_AN_ENTRY: ReadonlySet<Track> = new Set(['rereview', 'typical-case']);

/** The cohort a re-review campaign names (TrackRulesSchema.cohort). */
export interface Cohort {
  level: RegisterLevel;
  year: number;
}

/** The application fields an entry fixes: pre-filled from it and locked (PATCH refuses them). */
export const IDENTITY_FIELDS = ['clusterName', 'leadingIndustry', 'subSector'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

export type RefusalCode = 'NOT_IN_REGISTER' | 'NO_COHORT' | 'NOT_A_MEMBER' | 'NOT_STANDING' | 'ANOTHER_COUNTY';

export interface FilingRefusal {
  code: RefusalCode;
  /** Bilingual: said to the county official as it is. */
  message: string;
}

const STATE_WORDS: Record<RegisterEntry['state'], string> = {
  valid: '有效 / valid',
  'under-re-review': '复核中 / under re-review',
  retained: '复核保留 / retained',
  revoked: '已撤销 / revoked',
  expired: '已过期 / expired',
};

/**
 * Why the county may not file `track` for the entry, or undefined when it may. The cohort is the
 * track's (required for a re-review; a typical case takes any standing entry).
 */
export function filingRefusal(
  entry: RegisterEntry | undefined,
  filing: { track: Track; countyCode: string; cohort?: Cohort | undefined },
): FilingRefusal | undefined {
  if (!entry) return { code: 'NOT_IN_REGISTER', message: '认定名单中没有该集群 / no register entry has this id' };
  if (filing.track === 'rereview') {
    if (!filing.cohort) {
      return {
        code: 'NO_COHORT',
        message: '该复核未指定复核批次 / this re-review names no cohort: nobody can file it',
      };
    }
    if (entry.level !== filing.cohort.level || entry.cohort !== filing.cohort.year) {
      return {
        code: 'NOT_A_MEMBER',
        message: `该集群不属于${filing.cohort.year}年度${filing.cohort.level === 'national' ? '国家级' : '省级'}复核批次 / not a member of the ${filing.cohort.year} ${filing.cohort.level} cohort this re-review examines`,
      };
    }
  }
  if (!STANDING_STATES.has(entry.state)) {
    return {
      code: 'NOT_STANDING',
      message: `该集群认定状态为「${STATE_WORDS[entry.state]}」，不能申报 / the entry is ${entry.state}: it cannot be filed for`,
    };
  }
  if (entry.countyCode !== filing.countyCode) {
    return {
      code: 'ANOTHER_COUNTY',
      message: `该集群属于其他县（${entry.countyCode}） / the entry belongs to another county (${entry.countyCode})`,
    };
  }
  return undefined;
}

/** The county's entries it may file `track` for (the portal's choice). */
export function eligibleEntries(
  entries: readonly RegisterEntry[],
  filing: { track: Track; countyCode: string; cohort?: Cohort | undefined },
): RegisterEntry[] {
  return entries.filter((entry) => filingRefusal(entry, filing) === undefined);
}

/** Whether the entry is one of the cohort's members (standing or not: the console lists them all). */
export function inCohort(entry: RegisterEntry, cohort: Cohort): boolean {
  return entry.level === cohort.level && entry.cohort === cohort.year;
}

/** The identity fields a patch would change, each named (the lock's refusal). */
export function identityChanges(
  current: Record<IdentityField, string>,
  patch: Partial<Record<IdentityField, string | undefined>>,
): IdentityField[] {
  return IDENTITY_FIELDS.filter((field) => patch[field] !== undefined && patch[field] !== current[field]);
}
