/**
 * A campaign: one year's call on one or more tracks (recommendation, re-review, typical cases),
 * with its calendar, quotas, evidence checklists, thresholds and provincial overlays.
 *
 * An operator adds a campaign through `POST /v1/campaigns` without a code change, so this zod
 * schema is the single source of truth: it validates a whole definition and every error names
 * its field (`calendar.city`, `tracks.recommendation.checklist.3.id`, `overlays.0.provinceCode`).
 * Here: the campaign's own fields and the checks across its parts. The parts: a track's rules in
 * ./track-rules.ts (its checklist in ./checklist.ts), a province's overlay in ./province-overlay.ts;
 * definitions stored under earlier rules are upgraded in ./stored-campaign.ts.
 */
import * as z from 'zod';
import { ValidationError } from '../platform/errors.ts';
import { BilingualSchema, IsoDateTimeSchema, TrackSchema } from '../schemas/common.ts';
import {
  checkOrder,
  DEADLINE_DESCRIPTIONS,
  DEFAULT_MIIT_WINDOW_DAYS,
  type DeadlineDates,
  type DeadlineName,
  filledDeadlines,
  leavesMiitWindow,
  stripUndefined,
} from './calendar.ts';
import { duplicateIndexes, SlugSchema } from './checklist.ts';
import { findJurisdiction, isProvincialRank, PROVINCIAL_RANKS, type ProvincialRank } from './jurisdictions.ts';
import { provinceStepsProblem } from './provincial-recognition.ts';
import { ProvinceOverlaySchema } from './province-overlay.ts';
import { LevelStepsSchema, SINGLE_REVIEW } from './steps.ts';
import { senderProblems } from './senders.ts';
import { SubSectorListSchema } from './sub-sectors.ts';
import { TrackRulesSchema } from './track-rules.ts';

/** Largest campaign definition stored (one DynamoDB item, whose limit is 400 KB). */
const MAX_CAMPAIGN_BYTES = 300_000;

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
