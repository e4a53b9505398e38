import * as z from 'zod';
import { StepKindSchema, StepSchema } from '../rules/steps.ts';
import { IsoDateTimeSchema, TrackSchema } from '../schemas/common.ts';
import { DecisionOutputSchema, ReviewRequestSchema, StageNameSchema, WORKFLOW_ERRORS } from './contract.ts';

/**
 * What flows through the review ladder's state machine (infra/constructs/review-ladder.ts), one
 * schema per task input and output. Every task handler parses its payload with these; the state
 * names and JSON paths that carry them are in the construct.
 *
 * The execution's state, as it grows:
 *   { applicationId, revision }                         execution input
 *   + route, next                                       PrepareRoute (replaces the state)
 *   + current                                           EnterStage (the stage and its step)
 *   + decision                                          RequestReview (the review desk's DecisionOutput)
 *   + returned, resubmission                            MarkReturned, AwaitResubmission
 *   + failure                                           a caught timeout, cancellation or withdrawal
 *   + notice, objections                                StartPublicNotice, CheckObjections
 * and the terminal task's result replaces it all: the execution's output is the outcome.
 */

const ApplicationIdSchema = z.uuid();
const JurisdictionCodeSchema = z.string().regex(/^\d{6}$/, 'six digits (MIIT: 000000)');

/** StartExecution input (shared/adapters/sfn-workflow.ts). */
export const ExecutionInputSchema = z.object({
  applicationId: ApplicationIdSchema,
  /** The application's revision when it was submitted (part of the execution name). */
  revision: z.int().nonnegative(),
});
export type ExecutionInput = z.infer<typeof ExecutionInputSchema>;

/**
 * What a reviewer must supply with an approval at a stage; the review desk enforces it. Only on
 * routes computed before steps were data (their stages carry no `steps`): read to derive the
 * single review step such a stage runs.
 */
export const ApprovalRequirementsSchema = z.object({
  /** The city's on-site check statement (现场核查符合性说明). */
  onSiteStatement: z.boolean(),
  /** Expert scores on the eight criteria (择优遴选). */
  expertScores: z.boolean(),
  /** Approving takes a quota slot (reserved by the review desk, released on a terminal outcome). */
  quotaReservation: z.boolean(),
});
export type ApprovalRequirements = z.infer<typeof ApprovalRequirementsSchema>;

/** One step of a stage, as the route carries it: the level's declared step and what it means here. */
export const RouteStepSchema = z.object({
  /** The step as the campaign or the overlay declares it (shared/rules/steps.ts), with its config. */
  config: StepSchema,
  /** The stage's last person step: its approval forwards the application to the next level. */
  forwards: z.boolean(),
  /** Approving this step takes quota slots (the forwarding step, where the track takes quotas). */
  quotaReservation: z.boolean(),
  /** Approving needs the city's on-site check statement (the onsite-statement step). */
  onSiteStatement: z.boolean(),
});
export type RouteStep = z.infer<typeof RouteStepSchema>;

const RouteStageObjectSchema = z.object({
  stage: StageNameSchema,
  jurisdictionCode: JurisdictionCodeSchema,
  jurisdictionName: z.string().min(1),
  /** The stage's deadline (逾期不予受理): every person step's task times out then. */
  deadline: IsoDateTimeSchema,
  /**
   * Set where the stage forwards its approvals as one list at a date (the province sends its
   * list to MIIT at its deadline): an application done with the stage waits until then.
   */
  forwardAt: IsoDateTimeSchema.optional(),
  /** The steps the level runs, in order (at least one a person takes). */
  steps: z.array(RouteStepSchema).min(1),
});

/**
 * A route stage. One computed before steps were data has `requirements` and no `steps`: it ran a
 * single review, which forwarded and, where the requirements said so, reserved the quota.
 */
export const RouteStageSchema = z.preprocess((value) => {
  if (typeof value !== 'object' || value === null || 'steps' in value) return value;
  const parsed = ApprovalRequirementsSchema.safeParse((value as { requirements?: unknown }).requirements);
  const requirements = parsed.success ? parsed.data : { onSiteStatement: false, quotaReservation: false };
  const { requirements: _dropped, ...rest } = value as Record<string, unknown>;
  return {
    ...rest,
    steps: [
      {
        config: { kind: 'review' },
        forwards: true,
        quotaReservation: requirements.quotaReservation,
        onSiteStatement: requirements.onSiteStatement,
      },
    ],
  };
}, RouteStageObjectSchema);
export type RouteStage = z.infer<typeof RouteStageObjectSchema>;

/** A province's own list, as the route carries it: the validity it gives and its cohort (the campaign's year). */
export const ProvincialListSchema = z.object({
  validityYears: z.int().positive(),
  cohort: z.int().min(2000).max(2100),
});
export type ProvincialList = z.infer<typeof ProvincialListSchema>;

