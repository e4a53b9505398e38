/**
 * The steps a level runs, as data. Each notice says what its level does with an application before
 * the list moves on: the national call asks the province for 初审 and 实地抽查; Shanxi's province
 * runs 形式审查, 专家评审, 实地抽查, 会议研究 and 结果公示; Shanxi's cities sign an on-site statement.
 * A campaign declares the national call's steps per level (`Campaign.steps`); a province overlay
 * replaces a level's sequence for that province only. One state machine runs any sequence: it
 * walks the route's steps (shared/ladder/route.ts) and never knows a province.
 *
 * Person steps wait for the level (the review desk: a link, a decision with reasons, the step's own
 * record); `public-notice` is timed (the state machine waits out its period, then the level
 * triages objections). Every person step can return or reject with a reason, as a review can.
 */
import * as z from 'zod';
import { BilingualSchema } from '../schemas/common.ts';

export const STEP_KINDS = [
  'review',
  'onsite-statement',
  'formal-check',
  'expert-panel',
  'sampling',
  'meeting',
  'public-notice',
  'formal-letter',
] as const;
export const StepKindSchema = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof StepKindSchema>;

/** What each step is called, as the notices call it. */
export const STEP_TITLES: Readonly<Record<StepKind, { zh: string; en: string }>> = {
  review: { zh: '审核', en: 'Review' },
  'onsite-statement': { zh: '现场核查符合性说明', en: 'On-site check statement' },
  'formal-check': { zh: '形式审查', en: 'Formal check' },
  'expert-panel': { zh: '专家评审', en: 'Expert panel' },
  sampling: { zh: '实地抽查', en: 'On-site sampling' },
  meeting: { zh: '会议研究', en: 'Meeting decision' },
  'public-notice': { zh: '公示', en: 'Public notice' },
  'formal-letter': { zh: '正式推荐文件', en: 'Formal letter' },
};

/** One point of the formal check (形式审查): checked pass or fail, a failure with its reason. */
export const FormalCheckPointSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'a slug'),
  title: BilingualSchema,
});
export type FormalCheckPoint = z.infer<typeof FormalCheckPointSchema>;

/** The default formal check when a step names no points of its own. */
export const DEFAULT_FORMAL_CHECK: FormalCheckPoint[] = [
  { id: 'form-complete', title: { zh: '申报表填写完整', en: 'The application form is complete' } },
  { id: 'form-stamped', title: { zh: '申报表已盖章', en: 'The application form is stamped' } },
  { id: 'evidence-complete', title: { zh: '佐证材料齐全', en: 'Evidence is given for every criterion' } },
  { id: 'within-scope', title: { zh: '符合申报条件', en: 'The cluster meets the conditions of the call' } },
];

export const StepSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('review').describe('初审 / 审核: a decision with reasons') }),
  z.object({
    kind: z.literal('onsite-statement').describe('the city signs its 现场核查符合性说明 after a site visit'),
  }),
  z.object({
    kind: z.literal('formal-check'),
    points: z.array(FormalCheckPointSchema).min(1).default(DEFAULT_FORMAL_CHECK).describe('what 形式审查 checks'),
  }),
  z.object({
    kind: z.literal('expert-panel'),
    minExperts: z.int().min(3).max(15).default(3).describe('experts assigned to each candidate, at least 3'),
    aggregate: z
      .enum(['mean', 'trimmed-mean'])
      .default('mean')
      .describe('trimmed-mean: the mean without the highest and the lowest score'),
  }),
  z.object({
    kind: z.literal('sampling'),
    when: z
      .enum(['always', 'when-necessary'])
      .default('always')
      .describe('when-necessary: the level records whether it sampled (the re-review: 必要时)'),
  }),
  z.object({ kind: z.literal('meeting').describe('会议研究: the decision with the minutes') }),
  z.object({
    kind: z.literal('public-notice'),
    days: z.int().min(1).max(60).describe('the period of the 公示, as the notice gives it'),
  }),
  z.object({
    kind: z.literal('formal-letter'),
    document: z
      .enum(['recommendation', 'rereview', 'cultivation-measures'])
      .default('recommendation')
      .describe(
        "正式推荐文件, or 正式复核意见文件 for the re-review, or for a batch of typical cases the gathering level's 培育举措",
      ),
  }),
]);
export type Step = z.infer<typeof StepSchema>;
export type StepInput = z.input<typeof StepSchema>;

/** A level's sequence: at least one person step; a public notice never first, and at most one. */
export const StepSequenceSchema = z
  .array(StepSchema)
  .min(1, 'a level runs at least one step')
  .superRefine((steps, ctx) => {
    if (!steps.some((step) => step.kind !== 'public-notice')) {
      ctx.addIssue({ code: 'custom', path: [], message: 'a level needs at least one step a person takes' });
    }
    if (steps[0]?.kind === 'public-notice') {
      ctx.addIssue({
        code: 'custom',
        path: [0, 'kind'],
        message: 'a public notice follows a decision, never opens a level',
      });
    }
    const kinds = steps.map((step) => step.kind);
    kinds.forEach((kind, index) => {
      if (kinds.indexOf(kind) !== index) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'kind'],
          message: `step "${kind}" is declared twice at this level`,
        });
      }
    });
  });

export const LEVELS = ['city', 'province', 'miit'] as const;
export type Level = (typeof LEVELS)[number];

/** The steps each level runs; a level not named runs a single review. */
export const LevelStepsSchema = z.object({
  city: StepSequenceSchema.optional(),
  province: StepSequenceSchema.optional(),
  miit: StepSequenceSchema.optional(),
});
export type LevelSteps = z.infer<typeof LevelStepsSchema>;
export type LevelStepsInput = z.input<typeof LevelStepsSchema>;

/** What a level runs when neither the campaign nor the overlay says: one review. */
export const SINGLE_REVIEW: readonly Step[] = [{ kind: 'review' }];

/**
 * The sequence level `level` runs for one application: the overlay's, else the campaign's (the
 * national call's), else a single review.
 */
export function stepsAt(level: Level, campaignSteps?: LevelSteps, overlaySteps?: LevelSteps): readonly Step[] {
  return overlaySteps?.[level] ?? campaignSteps?.[level] ?? SINGLE_REVIEW;
}

/** Whether the state machine runs this step by itself (a timed wait) rather than a person. */
export const isTimedStep = (step: Pick<Step, 'kind'>): boolean => step.kind === 'public-notice';
