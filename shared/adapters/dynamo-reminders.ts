import { randomUUID } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { ReminderKey } from '../operations/reminders.ts';
import type { DeadlineIndex, ReminderClaim, ReminderLedger, SentReminder } from '../ports/operations.ts';
import { IsoDateTimeSchema } from '../schemas/common.ts';
import {
  type ApplicationRecord,
  ApplicationRecordSchema,
  type AuditEvent,
  AuditEventSchema,
} from '../schemas/records.ts';
import { INDEXES } from './table.ts';
import { deadlineIndexKeys, keys as recordKeys } from './dynamo-records/keys.ts';
import { isConditionFailure, queryAll, withoutKeys } from './dynamo-util.ts';

/**
 * The sweeper's items: one marker per reminder, in the application's partition, so each
 * reminder goes out once however many sweeps run, retry or overlap.
 *
 *   reminder  pk APP#<applicationId>  sk REMINDER#<kind>#<subject>#<threshold>
 *             status CLAIMED (a sweep is sending it) → SENT (messageId), or SKIPPED (a larger
 *             threshold passed while no sweep ran: never sent later)
 *
 * A sweep claims with a conditional Put (attribute_not_exists), sends, then marks SENT with its
 * claimId, in one transaction with the REMINDER_SENT audit event. A failed send deletes the
 * claim, so the next sweep tries again. A claim left CLAIMED by a sweep that crashed may be taken
 * over once it is older than the stale limit (conditional on its claimedAt): in that window a
 * reminder can go out twice (at least once), never zero times.
 *
 * It also reads the byDeadline index for the sweeper: DUE#<campaignId> (open and OVERDUE
 * applications by the current stage's deadline) and VALID (recognised ones by validUntil).
 */
export const reminderKeys = {
  marker: (key: ReminderKey) => ({
    pk: `APP#${key.applicationId}`,
    sk: `REMINDER#${key.kind}#${key.subject}#${key.threshold}`,
  }),
};

export const REMINDER_STATUSES = ['CLAIMED', 'SENT', 'SKIPPED'] as const;

export const ReminderMarkerSchema = z.object({
  applicationId: z.uuid(),
  kind: z.enum(['review', 'escalation', 'applicant', 'annual-report']),
  subject: z.string().min(1),
  threshold: z.number().positive(),
  status: z.enum(REMINDER_STATUSES),
  /** Who holds the claim (one sweep); a takeover gives it a new one. */
  claimId: z.string().optional(),
  claimedAt: IsoDateTimeSchema.optional(),
  sentAt: IsoDateTimeSchema.optional(),
  messageId: z.string().optional(),
  /** How many addresses it went to (never the addresses). */
  recipients: z.int().nonnegative().optional(),
  skippedAt: IsoDateTimeSchema.optional(),
});
export type ReminderMarker = z.infer<typeof ReminderMarkerSchema>;

const { byDeadline } = INDEXES;

export class DynamoReminders implements ReminderLedger, DeadlineIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Claims older than this (ms) left CLAIMED by a crashed sweep may be taken over. */
    private readonly staleClaimMs: number,
    private readonly newId: () => string = randomUUID,
  ) {}

  async claim(key: ReminderKey, now: Date): Promise<ReminderClaim | undefined> {
    const claimedAt = now.toISOString();
    const claimId = this.newId();
    const marker = ReminderMarkerSchema.parse({ ...key, status: 'CLAIMED', claimId, claimedAt });
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...marker, ...reminderKeys.marker(key) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { key, claimId, claimedAt, takenOver: false };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // Someone has it: sent, skipped, or being sent. Only a claim abandoned long ago is taken over.
    const current = await this.get(key);
    if (current?.status !== 'CLAIMED' || !current.claimedAt) return undefined;
    if (Date.parse(current.claimedAt) > now.getTime() - this.staleClaimMs) return undefined;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reminderKeys.marker(key),
          UpdateExpression: 'SET claimId = :claimId, claimedAt = :claimedAt',
          // Exactly the abandoned claim read: of several sweeps taking over, one wins.
          ConditionExpression: '#status = :claimed AND claimedAt = :previous',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':claimed': 'CLAIMED',
            ':previous': current.claimedAt,
            ':claimId': claimId,
            ':claimedAt': claimedAt,
          },
        }),
      );
      return { key, claimId, claimedAt, takenOver: true };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async markSent(claim: ReminderClaim, sent: SentReminder, audit: AuditEvent): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: reminderKeys.marker(claim.key),
                UpdateExpression: 'SET #status = :sent, sentAt = :at, messageId = :messageId, recipients = :recipients',
                // Still our claim: a sweep that took it over (we were too slow) records its own.
                ConditionExpression: '#status = :claimed AND claimId = :claimId',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':sent': 'SENT',
                  ':claimed': 'CLAIMED',
                  ':claimId': claim.claimId,
                  ':at': sent.at,
                  ':messageId': sent.messageId,
                  ':recipients': sent.recipients,
                },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...AuditEventSchema.parse(audit), ...recordKeys.audit(audit) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async release(claim: ReminderClaim): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: reminderKeys.marker(claim.key),
          ConditionExpression: '#status = :claimed AND claimId = :claimId',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'CLAIMED', ':claimId': claim.claimId },
        }),
      );
    } catch (error) {
      // Taken over meanwhile: the claim is not ours to release any more.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async skip(key: ReminderKey, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...ReminderMarkerSchema.parse({ ...key, status: 'SKIPPED', skippedAt: at }),
            ...reminderKeys.marker(key),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(key: ReminderKey): Promise<ReminderMarker | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: reminderKeys.marker(key), ConsistentRead: true }),
    );
    return Item ? ReminderMarkerSchema.parse(withoutKeys(Item)) : undefined;
  }

  async dueBefore(campaignId: string, until: Date): Promise<ApplicationRecord[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: byDeadline.indexName,
      KeyConditionExpression: '#pk = :pk AND #sk < :until',
      ExpressionAttributeNames: { '#pk': byDeadline.partitionKey, '#sk': byDeadline.sortKey },
      ExpressionAttributeValues: {
        ':pk': deadlineIndexKeys.duePartition(campaignId),
        // Every application due before `until`, whatever its id.
        ':until': until.toISOString(),
      },
    });
    return items.map((item) => ApplicationRecordSchema.parse(withoutKeys(item)));
  }

  async validAfter(at: Date): Promise<ApplicationRecord[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: byDeadline.indexName,
      KeyConditionExpression: '#pk = :pk AND #sk > :at',
      ExpressionAttributeNames: { '#pk': byDeadline.partitionKey, '#sk': byDeadline.sortKey },
      ExpressionAttributeValues: {
        ':pk': deadlineIndexKeys.validPartition,
        // "<at>#~" sorts after every key of that very millisecond: strictly later only.
        ':at': `${at.toISOString()}#~`,
      },
    });
    return items.map((item) => ApplicationRecordSchema.parse(withoutKeys(item)));
  }
}
