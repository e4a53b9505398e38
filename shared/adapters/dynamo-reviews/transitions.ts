import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DecisionToRecord } from '../../ports/review.ts';
import type { AuditEvent } from '../../schemas/records.ts';
import type { ReviewRecord, ReviewStatus } from '../../schemas/reviews.ts';
import { isConditionFailure } from '../dynamo-util.ts';
import { INDEXES } from '../table.ts';
import { deadlineIndexKeys, keys as recordKeys } from '../dynamo-records/keys.ts';
import { auditPut, parseReview, rankIndex, reviewKey, reviewKeys, type ReviewTable } from './items.ts';
import type { ReviewItems } from './reviews.ts';

const { byDeadline, byJurisdiction } = INDEXES;

/**
 * A review's conditional status changes: decided once, a link reissued while pending, expired
 * when its task is gone, closed by withdrawal or cancellation. Each is conditional on the review
 * as read, so of two racing writers exactly one wins.
 */
export class ReviewTransitions {
  constructor(
    private readonly table: ReviewTable,
    private readonly reviews: ReviewItems,
  ) {}

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
    if (decision.checks !== undefined) {
      sets.push('checks = :checks');
      values[':checks'] = decision.checks;
    }
    if (decision.sampling !== undefined) {
      sets.push('sampling = :sampling');
      values[':sampling'] = decision.sampling;
    }
    if (decision.alsoNational !== undefined) {
      sets.push('alsoNational = :also');
      values[':also'] = decision.alsoNational;
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
      // The decision and the event naming who took it, in one transaction: neither without the other.
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table.tableName,
                Key: reviewKey(review.reviewId),
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
              },
            },
            auditPut(this.table.tableName, decision.audit),
            // The city's "also national" statement goes on the application too, which the summary
            // tables read. The workflow's next write copies it on (it re-reads the application).
            ...(decision.alsoNational === undefined
              ? []
              : [
                  {
                    Update: {
                      TableName: this.table.tableName,
                      Key: recordKeys.application(review.applicationId),
                      // The province's exception goes with it; a later statement without one clears it.
                      UpdateExpression:
                        decision.nationalException === true
                          ? 'SET alsoNational = :also, nationalException = :exception'
                          : 'SET alsoNational = :also REMOVE nationalException',
                      ConditionExpression: 'attribute_exists(pk)',
                      ExpressionAttributeValues: {
                        ':also': decision.alsoNational,
                        ...(decision.nationalException === true && { ':exception': true }),
                      },
                    },
                  },
                ]),
          ],
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { recorded: false, current: await this.reviews.getReview(review.reviewId) };
    }
    // A transaction returns no item: read it back (consistently), with the token a retried task
    // may have re-armed it with since it was read.
    const recorded = await this.reviews.getReview(review.reviewId);
    if (!recorded) throw new Error(`the decided review ${review.reviewId} could not be read back`);
    return { recorded: true, review: recorded };
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
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table.tableName,
                Key: reviewKey(review.reviewId),
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
            auditPut(this.table.tableName, input.audit),
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
      return { added: false, current: await this.reviews.getReview(review.reviewId) };
    }
  }

  /**
   * DECIDED → EXPIRED, with the audit event that says the decision did not take effect, in one
   * transaction: the trail must not keep a REVIEW_APPROVED that nothing acted on without saying so.
   */
  async markTaskGone(
    reviewId: string,
    usedToken: string,
    at: string,
    reason: string,
    audit: AuditEvent,
  ): Promise<boolean> {
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table.tableName,
                Key: reviewKey(reviewId),
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
              },
            },
            auditPut(this.table.tableName, audit),
          ],
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
      const { Attributes } = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: reviewKey(reviewId),
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

  /**
   * PENDING → EXPIRED when the workflow closed the application around the review (its stage timed
   * out). Under the same condition as closeReview, so a decision and the expiry exclude each other,
   * and a retried closing finds it EXPIRED and changes nothing. It leaves the inbox's pending
   * partition for the lapsed one, under the same deadline sort key.
   */
  async expireReview(
    review: Pick<ReviewRecord, 'reviewId' | 'jurisdictionCode' | 'deadline'>,
    at: string,
    reason: string,
  ): Promise<ReviewRecord | undefined> {
    try {
      const { Attributes } = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: reviewKey(review.reviewId),
          UpdateExpression:
            'SET #status = :expired, closedAt = :at, closedReason = :reason, #g2pk = :lapsed, #g2sk = :due',
          ConditionExpression: '#status = :pending AND attribute_not_exists(decision)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#g2pk': byDeadline.partitionKey,
            '#g2sk': byDeadline.sortKey,
          },
          ExpressionAttributeValues: {
            ':expired': 'EXPIRED' satisfies ReviewStatus,
            ':pending': 'PENDING' satisfies ReviewStatus,
            ':at': at,
            ':reason': reason,
            ':lapsed': reviewKeys.lapsedPartition(review.jurisdictionCode),
            ':due': deadlineIndexKeys.sortKey(review.deadline, review.reviewId),
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
}
