/**
 * What a campaign asks of one track's applications: its checklist, the thresholds it warns about
 * (each set naming its source), whether quotas apply, the expert scores' weights and, for a
 * re-review, the register cohort it re-examines.
 */
import * as z from 'zod';
import { RegisterLevelSchema } from '../register/entry.ts';
import { ChecklistSchema } from './checklist.ts';
import { CRITERIA, TYPICAL_CASE_ASPECTS } from './criteria.ts';

const ShareSchema = z.number().min(0).max(1);

/*
 * The notices give no numeric thresholds (DOMAIN.md): a campaign may set figures as warnings, each
 * set naming its source, and ships none by default. A threshold not set is not checked.
 */
const ThresholdValuesSchema = z.object({
  minAnnualOutput: z
    .number()
    .nonnegative()
    .optional()
    .describe('minimum cluster output in each of the last three years, in 亿元 (100 million yuan)'),
  minSmeOutputShare: ShareSchema.optional().describe("minimum SMEs' share of the cluster's output, 0..1"),
  minLeadingIndustryShare: ShareSchema.optional().describe(
    "minimum leading industry's share of the cluster's output, 0..1",
  ),
  minAverageGrowth: z
    .number()
    .min(-1)
    .max(10)
    .optional()
    .describe('minimum average yearly output growth, e.g. 0.10 for 10 %'),
  maxAreaKm2: z.number().positive().optional().describe('maximum area of the cluster, in km²'),
});

export const ThresholdsSchema = ThresholdValuesSchema.extend({
  source: z
    .string()
    .trim()
    .min(1, 'name where these figures come from')
    .max(300)
    .describe('where the figures come from (a document, with its number or date): warnings name it'),
  western: ThresholdValuesSchema.optional().describe(
    'relaxed values for the western region, only where the source gives them; unset fields keep the value above',
  ),
});
export type Thresholds = z.infer<typeof ThresholdsSchema>;

/** What the province's expert scores may weigh: the eight criteria and the typical-case aspects. */
const ScoringKeySchema = z.enum([...new Set([...CRITERIA, ...TYPICAL_CASE_ASPECTS])] as [string, ...string[]]);

export const TrackRulesSchema = z.object({
  checklist: ChecklistSchema.min(1, 'a track needs at least one checklist item'),
  thresholds: ThresholdsSchema.optional(),
  quota: z.boolean().default(true).describe('whether the campaign quotas apply to this track (typical cases: false)'),
  scoringWeights: z
    .partialRecord(ScoringKeySchema, z.number().positive().max(100))
    .optional()
    .describe(
      "relative weight of each criterion in the province's weighted expert score; a criterion not named weighs 1 (equal weights by default)",
    ),
  cohort: z
    .object({
      level: RegisterLevelSchema.describe('the list the cohort was recognised on'),
      year: z.int().min(2000).max(2100).describe('the year of that list'),
    })
    .optional()
    .describe(
      'the register cohort this track re-examines (a re-review: the 2022 national cohort in 2025); only its standing members may file',
    ),
  // `cityRequiresOnSiteStatement`, which stored campaigns may still carry, is read no more (and
  // dropped when parsed): the onsite-statement step (shared/rules/steps.ts) replaced it.
});
export type TrackRules = z.infer<typeof TrackRulesSchema>;
