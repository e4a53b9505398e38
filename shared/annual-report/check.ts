/**
 * The validator's check of an annual-report upload (routed by its key prefix,
 * shared/rules/storage.ts: ANNUAL_REPORT_PREFIX): the same streaming inspection as application
 * evidence (type from the bytes, size, SHA-256 against the declared one, active content); the
 * first verdict stands, a replay changes nothing, an object that matches no upload is quarantined.
 */
import type { CheckOutcome, ObjectCreated } from '../validation/evidence-check.ts';
import type { InspectionHow } from '../validation/inspect.ts';
import { inspectUpload } from '../validation/upload-check.ts';
import type { Clock } from '../ports/core.ts';
import type { AnnualReportStore } from '../ports/annual-reports.ts';
import type { EvidenceObjects, ObjectVersion, ValidatorLog } from '../ports/validation.ts';
import { type AnnualReportFile, fileOfKey } from './report.ts';

export interface AnnualReportCheckDeps {
  store: Pick<AnnualReportStore, 'getFile' | 'recordFileValidation'>;
  storage: EvidenceObjects;
  clock: Clock;
  log: ValidatorLog;
  /** How the inspection uses the machine (composition: the Lambda's CPU share). */
  inspection?: InspectionHow;
}

/** How long after a link's expiry S3 may still report the object (a long upload begun in time). */
const LATE_UPLOAD_GRACE_MS = 60_000;

const eventObject = (event: ObjectCreated): ObjectVersion => ({ versionId: event.versionId, eTag: event.eTag });

export async function checkUploadedAnnualReport(
  deps: AnnualReportCheckDeps,
  event: ObjectCreated,
): Promise<CheckOutcome> {
  const at = fileOfKey(event.key);
  const file = at ? await deps.store.getFile(at.provinceCode, at.reportYear, at.fileId) : undefined;
  if (!file || file.objectKey !== event.key) {
    deps.log('object matches no annual-report upload; quarantined', { key: event.key, size: event.size });
    await deps.storage.quarantine(event.key, eventObject(event));
    return 'QUARANTINED';
  }
  if (file.validatedSequencer !== undefined) {
    if (file.validatedSequencer === event.sequencer) return 'REPLAYED';
    await deps.storage.quarantine(event.key, eventObject(event), { versionId: file.versionId, eTag: file.eTag });
    return 'QUARANTINED';
  }
  const object = await deps.storage.open(event.key, eventObject(event));
  if (!object) return 'GONE';
  const { inspection, findings } = await inspectUpload(object, file, deps.inspection);
  if (Date.parse(event.eventTime) > Date.parse(file.uploadExpiresAt) + LATE_UPLOAD_GRACE_MS) {
    findings.push({
      code: 'UPLOAD_LATE',
      message: {
        zh: '上传链接已过期后才收到文件，请重新申请上传链接',
        en: 'The file arrived after the upload link expired',
      },
    });
  }
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
  if (!(await deps.store.recordFileValidation(outcome))) return 'REPLAYED';
  deps.log('annual-report upload checked', { fileId: file.fileId, provinceCode: file.provinceCode, status });
  return status;
}
