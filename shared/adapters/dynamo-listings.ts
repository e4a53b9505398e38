import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ApplicationRecord, ApplicationRecordSchema } from '../schemas/records.ts';
import type { CountyListings } from '../ports/intake.ts';
import { INDEXES } from './table.ts';
import { queryAll, withoutKeys } from './dynamo-util.ts';

/**
 * Lists of applications, read through the byJurisdiction index (never a Scan): an application
 * item carries gsi1pk `JUR#<provincialCode>` and gsi1sk `<campaignId>#<status>#<countyCode>#<id>`
 * (shared/adapters/dynamo-records/keys.ts), so one Query with begins_with(gsi1sk, `<campaignId>#`)
 * lists a provincial-rank jurisdiction's applications of one campaign, every track and status.
 * Used by the summary tables and the ops console.
 */
export const jurisdictionPartition = (provincialCode: string) => `JUR#${provincialCode}`;

const { byJurisdiction } = INDEXES;

const parseApplication = (item: Record<string, unknown>): ApplicationRecord =>
  ApplicationRecordSchema.parse(withoutKeys(item));

export class DynamoListings implements CountyListings {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * A province's (municipality's, planned city's, XPCC's) applications in a campaign, ordered by
   * status, county and id. The index is eventually consistent: a change made a moment ago may
   * not show yet.
   */
  async applicationsOf(provincialCode: string, campaignId: string): Promise<ApplicationRecord[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: byJurisdiction.indexName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': byJurisdiction.partitionKey, '#sk': byJurisdiction.sortKey },
      ExpressionAttributeValues: { ':pk': jurisdictionPartition(provincialCode), ':prefix': `${campaignId}#` },
    });
    return items.map(parseApplication);
  }

  /**
   * One county's applications in a campaign: the same Query over its province's partition, with
   * the county as a filter (the sort key orders by status before county, so begins_with cannot
   * pin it; a province files tens of applications a year, not thousands).
   */
  async applicationsOfCounty(
    countyCode: string,
    provincialCode: string,
    campaignId: string,
  ): Promise<ApplicationRecord[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: byJurisdiction.indexName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      FilterExpression: '#county = :county',
      ExpressionAttributeNames: {
        '#pk': byJurisdiction.partitionKey,
        '#sk': byJurisdiction.sortKey,
        '#county': 'countyCode',
      },
      ExpressionAttributeValues: {
        ':pk': jurisdictionPartition(provincialCode),
        ':prefix': `${campaignId}#`,
        ':county': countyCode,
      },
    });
    return items.map(parseApplication);
  }
}
