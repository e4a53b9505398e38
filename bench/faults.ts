/**
 * Exactly-once effects under faults, through the whole local pipeline: N applications (default
 * 200) climb the review ladder with automatic reviewers (bench/ladder.ts's intake, reviewers and
 * phases) while a FaultPlan (local/faults.ts) makes a share of handler invocations fail — the
 * ladder's task handlers, the validator and the API handlers: an error before the handler ran, an
 * answer lost after it ran, a stall past the caller's timeout (the handler then runs late, beside
 * the retry) or a stall that never ends — and answers a share of DynamoDB requests with throttling
 * errors through a client middleware, so the SDK's own retry strategy sees them.
 *
 * What absorbs them is the product's own machinery: the ladder's Retry policies (CDK's 2 s × 2ⁿ,
 * scaled down here, and the applicant notice's 30 s takeover window with them, see
 * local/notice-takeover.ts), the validator's two asynchronous retries and, past them, the
 * dead-letter replay an operator would do (the README's runbook), the SDK's retries, and
 * idempotent handlers. The people retry too: a county or reviewer whose request failed (500, or
 * 503 after a stall) sends it again; a 409 ALREADY_DECIDED or ALREADY_SUBMITTED after such a
 * failure means the first attempt landed. Creating a draft and requesting an upload link take no
 * faults (neither is idempotent for a client that lost the answer: see the README).
 *
 * Then it checks that nothing was lost or done twice: every application ended (RECOGNIZED, or
 * REJECTED when the province's quota was full) with its execution SUCCEEDED; every review link
 * and every applicant notice emailed once (local SES store); each province's quota counter equal
 * to its slot holders; each review decided once (one SendTaskSuccess per review in the histories);
 * each workflow step once in each audit trail.
 *
 *   npx tsx bench/faults.ts              # 200 applications over 20 provinces (quota binds: 8 of 10)
 *   npx tsx bench/faults.ts 40 4 0.3 0.25   # 40 over 4 provinces, 30 % of invocations, 25 % of DynamoDB attempts
 */
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, S3Event } from 'aws-lambda';
import { type FaultPlanOptions, FaultPlan, muteInjectedFaultLogs } from '../local/faults.ts';
import { MIN_FAULTED_RETRY_SCALE } from '../local/notice-takeover.ts';
import { loadHandlerModule, makeLambdaContext } from '../local/lambda.ts';
import { DynamoQuotas } from '../shared/adapters/dynamo-quota.ts';
import { DynamoRecords } from '../shared/adapters/dynamo-records/store.ts';
import { EVENT_FUNCTIONS } from '../shared/platform/functions.ts';
import { type ClientSettings, reviewLinkIn, sentEmails } from '../local/client/index.ts';
import { type ScratchStack, sdkClients, startScratchStack } from '../local/scratch-stack.ts';
import { climb } from './ladder.ts';
import { spreadApplications } from './placements.ts';
import {
  type Bench,
  type Filed,
  fileApplication,
  liftDecisionLimits,
  newBench,
  person,
  provincialQuotas,
} from './ladder-people.ts';
import { HeldClock, pool, Progress } from './pacing.ts';
import { type FaultsBenchResult, faultsReport } from './faults-report.ts';

export interface FaultsBenchOptions {
  /** Applications through the ladder (default 200). */
  applications?: number;
  /** Spread over the first this many provinces (default 20: 10 each for 200, so quotas of 8 bind). */
  provinces?: number;
  /** Requests in flight per phase (default 16). */
  concurrency?: number;
  /** Share of handler invocations that fault (default 0.2). */
  handlerRate?: number;
  /** Share of DynamoDB request attempts throttled (default 0.1). */
  dynamoDbRate?: number;
  seed?: number;
  /**
   * Scales the ladder's Retry intervals (default 0.1: 2 s → 200 ms, doubling) and the notice
   * takeover window with them (30 s → 3 s). The stack raises a smaller scale to 0.1 under faults:
   * the window must outlast a throttled invocation's real time (local/notice-takeover.ts).
   */
  retryIntervalScale?: number;
  /** Longest wait for any one phase (default 10 minutes). */
  phaseTimeoutMs?: number;
  progress?: (line: string) => void;
}

