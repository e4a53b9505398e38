import type { CampaignLookup } from '../ports/ladder.ts';
import type { Quotas } from '../ports/quotas.ts';
import type { ReviewStore } from '../ports/review.ts';
import type { ApplicationStatus } from '../schemas/common.ts';
import { STAGE_STATUS } from './contract.ts';
import { quotaHolderOf } from './quota-request.ts';
import { beijingMinutes } from '../platform/time.ts';
import { STAGE_WORDS } from '../platform/words.ts';
import { notifyApplicant, type NotifyingDeps } from './notify.ts';
import {
  type CloseApplicationPayload,
  type CurrentStage,
  FailureCauseSchema,
  type LadderOutcome,
  type RecognizePayload,
  type TaskFailure,
} from './payloads.ts';
import { stageDetail, transition } from './transition.ts';
import type { RecognitionRegister } from '../register/recognitions.ts';
import { isMiitRejection, notSelectCase, selectCase, trackOf } from './selection.ts';
import { type ProvincialListRegister, recognizeProvincially } from './provincial-track.ts';
import type { RereviewRegister } from '../register/rereview-outcome.ts';

const endsAsTypicalCase = async (deps: NotifyingDeps, payload: { applicationId: string }) =>
  (await trackOf(deps.records, payload.applicationId)) === 'typical-case';

/* How the ladder ends: recognised, or closed (rejected, overdue, cancelled, withdrawn). */

/** Statuses from which a terminal outcome may close the application. */
const OPEN_STATUSES: readonly ApplicationStatus[] = [
  'SUBMITTED',
  'CITY_REVIEW',
  'PROVINCE_REVIEW',
  'MIIT_REVIEW',
  'PUBLIC_NOTICE',
  'RETURNED',
];

export interface CloseDeps extends NotifyingDeps {
  quotas: Pick<Quotas, 'release'>;
  campaigns: CampaignLookup;
  /** A rejected re-review revokes its register entry (shared/register/rereview-outcome.ts). */
  rereview?: Pick<RereviewRegister, 'settled'>;
  /** The application's reviews: one still pending when it closes expires (expirePending). */
  reviews: Pick<ReviewStore, 'listApplicationReviews' | 'expireReview'>;
}

function failureReason(failure: TaskFailure): string | undefined {
  return parseFailureCause(failure)?.reason;
}

/** The `{ reason, by }` the review desk puts in a failure's cause (or plain text: the reason). */
function parseFailureCause(failure: TaskFailure): { reason?: string; by?: string } | undefined {
  if (!failure.Cause) return undefined;
  try {
    const parsed = FailureCauseSchema.safeParse(JSON.parse(failure.Cause));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: the cause is the reason as plain text.
  }
  const reason = failure.Cause.trim();
  return reason ? { reason } : undefined;
}

/** 逾期不予受理, naming the stage, its deadline and who let it pass. */
function overdueReason(current: CurrentStage, applicantWasLate: boolean): string {
  const stage = STAGE_WORDS[current.review.stage].applicant;
  const deadline = beijingMinutes(current.review.deadline);
  return applicantWasLate
    ? `逾期不予受理：${current.jurisdictionName}${stage.zh}截止时间 ${deadline}（北京时间）前未重新提交 / Not accepted: not resubmitted before the ${stage.en} deadline (${current.jurisdictionName}), ${deadline} Beijing time`
    : `逾期不予受理：${current.jurisdictionName}${stage.zh}未在截止时间 ${deadline}（北京时间）前完成 / Not accepted: the ${stage.en} (${current.jurisdictionName}) did not decide before its deadline, ${deadline} Beijing time`;
}

/**
 * MarkRejected, MarkOverdue, MarkCancelled, MarkWithdrawn: the application leaves the ladder,
 * its quota slots are freed (idempotently, so also on a replay), and the applicant is told why.
 */
