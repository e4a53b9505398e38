import { createHash } from 'node:crypto';
import type { Principal } from '../platform/auth/principal.ts';
import { ConflictError, DomainError } from '../platform/errors.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { IdempotencyMarker, IdempotencyScope, IdempotentRoute, Records } from '../ports/core.ts';
import { IdempotencyKeySchema } from '../schemas/api.ts';

/*
 * The `Idempotency-Key` header of the two requests that create something (a draft, an evidence
 * item): a marker per key, written in the same transaction as what the first request created, so
 * a repeat answers as the first did and a reuse for another request is refused.
 */

/** How long a marker is meant to hold a key (for information: the table has no TTL). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Where errors about the key point: the header, not the body. */
export const IDEMPOTENCY_FIELD = 'header.idempotency-key';

/** What a request carries besides its body. */
export interface RequestOptions {
  /** The `Idempotency-Key` header as sent, if it was. */
  idempotencyKey?: string | undefined;
}

/** 422: the key was used before for another request (another body, or another application). */
export class IdempotencyKeyReusedError extends DomainError {
  readonly status = 422;
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('This Idempotency-Key was used for a different request', [
      {
        field: IDEMPOTENCY_FIELD,
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: 'the key was used before with another request; use a new key for a new request',
      },
    ]);
  }
}

/** A keyed request: where its marker lives and the hash of what it asks. */
export interface Keyed {
  scope: IdempotencyScope;
  requestHash: string;
}

/** The records that keep the markers. */
export type MarkerRecords = Pick<Records, 'getIdempotencyMarker'>;

/** JSON with every object's keys sorted: the same request always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const ROUTE_OF: Record<IdempotentRoute, string> = {
  CREATE: 'POST /v1/applications',
  EVIDENCE: 'POST /v1/applications/{applicationId}/evidence',
};

const isKeyInUse = (error: unknown) => error instanceof ConflictError && error.code === 'IDEMPOTENCY_KEY_IN_USE';

/**
 * The checked Idempotency-Key of a request (400 when malformed), or undefined without one. Its
 * scope is the principal, the route and the key; the hash covers the route, the path's
 * application id and the parsed body.
 */
export function keyedRequest(
  options: RequestOptions,
  route: IdempotentRoute,
  principal: Principal,
  request: { applicationId?: string; body: unknown },
): Keyed | undefined {
  if (options.idempotencyKey === undefined) return undefined;
  const key = parseOrThrow(IdempotencyKeySchema, options.idempotencyKey, IDEMPOTENCY_FIELD);
  const requestHash = createHash('sha256')
    .update(canonicalJson({ route: ROUTE_OF[route], applicationId: request.applicationId, body: request.body }))
    .digest('hex');
  return { scope: { sub: principal.sub, route, key }, requestHash };
}

/**
 * The marker an earlier request with this key left: undefined when there is none (this request
 * is the first), 422 when it was for another request. `afterLostRace`: our write found the key
 * taken, so the winner's marker exists; read once more if it is not visible yet.
 */
export async function earlierRequest(
  records: MarkerRecords,
  keyed: Keyed,
  afterLostRace = false,
): Promise<IdempotencyMarker | undefined> {
  if (!records.getIdempotencyMarker) throw new Error('These records keep no Idempotency-Key markers');
  let marker = await records.getIdempotencyMarker(keyed.scope);
  if (!marker && afterLostRace) marker = await records.getIdempotencyMarker(keyed.scope);
  if (marker && marker.requestHash !== keyed.requestHash) throw new IdempotencyKeyReusedError();
  return marker;
}

/**
 * After a write that carried the marker failed: the winner's marker when another request with the
 * same key won the race (answer as its repeat), else undefined (the error stands).
 */
export async function raceWinner(
  records: MarkerRecords,
  keyed: Keyed | undefined,
  error: unknown,
): Promise<IdempotencyMarker | undefined> {
  return keyed && isKeyInUse(error) ? earlierRequest(records, keyed, true) : undefined;
}

/** The marker a keyed request writes with what it created. */
export function newMarker(
  keyed: Keyed,
  created: { applicationId: string; evidenceId?: string },
  now: Date,
): IdempotencyMarker {
  return {
    ...keyed.scope,
    requestHash: keyed.requestHash,
    ...created,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_WINDOW_MS).toISOString(),
  };
}
