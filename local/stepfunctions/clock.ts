/**
 * Time as the local Step Functions engine sees it. Every Wait state, Timestamp wait, task timeout,
 * heartbeat timeout and execution timeout goes through a `Timers` object, so it can be real
 * (default), compressed (`speedup`) or driven by hand in tests (`ManualClock`).
 *
 * Not covered: Retry intervals. aws-local-stepfunctions sleeps between retries itself, in real
 * time; the engine scales the definition's IntervalSeconds/MaxDelaySeconds instead (see
 * `LocalStepFunctionsOptions.retry`).
 */

export interface Timers {
  /** Epoch milliseconds: "now" for Timestamp waits and for the dates the engine reports. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds (at once when ms <= 0); rejects with the signal's reason when
   * the signal aborts first, and must then forget the timer.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface ClockOptions {
  /**
   * Compressed clock for demos: every Wait duration (Seconds, SecondsPath, and the time left
   * until a Timestamp/TimestampPath), every task timeout and heartbeat, and the execution
   * timeout are divided by this. 3600 makes an hour pass in a second; 86_400 a day. Default 1.
   * Must be a finite number > 0 (timeouts would otherwise fire at once).
   */
  speedup?: number;
  /** Where time comes from. Default: real time (`realTimers`); tests pass a `ManualClock`. */
  timers?: Timers;
}

/** setTimeout's longest delay; longer sleeps are chained (a deadline months away is normal here). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Why an aborted sleep rejects: the signal's own reason, which is an Error wherever this code
 * aborts (an ExecutionClosedError, or abort()'s AbortError), so callers can check what it is.
 * A reason that is no Error is carried as the `cause` of an AbortError.
 */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new DOMException('The operation was aborted', 'AbortError');
  return reason === undefined ? error : Object.assign(error, { cause: reason });
}

/** Real time: Date.now() and setTimeout, with sleeps longer than ~24.8 days chained. */
export const realTimers: Timers = {
  now: () => Date.now(),
  sleep(ms, signal) {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + ms;
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      const arm = () => {
        const left = deadline - Date.now();
        if (left <= 0) {
          signal?.removeEventListener('abort', onAbort);
          resolve();
          return;
        }
        timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      arm();
    });
  },
};

/** Lets promise chains and setImmediate-deferred work settle (a few macrotask turns). */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

interface ManualTimer {
  at: number;
  seq: number;
  wake: () => void;
}

/**
 * A clock that only moves when told to: for tests that need Wait states and task timeouts
 * without waiting in real time.
 *
 *   const clock = new ManualClock();
 *   const engine = new LocalStepFunctions({ clock: { timers: clock }, retry: { intervalScale: 0 } });
 *   …start an execution that reaches a one-hour Wait…
 *   await clock.whenPending();        // the Wait (or a task timeout) is now sleeping
 *   await clock.advance(3_600_000);   // wakes it, and anything else due within that hour
 */
export class ManualClock implements Timers {
  private current: number;
  private readonly timers = new Set<ManualTimer>();
  private seq = 0;
  private readonly watchers = new Set<() => void>();

  constructor(startMs: number = Date.now()) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.timers.delete(timer);
        reject(abortReason(signal as AbortSignal));
      };
      const timer: ManualTimer = {
        at: this.current + ms,
        seq: this.seq++,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.add(timer);
      for (const watcher of [...this.watchers]) watcher();
    });
  }

  /** How many sleeps are waiting. */
  get pending(): number {
    return this.timers.size;
  }

  /** Milliseconds from now until each pending sleep ends, soonest first. */
  pendingDelays(): number[] {
    return [...this.timers].map((t) => t.at - this.current).sort((a, b) => a - b);
  }

  /**
   * Moves time forward by `ms`, waking every sleep that falls due on the way, in order, and
   * letting woken code run between (so a sleep it starts is woken too if it falls due in time).
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + Math.max(0, ms);
    for (;;) {
      await settle();
      const next = this.soonest();
      if (!next || next.at > target) break;
      this.current = Math.max(this.current, next.at);
      this.timers.delete(next);
      next.wake();
    }
    this.current = target;
    await settle();
  }

  /** Jumps to the soonest pending sleep and wakes it. Returns false when nothing is sleeping. */
  async next(): Promise<boolean> {
    await settle();
    const next = this.soonest();
    if (!next) return false;
    await this.advance(next.at - this.current);
    return true;
  }

  /**
   * Resolves once at least `count` sleeps are pending (the code under test has reached its Wait
   * or armed its task timeout); rejects after `timeoutMs` of real time.
   */
  whenPending(count = 1, timeoutMs = 5_000): Promise<void> {
    if (this.timers.size >= count) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.watchers.delete(check);
        reject(new Error(`ManualClock: ${this.timers.size} of ${count} sleeps pending after ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (this.timers.size < count) return;
        clearTimeout(timer);
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
    });
  }

  private soonest(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const timer of this.timers) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  }
}
