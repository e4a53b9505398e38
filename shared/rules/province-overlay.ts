/**
 * A province's overlay on the national call: its own deadlines, milestones, quotas, checklist and
 * form additions, steps, senders, sub-sectors and provincial recognition. Apart from the campaign
 * because provinces add to it for their own notices, not the national call's.
 */
import * as z from 'zod';
import { BilingualSchema, DivisionCodeSchema, IsoDateTimeSchema } from '../schemas/common.ts';
import { ChecklistItemSchema, SlugSchema } from './checklist.ts';
import { FormAdditionSchema } from './form-additions.ts';
import { ProvincialRecognitionSchema } from './provincial-recognition.ts';
import { SenderSchema } from './senders.ts';
import { LevelStepsSchema } from './steps.ts';
import { SubSectorListSchema } from './sub-sectors.ts';

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
