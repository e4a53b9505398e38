/**
 * The manifest: every file of the package with its size, its SHA-256 (of the bytes written into
 * the ZIP, computed while streaming) and the validator's verdict; what could not be included and
 * why. It is written into the ZIP (`manifest.json`, last) and stored beside it; its own digest is
 * `manifest.json.sha256` in the ZIP and on the package's record, which is what MIIT trusts.
 */
import { createHash } from 'node:crypto';
import type { WrittenEntry } from '../ports/package.ts';
import type { PlannedFile } from './plan.ts';
import {
  MANIFEST_FORMAT,
  type Manifest,
  type ManifestEntry,
  ManifestSchema,
  type MissingItem,
  type PackageRecord,
} from './records.ts';

export const MANIFEST_PATH = 'manifest.json';
export const MANIFEST_DIGEST_PATH = 'manifest.json.sha256';

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function buildManifest(input: {
  record: Pick<PackageRecord, 'packageId' | 'campaignId' | 'track' | 'jurisdictionCode' | 'jurisdictionName'>;
  builtAt: string;
  files: readonly PlannedFile[];
  written: readonly WrittenEntry[];
  absent: readonly string[];
  missing: readonly MissingItem[];
}): Manifest {
  const byPath = new Map(input.files.map((file) => [file.path, file]));
  const entries = input.written.map((w): ManifestEntry => {
    const file = byPath.get(w.path);
    if (!file) throw new Error(`written entry ${w.path} was not planned`);
    return { path: w.path, kind: file.kind, size: w.size, sha256: w.sha256, ...file.about };
  });
  return {
    format: MANIFEST_FORMAT,
    packageId: input.record.packageId,
    campaignId: input.record.campaignId,
    track: input.record.track,
    jurisdictionCode: input.record.jurisdictionCode,
    jurisdictionName: input.record.jurisdictionName,
    builtAt: input.builtAt,
    entries,
    missing: [
      ...input.missing,
      ...input.absent.map((path) => ({
        path,
        reason: '校验通过的文件已不存在或已被替换 / the validated object is gone or was replaced',
      })),
    ],
  };
}

/** The manifest's bytes (pretty JSON, UTF-8) and their digest. */
export function manifestBytes(manifest: Manifest): { bytes: Uint8Array; sha256: string } {
  const bytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  return { bytes, sha256: sha256Hex(bytes) };
}

export function parseManifest(bytes: Uint8Array): Manifest {
  return ManifestSchema.parse(JSON.parse(new TextDecoder().decode(bytes)));
}

/** Files whose bytes differ from what the validator recorded (a pinned object that changed). */
export function validatorDisagreements(manifest: Manifest): ManifestEntry[] {
  return manifest.entries.filter((e) => e.validatedSha256 !== undefined && e.validatedSha256 !== e.sha256);
}
