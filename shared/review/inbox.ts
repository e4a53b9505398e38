/**
 * The signed-in reviewer's inbox (GET /v1/reviews): pending reviews by deadline, those that lapsed
 * (expired when their stage timed out) and, for a provincial-rank jurisdiction, its scored
 * candidates ranked by weighted score (择优遴选). A pending review whose approval a full quota
 * would refuse says so (`quotaFull`, the review page's words), and the ranking says which
 * candidates hold the quota's slots and which wait over it.
 */
import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { ValidationError } from '../platform/errors.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { beijingTime } from '../platform/time.ts';
import { findJurisdiction, isProvincialRank, MIIT_CODE, MIIT_NAME, placeName } from '../rules/jurisdictions.ts';
import { InboxQuerySchema, type ReviewRecord } from '../schemas/reviews.ts';
import type { Quotas, QuotaUse } from '../ports/quotas.ts';
import type { ReviewStore } from '../ports/review.ts';
import type { DeskDeps } from './deps.ts';
import { fullQuotaOfReview, type QuotaFullDeps, usageReadOnce } from './quota-full.ts';
import type { InboxEntry, RankedCandidate } from './views.ts';

/** The inbox's reads: the reviews, and what tells a review waiting over a full quota. */
export type InboxDeps = Pick<DeskDeps, 'clock'> & {
  reviews: Pick<ReviewStore, 'listPending' | 'listLapsed' | 'listScored'>;
} & QuotaFullDeps;

/** An inbox row: the review, and the full quota's refusal its approval would meet (both languages). */
export type InboxRow = InboxEntry & { quotaFull?: string };

/**
 * Where a ranked candidate stands against the quota its forwarding takes: `held`, it holds one of
 * the slots; `waiting`, its approval waits here over the full quota. Absent for the others (not
 * yet at the step that takes a slot, or ended).
 */
export type QuotaStanding = 'held' | 'waiting';
export type RankedRow = RankedCandidate & { quota?: QuotaStanding };

/**
 * The signed-in reviewer's pending reviews by deadline, the reviews that expired undecided when
 * their stage timed out (`lapsed`: the named campaign's, else the last LAPSED_SHOWN_DAYS by
 * deadline) and, for a provincial-rank jurisdiction, its scored candidates ranked by weighted
 * score (择优遴选). The jurisdiction is the reviewer's; a `jurisdiction` in the query (as clients
 * sent before sign-in) must name that same one.
 */
export async function reviewInbox(deps: InboxDeps, principal: Principal, query: Record<string, string>) {
  const q = parseOrThrow(InboxQuerySchema, query, 'query');
  const code = q.jurisdiction ?? principal.jurisdiction;
  assertAllowed(may.review(principal, code), 'review', principal);
  const jurisdiction = code === MIIT_CODE ? undefined : findJurisdiction(code);
  if (code !== MIIT_CODE && !jurisdiction) {
    // Only a reviewer whose own jurisdiction is unknown gets here: the query must name theirs.
    throw new ValidationError(`Unknown jurisdiction ${code}`, [
      { field: 'jurisdiction', code: 'UNKNOWN_JURISDICTION', message: `no jurisdiction has code ${code}` },
    ]);
  }
  const now = deps.clock();
  const [pending, expired] = await Promise.all([
    deps.reviews.listPending(code),
    lapsedReviews(deps.reviews, code, now, q.campaignId),
  ]);
  // Each row's quota is read once per list: the rows of a level share its counters.
  const quotaReads = { ...deps, quotas: usageReadOnce(deps.quotas) };
  const reviews: InboxRow[] = await Promise.all(
    pending.sort(byDeadline).map(async (review) => {
      const entry = inboxEntry(review, now);
      // A review past its deadline can no longer be decided: what its approval would meet is moot.
      const quotaFull = entry.overdue ? undefined : await fullQuotaOfReview(quotaReads, review);
      return { ...entry, ...(quotaFull !== undefined && { quotaFull }) };
    }),
  );
  // The index is eventually consistent: a review expired a moment ago may still be listed as pending.
  const listed = new Set(reviews.map((review) => review.reviewId));
  const lapsed = expired
    .filter((review) => !listed.has(review.reviewId))
    .sort(byDeadline)
    .map((review) => inboxEntry(review, now));
  const provincial = jurisdiction !== undefined && isProvincialRank(jurisdiction.rank);
  return {
    jurisdiction: { code, name: jurisdiction?.name ?? MIIT_NAME },
    status: q.status,
    reviews,
    lapsed,
    ...(provincial && {
      ranking: await withQuotaStanding(
        quotaReads.quotas,
        code,
        rank(await deps.reviews.listScored(code, q.campaignId)),
        reviews,
      ),
    }),
  };
}

/**
 * The ranking told against the province's quota to MIIT (择优遴选 picks the best within it): a
 * candidate holding a slot is `held`; one whose pending review here would be refused over the full
 * quota is `waiting`. Each group carries the quota's use where there is one.
 */
