import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Caller, Principal } from '../platform/auth/principal.ts';
import { ConflictError, type ErrorDetail, ValidationError } from '../platform/errors.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { Clock, IdempotencyMarker, Records } from '../ports/core.ts';
import type { UploadSigner } from '../ports/intake.ts';
import { type Campaign, evidenceLimitsOf } from '../rules/campaign.ts';
import { type ChecklistItem } from '../rules/checklist.ts';
import { EVIDENCE_PREFIX, UPLOAD_URL_TTL_SECONDS } from '../rules/storage.ts';
import { EvidenceRequestBodySchema } from '../schemas/api.ts';
import { type ApplicationStatus, FILE_TYPE_BY_MIME, type FileType } from '../schemas/common.ts';
import type { ApplicationRecord, EvidenceRecord } from '../schemas/records.ts';
import { assertTakingApplications, authorised, type LoadDeps, loadAuthorised, rulesOf } from './access.ts';
import { type AuditStamp, callerAudit } from './audit.ts';
import { checklistStatus } from './checklist.ts';
import { EDITABLE_STATUSES } from './drafts.ts';
import {
  earlierRequest,
  IDEMPOTENCY_FIELD,
  keyedRequest,
  type MarkerRecords,
  newMarker,
  raceWinner,
  type RequestOptions,
} from './idempotency.ts';

/*
 * Evidence upload requests: an item on the checklist, a presigned POST for its bytes (the
 * validator checks them when they arrive), and the items as they stand.
 */

/** When each uploader may add (or remove) evidence for the checklist items that are theirs. */
export const UPLOAD_STATUSES: Record<ChecklistItem['uploadedBy'], readonly ApplicationStatus[]> = {
  county: EDITABLE_STATUSES,
  city: ['CITY_REVIEW'],
};

const EXTENSIONS: Record<FileType, readonly string[]> = {
  pdf: ['.pdf'],
  ofd: ['.ofd'],
  jpeg: ['.jpg', '.jpeg'],
  png: ['.png'],
  xlsx: ['.xlsx'],
  docx: ['.docx'],
};

export interface EvidenceUploadDeps extends AuditStamp, LoadDeps {
  records: Pick<Records, 'getApplication' | 'listEvidence' | 'createEvidence' | 'getEvidence' | 'renewUpload'> &
    MarkerRecords;
  /** Needed only to presign evidence uploads. */
  uploads?: UploadSigner | undefined;
}

/** The application still takes this item's evidence now (status and deadline). */
function assertTakingEvidence(
  application: ApplicationRecord,
  campaign: Campaign,
  item: ChecklistItem,
  clock: Clock,
): readonly ApplicationStatus[] {
  // The county adds evidence while it may edit; the city adds its on-site statement while it reviews.
  const uploadStatuses = UPLOAD_STATUSES[item.uploadedBy];
  if (!uploadStatuses.includes(application.status)) {
    throw new ConflictError(
      'NOT_EDITABLE',
      `The application is ${application.status}: ${item.id} is uploaded by the ${item.uploadedBy} while the application is ${uploadStatuses.join(' or ')}`,
    );
  }
  assertTakingApplications(campaign, application.dueAt, clock());
  return uploadStatuses;
}

/** 409 IDEMPOTENT_REQUEST_DONE: the item a keyed request made already received its upload. */
function requestDone(evidence: EvidenceRecord): ConflictError {
  return new ConflictError(
    'IDEMPOTENT_REQUEST_DONE',
    `The evidence item ${evidence.evidenceId} this request created is already ${evidence.status}`,
    [
      {
        field: IDEMPOTENCY_FIELD,
        code: 'IDEMPOTENT_REQUEST_DONE',
        message: `its upload was already received: the item is ${evidence.status}`,
        evidenceId: evidence.evidenceId,
        status: evidence.status,
      },
    ],
  );
}

/**
 * A repeated upload request: the item the first request made, with a fresh link to the same
 * object (the first may have expired), while the item still waits for its bytes; 409
 * IDEMPOTENT_REQUEST_DONE once an upload was recorded for it.
 */
