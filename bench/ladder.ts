/**
 * The review ladder, measured through the whole local pipeline (`startScratchStack`: DynamoDB Local,
 * s3rver, aws-ses-v2-local, the HTTP API gateway and the local Step Functions runtime running the
 * CDK-extracted definition with the real task handlers):
 *
 * 1. **State transitions per application on the happy path** (goal ≤ 30): one application of
 *    敦化市 (Jilin) climbs county → city → province → MIIT → public notice → RECOGNIZED alone on
 *    the stack; its execution history is read with `@aws-sdk/client-sfn` (GetExecutionHistory,
 *    paginated) from the local endpoint, and the `…StateEntered` events are counted.
 * 2. **N applications (default 1,000) through the whole ladder** with automatic reviewers,
 *    spread round-robin over the provinces and municipalities (all but Jilin, which the happy
 *    path uses, and Shanxi, whose city cap and one-per-sub-sector rule would make the expected
 *    count depend on decision order) and over the counties of each. The quota of 8 per province
 *    binds: the first 8 province approvals of each province are recommended, every later one is
 *    refused with 409 QUOTA_EXCEEDED and the automatic reviewer then rejects it with the refusal
 *    as its reason. Expected: Σ min(applications in the province, its quota) RECOGNIZED, the rest
 *    REJECTED.
 *
 * Intake (the draft, and the nine evidence files the county owes through presigned POST, each
 * checked by the validator until VALID; one small pdf-lib PDF per checklist item, 32 requests in
 * flight) is timed on its own; the ladder is timed from the first submit to the last execution's
 * end. Submitting is part of the ladder: it starts the execution. Where the campaign asks for the
 * city's on-site check statement (an item `uploadedBy: 'city'`), the city reviewer uploads it the
 * same way during its review, before approving: that upload is ladder time.
 *
 * Automatic reviewers read the review emails from the local SES (`GET /store?since=…`) each time
 * a review task has sent its email (the engine's `taskSubmitted`), and use the link in each: in 'link' mode (default) they open the review page (GET, as a click does) and
 * post the decision to `/v1/reviews/{reviewId}/decision` with the link's secret; in 'decision'
 * mode they only post the decision.
 *
 * Time: the engine's sleeps (Wait states, task timeouts) run on a held clock — `now()` is real
 * time, and a sleep ends only when the bench releases it. The province's list is released once
 * every province decision is in and every recommended application waits in WaitUntilForwarded
 * (the province sends its list at its deadline); the public notices once MIIT has decided on every
 * one (MIIT publishes its list). "Decided" means the engine has the decision: no review task still
 * waits (its deadline is a held sleep too). Why not a ManualClock: the task handlers compute dates
 * on the real clock (the notice ends 7 days after real now), so a ManualClock advanced to the
 * province date would already be past every notice's end, and the notice Wait would not wait at
 * all; and why not a compressed clock: it compresses the review deadlines too, so a slow batch
 * would time out.
 *
 *   npx tsx bench/ladder.ts                 # 1,000 applications
 *   npx tsx bench/ladder.ts 200             # 200
 *   npx tsx bench/ladder.ts 1000 decision   # reviewers post decisions without opening the page
 *   npx tsx bench/ladder.ts 10 link 1       # 10 in one province: 8 recognised, 2 refused
 *
 * Everything listens on 127.0.0.1 (DynamoDB Local: every interface; it has no bind option).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { type ScratchStack, startScratchStack } from '../local/scratch-stack.ts';
import type { ExecutionDescription } from '../local/stepfunctions/engine.ts';
import {
  AutoReviewers,
  type Bench,
  expectStatus,
  type Filed,
  fileApplication,
  newBench,
  person,
  provincialQuotas,
  type ReviewerMode,
} from './ladder-people.ts';

import { type LadderBenchResult, ladderReport } from './ladder-report.ts';
import { HeldClock, pool, Progress } from './pacing.ts';
import { spreadApplications } from './placements.ts';

const MiB = 1024 * 1024;
const DAY_MS = 86_400_000;

/** The happy-path application: the demo's own cluster. */
const HAPPY_PATH_COUNTY = '222403';

