/**
 * An annual report (年度报告) as the pipeline keeps it: the figures the county files, the one file
 * it uploads, and the report's own small state machine:
 *
 *   (due) ──file──▶ FILED ──accept──▶ ACCEPTED
 *                     │  ▲
 *               return│  │file again (the county re-files)
 *                     ▼  │
 *                   RETURNED
 *
 * A FILED report may be filed again before the province decides (a correction). Nothing moves
 * once the province has forwarded its set. The form's fields are our assumption: the notices we
 * hold say that reports are due, not what the official form asks (docs/annual-reports.md).
 */
import * as z from 'zod';
import { ConflictError } from '../platform/errors.ts';
import { FileNameSchema } from '../schemas/api.ts';
import {
  DivisionCodeSchema,
  FILE_TYPE_BY_MIME,
  type FileType,
  IsoDateTimeSchema,
  Sha256HexSchema,
} from '../schemas/common.ts';
import { reasonRequired } from '../schemas/free-text.ts';
import { UploadedFileFieldsSchema } from '../schemas/records.ts';
import { ANNUAL_REPORT_PREFIX } from '../rules/storage.ts';

export const ReportYearSchema = z.coerce.number().int().min(2000).max(2100);

const wan = z.number().nonnegative().max(1e9);
const count = z.int().nonnegative().max(10_000_000);

/** The figures on the reporting year (amounts in 万元), and the cluster's main work and problems. */
export const AnnualFiguresSchema = z
  .strictObject({
    /** 集群总产值（万元） */
    clusterOutput: wan,
    /** 集群内中小企业数量 */
    smeCount: count,
    /** 从业人员数 */
    employment: count,
    /** 研发投入（万元） */
    rdSpending: wan,
    /** 专精特新中小企业数 */
    specialisedSmes: count,
    /** 专精特新"小巨人"企业数 */
    littleGiants: count,
    /** 年度主要工作 */
    mainWork: z.string().trim().min(1).max(3000),
    /** 存在问题及下一步打算 */
    problems: z.string().trim().min(1).max(3000),
  })
  .superRefine((figures, ctx) => {
    // Little giants are 专精特新 SMEs, which are SMEs of the cluster.
    if (figures.littleGiants > figures.specialisedSmes) {
      ctx.addIssue({ code: 'custom', path: ['littleGiants'], message: 'at most the number of 专精特新 SMEs' });
    }
    if (figures.specialisedSmes > figures.smeCount) {
      ctx.addIssue({ code: 'custom', path: ['specialisedSmes'], message: 'at most the number of SMEs' });
    }
  });
export type AnnualFigures = z.infer<typeof AnnualFiguresSchema>;

/** The figures' fields in form order (the form, the summary table). */
export const FIGURE_FIELDS = [
  'clusterOutput',
  'smeCount',
  'employment',
  'rdSpending',
  'specialisedSmes',
  'littleGiants',
  'mainWork',
  'problems',
] as const satisfies readonly (keyof AnnualFigures)[];

export const REPORT_STATES = ['FILED', 'ACCEPTED', 'RETURNED'] as const;
export const ReportStateSchema = z.enum(REPORT_STATES);
export type ReportState = z.infer<typeof ReportStateSchema>;

/** What moves a report from state to state. */
export const ReportActionSchema = z.enum(['filed', 'accepted', 'returned']);
export type ReportAction = z.infer<typeof ReportActionSchema>;

/**
 * What a report's own history records: its state's moves, and the county's removal of one of the
 * cluster's uploads (`fileRemoved`, naming the file), which moves no state.
 */
export const ReportChangeSchema = z.object({
  at: IsoDateTimeSchema,
  by: z.string().min(1),
  action: z.enum([...ReportActionSchema.options, 'fileRemoved']),
  reason: z.string().min(1).optional(),
  /** The upload a `fileRemoved` change took away. */
  file: z.object({ fileId: z.uuid(), fileName: z.string().min(1) }).optional(),
});
export type ReportChange = z.infer<typeof ReportChangeSchema>;

/** The file a filing carries: a VALID upload of the report's own. */
export const FiledFileSchema = z.object({
  fileId: z.uuid(),
  fileName: z.string().min(1),
  sha256: Sha256HexSchema,
  objectKey: z.string().startsWith(ANNUAL_REPORT_PREFIX),
});

export const AnnualReportRecordSchema = z.object({
  reportYear: z.int(),
  provinceCode: DivisionCodeSchema,
  /** The register entry (its natural key) the report is for. */
  entryId: z.string().min(1),
  countyCode: DivisionCodeSchema,
  clusterName: z.string().min(1),
  state: ReportStateSchema,
  figures: AnnualFiguresSchema,
  file: FiledFileSchema,
  /** 1 for the first filing, +1 for each filing after a return. */
  round: z.int().positive(),
  filedBy: z.string().min(1),
  filedAt: IsoDateTimeSchema,
  returnReason: z.string().min(1).optional(),
  decidedBy: z.string().min(1).optional(),
  decidedAt: IsoDateTimeSchema.optional(),
  history: z.array(ReportChangeSchema).min(1),
  /** Every change is conditional on it. */
  revision: z.int().nonnegative(),
});
export type AnnualReportRecord = z.infer<typeof AnnualReportRecordSchema>;

