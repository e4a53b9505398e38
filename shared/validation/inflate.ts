import { crc32, createInflateRaw, type InflateRaw, inflateRawSync } from 'node:zlib';

/**
 * Tiny pieces are staged until this much has gathered; pieces at least this big go to zlib
 * directly (copied), in slices of FEED. Output is checked as zlib produces it and stops it at a
 * limit, mid-slice, so a bigger slice does not let a bomb run further.
 */
const SLICE = 64 * 1024;
/** zlib takes its input in slices of this size. */
const FEED = 1024 * 1024;
/**
 * Compressed bytes handed to zlib and not yet consumed, per entry, before `write` waits: zlib
 * inflates on libuv's thread pool while the caller hashes and walks on, so the two overlap; this
 * bounds the copies held meanwhile.
 */
export const MAX_BACKLOG = 8 * 1024 * 1024;
/**
 * zlib's output piece when the entry's size is not declared (a data descriptor follows it). Each
 * piece is one round trip between zlib's pool thread and this thread, so a big part wants big
 * pieces (a 24 MiB document part in 256 KiB pieces waits on this thread a hundred times); a small
 * one wants small ones, as zlib allocates its whole piece for every entry. A limit is passed by at
 * most one piece.
 */
export const OUTPUT_CHUNK = 256 * 1024;
const MIN_OUTPUT_CHUNK = 16 * 1024;
export const MAX_OUTPUT_CHUNK = 1024 * 1024;

/**
 * The output piece for an entry whose header declares `size` bytes (0: not declared): the power
 * of two above it, so that the whole entry fits one piece with room left (a piece filled exactly
 * costs zlib one more round to report the stream's end). The declared size only sizes the piece:
 * a header that lies makes inflating slower, never lets more through, since the output is counted
 * as it comes.
 */
export const outputChunkFor = (size: number): number =>
  size > 0 ? Math.min(MAX_OUTPUT_CHUNK, Math.max(MIN_OUTPUT_CHUNK, 2 ** Math.ceil(Math.log2(size + 1)))) : OUTPUT_CHUNK;

/** Called with each piece of an entry's real content; return false to stop (a limit was hit). */
export type OutputHandler = (data: Buffer) => boolean;

export type EntryMode = 'stored' | 'deflated' | 'opaque';

export interface EntryResult {
  /** Bytes the entry really expanded to (0 for opaque entries). */
  size: number;
  crc: number;
  /** zlib's complaint when the deflate data is corrupt or cut short. */
  error?: string;
}

/**
 * The data of one zip entry as it streams past. Stored data is passed through; deflated data
 * is inflated with zlib and the output counted, CRC'd and dropped, so headers that lie about
 * sizes do not matter. Opaque data (encrypted, or an unsupported method) is only counted.
 *
 * Deflated data is handed to zlib without waiting for it to be inflated: zlib works on libuv's
 * thread pool, so the caller goes on (hashing, walking the next entries, inflating them on other
 * pool threads) while it does; `write` waits only once MAX_BACKLOG is queued, and `end` waits for
 * all of it. Whatever zlib still has to read is a copy, so a chunk the producer later reuses is
 * never read late. Tiny pieces are staged into slices, so one-byte chunks do not cost one zlib
 * round trip each.
 */
export class EntryData {
  /** Compressed bytes handed to zlib, or passed through. */
  private taken = 0;
  private produced = 0;
  private crc = 0;
  /** zlib on the pool: made when the first slice is fed (an entry inflated here never needs one). */
  private inflater: InflateRaw | undefined;
  /** Compressed bytes read by an inflate done here, on this thread (`inflateHere`). */
  private consumedHere = 0;
  private staged: Buffer[] = [];
  private stagedBytes = 0;
  private error: string | undefined;
  private stopped = false;
  /** Bytes handed to zlib and not yet consumed. */
  private backlog = 0;
  private resume: (() => void) | undefined;
  /** The backlog at which a waiting `write` goes on. */
  private resumeAt = 0;
  /** zlib's output not yet checked, and whether a microtask will check it. */
  private unread: Buffer[] = [];
  private reading = false;

  constructor(
    private readonly mode: EntryMode,
    private readonly onOutput: OutputHandler,
    private readonly declaredSize = 0,
  ) {}

  get size(): number {
    return this.produced;
  }

  /** Whether zlib may still be working on this entry on libuv's pool. */
  get onPool(): boolean {
    return this.inflater !== undefined && !this.stopped;
  }

  /**
   * Compressed bytes zlib has really read so far (stored: passed through), the ratio's
   * denominator: not what is queued, so a queue ahead of zlib never excuses a bomb.
   */
  get consumed(): number {
    if (this.mode !== 'deflated') return this.taken;
    return (this.inflater?.bytesWritten ?? 0) + this.consumedHere;
  }

  async write(piece: Buffer): Promise<void> {
    if (piece.length === 0 || this.stopped || this.mode === 'opaque') return;
    if (this.mode === 'stored') {
      this.taken += piece.length;
      this.output(piece);
      return;
    }
    if (this.stagedBytes === 0 && piece.length >= SLICE) {
      const copy = Buffer.from(piece);
      for (let at = 0; at < copy.length && !this.stopped; at += FEED) this.feed(copy.subarray(at, at + FEED));
    } else {
      this.staged.push(Buffer.from(piece));
      this.stagedBytes += piece.length;
      if (this.stagedBytes >= SLICE) this.flush();
    }
    if (this.backlog > MAX_BACKLOG) await this.drained(MAX_BACKLOG / 2);
  }

