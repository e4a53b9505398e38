import type { Track } from '../schemas/common.ts';

/*
 * What the review desk needs to close a level's declared steps (shared/rules/steps.ts) beyond its
 * own reviews: the expert panel's result (shared/review/panel/) and the level's own documents
 * (the formal letter, the meeting minutes, the sampling record; shared/review/level-documents/).
 */

// ---- the expert panel (专家评审) ----------------------------------------------------------------

/** One expert's independent scores, as the panel reveals them once closed. */
export interface PanelScore {
  /** The expert's registered address (or signed-in subject). */
  expert: string;
  /** 0..100 per criterion. */
  byCriterion: Record<string, number>;
  /** The expert's weighted total over the criteria. */
  total: number;
  scoredAt: string;
}

export interface PanelResult {
  /** Closed: every seated expert scored (or was replaced) and the level closed the panel. */
  closed: boolean;
  method: 'mean' | 'trimmed-mean';
  /** The aggregate the level ranks by, once closed. */
  aggregate?: number;
  /** Revealed only once closed. */
  scores: PanelScore[];
  seated: number;
  recused: number;
  /** Seated experts who have not scored yet (late or missing). */
  waitingFor: string[];
}

export interface PanelResults {
  /** The panel of the review `reviewId` (an expert-panel step), or undefined if none was assigned. */
  resultOf(reviewId: string): Promise<PanelResult | undefined>;
}

// ---- the level's own documents ------------------------------------------------------------------

/**
 * Documents a level files once for its list, not per application: its stamped formal letter
 * (正式推荐文件, or 正式复核意见文件 for the re-review), the minutes of its meeting (会议研究), its
 * sampling record (实地抽查: photos and documents, naming the applications sampled), and Jilin's
 * cities' candidate list (10 April), and the gathering level's own cultivation measures (培育举措)
 * that go with its batch of typical cases.
 */
export const LEVEL_DOCUMENT_KINDS = [
  'formal-letter',
  'rereview-letter',
  'meeting-minutes',
  'sampling-record',
  'candidate-list',
  'cultivation-measures',
] as const;
export type LevelDocumentKind = (typeof LEVEL_DOCUMENT_KINDS)[number];

export interface LevelDocumentRef {
  campaignId: string;
  track: Track;
  /** The level that filed it: a city, a provincial-rank level or MIIT. */
  jurisdictionCode: string;
  kind: LevelDocumentKind;
  documentId: string;
  fileName: string;
  sha256: string;
  /** The object as validated: key and version (or ETag) pinned, as application evidence is. */
  s3Key: string;
  versionId?: string;
  /** For a sampling record: the applications it covers. */
  applicationIds?: string[];
  /** Who uploaded it (the signed-in subject, or the address the review link was sent to). */
  uploadedBy: string;
  /** The signed-in uploader's display name, when their token gave one (the trail shows it). */
  uploadedByName?: string;
  validatedAt: string;
}

export interface LevelDocuments {
  /** The level's VALID documents of `kind` for the campaign's track, oldest first. */
  valid(
    campaignId: string,
    track: Track,
    jurisdictionCode: string,
    kind: LevelDocumentKind,
  ): Promise<LevelDocumentRef[]>;
}
