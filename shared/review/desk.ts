/**
 * The review desk (issue 3): review links, the review page, decisions, the inbox, withdrawal,
 * objections and cancellation.
 *
 * The workflow's RequestReview task calls `open()` with a `.waitForTaskToken` token; the desk
 * stores the token on the review item (never emailed, never in a URL), mints a link secret of
 * which only a keyed hash is stored (HMAC-SHA256 under the link key's current version, with the
 * version; plain SHA-256 without a key), and emails the stage's reviewers the link. A reviewer's POST
 * records the decision once (conditional write) and hands it to the workflow with
 * SendTaskSuccess. Withdrawal and cancellation fail the pending review's task with the
 * workflow's error names, or stop an execution that waits in a Wait state.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Caller, Principal } from '../platform/auth/principal.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { type Campaign, effectiveRules, ONSITE_STATEMENT_ITEM_ID, type TrackRules } from '../rules/campaign.ts';
import { precheckThresholds, type Warning } from '../rules/form.ts';
import { findJurisdiction, isProvincialRank, MIIT_CODE, MIIT_NAME, placeName } from '../rules/jurisdictions.ts';
import { type ScoredCriterion, scoresSchema, weightedCriteria, weightedScore } from '../rules/scoring.ts';
import { REMINDER_RULES } from '../rules/reminders.ts';
import { type ApplicationStatus, ENDED_STATUSES } from '../schemas/common.ts';
import type { ActorRole, ApplicationRecord, AuditEvent, EvidenceRecord } from '../schemas/records.ts';
import {
  CancelBodySchema,
  type DecisionBody,
  DecisionBodySchema,
  InboxQuerySchema,
  ObjectionBodySchema,
  type ObjectionRecord,
  reviewIdOf,
  type ReviewRecord,
  type ReviewStatus,
  WithdrawBodySchema,
} from '../schemas/reviews.ts';
import type { QuotaRequest, Quotas } from '../ports/quotas.ts';
import {
  type DecisionKind,
  type DecisionOutput,
  DecisionOutputSchema,
  type ReviewDesk as ReviewDeskPort,
  type ReviewRequest,
  ReviewRequestSchema,
  WORKFLOW_ERRORS,
} from '../ladder/contract.ts';
import type { CampaignCatalog } from '../intake/campaigns.ts';
import { ConflictError, DomainError, type ErrorDetail, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Clock, Mailer, Records } from '../ports/core.ts';
import {
  type EndStatus,
  type EvidenceDownloads,
  type LinkKeys,
  type ReviewStore,
  type StoredLinkHash,
  type TaskControl,
  TaskGoneError,
} from '../ports/review.ts';
import { reviewReminderEmail } from '../operations/reminder-mail.ts';
import { type ReviewMailInput, reviewRequestEmail } from './mail.ts';
import { retryWrite } from '../platform/retry-write.ts';
import { beijingTime, DECISION_TITLES, STAGE_TITLES } from './page.ts';

// ---- configuration ------------------------------------------------------------------------

/** Evidence download links on the review page live this long (seconds). */
export const DOWNLOAD_URL_TTL_SECONDS = 5 * 60;
/**
 * Optional: where a review link goes when the directory (pk REVIEWERS, sk <code>) names nobody,
 * with `{code}` for the jurisdiction code. Default: reviewers+{code}@<the SENDER_EMAIL domain>.
 */
/** What `decidedBy` says for a decision taken through an emailed link. */
export const LINK_DECIDER = 'review-link';
/** What `decidedBy` says for a decision taken by a signed-in reviewer. */
export const reviewerDecider = (principal: Principal) => `user:${principal.sub}`;


const WORKFLOW_ERROR_OF = {
  WITHDRAWN: WORKFLOW_ERRORS.withdrawn,
  CANCELLED: WORKFLOW_ERRORS.cancelled,
} as const satisfies Record<EndStatus, string> & Partial<Record<ApplicationStatus & ReviewStatus, string>>;

/** How old a decision must be before a repeated POST hands it to the workflow again. */
export const REHANDOVER_AFTER_MS = 30_000;

/** The application's status while a stage reviews it (as the workflow's EnterStage sets it). */
const REVIEW_STATUS_OF_STAGE = {
  city: 'CITY_REVIEW',
  province: 'PROVINCE_REVIEW',
  miit: 'MIIT_REVIEW',
} as const satisfies Record<ReviewRecord['stage'], ApplicationStatus>;

// ---- errors -------------------------------------------------------------------------------

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

/**
 * Who opens or decides a review: the holder of an emailed link (the link is a capability for its
 * one review), or a signed-in reviewer of the jurisdiction whose stage it is.
 */
export type DecisionCredentials =
  | { kind: 'link'; secret: string | undefined }
  | { kind: 'reviewer'; principal: Principal };

/** Who the audit trail names for a reissued link: a signed-in reviewer, or the sweeper. */
export interface DeskActor {
  id: string;
  role: ActorRole;
  /** The jurisdiction the actor acts for, when known. */
  jurisdiction?: string;
  requestId: string;
}

const actorOf = ({ principal, requestId }: Caller): DeskActor => ({
  id: principal.sub,
  role: principal.role,
  jurisdiction: principal.jurisdiction,
  requestId,
});

// ---- views --------------------------------------------------------------------------------

export interface DecisionView {
  reviewId: string;
  applicationId: string;
  stage: ReviewRecord['stage'];
  round: number;
  status: ReviewStatus;
  decision: DecisionKind;
  reason?: string;
  scores?: Record<string, number>;
  weightedScore?: number;
  decidedBy: string;
  decidedAt: string;
}

export interface EvidenceEntry {
  evidenceId: string;
  criterion: string;
  itemTitle: { zh: string; en: string };
  fileName: string;
  size?: number;
  status: EvidenceRecord['status'];
  findings: EvidenceRecord['findings'];
  /** Presigned GET, valid DOWNLOAD_URL_TTL_SECONDS; only for VALID files. */
  downloadUrl?: string;
}

