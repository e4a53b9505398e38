import type { Bilingual, FileType } from '../schemas/common.ts';
import type { FindingCode, FindingDetail } from './messages.ts';

export type { FindingCode, FindingDetail } from './messages.ts';

export interface InspectionLimits {
  /** Most entries (local headers) a zip-based document may hold. */
  maxZipEntries: number;
  /** Most bytes all entries of a zip-based document may inflate to, counted while inflating. */
  maxUncompressedBytes: number;
  /** Highest inflated/compressed ratio of one entry once it has inflated past 1 MiB. */
  maxCompressionRatio: number;
  /** Most pixels (width × height) an image header may declare. */
  maxPixels: number;
}

/**
 * How the inspection uses the machine it runs on (not what it checks): `hashBeside` forces where
 * SHA-256 is taken, on a thread of its own or in the walk (`fileDigest` chooses by size and cores
 * when unset). The composition sets it where the cores a process sees are not the CPU it gets (a
 * Lambda under two vCPUs' worth of memory).
 */
export interface InspectionHow {
  hashBeside?: boolean;
}

export interface ExpectedFile {
  type: FileType;
  declaredSize: number;
  maxBytes: number;
  /** Lowercase hex. */
  sha256?: string;
}

export interface Finding {
  code: FindingCode;
  message: Bilingual;
  detail?: FindingDetail;
}

export interface InspectionFacts {
  /** Never set: counting pages needs a full PDF parser, which this library does not have. */
  pages?: never;
  width?: number;
  height?: number;
  zipEntries?: number;
  /** Bytes the entries really inflated to (not what their headers claim). */
  uncompressedBytes?: number;
  encrypted?: boolean;
  /**
   * Set when reading stopped at TOO_LARGE: `size` and `sha256` then cover only the bytes read
   * (up to and including the chunk that crossed `maxBytes`), not the whole object.
   */
  stoppedEarly?: boolean;
}

export interface Inspection {
  sha256: string;
  size: number;
  detectedType: FileType | 'unknown';
  findings: Finding[];
  /** findings.length === 0 */
  valid: boolean;
  /** Notes for reviewers that do not refuse the file (an ordinary hyperlink to the outside). */
  warnings: Finding[];
  facts: InspectionFacts;
}

/** One incremental check, fed every chunk in order, then told the stream ended. */
export interface Inspector {
  push(chunk: Buffer): void | Promise<void>;
  finish(): void | Promise<void>;
  /** Releases resources when the stream is abandoned before its end (TOO_LARGE). */
  close?(): void;
}
