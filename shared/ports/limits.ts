/*
 * What the per-client limits need from the world: a counter per key and window that refuses to
 * count past its limit (shared/adapters/dynamo-rate-counter.ts keeps it in DynamoDB, with a TTL).
 */

export interface WindowHit {
  /** The client and action, already hashed: `<action>#<dimension>#<hash>`. */
  key: string;
  /** Start of the fixed window, ISO 8601: one counter per key and window. */
  windowStart: string;
  /** Counts up to this many hits in the window; the next is refused. */
  limit: number;
  /** When the counter may be deleted (epoch seconds; the table's TTL attribute). */
  expiresAtEpochSeconds: number;
}

export interface RateCounter {
  /** Counts one hit if the window has room (a conditional write); false when it is full. */
  hit(input: WindowHit): Promise<boolean>;
}
