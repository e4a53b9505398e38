import { crc32, createInflateRaw, type InflateRaw } from 'node:zlib';

/**
 * Tiny pieces are staged until this much has gathered; pieces at least this big go to zlib
 * directly, in slices of FEED, awaiting each. Output is checked as zlib produces it and stops
 * it at a limit, mid-slice, so a bigger slice does not let a bomb run further.
 */
const SLICE = 64 * 1024;
/** Each awaited zlib round trip costs a thread hop and a callback: 1 MiB slices keep them few. */
const FEED = 1024 * 1024;
/** zlib's output piece: bigger pieces cost fewer callbacks; a limit is passed by at most one. */
export const OUTPUT_CHUNK = 256 * 1024;

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
 * Tiny pieces are staged (copied) into slices, so one-byte chunks do not cost one zlib round
 * trip each; big pieces go to zlib directly and are awaited before the caller moves on, so a
 * chunk the producer later reuses is never read late.
 */
export class EntryData {
  /** Compressed bytes handed to zlib (or passed through) so far: the ratio's denominator. */
  consumed = 0;
  private produced = 0;
  private crc = 0;
  private readonly inflater: InflateRaw | undefined;
  private staged: Buffer[] = [];
  private stagedBytes = 0;
  private error: string | undefined;
  private stopped = false;

  constructor(
    private readonly mode: EntryMode,
    private readonly onOutput: OutputHandler,
  ) {
    if (mode !== 'deflated') return;
    this.inflater = createInflateRaw({ chunkSize: OUTPUT_CHUNK });
    this.inflater.on('data', (data: Buffer) => this.output(data));
    this.inflater.on('error', (error) => {
      this.error ??= error.message;
    });
  }

  get size(): number {
    return this.produced;
  }

  async write(piece: Buffer): Promise<void> {
    if (piece.length === 0 || this.stopped || this.mode === 'opaque') return;
    if (this.mode === 'stored') {
      this.consumed += piece.length;
      this.output(piece);
      return;
    }
    if (this.stagedBytes === 0 && piece.length >= SLICE) {
      for (let at = 0; at < piece.length && !this.stopped; at += FEED) {
        await this.feed(piece.subarray(at, at + FEED));
      }
      return;
    }
    this.staged.push(Buffer.from(piece));
    this.stagedBytes += piece.length;
    if (this.stagedBytes >= SLICE) await this.flush();
  }

  async end(): Promise<EntryResult> {
    const inflater = this.inflater;
    if (inflater && !this.stopped) await this.flush();
    if (inflater && !this.stopped && !inflater.destroyed) {
      await new Promise<void>((resolve) => {
        inflater.once('close', resolve);
        inflater.end();
      });
      // zlib stops at the deflate stream's end and ignores the rest: bytes hidden there are
      // part of no file, like bytes between entries.
      if (this.error === undefined && inflater.bytesWritten < this.consumed) {
        this.error = `${this.consumed - inflater.bytesWritten} bytes after the end of the deflate stream`;
      }
    }
    this.abort();
    return { size: this.produced, crc: this.crc, ...(this.error === undefined ? {} : { error: this.error }) };
  }

  /** Stops inflating and frees zlib's memory; safe to call more than once. */
  abort(): void {
    this.stopped = true;
    if (this.inflater && !this.inflater.destroyed) this.inflater.destroy();
  }

  private output(data: Buffer): void {
    if (this.stopped) return;
    this.produced += data.length;
    this.crc = crc32(data, this.crc);
    // Destroying zlib here stops it within one output chunk (OUTPUT_CHUNK), mid-slice.
    if (!this.onOutput(data)) this.abort();
  }

  private async flush(): Promise<void> {
    if (this.stagedBytes === 0) return;
    const all = Buffer.concat(this.staged, this.stagedBytes);
    this.staged = [];
    this.stagedBytes = 0;
    for (let at = 0; at < all.length && !this.stopped; at += SLICE) {
      await this.feed(all.subarray(at, at + SLICE));
    }
  }

  /** Resolves once zlib has consumed `data` (or has failed or been destroyed). */
  private feed(data: Buffer): Promise<void> {
    const inflater = this.inflater;
    if (!inflater || this.error !== undefined || inflater.destroyed) return Promise.resolve();
    this.consumed += data.length;
    return new Promise((resolve) => {
      const done = () => {
        inflater.off('close', done);
        resolve();
      };
      inflater.once('close', done);
      inflater.write(data, done);
    });
  }
}
