import * as z from 'zod';
import { DecisionKindSchema, StageNameSchema } from '../ladder/contract.ts';
import { CampaignSchema } from '../rules/campaign.ts';
import { ChecklistItemSchema } from '../rules/checklist.ts';
import { WarningSchema } from '../rules/form.ts';
import { FormAdditionSchema } from '../rules/form-additions.ts';
import { StepKindSchema } from '../rules/steps.ts';
import { DivisionCodeSchema, IsoDateTimeSchema, TrackSchema } from './common.ts';
import { ApplicationRecordSchema, AuditEventSchema, EvidenceRecordSchema } from './records.ts';
import { ReviewStatusSchema } from './reviews.ts';
import { SubSectorSchema } from '../rules/sub-sectors.ts';

/**
 * What the JSON API answers, where no schema of the domain already says it (the ops desk's answers
 * are in ops.ts, objections in reviews.ts). These describe the answers for the API's document
 * (shared/platform/openapi) and its contract tests; the desks build the objects themselves.
 */

/** `{"error": {"code", "message", "details"?}}`: every 4xx and 5xx of the JSON API (platform/http/respond.ts). */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** One per bad field; some carry more (the evidence item and its status on a repeated upload). */
    details: z.array(z.looseObject({ field: z.string().optional(), code: z.string(), message: z.string() })).optional(),
  }),
});

/**
 * A `token` route called without a valid ID token: the HTTP API's JWT authorizer refuses it before
 * any handler runs, in API Gateway's own shape (the local gateway answers the same).
 */
export const GatewayRefusalSchema = z.object({ message: z.string() });

// ---- campaigns and jurisdictions ------------------------------------------------------------

/** A campaign as the catalog shows it (CampaignCatalog.view). */
export const CampaignViewSchema = CampaignSchema.safeExtend({
  open: z.boolean().describe('opensAt ≤ now ≤ the last deadline'),
  builtIn: z.boolean().describe('seeded with the code rather than added by an operator'),
});
export const CampaignListSchema = z.object({ campaigns: z.array(CampaignViewSchema) });

const JURISDICTION_LEVELS = ['province', 'city', 'county'] as const;
const RANKS = ['province', 'municipality', 'planned-city', 'xpcc', 'city', 'county'] as const;

const JurisdictionSchema = z.object({
  code: DivisionCodeSchema,
  name: z.string(),
  level: z.enum(JURISDICTION_LEVELS),
  rank: z.enum(RANKS),
  parentCode: DivisionCodeSchema.optional(),
  western: z.boolean(),
  applicant: z.boolean().describe('an application can be filed here'),
});

const ReviewStageSchema = z.object({ stage: StageNameSchema, jurisdictionCode: DivisionCodeSchema, name: z.string() });

/** `GET /v1/jurisdictions/{code}`: the jurisdiction, the ones above and below, and a county's review chain. */
export const JurisdictionViewSchema = JurisdictionSchema.extend({
  parents: z.array(JurisdictionSchema),
  reviewStages: z.array(ReviewStageSchema),
  children: z.array(JurisdictionSchema),
});

// ---- applications and evidence --------------------------------------------------------------

/** The record as its readers see it: the workflow's task token is not theirs to hold. */
export const ApplicationPublicSchema = ApplicationRecordSchema.omit({ resubmissionToken: true });

/** Where a checklist item stands (shared/intake/checklist.ts). */
export const ChecklistItemStatusSchema = ChecklistItemSchema.pick({
  id: true,
  title: true,
  required: true,
  fileTypes: true,
  maxBytes: true,
  maxFiles: true,
  uploadedBy: true,
}).extend({
  valid: z.int().nonnegative(),
  pending: z.int().nonnegative(),
  invalid: z.int().nonnegative(),
  problem: z.enum(['MISSING', 'PENDING', 'INVALID', 'TOO_MANY_FILES']).optional(),
});

/** A saved or submitted application, with the thresholds it does not meet yet (warnings, never refusals). */
export const ApplicationSavedSchema = ApplicationPublicSchema.extend({ warnings: z.array(WarningSchema) });