  async end(): Promise<EntryResult> {
    if (this.mode === 'deflated' && !this.stopped) {
      // Never fed to the pool: a small entry, inflated here unless its output is too big for that.
      const inflatedHere = this.inflater === undefined && this.inflateHere();
      if (!inflatedHere) await this.endOnPool();
    }
    this.abort();
    return { size: this.produced, crc: this.crc, ...(this.error === undefined ? {} : { error: this.error }) };
  }

  /** Hands zlib the last staged bytes and waits until it has inflated everything. */
  private async endOnPool(): Promise<void> {
    this.flush();
    const inflater = this.inflater;
    if (!inflater || inflater.destroyed) return;
    await new Promise<void>((resolve) => {
      inflater.once('close', resolve);
      inflater.end();
    });
    this.readUnread();
    // zlib stops at the deflate stream's end and ignores the rest: bytes hidden there are
    // part of no file, like bytes between entries.
    if (this.error === undefined && inflater.bytesWritten < this.taken) {
      this.error = `${this.taken - inflater.bytesWritten} bytes after the end of the deflate stream`;
    }
  }

  /** Stops inflating and frees zlib's memory; safe to call more than once. */
  abort(): void {
    this.stopped = true;
    this.unread = [];
    if (this.inflater && !this.inflater.destroyed) this.inflater.destroy();
  }

  /**
   * zlib's output is checked in a microtask: zlib emits it just before it schedules its next
   * round on the pool, so the CRC and the part's checks of one piece run on this thread while
   * the pool inflates the next. A limit is then passed by at most one more piece.
   */
  private later(data: Buffer): void {
    this.unread.push(data);
    if (this.reading) return;
    this.reading = true;
    queueMicrotask(() => this.readUnread());
  }

  private readUnread(): void {
    this.reading = false;
    const unread = this.unread;
    this.unread = [];
    for (const data of unread) this.output(data);
  }

  private output(data: Buffer): void {
    if (this.stopped) return;
    this.produced += data.length;
    this.crc = crc32(data, this.crc);
    // Destroying zlib here stops it within one output piece (outputChunkFor), mid-slice.
    if (!this.onOutput(data)) this.abort();
  }

  private flush(): void {
    if (this.stagedBytes === 0) return;
    const all = Buffer.concat(this.staged, this.stagedBytes);
    this.staged = [];
    this.stagedBytes = 0;
    this.feed(all);
  }

  /**
   * A small entry read whole (never fed to the pool: under SLICE, all staged) is inflated here, at
   * once, when its output fits one piece: a round trip to the pool costs more than inflating a few
   * KiB, and an OFD has a few such parts per page. Returns false, having changed nothing, when the
   * output would be bigger than MAX_OUTPUT_CHUNK: then it streams through the pool as any other,
   * where the limits stop it piece by piece. A limit is thus still passed by at most one piece.
   */
  private inflateHere(): boolean {
    const input = Buffer.concat(this.staged, this.stagedBytes);
    let buffer: Buffer;
    let consumed: number;
    try {
      // `info: true` returns the engine too (its bytesWritten: input read); @types/node has no overload for it.
      const result = inflateRawSync(input, { maxOutputLength: MAX_OUTPUT_CHUNK, info: true }) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      buffer = result.buffer;
      consumed = result.engine.bytesWritten;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return false;
      buffer = Buffer.alloc(0);
      consumed = input.length;
      this.error ??= (error as Error).message;
    }
    this.staged = [];
    this.stagedBytes = 0;
    this.taken += input.length;
    this.consumedHere = consumed;
    if (buffer.length > 0) this.output(buffer);
    // As on the pool: bytes after the deflate stream's end are part of no file.
    if (this.error === undefined && consumed < input.length) {
      this.error = `${input.length - consumed} bytes after the end of the deflate stream`;
    }
    return true;
  }

  /** zlib on libuv's pool, made for the first slice fed. */
  private poolInflater(): InflateRaw {
    if (this.inflater) return this.inflater;
    const inflater = createInflateRaw({ chunkSize: outputChunkFor(this.declaredSize) });
    inflater.on('data', (data: Buffer) => this.later(data));
    inflater.on('error', (error) => {
      this.error ??= error.message;
    });
    inflater.on('close', () => this.wake());
    this.inflater = inflater;
    return inflater;
  }

  /** Queues `data` (owned: never changed later) for zlib; counted in the backlog until consumed. */
  private feed(data: Buffer): void {
    if (this.mode !== 'deflated' || this.error !== undefined || this.stopped) return;
    const inflater = this.poolInflater();
    if (inflater.destroyed) return;
    this.taken += data.length;
    this.backlog += data.length;
    inflater.write(data, () => {
      this.backlog -= data.length;
      if (this.backlog <= this.resumeAt) this.wake();
    });
  }

  /** Resolves once zlib has read everything queued (or has failed or been destroyed). */
  caughtUp(): Promise<void> {
    this.flush();
    return this.drained(0);
  }

  /** Resolves once the backlog is down to `bytes` (or zlib has failed or been destroyed). */
  private drained(bytes: number): Promise<void> {
    if (this.backlog <= bytes || !this.inflater || this.inflater.destroyed) return Promise.resolve();
    this.resumeAt = bytes;
    return new Promise((resolve) => {
      this.resume = resolve;
    });
  }

  private wake(): void {
    const resume = this.resume;
    this.resume = undefined;
    resume?.();
  }
}
