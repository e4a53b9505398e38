import { DynamoRateCounter } from '../adapters/dynamo-rate-counter.ts';
import type { Clock } from '../ports/core.ts';
import { RequestLimiter } from '../platform/limits/limiter.ts';
import { type RateLimits, rateLimits } from '../platform/limits/policy.ts';
import { systemClock } from './clock.ts';
import type { TableAccess } from './core.ts';
import { ENV, type Env } from './env.ts';

/** The limits in force: the defaults, with RATE_LIMITS (JSON) laid over them; a bad value fails at load. */
export function rateLimitsFromEnv(env: Env): RateLimits {
  const text = env[ENV.rateLimits];
  if (!text) return rateLimits();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${ENV.rateLimits} is not JSON`);
  }
  return rateLimits(value);
}

/** The per-client limiter of an API function: counters in the table, limits from the environment. */
export function requestLimiter(env: Env, table: TableAccess, clock: Clock = systemClock): RequestLimiter {
  return new RequestLimiter({
    counter: new DynamoRateCounter(table.documents, table.table),
    clock,
    limits: rateLimitsFromEnv(env),
  });
}
