import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs an idempotent write again after a failure (a throttled request that outlasted the SDK's
 * own retries, a dropped connection): `attempts` in all, with doubling pauses from `baseDelayMs`.
 * For the record made after an email went out: if that record failed, the task's retry would send
 * the email a second time. Errors `isFinal` accepts are thrown at once.
 */
export async function retryWrite<T>(
  write: () => Promise<T>,
  options: { attempts?: number; baseDelayMs?: number; isFinal?: (error: unknown) => boolean } = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 50;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || options.isFinal?.(error)) throw error;
      await sleep(baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
