/**
 * The review desk (issue 3): review links, the review page, decisions, the inbox, withdrawal
 * and cancellation (objections are the public notice's: shared/notice/). One class for the composition and the handlers to hold; each
 * step lives in its own module and takes the deps it uses:
 *
 * - open.ts: the workflow's RequestReview task opens a review and emails its link;
 * - page-data.ts, decide.ts: the link's page (GET shows) and the decision (POST decides once,
 *   then SendTaskSuccess);
 * - reissue.ts: reminders and resends, a fresh link beside the earlier ones;
 * - inbox.ts: the signed-in reviewer's pending reviews and ranking;
 * - endings.ts: withdrawal and cancellation (SendTaskFailure, or the execution stopped);
 * - links.ts, access.ts: link secrets and who opens a review.
 */
import type { Caller, Principal } from '../platform/auth/principal.ts';
import type { ReviewRequest } from '../ladder/contract.ts';
import type { ReviewDesk as ReviewDeskPort } from '../ports/ladder.ts';
import type { DecisionCredentials } from './access.ts';
import { decideReview } from './decide.ts';
import { type DeskDeps, type ReviewDeskDeps, withDefaults } from './deps.ts';
import { cancelApplication, withdrawApplication } from './endings.ts';
import { reviewInbox } from './inbox.ts';
import { openReview } from './open.ts';
import { completeIfLetterFiled } from './level-documents/gate.ts';
import { listOwnEvidence, removeOwnEvidence, requestOwnEvidenceUpload } from './own-evidence.ts';
import type { RequestOptions } from '../intake/idempotency.ts';
import { reviewPage } from './page-data.ts';
import { recipients } from './recipients.ts';
import { type ReissuedLink, type ReissueOptions, reissueLink, resendLink } from './reissue.ts';
import type { DecisionView, ReviewPage } from './views.ts';

export class ReviewDesk implements ReviewDeskPort {
  private readonly deps: DeskDeps;

  constructor(deps: ReviewDeskDeps) {
    this.deps = withDefaults(deps);
  }

  /** The workflow's RequestReview task: opens (or re-arms) the review and emails its link once. */
  async open(input: ReviewRequest): Promise<{ reviewId: string; emailed: boolean }> {
    const opened = await openReview(this.deps, input);
    // A formal-letter step whose level filed its letter already completes at once (the gate).
    const { levelDocuments } = this.deps;
    if (input.step?.kind === 'formal-letter' && levelDocuments) {
      await completeIfLetterFiled({ ...this.deps, levelDocuments }, opened.reviewId);
    }
    return opened;
  }

  /** Who reviews for a jurisdiction (the sweeper tells the level above through it too). */
  recipients(jurisdictionCode: string): Promise<string[]> {
    return recipients(this.deps, jurisdictionCode);
  }

  /** POST /v1/reviews/{reviewId}/resend: a fresh link to the jurisdiction's reviewers, once per cooldown. */
  resend(reviewId: string, caller: Caller): Promise<{ reviewId: string; sentTo: number }> {
    return resendLink(this.deps, reviewId, caller);
  }

  /** A fresh link beside the earlier ones, emailed: the sweeper's reminder or a resend. */
  reissueLink(reviewId: string, options: ReissueOptions): Promise<ReissuedLink> {
    return reissueLink(this.deps, reviewId, options);
  }

  /** GET: shows, never decides (mail scanners follow links). */
  page(reviewId: string, credentials: DecisionCredentials): Promise<ReviewPage> {
    return reviewPage(this.deps, reviewId, credentials);
  }

  /** POST: decides once, then hands the decision to the workflow. */
  decide(reviewId: string, credentials: DecisionCredentials, body: unknown): Promise<DecisionView> {
    return decideReview(this.deps, reviewId, credentials, body);
  }

  /** The review page's uploader: an upload link for one of the city's own items (own-evidence.ts). */
  requestOwnEvidenceUpload(
    reviewId: string,
    credentials: DecisionCredentials,
    body: unknown,
    requestId: string,
    options: RequestOptions = {},
  ) {
    return requestOwnEvidenceUpload(this.deps, reviewId, credentials, body, requestId, options);
  }

  /** The review page's uploader: the application's evidence, to follow the verdicts. */
  listOwnEvidence(reviewId: string, credentials: DecisionCredentials, requestId: string) {
    return listOwnEvidence(this.deps, reviewId, credentials, requestId);
  }

  /** The review page's uploader: removes one of the city's own files. */
  removeOwnEvidence(reviewId: string, credentials: DecisionCredentials, evidenceId: string, requestId: string) {
    return removeOwnEvidence(this.deps, reviewId, credentials, evidenceId, requestId);
  }

  /** The signed-in reviewer's pending reviews and, for a province, the ranking. */
  inbox(principal: Principal, query: Record<string, string>) {
    return reviewInbox(this.deps, principal, query);
  }

  /** The county's applicant withdraws: the workflow ends and any quota slot is freed. */
  withdraw(applicationId: string, body: unknown, caller: Caller) {
    return withdrawApplication(this.deps, applicationId, body, caller);
  }

  /** An operator over the application cancels for false information (一经查实，立即取消), with the reason. */
  cancel(applicationId: string, body: unknown, caller: Caller) {
    return cancelApplication(this.deps, applicationId, body, caller);
  }
}
