import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../platform/errors.ts';
import type { IdempotencyMarker } from '../../ports/core.ts';
import { type ApplicationRecord, ApplicationRecordSchema, type AuditEvent } from '../../schemas/records.ts';
import { tallyUpdates } from '../dynamo-tallies.ts';
import { type TransactItem, transactWrite, withoutKeys } from '../dynamo-util.ts';
import { type IdempotencyMarkers, keyInUse } from './idempotency.ts';
import { applicationItem, keys, type RecordTable } from './keys.ts';
import type { AuditTrail } from './trail.ts';

/**
 * The application record: created with its one-filing-per-cluster guard, read, and replaced as
 * read (moving the guard with a renamed draft and the campaign's tallies with its status). Apart
 * from the evidence, whose writes are guarded by other conditions and change for other reasons.
 */

/** 409 DUPLICATE_APPLICATION: the county already filed a cluster of this name (create or rename). */
const duplicateApplication = (application: ApplicationRecord, holder: string | undefined) =>
  application.registerEntryId !== undefined
    ? new ConflictError(
        'DUPLICATE_APPLICATION',
        `register entry ${application.registerEntryId} was already filed for in ${application.campaignId} (${application.track})`,
        [
          {
            field: 'registerEntryId',
            code: 'DUPLICATE_APPLICATION',
            message: 'this register entry already has a filing in this campaign and track',
            applicationId: holder,
          },
        ],
      )
    : new ConflictError(
        'DUPLICATE_APPLICATION',
        `${application.clusterName} was already filed by ${application.countyCode} in ${application.campaignId}`,
        [
          {
            field: 'clusterName',
            code: 'DUPLICATE_APPLICATION',
            message: 'this county already filed a cluster with this name in this campaign and track',
            applicationId: holder,
          },
        ],
      );

export class ApplicationItems {
  constructor(
    private readonly table: RecordTable,
    private readonly trail: AuditTrail,
    private readonly markers: IdempotencyMarkers,
  ) {}

  async createApplication(
    application: ApplicationRecord,
    audit: AuditEvent,
    idempotency?: IdempotencyMarker,
  ): Promise<void> {
    const { client, tableName } = this.table;
    const guard = keys.clusterGuard(application);
    const reasons = await transactWrite(client, [
      ...this.markers.put(idempotency),
      {
        Put: {
          TableName: tableName,
          Item: { ...guard, applicationId: application.applicationId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: applicationItem(ApplicationRecordSchema.parse(application)),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.trail.put(audit),
      ...tallyUpdates(tableName, undefined, application),
    ]);
    if (reasons) {
      if (await this.markers.taken(idempotency)) throw keyInUse(idempotency as IdempotencyMarker);
      throw duplicateApplication(application, await this.guardHolder(guard));
    }
  }

  /** The application holding a cluster-name guard, if any. */
  private async guardHolder(guard: { pk: string; sk: string }): Promise<string | undefined> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: guard }));
    return typeof Item?.applicationId === 'string' ? Item.applicationId : undefined;
  }

  /**
   * A renamed draft moves its one-filing-per-cluster guard with the name, in the same transaction
   * as the save: the old name's guard is released (if it is this application's), the new one taken
   * only if no application of the county holds it. Nothing when the name keeps its guard key.
   */
  private guardMove(application: ApplicationRecord, before: ApplicationRecord): TransactItem[] {
    const [from, to] = [keys.clusterGuard(before), keys.clusterGuard(application)];
    if (from.pk === to.pk && from.sk === to.sk) return [];
    return [
      {
        Delete: {
          TableName: this.table.tableName,
          Key: from,
          ConditionExpression: 'attribute_not_exists(pk) OR applicationId = :id',
          ExpressionAttributeValues: { ':id': application.applicationId },
        },
      },
      {
        Put: {
          TableName: this.table.tableName,
          Item: { ...to, applicationId: application.applicationId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  async getApplication(applicationId: string): Promise<ApplicationRecord | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.application(applicationId),
        ConsistentRead: true,
      }),
    );
    return Item ? ApplicationRecordSchema.parse(withoutKeys(Item)) : undefined;
  }

  async saveApplication(application: ApplicationRecord, before: ApplicationRecord, audit: AuditEvent): Promise<void> {
    if (application.applicationId !== before.applicationId) {
      throw new Error(`saveApplication: ${application.applicationId} cannot replace ${before.applicationId}`);
    }
    const { client, tableName } = this.table;
    const guardMove = this.guardMove(application, before);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName,
          Item: applicationItem(ApplicationRecordSchema.parse(application)),
          ConditionExpression: 'revision = :revision AND #status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':revision': before.revision, ':status': before.status },
        },
      },
      this.trail.put(audit),
      ...tallyUpdates(tableName, before, application),
      ...guardMove,
    ];
    const reasons = await transactWrite(client, items);
    if (reasons) {
      // The new name's guard is the last item: another application of the county holds the name.
      if (guardMove.length > 0 && reasons.at(-1)?.Code === 'ConditionalCheckFailed') {
        throw duplicateApplication(application, await this.guardHolder(keys.clusterGuard(application)));
      }
      throw new ConflictError(
        'CONCURRENT_CHANGE',
        'The application changed while this request was being handled; reload it and try again',
        [{ field: 'revision', code: 'STALE_REVISION', message: `expected revision ${before.revision}` }],
      );
    }
  }
}
