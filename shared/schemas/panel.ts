/**
 * The expert panel's items and request bodies (专家评审). Items read back from DynamoDB are parsed
 * with these schemas, never cast; key attributes are derived in shared/adapters/dynamo-panel.ts (the panel: shared/review/panel/).
 *
 * A panel belongs to one review (an `expert-panel` step of a level): the level seats experts from
 * its directory, each seat gets its own emailed link, the expert declares (no conflict, or
 * recuses), then scores once; the level closes the panel when enough have scored.
 */
import * as z from 'zod';
import { DivisionCodeSchema, IsoDateTimeSchema, Sha256HexSchema, TrackSchema } from './common.ts';
import { FreeText, reasonRequired } from './free-text.ts';
import { ReviewIdSchema } from './reviews.ts';

// ---- the experts' directory ----------------------------------------------------------------

/** One expert a level may seat: their address, name and where they come from (for 回避). */
export const ExpertSchema = z.object({
  email: z.email(),
  name: z.string().trim().min(1).max(100),
  /** The expert's own county (GB/T 2260), when they belong to one. */
  countyCode: DivisionCodeSchema.optional(),
  /** The expert's own city, when they belong to one. */
  cityCode: DivisionCodeSchema.optional(),
  /** e.g. 高校 / 研究院 / 行业协会: shown to the level when choosing. */
  affiliation: z.string().max(200).optional(),
});
export type Expert = z.infer<typeof ExpertSchema>;

/** The experts of a level (a province, a city, MIIT): item pk EXPERTS, sk <jurisdictionCode>. */
export const ExpertDirectorySchema = z.object({
  jurisdictionCode: DivisionCodeSchema,
  experts: z.array(ExpertSchema).max(500),
});
export type ExpertDirectoryEntry = z.infer<typeof ExpertDirectorySchema>;

// ---- the panel and its seats ---------------------------------------------------------------

export const AGGREGATE_METHODS = ['mean', 'trimmed-mean'] as const;
export const AggregateMethodSchema = z.enum(AGGREGATE_METHODS);
export type AggregateMethod = z.infer<typeof AggregateMethodSchema>;

export const PANEL_STATUSES = ['OPEN', 'CLOSED'] as const;

/** The panel of one review: its rule (from the step's config) and, once closed, its aggregate. */
export const PanelRecordSchema = z.object({
  reviewId: ReviewIdSchema,
  applicationId: z.uuid(),
  /** The level whose step it is. */
  jurisdictionCode: DivisionCodeSchema,
  campaignId: z.string(),
  track: TrackSchema,
  countyCode: DivisionCodeSchema,
  cityCode: DivisionCodeSchema.optional(),
  clusterName: z.string(),
  minExperts: z.int().min(3),
  method: AggregateMethodSchema,
  status: z.enum(PANEL_STATUSES),
  openedAt: IsoDateTimeSchema,
  openedBy: z.string(),
  aggregate: z.number().optional(),
  closedAt: IsoDateTimeSchema.optional(),
  closedBy: z.string().optional(),
});
export type PanelRecord = z.infer<typeof PanelRecordSchema>;

/**
 * ASSIGNED: the link went out. DECLARED: no conflict declared, the material is open to them.
 * RECUSED: they stepped aside (with a reason); the seat does not count. SCORED: their scores are
 * in (once). REPLACED: the level gave the seat to another expert (a recusal, or late).
 */
export const SEAT_STATES = ['ASSIGNED', 'DECLARED', 'RECUSED', 'SCORED', 'REPLACED'] as const;
export const SeatStateSchema = z.enum(SEAT_STATES);
export type SeatState = z.infer<typeof SeatStateSchema>;

export const SeatRecordSchema = z.object({
  reviewId: ReviewIdSchema,
  applicationId: z.uuid(),
  seatId: z.uuid(),
  expert: ExpertSchema,
  state: SeatStateSchema,
  /** Hash of the seat link's secret (see shared/review/links.ts hashLinkSecret); never the secret. */
  secretHash: Sha256HexSchema,
  secretKeyVersion: z.string().optional(),
  assignedAt: IsoDateTimeSchema,
  assignedBy: z.string(),
  /** The seat this one took over, if it is a replacement. */
  replaces: z.uuid().optional(),
  declaredAt: IsoDateTimeSchema.optional(),
  recusedAt: IsoDateTimeSchema.optional(),
  recusalReason: z.string().optional(),
  scores: z.record(z.string(), z.number()).optional(),
  total: z.number().optional(),
  scoredAt: IsoDateTimeSchema.optional(),
  replacedAt: IsoDateTimeSchema.optional(),
  replacedBy: z.uuid().optional(),
});
export type SeatRecord = z.infer<typeof SeatRecordSchema>;

// ---- request bodies ------------------------------------------------------------------------

/** The link's secret, when it is not in the query string (the page's forms post it). */
const LinkSecret = z.string().max(256).optional();
const lang = z.enum(['zh', 'en']).optional();

/**
 * The level seats experts: `experts` are addresses from its directory. Without `replaces`, the
 * panel must reach `minExperts` counted seats; with it, one expert takes over that seat.
 */
