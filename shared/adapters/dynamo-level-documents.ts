import { GetCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LevelDocumentStore } from '../ports/level-documents.ts';
import type { LevelDocumentKind, LevelDocumentRef } from '../ports/steps.ts';
import {
  type LevelDocumentRecord,
  LevelDocumentRecordSchema,
  refOf,
  type SummaryTable,
  SummaryTableSchema,
} from '../review/level-documents/records.ts';
import type { Track } from '../schemas/common.ts';
import { isConditionFailure, queryAll, transactWrite, withoutKeys } from './dynamo-util.ts';

/**
 * A level's own documents in the one table:
 *
 *   document  pk LEVELDOC#LEVEL#<jurisdictionCode>#<campaignId>#<track>  sk DOC#<documentId>
 *   pointer   pk LEVELDOC#<documentId>                                   sk POINTER   (jurisdictionCode, campaignId, track)
 *
 * The documents of one level, campaign and track share a partition, so what a level filed (and
 * which of it is VALID, for the formal-letter gate) is one strongly consistent Query; the pointer
 * lets the validator, which knows only the object key (the document id), find the document.
 * Both are written together when the upload is asked for. Every key begins LEVELDOC#, the one
 * prefix the functions' grants name for these items.
 */
export const levelDocumentKeys = {
  levelPartition: (jurisdictionCode: string, campaignId: string, track: string) =>
    `LEVELDOC#LEVEL#${jurisdictionCode}#${campaignId}#${track}`,
  document: (document: Pick<LevelDocumentRecord, 'jurisdictionCode' | 'campaignId' | 'track' | 'documentId'>) => ({
    pk: levelDocumentKeys.levelPartition(document.jurisdictionCode, document.campaignId, document.track),
    sk: `DOC#${document.documentId}`,
  }),
  pointer: (documentId: string) => ({ pk: `LEVELDOC#${documentId}`, sk: 'POINTER' }),
};

const parse = (item: Record<string, unknown>) => LevelDocumentRecordSchema.parse(withoutKeys(item));

export class DynamoLevelDocuments implements LevelDocumentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(document: LevelDocumentRecord): Promise<boolean> {
    const parsed = LevelDocumentRecordSchema.parse(document);
    const reasons = await transactWrite(this.client, [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...parsed, ...levelDocumentKeys.document(parsed) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...levelDocumentKeys.pointer(parsed.documentId),
            documentId: parsed.documentId,
            jurisdictionCode: parsed.jurisdictionCode,
            campaignId: parsed.campaignId,
            track: parsed.track,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
    return reasons === undefined;
  }

  async get(documentId: string): Promise<LevelDocumentRecord | undefined> {
    const pointer = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: levelDocumentKeys.pointer(documentId), ConsistentRead: true }),
    );
    const at = pointer.Item as { jurisdictionCode?: string; campaignId?: string; track?: string } | undefined;
    if (!at?.jurisdictionCode || !at.campaignId || !at.track) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: levelDocumentKeys.document({
          jurisdictionCode: at.jurisdictionCode,
          campaignId: at.campaignId,
          track: at.track as Track,
          documentId,
        }),
        ConsistentRead: true,
      }),
    );
    return Item ? parse(Item) : undefined;
  }

  async recordValidation(document: LevelDocumentRecord): Promise<boolean> {
    if (!document.validatedSequencer) throw new Error('recordValidation needs the S3 event sequencer');
    const parsed = LevelDocumentRecordSchema.parse(document);
    const reasons = await transactWrite(this.client, [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...parsed, ...levelDocumentKeys.document(parsed) },
          // The first verdict stands: a replay, or a second object for the key, changes nothing.
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(validatedSequencer)',
        },
      },
    ]);
    return reasons === undefined;
  }

  async attachSummaryTable(documentId: string, table: SummaryTable): Promise<boolean> {
    const document = await this.get(documentId);
    if (!document) return false;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: levelDocumentKeys.document(document),
          UpdateExpression: 'SET summaryTable = :table',
          ConditionExpression: 'attribute_exists(pk) AND #status = :valid AND attribute_not_exists(summaryTable)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':table': SummaryTableSchema.parse(table), ':valid': 'VALID' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listFiled(jurisdictionCode: string, campaignId: string, track: Track): Promise<LevelDocumentRecord[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :doc)',
      ExpressionAttributeValues: {
        ':pk': levelDocumentKeys.levelPartition(jurisdictionCode, campaignId, track),
        ':doc': 'DOC#',
      },
      ConsistentRead: true,
    });
    return items.map(parse).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  }

  async valid(
    campaignId: string,
    track: Track,
    jurisdictionCode: string,
    kind: LevelDocumentKind,
  ): Promise<LevelDocumentRef[]> {
    const filed = await this.listFiled(jurisdictionCode, campaignId, track);
    return filed
      .filter((document) => document.kind === kind && document.status === 'VALID')
      .map(refOf)
      .sort((a, b) => a.validatedAt.localeCompare(b.validatedAt));
  }
}
