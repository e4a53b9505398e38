import type { ObjectionLog } from '../ports/ladder.ts';
import { STAGE_STATUS } from './contract.ts';
import { notifyApplicant, type NotifyingDeps } from './notify.ts';
import type { CheckObjectionsPayload, NoticeWindow, ObjectionCheck, StartPublicNoticePayload } from './payloads.ts';
import { transition, TransitionRefusedError } from './transition.ts';

/*
 * A level's public-notice step (公示, where a notice declares one: Shanxi's province, as its last
 * step but the letter): the notice, and what its objections mean when it ends.
 */

const DAY_MS = 86_400_000;

/**
 * StartPublicNotice: the level's steps before the notice are done; objections are taken for the
 * step's days (an execution started before steps were data: the campaign's days, after MIIT).
 */
export async function startPublicNotice(deps: NotifyingDeps, payload: StartPublicNoticePayload): Promise<NoticeWindow> {
  const { current } = payload;
  const { application, changed } = await transition(deps, payload.applicationId, {
    done: (a) =>
      a.status === 'PUBLIC_NOTICE' &&
      a.stage === current.review.stage &&
      a.round === current.review.round &&
      a.noticeEndsAt !== undefined,
    from: [STAGE_STATUS[current.review.stage]],
    change: () => {
      const now = deps.clock();
      const endsAt = new Date(now.getTime() + payload.noticeDays * DAY_MS).toISOString();
      return { status: 'PUBLIC_NOTICE', noticeStartedAt: now.toISOString(), noticeEndsAt: endsAt, dueAt: endsAt };
    },
    action: 'PUBLIC_NOTICE_STARTED',
    audit: (_before, after) => ({
      detail: {
        stage: current.review.stage,
        round: current.review.round,
        step: current.step.index,
        noticeEndsAt: after.noticeEndsAt,
      },
    }),
  });
  await notifyApplicant(deps, application, 'PUBLIC_NOTICE', { current }, changed);
  const { noticeStartedAt, noticeEndsAt } = application;
  if (!noticeStartedAt || !noticeEndsAt) throw new TransitionRefusedError('The public notice has no window');
  return { startedAt: noticeStartedAt, endsAt: noticeEndsAt };
}

/**
 * CheckObjections (reads only), when the notice ends: the objections filed during this notice,
 * by what the level holding the notice made of them. Only an upheld objection sends the
 * application back to that level's review; one not yet triaged holds the recognition until it
 * is (DOMAIN.md: the level decides whether an objection stands before anything moves back).
 * Earlier notices' objections were weighed in the review round they caused.
 */
export async function checkObjections(
  deps: { objections: ObjectionLog },
  payload: CheckObjectionsPayload,
): Promise<ObjectionCheck> {
  const from = Date.parse(payload.notice.startedAt);
  const to = Date.parse(payload.notice.endsAt);
  const objections = await deps.objections.listObjections(payload.applicationId);
  const ofThisNotice = objections.filter((objection) => {
    const filedAt = Date.parse(objection.filedAt);
    return filedAt >= from && filedAt <= to;
  });
  const upheld = ofThisNotice.filter((objection) => objection.resolved && objection.outcome === 'upheld').length;
  const untriaged = ofThisNotice.filter((objection) => !objection.resolved).length;
  // `unresolved`: what executions started before triage read (they send back on any); now the upheld ones.
  return { upheld, untriaged, unresolved: upheld };
}