/** An upload for a report: PENDING until the validator's first verdict (the same checks as evidence). */
export const AnnualReportFileSchema = UploadedFileFieldsSchema.extend({
  fileId: z.uuid(),
  reportYear: z.int(),
  provinceCode: DivisionCodeSchema,
  entryId: z.string().min(1),
  countyCode: DivisionCodeSchema,
  objectKey: z.string().startsWith(ANNUAL_REPORT_PREFIX),
  requestedBy: z.string().min(1),
  /**
   * Set when the county removed the upload (./removal.ts): the item stays as its tombstone, so a
   * repeat answers as the first did and a late verdict cannot bring it back; nothing lists it.
   */
  removedAt: IsoDateTimeSchema.optional(),
  removedBy: z.string().min(1).optional(),
});
export type AnnualReportFile = z.infer<typeof AnnualReportFileSchema>;

/**
 * The upload a filing of the cluster's report takes: its latest VALID one (the last checked).
 * One rule for the desk, which files it, and the county's page, which says which file that is.
 */
export function fileForFiling<F extends Pick<AnnualReportFile, 'status' | 'sha256' | 'validatedAt'>>(
  files: readonly F[],
): F | undefined {
  return files
    .filter((f) => f.status === 'VALID' && f.sha256)
    .sort((a, b) => (b.validatedAt ?? '').localeCompare(a.validatedAt ?? ''))[0];
}

/** What the file may be: the stamped report (PDF or OFD) or its Word text; 50 MiB. */
export const REPORT_FILE_RULE: { fileTypes: readonly FileType[]; maxBytes: number } = {
  fileTypes: ['pdf', 'ofd', 'docx'],
  maxBytes: 50 * 1024 * 1024,
};

export const UploadRequestBodySchema = z.strictObject({
  entryId: z.string().min(1).max(300),
  fileName: FileNameSchema,
  contentType: z.string().refine((mime) => FILE_TYPE_BY_MIME.has(mime), {
    message: `must be one of ${[...FILE_TYPE_BY_MIME.keys()].join(', ')}`,
  }),
  size: z.int().positive(),
  sha256: Sha256HexSchema.optional(),
});

/** The uploader's names: it posts `criterion` for the item; here the item is the register entry. */
export const UploaderRequestBodySchema = UploadRequestBodySchema.omit({ entryId: true }).extend({
  criterion: z.string().min(1).max(300),
});

export const FilingBodySchema = z.strictObject({ entryId: z.string().min(1).max(300), figures: AnnualFiguresSchema });

export const ReviewBodySchema = z
  .strictObject({
    entryId: z.string().min(1).max(300),
    decision: z.enum(['accept', 'return']),
    reason: z.string().trim().max(2000).optional(),
  })
  .superRefine(reasonRequired((body) => body.decision === 'return', 'a return names its reason'));

/** The object key of an upload: the validator finds the file from it (province, year, file id). */
export const annualReportFileKey = (file: Pick<AnnualReportFile, 'provinceCode' | 'reportYear' | 'fileId'>) =>
  `${ANNUAL_REPORT_PREFIX}${file.provinceCode}/${file.reportYear}/${file.fileId}`;
const KEY = new RegExp(
  `^${ANNUAL_REPORT_PREFIX}(\\d{6})/(\\d{4})/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`,
);
/** The province, year and file id an object key names, or undefined. */
export function fileOfKey(key: string): { provinceCode: string; reportYear: number; fileId: string } | undefined {
  const match = KEY.exec(key);
  if (!match) return undefined;
  const [, provinceCode, year, fileId] = match as unknown as [string, string, string, string];
  return { provinceCode, reportYear: Number(year), fileId };
}

// ---- the state machine ------------------------------------------------------------------------

/** Which state an action leads to from which (undefined: no report yet). */
const TRANSITIONS: Readonly<Record<ReportAction, readonly (ReportState | undefined)[]>> = {
  filed: [undefined, 'FILED', 'RETURNED'],
  accepted: ['FILED'],
  returned: ['FILED'],
};
const TARGET: Readonly<Record<ReportAction, ReportState>> = {
  filed: 'FILED',
  accepted: 'ACCEPTED',
  returned: 'RETURNED',
};

/**
 * The state `action` leads to from `from`.
 * @throws ConflictError naming the state when the action is not allowed from it
 */
export function nextState(from: ReportState | undefined, action: ReportAction): ReportState {
  if (TRANSITIONS[action].includes(from)) return TARGET[action];
  const code = from === undefined ? 'NOT_FILED' : from === 'ACCEPTED' ? 'ALREADY_ACCEPTED' : `REPORT_${from}`;
  throw new ConflictError(code, `A report ${from ?? 'not yet filed'} cannot be ${action}`, [
    { field: 'entryId', code, message: `the report is ${from ?? 'not filed'}` },
  ]);
}
