/**
 * The provincial track (shared/rules/provincial-recognition.ts): where a province recognises its
 * own list, the application is recognised on it once the province's steps that settle the list
 * have passed. A national candidate is entered then, as it enters the province's letter (or MIIT,
 * where the province closes with no letter), before the province forwards it, and goes on to MIIT;
 * only national candidates take the province's MIIT quota; any other ends PROVINCIALLY_RECOGNIZED
 * at the province. The state machine stays one definition: EnterStage marks a province step
 * `isLast` for an application that ends there, and the Recognize that follows recognises it on
 * the province's list (closing.ts calls `recognizeProvincially`); EnterStage enters a national
 * candidate's (stages.ts calls `enterNationalCandidate`).
 */
import type { Records } from '../ports/core.ts';
import { nameBasedUuid } from '../platform/name-based-id.ts';
import type { RegisterEntry } from '../register/entry.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import { notifyApplicant, type NotifyingDeps } from './notify.ts';
import type { CurrentStage, LadderOutcome, ProvincialList } from './payloads.ts';
import { transition, WORKFLOW_ACTOR } from './transition.ts';

/** What the provincial track needs of the register (shared/register/recognitions.ts). */
export interface ProvincialListRegister {
  enterProvincialRecognition(application: ApplicationRecord, list: ProvincialList): Promise<unknown>;
  /** The entry as the register holds it: the one written first, whoever wrote it. */
  provincialRecognitionOf(
    application: ApplicationRecord,
    cohort: number,
  ): Promise<Pick<RegisterEntry, 'history' | 'createdAt'> | undefined>;
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

export interface NationalCandidateDeps {
  records: Pick<Records, 'appendAudit'>;
  register?: ProvincialListRegister;
}

/**
 * A national candidate past the steps that settle its province's list (Shanxi: its 结果公示;
 * provincial-list.ts, `entersListAt`) is recognised on that list now, as EnterStage moves it on:
 * level provincial, the campaign's year, valid from now for the overlay's years, before the
 * province forwards it (its letter, its quota, the forwarding date). Its status is the step's.
 * Idempotent: the entry's natural key is written once, and the audit event's key (its id, and the
 * time the entry records) comes from the entry as the register holds it, so a retried task or a
 * later round writes neither again.
 */
export async function enterNationalCandidate(
  deps: NationalCandidateDeps,
  application: ApplicationRecord,
  list: ProvincialList,
): Promise<void> {
  await deps.register?.enterProvincialRecognition(application, list);
  const entry = await deps.register?.provincialRecognitionOf(application, list.cohort);
  const at = entry?.history[0]?.at ?? entry?.createdAt;
  if (!at) return;
  await deps.records.appendAudit({
    applicationId: application.applicationId,
    eventId: nameBasedUuid(`provincial-list:${application.applicationId}:${list.cohort}`),
    at,
    action: 'PROVINCIALLY_RECOGNIZED',
    actor: WORKFLOW_ACTOR,
    role: 'workflow',
    jurisdiction: application.provincialCode,
    detail: {
      level: 'provincial',
      cohort: list.cohort,
      validUntil: addYears(new Date(at), list.validityYears).toISOString(),
      alsoNational: true,
    },
  });
}
