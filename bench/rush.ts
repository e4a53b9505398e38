/**
 * The deadline rush, through the whole local pipeline (`startScratchStack`: DynamoDB Local,
 * s3rver, aws-ses-v2-local, the HTTP API gateway, the validator on S3 events and the local Step
 * Functions runtime running the CDK-extracted ladder): N county officials (default 500, each in a
 * county of its own with a city stage, spread over the provinces) in the last hour before the
 * campaign's submission deadline — the campaign is placed so that the deadline is an hour after
 * the bench starts, since the handlers read the real clock; the engine's waits are held
 * (bench/pacing.ts's HeldClock). Each official creates an application, uploads the county's files
 * (9) through presigned POSTs, waits for the validator's verdicts, checks them and submits
 * (bench/rush-officials.ts). Reviewers decide in parallel as their emails arrive (bench/ladder-
 * people.ts's AutoReviewers, by the emailed links): the city approves after uploading its on-site
 * statement, the province scores and recommends within its quota of 8 and rejects the rest. The
 * recommended then wait for the province's forwarding date, which the bench does not release.
 *
 * Bounded: officials in flight (`concurrency`), files each uploads at once, and a time cap after
 * which no official starts and the reviewers are no longer waited for.
 *
 * Measured: every request's time by route (and the S3 POST, and upload → verdict), as ratios to a
 * trivial GET (`GET /v1/jurisdictions/{code}`) probed one at a time through the same rush; 5xx
 * answers. Checked afterwards, from the table, the bucket and the engine: every object in the
 * bucket has its verdict recorded; no draft, evidence item, verdict, execution or quota slot twice.
 *
 * With `faults`, a FaultPlan (local/faults.ts) faults a share of every handler invocation (API,
 * validator, ladder tasks) and throttles DynamoDB; people send again after a 500/503 with the same
 * Idempotency-Key (create, upload request) or read the 409 that says it had landed (submit,
 * decision); dead-lettered S3 events are replayed as the runbook says.
 *
 *   npx tsx bench/rush.ts                          # 500 officials, 9 files, no faults
 *   npx tsx bench/rush.ts --faults 0.2             # the same with 20 % of handler invocations faulted
 *   npx tsx bench/rush.ts --officials 2000 --concurrency 96 --max-seconds 900
 *   npx tsx bench/rush.ts --officials 5 --files 2 --reviewers city
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { signIn } from '../local/client/index.ts';
import { FaultPlan, muteInjectedFaultLogs } from '../local/faults.ts';
import { loadHandlerModule } from '../local/lambda.ts';
import { type ScratchStack, sdkClients, startScratchStack } from '../local/scratch-stack.ts';
import { API_FUNCTIONS, EVENT_FUNCTIONS } from '../shared/platform/functions.ts';
import { settleVerdicts } from './faults.ts';
import { AutoReviewers, type Bench, type Filed, liftDecisionLimits, newBench, person } from './ladder-people.ts';
import { checkRush } from './rush-checks.ts';
import { HeldClock, pool, Progress } from './pacing.ts';
import {
  type ClientTally,
  Latencies,
  rushCampaign,
  rushClient,
  rushOfficial,
  rushPlacements,
  type RushTally,
} from './rush-officials.ts';
import { type RouteFigure, type RushResult, rushReport } from './rush-report.ts';

export interface RushOptions {
  /** County officials (default 500), each in a distinct county. */
  officials?: number;
  /** Required county files per application (default all of the campaign's: 9). */
  files?: number;
  /** Officials in flight at most (default 48); also the reviewers' requests in flight. */
  concurrency?: number;
  /** Files one official uploads at once (default 3). */
  uploadsInFlight?: number;
  /** No official starts after this, and the reviewers are waited for until it (default 480 s). */
  maxSeconds?: number;
  /** The stages the automatic reviewers decide (default city and province). */
  reviewStages?: readonly ('city' | 'province')[];
  /**
   * Where the stack's scratch data dir goes (default /dev/shm where it exists, else the temporary
   * dir). DynamoDB Local commits every write to SQLite on disk, serially: on this shared machine's
   * disk that is about 40 writes/s against about 300 on tmpfs, and the rush would measure the
   * disk. Pass a disk path to measure that.
   */
  dataRoot?: string;
  /** Faults on: share of handler invocations (0.1–0.3 is the plan's range) and of DynamoDB attempts. */
  faults?: { handlerRate: number; dynamoDbRate?: number; seed?: number };
  progress?: (line: string) => void;
}

const BASELINE_ROUTE = 'GET /v1/jurisdictions/{code}';
const PROBE_EVERY_MS = 50;
const DEFAULTS = { officials: 500, concurrency: 48, uploadsInFlight: 3, maxSeconds: 480 };

const seconds = (ms: number) => Math.round(ms / 10) / 100;

