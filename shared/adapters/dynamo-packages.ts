import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type PackageRecord, PackageRecordSchema, type Verification } from '../package/records.ts';
import { ConflictError } from '../platform/errors.ts';
import type { PackageStore } from '../ports/package.ts';
import { isConditionFailure, queryAll, withoutKeys } from './dynamo-util.ts';

/**
 * Submission packages in the table: pk `PACKAGES#<campaign>`, sk `PACKAGE#<package id>` (the id
 * begins with the jurisdiction's code, so one Query lists a province's packages). Every change of
 * status is conditional on the status (and, for the builder, on its own hold).
 */
export const PACKAGES_PREFIX = 'PACKAGES#';
const key = (campaignId: string, packageId: string) => ({
  pk: `${PACKAGES_PREFIX}${campaignId}`,
  sk: `PACKAGE#${packageId}`,
});
const parse = (item: Record<string, unknown>) => PackageRecordSchema.parse(withoutKeys(item));

export class DynamoPackages implements PackageStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(record: PackageRecord): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key(record.campaignId, record.packageId), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError('PACKAGE_EXISTS', `package ${record.packageId} exists`);
      throw error;
    }
  }

  async get(campaignId: string, packageId: string): Promise<PackageRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: key(campaignId, packageId), ConsistentRead: true }),
    );
    return Item ? parse(Item) : undefined;
  }

  async list(campaignId: string, jurisdictionCode?: string): Promise<PackageRecord[]> {
    const items = await queryAll(this.client, this.table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: {
        ':pk': `${PACKAGES_PREFIX}${campaignId}`,
        ':sk': `PACKAGE#${jurisdictionCode === undefined ? '' : `${jurisdictionCode}-`}`,
      },
    });
    return items
      .map(parse)
      .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt) || b.packageId.localeCompare(a.packageId));
  }

  async claim(campaignId: string, packageId: string, now: string, until: string): Promise<PackageRecord | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(campaignId, packageId),
          UpdateExpression: 'SET claimedUntil = :until, attempts = if_not_exists(attempts, :zero) + :one',
          ConditionExpression: '#status = :building AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':until': until, ':now': now, ':building': 'BUILDING', ':zero': 0, ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? parse(Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async progress(campaignId: string, packageId: string, progress: { files: number; bytes: number; at: string }) {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(campaignId, packageId),
          UpdateExpression: 'SET progress = :progress',
          ConditionExpression: '#status = :building',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':progress': progress, ':building': 'BUILDING' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  ready(record: PackageRecord, claimedUntil: string, result: Parameters<PackageStore['ready']>[2]): Promise<boolean> {
    return this.finish(record, claimedUntil, { ...result, status: 'READY' });
  }

  failed(
    record: PackageRecord,
    claimedUntil: string,
    failure: { failedAt: string; failure: string },
  ): Promise<boolean> {
    return this.finish(record, claimedUntil, { ...failure, status: 'FAILED' });
  }

  async requestVerification(campaignId: string, packageId: string, verification: Verification): Promise<boolean> {
    return this.conditional(campaignId, packageId, {
      UpdateExpression: 'SET verification = :verification',
      ConditionExpression: '#status = :ready',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':verification': verification, ':ready': 'READY' },
    });
  }

  async verified(campaignId: string, packageId: string, verification: Verification): Promise<boolean> {
    return this.conditional(campaignId, packageId, {
      UpdateExpression: 'SET verification = :verification',
      ConditionExpression: 'verification.requestId = :requestId',
      ExpressionAttributeValues: { ':verification': verification, ':requestId': verification.requestId },
    });
  }

  private async finish(record: PackageRecord, claimedUntil: string, fields: Record<string, unknown>): Promise<boolean> {
    const set = Object.entries(fields).filter(([, value]) => value !== undefined);
    return this.conditional(record.campaignId, record.packageId, {
      UpdateExpression: `SET ${set.map((_, i) => `#f${i} = :f${i}`).join(', ')} REMOVE claimedUntil, progress`,
      ConditionExpression: '#status = :building AND claimedUntil = :claim',
      ExpressionAttributeNames: {
        '#status': 'status',
        ...Object.fromEntries(set.map(([name], i) => [`#f${i}`, name])),
      },
      ExpressionAttributeValues: {
        ':building': 'BUILDING',
        ':claim': claimedUntil,
        ...Object.fromEntries(set.map(([, value], i) => [`:f${i}`, value])),
      },
    });
  }

  private async conditional(
    campaignId: string,
    packageId: string,
    update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>,
  ): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand({ TableName: this.table, Key: key(campaignId, packageId), ...update }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