async function replayEvidence(
  deps: EvidenceUploadDeps,
  marker: IdempotencyMarker,
  application: ApplicationRecord,
  campaign: Campaign,
  item: ChecklistItem,
) {
  const { records } = deps;
  const evidenceId = marker.evidenceId ?? '';
  const evidence = await records.getEvidence(marker.applicationId, evidenceId);
  // The item the first request made was removed since (evidence-removal.ts): that request is done.
  if (!evidence) {
    throw new ConflictError(
      'IDEMPOTENT_REQUEST_DONE',
      `The evidence item ${evidenceId} this request created was removed`,
      [{ field: IDEMPOTENCY_FIELD, code: 'IDEMPOTENT_REQUEST_DONE', message: 'its item was removed', evidenceId }],
    );
  }
  if (evidence.status !== 'PENDING' || evidence.validatedSequencer !== undefined) throw requestDone(evidence);
  assertTakingEvidence(application, campaign, item, deps.clock);
  if (!records.renewUpload) throw new Error('Intake was built with records that cannot renew uploads');
  const { upload, expiresAt } = await presign(
    deps,
    evidence.objectKey,
    evidence.contentType,
    evidence.declaredSize,
    application.dueAt,
  );
  // The validator refuses bytes that arrive after the link's expiry or the filing deadline: move both.
  const renewed = await records.renewUpload(evidence, expiresAt, application.dueAt);
  if (!renewed) {
    const now = await records.getEvidence(evidence.applicationId, evidence.evidenceId);
    throw requestDone(now ?? evidence);
  }
  return { ...renewed, upload: { ...upload, expiresAt } };
}

/**
 * When a link issued now expires: UPLOAD_URL_TTL_SECONDS from now, and never after the filing
 * deadline (the application's dueAt), so that S3 itself refuses a late upload. Whole seconds, as
 * the POST policy counts them, rounded down.
 */
export function uploadExpiry(now: Date, deadline: string): { expiresAt: string; expiresInSeconds: number } {
  const deadlineMs = Date.parse(deadline);
  const seconds = Math.min(UPLOAD_URL_TTL_SECONDS, Math.floor((deadlineMs - now.getTime()) / 1000));
  // The caller checked the deadline has not passed; a link needs at least a second to exist.
  const expiresInSeconds = Math.max(1, seconds);
  return { expiresAt: new Date(now.getTime() + expiresInSeconds * 1000).toISOString(), expiresInSeconds };
}

/** A presigned POST for an evidence object, valid until uploadExpiry, and when it expires. */
async function presign(
  deps: { uploads?: UploadSigner | undefined; clock: Clock },
  key: string,
  contentType: string,
  size: number,
  deadline: string,
) {
  if (!deps.uploads) throw new Error('Intake was built without an upload signer');
  const { expiresAt, expiresInSeconds } = uploadExpiry(deps.clock(), deadline);
  const upload = await deps.uploads.presignUpload({ key, contentType, size, expiresInSeconds });
  return { upload, expiresAt };
}

