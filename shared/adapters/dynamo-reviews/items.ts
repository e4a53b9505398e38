import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AuditEvent, AuditEventSchema } from '../../schemas/records.ts';
import {
  applicationIdOfReview,
  type ObjectionRecord,
  type ReviewRecord,
  ReviewRecordSchema,
} from '../../schemas/reviews.ts';
import { deadlineIndexKeys, keys as recordKeys } from '../dynamo-records/keys.ts';
import { withoutKeys } from '../dynamo-util.ts';
import { INDEXES } from '../table.ts';

/**
 * The review desk's items, in the one table:
 *
 *   review        pk APP#<applicationId>  sk REVIEW#<reviewId>
 *                   pending:  gsi2pk REVIEW#PENDING#<jurisdictionCode>  gsi2sk <deadline, UTC>#<reviewId>   (byDeadline: the inbox)
 *                   lapsed:   gsi2pk REVIEW#LAPSED#<jurisdictionCode>   gsi2sk <deadline, UTC>#<reviewId>   (byDeadline: the inbox, apart)
 *                   scored:   gsi1pk RANK#<jurisdictionCode>            gsi1sk <campaign>#<track>#<score>#<reviewId> (byJurisdiction: 择优遴选)
 *   objection     pk APP#<applicationId>  sk OBJECTION#<filedAt>#<objectionId>
 *   reviewers     pk REVIEWERS            sk <jurisdictionCode>        emails: string[]
 *   reviewer gap  pk REVIEWER_GAPS        sk <jurisdictionCode>        firstSeenAt, lastSeenAt, reviewId
 *
 * The review lives in its application's partition (its id names the application), so one Query
 * finds an application's reviews, and GET/POST on a review is one GetItem. The RANK# and
 * REVIEW#PENDING# and REVIEW#LAPSED# partitions never meet the applications' JUR#/STATUS# ones in the indexes.
 */
/** The partition of the jurisdictions found with nobody to email (one Query lists them all). */
export const REVIEWER_GAPS_PARTITION = 'REVIEWER_GAPS';

export const reviewKeys = {
  review: (applicationId: string, reviewId: string) => ({ pk: `APP#${applicationId}`, sk: `REVIEW#${reviewId}` }),
  objection: (objection: Pick<ObjectionRecord, 'applicationId' | 'filedAt' | 'objectionId'>) => ({
    pk: `APP#${objection.applicationId}`,
    sk: `OBJECTION#${objection.filedAt}#${objection.objectionId}`,
  }),
  reviewers: (jurisdictionCode: string) => ({ pk: 'REVIEWERS', sk: jurisdictionCode }),
  reviewerGap: (jurisdictionCode: string) => ({ pk: REVIEWER_GAPS_PARTITION, sk: jurisdictionCode }),
  pendingPartition: (jurisdictionCode: string) => `REVIEW#PENDING#${jurisdictionCode}`,
  /** Reviews expired when the workflow closed their application (a stage that timed out). */
  lapsedPartition: (jurisdictionCode: string) => `REVIEW#LAPSED#${jurisdictionCode}`,
  rankPartition: (jurisdictionCode: string) => `RANK#${jurisdictionCode}`,
};

/** The client and table every part of the desk's store writes through. */
export interface ReviewTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

const { byDeadline, byJurisdiction } = INDEXES;

/** The key of a review, from the application its id names. @throws Error when it names none */
export function reviewKey(reviewId: string) {
  const applicationId = applicationIdOfReview(reviewId);
  if (!applicationId) throw new Error(`not a review id: ${reviewId}`);
  return reviewKeys.review(applicationId, reviewId);
}

/** 0..100 with two decimals as five digits, so the index sorts by score. */
const scoreKey = (score: number) => String(Math.round(score * 100)).padStart(5, '0');

function pendingIndex(review: Pick<ReviewRecord, 'jurisdictionCode' | 'deadline' | 'reviewId'>) {
  return {
    [byDeadline.partitionKey]: reviewKeys.pendingPartition(review.jurisdictionCode),
    [byDeadline.sortKey]: deadlineIndexKeys.sortKey(review.deadline, review.reviewId),
  };
}

export function rankIndex(
  review: Pick<ReviewRecord, 'jurisdictionCode' | 'campaignId' | 'track' | 'reviewId'>,
  weightedScore: number,
) {
  return {
    [byJurisdiction.partitionKey]: reviewKeys.rankPartition(review.jurisdictionCode),
    [byJurisdiction.sortKey]: `${review.campaignId}#${review.track}#${scoreKey(weightedScore)}#${review.reviewId}`,
  };
}

/** The stored item: the review with its keys, in the inbox while PENDING, ranked once scored. */
export function reviewItem(review: ReviewRecord) {
  const parsed = ReviewRecordSchema.parse(review);
  return {
    ...parsed,
    ...reviewKeys.review(parsed.applicationId, parsed.reviewId),
    ...(parsed.status === 'PENDING' ? pendingIndex(parsed) : {}),
    ...(parsed.status === 'DECIDED' && parsed.weightedScore !== undefined
      ? rankIndex(parsed, parsed.weightedScore)
      : {}),
  };
}

export const parseReview = (item: Record<string, unknown>) => ReviewRecordSchema.parse(withoutKeys(item));

/** The audit event written in the same transaction as the change it records. */
export function auditPut(tableName: string, event: AuditEvent) {
  return {
    Put: {
      TableName: tableName,
      Item: { ...AuditEventSchema.parse(event), ...recordKeys.audit(event) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
