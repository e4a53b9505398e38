import { describe, expect, it } from 'vitest';
import { benchFaults } from '../../bench/faults.ts';

/**
 * Exactly-once effects under faults, through the whole local pipeline (bench/faults.ts; the
 * 200-application run is `npx tsx bench/faults.ts`, figures in the README): 40 applications in
 * 4 provinces (10 each against quotas of 8) climb the ladder with automatic reviewers while 20 %
 * of handler invocations — workflow tasks, the validator, API handlers — fail before running,
 * lose their answer after running, or stall past the caller's timeout (and then run late, or
 * never), and 10 % of DynamoDB request attempts are throttled under the SDK's retry strategy.
 * Nothing may be lost and nothing done twice.
 */
describe('the ladder under injected faults', () => {
  it('loses nothing and does nothing twice', { timeout: 240_000 }, async () => {
    const result = await benchFaults({
      applications: 40,
      provinces: 4,
      concurrency: 12,
      handlerRate: 0.2,
      dynamoDbRate: 0.1,
      phaseTimeoutMs: 150_000,
    });

    // Faults of every kind, in every kind of handler, were injected and replayed.
    for (const kind of ['error', 'error-after', 'stall', 'stall-fail'] as const)
      expect(result.faults.injected[kind], kind).toBeGreaterThan(0);
    const targets = Object.keys(result.faults.byTarget);
    for (const prefix of ['task:', 'validator', 'api:'])
      expect(
        targets.some((t) => t.startsWith(prefix)),
        prefix,
      ).toBe(true);
    expect(result.duplicatesReplayed).toBeGreaterThan(0);
    expect(result.faults.lateRuns).toBeGreaterThan(0);
    expect(result.faults.dynamodb.throttled.ProvisionedThroughputExceededException).toBeGreaterThan(0);
    expect(result.faults.dynamodb.throttled.ThrottlingException).toBeGreaterThan(0);
    expect(result.retries.sdk).toBeGreaterThan(0);

    // Nothing lost: every application ended where the quotas say, its execution SUCCEEDED.
    expect(result.lost).toEqual([]);
    expect(result.expectedRecognized).toBe(32);
    expect(result.statuses).toEqual({ RECOGNIZED: 32, REJECTED: 8 });
    // Nothing twice.
    expect(result.duplicateEmails).toEqual([]);
    expect(result.quotaMismatches).toEqual([]);
    expect(result.duplicateDecisions).toEqual([]);
    expect(result.duplicateAuditEvents).toEqual([]);
    // Every review link and notice went out: city, province for all; MIIT for the recommended.
    expect(result.emails.reviewLinks).toBe(40 + 40 + 32);
    // Rejected (quota full) 8; public notice and recognition for 32.
    expect(result.emails.applicantNotices).toBe(8 + 32 * 2);
  });
});
