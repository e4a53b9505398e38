/**
 * Decisions (POST /v1/reviews/{reviewId}/decision): checked against the review's step (step-gates.ts),
 * recorded once (a conditional write) and handed to the workflow with SendTaskSuccess; at the step
 * that forwards where quotas bind, the quota is reserved first. A task that is gone by then (timed
 * out, stopped) ends the review instead, unless a retried task still waits.
 */
import type { Principal } from '../platform/auth/principal.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { Campaign } from '../rules/campaign.ts';
import type { TrackRules } from '../rules/track-rules.ts';
import { scoresSchema, weightedCriteria, weightedScore } from '../rules/scoring.ts';
import { StepSchema } from '../rules/steps.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import { type DecisionBody, DecisionBodySchema, type ReviewRecord } from '../schemas/reviews.ts';
import type { RouteStep } from '../ladder/payloads.ts';
import { STAGE_STATUS } from '../ladder/contract.ts';
import { QuotaExceededError, quotaRefusalContext } from '../ladder/quota-errors.ts';
import { quotaRequestFor } from '../ladder/quota-request.ts';
import { stageSteps } from '../ladder/route.ts';
import type { QuotaRequest, QuotaScope } from '../ports/quotas.ts';
import { TaskGoneError } from '../ports/review.ts';
import { assertDecidable, authorize, type DecisionCredentials } from './access.ts';
import { alsoNationalOf, nationalExceptionOf } from './also-national.ts';
import { reservesAtStage } from '../ladder/provincial-list.ts';
import { decisionAudit } from './decision-audit.ts';
import type { DeskDeps } from './deps.ts';
import { alreadyDecided, ReviewGoneError } from './errors.ts';
import { gateStep } from './step-gates.ts';
import { decisionOutput, type DecisionView, decisionView } from './views.ts';

export { hasOnSiteStatement } from './step-gates.ts';

/** What `decidedBy` says for a decision taken through an emailed link. */
export const LINK_DECIDER = 'review-link';
/** What `decidedBy` says for a decision taken by a signed-in reviewer. */
export const reviewerDecider = (principal: Principal) => `user:${principal.sub}`;

/** Who the trail names for a decision that came after its review had ended: the review desk. */
export const DECISION_NOT_TAKEN_ACTOR = 'review-desk';
const DECISION_NOT_TAKEN_REASON =
  '该审核已结束（已逾期或流程已终止），决定未生效 / the review had ended (deadline passed or workflow stopped); the decision did not take effect';

/** How old a decision must be before a repeated POST hands it to the workflow again. */
export const REHANDOVER_AFTER_MS = 30_000;

type DecideDeps = Pick<
  DeskDeps,
  | 'reviews'
  | 'records'
  | 'campaigns'
  | 'quotas'
  | 'tasks'
  | 'linkKeys'
  | 'clock'
  | 'panels'
  | 'levelDocuments'
  | 'newId'
>;

/**
 * The step a review is, as the route gives it (its declared config and flags). A review opened
 * before steps were data is its stage's single review, which forwarded: at the province it took
 * the quota. Should the campaign's sequence have changed since the review opened, the review's
 * own kind stands (with that kind's default config).
 */
export function reviewStep(review: ReviewRecord, application: ApplicationRecord, campaign: Campaign): RouteStep {
  if (!review.step) {
    return {
      config: { kind: 'review' },
      forwards: true,
      quotaReservation: review.stage === 'province',
      onSiteStatement: false,
    };
  }
  const declared = stageSteps(application, campaign, review.stage)[review.step.index];
  if (declared?.config.kind === review.step.kind) return declared;
  const config = StepSchema.safeParse({ kind: review.step.kind });
  return {
    config: config.success ? config.data : { kind: 'review' },
    forwards: false,
    quotaReservation: false,
    onSiteStatement: review.step.kind === 'onsite-statement',
  };
}

/** How a decision is taken on someone's behalf: the formal-letter gate names the letter's uploader. */
export interface DecideOptions {
  decidedBy?: string;
}

