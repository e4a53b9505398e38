import { describe, expect, it } from 'vitest';
import { benchLadder } from '../../bench/ladder.ts';

/**
 * Smoke test of the ladder benchmark (bench/ladder.ts) on a tiny batch: it runs the whole local
 * stack, so it proves the bench still drives the product end to end. Ten applications in one
 * province against its quota of 8: eight recognised, two refused at the province and rejected.
 * Figures are only checked to be figures: timings on a shared machine are never assertions.
 */
describe('the ladder benchmark', () => {
  it('climbs a tiny batch to RECOGNIZED and REJECTED and reports finite figures', { timeout: 240_000 }, async () => {
    const result = await benchLadder({ applications: 10, provinces: 1, concurrency: 8, phaseTimeoutMs: 120_000 });

    for (const figure of [
      result.transitionsPerApplication,
      result.historyEventsPerApplication,
      result.seconds,
      result.applicationsPerSecond,
      result.intakeSeconds,
      result.peakRssMiB,
      result.ladderPeakRssMiB,
      result.phases.toProvinceListSeconds,
      result.phases.miitSeconds,
      result.phases.recognitionSeconds,
    ]) {
      expect(Number.isFinite(figure)).toBe(true);
    }
    expect(result.transitionsPerApplication).toBeGreaterThan(0);
    expect(result.happyPathStates.at(-1)).toBe('Recognize');

    expect(result.applications).toBe(10);
    expect(result.provinces).toBe(1);
    expect(result.expectedRecognized).toBe(8);
    expect(result.recognized).toBe(8);
    expect(result.rejected).toBe(2);
    expect(result.quotaRefusals).toBe(2);
    expect(result.otherStatuses).toEqual({});
  });
});
