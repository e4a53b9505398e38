import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type ReviewerDirectoryEntry, ReviewerDirectorySchema } from '../../schemas/reviews.ts';
import { withoutKeys } from '../dynamo-util.ts';
import { reviewKeys, type ReviewTable } from './items.ts';

/** Who reviews for each jurisdiction: the addresses review links are mailed to. */
export class ReviewerDirectory {
  constructor(private readonly table: ReviewTable) {}

  async reviewers(jurisdictionCode: string): Promise<string[] | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: reviewKeys.reviewers(jurisdictionCode) }),
    );
    return Item ? ReviewerDirectorySchema.parse(withoutKeys(Item)).emails : undefined;
  }

  /** Seeds or replaces a jurisdiction's reviewers (the local demo; later an admin page). */
  async putReviewers(entry: ReviewerDirectoryEntry): Promise<void> {
    const parsed = ReviewerDirectorySchema.parse(entry);
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { ...parsed, ...reviewKeys.reviewers(parsed.jurisdictionCode) },
      }),
    );
  }
}
