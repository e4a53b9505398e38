/**
 * 回避: an expert from the candidate's own county or city does not sit on its panel. Pure: the
 * expert's registered places against the candidate's; the expert's own declaration (no stake)
 * covers what a directory cannot know.
 */
import { ValidationError } from '../../platform/errors.ts';
import { findJurisdiction, placeName } from '../../rules/jurisdictions.ts';
import type { Expert } from '../../schemas/panel.ts';

export interface Candidate {
  countyCode: string;
  cityCode?: string | undefined;
  coCountyCodes?: readonly string[];
}

export type Conflict = 'county' | 'city';

/** Why the expert may not sit on the candidate's panel, or undefined when they may. */
export function conflictOf(
  expert: Pick<Expert, 'countyCode' | 'cityCode'>,
  candidate: Candidate,
): Conflict | undefined {
  const counties = [candidate.countyCode, ...(candidate.coCountyCodes ?? [])];
  if (expert.countyCode !== undefined && counties.includes(expert.countyCode)) return 'county';
  if (candidate.cityCode === undefined) return undefined;
  // An expert registered with only a county belongs to that county's city too.
  const expertCity = expert.cityCode ?? (expert.countyCode && findJurisdiction(expert.countyCode)?.parentCode);
  return expertCity === candidate.cityCode ? 'city' : undefined;
}

/** 400 naming the field (`experts.<i>`) of each expert who must step aside. */
export function assertNoConflicts(experts: readonly Expert[], candidate: Candidate, field = 'experts'): void {
  const details = experts.flatMap((expert, i) => {
    const conflict = conflictOf(expert, candidate);
    if (!conflict) return [];
    const place = conflict === 'county' ? placeName(expert.countyCode) : placeName(candidate.cityCode);
    return [
      {
        field: `${field}.${i}`,
        code: 'CONFLICT_OF_INTEREST',
        message:
          conflict === 'county'
            ? `回避：${expert.name} 来自申报集群所在县（${place}） / ${expert.email} is from the candidate's county`
            : `回避：${expert.name} 来自申报集群所在市（${place}） / ${expert.email} is from the candidate's city`,
      },
    ];
  });
  if (details.length > 0) throw new ValidationError('回避: an expert from the candidate’s county or city', details);
}
