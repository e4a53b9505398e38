import type { AddOutcome, RegisterStore } from '../../../shared/ports/register.ts';
import type { RegisterEntry } from '../../../shared/register/entry.ts';

/** The register in memory, with DynamoDB's rules: one entry per natural key, replace conditional on the revision. */
export class MemoryRegister implements RegisterStore {
  readonly entries = new Map<string, RegisterEntry>();

  constructor(entries: readonly RegisterEntry[] = []) {
    for (const entry of entries) this.entries.set(entry.entryId, structuredClone(entry));
  }

  async add(entry: RegisterEntry): Promise<AddOutcome> {
    if (this.entries.has(entry.entryId)) return 'existing';
    this.entries.set(entry.entryId, structuredClone(entry));
    return 'created';
  }

  async replace(entry: RegisterEntry, expectedRevision: number): Promise<boolean> {
    if (this.entries.get(entry.entryId)?.revision !== expectedRevision) return false;
    this.entries.set(entry.entryId, structuredClone(entry));
    return true;
  }

  async get(entryId: string) {
    const entry = this.entries.get(entryId);
    return entry && structuredClone(entry);
  }

  async ofProvince(provinceCode: string) {
    return [...this.entries.values()].filter((entry) => entry.provinceCode === provinceCode);
  }

  async ofCounty(countyCode: string) {
    return [...this.entries.values()].filter((entry) => entry.countyCode === countyCode);
  }

  async all() {
    return [...this.entries.values()];
  }
}
