import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ObjectionStore } from '../../ports/notice.ts';
import type { ApplicationStatus } from '../../schemas/common.ts';
import type { AuditEvent } from '../../schemas/records.ts';
import { type ObjectionRecord, ObjectionRecordSchema } from '../../schemas/reviews.ts';
import { keys as recordKeys } from '../dynamo-records/keys.ts';
import { isConditionFailure, queryAll, withoutKeys } from '../dynamo-util.ts';
import { INDEXES } from '../table.ts';
import { auditPut, reviewKeys, type ReviewTable } from './items.ts';

/**
 * Objections to an application in its public notice (公示), beside its reviews:
 *
 *   objection  pk APP#<applicationId>   sk OBJECTION#<filedAt>#<objectionId>
 *                untriaged: gsi2pk OBJECTIONS#OPEN  gsi2sk <filedAt>#<objectionId>  (byDeadline: the triage list)
 *   receipt    pk OBJECTION#<objectionId>  sk RECEIPT   objectionPk, objectionSk: where the objection is
 *
 * Objections are few (a notice's worth a year), so the untriaged ones share one index partition
 * and the triage page filters them by the level each is addressed to.
 */
export const OPEN_OBJECTIONS_PARTITION = 'OBJECTIONS#OPEN';
const { byDeadline } = INDEXES;
const NOTICE: ApplicationStatus = 'PUBLIC_NOTICE';

const receiptKey = (objectionId: string) => ({ pk: `OBJECTION#${objectionId}`, sk: 'RECEIPT' });

/** Where the receipt points: the objection's own key. */
const objectionPointer = (objection: ObjectionRecord) => {
  const { pk, sk } = reviewKeys.objection(objection);
  return { objectionPk: pk, objectionSk: sk };
};

const openIndex = (objection: ObjectionRecord) => ({
  [byDeadline.partitionKey]: OPEN_OBJECTIONS_PARTITION,
  [byDeadline.sortKey]: `${objection.filedAt}#${objection.objectionId}`,
});

function objectionItem(objection: ObjectionRecord) {
  const parsed = ObjectionRecordSchema.parse(objection);
  return { ...parsed, ...reviewKeys.objection(parsed), ...(parsed.resolved ? {} : openIndex(parsed)) };
}

const parse = (item: Record<string, unknown>) => ObjectionRecordSchema.parse(withoutKeys(item));

export class ObjectionItems implements ObjectionStore {
  constructor(private readonly table: ReviewTable) {}

  async fileObjection(objection: ObjectionRecord, event: AuditEvent): Promise<boolean> {
    const { tableName } = this.table;
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              // Only while the notice runs: checked where the objection is written.
              ConditionCheck: {
                TableName: tableName,
                Key: recordKeys.application(objection.applicationId),
                ConditionExpression: '#status = :notice AND #endsAt > :now',
                ExpressionAttributeNames: { '#status': 'status', '#endsAt': 'noticeEndsAt' },
                ExpressionAttributeValues: { ':notice': NOTICE, ':now': objection.filedAt },
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: objectionItem(objection),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: { ...receiptKey(objection.objectionId), ...objectionPointer(objection) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            auditPut(tableName, event),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listObjections(applicationId: string): Promise<ObjectionRecord[]> {
    const items = await queryAll(this.table.client, this.table.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':prefix': 'OBJECTION#' },
      ConsistentRead: true,
    });
    return items.map(parse);
  }

  async findObjection(objectionId: string): Promise<ObjectionRecord | undefined> {
    const { client, tableName } = this.table;
    const receipt = await client.send(new GetCommand({ TableName: tableName, Key: receiptKey(objectionId) }));
    const pk: unknown = receipt.Item?.objectionPk;
    const sk: unknown = receipt.Item?.objectionSk;
    if (typeof sk !== 'string' || typeof pk !== 'string') return undefined;
    const found = await client.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }));
    return found.Item ? parse(found.Item) : undefined;
  }

  async listUntriaged(): Promise<ObjectionRecord[]> {
    const items = await queryAll(this.table.client, this.table.tableName, {
      IndexName: byDeadline.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': byDeadline.partitionKey },
      ExpressionAttributeValues: { ':pk': OPEN_OBJECTIONS_PARTITION },
    });
    return items.map(parse);
  }

  async triage(
    objection: ObjectionRecord,
    triaged: ObjectionRecord,
    event: AuditEvent,
  ): Promise<{ triaged: true } | { triaged: false; current: ObjectionRecord | undefined }> {
    const { client, tableName } = this.table;
    const key = reviewKeys.objection(objection);
    // An upheld objection sends the application back when its notice closes: it must still be in notice.
    const stillInNotice = {
      ConditionCheck: {
        TableName: tableName,
        Key: recordKeys.application(objection.applicationId),
        ConditionExpression: '#status = :notice',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':notice': NOTICE },
      },
    };
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: objectionItem(triaged),
                ConditionExpression: 'attribute_exists(pk) AND #resolved = :untriaged',
                ExpressionAttributeNames: { '#resolved': 'resolved' },
                ExpressionAttributeValues: { ':untriaged': false },
              },
            },
            ...(triaged.outcome === 'upheld' ? [stillInNotice] : []),
            auditPut(tableName, event),
          ],
        }),
      );
      return { triaged: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      return { triaged: false, current: current.Item ? parse(current.Item) : undefined };
    }
  }
}
