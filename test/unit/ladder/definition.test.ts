// aws-local-stepfunctions calls Promise.withResolvers (Node 22) in every Task: load the polyfill first.
import '../../../local/stepfunctions/polyfill.ts';
import { createRequire } from 'node:module';
import { Duration } from 'aws-cdk-lib';
import { StateMachine } from 'aws-local-stepfunctions';
import { beforeEach, describe, expect, it } from 'vitest';
import { localLadderDefinition } from '../../../infra/constructs/review-ladder.ts';
import { closeApplication, recognize } from '../../../shared/ladder/closing.ts';
import { NOTICE_TAKEOVER_MS } from '../../../shared/ladder/notice-takeover.ts';
import { checkObjections, startPublicNotice } from '../../../shared/ladder/public-notice.ts';
import { awaitResubmission, markReturned } from '../../../shared/ladder/returns.ts';
import { enterStage, prepareRoute } from '../../../shared/ladder/stages.ts';
import { quotaRequestFor } from '../../../shared/ladder/quota-request.ts';
import { reservesAtStage } from '../../../shared/ladder/provincial-list.ts';
import { stageSteps } from '../../../shared/ladder/route.ts';
import type { Campaign } from '../../../shared/rules/campaign.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import { miit2024TypicalCases } from '../../../shared/rules/campaigns/miit-2024-typical-cases.ts';
import { miit2025Rereview } from '../../../shared/rules/campaigns/miit-2025-rereview.ts';
import type { ApplicationRecord } from '../../../shared/schemas/records.ts';
import type { DecisionKind, DecisionOutput, ReviewRequest } from '../../../shared/ladder/contract.ts';
import {
  AwaitResubmissionPayloadSchema,
  CheckObjectionsPayloadSchema,
  CloseApplicationPayloadSchema,
  EnterStagePayloadSchema,
  ExecutionInputSchema,
  LadderOutcomeSchema,
  MarkReturnedPayloadSchema,
  RecognizePayloadSchema,
  RequestReviewPayloadSchema,
  type ResubmissionOutput,
  StartPublicNoticePayloadSchema,
} from '../../../shared/ladder/payloads.ts';
import { LADDER_STATES as S } from '../../../shared/ladder/states.ts';
import { APP_ID, sampleApplication } from '../support.ts';
import { FakeMailer, FakeQuotas, FakeRecords, FakeReviews } from './fakes.ts';
import { MemoryRegister } from '../register/memory-register.ts';
import type { AddOutcome } from '../../../shared/ports/register.ts';
import type { RegisterEntry } from '../../../shared/register/entry.ts';
import { recognitionRegister } from '../../../shared/register/recognitions.ts';

/**
 * The review ladder's definition, extracted from the CDK construct exactly as the local runtime
 * gets it, run by aws-local-stepfunctions with every Task overridden: plain tasks run the real
 * domain steps over in-memory adapters (so each payload the graph builds is parsed with the
 * handler's own schema), callback tasks answer as the test scripts (a decision, or an error named
 * States.Timeout, Cancelled or Withdrawn). Waits are overridden to 0 ms: nothing waits in real time.
 */

const aslValidator = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errors: unknown[]; errorsText(separator?: string): string };

const fastTimings = { retryInterval: Duration.seconds(1), retryAttempts: 2, retryBackoffRate: 1 };
const definition = localLadderDefinition(fastTimings);

type AslState = Record<string, unknown> & { Type: string };
const definitionStates = definition.States as Record<string, AslState>;
const callbackStates = new Set(
  Object.entries(definitionStates)
    .filter(([, state]) => String(state.Resource).endsWith(':states:::lambda:invoke.waitForTaskToken'))
    .map(([name]) => name),
);

/**
 * aws-local-stepfunctions resolves TimeoutSecondsPath against the Task's Parameters output
 * instead of its input (the local runtime works around this with its own clock), and would give
 * any Task without a timeout 60 s. The overrides below answer at once, so the runnable copy drops
 * the paths after the test checked them; a timeout is scripted as an error named States.Timeout.
 */
const runnable = structuredClone(definition);
for (const state of Object.values(runnable.States as Record<string, AslState>)) delete state.TimeoutSecondsPath;

const EXECUTION_ARN = 'arn:aws-cn:states:cn-north-1:000000000000:execution:ReviewLadder:run';
const TASK_TOKEN = 'scripted-task-token';
const CONTACT = 'sme@example.gov.cn';
const NOW = new Date('2026-03-02T02:00:00.000Z');
const demo = demoCampaign(new Date('2026-03-01T00:00:00.000Z'));
/**
 * The demo campaign with no steps declared anywhere: every level runs one review. The graph's
 * mechanics (returns, deadlines, rejections, retries) are walked on it; the declared sequences
 * have their own tests below.
 */
const singleReviews: Campaign = {
  ...demo,
  campaignId: 'single-reviews',
  steps: {},
  overlays: demo.overlays.map(({ steps: _steps, ...overlay }) => overlay),
};
/** The same, with a public notice declared at MIIT (where no notice of 2025 puts one). */
const miitNotice: Campaign = {
  ...singleReviews,
  campaignId: 'miit-notice',
  steps: { miit: [{ kind: 'review' }, { kind: 'public-notice', days: 7 }] },
};
const campaigns = new Map<string, Campaign>(
  [demo, singleReviews, miitNotice, miit2025Rereview, miit2024TypicalCases].map((c) => [c.campaignId, c]),
);

/**
 * An object answer may carry the "also national" statement (and the province's exception), which
 * the desk stores on the application with the decision, as DynamoReviews does.
 */
type ReviewAnswer =
  | DecisionKind
  | { decide: DecisionKind; reason?: string; alsoNational?: boolean; nationalException?: boolean }
  | 'timeout'
  | 'cancel'
  | 'withdraw'
  | 'bogus';
type ResubmissionAnswer = 'resubmit' | 'timeout' | 'withdraw';