const NON_IDEMPOTENT_ROUTES = new Set(['POST /v1/applications', 'POST /v1/applications/{applicationId}/evidence']);
const MAX_CLIENT_ATTEMPTS = 10;

export interface ClientCounters {
  retries: number;
  recovered: number;
}

interface ErrorBody {
  error?: { code?: string; details?: { decision?: { decision?: string } }[] };
}

const decoder = new TextDecoder();

/**
 * How a person with a flaky connection uses the API: send again on 500/503 (after a short pause,
 * longer each time), and read a 409 that says the request was already done, after such a
 * failure, as the success whose answer was lost.
 */
export function retrying(counters: ClientCounters): NonNullable<ClientSettings['around']> {
  return async (request, send) => {
    let failedBefore = false;
    for (let attempt = 1; ; attempt++) {
      const response = await send();
      let answer: ErrorBody | undefined;
      try {
        answer = JSON.parse(decoder.decode(response.bytes)) as ErrorBody;
      } catch {
        answer = undefined;
      }
      const code = answer?.error?.code;
      const transient =
        response.status === 500 || response.status === 503 || (response.status === 409 && code === 'CONCURRENT_CHANGE');
      if (transient && attempt < MAX_CLIENT_ATTEMPTS) {
        counters.retries += 1;
        failedBefore = true;
        await sleep(20 * attempt);
        continue;
      }
      if (failedBefore && response.status === 409) {
        // The attempt whose answer was lost had landed.
        const decided = answer?.error?.details?.[0]?.decision?.decision;
        const sent = (request.body as { decision?: string } | undefined)?.decision;
        if (code === 'ALREADY_DECIDED' && decided !== undefined && decided === sent) {
          counters.recovered += 1;
          return { ...response, status: 200 };
        }
        if (code === 'ALREADY_SUBMITTED' && request.path.endsWith('/submit')) {
          counters.recovered += 1;
          return { ...response, status: 202 };
        }
      }
      return response;
    }
  };
}

const seconds = (ms: number) => Math.round(ms / 10) / 100;

