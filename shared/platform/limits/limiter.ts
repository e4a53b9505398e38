import type { Clock } from '../../ports/core.ts';
import type { RateCounter } from '../../ports/limits.ts';
import { TooManyRequestsError } from '../errors.ts';
import {
  type ClientIdentity,
  DEFAULT_LIMITS,
  type LimitedAction,
  limitChecks,
  type RateLimits,
  retryAfterSeconds,
} from './policy.ts';

/** Counters outlive their window by this much before the table's TTL may remove them. */
const KEEP_AFTER_WINDOW_SECONDS = 3600;

/**
 * Enforces the per-client limits: every counter the request hits (the person's, the address's)
 * must have room, else 429 with the longest wait. A refused request is not counted against the
 * other dimension's window beyond what it already took (the counters are independent).
 */
export class RequestLimiter {
  constructor(private readonly deps: { counter: RateCounter; clock: Clock; limits?: RateLimits }) {}

  async enforce(action: LimitedAction, client: ClientIdentity): Promise<void> {
    const now = this.deps.clock();
    const checks = limitChecks(action, client, now, this.deps.limits ?? DEFAULT_LIMITS);
    const refused = [];
    for (const check of checks) {
      const allowed = await this.deps.counter.hit({
        key: check.key,
        windowStart: check.windowStart.toISOString(),
        limit: check.limit,
        expiresAtEpochSeconds: Math.ceil(check.resetAt.getTime() / 1000) + KEEP_AFTER_WINDOW_SECONDS,
      });
      if (!allowed) refused.push(check);
    }
    if (refused.length === 0) return;
    const wait = Math.max(...refused.map((check) => retryAfterSeconds(check.resetAt, now)));
    throw new TooManyRequestsError(wait, `Too many requests; try again in ${wait} s`, [
      {
        field: 'client',
        code: 'TOO_MANY_REQUESTS',
        message: `请求过于频繁，请 ${wait} 秒后再试 / too many requests: try again in ${wait} s`,
        retryAfterSeconds: wait,
      },
    ]);
  }
}

/** A limiter that never refuses: for handlers built without one (unit tests of other things). */
export const unlimited: Pick<RequestLimiter, 'enforce'> = { enforce: () => Promise.resolve() };
