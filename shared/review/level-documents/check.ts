/**
 * The validator's check of a level document: the same streaming inspection as application
 * evidence (type from the bytes, size, SHA-256 against the declared one, active content), the
 * first verdict stands and the version read is pinned; a second object for a decided document is
 * quarantined. Once a document is recorded VALID, `onFiled` runs (the formal-letter gate, the
 * summary table); it runs again on a replay of that very event, and is idempotent.
 */
import type { InspectionHow } from '../../validation/inspect.ts';
import {
  arrivedAfterLink,
  type CheckOutcome,
  eventObject,
  findingRecord,
  inspectUpload,
  isDecidingEvent,
  type ObjectCreated,
  quarantineSecond,
} from '../../validation/upload-check.ts';
import type { Clock } from '../../ports/core.ts';
import type { LevelDocumentStore } from '../../ports/level-documents.ts';
import type { EvidenceObjects, ValidatorLog } from '../../ports/validation.ts';
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
    return isDecidingEvent(document.validatedSequencer, event)
      ? replayed(deps, document)
      : quarantineSecond(deps, event, document, 'level document', { documentId: document.documentId });
  }
  const object = await deps.storage.open(event.key, eventObject(event));
  if (!object) return 'GONE';

  const { inspection, findings } = await inspectUpload(object, document, deps.inspection);
  const late = arrivedAfterLink(event.eventTime, document.uploadExpiresAt);
  if (late) findings.push(late);
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
    if (!now?.validatedSequencer || isDecidingEvent(now.validatedSequencer, event)) {
      return now ? replayed(deps, now) : 'REPLAYED';
    }
    return quarantineSecond(deps, event, now, 'level document', { documentId: now.documentId });
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