export type ReviewPage =
  | { state: 'forged' }
  | { state: 'gone'; review: ReviewRecord; why: 'deadline' | 'expired' | 'withdrawn' | 'cancelled' }
  | { state: 'decided'; review: ReviewRecord; decision: DecisionView }
  | {
      state: 'open';
      review: ReviewRecord;
      application: ApplicationRecord;
      campaignName: { zh: string; en: string };
      places: { county: string; city?: string; province: string; reviewer: string };
      warnings: Warning[];
      evidence: EvidenceEntry[];
      /** Province stage: the criteria to score, with weights. */
      scoring?: ScoredCriterion[];
      onSiteStatement?: { required: true; present: boolean };
      /** Echoed into the form's hidden field so the POST carries it; absent for a signed-in reviewer. */
      secret?: string;
      downloadTtlSeconds: number;
    };

export interface InboxEntry {
  reviewId: string;
  applicationId: string;
  clusterName: string;
  countyCode: string;
  countyName: string;
  stage: ReviewRecord['stage'];
  round: number;
  campaignId: string;
  track: ReviewRecord['track'];
  deadline: string;
  deadlineBeijing: string;
  overdue: boolean;
  openedAt: string;
}

export interface RankedCandidate {
  rank: number;
  reviewId: string;
  applicationId: string;
  clusterName: string;
  countyCode: string;
  weightedScore: number;
  scores: Record<string, number>;
  decision: DecisionKind;
  decidedAt: string;
}

