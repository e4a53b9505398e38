import * as z from 'zod';

/** Evidence file kinds accepted anywhere in the programme; checklists pick a subset. */
export const FILE_TYPES = ['pdf', 'ofd', 'jpeg', 'png', 'xlsx', 'docx'] as const;
export const FileTypeSchema = z.enum(FILE_TYPES);
export type FileType = z.infer<typeof FileTypeSchema>;

export const MIME_BY_FILE_TYPE: Record<FileType, string> = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  jpeg: 'image/jpeg',
  png: 'image/png',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export const FILE_TYPE_BY_MIME: ReadonlyMap<string, FileType> = new Map(
  Object.entries(MIME_BY_FILE_TYPE).map(([type, mime]) => [mime, type as FileType]),
);

export const TRACKS = ['recommendation', 'rereview', 'typical-case'] as const;
export const TrackSchema = z.enum(TRACKS);
export type Track = z.infer<typeof TrackSchema>;

export const APPLICATION_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'CITY_REVIEW',
  'PROVINCE_REVIEW',
  'MIIT_REVIEW',
  'PUBLIC_NOTICE',
  'RECOGNIZED',
  'RETURNED',
  'REJECTED',
  'OVERDUE',
  'QUOTA_EXCEEDED',
  'WITHDRAWN',
  'CANCELLED',
  // A typical case's outcome (入选 or not): never a recognition, no validity, no annual report.
  'SELECTED',
  'NOT_SELECTED',
  // Recognised on a province's own list (Jilin, Shanxi) and not sent on for national status.
  'PROVINCIALLY_RECOGNIZED',
] as const;
export const ApplicationStatusSchema = z.enum(APPLICATION_STATUSES);
export type ApplicationStatus = z.infer<typeof ApplicationStatusSchema>;

/** Statuses after which nothing waits any more: the application's outcome. */
export const ENDED_STATUSES: ReadonlySet<ApplicationStatus> = new Set([
  'RECOGNIZED',
  'REJECTED',
  'OVERDUE',
  'QUOTA_EXCEEDED',
  'WITHDRAWN',
  'CANCELLED',
  'SELECTED',
  'NOT_SELECTED',
  'PROVINCIALLY_RECOGNIZED',
]);

export const EVIDENCE_STATUSES = ['PENDING', 'VALID', 'INVALID'] as const;
export const EvidenceStatusSchema = z.enum(EVIDENCE_STATUSES);
export type EvidenceStatus = z.infer<typeof EvidenceStatusSchema>;

/** A six-digit GB/T 2260 administrative division code (e.g. 220403). */
export const DivisionCodeSchema = z.string().regex(/^\d{6}$/, 'a six-digit GB/T 2260 code');

export const IsoDateTimeSchema = z.iso.datetime({ offset: true });

/** Bilingual text: every message a person reads exists in Chinese and English. */
export const BilingualSchema = z.object({ zh: z.string().min(1), en: z.string().min(1) });
export type Bilingual = z.infer<typeof BilingualSchema>;

export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits');
