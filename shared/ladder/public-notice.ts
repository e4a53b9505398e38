import type { ObjectionLog } from '../ports/ladder.ts';
import { notifyApplicant, type NotifyingDeps } from './notify.ts';
import type { CheckObjectionsPayload, NoticeWindow, ObjectionCheck, StartPublicNoticePayload } from './payloads.ts';
import { transition, TransitionRefusedError } from './transition.ts';

/* The last stage approved: the public notice, and what its objections mean when it ends. */

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
