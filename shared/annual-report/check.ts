/**
 * The validator's check of an annual-report upload (routed by its key prefix,
 * shared/rules/storage.ts: ANNUAL_REPORT_PREFIX): the same streaming inspection as application
 * evidence (type from the bytes, size, SHA-256 against the declared one, active content); the
 * first verdict stands, a replay changes nothing, an object that matches no upload (or a removed
 * one's) is quarantined.
 */
import type { InspectionHow } from '../validation/inspect.ts';
import {
  arrivedAfterLink,
  type CheckOutcome,
  eventObject,
  inspectUpload,
  isDecidingEvent,
  type ObjectCreated,
  quarantineSecond,
} from '../validation/upload-check.ts';
import type { Clock } from '../ports/core.ts';
import type { AnnualReportStore } from '../ports/annual-reports.ts';
import type { EvidenceObjects, ValidatorLog } from '../ports/validation.ts';
import { type AnnualReportFile, fileOfKey } from './report.ts';

export interface AnnualReportCheckDeps {
  store: Pick<AnnualReportStore, 'getFile' | 'recordFileValidation'>;
  storage: EvidenceObjects;
  clock: Clock;
  log: ValidatorLog;
  /** How the inspection uses the machine (composition: the Lambda's CPU share). */
  inspection?: InspectionHow;
}

/** Whose upload an annual-report log line is about. */
const fileFacts = (file: AnnualReportFile) => ({ fileId: file.fileId, provinceCode: file.provinceCode });

export async function checkUploadedAnnualReport(
  deps: AnnualReportCheckDeps,
  event: ObjectCreated,
): Promise<CheckOutcome> {
  const at = fileOfKey(event.key);
  const file = at ? await deps.store.getFile(at.provinceCode, at.reportYear, at.fileId) : undefined;
  // A removed upload (./removal.ts) takes no object: one arriving late is a stray like any other.
  if (!file || file.objectKey !== event.key || file.removedAt !== undefined) {
    deps.log('object matches no annual-report upload; quarantined', { key: event.key, size: event.size });
    await deps.storage.quarantine(event.key, eventObject(event));
    return 'QUARANTINED';
  }
  if (file.validatedSequencer !== undefined) {
    return isDecidingEvent(file.validatedSequencer, event)
      ? 'REPLAYED'
      : quarantineSecond(deps, event, file, 'annual-report upload', fileFacts(file));
  }
  const object = await deps.storage.open(event.key, eventObject(event));
  if (!object) return 'GONE';
  const { inspection, findings } = await inspectUpload(object, file, deps.inspection);
  const late = arrivedAfterLink(event.eventTime, file.uploadExpiresAt);
  if (late) findings.push(late);
  const status = findings.length === 0 ? 'VALID' : 'INVALID';
  const versionId = object.versionId ?? event.versionId;
  const eTag = object.eTag ?? event.eTag;
  const outcome: AnnualReportFile = {
    ...file,
    status,
    size: inspection.size,
    sha256: inspection.sha256,
    findings,
    validatedAt: deps.clock().toISOString(),
    validatedSequencer: event.sequencer,
    ...(versionId !== undefined && { versionId }),
    ...(eTag !== undefined && { eTag }),
  };
  if (!(await deps.store.recordFileValidation(outcome))) {
    // Another delivery recorded first: this very event (a replay), or another object (a second one).
    const now = await deps.store.getFile(file.provinceCode, file.reportYear, file.fileId);
    if (now?.removedAt !== undefined) {
      deps.log('annual-report upload removed while it was checked; quarantined', fileFacts(now));
      await deps.storage.quarantine(event.key, eventObject(event));
      return 'QUARANTINED';
    }
    if (!now?.validatedSequencer || isDecidingEvent(now.validatedSequencer, event)) return 'REPLAYED';
    return quarantineSecond(deps, event, now, 'annual-report upload', fileFacts(now));
  }
  deps.log('annual-report upload checked', { ...fileFacts(file), status });
  return status;
}
