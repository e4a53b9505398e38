/**
 * Builds a package in the background (functions/package-builder.ts), once per request however
 * often the request's event is delivered: the build is claimed on the record (BUILDING, nobody
 * holding it or their hold lapsed), the ZIP streamed to the bucket entry by entry (one source open
 * at a time, multipart, bounded memory), the manifest written last into the ZIP and beside it,
 * then the record turned READY — or FAILED with why. A finished package is never touched again:
 * a redelivered event finds it READY (or FAILED) and does nothing.
 */
import type { Principal } from '../platform/auth/principal.ts';
import type { PackageArchives, PackageSources, PackageStore } from '../ports/package.ts';
import { buildManifest, MANIFEST_DIGEST_PATH, MANIFEST_PATH, manifestBytes } from './manifest.ts';
import { planPackage } from './plan.ts';
import { letterKindFor } from '../review/level-documents/records.ts';
import type { PackageRecord } from './records.ts';

/** How long a builder holds a build: past Lambda's longest run (15 min), so no two overlap. */
export const BUILD_HOLD_MS = 16 * 60 * 1000;
/** Progress is written at most this often. */
const PROGRESS_EVERY_MS = 5_000;

export interface BuilderDeps {
  store: PackageStore;
  sources: PackageSources;
  archives: PackageArchives;
  clock: () => Date;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

export type BuildOutcome = 'built' | 'failed' | 'skipped';

export async function buildPackage(deps: BuilderDeps, campaignId: string, packageId: string): Promise<BuildOutcome> {
  const { store, clock } = deps;
  const now = clock();
  const until = new Date(now.getTime() + BUILD_HOLD_MS).toISOString();
  const record = await store.claim(campaignId, packageId, now.toISOString(), until);
  if (!record) {
    deps.log?.('package build skipped: built, failed or held', { campaignId, packageId });
    return 'skipped';
  }
  try {
    const result = await write(deps, record);
    const done = await store.ready(record, until, result);
    deps.log?.('package built', { campaignId, packageId, recorded: done, size: result.size, files: result.files });
    return 'built';
  } catch (error) {
    const failure = error instanceof Error ? error.message : String(error);
    deps.log?.('package build failed', { campaignId, packageId, failure });
    await store.failed(record, until, { failedAt: clock().toISOString(), failure: failure.slice(0, 1000) });
    return 'failed';
  }
}

async function write(deps: BuilderDeps, record: PackageRecord) {
  const { sources, archives, store, clock } = deps;
  const { campaignId, track, jurisdictionCode } = record;
  const campaign = await sources.campaign(campaignId);
  const principal: Principal = record.requestedBy;
  const [applications, scored, letters] = await Promise.all([
    sources.applicationsOf(jurisdictionCode, campaignId),
    sources.scored(jurisdictionCode, campaignId),
    sources.levelDocuments.valid(campaignId, track, jurisdictionCode, letterKindFor(track)),
  ]);
  // The table's own file name, read once here and its bytes when its turn comes.
  const table = await sources.summaryXlsx({ campaignId, track, jurisdiction: jurisdictionCode }, principal);
  const plan = await planPackage({
    campaign,
    track,
    jurisdictionCode,
    applications,
    scored,
    evidenceOf: (id) => sources.evidenceOf(id),
    letters,
    summary: async () => table,
    summaryFileName: table.fileName,
  });

  const builtAt = clock().toISOString();
  let lastProgress = 0;
  // Set by the trailer, once every file before the manifest is written and hashed.
  const trailer: { sha256?: string; bytes?: Uint8Array; missing?: PackageRecord['missing'] } = {};
  const result = await archives.write(
    record.objectKey,
    plan.files.map((file) => ({
      path: file.path,
      open: async () => {
        if ('bytes' in file.source) return single(await file.source.bytes());
        const { key, versionId, eTag } = file.source;
        const opened = await sources.objects.open(key, { versionId, eTag });
        return opened?.body;
      },
    })),
    (written, absent) => {
      const manifest = buildManifest({ record, builtAt, files: plan.files, written, absent, missing: plan.missing });
      const { bytes, sha256 } = manifestBytes(manifest);
      Object.assign(trailer, { sha256, bytes, missing: manifest.missing });
      return [
        { path: MANIFEST_PATH, bytes },
        { path: MANIFEST_DIGEST_PATH, bytes: new TextEncoder().encode(`${sha256}  ${MANIFEST_PATH}\n`) },
      ];
    },
    (files, bytes) => {
      const at = clock();
      if (at.getTime() - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = at.getTime();
      void store.progress(campaignId, record.packageId, { files, bytes, at: at.toISOString() }).catch(() => undefined);
    },
  );
  if (!trailer.sha256 || !trailer.bytes || !trailer.missing) {
    throw new Error('the archive was written without its manifest');
  }
  await archives.put(record.manifestKey, trailer.bytes, 'application/json');
  return {
    builtAt,
    size: result.size,
    files: result.written.length,
    ...(result.versionId !== undefined && { versionId: result.versionId }),
    ...(result.eTag !== undefined && { eTag: result.eTag }),
    manifestSha256: trailer.sha256,
    missing: trailer.missing,
  };
}

async function* single(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
