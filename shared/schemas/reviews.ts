import * as z from 'zod';
import { DecisionKindSchema, StageNameSchema, StepRefSchema } from '../ladder/contract.ts';
import { DivisionCodeSchema, IsoDateTimeSchema, Sha256HexSchema, TrackSchema } from './common.ts';
import { FreeText, reasonRequired } from './free-text.ts';

/**
 * The review desk's items and request bodies (review links, decisions, withdrawal, objections,
 * cancellation). Items read back from DynamoDB are parsed with these schemas, never cast; key
 * attributes (pk, sk, gsi*) are derived in shared/adapters/dynamo-reviews/items.ts and stripped.
 */

// ---- ids ----------------------------------------------------------------------------------

/**
 * `<applicationId>.<stage>.<revision>.<round>` for a stage's first step, and
 * `<applicationId>.<stage>.<revision>.<round>.<step>` for a later step of its sequence:
 * deterministic, so a retried RequestReview task finds the review it opened; it names the
 * application, so the review item lives in the application's partition. Knowing it grants
 * nothing: deciding takes the link's secret.
 */
export const REVIEW_ID_PATTERN =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(city|province|miit)\.(\d{1,9})\.(\d{1,9})(?:\.(\d{1,2}))?$/;
export const ReviewIdSchema = z.string().regex(REVIEW_ID_PATTERN, 'not a review id');

export function reviewIdOf(parts: {
  applicationId: string;
  stage: string;
  revision: number;
  round: number;
  step?: { index: number } | undefined;
}): string {
  const base = `${parts.applicationId.toLowerCase()}.${parts.stage}.${parts.revision}.${parts.round}`;
  return parts.step && parts.step.index > 0 ? `${base}.${parts.step.index}` : base;
}

/** The application a review id belongs to, or undefined when it is not a review id. */
export function applicationIdOfReview(reviewId: string): string | undefined {
  return REVIEW_ID_PATTERN.exec(reviewId)?.[1];
}

// ---- items --------------------------------------------------------------------------------

/** A link key version id (Secrets Manager's are UUIDs; the local stand-in's too). */
const LinkKeyVersionSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a key version id');
/** A reissued link's stored hash: 64 hex digits, then `@<key version>` when keyed. */
const StoredLinkHashSchema = z.string().regex(/^[0-9a-f]{64}(?:@[A-Za-z0-9-]{1,64})?$/, 'not a link hash');

/**
 * PENDING: waits for a decision (in the inbox). DECIDED: a decision was recorded and handed to
 * the workflow. EXPIRED: the task is gone, and nothing can decide the review any more: its stage
 * timed out or its execution ended, and the workflow's closing expired it still undecided
 * (closedAt, closedReason 逾期不予受理…; the inbox lists it apart, as lapsed), or a decision was
 * recorded too late and is kept for the record. WITHDRAWN / CANCELLED: closed by the applicant /
 * an operator.
 */
export const REVIEW_STATUSES = ['PENDING', 'DECIDED', 'EXPIRED', 'WITHDRAWN', 'CANCELLED'] as const;
export const ReviewStatusSchema = z.enum(REVIEW_STATUSES);
export type ReviewStatus = z.infer<typeof ReviewStatusSchema>;

