/**
 * A campaign: one year's call on one or more tracks (recommendation, re-review, typical cases),
 * with its calendar, quotas, evidence checklists, thresholds and provincial overlays.
 *
 * An operator adds a campaign through `POST /v1/campaigns` without a code change, so this zod
 * schema is the single source of truth: it validates a whole definition and every error names
 * its field (`calendar.city`, `tracks.recommendation.checklist.3.id`, `overlays.0.provinceCode`).
 */
import * as z from 'zod';
import { ValidationError } from '../platform/errors.ts';
import {
  BilingualSchema,
  DivisionCodeSchema,
  FileTypeSchema,
  IsoDateTimeSchema,
  TrackSchema,
} from '../schemas/common.ts';
import {
  checkOrder,
  DEADLINE_DESCRIPTIONS,
  DEFAULT_MIIT_WINDOW_DAYS,
  type DeadlineDates,
  type DeadlineName,
  filledDeadlines,
  leavesMiitWindow,
  legacyMiitDeadline,
  stripUndefined,
} from './calendar.ts';
import { CRITERIA, CriterionSchema, TYPICAL_CASE_ASPECTS, TypicalCaseAspectSchema } from './criteria.ts';
import { findJurisdiction, isProvincialRank, PROVINCIAL_RANKS, type ProvincialRank } from './jurisdictions.ts';
import { provinceStepsProblem, ProvincialRecognitionSchema } from './provincial-recognition.ts';
import { RegisterLevelSchema } from '../register/entry.ts';
import { LevelStepsSchema, SINGLE_REVIEW } from './steps.ts';
import { FormAdditionSchema } from './form-additions.ts';
import { SenderSchema, senderProblems } from './senders.ts';
import { SubSectorListSchema } from './sub-sectors.ts';

export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'a slug: 3 to 64 characters of a-z, 0-9 and "-", not starting with "-"');

/** Largest campaign definition stored (one DynamoDB item, whose limit is 400 KB). */
const MAX_CAMPAIGN_BYTES = 300_000;

/** Largest single evidence file a checklist may allow (a presigned POST can carry up to 5 GiB). */
const MAX_EVIDENCE_BYTES = 5 * 1024 ** 3;

export const ChecklistItemSchema = z.object({
  id: SlugSchema.describe('stable id of the item; evidence uploads name it'),
  criterion: CriterionSchema.optional().describe('the Interim Measures criterion this item evidences'),
  aspect: TypicalCaseAspectSchema.optional().describe('the typical-case aspect this item evidences'),
  title: BilingualSchema,
  description: BilingualSchema.optional(),
  required: z.boolean(),
  fileTypes: z
    .array(FileTypeSchema)
    .min(1, 'at least one file type')
    .refine((types) => new Set(types).size === types.length, 'file types must not repeat'),
  maxBytes: z.int().positive().max(MAX_EVIDENCE_BYTES).describe('largest accepted file, in bytes'),
  maxFiles: z.int().min(1).max(50).default(5).describe('how many files this item accepts'),
  uploadedBy: z
    .enum(['county', 'city'])
    .default('county')
    .describe(
      'who uploads it: the county with its application, or the city during its review (the on-site check statement)',
    ),
});
export type ChecklistItem = z.infer<typeof ChecklistItemSchema>;
export type ChecklistItemInput = z.input<typeof ChecklistItemSchema>;

const ShareSchema = z.number().min(0).max(1);

/*
 * The notices give no numeric thresholds (DOMAIN.md): a campaign may set figures as warnings, each
 * set naming its source, and ships none by default. A threshold not set is not checked.
 */
const ThresholdValuesSchema = z.object({
  minAnnualOutput: z
    .number()
    .nonnegative()
    .optional()
    .describe('minimum cluster output in each of the last three years, in 亿元 (100 million yuan)'),
  minSmeOutputShare: ShareSchema.optional().describe("minimum SMEs' share of the cluster's output, 0..1"),
  minLeadingIndustryShare: ShareSchema.optional().describe(
    "minimum leading industry's share of the cluster's output, 0..1",
  ),
  minAverageGrowth: z
    .number()
    .min(-1)
    .max(10)
    .optional()
    .describe('minimum average yearly output growth, e.g. 0.10 for 10 %'),
  maxAreaKm2: z.number().positive().optional().describe('maximum area of the cluster, in km²'),
});