/**
 * POST: decides once. Order: credentials (403; 404 for a reviewer's unknown review) → state
 * (409 decided, 410 closed or late) → body (400) → the step's gate (step-gates.ts: 400 naming the
 * field, or 409 naming what is missing) → the quota, reserved first at the flagged step → one
 * conditional write → SendTaskSuccess.
 */
export async function decideReview(
  deps: DecideDeps,
  reviewId: string,
  credentials: DecisionCredentials,
  body: unknown,
  options: DecideOptions = {},
): Promise<DecisionView> {
  const review = await authorize(deps, reviewId, credentials);
  if (review.status === 'DECIDED') await handOverAgain(deps, review);
  assertDecidable(deps, review);
  const input = parseOrThrow(DecisionBodySchema, body ?? {});

  const application = await deps.records.getApplication(review.applicationId);
  if (!application) throw new NotFoundError(`No application ${review.applicationId}`);
  const campaign = await deps.campaigns.get(application.campaignId);
  const trackRules = campaign.tracks[application.track];
  const step = reviewStep(review, application, campaign);
  const scored = checkScores(review, step, application, trackRules, input);
  const recordedWithStep = await gateStep(deps, step.config, review, input);
  const alsoNational = alsoNationalOf(review, application, campaign, input);
  const nationalException = nationalExceptionOf(review, application, campaign, input);
  // The province's MIIT quota is for national candidates only: one that ends on the province's own
  // list (its statement, made earlier or with this decision) reserves nothing there.
  const stated = { ...application, ...(alsoNational !== undefined && { alsoNational }) };

  // The quota first: when it is full the decision is refused (409 with the numbers), not recorded.
  // The city's approval takes the city and sub-sector slots, the province's the provincial one.
  let reserved: QuotaRequest | undefined;
  if (step.quotaReservation && input.decision === 'approve' && reservesAtStage(stated, campaign, review.stage)) {
    const quota = quotaRequestFor(application, campaign, review.stage);
    // The refusal told what only the desk knows: the sub-sector's name, the province's own list.
    const result = await deps.quotas.reserve(quota).catch((error: unknown) => {
      throw error instanceof QuotaExceededError
        ? error.forApplication(quotaRefusalContext(application, campaign))
        : error;
    });
    if (result.reserved && !result.alreadyHeld) reserved = quota;
  }

  const decidedAt = deps.clock().toISOString();
  const outcome = await deps.reviews
    .recordDecision(review, {
      decision: input.decision,
      ...(input.reason && { reason: input.reason }),
      ...scored,
      ...recordedWithStep,
      decidedBy:
        options.decidedBy ?? (credentials.kind === 'reviewer' ? reviewerDecider(credentials.principal) : LINK_DECIDER),
      decidedAt,
      ...(alsoNational !== undefined && { alsoNational }),
      ...(nationalException && { nationalException }),
      audit: decisionAudit({
        review,
        credentials,
        decision: input.decision,
        reason: input.reason,
        weightedScore: scored.weightedScore,
        alsoNational,
        nationalException,
        at: decidedAt,
        eventId: deps.newId(),
      }),
    })
    .catch(async (error: unknown) => {
      if (reserved) await releaseReserved(deps, reserved);
      throw error;
    });
  if (!outcome.recorded) {
    const current = outcome.current;
    // Another request decided (or the review closed) first. Keep the slot only for an approval.
    if (reserved && current?.decision !== 'approve') await releaseReserved(deps, reserved);
    if (!current) throw new NotFoundError(`No review ${reviewId}`);
    assertDecidable(deps, current);
    throw alreadyDecided(current);
  }

  const recorded = outcome.review;
  try {
    await deps.tasks.succeed(recorded.taskToken, decisionOutput(recorded));
  } catch (error) {
    if (!(error instanceof TaskGoneError)) throw error;
    // The attempt that opened the review failed after it (its answer lost, or it outlived the
    // caller's timeout) and Step Functions retries the task with a new token; the retry finds the
    // decision recorded and takes it. Not gone, then, while the application still waits here.
    if (await awaitsReview(deps, recorded)) return viewOf(recorded);
    const goneAt = deps.clock().toISOString();
    const marked = await deps.reviews.markTaskGone(
      recorded.reviewId,
      recorded.taskToken,
      goneAt,
      `decision could not be delivered: ${error.message}`,
      {
        applicationId: recorded.applicationId,
        eventId: deps.newId(),
        at: goneAt,
        action: 'DECISION_NOT_TAKEN',
        // The desk found it, not a person: the trail shows it as the pipeline's own.
        actor: DECISION_NOT_TAKEN_ACTOR,
        role: 'workflow',
        jurisdiction: recorded.jurisdictionCode,
        reason: DECISION_NOT_TAKEN_REASON,
        detail: {
          reviewId: recorded.reviewId,
          stage: recorded.stage,
          round: recorded.round,
          decision: input.decision,
          cause: error.message,
        },
      },
    );
    // Not marked: a retried task re-armed the review and took the recorded decision itself.
    if (marked) {
      if (reserved) await releaseReserved(deps, reserved);
      throw new ReviewGoneError('REVIEW_EXPIRED', 'The review ended before the decision arrived', [
        { code: 'REVIEW_EXPIRED', message: DECISION_NOT_TAKEN_REASON },
      ]);
    }
  }
  return viewOf(recorded);
}

