import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent as SfnHistoryEvent,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { localIssuer } from '../../local/auth.ts';
import { isAlive } from '../../local/services/dynamodb.ts';
import { ManualClock, settle } from '../../local/stepfunctions/clock.ts';
import { type HistoryEvent, LocalStepFunctions, type TaskHandler } from '../../local/stepfunctions/engine.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { CRITERIA } from '../../shared/rules/criteria.ts';
import { findFreePort } from '../../local/ports.ts';
import { ApiClient, type Decision, reviewLinkIn } from '../../local/client/index.ts';
import { asOperator, sentEmails, type StoredEmail, TEST_CLIENT, type TestStack } from './harness.ts';
import * as steps from './steps.ts';
import { DUNHUA } from './steps.ts';

/**
 * Issue 5: the local runtime killed with SIGKILL mid-ladder and started again: every in-flight
 * application resumes at its stage, and its pending review links still work.
 *
 * Two parts. The engine's journal, in-process on a manual clock: the journal of a whole run cut
 * at every line (and with a torn half line after it), as a SIGKILL at any instant leaves it, must
 * resume to the same end, entering no state twice, keeping the review's token and deadline and the
 * Wait's wake-up time. Then the real `npm start` as a child process, killed with SIGKILL with
 * three applications at three places of the ladder, and started again on its data dir. Tokens
 * come from the local issuer's key in that data dir: one signed before the kill is still good after.
 */

// ── The engine's journal ──────────────────────────────────────────────────────────────────────

const FN = (name: string) => `arn:aws:lambda:cn-north-1:000000000000:function:local-${name}`;
const T0 = Date.parse('2030-01-01T00:00:00Z');

/** Prepare (Lambda) → Review (callback, 1 h timeout) → Decide → Hold (Wait 10 min) → Finish (Lambda). */
const definition = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Task', Resource: FN('prepare'), ResultPath: '$.prepared', Next: 'Review' },
    Review: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'local-review', Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } },
      TimeoutSeconds: 3600,
      ResultPath: '$.decision',
      Next: 'Decide',
    },
    Decide: {
      Type: 'Choice',
      Choices: [{ Variable: '$.decision.ok', BooleanEquals: true, Next: 'Hold' }],
      Default: 'Rejected',
    },
    Hold: { Type: 'Wait', Seconds: 600, Next: 'Finish' },
    Finish: { Type: 'Task', Resource: FN('finish'), End: true },
    Rejected: { Type: 'Fail', Error: 'Rejected' },
  },
};

interface Calls {
  prepare: number;
  review: string[];
  finish: number;
}

const dirs: string[] = [];
const engines: LocalStepFunctions[] = [];

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sfn-journal-'));
  dirs.push(dir);
  return dir;
}

/** An engine on `dataDir` whose clock starts at `now`; its handlers count their calls. */
function engineOn(dataDir: string, now: number, prepare?: () => Promise<unknown>) {
  const clock = new ManualClock(now);
  const engine = new LocalStepFunctions({ dataDir, clock: { timers: clock }, retry: { intervalScale: 0 } });
  engines.push(engine);
  const calls: Calls = { prepare: 0, review: [], finish: 0 };
  const handlers: Record<string, TaskHandler> = {
    prepare: async () => {
      calls.prepare += 1;
      return prepare ? prepare() : { ready: true };
    },
    review: async (payload) => {
      calls.review.push((payload as { token: string }).token);
      return { emailed: true };
    },
    finish: async (payload) => {
      calls.finish += 1;
      return { finished: (payload as { id: string }).id, ok: (payload as { decision: { ok: boolean } }).decision.ok };
    },
  };
  const { stateMachineArn } = engine.createStateMachine('journaled', definition, { handlers });
  return { clock, engine, calls, stateMachineArn };
}

/**
 * Drives an execution to its end as a reviewer and time would: answers the review (approve) once
 * its handler has returned, and otherwise moves the clock to whatever sleeps next. Returns the
 * tokens it answered.
 */
