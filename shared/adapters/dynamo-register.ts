import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AddOutcome, EntryFilings, RecognizedApplications, RegisterStore } from '../ports/register.ts';
import type { Track } from '../schemas/common.ts';
import { provinceOf, type RegisterEntry, RegisterEntrySchema } from '../register/entry.ts';
import { type ApplicationRecord, ApplicationRecordSchema } from '../schemas/records.ts';
import { deadlineIndexKeys, keys as recordKeys } from './dynamo-records/keys.ts';
import { queryAll, withoutKeys } from './dynamo-util.ts';
import { INDEXES, TABLE_KEY } from './table.ts';

/**
 * The register of recognised clusters in the one table (docs/data-model.md):
 *   register entry  pk REGISTER#<province code>  sk ENTRY#<entryId>
 *                   gsi1pk REGISTER             gsi1sk <province code>#<entryId>
 * The entry id is the natural key (level#cohort#county#normalised name), so writing an entry is
 * conditional on its key being absent: a re-import, a retried Recognize task or a second run of
 * the migration writes nothing. A province's entries are one partition; the national view is
 * one Query of the byJurisdiction index (the register holds thousands of entries, not millions).
 * The history of an entry's states lives in the entry, changed with it under its revision.
 */
export const REGISTER_PREFIX = 'REGISTER#';
export const REGISTER_INDEX_PARTITION = 'REGISTER';

const { byJurisdiction, byDeadline } = INDEXES;

export const registerKeys = (entry: Pick<RegisterEntry, 'entryId' | 'countyCode'>) => ({
  [TABLE_KEY.partitionKey]: `${REGISTER_PREFIX}${provinceOf(entry.countyCode)}`,
  [TABLE_KEY.sortKey]: `ENTRY#${entry.entryId}`,
});

/** The county code inside an entry id (level#cohort#county#name). */
const countyOfEntryId = (entryId: string): string | undefined => /^[a-z]+#\d{4}#(\d{6})#/u.exec(entryId)?.[1];

const parseEntry = (item: Record<string, unknown>): RegisterEntry => RegisterEntrySchema.parse(withoutKeys(item));

export class DynamoRegister implements RegisterStore, RecognizedApplications, EntryFilings {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private item(entry: RegisterEntry) {
    return {
      ...entry,
      ...registerKeys(entry),
      [byJurisdiction.partitionKey]: REGISTER_INDEX_PARTITION,
      [byJurisdiction.sortKey]: `${entry.provinceCode}#${entry.entryId}`,
    };
  }

  async add(entry: RegisterEntry): Promise<AddOutcome> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(RegisterEntrySchema.parse(entry)),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEY.partitionKey },
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'existing';
      throw error;
    }
  }

  async replace(entry: RegisterEntry, expectedRevision: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(RegisterEntrySchema.parse(entry)),
          ConditionExpression: '#revision = :expected',
          ExpressionAttributeNames: { '#revision': 'revision' },
          ExpressionAttributeValues: { ':expected': expectedRevision },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async get(entryId: string): Promise<RegisterEntry | undefined> {
    const countyCode = countyOfEntryId(entryId);
    if (!countyCode) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: registerKeys({ entryId, countyCode }), ConsistentRead: true }),
    );
    return Item ? parseEntry(Item) : undefined;
  }

  async ofProvince(provinceCode: string): Promise<RegisterEntry[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :entry)',
      ExpressionAttributeNames: { '#pk': TABLE_KEY.partitionKey, '#sk': TABLE_KEY.sortKey },
      ExpressionAttributeValues: { ':pk': `${REGISTER_PREFIX}${provinceCode}`, ':entry': 'ENTRY#' },
    });
    return items.map(parseEntry);
  }

  /** The county's entries: its province's partition, filtered (a province holds tens to hundreds). */
  async ofCounty(countyCode: string): Promise<RegisterEntry[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :entry)',
      FilterExpression: '#county = :county',
      ExpressionAttributeNames: { '#pk': TABLE_KEY.partitionKey, '#sk': TABLE_KEY.sortKey, '#county': 'countyCode' },
      ExpressionAttributeValues: {
        ':pk': `${REGISTER_PREFIX}${provinceOf(countyCode)}`,
        ':entry': 'ENTRY#',
        ':county': countyCode,
      },
    });
    return items.map(parseEntry);
  }

  /** Every entry, through byJurisdiction (eventually consistent: an entry just written may show a moment later). */
  async all(): Promise<RegisterEntry[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: byJurisdiction.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': byJurisdiction.partitionKey },
      ExpressionAttributeValues: { ':pk': REGISTER_INDEX_PARTITION },
    });
    return items.map(parseEntry);
  }

  /**
   * The application filed for an entry: the one-filing-per-entry guard (dynamo-records/keys.ts) names
   * it, then the application itself. Two reads, each strongly consistent.
   */
  async filingOf(key: {
    campaignId: string;
    track: Track;
    countyCode: string;
    entryId: string;
  }): Promise<ApplicationRecord | undefined> {
    const guard = recordKeys.clusterGuard({ ...key, clusterName: '', registerEntryId: key.entryId });
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: guard, ConsistentRead: true }),
    );
    if (typeof Item?.applicationId !== 'string') return undefined;
    const found = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: recordKeys.application(Item.applicationId),
        ConsistentRead: true,
      }),
    );
    return found.Item ? ApplicationRecordSchema.parse(withoutKeys(found.Item)) : undefined;
  }

  /** RECOGNIZED applications: byDeadline's VALID partition (by the end of their validity). */
  async recognized(): Promise<ApplicationRecord[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: byDeadline.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': byDeadline.partitionKey },
      ExpressionAttributeValues: { ':pk': deadlineIndexKeys.validPartition },
    });
    return items.map((item) => ApplicationRecordSchema.parse(withoutKeys(item)));
  }
}