export const ThresholdsSchema = ThresholdValuesSchema.extend({
  source: z
    .string()
    .trim()
    .min(1, 'name where these figures come from')
    .max(300)
    .describe('where the figures come from (a document, with its number or date): warnings name it'),
  western: ThresholdValuesSchema.optional().describe(
    'relaxed values for the western region, only where the source gives them; unset fields keep the value above',
  ),
});
export type Thresholds = z.infer<typeof ThresholdsSchema>;

/** Duplicates in `items` by `key`: [index, first index with the same key]. */
function duplicateIndexes<T>(items: readonly T[], key: (item: T) => string): [number, number][] {
  const seen = new Map<string, number>();
  const duplicates: [number, number][] = [];
  items.forEach((item, index) => {
    const first = seen.get(key(item));
    if (first === undefined) seen.set(key(item), index);
    else duplicates.push([index, first]);
  });
  return duplicates;
}

const ChecklistSchema = z.array(ChecklistItemSchema).superRefine((items, ctx) => {
  for (const [index, first] of duplicateIndexes(items, (item) => item.id)) {
    ctx.addIssue({
      code: 'custom',
      path: [index, 'id'],
      message: `duplicate checklist id "${items[index]?.id}" (already used by item ${first})`,
    });
  }
});

/**
 * The checklist item that carries the city's on-site check statement (现场核查符合性说明): listed
 * where a level declares the onsite-statement step (Shanxi's overlay), whose approval needs a
 * VALID file for it.
 */
export const ONSITE_STATEMENT_ITEM_ID = 'onsite-check-statement';

/** What the province's expert scores may weigh: the eight criteria and the typical-case aspects. */
const ScoringKeySchema = z.enum([...new Set([...CRITERIA, ...TYPICAL_CASE_ASPECTS])] as [string, ...string[]]);

export const TrackRulesSchema = z.object({
  checklist: ChecklistSchema.min(1, 'a track needs at least one checklist item'),
  thresholds: ThresholdsSchema.optional(),
  quota: z.boolean().default(true).describe('whether the campaign quotas apply to this track (typical cases: false)'),
  scoringWeights: z
    .partialRecord(ScoringKeySchema, z.number().positive().max(100))
    .optional()
    .describe(
      "relative weight of each criterion in the province's weighted expert score; a criterion not named weighs 1 (equal weights by default)",
    ),
  cohort: z
    .object({
      level: RegisterLevelSchema.describe('the list the cohort was recognised on'),
      year: z.int().min(2000).max(2100).describe('the year of that list'),
    })
    .optional()
    .describe(
      'the register cohort this track re-examines (a re-review: the 2022 national cohort in 2025); only its standing members may file',
    ),
  // `cityRequiresOnSiteStatement`, which stored campaigns may still carry, is read no more (and
  // dropped when parsed): the onsite-statement step (shared/rules/steps.ts) replaced it.
});
export type TrackRules = z.infer<typeof TrackRulesSchema>;

export const CalendarSchema = z.object({
  submission: IsoDateTimeSchema.optional().describe(DEADLINE_DESCRIPTIONS.submission),
  city: IsoDateTimeSchema.optional().describe(DEADLINE_DESCRIPTIONS.city),
  province: IsoDateTimeSchema.describe(DEADLINE_DESCRIPTIONS.province),
  miit: z.iso
    .datetime({
      offset: true,
      error: (issue) =>
        issue.input === undefined
          ? "required: MIIT's own review deadline, after the provinces' deadline (calendar.province)"
          : undefined,
    })
    .describe(`${DEADLINE_DESCRIPTIONS.miit}; at least calendar.miitWindowDays after calendar.province`),
  miitWindowDays: z
    .int()
    .min(1)
    .max(365)
    .default(DEFAULT_MIIT_WINDOW_DAYS)
    .describe(
      `the least time MIIT's review window may be, in whole days from calendar.province to calendar.miit (default ${DEFAULT_MIIT_WINDOW_DAYS})`,
    ),
  // Stored by campaigns defined before a public notice became a step a campaign places
  // (shared/rules/steps.ts): still parsed, never defaulted.
  noticeDays: z.int().min(0).max(60).optional().describe('deprecated: a public notice is a step with its own period'),
  validityYears: z.int().min(1).max(10).default(3).describe('years a recognition stays valid'),
});