async function driveToEnd(
  engine: LocalStepFunctions,
  clock: ManualClock,
  executionArn: string,
): Promise<{ answered: string[]; deadlines: (number | undefined)[] }> {
  const answered: string[] = [];
  const deadlines: (number | undefined)[] = [];
  const ended = engine.waitForExecution(executionArn, 20_000);
  let finished = false;
  void ended.then(
    () => (finished = true),
    () => (finished = true),
  );
  while (!finished) {
    await settle();
    const task = engine.pendingTasks(executionArn)[0];
    if (task?.submitted) {
      engine.sendTaskSuccess(task.taskToken, JSON.stringify({ ok: true }));
      answered.push(task.taskToken);
      deadlines.push(task.timeoutDate?.getTime());
      continue;
    }
    if (task) continue; // its handler is still running
    if (await clock.next()) continue;
    // Something runs (a Lambda task): wait for it to sleep, to wait for a callback, or to end.
    await Promise.race([
      ended.catch(() => {}),
      once(engine, 'taskSubmitted'),
      clock.whenPending(1, 20_000).catch(() => {}),
    ]);
  }
  await ended;
  return { answered, deadlines };
}

const entered = (events: HistoryEvent[]) =>
  events
    .filter((e) => e.type.endsWith('StateEntered'))
    .map((e) => (e.stateEnteredEventDetails as { name: string }).name);

/** The journal's records, each line flattened (a batch is one line holding several). */
const records = (lines: string[]) =>
  lines.flatMap((line) => [JSON.parse(line)].flat()) as { t: string; [k: string]: unknown }[];

