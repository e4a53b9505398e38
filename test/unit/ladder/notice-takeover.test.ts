import { beforeEach, describe, expect, it } from 'vitest';
import { localLadderDefinition } from '../../../infra/constructs/review-ladder.ts';
import {
  localNoticeTakeoverMs,
  localRetryScale,
  MIN_FAULTED_RETRY_SCALE,
  MIN_LOCAL_RETRY_SCALE,
} from '../../../local/notice-takeover.ts';
import { prepareDefinition } from '../../../local/stepfunctions/definition.ts';
import { NOTICE_TAKEOVER_MS } from '../../../shared/ladder/notice-takeover.ts';
import { markReturned } from '../../../shared/ladder/returns.ts';
import { computeRoute } from '../../../shared/ladder/route.ts';
import { enterStage } from '../../../shared/ladder/stages.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import { APP_ID, sampleApplication } from '../support.ts';
import { FakeMailer, FakeRecords } from './fakes.ts';

/**
 * The applicant notice's takeover window against the state machine's Retry. A task that finds the
 * notice of a change owed (the change made, the notice not recorded) fails with NoticePending while
 * the change is younger than the window, and only a retry that comes back after it sends the
 * notice: if every retry falls inside the window, a notice whose invocation died fails the
 * execution instead (the fault bench's flake, when the local runtime scaled the retries down and
 * not the window). Checked on the definition CDK deploys, with the product's window, and on the
 * copies the local runtime runs, with the window it gives the handlers.
 */

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}

interface TaskState {
  name: string;
  taskKey: string;
  retry: Retrier[];
}

/** Every Lambda Task state (in branches too) with the task key of the function it invokes (`local-<key>`). */
function taskStates(machine: Record<string, unknown>): TaskState[] {
  const found: TaskState[] = [];
  const walk = (states: unknown) => {
    for (const [name, state] of Object.entries((states ?? {}) as Record<string, Record<string, unknown>>)) {
      const parameters = state.Parameters as { FunctionName?: unknown } | undefined;
      const fn = String(parameters?.FunctionName ?? state.Resource);
      // Lambda tasks only: the local runtime runs Wait states as Task states of its own.
      if (state.Type === 'Task' && fn.includes(':function:local-')) {
        found.push({ name, taskKey: fn.replace(/^.*:function:local-/, ''), retry: (state.Retry ?? []) as Retrier[] });
      }
      for (const branch of (state.Branches ?? []) as Record<string, unknown>[]) walk(branch.States);
      for (const key of ['ItemProcessor', 'Iterator'])
        walk((state[key] as Record<string, unknown> | undefined)?.States);
    }
  };
  walk(machine.States);
  return found;
}

/** The retrier a task failing with NoticePending meets: the first whose ErrorEquals match it. */
function noticePendingRetrier(state: TaskState): Retrier | undefined {
  return state.retry.find((r) =>
    r.ErrorEquals.some((e) => e === 'NoticePending' || e === 'States.TaskFailed' || e === 'States.ALL'),
  );
}

/** The waits before each retry (ms), ASL defaults and MaxDelaySeconds applied. */
function retryWaitsMs(retrier: Retrier): number[] {
  const interval = retrier.IntervalSeconds ?? 1;
  const backoff = retrier.BackoffRate ?? 2;
  const cap = retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY;
  return Array.from({ length: retrier.MaxAttempts ?? 3 }, (_, n) => Math.min(cap, interval * backoff ** n) * 1000);
}

/** The tasks whose functions send the applicant's notice (notifyApplicant): they may throw NoticePending. */
const NOTIFYING_TASKS = ['markReturned', 'closeApplication', 'startPublicNotice', 'recognize'];

// The definition CDK deploys, resolved to JSON (its functions named `local-<task key>`).
const deployed = localLadderDefinition();