interface Scenario {
  application?: Partial<ApplicationRecord>;
  /** What each RequestReview answers, in order. */
  reviews: ReviewAnswer[];
  /** What each AwaitResubmission answers, in order. */
  resubmissions?: ResubmissionAnswer[];
  /** Upheld objections filed during each public notice, in order (default none). */
  objections?: number[];
  /**
   * Objections still untriaged when each notice ends, in order: each is dismissed at the first
   * AwaitTriage (default none).
   */
  untriaged?: number[];
  /** Errors the named task throws on its first invocations. */
  failFirst?: Partial<Record<string, { name: string; times: number }>>;
  /** Tasks whose every first attempt does its work and then fails (a lost reply): each runs again. */
  repliesLost?: string[];
  clock?: Date;
}

interface Run {
  output: unknown;
  error?: { name: string; message: string };
  /** Task states invoked, in order (retries included). */
  tasks: string[];
  /** Every state entered, in order: the execution's state transitions. */
  states: string[];
  /** The review requests the review desk received. */
  reviewed: Omit<ReviewRequest, 'taskToken' | 'deadline' | 'applicationId' | 'step'>[];
  /** The steps the review desk was asked for, as `<stage>:<kind>`, in order. */
  steps: string[];
  application: ApplicationRecord | undefined;
}

/** The part of aws-local-stepfunctions' event log read here. */
interface LoggedEvent {
  type: string;
  state?: { name: string };
  Error?: string;
  Cause?: unknown;
}

let records: FakeRecords;
let mailer: FakeMailer;
let quotas: FakeQuotas;
/** The register entries the ladder entered, in order, by level: `national` or `provincial:<cohort>:<years>`. */
let entered: string[];
/** When each entry was written: the tasks run and the steps asked of the review desk by then. */
let enteredWhen: { entry: string; tasks: string[]; steps: string[]; provinceHeld: boolean }[];
/** The register in memory (one entry per natural key), noting each entry it creates. */
class WatchedRegister extends MemoryRegister {
  constructor(private readonly moment: () => Omit<(typeof enteredWhen)[number], 'entry'>) {
    super();
  }

  override async add(entry: RegisterEntry): Promise<AddOutcome> {
    const outcome = await super.add(entry);
    if (outcome === 'created') {
      const years = Number(entry.validUntil.slice(0, 4)) - Number(entry.validFrom.slice(0, 4));
      const label = entry.level === 'national' ? 'national' : `provincial:${entry.cohort}:${years}`;
      entered.push(label);
      enteredWhen.push({ entry: label, ...this.moment() });
    }
    return outcome;
  }
}
let registerStore: WatchedRegister;

beforeEach(() => {
  records = new FakeRecords();
  mailer = new FakeMailer();
  quotas = new FakeQuotas();
  entered = [];
  enteredWhen = [];
});

const scriptedError = (name: string, message = name) => Object.assign(new Error(message), { name });