describe('the Step Functions journal', () => {
  it('resumes to the same end from the journal cut at every line, torn or not: no state twice, same token, same deadlines', async () => {
    // The run as it goes uninterrupted: two minutes to answer the review, the Wait, the end.
    const dir = await tempDir();
    const first = engineOn(dir, T0);
    const { executionArn } = first.engine.startExecution({
      stateMachineArn: first.stateMachineArn,
      name: 'whole',
      input: JSON.stringify({ id: 'A-1' }),
    });
    const [task] = (await once(first.engine, 'taskSubmitted')) as [{ taskToken: string; timeoutDate?: Date }];
    await first.clock.advance(120_000);
    const token = task.taskToken;
    const reviewDeadline = task.timeoutDate?.getTime();
    expect(reviewDeadline).toBe(T0 + 3_600_000);
    await driveToEnd(first.engine, first.clock, executionArn);
    const whole = first.engine.describeExecution({ executionArn });
    expect(whole.status).toBe('SUCCEEDED');
    const wholeEvents = first.engine.getExecutionHistory({ executionArn, maxResults: 1000 }).events;
    const wakeUp = wholeEvents.find((e) => e.type === 'WaitStateExited')?.timestamp.getTime();
    expect(wakeUp).toBe(T0 + 120_000 + 600_000);

    const [file] = await readdir(dir);
    const text = await readFile(join(dir, file ?? ''), 'utf8');
    const lines = text.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(10);

    let cuts = 0;
    for (let k = 1; k <= lines.length; k += 1) {
      for (const torn of [false, true]) {
        if (torn && k === lines.length) continue;
        const kept = records(lines.slice(0, k));
        const copy = await tempDir();
        const next = lines[k] ?? '';
        await writeFile(
          join(copy, file ?? ''),
          `${lines.slice(0, k).join('\n')}\n${torn ? next.slice(0, next.length >> 1) : ''}`,
        );
        // The process died at the last event it journaled.
        const lastEvent = kept.filter((r) => r.t === 'event').at(-1)?.event as { timestamp: string } | undefined;
        const crashedAt = lastEvent ? Date.parse(lastEvent.timestamp) : T0;
        // …and came back five minutes later.
        const restartedAt = crashedAt + 300_000;
        const again = engineOn(copy, restartedAt);
        again.engine.resumeExecutions();
        const { answered, deadlines } = await driveToEnd(again.engine, again.clock, executionArn);
        const at = `cut after line ${k}${torn ? ' with a torn half line' : ''}`;

        const description = again.engine.describeExecution({ executionArn });
        expect(description.status, at).toBe('SUCCEEDED');
        expect(description.output, at).toBe(whole.output);
        const events = again.engine.getExecutionHistory({ executionArn, maxResults: 1000 }).events;
        expect(entered(events), at).toEqual(['Prepare', 'Review', 'Decide', 'Hold', 'Finish']);
        expect(
          events.map((e) => [e.id, e.previousEventId]),
          at,
        ).toEqual(events.map((_, i) => [i + 1, i]));
        expect(
          events.filter((e) => e.type === 'ExecutionStarted'),
          at,
        ).toHaveLength(1);

        const reviewTask = kept.find((r) => r.t === 'task' && (r.attempt as { token?: string }).token);
        const reviewSettled = kept.some((r) => r.t === 'settled' && r.stateName === 'Review');
        const reviewSubmitted = kept.some((r) => r.t === 'submitted');
        const prepareSettled = kept.some((r) => r.t === 'settled' && r.stateName === 'Prepare');
        if (reviewTask && !reviewSettled) {
          // The review link already emailed carries this token: it is the one that answers.
          expect(answered, at).toEqual([token]);
          expect(again.calls.review, at).toEqual(reviewSubmitted ? [] : [token]);
        }
        const wasIn = (state: string) =>
          kept.some((r) => r.t === 'position' && (r.position as { stateName: string }).stateName === state);
        if (reviewSettled) expect(answered, at).toEqual([]);
        // Once the review had begun, its deadline stays an hour after it began, downtime or not.
        else expect(deadlines, at).toEqual([wasIn('Review') ? reviewDeadline : restartedAt + 3_600_000]);
        if (prepareSettled) expect(again.calls.prepare, at).toBe(0);
        // The Wait keeps its wake-up time once it had begun.
        if (wasIn('Hold'))
          expect(events.find((e) => e.type === 'WaitStateExited')?.timestamp.getTime(), at).toBe(wakeUp);
        // A token answered before the kill stays spent.
        if (reviewSettled) expect(() => again.engine.sendTaskSuccess(token, '{}'), at).toThrow(/Task Timed Out/);
        cuts += 1;
        await again.engine.close();
      }
    }
    expect(cuts).toBe(2 * lines.length - 1);
  });

  it('keeps a waiting review its token and its absolute deadline across a stop, and times it out then', async () => {
    const dir = await tempDir();
    const first = engineOn(dir, T0);
    const { executionArn } = first.engine.startExecution({
      stateMachineArn: first.stateMachineArn,
      name: 'deadline',
      input: JSON.stringify({ id: 'B-2' }),
    });
    await once(first.engine, 'taskSubmitted');
    const [before] = first.engine.pendingTasks(executionArn);
    await first.clock.advance(1_000_000);
    // A graceful stop leaves it RUNNING on disk, as a kill does.
    await first.engine.close();

    const again = engineOn(dir, T0 + 1_000_000);
    expect(again.engine.describeExecution({ executionArn }).status).toBe('RUNNING');
    expect(again.engine.resumeExecutions()).toEqual([{ executionArn, stateName: 'Review' }]);
    const [after] = again.engine.pendingTasks(executionArn);
    expect(after?.taskToken).toBe(before?.taskToken);
    expect(after?.timeoutDate).toEqual(before?.timeoutDate);
    expect(after?.submitted).toBe(true);
    expect(again.calls.review).toEqual([]);
    expect(again.clock.pendingDelays()).toEqual([3_600_000 - 1_000_000]);
    await again.clock.advance(3_600_000 - 1_000_000);
    const ended = await again.engine.waitForExecution(executionArn, 5_000);
    expect(ended.status).toBe('FAILED');
    expect(ended.error).toBe('States.Timeout');
    const types = again.engine.getExecutionHistory({ executionArn, maxResults: 1000 }).events.map((e) => e.type);
    expect(types.filter((t) => t === 'TaskStateEntered')).toHaveLength(2); // Prepare, Review: once each
    expect(types).toContain('TaskTimedOut');
  });

  it('runs again a Lambda task that was running when the process died (at-least-once)', async () => {
    const dir = await tempDir();
    let started!: () => void;
    const running = new Promise<void>((resolveStarted) => (started = resolveStarted));
    // The first process never finishes Prepare: it "dies" in the middle.
    const first = engineOn(dir, T0, () => {
      started();
      return new Promise(() => {});
    });
    const { executionArn } = first.engine.startExecution({
      stateMachineArn: first.stateMachineArn,
      name: 'rerun',
      input: '{"id":"C-3"}',
    });
    await running;
    const again = engineOn(dir, T0 + 5_000);
    again.engine.resumeExecutions();
    await driveToEnd(again.engine, again.clock, executionArn);
    expect(again.calls.prepare).toBe(1);
    const events = again.engine.getExecutionHistory({ executionArn, maxResults: 1000 }).events;
    expect(entered(events)).toEqual(['Prepare', 'Review', 'Decide', 'Hold', 'Finish']);
    // Its two runs show in the history: scheduled and started twice, succeeded once.
    expect(events.filter((e) => e.type === 'LambdaFunctionStarted')).toHaveLength(3); // Prepare ×2, Finish
    expect(events.filter((e) => e.type === 'LambdaFunctionSucceeded')).toHaveLength(2);
  });
});

