/**
 * Expert scores at the province stage (专家评审) and the weighted score the province ranks its
 * candidates by (择优遴选). Rules as data: the weights come from the campaign track
 * (`TrackRules.scoringWeights`); a criterion the track does not weigh counts 1, so the default is
 * equal weights.
 *
 * Recommendation and re-review are scored on the eight criteria of the Interim Measures; typical
 * cases on their seven aspects.
 */
import * as z from 'zod';
import type { Bilingual, Track } from '../schemas/common.ts';
import type { TrackRules } from './track-rules.ts';
import { CRITERIA, CRITERION_TITLES, TYPICAL_CASE_ASPECT_TITLES, TYPICAL_CASE_ASPECTS } from './criteria.ts';

export const SCORE_MIN = 0;
export const SCORE_MAX = 100;
/** A criterion's weight when the track names none: equal weights. */
export const DEFAULT_WEIGHT = 1;

export interface ScoredCriterion {
  id: string;
  title: Bilingual;
  weight: number;
}

/** What each track is scored on, in the order the form shows them. */
export function scoringCriteria(track: Track): readonly { id: string; title: Bilingual }[] {
  if (track === 'typical-case') {
    return TYPICAL_CASE_ASPECTS.map((id) => ({ id, title: TYPICAL_CASE_ASPECT_TITLES[id] }));
  }
  return CRITERIA.map((id) => ({ id, title: CRITERION_TITLES[id] }));
}

/** The track's criteria with their weights (configured, else DEFAULT_WEIGHT). */
export function weightedCriteria(
  track: Track,
  rules: Pick<TrackRules, 'scoringWeights'> | undefined,
): ScoredCriterion[] {
  const configured: Partial<Record<string, number>> = rules?.scoringWeights ?? {};
  return scoringCriteria(track).map((criterion) => ({
    ...criterion,
    weight: configured[criterion.id] ?? DEFAULT_WEIGHT,
  }));
}

/**
 * The scores a province reviewer gives: one number 0..100 for every criterion of the track, no
 * other keys. Errors name the criterion (`scores.green-development`).
 */
export function scoresSchema(track: Track) {
  const score = z
    .number()
    .min(SCORE_MIN, `a score is at least ${SCORE_MIN}`)
    .max(SCORE_MAX, `a score is at most ${SCORE_MAX}`);
  return z.strictObject(Object.fromEntries(scoringCriteria(track).map(({ id }) => [id, score])));
}

/** Σ weight·score / Σ weight, 0..100, rounded to two decimals. */
export function weightedScore(scores: Readonly<Record<string, number>>, criteria: readonly ScoredCriterion[]): number {
  let total = 0;
  let weights = 0;
  for (const { id, weight } of criteria) {
    const score = scores[id];
    if (score === undefined) continue;
    total += weight * score;
    weights += weight;
  }
  return weights === 0 ? 0 : Math.round((total / weights) * 100) / 100;
}
