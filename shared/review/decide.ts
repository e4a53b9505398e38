/**
 * Decisions (POST /v1/reviews/{reviewId}/decision): recorded once (a conditional write) and handed
 * to the workflow with SendTaskSuccess; at the province, the quota is reserved first. A task that
 * is gone by then (timed out, stopped) ends the review instead, unless a retried task still waits.
 */
import type { Principal } from '../platform/auth/principal.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { ONSITE_STATEMENT_ITEM_ID, type TrackRules } from '../rules/campaign.ts';
import { scoresSchema, weightedCriteria, weightedScore } from '../rules/scoring.ts';
import type { ApplicationStatus } from '../schemas/common.ts';
import type { ApplicationRecord, EvidenceRecord } from '../schemas/records.ts';
import { type DecisionBody, DecisionBodySchema, type ReviewRecord } from '../schemas/reviews.ts';
import { quotaRequestFor } from '../ladder/quota-request.ts';
import { letterKindFor } from './level-documents/records.ts';
import type { QuotaRequest } from '../ports/quotas.ts';
import { TaskGoneError } from '../ports/review.ts';
import { assertDecidable, authorize, type DecisionCredentials } from './access.ts';
import type { DeskDeps } from './deps.ts';
import { alreadyDecided, ReviewGoneError } from './errors.ts';
import { decisionOutput, type DecisionView, decisionView } from './views.ts';

/** What `decidedBy` says for a decision taken through an emailed link. */
export const LINK_DECIDER = 'review-link';
/** What `decidedBy` says for a decision taken by a signed-in reviewer. */
export const reviewerDecider = (principal: Principal) => `user:${principal.sub}`;

/** How old a decision must be before a repeated POST hands it to the workflow again. */
export const REHANDOVER_AFTER_MS = 30_000;

/** The application's status while a stage reviews it (as the workflow's EnterStage sets it). */
const REVIEW_STATUS_OF_STAGE = {
  city: 'CITY_REVIEW',
  province: 'PROVINCE_REVIEW',
  miit: 'MIIT_REVIEW',
} as const satisfies Record<ReviewRecord['stage'], ApplicationStatus>;

type DecideDeps = Pick<DeskDeps, 'reviews' | 'records' | 'campaigns' | 'quotas' | 'tasks' | 'linkKeys' | 'clock'> &
  Partial<Pick<DeskDeps, 'levelDocuments'>>;

/** How a decision is taken on someone's behalf: the formal-letter gate names the letter's uploader. */
export interface DecideOptions {
  decidedBy?: string;
}

