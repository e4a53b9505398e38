import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { FileOutcome, RevocationStore } from '../ports/revocation.ts';
import { type RevocationRequest, RevocationRequestSchema } from '../revocation/request.ts';
import { queryAll, transactWrite, withoutKeys } from './dynamo-util.ts';
import { TABLE_KEY } from './table.ts';

/**
 * Requests to cancel for false information, in the one table (docs/revocation.md):
 *   request   pk REVOCATIONS  sk REQUEST#<requestId>
 *   open key  pk REVOCATIONS  sk OPEN#<ENTRY#entryId | APP#applicationId>   requestId
 * The open key lets a cluster have one open request at a time: filing puts it (absent), a
 * decision deletes it, each in the request's own transaction. Requests are a handful a year, so
 * they share one partition and the console reads them with one Query.
 */
export const REVOCATIONS_PARTITION = 'REVOCATIONS';

const { partitionKey: PK, sortKey: SK } = TABLE_KEY;
const requestKey = (requestId: string) => ({ [PK]: REVOCATIONS_PARTITION, [SK]: `REQUEST#${requestId}` });
const openKey = (key: string) => ({ [PK]: REVOCATIONS_PARTITION, [SK]: `OPEN#${key}` });

const parse = (item: Record<string, unknown>): RevocationRequest => RevocationRequestSchema.parse(withoutKeys(item));

export class DynamoRevocations implements RevocationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async file(request: RevocationRequest, key: string): Promise<FileOutcome> {
    const reasons = await transactWrite(this.client, [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...openKey(key), requestId: request.requestId },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...RevocationRequestSchema.parse(request), ...requestKey(request.requestId) },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        },
      },
    ]);
    if (!reasons) return { filed: true };
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: openKey(key), ConsistentRead: true }),
    );
    const open: unknown = Item?.requestId;
    return { filed: false, openRequestId: typeof open === 'string' ? open : undefined };
  }

  async get(requestId: string): Promise<RevocationRequest | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: requestKey(requestId), ConsistentRead: true }),
    );
    return Item ? parse(Item) : undefined;
  }

  async list(): Promise<RevocationRequest[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :request)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': REVOCATIONS_PARTITION, ':request': 'REQUEST#' },
      ConsistentRead: true,
    });
    return items.map(parse).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  }

  async replace(request: RevocationRequest, expectedRevision: number, closeOpenKey?: string): Promise<boolean> {
    const reasons = await transactWrite(this.client, [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...RevocationRequestSchema.parse(request), ...requestKey(request.requestId) },
          ConditionExpression: '#revision = :expected',
          ExpressionAttributeNames: { '#revision': 'revision' },
          ExpressionAttributeValues: { ':expected': expectedRevision },
        },
      },
      ...(closeOpenKey === undefined ? [] : [{ Delete: { TableName: this.tableName, Key: openKey(closeOpenKey) } }]),
    ]);
    return reasons === undefined;
  }
}