/** Each Retry scale the local runtime runs the ladder with, and the window it then gives the handlers. */
const runtimes: { name: string; scale: number }[] = [
  { name: 'the product (CDK, unscaled)', scale: 1 },
  { name: 'npm start', scale: localRetryScale({}) },
  { name: 'npm start -- --speedup 200000', scale: localRetryScale({ clock: { speedup: 200_000 } }) },
  { name: 'the scratch stack (intervalScale 0)', scale: localRetryScale({ retry: { intervalScale: 0 } }) },
  { name: 'the fault bench (0.1)', scale: localRetryScale({ retry: { intervalScale: 0.1 } }, true) },
  {
    name: 'the rush bench under faults (0.01, raised)',
    scale: localRetryScale({ retry: { intervalScale: 0.01 } }, true),
  },
  { name: 'the exactly-once test (0.1)', scale: localRetryScale({ retry: { intervalScale: 0.1 } }) },
];
const windowAt = (scale: number) => (scale === 1 ? NOTICE_TAKEOVER_MS : localNoticeTakeoverMs(scale));
const definitionAt = (scale: number) =>
  scale === 1 ? deployed : prepareDefinition(structuredClone(deployed), { retryScale: scale }).runnable;

describe('the notice takeover window is shorter than the Retry span of every task that can throw NoticePending', () => {
  it('the product: 30 s against 2 s doubling six times (126 s)', () => {
    const notifying = taskStates(deployed).filter((s) => NOTIFYING_TASKS.includes(s.taskKey));
    expect(new Set(notifying.map((s) => s.taskKey))).toEqual(new Set(NOTIFYING_TASKS));
    for (const state of notifying) {
      const retrier = noticePendingRetrier(state);
      expect(retrier, state.name).toBeDefined();
      expect(retrier?.JitterStrategy ?? 'NONE', `${state.name}: jitter would shorten the span`).toBe('NONE');
    }
    expect(NOTICE_TAKEOVER_MS).toBe(30_000);
  });

  it.each(runtimes)('$name', ({ scale }) => {
    const window = windowAt(scale);
    expect(window).toBeGreaterThan(0);
    const states = taskStates(definitionAt(scale));
    // Every task, not just the notifying ones: any may call notifyApplicant tomorrow.
    expect(states.length).toBeGreaterThanOrEqual(NOTIFYING_TASKS.length);
    for (const state of states) {
      const retrier = noticePendingRetrier(state);
      const span = retrier ? retryWaitsMs(retrier).reduce((sum, wait) => sum + wait, 0) : 0;
      expect(span, `${state.name}: Retry span ${span} ms against a window of ${window} ms`).toBeGreaterThan(window);
    }
  });

  it('the local runtime never runs the ladder with immediate retries, nor with a window a throttled invocation outlasts under faults', () => {
    expect(localRetryScale({ retry: { intervalScale: 0 } })).toBe(MIN_LOCAL_RETRY_SCALE);
    expect(localNoticeTakeoverMs(MIN_LOCAL_RETRY_SCALE)).toBe(60);
    expect(localRetryScale({ retry: { intervalScale: 0.01 } })).toBe(0.01);
    expect(localRetryScale({ retry: { intervalScale: 0.01 } }, true)).toBe(MIN_FAULTED_RETRY_SCALE);
    expect(localNoticeTakeoverMs(MIN_FAULTED_RETRY_SCALE)).toBe(3_000);
    expect(localRetryScale({ retry: { intervalScale: 0.5 } }, true)).toBe(0.5);
    expect(localNoticeTakeoverMs(1)).toBe(NOTICE_TAKEOVER_MS);
  });
});

// ---- the flake's shape, on a fake clock ------------------------------------------------------

const CONTACT = 'sme@example.gov.cn';
const campaign = demoCampaign(new Date('2026-03-01T00:00:00.000Z'));
let records: FakeRecords;
let mailer: FakeMailer;
let now: Date;
let ids: number;

