/**
 * The provincial track (shared/rules/provincial-recognition.ts): where a province recognises its
 * own list, passing the province's last step recognises the application provincially. A national
 * candidate then goes on to MIIT (its provincial entry written as it leaves the province), and
 * only national candidates take the province's MIIT quota; any other ends PROVINCIALLY_RECOGNIZED
 * at the province. The state machine stays one definition: EnterStage marks a province step
 * `isLast` for an application that ends there, and the Recognize that follows recognises it on
 * the province's list (closing.ts calls `recognizeProvincially`).
 */
import type { ApplicationRecord } from '../schemas/records.ts';
import { notifyApplicant, type NotifyingDeps } from './notify.ts';
import type { CurrentStage, LadderOutcome, ProvincialList } from './payloads.ts';
import { transition } from './transition.ts';

/** What the provincial track needs of the register (shared/register/recognitions.ts). */
export interface ProvincialListRegister {
  enterProvincialRecognition(application: ApplicationRecord, list: ProvincialList): Promise<unknown>;
}

function addYears(date: Date, years: number): Date {
  const result = new Date(date);
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}

export interface ProvincialRecognitionDeps extends NotifyingDeps {
  register?: ProvincialListRegister;
}

/**
 * Recognize, at the province: PROVINCIALLY_RECOGNIZED, valid for the province's years, its entry
 * on the province's list (level provincial), the applicant told. Idempotent like recognize: a
 * retried task finds the status and the entry's natural key written. No quota to free: none was
 * reserved at the province for it (reservesAtStage).
 */
export async function recognizeProvincially(
  deps: ProvincialRecognitionDeps,
  applicationId: string,
  current: CurrentStage,
  list: ProvincialList,
): Promise<LadderOutcome> {
  const { application, changed } = await transition(deps, applicationId, {
    done: (a) => a.status === 'PROVINCIALLY_RECOGNIZED',
    from: ['PROVINCE_REVIEW', 'PUBLIC_NOTICE'],
    change: () => {
      const now = deps.clock();
      return {
        status: 'PROVINCIALLY_RECOGNIZED',
        recognizedAt: now.toISOString(),
        validUntil: addYears(now, list.validityYears).toISOString(),
      };
    },
    action: 'PROVINCIALLY_RECOGNIZED',
    audit: (_before, after) => ({
      detail: { level: 'provincial', cohort: list.cohort, validUntil: after.validUntil, alsoNational: false },
    }),
  });
  await deps.register?.enterProvincialRecognition(application, list);
  await notifyApplicant(deps, application, 'PROVINCIALLY_RECOGNIZED', { current }, changed);
  return {
    applicationId: application.applicationId,
    status: 'PROVINCIALLY_RECOGNIZED',
    stage: current.review.stage,
    round: current.review.round,
    jurisdictionCode: current.review.jurisdictionCode,
    ...(application.validUntil && { validUntil: application.validUntil }),
  };
}
