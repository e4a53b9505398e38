import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ConflictError } from '../platform/errors.ts';
import type { DecisionToRecord, ReviewStore, WorkflowPointers } from '../ports/review.ts';
import type { ApplicationStatus } from '../schemas/common.ts';
import { type AuditEvent, AuditEventSchema } from '../schemas/records.ts';
import {
  applicationIdOfReview,
  type ObjectionRecord,
  ObjectionRecordSchema,
  type ReviewerDirectoryEntry,
  ReviewerDirectorySchema,
  type ReviewRecord,
  ReviewRecordSchema,
  type ReviewStatus,
} from '../schemas/reviews.ts';
import { INDEXES } from './table.ts';
import { deadlineIndexKeys, keys as recordKeys } from './dynamo-records.ts';
import { isConditionFailure, queryAll, withoutKeys } from './dynamo-util.ts';

/**
 * The review desk's items, in the one table:
 *
 *   review        pk APP#<applicationId>  sk REVIEW#<reviewId>
 *                   pending:  gsi2pk REVIEW#PENDING#<jurisdictionCode>  gsi2sk <deadline, UTC>#<reviewId>   (byDeadline: the inbox)
 *                   scored:   gsi1pk RANK#<jurisdictionCode>            gsi1sk <campaign>#<track>#<score>#<reviewId> (byJurisdiction: 择优遴选)
 *   objection     pk APP#<applicationId>  sk OBJECTION#<filedAt>#<objectionId>
 *   reviewers     pk REVIEWERS            sk <jurisdictionCode>        emails: string[]
 *
 * The review lives in its application's partition (its id names the application), so one Query
 * finds an application's reviews, and GET/POST on a review is one GetItem. The RANK# and
 * REVIEW#PENDING# partitions never meet the applications' JUR#/STATUS# ones in the indexes.
 */
export const reviewKeys = {
  review: (applicationId: string, reviewId: string) => ({ pk: `APP#${applicationId}`, sk: `REVIEW#${reviewId}` }),
  objection: (objection: Pick<ObjectionRecord, 'applicationId' | 'filedAt' | 'objectionId'>) => ({
    pk: `APP#${objection.applicationId}`,
    sk: `OBJECTION#${objection.filedAt}#${objection.objectionId}`,
  }),
  reviewers: (jurisdictionCode: string) => ({ pk: 'REVIEWERS', sk: jurisdictionCode }),
  pendingPartition: (jurisdictionCode: string) => `REVIEW#PENDING#${jurisdictionCode}`,
  rankPartition: (jurisdictionCode: string) => `RANK#${jurisdictionCode}`,
};

const { byDeadline, byJurisdiction } = INDEXES;

/** 0..100 with two decimals as five digits, so the index sorts by score. */
const scoreKey = (score: number) => String(Math.round(score * 100)).padStart(5, '0');

function pendingIndex(review: Pick<ReviewRecord, 'jurisdictionCode' | 'deadline' | 'reviewId'>) {
  return {
    [byDeadline.partitionKey]: reviewKeys.pendingPartition(review.jurisdictionCode),
    [byDeadline.sortKey]: deadlineIndexKeys.sortKey(review.deadline, review.reviewId),
  };
}

function rankIndex(
  review: Pick<ReviewRecord, 'jurisdictionCode' | 'campaignId' | 'track' | 'reviewId'>,
  weightedScore: number,
) {
  return {
    [byJurisdiction.partitionKey]: reviewKeys.rankPartition(review.jurisdictionCode),
    [byJurisdiction.sortKey]: `${review.campaignId}#${review.track}#${scoreKey(weightedScore)}#${review.reviewId}`,
  };
}

function reviewItem(review: ReviewRecord) {
  const parsed = ReviewRecordSchema.parse(review);
  return {
    ...parsed,
    ...reviewKeys.review(parsed.applicationId, parsed.reviewId),
    ...(parsed.status === 'PENDING' ? pendingIndex(parsed) : {}),
    ...(parsed.status === 'DECIDED' && parsed.weightedScore !== undefined
      ? rankIndex(parsed, parsed.weightedScore)
      : {}),
  };
}


const parseReview = (item: Record<string, unknown>) => ReviewRecordSchema.parse(withoutKeys(item));


/**
 * What the workflow records on the application item (optional attributes, read on their own so
 * the desk does not depend on the rest of the record's shape).
 */
const WorkflowPointersSchema = z.object({
  executionArn: z.string().min(1).optional(),
  resubmissionToken: z.string().min(1).optional(),
});

