import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EvidenceRequestLimits, IdempotencyMarker, IdempotencyScope, Records } from '../../ports/core.ts';
import type { ApplicationStatus } from '../../schemas/common.ts';
import type { ApplicationRecord, AuditEvent, EvidenceRecord } from '../../schemas/records.ts';
import { ApplicationItems } from './applications.ts';
import { EvidenceItems } from './evidence.ts';
import { IdempotencyMarkers } from './idempotency.ts';
import type { RecordTable } from './keys.ts';
import { AuditTrail } from './trail.ts';

/**
 * The records port in the one table (the item layout is in ./keys.ts), put together from its
 * parts: the application record, its evidence, its audit trail and the idempotency markers.
 */
export class DynamoRecords implements Records {
  private readonly applications: ApplicationItems;
  private readonly evidence: EvidenceItems;
  private readonly trail: AuditTrail;
  private readonly markers: IdempotencyMarkers;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    const table: RecordTable = { client, tableName };
    this.trail = new AuditTrail(table);
    this.markers = new IdempotencyMarkers(table);
    this.applications = new ApplicationItems(table, this.trail, this.markers);
    this.evidence = new EvidenceItems(table, this.trail, this.markers);
  }

  getIdempotencyMarker(scope: IdempotencyScope): Promise<IdempotencyMarker | undefined> {
    return this.markers.get(scope);
  }

  createApplication(application: ApplicationRecord, audit: AuditEvent, idempotency?: IdempotencyMarker): Promise<void> {
    return this.applications.createApplication(application, audit, idempotency);
  }

  getApplication(applicationId: string): Promise<ApplicationRecord | undefined> {
    return this.applications.getApplication(applicationId);
  }

  saveApplication(application: ApplicationRecord, before: ApplicationRecord, audit: AuditEvent): Promise<void> {
    return this.applications.saveApplication(application, before, audit);
  }

  createEvidence(
    evidence: EvidenceRecord,
    editableStatuses: readonly ApplicationStatus[],
    audit: AuditEvent,
    idempotency?: IdempotencyMarker,
    limits?: EvidenceRequestLimits,
  ): Promise<void> {
    return this.evidence.createEvidence(evidence, editableStatuses, audit, idempotency, limits);
  }

  renewUpload(
    evidence: EvidenceRecord,
    uploadExpiresAt: string,
    uploadDeadline: string,
  ): Promise<EvidenceRecord | undefined> {
    return this.evidence.renewUpload(evidence, uploadExpiresAt, uploadDeadline);
  }

  removeEvidence(
    evidence: EvidenceRecord,
    editableStatuses: readonly ApplicationStatus[],
    audit: AuditEvent,
  ): Promise<void> {
    return this.evidence.removeEvidence(evidence, editableStatuses, audit);
  }

  getEvidence(applicationId: string, evidenceId: string): Promise<EvidenceRecord | undefined> {
    return this.evidence.getEvidence(applicationId, evidenceId);
  }

  listEvidence(applicationId: string): Promise<EvidenceRecord[]> {
    return this.evidence.listEvidence(applicationId);
  }

  recordValidation(evidence: EvidenceRecord, audit: AuditEvent): Promise<boolean> {
    return this.evidence.recordValidation(evidence, audit);
  }

  claimContentHash(applicationId: string, sha256: string, evidenceId: string): Promise<string> {
    return this.evidence.claimContentHash(applicationId, sha256, evidenceId);
  }

  appendAudit(event: AuditEvent): Promise<void> {
    return this.trail.appendAudit(event);
  }

  listAudit(applicationId: string): Promise<AuditEvent[]> {
    return this.trail.listAudit(applicationId);
  }
}
