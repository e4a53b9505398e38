import { childrenOf, type Jurisdiction, provincialJurisdictions } from '../shared/rules/jurisdictions.ts';
import type { Placement } from './ladder-people.ts';

/** Not in the batch: Jilin holds the happy path; Shanxi's city and sub-sector caps are order-dependent. */
const EXCLUDED_PROVINCES = new Set(['220000', '140000']);

/** Applicant jurisdictions whose provincial level is `provincialCode` (planned cities hold their own). */
function applicantsUnder(provincialCode: string): Jurisdiction[][] {
  const groups: Jurisdiction[][] = [];
  const direct: Jurisdiction[] = [];
  for (const child of childrenOf(provincialCode)) {
    if (child.rank === 'planned-city') continue;
    if (child.applicant) direct.push(child);
    const counties = child.level === 'county' ? [] : childrenOf(child.code).filter((c) => c.applicant);
    if (counties.length > 0) groups.push(counties);
  }
  if (direct.length > 0) groups.push(direct);
  return groups;
}

/**
 * `count` placements, round-robin over the provinces and municipalities (the first
 * `provinceCount` of them, provinces before municipalities; default all), and within each over
 * its cities first and their counties second, so that a province's applications come from as
 * many cities and counties as possible.
 */
export function spreadApplications(count: number, provinceCount?: number): Placement[] {
  // Provinces first (their counties have a city stage), then the municipalities.
  const eligible = provincialJurisdictions().filter((j) => !EXCLUDED_PROVINCES.has(j.code));
  const provinces = [
    ...eligible.filter((j) => j.rank === 'province'),
    ...eligible.filter((j) => j.rank === 'municipality'),
  ].slice(0, provinceCount);
  if (provinces.length === 0) throw new Error('provinces: at least 1');
  const counties = new Map(
    provinces.map((p) => {
      const groups = applicantsUnder(p.code);
      const interleaved: string[] = [];
      for (let i = 0; interleaved.length < groups.reduce((n, g) => n + g.length, 0); i++) {
        for (const group of groups) {
          const county = group[i];
          if (county) interleaved.push(county.code);
        }
      }
      return [p.code, interleaved] as const;
    }),
  );
  return Array.from({ length: count }, (_, i) => {
    const province = provinces[i % provinces.length] as Jurisdiction;
    const list = counties.get(province.code) ?? [];
    const countyCode = list[Math.floor(i / provinces.length) % list.length] as string;
    return { countyCode, provincialCode: province.code };
  });
}