// ── npm start, killed with SIGKILL ────────────────────────────────────────────────────────────

const REPO = resolve(import.meta.dirname, '../..');

/** `npm start` as a child process (node --import tsx local/start.ts: one process, no wrapper). */
class LocalProcess {
  readonly lines: string[] = [];
  private readonly waiters = new Set<() => void>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess) {
    let partial = { stdout: '', stderr: '' };
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream]?.setEncoding('utf8');
      child[stream]?.on('data', (chunk: string) => {
        const text = partial[stream] + chunk;
        const parts = text.split('\n');
        partial = { ...partial, [stream]: parts.pop() ?? '' };
        this.lines.push(...parts);
        for (const wake of [...this.waiters]) wake();
      });
    }
    this.exited = (once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>).then(([code, signal]) => ({
      code,
      signal,
    }));
    void this.exited.then(() => {
      for (const wake of [...this.waiters]) wake();
    });
  }

  static start(args: string[]): LocalProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', ...args], {
      cwd: REPO,
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new LocalProcess(child);
  }

  /** Lines printed so far: where a later waitFor starts looking. */
  mark(): number {
    return this.lines.length;
  }

  /** Resolves with the first line from `from` on that matches (already printed, or when it is). */
  waitFor(pattern: RegExp, from = 0, timeoutMs = 60_000): Promise<RegExpExecArray> {
    return new Promise((resolveLine, reject) => {
      const timer = setTimeout(() => done(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      const done = (error?: Error, match?: RegExpExecArray) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (match) resolveLine(match);
        else reject(new Error(`${error?.message}\n--- output ---\n${this.lines.slice(-40).join('\n')}`));
      };
      const check = () => {
        for (let i = from; i < this.lines.length; i += 1) {
          const match = pattern.exec(this.lines[i] ?? '');
          if (match) return done(undefined, match);
        }
        if (this.child.exitCode !== null || this.child.signalCode !== null)
          done(new Error(`the process exited before ${pattern}`));
      };
      this.waiters.add(check);
      check();
    });
  }
}

