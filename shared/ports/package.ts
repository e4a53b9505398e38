/*
 * What the submission package (shared/package/) needs: its records, the sources it packs (the
 * province's applications, their evidence, the summary table, the level's formal letter), a
 * streaming ZIP writer and reader over the bucket, and the request that starts a build or a
 * verification in the background.
 */
import type { Principal } from '../platform/auth/principal.ts';
import type { Campaign } from '../rules/campaign.ts';
import type { Track } from '../schemas/common.ts';
import type { ApplicationRecord, EvidenceRecord } from '../schemas/records.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import type { Mismatch, PackageRecord, Verification } from '../package/records.ts';
import type { LevelDocuments } from './steps.ts';
import type { EvidenceObjects } from './validation.ts';

export interface PackageStore {
  /** @throws ConflictError when the id is taken */
  create(record: PackageRecord): Promise<void>;
  get(campaignId: string, packageId: string): Promise<PackageRecord | undefined>;
  /** A campaign's packages, newest first; of one jurisdiction when given. */
  list(campaignId: string, jurisdictionCode?: string): Promise<PackageRecord[]>;
  /**
   * Takes the build while the package is BUILDING and nobody holds it (or their hold lapsed):
   * the record as claimed, or undefined when it is built, failed or held by another delivery.
   */
  claim(campaignId: string, packageId: string, now: string, until: string): Promise<PackageRecord | undefined>;
  progress(
    campaignId: string,
    packageId: string,
    progress: { files: number; bytes: number; at: string },
  ): Promise<void>;
  /** BUILDING → READY, only while the claim is this one's (`claimedUntil`). */
  ready(
    record: PackageRecord,
    claimedUntil: string,
    result: Pick<PackageRecord, 'builtAt' | 'size' | 'files' | 'versionId' | 'eTag' | 'manifestSha256' | 'missing'>,
  ): Promise<boolean>;
  /** BUILDING → FAILED, only while the claim is this one's. */
  failed(record: PackageRecord, claimedUntil: string, failure: { failedAt: string; failure: string }): Promise<boolean>;
  /** Starts a verification of a READY package (replacing any earlier one). @returns false when not READY */
  requestVerification(campaignId: string, packageId: string, verification: Verification): Promise<boolean>;
  /** Records the outcome, only if `requestId` is still the verification asked for. */
  verified(campaignId: string, packageId: string, verification: Verification): Promise<boolean>;
}

/** What a package packs, read at build time. */
export interface PackageSources {
  /** @throws NotFoundError for an unknown campaign */
  campaign(campaignId: string): Promise<Campaign>;
  /** The provincial-rank jurisdiction's applications of the campaign (every track and status). */
  applicationsOf(provincialCode: string, campaignId: string): Promise<ApplicationRecord[]>;
  /** The province's scored decisions (its expert ranking). */
  scored(provincialCode: string, campaignId: string): Promise<ReviewRecord[]>;
  evidenceOf(applicationId: string): Promise<EvidenceRecord[]>;
  /** The summary table as XLSX, read as `principal` (who may export it). */
  summaryXlsx(
    request: { campaignId: string; track: Track; jurisdiction: string },
    principal: Principal,
  ): Promise<{ fileName: string; body: Uint8Array }>;
  levelDocuments: LevelDocuments;
  /** Evidence and level documents, pinned to the version (or ETag) the validator read. */
  objects: Pick<EvidenceObjects, 'open'>;
}

/** One file to write into the ZIP, opened only when its turn comes (one open stream at a time). */
export interface ArchiveEntry {
  path: string;
  /** Undefined when the source is gone: the entry is left out and the writer says so. */
  open(): Promise<AsyncIterable<Uint8Array> | undefined>;
}

export interface WrittenEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface ArchiveWriteResult {
  /** Entries written (the trailer's too), in order. */
  written: WrittenEntry[];
  /** Paths whose source was gone when opened. */
  absent: string[];
  size: number;
  versionId?: string;
  eTag?: string;
}

export interface PackageArchives {
  /**
   * Streams a ZIP to `key` (multipart, bounded memory): `entries` in order, each opened only once
   * the one before it is written, then the `trailer` entries, made once every entry before them
   * is written and hashed (the manifest).
   */
  write(
    key: string,
    entries: Iterable<ArchiveEntry>,
    trailer: (written: readonly WrittenEntry[], absent: readonly string[]) => { path: string; bytes: Uint8Array }[],
    onProgress?: (files: number, bytes: number) => void,
  ): Promise<ArchiveWriteResult>;
  /** Stores a small object beside the ZIP (the manifest). */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Reads a small object whole, or undefined when absent. */
  get(key: string): Promise<Uint8Array | undefined>;
  /**
   * Reads the stored ZIP's every entry through ranged reads (never the whole object at once),
   * hashing each entry's bytes.
   * @returns undefined when the object is absent
   */
  entries(key: string): Promise<WrittenEntry[] | undefined>;
}

/** Download links, apart from the archives: the API's bundle presigns and never streams a ZIP. */
export interface PackageLinks {
  /** A short-lived download link to the ZIP (the version built, where versions are kept). */
  downloadUrl(input: { key: string; fileName: string; versionId?: string; expiresInSeconds: number }): Promise<string>;
}

/** Starts work in the background: a small request object whose arrival invokes the builder. */
export interface PackageRequests {
  send(request: PackageWorkRequest): Promise<void>;
}

export interface PackageWorkRequest {
  action: 'build' | 'verify';
  campaignId: string;
  packageId: string;
  /** For a verification: which one (the record's verification.requestId). */
  requestId?: string;
}

export type { Mismatch };
