import { reviewDeskFromEnv } from '../../shared/domain/reviews.ts';
import type { ReviewDesk } from '../../shared/workflow/contract.ts';
import { RequestReviewPayloadSchema } from '../../shared/workflow/payloads.ts';
import { workflowTask } from '../../shared/workflow/task-handler.ts';

const desk: ReviewDesk = reviewDeskFromEnv();

/**
 * Callback task: the review desk stores the token and emails the stage's reviewers a link. The
 * state machine then waits until a decision (SendTaskSuccess), a withdrawal or cancellation
 * (SendTaskFailure) or the stage deadline (the task's timeout).
 */
export const handler = workflowTask('requestReview', RequestReviewPayloadSchema, ({ taskToken, review }) =>
  desk.open({ ...review, taskToken }),
);
