/**
 * How long, in the product, the applicant's notice of a change stays with the invocation that made
 * it (NotifyingDeps.noticeTakeoverMs, set by the composition; shared/ladder/notify.ts).
 *
 * A task that finds the change made and its notice not yet recorded is a duplicate (Step Functions
 * and Lambda may run a task twice, even at the same moment) while the change is younger than the
 * window: it fails with NoticePending and the state machine's Retry brings it back later. Older,
 * the invocation that made the change is taken to have failed before its email went out, and the
 * retry sends it.
 *
 * Why 30 s: far longer than a living invocation takes from its write to the notice's record (an
 * email and two DynamoDB calls: well under a second, a few seconds with throttling retries), so a
 * duplicate does not send the notice again; far shorter than the ladder's Retry span. It must be
 * shorter than that span (CDK's Retry on the task: 2 s, doubling, 6 retries = 2+4+8+16+32+64 =
 * 126 s), or no retry comes back after the window and a notice whose invocation died fails the
 * execution with NoticePending instead of being sent (test/unit/ladder/notice-takeover.test.ts
 * checks the definition against it). At 30 s the 4th retry (30 s after the first failure) or the
 * 5th (62 s) takes over; two retries are left for the throttles and faults of the one that sends.
 *
 * The local runtime scales the Retry intervals down, and the window with them (NOTICE_TAKEOVER_MS,
 * shared/composition/env.ts; local/notice-takeover.ts): the handlers' clock is real there too.
 */
export const NOTICE_TAKEOVER_MS = 30_000;
