/**
 * The submission package (the province's list to MIIT as one ZIP, replacing the CD) as stored:
 * its record in the table, and the manifest that lists every file in the ZIP.
 */
import * as z from 'zod';
import { PrincipalSchema } from '../platform/auth/principal.ts';
import {
  DivisionCodeSchema,
  EvidenceStatusSchema,
  IsoDateTimeSchema,
  Sha256HexSchema,
  TrackSchema,
} from '../schemas/common.ts';

export const PACKAGE_STATUSES = ['BUILDING', 'READY', 'FAILED'] as const;
export const PackageStatusSchema = z.enum(PACKAGE_STATUSES);
export type PackageStatus = z.infer<typeof PackageStatusSchema>;

export const VERIFICATION_STATUSES = ['VERIFYING', 'VERIFIED', 'MISMATCH', 'FAILED'] as const;
export const VerificationStatusSchema = z.enum(VERIFICATION_STATUSES);

/** `<jurisdiction>-<track>-<UTC stamp>-<random>`: sorts by jurisdiction, then by time. */
export const PackageIdSchema = z.string().regex(/^\d{6}-[a-z-]+-\d{14}-[0-9a-f]{8}$/, 'a package id');

/** What the manifest could not include, and why (a level document not filed, an object gone). */
export const MissingItemSchema = z.object({ path: z.string(), reason: z.string() });
export type MissingItem = z.infer<typeof MissingItemSchema>;

/** One difference between the stored ZIP and its manifest. */
export const MismatchSchema = z.object({
  path: z.string(),
  problem: z.enum(['digest', 'size', 'absent', 'unlisted', 'manifest']),
  expected: z.string().optional(),
  actual: z.string().optional(),
});
export type Mismatch = z.infer<typeof MismatchSchema>;

export const VerificationSchema = z.object({
  status: VerificationStatusSchema,
  /** The request this verification answers (a newer request supersedes it). */
  requestId: z.string().min(1),
  requestedAt: IsoDateTimeSchema,
  requestedBy: z.string(),
  checkedAt: IsoDateTimeSchema.optional(),
  /** Entries read and hashed. */
  entries: z.int().nonnegative().optional(),
  mismatches: z.array(MismatchSchema).default([]),
  failure: z.string().optional(),
});
export type Verification = z.infer<typeof VerificationSchema>;

export const PackageRecordSchema = z.object({
  packageId: PackageIdSchema,
  campaignId: z.string(),
  track: TrackSchema,
  /** The level whose list it is: a provincial-rank jurisdiction. */
  jurisdictionCode: DivisionCodeSchema,
  jurisdictionName: z.string(),
  status: PackageStatusSchema,
  /** Who asked: the summary tables are read as this principal, so a build sees what they may. */
  requestedBy: PrincipalSchema,
  requestedAt: IsoDateTimeSchema,
  /** The ZIP, the manifest beside it, and the name it downloads under. */
  objectKey: z.string(),
  manifestKey: z.string(),
  fileName: z.string(),
  /** A builder holds the build until then: a redelivered event meanwhile builds nothing. */
  claimedUntil: IsoDateTimeSchema.optional(),
  attempts: z.int().nonnegative().default(0),
  /** Files and bytes written so far (updated as the build goes). */
  progress: z
    .object({ files: z.int().nonnegative(), bytes: z.number().nonnegative(), at: IsoDateTimeSchema })
    .optional(),
  builtAt: IsoDateTimeSchema.optional(),
  size: z.number().nonnegative().optional(),
  files: z.int().nonnegative().optional(),
  versionId: z.string().optional(),
  eTag: z.string().optional(),
  manifestSha256: Sha256HexSchema.optional(),
  missing: z.array(MissingItemSchema).default([]),
  failedAt: IsoDateTimeSchema.optional(),
  failure: z.string().optional(),
  verification: VerificationSchema.optional(),
});
export type PackageRecord = z.infer<typeof PackageRecordSchema>;

// ---- the manifest ------------------------------------------------------------------------------

export const ENTRY_KINDS = ['formal-letter', 'summary-table', 'form', 'evidence'] as const;
export const EntryKindSchema = z.enum(ENTRY_KINDS);
export type EntryKind = z.infer<typeof EntryKindSchema>;

export const ManifestEntrySchema = z.object({
  path: z.string(),
  kind: EntryKindSchema,
  size: z.number().nonnegative(),
  /** Of the bytes written into the ZIP, computed while streaming them. */
  sha256: Sha256HexSchema,
  applicationId: z.string().optional(),
  evidenceId: z.string().optional(),
  /** The checklist item a form or evidence file answers. */
  item: z.string().optional(),
  /** The validator's verdict on the file (generated tables have none). */
  verdict: EvidenceStatusSchema.optional(),
  validatedAt: IsoDateTimeSchema.optional(),
  /** The digest the validator recorded: it must equal `sha256`. */
  validatedSha256: Sha256HexSchema.optional(),
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

export const MANIFEST_FORMAT = 'cluster-submission-package/1';

export const ManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  packageId: PackageIdSchema,
  campaignId: z.string(),
  track: TrackSchema,
  jurisdictionCode: DivisionCodeSchema,
  jurisdictionName: z.string(),
  builtAt: IsoDateTimeSchema,
  entries: z.array(ManifestEntrySchema),
  missing: z.array(MissingItemSchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;
