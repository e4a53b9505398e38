import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ConflictError } from '../platform/errors.ts';
import { QuotaExceededError } from '../ladder/quota-errors.ts';
import type { HeldSlot, QuotaHolder, QuotaRequest, QuotaScope, QuotaUse, Quotas } from '../ports/quotas.ts';
import {
  type CancellationReason,
  queryAll,
  type TransactItem,
  type TransactOptions,
  transactWrite,
} from './dynamo-util.ts';

/**
 * Quotas that can never be exceeded (DOMAIN.md "Quotas"), in the single table:
 *
 *   counter  pk QUOTA#<campaignId>#<track>#<scope>#<code>  sk COUNTER
 *            used, limit (the last one reserved under), scope, jurisdictionCode
 *   slot     pk (same partition)                           sk SLOT#<applicationId>
 *            applicationId, scope, jurisdictionCode, reservedAt
 *   hold     pk QUOTAHOLD#<campaignId>#<track>#<applicationId>  sk <scope>
 *            applicationId, scope, code, reservedAt: the keys the slot was reserved under
 *
 * <code> is the provincial-rank jurisdiction code, the city code, or the sub-sector key the caller
 * chose. A reservation is one transaction over every scope of the request: per scope, the counter
 * goes up only while `used < limit`, and the application's slot and its hold are created only if
 * they do not exist. So a cap holds however many reviewers press "recommend" at once, and a
 * retried request reserves nothing twice. A release reads the application's holds and frees
 * exactly those slots (counter down, slot and hold deleted, the hold only if it is the one read),
 * so it never depends on the application's current sub-sector or the campaign's current rules,
 * and each slot is freed exactly once.
 */

const SCOPES = ['provincial', 'city', 'sub-sector'] as const satisfies readonly QuotaScope[];
const COUNTER_SK = 'COUNTER';
const SLOT_PREFIX = 'SLOT#';

const ScopeSchema = z.enum(SCOPES);
/** Segments in the middle of the partition key must not contain the separator. */
const KeySegmentSchema = z
  .string()
  .min(1)
  .refine((value) => !value.includes('#'), 'must not contain #');
const LimitSchema = z.int().nonnegative();

const HolderSchema = z.object({
  campaignId: KeySegmentSchema,
  track: KeySegmentSchema,
  applicationId: z.string().min(1),
});

const QuotaRequestSchema = HolderSchema.extend({
  provincial: z.object({ jurisdictionCode: z.string().min(1), limit: LimitSchema.nullable() }).optional(),
  city: z.object({ jurisdictionCode: z.string().min(1), limit: LimitSchema }).optional(),
  subSector: z.object({ key: z.string().min(1), limit: LimitSchema }).optional(),
});

const CounterItemSchema = z.object({
  sk: z.literal(COUNTER_SK),
  used: z.int().nonnegative(),
  limit: LimitSchema,
  scope: ScopeSchema,
  jurisdictionCode: z.string().min(1),
});

const SlotItemSchema = z.object({
  sk: z.string().startsWith(SLOT_PREFIX),
  applicationId: z.string().min(1),
  scope: ScopeSchema,
  jurisdictionCode: z.string().min(1),
  reservedAt: z.iso.datetime(),
});

const HoldItemSchema = z.object({
  sk: ScopeSchema,
  applicationId: z.string().min(1),
  scope: ScopeSchema,
  code: z.string().min(1),
  reservedAt: z.iso.datetime(),
});
type HoldItem = z.infer<typeof HoldItemSchema>;

export const quotaKeys = {
  partition: (campaignId: string, track: string, scope: QuotaScope, code: string) =>
    `QUOTA#${campaignId}#${track}#${scope}#${code}`,
  counter: (campaignId: string, track: string, scope: QuotaScope, code: string) => ({
    pk: quotaKeys.partition(campaignId, track, scope, code),
    sk: COUNTER_SK,
  }),
  slot: (campaignId: string, track: string, scope: QuotaScope, code: string, applicationId: string) => ({
    pk: quotaKeys.partition(campaignId, track, scope, code),
    sk: `${SLOT_PREFIX}${applicationId}`,
  }),
  holds: (campaignId: string, track: string, applicationId: string) =>
    `QUOTAHOLD#${campaignId}#${track}#${applicationId}`,
  hold: (campaignId: string, track: string, applicationId: string, scope: QuotaScope) => ({
    pk: quotaKeys.holds(campaignId, track, applicationId),
    sk: scope,
  }),
};

