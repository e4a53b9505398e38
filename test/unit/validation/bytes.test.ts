import { describe, expect, it } from 'vitest';
import { Gather, StreamScanner, TailWindow } from '../../../shared/validation/bytes.ts';
import { chunked } from '../../fixtures/files.ts';
import { prng } from './helpers.ts';

const NEEDLE = Buffer.from('Encrypt');

/** Random-ish bytes with the needle planted at the given offsets. */
function planted(length: number, at: number[], seed = 1): Buffer {
  const next = prng(seed);
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i++) data[i] = Math.floor(next() * 256);
  for (const offset of at) NEEDLE.copy(data, offset);
  return data;
}

function naive(data: Buffer, needle: Buffer): number[] {
  const found: number[] = [];
  for (let i = data.indexOf(needle); i !== -1; i = data.indexOf(needle, i + 1)) found.push(i);
  return found;
}

/** Runs a scanner over `pieces`, recording each match and the context bytes it was shown. */
function scan(pieces: Buffer[], context = { before: 1, after: 2 }) {
  const seen: Array<{ offset: number; before: number[]; after: number[] }> = [];
  const scanner = new StreamScanner(
    NEEDLE,
    (window, i, offset) => {
      seen.push({
        offset,
        before: [...window.subarray(Math.max(0, i - context.before), i)],
        after: [...window.subarray(i + NEEDLE.length, i + NEEDLE.length + context.after)],
      });
      return false;
    },
    context,
  );
  for (const piece of pieces) scanner.push(piece);
  scanner.finish();
  return seen;
}

function split(data: Buffer, sizes: () => number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < data.length;) {
    const n = Math.max(1, sizes());
    pieces.push(data.subarray(at, at + n));
    at += n;
  }
  return pieces;
}

describe('StreamScanner', () => {
  // At the very start, adjacent, overlapping the end, and scattered.
  const offsets = [0, 7, 14, 1000, 4089, 4096, 8192 - 7];
  const data = planted(8192, offsets);

  it.each([1, 2, 3, 7, 8, 9, 64, 4096, 8192])('finds every occurrence exactly once with %i-byte chunks', (size) => {
    const found = scan(split(data, () => size)).map((m) => m.offset);
    expect(found).toEqual(naive(data, NEEDLE));
    expect(found).toEqual(expect.arrayContaining(offsets));
  });

  it('finds every occurrence with random chunk sizes, over many seeds', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = prng(seed);
      const at = Array.from({ length: 12 }, () => Math.floor(next() * (20_000 - NEEDLE.length)));
      const sample = planted(20_000, at, seed);
      const pieces = split(sample, () => Math.floor(next() * (seed % 2 ? 20 : 3000)));
      expect(scan(pieces).map((m) => m.offset)).toEqual(naive(sample, NEEDLE));
    }
  });

  it('shows the handler the bytes around each match, even across chunk seams', () => {
    for (const size of [1, 5, 9, 100]) {
      for (const m of scan(
        split(data, () => size),
        { before: 3, after: 4 },
      )) {
        const start = Math.max(0, m.offset - 3);
        expect(m.before).toEqual([...data.subarray(start, m.offset)]);
        const end = m.offset + NEEDLE.length;
        expect(m.after).toEqual([...data.subarray(end, Math.min(data.length, end + 4))]);
      }
    }
  });

  it('stops at the first match the handler accepts', () => {
    let calls = 0;
    const scanner = new StreamScanner(NEEDLE, () => {
      calls++;
      return true;
    });
    for (const piece of split(data, () => 5)) scanner.push(piece);
    scanner.finish();
    expect(calls).toBe(1);
  });

  it('copies what it keeps, so a producer that reuses its buffer does not fool it', async () => {
    const found: number[] = [];
    const scanner = new StreamScanner(NEEDLE, (_w, _i, offset) => {
      found.push(offset);
      return false;
    });
    for await (const piece of chunked(data, 5, { reuse: true })) scanner.push(piece as Buffer);
    scanner.finish();
    expect(found).toEqual(naive(data, NEEDLE));
  });
});

describe('Gather', () => {
  it('gathers a header that arrives one byte at a time', () => {
    const source = Buffer.from('0123456789');
    const gather = new Gather();
    gather.reset(6);
    let pos = 2;
    while (!gather.complete) pos = gather.take(source.subarray(0, pos + 1), pos);
    expect(gather.bytes.toString()).toBe('234567');
    expect(pos).toBe(8);
  });

  it('grows for a header longer than its first buffer', () => {
    const gather = new Gather();
    gather.reset(1000);
    const source = Buffer.alloc(1000, 7);
    expect(gather.take(source, 0)).toBe(1000);
    expect(gather.complete).toBe(true);
    expect(gather.bytes.equals(source)).toBe(true);
  });
});

describe('TailWindow', () => {
  it.each([1, 3, 16, 17, 100, 5000])('keeps exactly the last bytes with %i-byte chunks', (size) => {
    const data = planted(3000, []);
    const tail = new TailWindow(64);
    for (const piece of split(data, () => size)) tail.push(piece);
    expect(tail.bytes().equals(data.subarray(data.length - 64))).toBe(true);
  });

  it('holds everything when the stream is shorter than the window', () => {
    const tail = new TailWindow(64);
    tail.push(Buffer.from('abc'));
    tail.push(Buffer.from('de'));
    expect(tail.bytes().toString()).toBe('abcde');
  });
});
