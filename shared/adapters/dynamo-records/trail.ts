import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditEvent, AuditEventSchema } from '../../schemas/records.ts';
import { isConditionFailure, queryAll, withoutKeys } from '../dynamo-util.ts';
import { keys, type RecordTable } from './keys.ts';

/**
 * The application's audit trail: the event each write appends in its own transaction, and the
 * events appended alone or read back. Apart because every write of the store carries one, and
 * the trail's shape changes for the trail's reasons only.
 */
export class AuditTrail {
  constructor(private readonly table: RecordTable) {}

  /** The event's Put, for a transaction: a repeated event id fails its condition. */
  put(audit: AuditEvent) {
    return {
      Put: {
        TableName: this.table.tableName,
        Item: { ...AuditEventSchema.parse(audit), ...keys.audit(audit) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    try {
      await this.table.client.send(new PutCommand(this.put(event).Put));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async listAudit(applicationId: string): Promise<AuditEvent[]> {
    const items = await queryAll(this.table.client, this.table.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':prefix': 'AUDIT#' },
    });
    return items.map((item) => AuditEventSchema.parse(withoutKeys(item)));
  }
}