/** One capped scope an application takes (or holds) a slot in. */
interface Scope {
  scope: QuotaScope;
  code: string;
  limit: number;
  counterKey: { pk: string; sk: string };
  slotKey: { pk: string; sk: string };
  holdKey: { pk: string; sk: string };
}

function keysOf(holder: QuotaHolder, scope: QuotaScope, code: string) {
  const { campaignId, track, applicationId } = holder;
  return {
    counterKey: quotaKeys.counter(campaignId, track, scope, code),
    slotKey: quotaKeys.slot(campaignId, track, scope, code, applicationId),
    holdKey: quotaKeys.hold(campaignId, track, applicationId, scope),
  };
}

/** The scopes that apply: provincial when capped, city and sub-sector when configured. */
function scopesOf(request: QuotaRequest): Scope[] {
  const capped: { scope: QuotaScope; code: string; limit: number }[] = [];
  if (request.provincial && request.provincial.limit !== null) {
    capped.push({ scope: 'provincial', code: request.provincial.jurisdictionCode, limit: request.provincial.limit });
  }
  if (request.city) capped.push({ scope: 'city', code: request.city.jurisdictionCode, limit: request.city.limit });
  if (request.subSector) {
    capped.push({ scope: 'sub-sector', code: request.subSector.key, limit: request.subSector.limit });
  }
  return capped.map((s) => ({ ...s, ...keysOf(request, s.scope, s.code) }));
}

/** Items are laid out [counter, slot, hold] per scope: the reason codes of scope i's items. */
const ITEMS_PER_SCOPE = 3;
function reasonsFor(reasons: readonly CancellationReason[], index: number) {
  return { counter: reasons[ITEMS_PER_SCOPE * index]?.Code };
}

const CONDITION_FAILED = 'ConditionalCheckFailed';

/** How many times a release re-reads the holds after a concurrent change before giving up. */
const RELEASE_ATTEMPTS = 5;

export interface DynamoQuotasOptions extends TransactOptions {
  now?: () => Date;
}