export async function closeApplication(deps: CloseDeps, payload: CloseApplicationPayload): Promise<LadderOutcome> {
  // MIIT not selecting a typical case is 未入选, not a rejection (selection.ts).
  if (payload.outcome === 'REJECTED' && isMiitRejection(payload) && (await endsAsTypicalCase(deps, payload))) {
    return notSelectCase(deps, payload);
  }
  const { current, outcome } = payload;
  const { application, changed } = await transition(deps, payload.applicationId, {
    done: (a) => a.status === outcome,
    from: OPEN_STATUSES,
    change: (a) => {
      const reason =
        payload.outcome === 'REJECTED'
          ? payload.decision.reason
          : payload.outcome === 'OVERDUE'
            ? // A returned application waited for its applicant; any other, for its reviewers.
              overdueReason(current, a.status === 'RETURNED')
            : failureReason(payload.failure);
      return { status: outcome, decisionReason: reason, resubmissionToken: undefined };
    },
    action: outcome,
    audit: (_before, after) => ({
      reason: after.decisionReason,
      detail: {
        ...stageDetail(current),
        ...(payload.outcome === 'REJECTED' && {
          reviewId: payload.decision.reviewId,
          decidedBy: payload.decision.decidedBy,
        }),
        ...(payload.outcome !== 'REJECTED' && { error: payload.failure.Error }),
        // Who asked for a withdrawal or cancellation: the workflow only carries it out.
        ...(payload.outcome !== 'REJECTED' &&
          parseFailureCause(payload.failure)?.by !== undefined && {
            requestedBy: parseFailureCause(payload.failure)?.by,
          }),
      },
    }),
  });

  // The notice first: it is this invocation's to send when it made the change, and a failure in
  // between would leave it owed to nobody for NOTICE_TAKEOVER_MS.
  await notifyApplicant(deps, application, outcome, { current, reason: application.decisionReason }, changed);

  await expirePending(deps, application.applicationId, application.decisionReason ?? outcome);

  // Whatever the city's and the province's approvals reserved, under the keys they reserved
  // with; releasing slots never held changes nothing (a retry after a failure here releases them).
  const { released } = await deps.quotas.release(quotaHolderOf(application));
  await deps.rereview?.settled(application);
  return {
    applicationId: application.applicationId,
    status: outcome,
    stage: current.review.stage,
    round: current.review.round,
    jurisdictionCode: current.review.jurisdictionCode,
    ...(application.decisionReason !== undefined && { reason: application.decisionReason }),
    quotaReleased: released,
  };
}

/**
 * A review still PENDING when its application closes can never be decided: its task is gone (the
 * stage timed out: OVERDUE) or its execution ends with this closing. It becomes EXPIRED, with the
 * close time and the application's reason, instead of waiting in its level's inbox and the readers
 * of pending reviews for ever. Each change is conditional (a decision that raced in first keeps
 * the review DECIDED); a retried task finds nothing pending and changes nothing. Withdrawal and
 * cancellation close their review before failing its task (shared/review/endings.ts), so in
 * practice this is the timeout's.
 */
async function expirePending(deps: CloseDeps, applicationId: string, reason: string): Promise<void> {
  const pending = (await deps.reviews.listApplicationReviews(applicationId)).filter((r) => r.status === 'PENDING');
  if (pending.length === 0) return;
  const at = deps.clock().toISOString();
  for (const review of pending) await deps.reviews.expireReview(review, at, reason);
}

function addYears(date: Date, years: number): Date {
  const result = new Date(date);
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}

export interface RecognizeDeps extends NotifyingDeps {
  /** The register of recognised clusters (shared/register/); absent in tests that do not look at it. */
  register?: RecognitionRegister & ProvincialListRegister;
  /** A re-review MIIT approved retains its register entry (shared/register/rereview-outcome.ts). */
  rereview?: Pick<RereviewRegister, 'settled'>;
}

/**
 * Recognize: RECOGNIZED (a re-review: retained), valid for the campaign's validity years. It follows
 * the last stage's last step: MIIT's approval, or a notice MIIT's level declares. At a province
 * that recognises its own list, an application that is no national candidate ends there instead,
 * PROVINCIALLY_RECOGNIZED (provincial-track.ts).
 */
export async function recognize(deps: RecognizeDeps, payload: RecognizePayload): Promise<LadderOutcome> {
  // A typical case is selected, never recognised (selection.ts).
  if (await endsAsTypicalCase(deps, payload)) return selectCase(deps, payload);
  const { current } = payload;
  if (current.endsOnProvincialList) {
    return recognizeProvincially(deps, payload.applicationId, current, current.endsOnProvincialList);
  }
  const { application, changed } = await transition(deps, payload.applicationId, {
    done: (a) => a.status === 'RECOGNIZED',
    from: [STAGE_STATUS[current.review.stage], 'PUBLIC_NOTICE'],
    change: () => {
      const now = deps.clock();
      return {
        status: 'RECOGNIZED',
        recognizedAt: now.toISOString(),
        validUntil: addYears(now, payload.validityYears).toISOString(),
      };
    },
    action: 'RECOGNIZED',
    audit: (before, after) => ({
      detail: {
        validUntil: after.validUntil,
        ...(before.track === 'rereview' && { rereview: 'retained' }),
      },
    }),
  });
  // After the change, idempotently: a retried task finds the entry's natural key written.
  await deps.register?.enterRecognition(application);
  await deps.rereview?.settled(application, payload.validityYears);
  await notifyApplicant(deps, application, 'RECOGNIZED', { current }, changed);
  return {
    applicationId: application.applicationId,
    status: 'RECOGNIZED',
    stage: current.review.stage,
    round: current.review.round,
    jurisdictionCode: current.review.jurisdictionCode,
    ...(application.validUntil && { validUntil: application.validUntil }),
  };
}
