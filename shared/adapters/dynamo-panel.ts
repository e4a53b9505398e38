import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PanelStore } from '../ports/panel.ts';
import type { PanelResult, PanelResults } from '../ports/steps.ts';
import { panelResult } from '../review/panel/aggregate.ts';
import type { AuditEvent } from '../schemas/records.ts';
import { applicationIdOfReview } from '../schemas/reviews.ts';
import {
  type ExpertDirectoryEntry,
  ExpertDirectorySchema,
  type PanelRecord,
  PanelRecordSchema,
  type SeatRecord,
  SeatRecordSchema,
} from '../schemas/panel.ts';
import { auditPut, rankIndex, reviewKey } from './dynamo-reviews/items.ts';
import { queryAll, type TransactItem, transactWrite, withoutKeys } from './dynamo-util.ts';
import { INDEXES } from './table.ts';

/**
 * The expert panel in the one table, beside its review in the application's partition:
 *
 *   panel     pk APP#<applicationId>  sk PANEL#<reviewId>
 *   seat      pk APP#<applicationId>  sk PANEL#<reviewId>#SEAT#<seatId>
 *   experts   pk EXPERTS              sk <jurisdictionCode>          experts: [{email, name, countyCode, cityCode}]
 *
 * One Query (begins_with PANEL#<reviewId>) reads a panel and its seats. Every change is a
 * transaction conditional on what was read, with its audit event: a seat is declared once,
 * scored once and only while its panel is OPEN; a panel closes once. Closing also ranks the
 * review by the aggregate (its weightedScore and the RANK# index the province inbox reads).
 */
export const panelKeys = {
  panel: (applicationId: string, reviewId: string) => ({ pk: `APP#${applicationId}`, sk: `PANEL#${reviewId}` }),
  seat: (applicationId: string, reviewId: string, seatId: string) => ({
    pk: `APP#${applicationId}`,
    sk: `PANEL#${reviewId}#SEAT#${seatId}`,
  }),
  experts: (jurisdictionCode: string) => ({ pk: 'EXPERTS', sk: jurisdictionCode }),
};

const { byJurisdiction } = INDEXES;