/** POST /v1/applications/{id}/evidence: a PENDING item for a checklist entry and its upload link. */
export async function requestEvidenceUpload(
  deps: EvidenceUploadDeps,
  applicationId: string,
  input: unknown,
  caller: Caller,
  options: RequestOptions,
) {
  // Who may upload depends on the item (the county's, or the city's own): read access first, so
  // no one outside the application learns anything from the body's checks.
  const { application, campaign } = await loadAuthorised(deps, applicationId, caller.principal, 'read');
  const { principal } = caller;
  if (principal.role === 'operator') assertAllowed(false, 'uploadEvidence', principal);
  const body = parseOrThrow(EvidenceRequestBodySchema, input);
  const rules = rulesOf(application, campaign);
  const item = rules.checklist.find((candidate) => candidate.id === body.criterion);
  if (!item) {
    throw new ValidationError(`Unknown checklist item ${body.criterion}`, [
      {
        field: 'criterion',
        code: 'UNKNOWN_CRITERION',
        message: `must be one of ${rules.checklist.map((c) => c.id).join(', ')}`,
      },
    ]);
  }
  assertAllowed(may.uploadEvidence(principal, application, item.uploadedBy), 'uploadEvidence', principal);
  // A repeat is checked before the file and the item's file count (its own item counts now).
  const keyed = keyedRequest(options, 'EVIDENCE', principal, { applicationId, body });
  const repeated = keyed && (await earlierRequest(deps.records, keyed));
  if (repeated) return replayEvidence(deps, repeated, application, campaign, item);
  const uploadStatuses = assertTakingEvidence(application, campaign, item, deps.clock);
  const fileType = FILE_TYPE_BY_MIME.get(body.contentType) as FileType;
  const problems = declaredFileProblems(item, body, item.id);
  if (problems.length) throw new ValidationError('The file cannot be accepted for this item', problems);

  const existing = await deps.records.listEvidence(applicationId);
  const status = checklistStatus([item], existing, deps.clock())[0];
  if (status && status.valid + status.pending >= item.maxFiles) {
    // A request with the same key may have added its item since the check above (both sent at
    // once): its marker was written with that item, so this one is its repeat.
    const winner = keyed && (await earlierRequest(deps.records, keyed));
    if (winner) return replayEvidence(deps, winner, application, campaign, item);
    throw new ConflictError('TOO_MANY_FILES', `${item.id} takes at most ${item.maxFiles} files`, [
      { field: 'criterion', code: 'TOO_MANY_FILES', message: `at most ${item.maxFiles} files` },
    ]);
  }

  const evidenceId = deps.newId();
  const objectKey = `${EVIDENCE_PREFIX}${applicationId}/${evidenceId}`;
  // Sign first: if signing fails nothing is written.
  const { upload, expiresAt } = await presign(deps, objectKey, body.contentType, body.size, application.dueAt);
  const evidence: EvidenceRecord = {
    applicationId,
    evidenceId,
    criterion: item.id,
    fileName: body.fileName,
    contentType: body.contentType,
    fileType,
    declaredSize: body.size,
    declaredSha256: body.sha256,
    maxBytes: item.maxBytes,
    objectKey,
    status: 'PENDING',
    requestedAt: deps.clock().toISOString(),
    uploadExpiresAt: expiresAt,
    uploadDeadline: application.dueAt,
    findings: [],
    warnings: [],
  };
  try {
    await deps.records.createEvidence(
      evidence,
      uploadStatuses,
      callerAudit(deps, application, caller, 'EVIDENCE_REQUESTED', { detail: { evidenceId, criterion: item.id } }),
      keyed && newMarker(keyed, { applicationId, evidenceId }, deps.clock()),
      evidenceLimitsOf(campaign),
    );
  } catch (error) {
    // Another request with the same key won the race: answer as its repeat.
    const winner = await raceWinner(deps.records, keyed, error);
    if (winner) return replayEvidence(deps, winner, application, campaign, item);
    throw error;
  }
  return { ...evidence, upload: { ...upload, expiresAt } };
}

/** GET /v1/applications/{id}/evidence: the items, for whoever may read the application. */
export async function listEvidence(
  deps: { records: Pick<Records, 'getApplication' | 'listEvidence'> },
  applicationId: string,
  principal: Principal,
) {
  await authorised(deps.records, applicationId, principal, 'read');
  return deps.records.listEvidence(applicationId);
}

/**
 * What is wrong with a declared file for something that accepts `accepts.fileTypes` up to
 * `accepts.maxBytes` (a checklist item, or a kind of level document named `label`): the type, the
 * file name's extension for that type, the size.
 */
export function declaredFileProblems(
  accepts: { fileTypes: readonly FileType[]; maxBytes: number },
  body: { contentType: string; fileName: string; size: number },
  label: string,
): ErrorDetail[] {
  const fileType = FILE_TYPE_BY_MIME.get(body.contentType) as FileType;
  const problems: ErrorDetail[] = [];
  if (!accepts.fileTypes.includes(fileType)) {
    problems.push({
      field: 'contentType',
      code: 'TYPE_NOT_ALLOWED',
      message: `${label} accepts ${accepts.fileTypes.join(', ')}`,
    });
  } else if (!EXTENSIONS[fileType].some((ext) => body.fileName.toLowerCase().endsWith(ext))) {
    problems.push({
      field: 'fileName',
      code: 'EXTENSION_MISMATCH',
      message: `a ${fileType} file name ends with ${EXTENSIONS[fileType].join(' or ')}`,
    });
  }
  if (body.size > accepts.maxBytes) {
    problems.push({ field: 'size', code: 'TOO_LARGE', message: `at most ${accepts.maxBytes} bytes for ${label}` });
  }
  return problems;
}
