import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The SHA-256 of a file read piece by piece, as the validator reads it, and the CRC-32 of any
 * stretch of it that the zip walk asks for (a stored entry's data).
 *
 * SHA-256 is the one cost every file pays in full: about half the validator's time on a PDF or on
 * an OFD of photos, and a stored entry's CRC-32 another sixth. On a machine with a second core, a
 * big file's bytes are hashed on a worker thread while this thread walks and checks them (and
 * zlib inflates on libuv's pool); the worker also takes the CRC-32 of the stretches it was asked
 * for, as the bytes pass. It runs at the lowest priority, so it takes spare CPU only: zlib's
 * thread and the walk are the critical path. Each piece is copied into one of a few staging
 * buffers, which the worker hands back once hashed: the copy costs about a tenth of the hashing it
 * saves, the producer may reuse its chunk at once, and the staging buffers bound what is held
 * (`update` waits while all are out).
 *
 * Node's crypto has no asynchronous streaming hash (WebCrypto's digest is one-shot, over the
 * whole file in memory), so the worker is ours: a few dozen lines, evaluated from a string, so
 * that the bundled Lambda needs no second file.
 */
export interface FileDigest {
  /** Takes a piece (never kept: copied if needed); a promise when the caller must wait before the next. */
  update(piece: Uint8Array): Promise<void> | undefined;
  /**
   * The CRC-32 of `length` bytes from `start` (a position in the file), once they have passed;
   * undefined when this digest cannot take it (hashed here, or those bytes already went by), and
   * the caller computes it itself. The promise may settle only after `digest` is called.
   */
  crcOf(start: number, length: number): Promise<number> | undefined;
  /** The lowercase hex digest of every piece given; the digest is then spent. */
  digest(): Promise<string>;
  /** Gives up on this digest (the read failed), freeing what it holds. */
  abandon(): void;
}

/** Files at least this big are hashed beside the walk; smaller ones cost less than the hand-off. */
export const HASH_BESIDE_FROM_BYTES = 4 * 1024 * 1024;
/** Each staging buffer, handed to the worker whole. */
export const STAGING_BYTES = 1024 * 1024;
/** Staging buffers per digest: bytes copied and not yet hashed stay under this many MiB. */
export const STAGING_BUFFERS = 4;

/**
 * A digest for a file expected to be `expectedBytes` long: hashed beside the walk when the file is
 * big and there is a core to do it on, here otherwise. `options.beside` overrides the choice.
 */
export function fileDigest(expectedBytes: number, options: { beside?: boolean } = {}): FileDigest {
  const beside = options.beside ?? (expectedBytes >= HASH_BESIDE_FROM_BYTES && availableParallelism() > 1);
  return beside ? new WorkerDigest(hashWorker()) : inlineDigest();
}

function inlineDigest(): FileDigest {
  const hash = createHash('sha256');
  return {
    update(piece) {
      hash.update(piece);
      return undefined;
    },
    crcOf: () => undefined,
    digest: async () => hash.digest('hex'),
    abandon: () => undefined,
  };
}

