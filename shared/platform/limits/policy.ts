import { createHash } from 'node:crypto';
import * as z from 'zod';

/**
 * Per-client limits, as data: for each limited action, how many requests one signed-in person
 * (the token's `sub`) and one source address may make in a fixed window. One shared throttle on
 * the API stage cannot tell one caller from another; these can, so a single caller cannot use up
 * the public routes (sign-in, review links, objections) for everyone close to a deadline.
 *
 * Pure: which counters a request hits and when a full window opens again. The counting itself
 * is the RateCounter port's (shared/ports/limits.ts); the enforcement is limiter.ts.
 */

/** What is limited. The public form and the signed-in API share `objection`. */
export const LIMITED_ACTIONS = ['objection', 'reviewDecision', 'linkResend', 'signIn'] as const;
export const LimitedActionSchema = z.enum(LIMITED_ACTIONS);
export type LimitedAction = z.infer<typeof LimitedActionSchema>;

export const LimitRuleSchema = z.strictObject({
  limit: z.int().min(1).max(100_000).describe('requests allowed in one window'),
  windowSeconds: z.int().min(1).max(86_400).describe('length of the fixed window, in seconds'),
});
export type LimitRule = z.infer<typeof LimitRuleSchema>;

const ActionLimitsSchema = z.strictObject({
  perPerson: LimitRuleSchema.describe('per signed-in person (the ID token’s sub)'),
  perAddress: LimitRuleSchema.describe('per source address (the request’s source IP)'),
});
export type ActionLimits = z.infer<typeof ActionLimitsSchema>;

const minutes = (n: number) => n * 60;

/**
 * Defaults: generous for a person doing their work (a reviewer deciding a batch, an office behind
 * one address), far below what saturates the API. An address is shared (an office, a carrier's
 * NAT), so its limits are looser than a person's.
 */
export const DEFAULT_LIMITS: Readonly<Record<LimitedAction, ActionLimits>> = {
  objection: {
    perPerson: { limit: 5, windowSeconds: minutes(60) },
    perAddress: { limit: 20, windowSeconds: minutes(60) },
  },
  reviewDecision: {
    perPerson: { limit: 60, windowSeconds: minutes(10) },
    perAddress: { limit: 120, windowSeconds: minutes(10) },
  },
  linkResend: {
    perPerson: { limit: 10, windowSeconds: minutes(60) },
    perAddress: { limit: 30, windowSeconds: minutes(60) },
  },
  signIn: {
    perPerson: { limit: 20, windowSeconds: minutes(10) },
    perAddress: { limit: 30, windowSeconds: minutes(10) },
  },
};

/**
 * RATE_LIMITS (JSON), e.g. `{"objection":{"perAddress":{"limit":3,"windowSeconds":3600}}}`:
 * each action and dimension given replaces its default; the rest keep theirs.
 */
export const RateLimitsOverrideSchema = z.strictObject(
  Object.fromEntries(LIMITED_ACTIONS.map((action) => [action, ActionLimitsSchema.partial().optional()])) as Record<
    LimitedAction,
    z.ZodOptional<ReturnType<typeof ActionLimitsSchema.partial>>
  >,
);
export type RateLimits = Readonly<Record<LimitedAction, ActionLimits>>;

/** The limits in force: the defaults with the overrides laid over them. */
export function rateLimits(override: unknown = {}): RateLimits {
  const parsed = RateLimitsOverrideSchema.parse(override);
  return Object.fromEntries(
    LIMITED_ACTIONS.map((action) => [action, { ...DEFAULT_LIMITS[action], ...parsed[action] }]),
  ) as RateLimits;
}

/** Who is asking: the signed-in person, if any, and the address the request came from. */
export interface ClientIdentity {
  sub?: string;
  sourceIp?: string;
}

/** One counter a request hits. */
export interface LimitCheck {
  key: string;
  limit: number;
  windowStart: Date;
  /** When the window ends: a refused client may try again then. */
  resetAt: Date;
}

/**
 * The stored key names the action and dimension and a hash of the identity: the table keeps no
 * address and no sub in clear, and keys stay short whatever the client sends.
 */
const hashed = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

/** The fixed window `now` falls in (windows start at the epoch, so every instance agrees). */
export function windowOf(now: Date, windowSeconds: number): { start: Date; end: Date } {
  const size = windowSeconds * 1000;
  const start = Math.floor(now.getTime() / size) * size;
  return { start: new Date(start), end: new Date(start + size) };
}

/** The counters this request hits: one per dimension the client has (person, address). */
export function limitChecks(
  action: LimitedAction,
  client: ClientIdentity,
  now: Date,
  limits: RateLimits = DEFAULT_LIMITS,
): LimitCheck[] {
  const rules = limits[action];
  const dimensions: [string, string | undefined, LimitRule][] = [
    ['sub', client.sub, rules.perPerson],
    ['ip', client.sourceIp, rules.perAddress],
  ];
  return dimensions.flatMap(([dimension, id, rule]) => {
    if (id === undefined || id === '') return [];
    const { start, end } = windowOf(now, rule.windowSeconds);
    return [{ key: `${action}#${dimension}#${hashed(id)}`, limit: rule.limit, windowStart: start, resetAt: end }];
  });
}

/** Whole seconds until `resetAt`, at least 1 (Retry-After counts in seconds). */
export const retryAfterSeconds = (resetAt: Date, now: Date): number =>
  Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