const QuotaLimitSchema = z.int().nonnegative().nullable().describe('most recommendations to MIIT; null: no cap');

export const QuotasSchema = z.object({
  byRank: z.object({
    province: QuotaLimitSchema,
    municipality: QuotaLimitSchema,
    'planned-city': QuotaLimitSchema,
    xpcc: QuotaLimitSchema,
  } satisfies Record<ProvincialRank, typeof QuotaLimitSchema>),
});

export const MilestoneSchema = z.object({
  id: SlugSchema,
  date: IsoDateTimeSchema,
  title: BilingualSchema,
});

export const ProvinceOverlaySchema = z.object({
  provinceCode: DivisionCodeSchema.describe(
    'the provincial-rank jurisdiction (province, municipality, planned city, XPCC)',
  ),
  name: BilingualSchema,
  notice: z.string().min(1).max(200).optional().describe("the province's own notice"),
  calendar: z
    .object({
      submission: IsoDateTimeSchema.optional(),
      city: IsoDateTimeSchema.optional(),
      province: IsoDateTimeSchema.optional(),
    })
    .optional()
    .describe('province-internal deadlines; each no later than the national one'),
  milestones: z.array(MilestoneSchema).default([]).describe('dated steps that are not stage deadlines'),
  cityQuota: z.int().nonnegative().optional().describe('most recommendations each city sends to the province'),
  perSubSectorQuota: z
    .int()
    .positive()
    .optional()
    .describe('most recommendations per sub-sector from each city (or the province stage where there is no city)'),
  // Stored by campaigns defined before the city's statement replaced it: still parsed, read by nothing.
  alsoProvincial: z.boolean().optional().describe('deprecated and ignored: see cityStatesAlsoNational'),
  cityStatesAlsoNational: z
    .boolean()
    .default(false)
    .describe(
      "the city's approval states, for each provincial candidate, whether it is also recommended for national status (Jilin: one pass for both)",
    ),
  checklistAdditions: z
    .array(ChecklistItemSchema)
    .default([])
    .describe("items the province adds to every track's checklist"),
  steps: LevelStepsSchema.optional().describe(
    "the steps this province's levels run, replacing the campaign's (the national call's) for each level it names",
  ),
  cityTables: z
    .boolean()
    .default(false)
    .describe(
      'the province asks each city for its own summary table (推荐汇总表 per city): GET /v1/exports/{campaignId}/summary.xlsx?jurisdiction=<city code> is served for its cities',
    ),
  senders: z
    .array(SenderSchema)
    .default([])
    .describe(
      'jurisdictions the notice addresses outside the usual tree: sending to the province directly, or as a city',
    ),
  subSectors: SubSectorListSchema.optional().describe(
    "the sub-sectors this province's counties pick from (replaces the campaign's list); free text is refused",
  ),
  provincialRecognition: ProvincialRecognitionSchema.optional().describe(
    'the province recognises its own list (省级认定) and sends on to MIIT only its national candidates (shared/rules/provincial-recognition.ts)',
  ),
  formAdditions: z
    .array(FormAdditionSchema)
    .default([])
    .refine((additions) => new Set(additions.map((a) => a.id)).size === additions.length, 'each id once')
    .describe(
      "fields the province adds to its counties' application form (form.provincial.<id>; shared/rules/form-additions.ts)",
    ),
});
export type ProvinceOverlay = z.infer<typeof ProvinceOverlaySchema>;
export type ProvinceOverlayInput = z.input<typeof ProvinceOverlaySchema>;

/**
 * How many evidence upload requests an application may make, in all and per checklist item
 * (refused, replaced and removed ones count too): a bound on what one applicant can make the
 * pipeline store and check. A campaign may set its own; DEFAULT_EVIDENCE_LIMITS otherwise.
 */
export const EvidenceLimitsSchema = z.object({
  perApplication: z.int().min(1).max(2000).describe('most evidence upload requests per application'),
  perItem: z.int().min(1).max(500).describe('most evidence upload requests per checklist item of an application'),
});
export type EvidenceLimits = z.infer<typeof EvidenceLimitsSchema>;

export const DEFAULT_EVIDENCE_LIMITS: EvidenceLimits = { perApplication: 200, perItem: 30 };