/** A new draft: the record, its review chain and its checklist. */
export const ApplicationViewSchema = ApplicationSavedSchema.extend({
  reviewChain: z.array(ReviewStageSchema),
  checklist: z.array(ChecklistItemStatusSchema),
  subSectors: z
    .array(SubSectorSchema)
    .optional()
    .describe('the sub-sectors to pick from (by id or Chinese name), where the campaign or province lists them'),
  formAdditions: z
    .array(FormAdditionSchema)
    .optional()
    .describe("the fields the county's province adds to the form (form.provincial.<id>), where it adds any"),
});

/** `GET /v1/applications/{applicationId}`: the view with its evidence and audit trail. */
export const ApplicationDetailSchema = ApplicationViewSchema.extend({
  evidence: z.array(EvidenceRecordSchema),
  history: z.array(AuditEventSchema),
});

export const EvidenceListSchema = z.object({ evidence: z.array(EvidenceRecordSchema) });

/** The evidence item and where to POST its bytes (an S3 presigned POST: the form fields, then the file). */
export const EvidenceUploadSchema = EvidenceRecordSchema.extend({
  upload: z.object({
    url: z.url(),
    fields: z.record(z.string(), z.string()),
    expiresAt: IsoDateTimeSchema,
  }),
});

/** DELETE …/evidence/{evidenceId}: the item is gone (the same answer when it already was). */
export const EvidenceRemovedSchema = z.object({
  applicationId: z.uuid(),
  evidenceId: z.uuid(),
  criterion: z.string(),
  removed: z.literal(true),
});

// ---- the review desk ------------------------------------------------------------------------

/** Withdrawn or cancelled, and how the running workflow was ended. */
export const EndedSchema = z.object({
  applicationId: z.uuid(),
  status: z.enum(['WITHDRAWN', 'CANCELLED']),
  reviewId: z.string().optional(),
  via: z.enum(['review-task', 'resubmission-task', 'stop-execution', 'no-execution']),
});

export const DecisionViewSchema = z.object({
  reviewId: z.string(),
  applicationId: z.uuid(),
  stage: StageNameSchema,
  /** The application's track: what MIIT's approval means (认定, 复核通过, 入选). */
  track: TrackSchema,
  round: z.int().positive(),
  status: ReviewStatusSchema,
  decision: DecisionKindSchema,
  reason: z.string().optional(),
  scores: z.record(z.string(), z.number()).optional(),
  weightedScore: z.number().optional(),
  decidedBy: z.string(),
  decidedAt: IsoDateTimeSchema,
});

export const ResendResultSchema = z.object({ reviewId: z.string(), sentTo: z.int().nonnegative() });

/** A review as the inbox lists it. */
const InboxEntrySchema = z.object({
  reviewId: z.string(),
  applicationId: z.uuid(),
  clusterName: z.string(),
  countyCode: DivisionCodeSchema,
  countyName: z.string(),
  stage: StageNameSchema,
  /** The level's step the review is (absent on reviews opened before steps were data). */
  step: StepKindSchema.optional(),
  round: z.int().positive(),
  campaignId: z.string(),
  track: TrackSchema,
  deadline: IsoDateTimeSchema,
  deadlineBeijing: z.string(),
  overdue: z.boolean(),
  openedAt: IsoDateTimeSchema,
});

/**
 * `GET /v1/reviews`: the reviewer's pending reviews, soonest deadline first; those that expired
 * undecided when their stage timed out (the last 180 days by deadline); a province's expert ranking.
 */
export const InboxSchema = z.object({
  jurisdiction: z.object({ code: DivisionCodeSchema, name: z.string() }),
  status: z.literal('PENDING'),
  reviews: z.array(InboxEntrySchema),
  /** Expired when the workflow closed the application at the stage's deadline: no longer to do. */
  lapsed: z.array(InboxEntrySchema),
  /** The province's expert scores, per campaign and track, best first. */
  ranking: z
    .array(
      z.object({
        campaignId: z.string(),
        track: TrackSchema,
        candidates: z.array(
          z.object({
            rank: z.int().positive(),
            reviewId: z.string(),
            applicationId: z.uuid(),
            clusterName: z.string(),
            countyCode: DivisionCodeSchema,
            weightedScore: z.number(),
            scores: z.record(z.string(), z.number()),
            decision: DecisionKindSchema,
            decidedAt: IsoDateTimeSchema,
          }),
        ),
      }),
    )
    .optional(),
});
