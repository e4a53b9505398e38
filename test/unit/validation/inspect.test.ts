import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, FINDING_CODES, inspectStream } from '../../../shared/validation/inspect.ts';
import {
  buildZip,
  chunked,
  docxEntries,
  encryptedPdf,
  jpeg,
  MiB,
  patchZip,
  pdfLibPdf,
  png,
} from '../../fixtures/files.ts';
import { codes, inspect, sha256 } from './helpers.ts';

let pdf: Buffer;
beforeAll(async () => {
  pdf = await pdfLibPdf();
});

describe('hash and size', () => {
  it.each([1, 7, 1023, 1024, 1025, 65536])('hashes and counts every byte with %i-byte chunks', async (chunk) => {
    const data = Buffer.concat([pdf, Buffer.alloc(3000, 0x20)]); // over HEAD_BYTES either way
    const result = await inspect(data, 'pdf', { chunk, reuse: true });
    expect(result.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(result.size).toBe(data.length);
  });

  it('accepts plain Uint8Array chunks', async () => {
    async function* plain() {
      for (let at = 0; at < pdf.length; at += 100) yield new Uint8Array(pdf.subarray(at, at + 100));
    }
    const result = await inspectStream(plain(), { type: 'pdf', declaredSize: pdf.length, maxBytes: MiB });
    expect(result).toMatchObject({ valid: true, sha256: sha256(pdf), size: pdf.length });
  });

  it('reports a size other than the declared one as SIZE_MISMATCH', async () => {
    const result = await inspect(pdf, 'pdf', { declaredSize: pdf.length + 1 });
    expect(codes(result)).toEqual(['SIZE_MISMATCH']);
    expect(result.findings[0]?.detail).toEqual({ actual: pdf.length, declared: pdf.length + 1 });
    expect(result.valid).toBe(false);
  });

  it('reports a checksum other than the declared one as CHECKSUM_MISMATCH', async () => {
    const wrong = sha256(Buffer.from('another file'));
    const result = await inspect(pdf, 'pdf', { sha256: wrong });
    expect(codes(result)).toEqual(['CHECKSUM_MISMATCH']);
    expect(result.findings[0]?.detail).toEqual({ expected: wrong, actual: sha256(pdf) });
  });

  it('accepts the right checksum', async () => {
    expect(codes(await inspect(pdf, 'pdf', { sha256: sha256(pdf) }))).toEqual([]);
  });

  it('reports an empty file as EMPTY (and the declared size it lacks)', async () => {
    const empty = Buffer.alloc(0);
    const result = await inspect(empty, 'pdf', { declaredSize: 0 });
    expect(codes(result)).toEqual(['EMPTY']);
    expect(result).toMatchObject({ size: 0, detectedType: 'unknown', sha256: sha256(empty) });
    expect(codes(await inspect(empty, 'pdf', { declaredSize: 10 }))).toEqual(['EMPTY', 'SIZE_MISMATCH']);
  });
});

describe('too large', () => {
  /** A source of `chunks` 64 KiB chunks that records how many were pulled and whether it was closed. */
  function source(chunks: number) {
    const state = { pulled: 0, closed: false };
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    chunk.write('%PDF-1.7\n');
    async function* generate() {
      try {
        for (let i = 0; i < chunks; i++) {
          state.pulled++;
          yield chunk;
        }
      } finally {
        state.closed = true;
      }
    }
    return { state, stream: generate(), chunk };
  }

  it('stops reading past maxBytes, closes the source and reports TOO_LARGE', async () => {
    const { state, stream, chunk } = source(1000);
    const maxBytes = 10 * 64 * 1024;
    const result = await inspectStream(stream, { type: 'pdf', declaredSize: maxBytes, maxBytes });
    expect(codes(result)).toEqual(['TOO_LARGE']);
    expect(state).toEqual({ pulled: 11, closed: true });
    expect(result.size).toBe(11 * chunk.length);
    expect(result.facts.stoppedEarly).toBe(true);
    // The hash covers what was read, as documented.
    const prefix = createHash('sha256');
    for (let i = 0; i < 11; i++) prefix.update(chunk);
    expect(result.sha256).toBe(prefix.digest('hex'));
    expect(result.findings[0]?.message.en).toContain('0.6 MB');
  });

  it('accepts a file of exactly maxBytes', async () => {
    const result = await inspect(pdf, 'pdf', { maxBytes: pdf.length });
    expect(result.valid).toBe(true);
  });

  it('still says what a too-large file really is', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4096)]);
    expect(codes(await inspect(exe, 'pdf', { maxBytes: 2048, chunk: 1024 }))).toEqual(['TOO_LARGE', 'TYPE_MISMATCH']);
  });

  it('stops a zip walk in the middle of an entry without judging the rest', async () => {
    const first = [{ name: 'word/media/a.bin', data: randomBytes(256 * 1024) }];
    const file = await buildZip(docxEntries({ first }));
    const result = await inspect(file, 'docx', { maxBytes: 64 * 1024, chunk: 1024 });
    expect(codes(result)).toEqual(['TOO_LARGE']);
    expect(result.detectedType).toBe('unknown'); // the names that would say so were never read
  });
});

