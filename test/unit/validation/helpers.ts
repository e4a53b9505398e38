import { createHash } from 'node:crypto';
import type { FileType } from '../../../shared/schemas/common.ts';
import { type Inspection, type InspectionLimits, inspectStream } from '../../../shared/validation/inspect.ts';
import { chunked } from '../../fixtures/files.ts';

export interface InspectOptions {
  /** Chunk size; default 64 KiB, what an S3 body stream typically yields. */
  chunk?: number;
  reuse?: boolean;
  limits?: Partial<InspectionLimits>;
  declaredSize?: number;
  maxBytes?: number;
  sha256?: string;
  /** Where SHA-256 is taken (default: `fileDigest`'s choice by size and cores). */
  hashBeside?: boolean;
}

/** Inspects `data` as an upload of `type` whose declared size is right unless told otherwise. */
export function inspect(data: Buffer, type: FileType, opts: InspectOptions = {}): Promise<Inspection> {
  return inspectStream(
    chunked(data, opts.chunk ?? 64 * 1024, { reuse: opts.reuse ?? false }),
    {
      type,
      declaredSize: opts.declaredSize ?? data.length,
      maxBytes: opts.maxBytes ?? 1024 * 1024 * 1024,
      ...(opts.sha256 === undefined ? {} : { sha256: opts.sha256 }),
    },
    opts.limits,
    opts.hashBeside === undefined ? {} : { hashBeside: opts.hashBeside },
  );
}

export const codes = (inspection: Inspection) => inspection.findings.map((f) => f.code);

export const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A small deterministic PRNG (mulberry32), so "random" cases are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