// ---- helpers ------------------------------------------------------------------------------

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmacSha256 = (key: Uint8Array, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

/**
 * Constant-time comparison of a presented secret with the stored hash, or with each of several
 * (the original link and the reissued ones): every hash is compared, whichever matches.
 * Plain SHA-256 only (reviews stored before keyed hashes); `linkSecretMatches` checks both kinds.
 */
export function secretMatches(secret: string | undefined, secretHashes: string | readonly string[]): boolean {
  if (!secret) return false;
  const presented = sha256(secret);
  let matched = false;
  for (const secretHash of typeof secretHashes === 'string' ? [secretHashes] : secretHashes) {
    if (sameHex(presented, secretHash)) matched = true;
  }
  return matched;
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** Every hash as stored: the original link's and the reissued ones (those may carry `@<key version>`). */
export const linkHashes = (review: Pick<ReviewRecord, 'secretHash' | 'extraSecretHashes'>): string[] => [
  review.secretHash,
  ...(review.extraSecretHashes ?? []),
];

// ---- link secrets: keyed hashes --------------------------------------------------------------

/** Reissued links keep their key version in the same string: `<hash>@<version>` (plain hash: SHA-256). */
const KEY_VERSION_SEPARATOR = '@';

export function encodeLinkHash(hash: StoredLinkHash): string {
  return hash.secretKeyVersion === undefined ? hash.secretHash : `${hash.secretHash}${KEY_VERSION_SEPARATOR}${hash.secretKeyVersion}`;
}

export function decodeLinkHash(stored: string): StoredLinkHash {
  const at = stored.indexOf(KEY_VERSION_SEPARATOR);
  return at < 0 ? { secretHash: stored } : { secretHash: stored.slice(0, at), secretKeyVersion: stored.slice(at + 1) };
}

/** Every hash that opens the review (the original link's and the reissued ones), with its key version. */
export function storedLinkHashes(
  review: Pick<ReviewRecord, 'secretHash' | 'secretKeyVersion' | 'extraSecretHashes'>,
): StoredLinkHash[] {
  return [
    {
      secretHash: review.secretHash,
      ...(review.secretKeyVersion !== undefined && { secretKeyVersion: review.secretKeyVersion }),
    },
    ...(review.extraSecretHashes ?? []).map(decodeLinkHash),
  ];
}

/**
 * What to store for a new link's secret: HMAC-SHA256 under the key's current version, with that
 * version (a copy of the table alone then cannot confirm a guessed link), or plain SHA-256 when
 * the desk has no key.
 */
export async function hashLinkSecret(secret: string, keys: LinkKeys | undefined): Promise<StoredLinkHash> {
  if (!keys) return { secretHash: sha256(secret) };
  const { versionId, key } = await keys.current();
  return { secretHash: hmacSha256(key, secret), secretKeyVersion: versionId };
}

/**
 * Whether `secret` opens any of `hashes`: each keyed hash under the version recorded beside it,
 * each plain one as SHA-256; compared in constant time, every hash compared. A version that no
 * longer exists (or a desk without a key) matches nothing.
 */
export async function linkSecretMatches(
  secret: string | undefined,
  hashes: readonly StoredLinkHash[],
  keys: LinkKeys | undefined,
): Promise<boolean> {
  if (!secret) return false;
  let matched = false;
  for (const hash of hashes) {
    let presented: string | undefined;
    if (hash.secretKeyVersion === undefined) presented = sha256(secret);
    else {
      const key = keys ? await keys.version(hash.secretKeyVersion) : undefined;
      presented = key ? hmacSha256(key.key, secret) : undefined;
    }
    if (presented !== undefined && sameHex(presented, hash.secretHash)) matched = true;
  }
  return matched;
}

export function decisionView(review: ReviewRecord): DecisionView | undefined {
  if (!review.decision || !review.decidedBy || !review.decidedAt) return undefined;
  return {
    reviewId: review.reviewId,
    applicationId: review.applicationId,
    stage: review.stage,
    round: review.round,
    status: review.status,
    decision: review.decision,
    ...(review.reason !== undefined && { reason: review.reason }),
    ...(review.scores !== undefined && { scores: review.scores }),
    ...(review.weightedScore !== undefined && { weightedScore: review.weightedScore }),
    decidedBy: review.decidedBy,
    decidedAt: review.decidedAt,
  };
}

function decisionOutput(review: ReviewRecord): DecisionOutput {
  if (!review.decision || !review.decidedBy || !review.decidedAt) {
    throw new Error(`review ${review.reviewId} has no decision`);
  }
  return DecisionOutputSchema.parse({
    reviewId: review.reviewId,
    decision: review.decision,
    reason: review.reason,
    scores: review.scores,
    decidedBy: review.decidedBy,
    decidedAt: review.decidedAt,
  });
}


/**
 * The quota slots an application takes when its province recommends it to MIIT. The workflow
 * releases with the same request (a later rejection, withdrawal, cancellation or swap), so both
 * sides must build it here. Sub-sector slots are counted per city, or per provincial level
 * where there is no city.
 */
export function quotaRequestFor(application: ApplicationRecord, campaign: Campaign): QuotaRequest {
  const { quota } = effectiveRules(campaign, application.track, application.countyCode);
  const subSectorScope = application.cityCode ?? quota.provincial.jurisdictionCode;
  const subSector = application.subSector.normalize('NFKC').replace(/\s+/g, '').replace(/#/g, '');
  return {
    campaignId: application.campaignId,
    track: application.track,
    applicationId: application.applicationId,
    provincial: quota.provincial,
    ...(quota.city && quota.city.limit !== null
      ? { city: { jurisdictionCode: quota.city.jurisdictionCode, limit: quota.city.limit } }
      : {}),
    ...(quota.perSubSector !== undefined
      ? { subSector: { key: `${subSectorScope}:${subSector}`, limit: quota.perSubSector } }
      : {}),
  };
}

/** The request the workflow sends, plus an execution ARN it may pass along (not in the contract). */
const OpenRequestSchema = ReviewRequestSchema.extend({ executionArn: z.string().min(1).optional() });

// ---- the desk -----------------------------------------------------------------------------

export interface ReviewDeskDeps {
  reviews: ReviewStore;
  records: Pick<Records, 'getApplication' | 'listEvidence' | 'saveApplication'>;
  campaigns: Pick<CampaignCatalog, 'get'>;
  quotas: Quotas;
  tasks: TaskControl;
  mailer: Mailer;
  /** e.g. https://api.example.gov.cn (no trailing slash needed). */
  publicBaseUrl: string;
  /** Address used when the directory names no reviewer; `{code}` is the jurisdiction code. */
  fallbackReviewerEmail: string;
  /** Needed for download links on the review page only. */
  evidence?: EvidenceDownloads;
  clock: Clock;
  newId?: () => string;
  newSecret?: () => string;
  /**
   * The link key: stored hashes are HMAC-SHA256 under its current version, with the version.
   * Without it they are plain SHA-256 (as every review stored before keyed hashes).
   */
  linkKeys?: LinkKeys;
  /** Reissued links kept valid, and the resend cooldown. Default: REMINDER_RULES. */
  links?: { keep: number; resendCooldownMinutes: number };
}

/** Why a link is reissued: the sweeper's reminder, or a resend asked for through the API. */
export interface ReissueOptions {
  reason: 'reminder' | 'resend';
  actor: DeskActor;
}

export interface ReissuedLink {
  reviewId: string;
  /** How many addresses it went to (never the addresses: they stay out of answers and logs). */
  sentTo: number;
  messageId: string;
}

export class ReviewDesk implements ReviewDeskPort {
  private readonly newId: () => string;
  private readonly newSecret: () => string;
  private readonly baseUrl: string;

  constructor(private readonly deps: ReviewDeskDeps) {
    this.newId = deps.newId ?? randomUUID;
    this.newSecret = deps.newSecret ?? newSecret;
    this.baseUrl = deps.publicBaseUrl.replace(/\/+$/, '');
  }

  private now(): Date {
    return this.deps.clock();
  }

  // ---- open (the workflow's RequestReview task) -----------------------------------------

  /**
   * Opens the review of this stage and round, or re-arms it with a retried task's new token.
   * One review and one email per (applicationId, revision, stage, round): a retry sends no second
   * email, unless the first never went out (then a fresh link replaces the unsent one).
   * A retried task whose review was already decided gets the recorded decision at once; one
   * whose application was withdrawn or cancelled fails with the workflow's error.
   */
  async open(input: ReviewRequest): Promise<{ reviewId: string; emailed: boolean }> {
    const request = parseOrThrow(OpenRequestSchema, input, 'request');
    const reviewId = reviewIdOf(request);
    // A late duplicate of an attempt that is over (its invocation outlived the caller's timeout and
    // the state machine retried): its token no longer waits. Opening, re-arming or emailing with it
    // would race the retry and send the decision nowhere.
    if ((await this.deps.tasks.waiting?.(request.taskToken)) === false) return { reviewId, emailed: false };
    const application = await this.deps.records.getApplication(request.applicationId);
    if (!application) throw new NotFoundError(`No application ${request.applicationId}`);
    if (application.status === 'WITHDRAWN' || application.status === 'CANCELLED') {
      await this.deps.tasks.fail(
        request.taskToken,
        WORKFLOW_ERROR_OF[application.status],
        JSON.stringify({ reason: `the application is ${application.status}`, by: 'review-desk' }),
      );
      return { reviewId, emailed: false };
    }

    /** The review this invocation wrote, should the write's answer have been lost. */
    let created: { secret: string; secretHash: string } | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const at = this.now().toISOString();
      const existing = await this.deps.reviews.getReview(reviewId);
      if (!existing) {
        const secret = this.newSecret();
        const hashed = await hashLinkSecret(secret, this.deps.linkKeys);
        created = { secret, secretHash: hashed.secretHash };
        const review: ReviewRecord = {
          reviewId,
          applicationId: request.applicationId,
          revision: request.revision,
          stage: request.stage,
          round: request.round,
          jurisdictionCode: request.jurisdictionCode,
          deadline: request.deadline,
          campaignId: application.campaignId,
          track: application.track,
          countyCode: application.countyCode,
          provincialCode: application.provincialCode,
          ...(application.cityCode !== undefined && { cityCode: application.cityCode }),
          clusterName: application.clusterName,
          status: 'PENDING',
          ...hashed,
          taskToken: request.taskToken,
          ...(request.executionArn !== undefined && { executionArn: request.executionArn }),
          openedAt: at,
          armedAt: at,
          attempts: 1,
          emailedTo: [],
        };
        if (await this.deps.reviews.createReview(review)) {
          return { reviewId, emailed: await this.sendLink(review, secret) };
        }
        continue; // opened concurrently: handle it as a retry
      }

      // The same token: a duplicate of this very invocation opened or re-armed the review, and
      // sends its email (exactly once) — unless the review is the one this invocation wrote.
      if (existing.taskToken === request.taskToken) {
        const mine = created?.secretHash === existing.secretHash ? created : undefined;
        return { reviewId, emailed: mine !== undefined && (await this.sendLink(existing, mine.secret)) };
      }
      const armed: ReviewRecord = {
        ...existing,
        taskToken: request.taskToken,
        armedAt: at,
        attempts: existing.attempts + 1,
        executionArn: request.executionArn ?? existing.executionArn,
      };
      if (existing.status === 'PENDING' || existing.status === 'EXPIRED') {
        // The first email never went out: a new secret, and a link to it.
        const secret = existing.emailedAt ? undefined : this.newSecret();
        const hashed = secret === undefined ? undefined : await hashLinkSecret(secret, this.deps.linkKeys);
        const {
          decision: _d,
          reason: _r,
          scores: _s,
          weightedScore: _w,
          decidedBy: _b,
          decidedAt: _a,
          closedAt: _c,
          closedReason: _cr,
          secretKeyVersion: keptKeyVersion,
          ...open
        } = armed;
        const next: ReviewRecord = {
          ...open,
          status: 'PENDING',
          deadline: request.deadline,
          // A new secret replaces the hash and its key version; otherwise both stay.
          ...(hashed ?? { ...(keptKeyVersion !== undefined && { secretKeyVersion: keptKeyVersion }) }),
        };
        if (!(await this.deps.reviews.replaceReview(existing, next))) continue;
        return { reviewId, emailed: secret !== undefined && (await this.sendLink(next, secret)) };
      }
      if (!(await this.deps.reviews.replaceReview(existing, armed))) continue;
      if (existing.status === 'DECIDED') {
        await this.deps.tasks.succeed(request.taskToken, decisionOutput(existing));
      } else {
        await this.deps.tasks.fail(
          request.taskToken,
          WORKFLOW_ERROR_OF[existing.status],
          JSON.stringify({ reason: existing.closedReason ?? existing.status, by: 'review-desk' }),
        );
      }
      return { reviewId, emailed: false };
    }
    throw new ConflictError('CONCURRENT_CHANGE', `review ${reviewId} kept changing while being opened`);
  }

  /**
   * Who reviews for a jurisdiction: the directory's addresses (pk REVIEWERS), else the fallback
   * address with `{code}` filled in. The sweeper tells the level above through it too.
   */
  async recipients(jurisdictionCode: string): Promise<string[]> {
    const listed = (await this.deps.reviews.reviewers(jurisdictionCode)) ?? [];
    if (listed.length > 0) return listed;
    return [this.deps.fallbackReviewerEmail.replaceAll('{code}', jurisdictionCode)];
  }

  /** What a review's email says: the cluster, its county, the reviewing jurisdiction, the stage, its deadline and the link. */
  private async mailInput(review: ReviewRecord, secret: string): Promise<ReviewMailInput> {
    const campaign = await this.deps.campaigns.get(review.campaignId);
    return {
      clusterName: review.clusterName,
      countyName: placeName(review.countyCode) ?? review.countyCode,
      countyCode: review.countyCode,
      reviewerName: placeName(review.jurisdictionCode) ?? review.jurisdictionCode,
      campaignName: campaign.name,
      stage: review.stage,
      round: review.round,
      deadline: review.deadline,
      link: this.link(review.reviewId, secret),
    };
  }

  private async sendLink(review: ReviewRecord, secret: string): Promise<boolean> {
    const to = await this.recipients(review.jurisdictionCode);
    await this.deps.mailer.send({ to, ...reviewRequestEmail(await this.mailInput(review, secret)) });
    // Retried in place: were it to fail, the task's retry would email a second link.
    await retryWrite(() => this.deps.reviews.markEmailed(review.reviewId, this.now().toISOString(), to));
    return true;
  }

  private link(reviewId: string, secret: string): string {
    return `${this.baseUrl}/v1/reviews/${encodeURIComponent(reviewId)}?t=${encodeURIComponent(secret)}`;
  }

  // ---- reissued links: reminders and resends ---------------------------------------------

  /**
   * POST /v1/reviews/{reviewId}/resend (and the inbox page's button): a fresh link to the
   * jurisdiction's registered reviewer addresses (never to an address in the request), at most
   * once per cooldown, asked for by a reviewer of that jurisdiction. 404 unknown review, 403 another
   * jurisdiction's, 409 not pending, 410 past the deadline, 429 resent a moment ago.
   */
  async resend(reviewId: string, caller: Caller): Promise<{ reviewId: string; sentTo: number }> {
    const review = await this.deps.reviews.getReview(reviewId);
    if (!review) throw new NotFoundError(`No review ${reviewId}`);
    // A review's jurisdiction never changes, so this check holds for the reissue's own reads.
    assertAllowed(may.review(caller.principal, review.jurisdictionCode), 'review', caller.principal);
    const { sentTo } = await this.reissueLink(reviewId, { reason: 'resend', actor: actorOf(caller) });
    return { reviewId, sentTo };
  }

  /**
   * Mints a new secret for a PENDING review, adds its hash beside the earlier ones (every link
   * already sent keeps working; the oldest reissued ones drop out past the cap), writes the
   * LINK_REISSUED audit event in the same transaction, then emails the link to the review's
   * jurisdiction: the reminder text for the sweeper, the review request again for a resend.
   * The hash is stored before the email goes out, so no emailed link is ever unknown.
   */
  async reissueLink(reviewId: string, options: ReissueOptions): Promise<ReissuedLink> {
    const keep = this.deps.links?.keep ?? REMINDER_RULES.maxReissuedLinks;
    const cooldownMs = (this.deps.links?.resendCooldownMinutes ?? REMINDER_RULES.resendCooldownMinutes) * 60_000;
    for (let attempt = 0; attempt < 5; attempt++) {
      const review = await this.deps.reviews.getReview(reviewId);
      if (!review) throw new NotFoundError(`No review ${reviewId}`);
      this.assertReissuable(review, options.reason === 'resend' ? cooldownMs : undefined);
      const now = this.now();
      const at = now.toISOString();
      const to = await this.recipients(review.jurisdictionCode);
      const secret = this.newSecret();
      const stored = await this.deps.reviews.addLinkSecret(review, {
        secretHash: encodeLinkHash(await hashLinkSecret(secret, this.deps.linkKeys)),
        keep,
        audit: {
          applicationId: review.applicationId,
          eventId: this.newId(),
          at,
          action: 'LINK_REISSUED',
          actor: options.actor.id,
          role: options.actor.role,
          jurisdiction: options.actor.jurisdiction ?? review.jurisdictionCode,
          requestId: options.actor.requestId,
          detail: { reviewId, reason: options.reason, stage: review.stage, round: review.round, recipients: to.length },
        },
        ...(options.reason === 'resend' && {
          resend: { at, notSince: new Date(now.getTime() - cooldownMs).toISOString() },
        }),
      });
      if (!stored.added) {
        if (!stored.current) throw new NotFoundError(`No review ${reviewId}`);
        this.assertReissuable(stored.current, options.reason === 'resend' ? cooldownMs : undefined);
        continue; // another link was reissued meanwhile: read again
      }
      const content = await this.mailInput(review, secret);
      const { messageId } = await this.deps.mailer.send({
        to,
        ...(options.reason === 'reminder' ? reviewReminderEmail({ ...content, now: at }) : reviewRequestEmail(content)),
      });
      return { reviewId, sentTo: to.length, messageId };
    }
    throw new ConflictError('CONCURRENT_CHANGE', `review ${reviewId} kept changing while its link was reissued`);
  }

  /** A link is reissued only while the review waits for a decision, and resent once per cooldown. */
  private assertReissuable(review: ReviewRecord, resendCooldownMs: number | undefined): void {
    if (review.status !== 'PENDING') {
      throw new ConflictError('REVIEW_NOT_PENDING', `The review is ${review.status}, not waiting for a decision`, [
        {
          field: 'status',
          code: 'REVIEW_NOT_PENDING',
          message: `该审核不在待审状态（${review.status}） / the review is not pending (${review.status})`,
          status: review.status,
        },
      ]);
    }
    if (this.closedBecause(review) === 'deadline') this.assertDecidable(review);
    if (resendCooldownMs === undefined || !review.lastLinkSentAt) return;
    const waitMs = Date.parse(review.lastLinkSentAt) + resendCooldownMs - this.now().getTime();
    if (waitMs > 0) throw new ResendTooSoonError(Math.ceil(waitMs / 1000));
  }

  // ---- the link: authorize, page, decide ------------------------------------------------

  /**
   * The review, if the credentials open it. A link opens only the review whose hashes it matches,
   * and answers 403 for a review that does not exist too (a guessed id learns nothing). A
   * signed-in reviewer gets 404 for an unknown review and 403 where the stage is not theirs.
   */
  private async authorize(reviewId: string, credentials: DecisionCredentials): Promise<ReviewRecord> {
    const review = await this.deps.reviews.getReview(reviewId);
    if (credentials.kind === 'reviewer') {
      if (!review) throw new NotFoundError(`No review ${reviewId}`);
      assertAllowed(may.decide(credentials.principal, review), 'decide', credentials.principal);
      return review;
    }
    if (!review || !(await linkSecretMatches(credentials.secret, storedLinkHashes(review), this.deps.linkKeys))) {
      throw new ReviewLinkForbiddenError();
    }
    return review;
  }

  /** Why the review takes no decision now, or undefined when it does. */
  private closedBecause(review: ReviewRecord): Extract<ReviewPage, { state: 'gone' }>['why'] | 'decided' | undefined {
    switch (review.status) {
      case 'DECIDED':
        return 'decided';
      case 'EXPIRED':
        return 'expired';
      case 'WITHDRAWN':
        return 'withdrawn';
      case 'CANCELLED':
        return 'cancelled';
      case 'PENDING':
        return this.now().getTime() > Date.parse(review.deadline) ? 'deadline' : undefined;
    }
  }

  private assertDecidable(review: ReviewRecord): void {
    const why = this.closedBecause(review);
    if (why === undefined) return;
    if (why === 'decided') throw alreadyDecided(review);
    if (why === 'deadline') {
      const when = beijingTime(review.deadline);
      throw new ReviewGoneError('DEADLINE_PASSED', `逾期不予受理: the ${review.stage} deadline ${review.deadline} has passed`, [
        {
          field: 'deadline',
          code: 'DEADLINE_PASSED',
          message: `逾期不予受理：截止时间 ${when.zh} 已过 / the deadline (${when.en}) has passed`,
          deadline: review.deadline,
        },
      ]);
    }
    if (why === 'expired') {
      throw new ReviewGoneError('REVIEW_EXPIRED', 'This review is no longer waiting for a decision', [
        { code: 'REVIEW_EXPIRED', message: '该审核已失效 / this review is no longer waiting for a decision' },
      ]);
    }
    throw new ReviewGoneError('REVIEW_CLOSED', `The application was ${why}`, [
      {
        code: 'REVIEW_CLOSED',
        message:
          why === 'withdrawn'
            ? '申报已撤回 / the application was withdrawn'
            : '申报资格已取消 / the application was cancelled',
        ...(review.closedReason !== undefined && { reason: review.closedReason }),
      },
    ]);
  }

  /** GET: shows, never decides (mail scanners follow links). */
  async page(reviewId: string, credentials: DecisionCredentials): Promise<ReviewPage> {
    let review: ReviewRecord;
    try {
      review = await this.authorize(reviewId, credentials);
    } catch (error) {
      if (error instanceof ReviewLinkForbiddenError) return { state: 'forged' };
      throw error;
    }
    const why = this.closedBecause(review);
    if (why === 'decided') {
      const decision = decisionView(review);
      if (decision) return { state: 'decided', review, decision };
    }
    if (why !== undefined && why !== 'decided') return { state: 'gone', review, why };

    const application = await this.deps.records.getApplication(review.applicationId);
    if (!application) throw new NotFoundError(`No application ${review.applicationId}`);
    const campaign = await this.deps.campaigns.get(application.campaignId);
    const rules = effectiveRules(campaign, application.track, application.countyCode);
    const trackRules = campaign.tracks[application.track];
    const evidence = await this.deps.records.listEvidence(application.applicationId);
    const titles = new Map(rules.checklist.map((item) => [item.id, item.title]));
    const entries = await Promise.all(
      evidence
        // An upload request whose file never arrived (or is still being checked) is not evidence.
        .filter((e) => e.status !== 'PENDING')
        .map(async (e): Promise<EvidenceEntry> => ({
          evidenceId: e.evidenceId,
          criterion: e.criterion,
          itemTitle: titles.get(e.criterion) ?? { zh: e.criterion, en: e.criterion },
          fileName: e.fileName,
          ...(e.size !== undefined && { size: e.size }),
          status: e.status,
          findings: e.findings,
          ...(e.status === 'VALID' && this.deps.evidence
            ? {
                downloadUrl: await this.deps.evidence.downloadUrl({
                  key: e.objectKey,
                  fileName: e.fileName,
                  contentType: e.contentType,
                  expiresInSeconds: DOWNLOAD_URL_TTL_SECONDS,
                }),
              }
            : {}),
        })),
    );
    return {
      state: 'open',
      review,
      application,
      campaignName: campaign.name,
      places: {
        county: placeName(application.countyCode) ?? application.countyCode,
        ...(application.cityCode !== undefined && { city: placeName(application.cityCode) }),
        province: placeName(application.provincialCode) ?? application.provincialCode,
        reviewer: placeName(review.jurisdictionCode) ?? review.jurisdictionCode,
      },
      warnings: precheckThresholds(rules.thresholds, application.form),
      evidence: entries,
      ...(review.stage === 'province' && { scoring: weightedCriteria(application.track, trackRules) }),
      ...(review.stage === 'city' &&
        trackRules?.cityRequiresOnSiteStatement && {
          onSiteStatement: { required: true as const, present: hasOnSiteStatement(evidence) },
        }),
      ...(credentials.kind === 'link' && credentials.secret !== undefined && { secret: credentials.secret }),
      downloadTtlSeconds: DOWNLOAD_URL_TTL_SECONDS,
    };
  }

  /**
   * POST: decides once. Order: credentials (403; 404 for a reviewer's unknown review) → state
   * (409 decided, 410 closed or late) → body (400) →
   * the stage's preconditions (on-site statement at the city; quota reserved first at the
   * province) → one conditional write → SendTaskSuccess.
   */
  async decide(reviewId: string, credentials: DecisionCredentials, body: unknown): Promise<DecisionView> {
    const review = await this.authorize(reviewId, credentials);
    if (review.status === 'DECIDED') await this.handOverAgain(review);
    this.assertDecidable(review);
    const input = parseOrThrow(DecisionBodySchema, body ?? {});

    const application = await this.deps.records.getApplication(review.applicationId);
    if (!application) throw new NotFoundError(`No application ${review.applicationId}`);
    const campaign = await this.deps.campaigns.get(application.campaignId);
    const trackRules = campaign.tracks[application.track];
    const scored = this.checkScores(review, application, trackRules, input);

    if (review.stage === 'city' && input.decision === 'approve' && trackRules?.cityRequiresOnSiteStatement) {
      const evidence = await this.deps.records.listEvidence(application.applicationId);
      if (!hasOnSiteStatement(evidence)) {
        throw new ConflictError('ONSITE_STATEMENT_MISSING', 'The city on-site check statement is required before approving', [
          {
            field: `checklist.${ONSITE_STATEMENT_ITEM_ID}`,
            code: 'ONSITE_STATEMENT_MISSING',
            message:
              '同意推荐前须上传经校验有效的现场核查符合性说明 / a valid on-site check statement (现场核查符合性说明) is required before the city approves',
          },
        ]);
      }
    }

    // The quota first: when it is full the decision is refused (409 with the numbers), not recorded.
    let reserved: QuotaRequest | undefined;
    if (review.stage === 'province' && input.decision === 'approve') {
      const quota = quotaRequestFor(application, campaign);
      const result = await this.deps.quotas.reserve(quota);
      if (result.reserved && !result.alreadyHeld) reserved = quota;
    }

    const decidedAt = this.now().toISOString();
    const outcome = await this.deps.reviews
      .recordDecision(review, {
        decision: input.decision,
        ...(input.reason && { reason: input.reason }),
        ...scored,
        decidedBy: credentials.kind === 'reviewer' ? reviewerDecider(credentials.principal) : LINK_DECIDER,
        decidedAt,
      })
      .catch(async (error: unknown) => {
        if (reserved) await this.deps.quotas.release(reserved);
        throw error;
      });
    if (!outcome.recorded) {
      const current = outcome.current;
      // Another request decided (or the review closed) first. Keep the slot only for an approval.
      if (reserved && current?.decision !== 'approve') await this.deps.quotas.release(reserved);
      if (!current) throw new NotFoundError(`No review ${reviewId}`);
      this.assertDecidable(current);
      throw alreadyDecided(current);
    }

    const recorded = outcome.review;
    try {
      await this.deps.tasks.succeed(recorded.taskToken, decisionOutput(recorded));
    } catch (error) {
      if (!(error instanceof TaskGoneError)) throw error;
      // The attempt that opened the review failed after it (its answer lost, or it outlived the
      // caller's timeout) and Step Functions retries the task with a new token; the retry finds the
      // decision recorded and takes it. Not gone, then, while the application still waits here.
      if (await this.awaitsReview(recorded)) return this.viewOf(recorded);
      const marked = await this.deps.reviews.markTaskGone(
        recorded.reviewId,
        recorded.taskToken,
        this.now().toISOString(),
        `decision could not be delivered: ${error.message}`,
      );
      // Not marked: a retried task re-armed the review and took the recorded decision itself.
      if (marked) {
        if (reserved) await this.deps.quotas.release(reserved);
        throw new ReviewGoneError('REVIEW_EXPIRED', 'The review ended before the decision arrived', [
          {
            code: 'REVIEW_EXPIRED',
            message:
              '该审核已结束（已逾期或流程已终止），决定未生效 / the review had ended (deadline passed or workflow stopped); the decision did not take effect',
          },
        ]);
      }
    }
    return this.viewOf(recorded);
  }

  /**
   * A decision recorded by a request that failed before the workflow had it (SendTaskSuccess
   * failed, or the function died in between) would wait for nothing: a repeated POST, once the
   * decision is older than REHANDOVER_AFTER_MS (the first request has long finished), hands it over
   * again. A token works once, so a task that has it already answers TaskGone: nothing changes.
   */
  private async handOverAgain(review: ReviewRecord): Promise<void> {
    if (!(this.now().getTime() - Date.parse(review.decidedAt ?? '') > REHANDOVER_AFTER_MS)) return;
    try {
      await this.deps.tasks.succeed(review.taskToken, decisionOutput(review));
    } catch {
      // Gone (answered, timed out, stopped) or unreachable: the answer stays 409 either way.
    }
  }

  private viewOf(recorded: ReviewRecord): DecisionView {
    const view = decisionView(recorded);
    if (!view) throw new Error(`review ${recorded.reviewId} recorded no decision`);
    return view;
  }

  /** Whether the application still waits for this review: at its stage and round, before its deadline. */
  private async awaitsReview(review: ReviewRecord): Promise<boolean> {
    if (this.now().getTime() > Date.parse(review.deadline)) return false;
    const application = await this.deps.records.getApplication(review.applicationId);
    return (
      application?.status === REVIEW_STATUS_OF_STAGE[review.stage] &&
      application.stage === review.stage &&
      application.round === review.round
    );
  }

  /** Scores: required to approve at the province, allowed there only, one 0..100 per criterion. */
  private checkScores(
    review: ReviewRecord,
    application: ApplicationRecord,
    trackRules: TrackRules | undefined,
    input: DecisionBody,
  ): { scores?: Record<string, number>; weightedScore?: number } {
    if (review.stage !== 'province') {
      if (input.scores !== undefined) {
        throw new ValidationError('Scores are given at the province stage only', [
          { field: 'scores', code: 'NOT_SCORED_HERE', message: '仅省级审核（专家评审）打分 / scores are given at the province stage only' },
        ]);
      }
      return {};
    }
    if (input.scores === undefined) {
      if (input.decision !== 'approve') return {};
      throw new ValidationError('Scores are required to approve at the province stage', [
        {
          field: 'scores',
          code: 'SCORES_REQUIRED',
          message: '省级推荐须对每项标准评分（0–100） / approving at the province stage needs a score (0–100) for every criterion',
        },
      ]);
    }
    const scores = parseOrThrow(scoresSchema(application.track), input.scores, 'scores') as Record<string, number>;
    return { scores, weightedScore: weightedScore(scores, weightedCriteria(application.track, trackRules)) };
  }

  // ---- the inbox ------------------------------------------------------------------------

  /**
   * The signed-in reviewer's pending reviews by deadline and, for a provincial-rank jurisdiction,
   * its scored candidates ranked by weighted score (择优遴选). The jurisdiction is the reviewer's;
   * a `jurisdiction` in the query (as clients sent before sign-in) must name that same one.
   */
  async inbox(principal: Principal, query: Record<string, string>) {
    const q = parseOrThrow(InboxQuerySchema, query, 'query');
    const code = q.jurisdiction ?? principal.jurisdiction;
    assertAllowed(may.review(principal, code), 'review', principal);
    const jurisdiction = code === MIIT_CODE ? undefined : findJurisdiction(code);
    if (code !== MIIT_CODE && !jurisdiction) {
      // Only a reviewer whose own jurisdiction is unknown gets here: the query must name theirs.
      throw new ValidationError(`Unknown jurisdiction ${code}`, [
        { field: 'jurisdiction', code: 'UNKNOWN_JURISDICTION', message: `no jurisdiction has code ${code}` },
      ]);
    }
    const now = this.now().getTime();
    const pending = await this.deps.reviews.listPending(code);
    const reviews: InboxEntry[] = pending
      .sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline))
      .map((review) => ({
        reviewId: review.reviewId,
        applicationId: review.applicationId,
        clusterName: review.clusterName,
        countyCode: review.countyCode,
        countyName: placeName(review.countyCode) ?? review.countyCode,
        stage: review.stage,
        round: review.round,
        campaignId: review.campaignId,
        track: review.track,
        deadline: review.deadline,
        deadlineBeijing: beijingTime(review.deadline).zh,
        overdue: now > Date.parse(review.deadline),
        openedAt: review.openedAt,
      }));
    const provincial = jurisdiction !== undefined && isProvincialRank(jurisdiction.rank);
    return {
      jurisdiction: { code, name: jurisdiction?.name ?? MIIT_NAME },
      status: q.status,
      reviews,
      ...(provincial && { ranking: rank(await this.deps.reviews.listScored(code, q.campaignId)) }),
    };
  }

  // ---- withdrawal, cancellation, objections ---------------------------------------------

  /** The county's applicant withdraws: the workflow ends and any quota slot is freed. */
  async withdraw(applicationId: string, body: unknown, caller: Caller) {
    const application = await this.load(applicationId);
    assertAllowed(may.actAsApplicant(caller.principal, application), 'actAsApplicant', caller.principal);
    const { reason } = parseOrThrow(WithdrawBodySchema, body ?? {});
    return this.end(application, 'WITHDRAWN', reason, caller);
  }

  /** An operator over the application cancels for false information (一经查实，立即取消), with the reason. */
  async cancel(applicationId: string, body: unknown, caller: Caller) {
    const application = await this.load(applicationId);
    assertAllowed(may.operate(caller.principal, application), 'operate', caller.principal);
    const { reason } = parseOrThrow(CancelBodySchema, body ?? {});
    return this.end(application, 'CANCELLED', reason, caller);
  }

  private async end(loaded: ApplicationRecord, to: EndStatus, reason: string | undefined, caller: Caller) {
    const { applicationId } = loaded;
    const error = WORKFLOW_ERROR_OF[to];
    const cause = reason ?? (to === 'WITHDRAWN' ? '申报单位撤回 / withdrawn by the applicant' : 'cancelled');
    // The workflow reads `{ reason, by }` (or plain text) from the failure's cause.
    const failureCause = JSON.stringify({ reason: cause, by: caller.principal.sub });
    let application = loaded;
    assertNotEnded(application);

    // 1. A review is pending: close it (a decision can no longer win) and fail its task; the
    // workflow's Catch records the status, frees the quota and tells the applicant.
    const reviews = await this.deps.reviews.listApplicationReviews(applicationId);
    const pending = reviews.find((review) => review.status === 'PENDING');
    if (pending) {
      const closed = await this.deps.reviews.closeReview(pending.reviewId, to, this.now().toISOString(), cause);
      if (
        closed &&
        (await this.failTask(closed.taskToken, error, failureCause, async () => {
          // Undo, so the review can still be decided and the request be retried.
          const { closedAt: _at, closedReason: _why, ...reopened } = closed;
          await this.deps.reviews.replaceReview(closed, { ...reopened, status: 'PENDING' });
        }))
      ) {
        await this.releaseQuota(application);
        return { applicationId, status: to, reviewId: closed.reviewId, via: 'review-task' as const };
      }
    }

    // 2. Returned, waiting for the resubmission: that task fails the same way.
    const pointers = await this.deps.reviews.workflowPointers(applicationId);
    if (pointers.resubmissionToken && (await this.failTask(pointers.resubmissionToken, error, failureCause))) {
      await this.releaseQuota(application);
      return { applicationId, status: to, via: 'resubmission-task' as const };
    }

    // 3. No task waits: the execution is in a Wait state (public notice, the batch date) or
    // between tasks. Record the status first (conditional on the revision and status read),
    // then stop the execution, then free the slots.
    if (pending || pointers.resubmissionToken) application = await this.load(applicationId);
    assertNotEnded(application);
    const executionArn =
      pointers.executionArn ?? reviews.map((review) => review.executionArn).find((arn) => arn !== undefined);
    const via = executionArn ? ('stop-execution' as const) : ('no-execution' as const);
    const at = this.now().toISOString();
    const ended: ApplicationRecord = {
      ...application,
      status: to,
      revision: application.revision + 1,
      updatedAt: at,
      decisionReason: cause,
      resubmissionToken: undefined,
    };
    await this.deps.records.saveApplication(ended, application, {
      applicationId,
      eventId: this.newId(),
      at,
      action: to,
      ...auditActor(caller),
      fromStatus: application.status,
      toStatus: to,
      reason: cause,
      detail: { via },
    });
    if (executionArn) await this.deps.tasks.stop(executionArn, error, failureCause);
    await this.releaseQuota(application);
    return { applicationId, status: to, via };
  }

  /** Fails a waiting task; false when the task is gone. Other failures run `undo` and throw. */
  private async failTask(taskToken: string, error: string, cause: string, undo?: () => Promise<void>): Promise<boolean> {
    try {
      await this.deps.tasks.fail(taskToken, error, cause);
      return true;
    } catch (failure) {
      if (failure instanceof TaskGoneError) return false;
      await undo?.();
      throw failure;
    }
  }

  /** Frees the application's slots if it holds any (idempotent: exactly once overall). */
  private async releaseQuota(application: ApplicationRecord): Promise<void> {
    const campaign = await this.deps.campaigns.get(application.campaignId);
    await this.deps.quotas.release(quotaRequestFor(application, campaign));
  }

  /** An objection during the public notice (公示), by anyone signed in → 201; the workflow sends it back to MIIT. */
  async object(applicationId: string, body: unknown, caller: Caller): Promise<ObjectionRecord> {
    const application = await this.load(applicationId);
    assertAllowed(may.object(caller.principal), 'object', caller.principal);
    const input = parseOrThrow(ObjectionBodySchema, body ?? {});
    if (application.status !== 'PUBLIC_NOTICE') {
      throw new ConflictError('NOT_IN_PUBLIC_NOTICE', `Objections are taken during the public notice; the application is ${application.status}`, [
        {
          field: 'status',
          code: 'NOT_IN_PUBLIC_NOTICE',
          message: `仅在公示期内受理异议（当前状态 ${application.status}） / objections are taken only during the public notice (status ${application.status})`,
          status: application.status,
        },
      ]);
    }
    const filedAt = this.now().toISOString();
    const objection: ObjectionRecord = {
      objectionId: this.newId(),
      applicationId,
      reason: input.reason,
      ...(input.contact && { contact: input.contact }),
      filedAt,
      resolved: false,
    };
    await this.deps.reviews.fileObjection(objection, {
      applicationId,
      eventId: this.newId(),
      at: filedAt,
      action: 'OBJECTION_FILED',
      ...auditActor(caller),
      reason: input.reason,
      detail: { objectionId: objection.objectionId },
    });
    return objection;
  }

  private async load(applicationId: string): Promise<ApplicationRecord> {
    const application = await this.deps.records.getApplication(applicationId);
    if (!application) throw new NotFoundError(`No application ${applicationId}`);
    return application;
  }
}