async function runLadder(scenario: Scenario): Promise<Run> {
  // Time passes only where the ladder waits for it: at the end of a public notice.
  let now = scenario.clock ?? NOW;
  const clock = () => now;
  const campaignId = scenario.application?.campaignId ?? singleReviews.campaignId;
  records.put(
    sampleApplication({
      campaignId,
      status: 'SUBMITTED',
      revision: 1,
      form: { contact: { name: '李明', phone: '0433-6221234', email: CONTACT } },
      ...scenario.application,
    }),
  );
  const catalog = { get: async (id: string) => campaigns.get(id) ?? Promise.reject(new Error(`no campaign ${id}`)) };
  const reviews = [...scenario.reviews];
  const resubmissions = [...(scenario.resubmissions ?? [])];
  const objections = [...(scenario.objections ?? [])];
  const untriaged = [...(scenario.untriaged ?? [])];
  const filed: { filedAt: string; resolved: boolean; outcome?: 'upheld' | 'dismissed' }[] = [];
  const tasks: string[] = [];
  const reviewed: Run['reviewed'] = [];
  const steps: string[] = [];
  registerStore = new WatchedRegister(() => ({
    tasks: [...tasks],
    steps: [...steps],
    provinceHeld: quotas.holding.get(APP_ID)?.provincial !== undefined,
  }));
  const register = recognitionRegister({
    register: registerStore,
    cohortOf: async (id) => (await catalog.get(id)).year,
    clock,
  });
  const deps = {
    records,
    mailer,
    quotas,
    clock,
    noticeTakeoverMs: NOTICE_TAKEOVER_MS,
    campaigns: catalog,
    register,
    reviews: new FakeReviews(),
  };
  const failures = structuredClone(scenario.failFirst ?? {});
  const lostReplies = new Set<string>();

  const task =
    (name: string, handler: (input: unknown) => Promise<unknown>) =>
    async (input: unknown): Promise<never> => {
      tasks.push(name);
      // A callback task (lambda:invoke.waitForTaskToken) hands its function the Payload.
      if (callbackStates.has(name)) input = (input as { Payload: unknown }).Payload;
      const failure = failures[name];
      if (failure && failure.times > 0) {
        failure.times -= 1;
        throw scriptedError(failure.name);
      }
      const output = await handler(input);
      const attempt = `${name}:${JSON.stringify(input)}`;
      if (scenario.repliesLost?.includes(name) && !lostReplies.has(attempt)) {
        lostReplies.add(attempt);
        throw scriptedError('Lambda.ServiceException', 'the reply was lost after the work was done');
      }
      return output as never;
    };

  /** The review desk: records the request, and answers as scripted (reserving quota as the desk does). */
  const requestReview = async (input: unknown) => {
    const { review, taskToken } = RequestReviewPayloadSchema.parse(input);
    expect(taskToken).toBe(TASK_TOKEN);
    reviewed.push({
      revision: review.revision,
      stage: review.stage,
      jurisdictionCode: review.jurisdictionCode,
      round: review.round,
    });
    steps.push(`${review.stage}:${review.step?.kind ?? 'review'}`);
    const answer = reviews.shift();
    if (answer === undefined) throw new Error(`no scripted answer for review ${reviewed.length}`);
    if (answer === 'timeout') throw scriptedError('States.Timeout');
    if (answer === 'cancel') throw scriptedError('Cancelled', JSON.stringify({ reason: '经查实存在虚假材料' }));
    if (answer === 'withdraw') throw scriptedError('Withdrawn', '申报单位撤回');
    const { decide, reason } =
      typeof answer === 'object'
        ? answer
        : { decide: answer, reason: answer === 'approve' ? undefined : `${answer} at ${review.stage}` };
    // The desk reserves at the step the route flags (the stage's forwarding step, where quotas bind),
    // the province's MIIT quota for national candidates only; a statement goes on the application.
    const stored = await records.getApplication(review.applicationId);
    const statement =
      typeof answer === 'object' && answer.alsoNational !== undefined
        ? { alsoNational: answer.alsoNational, nationalException: answer.nationalException }
        : {};
    const application = stored && { ...stored, ...statement };
    if (decide === 'approve' && application) {
      records.put(application);
      const campaign = await catalog.get(application.campaignId);
      const step = stageSteps(application, campaign, review.stage)[review.step?.index ?? 0];
      if (step?.quotaReservation && reservesAtStage(application, campaign, review.stage)) {
        await quotas.reserve(quotaRequestFor(application, campaign, review.stage));
      }
    }
    // 'bogus': what a broken review desk might send (outside the contract).
    const decision: Omit<DecisionOutput, 'decision'> & { decision: string } = {
      reviewId: `review-${reviewed.length}`,
      decision: answer === 'bogus' ? 'postpone' : decide,
      ...(reason && { reason }),
      decidedBy: 'review-link',
      decidedAt: clock().toISOString(),
    };
    return decision;
  };

  /** Stores the token like the handler, then answers as the applicant (Intake's resubmit) would. */
  const awaitResubmissionTask = async (input: unknown) => {
    const payload = AwaitResubmissionPayloadSchema.parse(input);
    await awaitResubmission(deps, payload);
    const answer = resubmissions.shift();
    if (answer === 'timeout') throw scriptedError('States.Timeout');
    if (answer === 'withdraw') throw scriptedError('Withdrawn', '申报单位撤回');
    if (answer !== 'resubmit') throw new Error('no scripted resubmission');
    const application = await records.getApplication(payload.applicationId);
    if (!application) throw new Error('no application');
    const resubmitted = { ...application, status: 'SUBMITTED' as const, revision: application.revision + 1 };
    records.put(resubmitted);
    const output: ResubmissionOutput = {
      applicationId: application.applicationId,
      revision: resubmitted.revision,
      resubmittedAt: clock().toISOString(),
    };
    return output;
  };

  const close = async (input: unknown) => closeApplication(deps, CloseApplicationPayloadSchema.parse(input));
  const handlers = {
    [S.prepareRoute]: task(S.prepareRoute, async (input) => prepareRoute(deps, ExecutionInputSchema.parse(input))),
    [S.enterStage]: task(S.enterStage, async (input) => enterStage(deps, EnterStagePayloadSchema.parse(input))),
    [S.requestReview]: task(S.requestReview, requestReview),
    [S.markReturned]: task(S.markReturned, async (input) => markReturned(deps, MarkReturnedPayloadSchema.parse(input))),
    [S.awaitResubmission]: task(S.awaitResubmission, awaitResubmissionTask),
    [S.markRejected]: task(S.markRejected, close),
    [S.markOverdue]: task(S.markOverdue, close),
    [S.markCancelled]: task(S.markCancelled, close),
    [S.markWithdrawn]: task(S.markWithdrawn, close),
    [S.startPublicNotice]: task(S.startPublicNotice, async (input) => {
      const payload = StartPublicNoticePayloadSchema.parse(input);
      const window = await startPublicNotice(deps, payload);
      // Objections the public files during this notice (the review desk stores them).
      const count = objections.shift() ?? 0;
      for (let i = 0; i < count; i++) filed.push({ filedAt: window.startedAt, resolved: true, outcome: 'upheld' });
      const waiting = untriaged.shift() ?? 0;
      for (let i = 0; i < waiting; i++) filed.push({ filedAt: window.startedAt, resolved: false });
      return window;
    }),
    [S.checkObjections]: task(S.checkObjections, async (input) => {
      const payload = CheckObjectionsPayloadSchema.parse(input);
      now = new Date(payload.notice.endsAt);
      const check = await checkObjections({ objections: { listObjections: async () => filed } }, payload);
      // The level decides while the ladder waits: every untriaged objection is dismissed by the next check.
      for (const objection of filed)
        if (!objection.resolved) Object.assign(objection, { resolved: true, outcome: 'dismissed' });
      return check;
    }),
    [S.recognize]: task(S.recognize, async (input) => recognize(deps, RecognizePayloadSchema.parse(input))),
  };
  const taskStates = Object.entries(definitionStates)
    .filter(([, s]) => s.Type === 'Task')
    .map(([name]) => name);
  expect(Object.keys(handlers).sort(), 'every Task state is overridden').toEqual(taskStates.sort());

  const machine = new StateMachine(runnable as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(
    { applicationId: APP_ID, revision: 1 },
    {
      overrides: {
        taskResourceLocalHandlers: handlers,
        waitTimeOverrides: { [S.waitUntilForwarded]: 0, [S.waitForNoticeEnd]: 0, [S.awaitTriage]: 0 },
        retryIntervalOverrides: Object.fromEntries(taskStates.map((name) => [name, 0])),
      },
      context: { Task: { Token: TASK_TOKEN }, Execution: { Id: EXECUTION_ARN } },
    },
  );
  const events: LoggedEvent[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) events.push(event);
  })();
  let output: unknown;
  let failed = false;
  try {
    output = await execution.result;
  } catch {
    failed = true;
  }
  await collecting;
  let error: Run['error'];
  if (failed) {
    const event = events.find((e) => e.type === 'ExecutionFailed');
    error = { name: String(event?.Error), message: String(event?.Cause) };
  }
  const states = events.filter((event) => event.type === 'StateEntered').map((event) => String(event.state?.name));
  return { output, error, tasks, states, reviewed, steps, application: await records.getApplication(APP_ID) };
}

/** The states one person step passes through on an approval. */
const approvedStep = [S.enterStage, S.stepKind, S.requestReview, S.decision, S.stepDone];
/** The states a single-review stage passes through on an approval (batch stages wait for their date). */
const approvedStage = (batch = false) => [...approvedStep, ...(batch ? [S.waitUntilForwarded] : []), S.nextStage];
const approvedLastStage = approvedStep;
/** A public-notice step with no objection. */
const noticeStep = [
  S.enterStage,
  S.stepKind,
  S.startPublicNotice,
  S.waitForNoticeEnd,
  S.checkObjections,
  S.objectionsFiled,
  S.stepDone,
];

