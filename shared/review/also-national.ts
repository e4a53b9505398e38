/**
 * "Also national": which provincial candidates go on to MIIT, where a province keeps its own list
 * (shared/rules/provincial-recognition.ts) or asks its cities (`cityStatesAlsoNational`).
 *   Jilin (city-states): with each approval the city states whether this provincial candidate is
 *     also recommended for national status; 梅河口 and 长白山 have no city, so the province asks it
 *     at its first step.
 *   Shanxi (province-chooses): the province states national or provincial only at the step that
 *     settles its list (its meeting); where national applicants are recognised provincially first,
 *     sending one national without that recognition is an exception that needs its reason.
 * Nowhere else does a decision carry either.
 */
import { ValidationError } from '../platform/errors.ts';
import type { Campaign } from '../rules/campaign.ts';
import { effectiveRules, overlayFor } from '../rules/effective-rules.ts';
import { provinceStatementStep } from '../rules/provincial-recognition.ts';
import { stageSteps } from '../ladder/route.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { DecisionBody, ReviewRecord } from '../schemas/reviews.ts';

/** Where the application files; without a track, the recommendation (the only track with a provincial list). */
type Placement = Pick<ApplicationRecord, 'countyCode'> & Partial<Pick<ApplicationRecord, 'track'>>;

/** Who states it at this review, if anyone: the city (Jilin), or the province (direct senders, Shanxi). */
export function alsoNationalAskedBy(
  review: Pick<ReviewRecord, 'stage' | 'step'>,
  application: Placement,
  campaign: Campaign,
): 'city' | 'province' | undefined {
  const overlay = overlayFor(campaign, application.countyCode);
  if (!overlay) return undefined;
  const recognition = overlay.provincialRecognition;
  // The overlay's flag asks the city; a city-states list requires it (the campaign schema checks).
  const cityStates = overlay.cityStatesAlsoNational;
  const stepIndex = review.step?.index ?? 0;
  if (review.stage === 'city') return cityStates && stepIndex === 0 ? 'city' : undefined;
  const track = application.track ?? 'recommendation';
  if (review.stage !== 'province' || track !== 'recommendation') return undefined;
  const hasCity = effectiveRules(campaign, track, application.countyCode).stages.some(
    (stage) => stage.stage === 'city',
  );
  if (cityStates && !recognition) return !hasCity && stepIndex === 0 ? 'province' : undefined;
  if (!recognition) return undefined;
  const provinceSteps = stageSteps({ countyCode: application.countyCode, track }, campaign, 'province').map(
    (step) => step.config,
  );
  return provinceStatementStep(recognition, provinceSteps, hasCity) === stepIndex ? 'province' : undefined;
}

/**
 * Whether this review's approval must state "also national". The level states it once; its later
 * steps (Jilin's city formal letter, which completes by itself) carry the statement recorded.
 */
export function asksAlsoNational(
  review: Pick<ReviewRecord, 'stage' | 'step'>,
  application: Placement,
  campaign: Campaign,
): boolean {
  return alsoNationalAskedBy(review, application, campaign) !== undefined;
}

/** Whether this review may send a national candidate on without provincial recognition (Shanxi's exception). */
export function allowsNationalException(
  review: Pick<ReviewRecord, 'stage' | 'step'>,
  application: Placement,
  campaign: Campaign,
): boolean {
  return (
    alsoNationalAskedBy(review, application, campaign) === 'province' &&
    overlayFor(campaign, application.countyCode)?.provincialRecognition?.priorProvincialRequired === true
  );
}

/**
 * The statement to record with this decision: required to approve where asked. Not kept where
 * not asked (another province's city, MIIT), nor with a return or a rejection (nothing goes up to
 * be recommended): a client that always sends it is not refused for it.
 */
export function alsoNationalOf(
  review: Pick<ReviewRecord, 'stage' | 'step'>,
  application: Placement,
  campaign: Campaign,
  input: Pick<DecisionBody, 'decision' | 'alsoNational'>,
): boolean | undefined {
  const askedBy = alsoNationalAskedBy(review, application, campaign);
  if (!askedBy || input.decision !== 'approve') return undefined;
  if (input.alsoNational === undefined) {
    throw new ValidationError('State whether the candidate is also recommended for national status', [
      {
        field: 'alsoNational',
        code: 'ALSO_NATIONAL_REQUIRED',
        message:
          askedBy === 'city'
            ? '同意推荐时须说明是否同时推荐申报国家级 / approving needs a statement whether the candidate is also recommended for national status'
            : '须说明推荐国家级还是仅认定为省级 / approving needs a statement: national candidate, or the provincial list only',
      },
    ]);
  }
  return input.alsoNational;
}

/**
 * The exception to "provincial first", with this decision: only where the province may make it,
 * only for a national candidate, and never without its reason (the decision's `reason`, which
 * the audit trail records). Undefined where none is made.
 */
export function nationalExceptionOf(
  review: Pick<ReviewRecord, 'stage' | 'step'>,
  application: Placement,
  campaign: Campaign,
  input: Pick<DecisionBody, 'decision' | 'alsoNational' | 'nationalException' | 'reason'>,
): true | undefined {
  if (input.nationalException !== true || input.decision !== 'approve') return undefined;
  const refuse = (field: string, code: string, message: string) => {
    throw new ValidationError(message, [{ field, code, message }]);
  };
  if (!allowsNationalException(review, application, campaign)) {
    refuse(
      'nationalException',
      'NOT_ASKED_AT_THIS_STEP',
      '本步骤不涉及省级认定例外 / no exception to provincial recognition is made at this step',
    );
  }
  if (input.alsoNational !== true) {
    refuse(
      'nationalException',
      'EXCEPTION_NEEDS_NATIONAL',
      '例外仅适用于推荐国家级的集群 / the exception concerns a national candidate only',
    );
  }
  if (!input.reason?.trim()) {
    refuse(
      'reason',
      'EXCEPTION_REASON_REQUIRED',
      '未经省级认定直接推荐国家级须说明例外理由 / sending a national candidate without provincial recognition needs its reason',
    );
  }
  return true;
}
