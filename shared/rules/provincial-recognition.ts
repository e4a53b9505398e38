/**
 * A province's own recognition (省级认定), where its notice runs one: Jilin and Shanxi recognise a
 * provincial list, with its own validity, and their national candidates come from it. An overlay
 * that declares it makes passing the province's last step a provincial recognition; only the
 * national candidates go on to MIIT, and only they take the province's MIIT quota.
 *
 * Who says which candidates are national:
 *   city-states       the city, with its approval (Jilin: provincial and national in one pass); a
 *                     sender with no city (梅河口, 长白山) is asked at the province's first step;
 *   province-chooses  the province (Shanxi: 择优 from its provincial list), at the step that settles
 *                     its list: its last person step before the formal letter (the meeting).
 * The formal letter itself is never the asking step: it completes by itself when the level files
 * its letter (shared/review/level-documents/gate.ts), with no form to answer.
 */
import * as z from 'zod';
import { isTimedStep, type Step } from './steps.ts';

export const NATIONAL_CANDIDATE_RULES = ['city-states', 'province-chooses'] as const;

export const ProvincialRecognitionSchema = z.object({
  validityYears: z.int().min(1).max(10).default(3).describe('years a provincial recognition stays valid'),
  nationalCandidates: z
    .enum(NATIONAL_CANDIDATE_RULES)
    .describe(
      'city-states: each city states "also national" with its approval (Jilin); province-chooses: the province picks its national candidates from its provincial list (Shanxi, 择优)',
    ),
  priorProvincialRequired: z
    .boolean()
    .default(false)
    .describe(
      'national candidates are recognised provincially first; the province may send one national without it only with a stated exception (Shanxi)',
    ),
});
export type ProvincialRecognition = z.infer<typeof ProvincialRecognitionSchema>;
export type ProvincialRecognitionInput = z.input<typeof ProvincialRecognitionSchema>;

/**
 * The province step at which the province states "national or provincial only", if it does:
 * province-chooses, its last person step before the formal letter; city-states, its first step
 * for a sender with no city (the city states it otherwise).
 */
export function provinceStatementStep(
  recognition: Pick<ProvincialRecognition, 'nationalCandidates'>,
  provinceSteps: readonly Pick<Step, 'kind'>[],
  hasCity: boolean,
): number | undefined {
  if (recognition.nationalCandidates === 'city-states') return hasCity ? undefined : 0;
  const index = provinceSteps.findLastIndex((step) => !isTimedStep(step) && step.kind !== 'formal-letter');
  return index < 0 ? undefined : index;
}

/**
 * Why a province sequence cannot carry this recognition, if it cannot: the statement must be made
 * before the province's last step, so that the step after it already knows whether the
 * application ends at the province (shared/ladder/stages.ts reads it when it enters a step).
 */
export function provinceStepsProblem(
  recognition: Pick<ProvincialRecognition, 'nationalCandidates'>,
  provinceSteps: readonly Pick<Step, 'kind'>[],
  hasDirectSenders: boolean,
): string | undefined {
  const cases = recognition.nationalCandidates === 'city-states' ? (hasDirectSenders ? [false] : []) : [true];
  for (const hasCity of cases) {
    const at = provinceStatementStep(recognition, provinceSteps, hasCity);
    if (at === undefined)
      return 'the province needs a step, other than its formal letter, at which it states its national candidates';
    if (at >= provinceSteps.length - 1) {
      return 'the province states its national candidates before its last step (its formal letter or 公示 follows): a province that runs a single step cannot carry a provincial recognition';
    }
  }
  return undefined;
}