export const ReviewRecordSchema = z.object({
  reviewId: ReviewIdSchema,
  applicationId: z.uuid(),
  revision: z.int().nonnegative(),
  stage: StageNameSchema,
  round: z.int().positive(),
  /** The level's declared step this review is (absent: the stage's single review). */
  step: StepRefSchema.optional(),
  /** Who decides: the city, the provincial-rank level, or MIIT (000000). */
  jurisdictionCode: DivisionCodeSchema,
  deadline: IsoDateTimeSchema,
  /** Snapshot of the application when the review opened (the inbox lists without more reads). */
  campaignId: z.string(),
  track: TrackSchema,
  countyCode: DivisionCodeSchema,
  provincialCode: DivisionCodeSchema,
  cityCode: DivisionCodeSchema.optional(),
  clusterName: z.string(),
  status: ReviewStatusSchema,
  /**
   * Hash (hex) of the link's secret; the secret itself is never stored. HMAC-SHA256 under the
   * link key's version `secretKeyVersion`, or plain SHA-256 when that is absent (reviews stored
   * before keyed hashes). See shared/review/links.ts hashLinkSecret.
   */
  secretHash: Sha256HexSchema,
  /** The link key version `secretHash` was made with (a Secrets Manager version id). */
  secretKeyVersion: LinkKeyVersionSchema.optional(),
  /**
   * Hashes of links reissued later (reminders, resends), the most recent last; every one opens
   * the review, as the original does. Capped (REMINDER_RULES.maxReissuedLinks): the oldest go.
   * Each is `<hash>@<key version>` (keyed) or a bare SHA-256 (stored before keyed hashes).
   * Absent on reviews whose link was never reissued (read as none).
   */
  extraSecretHashes: z.array(StoredLinkHashSchema).max(50).optional(),
  /** When a link was last resent on request (POST …/resend): at most one per cooldown. */
  lastLinkSentAt: IsoDateTimeSchema.optional(),
  /** The Step Functions task token: stored here only, never emailed, never in a URL. */
  taskToken: z.string().min(1),
  /** Set when the workflow passes it along with the request (optional; see the report). */
  executionArn: z.string().optional(),
  openedAt: IsoDateTimeSchema,
  /** When the current task token was stored (a retried task re-arms the review). */
  armedAt: IsoDateTimeSchema,
  attempts: z.int().positive(),
  /** When the link went out; absent if sending failed (a retried task then sends a new link). */
  emailedAt: IsoDateTimeSchema.optional(),
  emailedTo: z.array(z.string()).default([]),
  decision: DecisionKindSchema.optional(),
  reason: z.string().optional(),
  scores: z.record(z.string(), z.number()).optional(),
  weightedScore: z.number().optional(),
  /** A formal-check step's points, as the reviewer checked them. */
  checks: z.record(z.string(), z.enum(['pass', 'fail'])).optional(),
  /** A sampling step's answer. */
  sampling: z.object({ sampled: z.boolean(), note: z.string().optional() }).optional(),
  /** The city's "also national" statement, with its approval (DecisionBody.alsoNational). */
  alsoNational: z.boolean().optional(),
  decidedBy: z.string().optional(),
  decidedAt: IsoDateTimeSchema.optional(),
  closedAt: IsoDateTimeSchema.optional(),
  closedReason: z.string().optional(),
});
export type ReviewRecord = z.infer<typeof ReviewRecordSchema>;

/** What the level holding the notice decided about an objection. */
export const OBJECTION_OUTCOMES = ['upheld', 'dismissed'] as const;
export const ObjectionOutcomeSchema = z.enum(OBJECTION_OUTCOMES);
export type ObjectionOutcome = z.infer<typeof ObjectionOutcomeSchema>;

/**
 * An objection during the public notice (公示), addressed to the level that holds the notice. It
 * moves nothing by itself: that level triages it (`resolved` once it has), and only an upheld
 * objection sends the application back to its review when the notice closes (shared/notice/).
 */
export const ObjectionRecordSchema = z.object({
  objectionId: z.uuid(),
  applicationId: z.uuid(),
  reason: z.string(),
  contact: z.string().optional(),
  /** Who objects (the public form asks; absent on objections filed before it did). */
  name: z.string().optional(),
  organisation: z.string().optional(),
  /** The public notice page (no account), or a signed-in person through the API. */
  channel: z.enum(['public', 'signed-in']).optional(),
  /** The level holding the notice: its reviewers (or an operator over it) triage the objection. */
  addressedTo: z.object({ stage: StageNameSchema, jurisdictionCode: DivisionCodeSchema }).optional(),
  filedAt: IsoDateTimeSchema,
  /** Triaged (upheld or dismissed). */
  resolved: z.boolean(),
  resolvedAt: IsoDateTimeSchema.optional(),
  /** Why it was upheld or dismissed, as the objector is told. */
  resolution: z.string().optional(),
  outcome: ObjectionOutcomeSchema.optional(),
  /** Who triaged (the signed-in person's sub). */
  resolvedBy: z.string().optional(),
});
export type ObjectionRecord = z.infer<typeof ObjectionRecordSchema>;

/** Who reviews for a jurisdiction: item pk REVIEWERS, sk <jurisdictionCode>. */
export const ReviewerDirectorySchema = z.object({
  jurisdictionCode: DivisionCodeSchema,
  emails: z.array(z.email()),
});
export type ReviewerDirectoryEntry = z.infer<typeof ReviewerDirectorySchema>;

/**
 * A jurisdiction asked to review with nobody registered to email (item pk REVIEWER_GAPS, sk
 * <jurisdictionCode>): no email goes to a guessed address; the ops console warns, an alarm fires,
 * and the review waits. Registering the jurisdiction's reviewers removes it.
 */
export const ReviewerGapSchema = z.object({
  jurisdictionCode: DivisionCodeSchema,
  firstSeenAt: IsoDateTimeSchema,
  lastSeenAt: IsoDateTimeSchema,
  /** The last review that found nobody, if a review did (an escalation may too). */
  reviewId: z.string().min(1).optional(),
});
export type ReviewerGap = z.infer<typeof ReviewerGapSchema>;

// ---- request bodies -----------------------------------------------------------------------

/** One point of a formal check (形式审查). */
export const CheckResultSchema = z.enum(['pass', 'fail']);