export const CampaignSchema = z
  .object({
    campaignId: SlugSchema,
    name: BilingualSchema,
    year: z.int().min(2000).max(2100),
    notice: z.string().min(1).max(200).describe('the document number of the call, e.g. 工信厅企业函〔2025〕77号'),
    opensAt: IsoDateTimeSchema.describe('from when applications can be drafted'),
    calendar: CalendarSchema,
    tracks: z
      .partialRecord(TrackSchema, TrackRulesSchema)
      .refine((tracks) => Object.keys(tracks).length > 0, 'a campaign needs at least one track'),
    quotas: QuotasSchema,
    steps: LevelStepsSchema.default({}).describe(
      "the national call's steps per level (the default for every province); a level not named runs one review",
    ),
    overlays: z.array(ProvinceOverlaySchema).default([]),
    subSectors: SubSectorListSchema.optional().describe(
      'the sub-sectors counties pick from, where no overlay gives its own; without a list the sub-sector is free text',
    ),
    evidenceLimits: EvidenceLimitsSchema.optional().describe(
      `upload requests per application and per item; default ${DEFAULT_EVIDENCE_LIMITS.perApplication} and ${DEFAULT_EVIDENCE_LIMITS.perItem}`,
    ),
  })
  .superRefine((campaign, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });

    // One stored item: DynamoDB refuses items over 400 KB; keep well clear of it.
    const bytes = Buffer.byteLength(JSON.stringify(campaign));
    if (bytes > MAX_CAMPAIGN_BYTES) {
      issue([], `the whole definition is ${bytes} bytes; at most ${MAX_CAMPAIGN_BYTES} are stored`);
    }

    let nationalOrderValid = true;
    checkOrder(campaign.opensAt, campaign.calendar, (stage, _previous, message) => {
      nationalOrderValid = false;
      issue(['calendar', stage], message);
    });

    const { province, miit, miitWindowDays } = campaign.calendar;
    if (nationalOrderValid && !leavesMiitWindow(province, miit, miitWindowDays)) {
      issue(
        ['calendar', 'miit'],
        `calendar.miit (${miit}) must be at least ${miitWindowDays} days after calendar.province (${province}): MIIT needs its own review window`,
      );
    }

    const national = filledDeadlines(campaign.calendar);
    const last = Date.parse(campaign.calendar.miit);
    const trackItemIds = new Set(
      Object.values(campaign.tracks).flatMap((rules) => rules?.checklist.map((item) => item.id) ?? []),
    );

    for (const [index, first] of duplicateIndexes(campaign.overlays, (overlay) => overlay.provinceCode)) {
      issue(
        ['overlays', index, 'provinceCode'],
        `overlay for ${campaign.overlays[index]?.provinceCode} repeats overlays.${first}`,
      );
    }

    campaign.overlays.forEach((overlay, o) => {
      const at = (...path: (string | number)[]) => ['overlays', o, ...path];
      const jurisdiction = findJurisdiction(overlay.provinceCode);
      if (!jurisdiction || !isProvincialRank(jurisdiction.rank)) {
        issue(
          at('provinceCode'),
          `${overlay.provinceCode} is not a provincial-rank jurisdiction (${PROVINCIAL_RANKS.join(', ')})`,
        );
      }

      // Overlay dates are checked against a national calendar that is itself in order.
      const own: DeadlineDates = nationalOrderValid ? (overlay.calendar ?? {}) : {};
      for (const stage of ['submission', 'city', 'province'] as const) {
        const value = own[stage];
        if (value !== undefined && Date.parse(value) > Date.parse(national[stage])) {
          issue(
            at('calendar', stage),
            `overlays.${o}.calendar.${stage} (${value}) must not be after the national ${stage} deadline (${national[stage]})`,
          );
        }
      }
      const merged: DeadlineDates = { ...campaign.calendar, ...stripUndefined(own) };
      checkOrder(campaign.opensAt, merged, (stage, previous, message) => {
        // Blame the overlay's own date; a clash within the national calendar is reported above.
        const fromOverlay = (name: DeadlineName | 'opensAt') => name !== 'opensAt' && own[name] !== undefined;
        if (fromOverlay(stage)) issue(at('calendar', stage), `overlays.${o}.${message}`);
        else if (fromOverlay(previous)) issue(at('calendar', previous), `overlays.${o}.${message}`);
      });

      for (const [m, first] of duplicateIndexes(overlay.milestones, (milestone) => milestone.id)) {
        issue(at('milestones', m, 'id'), `duplicate milestone id (already used by milestone ${first})`);
      }
      overlay.milestones.forEach((milestone, m) => {
        const when = Date.parse(milestone.date);
        if (when <= Date.parse(campaign.opensAt) || when > last) {
          issue(
            at('milestones', m, 'date'),
            `milestone ${milestone.id} must fall between opensAt and the last deadline`,
          );
        }
      });

      for (const [a, first] of duplicateIndexes(overlay.checklistAdditions, (item) => item.id)) {
        issue(at('checklistAdditions', a, 'id'), `duplicate checklist id (already used by addition ${first})`);
      }
      overlay.checklistAdditions.forEach((item, a) => {
        if (trackItemIds.has(item.id)) {
          issue(at('checklistAdditions', a, 'id'), `checklist id "${item.id}" is already used by a track's checklist`);
        }
      });

      for (const [s, field, message] of senderProblems(overlay.provinceCode, overlay.senders)) {
        issue(at('senders', s, field), message);
      }

      if (overlay.provincialRecognition) {
        const provinceSteps = overlay.steps?.province ?? campaign.steps.province ?? SINGLE_REVIEW;
        const direct = overlay.senders.some((sender) => sender.as === 'direct');
        const problem = provinceStepsProblem(overlay.provincialRecognition, provinceSteps, direct);
        if (problem) issue(at('provincialRecognition'), problem);
        if (overlay.provincialRecognition.nationalCandidates === 'city-states' && !overlay.cityStatesAlsoNational) {
          issue(
            at('cityStatesAlsoNational'),
            'a provincial list whose cities state its national candidates (city-states) needs cityStatesAlsoNational: true',
          );
        }
      }
    });
  });

