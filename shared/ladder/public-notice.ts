import type { ObjectionLog } from '../ports/ladder.ts';
import { notifyApplicant, type NotifyingDeps } from './notify.ts';
import type { CheckObjectionsPayload, NoticeWindow, ObjectionCheck, StartPublicNoticePayload } from './payloads.ts';
import { transition, TransitionRefusedError } from './transition.ts';

/* MIIT approved: the public notice, and the objections filed while it runs. */

const DAY_MS = 86_400_000;

/** StartPublicNotice: MIIT approved; objections are taken for the campaign's notice days. */
export async function startPublicNotice(deps: NotifyingDeps, payload: StartPublicNoticePayload): Promise<NoticeWindow> {
  const { current } = payload;
  const { application, changed } = await transition(deps, payload.applicationId, {
    done: (a) => a.status === 'PUBLIC_NOTICE' && a.round === current.review.round && a.noticeEndsAt !== undefined,
    from: ['MIIT_REVIEW'],
    change: () => {
      const now = deps.clock();
      const endsAt = new Date(now.getTime() + payload.noticeDays * DAY_MS).toISOString();
      return { status: 'PUBLIC_NOTICE', noticeStartedAt: now.toISOString(), noticeEndsAt: endsAt, dueAt: endsAt };
    },
    action: 'PUBLIC_NOTICE_STARTED',
    audit: (_before, after) => ({ detail: { round: current.review.round, noticeEndsAt: after.noticeEndsAt } }),
  });
  await notifyApplicant(deps, application, 'PUBLIC_NOTICE', { current }, changed);
  const { noticeStartedAt, noticeEndsAt } = application;
  if (!noticeStartedAt || !noticeEndsAt) throw new TransitionRefusedError('The public notice has no window');
  return { startedAt: noticeStartedAt, endsAt: noticeEndsAt };
}

/**
 * CheckObjections (reads only): objections filed during this notice and not resolved. Earlier
 * notices' objections were MIIT's to weigh in the review round they caused.
 */
export async function checkObjections(
  deps: { objections: ObjectionLog },
  payload: CheckObjectionsPayload,
): Promise<ObjectionCheck> {
  const from = Date.parse(payload.notice.startedAt);
  const to = Date.parse(payload.notice.endsAt);
  const objections = await deps.objections.listObjections(payload.applicationId);
  const unresolved = objections.filter((objection) => {
    const filedAt = Date.parse(objection.filedAt);
    return !objection.resolved && filedAt >= from && filedAt <= to;
  });
  return { unresolved: unresolved.length };
}
