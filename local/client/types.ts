import type * as z from 'zod';
import type { CampaignView } from '../../shared/intake/campaigns.ts';
import type { BuildPackageBodySchema, PackageViewSchema } from '../../shared/package/desk.ts';
import type { Intake } from '../../shared/intake/intake.ts';
import type { SUMMARY_FILES } from '../../shared/operations/exports/summary.ts';
import type { ErrorDetail } from '../../shared/platform/errors.ts';
import type { ReviewDesk } from '../../shared/review/desk.ts';
import type { CampaignSchema } from '../../shared/rules/campaign.ts';
import type { Jurisdiction, ReviewStage } from '../../shared/rules/jurisdictions.ts';
import type {
  CreateApplicationBodySchema,
  EvidenceRequestBodySchema,
  PatchApplicationBodySchema,
} from '../../shared/schemas/api.ts';
import type { Track } from '../../shared/schemas/common.ts';
import type {
  CampaignQuerySchema,
  HistorySchema,
  JurisdictionDrillDownSchema,
  OpsSummarySchema,
  RedriveResultSchema,
} from '../../shared/schemas/ops.ts';
import type { EvidenceRecordSchema } from '../../shared/schemas/records.ts';
import type {
  CancelBodySchema,
  DecisionBodySchema,
  InboxQuerySchema,
  ObjectionBodySchema,
  ObjectionRecordSchema,
  WithdrawBodySchema,
} from '../../shared/schemas/reviews.ts';

/**
 * The shapes of the public API as its clients see them. Request bodies are the zod schemas'
 * inputs (what may be sent, defaults still optional); answers are the schemas' outputs, or what
 * the domain's use case returns where the handler answers it as is. Nothing here is written out
 * by hand: a change to a schema or a use case changes the client's types with it.
 */

type Answer<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

// ---- requests -------------------------------------------------------------------------------

export type CampaignDefinition = z.input<typeof CampaignSchema>;
export type NewApplication = z.input<typeof CreateApplicationBodySchema>;
export type ApplicationChanges = z.input<typeof PatchApplicationBodySchema>;
export type EvidenceRequest = z.input<typeof EvidenceRequestBodySchema>;
export type Decision = z.input<typeof DecisionBodySchema>;
export type Withdrawal = z.input<typeof WithdrawBodySchema>;
export type Cancellation = z.input<typeof CancelBodySchema>;
export type Objection = z.input<typeof ObjectionBodySchema>;
export type InboxQuery = z.input<typeof InboxQuerySchema>;
export type CampaignQuery = z.input<typeof CampaignQuerySchema>;
export type SummaryFile = (typeof SUMMARY_FILES)[number];
export interface ExportQuery {
  jurisdiction?: string;
  track?: Track;
}

// ---- answers --------------------------------------------------------------------------------

export type Campaign = CampaignView;
export interface CampaignList {
  campaigns: CampaignView[];
}
/** GET /v1/jurisdictions/{code}: the place, the places above it, its review stages and the places below. */
export type JurisdictionView = Jurisdiction & {
  parents: Jurisdiction[];
  reviewStages: ReviewStage[];
  children: Jurisdiction[];
};
export type CreatedApplication = Answer<Intake['create']>;
export type Application = Answer<Intake['get']>;
export type PatchedApplication = Answer<Intake['patch']>;
export type SubmittedApplication = Answer<Intake['submit']>;
export type History = z.output<typeof HistorySchema>;
/** POST …/evidence: the evidence item and where to post its bytes (`upload: { url, fields, expiresAt }`). */
export type RequestedUpload = Answer<Intake['requestEvidenceUpload']>;
export type PresignedPost = RequestedUpload['upload'];
export type EvidenceItem = z.output<typeof EvidenceRecordSchema>;
export interface EvidenceList {
  evidence: EvidenceItem[];
}
/** DELETE …/evidence/{evidenceId}: the file is gone (the same answer to a repeat). */
export type RemovedEvidence = Answer<Intake['removeEvidence']>;
export type Ended = Answer<ReviewDesk['withdraw']>;
export type ObjectionRecord = z.output<typeof ObjectionRecordSchema>;
export type Inbox = Answer<ReviewDesk['inbox']>;
export type DecisionView = Answer<ReviewDesk['decide']>;
export type Resent = Answer<ReviewDesk['resend']>;
export type OpsSummary = z.output<typeof OpsSummarySchema>;
export type JurisdictionDrillDown = z.output<typeof JurisdictionDrillDownSchema>;
export type RedriveResult = z.output<typeof RedriveResultSchema>;

export type BuildPackage = z.input<typeof BuildPackageBodySchema>;
export type PackageView = z.output<typeof PackageViewSchema>;
export interface PackageList {
  packages: PackageView[];
}

/** Every refusal: `{"error": {"code", "message", "details"?}}` (shared/platform/http/respond.ts). */
export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetail[] };
}
