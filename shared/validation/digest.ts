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
 * saves, and the staging buffers bound what is held (while all are out, `update` answers with a
 * promise and the caller holds its piece until it settles). The staging buffers are shared memory, given to the thread
 * once and named by number afterwards: a buffer transferred back and forth is a new ArrayBuffer on
 * each side at each crossing, and V8 counted those as fresh external memory, so a 45 MiB OFD cost
 * two full collections on the walking thread (a fifth of its time) where it now costs none.
 *
 * Node's crypto has no asynchronous streaming hash (WebCrypto's digest is one-shot, over the
 * whole file in memory), so the worker is ours: a few dozen lines, evaluated from a string, so
 * that the bundled Lambda needs no second file.
 */
export interface FileDigest {
  /**
   * Takes a piece. Returns undefined when the piece is taken (copied); otherwise a promise, until
   * which the rest of the piece is still to be read: the caller keeps the piece unchanged and
   * gives no other piece until it settles (it may read the piece meanwhile, as the walk does).
   */
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
const slots = [];
const hashOf = (id) => {
  let hash = hashes.get(id);
  if (!hash) hashes.set(id, (hash = createHash('sha256')));
  return hash;
};
parentPort.on('message', (m) => {
  if (m.shared) {
    slots[m.slot] = new Uint8Array(m.shared);
  } else if (m.length !== undefined) {
    hashOf(m.id).update(slots[m.slot].subarray(0, m.length));
    parentPort.postMessage({ id: m.id, slot: m.slot });
  } else if (m.end) {
    const hash = hashOf(m.id);
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, hex: hash.digest('hex') });
  } else if (m.drop) {
    hashes.delete(m.id);
  }
});
`;

type FromWorker = { id: number; slot: number } | { id: number; hex: string };

interface Listener {
  returned(slot: number): void;
  digested(hex: string): void;
  failed(error: Error): void;
}

/** The one hashing thread, shared by every digest in this process; started on first use. */
class HashWorker {
  private readonly worker: Worker;
  private readonly listeners = new Map<number, Listener>();
  private nextId = 1;
  /** Every staging buffer the thread was given, by number, and the numbers no digest holds. */
  private readonly slots: Uint8Array[] = [];
  private readonly idleSlots: number[] = [];
  broken = false;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    // A digest in progress refs the worker (see open); an idle one must not keep a process alive.
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => {
      const listener = this.listeners.get(message.id);
      if ('hex' in message) listener?.digested(message.hex);
      // A buffer coming back to an abandoned digest goes back to the pool.
      else if (listener) listener.returned(message.slot);
      else this.release(message.slot);
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

  /** A staging buffer from the pool, or a new one given to the thread; returned with `release`. */
  lease(): number {
    const idle = this.idleSlots.pop();
    if (idle !== undefined) return idle;
    const slot = this.slots.length;
    const shared = new SharedArrayBuffer(STAGING_BYTES);
    this.slots.push(new Uint8Array(shared));
    this.worker.postMessage({ slot, shared });
    return slot;
  }

  get stagingBuffers(): number {
    return this.slots.length;
  }

  staging(slot: number): Uint8Array {
    return this.slots[slot] as Uint8Array;
  }

  release(slot: number): void {
    this.idleSlots.push(slot);
  }

  send(id: number, slot: number, length: number): void {
    this.worker.postMessage({ id, slot, length });
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

/** Tests only: how many staging buffers the shared hashing thread was given. */
export const stagingBuffersForTest = (): number => shared?.stagingBuffers ?? 0;

/** Tests only: stops the shared hashing thread, as a crash would; the next digest starts another. */
export async function stopHashWorkerForTest(): Promise<void> {
  await shared?.terminate();
}

class WorkerDigest implements FileDigest {
  private readonly id: number;
  /** Staging buffers (the worker's slot numbers) back from the worker or never sent, ready to fill. */
  private readonly free: number[] = [];
  private leased = 0;
  private current: { slot: number; view: Uint8Array } | undefined;
  private filled = 0;
  private waiting: (() => void) | undefined;
  private settle: { resolve(hex: string): void; reject(error: Error): void } | undefined;
  private error: Error | undefined;

  constructor(private readonly worker: HashWorker) {
    this.id = worker.open({
      returned: (slot) => {
        this.free.push(slot);
        this.wake();
      },
      digested: (hex) => {
        this.worker.close(this.id, false);
        this.releaseHeld();
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
      const n = Math.min(piece.length - at, current.view.length - this.filled);
      current.view.set(piece.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === current.view.length) this.post();
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
    // Buffers still with the thread go back to the pool when it hands them back.
    this.worker.close(this.id, true);
    this.releaseHeld();
    this.error ??= new Error('the digest was abandoned');
    this.wake();
  }

  /**
   * The rest of a piece, once a staging buffer is back. Not copied meanwhile: the caller holds the
   * piece until this settles, and a copy of every MiB the thread lags behind was what made V8
   * collect (external memory) on a big file of stored photos.
   */
  private async updateLater(rest: Uint8Array): Promise<void> {
    while (this.free.length === 0 && !this.error) {
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
    if (this.error) throw this.error;
    const more = this.update(rest);
    if (more) await more;
  }

  private take(): { slot: number; view: Uint8Array } | undefined {
    let slot = this.free.pop();
    if (slot === undefined && this.leased < STAGING_BUFFERS) {
      slot = this.worker.lease();
      this.leased++;
    }
    if (slot === undefined) return undefined;
    this.current = { slot, view: this.worker.staging(slot) };
    this.filled = 0;
    return this.current;
  }

  private post(): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    this.worker.send(this.id, current.slot, this.filled);
    this.filled = 0;
  }

  /** Gives the pool every staging buffer this digest holds here (not those with the thread). */
  private releaseHeld(): void {
    if (this.current) this.free.push(this.current.slot);
    this.current = undefined;
    for (const slot of this.free.splice(0)) this.worker.release(slot);
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
