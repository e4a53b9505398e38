/**
 * The annual-report API's answers as zod schemas (the OpenAPI document is generated from them,
 * shared/platform/openapi/operations.ts) and the query the routes read.
 */
import * as z from 'zod';
import { LangSchema } from '../platform/pages/i18n.ts';
import { RegisterLevelSchema, RegisterStateSchema } from '../register/entry.ts';
import { DivisionCodeSchema, IsoDateTimeSchema } from '../schemas/common.ts';
import { AnnualForwardingSchema } from './forwarding.ts';
import { AnnualReportFileSchema, AnnualReportRecordSchema, ReportYearSchema } from './report.ts';

/** `?year=` (the reporting year; default: the one whose deadline comes next) and, for MIIT, `?province=`. */
export const AnnualQuerySchema = z.object({
  year: ReportYearSchema.optional(),
  province: DivisionCodeSchema.optional(),
  lang: LangSchema.optional(),
});

const DutyRowSchema = z.object({
  entry: z.object({
    entryId: z.string(),
    clusterName: z.string(),
    countyCode: DivisionCodeSchema,
    provinceCode: DivisionCodeSchema,
    level: RegisterLevelSchema,
    cohort: z.int(),
    state: RegisterStateSchema,
  }),
  report: AnnualReportRecordSchema.optional(),
  standing: z.enum(['due', 'filed', 'accepted', 'returned']),
});

export const UploaderItemSchema = AnnualReportFileSchema.extend({ evidenceId: z.uuid(), criterion: z.string() });
export const AnnualUploadSchema = UploaderItemSchema.extend({
  upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()), expiresAt: IsoDateTimeSchema }),
});
/** `evidence` is the uploader's name for the list. */
export const AnnualFileListSchema = z.object({ evidence: z.array(UploaderItemSchema) });

const Listed = z.object({ entryId: z.string(), clusterName: z.string(), countyCode: DivisionCodeSchema });

export const AnnualViewSchema = z.discriminatedUnion('scope', [
  z.object({
    scope: z.literal('county'),
    reportYear: z.int(),
    deadline: IsoDateTimeSchema,
    closed: z.boolean(),
    forwarded: z.boolean(),
    rows: z.array(DutyRowSchema.extend({ files: z.array(AnnualReportFileSchema) })),
  }),
  z.object({
    scope: z.literal('province'),
    version: z.int(),
    reportYear: z.int(),
    provinceCode: DivisionCodeSchema,
    deadline: IsoDateTimeSchema,
    closed: z.boolean(),
    rows: z.array(DutyRowSchema),
    forwarding: AnnualForwardingSchema.optional(),
    plan: z.object({
      reports: z.array(Listed.extend({ revision: z.int() })),
      missing: z.array(Listed.extend({ why: z.enum(['not-filed', 'returned']) })),
      unreviewed: z.array(Listed),
    }),
  }),
  z.object({
    scope: z.literal('miit'),
    reportYear: z.int(),
    deadline: IsoDateTimeSchema,
    provinces: z.array(
      z.object({ provinceCode: DivisionCodeSchema, owed: z.int(), forwarding: AnnualForwardingSchema.optional() }),
    ),
  }),
]);
export type AnnualView = z.infer<typeof AnnualViewSchema>;

/** `{fileId}` of DELETE /v1/annual-reports/files/{fileId} and the page's removal form. */
export const AnnualFilePathSchema = z.object({ fileId: z.uuid() });

/** A removed upload (a repeat answers the same). */
export const AnnualFileRemovedSchema = z.object({
  fileId: z.uuid(),
  entryId: z.string(),
  fileName: z.string(),
  removedAt: IsoDateTimeSchema,
  removed: z.literal(true),
});

/** The page's 删除 form: its ticked box sends `confirm=true`; nothing else. */
export const AnnualFileRemovalFormSchema = z.strictObject({
  confirm: z.literal('true', { error: '须勾选确认后再删除 / tick the box to confirm the removal' }),
});

export { AnnualForwardingSchema, AnnualReportRecordSchema };