export const RouteSchema = z
  .object({
    campaignId: z.string().min(1),
    track: TrackSchema,
    /** The stages in order, as the jurisdiction tree gives them (no city stage in a municipality). */
    stages: z.array(RouteStageSchema).min(1),
    /**
     * Only on routes computed before steps were data (the invented notice after MIIT); a notice
     * now is a step with its own days.
     */
    noticeDays: z.int().nonnegative().optional(),
    /** Years a recognition stays valid. */
    validityYears: z.int().positive(),
    /** Where the province recognises its own list (its overlay's provincialRecognition). */
    provincialRecognition: ProvincialListSchema.optional(),
  })
  .refine((route) => route.stages.at(-1)?.stage === 'miit', 'the last stage is MIIT')
  .refine((route) => route.stages.at(-1)?.forwardAt === undefined, 'the last stage forwards to nobody');
export type Route = z.infer<typeof RouteSchema>;

/**
 * Which stage to enter, which of its steps, and which review round of the stage. A position
 * written before steps were data has no `step`: the stage's first.
 */
export const StagePositionSchema = z.object({
  index: z.int().nonnegative(),
  step: z.int().nonnegative().default(0),
  round: z.int().positive(),
});
export type StagePosition = z.infer<typeof StagePositionSchema>;
export type StagePositionInput = z.input<typeof StagePositionSchema>;

/** PrepareRoute's output, which becomes the execution's state. */
export const LadderStartSchema = ExecutionInputSchema.extend({
  route: RouteSchema,
  next: StagePositionSchema,
});
export type LadderStart = z.infer<typeof LadderStartSchema>;

export const EnterStagePayloadSchema = z.object({
  applicationId: ApplicationIdSchema,
  /** `$$.Execution.Id`: stored on the application so a withdrawal can stop the execution. */
  executionArn: z.string().min(1),
  route: RouteSchema,
  next: StagePositionSchema,
});
export type EnterStagePayload = z.infer<typeof EnterStagePayloadSchema>;

/** The review request as the workflow hands it over; RequestReview adds the task token. */
export const StageReviewSchema = ReviewRequestSchema.omit({ taskToken: true });

/** The step under review now (`$.current.step`): the state machine branches on `kind` and `isLastOfStage`. */
export const CurrentStepSchema = z.object({
  index: z.int().nonnegative(),
  kind: StepKindSchema,
  /** Done with this step, the application is done with the stage. */
  isLastOfStage: z.boolean(),
  /** The step's declared config (a public notice's days, a formal check's points, …). */
  config: StepSchema,
  forwards: z.boolean(),
  quotaReservation: z.boolean(),
  onSiteStatement: z.boolean(),
});
export type CurrentStep = z.infer<typeof CurrentStepSchema>;

/** The single review a stage entered before steps were data runs. */
const LEGACY_STEP: CurrentStep = {
  index: 0,
  kind: 'review',
  isLastOfStage: true,
  config: { kind: 'review' },
  forwards: true,
  quotaReservation: false,
  onSiteStatement: false,
};

/** EnterStage's output (`$.current`): the stage and the step under review now. */
export const CurrentStageSchema = z.object({
  index: z.int().nonnegative(),
  isLast: z.boolean(),
  jurisdictionName: z.string().min(1),
  /** Seconds from entering the step to the stage deadline, at least 1: the review task's timeout. */
  timeoutSeconds: z.int().min(1),
  forwardAt: IsoDateTimeSchema.optional(),
  /** Absent on a stage entered before steps were data: its single review. */
  step: CurrentStepSchema.default(LEGACY_STEP),
  review: StageReviewSchema,
  /**
   * Set when the application ends at this stage on its province's own list (not a national
   * candidate): `isLast` is true, and Recognize recognises it provincially.
   */
  endsOnProvincialList: ProvincialListSchema.optional(),
});
export type CurrentStage = z.infer<typeof CurrentStageSchema>;
export type CurrentStageInput = z.input<typeof CurrentStageSchema>;

/** RequestReview (callback): the review desk opens the review; the decision comes back later. */
export const RequestReviewPayloadSchema = z.object({
  taskToken: z.string().min(1),
  review: StageReviewSchema,
});
export type RequestReviewPayload = z.infer<typeof RequestReviewPayloadSchema>;

/** A return or a rejection without its reason never reaches the applicant. */
const ReasonedDecisionSchema = DecisionOutputSchema.extend({
  reason: z.string().trim().min(1, 'a return or rejection states its reason (需说明原因)'),
});

export const MarkReturnedPayloadSchema = z.object({
  applicationId: ApplicationIdSchema,
  current: CurrentStageSchema,
  decision: ReasonedDecisionSchema.extend({ decision: z.literal('return') }),
});
export type MarkReturnedPayload = z.infer<typeof MarkReturnedPayloadSchema>;

/** MarkReturned's output (`$.returned`): how long the resubmission may take. */
export const ReturnedSchema = z.object({
  /** The stage deadline: the applicant must resubmit before it. */
  dueAt: IsoDateTimeSchema,
  timeoutSeconds: z.int().min(1),
});
export type Returned = z.infer<typeof ReturnedSchema>;

