import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { WorkflowPointers } from '../../ports/review.ts';
import { keys as recordKeys } from '../dynamo-records/keys.ts';
import type { ReviewTable } from './items.ts';

/**
 * What the workflow records on the application item (optional attributes, read on their own so
 * the desk does not depend on the rest of the record's shape).
 */
const WorkflowPointersSchema = z.object({
  executionArn: z.string().min(1).optional(),
  resubmissionToken: z.string().min(1).optional(),
});

export class WorkflowPointerItems {
  constructor(private readonly table: ReviewTable) {}

  async workflowPointers(applicationId: string): Promise<WorkflowPointers> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: recordKeys.application(applicationId),
        ProjectionExpression: 'executionArn, resubmissionToken',
        ConsistentRead: true,
      }),
    );
    return WorkflowPointersSchema.parse(Item ?? {});
  }
}
