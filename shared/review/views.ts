/**
 * What the review desk shows: a decision as the page, the API and the workflow see it, the review
 * page's model, the inbox's rows and the ranking's candidates. Types and pure mappings only, so the
 * page renderer, the exports and the desk's steps can share them without importing each other.
 */
import type { FormAddition } from '../rules/form-additions.ts';
import { type DecisionKind, type DecisionOutput, DecisionOutputSchema } from '../ladder/contract.ts';
import type { StepView } from './step-page.ts';
import type { StepKind } from '../rules/steps.ts';
import type { ChecklistItem } from '../rules/checklist.ts';
import type { Warning } from '../rules/form.ts';
import type { ScoredCriterion } from '../rules/scoring.ts';
import type { ApplicationRecord, EvidenceRecord } from '../schemas/records.ts';
import type { ObjectionRecord, ReviewRecord, ReviewStatus } from '../schemas/reviews.ts';

export interface DecisionView {
  reviewId: string;
  applicationId: string;
  stage: ReviewRecord['stage'];
  track: ReviewRecord['track'];
  round: number;
  status: ReviewStatus;
  decision: DecisionKind;
  reason?: string;
  scores?: Record<string, number>;
  weightedScore?: number;
  decidedBy: string;
  decidedAt: string;
}

export interface EvidenceEntry {
  evidenceId: string;
  criterion: string;
  itemTitle: { zh: string; en: string };
  fileName: string;
  size?: number;
  status: EvidenceRecord['status'];
  findings: EvidenceRecord['findings'];
  /** Notes on a VALID file the reviewer should see (an outside hyperlink, the same bytes twice). */
  warnings: EvidenceRecord['warnings'];
  /** Presigned GET, valid DOWNLOAD_URL_TTL_SECONDS; only for VALID files. */
  downloadUrl?: string;
}

export type ReviewPage =
  | { state: 'forged' }
  | { state: 'gone'; review: ReviewRecord; why: 'deadline' | 'expired' | 'withdrawn' | 'cancelled' }
  | { state: 'decided'; review: ReviewRecord; decision: DecisionView }
  | {
      state: 'open';
      review: ReviewRecord;
      application: ApplicationRecord;
      campaignName: { zh: string; en: string };
      /** The fields the county's province adds to the form (Shanxi's re-review contributions). */
      formAdditions?: FormAddition[];
      places: { county: string; city?: string; province: string; reviewer: string };
      warnings: Warning[];
      evidence: EvidenceEntry[];
      /** A province's review step: the criteria it may score, with weights. */
      scoring?: ScoredCriterion[];
      /** The level's steps, the one under review, and what its approval needs. */
      step: StepView;
      onSiteStatement?: { required: true; present: boolean };
      /**
       * Where the approval states "also national": the city's review (Jilin), the province's first
       * step for a sender with no city (梅河口), or the step that settles a province's list (Shanxi).
       */
      asksAlsoNational?: 'city' | 'province';
      /** The province may send a national candidate on without provincial recognition, with a reason (Shanxi). */
      allowsNationalException?: true;
      /** The public notice's objections upheld by the level holding it (why the application is back). */
      upheldObjections?: ObjectionRecord[];
      /**
       * A resubmission (round 2 on): this level's earlier returns of the application, oldest first,
       * with their reasons, so the reviewer checks what was asked against what came back.
       */
      earlierReturns?: { round: number; reason?: string; decidedAt: string }[];
      /** Echoed into the form's hidden field so the POST carries it; absent for a signed-in reviewer. */
      secret?: string;
      downloadTtlSeconds: number;
      /**
       * The level's own documents this step needs (a formal letter, minutes, a sampling record),
       * whether each is on file and VALID, and the console page where the level files them.
       */
      levelDocuments?: { needs: { kind: string; title: { zh: string; en: string }; valid: number }[]; pageUrl: string };
      /**
       * City stage, opened by its link: the city's own checklist items (its on-site check
       * statement) with every file on record, for the page's uploader.
       */
      ownEvidence?: {
        items: ChecklistItem[];
        evidence: EvidenceRecord[];
        /** The application takes the city's files now (CITY_REVIEW). */
        editable: boolean;
        /** Where the browser posts the bytes (the page's CSP connect-src). */
        uploadOrigin: string;
        /** When the page was made: upload requests whose link expired by then are left out. */
        at: string;
      };
    };

export interface InboxEntry {
  reviewId: string;
  applicationId: string;
  clusterName: string;
  countyCode: string;
  countyName: string;
  stage: ReviewRecord['stage'];
  /** The level's step this review is (absent on reviews opened before steps were data: a review). */
  step?: StepKind;
  round: number;
  campaignId: string;
  track: ReviewRecord['track'];
  deadline: string;
  deadlineBeijing: string;
  overdue: boolean;
  openedAt: string;
}

export interface RankedCandidate {
  rank: number;
  reviewId: string;
  applicationId: string;
  clusterName: string;
  countyCode: string;
  weightedScore: number;
  scores: Record<string, number>;
  decision: DecisionKind;
  decidedAt: string;
}

export function decisionView(review: ReviewRecord): DecisionView | undefined {
  if (!review.decision || !review.decidedBy || !review.decidedAt) return undefined;
  return {
    reviewId: review.reviewId,
    applicationId: review.applicationId,
    stage: review.stage,
    track: review.track,
    round: review.round,
    status: review.status,
    decision: review.decision,
    ...(review.reason !== undefined && { reason: review.reason }),
    ...(review.scores !== undefined && { scores: review.scores }),
    ...(review.weightedScore !== undefined && { weightedScore: review.weightedScore }),
    decidedBy: review.decidedBy,
    decidedAt: review.decidedAt,
  };
}

/** The recorded decision as the workflow takes it (SendTaskSuccess). */
export function decisionOutput(review: ReviewRecord): DecisionOutput {
  if (!review.decision || !review.decidedBy || !review.decidedAt) {
    throw new Error(`review ${review.reviewId} has no decision`);
  }
  return DecisionOutputSchema.parse({
    reviewId: review.reviewId,
    decision: review.decision,
    reason: review.reason,
    scores: review.scores,
    weightedScore: review.weightedScore,
    decidedBy: review.decidedBy,
    decidedAt: review.decidedAt,
  });
}
