import * as z from 'zod';
import { StepKindSchema } from '../rules/steps.ts';
import { type ApplicationStatus, IsoDateTimeSchema } from '../schemas/common.ts';

/**
 * What the review ladder's pieces say to each other. The state machine (infra/constructs/
 * review-ladder.ts, tasks in functions/workflow/), the review desk (functions/reviews.ts,
 * shared/review/desk.ts) and the local Step Functions runtime (local/stepfunctions/) agree
 * on these shapes and on nothing else.
 */

export const StageNameSchema = z.enum(['city', 'province', 'miit']);
export type StageName = z.infer<typeof StageNameSchema>;

/**
 * Which of its level's declared steps a review is (shared/rules/steps.ts): its position in the
 * stage's sequence and its kind. Absent on reviews opened before steps were data: a review.
 */
export const StepRefSchema = z.object({
  index: z.int().nonnegative(),
  kind: StepKindSchema,
});
export type StepRef = z.infer<typeof StepRefSchema>;

/** The status an application has while a stage reviews it: the one stage ↔ status map. */
export const STAGE_STATUS = {
  city: 'CITY_REVIEW',
  province: 'PROVINCE_REVIEW',
  miit: 'MIIT_REVIEW',
} as const satisfies Readonly<Record<StageName, ApplicationStatus>>;

/** The stage whose reviewers an application waits for, by its status (the same map, read backwards). */
export const STATUS_STAGE: Readonly<Partial<Record<ApplicationStatus, StageName>>> = Object.fromEntries(
  StageNameSchema.options.map((stage) => [STAGE_STATUS[stage], stage]),
);

/** One review stage of one application, as the workflow hands it to the review desk. */
export const ReviewRequestSchema = z.object({
  applicationId: z.uuid(),
  /** The application revision under review (a resubmission after RETURNED is a new revision). */
  revision: z.int().nonnegative(),
  stage: StageNameSchema,
  /** Who decides: the city, the provincial-rank level or MIIT ('000000'). */
  jurisdictionCode: z.string().regex(/^\d{6}$/),
  /** When the stage times out (逾期不予受理); the task's TimeoutSecondsPath is derived from it. */
  deadline: IsoDateTimeSchema,
  /** 1 for the first review at this stage, 2 after the first return for revision, … */
  round: z.int().positive(),
  /** The level's step this review is; absent: the stage's single review (step 0). */
  step: StepRefSchema.optional(),
  /** The Step Functions task token: stored, never emailed, never in a URL. */
  taskToken: z.string().min(1),
});
export type ReviewRequest = z.infer<typeof ReviewRequestSchema>;

export const DecisionKindSchema = z.enum(['approve', 'return', 'reject']);
export type DecisionKind = z.infer<typeof DecisionKindSchema>;

/**
 * The output a decision sends with SendTaskSuccess; the state machine branches on `decision`.
 * Cancellation (false information) and withdrawal are sent with SendTaskFailure instead, with
 * the error names below, so every waiting state catches them the same way.
 */
export const DecisionOutputSchema = z.object({
  reviewId: z.string(),
  decision: DecisionKindSchema,
  reason: z.string().optional(),
  /** Scores on the eight criteria: a province review's, or an expert panel's mean per criterion. */
  scores: z.record(z.string(), z.number()).optional(),
  /** The weighted score: an expert panel's aggregate (the mean, or the trimmed mean). */
  weightedScore: z.number().optional(),
  decidedBy: z.string(),
  decidedAt: IsoDateTimeSchema,
});
export type DecisionOutput = z.infer<typeof DecisionOutputSchema>;

export const WORKFLOW_ERRORS = {
  cancelled: 'Cancelled',
  withdrawn: 'Withdrawn',
} as const;
