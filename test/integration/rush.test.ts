import { describe, expect, it } from 'vitest';
import { benchRush } from '../../bench/rush.ts';
import type { RushResult } from '../../bench/rush-report.ts';

/**
 * The deadline rush bench (bench/rush.ts) at a tiny scale, through the whole local stack: five
 * county officials each create, upload two files through presigned POSTs, wait for the verdicts
 * and submit, while reviewers decide city and province by the emailed links. The report's
 * invariants are asserted — no 5xx that was not injected, nothing lost, nothing doubled — never
 * its timings (speed is the bench's to print).
 */
const OFFICIALS = 5;
const FILES = 2;

function expectNothingLostOrDoubled(result: RushResult): void {
  expect(result.cappedOut).toBe(false);
  expect(result.problems).toEqual({
    failures: [],
    lost: [],
    doubledDrafts: [],
    doubledEvidence: [],
    doubledVerdicts: [],
    doubledExecutions: [],
    missingExecutions: [],
    quota: [],
  });
  expect([result.created, result.submitted]).toEqual([OFFICIALS, OFFICIALS]);
  expect(result.files).toBe(FILES);
  // The county's files, and a city's on-site statement where its province's overlay asks for one
  // (the bench's counties spread over provinces with and without): every one with its verdict, and
  // none lost (problems.lost above).
  expect(result.stored).toBeGreaterThanOrEqual(OFFICIALS * FILES);
  expect(result.stored).toBeLessThanOrEqual(OFFICIALS * (FILES + 1));
  expect(result.verdictsRecorded).toBe(result.stored);
  expect(result.decided).toEqual({ city: OFFICIALS, province: OFFICIALS });
  expect(result.provinceApproved + result.quotaRefusals).toBe(OFFICIALS);
  const timed = result.routes.map((route) => route.name);
  expect(timed).toEqual(
    expect.arrayContaining([
      'POST /v1/applications',
      'POST /v1/applications/{applicationId}/evidence',
      'POST /v1/applications/{applicationId}/submit',
      'POST /v1/reviews/{reviewId}/decision',
      'upload → verdict',
    ]),
  );
  expect(result.baseline.count).toBeGreaterThan(0);
}

describe('the deadline rush bench', () => {
  it(
    'files every official in the last hour, with no 5xx, nothing lost and nothing doubled',
    { timeout: 240_000 },
    async () => {
      const result = await benchRush({ officials: OFFICIALS, files: FILES, concurrency: OFFICIALS, maxSeconds: 180 });
      expectNothingLostOrDoubled(result);
      expect(result.serverErrors).toEqual({ total: 0, byRoute: {} });
      expect(result.retries.client).toBe(0);
    },
  );

  it(
    'loses and doubles nothing with 30 % of handler invocations faulted: every 5xx was injected, and retried',
    { timeout: 240_000 },
    async () => {
      const result = await benchRush({
        officials: OFFICIALS,
        files: FILES,
        concurrency: OFFICIALS,
        maxSeconds: 180,
        faults: { handlerRate: 0.3, dynamoDbRate: 0, seed: 11 },
      });
      expectNothingLostOrDoubled(result);
      expect(result.faults?.apiInjected).toBeGreaterThan(0);
      expect(result.serverErrors.total).toBe(result.faults?.apiInjected);
      expect(result.retries.client).toBeGreaterThanOrEqual(result.serverErrors.total);
    },
  );
});