async function withQuotaStanding(
  quotas: Pick<Quotas, 'usage'>,
  jurisdictionCode: string,
  groups: ReturnType<typeof rank>,
  pending: readonly InboxRow[],
) {
  return Promise.all(
    groups.map(async (group) => {
      const use: QuotaUse | undefined = (await quotas.usage(group.campaignId, group.track, jurisdictionCode)).find(
        (u) => u.scope === 'provincial' && u.jurisdictionCode === jurisdictionCode,
      );
      const held = new Set(use?.holders ?? []);
      const waiting = new Set(
        pending
          .filter((r) => r.quotaFull !== undefined && r.campaignId === group.campaignId && r.track === group.track)
          .map((r) => r.applicationId),
      );
      const candidates = group.candidates.map((c): RankedRow => {
        const quota = held.has(c.applicationId) ? 'held' : waiting.has(c.applicationId) ? 'waiting' : undefined;
        return { ...c, ...(quota && { quota }) };
      });
      return { ...group, candidates, ...(use && { quota: { used: use.used, limit: use.limit } }) };
    }),
  );
}

const DAY_MS = 86_400_000;

/**
 * How far back the inbox lists the reviews that expired when their stage timed out, when its query
 * names no campaign: a level sees what lapsed at it in the campaign now under way (a stage lasts
 * weeks; a campaign's ladder, months), read from its own index partition by deadline, never by a
 * Scan, and not every year's for ever.
 */
export const LAPSED_SHOWN_DAYS = 180;

/** Before every deadline a review can have: the lapsed partition from its start. */
const EVER = new Date(0).toISOString();

/**
 * The lapsed reviews the inbox lists. A query naming a campaign asks about that campaign, as its
 * ranking does: all of its lapsed reviews, however long ago (a level looking back at last year's
 * call sees what lapsed in it, not an empty list once 180 days passed), and no other campaign's.
 * The whole partition is read for it: it holds only the reviews of one level that timed out, a
 * few a year. Without a campaign, the last LAPSED_SHOWN_DAYS by deadline, every campaign's.
 */
async function lapsedReviews(
  reviews: Pick<DeskDeps['reviews'], 'listLapsed'>,
  code: string,
  now: Date,
  campaignId: string | undefined,
): Promise<ReviewRecord[]> {
  if (campaignId === undefined) {
    return reviews.listLapsed(code, new Date(now.getTime() - LAPSED_SHOWN_DAYS * DAY_MS).toISOString());
  }
  return (await reviews.listLapsed(code, EVER)).filter((review) => review.campaignId === campaignId);
}

const byDeadline = (a: ReviewRecord, b: ReviewRecord) => Date.parse(a.deadline) - Date.parse(b.deadline);

/** A review as the inbox lists it; `overdue` once its deadline passed (an expired review's always has). */
function inboxEntry(review: ReviewRecord, now: Date): InboxEntry {
  return {
    reviewId: review.reviewId,
    applicationId: review.applicationId,
    clusterName: review.clusterName,
    countyCode: review.countyCode,
    countyName: placeName(review.countyCode) ?? review.countyCode,
    stage: review.stage,
    ...(review.step && { step: review.step.kind }),
    round: review.round,
    campaignId: review.campaignId,
    track: review.track,
    deadline: review.deadline,
    deadlineBeijing: beijingTime(review.deadline).zh,
    overdue: now.getTime() > Date.parse(review.deadline),
    openedAt: review.openedAt,
  };
}

/** Latest scored decision per application, best first, per campaign and track. */
export function rank(scored: readonly ReviewRecord[]) {
  const latest = new Map<string, ReviewRecord>();
  for (const review of scored) {
    if (review.weightedScore === undefined || !review.decision || !review.decidedAt) continue;
    const key = `${review.campaignId}#${review.track}#${review.applicationId}`;
    const seen = latest.get(key);
    if (!seen || (seen.decidedAt ?? '') < review.decidedAt) latest.set(key, review);
  }
  const groups = new Map<string, ReviewRecord[]>();
  for (const review of latest.values()) {
    const key = `${review.campaignId}#${review.track}`;
    groups.set(key, [...(groups.get(key) ?? []), review]);
  }
  return [...groups.values()].map((reviews) => {
    const sorted = reviews.sort(
      (a, b) => (b.weightedScore ?? 0) - (a.weightedScore ?? 0) || a.reviewId.localeCompare(b.reviewId),
    );
    const first = sorted[0];
    return {
      campaignId: first?.campaignId ?? '',
      track: first?.track ?? 'recommendation',
      candidates: sorted.map((review, i): RankedCandidate => ({
        rank: i + 1,
        reviewId: review.reviewId,
        applicationId: review.applicationId,
        clusterName: review.clusterName,
        countyCode: review.countyCode,
        weightedScore: review.weightedScore ?? 0,
        scores: review.scores ?? {},
        decision: review.decision ?? 'approve',
        decidedAt: review.decidedAt ?? '',
      })),
    };
  });
}