export const AssignBodySchema = z
  .strictObject({
    t: LinkSecret,
    experts: z.array(z.email()).min(1, 'name at least one expert').max(15),
    replaces: z.uuid().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.replaces !== undefined && body.experts.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['experts'],
        message: '一个席位由一位专家替换 / one expert replaces one seat',
      });
    }
    body.experts.forEach((email, i) => {
      if (body.experts.indexOf(email) !== i)
        ctx.addIssue({ code: 'custom', path: ['experts', i], message: `${email} 重复 / named twice` });
    });
  });
export type AssignBody = z.infer<typeof AssignBodySchema>;

export const RECUSAL_REASON_REQUIRED = '回避须说明原因 / a recusal needs its reason';
export const DECLARATION_REQUIRED =
  '须确认与申报集群无利害关系 / confirm that you have no conflict of interest, or recuse';

/** The expert's declaration: no conflict of interest (all three confirmed), or a recusal with its reason. */
export const DeclarationBodySchema = z
  .strictObject({
    t: LinkSecret,
    lang,
    declaration: z.enum(['no-conflict', 'recuse']),
    /** Each confirms one point of 回避 (a checkbox on the page sends "yes"). */
    notFromCounty: z.enum(['yes']).optional(),
    notFromCity: z.enum(['yes']).optional(),
    noStake: z.enum(['yes']).optional(),
    reason: FreeText(2000).optional(),
  })
  .superRefine(reasonRequired((body) => body.declaration === 'recuse', RECUSAL_REASON_REQUIRED))
  .superRefine((body, ctx) => {
    if (body.declaration === 'no-conflict')
      for (const point of ['notFromCounty', 'notFromCity', 'noStake'] as const)
        if (body[point] !== 'yes') ctx.addIssue({ code: 'custom', path: [point], message: DECLARATION_REQUIRED });
  });
export type DeclarationBody = z.infer<typeof DeclarationBodySchema>;

/** The expert's scores: checked against the track's criteria (shared/rules/scoring.ts scoresSchema). */
export const ScoreBodySchema = z.strictObject({
  t: LinkSecret,
  lang,
  scores: z.record(z.string(), z.unknown()),
});

/** Closing is final (the aggregate is fixed, late experts are shut out): the request says so. */
const CLOSE_CONFIRMED = '结束评审须确认 / closing the panel must be confirmed: confirm: true';
export const CloseBodySchema = z.strictObject({ t: LinkSecret, confirm: z.literal(true, CLOSE_CONFIRMED) });

// ---- the level's console page (shared/review/panel/console-page.ts) --------------------------

/** The panel page's query: `done` is set by its forms' redirects. */
export const PanelPageQuerySchema = z.object({
  done: z.enum(['seated', 'replaced', 'closed']).optional(),
});

/** The panel page's close form: CloseBodySchema, whose checkbox may send `confirm=true` as text. */
export const PanelCloseFormSchema = CloseBodySchema.extend({
  confirm: z.union([z.literal(true), z.literal('true')], CLOSE_CONFIRMED),
});

export const SeatPathSchema = z.strictObject({ reviewId: z.string(), seatId: z.uuid('not a seat id') });

// ---- answers (the OpenAPI document's; the desk's return values) -----------------------------

const SeatViewSchema = z.object({
  seatId: z.uuid(),
  expert: z.object({ email: z.email(), name: z.string(), affiliation: z.string().optional() }),
  state: SeatStateSchema,
  assignedAt: IsoDateTimeSchema,
  waiting: z.boolean().describe('a counted seat still owing its scores (late or missing), since assignedAt'),
  replaces: z.uuid().optional(),
  declaredAt: IsoDateTimeSchema.optional(),
  recusedAt: IsoDateTimeSchema.optional(),
  recusalReason: z.string().optional(),
  scoredAt: IsoDateTimeSchema.optional(),
  replacedBy: z.uuid().optional(),
  total: z.number().optional().describe('only once the panel is closed'),
  scores: z.record(z.string(), z.number()).optional().describe('only once the panel is closed'),
});

export const PanelViewSchema = z.object({
  reviewId: z.string(),
  applicationId: z.uuid(),
  clusterName: z.string(),
  jurisdictionCode: DivisionCodeSchema,
  track: TrackSchema,
  deadline: IsoDateTimeSchema.describe('the step’s deadline: seating, replacing and closing end then'),
  minExperts: z.int(),
  method: AggregateMethodSchema,
  status: z.enum([...PANEL_STATUSES, 'NOT_OPENED']),
  aggregate: z.number().optional(),
  closable: z.boolean(),
  scored: z.int(),
  seats: z.array(SeatViewSchema),
  experts: z.array(
    z.object({
      email: z.email(),
      name: z.string(),
      affiliation: z.string().optional(),
      conflict: z.enum(['county', 'city']).nullable().describe('回避: why this expert may not sit'),
      seated: z.boolean(),
    }),
  ),
});

export const PanelSeatedSchema = z.object({
  reviewId: z.string(),
  seated: z.array(z.object({ seatId: z.uuid(), expert: z.email(), assignedAt: IsoDateTimeSchema })),
  replaced: z.uuid().optional(),
});

export const PanelClosedSchema = z.object({
  reviewId: z.string(),
  status: z.literal('CLOSED'),
  method: AggregateMethodSchema,
  aggregate: z.number(),
  scored: z.int(),
});

export const SeatChangedSchema = z.object({
  reviewId: z.string(),
  seatId: z.uuid(),
  state: SeatStateSchema,
  at: IsoDateTimeSchema,
  total: z.number().optional(),
  scores: z.record(z.string(), z.number()).optional(),
});
