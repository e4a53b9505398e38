/**
 * MIIT's check of a stored package (in the background, like the build: a 1 GiB ZIP is read in
 * minutes, not within an HTTP request): the manifest beside the ZIP must have the digest the
 * record holds, and every entry of the ZIP, read back through ranged reads and hashed, must be
 * the manifest's, byte for byte; nothing missing, nothing added. The outcome is recorded on the
 * package: VERIFIED, or MISMATCH with each difference.
 */
import type { PackageArchives, PackageStore } from '../ports/package.ts';
import { MANIFEST_DIGEST_PATH, MANIFEST_PATH, parseManifest, sha256Hex } from './manifest.ts';
import type { Mismatch, Verification } from './records.ts';

export interface VerifierDeps {
  store: PackageStore;
  archives: Pick<PackageArchives, 'get' | 'entries'>;
  clock: () => Date;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

export async function verifyPackage(
  deps: VerifierDeps,
  campaignId: string,
  packageId: string,
  requestId: string,
): Promise<Verification['status'] | 'skipped'> {
  const record = await deps.store.get(campaignId, packageId);
  const asked = record?.verification;
  if (!record || record.status !== 'READY' || asked?.requestId !== requestId || asked.status !== 'VERIFYING') {
    return 'skipped';
  }
  let outcome: Verification;
  try {
    const { mismatches, entries } = await compare(deps, record.objectKey, record.manifestKey, record.manifestSha256);
    outcome = {
      ...asked,
      status: mismatches.length === 0 ? 'VERIFIED' : 'MISMATCH',
      checkedAt: deps.clock().toISOString(),
      entries,
      mismatches: mismatches.slice(0, 200),
    };
  } catch (error) {
    outcome = {
      ...asked,
      status: 'FAILED',
      checkedAt: deps.clock().toISOString(),
      failure: (error instanceof Error ? error.message : String(error)).slice(0, 1000),
    };
  }
  await deps.store.verified(campaignId, packageId, outcome);
  deps.log?.('package verified', {
    campaignId,
    packageId,
    status: outcome.status,
    mismatches: outcome.mismatches.length,
  });
  return outcome.status;
}

async function compare(
  deps: VerifierDeps,
  objectKey: string,
  manifestKey: string,
  manifestSha256: string | undefined,
): Promise<{ mismatches: Mismatch[]; entries: number }> {
  const stored = await deps.archives.get(manifestKey);
  if (!stored) return { mismatches: [{ path: MANIFEST_PATH, problem: 'absent' }], entries: 0 };
  const storedDigest = sha256Hex(stored);
  if (storedDigest !== manifestSha256) {
    return {
      mismatches: [
        {
          path: MANIFEST_PATH,
          problem: 'manifest',
          ...(manifestSha256 && { expected: manifestSha256 }),
          actual: storedDigest,
        },
      ],
      entries: 0,
    };
  }
  const manifest = parseManifest(stored);
  const read = await deps.archives.entries(objectKey);
  if (!read) return { mismatches: [{ path: objectKey, problem: 'absent' }], entries: 0 };

  const mismatches: Mismatch[] = [];
  const actual = new Map(read.map((entry) => [entry.path, entry]));
  for (const entry of manifest.entries) {
    const found = actual.get(entry.path);
    if (!found) mismatches.push({ path: entry.path, problem: 'absent', expected: entry.sha256 });
    else if (found.sha256 !== entry.sha256) {
      mismatches.push({ path: entry.path, problem: 'digest', expected: entry.sha256, actual: found.sha256 });
    } else if (found.size !== entry.size) {
      mismatches.push({ path: entry.path, problem: 'size', expected: String(entry.size), actual: String(found.size) });
    }
  }
  const inZip = actual.get(MANIFEST_PATH);
  if (!inZip) mismatches.push({ path: MANIFEST_PATH, problem: 'absent', expected: storedDigest });
  else if (inZip.sha256 !== storedDigest) {
    mismatches.push({ path: MANIFEST_PATH, problem: 'manifest', expected: storedDigest, actual: inZip.sha256 });
  }
  const listed = new Set([...manifest.entries.map((e) => e.path), MANIFEST_PATH, MANIFEST_DIGEST_PATH]);
  for (const entry of read) {
    if (!listed.has(entry.path)) mismatches.push({ path: entry.path, problem: 'unlisted', actual: entry.sha256 });
  }
  return { mismatches, entries: read.length };
}