export interface LadderBenchOptions {
  /** Applications through the ladder. Default 1,000. */
  applications?: number;
  /**
   * Spread over the first this many of the 29 provinces and municipalities (provinces first).
   * Default all. `{ applications: 10, provinces: 1 }` makes the quota bind in a small run.
   */
  provinces?: number;
  /** Requests in flight at most, per phase (intake, submit, reviewers). Default 32. */
  concurrency?: number;
  /** 'link' (default): open the review page, then decide; 'decision': only post the decision. */
  reviewers?: ReviewerMode;
  /** Progress lines (default: none). */
  progress?: (line: string) => void;
  /** Longest wait for any one phase, ms (default 10 minutes). */
  phaseTimeoutMs?: number;
}

const seconds = (ms: number) => Math.round(ms / 10) / 100;

/** RSS of this process and of DynamoDB Local, sampled every 100 ms. */
class RssSampler {
  peak = 0;
  windowPeak = 0;
  dynamoPeak: number | undefined;
  private readonly timer: NodeJS.Timeout;
  private ticks = 0;
  /** DynamoDB Local's Java process, once started. */
  dynamoPid: number | undefined;

  constructor() {
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    this.peak = Math.max(this.peak, rss);
    this.windowPeak = Math.max(this.windowPeak, rss);
    if (this.ticks++ % 5 !== 0) return;
    const pid = this.dynamoPid;
    if (pid === undefined) return;
    try {
      const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb !== undefined) this.dynamoPeak = Math.max(this.dynamoPeak ?? 0, Number(kb) * 1024);
    } catch {
      // not Linux, or the process is gone
    }
  }

  resetWindow(): void {
    this.windowPeak = process.memoryUsage.rss();
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

// ---- the ladder -------------------------------------------------------------------------------

export interface Climb {
  ended: Map<string, ExecutionDescription>;
  reviewers: AutoReviewers;
  submittedAt: number;
  listReleasedAt: number;
  noticesReleasedAt: number;
  endedAt: number;
}

/**
 * Submits every application and drives the batch to its end: the reviewers decide as emails
 * arrive; the province list date and the notices' end are released when everything waits for them.
 */
export async function climb(bench: Bench, filed: readonly Filed[], mode: ReviewerMode): Promise<Climb> {
  const { stack, clock, concurrency, phaseTimeoutMs, log, progress } = bench;
  const ids = new Map(filed.map((f) => [f.applicationId, f]));
  const ended = new Map<string, ExecutionDescription>();
  const onEnded = (execution: ExecutionDescription) => {
    const applicationId = execution.name.replace(/-r\d+$/, '');
    if (ids.has(applicationId)) ended.set(applicationId, execution);
    progress.notify();
  };
  stack.stepFunctions.on('executionEnded', onEnded);
  const reviewers = new AutoReviewers(bench, ids, mode);
  const total = filed.length;
  const failedEarly = () => {
    if (reviewers.failure) throw reviewers.failure;
    const failed = [...ended.values()].find((e) => e.status !== 'SUCCEEDED');
    if (failed) throw new Error(`execution ${failed.name} ${failed.status}: ${failed.error} ${failed.cause}`);
    return false;
  };
  const state = () =>
    `decided city ${reviewers.decided.city}, province ${reviewers.decided.province} (${reviewers.provinceApproved} approved, ` +
    `${reviewers.quotaRefusals} refused for quota), miit ${reviewers.decided.miit}; ${ended.size}/${total} ended; ` +
    `${clock.held} sleeps held; ${stack.stepFunctions.pendingTasks().length} tasks waiting`;
  const ticker = setInterval(() => log(`  ladder: ${state()}`), 10_000);
  ticker.unref();
  try {
    const startedAt = performance.now();
    await pool(filed, concurrency, async ({ applicationId, countyCode }) => {
      const submitted = await (await person(bench, 'applicant', countyCode)).submit(applicationId);
      expectStatus(`submit ${applicationId}`, submitted, 202);
    });

    // A decision the reviewers count is not always one the engine has: a reviewer whose request
    // failed reads a 409 ALREADY_DECIDED on its retry as its own success (bench/faults.ts), while
    // the attempt that recorded the decision may still be handing it over (SendTaskSuccess). Until
    // then the review task waits, and its deadline is a held sleep: so the phases below also wait
    // until no review task does.
    const reviewTasksWaiting = () => stack.stepFunctions.pendingTasks().length;

    // The province sends its list at its deadline: once every province decision is in and every
    // recommendation waits for the date (and nothing else waits), the date comes.
    await progress.until(
      () =>
        failedEarly() ||
        (reviewers.decided.province === total &&
          reviewTasksWaiting() === 0 &&
          clock.held === reviewers.provinceApproved),
      phaseTimeoutMs,
      () => `the province decisions (${state()})`,
    );
    const listReleasedAt = performance.now();
    const forwarded = clock.release(Number.POSITIVE_INFINITY);
    if (forwarded !== reviewers.provinceApproved) {
      throw new Error(`released ${forwarded} province waits, expected ${reviewers.provinceApproved}`);
    }

    // MIIT decides; each recognition then waits out its public notice, which ends when MIIT's
    // whole list has been decided. The notice waits are the held sleeps due within the notice
    // (its days from now, and one more: the end is a Beijing-time date); a review deadline is a
    // held sleep too, and is not one of them.
    const noticeDays = bench.campaign.calendar.noticeDays ?? 0;
    const noticesEndBy = () => Date.now() + (noticeDays + 1) * DAY_MS;
    await progress.until(
      () =>
        failedEarly() ||
        (reviewers.decided.miit === reviewers.provinceApproved &&
          reviewTasksWaiting() === 0 &&
          clock.heldUntil(noticesEndBy()) === reviewers.provinceApproved),
      phaseTimeoutMs,
      () => `the MIIT decisions (${state()})`,
    );
    const noticesReleasedAt = performance.now();
    const dues = clock.dues();
    const noticed = clock.release(noticesEndBy());
    if (noticed !== reviewers.provinceApproved) {
      throw new Error(
        `released ${noticed} notice waits, expected ${reviewers.provinceApproved} (dues ${dues.slice(0, 3).join(',')})`,
      );
    }
    await progress.until(
      () => failedEarly() || ended.size === total,
      phaseTimeoutMs,
      () => `the recognitions (${state()})`,
    );
    const endedAt = performance.now();
    await reviewers.stop();
    return { ended, reviewers, submittedAt: startedAt, listReleasedAt, noticesReleasedAt, endedAt };
  } finally {
    clearInterval(ticker);
    stack.stepFunctions.off('executionEnded', onEnded);
    await reviewers.stop().catch(() => undefined);
  }
}

/** The happy path's execution history through @aws-sdk/client-sfn, every page. */
async function executionHistory(stack: ScratchStack, executionArn: string): Promise<HistoryEvent[]> {
  const client = new SFNClient({
    endpoint: stack.endpoints.stepfunctions,
    region: stack.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 100, nextToken }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  } finally {
    client.destroy();
  }
}

// ---- the benchmark ----------------------------------------------------------------------------

/**
 * The ports of this process's first stack. Handler modules build their SDK clients when first
 * imported and Node cannot unload them, so a later run in the same process must put its stand-ins
 * on the same ports for those clients to reach them (as the test harness's restart does).
 */
let firstPorts: ScratchStack['ports'] | undefined;

/** Runs the benchmark on a fresh local stack (temporary data dir, deleted afterwards). */
export async function benchLadder(options: LadderBenchOptions = {}): Promise<LadderBenchResult> {
  const applications = options.applications ?? 1000;
  const concurrency = options.concurrency ?? 32;
  const mode = options.reviewers ?? 'link';
  const log = options.progress ?? (() => undefined);
  if (!(Number.isInteger(applications) && applications > 0)) throw new Error('applications: a positive integer');
  // Handlers log through Powertools; a bench run wants figures, not 100,000 log lines.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

  const progress = new Progress();
  const clock = new HeldClock(progress.notify);
  const rss = new RssSampler();
  const baselineRss = process.memoryUsage.rss();
  const stack = await startScratchStack({
    stepFunctions: { clock: { timers: clock }, retry: { intervalScale: 0 } },
    ...(firstPorts && {
      apiPort: firstPorts.api,
      dynamoPort: firstPorts.dynamodb,
      s3Port: firstPorts.s3,
      sesPort: firstPorts.ses,
      sfnPort: firstPorts.stepfunctions,
    }),
  }).catch((error: unknown) => {
    rss.stop();
    throw error;
  });
  firstPorts ??= stack.ports;
  rss.dynamoPid = stack.dynamoPid;
  const bench = newBench(stack, clock, progress, { concurrency, log, phaseTimeoutMs: options.phaseTimeoutMs });
  const unsubscribe = stack.onValidated((event) => {
    const settle = bench.validations.get(event.key);
    bench.validations.delete(event.key);
    settle?.(event.ok, event.error);
  });
  try {
    const operator = await person(bench, 'operator', '000000');
    const created = await operator.createCampaign(bench.campaign);
    expectStatus('campaign', created, 201);

    // 1. The happy path, alone on the stack.
    log('ladder bench: the happy path (one application, 敦化市)');
    const happy = await fileApplication(bench, { countyCode: HAPPY_PATH_COUNTY, provincialCode: '220000' });
    const single = await climb(bench, [happy], mode);
    const execution = single.ended.get(happy.applicationId);
    if (!execution || (JSON.parse(execution.output ?? '{}') as { status?: unknown }).status !== 'RECOGNIZED') {
      throw new Error(`the happy path ended ${execution?.status} ${execution?.output}`);
    }
    const history = await executionHistory(stack, execution.executionArn);
    const entered = history.filter((e) => e.type?.endsWith('StateEntered'));

    // 2. The batch: intake first, timed on its own.
    const placements = spreadApplications(applications, options.provinces);
    log(`ladder bench: intake of ${applications} applications (${concurrency} in flight)`);
    bench.uploads.county = 0;
    const intakeStarted = performance.now();
    const filed = new Array<Filed>(applications);
    let done = 0;
    await pool(placements, concurrency, async (placement, index) => {
      filed[index] = await fileApplication(bench, placement);
      if (++done % 100 === 0) log(`  intake: ${done}/${applications}`);
    });
    const intakeSeconds = seconds(performance.now() - intakeStarted);
    const uploads = bench.uploads.county;

    log(`ladder bench: ${applications} applications up the ladder (reviewers: ${mode})`);
    rss.resetWindow();
    bench.uploads.city = 0;
    const batch = await climb(bench, filed, mode);
    rss.sample();
    const ladderPeakRss = rss.windowPeak;

    // What the records say, after the clock stopped.
    const statuses = new Map<string, number>();
    await pool(filed, concurrency, async ({ applicationId }) => {
      const got = await operator.getApplication(applicationId);
      expectStatus(`GET ${applicationId}`, got, 200);
      statuses.set(got.body.status, (statuses.get(got.body.status) ?? 0) + 1);
    });
    const perProvince = provincialQuotas(bench, filed);
    const expectedRecognized = [...perProvince.values()].reduce((n, p) => n + Math.min(p.count, p.limit), 0);
    const ladderMs = batch.endedAt - batch.submittedAt;
    const { RECOGNIZED: recognized = 0, REJECTED: rejected = 0, ...others } = Object.fromEntries(statuses);
    rss.stop();
    return {
      transitionsPerApplication: entered.length,
      historyEventsPerApplication: history.length,
      happyPathStates: entered.map((e) => e.stateEnteredEventDetails?.name ?? '?'),
      applications,
      provinces: perProvince.size,
      counties: new Set(filed.map((f) => f.countyCode)).size,
      expectedRecognized,
      recognized,
      rejected,
      otherStatuses: others,
      quotaRefusals: batch.reviewers.quotaRefusals,
      decisions: batch.reviewers.decisions,
      reviewers: mode,
      concurrency,
      intakeSeconds,
      uploads,
      cityUploads: bench.uploads.city,
      seconds: seconds(ladderMs),
      applicationsPerSecond: Math.round((applications / (ladderMs / 1000)) * 10) / 10,
      phases: {
        toProvinceListSeconds: seconds(batch.listReleasedAt - batch.submittedAt),
        miitSeconds: seconds(batch.noticesReleasedAt - batch.listReleasedAt),
        recognitionSeconds: seconds(batch.endedAt - batch.noticesReleasedAt),
      },
      peakRssMiB: Math.round(rss.peak / MiB),
      baselineRssMiB: Math.round(baselineRss / MiB),
      ladderPeakRssMiB: Math.round(ladderPeakRss / MiB),
      ...(rss.dynamoPeak !== undefined && { dynamoDbPeakRssMiB: Math.round(rss.dynamoPeak / MiB) }),
    };
  } finally {
    rss.stop();
    unsubscribe();
    await stack.cleanup();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const applications = Number(process.argv[2] ?? 1000);
  const reviewers = (process.argv[3] ?? 'link') as ReviewerMode;
  if (reviewers !== 'link' && reviewers !== 'decision') throw new Error('reviewers: link or decision');
  const provinces = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
  const result = await benchLadder({ applications, reviewers, provinces, progress: (line) => console.error(line) });
  for (const line of ladderReport(result)) console.log(line);
}