/** AwaitResubmission (callback): stores the token; Intake's resubmit completes it. */
export const AwaitResubmissionPayloadSchema = z.object({
  taskToken: z.string().min(1),
  applicationId: ApplicationIdSchema,
  current: CurrentStageSchema,
});
export type AwaitResubmissionPayload = z.infer<typeof AwaitResubmissionPayloadSchema>;

/** What a resubmission sends with SendTaskSuccess (`$.resubmission`). */
export const ResubmissionOutputSchema = z.object({
  applicationId: ApplicationIdSchema,
  revision: z.int().nonnegative(),
  resubmittedAt: IsoDateTimeSchema,
});
export type ResubmissionOutput = z.infer<typeof ResubmissionOutputSchema>;

/** A caught task failure (`$.failure`): States.Timeout, or SendTaskFailure's error and cause. */
export const TaskFailureSchema = z.object({
  Error: z.string(),
  Cause: z.string().optional(),
});
export type TaskFailure = z.infer<typeof TaskFailureSchema>;

/**
 * The cause a cancellation or withdrawal sends with SendTaskFailure: JSON `{ reason, by? }`, or
 * the reason as plain text.
 */
export const FailureCauseSchema = z.object({
  reason: z.string().trim().min(1),
  by: z.string().optional(),
});

export const CLOSING_STATUSES = ['REJECTED', 'OVERDUE', 'CANCELLED', 'WITHDRAWN'] as const;
export type ClosingStatus = (typeof CLOSING_STATUSES)[number];

const closeBase = { applicationId: ApplicationIdSchema, current: CurrentStageSchema };
export const CloseApplicationPayloadSchema = z.discriminatedUnion('outcome', [
  z.object({
    ...closeBase,
    outcome: z.literal('REJECTED'),
    decision: ReasonedDecisionSchema.extend({ decision: z.literal('reject') }),
  }),
  z.object({ ...closeBase, outcome: z.literal('OVERDUE'), failure: TaskFailureSchema }),
  z.object({
    ...closeBase,
    outcome: z.literal('CANCELLED'),
    failure: TaskFailureSchema.extend({ Error: z.literal(WORKFLOW_ERRORS.cancelled) }),
  }),
  z.object({
    ...closeBase,
    outcome: z.literal('WITHDRAWN'),
    failure: TaskFailureSchema.extend({ Error: z.literal(WORKFLOW_ERRORS.withdrawn) }),
  }),
]);
export type CloseApplicationPayload = z.infer<typeof CloseApplicationPayloadSchema>;

/** The execution's output: how the application left the ladder. */
export const LadderOutcomeSchema = z.object({
  applicationId: ApplicationIdSchema,
  // A typical case ends SELECTED or NOT_SELECTED (shared/ladder/selection.ts); an application on a
  // province's own list and no national candidate, PROVINCIALLY_RECOGNIZED (provincial-track.ts).
  status: z.enum([...CLOSING_STATUSES, 'RECOGNIZED', 'SELECTED', 'NOT_SELECTED', 'PROVINCIALLY_RECOGNIZED']),
  stage: StageNameSchema,
  round: z.int().positive(),
  jurisdictionCode: JurisdictionCodeSchema,
  reason: z.string().optional(),
  /** Whether this step freed quota slots (false when none were held, or on a replay). */
  quotaReleased: z.boolean().optional(),
  validUntil: IsoDateTimeSchema.optional(),
});
export type LadderOutcome = z.infer<typeof LadderOutcomeSchema>;

/** The notice's period: the public-notice step's days (or an old route's `noticeDays` after MIIT). */
export const StartPublicNoticePayloadSchema = z.object({
  applicationId: ApplicationIdSchema,
  current: CurrentStageSchema,
  noticeDays: z.int().nonnegative(),
});
export type StartPublicNoticePayload = z.infer<typeof StartPublicNoticePayloadSchema>;

/** StartPublicNotice's output (`$.notice`): the window for objections. */
export const NoticeWindowSchema = z.object({
  startedAt: IsoDateTimeSchema,
  endsAt: IsoDateTimeSchema,
});
export type NoticeWindow = z.infer<typeof NoticeWindowSchema>;

export const CheckObjectionsPayloadSchema = z.object({
  applicationId: ApplicationIdSchema,
  notice: NoticeWindowSchema,
});
export type CheckObjectionsPayload = z.infer<typeof CheckObjectionsPayloadSchema>;

/**
 * CheckObjections' output (`$.objections`): an upheld objection sends the application back to the
 * review of the level holding the notice; an untriaged one holds the recognition until triaged.
 * `unresolved` equals `upheld`: the field executions started before triage existed branch on.
 */
export const ObjectionCheckSchema = z.object({
  upheld: z.int().nonnegative(),
  untriaged: z.int().nonnegative(),
  unresolved: z.int().nonnegative(),
});
export type ObjectionCheck = z.infer<typeof ObjectionCheckSchema>;

export const RecognizePayloadSchema = z.object({
  applicationId: ApplicationIdSchema,
  current: CurrentStageSchema,
  validityYears: z.int().positive(),
});
export type RecognizePayload = z.infer<typeof RecognizePayloadSchema>;