/** Runs the fault bench on a fresh local stack (temporary data dir, deleted afterwards). */
export async function benchFaults(options: FaultsBenchOptions = {}): Promise<FaultsBenchResult> {
  const applications = options.applications ?? 200;
  const concurrency = options.concurrency ?? 16;
  const log = options.progress ?? (() => undefined);
  const handlerRate = options.handlerRate ?? 0.2;
  const dynamoDbRate = options.dynamoDbRate ?? 0.1;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

  const planOptions: FaultPlanOptions = {
    seed: options.seed ?? 5,
    handlerRate,
    dynamoDbRate,
    targets: { api: (routeKey) => !NON_IDEMPOTENT_ROUTES.has(routeKey) },
  };
  const plan = new FaultPlan(planOptions);
  plan.setEnabled(false);
  const progress = new Progress();
  const clock = new HeldClock(progress.notify);
  const unmute = muteInjectedFaultLogs(['NoticePending']);
  const restoreLimits = liftDecisionLimits();
  const stack = await startScratchStack({
    faults: plan,
    // The validator's asynchronous retries (1 and 2 minutes in AWS), scaled down.
    retryDelaysMs: [20, 40],
    stepFunctions: {
      clock: { timers: clock },
      retry: { intervalScale: options.retryIntervalScale ?? MIN_FAULTED_RETRY_SCALE },
    },
  }).catch((error: unknown) => {
    restoreLimits();
    unmute();
    throw error;
  });
  const counters: ClientCounters = { retries: 0, recovered: 0 };
  const bench = newBench(stack, clock, progress, {
    concurrency,
    log,
    phaseTimeoutMs: options.phaseTimeoutMs,
    client: { around: retrying(counters) },
  });
  const verdicts = settleVerdicts(stack, bench);
  const clients = sdkClients();
  try {
    const created = await (await person(bench, 'operator', '000000')).createCampaign(bench.campaign);
    if (created.status !== 201) throw new Error(`campaign: HTTP ${created.status} ${created.text}`);
    plan.setEnabled(true);

    const placements = spreadApplications(applications, options.provinces ?? 20);
    log(`faults bench: intake of ${applications} applications under faults`);
    const intakeStarted = performance.now();
    const filed = new Array<Filed>(applications);
    await pool(placements, concurrency, async (placement, index) => {
      filed[index] = await fileApplication(bench, placement);
    });
    const intakeSeconds = seconds(performance.now() - intakeStarted);

    log(`faults bench: ${applications} applications up the ladder under faults`);
    const ticker = setInterval(() => {
      const s = plan.stats();
      log(
        `  faults so far: ${JSON.stringify(s.injected)}, DynamoDB throttled ${s.dynamodb.throttled.ProvisionedThroughputExceededException + s.dynamodb.throttled.ThrottlingException}`,
      );
    }, 15_000);
    ticker.unref();
    const climbed = await climb(bench, filed, 'link').finally(() => clearInterval(ticker));
    const ladderSeconds = seconds(climbed.endedAt - climbed.submittedAt);
    await plan.idle();
    plan.setEnabled(false);

    // ---- what happened ----------------------------------------------------------------------
    const records = new DynamoRecords(clients.doc, stack.tableName);
    const quotas = new DynamoQuotas(clients.doc, stack.tableName);
    const statuses: Record<string, number> = {};
    const lost: string[] = [];
    const duplicateAuditEvents: string[] = [];
    await pool(filed, concurrency, async ({ applicationId }) => {
      const application = await records.getApplication(applicationId);
      const status = application?.status ?? 'MISSING';
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== 'RECOGNIZED' && status !== 'REJECTED') lost.push(`${applicationId}: ${status}`);
      const execution = climbed.ended.get(applicationId);
      if (execution?.status !== 'SUCCEEDED') lost.push(`${applicationId}: execution ${execution?.status ?? 'missing'}`);
      const seen = new Map<string, number>();
      for (const event of await records.listAudit(applicationId)) {
        if (event.role !== 'workflow' && event.role !== 'validator') continue;
        const detail = (event.detail ?? {}) as { stage?: string; round?: number; notice?: string; evidenceId?: string };
        const key = `${event.action}#${detail.stage ?? ''}#${detail.round ?? ''}#${detail.notice ?? ''}#${detail.evidenceId ?? ''}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      for (const [key, n] of seen) if (n > 1) duplicateAuditEvents.push(`${applicationId}: ${key} ×${n}`);
    });

    const emails = await sentEmails(stack);
    const perReview = new Map<string, number>();
    const perNotice = new Map<string, number>();
    for (const email of emails) {
      const reviewId = reviewLinkIn(email)?.reviewId;
      if (reviewId) perReview.set(reviewId, (perReview.get(reviewId) ?? 0) + 1);
      else {
        const key = `${email.destination.to.join(',')} ${email.subject}`;
        perNotice.set(key, (perNotice.get(key) ?? 0) + 1);
      }
    }
    const duplicateEmails = [...perReview, ...perNotice].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);

    const quotaMismatches: string[] = [];
    const perProvince = provincialQuotas(bench, filed);
    const recognizedIds = new Set<string>();
    await pool(filed, concurrency, async ({ applicationId }) => {
      if ((await records.getApplication(applicationId))?.status === 'RECOGNIZED') recognizedIds.add(applicationId);
    });
    for (const [code, { limit }] of perProvince) {
      const [use] = (await quotas.usage(bench.campaign.campaignId, 'recommendation', code)).filter(
        (u) => u.scope === 'provincial',
      );
      if (!use) continue;
      if (use.used !== use.holders.length)
        quotaMismatches.push(`${code}: counter ${use.used}, holders ${use.holders.length}`);
      if (use.used > limit) quotaMismatches.push(`${code}: ${use.used} used of ${limit}`);
      const strays = use.holders.filter((id) => !recognizedIds.has(id));
      if (strays.length > 0)
        quotaMismatches.push(`${code}: slots held by applications not recognised: ${strays.join(', ')}`);
    }
    const expectedRecognized = [...perProvince.values()].reduce((n, p) => n + Math.min(p.count, p.limit), 0);

    const duplicateDecisions: string[] = [];
    const stepFunctionsRetries: Record<string, number> = {};
    for (const execution of climbed.ended.values()) {
      const { events } = stack.stepFunctions.getExecutionHistory({
        executionArn: execution.executionArn,
        maxResults: 10_000,
      });
      const successes = new Map<string, number>();
      for (const event of events) {
        if (event.type === 'TaskSucceeded') {
          const reviewId = /"reviewId":"([^"]+)"/.exec(JSON.stringify(event))?.[1];
          if (reviewId) successes.set(reviewId, (successes.get(reviewId) ?? 0) + 1);
        }
        if (event.type.endsWith('Failed') || event.type.endsWith('TimedOut')) {
          const details = Object.values(event).find(
            (value): value is { error?: string } => typeof value === 'object' && value !== null && 'error' in value,
          );
          const error = details?.error ?? event.type;
          stepFunctionsRetries[error] = (stepFunctionsRetries[error] ?? 0) + 1;
        }
      }
      for (const [reviewId, n] of successes) if (n > 1) duplicateDecisions.push(`${reviewId}: SendTaskSuccess ×${n}`);
    }

    const faults = plan.stats();
    return {
      applications,
      provinces: perProvince.size,
      handlerRate,
      dynamoDbRate,
      intakeSeconds,
      ladderSeconds,
      expectedRecognized,
      statuses,
      faults,
      duplicatesReplayed: faults.injected['error-after'] + faults.lateRuns,
      retries: {
        stepFunctions: stepFunctionsRetries,
        validator: verdicts.counts.validatorRetries,
        deadLettersReplayed: verdicts.counts.deadLettersReplayed,
        client: counters.retries,
        clientAnswersRecovered: counters.recovered,
        reviewsRearmed: climbed.reviewers.expiredRetries,
        sdk: faults.dynamodb.sdkRetries,
      },
      lost,
      duplicateEmails,
      quotaMismatches,
      duplicateDecisions,
      duplicateAuditEvents,
      emails: { reviewLinks: perReview.size, applicantNotices: perNotice.size },
    };
  } finally {
    verdicts.unsubscribe();
    clients.destroy();
    await plan.idle();
    await stack.cleanup();
    restoreLimits();
    unmute();
  }
}

/** Invokes the validator with a dead-lettered event's payload until it succeeds (an operator's replay). */
/**
 * Settles each upload waiting for its verdict as the validator records it, counting the
 * validator's retries; a dead-lettered event is replayed as the runbook says
 * (docs/runbook.md: validator-dead-letters). `replaysDone` waits for the replays under way.
 */
export function settleVerdicts(stack: ScratchStack, bench: Pick<Bench, 'validations'>) {
  const counts = { validatorRetries: 0, deadLettersReplayed: 0 };
  const replays = new Set<Promise<void>>();
  const unsubscribe = stack.onValidated((event) => {
    counts.validatorRetries += event.attempts - 1;
    const settle = bench.validations.get(event.key);
    if (event.ok) {
      bench.validations.delete(event.key);
      settle?.(true);
      return;
    }
    counts.deadLettersReplayed += 1;
    const replay = replayToValidator(stack, { Records: [event.record] }).then(
      () => {
        bench.validations.delete(event.key);
        settle?.(true);
      },
      (error: unknown) => {
        bench.validations.delete(event.key);
        settle?.(false, error instanceof Error ? error.message : String(error));
      },
    );
    replays.add(replay);
    void replay.finally(() => replays.delete(replay));
  });
  const replaysDone = async () => {
    while (replays.size > 0) await Promise.allSettled([...replays]);
  };
  return { counts, unsubscribe, replaysDone };
}

export async function replayToValidator(stack: ScratchStack, event: S3Event): Promise<void> {
  const handler = await loadHandlerModule(EVENT_FUNCTIONS.validator.entry);
  for (let attempt = 1; ; attempt++) {
    const context: Context = makeLambdaContext({
      functionName: 'local-validator',
      region: stack.region,
      timeoutMs: 60_000,
    });
    try {
      await handler(event as never, context);
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await sleep(100 * attempt);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const applications = Number(process.argv[2] ?? 200);
  const provinces = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
  const handlerRate = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
  const dynamoDbRate = process.argv[5] === undefined ? undefined : Number(process.argv[5]);
  const result = await benchFaults({
    applications,
    provinces,
    handlerRate,
    dynamoDbRate,
    progress: (line) => console.error(line),
  });
  for (const line of faultsReport(result)) console.log(line);
}
