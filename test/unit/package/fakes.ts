import { createHash } from 'node:crypto';
import type {
  ArchiveEntry,
  ArchiveWriteResult,
  PackageArchives,
  PackageStore,
  WrittenEntry,
} from '../../../shared/ports/package.ts';
import type { PackageRecord, Verification } from '../../../shared/package/records.ts';

const hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The package table in memory, with the adapter's conditions (status, the builder's hold). */
export class FakePackageStore implements PackageStore {
  readonly records = new Map<string, PackageRecord>();
  private readonly key = (c: string, p: string) => `${c}/${p}`;

  async create(record: PackageRecord) {
    this.records.set(this.key(record.campaignId, record.packageId), record);
  }
  async get(campaignId: string, packageId: string) {
    return this.records.get(this.key(campaignId, packageId));
  }
  async list(campaignId: string, code?: string) {
    return [...this.records.values()].filter(
      (r) => r.campaignId === campaignId && (code === undefined || r.jurisdictionCode === code),
    );
  }
  async claim(campaignId: string, packageId: string, now: string, until: string) {
    const record = await this.get(campaignId, packageId);
    if (!record || record.status !== 'BUILDING' || (record.claimedUntil !== undefined && record.claimedUntil >= now)) {
      return undefined;
    }
    const claimed = { ...record, claimedUntil: until, attempts: record.attempts + 1 };
    await this.create(claimed);
    return claimed;
  }
  async progress() {}
  async ready(record: PackageRecord, until: string, result: Partial<PackageRecord>) {
    return this.finish(record, until, { ...result, status: 'READY' });
  }
  async failed(record: PackageRecord, until: string, failure: { failedAt: string; failure: string }) {
    return this.finish(record, until, { ...failure, status: 'FAILED' });
  }
  async requestVerification(campaignId: string, packageId: string, verification: Verification) {
    const record = await this.get(campaignId, packageId);
    if (record?.status !== 'READY') return false;
    await this.create({ ...record, verification });
    return true;
  }
  async verified(campaignId: string, packageId: string, verification: Verification) {
    const record = await this.get(campaignId, packageId);
    if (record?.verification?.requestId !== verification.requestId) return false;
    await this.create({ ...record, verification });
    return true;
  }
  private async finish(record: PackageRecord, until: string, fields: Partial<PackageRecord>) {
    const now = await this.get(record.campaignId, record.packageId);
    if (now?.status !== 'BUILDING' || now.claimedUntil !== until) return false;
    const { claimedUntil: _held, progress: _progress, ...rest } = now;
    await this.create({ ...rest, ...fields });
    return true;
  }
}

/** Archives in memory: a "ZIP" is the list of its entries' bytes. */
export class FakeArchives implements PackageArchives {
  readonly zips = new Map<string, Map<string, Uint8Array>>();
  readonly objects = new Map<string, Uint8Array>();
  writes = 0;

  async write(
    key: string,
    entries: Iterable<ArchiveEntry>,
    trailer: (written: readonly WrittenEntry[], absent: readonly string[]) => { path: string; bytes: Uint8Array }[],
  ): Promise<ArchiveWriteResult> {
    this.writes += 1;
    const zip = new Map<string, Uint8Array>();
    const written: WrittenEntry[] = [];
    const absent: string[] = [];
    const add = (path: string, bytes: Uint8Array) => {
      zip.set(path, bytes);
      written.push({ path, size: bytes.byteLength, sha256: hex(bytes) });
    };
    for (const entry of entries) {
      const source = await entry.open();
      if (!source) {
        absent.push(entry.path);
        continue;
      }
      const chunks: Uint8Array[] = [];
      for await (const chunk of source) chunks.push(chunk);
      add(entry.path, Buffer.concat(chunks));
    }
    for (const extra of trailer(written, absent)) add(extra.path, extra.bytes);
    this.zips.set(key, zip);
    const size = [...zip.values()].reduce((n, b) => n + b.byteLength, 0);
    return { written, absent, size, eTag: 'etag-1' };
  }
  async put(key: string, bytes: Uint8Array) {
    this.objects.set(key, bytes);
  }
  async get(key: string) {
    return this.objects.get(key);
  }
  async entries(key: string) {
    const zip = this.zips.get(key);
    return zip && [...zip].map(([path, bytes]) => ({ path, size: bytes.byteLength, sha256: hex(bytes) }));
  }
}
