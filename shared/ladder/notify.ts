import type { Mailer } from '../ports/core.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import { retryWrite } from '../platform/retry-write.ts';
import { type ApplicantNoticeKind, applicantEmail, contactEmailOf } from './mail.ts';
import type { CurrentStage } from './payloads.ts';
import { transition, type TransitionDeps, TransitionRefusedError } from './transition.ts';

/* The applicant's email about a step the workflow took: sent once per status, stage and round. */

export interface NotifyingDeps extends TransitionDeps {
  mailer: Mailer;
  /**
   * How long the notice of a change stays with the invocation that made it (ms): NOTICE_TAKEOVER_MS
   * in the product (./notice-takeover.ts says why 30 s, and why it must be shorter than the state
   * machine's Retry span); the local runtime scales it with the Retry intervals it runs.
   */
  noticeTakeoverMs: number;
}

export interface NoticeDetails {
  current: CurrentStage;
  reason?: string;
}

/** Another invocation of this task is sending the applicant's notice: retried by the state machine. */
export class NoticePendingError extends Error {
  override readonly name = 'NoticePending';
}

/**
 * Emails the applicant about the application's current status, once: the notice is keyed by
 * status, stage and round and recorded on the application after the email went out (that record
 * is retried in place, so a throttled write does not send the email again). The invocation whose
 * write made the change (`changed`) sends it; the others wait `deps.noticeTakeoverMs` for it
 * (NOTICE_TAKEOVER_MS, shared/ladder/notice-takeover.ts). Only a crash between the email and its
 * record sends it twice (a duplicate beats a lost notice).
 */
export async function notifyApplicant(
  deps: NotifyingDeps,
  application: ApplicationRecord,
  kind: ApplicantNoticeKind,
  details: NoticeDetails,
  changed: boolean,
): Promise<void> {
  const { stage, round } = details.current.review;
  const key = `${application.status}#${application.stage ?? stage}#${application.round ?? round}`;
  if (application.lastApplicantNotice === key) return;
  if (!changed && deps.clock().getTime() - Date.parse(application.updatedAt) < deps.noticeTakeoverMs) {
    throw new NoticePendingError(
      `the ${key} notice of ${application.applicationId} is another invocation's to send; retry later`,
    );
  }
  const to = contactEmailOf(application);
  const sent = to
    ? await deps.mailer.send({
        // The same notice, the same Message-ID (over SMTP): a copy sent again is recognisable.
        purpose: `applicant-notice/${application.applicationId}/${key}`,
        ...applicantEmail(
          {
            kind,
            application,
            stage: details.current.review.stage,
            jurisdictionName: details.current.jurisdictionName,
            deadline: details.current.review.deadline,
            reason: details.reason,
            noticeEndsAt: application.noticeEndsAt,
            validUntil: application.validUntil,
          },
          to,
        ),
      })
    : undefined;
  try {
    await retryWrite(
      () =>
        transition(deps, application.applicationId, {
          done: (a) => a.lastApplicantNotice === key,
          from: [application.status],
          change: () => ({ lastApplicantNotice: key }),
          action: 'APPLICANT_NOTIFIED',
          audit: () => ({
            detail: sent
              ? { notice: key, messageId: sent.messageId }
              : { notice: key, skipped: 'the form gives no contact email' },
          }),
        }),
      { isFinal: (error) => error instanceof TransitionRefusedError },
    );
  } catch (error) {
    // The email went out; the application moved on before it could be noted. Nothing to undo.
    if (!(error instanceof TransitionRefusedError)) throw error;
  }
}