/**
 * A decision recorded by a request that failed before the workflow had it (SendTaskSuccess
 * failed, or the function died in between) would wait for nothing: a repeated POST, once the
 * decision is older than REHANDOVER_AFTER_MS (the first request has long finished), hands it over
 * again. A token works once, so a task that has it already answers TaskGone: nothing changes.
 */
async function handOverAgain(deps: Pick<DeskDeps, 'tasks' | 'clock'>, review: ReviewRecord): Promise<void> {
  if (!(deps.clock().getTime() - Date.parse(review.decidedAt ?? '') > REHANDOVER_AFTER_MS)) return;
  try {
    await deps.tasks.succeed(review.taskToken, decisionOutput(review));
  } catch {
    // Gone (answered, timed out, stopped) or unreachable: the answer stays 409 either way.
  }
}

/** Undoes this request's own reservation: the scopes it reserved, not the earlier stage's slots. */
async function releaseReserved(deps: Pick<DeskDeps, 'quotas'>, reserved: QuotaRequest): Promise<void> {
  const scopes: QuotaScope[] = [
    ...(reserved.provincial ? (['provincial'] as const) : []),
    ...(reserved.city ? (['city'] as const) : []),
    ...(reserved.subSector ? (['sub-sector'] as const) : []),
  ];
  await deps.quotas.release(reserved, scopes);
}

function viewOf(recorded: ReviewRecord): DecisionView {
  const view = decisionView(recorded);
  if (!view) throw new Error(`review ${recorded.reviewId} recorded no decision`);
  return view;
}

/** Whether the application still waits for this review: at its stage, round and step, before its deadline. */
async function awaitsReview(deps: Pick<DeskDeps, 'records' | 'clock'>, review: ReviewRecord): Promise<boolean> {
  if (deps.clock().getTime() > Date.parse(review.deadline)) return false;
  const application = await deps.records.getApplication(review.applicationId);
  return (
    application?.status === STAGE_STATUS[review.stage] &&
    application.stage === review.stage &&
    application.round === review.round &&
    (application.step?.index ?? 0) === (review.step?.index ?? 0)
  );
}

/**
 * Scores: a province's review step may give them (optional: the expert panel scores where a level
 * declares one), one 0..100 per criterion; no other step takes them from the reviewer.
 */
function checkScores(
  review: ReviewRecord,
  step: RouteStep,
  application: ApplicationRecord,
  trackRules: TrackRules | undefined,
  input: DecisionBody,
): { scores?: Record<string, number>; weightedScore?: number } {
  if (input.scores === undefined) return {};
  if (review.stage !== 'province' || step.config.kind !== 'review') {
    throw new ValidationError('Scores are given at the province review only', [
      {
        field: 'scores',
        code: 'NOT_SCORED_HERE',
        message:
          '仅省级审核打分（专家评审由专家打分） / scores are given at the province review only (experts score in the panel)',
      },
    ]);
  }
  const scores = parseOrThrow(scoresSchema(application.track), input.scores, 'scores') as Record<string, number>;
  return { scores, weightedScore: weightedScore(scores, weightedCriteria(application.track, trackRules)) };
}
