import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NoticeBoard } from '../ports/notice.ts';
import type { ApplicationStatus } from '../schemas/common.ts';
import { type ApplicationRecord, ApplicationRecordSchema } from '../schemas/records.ts';
import { deadlineIndexKeys } from './dynamo-records/keys.ts';
import { queryAll, withoutKeys } from './dynamo-util.ts';
import { INDEXES } from './table.ts';

const { byDeadline } = INDEXES;
const NOTICE: ApplicationStatus = 'PUBLIC_NOTICE';

/**
 * What is in public notice, through byDeadline (never a Scan): an application in notice is open,
 * so it sits in its campaign's `DUE#<campaignId>` partition; one Query per campaign, keeping
 * those in PUBLIC_NOTICE. The index is eventually consistent: a notice that began a moment ago
 * may show a moment later.
 */
export class DynamoNoticeBoard implements NoticeBoard {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async inNotice(campaignIds: readonly string[]): Promise<ApplicationRecord[]> {
    const pages = await Promise.all(
      campaignIds.map((campaignId) =>
        queryAll(this.client, this.tableName, {
          IndexName: byDeadline.indexName,
          KeyConditionExpression: '#pk = :pk',
          FilterExpression: '#status = :notice',
          ExpressionAttributeNames: { '#pk': byDeadline.partitionKey, '#status': 'status' },
          ExpressionAttributeValues: { ':pk': deadlineIndexKeys.duePartition(campaignId), ':notice': NOTICE },
        }),
      ),
    );
    return pages.flat().map((item) => ApplicationRecordSchema.parse(withoutKeys(item)));
  }
}
