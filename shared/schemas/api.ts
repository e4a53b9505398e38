import * as z from 'zod';
import { DivisionCodeSchema, FILE_TYPE_BY_MIME, Sha256HexSchema, TrackSchema } from './common.ts';

/** Request bodies of the public API (v1). Unknown keys are refused so a typo is never ignored. */

const PersonText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // Control characters and bidi overrides hide what a name really says.
    .refine((s) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(s), 'must not contain control characters');

export const CreateApplicationBodySchema = z.strictObject({
  campaignId: z.string().min(1).max(64),
  track: TrackSchema,
  countyCode: DivisionCodeSchema,
  clusterName: PersonText(100),
  leadingIndustry: PersonText(100),
  subSector: PersonText(100),
  form: z.record(z.string(), z.unknown()).default({}),
  coCountyCodes: z.array(DivisionCodeSchema).max(20).default([]),
  alsoProvincial: z.boolean().default(false),
});
export type CreateApplicationBody = z.infer<typeof CreateApplicationBodySchema>;

export const PatchApplicationBodySchema = z
  .strictObject({
    clusterName: PersonText(100).optional(),
    leadingIndustry: PersonText(100).optional(),
    subSector: PersonText(100).optional(),
    /** Replaces the form fields it names; the rest of the form is kept. */
    form: z.record(z.string(), z.unknown()).optional(),
    coCountyCodes: z.array(DivisionCodeSchema).max(20).optional(),
    alsoProvincial: z.boolean().optional(),
    /** When given, the patch applies only if the application is still at this revision. */
    revision: z.int().nonnegative().optional(),
  })
  .refine((body) => Object.keys(body).some((key) => key !== 'revision'), 'nothing to change');
export type PatchApplicationBody = z.infer<typeof PatchApplicationBodySchema>;

const MAX_FILE_NAME_BYTES = 255;

export const FileNameSchema = z
  .string()
  .min(1)
  .refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_FILE_NAME_BYTES, 'must be at most 255 bytes in UTF-8')
  .refine((s) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(s), 'must not contain control characters')
  .refine((s) => !/[/\\]/.test(s), 'must not contain path separators')
  .refine((s) => s !== '.' && s !== '..' && !s.startsWith('.'), 'must not start with a dot');

export const EvidenceRequestBodySchema = z.strictObject({
  criterion: z.string().min(1).max(64),
  fileName: FileNameSchema,
  contentType: z.string().refine((mime) => FILE_TYPE_BY_MIME.has(mime), {
    message: `must be one of ${[...FILE_TYPE_BY_MIME.keys()].join(', ')}`,
  }),
  size: z.int().positive(),
  sha256: Sha256HexSchema.optional(),
});
export type EvidenceRequestBody = z.infer<typeof EvidenceRequestBodySchema>;

export const ApplicationIdParamSchema = z.strictObject({ applicationId: z.uuid() });