export class DynamoQuotas implements Quotas {
  private readonly now: () => Date;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: DynamoQuotasOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async reserve(request: QuotaRequest): Promise<{ reserved: boolean; alreadyHeld: boolean }> {
    const scopes = scopesOf(QuotaRequestSchema.parse(request));
    // Uncapped (typical cases): nothing to count, nothing to refuse.
    if (scopes.length === 0) return { reserved: true, alreadyHeld: false };

    const reservedAt = this.now().toISOString();
    const items = scopes.flatMap((s): TransactItem[] => [
      {
        Update: {
          TableName: this.tableName,
          Key: s.counterKey,
          UpdateExpression: 'SET #limit = :limit, #scope = :scope, jurisdictionCode = :code ADD used :one',
          // A limit of 0 admits nobody, not even the first (which would find no `used` yet).
          ConditionExpression: s.limit > 0 ? 'attribute_not_exists(used) OR used < :limit' : 'used < :limit',
          ExpressionAttributeNames: { '#limit': 'limit', '#scope': 'scope' },
          ExpressionAttributeValues: { ':one': 1, ':limit': s.limit, ':scope': s.scope, ':code': s.code },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...s.slotKey,
            applicationId: request.applicationId,
            scope: s.scope,
            jurisdictionCode: s.code,
            reservedAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        // The keys this slot is reserved under, kept for its release.
        Put: {
          TableName: this.tableName,
          Item: { ...s.holdKey, applicationId: request.applicationId, scope: s.scope, code: s.code, reservedAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);

    const reasons = await transactWrite(this.client, items, this.options);
    if (!reasons) return { reserved: true, alreadyHeld: false };

    // A condition failed: nothing was written. A retry of a reservation that went through finds
    // its holds, under the same keys (a partial earlier reservation cannot exist: it is atomic).
    const holds = await this.holdsOf(request);
    const heldHere = (s: Scope) => holds.some((h) => h.scope === s.scope && h.code === s.code);
    if (scopes.every(heldHere)) return { reserved: false, alreadyHeld: true };

    const full = scopes.find((s, i) => !heldHere(s) && reasonsFor(reasons, i).counter === CONDITION_FAILED);
    if (full) {
      const counter = await this.readCounter(full);
      throw new QuotaExceededError(full.scope, full.code, counter?.used ?? 0, full.limit);
    }
    // A slot or hold existed when the transaction ran but the request's are not all held now: a
    // concurrent release, or the application holds that scope under another key.
    throw new ConflictError(
      'CONCURRENT_CHANGE',
      `The quota slots of ${request.applicationId} changed while this request was being handled; try again`,
      [{ field: 'decision', code: 'QUOTA_SLOTS_CHANGED', message: 'quota slots changed concurrently' }],
    );
  }

  async release(holder: QuotaHolder, only?: readonly QuotaScope[]): Promise<{ released: boolean }> {
    const wanted = (hold: HoldItem) => only === undefined || only.includes(hold.scope);
    let holds = (await this.holdsOf(HolderSchema.parse(holder))).filter(wanted);
    // Each pass either succeeds, ends, or drops at least one hold that another call freed.
    for (let attempt = 0; attempt < RELEASE_ATTEMPTS && holds.length > 0; attempt += 1) {
      const items = holds.flatMap((hold): TransactItem[] => {
        const keys = keysOf(holder, hold.scope, hold.code);
        return [
          {
            Update: {
              TableName: this.tableName,
              Key: keys.counterKey,
              UpdateExpression: 'ADD used :minusOne',
              ConditionExpression: 'used > :zero',
              ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
            },
          },
          {
            Delete: { TableName: this.tableName, Key: keys.slotKey, ConditionExpression: 'attribute_exists(pk)' },
          },
          {
            // Only the hold read: a reservation made since (after another release) is not ours.
            Delete: {
              TableName: this.tableName,
              Key: keys.holdKey,
              ConditionExpression: 'reservedAt = :reservedAt',
              ExpressionAttributeValues: { ':reservedAt': hold.reservedAt },
            },
          },
        ];
      });
      const reasons = await transactWrite(this.client, items, this.options);
      if (!reasons) return { released: true };

      const now = await this.holdsOf(holder);
      const still = holds.filter((hold) =>
        now.some((h) => h.scope === hold.scope && h.code === hold.code && h.reservedAt === hold.reservedAt),
      );
      if (still.length === holds.length) {
        throw new Error(
          `quota of ${holder.applicationId}: a counter is at 0 while its slot is held (${holds.map((h) => `${h.scope}:${h.code}`).join(', ')})`,
        );
      }
      // Freed (or freed and reserved again) by another call meanwhile: release what is still ours.
      holds = still;
    }
    return { released: false };
  }

  async held(holder: QuotaHolder): Promise<HeldSlot[]> {
    const holds = await this.holdsOf(HolderSchema.parse(holder));
    return holds.map(({ scope, code, reservedAt }) => ({ scope, code, reservedAt }));
  }

  async holds(holder: QuotaHolder): Promise<boolean> {
    return (await this.held(holder)).length > 0;
  }

  /**
   * The provincial-rank jurisdiction's use (and, when `jurisdictionCode` is a city with a city
   * cap, that city's): counter and holders, one consistent Query per scope. Scopes that never had
   * a reservation have no counter and are left out.
   */
  async usage(campaignId: string, track: string, jurisdictionCode: string): Promise<QuotaUse[]> {
    const uses = await Promise.all(
      (['provincial', 'city'] as const).map((scope) => this.scopeUsage(campaignId, track, scope, jurisdictionCode)),
    );
    return uses.filter((use): use is QuotaUse => use !== undefined);
  }

  /** One scope's use; `code` is the jurisdiction code or, for 'sub-sector', the key reserved with. */
  async scopeUsage(campaignId: string, track: string, scope: QuotaScope, code: string): Promise<QuotaUse | undefined> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': quotaKeys.partition(campaignId, track, scope, code) },
      ConsistentRead: true,
    });
    const counterItem = items.find((item) => item.sk === COUNTER_SK);
    if (!counterItem) return undefined;
    const counter = CounterItemSchema.parse(counterItem);
    const holders = items
      .filter((item) => item.sk !== COUNTER_SK)
      .map((item) => SlotItemSchema.parse(item).applicationId);
    return { scope, jurisdictionCode: counter.jurisdictionCode, used: counter.used, limit: counter.limit, holders };
  }

  /** The application's holds now (a strongly consistent query). */
  private async holdsOf(holder: QuotaHolder): Promise<HoldItem[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': quotaKeys.holds(holder.campaignId, holder.track, holder.applicationId) },
      ConsistentRead: true,
    });
    return items.map((item) => HoldItemSchema.parse(item));
  }

  private async readCounter(s: Scope) {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: s.counterKey, ConsistentRead: true }),
    );
    return Item ? CounterItemSchema.parse(Item) : undefined;
  }
}
