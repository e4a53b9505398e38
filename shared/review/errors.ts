/** The review desk's own answers to a link or a decision that cannot be taken (403, 409, 410, 429). */
import { ConflictError, DomainError, type ErrorDetail } from '../platform/errors.ts';
import { DECISION_WORDS, STAGE_WORDS } from '../platform/words.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import { decisionView } from './views.ts';

/** 403: the link's secret is absent or wrong (or the review does not exist: nothing is revealed). */
export class ReviewLinkForbiddenError extends DomainError {
  readonly status = 403;
  readonly code = 'REVIEW_LINK_INVALID';
  constructor() {
    super('审核链接无效 / this review link is not valid', [
      { field: 't', code: 'REVIEW_LINK_INVALID', message: '链接无效或不完整 / the link is invalid or incomplete' },
    ]);
  }
}

/** 410: past the stage deadline (逾期不予受理), or the review was closed. */
export class ReviewGoneError extends DomainError {
  readonly status = 410;
  constructor(
    readonly code: 'DEADLINE_PASSED' | 'REVIEW_EXPIRED' | 'REVIEW_CLOSED',
    message: string,
    details?: ErrorDetail[],
  ) {
    super(message, details);
  }
}

/** 429: a link was resent for this review a moment ago (one resend per cooldown). */
export class ResendTooSoonError extends DomainError {
  readonly status = 429;
  readonly code = 'RESEND_TOO_SOON';
  constructor(retryAfterSeconds: number) {
    super(`A link for this review was resent a moment ago; try again in ${retryAfterSeconds} s`, [
      {
        code: 'RESEND_TOO_SOON',
        message: `审核链接刚刚重发过，请 ${Math.ceil(retryAfterSeconds / 60)} 分钟后再试 / the link was resent a moment ago; try again in ${Math.ceil(retryAfterSeconds / 60)} min`,
        retryAfterSeconds,
      },
    ]);
  }
}

/** 409: nobody is registered to review for the jurisdiction, so no link was emailed (none is guessed). */
export class NoReviewerRegisteredError extends ConflictError {
  constructor(readonly jurisdictionCode: string) {
    super('NO_REVIEWER_REGISTERED', `No reviewer is registered for ${jurisdictionCode}: no link was emailed`, [
      {
        field: 'jurisdictionCode',
        code: 'NO_REVIEWER_REGISTERED',
        message: `${jurisdictionCode} 尚未登记审核人员，未发送链接 / no reviewer is registered for ${jurisdictionCode}: no link was sent`,
      },
    ]);
  }
}

/** 409: the review was decided already; the answer carries the decision. */
export function alreadyDecided(review: ReviewRecord): ConflictError {
  const view = decisionView(review);
  const title = view ? DECISION_WORDS[view.decision].title : undefined;
  return new ConflictError(
    'ALREADY_DECIDED',
    `This review was already decided${view ? `: ${view.decision} at ${view.decidedAt}` : ''}`,
    [
      {
        field: 'decision',
        code: 'ALREADY_DECIDED',
        message: `已作出决定：${title?.zh ?? ''}（${STAGE_WORDS[review.stage].title.zh}） / already decided: ${title?.en ?? ''}`,
        ...(view && { decision: view }),
      },
    ],
  );
}
