/**
 * Register entries as the stack's tests seed them: a standing national cluster of the 2022 cohort,
 * the one a re-review or a typical case is filed for.
 */
import { registerEntryId, type RegisterEntry } from '../../shared/register/entry.ts';

export interface SeededCluster {
  countyCode: string;
  clusterName: string;
  leadingIndustry: string;
  subSector: string;
}

/** The 2022 national entry of `cluster` in `provinceCode`, valid and seeded (not imported). */
export function seededNationalEntry(cluster: SeededCluster, provinceCode: string, why: string): RegisterEntry {
  const now = new Date().toISOString();
  return {
    entryId: registerEntryId({ level: 'national', cohort: 2022, ...cluster }),
    ...cluster,
    provinceCode,
    level: 'national',
    cohort: 2022,
    validFrom: '2022-12-30',
    validUntil: '2025-12-29',
    state: 'valid',
    history: [{ at: now, by: 'seed', to: 'valid', reason: why }],
    source: { kind: 'seed' },
    revision: 0,
    createdAt: now,
    updatedAt: now,
  };
}