/** Who the audit trail names: the signed-in principal, as its token says. */
function auditActor({ principal, requestId }: Caller): Pick<AuditEvent, 'actor' | 'role' | 'jurisdiction' | 'requestId'> {
  return { actor: principal.sub, role: principal.role, jurisdiction: principal.jurisdiction, requestId };
}

function alreadyDecided(review: ReviewRecord): ConflictError {
  const view = decisionView(review);
  const title = view ? DECISION_TITLES[view.decision] : undefined;
  return new ConflictError(
    'ALREADY_DECIDED',
    `This review was already decided${view ? `: ${view.decision} at ${view.decidedAt}` : ''}`,
    [
      {
        field: 'decision',
        code: 'ALREADY_DECIDED',
        message: `已作出决定：${title?.zh ?? ''}（${STAGE_TITLES[review.stage].zh}） / already decided: ${title?.en ?? ''}`,
        ...(view && { decision: view }),
      },
    ],
  );
}

function assertNotEnded(application: ApplicationRecord): void {
  if (!ENDED_STATUSES.has(application.status)) return;
  throw new ConflictError('ALREADY_ENDED', `The application is already ${application.status}`, [
    {
      field: 'status',
      code: 'ALREADY_ENDED',
      message: `申报已终结（${application.status}） / the application has already ended (${application.status})`,
      status: application.status,
    },
  ]);
}