/**
 * POST: decides once. Order: credentials (403; 404 for a reviewer's unknown review) → state
 * (409 decided, 410 closed or late) → body (400) →
 * the stage's preconditions (on-site statement at the city; quota reserved first at the
 * province) → one conditional write → SendTaskSuccess.
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
  const scored = checkScores(review, application, trackRules, input);

  if (review.stage === 'city' && input.decision === 'approve' && trackRules?.cityRequiresOnSiteStatement) {
    const evidence = await deps.records.listEvidence(application.applicationId);
    if (!hasOnSiteStatement(evidence)) {
      throw new ConflictError(
        'ONSITE_STATEMENT_MISSING',
        'The city on-site check statement is required before approving',
        [
          {
            field: `checklist.${ONSITE_STATEMENT_ITEM_ID}`,
            code: 'ONSITE_STATEMENT_MISSING',
            message:
              '同意推荐前须上传经校验有效的现场核查符合性说明 / a valid on-site check statement (现场核查符合性说明) is required before the city approves',
          },
        ],
      );
    }
  }

  if (review.step?.kind === 'formal-letter' && input.decision === 'approve') await assertLetterFiled(deps, review);

  // The quota first: when it is full the decision is refused (409 with the numbers), not recorded.
  let reserved: QuotaRequest | undefined;
  if (review.stage === 'province' && input.decision === 'approve') {
    const quota = quotaRequestFor(application, campaign);
    const result = await deps.quotas.reserve(quota);
    if (result.reserved && !result.alreadyHeld) reserved = quota;
  }

  const decidedAt = deps.clock().toISOString();
  const outcome = await deps.reviews
    .recordDecision(review, {
      decision: input.decision,
      ...(input.reason && { reason: input.reason }),
      ...scored,
      decidedBy:
        options.decidedBy ?? (credentials.kind === 'reviewer' ? reviewerDecider(credentials.principal) : LINK_DECIDER),
      decidedAt,
    })
    .catch(async (error: unknown) => {
      if (reserved) await deps.quotas.release(reserved);
      throw error;
    });
  if (!outcome.recorded) {
    const current = outcome.current;
    // Another request decided (or the review closed) first. Keep the slot only for an approval.
    if (reserved && current?.decision !== 'approve') await deps.quotas.release(reserved);
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
    const marked = await deps.reviews.markTaskGone(
      recorded.reviewId,
      recorded.taskToken,
      deps.clock().toISOString(),
      `decision could not be delivered: ${error.message}`,
    );
    // Not marked: a retried task re-armed the review and took the recorded decision itself.
    if (marked) {
      if (reserved) await deps.quotas.release(reserved);
      throw new ReviewGoneError('REVIEW_EXPIRED', 'The review ended before the decision arrived', [
        {
          code: 'REVIEW_EXPIRED',
          message:
            '该审核已结束（已逾期或流程已终止），决定未生效 / the review had ended (deadline passed or workflow stopped); the decision did not take effect',
        },
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

function viewOf(recorded: ReviewRecord): DecisionView {
  const view = decisionView(recorded);
  if (!view) throw new Error(`review ${recorded.reviewId} recorded no decision`);
  return view;
}

/** Whether the application still waits for this review: at its stage and round, before its deadline. */
async function awaitsReview(deps: Pick<DeskDeps, 'records' | 'clock'>, review: ReviewRecord): Promise<boolean> {
  if (deps.clock().getTime() > Date.parse(review.deadline)) return false;
  const application = await deps.records.getApplication(review.applicationId);
  return (
    application?.status === REVIEW_STATUS_OF_STAGE[review.stage] &&
    application.stage === review.stage &&
    application.round === review.round
  );
}

/** Scores: required to approve at the province, allowed there only, one 0..100 per criterion. */
function checkScores(
  review: ReviewRecord,
  application: ApplicationRecord,
  trackRules: TrackRules | undefined,
  input: DecisionBody,
): { scores?: Record<string, number>; weightedScore?: number } {
  if (review.stage !== 'province') {
    if (input.scores !== undefined) {
      throw new ValidationError('Scores are given at the province stage only', [
        {
          field: 'scores',
          code: 'NOT_SCORED_HERE',
          message: '仅省级审核（专家评审）打分 / scores are given at the province stage only',
        },
      ]);
    }
    return {};
  }
  if (input.scores === undefined) {
    if (input.decision !== 'approve') return {};
    throw new ValidationError('Scores are required to approve at the province stage', [
      {
        field: 'scores',
        code: 'SCORES_REQUIRED',
        message:
          '省级推荐须对每项标准评分（0–100） / approving at the province stage needs a score (0–100) for every criterion',
      },
    ]);
  }
  const scores = parseOrThrow(scoresSchema(application.track), input.scores, 'scores') as Record<string, number>;
  return { scores, weightedScore: weightedScore(scores, weightedCriteria(application.track, trackRules)) };
}

/**
 * A formal-letter step approves only with a VALID letter of its level on file
 * (shared/review/level-documents/): the letter, once VALID, completes the step by itself.
 */
async function assertLetterFiled(deps: DecideDeps, review: ReviewRecord): Promise<void> {
  if (!deps.levelDocuments) throw new Error('The review desk was wired without level documents');
  const kind = letterKindFor(review.track);
  const letters = await deps.levelDocuments.valid(review.campaignId, review.track, review.jurisdictionCode, kind);
  if (letters.length > 0) return;
  throw new ConflictError(
    'FORMAL_LETTER_MISSING',
    `A valid ${kind} of ${review.jurisdictionCode} is required before approving`,
    [
      {
        field: `levelDocuments.${kind}`,
        code: 'FORMAL_LETTER_MISSING',
        message:
          '须先报送经校验有效的本级正式推荐文件（复核为正式复核意见文件） / a valid formal letter of this level is required before this step is approved',
      },
    ],
  );
}

/** Whether the application's evidence holds a valid city on-site check statement. */
export function hasOnSiteStatement(evidence: readonly EvidenceRecord[]): boolean {
  return evidence.some((e) => e.criterion === ONSITE_STATEMENT_ITEM_ID && e.status === 'VALID');
}
