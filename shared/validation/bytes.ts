/**
 * Byte plumbing shared by the inspectors: pattern search across chunk boundaries, gathering a
 * fixed-size header that may arrive split, and a bounded window over the last bytes.
 * Nothing here holds more than a small, fixed number of bytes.
 */

const EMPTY = Buffer.alloc(0);

/** A view of a chunk as a Buffer, without copying. */
export function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Called for each occurrence of the needle. `window` holds at least `before` bytes ahead of
 * `index` and `needle.length + after` bytes from it, except at the very start or end of the
 * stream. `offset` is the match's position in the whole stream. Return true to stop scanning.
 */
export type MatchHandler = (window: Buffer, index: number, offset: number) => boolean | undefined;

/**
 * Finds every occurrence of a needle in a chunked stream, including those split across chunks,
 * and lets the handler look at a few bytes around each one. Big chunks are searched in place
 * with Buffer.indexOf (native, memchr-driven for needles under 8 bytes); only a small seam
 * (the kept tail plus the head of the next chunk) is ever copied. Each position is examined
 * exactly once.
 */
export class StreamScanner {
  private readonly keep: number;
  private readonly before: number;
  private readonly after: number;
  private tail: Buffer = EMPTY;
  private total = 0;
  /** Lowest stream position not yet examined as a match start. */
  private next = 0;
  private stopped = false;

  constructor(
    private readonly needle: Buffer,
    private readonly onMatch: MatchHandler,
    context: { before?: number; after?: number } = {},
  ) {
    this.before = context.before ?? 0;
    this.after = context.after ?? 0;
    this.keep = this.before + needle.length - 1 + this.after;
  }

  push(chunk: Buffer): void {
    if (this.stopped || chunk.length === 0) return;
    const start = this.total;
    this.total += chunk.length;
    const reach = this.needle.length + this.after;

    if (chunk.length < 2 * this.keep) {
      // Small chunk: search tail + chunk as one (small) window.
      const window = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
      const windowStart = this.total - window.length;
      this.examine(window, windowStart, window.length - reach);
      this.tail = Buffer.from(window.subarray(Math.max(0, window.length - this.keep)));
      return;
    }
    if (this.tail.length > 0) {
      // The seam: matches starting in the kept tail need the head of this chunk.
      const seam = Buffer.concat([this.tail, chunk.subarray(0, this.keep)]);
      this.examine(seam, start - this.tail.length, seam.length - reach);
      if (this.stopped) return;
    }
    this.examine(chunk, start, chunk.length - reach);
    // Copy: the producer may reuse the chunk's memory once we return.
    this.tail = Buffer.from(chunk.subarray(chunk.length - this.keep));
  }

  /** Examines the matches that only fit once the stream has ended (lookahead cut short). */
  finish(): void {
    if (this.stopped) return;
    this.examine(this.tail, this.total - this.tail.length, this.tail.length - this.needle.length);
    this.stopped = true;
  }

  /** Reports matches starting at window indexes from `this.next` up to `last`, inclusive. */
  private examine(window: Buffer, windowStart: number, last: number): void {
    const first = Math.max(0, this.next - windowStart);
    if (last < first) return;
    let i = window.indexOf(this.needle, first);
    while (i !== -1 && i <= last) {
      if (this.onMatch(window, i, windowStart + i)) {
        this.stopped = true;
        return;
      }
      i = window.indexOf(this.needle, i + 1);
    }
    this.next = windowStart + last + 1;
  }
}

/** Gathers a fixed number of bytes (a header, a name) that may arrive split across chunks. */
export class Gather {
  private buffer: Buffer = Buffer.alloc(64);
  private have = 0;
  private want = 0;

  /** Starts gathering `n` bytes, discarding anything gathered before. */
  reset(n: number): void {
    if (n > this.buffer.length) this.buffer = Buffer.alloc(n);
    this.have = 0;
    this.want = n;
  }

  /** Takes what it still needs from `chunk` at `pos`; returns the position after what it took. */
  take(chunk: Buffer, pos: number): number {
    const n = Math.min(this.want - this.have, chunk.length - pos);
    chunk.copy(this.buffer, this.have, pos, pos + n);
    this.have += n;
    return pos + n;
  }

  get complete(): boolean {
    return this.have === this.want;
  }

  /** The gathered bytes; valid until the next reset. */
  get bytes(): Buffer {
    return this.buffer.subarray(0, this.have);
  }
}

/** The last `size` bytes of a stream, kept in a buffer of twice that (so copies amortise). */
export class TailWindow {
  private readonly buffer: Buffer;
  private length = 0;

  constructor(private readonly size: number) {
    this.buffer = Buffer.alloc(2 * size);
  }

  push(chunk: Buffer): void {
    if (chunk.length >= this.size) {
      chunk.copy(this.buffer, 0, chunk.length - this.size);
      this.length = this.size;
      return;
    }
    if (this.length + chunk.length > this.buffer.length) {
      const keep = this.size - chunk.length;
      this.buffer.copyWithin(0, this.length - keep, this.length);
      this.length = keep;
    }
    chunk.copy(this.buffer, this.length);
    this.length += chunk.length;
  }

  /** The last min(size, bytes seen) bytes. */
  bytes(): Buffer {
    return this.buffer.subarray(Math.max(0, this.length - this.size), this.length);
  }
}