describe('the extracted definition', () => {
  it('passes asl-validator with no errors', () => {
    const { isValid, errors } = aslValidator(structuredClone(definition), { checkArn: true, checkPaths: true });
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('carries every callback task’s timeout in its payload path, and the local function names', () => {
    expect(definitionStates[S.requestReview]?.TimeoutSecondsPath).toBe('$.current.timeoutSeconds');
    expect(definitionStates[S.awaitResubmission]?.TimeoutSecondsPath).toBe('$.returned.timeoutSeconds');
    expect(definitionStates[S.prepareRoute]?.Resource).toBe(
      'arn:aws-cn:lambda:cn-north-1:000000000000:function:local-prepareRoute',
    );
    expect(definitionStates[S.requestReview]?.Parameters).toMatchObject({
      FunctionName: 'arn:aws-cn:lambda:cn-north-1:000000000000:function:local-requestReview',
    });
  });

  it('takes the injected retry timings', () => {
    expect(definitionStates[S.enterStage]?.Retry).toEqual([
      expect.objectContaining({ MaxAttempts: 0 }),
      { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 },
    ]);
  });
});

describe('the happy path', () => {
  it('takes an ordinary county up city → province → MIIT → recognised, one review a level', async () => {
    const run = await runLadder({ reviews: ['approve', 'approve', 'approve'] });
    expect(run.error).toBeUndefined();
    expect(run.reviewed).toEqual([
      { revision: 2, stage: 'city', jurisdictionCode: '222400', round: 1 },
      { revision: 3, stage: 'province', jurisdictionCode: '220000', round: 1 },
      { revision: 4, stage: 'miit', jurisdictionCode: '000000', round: 1 },
    ]);
    expect(run.states).toEqual([
      S.prepareRoute,
      ...approvedStage(),
      ...approvedStage(true),
      ...approvedLastStage,
      S.recognize,
    ]);
    // Goal ≤ 30 state transitions per application with one review a level.
    expect(run.states).toHaveLength(20);
    expect(LadderOutcomeSchema.parse(run.output)).toEqual({
      applicationId: APP_ID,
      status: 'RECOGNIZED',
      stage: 'miit',
      round: 1,
      jurisdictionCode: '000000',
      // Recognised when MIIT approved: no level declares a notice, so none is invented.
      validUntil: '2029-03-02T02:00:00.000Z',
    });
    expect(run.application).toMatchObject({ status: 'RECOGNIZED', executionArn: EXECUTION_ARN });
    expect(mailer.sent.map((email) => email.subject)).toEqual([expect.stringContaining('认定为中小企业特色产业集群')]);
    // The slot the province took stays taken.
    expect(quotas.holding.has(APP_ID)).toBe(true);
  });

  it('skips the city stage for a municipality’s district', async () => {
    const run = await runLadder({
      application: { countyCode: '110101', provincialCode: '110000', cityCode: undefined },
      reviews: ['approve', 'approve'],
    });
    expect(run.reviewed.map((r) => [r.stage, r.jurisdictionCode])).toEqual([
      ['province', '110000'],
      ['miit', '000000'],
    ]);
    expect(run.states).toEqual([S.prepareRoute, ...approvedStage(true), ...approvedLastStage, S.recognize]);
    expect(run.application?.status).toBe('RECOGNIZED');
  });

  it('has the planned city hold the province stage for its district', async () => {
    const run = await runLadder({
      application: { countyCode: '370202', provincialCode: '370200', cityCode: undefined },
      reviews: ['approve', 'approve'],
    });
    expect(run.reviewed.map((r) => [r.stage, r.jurisdictionCode])).toEqual([
      ['province', '370200'],
      ['miit', '000000'],
    ]);
    expect(run.application?.status).toBe('RECOGNIZED');
  });
});

describe('return for revision', () => {
  it('returns, waits for the resubmission, reviews the same stage again, then goes on', async () => {
    const run = await runLadder({ reviews: ['return', 'approve', 'approve', 'approve'], resubmissions: ['resubmit'] });
    expect(run.reviewed.map((r) => [r.stage, r.round])).toEqual([
      ['city', 1],
      ['city', 2],
      ['province', 1],
      ['miit', 1],
    ]);
    expect(run.states.slice(0, 11)).toEqual([
      S.prepareRoute,
      S.enterStage,
      S.stepKind,
      S.requestReview,
      S.decision,
      S.markReturned,
      S.awaitResubmission,
      S.reviewAgain,
      S.enterStage,
      S.stepKind,
      S.requestReview,
    ]);
    expect(run.application?.status).toBe('RECOGNIZED');
    expect(mailer.sent[0]?.text).toContain('return at city');
    expect(records.actions(APP_ID).slice(0, 5)).toEqual([
      'STAGE_ENTERED',
      'RETURNED',
      'APPLICANT_NOTIFIED',
      'RESUBMISSION_AWAITED',
      'STAGE_ENTERED',
    ]);
  });

  it('declares the application overdue when the resubmission misses the stage deadline', async () => {
    const run = await runLadder({ reviews: ['approve', 'return'], resubmissions: ['timeout'] });
    expect(run.tasks.slice(-3)).toEqual([S.markReturned, S.awaitResubmission, S.markOverdue]);
    expect(run.output).toMatchObject({
      status: 'OVERDUE',
      stage: 'province',
      reason: expect.stringContaining('未重新提交'),
    });
  });

  it('ends in WITHDRAWN when the applicant withdraws instead of resubmitting', async () => {
    const run = await runLadder({ reviews: ['return'], resubmissions: ['withdraw'] });
    expect(run.tasks.at(-1)).toBe(S.markWithdrawn);
    expect(run.output).toMatchObject({ status: 'WITHDRAWN', stage: 'city', reason: '申报单位撤回' });
  });
});

const STAGES = [
  { index: 0, stage: 'city', jurisdictionCode: '222400' },
  { index: 1, stage: 'province', jurisdictionCode: '220000' },
  { index: 2, stage: 'miit', jurisdictionCode: '000000' },
] as const;

describe('rejection at each stage', () => {
  it.each(STAGES)(
    'at the $stage stage: REJECTED with the reason, quota freed',
    async ({ index, stage, jurisdictionCode }) => {
      const approvals = Array<ReviewAnswer>(index).fill('approve');
      const run = await runLadder({ reviews: [...approvals, { decide: 'reject', reason: '未通过：产值未达门槛' }] });
      expect(run.tasks.at(-1)).toBe(S.markRejected);
      expect(run.output).toEqual({
        applicationId: APP_ID,
        status: 'REJECTED',
        stage,
        round: 1,
        jurisdictionCode,
        reason: '未通过：产值未达门槛',
        // Only a rejection after the province's approval held a slot.
        quotaReleased: index === 2,
      });
      expect(run.application).toMatchObject({ status: 'REJECTED', decisionReason: '未通过：产值未达门槛' });
      expect(quotas.holding.has(APP_ID)).toBe(false);
      expect(mailer.sent.at(-1)?.text).toContain('未通过：产值未达门槛');
    },
  );
});

describe('the deadline at each stage', () => {
  it.each(STAGES)('at the $stage stage: OVERDUE (逾期不予受理), naming the stage', async ({ index, stage }) => {
    const run = await runLadder({ reviews: [...Array<ReviewAnswer>(index).fill('approve'), 'timeout'] });
    expect(run.tasks.at(-1)).toBe(S.markOverdue);
    expect(run.output).toMatchObject({ status: 'OVERDUE', stage, reason: expect.stringMatching(/^逾期不予受理：/) });
    expect(run.application?.status).toBe('OVERDUE');
    expect(quotas.holding.has(APP_ID)).toBe(false);
  });
});

describe('cancellation and withdrawal', () => {
  it('cancels for false information at any stage, with the reason, freeing the quota slot', async () => {
    const run = await runLadder({ reviews: ['approve', 'approve', 'cancel'] });
    expect(run.tasks.at(-1)).toBe(S.markCancelled);
    expect(run.output).toMatchObject({
      status: 'CANCELLED',
      stage: 'miit',
      reason: '经查实存在虚假材料',
      quotaReleased: true,
    });
    expect(mailer.sent.at(-1)?.subject).toContain('取消申报资格');
  });

  it('ends in WITHDRAWN when withdrawn during a review', async () => {
    const run = await runLadder({ reviews: ['withdraw'] });
    expect(run.states).toEqual([S.prepareRoute, S.enterStage, S.stepKind, S.requestReview, S.markWithdrawn]);
    expect(run.output).toMatchObject({ status: 'WITHDRAWN', stage: 'city' });
  });
});

describe('a public notice declared at MIIT', () => {
  const application = { campaignId: miitNotice.campaignId };

  it('sends the application back to MIIT review when an objection filed during the notice is upheld', async () => {
    const run = await runLadder({
      application,
      reviews: ['approve', 'approve', 'approve', 'approve'],
      objections: [1, 0],
    });
    expect(run.reviewed.map((r) => [r.stage, r.round])).toEqual([
      ['city', 1],
      ['province', 1],
      ['miit', 1],
      ['miit', 2],
    ]);
    expect(run.states.slice(run.states.indexOf(S.startPublicNotice))).toEqual([
      S.startPublicNotice,
      S.waitForNoticeEnd,
      S.checkObjections,
      S.objectionsFiled,
      S.reviewAgain,
      ...approvedStep,
      S.nextStep,
      ...noticeStep,
      S.recognize,
    ]);
    expect(run.tasks.filter((name) => name === S.startPublicNotice)).toHaveLength(2);
    expect(run.output).toMatchObject({ status: 'RECOGNIZED', round: 2 });
  });

  it('holds the recognition while an objection is untriaged, and recognises once it is dismissed', async () => {
    const run = await runLadder({ application, reviews: ['approve', 'approve', 'approve'], untriaged: [1] });
    expect(run.states.slice(run.states.indexOf(S.startPublicNotice))).toEqual([
      S.startPublicNotice,
      S.waitForNoticeEnd,
      S.checkObjections,
      S.objectionsFiled,
      S.awaitTriage,
      S.checkObjections,
      S.objectionsFiled,
      S.stepDone,
      S.recognize,
    ]);
    expect(run.reviewed.filter((r) => r.stage === 'miit')).toHaveLength(1);
    expect(run.output).toMatchObject({ status: 'RECOGNIZED', round: 1 });
  });

  it('rejects at MIIT after an objection if MIIT so decides', async () => {
    const run = await runLadder({
      application,
      reviews: ['approve', 'approve', 'approve', { decide: 'reject', reason: '异议属实' }],
      objections: [2],
    });
    expect(run.output).toMatchObject({
      status: 'REJECTED',
      stage: 'miit',
      round: 2,
      reason: '异议属实',
      quotaReleased: true,
    });
  });
});

describe('tracks', () => {
  const rereview = { campaignId: miit2025Rereview.campaignId, track: 'rereview' as const };
  const clock = new Date('2025-03-10T00:00:00.000Z');

  it('re-review: the province reviews, samples when necessary and files its letter; MIIT approves, retained', async () => {
    const run = await runLadder({ application: rereview, clock, reviews: Array<ReviewAnswer>(5).fill('approve') });
    expect(run.steps).toEqual([
      'city:review',
      'province:review',
      'province:sampling',
      'province:formal-letter',
      'miit:review',
    ]);
    expect(run.output).toMatchObject({ status: 'RECOGNIZED', validUntil: '2028-03-10T00:00:00.000Z' });
    expect(mailer.sent.at(-1)?.subject).toContain('复核通过，保留认定');
    // The re-review track takes no quota slot.
    expect(quotas.holding.size).toBe(0);
  });

  it('re-review: MIIT rejects, the recognition is revoked with the reason', async () => {
    const run = await runLadder({
      application: rereview,
      clock,
      reviews: [...Array<ReviewAnswer>(4).fill('approve'), { decide: 'reject', reason: '主导产业占比下降至 55%' }],
    });
    expect(run.output).toMatchObject({ status: 'REJECTED', stage: 'miit', reason: '主导产业占比下降至 55%' });
    expect(mailer.sent.at(-1)?.subject).toContain('撤销认定');
  });

  it('typical case: the province submits its batch with its measures; MIIT selects it, no validity, no quota', async () => {
    const run = await runLadder({
      application: { campaignId: miit2024TypicalCases.campaignId, track: 'typical-case' },
      clock: new Date('2024-05-01T00:00:00.000Z'),
      reviews: ['approve', 'approve', 'approve', 'approve'],
    });
    expect(run.steps).toEqual(['city:review', 'province:review', 'province:formal-letter', 'miit:review']);
    expect(run.output).toMatchObject({ status: 'SELECTED' });
    expect(run.output).not.toHaveProperty('validUntil');
    expect(run.application).toMatchObject({ status: 'SELECTED' });
    expect(run.application?.validUntil).toBeUndefined();
    expect(records.actions(APP_ID)).not.toContain('RECOGNIZED');
    expect(mailer.sent.at(-1)?.subject).toContain('入选典型案例');
    expect(quotas.holding.size).toBe(0);
  });

  it('typical case: MIIT does not select it (未入选, not a rejection); a province’s rejection stays one', async () => {
    const run = await runLadder({
      application: { campaignId: miit2024TypicalCases.campaignId, track: 'typical-case' },
      clock: new Date('2024-05-01T00:00:00.000Z'),
      reviews: ['approve', 'approve', 'approve', { decide: 'reject', reason: '案例代表性不足' }],
    });
    expect(run.output).toMatchObject({ status: 'NOT_SELECTED', stage: 'miit', reason: '案例代表性不足' });
    expect(run.application).toMatchObject({ status: 'NOT_SELECTED', decisionReason: '案例代表性不足' });
    expect(mailer.sent.at(-1)?.subject).toContain('未入选');
    expect(mailer.sent.at(-1)?.text).toContain('案例代表性不足');

    records = new FakeRecords();
    const below = await runLadder({
      application: { campaignId: miit2024TypicalCases.campaignId, track: 'typical-case' },
      clock: new Date('2024-05-01T00:00:00.000Z'),
      reviews: ['approve', { decide: 'reject', reason: '不属于已认定集群' }],
    });
    expect(below.output).toMatchObject({ status: 'REJECTED', stage: 'province' });
  });
});

describe('the declared sequences (the 2025 call, demo dates)', () => {
  const approvals = (n: number) => Array<ReviewAnswer>(n).fill('approve');
  /** A county of Hebei: no overlay, the national call's steps. */
  const hebei = { countyCode: '130102', cityCode: '130100', provincialCode: '130000' };
  /** A district of Taiyuan: Shanxi's overlay. */
  const shanxi = { countyCode: '140105', cityCode: '140100', provincialCode: '140000' };
  const national = ['province:review', 'province:sampling', 'province:formal-letter', 'miit:review'];
  const shanxiProvince = [
    'province:formal-check',
    'province:expert-panel',
    'province:sampling',
    'province:meeting',
    // The 公示 runs here, between the meeting and the letter: nobody is asked for it.
  ];

  it('the national default: city review; province 初审, sampling, formal letter (then the list); MIIT', async () => {
    const run = await runLadder({ application: { campaignId: demo.campaignId, ...hebei }, reviews: approvals(5) });
    expect(run.steps).toEqual(['city:review', ...national]);
    expect(run.states).toEqual([
      S.prepareRoute,
      ...approvedStep,
      S.nextStage,
      ...approvedStep,
      S.nextStep,
      ...approvedStep,
      S.nextStep,
      ...approvedStep,
      S.waitUntilForwarded,
      S.nextStage,
      ...approvedStep,
      S.recognize,
    ]);
    expect(run.application?.status).toBe('RECOGNIZED');
    // No notice anywhere: the national call declares none.
    expect(run.tasks).not.toContain(S.startPublicNotice);
    expect(records.actions(APP_ID).filter((a) => a === 'STEP_ENTERED')).toHaveLength(2);
    // The province's quota, taken at its forwarding step (the formal letter).
    expect(quotas.holding.has(APP_ID)).toBe(true);
  });

  it('a rejection at the province’s sampling step frees nothing (no slot is taken before the letter)', async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId, ...hebei },
      reviews: [...approvals(2), { decide: 'reject', reason: '实地抽查不符' }],
    });
    expect(run.steps).toEqual(['city:review', 'province:review', 'province:sampling']);
    expect(run.output).toMatchObject({ status: 'REJECTED', stage: 'province', quotaReleased: false });
  });

  it('Shanxi: on-site statement at the city; formal check, panel, sampling, meeting, 公示, letter at the province', async () => {
    const run = await runLadder({ application: { campaignId: demo.campaignId, ...shanxi }, reviews: approvals(8) });
    expect(run.steps).toEqual([
      'city:review',
      'city:onsite-statement',
      ...shanxiProvince,
      'province:formal-letter',
      'miit:review',
    ]);
    const province = run.states.slice(
      run.states.indexOf(S.nextStage) + 1,
      run.states.lastIndexOf(S.waitUntilForwarded),
    );
    expect(province).toEqual([
      ...[1, 2, 3, 4].flatMap(() => [...approvedStep, S.nextStep]),
      ...noticeStep,
      S.nextStep,
      ...approvedStep,
    ]);
    expect(run.tasks.filter((t) => t === S.startPublicNotice)).toHaveLength(1);
    expect(records.actions(APP_ID)).toContain('PUBLIC_NOTICE_STARTED');
    expect(run.application).toMatchObject({ status: 'RECOGNIZED', stage: 'miit', step: { index: 0, kind: 'review' } });
    // The notice is the province's, for the days Shanxi's overlay configures.
    const notice = mailer.sent.find((email) => email.subject.includes('公示'));
    expect(notice).toBeDefined();
  });

  it('Shanxi: an upheld objection during the provincial 公示 sends it back to the province’s first step, next round', async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId, ...shanxi },
      reviews: approvals(12),
      objections: [1, 0],
    });
    expect(run.steps).toEqual([
      'city:review',
      'city:onsite-statement',
      ...shanxiProvince,
      ...shanxiProvince,
      'province:formal-letter',
      'miit:review',
    ]);
    expect(run.reviewed.filter((r) => r.stage === 'province').map((r) => r.round)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 2]);
    const back = run.states.indexOf(S.reviewAgain);
    expect(run.states.slice(back - 4, back + 3)).toEqual([
      S.startPublicNotice,
      S.waitForNoticeEnd,
      S.checkObjections,
      S.objectionsFiled,
      S.reviewAgain,
      S.enterStage,
      S.stepKind,
    ]);
    expect(run.output).toMatchObject({ status: 'RECOGNIZED', stage: 'miit', round: 1 });
  });

  it('Shanxi: a return at the expert panel reviews the resubmitted revision from the formal check again', async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId, ...shanxi },
      reviews: [...approvals(3), { decide: 'return', reason: '专家意见：补充佐证' }, 'approve', 'approve'],
      resubmissions: ['resubmit'],
    });
    expect(run.steps.slice(0, 6)).toEqual([
      'city:review',
      'city:onsite-statement',
      'province:formal-check',
      'province:expert-panel',
      'province:formal-check',
      'province:expert-panel',
    ]);
    expect(run.reviewed.slice(4, 6).map((r) => r.round)).toEqual([2, 2]);
  });

  it('Shanxi: the city’s cap is taken at the city’s forwarding step (the on-site statement)', async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId, ...shanxi },
      reviews: ['approve', { decide: 'reject', reason: '超出本市推荐名额' }],
    });
    expect(run.steps).toEqual(['city:review', 'city:onsite-statement']);
    // Rejected at the forwarding step itself: the slot it would have taken was never taken.
    expect(run.output).toMatchObject({ status: 'REJECTED', stage: 'city', quotaReleased: false });
    const forwarded = await runLadder({
      application: { campaignId: demo.campaignId, ...shanxi },
      reviews: [...approvals(2), { decide: 'reject', reason: '形式审查不合格' }],
    });
    expect(forwarded.output).toMatchObject({ status: 'REJECTED', stage: 'province', quotaReleased: true });
  });

  it('a Beijing district: no city stage, never a city step', async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId, countyCode: '110101', provincialCode: '110000', cityCode: undefined },
      reviews: approvals(4),
    });
    expect(run.steps).toEqual(national);
    expect(run.reviewed.map((r) => r.jurisdictionCode)).toEqual(['110000', '110000', '110000', '000000']);
    expect(run.application?.status).toBe('RECOGNIZED');
  });

  it('Jilin: the city reviews, then files its formal letter', async () => {
    const run = await runLadder({ application: { campaignId: demo.campaignId }, reviews: approvals(6) });
    expect(run.steps).toEqual(['city:review', 'city:formal-letter', ...national]);
  });
});

