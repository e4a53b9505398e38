/**
 * The one-off backfill of reviews left PENDING by closings that ran before the closing expired
 * them (shared/ladder/closing.ts, expirePending). Such a review can never be decided — its
 * application ended, so its task is gone — yet it stayed in its level's pending partition, and the
 * inbox listed it as lapsed only because its deadline had passed. The backfill makes it what the
 * closing now makes it: EXPIRED, with the application's reason, moved to the lapsed partition.
 *
 * What it reads, never a Scan: every PENDING review sits in its jurisdiction's byDeadline
 * partition REVIEW#PENDING#<jurisdiction> (reviewItem has put it there since reviews were stored;
 * each change out of PENDING takes it out), and a review's jurisdiction is one of its
 * application's review stages (reviewChain): a level above an applicant county, or MIIT. So one
 * Query per such level finds every PENDING review, and one GetItem per application reads whether
 * it ended.
 *
 * What it changes: only a review whose application ended (ENDED_STATUSES: OVERDUE, REJECTED,
 * WITHDRAWN…), through the store's expireReview, under the same condition as the closing (PENDING
 * and undecided), so a decision recorded first keeps its review and a second run changes nothing.
 * A review of an application still open waits for its reviewers as before. The dry run reads the
 * same and lists what it would change, writing nothing.
 */
import * as z from 'zod';
import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Caller } from '../platform/auth/principal.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { Clock, Records } from '../ports/core.ts';
import type { ReviewStore } from '../ports/review.ts';
import { childrenOf, MIIT_CODE, provincialJurisdictions } from '../rules/jurisdictions.ts';
import { ApplicationStatusSchema, ENDED_STATUSES } from '../schemas/common.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';

export interface LapseBackfillDeps {
  reviews: Pick<ReviewStore, 'listPending' | 'expireReview'>;
  records: Pick<Records, 'getApplication'>;
  clock: Clock;
}

/** The request: `dryRun` lists what would change and writes nothing. */
export const LapseBackfillRequestSchema = z.strictObject({ dryRun: z.boolean().default(false) });

const LapsedReviewChangeSchema = z.object({
  reviewId: z.string(),
  applicationId: z.string(),
  jurisdictionCode: z.string(),
  deadline: z.string(),
  /** The application's status, which ended the review's chance of a decision. */
  applicationStatus: ApplicationStatusSchema,
});

export const LapseBackfillReportSchema = z.object({
  dryRun: z.boolean(),
  /** Levels whose pending partition was read (one Query each). */
  levelsRead: z.int().nonnegative(),
  /** PENDING reviews found. */
  pending: z.int().nonnegative(),
  /** Expired now (a dry run: that would be expired). */
  expired: z.array(LapsedReviewChangeSchema),
  /** Found pending, but decided or closed before the write (the condition refused it): left as they are. */
  changedMeanwhile: z.int().nonnegative(),
  /** Still waiting for their reviewers: the application is open. */
  open: z.int().nonnegative(),
  /** Pending reviews whose application is not found: left, for a person to look at. */
  withoutApplication: z.array(z.string()),
});
export type LapseBackfillReport = z.infer<typeof LapseBackfillReportSchema>;

/**
 * Every jurisdiction a review can belong to: MIIT and each level above an applicant county (a
 * jurisdiction with children in the tree; a city without counties files, it never reviews).
 */
export function reviewingJurisdictions(): string[] {
  const levels: string[] = [MIIT_CODE];
  const visit = (code: string) => {
    const children = childrenOf(code);
    if (children.length === 0) return;
    levels.push(code);
    for (const child of children) visit(child.code);
  };
  for (const provincial of provincialJurisdictions()) visit(provincial.code);
  return levels;
}

export async function backfillLapsedReviews(
  deps: LapseBackfillDeps,
  request: z.input<typeof LapseBackfillRequestSchema>,
): Promise<LapseBackfillReport> {
  const { dryRun } = LapseBackfillRequestSchema.parse(request);
  const levels = reviewingJurisdictions();
  const report: LapseBackfillReport = {
    dryRun,
    levelsRead: levels.length,
    pending: 0,
    expired: [],
    changedMeanwhile: 0,
    open: 0,
    withoutApplication: [],
  };
  const byApplication = new Map<string, ReviewRecord[]>();
  for (const level of levels) {
    for (const review of await deps.reviews.listPending(level)) {
      report.pending += 1;
      byApplication.set(review.applicationId, [...(byApplication.get(review.applicationId) ?? []), review]);
    }
  }
  const at = deps.clock().toISOString();
  for (const [applicationId, reviews] of byApplication) {
    const application = await deps.records.getApplication(applicationId);
    if (!application) {
      report.withoutApplication.push(...reviews.map((review) => review.reviewId));
      continue;
    }
    if (!ENDED_STATUSES.has(application.status)) {
      report.open += reviews.length;
      continue;
    }
    // The words the closing gives an expired review: the application's reason, else its status.
    const reason = application.decisionReason ?? application.status;
    for (const review of reviews) {
      const change = {
        reviewId: review.reviewId,
        applicationId,
        jurisdictionCode: review.jurisdictionCode,
        deadline: review.deadline,
        applicationStatus: application.status,
      };
      if (dryRun || (await deps.reviews.expireReview(review, at, reason))) report.expired.push(change);
      else report.changedMeanwhile += 1;
    }
  }
  return report;
}

/**
 * POST /v1/reviews/migrations/lapsed (./handler.ts): national operators run it once after
 * deploying; a second run changes nothing.
 */
export function runLapseBackfill(deps: LapseBackfillDeps, caller: Caller, body: unknown): Promise<LapseBackfillReport> {
  const { principal } = caller;
  assertAllowed(may.migrateRecords(principal), 'migrateRecords', principal);
  return backfillLapsedReviews(deps, parseOrThrow(LapseBackfillRequestSchema, body ?? {}, 'body'));
}
