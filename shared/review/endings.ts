/**
 * How an application ends before its outcome (objections are the notice's: shared/notice/).
 * Withdrawal (by the applicant) and cancellation (by an operator, for false information) fail the
 * pending review's or resubmission's task with the workflow's error names, or stop an execution
 * that waits in a Wait state, and free any quota slot.
 */
import { WORKFLOW_ERRORS } from '../ladder/contract.ts';
import { quotaHolderOf } from '../ladder/quota-request.ts';
import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Caller } from '../platform/auth/principal.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { type EndStatus, TaskGoneError } from '../ports/review.ts';
import { type ApplicationStatus, ENDED_STATUSES } from '../schemas/common.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import { CancelBodySchema, type ReviewStatus, WithdrawBodySchema } from '../schemas/reviews.ts';
import { auditActor, type DeskDeps } from './deps.ts';

/** The workflow's error for each way a pending review ends before a decision. */
export const WORKFLOW_ERROR_OF = {
  WITHDRAWN: WORKFLOW_ERRORS.withdrawn,
  CANCELLED: WORKFLOW_ERRORS.cancelled,
} as const satisfies Record<EndStatus, string> & Partial<Record<ApplicationStatus & ReviewStatus, string>>;

export type EndDeps = Pick<DeskDeps, 'reviews' | 'records' | 'campaigns' | 'quotas' | 'tasks' | 'clock' | 'newId'>;

/** The county's applicant withdraws: the workflow ends and any quota slot is freed. */
export async function withdrawApplication(deps: EndDeps, applicationId: string, body: unknown, caller: Caller) {
  const application = await load(deps, applicationId);
  assertAllowed(may.actAsApplicant(caller.principal, application), 'actAsApplicant', caller.principal);
  const { reason } = parseOrThrow(WithdrawBodySchema, body ?? {});
  return end(deps, application, 'WITHDRAWN', reason, caller);
}

/** An operator over the application cancels for false information (一经查实，立即取消), with the reason. */
export async function cancelApplication(deps: EndDeps, applicationId: string, body: unknown, caller: Caller) {
  const application = await load(deps, applicationId);
  assertAllowed(may.operate(caller.principal, application), 'operate', caller.principal);
  const { reason } = parseOrThrow(CancelBodySchema, body ?? {});
  return end(deps, application, 'CANCELLED', reason, caller);
}

/**
 * The same cancellation, once a request for it was confirmed (shared/revocation/ checks who may
 * ask and who may confirm): the confirming person is the one the audit trail names.
 */
export async function cancelConfirmed(deps: EndDeps, applicationId: string, reason: string, caller: Caller) {
  return end(deps, await load(deps, applicationId), 'CANCELLED', reason, caller);
}

async function end(
  deps: EndDeps,
  loaded: ApplicationRecord,
  to: EndStatus,
  reason: string | undefined,
  caller: Caller,
) {
  const { applicationId } = loaded;
  const error = WORKFLOW_ERROR_OF[to];
  const cause = reason ?? (to === 'WITHDRAWN' ? '申报单位撤回 / withdrawn by the applicant' : 'cancelled');
  // The workflow reads `{ reason, by }` (or plain text) from the failure's cause.
  const failureCause = JSON.stringify({ reason: cause, by: caller.principal.sub });
  let application = loaded;
  assertNotEnded(application);

  // 1. A review is pending: close it (a decision can no longer win) and fail its task; the
  // workflow's Catch records the status, frees the quota and tells the applicant.
  const reviews = await deps.reviews.listApplicationReviews(applicationId);
  const pending = reviews.find((review) => review.status === 'PENDING');
  if (pending) {
    const closed = await deps.reviews.closeReview(pending.reviewId, to, deps.clock().toISOString(), cause);
    if (
      closed &&
      (await failTask(deps, closed.taskToken, error, failureCause, async () => {
        // Undo, so the review can still be decided and the request be retried.
        const { closedAt: _at, closedReason: _why, ...reopened } = closed;
        await deps.reviews.replaceReview(closed, { ...reopened, status: 'PENDING' });
      }))
    ) {
      await releaseQuota(deps, application);
      return { applicationId, status: to, reviewId: closed.reviewId, via: 'review-task' as const };
    }
  }

  // 2. Returned, waiting for the resubmission: that task fails the same way.
  const pointers = await deps.reviews.workflowPointers(applicationId);
  if (pointers.resubmissionToken && (await failTask(deps, pointers.resubmissionToken, error, failureCause))) {
    await releaseQuota(deps, application);
    return { applicationId, status: to, via: 'resubmission-task' as const };
  }

  // 3. No task waits: the execution is in a Wait state (public notice, the batch date) or
  // between tasks. Record the status first (conditional on the revision and status read),
  // then stop the execution, then free the slots.
  if (pending || pointers.resubmissionToken) application = await load(deps, applicationId);
  assertNotEnded(application);
  const executionArn =
    pointers.executionArn ?? reviews.map((review) => review.executionArn).find((arn) => arn !== undefined);
  const via = executionArn ? ('stop-execution' as const) : ('no-execution' as const);
  const at = deps.clock().toISOString();
  const ended: ApplicationRecord = {
    ...application,
    status: to,
    revision: application.revision + 1,
    updatedAt: at,
    decisionReason: cause,
    resubmissionToken: undefined,
  };
  await deps.records.saveApplication(ended, application, {
    applicationId,
    eventId: deps.newId(),
    at,
    action: to,
    ...auditActor(caller),
    fromStatus: application.status,
    toStatus: to,
    reason: cause,
    detail: { via },
  });
  if (executionArn) await deps.tasks.stop(executionArn, error, failureCause);
  await releaseQuota(deps, application);
  return { applicationId, status: to, via };
}

/** Fails a waiting task; false when the task is gone. Other failures run `undo` and throw. */
async function failTask(
  deps: Pick<DeskDeps, 'tasks'>,
  taskToken: string,
  error: string,
  cause: string,
  undo?: () => Promise<void>,
): Promise<boolean> {
  try {
    await deps.tasks.fail(taskToken, error, cause);
    return true;
  } catch (failure) {
    if (failure instanceof TaskGoneError) return false;
    await undo?.();
    throw failure;
  }
}

/** Frees the slots the application holds, as reserved (idempotent: exactly once overall). */
async function releaseQuota(deps: Pick<DeskDeps, 'quotas'>, application: ApplicationRecord): Promise<void> {
  await deps.quotas.release(quotaHolderOf(application));
}

async function load(deps: Pick<DeskDeps, 'records'>, applicationId: string): Promise<ApplicationRecord> {
  const application = await deps.records.getApplication(applicationId);
  if (!application) throw new NotFoundError(`No application ${applicationId}`);
  return application;
}

function assertNotEnded(application: ApplicationRecord): void {
  if (!ENDED_STATUSES.has(application.status)) return;
  throw new ConflictError('ALREADY_ENDED', `The application is already ${application.status}`, [
    {
      field: 'status',
      code: 'ALREADY_ENDED',
      message: `申报已终结（${application.status}） / the application has already ended (${application.status})`,
      status: application.status,
    },
  ]);
}
