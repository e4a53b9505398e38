/**
 * Jilin recommends for provincial and national status in one pass: with each approval the city
 * states whether this provincial candidate is also recommended for national status. A province
 * overlay asks for it (`cityStatesAlsoNational`); nowhere else does a decision carry it.
 */
import { ValidationError } from '../platform/errors.ts';
import type { Campaign } from '../rules/campaign.ts';
import { overlayFor } from '../rules/effective-rules.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { DecisionBody, ReviewRecord } from '../schemas/reviews.ts';

/**
 * Whether this review's approval must state "also national": the city's first step (its review)
 * where the province asks. The statement is made once per candidate: the city's later steps (its
 * on-site statement, its formal letter) neither ask it again nor overwrite it.
 */
export function asksAlsoNational(
  review: Pick<ReviewRecord, 'stage' | 'step'>,
  application: Pick<ApplicationRecord, 'countyCode'>,
  campaign: Campaign,
): boolean {
  if (review.stage !== 'city' || (review.step?.index ?? 0) !== 0) return false;
  return overlayFor(campaign, application.countyCode)?.cityStatesAlsoNational === true;
}

/**
 * The statement to record with this decision: required to approve where asked. Not kept where
 * not asked (another province's city, a province, MIIT), nor with a return or a rejection
 * (nothing goes up to be recommended): a client that always sends it is not refused for it.
 */
export function alsoNationalOf(
  review: Pick<ReviewRecord, 'stage' | 'step'>,
  application: Pick<ApplicationRecord, 'countyCode'>,
  campaign: Campaign,
  input: Pick<DecisionBody, 'decision' | 'alsoNational'>,
): boolean | undefined {
  if (!asksAlsoNational(review, application, campaign) || input.decision !== 'approve') return undefined;
  if (input.alsoNational === undefined) {
    throw new ValidationError('State whether the candidate is also recommended for national status', [
      {
        field: 'alsoNational',
        code: 'ALSO_NATIONAL_REQUIRED',
        message:
          '同意推荐时须说明是否同时推荐申报国家级 / approving needs a statement whether the candidate is also recommended for national status',
      },
    ]);
  }
  return input.alsoNational;
}
