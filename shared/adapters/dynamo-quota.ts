import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ConflictError } from '../platform/errors.ts';
import { QuotaExceededError } from '../ladder/quota-errors.ts';
import type { QuotaRequest, QuotaScope, QuotaUse, Quotas } from '../ports/quotas.ts';
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
 *
 * <code> is the provincial-rank jurisdiction code, the city code, or the sub-sector key the caller
 * chose. A reservation is one transaction over every applicable scope: per scope, the counter goes
 * up only while `used < limit` and the application's slot is created only if it does not exist.
 * So a cap holds however many reviewers press "recommend" at once, a retried request reserves
 * nothing twice, and a release (slot deleted only if present) frees each slot exactly once.
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

const QuotaRequestSchema = z.object({
  campaignId: KeySegmentSchema,
  track: KeySegmentSchema,
  applicationId: z.string().min(1),
  provincial: z.object({ jurisdictionCode: z.string().min(1), limit: LimitSchema.nullable() }),
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
};

/** One capped scope an application takes a slot in. */
interface Scope {
  scope: QuotaScope;
  code: string;
  limit: number;
  counterKey: { pk: string; sk: string };
  slotKey: { pk: string; sk: string };
}

/** The scopes that apply: provincial when capped, city and sub-sector when configured. */
function scopesOf(request: QuotaRequest): Scope[] {
  const { campaignId, track, applicationId } = request;
  const capped: { scope: QuotaScope; code: string; limit: number }[] = [];
  if (request.provincial.limit !== null) {
    capped.push({ scope: 'provincial', code: request.provincial.jurisdictionCode, limit: request.provincial.limit });
  }
  if (request.city) capped.push({ scope: 'city', code: request.city.jurisdictionCode, limit: request.city.limit });
  if (request.subSector) {
    capped.push({ scope: 'sub-sector', code: request.subSector.key, limit: request.subSector.limit });
  }
  return capped.map((s) => ({
    ...s,
    counterKey: quotaKeys.counter(campaignId, track, s.scope, s.code),
    slotKey: quotaKeys.slot(campaignId, track, s.scope, s.code, applicationId),
  }));
}

/** Items are laid out [counter, slot] per scope: the reason codes of scope i's two items. */
function reasonsFor(reasons: readonly CancellationReason[], index: number) {
  return { counter: reasons[2 * index]?.Code, slot: reasons[2 * index + 1]?.Code };
}

const CONDITION_FAILED = 'ConditionalCheckFailed';

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
    ]);

    const reasons = await transactWrite(this.client, items, this.options);
    if (!reasons) return { reserved: true, alreadyHeld: false };

    // A condition failed: nothing was written. A retry of a reservation that went through finds
    // its slots (a partial earlier reservation cannot exist: the transaction is atomic).
    const held = await this.heldSlots(scopes);
    if (held.every(Boolean)) return { reserved: false, alreadyHeld: true };

    const full = scopes.find((_, i) => reasonsFor(reasons, i).counter === CONDITION_FAILED);
    if (full) {
      const counter = await this.readCounter(full);
      throw new QuotaExceededError(full.scope, full.code, counter?.used ?? 0, full.limit);
    }
    // A slot existed when the transaction ran but not all are held now: a concurrent release, or
    // the campaign's scopes changed since the earlier reservation.
    throw new ConflictError(
      'CONCURRENT_CHANGE',
      `The quota slots of ${request.applicationId} changed while this request was being handled; try again`,
      [{ field: 'decision', code: 'QUOTA_SLOTS_CHANGED', message: 'quota slots changed concurrently' }],
    );
  }

  async release(request: QuotaRequest): Promise<{ released: boolean }> {
    let scopes = scopesOf(QuotaRequestSchema.parse(request));
    // Each pass either succeeds, ends, or drops at least one scope whose slot is gone.
    while (scopes.length > 0) {
      const items = scopes.flatMap((s): TransactItem[] => [
        {
          Update: {
            TableName: this.tableName,
            Key: s.counterKey,
            UpdateExpression: 'ADD used :minusOne',
            ConditionExpression: 'used > :zero',
            ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
          },
        },
        {
          Delete: {
            TableName: this.tableName,
            Key: s.slotKey,
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      ]);
      const reasons = await transactWrite(this.client, items, this.options);
      if (!reasons) return { released: true };

      const held = await this.heldSlots(scopes);
      if (!held.some(Boolean)) return { released: false };
      if (held.every(Boolean)) {
        // The slot was gone when the transaction ran and is back: released once already, then
        // reserved again. This call is the duplicate; it must not free the new reservation.
        if (scopes.some((_, i) => reasonsFor(reasons, i).slot === CONDITION_FAILED)) return { released: false };
        const broken = scopes.find((_, i) => reasonsFor(reasons, i).counter === CONDITION_FAILED);
        throw new Error(
          `quota counter ${broken?.counterKey.pk ?? '?'} is at 0 while ${request.applicationId} holds a slot in it`,
        );
      }
      // Some slots held, some not (the campaign's scopes changed since the reservation): free
      // those still held.
      scopes = scopes.filter((_, i) => held[i]);
    }
    return { released: false };
  }

  async holds(request: QuotaRequest): Promise<boolean> {
    const held = await this.heldSlots(scopesOf(QuotaRequestSchema.parse(request)));
    return held.some(Boolean);
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

  /** Whether each scope's slot exists now (strongly consistent reads). */
  private heldSlots(scopes: readonly Scope[]): Promise<boolean[]> {
    return Promise.all(
      scopes.map(async (s) => {
        const { Item } = await this.client.send(
          new GetCommand({ TableName: this.tableName, Key: s.slotKey, ConsistentRead: true }),
        );
        if (Item) SlotItemSchema.parse(Item);
        return Item !== undefined;
      }),
    );
  }

  private async readCounter(s: Scope) {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: s.counterKey, ConsistentRead: true }),
    );
    return Item ? CounterItemSchema.parse(Item) : undefined;
  }
}