/** This process's first stack's ports: handler modules keep the endpoints they first saw (bench/ladder.ts). */
let firstPorts: ScratchStack['ports'] | undefined;

export async function benchRush(options: RushOptions = {}): Promise<RushResult> {
  const officials = options.officials ?? DEFAULTS.officials;
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  const uploadsInFlight = options.uploadsInFlight ?? DEFAULTS.uploadsInFlight;
  const capSeconds = options.maxSeconds ?? DEFAULTS.maxSeconds;
  const stages = new Set<string>(options.reviewStages ?? ['city', 'province']);
  const log = options.progress ?? (() => undefined);
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const placements = rushPlacements(officials);

  const plan = options.faults && new FaultPlan({ seed: 7, dynamoDbRate: 0.1, ...options.faults });
  plan?.setEnabled(false);
  const unmute = plan ? muteInjectedFaultLogs(['NoticePending']) : () => undefined;
  const progress = new Progress();
  const clock = new HeldClock(progress.notify);
  const dataDir = await mkdtemp(join(options.dataRoot ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'rush-'));
  // Every reviewer decides from this one address: the decision limits meant for people are lifted.
  const restoreLimits = liftDecisionLimits();
  const removeDataDir = async () => {
    restoreLimits();
    await rm(dataDir, { recursive: true, force: true });
  };
  const stack = await startScratchStack({
    dataDir,
    ...(plan && { faults: plan }),
    stepFunctions: { clock: { timers: clock }, retry: { intervalScale: plan ? 0.01 : 0 } },
    ...(firstPorts && {
      apiPort: firstPorts.api,
      dynamoPort: firstPorts.dynamodb,
      s3Port: firstPorts.s3,
      sesPort: firstPorts.ses,
      sfnPort: firstPorts.stepfunctions,
    }),
  }).catch(async (error: unknown) => {
    unmute();
    await removeDataDir();
    throw error;
  });
  firstPorts ??= stack.ports;

  const latencies = new Latencies();
  const clientTally: ClientTally = { retries: 0, recovered: 0, serverErrors: {} };
  const bench: Bench = {
    ...newBench(stack, clock, progress, { concurrency, log, client: rushClient(latencies, clientTally) }),
    campaign: rushCampaign(new Date(), options.files),
  };

  // Verdicts: settle the waiting upload; a dead-lettered event is replayed as an operator would.
  const verdicts = settleVerdicts(stack, bench);
  const clients = sdkClients();
  const filed = new Map<string, Filed>();
  const drafts = new Map<string, string>();
  const tally: RushTally = { created: 0, verdicts: 0, submitted: 0, failures: [] };
  let reviewers: AutoReviewers | undefined;
  let probing = true;
  try {
    const created = await (await person(bench, 'operator', '000000')).createCampaign(bench.campaign);
    if (created.status !== 201) throw new Error(`campaign: HTTP ${created.status} ${created.text}`);
    plan?.setEnabled(true);
    reviewers = new AutoReviewers(bench, filed, 'link', stages);

    const prober = await signIn(stack, 'operator', '000000', bench.client);
    const probe = (async () => {
      while (probing) {
        await prober.getJurisdiction('222403');
        await sleep(PROBE_EVERY_MS);
      }
    })();

    // Every handler module imported before the clock starts: the rush measures warm handlers.
    await Promise.all(
      [...Object.values(API_FUNCTIONS), ...Object.values(EVENT_FUNCTIONS)].map((spec) => loadHandlerModule(spec.entry)),
    );
    latencies.measuring = true;
    const started = performance.now();
    const capAt = started + capSeconds * 1000;
    const ticker = setInterval(() => {
      const r = reviewers as AutoReviewers;
      log(
        `  rush ${seconds(performance.now() - started)} s: ${tally.created} drafts, ${tally.verdicts} verdicts, ${tally.submitted} submitted; ` +
          `city ${r.decided.city}, province ${r.decided.province} decided; ${tally.failures.length} failed`,
      );
    }, 10_000);
    ticker.unref();
    let notStarted = 0;
    log(`rush: ${officials} officials, ${concurrency} in flight, cap ${capSeconds} s${plan ? ', faults on' : ''}`);
    await pool(placements, concurrency, async (placement) => {
      if (performance.now() > capAt) {
        notStarted += 1;
        return;
      }
      await rushOfficial(bench, placement, { uploadsInFlight, latencies, tally, filed, drafts }).catch(
        (error: unknown) => {
          tally.failures.push(`${placement.countyCode}: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    });

    const r = reviewers;
    const allDecided = () =>
      r.failure !== undefined ||
      ((!stages.has('city') || r.decided.city >= tally.submitted) &&
        (!stages.has('province') || r.decided.province >= tally.submitted));
    let cappedOut = notStarted > 0;
    await progress
      .until(allDecided, Math.max(1_000, capAt - performance.now()), () => 'the reviewers')
      .catch(() => {
        cappedOut = true;
      });
    const elapsed = performance.now() - started;
    clearInterval(ticker);
    probing = false;
    await probe;
    latencies.measuring = false;
    await r.stop();
    if (r.failure) tally.failures.push(`reviewers: ${r.failure.message}`);
    await verdicts.replaysDone();
    await plan?.idle();
    plan?.setEnabled(false);

    log('rush: checking the table, the bucket and the executions');
    const problems = await checkRush(bench, clients, { drafts, filed, provinceApproved: r.provinceApproved, stages });
    problems.failures.push(...tally.failures);

    const stats = plan?.stats();
    const summary = latencies.summary();
    const baselineSeries = summary.find((s) => s.name === BASELINE_ROUTE);
    if (!baselineSeries) throw new Error('the trivial GET was never answered');
    const figure = (s: (typeof summary)[number]): RouteFigure => ({
      name: s.name,
      count: s.count,
      p50Ms: s.p50,
      p99Ms: s.p99,
      p50Ratio: s.p50 / baselineSeries.p50,
      p99Ratio: s.p99 / baselineSeries.p99,
    });
    return {
      officials,
      files: problems.countyFiles,
      concurrency,
      uploadsInFlight,
      reviewStages: [...stages],
      ...(plan &&
        stats && {
          faults: {
            handlerRate: options.faults?.handlerRate ?? 0,
            dynamoDbRate: options.faults?.dynamoDbRate ?? 0.1,
            injected: Object.values(stats.injected).reduce((n, v) => n + v, 0),
            invocations: Object.values(stats.invocations).reduce((n, v) => n + v, 0),
            apiInjected: Object.entries(stats.byTarget)
              .filter(([target]) => target.startsWith('api:'))
              .reduce((n, [, kinds]) => n + Object.values(kinds).reduce((m, v) => m + (v ?? 0), 0), 0),
            byKind: stats.injected,
            dynamoDbThrottled:
              stats.dynamodb.throttled.ProvisionedThroughputExceededException +
              stats.dynamodb.throttled.ThrottlingException,
            dynamoDbSurfaced: stats.dynamodb.surfaced,
          },
        }),
      seconds: seconds(elapsed),
      capSeconds,
      cappedOut,
      notStarted,
      created: tally.created,
      submitted: tally.submitted,
      decided: { city: r.decided.city, province: r.decided.province },
      provinceApproved: r.provinceApproved,
      quotaRefusals: r.quotaRefusals,
      stored: problems.stored,
      verdictsRecorded: problems.verdictsRecorded,
      serverErrors: {
        total: Object.values(clientTally.serverErrors).reduce((n, v) => n + v, 0),
        byRoute: clientTally.serverErrors,
      },
      retries: {
        client: clientTally.retries,
        recovered: clientTally.recovered,
        validator: verdicts.counts.validatorRetries,
        deadLettersReplayed: verdicts.counts.deadLettersReplayed,
        sdk: stats?.dynamodb.sdkRetries ?? 0,
      },
      baseline: figure(baselineSeries),
      routes: summary
        .filter((s) => s.name !== BASELINE_ROUTE)
        .map(figure)
        .sort((a, b) => a.name.localeCompare(b.name)),
      problems: {
        failures: problems.failures,
        lost: problems.lost,
        doubledDrafts: problems.doubledDrafts,
        doubledEvidence: problems.doubledEvidence,
        doubledVerdicts: problems.doubledVerdicts,
        doubledExecutions: problems.doubledExecutions,
        missingExecutions: problems.missingExecutions,
        quota: problems.quota,
      },
    };
  } finally {
    probing = false;
    await reviewers?.stop().catch(() => undefined);
    verdicts.unsubscribe();
    clients.destroy();
    await plan?.idle();
    await stack.cleanup();
    await removeDataDir();
    unmute();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      officials: { type: 'string' },
      files: { type: 'string' },
      concurrency: { type: 'string' },
      uploads: { type: 'string' },
      'max-seconds': { type: 'string' },
      reviewers: { type: 'string' },
      faults: { type: 'string' },
      'dynamodb-rate': { type: 'string' },
      seed: { type: 'string' },
      'data-root': { type: 'string' },
    },
  });
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const result = await benchRush({
    officials: number(values.officials),
    files: number(values.files),
    concurrency: number(values.concurrency),
    uploadsInFlight: number(values.uploads),
    maxSeconds: number(values['max-seconds']),
    ...(values['data-root'] && { dataRoot: values['data-root'] }),
    ...(values.reviewers && { reviewStages: values.reviewers.split(',') as ('city' | 'province')[] }),
    ...(values.faults && {
      faults: {
        handlerRate: Number(values.faults),
        dynamoDbRate: number(values['dynamodb-rate']) ?? 0.1,
        seed: number(values.seed) ?? 7,
      },
    }),
    progress: (line) => console.error(line),
  });
  for (const line of rushReport(result)) console.log(line);
}
