import type { InspectionLimits } from './types.ts';

/** Entries that inflate to less than this are never called bombs, whatever their ratio. */
export const RATIO_GRACE_BYTES = 1024 * 1024;

/** Why an archive is a zip bomb, for the report. */
export type BombDetail = Record<string, string | number>;

/**
 * The zip-bomb limits, kept twice: against what headers claim, before any inflating, and
 * against what inflating really produces, as it happens (headers can lie).
 */
export class ZipBudget {
  private declaredBytes = 0;
  private inflated = 0;

  constructor(private readonly limits: InspectionLimits) {}

  /** Bytes really inflated so far, over all entries. */
  get inflatedBytes(): number {
    return this.inflated;
  }

  /** What an entry's header claims: a bomb when the claim alone is too much. */
  declare(entry: { name: string; size: number; compressedSize: number }): BombDetail | undefined {
    this.declaredBytes += entry.size;
    const ratio = entry.size / Math.max(entry.compressedSize, 1);
    if (this.declaredBytes > this.limits.maxUncompressedBytes) {
      return { reason: 'declared size', declaredBytes: this.declaredBytes };
    }
    if (entry.size > RATIO_GRACE_BYTES && ratio > this.limits.maxCompressionRatio) {
      return { reason: 'declared ratio', name: entry.name, ratio: Math.round(ratio) };
    }
    return undefined;
  }

  /**
   * `bytes` more inflated, of an entry that has produced `data.size` from `data.consumed` so
   * far: checked as it happens, so the limit is never passed by much.
   */
  inflate(bytes: number, data: { size: number; consumed: number } | undefined, name: string): BombDetail | undefined {
    this.inflated += bytes;
    if (this.inflated > this.limits.maxUncompressedBytes) {
      return { reason: 'inflated size', inflatedBytes: this.inflated };
    }
    if (data && data.size > RATIO_GRACE_BYTES && data.size > this.limits.maxCompressionRatio * data.consumed) {
      return { reason: 'inflated ratio', name, ratio: Math.round(data.size / data.consumed) };
    }
    return undefined;
  }
}
