import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ConflictError } from '../platform/errors.ts';
import type {
  EvidenceRequestLimits,
  IdempotencyMarker,
  IdempotencyScope,
  IdempotentRoute,
  Records,
} from '../ports/core.ts';
import { type ApplicationStatus, ENDED_STATUSES } from '../schemas/common.ts';
import {
  type ApplicationRecord,
  ApplicationRecordSchema,
  type AuditEvent,
  AuditEventSchema,
  type EvidenceRecord,
  EvidenceRecordSchema,
} from '../schemas/records.ts';
import { INDEXES } from './table.ts';
import { tallyUpdates } from './dynamo-tallies.ts';
import { isConditionFailure, queryAll, type TransactItem, transactWrite, withoutKeys } from './dynamo-util.ts';

/** The route each idempotent request stands for, as the marker's sort key names it. */
const IDEMPOTENT_ROUTE_KEYS: Record<IdempotentRoute, string> = {
  CREATE: 'CREATE#POST /v1/applications',
  EVIDENCE: 'EVIDENCE#POST /v1/applications/{applicationId}/evidence',
};

const IdempotencyMarkerSchema = z.object({
  sub: z.string().min(1),
  route: z.enum(['CREATE', 'EVIDENCE']),
  key: z.string().min(1),
  requestHash: z.string().regex(/^[0-9a-f]{64}$/),
  applicationId: z.string().min(1),
  evidenceId: z.string().min(1).optional(),
  createdAt: z.string(),
  expiresAt: z.string(),
});

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

/** The marker's key taken by another request (the domain answers as a repeat of that one). */
const keyInUse = (marker: IdempotencyMarker) =>
  new ConflictError('IDEMPOTENCY_KEY_IN_USE', 'Another request with this Idempotency-Key is being handled', [
    { field: 'header.idempotency-key', code: 'IDEMPOTENCY_KEY_IN_USE', message: `key ${marker.key} is in use` },
  ]);

/** 409 DUPLICATE_APPLICATION: the county already filed a cluster of this name (create or rename). */
const duplicateApplication = (application: ApplicationRecord, holder: string | undefined) =>
  application.registerEntryId !== undefined
    ? new ConflictError(
        'DUPLICATE_APPLICATION',
        `register entry ${application.registerEntryId} was already filed for in ${application.campaignId} (${application.track})`,
        [
          {
            field: 'registerEntryId',
            code: 'DUPLICATE_APPLICATION',
            message: 'this register entry already has a filing in this campaign and track',
            applicationId: holder,
          },
        ],
      )
    : new ConflictError(
        'DUPLICATE_APPLICATION',
        `${application.clusterName} was already filed by ${application.countyCode} in ${application.campaignId}`,
        [
          {
            field: 'clusterName',
            code: 'DUPLICATE_APPLICATION',
            message: 'this county already filed a cluster with this name in this campaign and track',
            applicationId: holder,
          },
        ],
      );

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

