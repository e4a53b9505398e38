/**
 * Filing a level's own documents: who may (a signed-in reviewer or operator of that very
 * jurisdiction, or the holder of a pending review link of that level), an upload link through the
 * same presigned POST as application evidence (the validator checks the bytes the same way), and
 * what the level has filed.
 */
import { ForbiddenError, liesWithin } from '../../platform/auth/policy.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { ConflictError, type ErrorDetail, ValidationError } from '../../platform/errors.ts';
import { parseOrThrow } from '../../platform/parse.ts';
import type { CampaignCatalog } from '../../intake/campaigns.ts';
import { actorNameOf } from '../../intake/audit.ts';
import { declaredFileProblems, uploadExpiry } from '../../intake/evidence.ts';
import type { Clock, Records } from '../../ports/core.ts';
import type { UploadSigner } from '../../ports/intake.ts';
import type { LevelDocumentStore } from '../../ports/level-documents.ts';
import { FILE_TYPE_BY_MIME, type FileType, type Track } from '../../schemas/common.ts';
import type { ReviewRecord } from '../../schemas/reviews.ts';
import { reviewerDecider } from '../decide.ts';
import {
  askedByNotice,
  filedOnTrack,
  filingLevelOf,
  LEVEL_DOCUMENT_RULES,
  type LevelDocumentRecord,
  LevelDocumentRequestBodySchema,
  levelDocumentKey,
} from './records.ts';
import { overlayFor } from '../../rules/effective-rules.ts';

export interface FilingDeps {
  documents: LevelDocumentStore;
  uploads: UploadSigner;
  campaigns: Pick<CampaignCatalog, 'get'>;
  records: Pick<Records, 'getApplication'>;
  clock: Clock;
  newId: () => string;
}

/** The level whose list the documents go with. */
export interface Level {
  campaignId: string;
  track: Track;
  jurisdictionCode: string;
}

/**
 * Who files: a signed-in person acting for the level, or a review link standing for it. The audit
 * and `uploadedBy` name the person (their subject), or the addresses the link was sent to.
 */
export type Filer = { kind: 'signed-in'; principal: Principal } | { kind: 'link'; review: ReviewRecord };

/** The review link's holder acts for the level of its review, on that review's campaign and track. */
export const levelOfReview = (review: ReviewRecord): Level => ({
  campaignId: review.campaignId,
  track: review.track,
  jurisdictionCode: review.jurisdictionCode,
});

/** Whether a signed-in person may file for (and see the filings of) this level: its reviewers and operators. */
export const mayFile = (principal: Principal, jurisdictionCode: string): boolean =>
  (principal.role === 'reviewer' || principal.role === 'operator') && principal.jurisdiction === jurisdictionCode;

export function assertMayFile(filer: Filer, level: Level): void {
  if (filer.kind === 'link') {
    // The caller checked the link and that its review still waits; it stands for its own level only.
    const own = levelOfReview(filer.review);
    const same =
      own.campaignId === level.campaignId &&
      own.track === level.track &&
      own.jurisdictionCode === level.jurisdictionCode;
    if (!same)
      throw new ConflictError('NOT_THIS_LEVEL', 'A review link files only for its own level, campaign and track');
    return;
  }
  if (mayFile(filer.principal, level.jurisdictionCode)) return;
  const { role, jurisdiction } = filer.principal;
  throw new ForbiddenError(`A ${role} of ${jurisdiction} may not file documents for ${level.jurisdictionCode}`, [
    {
      field: 'authorization',
      code: 'FORBIDDEN',
      message:
        "只能由本级审核人员或运维人员报送本级文件 / only the level's own reviewers or operators file its documents",
    },
  ]);
}

/** The signed-in uploader's display name, kept for the trail the letter's gate writes. */
const uploaderNameOf = (principal: Principal): Pick<LevelDocumentRecord, 'uploadedByName'> => {
  const { actorName } = actorNameOf(principal.name);
  return actorName === undefined ? {} : { uploadedByName: actorName };
};

export const uploaderOf = (filer: Filer): string =>
  filer.kind === 'signed-in'
    ? reviewerDecider(filer.principal)
    : filer.review.emailedTo.length > 0
      ? filer.review.emailedTo.join(', ')
      : `review-link:${filer.review.reviewId}`;

/** The sampled applications must be this campaign's and track's, and lie within the level. */
async function checkSampled(deps: FilingDeps, level: Level, applicationIds: readonly string[]): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = [];
  for (const [index, applicationId] of applicationIds.entries()) {
    const application = await deps.records.getApplication(applicationId);
    const fits =
      application !== undefined &&
      application.campaignId === level.campaignId &&
      application.track === level.track &&
      liesWithin(application.countyCode, level.jurisdictionCode);
    if (!fits) {
      problems.push({
        field: `applicationIds.${index}`,
        code: 'NOT_SAMPLED_HERE',
        message: `${applicationId} is not an application of this campaign and track within ${level.jurisdictionCode}`,
      });
    }
  }
  return problems;
}

