import { wireSweeper } from '../shared/composition/operations.ts';
import { makeSweeperHandler, sweeperLog } from '../shared/operations/sweeper-handler.ts';

/**
 * Deadline reminders, escalations, annual report reminders and the backlog gauges, hourly.
 * Needs TABLE_NAME, SENDER_EMAIL and PUBLIC_BASE_URL; optional:
 * REMINDER_REVIEW_DAYS / REMINDER_APPLICANT_DAYS / REMINDER_ANNUAL_REPORT_DAYS ("7,3,1"),
 * POWERTOOLS_METRICS_NAMESPACE (default ClusterRecommendation).
 */
export const handler = makeSweeperHandler(wireSweeper({ log: sweeperLog }));