/** What a threshold set stored before sources were required says its source is. */
export const LEGACY_THRESHOLD_SOURCE = '未注明（设定于须注明依据之前） / not named (set before a source was required)';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * A stored definition brought up to today's rules, so that what was accepted once still parses:
 * a calendar without MIIT's deadline gets the provinces' deadline plus the default window
 * (legacyMiitDeadline: MIIT never reviews on the provinces' forwarding date), and thresholds
 * without a source say that none was named.
 */
function upgradeStoredDefinition(definition: unknown): unknown {
  if (!isObject(definition)) return definition;
  const upgraded: Record<string, unknown> = { ...definition };
  const calendar = definition.calendar;
  if (isObject(calendar) && calendar.miit === undefined && typeof calendar.province === 'string') {
    const province = calendar.province;
    if (!Number.isNaN(Date.parse(province))) upgraded.calendar = { ...calendar, miit: legacyMiitDeadline(province) };
  }
  if (isObject(definition.tracks)) {
    upgraded.tracks = Object.fromEntries(
      Object.entries(definition.tracks).map(([track, rules]) => {
        if (!isObject(rules) || !isObject(rules.thresholds) || rules.thresholds.source !== undefined) {
          return [track, rules];
        }
        return [track, { ...rules, thresholds: { ...rules.thresholds, source: LEGACY_THRESHOLD_SOURCE } }];
      }),
    );
  }
  return upgraded;
}

/** A campaign as stored: checked as a new definition is, once upgradeStoredDefinition has run. */
export const StoredCampaignSchema = z.preprocess(upgradeStoredDefinition, CampaignSchema);

export type Campaign = z.infer<typeof CampaignSchema>;
export type CampaignInput = z.input<typeof CampaignSchema>;

/** Parse a campaign definition, throwing a ValidationError whose details name each bad field. */
export function parseCampaign(input: unknown): Campaign {
  const result = CampaignSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    'invalid campaign definition',
    result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || '(root)',
      code: issue.code.toUpperCase(),
      message: issue.message,
    })),
  );
}

/** Parse a built-in campaign at module load: a bad seed fails fast, naming its fields. */
export function defineCampaign(input: CampaignInput): Campaign {
  try {
    return parseCampaign(input);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const fields = (error.details ?? []).map((d) => `${d.field}: ${d.message}`).join('; ');
    throw new Error(`built-in campaign ${input.campaignId} is invalid: ${fields}`, { cause: error });
  }
}

/** The campaign's evidence limits, or the defaults. */
export const evidenceLimitsOf = (campaign: Pick<Campaign, 'evidenceLimits'>): EvidenceLimits =>
  campaign.evidenceLimits ?? DEFAULT_EVIDENCE_LIMITS;