/** An upload link for one of the level's documents: a PENDING record, and the presigned POST for its bytes. */
export async function requestLevelDocumentUpload(deps: FilingDeps, filer: Filer, level: Level, input: unknown) {
  assertMayFile(filer, level);
  const parsed = parseOrThrow(LevelDocumentRequestBodySchema, input);
  const body = { ...parsed, kind: parsed.kind ?? parsed.criterion ?? 'formal-letter' };
  const campaign = await deps.campaigns.get(level.campaignId);
  if (!campaign.tracks[level.track]) {
    throw new ValidationError(`Campaign ${level.campaignId} has no ${level.track} track`, [
      { field: 'track', code: 'UNKNOWN_TRACK', message: `not a track of ${level.campaignId}` },
    ]);
  }
  const rule = LEVEL_DOCUMENT_RULES[body.kind];
  const filingLevel = filingLevelOf(level.jurisdictionCode);
  const problems: ErrorDetail[] = [];
  if (!filingLevel || !rule.levels.includes(filingLevel)) {
    problems.push({
      field: 'kind',
      code: 'NOT_FILED_AT_THIS_LEVEL',
      message: `${body.kind} is filed by ${rule.levels.join(', ')} levels only`,
    });
  }
  if (filingLevel === 'city' && !askedByNotice(body.kind, overlayFor(campaign, level.jurisdictionCode))) {
    problems.push({
      field: 'kind',
      code: 'NOT_ASKED_BY_THE_NOTICE',
      message: `${body.kind} is asked for by another province's notice, not by ${level.jurisdictionCode}'s`,
    });
  }
  if (!filedOnTrack(body.kind, level.track)) {
    problems.push({
      field: 'kind',
      code: 'NOT_FILED_ON_THIS_TRACK',
      message: `${body.kind} goes with the ${rule.tracks?.join(', ')} track only`,
    });
  }
  const fileType = FILE_TYPE_BY_MIME.get(body.contentType) as FileType;
  problems.push(...declaredFileProblems(rule, body, body.kind));
  if (body.applicationIds && body.kind !== 'sampling-record') {
    problems.push({
      field: 'applicationIds',
      code: 'NOT_SAMPLING',
      message: 'only a sampling record names applications',
    });
  } else if (body.applicationIds) {
    problems.push(...(await checkSampled(deps, level, body.applicationIds)));
  }
  if (problems.length) throw new ValidationError('The file cannot be accepted for this document', problems);

  const filed = await deps.documents.listFiled(level.jurisdictionCode, level.campaignId, level.track);
  const now = deps.clock();
  const live = filed.filter(
    (d) =>
      d.kind === body.kind &&
      (d.status === 'VALID' || (d.status === 'PENDING' && Date.parse(d.uploadExpiresAt) > now.getTime())),
  );
  if (live.length >= rule.maxFiles) {
    throw new ConflictError('TOO_MANY_FILES', `${body.kind} takes at most ${rule.maxFiles} files`, [
      { field: 'kind', code: 'TOO_MANY_FILES', message: `at most ${rule.maxFiles} files` },
    ]);
  }

  const documentId = deps.newId();
  const objectKey = levelDocumentKey(documentId);
  // No filing deadline closes these links: the level's own deadline is its reviews' (逾期 there).
  const farOff = new Date(now.getTime() + 24 * 3600_000).toISOString();
  const { expiresAt, expiresInSeconds } = uploadExpiry(now, farOff);
  const upload = await deps.uploads.presignUpload({
    key: objectKey,
    contentType: body.contentType,
    size: body.size,
    expiresInSeconds,
  });
  const document: LevelDocumentRecord = {
    documentId,
    campaignId: level.campaignId,
    track: level.track,
    jurisdictionCode: level.jurisdictionCode,
    kind: body.kind,
    fileName: body.fileName,
    contentType: body.contentType,
    fileType,
    declaredSize: body.size,
    ...(body.sha256 !== undefined && { declaredSha256: body.sha256 }),
    maxBytes: rule.maxBytes,
    objectKey,
    status: 'PENDING',
    uploadedBy: uploaderOf(filer),
    ...(filer.kind === 'signed-in' && uploaderNameOf(filer.principal)),
    ...(filer.kind === 'link' && { viaReviewId: filer.review.reviewId }),
    ...(body.applicationIds !== undefined && { applicationIds: body.applicationIds }),
    requestedAt: now.toISOString(),
    uploadExpiresAt: expiresAt,
    findings: [],
    warnings: [],
  };
  if (!(await deps.documents.create(document))) throw new Error(`level document ${documentId} exists already`);
  return { ...asUploaderItem(document), upload: { ...upload, expiresAt } };
}

/**
 * A document as the API answers it, with the names the evidence uploader's script reads
 * (`evidenceId`, `criterion`) beside its own.
 */
export const asUploaderItem = (document: LevelDocumentRecord) => ({
  ...document,
  evidenceId: document.documentId,
  criterion: document.kind,
});

/** What the level has filed for the campaign and track (every status), newest first. */
export async function listLevelDocuments(deps: Pick<FilingDeps, 'documents'>, filer: Filer, level: Level) {
  assertMayFile(filer, level);
  const documents = await deps.documents.listFiled(level.jurisdictionCode, level.campaignId, level.track);
  return documents.map(asUploaderItem);
}
