import type { Report } from './report.ts';

/**
 * Bytes tolerated after an image's end marker (JPEG EOI, PNG IEND). Some encoders pad with a
 * newline or a few zeros; 16 bytes is too few to hold any payload (even an empty zip needs 22).
 */
export const TRAILING_TOLERANCE = 16;

/** Records the dimensions and refuses a pixel flood before anything tries to decode it. */
export function recordDimensions(report: Report, width: number, height: number, maxPixels: number): void {
  report.facts.width = width;
  report.facts.height = height;
  limitPixels(report, width, height, maxPixels);
}

/**
 * Refuses a pixel flood without recording dimensions: for the further images a JPEG carries
 * (an Ultra HDR gain map, a large thumbnail), which a reader may decode as well as the first.
 */
export function limitPixels(report: Report, width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    report.add('IMAGE_TOO_MANY_PIXELS', {
      width,
      height,
      limitMegapixels: Math.floor(maxPixels / 1_000_000),
    });
  }
}

export function reportTrailing(report: Report, bytes: number): void {
  if (bytes > TRAILING_TOLERANCE) report.add('TRAILING_DATA', { bytes });
}
