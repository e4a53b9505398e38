import { describe, expect, it } from 'vitest';
import { TooManyRequestsError } from '../../../../shared/platform/errors.ts';
import { errorPage, errorResponse } from '../../../../shared/platform/http/respond.ts';
import { RequestLimiter } from '../../../../shared/platform/limits/limiter.ts';
import {
  DEFAULT_LIMITS,
  limitChecks,
  rateLimits,
  retryAfterSeconds,
  windowOf,
} from '../../../../shared/platform/limits/policy.ts';
import type { RateCounter, WindowHit } from '../../../../shared/ports/limits.ts';

/** Counters in memory, refusing past their limit as the DynamoDB condition does. */
class FakeCounter implements RateCounter {
  readonly counts = new Map<string, number>();
  readonly hits: WindowHit[] = [];
  async hit(input: WindowHit): Promise<boolean> {
    this.hits.push(input);
    const key = `${input.key}@${input.windowStart}`;
    const count = this.counts.get(key) ?? 0;
    if (count >= input.limit) return false;
    this.counts.set(key, count + 1);
    return true;
  }
}

const NOW = new Date('2026-06-01T08:20:30.000Z');

describe('the limits policy', () => {
  it('windows are fixed and start at the epoch, so every instance agrees', () => {
    expect(windowOf(NOW, 3600)).toEqual({
      start: new Date('2026-06-01T08:00:00.000Z'),
      end: new Date('2026-06-01T09:00:00.000Z'),
    });
    expect(retryAfterSeconds(new Date('2026-06-01T09:00:00.000Z'), NOW)).toBe(2370);
    expect(retryAfterSeconds(NOW, NOW)).toBe(1);
  });

  it('a request hits one counter per dimension the client has: the person, the address', () => {
    const both = limitChecks('objection', { sub: 'applicant-222403', sourceIp: '203.0.113.7' }, NOW);
    expect(both.map((c) => [c.key.split('#').slice(0, 2).join('#'), c.limit])).toEqual([
      ['objection#sub', DEFAULT_LIMITS.objection.perPerson.limit],
      ['objection#ip', DEFAULT_LIMITS.objection.perAddress.limit],
    ]);
    expect(limitChecks('signIn', { sourceIp: '203.0.113.7' }, NOW)).toHaveLength(1);
    expect(limitChecks('signIn', {}, NOW)).toEqual([]);
  });

  it('keeps no address or sub in clear in the key, and one client is one key', () => {
    const [check] = limitChecks('objection', { sourceIp: '203.0.113.7' }, NOW);
    expect(check?.key).toMatch(/^objection#ip#[0-9a-f]{32}$/);
    expect(check?.key).not.toContain('203.0.113.7');
    expect(limitChecks('objection', { sourceIp: '203.0.113.7' }, NOW)[0]?.key).toBe(check?.key);
    expect(limitChecks('objection', { sourceIp: '203.0.113.8' }, NOW)[0]?.key).not.toBe(check?.key);
    expect(limitChecks('linkResend', { sourceIp: '203.0.113.7' }, NOW)[0]?.key).not.toBe(check?.key);
  });

  it('RATE_LIMITS overrides an action and dimension, the rest keep their defaults; bad values are refused', () => {
    const limits = rateLimits({ objection: { perAddress: { limit: 3, windowSeconds: 60 } } });
    expect(limits.objection).toEqual({ ...DEFAULT_LIMITS.objection, perAddress: { limit: 3, windowSeconds: 60 } });
    expect(limits.signIn).toEqual(DEFAULT_LIMITS.signIn);
    expect(() => rateLimits({ objection: { perAddress: { limit: 0, windowSeconds: 60 } } })).toThrow();
    expect(() => rateLimits({ unknownAction: {} })).toThrow();
  });
});

describe('RequestLimiter', () => {
  const limits = rateLimits({
    objection: { perPerson: { limit: 2, windowSeconds: 3600 }, perAddress: { limit: 3, windowSeconds: 600 } },
  });

  it('lets requests through up to the limit, then refuses with 429 and the wait to the window end', async () => {
    const counter = new FakeCounter();
    const limiter = new RequestLimiter({ counter, clock: () => NOW, limits });
    const client = { sub: 'p1', sourceIp: '203.0.113.7' };
    await limiter.enforce('objection', client);
    await limiter.enforce('objection', client);
    const refusal = await limiter.enforce('objection', client).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TooManyRequestsError);
    // The person's hourly window is full: until 09:00, 2370 s.
    expect((refusal as TooManyRequestsError).retryAfterSeconds).toBe(2370);
    expect((refusal as TooManyRequestsError).status).toBe(429);
  });

  it('an address shared by several people is limited as one address', async () => {
    const counter = new FakeCounter();
    const limiter = new RequestLimiter({ counter, clock: () => NOW, limits });
    for (const sub of ['p1', 'p2', 'p3']) await limiter.enforce('objection', { sub, sourceIp: '198.51.100.1' });
    const refusal = (await limiter
      .enforce('objection', { sub: 'p4', sourceIp: '198.51.100.1' })
      .catch((error: unknown) => error)) as TooManyRequestsError;
    // The address's 10-minute window (08:20–08:30): 570 s left.
    expect(refusal.retryAfterSeconds).toBe(570);
    // Another address, another person: not held back.
    await expect(limiter.enforce('objection', { sub: 'p5', sourceIp: '198.51.100.2' })).resolves.toBeUndefined();
  });

  it('counters expire an hour after their window (the TTL)', async () => {
    const counter = new FakeCounter();
    await new RequestLimiter({ counter, clock: () => NOW, limits }).enforce('objection', { sourceIp: '203.0.113.7' });
    expect(counter.hits[0]?.expiresAtEpochSeconds).toBe(Date.parse('2026-06-01T08:30:00.000Z') / 1000 + 3600);
  });
});

describe('the one error mapper', () => {
  it('answers 429 with Retry-After, as JSON and as a page', () => {
    const error = new TooManyRequestsError(42);
    const answer = errorResponse(error) as { statusCode: number; body: string; headers: Record<string, string> };
    expect(answer.statusCode).toBe(429);
    expect(answer.headers['retry-after']).toBe('42');
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'TOO_MANY_REQUESTS' } });
    const page = errorPage(error) as { statusCode: number; headers: Record<string, string> };
    expect(page.statusCode).toBe(429);
    expect(page.headers['retry-after']).toBe('42');
    expect(page.headers['content-type']).toContain('text/html');
  });
});
