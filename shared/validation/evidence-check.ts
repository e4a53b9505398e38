import { randomUUID } from 'node:crypto';
import { EVIDENCE_PREFIX } from '../rules/storage.ts';
import type { Bilingual } from '../schemas/common.ts';
import type { AuditEvent, EvidenceRecord, FindingRecord } from '../schemas/records.ts';
import type { InspectionHow } from './inspect.ts';
import {
  arrivedAfterLink,
  type CheckOutcome,
  eventObject,
  findingRecord,
  inspectUpload,
  isDecidingEvent,
  type ObjectCreated,
  quarantineSecond,
} from './upload-check.ts';
import type { Clock, Records } from '../ports/core.ts';
import type { EvidenceObjects, ValidatorLog } from '../ports/validation.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const EVIDENCE_KEY = new RegExp(`^${EVIDENCE_PREFIX}(${UUID})/(${UUID})$`);

/** Checks the validator makes beyond the file's own bytes; messages are data, like the rest. */
const MESSAGES = {
  UPLOAD_AFTER_DEADLINE: {
    zh: '文件在申报截止时间之后才收到，逾期不予受理',
    en: 'The file arrived after the deadline: late material is not accepted',
  },
  DUPLICATE_CONTENT: {
    zh: '本申请中已上传过内容完全相同的文件',
    en: 'A file with exactly the same content was already uploaded for this application',
  },
} satisfies Record<string, Bilingual>;

export interface EvidenceCheckDeps {
  records: Pick<Records, 'getEvidence' | 'claimContentHash' | 'recordValidation'>;
  storage: EvidenceObjects;
  clock: Clock;
  log: ValidatorLog;
  /** How the inspection uses the machine (composition: the Lambda's CPU share). */
  inspection?: InspectionHow;
}

/** Whose item an evidence log line is about. */
const evidenceFacts = (evidence: EvidenceRecord) => ({
  applicationId: evidence.applicationId,
  evidenceId: evidence.evidenceId,
});

/** Why the object's arrival time refuses it: after the filing deadline, or after its link expired. */
function lateness(evidence: EvidenceRecord, eventTime: string): FindingRecord | undefined {
  const at = new Date(eventTime).getTime();
  if (evidence.uploadDeadline !== undefined && at > new Date(evidence.uploadDeadline).getTime()) {
    return {
      code: 'UPLOAD_AFTER_DEADLINE',
      message: MESSAGES.UPLOAD_AFTER_DEADLINE,
      detail: { deadline: evidence.uploadDeadline, arrivedAt: eventTime },
    };
  }
  return arrivedAfterLink(eventTime, evidence.uploadExpiresAt);
}

/**
 * Validates one uploaded evidence object and records the outcome on its evidence item, with the
 * version (or ETag) it read, so that reviewers download exactly those bytes. Idempotent: a
 * replayed S3 event changes nothing, and any other object for a decided item is quarantined.
 */
export async function checkUploadedEvidence(deps: EvidenceCheckDeps, event: ObjectCreated): Promise<CheckOutcome> {
  if (!event.key.startsWith(EVIDENCE_PREFIX)) return 'IGNORED';
  const match = EVIDENCE_KEY.exec(event.key);
  const evidence = match?.[1] && match[2] ? await deps.records.getEvidence(match[1], match[2]) : undefined;
  if (!evidence || evidence.objectKey !== event.key) {
    deps.log('object matches no evidence request; quarantined', { key: event.key, size: event.size });
    await deps.storage.quarantine(event.key, eventObject(event));
    return 'QUARANTINED';
  }
  if (evidence.validatedSequencer !== undefined) {
    return isDecidingEvent(evidence.validatedSequencer, event)
      ? 'REPLAYED'
      : quarantineSecond(deps, event, evidence, 'evidence item', evidenceFacts(evidence));
  }
  // Exactly the object of this event: a later upload to the same key has its own event.
  const object = await deps.storage.open(event.key, eventObject(event));
  if (!object) return 'GONE';

  const { inspection, findings } = await inspectUpload(object, evidence, deps.inspection);
  const late = lateness(evidence, event.eventTime);
  if (late) findings.push(late);

  const warnings: FindingRecord[] = [];
  if (findings.length === 0) {
    warnings.push(...inspection.warnings.map(findingRecord));
    const holder = await deps.records.claimContentHash(evidence.applicationId, inspection.sha256, evidence.evidenceId);
    if (holder !== evidence.evidenceId) {
      warnings.push({
        code: 'DUPLICATE_CONTENT',
        message: MESSAGES.DUPLICATE_CONTENT,
        detail: { duplicateOf: holder },
      });
    }
  }

  const status = findings.length === 0 ? 'VALID' : 'INVALID';
  const at = deps.clock().toISOString();
  const outcome: EvidenceRecord = {
    ...evidence,
    status,
    size: inspection.size,
    sha256: inspection.sha256,
    findings,
    warnings,
    validatedAt: at,
    validatedSequencer: event.sequencer,
    ...((object.versionId ?? event.versionId) !== undefined && { versionId: object.versionId ?? event.versionId }),
    ...((object.eTag ?? event.eTag) !== undefined && { eTag: object.eTag ?? event.eTag }),
  };
  const audit: AuditEvent = {
    applicationId: evidence.applicationId,
    eventId: randomUUID(),
    at,
    action: status === 'VALID' ? 'EVIDENCE_VALIDATED' : 'EVIDENCE_REJECTED',
    actor: 'validator',
    role: 'validator',
    detail: { evidenceId: evidence.evidenceId, findings: findings.map((f) => f.code) },
  };
  const changed = await deps.records.recordValidation(outcome, audit);
  if (!changed) {
    // Another delivery recorded first: this very event (a replay), or another object (a second one).
    const now = await deps.records.getEvidence(evidence.applicationId, evidence.evidenceId);
    if (!now?.validatedSequencer || isDecidingEvent(now.validatedSequencer, event)) return 'REPLAYED';
    return quarantineSecond(deps, event, now, 'evidence item', evidenceFacts(now));
  }
  deps.log('evidence checked', {
    ...evidenceFacts(evidence),
    status,
    findings: findings.map((f) => f.code),
  });
  return status;
}
