/** The expert panel's own refusals (400, 409, 410), each naming the field or the state. */
import { ConflictError, DomainError } from '../../platform/errors.ts';

/** 409: the review is not an expert-panel step (its level runs no panel there). */
export const notAPanelStep = (reviewId: string) =>
  new ConflictError('NOT_A_PANEL_STEP', `Review ${reviewId} is not an expert-panel step`, [
    {
      field: 'reviewId',
      code: 'NOT_A_PANEL_STEP',
      message: '该审核环节不是专家评审 / this review is not an expert-panel step',
    },
  ]);

/** 409: the panel was closed; nothing more is seated, declared or scored. */
export const panelClosed = () =>
  new ConflictError('PANEL_CLOSED', 'The panel is closed', [
    { code: 'PANEL_CLOSED', message: '专家评审已结束 / the expert panel is closed' },
  ]);

/** 409: this seat scored already (scores are given once). */
export const alreadyScored = () =>
  new ConflictError('ALREADY_SCORED', 'This expert scored already', [
    {
      field: 'scores',
      code: 'ALREADY_SCORED',
      message: '已提交评分，不能再次提交 / your scores were submitted already',
    },
  ]);

/** 409: the seat is not at the step the request takes (declare before scoring; once each). */
export const seatNotReady = (field: string, message: string) =>
  new ConflictError('SEAT_STATE', message, [{ field, code: 'SEAT_STATE', message }]);

/** 410: the seat was given to another expert, or its expert recused. */
export class SeatGoneError extends DomainError {
  readonly status = 410;
  readonly code = 'SEAT_GONE';
  constructor(why: 'replaced' | 'recused') {
    super(
      why === 'replaced'
        ? '该评审席位已由其他专家替换 / this seat was given to another expert'
        : '您已回避本项评审 / you recused from this panel',
      [{ code: 'SEAT_GONE', message: why }],
    );
  }
}
