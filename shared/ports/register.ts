import type { RegisterEntry } from '../register/entry.ts';
import type { Track } from '../schemas/common.ts';
import type { ApplicationRecord } from '../schemas/records.ts';

/*
 * What the register of recognised clusters needs from the world: its entries, kept by their
 * natural key, and the applications the pipeline recognised. shared/adapters/dynamo-register.ts
 * implements both.
 */

export type AddOutcome = 'created' | 'existing';

export interface RegisterStore {
  /** Writes the entry unless one with its natural key is there already (a conditional write). */
  add(entry: RegisterEntry): Promise<AddOutcome>;
  /**
   * Replaces the entry if it is still at `expectedRevision` (the caller's changed copy carries the
   * next revision and the longer history); false when someone changed it first.
   */
  replace(entry: RegisterEntry, expectedRevision: number): Promise<boolean>;
  get(entryId: string): Promise<RegisterEntry | undefined>;
  /** The entries of one administrative province (GB/T 2260, xx0000). */
  ofProvince(provinceCode: string): Promise<RegisterEntry[]>;
  ofCounty(countyCode: string): Promise<RegisterEntry[]>;
  /** Every entry (the national view: a few thousand at most). */
  all(): Promise<RegisterEntry[]>;
}

/** The applications whose status is RECOGNIZED (the migration's input). */
export interface RecognizedApplications {
  recognized(): Promise<ApplicationRecord[]>;
}

/** Which application, if any, was filed for a register entry in a campaign's track (the cohort view). */
export interface EntryFilings {
  filingOf(key: {
    campaignId: string;
    track: Track;
    countyCode: string;
    entryId: string;
  }): Promise<ApplicationRecord | undefined>;
}
