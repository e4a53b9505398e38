import { describe, expect, it } from 'vitest';
import { benchValidator } from '../../../bench/validator.ts';

// No timing assertions (they would be flaky): this only keeps the benchmark runnable and its
// stream a valid PDF (benchValidator throws if inspectStream rejects it).
describe('bench/validator.ts', () => {
  it('measures both paths on a small stream', async () => {
    const result = await benchValidator({ bytes: 2 * 1024 * 1024, runs: 1 });
    expect(result.shapes.map((s) => s.shape)).toEqual([
      'pdf-scan',
      'pdf-scan-flate',
      'pdf-indirect-length',
      'docx',
      'docx-report',
      'xlsx',
      'ofd',
    ]);
    for (const value of [result.mibPerSecond, result.rawMibPerSecond, result.throughputRatio]) {
      expect(Number.isFinite(value) && value > 0).toBe(true);
    }
    expect(Number.isFinite(result.peakRssGrowthMiB)).toBe(true);
  });
});
