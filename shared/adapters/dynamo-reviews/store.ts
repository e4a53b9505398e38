import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DecisionToRecord, EndStatus, ReviewStore, WorkflowPointers } from '../../ports/review.ts';
import type { AuditEvent } from '../../schemas/records.ts';
import type { ReviewerDirectoryEntry, ReviewerGap, ReviewRecord } from '../../schemas/reviews.ts';
import { ReviewerDirectory } from './directory.ts';
import type { ReviewTable } from './items.ts';
import { ReviewItems } from './reviews.ts';
import { ReviewTransitions } from './transitions.ts';
import { WorkflowPointerItems } from './workflow-pointers.ts';

/**
 * The review desk's store in the one table (the item layout is in ./items.ts), put together from
 * its parts: reviews as items, their status changes, the reviewers directory and the
 * workflow's pointers on the application item. Objections are the notice's (./objections.ts).
 */
export class DynamoReviews implements ReviewStore {
  private readonly reviews: ReviewItems;
  private readonly transitions: ReviewTransitions;
  private readonly directory: ReviewerDirectory;
  private readonly pointers: WorkflowPointerItems;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    const table: ReviewTable = { client, tableName };
    this.reviews = new ReviewItems(table);
    this.transitions = new ReviewTransitions(table, this.reviews);
    this.directory = new ReviewerDirectory(table);
    this.pointers = new WorkflowPointerItems(table);
  }

  getReview(reviewId: string): Promise<ReviewRecord | undefined> {
    return this.reviews.getReview(reviewId);
  }

  createReview(review: ReviewRecord): Promise<boolean> {
    return this.reviews.createReview(review);
  }

  replaceReview(expected: Pick<ReviewRecord, 'status' | 'taskToken'>, next: ReviewRecord): Promise<boolean> {
    return this.reviews.replaceReview(expected, next);
  }

  markEmailed(reviewId: string, at: string, to: string[]): Promise<void> {
    return this.reviews.markEmailed(reviewId, at, to);
  }

  listApplicationReviews(applicationId: string): Promise<ReviewRecord[]> {
    return this.reviews.listApplicationReviews(applicationId);
  }

  listPending(jurisdictionCode: string): Promise<ReviewRecord[]> {
    return this.reviews.listPending(jurisdictionCode);
  }

  listLapsed(jurisdictionCode: string, since: string): Promise<ReviewRecord[]> {
    return this.reviews.listLapsed(jurisdictionCode, since);
  }

  listScored(jurisdictionCode: string, campaignId?: string): Promise<ReviewRecord[]> {
    return this.reviews.listScored(jurisdictionCode, campaignId);
  }

  recordDecision(
    review: ReviewRecord,
    decision: DecisionToRecord,
  ): Promise<{ recorded: true; review: ReviewRecord } | { recorded: false; current: ReviewRecord | undefined }> {
    return this.transitions.recordDecision(review, decision);
  }

  addLinkSecret(
    review: ReviewRecord,
    input: { secretHash: string; keep: number; audit: AuditEvent; resend?: { at: string; notSince: string } },
  ): Promise<{ added: true; review: ReviewRecord } | { added: false; current: ReviewRecord | undefined }> {
    return this.transitions.addLinkSecret(review, input);
  }

  markTaskGone(reviewId: string, usedToken: string, at: string, reason: string, audit: AuditEvent): Promise<boolean> {
    return this.transitions.markTaskGone(reviewId, usedToken, at, reason, audit);
  }

  closeReview(reviewId: string, status: EndStatus, at: string, reason: string): Promise<ReviewRecord | undefined> {
    return this.transitions.closeReview(reviewId, status, at, reason);
  }

  expireReview(
    review: Pick<ReviewRecord, 'reviewId' | 'jurisdictionCode' | 'deadline'>,
    at: string,
    reason: string,
  ): Promise<ReviewRecord | undefined> {
    return this.transitions.expireReview(review, at, reason);
  }

  reviewers(jurisdictionCode: string): Promise<string[] | undefined> {
    return this.directory.reviewers(jurisdictionCode);
  }

  putReviewers(entry: ReviewerDirectoryEntry): Promise<void> {
    return this.directory.putReviewers(entry);
  }
  noteMissingReviewers(jurisdictionCode: string, at: string, reviewId?: string): Promise<void> {
    return this.directory.noteMissingReviewers(jurisdictionCode, at, reviewId);
  }

  /** The jurisdictions found with nobody to email, until their reviewers are registered. */
  missingReviewers(): Promise<ReviewerGap[]> {
    return this.directory.missingReviewers();
  }

  workflowPointers(applicationId: string): Promise<WorkflowPointers> {
    return this.pointers.workflowPointers(applicationId);
  }
}
