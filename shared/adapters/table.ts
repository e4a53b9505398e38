/**
 * The single DynamoDB table, declared once: the CDK stack and the local runtime both build the
 * table from this definition, so the keys and indexes cannot drift apart.
 *
 * Items (see docs/data-model.md):
 *   application   pk APP#<id>       sk APP
 *   evidence      pk APP#<id>       sk EVIDENCE#<evidenceId>
 *   content hash  pk APP#<id>       sk SHA256#<hex>         (first evidence item with these bytes)
 *   audit event   pk APP#<id>       sk AUDIT#<iso time>#<event id>
 *   campaign      pk CAMPAIGNS      sk CAMPAIGN#<campaignId>
 *   quota counter pk QUOTA#<campaign>#<track>#<scope>#<code>  sk COUNTER
 *   quota slot    pk QUOTA#<campaign>#<track>#<scope>#<code>  sk SLOT#<applicationId>
 *   quota hold    pk QUOTAHOLD#<campaign>#<track>#<applicationId>  sk <scope> (the slot's keys)
 *   idempotency   pk IDEMP#<sub>#<Idempotency-Key>  sk CREATE#POST /v1/applications
 *                 pk IDEMP#<sub>#<Idempotency-Key>  sk EVIDENCE#POST /v1/applications/{applicationId}/evidence
 *                 (what the first request with the key created, and the SHA-256 of that request;
 *                 `expiresAt` is 24 h on, for information only: it is not the TTL attribute)
 *   rate counter  pk LIMIT#<action>#<sub|ip>#<hash>  sk W#<window start>  (`count`; removed by TTL)
 *   register entry pk REGISTER#<province>  sk ENTRY#<level>#<cohort>#<county>#<name> (shared/adapters/dynamo-register.ts)
 *   revocation     pk REVOCATIONS  sk REQUEST#<requestId> · OPEN#<ENTRY#entryId | APP#applicationId> (shared/adapters/dynamo-revocations.ts)
 */
export const TABLE_KEY = { partitionKey: 'pk', sortKey: 'sk' } as const;

export const INDEXES = {
  /** Applications of a provincial-rank jurisdiction, by campaign, status and county. */
  byJurisdiction: { indexName: 'byJurisdiction', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Applications waiting at a status, ordered by the deadline of their current stage. */
  byDeadline: { indexName: 'byDeadline', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const;

export type IndexName = keyof typeof INDEXES;

/** Every key attribute is a string. */
export const KEY_ATTRIBUTES: readonly string[] = [
  TABLE_KEY.partitionKey,
  TABLE_KEY.sortKey,
  ...Object.values(INDEXES).flatMap((index) => [index.partitionKey, index.sortKey]),
];

/**
 * The table's TTL attribute (epoch seconds): DynamoDB deletes an item some time after it. Only
 * the per-client rate counters carry it (shared/adapters/dynamo-rate-counter.ts).
 */
export const TTL_ATTRIBUTE = 'expiresAtEpoch';
