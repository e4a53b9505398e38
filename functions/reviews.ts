import { wireReviews } from '../shared/composition/review.ts';
import { makeReviewsHandler } from '../shared/review/handler.ts';

/**
 * Needs TABLE_NAME, BUCKET_NAME (evidence download links), SENDER_EMAIL and PUBLIC_BASE_URL.
 * Step Functions is reached through AWS_ENDPOINT_URL_SFN
 * in local runs.
 */
export const handler = makeReviewsHandler(wireReviews());
