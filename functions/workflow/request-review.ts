import { wireRequestReview } from '../../shared/composition/review.ts';
import { makeRequestReviewTask } from '../../shared/ladder/task-handlers.ts';

export const handler = makeRequestReviewTask(wireRequestReview());