export class DynamoReviews implements ReviewStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private key(reviewId: string) {
    const applicationId = applicationIdOfReview(reviewId);
    if (!applicationId) throw new Error(`not a review id: ${reviewId}`);
    return reviewKeys.review(applicationId, reviewId);
  }

  async getReview(reviewId: string): Promise<ReviewRecord | undefined> {
    if (!applicationIdOfReview(reviewId)) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(reviewId), ConsistentRead: true }),
    );
    return Item ? parseReview(Item) : undefined;
  }

  async createReview(review: ReviewRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: reviewItem(review),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async replaceReview(expected: Pick<ReviewRecord, 'status' | 'taskToken'>, next: ReviewRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: reviewItem(next),
          // Exactly the version read: a decision or another re-arm in between wins.
          ConditionExpression: '#status = :status AND taskToken = :token',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': expected.status, ':token': expected.taskToken },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async markEmailed(reviewId: string, at: string, to: string[]): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(reviewId),
        UpdateExpression: 'SET emailedAt = :at, emailedTo = :to',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at, ':to': to },
      }),
    );
  }

  async recordDecision(
    review: ReviewRecord,
    decision: DecisionToRecord,
  ): Promise<{ recorded: true; review: ReviewRecord } | { recorded: false; current: ReviewRecord | undefined }> {
    const sets = ['#status = :decided', 'decision = :decision', 'decidedBy = :by', 'decidedAt = :at'];
    const values: Record<string, unknown> = {
      ':decided': 'DECIDED' satisfies ReviewStatus,
      ':pending': 'PENDING' satisfies ReviewStatus,
      ':decision': decision.decision,
      ':by': decision.decidedBy,
      ':at': decision.decidedAt,
    };
    if (decision.reason !== undefined) {
      sets.push('reason = :reason');
      values[':reason'] = decision.reason;
    }
    if (decision.scores !== undefined && decision.weightedScore !== undefined) {
      sets.push('scores = :scores', 'weightedScore = :weighted', '#g1pk = :g1pk', '#g1sk = :g1sk');
      const rank = rankIndex(review, decision.weightedScore);
      Object.assign(values, {
        ':scores': decision.scores,
        ':weighted': decision.weightedScore,
        ':g1pk': rank[byJurisdiction.partitionKey],
        ':g1sk': rank[byJurisdiction.sortKey],
      });
    }
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(review.reviewId),
          UpdateExpression: `SET ${sets.join(', ')} REMOVE #g2pk, #g2sk`,
          // Once: a second POST, however close behind, finds a decision and changes nothing.
          ConditionExpression: 'attribute_exists(pk) AND #status = :pending AND attribute_not_exists(decision)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#g2pk': byDeadline.partitionKey,
            '#g2sk': byDeadline.sortKey,
            ...(decision.weightedScore !== undefined && {
              '#g1pk': byJurisdiction.partitionKey,
              '#g1sk': byJurisdiction.sortKey,
            }),
          },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (!Attributes) throw new Error(`recording the decision on ${review.reviewId} returned no item`);
      return { recorded: true, review: parseReview(Attributes) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { recorded: false, current: await this.getReview(review.reviewId) };
    }
  }

  /**
   * Adds a reissued link's secret hash to a PENDING review, keeping the `keep` most recent, and
   * appends the audit event, in one transaction. Conditional on the review as read (still
   * PENDING, the same reissued hashes: a concurrent reissue makes this one fail) and, with
   * `resend`, on no resend since `resend.notSince` (lastLinkSentAt), which it then sets.
   * `{ added: false, current }` when a condition failed (current: the review now, if any).
   */
  async addLinkSecret(
    review: ReviewRecord,
    input: { secretHash: string; keep: number; audit: AuditEvent; resend?: { at: string; notSince: string } },
  ): Promise<{ added: true; review: ReviewRecord } | { added: false; current: ReviewRecord | undefined }> {
    const previous = review.extraSecretHashes;
    const hashes = [...(previous ?? []), input.secretHash].slice(-Math.max(1, input.keep));
    const conditions = ['#status = :pending', previous ? '#extra = :previous' : 'attribute_not_exists(#extra)'];
    const values: Record<string, unknown> = {
      ':pending': 'PENDING' satisfies ReviewStatus,
      ':hashes': hashes,
      ...(previous && { ':previous': previous }),
    };
    const sets = ['#extra = :hashes'];
    if (input.resend) {
      conditions.push(review.lastLinkSentAt ? '#sent < :notSince' : 'attribute_not_exists(#sent)');
      if (review.lastLinkSentAt) values[':notSince'] = input.resend.notSince;
      sets.push('#sent = :sentAt');
      values[':sentAt'] = input.resend.at;
    }
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: this.key(review.reviewId),
                UpdateExpression: `SET ${sets.join(', ')}`,
                ConditionExpression: conditions.join(' AND '),
                ExpressionAttributeNames: {
                  '#status': 'status',
                  '#extra': 'extraSecretHashes',
                  ...(input.resend && { '#sent': 'lastLinkSentAt' }),
                },
                ExpressionAttributeValues: values,
              },
            },
            this.auditPut(input.audit),
          ],
        }),
      );
      return {
        added: true,
        review: {
          ...review,
          extraSecretHashes: hashes,
          ...(input.resend && { lastLinkSentAt: input.resend.at }),
        },
      };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { added: false, current: await this.getReview(review.reviewId) };
    }
  }

  async markTaskGone(reviewId: string, usedToken: string, at: string, reason: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(reviewId),
          UpdateExpression: 'SET #status = :expired, closedAt = :at, closedReason = :reason REMOVE #g1pk, #g1sk',
          // Only if no retried task re-armed the review meanwhile (it then delivers the decision).
          ConditionExpression: '#status = :decided AND taskToken = :token',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#g1pk': byJurisdiction.partitionKey,
            '#g1sk': byJurisdiction.sortKey,
          },
          ExpressionAttributeValues: {
            ':expired': 'EXPIRED' satisfies ReviewStatus,
            ':decided': 'DECIDED' satisfies ReviewStatus,
            ':token': usedToken,
            ':at': at,
            ':reason': reason,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async closeReview(
    reviewId: string,
    status: Extract<ReviewStatus, 'WITHDRAWN' | 'CANCELLED'>,
    at: string,
    reason: string,
  ): Promise<ReviewRecord | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(reviewId),
          UpdateExpression: 'SET #status = :closed, closedAt = :at, closedReason = :reason REMOVE #g2pk, #g2sk',
          // A decision and a withdrawal exclude each other: whichever writes first wins.
          ConditionExpression: '#status = :pending AND attribute_not_exists(decision)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#g2pk': byDeadline.partitionKey,
            '#g2sk': byDeadline.sortKey,
          },
          ExpressionAttributeValues: {
            ':closed': status,
            ':pending': 'PENDING' satisfies ReviewStatus,
            ':at': at,
            ':reason': reason,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? parseReview(Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async listApplicationReviews(applicationId: string): Promise<ReviewRecord[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':prefix': 'REVIEW#' },
      ConsistentRead: true,
    });
    return items.map(parseReview);
  }

  async listPending(jurisdictionCode: string): Promise<ReviewRecord[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: byDeadline.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': byDeadline.partitionKey },
      ExpressionAttributeValues: { ':pk': reviewKeys.pendingPartition(jurisdictionCode) },
    });
    // The index is eventually consistent: a review decided a moment ago may still be listed.
    return items.map(parseReview).filter((review) => review.status === 'PENDING');
  }

  async listScored(jurisdictionCode: string, campaignId?: string): Promise<ReviewRecord[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: byJurisdiction.indexName,
      KeyConditionExpression: campaignId ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
      ExpressionAttributeNames: {
        '#pk': byJurisdiction.partitionKey,
        ...(campaignId && { '#sk': byJurisdiction.sortKey }),
      },
      ExpressionAttributeValues: {
        ':pk': reviewKeys.rankPartition(jurisdictionCode),
        ...(campaignId && { ':prefix': `${campaignId}#` }),
      },
      ScanIndexForward: false,
    });
    return items.map(parseReview).filter((review) => review.status === 'DECIDED');
  }

  async reviewers(jurisdictionCode: string): Promise<string[] | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: reviewKeys.reviewers(jurisdictionCode) }),
    );
    return Item ? ReviewerDirectorySchema.parse(withoutKeys(Item)).emails : undefined;
  }

  /** Seeds or replaces a jurisdiction's reviewers (the local demo; later an admin page). */
  async putReviewers(entry: ReviewerDirectoryEntry): Promise<void> {
    const parsed = ReviewerDirectorySchema.parse(entry);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...parsed, ...reviewKeys.reviewers(parsed.jurisdictionCode) },
      }),
    );
  }

  async fileObjection(objection: ObjectionRecord, event: AuditEvent): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              // Only during the public notice: checked where the objection is written.
              ConditionCheck: {
                TableName: this.tableName,
                Key: recordKeys.application(objection.applicationId),
                ConditionExpression: '#status = :notice',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':notice': 'PUBLIC_NOTICE' satisfies ApplicationStatus },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...ObjectionRecordSchema.parse(objection), ...reviewKeys.objection(objection) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            this.auditPut(event),
          ],
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new ConflictError('NOT_IN_PUBLIC_NOTICE', 'Objections are taken only during the public notice', [
        {
          field: 'status',
          code: 'NOT_IN_PUBLIC_NOTICE',
          message: '公示期已结束或尚未开始 / the public notice period is not running',
        },
      ]);
    }
  }

  async listObjections(applicationId: string): Promise<ObjectionRecord[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':prefix': 'OBJECTION#' },
      ConsistentRead: true,
    });
    return items.map((item) => ObjectionRecordSchema.parse(withoutKeys(item)));
  }

  async workflowPointers(applicationId: string): Promise<WorkflowPointers> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: recordKeys.application(applicationId),
        ProjectionExpression: 'executionArn, resubmissionToken',
        ConsistentRead: true,
      }),
    );
    return WorkflowPointersSchema.parse(Item ?? {});
  }

  private auditPut(event: AuditEvent) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...AuditEventSchema.parse(event), ...recordKeys.audit(event) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
}