describe('the inspection as a whole', () => {
  it('is valid exactly when there are no findings', async () => {
    for (const [data, type] of [
      [pdf, 'pdf'],
      [png(), 'png'],
      [jpeg(), 'jpeg'],
      [encryptedPdf(), 'pdf'],
      [png(), 'jpeg'],
    ] as const) {
      const result = await inspect(data, type);
      expect(result.valid).toBe(result.findings.length === 0);
    }
  });

  it('lists findings in one order (general to specific) however the file is chunked', async () => {
    const file = patchZip(
      await buildZip(
        docxEntries({
          vbaProject: true,
          extra: [
            { name: 'word/media/link', data: '/etc/passwd', mode: 0o120777 },
            { name: 'xx/evil.sh', data: 'rm -rf /' },
          ],
        }),
      ),
      'xx/evil.sh',
      { rename: '../evil.sh' },
    );
    const expected = ['SIZE_MISMATCH', 'ZIP_UNSAFE_PATH', 'ZIP_SYMLINK', 'MACROS', 'EMBEDDED_EXECUTABLE'];
    for (const chunk of [1, 7, 65536]) {
      const result = await inspect(file, 'docx', { chunk, declaredSize: 1 });
      expect(codes(result)).toEqual(expected);
    }
    expect(expected.map((c) => FINDING_CODES.indexOf(c as never))).toEqual(
      [...expected.map((c) => FINDING_CODES.indexOf(c as never))].sort((a, b) => a - b),
    );
  });

  it('gives every finding a filled-in Chinese and English message', async () => {
    const result = await inspect(Buffer.concat([jpeg(), Buffer.alloc(100)]), 'png', { declaredSize: 5 });
    expect(codes(result)).toEqual(['SIZE_MISMATCH', 'TYPE_MISMATCH', 'TRAILING_DATA']);
    for (const finding of result.findings) {
      expect(finding.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(finding.message.en).toMatch(/[A-Za-z]/);
      expect(`${finding.message.zh}${finding.message.en}`).not.toMatch(/\{\w+\}/);
    }
  });

  it('merges partial limits with the defaults', async () => {
    const flood = png(200, 200);
    expect(codes(await inspect(flood, 'png', { limits: { maxZipEntries: 1 } }))).toEqual([]);
    expect(codes(await inspect(flood, 'png', { limits: { maxPixels: 1000 } }))).toEqual(['IMAGE_TOO_MANY_PIXELS']);
    expect(DEFAULT_LIMITS).toEqual({
      maxZipEntries: 10_000,
      maxUncompressedBytes: 512 * MiB,
      maxCompressionRatio: 100,
      maxPixels: 100_000_000,
    });
  });

  it('rejects when the source fails, rather than judging half a file', async () => {
    async function* failing() {
      yield pdf.subarray(0, 2000);
      throw new Error('socket hang up');
    }
    await expect(inspectStream(failing(), { type: 'pdf', declaredSize: pdf.length, maxBytes: MiB })).rejects.toThrow(
      'socket hang up',
    );
  });

  it('reads the source once', async () => {
    let iterations = 0;
    const once = {
      [Symbol.asyncIterator]() {
        iterations++;
        return chunked(pdf, 100)[Symbol.asyncIterator]();
      },
    };
    await inspectStream(once, { type: 'pdf', declaredSize: pdf.length, maxBytes: MiB });
    expect(iterations).toBe(1);
  });
});