describe('failures', () => {
  it('retries a task that failed for a passing reason (idempotent, so no second transition)', async () => {
    const run = await runLadder({
      reviews: ['approve', 'approve', 'approve'],
      failFirst: { [S.enterStage]: { name: 'Lambda.ServiceException', times: 1 } },
    });
    expect(run.tasks.slice(0, 3)).toEqual([S.prepareRoute, S.enterStage, S.enterStage]);
    expect(run.application?.status).toBe('RECOGNIZED');
  });

  it('fails the execution at once when a transition is refused (no retries)', async () => {
    const run = await runLadder({ application: { status: 'WITHDRAWN' }, reviews: [] });
    expect(run.tasks).toEqual([S.prepareRoute, S.enterStage]);
    expect(run.error?.name).toBe('TransitionRefused');
  });

  it('fails the execution on a decision it does not know', async () => {
    const run = await runLadder({ reviews: ['bogus'] });
    expect(run.states.at(-1)).toBe(S.unknownDecision);
    expect(run.error?.name).toBe('UnknownDecision');
  });
});

describe('the provincial track (Jilin, Shanxi): national candidates go on, the others end on the provincial list', () => {
  const approvals = (n: number) => Array<ReviewAnswer>(n).fill('approve');
  const shanxi = { countyCode: '140105', cityCode: '140100', provincialCode: '140000' };
  /** 梅河口: in the tree under 通化市, a sender of Jilin's province directly. */
  const meihekou = { countyCode: '220581', cityCode: undefined, provincialCode: '220000' };
  const jilinProvince = ['province:review', 'province:sampling', 'province:formal-letter'];
  const says = (alsoNational: boolean, more: Partial<Extract<ReviewAnswer, object>> = {}): ReviewAnswer => ({
    decide: 'approve',
    alsoNational,
    ...more,
  });
  const provinceHeld = () => quotas.holding.get(APP_ID)?.provincial !== undefined;

  /** The national candidate's provincial recognitions in its trail, with their detail. */
  const provincialTrail = () =>
    records.audit.filter((event) => event.applicationId === APP_ID && event.action === 'PROVINCIALLY_RECOGNIZED');

  it('Jilin, the city says "also national": on the provincial list once the province has reviewed and sampled it, before its letter forwards it; then MIIT recognises', async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId },
      reviews: [says(true), ...approvals(5)],
    });
    expect(run.steps).toEqual(['city:review', 'city:formal-letter', ...jilinProvince, 'miit:review']);
    expect(run.output).toMatchObject({ status: 'RECOGNIZED', stage: 'miit' });
    // The province's list first (one pass for both), then MIIT's.
    expect(entered).toEqual([`provincial:${demo.year}:3`, 'national']);
    // Entered as the province's letter opens: its review and sampling done, no MIIT quota taken yet.
    expect(enteredWhen[0]).toMatchObject({
      steps: ['city:review', 'city:formal-letter', ...jilinProvince.slice(0, 2)],
    });
    expect(enteredWhen[0]?.provinceHeld).toBe(false);
    expect(provinceHeld()).toBe(true);
    expect(provincialTrail().map((event) => event.detail)).toEqual([
      { level: 'provincial', cohort: demo.year, validUntil: expect.stringMatching(/^\d{4}-/), alsoNational: true },
    ]);
  });

  it('Jilin, the city says "no": PROVINCIALLY_RECOGNIZED after the province\'s letter, never at MIIT, no MIIT quota', async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId },
      reviews: [says(false), ...approvals(4)],
    });
    expect(run.steps).toEqual(['city:review', 'city:formal-letter', ...jilinProvince]);
    // It ends where the province's last step is done: no wait for the batch date, no MIIT stage.
    expect(run.states.slice(-2)).toEqual([S.stepDone, S.recognize]);
    expect(run.states).not.toContain(S.waitUntilForwarded);
    expect(run.output).toMatchObject({ status: 'PROVINCIALLY_RECOGNIZED', stage: 'province', round: 1 });
    expect(run.application).toMatchObject({ status: 'PROVINCIALLY_RECOGNIZED', stage: 'province' });
    expect(run.application?.validUntil?.slice(0, 4)).toBe(String(NOW.getUTCFullYear() + 3));
    expect(entered).toEqual([`provincial:${demo.year}:3`]);
    // The province's MIIT quota is for national candidates only.
    expect(provinceHeld()).toBe(false);
    expect(records.actions(APP_ID)).toContain('PROVINCIALLY_RECOGNIZED');
    expect(mailer.sent.at(-1)?.subject).toContain('认定为省级中小企业特色产业集群');
  });

  it('梅河口 states it at the province\'s first step (it has no city): "no" ends at the province', async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId, ...meihekou },
      reviews: [says(false), ...approvals(2)],
    });
    expect(run.steps).toEqual(jilinProvince);
    expect(run.output).toMatchObject({ status: 'PROVINCIALLY_RECOGNIZED', stage: 'province' });
    expect(provinceHeld()).toBe(false);
    const national = await runLadder({
      application: { campaignId: demo.campaignId, ...meihekou },
      reviews: [says(true), ...approvals(3)],
    });
    expect(national.steps).toEqual([...jilinProvince, 'miit:review']);
    expect(national.output).toMatchObject({ status: 'RECOGNIZED' });
  });

  /** Shanxi's province: formal check, panel, sampling, meeting (its statement), 公示, letter. */
  const shanxiUpToMeeting = approvals(5);

  it('Shanxi, the province keeps it provincial at its meeting: its 公示 and letter, then PROVINCIALLY_RECOGNIZED', async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId, ...shanxi },
      reviews: [...shanxiUpToMeeting, says(false), 'approve'],
    });
    expect(run.steps.slice(2)).toEqual([
      'province:formal-check',
      'province:expert-panel',
      'province:sampling',
      'province:meeting',
      'province:formal-letter',
    ]);
    expect(run.tasks.filter((t) => t === S.startPublicNotice)).toHaveLength(1);
    expect(run.output).toMatchObject({ status: 'PROVINCIALLY_RECOGNIZED', stage: 'province' });
    expect(entered).toEqual([`provincial:${demo.year}:3`]);
    // The city's cap (Shanxi's 3 per city) was taken at the city and stays; no MIIT quota.
    expect(quotas.holding.get(APP_ID)?.city).toBeDefined();
    expect(provinceHeld()).toBe(false);
  });

  it('Shanxi chooses it (择优): on the provincial list right after its province’s 公示 ends, before any forwarding; then MIIT', async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId, ...shanxi },
      reviews: [...shanxiUpToMeeting, says(true), ...approvals(2)],
    });
    expect(run.output).toMatchObject({ status: 'RECOGNIZED', stage: 'miit' });
    expect(entered).toEqual([`provincial:${demo.year}:3`, 'national']);
    // Written by the EnterStage that follows the 公示's end (CheckObjections), as the letter opens:
    // the province has not filed its letter, taken its MIIT quota, nor waited for its date.
    const [entry] = enteredWhen;
    expect(entry?.tasks.slice(-2)).toEqual([S.checkObjections, S.enterStage]);
    expect(entry?.steps.at(-1)).toBe('province:meeting');
    expect(entry?.provinceHeld).toBe(false);
    expect(provinceHeld()).toBe(true);
    // Its trail says so, like a provincial-only recognition's, with alsoNational: true.
    const [event] = provincialTrail();
    expect(provincialTrail()).toHaveLength(1);
    expect(event).toMatchObject({
      jurisdiction: '140000',
      detail: { level: 'provincial', cohort: demo.year, alsoNational: true },
    });
    // Its validity runs from that moment, the 公示's end (the walk's clock stands there), not MIIT's entry.
    const notice = records.audit.find((e) => e.applicationId === APP_ID && e.action === 'PUBLIC_NOTICE_STARTED');
    const noticeEndsAt = String(notice?.detail?.noticeEndsAt);
    expect(event?.at).toBe(noticeEndsAt);
    const validUntil = new Date(noticeEndsAt);
    validUntil.setUTCFullYear(validUntil.getUTCFullYear() + 3);
    expect(event?.detail?.validUntil).toBe(validUntil.toISOString());
  });

  it('Shanxi: a retried task writes the provincial entry and its trail event once', async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId, ...shanxi },
      reviews: [...shanxiUpToMeeting, says(true), ...approvals(2)],
      repliesLost: [S.enterStage],
    });
    expect(run.output).toMatchObject({ status: 'RECOGNIZED', stage: 'miit' });
    // Every EnterStage ran twice, the letter's among them: each step asked, and the 公示.
    expect(run.tasks.filter((t) => t === S.enterStage).length).toBe(2 * (run.steps.length + 1));
    expect(entered).toEqual([`provincial:${demo.year}:3`, 'national']);
    expect(registerStore.entries.size).toBe(2);
    expect(provincialTrail()).toHaveLength(1);
  });

  it('Shanxi: a national candidate cancelled while the province’s letter waits keeps the provincial recognition it earned', async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId, ...shanxi },
      reviews: [...shanxiUpToMeeting, says(true), 'cancel'],
    });
    expect(run.steps.at(-1)).toBe('province:formal-letter');
    expect(run.output).toMatchObject({ status: 'CANCELLED', stage: 'province' });
    expect(entered).toEqual([`provincial:${demo.year}:3`]);
    expect(provinceHeld()).toBe(false);
  });

  it("Shanxi's exception: sent national without provincial recognition, no provincial entry", async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId, ...shanxi },
      reviews: [
        ...shanxiUpToMeeting,
        says(true, { nationalException: true, reason: '重点专业镇，直接推荐国家级' }),
        ...approvals(2),
      ],
    });
    expect(run.output).toMatchObject({ status: 'RECOGNIZED', stage: 'miit' });
    expect(entered).toEqual(['national']);
    expect(provinceHeld()).toBe(true);
  });

  it('a province without a provincial list (Hebei) sends every approval to MIIT, whatever a statement says', async () => {
    const run = await runLadder({
      application: { campaignId: demo.campaignId, countyCode: '130102', cityCode: '130100', provincialCode: '130000' },
      reviews: [says(false), ...approvals(4)],
    });
    expect(run.output).toMatchObject({ status: 'RECOGNIZED', stage: 'miit' });
    expect(entered).toEqual(['national']);
  });
});
