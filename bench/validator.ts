/**
 * Validator throughput and memory: `inspectStream` against a bare SHA-256 over the same chunks,
 * in the same run. The stream is PDF-shaped (the most common evidence type, and the one whose
 * inspection searches the whole file): a `%PDF-1.7` header, a pseudo-random body (like
 * compressed content streams) and a `startxref … %%EOF` trailer, in 1 MiB chunks.
 *
 *   npx tsx bench/validator.ts            # 1 GiB
 *   npx tsx bench/validator.ts 256        # 256 MiB
 *
 * Goals: throughputRatio ≥ 0.9, peakRssGrowthMiB ≤ 64.
 */
import { createHash, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { inspectStream } from '../shared/validation/inspect.ts';

const MiB = 1024 * 1024;
const CHUNK = MiB;

export interface ValidatorBenchResult {
  /** inspectStream MiB/s divided by bare SHA-256 MiB/s (best of two runs each). */
  throughputRatio: number;
  /** Highest RSS seen while inspecting, minus RSS just before. */
  peakRssGrowthMiB: number;
  mibPerSecond: number;
  rawMibPerSecond: number;
}

/** RSS is read every this many chunks (a read costs ~10 µs), in both timed paths alike. */
const SAMPLE_EVERY = 16;

/**
 * Chunks of a PDF-shaped stream. Body chunks cycle through a few pre-made random buffers
 * (reused, so generating costs nothing and allocates nothing). Both timed paths iterate the
 * same generator and sample RSS the same way, so they differ only in what they do per chunk.
 */
function pdfShaped(bytes: number, bodies: Buffer[], memory: { peak: number }): AsyncIterable<Uint8Array> {
  const header = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  const trailer = Buffer.from('\nstartxref\n116\n%%EOF\n', 'latin1');
  const count = Math.max(2, Math.ceil(bytes / CHUNK));
  const first = Buffer.concat([header, (bodies[0] as Buffer).subarray(header.length)]);
  const last = Buffer.concat([(bodies[1] as Buffer).subarray(0, CHUNK - trailer.length), trailer]);
  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < count; i++) {
        if (i % SAMPLE_EVERY === 0) memory.peak = Math.max(memory.peak, process.memoryUsage.rss());
        yield i === 0 ? first : i === count - 1 ? last : (bodies[i % bodies.length] as Buffer);
      }
    },
  };
}

async function timeRaw(bytes: number, bodies: Buffer[]): Promise<number> {
  const started = performance.now();
  const hash = createHash('sha256');
  let total = 0;
  for await (const chunk of pdfShaped(bytes, bodies, { peak: 0 })) {
    hash.update(chunk);
    total += chunk.length;
  }
  hash.digest('hex');
  return total / MiB / ((performance.now() - started) / 1000);
}

async function timeInspect(bytes: number, bodies: Buffer[]): Promise<{ mibPerSecond: number; peakRss: number }> {
  const memory = { peak: process.memoryUsage.rss() };
  const size = Math.max(2, Math.ceil(bytes / CHUNK)) * CHUNK;
  const started = performance.now();
  const result = await inspectStream(pdfShaped(bytes, bodies, memory), {
    type: 'pdf',
    declaredSize: size,
    maxBytes: size,
  });
  const seconds = (performance.now() - started) / 1000;
  memory.peak = Math.max(memory.peak, process.memoryUsage.rss());
  if (!result.valid) throw new Error(`benchmark stream judged invalid: ${JSON.stringify(result.findings)}`);
  return { mibPerSecond: result.size / MiB / seconds, peakRss: memory.peak };
}

export async function benchValidator(opts: { bytes?: number } = {}): Promise<ValidatorBenchResult> {
  const bytes = opts.bytes ?? 1024 * MiB;
  const bodies = Array.from({ length: 4 }, () => randomBytes(CHUNK));
  const gc = (globalThis as { gc?: () => void }).gc;

  // Warm both paths up (JIT, zlib/crypto initialisation) before measuring.
  await timeRaw(Math.min(bytes, 32 * MiB), bodies);
  await timeInspect(Math.min(bytes, 32 * MiB), bodies);

  gc?.();
  const baseline = process.memoryUsage.rss();
  let raw = 0;
  let inspected = 0;
  let peakRss = baseline;
  for (let run = 0; run < 2; run++) {
    raw = Math.max(raw, await timeRaw(bytes, bodies));
    const measured = await timeInspect(bytes, bodies);
    inspected = Math.max(inspected, measured.mibPerSecond);
    peakRss = Math.max(peakRss, measured.peakRss);
  }
  const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
  return {
    throughputRatio: round(inspected / raw, 3),
    peakRssGrowthMiB: round((peakRss - baseline) / MiB, 1),
    mibPerSecond: round(inspected, 1),
    rawMibPerSecond: round(raw, 1),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const mib = Number(process.argv[2] ?? 1024);
  const result = await benchValidator({ bytes: mib * MiB });
  console.log(`validator benchmark over ${mib} MiB of PDF-shaped data in 1 MiB chunks`);
  console.log(`  inspectStream   ${result.mibPerSecond} MiB/s`);
  console.log(`  raw sha256      ${result.rawMibPerSecond} MiB/s`);
  console.log(`  ratio           ${result.throughputRatio} (goal ≥ 0.9)`);
  console.log(`  peak RSS growth ${result.peakRssGrowthMiB} MiB (goal ≤ 64)`);
}
