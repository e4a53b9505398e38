import { wireRequestReview } from '../../shared/composition/review.ts';
import type { ReviewDesk } from '../../shared/ladder/contract.ts';
import { RequestReviewPayloadSchema } from '../../shared/ladder/payloads.ts';
import { workflowTask } from '../../shared/platform/workflow-task.ts';

const desk: ReviewDesk = wireRequestReview().desk;

/**
 * Callback task: the review desk stores the token and emails the stage's reviewers a link. The
 * state machine then waits until a decision (SendTaskSuccess), a withdrawal or cancellation
 * (SendTaskFailure) or the stage deadline (the task's timeout).
 */
export const handler = workflowTask('requestReview', RequestReviewPayloadSchema, ({ taskToken, review }) =>
  desk.open({ ...review, taskToken }),
);
