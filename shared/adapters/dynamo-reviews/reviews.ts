import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { applicationIdOfReview, type ReviewRecord } from '../../schemas/reviews.ts';
import { isConditionFailure, queryAll } from '../dynamo-util.ts';
import { deadlineIndexKeys } from '../dynamo-records/keys.ts';
import { INDEXES } from '../table.ts';
import { parseReview, reviewItem, reviewKey, reviewKeys, type ReviewTable } from './items.ts';

const { byDeadline, byJurisdiction } = INDEXES;

/** Reviews as whole items: read, created, replaced as read, and listed by application, inbox and rank. */
export class ReviewItems {
  constructor(private readonly table: ReviewTable) {}

  async getReview(reviewId: string): Promise<ReviewRecord | undefined> {
    if (!applicationIdOfReview(reviewId)) return undefined;
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: reviewKey(reviewId), ConsistentRead: true }),
    );
    return Item ? parseReview(Item) : undefined;
  }

  async createReview(review: ReviewRecord): Promise<boolean> {
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
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
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
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
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: reviewKey(reviewId),
        UpdateExpression: 'SET emailedAt = :at, emailedTo = :to',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at, ':to': to },
      }),
    );
  }

  async listApplicationReviews(applicationId: string): Promise<ReviewRecord[]> {
    const items = await queryAll(this.table.client, this.table.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':prefix': 'REVIEW#' },
      ConsistentRead: true,
    });
    return items.map(parseReview);
  }

  async listPending(jurisdictionCode: string): Promise<ReviewRecord[]> {
    const items = await queryAll(this.table.client, this.table.tableName, {
      IndexName: byDeadline.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': byDeadline.partitionKey },
      ExpressionAttributeValues: { ':pk': reviewKeys.pendingPartition(jurisdictionCode) },
    });
    // The index is eventually consistent: a review decided a moment ago may still be listed.
    return items.map(parseReview).filter((review) => review.status === 'PENDING');
  }

  async listLapsed(jurisdictionCode: string, since: string): Promise<ReviewRecord[]> {
    const items = await queryAll(this.table.client, this.table.tableName, {
      IndexName: byDeadline.indexName,
      KeyConditionExpression: '#pk = :pk AND #sk >= :since',
      ExpressionAttributeNames: { '#pk': byDeadline.partitionKey, '#sk': byDeadline.sortKey },
      ExpressionAttributeValues: {
        ':pk': reviewKeys.lapsedPartition(jurisdictionCode),
        ':since': deadlineIndexKeys.sortKey(since, ''),
      },
    });
    return items.map(parseReview).filter((review) => review.status === 'EXPIRED');
  }

  async listScored(jurisdictionCode: string, campaignId?: string): Promise<ReviewRecord[]> {
    const items = await queryAll(this.table.client, this.table.tableName, {
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
}
