import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Caller } from '../platform/auth/principal.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import type { Records } from '../ports/core.ts';
import type { ApplicationRecord, EvidenceRecord } from '../schemas/records.ts';
import { type LoadDeps, loadAuthorised, rulesOf } from './access.ts';
import { type AuditStamp, callerAudit } from './audit.ts';
import { UPLOAD_STATUSES } from './evidence.ts';

/*
 * Removing an evidence file (DELETE …/evidence/{evidenceId}): whoever may upload an item removes
 * its files while they may upload it (the county's applicant while the application is DRAFT or
 * RETURNED; the city's reviewers their on-site statement during CITY_REVIEW). The item is deleted
 * in one transaction with its audit event, only if neither it nor the application changed since
 * it was read; a repeat answers as the first did. The object is left in the bucket: versioning
 * and the lifecycle rules expire it, and the checklist counts only the items that exist.
 */

export interface EvidenceRemovalDeps extends AuditStamp, LoadDeps {
  records: Pick<Records, 'getApplication' | 'getEvidence' | 'removeEvidence' | 'listAudit'>;
}

export interface EvidenceRemoved {
  applicationId: string;
  evidenceId: string;
  criterion: string;
  removed: true;
}

const removed = (applicationId: string, evidenceId: string, criterion: string): EvidenceRemoved => ({
  applicationId,
  evidenceId,
  criterion,
  removed: true,
});

/** A repeat: the item is gone; the audit trail says whether it was removed (else 404). */
async function earlierRemoval(deps: EvidenceRemovalDeps, applicationId: string, evidenceId: string) {
  const events = await deps.records.listAudit(applicationId);
  const event = events.find((e) => e.action === 'EVIDENCE_REMOVED' && e.detail?.evidenceId === evidenceId);
  if (!event) throw new NotFoundError(`No evidence ${evidenceId} in application ${applicationId}`);
  const criterion = event.detail?.criterion;
  return removed(applicationId, evidenceId, typeof criterion === 'string' ? criterion : '');
}

/** The statuses in which this item's uploader may still change its files; 409 NOT_EDITABLE otherwise. */
function assertRemovable(application: ApplicationRecord, evidence: EvidenceRecord, statuses: readonly string[]) {
  if (statuses.includes(application.status)) return;
  throw new ConflictError(
    'NOT_EDITABLE',
    `The application is ${application.status}: files of ${evidence.criterion} can be removed only while it is ${statuses.join(' or ')}`,
    [{ field: 'status', code: 'NOT_EDITABLE', message: `must be ${statuses.join(' or ')}` }],
  );
}

/** DELETE /v1/applications/{id}/evidence/{evidenceId}: the item is gone, with an audit event. */
export async function removeEvidence(
  deps: EvidenceRemovalDeps,
  applicationId: string,
  evidenceId: string,
  caller: Caller,
): Promise<EvidenceRemoved> {
  const { principal } = caller;
  const { application, campaign } = await loadAuthorised(deps, applicationId, principal, 'read');
  const evidence = await deps.records.getEvidence(applicationId, evidenceId);
  if (!evidence) {
    // Only who uploads some item of the application learns whether a file was there.
    const uploadsAny = (['county', 'city'] as const).some((by) => may.uploadEvidence(principal, application, by));
    assertAllowed(uploadsAny, 'uploadEvidence', principal);
    return earlierRemoval(deps, applicationId, evidenceId);
  }
  // An item the checklist no longer names (an edited campaign) is the county's, as uploads were.
  const item = rulesOf(application, campaign).checklist.find((c) => c.id === evidence.criterion);
  const uploadedBy = item?.uploadedBy ?? 'county';
  assertAllowed(may.uploadEvidence(principal, application, uploadedBy), 'uploadEvidence', principal);
  const statuses = UPLOAD_STATUSES[uploadedBy];
  // No deadline check: removing a file takes nothing from anyone, and submission checks its own.
  assertRemovable(application, evidence, statuses);
  if (!deps.records.removeEvidence) throw new Error('Intake was built with records that cannot remove evidence');
  const audit = callerAudit(deps, application, caller, 'EVIDENCE_REMOVED', {
    detail: { evidenceId, criterion: evidence.criterion, fileName: evidence.fileName, status: evidence.status },
  });
  try {
    await deps.records.removeEvidence(evidence, statuses, audit);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // A concurrent removal of the same item won: answer as it did.
    if (!(await deps.records.getEvidence(applicationId, evidenceId))) {
      return earlierRemoval(deps, applicationId, evidenceId);
    }
    const now = await deps.records.getApplication(applicationId);
    if (now) assertRemovable(now, evidence, statuses);
    throw error;
  }
  return removed(applicationId, evidenceId, evidence.criterion);
}