/** What the worker runs: one hash per digest id, each buffer hashed and handed back. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { crc32 } = require('node:zlib');
try {
  // The lowest priority (Linux: a thread's own nice value): this thread takes spare CPU only,
  // after zlib's pool threads and the walk, which are the validator's critical path.
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, 19);
} catch {}
const files = new Map();
const file = (id) => {
  let f = files.get(id);
  if (!f) files.set(id, (f = { hash: createHash('sha256'), at: 0, ranges: [] }));
  return f;
};
parentPort.on('message', (m) => {
  if (m.range !== undefined) {
    file(m.id).ranges.push({ key: m.range, start: m.start, end: m.start + m.length, crc: 0 });
  } else if (m.buffer) {
    const f = file(m.id);
    const bytes = new Uint8Array(m.buffer, 0, m.length);
    f.hash.update(bytes);
    const from = f.at;
    const to = from + m.length;
    f.ranges = f.ranges.filter((r) => {
      const a = Math.max(r.start, from);
      const b = Math.min(r.end, to);
      if (b > a) r.crc = crc32(bytes.subarray(a - from, b - from), r.crc);
      if (r.end > to) return true;
      parentPort.postMessage({ id: m.id, range: r.key, crc: r.crc });
      return false;
    });
    f.at = to;
    parentPort.postMessage({ id: m.id, buffer: m.buffer }, [m.buffer]);
  } else if (m.end) {
    const hash = file(m.id).hash;
    files.delete(m.id);
    parentPort.postMessage({ id: m.id, hex: hash.digest('hex') });
  } else if (m.drop) {
    files.delete(m.id);
  }
});
`;

type FromWorker =
  { id: number; buffer: ArrayBuffer } | { id: number; range: number; crc: number } | { id: number; hex: string };

interface Listener {
  returned(buffer: ArrayBuffer): void;
  crc(range: number, value: number): void;
  digested(hex: string): void;
  failed(error: Error): void;
}

/** The one hashing thread, shared by every digest in this process; started on first use. */
class HashWorker {
  private readonly worker: Worker;
  private readonly listeners = new Map<number, Listener>();
  private nextId = 1;
  broken = false;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    // A digest in progress refs the worker (see open); an idle one must not keep a process alive.
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => {
      const listener = this.listeners.get(message.id);
      if (!listener) return;
      if ('hex' in message) listener.digested(message.hex);
      else if ('range' in message) listener.crc(message.range, message.crc);
      else listener.returned(message.buffer);
    });
    const fail = (error: Error) => {
      this.broken = true;
      for (const listener of this.listeners.values()) listener.failed(error);
      this.listeners.clear();
      this.worker.unref();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the hashing thread stopped (exit code ${code})`)));
  }

  open(listener: Listener): number {
    const id = this.nextId++;
    this.listeners.set(id, listener);
    this.worker.ref();
    return id;
  }

  send(id: number, buffer: ArrayBuffer, length: number): void {
    this.worker.postMessage({ id, buffer, length }, [buffer]);
  }

  range(id: number, range: number, start: number, length: number): void {
    this.worker.postMessage({ id, range, start, length });
  }

  end(id: number): void {
    this.worker.postMessage({ id, end: true });
  }

  close(id: number, drop: boolean): void {
    if (drop) this.worker.postMessage({ id, drop: true });
    this.listeners.delete(id);
    if (this.listeners.size === 0) this.worker.unref();
  }

  /** Stops the thread (tests: a thread that dies mid-digest). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

let shared: HashWorker | undefined;

function hashWorker(): HashWorker {
  if (!shared || shared.broken) shared = new HashWorker();
  return shared;
}

/** Tests only: stops the shared hashing thread, as a crash would; the next digest starts another. */
export async function stopHashWorkerForTest(): Promise<void> {
  await shared?.terminate();
}

interface Settle<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

class WorkerDigest implements FileDigest {
  private readonly id: number;
  /** Staging buffers back from the worker (or never sent), ready to fill. */
  private readonly free: ArrayBuffer[] = [];
  private allocated = 0;
  private current: Uint8Array | undefined;
  private filled = 0;
  /** File bytes handed to the worker so far (staged bytes not yet included). */
  private posted = 0;
  private waiting: (() => void) | undefined;
  private readonly ranges = new Map<number, Settle<number>>();
  private nextRange = 1;
  private settle: Settle<string> | undefined;
  private error: Error | undefined;

  constructor(private readonly worker: HashWorker) {
    this.id = worker.open({
      returned: (buffer) => {
        this.free.push(buffer);
        this.wake();
      },
      crc: (range, value) => {
        this.ranges.get(range)?.resolve(value);
        this.ranges.delete(range);
      },
      digested: (hex) => {
        this.worker.close(this.id, false);
        this.settle?.resolve(hex);
      },
      failed: (error) => {
        this.error = error;
        this.settle?.reject(error);
        for (const range of this.ranges.values()) range.reject(error);
        this.ranges.clear();
        this.wake();
      },
    });
  }

  update(piece: Uint8Array): Promise<void> | undefined {
    if (this.error) throw this.error;
    let at = 0;
    while (at < piece.length) {
      const current = this.current ?? this.take();
      if (!current) return this.updateLater(piece.subarray(at));
      const n = Math.min(piece.length - at, current.length - this.filled);
      current.set(piece.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === current.length) this.post();
    }
    return undefined;
  }

  crcOf(start: number, length: number): Promise<number> | undefined {
    // The worker reads each byte once, in order: a stretch it may already have passed is the caller's.
    if (this.error || length === 0 || start < this.posted) return undefined;
    const range = this.nextRange++;
    const crc = new Promise<number>((resolve, reject) => this.ranges.set(range, { resolve, reject }));
    this.worker.range(this.id, range, start, length);
    return crc;
  }

  digest(): Promise<string> {
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      if (this.filled > 0) this.post();
      this.worker.end(this.id);
    });
  }

  abandon(): void {
    this.worker.close(this.id, true);
    this.ranges.clear();
    this.free.length = 0;
    this.current = undefined;
  }

  /** The rest of a piece, once a staging buffer is back: copied before this returns its promise. */
  private async updateLater(rest: Uint8Array): Promise<void> {
    const copy = Buffer.from(rest);
    while (this.free.length === 0 && !this.error) {
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
    if (this.error) throw this.error;
    const more = this.update(copy);
    if (more) await more;
  }

  private take(): Uint8Array | undefined {
    let buffer = this.free.pop();
    if (!buffer && this.allocated < STAGING_BUFFERS) {
      buffer = new ArrayBuffer(STAGING_BYTES);
      this.allocated++;
    }
    if (!buffer) return undefined;
    this.current = new Uint8Array(buffer);
    this.filled = 0;
    return this.current;
  }

  private post(): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    this.worker.send(this.id, current.buffer as ArrayBuffer, this.filled);
    this.posted += this.filled;
    this.filled = 0;
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
