/** Who a review's email goes to, and what it says: shared by the first link and reissued ones. */
import { placeName } from '../rules/jurisdictions.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import type { DeskDeps } from './deps.ts';
import { NoReviewerRegisteredError } from './errors.ts';
import { documentsNeededBy, LEVEL_DOCUMENT_RULES } from './level-documents/records.ts';
import { reviewLinkUrl } from './links.ts';
import type { ReviewMailInput } from './mail.ts';

/**
 * Who reviews for a jurisdiction: the directory's addresses (pk REVIEWERS), and nobody else. No
 * email goes to a guessed address: with nobody registered the gap is noted (the ops console's
 * warning, the ReviewersMissing alarm) and NoReviewerRegisteredError says so; the review waits
 * until someone is registered (a resend, the sweeper's reminder, or a decision signed in). The
 * sweeper tells the level above through it too.
 */
export async function recipients(
  deps: Pick<DeskDeps, 'reviews' | 'clock'>,
  jurisdictionCode: string,
  reviewId?: string,
): Promise<string[]> {
  const listed = (await deps.reviews.reviewers(jurisdictionCode)) ?? [];
  if (listed.length > 0) return listed;
  await deps.reviews.noteMissingReviewers(jurisdictionCode, deps.clock().toISOString(), reviewId);
  throw new NoReviewerRegisteredError(jurisdictionCode);
}

/** What a review's email says: the cluster, its county, the reviewing jurisdiction, the stage, its deadline and the link. */
export async function reviewMailInput(
  deps: Pick<DeskDeps, 'campaigns' | 'publicBaseUrl'>,
  review: ReviewRecord,
  secret: string,
): Promise<ReviewMailInput> {
  const campaign = await deps.campaigns.get(review.campaignId);
  return {
    clusterName: review.clusterName,
    countyName: placeName(review.countyCode) ?? review.countyCode,
    countyCode: review.countyCode,
    reviewerName: placeName(review.jurisdictionCode) ?? review.jurisdictionCode,
    campaignName: campaign.name,
    stage: review.stage,
    ...(review.step && { step: review.step.kind }),
    round: review.round,
    deadline: review.deadline,
    link: reviewLinkUrl(deps.publicBaseUrl, review.reviewId, secret),
    ...levelDocumentsAsked(deps.publicBaseUrl, review),
  };
}

/** The level's documents the review's step needs, and the console page that takes them (as the review page shows). */
function levelDocumentsAsked(publicBaseUrl: string, review: ReviewRecord): Pick<ReviewMailInput, 'levelDocuments'> {
  const kinds = documentsNeededBy(review);
  if (kinds.length === 0) return {};
  const query = new URLSearchParams({ campaignId: review.campaignId, track: review.track });
  return {
    levelDocuments: {
      titles: kinds.map((kind) => LEVEL_DOCUMENT_RULES[kind].title),
      pageUrl: `${publicBaseUrl.replace(/\/+$/, '')}/console/level-documents?${query.toString()}`,
      completesByItself: review.step?.kind === 'formal-letter',
    },
  };
}
