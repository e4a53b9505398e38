/**
 * Opening a review (the workflow's RequestReview task, `.waitForTaskToken`): the desk stores the
 * task token on the review item (never emailed, never in a URL), mints a link secret of which only
 * a keyed hash is stored, and emails the stage's reviewers the link.
 */
import * as z from 'zod';
import { type ReviewRequest, ReviewRequestSchema } from '../ladder/contract.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { retryWrite } from '../platform/retry-write.ts';
import { reviewIdOf, type ReviewRecord } from '../schemas/reviews.ts';
import type { DeskDeps } from './deps.ts';
import { WORKFLOW_ERROR_OF } from './endings.ts';
import { NoReviewerRegisteredError } from './errors.ts';
import { hashLinkSecret } from './links.ts';
import { reviewRequestEmail } from './mail.ts';
import { recipients, reviewMailInput } from './recipients.ts';
import { decisionOutput } from './views.ts';

/** The request the workflow sends, plus an execution ARN it may pass along (not in the contract). */
const OpenRequestSchema = ReviewRequestSchema.extend({ executionArn: z.string().min(1).optional() });

type OpenDeps = Pick<
  DeskDeps,
  'reviews' | 'records' | 'tasks' | 'mailer' | 'campaigns' | 'clock' | 'newSecret' | 'linkKeys' | 'publicBaseUrl'
>;

/**
 * Opens the review of this stage and round, or re-arms it with a retried task's new token.
 * One review and one email per (applicationId, revision, stage, round): a retry sends no second
 * email, unless the first never went out (then a fresh link replaces the unsent one).
 * A retried task whose review was already decided gets the recorded decision at once; one
 * whose application was withdrawn or cancelled fails with the workflow's error.
 */
export async function openReview(
  deps: OpenDeps,
  input: ReviewRequest,
): Promise<{ reviewId: string; emailed: boolean }> {
  const request = parseOrThrow(OpenRequestSchema, input, 'request');
  const reviewId = reviewIdOf(request);
  // A late duplicate of an attempt that is over (its invocation outlived the caller's timeout and
  // the state machine retried): its token no longer waits. Opening, re-arming or emailing with it
  // would race the retry and send the decision nowhere.
  if ((await deps.tasks.waiting?.(request.taskToken)) === false) return { reviewId, emailed: false };
  const application = await deps.records.getApplication(request.applicationId);
  if (!application) throw new NotFoundError(`No application ${request.applicationId}`);
  if (application.status === 'WITHDRAWN' || application.status === 'CANCELLED') {
    await deps.tasks.fail(
      request.taskToken,
      WORKFLOW_ERROR_OF[application.status],
      JSON.stringify({ reason: `the application is ${application.status}`, by: 'review-desk' }),
    );
    return { reviewId, emailed: false };
  }

  /** The review this invocation wrote, should the write's answer have been lost. */
  let created: { secret: string; secretHash: string } | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const at = deps.clock().toISOString();
    const existing = await deps.reviews.getReview(reviewId);
    if (!existing) {
      const secret = deps.newSecret();
      const hashed = await hashLinkSecret(secret, deps.linkKeys);
      created = { secret, secretHash: hashed.secretHash };
      const review: ReviewRecord = {
        reviewId,
        applicationId: request.applicationId,
        revision: request.revision,
        stage: request.stage,
        round: request.round,
        ...(request.step !== undefined && { step: request.step }),
        jurisdictionCode: request.jurisdictionCode,
        deadline: request.deadline,
        campaignId: application.campaignId,
        track: application.track,
        countyCode: application.countyCode,
        provincialCode: application.provincialCode,
        ...(application.cityCode !== undefined && { cityCode: application.cityCode }),
        clusterName: application.clusterName,
        status: 'PENDING',
        ...hashed,
        taskToken: request.taskToken,
        ...(request.executionArn !== undefined && { executionArn: request.executionArn }),
        openedAt: at,
        armedAt: at,
        attempts: 1,
        emailedTo: [],
      };
      if (await deps.reviews.createReview(review)) {
        return { reviewId, emailed: await sendLink(deps, review, secret) };
      }
      continue; // opened concurrently: handle it as a retry
    }

    // The same token: a duplicate of this very invocation opened or re-armed the review, and
    // sends its email (exactly once) — unless the review is the one this invocation wrote.
    if (existing.taskToken === request.taskToken) {
      const mine = created?.secretHash === existing.secretHash ? created : undefined;
      return { reviewId, emailed: mine !== undefined && (await sendLink(deps, existing, mine.secret)) };
    }
    const armed: ReviewRecord = {
      ...existing,
      taskToken: request.taskToken,
      armedAt: at,
      attempts: existing.attempts + 1,
      executionArn: request.executionArn ?? existing.executionArn,
    };
    if (existing.status === 'PENDING' || existing.status === 'EXPIRED') {
      // The first email never went out: a new secret, and a link to it.
      const secret = existing.emailedAt ? undefined : deps.newSecret();
      const hashed = secret === undefined ? undefined : await hashLinkSecret(secret, deps.linkKeys);
      const {
        decision: _d,
        reason: _r,
        scores: _s,
        weightedScore: _w,
        decidedBy: _b,
        decidedAt: _a,
        closedAt: _c,
        closedReason: _cr,
        secretKeyVersion: keptKeyVersion,
        ...open
      } = armed;
      const next: ReviewRecord = {
        ...open,
        status: 'PENDING',
        deadline: request.deadline,
        // A new secret replaces the hash and its key version; otherwise both stay.
        ...(hashed ?? { ...(keptKeyVersion !== undefined && { secretKeyVersion: keptKeyVersion }) }),
      };
      if (!(await deps.reviews.replaceReview(existing, next))) continue;
      return { reviewId, emailed: secret !== undefined && (await sendLink(deps, next, secret)) };
    }
    if (!(await deps.reviews.replaceReview(existing, armed))) continue;
    if (existing.status === 'DECIDED') {
      await deps.tasks.succeed(request.taskToken, decisionOutput(existing));
    } else {
      await deps.tasks.fail(
        request.taskToken,
        WORKFLOW_ERROR_OF[existing.status],
        JSON.stringify({ reason: existing.closedReason ?? existing.status, by: 'review-desk' }),
      );
    }
    return { reviewId, emailed: false };
  }
  throw new ConflictError('CONCURRENT_CHANGE', `review ${reviewId} kept changing while being opened`);
}

/**
 * Emails the link to the jurisdiction's registered reviewers. With nobody registered nothing is
 * sent (the gap is noted and alarmed): the review stays open with its task token, waiting, and
 * is not marked emailed, so a later reminder or resend sends a link once someone is registered.
 */
async function sendLink(
  deps: Pick<DeskDeps, 'reviews' | 'mailer' | 'campaigns' | 'clock' | 'publicBaseUrl'>,
  review: ReviewRecord,
  secret: string,
): Promise<boolean> {
  let to: string[];
  try {
    to = await recipients(deps, review.jurisdictionCode, review.reviewId);
  } catch (error) {
    if (error instanceof NoReviewerRegisteredError) return false;
    throw error;
  }
  await deps.mailer.send({
    to,
    // One link per attempt at opening (a re-armed review whose first email never went out gets a new one).
    purpose: `review-link/${review.reviewId}/${review.attempts}`,
    ...reviewRequestEmail(await reviewMailInput(deps, review, secret)),
  });
  // Retried in place: were it to fail, the task's retry would email a second link.
  await retryWrite(() => deps.reviews.markEmailed(review.reviewId, deps.clock().toISOString(), to));
  return true;
}
