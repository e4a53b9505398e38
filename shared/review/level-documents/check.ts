/**
 * The validator's check of a level document: the same streaming inspection as application
 * evidence (type from the bytes, size, SHA-256 against the declared one, active content), the
 * first verdict stands and the version read is pinned; a second object for a decided document is
 * quarantined. Once a document is recorded VALID, `onFiled` runs (the formal-letter gate, the
 * summary table); it runs again on a replay of that very event, and is idempotent.
 */
import type { CheckOutcome, ObjectCreated } from '../../validation/evidence-check.ts';
import type { InspectionHow } from '../../validation/inspect.ts';
import { findingRecord, inspectUpload } from '../../validation/upload-check.ts';
import { sequencerOrder } from '../../validation/sequencer.ts';
import type { Clock } from '../../ports/core.ts';
import type { LevelDocumentStore } from '../../ports/level-documents.ts';
import type { EvidenceObjects, ObjectVersion, ValidatorLog } from '../../ports/validation.ts';
import type { FindingRecord } from '../../schemas/records.ts';
import { documentIdOfKey, type LevelDocumentRecord } from './records.ts';

export interface LevelDocumentCheckDeps {
  documents: Pick<LevelDocumentStore, 'get' | 'recordValidation'>;
  storage: EvidenceObjects;
  clock: Clock;
  log: ValidatorLog;
  /** How the inspection uses the machine (composition: the Lambda's CPU share). */
  inspection?: InspectionHow;
  /** What follows a VALID document (the gate, the summary table); idempotent. */
  onFiled?: (document: LevelDocumentRecord) => Promise<void>;
}

/** How long after a link's expiry S3 may still report the object (a long upload begun in time). */
const LATE_UPLOAD_GRACE_MS = 60_000;

const MESSAGES = {
  UPLOAD_LATE: {
    zh: '上传链接已过期后才收到文件，请重新申请上传链接',
    en: 'The file arrived after the upload link expired; request a new link',
  },
};

const eventObject = (event: ObjectCreated): ObjectVersion => ({ versionId: event.versionId, eTag: event.eTag });

async function quarantineSecond(deps: LevelDocumentCheckDeps, event: ObjectCreated, document: LevelDocumentRecord) {
  const moved = await deps.storage.quarantine(event.key, eventObject(event), {
    versionId: document.versionId,
    eTag: document.eTag,
  });
  deps.log('second object for a decided level document; quarantined', {
    documentId: document.documentId,
    status: document.status,
    moved,
  });
  return moved ? 'QUARANTINED' : 'GONE';
}

/** A replay of the event that decided the document: nothing changes, and what follows a filing runs again. */
async function replayed(deps: LevelDocumentCheckDeps, document: LevelDocumentRecord): Promise<CheckOutcome> {
  if (document.status === 'VALID') await deps.onFiled?.(document);
  return 'REPLAYED';
}

export async function checkUploadedLevelDocument(
  deps: LevelDocumentCheckDeps,
  event: ObjectCreated,
): Promise<CheckOutcome> {
  const documentId = documentIdOfKey(event.key);
  const document = documentId ? await deps.documents.get(documentId) : undefined;
  if (!document || document.objectKey !== event.key) {
    deps.log('object matches no level document; quarantined', { key: event.key, size: event.size });
    await deps.storage.quarantine(event.key, eventObject(event));
    return 'QUARANTINED';
  }
  if (document.validatedSequencer !== undefined) {
    return sequencerOrder(document.validatedSequencer, event.sequencer) === 0
      ? replayed(deps, document)
      : quarantineSecond(deps, event, document);
  }
  const object = await deps.storage.open(event.key, eventObject(event));
  if (!object) return 'GONE';

  const { inspection, findings } = await inspectUpload(object, document, deps.inspection);
  if (Date.parse(event.eventTime) > Date.parse(document.uploadExpiresAt) + LATE_UPLOAD_GRACE_MS) {
    findings.push({ code: 'UPLOAD_LATE', message: MESSAGES.UPLOAD_LATE });
  }
  const warnings: FindingRecord[] = findings.length === 0 ? inspection.warnings.map(findingRecord) : [];
  const status = findings.length === 0 ? 'VALID' : 'INVALID';
  const versionId = object.versionId ?? event.versionId;
  const eTag = object.eTag ?? event.eTag;
  const outcome: LevelDocumentRecord = {
    ...document,
    status,
    size: inspection.size,
    sha256: inspection.sha256,
    findings,
    warnings,
    validatedAt: deps.clock().toISOString(),
    validatedSequencer: event.sequencer,
    ...(versionId !== undefined && { versionId }),
    ...(eTag !== undefined && { eTag }),
  };
  if (!(await deps.documents.recordValidation(outcome))) {
    const now = await deps.documents.get(document.documentId);
    if (!now?.validatedSequencer || sequencerOrder(now.validatedSequencer, event.sequencer) === 0) {
      return now ? replayed(deps, now) : 'REPLAYED';
    }
    return quarantineSecond(deps, event, now);
  }
  deps.log('level document checked', {
    documentId: document.documentId,
    kind: document.kind,
    jurisdictionCode: document.jurisdictionCode,
    status,
    findings: findings.map((f) => f.code),
  });
  if (status === 'VALID') await deps.onFiled?.(outcome);
  return status;
}
