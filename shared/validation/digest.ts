import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The SHA-256 of a file read piece by piece, as the validator reads it.
 *
 * SHA-256 is the one cost every file pays in full: about half the validator's time on a PDF or on
 * an OFD of photos. On a machine with a second core, a big file's bytes are hashed on a worker
 * thread while this thread walks and checks them (and zlib inflates on libuv's pool). The worker
 * runs at the lowest priority, so it takes spare CPU only: where zlib's thread is the long pole
 * (a DOCX's document part), hashing yields to it. Each piece is copied into one of a few staging
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
 * big and there is a core to do it on, here otherwise. `beside` overrides the choice.
 */
export function fileDigest(expectedBytes: number, beside?: boolean): FileDigest {
  const useThread = beside ?? (expectedBytes >= HASH_BESIDE_FROM_BYTES && availableParallelism() > 1);
  return useThread ? new WorkerDigest(hashWorker()) : inlineDigest();
}

function inlineDigest(): FileDigest {
  const hash = createHash('sha256');
  return {
    update(piece) {
      hash.update(piece);
      return undefined;
    },
    digest: async () => hash.digest('hex'),
    abandon: () => undefined,
  };
}

/** What the worker runs: one hash per digest id, each buffer hashed and handed back. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
try {
  // The lowest priority (Linux: a thread's own nice value), so that hashing takes spare CPU only.
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, 19);
} catch {}
const hashes = new Map();
const hashOf = (id) => {
  let hash = hashes.get(id);
  if (!hash) hashes.set(id, (hash = createHash('sha256')));
  return hash;
};
parentPort.on('message', (m) => {
  if (m.buffer) {
    hashOf(m.id).update(new Uint8Array(m.buffer, 0, m.length));
    parentPort.postMessage({ id: m.id, buffer: m.buffer }, [m.buffer]);
  } else if (m.end) {
    const hash = hashOf(m.id);
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, hex: hash.digest('hex') });
  } else if (m.drop) {
    hashes.delete(m.id);
  }
});
`;

type FromWorker = { id: number; buffer: ArrayBuffer } | { id: number; hex: string };

interface Listener {
  returned(buffer: ArrayBuffer): void;
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

class WorkerDigest implements FileDigest {
  private readonly id: number;
  /** Staging buffers back from the worker (or never sent), ready to fill. */
  private readonly free: ArrayBuffer[] = [];
  private allocated = 0;
  private current: Uint8Array | undefined;
  private filled = 0;
  private waiting: (() => void) | undefined;
  private settle: { resolve(hex: string): void; reject(error: Error): void } | undefined;
  private error: Error | undefined;

  constructor(private readonly worker: HashWorker) {
    this.id = worker.open({
      returned: (buffer) => {
        this.free.push(buffer);
        this.wake();
      },
      digested: (hex) => {
        this.worker.close(this.id, false);
        this.settle?.resolve(hex);
      },
      failed: (error) => {
        this.error = error;
        this.settle?.reject(error);
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
    this.filled = 0;
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
