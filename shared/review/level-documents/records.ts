/**
 * A level's own documents (shared/ports/steps.ts: LEVEL_DOCUMENT_KINDS), as the review desk keeps
 * them: what each kind accepts, the stored record (PENDING until the validator's first verdict,
 * then VALID or INVALID, the version pinned), and the upload request's body.
 *
 * They are the review desk's word, not the intake's: a level files them as part of its own
 * decision on its list (a formal-letter step waits for the letter), by the same people and links
 * that decide its reviews. The intake's evidence belongs to one application; these belong to a
 * level, a campaign and a track.
 */
import * as z from 'zod';
import { LEVEL_DOCUMENT_KINDS, type LevelDocumentKind, type LevelDocumentRef } from '../../ports/steps.ts';
import { MIIT_CODE, findJurisdiction, isProvincialRank } from '../../rules/jurisdictions.ts';
import { LEVEL_DOCUMENT_PREFIX } from '../../rules/storage.ts';
import { FileNameSchema } from '../../schemas/api.ts';
import {
  type Bilingual,
  DivisionCodeSchema,
  FILE_TYPE_BY_MIME,
  type FileType,
  IsoDateTimeSchema,
  Sha256HexSchema,
  TrackSchema,
} from '../../schemas/common.ts';
import { FindingSchema, UploadedFileFieldsSchema } from '../../schemas/records.ts';

export const LevelDocumentKindSchema = z.enum(LEVEL_DOCUMENT_KINDS);

/** The level a jurisdiction files as: a city (or city-level sender), a provincial-rank level, or MIIT. */
export type FilingLevel = 'city' | 'province' | 'miit';

export function filingLevelOf(jurisdictionCode: string): FilingLevel | undefined {
  if (jurisdictionCode === MIIT_CODE) return 'miit';
  const place = findJurisdiction(jurisdictionCode);
  if (!place) return undefined;
  if (isProvincialRank(place.rank)) return 'province';
  return place.rank === 'city' ? 'city' : undefined;
}

const MiB = 1024 * 1024;

/** What each kind is called, which files it takes, how large, and which levels file it. */
export interface LevelDocumentRule {
  title: Bilingual;
  fileTypes: readonly FileType[];
  maxBytes: number;
  /** How many VALID files of the kind a level keeps per campaign and track. */
  maxFiles: number;
  levels: readonly FilingLevel[];
  /** The tracks whose lists it goes with; every track when not given. */
  tracks?: readonly z.infer<typeof TrackSchema>[];
  /**
   * A document one province's notice adds (Jilin's 10 April candidate list): filed only where the
   * campaign's overlay for the level's province names it, as a milestone of the kind's own id.
   */
  byNotice?: true;
}

export const LEVEL_DOCUMENT_RULES: Readonly<Record<LevelDocumentKind, LevelDocumentRule>> = {
  'formal-letter': {
    title: { zh: '正式推荐文件（盖章）', en: 'Formal recommendation letter (stamped)' },
    fileTypes: ['pdf', 'ofd'],
    maxBytes: 50 * MiB,
    maxFiles: 3,
    levels: ['city', 'province', 'miit'],
  },
  'rereview-letter': {
    title: { zh: '正式复核意见文件（盖章）', en: 'Formal re-review opinion letter (stamped)' },
    fileTypes: ['pdf', 'ofd'],
    maxBytes: 50 * MiB,
    maxFiles: 3,
    levels: ['city', 'province', 'miit'],
    // The re-review's letter only: offered on the recommendation's page, it was a second letter
    // there that no gate reads and no package carries (letterKindFor).
    tracks: ['rereview'],
  },
  'meeting-minutes': {
    title: { zh: '会议研究纪要', en: 'Minutes of the meeting decision' },
    fileTypes: ['pdf', 'ofd', 'docx'],
    maxBytes: 50 * MiB,
    maxFiles: 5,
    levels: ['city', 'province', 'miit'],
  },
  'sampling-record': {
    title: { zh: '实地抽查记录（照片及材料）', en: 'On-site sampling record (photos and documents)' },
    fileTypes: ['pdf', 'ofd', 'docx', 'jpeg', 'png'],
    maxBytes: 100 * MiB,
    maxFiles: 30,
    levels: ['city', 'province', 'miit'],
  },
  'candidate-list': {
    title: { zh: '候选名单及推荐汇总表（4月10日前）', en: 'Candidate list with its summary table (by 10 April)' },
    fileTypes: ['pdf', 'ofd', 'xlsx'],
    maxBytes: 50 * MiB,
    maxFiles: 3,
    levels: ['city'],
    byNotice: true,
  },
  // One document per gathering level, with its batch of typical cases (the county is never asked).
  'cultivation-measures': {
    title: { zh: '本地区集群培育举措', en: "The level's own measures for cultivating clusters" },
    fileTypes: ['pdf', 'ofd', 'docx'],
    maxBytes: 20 * MiB,
    maxFiles: 1,
    levels: ['city', 'province'],
    tracks: ['typical-case'],
  },
};

