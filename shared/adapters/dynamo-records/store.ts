import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Records } from '../../ports/core.ts';
import { ApplicationItems } from './applications.ts';
import { EvidenceItems } from './evidence.ts';
import { IdempotencyMarkers } from './idempotency.ts';
import type { RecordTable } from './keys.ts';
import { AuditTrail } from './trail.ts';

/** A method's arguments as the port declares them (the optional methods too), passed on as they are. */
type Args<K extends keyof Records> = Parameters<NonNullable<Records[K]>>;

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

  getIdempotencyMarker(...args: Args<'getIdempotencyMarker'>) {
    return this.markers.get(...args);
  }

  createApplication(...args: Args<'createApplication'>) {
    return this.applications.createApplication(...args);
  }

  getApplication(...args: Args<'getApplication'>) {
    return this.applications.getApplication(...args);
  }

  saveApplication(...args: Args<'saveApplication'>) {
    return this.applications.saveApplication(...args);
  }

  createEvidence(...args: Args<'createEvidence'>) {
    return this.evidence.createEvidence(...args);
  }

  renewUpload(...args: Args<'renewUpload'>) {
    return this.evidence.renewUpload(...args);
  }

  removeEvidence(...args: Args<'removeEvidence'>) {
    return this.evidence.removeEvidence(...args);
  }

  getEvidence(...args: Args<'getEvidence'>) {
    return this.evidence.getEvidence(...args);
  }

  listEvidence(...args: Args<'listEvidence'>) {
    return this.evidence.listEvidence(...args);
  }

  recordValidation(...args: Args<'recordValidation'>) {
    return this.evidence.recordValidation(...args);
  }

  claimContentHash(...args: Args<'claimContentHash'>) {
    return this.evidence.claimContentHash(...args);
  }

  appendAudit(...args: Args<'appendAudit'>) {
    return this.trail.appendAudit(...args);
  }

  listAudit(...args: Args<'listAudit'>) {
    return this.trail.listAudit(...args);
  }
}
