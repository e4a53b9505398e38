import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { EntryData, MAX_OUTPUT_CHUNK, OUTPUT_CHUNK, outputChunkFor } from '../../../shared/validation/inflate.ts';

/** Everything zlib really produced, whether or not EntryData still listened. */
const zlibOutput = vi.hoisted(() => ({ bytes: 0, inflaters: 0 }));
vi.mock('node:zlib', async (importOriginal) => {
  const zlib = await importOriginal<typeof import('node:zlib')>();
  return {
    ...zlib,
    createInflateRaw: (...args: Parameters<typeof zlib.createInflateRaw>) => {
      const inflater = zlib.createInflateRaw(...args);
      zlibOutput.inflaters++;
      inflater.on('data', (chunk: Buffer) => {
        zlibOutput.bytes += chunk.length;
      });
      return inflater;
    },
  };
});

const text = Buffer.from('集群主导产业 '.repeat(2000));
const deflated = deflateRawSync(text);

async function run(mode: 'stored' | 'deflated', pieces: Buffer[], limit = Number.POSITIVE_INFINITY, declaredSize = 0) {
  let seen = 0;
  const entry = new EntryData(
    mode,
    (out) => {
      seen += out.length;
      return seen <= limit;
    },
    declaredSize,
  );
  for (const piece of pieces) await entry.write(piece);
  return { ...(await entry.end()), seen };
}

const split = (data: Buffer, size: number) =>
  Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size));

describe('EntryData', () => {
  it.each([1, 13, 70_000])('inflates deflate data fed in %i-byte pieces and counts it', async (size) => {
    const result = await run('deflated', split(deflated, size));
    expect(result).toMatchObject({ size: text.length, seen: text.length });
    expect(result.error).toBeUndefined();
  });

  it('passes stored data through', async () => {
    expect(await run('stored', split(text, 1000))).toMatchObject({ size: text.length });
  });

  it('reports deflate data cut short', async () => {
    const result = await run('deflated', [deflated.subarray(0, deflated.length - 10)]);
    expect(result.error).toBe('unexpected end of file');
  });

  it('reports bytes hidden after the end of the deflate stream', async () => {
    const result = await run('deflated', [deflated, Buffer.from('MZ hidden payload')]);
    expect(result.error).toBe('17 bytes after the end of the deflate stream');
  });

  it('stops zlib itself, mid-slice, when the output handler says so', async () => {
    const MiB = 1024 * 1024;
    const zeros = deflateRawSync(Buffer.alloc(50 * MiB)); // ~50 kB: a single slice
    zlibOutput.bytes = 0;
    const result = await run('deflated', split(zeros, 4096), MiB);
    expect(result.seen).toBeGreaterThan(MiB);
    // zlib produced at most one more output chunk after the limit, not the other 49 MiB.
    expect(zlibOutput.bytes).toBeLessThanOrEqual(MiB + 2 * OUTPUT_CHUNK);
  });

  it('sizes zlib’s output piece by the declared size, and a lying header lets no more through', async () => {
    const MiB = 1024 * 1024;
    expect(outputChunkFor(0)).toBe(OUTPUT_CHUNK);
    expect(outputChunkFor(30_000)).toBe(32 * 1024);
    // A piece filled exactly would cost zlib one more round: the next power of two.
    expect(outputChunkFor(64 * 1024)).toBe(128 * 1024);
    expect(outputChunkFor(1)).toBe(16 * 1024);
    expect(outputChunkFor(50 * MiB)).toBe(MAX_OUTPUT_CHUNK);
    // A header declaring 50 MiB (true here) or 10 bytes (a lie): the limit holds either way.
    const zeros = deflateRawSync(Buffer.alloc(50 * MiB));
    for (const declared of [50 * MiB, 10]) {
      zlibOutput.bytes = 0;
      const result = await run('deflated', split(zeros, 4096), MiB, declared);
      expect(result.seen).toBeGreaterThan(MiB);
      expect(zlibOutput.bytes).toBeLessThanOrEqual(MiB + 2 * MAX_OUTPUT_CHUNK);
    }
    // A small header's lie costs only pieces: the whole entry still inflates and is counted.
    expect(await run('deflated', [deflated], Number.POSITIVE_INFINITY, 10)).toMatchObject({ size: text.length });
  });

  describe('a small entry read whole', () => {
    it('is inflated here, without a round trip to the pool, and counted the same', async () => {
      zlibOutput.inflaters = 0;
      const result = await run('deflated', split(deflated, 100));
      expect(result).toMatchObject({ size: text.length, seen: text.length, crc: crc32(text) });
      expect(result.error).toBeUndefined();
      expect(zlibOutput.inflaters).toBe(0);
    });

    it('streams through the pool when its output would pass one piece, where the limit stops it', async () => {
      const MiB = 1024 * 1024;
      const zeros = deflateRawSync(Buffer.alloc(40 * MiB)); // ~40 kB: small, but 40 MiB inflated
      zlibOutput.inflaters = 0;
      zlibOutput.bytes = 0;
      const result = await run('deflated', [zeros], MAX_OUTPUT_CHUNK);
      expect(zlibOutput.inflaters).toBe(1);
      expect(result.seen).toBeGreaterThan(MAX_OUTPUT_CHUNK);
      expect(zlibOutput.bytes).toBeLessThanOrEqual(MAX_OUTPUT_CHUNK + 2 * MAX_OUTPUT_CHUNK);
      // Without a limit, all of it is inflated and counted, as for any entry.
      expect(await run('deflated', [zeros])).toMatchObject({ size: 40 * MiB });
    });

    it('reports corrupt deflate data in zlib’s words, as the pool does', async () => {
      const corrupt = Buffer.from(deflated);
      corrupt[0] = 0xff; // a block type that does not exist
      const here = await run('deflated', [corrupt]);
      expect(here.error).toBe('invalid block type');
    });
  });
});
