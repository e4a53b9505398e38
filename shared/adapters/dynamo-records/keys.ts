import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyScope, IdempotentRoute } from '../../ports/core.ts';
import { type ApplicationStatus, ENDED_STATUSES } from '../../schemas/common.ts';
import type { ApplicationRecord, AuditEvent } from '../../schemas/records.ts';
import { INDEXES } from '../table.ts';

/**
 * Where an application's items lie in the one table: their keys and index entries. Apart from the
 * writes because other stores (reviews, register, reminders, operations) find the same items by
 * these keys; a change of layout changes this file, a change of a write's conditions does not.
 */

/** The table the records live in, as each part of the store is handed it. */
export interface RecordTable {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/** The route each idempotent request stands for, as the marker's sort key names it. */
const IDEMPOTENT_ROUTE_KEYS: Record<IdempotentRoute, string> = {
  CREATE: 'CREATE#POST /v1/applications',
  EVIDENCE: 'EVIDENCE#POST /v1/applications/{applicationId}/evidence',
};

export const keys = {
  application: (id: string) => ({ pk: `APP#${id}`, sk: 'APP' }),
  evidence: (applicationId: string, evidenceId: string) => ({
    pk: `APP#${applicationId}`,
    sk: `EVIDENCE#${evidenceId}`,
  }),
  contentHash: (applicationId: string, sha256: string) => ({
    pk: `APP#${applicationId}`,
    sk: `SHA256#${sha256}`,
  }),
  audit: (event: AuditEvent) => ({
    pk: `APP#${event.applicationId}`,
    sk: `AUDIT#${event.at}#${event.eventId}`,
  }),
  /**
   * The application's evidence request counter: `total`, and `item#<criterion>` per checklist item.
   * An item of its own beside the application, whose record saveApplication replaces whole.
   */
  evidenceCounter: (applicationId: string) => ({ pk: `APP#${applicationId}`, sk: 'EVIDENCE_COUNT' }),
  /**
   * One per campaign, track, county and cluster name: the same cluster cannot be filed twice. A
   * filing for a register entry (re-review, typical case) is guarded by the entry: one per entry
   * per campaign and track (its identity is locked, so the guard never moves).
   */
  clusterGuard: (
    application: Pick<ApplicationRecord, 'campaignId' | 'track' | 'countyCode' | 'clusterName' | 'registerEntryId'>,
  ) => ({
    pk: `CLUSTER#${application.campaignId}#${application.track}#${application.countyCode}`,
    sk:
      application.registerEntryId !== undefined
        ? `ENTRY#${application.registerEntryId}`
        : application.clusterName.normalize('NFKC').replace(/\s+/g, ''),
  }),
  /** What the first request with an Idempotency-Key created (the key holds no `#`). */
  idempotency: ({ sub, route, key }: IdempotencyScope) => ({
    pk: `IDEMP#${sub}#${key}`,
    sk: IDEMPOTENT_ROUTE_KEYS[route],
  }),
};

/** Where an application sorts in byJurisdiction: a status change moves it (campaign, status, county). */
export const jurisdictionSortKey = (application: ApplicationRecord, status: ApplicationStatus) =>
  `${application.campaignId}#${status}#${application.countyCode}#${application.applicationId}`;

/** Deadlines carry offsets (+08:00); the index sorts them as UTC strings. */
const utc = (iso: string) => new Date(iso).toISOString();

/**
 * Where an application sits in byDeadline:
 *   open or OVERDUE  DUE#<campaignId>  <dueAt, UTC>#<id>   what is due, and what is late, per campaign
 *   RECOGNIZED       VALID             <validUntil, UTC>#<id>  clusters holding the title (annual report)
 * Other terminal statuses wait for nobody and leave the index.
 */
export const deadlineIndexKeys = {
  duePartition: (campaignId: string) => `DUE#${campaignId}`,
  validPartition: 'VALID',
  sortKey: (at: string, applicationId: string) => `${utc(at)}#${applicationId}`,
};

function deadlineEntry(application: ApplicationRecord): { pk: string; sk: string } | undefined {
  const { status, applicationId } = application;
  if (status === 'RECOGNIZED') {
    return application.validUntil
      ? { pk: deadlineIndexKeys.validPartition, sk: deadlineIndexKeys.sortKey(application.validUntil, applicationId) }
      : undefined;
  }
  if (ENDED_STATUSES.has(status) && status !== 'OVERDUE') return undefined;
  return {
    pk: deadlineIndexKeys.duePartition(application.campaignId),
    sk: deadlineIndexKeys.sortKey(application.dueAt, applicationId),
  };
}

/** The application's item: the record, its key, and its places in both indexes. */
export function applicationItem(application: ApplicationRecord) {
  const { byJurisdiction, byDeadline } = INDEXES;
  const due = deadlineEntry(application);
  return {
    ...application,
    ...keys.application(application.applicationId),
    [byJurisdiction.partitionKey]: `JUR#${application.provincialCode}`,
    [byJurisdiction.sortKey]: jurisdictionSortKey(application, application.status),
    ...(due && { [byDeadline.partitionKey]: due.pk, [byDeadline.sortKey]: due.sk }),
  };
}
