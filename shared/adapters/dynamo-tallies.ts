import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENDED_STATUSES } from '../schemas/common.ts';
import { beijingDate } from '../platform/time.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import { type Tally, type TallyKind, TallySchema } from '../schemas/tallies.ts';
import { queryAll, type TransactItem, withoutKeys } from './dynamo-util.ts';

/**
 * Running counts of a campaign's applications, kept in the same transaction as every status
 * change, so the ops summary reads one partition instead of every application:
 *
 *   pk TALLY#<campaignId>
 *     sk P#<track>#<provincialCode>#<status>                          per provincial-rank jurisdiction
 *     sk C#<track>#<provincialCode>#<cityCode|->#<countyCode>#<status>  per county (drill-down)
 *     sk D#<track>#<due date, Beijing>#<status>                       open applications by deadline
 *
 * A transition moves the application out of its old entries (ADD -1) and into its new ones (ADD
 * +1); an entry that stays the same is not touched. The conditional write of the application in
 * the same transaction makes each move happen exactly once.
 */
export const tallyPartition = (campaignId: string) => `TALLY#${campaignId}`;

const PREFIX: Record<TallyKind, string> = { province: 'P', county: 'C', due: 'D' };

export function tallySortKey(tally: Omit<Tally, 'count'>): string {
  const parts =
    tally.kind === 'province'
      ? [tally.provincialCode]
      : tally.kind === 'county'
        ? [tally.provincialCode, tally.cityCode ?? '-', tally.countyCode]
        : [tally.dueDate];
  return [PREFIX[tally.kind], tally.track, ...parts, tally.status].join('#');
}

/** The entries an application counts in. */
export function tallyEntries(application: ApplicationRecord): Omit<Tally, 'count'>[] {
  const { campaignId, track, status, provincialCode, cityCode, countyCode } = application;
  const base = { campaignId, track, status };
  return [
    { ...base, kind: 'province', provincialCode },
    { ...base, kind: 'county', provincialCode, ...(cityCode !== undefined && { cityCode }), countyCode },
    ...(ENDED_STATUSES.has(status) ? [] : [{ ...base, kind: 'due' as const, dueDate: beijingDate(application.dueAt) }]),
  ];
}

/** The transaction items that move the counts from `before` (none: a new application) to `after`. */
export function tallyUpdates(
  tableName: string,
  before: ApplicationRecord | undefined,
  after: ApplicationRecord,
): TransactItem[] {
  const leaving = new Map((before ? tallyEntries(before) : []).map((t) => [tallySortKey(t), t]));
  const entering = new Map(tallyEntries(after).map((t) => [tallySortKey(t), t]));
  const moves: [Omit<Tally, 'count'>, number][] = [
    ...[...leaving].filter(([sk]) => !entering.has(sk)).map(([, t]) => [t, -1] as [Omit<Tally, 'count'>, number]),
    ...[...entering].filter(([sk]) => !leaving.has(sk)).map(([, t]) => [t, 1] as [Omit<Tally, 'count'>, number]),
  ];
  return moves.map(([tally, delta]) => {
    const attributes = Object.entries(tally);
    return {
      Update: {
        TableName: tableName,
        Key: { pk: tallyPartition(tally.campaignId), sk: tallySortKey(tally) },
        UpdateExpression: `SET ${attributes.map((_, i) => `#a${i} = :a${i}`).join(', ')} ADD #count :delta`,
        ExpressionAttributeNames: {
          '#count': 'count',
          ...Object.fromEntries(attributes.map(([name], i) => [`#a${i}`, name])),
        },
        ExpressionAttributeValues: {
          ':delta': delta,
          ...Object.fromEntries(attributes.map(([, value], i) => [`:a${i}`, value])),
        },
      },
    };
  });
}

/** Reads a campaign's tallies: one Query per kind (and optional key prefix), never a Scan. */
export class DynamoTallies {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** `within`: more sort-key parts after the kind, e.g. [track, provincialCode] for one province's counties. */
  async list(campaignId: string, kind: TallyKind, within: readonly string[] = []): Promise<Tally[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': tallyPartition(campaignId),
        ':prefix': `${[PREFIX[kind], ...within].join('#')}#`,
      },
    });
    return items.map((item) => TallySchema.parse(withoutKeys(item))).filter((tally) => tally.count !== 0);
  }
}
