import * as z from 'zod';
import { DivisionCodeSchema, FILE_TYPE_BY_MIME, Sha256HexSchema, type Track, TrackSchema } from './common.ts';

/** Request bodies of the public API (v1). Unknown keys are refused so a typo is never ignored. */

const PersonText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // Control characters and bidi overrides hide what a name really says.
    .refine((s) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(s), 'must not contain control characters')
    // Keys are built from the NFKC form (the cluster-name guard), and a few characters expand
    // eighteenfold under it (U+FDFA): 100 of them would exceed DynamoDB's 1 KiB sort key. Real
    // names stay far below (100 Chinese characters are 300 bytes).
    .refine(
      (s) => Buffer.byteLength(s.normalize('NFKC'), 'utf8') <= max * 4,
      `must be at most ${max * 4} bytes in UTF-8 once normalised (NFKC)`,
    );

/**
 * How deep a form may nest (objects and arrays inside `form`). The real form goes three deep
 * (form.outputByYear.0.year); a deeper document is refused here, before anything walks it
 * recursively (the Idempotency-Key's request hash, DynamoDB's 32-level limit) and fails with a 500.
 */
export const MAX_FORM_DEPTH = 8;

/** The path to the first value nested deeper than `max` (read without recursion), or undefined. */
export function tooDeepAt(value: unknown, max: number): (string | number)[] | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: next, path } = stack.pop() as { value: unknown; path: (string | number)[] };
    if (next === null || typeof next !== 'object') continue;
    if (path.length >= max) return path;
    const entries: [string | number, unknown][] = Array.isArray(next)
      ? next.map((item, i): [number, unknown] => [i, item])
      : Object.entries(next);
    for (const [key, child] of entries) stack.push({ value: child, path: [...path, key] });
  }
  return undefined;
}

/** The application form as sent: any fields (the track's schema checks them), at most MAX_FORM_DEPTH deep. */
const FormBodySchema = z.record(z.string(), z.unknown()).superRefine((form, ctx) => {
  const path = tooDeepAt(form, MAX_FORM_DEPTH);
  if (path) {
    ctx.addIssue({ code: 'custom', path, message: `nested more than ${MAX_FORM_DEPTH} levels deep` });
  }
});

/** A register entry's id as the register writes it (level#cohort#county#name; shared/register/entry.ts). */
export const RegisterEntryIdSchema = z
  .string()
  .max(400)
  .regex(/^(national|provincial)#\d{4}#\d{6}#.+$/u, 'a register entry id: level#cohort#county#name');

/** The tracks filed for a register entry (re-review, typical case): their drafts name it. */
const ENTRY_TRACKS: readonly Track[] = ['rereview', 'typical-case'];

export const CreateApplicationBodySchema = z
  .strictObject({
    campaignId: z.string().min(1).max(64),
    track: TrackSchema,
    countyCode: DivisionCodeSchema,
    /** Required on the recommendation track; on a register entry's track, taken from the entry. */
    clusterName: PersonText(100).optional(),
    leadingIndustry: PersonText(100).optional(),
    subSector: PersonText(100).optional(),
    /** The register entry filed for: required on the rereview and typical-case tracks, refused on others. */
    registerEntryId: RegisterEntryIdSchema.optional().describe(
      'the register entry filed for (rereview and typical-case tracks): the draft is pre-filled from it',
    ),
    form: FormBodySchema.default({}),
    coCountyCodes: z.array(DivisionCodeSchema).max(20).default([]),
    /** Accepted for clients of v1 and ignored: the city, not the county, states "also national". */
    alsoProvincial: z.boolean().optional().describe('deprecated and ignored'),
  })
  .superRefine((body, ctx) => {
    if (ENTRY_TRACKS.includes(body.track)) {
      if (body.registerEntryId === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['registerEntryId'],
          message: `required on the ${body.track} track: the register entry filed for`,
        });
      }
      return;
    }
    if (body.registerEntryId !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['registerEntryId'],
        message: `only the ${ENTRY_TRACKS.join(' and ')} tracks are filed for a register entry`,
      });
    }
    for (const field of ['clusterName', 'leadingIndustry', 'subSector'] as const) {
      if (body[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'required' });
    }
  });
export type CreateApplicationBody = z.infer<typeof CreateApplicationBodySchema>;

export const PatchApplicationBodySchema = z
  .strictObject({
    clusterName: PersonText(100).optional(),
    leadingIndustry: PersonText(100).optional(),
    subSector: PersonText(100).optional(),
    /** Replaces the form fields it names (a field set to null is removed); the rest of the form is kept. */
    form: FormBodySchema.optional(),
    coCountyCodes: z.array(DivisionCodeSchema).max(20).optional(),
    /** Accepted for clients of v1 and ignored: the city, not the county, states "also national". */
    alsoProvincial: z.boolean().optional().describe('deprecated and ignored'),
    /** When given, the patch applies only if the application is still at this revision. */
    revision: z.int().nonnegative().optional(),
  })
  .refine((body) => Object.keys(body).some((key) => key !== 'revision'), 'nothing to change');
export type PatchApplicationBody = z.infer<typeof PatchApplicationBodySchema>;

const MAX_FILE_NAME_BYTES = 255;
/** Device names Windows reserves, with any extension (`CON.pdf` opens the console, not a file). */
const WINDOWS_DEVICE_NAME = /^(?:CON|PRN|AUX|NUL|COM[0-9\u00B9\u00B2\u00B3]|LPT[0-9\u00B9\u00B2\u00B3])\s*(?:\..*)?$/i;

/**
 * A file name as the county's computer had it, and nothing that could act as a path or hide what
 * it says: no separators or drive colons, no characters Windows forbids in names, no control or
 * bidi-override characters, no device name, no leading dot, no trailing dot or space (Windows
 * drops them, so `x.pdf.` and `x.pdf ` are other names than they look), at most 255 bytes.
 */
export const FileNameSchema = z
  .string()
  .min(1)
  .refine((s) => !/[\uD800-\uDFFF]/u.test(s), 'must be well-formed Unicode (no lone surrogates)')
  .refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_FILE_NAME_BYTES, 'must be at most 255 bytes in UTF-8')
  .refine((s) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(s), 'must not contain control characters')
  .refine((s) => !/[/\\]/.test(s), 'must not contain path separators')
  .refine((s) => !/[<>:"|?*]/.test(s), 'must not contain < > : " | ? * (not allowed in Windows file names)')
  .refine((s) => s !== '.' && s !== '..' && !s.startsWith('.'), 'must not start with a dot')
  .refine((s) => !/[. ]$/.test(s), 'must not end with a dot or a space')
  .refine((s) => !WINDOWS_DEVICE_NAME.test(s), 'must not be a device name (CON, PRN, AUX, NUL, COM1…, LPT1…)');

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

/** DELETE …/evidence/{evidenceId}: the application and one of its evidence items. */
export const EvidenceIdParamSchema = z.strictObject({ applicationId: z.uuid(), evidenceId: z.uuid() });

/**
 * The optional `Idempotency-Key` request header of the POSTs that create something (a draft, an
 * evidence upload request): 1–128 letters, digits, `_` or `-` (a UUID fits).
 */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be 1–128 characters: letters, digits, _ or -');
