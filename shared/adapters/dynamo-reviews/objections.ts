import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../platform/errors.ts';
import type { ApplicationStatus } from '../../schemas/common.ts';
import type { AuditEvent } from '../../schemas/records.ts';
import { type ObjectionRecord, ObjectionRecordSchema } from '../../schemas/reviews.ts';
import { keys as recordKeys } from '../dynamo-records.ts';
import { isConditionFailure, queryAll, withoutKeys } from '../dynamo-util.ts';
import { auditPut, reviewKeys, type ReviewTable } from './items.ts';

/** Objections to an application in its public notice (公示), beside its reviews. */
export class ObjectionItems {
  constructor(private readonly table: ReviewTable) {}

  async fileObjection(objection: ObjectionRecord, event: AuditEvent): Promise<void> {
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              // Only during the public notice: checked where the objection is written.
              ConditionCheck: {
                TableName: this.table.tableName,
                Key: recordKeys.application(objection.applicationId),
                ConditionExpression: '#status = :notice',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':notice': 'PUBLIC_NOTICE' satisfies ApplicationStatus },
              },
            },
            {
              Put: {
                TableName: this.table.tableName,
                Item: { ...ObjectionRecordSchema.parse(objection), ...reviewKeys.objection(objection) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            auditPut(this.table.tableName, event),
          ],
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new ConflictError('NOT_IN_PUBLIC_NOTICE', 'Objections are taken only during the public notice', [
        {
          field: 'status',
          code: 'NOT_IN_PUBLIC_NOTICE',
          message: '公示期已结束或尚未开始 / the public notice period is not running',
        },
      ]);
    }
  }

  async listObjections(applicationId: string): Promise<ObjectionRecord[]> {
    const items = await queryAll(this.table.client, this.table.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':prefix': 'OBJECTION#' },
      ConsistentRead: true,
    });
    return items.map((item) => ObjectionRecordSchema.parse(withoutKeys(item)));
  }
}