function hasOnSiteStatement(evidence: readonly EvidenceRecord[]): boolean {
  return evidence.some((e) => e.criterion === ONSITE_STATEMENT_ITEM_ID && e.status === 'VALID');
}

/** Latest scored decision per application, best first, per campaign and track. */
export function rank(scored: readonly ReviewRecord[]) {
  const latest = new Map<string, ReviewRecord>();
  for (const review of scored) {
    if (review.weightedScore === undefined || !review.decision || !review.decidedAt) continue;
    const key = `${review.campaignId}#${review.track}#${review.applicationId}`;
    const seen = latest.get(key);
    if (!seen || (seen.decidedAt ?? '') < review.decidedAt) latest.set(key, review);
  }
  const groups = new Map<string, ReviewRecord[]>();
  for (const review of latest.values()) {
    const key = `${review.campaignId}#${review.track}`;
    groups.set(key, [...(groups.get(key) ?? []), review]);
  }
  return [...groups.values()].map((reviews) => {
    const sorted = reviews.sort(
      (a, b) => (b.weightedScore ?? 0) - (a.weightedScore ?? 0) || a.reviewId.localeCompare(b.reviewId),
    );
    const first = sorted[0];
    return {
      campaignId: first?.campaignId ?? '',
      track: first?.track ?? 'recommendation',
      candidates: sorted.map(
        (review, i): RankedCandidate => ({
          rank: i + 1,
          reviewId: review.reviewId,
          applicationId: review.applicationId,
          clusterName: review.clusterName,
          countyCode: review.countyCode,
          weightedScore: review.weightedScore ?? 0,
          scores: review.scores ?? {},
          decision: review.decision ?? 'approve',
          decidedAt: review.decidedAt ?? '',
        }),
      ),
    };
  });
}
