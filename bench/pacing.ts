import { abortReason, type Timers } from '../local/stepfunctions/clock.ts';

/**
 * How the ladder and fault benches pace themselves: a clock whose sleeps are held until the bench
 * releases them, a pool and a limiter for requests in flight, and the Progress the phases wait on
 * (checked whenever something changes, never on a timer).
 */

/**
 * What the bench rejects and throws with: what was thrown, when it is an Error (the bench's tasks
 * and conditions only throw Errors), or else an Error that carries it as its cause.
 */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error('a non-Error was thrown', { cause: thrown });
}

// ---- a held clock -----------------------------------------------------------------------------

interface HeldSleep {
  due: number;
  wake: () => void;
}

/**
 * Real `now()`; every sleep is held until `release()` lets it end. A sleep that is aborted (its
 * task was answered, its execution ended) is forgotten, so what is held is exactly what waits.
 */
export class HeldClock implements Timers {
  private readonly sleeps = new Set<HeldSleep>();

  /** `onChange` hears each sleep begin and end: what is held is what the bench waits on. */
  constructor(private readonly onChange: () => void = () => undefined) {}

  now(): number {
    return Date.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.sleeps.delete(sleep);
        this.onChange();
        reject(abortReason(signal as AbortSignal));
      };
      const sleep: HeldSleep = {
        due: Date.now() + ms,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleeps.add(sleep);
      this.onChange();
    });
  }

  get held(): number {
    return this.sleeps.size;
  }

  /** How many held sleeps are due at or before `until` (epoch ms): what `release(until)` would end. */
  heldUntil(until: number): number {
    let due = 0;
    for (const sleep of this.sleeps) if (sleep.due <= until) due += 1;
    return due;
  }

  /** When each held sleep would end, soonest first. */
  dues(): number[] {
    return [...this.sleeps].map((s) => s.due).sort((a, b) => a - b);
  }

  /** Ends every held sleep due at or before `until` (epoch ms); returns how many. */
  release(until: number): number {
    let woken = 0;
    for (const sleep of [...this.sleeps]) {
      if (sleep.due > until) continue;
      this.sleeps.delete(sleep);
      sleep.wake();
      woken += 1;
    }
    if (woken > 0) this.onChange();
    return woken;
  }
}

// ---- small helpers ----------------------------------------------------------------------------

/** Runs `fn` over `items` with at most `limit` in flight; rejects with the first failure. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A counting semaphore for work that arrives over time (the reviewers' decisions). */
export class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  private readonly running = new Set<Promise<void>>();
  failure: Error | undefined;

  /** `settled` hears each task end (after a failure is recorded). */
  constructor(
    private readonly limit: number,
    private readonly settled: () => void = () => undefined,
  ) {}

  run(task: () => Promise<void>): void {
    const start = () => {
      this.active += 1;
      const promise = task()
        .catch((error: unknown) => {
          this.failure ??= asError(error);
        })
        .finally(() => {
          this.active -= 1;
          this.running.delete(promise);
          this.queue.shift()?.();
          this.settled();
        });
      this.running.add(promise);
    };
    if (this.active < this.limit) start();
    else this.queue.push(start);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0 || this.queue.length > 0) await Promise.allSettled([...this.running]);
  }
}

/**
 * What the bench waits on changes only when something happens: a decision, a sleep held or
 * released, an execution ended. Each of those calls `notify()`, and `until` checks its condition
 * then (never on a timer).
 */
export class Progress {
  private readonly checks = new Set<() => void>();

  readonly notify = (): void => {
    for (const check of [...this.checks]) check();
  };

  /** Resolves once `condition()` holds; rejects if it throws, or after `timeoutMs` with `describe()`. */
  until(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.checks.delete(check);
      };
      const check = () => {
        let holds: boolean;
        try {
          holds = condition();
        } catch (error) {
          done();
          reject(asError(error));
          return;
        }
        if (!holds) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`ladder bench: timed out waiting for ${describe()}`));
      }, timeoutMs);
      this.checks.add(check);
      check();
    });
  }
}
