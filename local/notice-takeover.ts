import { NOTICE_TAKEOVER_MS } from '../shared/ladder/notice-takeover.ts';
import { type LocalStepFunctionsOptions, retryIntervalScale } from './stepfunctions/engine.ts';

/*
 * The applicant notice's takeover window under the local runtime. In AWS a task that finds the
 * notice of a change owed waits NOTICE_TAKEOVER_MS (30 s) for the invocation that made the change,
 * and the ladder's Retry (2 s doubling, 126 s in all) comes back after it. Locally the Retry
 * intervals are scaled down (`retry.intervalScale`) while the handlers' clock stays real, so the
 * window is scaled by the same factor: a notice whose invocation died is sent by a retry, as in
 * AWS, instead of the execution failing with NoticePending once six quick retries all fell inside
 * an unscaled 30 s.
 */

/**
 * The smallest Retry interval scale the local stack runs the ladder with: 2 s becomes 4 ms, the six
 * retries 252 ms in all, and the takeover window 60 ms.
 *
 * Why not 0 (retry at once, as tests used to ask): a window tells a duplicate running at the same
 * moment (NoticePending: the other invocation is sending) from an invocation that died (the retry
 * sends the notice), and only time tells them apart. With immediate retries every retry falls
 * inside any window longer than 0, so the window would have to be 0, and then two invocations at
 * the same moment would both send the notice. 60 ms is well above the few milliseconds between two
 * such invocations reading the same record on this machine, and the retries still cost next to
 * nothing.
 */
export const MIN_LOCAL_RETRY_SCALE = 0.002;

/**
 * The smallest Retry interval scale under fault injection (local/faults.ts): 2 s becomes 200 ms,
 * the six retries 12.6 s, and the takeover window 3 s.
 *
 * Faults make invocations overlap (a stalled one runs late beside its retry), and then the window
 * must also outlast a living invocation's work from its write to the notice's record, which does
 * not shrink with the scale: real time, and under the plan's DynamoDB throttling the SDK's backoff
 * (up to 1 s on the first retry of a throttled request, doubling) often makes it a second or more.
 * A retry that comes back after the window while that invocation is still at it sends the notice a
 * second time. At 0.01 (a 300 ms window) the fault test sent a notice twice in each of three runs;
 * at 0.1 it sent none in four, and took about as long.
 */
export const MIN_FAULTED_RETRY_SCALE = 0.1;

/**
 * The Retry interval scale the local stack runs its engine with: as asked (or 1 / speedup), at
 * least MIN_LOCAL_RETRY_SCALE, and at least MIN_FAULTED_RETRY_SCALE when a fault plan is attached.
 */
export function localRetryScale(
  options: Pick<LocalStepFunctionsOptions, 'clock' | 'retry'> = {},
  faulted = false,
): number {
  return Math.max(retryIntervalScale(options), faulted ? MIN_FAULTED_RETRY_SCALE : MIN_LOCAL_RETRY_SCALE);
}

/** The takeover window (ms) for an engine whose Retry intervals are scaled by `retryScale`. */
export function localNoticeTakeoverMs(retryScale: number): number {
  return Math.min(NOTICE_TAKEOVER_MS, Math.floor(NOTICE_TAKEOVER_MS * retryScale));
}
