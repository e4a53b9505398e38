import { describe, expect, it } from 'vitest';
import { ManualClock, realTimers } from '../../../local/stepfunctions/clock.ts';

describe('ManualClock', () => {
  it('wakes sleeps in order when time is advanced, and only those due', async () => {
    const clock = new ManualClock(1_000);
    const woke: string[] = [];
    void clock.sleep(300).then(() => woke.push('300'));
    void clock.sleep(100).then(() => woke.push('100'));
    void clock.sleep(200).then(() => woke.push('200'));
    expect(clock.pending).toBe(3);
    expect(clock.pendingDelays()).toEqual([100, 200, 300]);
    await clock.advance(250);
    expect(woke).toEqual(['100', '200']);
    expect(clock.now()).toBe(1_250);
    expect(clock.pendingDelays()).toEqual([50]);
    expect(await clock.next()).toBe(true);
    expect(woke).toEqual(['100', '200', '300']);
    expect(await clock.next()).toBe(false);
  });

  it('wakes a sleep started by woken code when it falls due within the same advance', async () => {
    const clock = new ManualClock(0);
    const woke: number[] = [];
    void clock.sleep(10).then(async () => {
      woke.push(clock.now());
      await clock.sleep(10);
      woke.push(clock.now());
    });
    await clock.advance(25);
    expect(woke).toEqual([10, 20]);
    expect(clock.now()).toBe(25);
  });

  it('forgets an aborted sleep and rejects it', async () => {
    const clock = new ManualClock(0);
    const aborter = new AbortController();
    const sleeping = clock.sleep(100, aborter.signal);
    aborter.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pending).toBe(0);
    await expect(clock.sleep(1, aborter.signal)).rejects.toThrow('stop');
  });

  it('resolves zero and negative sleeps at once', async () => {
    const clock = new ManualClock(0);
    await clock.sleep(0);
    await clock.sleep(-5);
    expect(clock.pending).toBe(0);
  });

  it('tells when sleeps are pending, or gives up', async () => {
    const clock = new ManualClock(0);
    const waiting = clock.whenPending(2);
    void clock.sleep(5);
    void clock.sleep(5);
    await expect(waiting).resolves.toBeUndefined();
    await expect(clock.whenPending(3, 20)).rejects.toThrow(/2 of 3/);
  });
});

describe('realTimers', () => {
  it('sleeps, and stops sleeping on abort', async () => {
    await realTimers.sleep(1);
    const aborter = new AbortController();
    const sleeping = realTimers.sleep(60_000, aborter.signal);
    aborter.abort();
    await expect(sleeping).rejects.toMatchObject({ name: 'AbortError' });
    expect(Math.abs(realTimers.now() - Date.now())).toBeLessThan(1_000);
  });
});