const clusters = {
  cityPending: '敦化市医药产业集群（重启·市级待审）',
  provincePending: '敦化市医药产业集群（重启·省级待审）',
  returned: '敦化市医药产业集群（重启·退回）',
};
const scores = Object.fromEntries(CRITERIA.map((criterion, i) => [criterion, 80 + i]));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('npm start killed with SIGKILL mid-ladder', () => {
  let dataDir: string | undefined;
  let running: LocalProcess | undefined;
  const javaPids: number[] = [];

  afterAll(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGTERM');
      await Promise.race([running.exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
    }
    // DynamoDB Local children this test caused: none may outlive it.
    for (const pid of javaPids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes every application at its stage; the emailed links and the resubmission still work; nothing twice', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cluster-resume-'));
    const ports = {
      api: await findFreePort(),
      dynamo: await findFreePort('0.0.0.0'),
      s3: await findFreePort(),
      ses: await findFreePort(),
    };
    const args = [
      '--data-dir',
      dataDir,
      '--port',
      String(ports.api),
      '--dynamo-port',
      String(ports.dynamo),
      '--s3-port',
      String(ports.s3),
      '--ses-port',
      String(ports.ses),
    ];
    const apiUrl = `http://127.0.0.1:${ports.api}`;
    // The child's local SES inbox.
    const inbox = (): Promise<StoredEmail[]> => sentEmails(`http://127.0.0.1:${ports.ses}`);
    const javaPid = async () =>
      Number.parseInt(await readFile(join(dataDir ?? '', 'dynamodb', 'dynamodb-local.pid'), 'utf8'), 10);

    const startLocal = async () => {
      const local = LocalProcess.start(args);
      running = local;
      await local.waitFor(/Ctrl-C stops everything/, 0, 90_000);
      const sfnUrl = (await local.waitFor(/Step Functions \(local\)\s+(http:\/\/\S+)/))[1] ?? '';
      javaPids.push(await javaPid());
      return {
        local,
        sfn: new SFNClient({
          endpoint: sfnUrl,
          region: 'cn-north-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }),
      };
    };

    // ── First life: three applications, three places on the ladder.
    let { local, sfn } = await startLocal();
    // The county's and the reviewers' steps (steps.ts) through the child's API, signed in with
    // tokens of the child's issuer (its key is in the data dir, written when it started); the
    // validator's end is the child's `[validator] <key>: checked` line.
    const child = {
      apiUrl,
      issuer: await localIssuer(dataDir),
      whenValidated: (key: string) => local.waitFor(new RegExp(`^\\[validator\\] ${escape(key)}: checked`), 0, 60_000),
    } as unknown as TestStack;
    /** A national operator: adds the campaign and reads state for the checks. */
    const operator = await asOperator(child);
    const campaign = steps.asBeforeSteps(demoCampaign(new Date()));
    expect((await operator.createCampaign(campaign)).status).toBe(201);
    const execName = (applicationId: string, revision = 1) => `${applicationId}-r${revision}`;
    const waiting = (applicationId: string, state: string, from: number, revision = 1) =>
      local.waitFor(
        new RegExp(`review-ladder/${execName(applicationId, revision)}: ${state} waits for its callback`),
        from,
      );

    const ids = {} as Record<keyof typeof clusters, string>;
    for (const [key, clusterName] of Object.entries(clusters) as [keyof typeof clusters, string][]) {
      const mark = local.mark();
      ids[key] = await steps.fileDraft(child, campaign, { ...DUNHUA, clusterName });
      await steps.submit(child, ids[key]);
      await waiting(ids[key], 'RequestReview', mark);
    }
    const linkFor = async (applicationId: string, stage: string, round = 1) => {
      const found = (await inbox()).flatMap((email) => {
        const link = reviewLinkIn(email);
        return link === undefined ||
          !link.reviewId.startsWith(`${applicationId}.${stage}.`) ||
          !link.reviewId.endsWith(`.${round}`)
          ? []
          : [link];
      });
      expect(found.length, `${stage} review emails for ${applicationId}`).toBeGreaterThan(0);
      return found[0] as { url: string; reviewId: string; secret: string };
    };
    // Reviewers answer from the emailed link: its secret `t` is the credential, no token.
    const linkHolder = new ApiClient({ ...TEST_CLIENT, baseUrl: apiUrl });
    const decide = (reviewId: string, body: Decision) => linkHolder.decide(reviewId, body);

    // Province pending: the city uploads its on-site statement and approves.
    const bCity = await linkFor(ids.provincePending, 'city');
    await steps.uploadPdf(child, ids.provincePending, 'onsite-check-statement');
    let mark = local.mark();
    expect((await decide(bCity.reviewId, { t: bCity.secret, decision: 'approve', alsoNational: true })).status).toBe(
      200,
    );
    await waiting(ids.provincePending, 'RequestReview', mark);
    // Returned: the city sends it back; it waits for the resubmission.
    const cCity = await linkFor(ids.returned, 'city');
    mark = local.mark();
    const returned = await decide(cCity.reviewId, {
      t: cCity.secret,
      decision: 'return',
      reason: '产值数据与统计年鉴不一致，请核实后重报',
    });
    expect(returned.status).toBe(200);
    await waiting(ids.returned, 'AwaitResubmission', mark);

    const status = async (applicationId: string) => (await operator.getApplication(applicationId)).body.status;
    expect(await status(ids.cityPending)).toBe('CITY_REVIEW');
    expect(await status(ids.provincePending)).toBe('PROVINCE_REVIEW');
    expect(await status(ids.returned)).toBe('RETURNED');
    const aCity = await linkFor(ids.cityPending, 'city');
    const bProvince = await linkFor(ids.provincePending, 'province');

    const arnOf = (applicationId: string, revision = 1) =>
      `arn:aws-cn:states:cn-north-1:000000000000:execution:review-ladder:${execName(applicationId, revision)}`;
    const historyOf = async (applicationId: string) =>
      (await sfn.send(new GetExecutionHistoryCommand({ executionArn: arnOf(applicationId), maxResults: 1000 })))
        .events ?? [];
    const whereIs = (events: SfnHistoryEvent[]) => {
      const entry = events.filter((e) => e.type?.endsWith('StateEntered')).at(-1)?.stateEnteredEventDetails;
      const input = JSON.parse(entry?.input ?? '{}') as { current?: { review?: { stage?: string } } };
      return { state: entry?.name, stage: input.current?.review?.stage };
    };
    const auditOf = async (applicationId: string) => (await operator.history(applicationId)).body.events;
    const emailsPerReview = (emails: StoredEmail[]) => {
      const counts: Record<string, number> = {};
      for (const email of emails) {
        const reviewId = reviewLinkIn(email)?.reviewId;
        if (reviewId) counts[reviewId] = (counts[reviewId] ?? 0) + 1;
      }
      return counts;
    };

    const before = {
      histories: await Promise.all(Object.values(ids).map(historyOf)),
      audits: await Promise.all(Object.values(ids).map(auditOf)),
      emails: await inbox(),
    };
    expect(before.histories.map(whereIs)).toEqual([
      { state: 'RequestReview', stage: 'city' },
      { state: 'RequestReview', stage: 'province' },
      { state: 'AwaitResubmission', stage: 'city' },
    ]);
    // One review email per review so far (each to every reviewer of its stage, in one message).
    const reviewEmails = emailsPerReview(before.emails);
    expect(Object.keys(reviewEmails).sort()).toEqual(
      [aCity.reviewId, bCity.reviewId, bProvince.reviewId, cCity.reviewId].sort(),
    );
    expect(Object.values(reviewEmails).every((n) => n === 1)).toBe(true);

    // ── SIGKILL: no handler, no cleanup; DynamoDB Local's Java child is orphaned and keeps running.
    const orphan = await javaPid();
    local.child.kill('SIGKILL');
    expect((await local.exited).signal).toBe('SIGKILL');
    expect(isAlive(orphan)).toBe(true);

    // ── Second life, same data dir and ports.
    sfn.destroy();
    ({ local, sfn } = await startLocal());
    // The next start reaped the orphan through its pid file.
    expect(isAlive(orphan)).toBe(false);
    for (const [key, state] of [
      ['cityPending', 'RequestReview'],
      ['provincePending', 'RequestReview'],
      ['returned', 'AwaitResubmission'],
    ] as const) {
      await local.waitFor(
        new RegExp(
          `resumed review-ladder/${execName(ids[key])} at ${state}, waiting for its callback with the same token$`,
        ),
      );
    }
    for (const applicationId of Object.values(ids)) {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: arnOf(applicationId) }));
      expect(described.status).toBe('RUNNING');
    }
    // The history is the same, event for event: nothing was entered, asked or sent again.
    expect(await Promise.all(Object.values(ids).map(historyOf))).toEqual(before.histories);
    expect(await Promise.all(Object.values(ids).map(auditOf))).toEqual(before.audits);
    // The local inbox came back from the data dir as it was.
    expect((await inbox()).map((e) => e.messageId)).toEqual(before.emails.map((e) => e.messageId));

    // City pending: the old link opens the page, and the decision moves it to the province.
    const aPage = await linkHolder.reviewPage(aCity.reviewId, aCity.secret);
    expect(aPage.status).toBe(200);
    expect(aPage.text).toContain(clusters.cityPending);
    await steps.uploadPdf(child, ids.cityPending, 'onsite-check-statement');
    mark = local.mark();
    expect((await decide(aCity.reviewId, { t: aCity.secret, decision: 'approve', alsoNational: true })).status).toBe(
      200,
    );
    await waiting(ids.cityPending, 'RequestReview', mark);
    expect(await status(ids.cityPending)).toBe('PROVINCE_REVIEW');

    // Province pending: the old link works too; the province's approval sends it to its batch date.
    const bPage = await linkHolder.reviewPage(bProvince.reviewId, bProvince.secret);
    expect(bPage.status).toBe(200);
    mark = local.mark();
    expect((await decide(bProvince.reviewId, { t: bProvince.secret, decision: 'approve', scores })).status).toBe(200);
    await local.waitFor(
      new RegExp(`review-ladder/${execName(ids.provincePending)}: WaitUntilForwarded waits until `),
      mark,
    );

    // Returned: the applicant resubmits (with the token signed before the kill); the ladder takes
    // it back to the city, round 2.
    mark = local.mark();
    expect((await (await steps.applicantOf(child, ids.returned)).submit(ids.returned)).status).toBe(202);
    await waiting(ids.returned, 'RequestReview', mark);
    expect(await status(ids.returned)).toBe('CITY_REVIEW');
    const cRound2 = await linkFor(ids.returned, 'city', 2);
    expect(cRound2.reviewId).not.toBe(cCity.reviewId);

    // Nothing twice: still one email per review opened before the kill, and the audit trail is
    // the one before the kill followed by exactly the transitions made since.
    const after = emailsPerReview(await inbox());
    for (const reviewId of [aCity.reviewId, bCity.reviewId, bProvince.reviewId, cCity.reviewId])
      expect(after[reviewId]).toBe(1);
    const entering = ['APPLICATION_CREATED:→DRAFT', 'SUBMITTED:DRAFT→SUBMITTED', 'STAGE_ENTERED:SUBMITTED→CITY_REVIEW'];
    const expected = [
      [...entering, 'STAGE_ENTERED:CITY_REVIEW→PROVINCE_REVIEW'],
      [...entering, 'STAGE_ENTERED:CITY_REVIEW→PROVINCE_REVIEW'],
      [
        ...entering,
        'RETURNED:CITY_REVIEW→RETURNED',
        'RESUBMITTED:RETURNED→SUBMITTED',
        'STAGE_ENTERED:SUBMITTED→CITY_REVIEW',
      ],
    ];
    for (const [i, applicationId] of Object.values(ids).entries()) {
      const audit = await auditOf(applicationId);
      expect(audit.slice(0, before.audits[i]?.length)).toEqual(before.audits[i]);
      expect(new Set(audit.map((e) => e.eventId)).size).toBe(audit.length);
      const transitions = audit.filter((e) => e.toStatus).map((e) => `${e.action}:${e.fromStatus ?? ''}→${e.toStatus}`);
      expect(transitions).toEqual(expected[i]);
    }
    const aHistory = await historyOf(ids.cityPending);
    expect(
      aHistory.filter((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'RequestReview'),
    ).toHaveLength(2);
    expect(whereIs(aHistory)).toEqual({ state: 'RequestReview', stage: 'province' });

    // A graceful stop ends DynamoDB Local with it.
    local.child.kill('SIGTERM');
    expect((await local.exited).code).toBe(0);
    sfn.destroy();
    expect(isAlive(await javaPid().catch(() => javaPids.at(-1) ?? 0))).toBe(false);
  }, 300_000);
});