/**
 * Whether the level's province asks for this kind: always, unless the kind is one a notice adds
 * (`byNotice`), which the province's overlay must name (a milestone of the kind's id).
 */
export const askedByNotice = (
  kind: LevelDocumentKind,
  overlay: { milestones: readonly { id: string }[] } | undefined,
): boolean => !LEVEL_DOCUMENT_RULES[kind].byNotice || (overlay?.milestones ?? []).some((m) => m.id === kind);

/** Whether a level files this kind for the track's list. */
export const filedOnTrack = (kind: LevelDocumentKind, track: z.infer<typeof TrackSchema>): boolean =>
  LEVEL_DOCUMENT_RULES[kind].tracks?.includes(track) ?? true;

/**
 * The document a formal-letter step needs on this track: 正式复核意见文件 for the re-review; for
 * typical cases, the gathering level's cultivation measures (its batch goes with them).
 */
export const letterKindFor = (track: z.infer<typeof TrackSchema>): LevelDocumentKind =>
  track === 'rereview' ? 'rereview-letter' : track === 'typical-case' ? 'cultivation-measures' : 'formal-letter';

/** Which of the level's documents a step needs before it can be approved. */
export function documentsNeededBy(review: {
  step?: { kind: string } | undefined;
  track: z.infer<typeof TrackSchema>;
}): LevelDocumentKind[] {
  switch (review.step?.kind) {
    case 'formal-letter':
      return [letterKindFor(review.track)];
    case 'meeting':
      return ['meeting-minutes'];
    case 'sampling':
      return ['sampling-record'];
    default:
      return [];
  }
}

/** The generated summary table attached to a filed letter (推荐汇总表 or 复核情况汇总表). */
export const SummaryTableSchema = z.object({
  s3Key: z.string().min(1),
  fileName: z.string().min(1),
  sha256: Sha256HexSchema,
  size: z.int().nonnegative(),
  versionId: z.string().min(1).optional(),
  generatedAt: IsoDateTimeSchema,
});
export type SummaryTable = z.infer<typeof SummaryTableSchema>;

export const LevelDocumentRecordSchema = UploadedFileFieldsSchema.extend({
  documentId: z.uuid(),
  campaignId: z.string().min(1).max(64),
  track: TrackSchema,
  jurisdictionCode: DivisionCodeSchema,
  kind: LevelDocumentKindSchema,
  objectKey: z.string().startsWith(LEVEL_DOCUMENT_PREFIX),
  /** Who asked for the upload: the signed-in subject, or the address(es) the review link was sent to. */
  uploadedBy: z.string().min(1),
  /** The signed-in uploader's display name (their token's `name`), for the trail of the step the letter completes. */
  uploadedByName: z.string().max(128).optional(),
  /** The review whose link asked, when a link did. */
  viaReviewId: z.string().optional(),
  /** For a sampling record: the applications it covers. */
  applicationIds: z.array(z.uuid()).max(200).optional(),
  /** Notes that do not refuse the file. */
  warnings: z.array(FindingSchema).default([]),
  /** A filed letter's generated summary table. */
  summaryTable: SummaryTableSchema.optional(),
});
export type LevelDocumentRecord = z.infer<typeof LevelDocumentRecordSchema>;