beforeEach(() => {
  records = new FakeRecords();
  mailer = new FakeMailer();
  now = new Date('2026-03-02T02:00:00.000Z');
  ids = 0;
});

const depsWith = (noticeTakeoverMs: number) => ({
  records,
  mailer,
  clock: () => now,
  newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
  noticeTakeoverMs,
});

/** 敦化市's application at city review, and the MarkReturned payload of the city's return. */
async function returnedAtCity() {
  const application = sampleApplication({
    campaignId: campaign.campaignId,
    status: 'SUBMITTED',
    revision: 3,
    form: { contact: { name: '李明', phone: '0433-6221234', email: CONTACT } },
  });
  records.put(application);
  const current = await enterStage(depsWith(NOTICE_TAKEOVER_MS), {
    applicationId: APP_ID,
    executionArn: 'arn:aws-cn:states:cn-north-1:000000000000:execution:ReviewLadder:run-1',
    route: computeRoute(application, campaign),
    next: { index: 0, step: 0, round: 1 },
  });
  const decision = {
    reviewId: 'review-1',
    decision: 'return' as const,
    reason: '缺少现场核查说明',
    decidedBy: 'review-link',
    decidedAt: now.toISOString(),
  };
  return { applicationId: APP_ID, current, decision };
}

/**
 * What Step Functions does with a task and its Retry: run it; on an error the retrier matches, wait
 * the retrier's next interval (here: move the fake clock on by it) and run it again, until it
 * succeeds or the attempts are spent. Returns the errors of the failed attempts.
 */
async function withRetries(retrier: Retrier, task: () => Promise<unknown>): Promise<string[]> {
  const errors: string[] = [];
  const waits = retryWaitsMs(retrier);
  for (let attempt = 0; ; attempt++) {
    try {
      await task();
      return errors;
    } catch (error) {
      const name = error instanceof Error ? error.name : String(error);
      errors.push(name);
      const wait = waits[attempt];
      if (wait === undefined) throw error;
      now = new Date(now.getTime() + wait);
    }
  }
}

describe('the invocation that made the change dies before the notice went out', () => {
  it.each(runtimes)('$name: a retry sends the notice, once', async ({ scale }) => {
    const markReturnedState = taskStates(definitionAt(scale)).find((s) => s.name === 'MarkReturned');
    const retrier = markReturnedState && noticePendingRetrier(markReturnedState);
    if (!retrier) throw new Error('MarkReturned has no retrier for NoticePending');
    const deps = depsWith(windowAt(scale));
    const payload = await returnedAtCity();

    // The first invocation changes the status, then dies before its email (its mail call fails).
    mailer.failNext = true;
    const errors = await withRetries(retrier, () => markReturned(deps, payload));

    // The retries inside the window were refused (the notice was still the dead one's); one after it sent.
    expect(errors[0]).toBe('Error');
    expect(errors.slice(1).every((name) => name === 'NoticePending')).toBe(true);
    expect(errors.length).toBeGreaterThan(1);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.to).toEqual([CONTACT]);
    expect(records.actions(APP_ID)).toEqual(['STAGE_ENTERED', 'RETURNED', 'APPLICANT_NOTIFIED']);
  });

  it.each(runtimes)(
    '$name: a duplicate at the same moment leaves the notice to the one sending it',
    async ({ scale }) => {
      const deps = depsWith(windowAt(scale));
      const payload = await returnedAtCity();
      // The invocation that makes the change is held inside its mail call…
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const send = mailer.send.bind(mailer);
      mailer.send = async (email) => {
        await held;
        return send(email);
      };
      const first = markReturned(deps, payload);
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect((await records.getApplication(APP_ID))?.status).toBe('RETURNED');
      // …while a duplicate, at the same moment, finds the change made: not its notice to send.
      await expect(markReturned(deps, payload)).rejects.toMatchObject({ name: 'NoticePending' });
      release();
      await first;
      expect(mailer.sent).toHaveLength(1);
    },
  );
});
