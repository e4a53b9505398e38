import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { emitMetric, METRIC } from '../../platform/metrics.ts';
import {
  type ReviewerDirectoryEntry,
  ReviewerDirectorySchema,
  type ReviewerGap,
  ReviewerGapSchema,
} from '../../schemas/reviews.ts';
import { withoutKeys } from '../dynamo-util.ts';
import { REVIEWER_GAPS_PARTITION, reviewKeys, type ReviewTable } from './items.ts';

/**
 * Who reviews for each jurisdiction: the addresses review links are mailed to. A jurisdiction
 * asked to review with nobody registered is noted as a gap (for the ops console) and counted
 * (ReviewersMissing, for the alarm); registering its reviewers closes the gap.
 */
export class ReviewerDirectory {
  constructor(private readonly table: ReviewTable) {}

  async reviewers(jurisdictionCode: string): Promise<string[] | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: reviewKeys.reviewers(jurisdictionCode) }),
    );
    return Item ? ReviewerDirectorySchema.parse(withoutKeys(Item)).emails : undefined;
  }

  /** Registers or replaces a jurisdiction's reviewers, and closes its gap in the same transaction. */
  async putReviewers(entry: ReviewerDirectoryEntry): Promise<void> {
    const parsed = ReviewerDirectorySchema.parse(entry);
    await this.table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table.tableName,
              Item: { ...parsed, ...reviewKeys.reviewers(parsed.jurisdictionCode) },
            },
          },
          // An empty list registers nobody: the gap (if any) stays open.
          ...(parsed.emails.length > 0
            ? [{ Delete: { TableName: this.table.tableName, Key: reviewKeys.reviewerGap(parsed.jurisdictionCode) } }]
            : []),
        ],
      }),
    );
  }

  async noteMissingReviewers(jurisdictionCode: string, at: string, reviewId?: string): Promise<void> {
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: reviewKeys.reviewerGap(jurisdictionCode),
        UpdateExpression: `SET jurisdictionCode = :code, firstSeenAt = if_not_exists(firstSeenAt, :at), lastSeenAt = :at${
          reviewId === undefined ? '' : ', reviewId = :reviewId'
        }`,
        ExpressionAttributeValues: {
          ':code': jurisdictionCode,
          ':at': at,
          ...(reviewId !== undefined && { ':reviewId': reviewId }),
        },
      }),
    );
    // The alarm's metric, and a warning in the function's log (the code and review only: no address).
    emitMetric(METRIC.reviewersMissing);
    console.warn(
      JSON.stringify({
        level: 'WARN',
        message: 'no reviewer registered: no email sent, the review waits',
        jurisdictionCode,
        ...(reviewId !== undefined && { reviewId }),
      }),
    );
  }

  async missingReviewers(): Promise<ReviewerGap[]> {
    const gaps: ReviewerGap[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': REVIEWER_GAPS_PARTITION },
          ...(cursor && { ExclusiveStartKey: cursor }),
        }),
      );
      for (const item of page.Items ?? []) gaps.push(ReviewerGapSchema.parse(withoutKeys(item)));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    // Registered since by other means than putReviewers (an operator's put-item): not a gap any more.
    const registered = new Set<string>();
    for (let start = 0; start < gaps.length; start += 100) {
      let keys: Record<string, unknown>[] = gaps
        .slice(start, start + 100)
        .map((gap) => reviewKeys.reviewers(gap.jurisdictionCode));
      while (keys.length > 0) {
        const read = await this.table.client.send(
          new BatchGetCommand({ RequestItems: { [this.table.tableName]: { Keys: keys } } }),
        );
        for (const item of read.Responses?.[this.table.tableName] ?? []) {
          const entry = ReviewerDirectorySchema.parse(withoutKeys(item));
          if (entry.emails.length > 0) registered.add(entry.jurisdictionCode);
        }
        keys = read.UnprocessedKeys?.[this.table.tableName]?.Keys ?? [];
      }
    }
    return gaps.filter((gap) => !registered.has(gap.jurisdictionCode));
  }
}
