/**
 * What the register's routes read and answer, as zod schemas (the OpenAPI document is generated
 * from them). Apart from the import's code, which brings the workbook reader (exceljs): the
 * function that serves the document must not carry it.
 */
import * as z from 'zod';
import { DivisionCodeSchema } from '../schemas/common.ts';
import {
  DEFAULT_VALIDITY_YEARS,
  IsoDateSchema,
  RegisterEntrySchema,
  RegisterLevelSchema,
  RegisterStateSchema,
} from './entry.ts';

export const LIST_FORMATS = ['csv', 'xlsx'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

export const RegisterFilterSchema = z.object({
  province: DivisionCodeSchema.optional().describe('an administrative province (xx0000; 660000 the XPCC)'),
  cohort: z.coerce.number().int().min(2000).max(2100).optional().describe('the year of the list'),
  state: RegisterStateSchema.optional(),
  level: RegisterLevelSchema.optional(),
});
export type RegisterFilter = z.infer<typeof RegisterFilterSchema>;

/**
 * The import is sent in the request body (base64), not through a presigned upload: the published
 * lists are small (the 2023 national list has 100 rows, a few tens of KB as XLSX; the 1 MiB body
 * limit holds thousands of rows), and the operator gets the report in the same answer.
 */
export const MAX_LIST_BYTES = 700 * 1024;

export const ImportRequestSchema = z.object({
  level: RegisterLevelSchema,
  cohort: z.int().min(2000).max(2100),
  /** The list's date of publication: validity runs from it. */
  validFrom: IsoDateSchema,
  validityYears: z.int().min(1).max(10).default(DEFAULT_VALIDITY_YEARS),
  fileName: z.string().min(1).max(200),
  /** Default: from the file name's extension. */
  format: z.enum(LIST_FORMATS).optional(),
  /** The file's bytes, base64. */
  content: z
    .base64()
    .max(
      Math.ceil(MAX_LIST_BYTES / 3) * 4,
      `名单文件不能超过${MAX_LIST_BYTES / 1024} KiB，请分成几个文件导入 / the file must be at most ${MAX_LIST_BYTES} bytes`,
    ),
  /** Only check the list: the report says what would be created, nothing is written. */
  dryRun: z.boolean().default(false),
});
export type ImportRequest = z.input<typeof ImportRequestSchema>;

export const RowRefusalSchema = z.object({
  row: z.int().positive().describe('the row as a spreadsheet numbers it'),
  column: z.string().describe('the column as the list heads it (集群名称, 省份 …)'),
  code: z.string(),
  /** Both languages, `<Chinese> / <English>`, for a client that shows one line. */
  message: z.string(),
  /** The same, each language alone (what is wrong and what to write): a page shows its own. */
  zh: z.string(),
  en: z.string(),
});
export type RowRefusal = z.infer<typeof RowRefusalSchema>;

export const ImportReportSchema = z.object({
  importId: z.string().describe('from the file’s SHA-256: the same file has the same id'),
  fileName: z.string(),
  format: z.enum(LIST_FORMATS),
  level: RegisterLevelSchema,
  cohort: z.int(),
  dryRun: z.boolean(),
  headerRow: z.int().positive().optional(),
  /** Data rows read (blank rows are not counted). */
  rows: z.int().nonnegative(),
  /** Entries written by this import (a dry run: that it would write). */
  created: z.int().nonnegative(),
  /** Rows whose entry was in the register already (an earlier import, the pipeline, the seed). */
  existing: z.int().nonnegative(),
  /** Rows refused (each has one refusal or more below). */
  refused: z.int().nonnegative(),
  refusals: z.array(RowRefusalSchema),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const MigrationReportSchema = z.object({
  /** RECOGNIZED applications looked at. */
  recognized: z.int().nonnegative(),
  created: z.int().nonnegative(),
  existing: z.int().nonnegative(),
  /** Recognised on a track the register does not hold (re-reviews; typical cases under the old rules). */
  skipped: z.int().nonnegative(),
  /** Typical cases written under the old rules (shared/register/typical-migration.ts), run first. */
  typicalCases: z
    .object({
      /** Typical cases found RECOGNIZED, now SELECTED without validity. */
      converted: z.int().nonnegative(),
      /** Register entries made from a typical case, now revoked. */
      entriesRevoked: z.int().nonnegative(),
    })
    .optional(),
});
export type MigrationReport = z.infer<typeof MigrationReportSchema>;

export const DueSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('annual-report'), reportYear: z.int(), provinceDeadline: IsoDateSchema }),
  z.object({ kind: z.literal('re-review'), year: z.int() }),
]);

export const ShownEntrySchema = RegisterEntrySchema.extend({
  /** Its validity has passed while it still stands (waiting for a re-review or an operator's decision). */
  lapsed: z.boolean(),
  due: z.array(DueSchema),
});

export const RegisterViewSchema = z.object({
  filter: RegisterFilterSchema,
  entries: z.array(ShownEntrySchema),
  counts: z.object({
    total: z.int().nonnegative(),
    byProvince: z.record(z.string(), z.int()),
    byCohort: z.record(z.string(), z.int()),
    byState: z.partialRecord(RegisterStateSchema, z.int()),
  }),
});
export type RegisterView = z.infer<typeof RegisterViewSchema>;
export type ShownEntry = z.infer<typeof ShownEntrySchema>;