export class DynamoPanels implements PanelStore, PanelResults {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async panelOf(reviewId: string): Promise<{ panel: PanelRecord; seats: SeatRecord[] } | undefined> {
    // Not a review id: no panel (a guessed path learns nothing).
    if (!applicationIdOfReview(reviewId)) return undefined;
    const { pk } = reviewKey(reviewId);
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': `PANEL#${reviewId}` },
      ConsistentRead: true,
    });
    let panel: PanelRecord | undefined;
    const seats: SeatRecord[] = [];
    for (const item of items) {
      const sk = String(item.sk);
      if (sk === `PANEL#${reviewId}`) panel = PanelRecordSchema.parse(withoutKeys(item));
      else if (sk.startsWith(`PANEL#${reviewId}#SEAT#`)) seats.push(SeatRecordSchema.parse(withoutKeys(item)));
    }
    if (!panel) return undefined;
    seats.sort((a, b) => a.assignedAt.localeCompare(b.assignedAt) || a.seatId.localeCompare(b.seatId));
    return { panel, seats };
  }

  /** PanelResults: the panel of an expert-panel review, as the desk's gate and the tables read it. */
  async resultOf(reviewId: string): Promise<PanelResult | undefined> {
    const found = await this.panelOf(reviewId);
    return found && panelResult(found.panel, found.seats);
  }

  async seat(input: {
    panel: PanelRecord;
    seats: SeatRecord[];
    replacing?: { seat: SeatRecord; at: string };
    audits: AuditEvent[];
  }): Promise<boolean> {
    const { panel } = input;
    const panelKey = panelKeys.panel(panel.applicationId, panel.reviewId);
    const items: TransactItem[] = [
      // Opened here if new; else only checked to be still OPEN.
      {
        Update: {
          TableName: this.tableName,
          Key: panelKey,
          UpdateExpression: Object.keys(opening(panel))
            .map((name) => `#${name} = if_not_exists(#${name}, :${name})`)
            .join(', ')
            .replace(/^/, 'SET '),
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :open',
          ExpressionAttributeNames: Object.fromEntries(Object.keys(opening(panel)).map((name) => [`#${name}`, name])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(Object.entries(opening(panel)).map(([name, value]) => [`:${name}`, value])),
            ':open': 'OPEN',
          },
        },
      },
      ...input.seats.map((seat): TransactItem => ({
        Put: {
          TableName: this.tableName,
          Item: { ...SeatRecordSchema.parse(seat), ...panelKeys.seat(seat.applicationId, seat.reviewId, seat.seatId) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
      ...(input.replacing
        ? [
            {
              Update: {
                TableName: this.tableName,
                Key: panelKeys.seat(panel.applicationId, panel.reviewId, input.replacing.seat.seatId),
                UpdateExpression: 'SET #state = :replaced, replacedAt = :at, replacedBy = :by',
                ConditionExpression: '#state = :was',
                ExpressionAttributeNames: { '#state': 'state' },
                ExpressionAttributeValues: {
                  ':replaced': 'REPLACED',
                  ':at': input.replacing.at,
                  ':by': input.seats[0]?.seatId,
                  ':was': input.replacing.seat.state,
                },
              },
            } satisfies TransactItem,
          ]
        : []),
      ...input.audits.map((audit) => auditPut(this.tableName, audit)),
    ];
    return (await transactWrite(this.client, items)) === undefined;
  }

  async advanceSeat(
    seat: SeatRecord,
    from: SeatRecord['state'],
    next: SeatRecord,
    audit: AuditEvent,
  ): Promise<boolean> {
    const items: TransactItem[] = [
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: panelKeys.panel(seat.applicationId, seat.reviewId),
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':open': 'OPEN' },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...SeatRecordSchema.parse(next), ...panelKeys.seat(seat.applicationId, seat.reviewId, seat.seatId) },
          // Once: a second declaration or a second set of scores finds the state moved on.
          ConditionExpression: '#state = :from AND attribute_not_exists(scores)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':from': from },
        },
      },
      auditPut(this.tableName, audit),
    ];
    return (await transactWrite(this.client, items)) === undefined;
  }

  async close(
    panel: PanelRecord,
    closed: { aggregate: number; meanScores: Record<string, number>; at: string; by: string },
    audit: AuditEvent,
  ): Promise<boolean> {
    const rank = rankIndex(panel, closed.aggregate);
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: panelKeys.panel(panel.applicationId, panel.reviewId),
          // AGGREGATE is a reserved word in DynamoDB's expressions: every name goes through #.
          UpdateExpression: 'SET #status = :closed, #aggregate = :aggregate, #closedAt = :at, #closedBy = :by',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#aggregate': 'aggregate',
            '#closedAt': 'closedAt',
            '#closedBy': 'closedBy',
          },
          ExpressionAttributeValues: {
            ':closed': 'CLOSED',
            ':open': 'OPEN',
            ':aggregate': closed.aggregate,
            ':at': closed.at,
            ':by': closed.by,
          },
        },
      },
      {
        // The review ranks by the aggregate (the province inbox's 择优遴选, the summary tables).
        Update: {
          TableName: this.tableName,
          Key: reviewKey(panel.reviewId),
          UpdateExpression: 'SET weightedScore = :aggregate, scores = :scores, #g1pk = :g1pk, #g1sk = :g1sk',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#g1pk': byJurisdiction.partitionKey, '#g1sk': byJurisdiction.sortKey },
          ExpressionAttributeValues: {
            ':aggregate': closed.aggregate,
            ':scores': closed.meanScores,
            ':g1pk': rank[byJurisdiction.partitionKey],
            ':g1sk': rank[byJurisdiction.sortKey],
          },
        },
      },
      auditPut(this.tableName, audit),
    ];
    return (await transactWrite(this.client, items)) === undefined;
  }

  async experts(jurisdictionCode: string): Promise<ExpertDirectoryEntry | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: panelKeys.experts(jurisdictionCode) }),
    );
    return Item ? ExpertDirectorySchema.parse(withoutKeys(Item)) : undefined;
  }

  async putExperts(entry: ExpertDirectoryEntry): Promise<void> {
    const parsed = ExpertDirectorySchema.parse(entry);
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...parsed, ...panelKeys.experts(parsed.jurisdictionCode) } }),
    );
  }
}

/** The panel's attributes, as written when it opens (an open panel keeps its own). */
const opening = (panel: PanelRecord): Record<string, unknown> => {
  const parsed = PanelRecordSchema.parse(panel);
  return Object.fromEntries(Object.entries(parsed).filter(([, value]) => value !== undefined));
};