/** A sampling step's answer (实地抽查): sampled or not; the record itself is the level's document. */
export const SamplingAnswerSchema = z.strictObject({
  sampled: z.boolean(),
  note: FreeText(1000).optional(),
});

export const REASON_REQUIRED_MESSAGE =
  '未通过的，需说明原因：退回或不予推荐必须填写原因 / a reason is required to return or reject';

export const DecisionBodySchema = z
  .strictObject({
    /** The link's secret, when it is not in the query string. */
    t: z.string().max(256).optional(),
    decision: DecisionKindSchema,
    reason: FreeText(2000).optional(),
    /** Scores at a province's review step (optional); checked against the track's criteria. */
    scores: z.record(z.string(), z.unknown()).optional(),
    /** A formal-check step: each point of the step, pass or fail. */
    checks: z.record(z.string(), CheckResultSchema).optional(),
    /** A sampling step: whether this application was sampled on site, with a note. */
    sampling: SamplingAnswerSchema.optional(),
    /**
     * The city's statement where the province asks for it (cityStatesAlsoNational, Jilin): this
     * provincial candidate is also recommended for national status. Required to approve there;
     * ignored elsewhere.
     */
    alsoNational: z.boolean().optional(),
    /**
     * The province sends this national candidate on without recognising it provincially: the
     * exception where national applicants are recognised provincially first (Shanxi). Needs the
     * decision's `reason`.
     */
    nationalException: z.boolean().optional(),
  })
  .superRefine(reasonRequired((body) => body.decision !== 'approve', REASON_REQUIRED_MESSAGE));
export type DecisionBody = z.infer<typeof DecisionBodySchema>;

export const WithdrawBodySchema = z.strictObject({ reason: FreeText(2000).optional() });
export type WithdrawBody = z.infer<typeof WithdrawBodySchema>;

export const CancelBodySchema = z.strictObject({
  reason: FreeText(2000).pipe(
    z.string().min(1, '一经查实，立即取消：取消须写明原因 / a cancellation needs its reason'),
  ),
});
export type CancelBody = z.infer<typeof CancelBodySchema>;

export const OBJECTION_REASON_REQUIRED = '异议须说明理由 / an objection needs its grounds';

/** POST /v1/applications/{id}/objections (signed in): the grounds, and optionally who and how to reach them. */
export const ObjectionBodySchema = z.strictObject({
  reason: FreeText(5000).pipe(z.string().min(1, OBJECTION_REASON_REQUIRED)),
  contact: FreeText(200).optional(),
  name: FreeText(100).optional(),
  organisation: FreeText(200).optional(),
});
export type ObjectionBody = z.infer<typeof ObjectionBodySchema>;

/**
 * The public notice page's form (no account): who objects, how to reach them (an email address
 * is told the outcome), and the grounds. The organisation is optional: a person may object alone.
 */
export const PublicObjectionBodySchema = z.strictObject({
  name: FreeText(100).pipe(z.string().min(1, '请填写姓名 / your name is required')),
  organisation: FreeText(200).optional(),
  contact: FreeText(200).pipe(z.string().min(1, '请填写联系方式 / a way to reach you is required')),
  reason: FreeText(5000).pipe(z.string().min(1, OBJECTION_REASON_REQUIRED)),
});
export type PublicObjectionBody = z.infer<typeof PublicObjectionBodySchema>;

export const DISMISSAL_REASON_REQUIRED = '不予采纳须说明理由 / a dismissal needs its reason';

/** The level holding the notice decides an objection: upheld, or dismissed with a reason. */
export const TriageBodySchema = z
  .strictObject({
    outcome: ObjectionOutcomeSchema,
    reason: FreeText(2000).optional(),
  })
  .superRefine(reasonRequired((body) => body.outcome === 'dismissed', DISMISSAL_REASON_REQUIRED));
export type TriageBody = z.infer<typeof TriageBodySchema>;

export const ObjectionIdParamSchema = z.strictObject({ objectionId: z.uuid('not a receipt number') });

export const InboxQuerySchema = z.object({
  status: z.literal('PENDING').default('PENDING'),
  /**
   * The inbox is the signed-in reviewer's own jurisdiction's. Optional: clients written before
   * sign-in send it, and it must then be that same jurisdiction (else 403).
   */
  jurisdiction: DivisionCodeSchema.optional(),
  /**
   * Limits the province's ranking, and the lapsed reviews, to one campaign (then all of its lapsed
   * reviews, however old; without it, the last 180 days' of every campaign).
   */
  campaignId: z.string().min(1).max(64).optional(),
});
export type InboxQuery = z.infer<typeof InboxQuerySchema>;

export const ReviewIdParamSchema = z.strictObject({ reviewId: z.string() });
