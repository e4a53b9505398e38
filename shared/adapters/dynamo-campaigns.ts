import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../platform/errors.ts';
import type { CampaignStore } from '../ports/intake.ts';
import { type Campaign } from '../rules/campaign.ts';
import { StoredCampaignSchema } from '../rules/stored-campaign.ts';
import { isConditionFailure, queryAll } from './dynamo-util.ts';

/** Campaigns operators added (a new year's call): one partition, read with a Query. */
export const campaignKey = (campaignId: string) => ({ pk: 'CAMPAIGNS', sk: `CAMPAIGN#${campaignId}` });

export class DynamoCampaigns implements CampaignStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putCampaign(campaign: Campaign, at: string): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...campaignKey(campaign.campaignId), definition: campaign, storedAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError('CAMPAIGN_EXISTS', `Campaign ${campaign.campaignId} already exists`, [
          { field: 'campaignId', code: 'CAMPAIGN_EXISTS', message: 'a campaign with this id exists' },
        ]);
      }
      throw error;
    }
  }

  async getStoredCampaign(campaignId: string): Promise<Campaign | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: campaignKey(campaignId) }),
    );
    return Item ? StoredCampaignSchema.parse(Item.definition) : undefined;
  }

  async listStoredCampaigns(): Promise<Campaign[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'CAMPAIGNS', ':prefix': 'CAMPAIGN#' },
    });
    return items.map((item) => StoredCampaignSchema.parse(item.definition));
  }
}