function applicationItem(application: ApplicationRecord) {
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

export class DynamoRecords implements Records {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private auditPut(audit: AuditEvent) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...AuditEventSchema.parse(audit), ...keys.audit(audit) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** The marker's Put: only if no request used the key before. */
  private markerPut(marker: IdempotencyMarker): TransactItem[] {
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...IdempotencyMarkerSchema.parse(marker), ...keys.idempotency(marker) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  /** After a failed condition: whether it was the marker's (another request holds the key). */
  private async markerTaken(marker: IdempotencyMarker | undefined): Promise<boolean> {
    return marker !== undefined && (await this.getIdempotencyMarker(marker)) !== undefined;
  }

  async getIdempotencyMarker(scope: IdempotencyScope): Promise<IdempotencyMarker | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency(scope), ConsistentRead: true }),
    );
    return Item ? IdempotencyMarkerSchema.parse(withoutKeys(Item)) : undefined;
  }

  async createApplication(
    application: ApplicationRecord,
    audit: AuditEvent,
    idempotency?: IdempotencyMarker,
  ): Promise<void> {
    const guard = keys.clusterGuard(application);
    const reasons = await transactWrite(this.client, [
      ...(idempotency ? this.markerPut(idempotency) : []),
      {
        Put: {
          TableName: this.tableName,
          Item: { ...guard, applicationId: application.applicationId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: applicationItem(ApplicationRecordSchema.parse(application)),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.auditPut(audit),
      ...tallyUpdates(this.tableName, undefined, application),
    ]);
    if (reasons) {
      if (await this.markerTaken(idempotency)) throw keyInUse(idempotency as IdempotencyMarker);
      throw duplicateApplication(application, await this.guardHolder(guard));
    }
  }

  /** The application holding a cluster-name guard, if any. */
  private async guardHolder(guard: { pk: string; sk: string }): Promise<string | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: guard }));
    return typeof Item?.applicationId === 'string' ? Item.applicationId : undefined;
  }

  /**
   * A renamed draft moves its one-filing-per-cluster guard with the name, in the same transaction
   * as the save: the old name's guard is released (if it is this application's), the new one taken
   * only if no application of the county holds it. Nothing when the name keeps its guard key.
   */
  private guardMove(application: ApplicationRecord, before: ApplicationRecord): TransactItem[] {
    const [from, to] = [keys.clusterGuard(before), keys.clusterGuard(application)];
    if (from.pk === to.pk && from.sk === to.sk) return [];
    return [
      {
        Delete: {
          TableName: this.tableName,
          Key: from,
          ConditionExpression: 'attribute_not_exists(pk) OR applicationId = :id',
          ExpressionAttributeValues: { ':id': application.applicationId },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...to, applicationId: application.applicationId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  async getApplication(applicationId: string): Promise<ApplicationRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.application(applicationId),
        ConsistentRead: true,
      }),
    );
    return Item ? ApplicationRecordSchema.parse(withoutKeys(Item)) : undefined;
  }

  async saveApplication(application: ApplicationRecord, before: ApplicationRecord, audit: AuditEvent): Promise<void> {
    if (application.applicationId !== before.applicationId) {
      throw new Error(`saveApplication: ${application.applicationId} cannot replace ${before.applicationId}`);
    }
    const guardMove = this.guardMove(application, before);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: applicationItem(ApplicationRecordSchema.parse(application)),
          ConditionExpression: 'revision = :revision AND #status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':revision': before.revision, ':status': before.status },
        },
      },
      this.auditPut(audit),
      ...tallyUpdates(this.tableName, before, application),
      ...guardMove,
    ];
    const reasons = await transactWrite(this.client, items);
    if (reasons) {
      // The new name's guard is the last item: another application of the county holds the name.
      if (guardMove.length > 0 && reasons.at(-1)?.Code === 'ConditionalCheckFailed') {
        throw duplicateApplication(application, await this.guardHolder(keys.clusterGuard(application)));
      }
      throw new ConflictError(
        'CONCURRENT_CHANGE',
        'The application changed while this request was being handled; reload it and try again',
        [{ field: 'revision', code: 'STALE_REVISION', message: `expected revision ${before.revision}` }],
      );
    }
  }

  async createEvidence(
    evidence: EvidenceRecord,
    editableStatuses: readonly ApplicationStatus[],
    audit: AuditEvent,
    idempotency?: IdempotencyMarker,
    limits?: EvidenceRequestLimits,
  ): Promise<void> {
    const counter = keys.evidenceCounter(evidence.applicationId);
    const counting: TransactItem[] = limits
      ? [
          {
            Update: {
              TableName: this.tableName,
              Key: counter,
              UpdateExpression: 'ADD #total :one, #item :one',
              ConditionExpression:
                '(attribute_not_exists(#total) OR #total < :perApplication) AND (attribute_not_exists(#item) OR #item < :perItem)',
              ExpressionAttributeNames: { '#total': 'total', '#item': `item#${evidence.criterion}` },
              ExpressionAttributeValues: {
                ':one': 1,
                ':perApplication': limits.perApplication,
                ':perItem': limits.perItem,
              },
            },
          },
        ]
      : [];
    // transactWrite retries a TransactionConflict (requests racing on the same key or application).
    const reasons = await transactWrite(this.client, [
      ...(idempotency ? this.markerPut(idempotency) : []),
      {
        // The application must still accept evidence when the request lands.
        ConditionCheck: {
          TableName: this.tableName,
          Key: keys.application(evidence.applicationId),
          ConditionExpression: `#status IN (${editableStatuses.map((_, i) => `:s${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: Object.fromEntries(editableStatuses.map((s, i) => [`:s${i}`, s])),
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...EvidenceRecordSchema.parse(evidence),
            ...keys.evidence(evidence.applicationId, evidence.evidenceId),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.auditPut(audit),
      ...counting,
    ]);
    if (!reasons) return;
    if (await this.markerTaken(idempotency)) throw keyInUse(idempotency as IdempotencyMarker);
    if (limits && reasons.at(-1)?.Code === 'ConditionalCheckFailed') {
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: counter, ConsistentRead: true }),
      );
      const perItem = Number(Item?.[`item#${evidence.criterion}`] ?? 0) >= limits.perItem;
      const limit = perItem ? limits.perItem : limits.perApplication;
      const scope = perItem ? `checklist item ${evidence.criterion}` : 'application';
      throw new ConflictError('EVIDENCE_LIMIT_REACHED', `At most ${limit} evidence upload requests per ${scope}`, [
        {
          field: 'criterion',
          code: perItem ? 'ITEM_EVIDENCE_LIMIT' : 'APPLICATION_EVIDENCE_LIMIT',
          message: `at most ${limit} upload requests per ${scope}`,
          limit,
        },
      ]);
    }
    throw new ConflictError('NOT_EDITABLE', 'The application no longer accepts evidence');
  }

  async renewUpload(
    evidence: EvidenceRecord,
    uploadExpiresAt: string,
    uploadDeadline: string,
  ): Promise<EvidenceRecord | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.evidence(evidence.applicationId, evidence.evidenceId),
          UpdateExpression: 'SET uploadExpiresAt = :at, uploadDeadline = :deadline',
          // Still waiting for its bytes: no upload was recorded for it yet.
          ConditionExpression: '#status = :pending AND attribute_not_exists(validatedSequencer)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': uploadExpiresAt, ':deadline': uploadDeadline, ':pending': 'PENDING' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? EvidenceRecordSchema.parse(withoutKeys(Attributes)) : undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return undefined;
    }
  }

  async removeEvidence(
    evidence: EvidenceRecord,
    editableStatuses: readonly ApplicationStatus[],
    audit: AuditEvent,
  ): Promise<void> {
    const { applicationId, evidenceId, sha256 } = evidence;
    // The item's claim on its bytes goes with it, so the same bytes uploaded again are no duplicate.
    const claimKey = sha256 === undefined ? undefined : keys.contentHash(applicationId, sha256);
    const claim = claimKey
      ? (await this.client.send(new GetCommand({ TableName: this.tableName, Key: claimKey, ConsistentRead: true })))
          .Item
      : undefined;
    const reasons = await transactWrite(this.client, [
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: keys.application(applicationId),
          ConditionExpression: `#status IN (${editableStatuses.map((_, i) => `:s${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: Object.fromEntries(editableStatuses.map((s, i) => [`:s${i}`, s])),
        },
      },
      {
        // Exactly the item as read: the same status and the same validated upload (or none yet).
        Delete: {
          TableName: this.tableName,
          Key: keys.evidence(applicationId, evidenceId),
          ConditionExpression: evidence.validatedSequencer
            ? '#status = :status AND validatedSequencer = :sequencer'
            : '#status = :status AND attribute_not_exists(validatedSequencer)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': evidence.status,
            ...(evidence.validatedSequencer && { ':sequencer': evidence.validatedSequencer }),
          },
        },
      },
      ...(claimKey && claim?.evidenceId === evidenceId
        ? [
            {
              Delete: {
                TableName: this.tableName,
                Key: claimKey,
                ConditionExpression: 'evidenceId = :evidenceId',
                ExpressionAttributeValues: { ':evidenceId': evidenceId },
              },
            },
          ]
        : []),
      this.auditPut(audit),
    ]);
    if (reasons) {
      throw new ConflictError(
        'CONCURRENT_CHANGE',
        `Evidence ${evidenceId} or its application changed; reload and try again`,
      );
    }
  }

  async getEvidence(applicationId: string, evidenceId: string): Promise<EvidenceRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.evidence(applicationId, evidenceId),
        ConsistentRead: true,
      }),
    );
    return Item ? EvidenceRecordSchema.parse(withoutKeys(Item)) : undefined;
  }

  async listEvidence(applicationId: string): Promise<EvidenceRecord[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':prefix': 'EVIDENCE#' },
      ConsistentRead: true,
    });
    return items.map((item) => EvidenceRecordSchema.parse(withoutKeys(item)));
  }

  async recordValidation(evidence: EvidenceRecord, audit: AuditEvent): Promise<boolean> {
    if (!evidence.validatedSequencer) throw new Error('recordValidation needs the S3 event sequencer');
    // An evidence item takes exactly one object: the first outcome recorded stands, and a racing
    // delivery (a replay, or a second object for the same key) loses and changes nothing.
    const reasons = await transactWrite(this.client, [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...EvidenceRecordSchema.parse(evidence),
            ...keys.evidence(evidence.applicationId, evidence.evidenceId),
          },
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(validatedSequencer)',
        },
      },
      this.auditPut(audit),
    ]);
    return reasons === undefined;
  }

  async claimContentHash(applicationId: string, sha256: string, evidenceId: string): Promise<string> {
    const key = keys.contentHash(applicationId, sha256);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, evidenceId },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return evidenceId;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      return typeof Item?.evidenceId === 'string' ? Item.evidenceId : evidenceId;
    }
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    try {
      await this.client.send(new PutCommand(this.auditPut(event).Put));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async listAudit(applicationId: string): Promise<AuditEvent[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':prefix': 'AUDIT#' },
    });
    return items.map((item) => AuditEventSchema.parse(withoutKeys(item)));
  }
}
