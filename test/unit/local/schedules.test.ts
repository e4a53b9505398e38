import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MIN_INTERVAL_MS, startLocalSchedules } from '../../../local/schedules.ts';
import { SCHEDULED_FUNCTIONS } from '../../../shared/platform/functions.ts';

/** The local stand-in for EventBridge schedules: timed runs, one at a time, errors logged. */
const HOUR = 3_600_000;

function recorder() {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    log: {
      info: (message: string) => lines.push({ level: 'info', message }),
      warn: (message: string) => lines.push({ level: 'warn', message }),
      error: (message: string) => lines.push({ level: 'error', message }),
    },
  };
}

/** A run the test finishes by hand. */
function gate() {
  let open!: (value: unknown) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('local schedules', () => {
  it('runs each scheduled function every everyMinutes, divided by the speedup, with a Scheduled Event', async () => {
    const { log } = recorder();
    const events: ScheduledEvent[] = [];
    const schedules = startLocalSchedules({
      region: 'cn-north-1',
      log,
      invoke: async (name, event) => {
        events.push(event);
        return { name };
      },
    });
    expect(schedules.intervalMs('sweeper')).toBe(SCHEDULED_FUNCTIONS.sweeper.everyMinutes * 60_000);
    await vi.advanceTimersByTimeAsync(HOUR - 1);
    expect(events).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ 'detail-type': 'Scheduled Event', region: 'cn-north-1', detail: {} });
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(events).toHaveLength(2);
    await schedules.stop();

    const fast = startLocalSchedules({ region: 'cn-north-1', log, speedup: 60, invoke: async () => undefined });
    expect(fast.intervalMs('sweeper')).toBe(60_000);
    await fast.stop();
    const floored = startLocalSchedules({ region: 'cn-north-1', log, speedup: 200_000, invoke: async () => undefined });
    expect(floored.intervalMs('sweeper')).toBe(MIN_INTERVAL_MS);
    await floored.stop();
    const every = startLocalSchedules({ region: 'cn-north-1', log, everyMs: 30_000, invoke: async () => undefined });
    expect(every.intervalMs('sweeper')).toBe(30_000);
    await every.stop();
  });

  it('never overlaps runs: the next is timed from the end of the last', async () => {
    const { log } = recorder();
    const runs: ReturnType<typeof gate>[] = [];
    const schedules = startLocalSchedules({
      region: 'cn-north-1',
      log,
      everyMs: 10_000,
      invoke: () => {
        const run = gate();
        runs.push(run);
        return run.promise;
      },
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000); // the run is still going: nothing else starts
    expect(runs).toHaveLength(1);
    runs[0]?.open({ remindersSent: 2 });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(2);
    runs[1]?.open(undefined);
    await schedules.stop();
  });

  it('logs a failed run and keeps the schedule', async () => {
    const { log, lines } = recorder();
    let calls = 0;
    const schedules = startLocalSchedules({
      region: 'cn-north-1',
      log,
      everyMs: 10_000,
      invoke: async () => {
        calls += 1;
        if (calls === 1) throw new Error('DynamoDB is down');
        return { remindersSent: 1, escalationsSent: 0 };
      },
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(lines).toContainEqual({ level: 'error', message: 'sweeper: the scheduled run failed' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(2);
    expect(lines.at(-1)?.message).toMatch(/^sweeper: ran in \d+ ms: remindersSent 1, escalationsSent 0$/);
    await schedules.stop();
  });

  it('runNow shares a run under way; stop() waits for it and arms nothing more', async () => {
    const { log } = recorder();
    const runs: ReturnType<typeof gate>[] = [];
    const schedules = startLocalSchedules({
      region: 'cn-north-1',
      log,
      everyMs: 10_000,
      invoke: () => {
        const run = gate();
        runs.push(run);
        return run.promise;
      },
    });
    const first = schedules.runNow('sweeper');
    const second = schedules.runNow('sweeper');
    expect(runs).toHaveLength(1);
    let stopped = false;
    const stopping = schedules.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    runs[0]?.open({ remindersSent: 0 });
    await expect(first).resolves.toEqual({ remindersSent: 0 });
    await expect(second).resolves.toEqual({ remindersSent: 0 });
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(runs).toHaveLength(1);
    await expect(schedules.runNow('nothing')).rejects.toThrow(/no scheduled function/);
  });
});
