import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../platform/errors.ts';
import type { EvidenceRequestLimits, IdempotencyMarker } from '../../ports/core.ts';
import type { ApplicationStatus } from '../../schemas/common.ts';
import { type AuditEvent, type EvidenceRecord, EvidenceRecordSchema } from '../../schemas/records.ts';
import { isConditionFailure, queryAll, type TransactItem, transactWrite, withoutKeys } from '../dynamo-util.ts';
import { type IdempotencyMarkers, keyInUse } from './idempotency.ts';
import { keys, type RecordTable } from './keys.ts';
import type { AuditTrail } from './trail.ts';

/**
 * An application's evidence items: created within the request limits, renewed while waiting for
 * their bytes, validated once, removed as read, and each content hash claimed by its first item.
 * Apart from the application record: these writes only check the application's status, and
 * change with the upload and validation rules, not with the filing's.
 */
export class EvidenceItems {
  constructor(
    private readonly table: RecordTable,
    private readonly trail: AuditTrail,
    private readonly markers: IdempotencyMarkers,
  ) {}

  /** The check, in the write's transaction, that the application still accepts evidence. */
  private stillEditable(applicationId: string, editableStatuses: readonly ApplicationStatus[]): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.table.tableName,
        Key: keys.application(applicationId),
        ConditionExpression: `#status IN (${editableStatuses.map((_, i) => `:s${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: Object.fromEntries(editableStatuses.map((s, i) => [`:s${i}`, s])),
      },
    };
  }

  async createEvidence(
    evidence: EvidenceRecord,
    editableStatuses: readonly ApplicationStatus[],
    audit: AuditEvent,
    idempotency?: IdempotencyMarker,
    limits?: EvidenceRequestLimits,
  ): Promise<void> {
    const { client, tableName } = this.table;
    const counter = keys.evidenceCounter(evidence.applicationId);
    const counting: TransactItem[] = limits
      ? [
          {
            Update: {
              TableName: tableName,
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
    const reasons = await transactWrite(client, [
      ...this.markers.put(idempotency),
      // The application must still accept evidence when the request lands.
      this.stillEditable(evidence.applicationId, editableStatuses),
      {
        Put: {
          TableName: tableName,
          Item: {
            ...EvidenceRecordSchema.parse(evidence),
            ...keys.evidence(evidence.applicationId, evidence.evidenceId),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.trail.put(audit),
      ...counting,
    ]);
    if (!reasons) return;
    if (await this.markers.taken(idempotency)) throw keyInUse(idempotency as IdempotencyMarker);
    if (limits && reasons.at(-1)?.Code === 'ConditionalCheckFailed') {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: counter, ConsistentRead: true }));
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
      const { Attributes } = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
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
    const { client, tableName } = this.table;
    const { applicationId, evidenceId, sha256 } = evidence;
    // The item's claim on its bytes goes with it, so the same bytes uploaded again are no duplicate.
    const claimKey = sha256 === undefined ? undefined : keys.contentHash(applicationId, sha256);
    const claim = claimKey
      ? (await client.send(new GetCommand({ TableName: tableName, Key: claimKey, ConsistentRead: true }))).Item
      : undefined;
    const reasons = await transactWrite(client, [
      this.stillEditable(applicationId, editableStatuses),
      {
        // Exactly the item as read: the same status and the same validated upload (or none yet).
        Delete: {
          TableName: tableName,
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
                TableName: tableName,
                Key: claimKey,
                ConditionExpression: 'evidenceId = :evidenceId',
                ExpressionAttributeValues: { ':evidenceId': evidenceId },
              },
            },
          ]
        : []),
      this.trail.put(audit),
    ]);
    if (reasons) {
      throw new ConflictError(
        'CONCURRENT_CHANGE',
        `Evidence ${evidenceId} or its application changed; reload and try again`,
      );
    }
  }

  async getEvidence(applicationId: string, evidenceId: string): Promise<EvidenceRecord | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.evidence(applicationId, evidenceId),
        ConsistentRead: true,
      }),
    );
    return Item ? EvidenceRecordSchema.parse(withoutKeys(Item)) : undefined;
  }

  async listEvidence(applicationId: string): Promise<EvidenceRecord[]> {
    const items = await queryAll(this.table.client, this.table.tableName, {
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
    const reasons = await transactWrite(this.table.client, [
      {
        Put: {
          TableName: this.table.tableName,
          Item: {
            ...EvidenceRecordSchema.parse(evidence),
            ...keys.evidence(evidence.applicationId, evidence.evidenceId),
          },
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(validatedSequencer)',
        },
      },
      this.trail.put(audit),
    ]);
    return reasons === undefined;
  }

  async claimContentHash(applicationId: string, sha256: string, evidenceId: string): Promise<string> {
    const key = keys.contentHash(applicationId, sha256);
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...key, evidenceId },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return evidenceId;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.table.client.send(
        new GetCommand({ TableName: this.table.tableName, Key: key, ConsistentRead: true }),
      );
      return typeof Item?.evidenceId === 'string' ? Item.evidenceId : evidenceId;
    }
  }
}