/** The object key of a document: the validator finds the record from it. */
export const levelDocumentKey = (documentId: string) => `${LEVEL_DOCUMENT_PREFIX}${documentId}`;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY = new RegExp(`^${LEVEL_DOCUMENT_PREFIX}(${UUID})$`);
/** The document id an object key names, or undefined. */
export const documentIdOfKey = (key: string): string | undefined => KEY.exec(key)?.[1];

/** The port's reference for a VALID document (what the submission package reads). */
export function refOf(document: LevelDocumentRecord): LevelDocumentRef {
  if (document.status !== 'VALID' || !document.sha256 || !document.validatedAt) {
    throw new Error(`level document ${document.documentId} is not VALID`);
  }
  return {
    campaignId: document.campaignId,
    track: document.track,
    jurisdictionCode: document.jurisdictionCode,
    kind: document.kind,
    documentId: document.documentId,
    fileName: document.fileName,
    sha256: document.sha256,
    s3Key: document.objectKey,
    ...(document.versionId !== undefined && { versionId: document.versionId }),
    ...(document.applicationIds !== undefined && { applicationIds: document.applicationIds }),
    uploadedBy: document.uploadedBy,
    ...(document.uploadedByName !== undefined && { uploadedByName: document.uploadedByName }),
    validatedAt: document.validatedAt,
  };
}

/**
 * The upload request. `criterion` is taken for `kind` so the evidence uploader's script
 * (shared/portal/uploader-script.ts), which names its items so, posts here unchanged.
 */
export const LevelDocumentRequestBodySchema = z
  .strictObject({
    kind: LevelDocumentKindSchema.optional(),
    /** The same as `kind`, under the evidence uploader's name for it. */
    criterion: LevelDocumentKindSchema.optional(),
    fileName: FileNameSchema,
    contentType: z.string().refine((mime) => FILE_TYPE_BY_MIME.has(mime), {
      message: `must be one of ${[...FILE_TYPE_BY_MIME.keys()].join(', ')}`,
    }),
    size: z.int().positive(),
    sha256: Sha256HexSchema.optional(),
    /** A sampling record names the applications it covers. */
    applicationIds: z.array(z.uuid()).min(1).max(200).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.kind === undefined && body.criterion === undefined) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: `one of ${LEVEL_DOCUMENT_KINDS.join(', ')}` });
    } else if (body.kind !== undefined && body.criterion !== undefined && body.kind !== body.criterion) {
      ctx.addIssue({ code: 'custom', path: ['criterion'], message: 'names another kind than `kind`' });
    }
  });
export type LevelDocumentRequestBody = z.infer<typeof LevelDocumentRequestBodySchema>;

/** Which level's list, for the signed-in routes: the campaign, the track and the filing jurisdiction. */
export const LevelTargetSchema = z.object({
  campaignId: z.string().min(1).max(64),
  track: TrackSchema.default('recommendation'),
  jurisdiction: DivisionCodeSchema,
});
export type LevelTarget = z.infer<typeof LevelTargetSchema>;
/** The console uploader's level: the signed-in person's own jurisdiction. */
export const LevelOwnQuerySchema = z.object({
  campaignId: z.string().min(1).max(64),
  track: TrackSchema.default('recommendation'),
});

/** A document as the API answers it, with the evidence uploader's names (`evidenceId`, `criterion`) beside its own. */
export const LevelDocumentViewSchema = LevelDocumentRecordSchema.extend({
  evidenceId: z.uuid(),
  criterion: LevelDocumentKindSchema,
});
export const LevelDocumentUploadSchema = LevelDocumentViewSchema.extend({
  upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()), expiresAt: IsoDateTimeSchema }),
});
/** The list: `evidence` is the same list, under the name the evidence uploader reads. */
export const LevelDocumentListSchema = z.object({
  documents: z.array(LevelDocumentViewSchema),
  evidence: z.array(LevelDocumentViewSchema),
});

/** The level, campaign and track a document was filed for. */
export const levelOfDocument = (document: Pick<LevelDocumentRecord, 'campaignId' | 'track' | 'jurisdictionCode'>) => ({
  campaignId: document.campaignId,
  track: document.track,
  jurisdictionCode: document.jurisdictionCode,
});
