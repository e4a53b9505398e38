import { describe, expect, it } from 'vitest';
import type { AddOutcome, RegisterStore } from '../../../shared/ports/register.ts';
import { type RegisterEntry, STANDING_STATES } from '../../../shared/register/entry.ts';
import { entryOfRecognition } from '../../../shared/register/recognitions.ts';
import {
  migrateTypicalCases,
  REVOKED_TYPICAL_REASON,
  type TypicalMigrationDeps,
} from '../../../shared/register/typical-migration.ts';
import type { ApplicationRecord } from '../../../shared/schemas/records.ts';
import { FakeRecords } from '../ladder/fakes.ts';
import { application } from '../review/fixtures.ts';

/** The register in memory, with DynamoDB's rules: written once per natural key, replaced under its revision. */
class MemoryRegister implements Pick<RegisterStore, 'add' | 'get' | 'replace' | 'all'> {
  readonly entries = new Map<string, RegisterEntry>();
  async add(entry: RegisterEntry): Promise<AddOutcome> {
    if (this.entries.has(entry.entryId)) return 'existing';
    this.entries.set(entry.entryId, entry);
    return 'created';
  }
  async get(entryId: string) {
    return structuredClone(this.entries.get(entryId));
  }
  async replace(entry: RegisterEntry, expectedRevision: number) {
    if (this.entries.get(entry.entryId)?.revision !== expectedRevision) return false;
    this.entries.set(entry.entryId, entry);
    return true;
  }
  async all() {
    return [...this.entries.values()].map((entry) => structuredClone(entry));
  }
}

const NOW = new Date('2025-01-10T02:00:00Z');
const TYPICAL_ID = '11111111-2222-4333-8444-666666666666';
const OTHER_TYPICAL_ID = '11111111-2222-4333-8444-777777777777';
const RECOMMENDATION_ID = '11111111-2222-4333-8444-555555555555';

const recognized = (over: Partial<ApplicationRecord>): ApplicationRecord =>
  application(NOW, {
    status: 'RECOGNIZED',
    stage: 'miit',
    recognizedAt: '2024-11-30T02:00:00.000Z',
    validUntil: '2027-11-30T02:00:00.000Z',
    ...over,
  });

/** Records under the old rules: two typical cases recognised (one wrongly entered), one real recognition. */
function oldRecords() {
  const records = new FakeRecords();
  const register = new MemoryRegister();
  const typical = recognized({
    applicationId: TYPICAL_ID,
    track: 'typical-case',
    clusterName: '蜀山区智能语音产业集群',
  });
  const other = recognized({
    applicationId: OTHER_TYPICAL_ID,
    track: 'typical-case',
    clusterName: '庐阳区食品产业集群',
  });
  const recommendation = recognized({ applicationId: RECOMMENDATION_ID });
  for (const a of [typical, other, recommendation]) records.put(a);
  // What an old Recognize task made of the typical case (entered as if it were a recognition).
  const wrong = entryOfRecognition({ ...typical, track: 'recommendation' }, 2024, 'pipeline', NOW);
  const right = entryOfRecognition(recommendation, 2024, 'pipeline', NOW);
  if (!wrong || !right) throw new Error('no entries');
  register.entries.set(wrong.entryId, wrong);
  register.entries.set(right.entryId, right);
  let ids = 0;
  const deps: TypicalMigrationDeps = {
    records,
    register,
    // As the byDeadline VALID partition answers: the RECOGNIZED records with a validity.
    applications: {
      recognized: async () => [...records.applications.values()].filter((a) => a.status === 'RECOGNIZED'),
    },
    clock: () => NOW,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
  };
  return { records, register, deps, wrong, right };
}

describe('the migration of typical cases written under the old rules', () => {
  it('makes each recognised typical case SELECTED without validity, with an audit event naming the former validity', async () => {
    const { records, deps } = oldRecords();
    const report = await migrateTypicalCases(deps, 'operator:miit-ops');
    expect(report.converted).toBe(2);
    for (const id of [TYPICAL_ID, OTHER_TYPICAL_ID]) {
      const now = await records.getApplication(id);
      expect(now?.status).toBe('SELECTED');
      expect(now?.validUntil).toBeUndefined();
      expect(now?.recognizedAt).toBeUndefined();
      expect(records.actions(id)).toEqual(['MIGRATED_TO_SELECTED']);
    }
    expect((await records.listAudit(TYPICAL_ID))[0]).toMatchObject({
      actor: 'operator:miit-ops',
      role: 'operator',
      fromStatus: 'RECOGNIZED',
      toStatus: 'SELECTED',
      detail: { formerValidUntil: '2027-11-30T02:00:00.000Z', formerRecognizedAt: '2024-11-30T02:00:00.000Z' },
    });
    // The real recognition is left as it was.
    expect((await records.getApplication(RECOMMENDATION_ID))?.status).toBe('RECOGNIZED');
    expect(records.actions(RECOMMENDATION_ID)).toEqual([]);
  });

  it('revokes the entry wrongly made from a typical case (kept, with its reason), and no other', async () => {
    const { register, deps, wrong, right } = oldRecords();
    const report = await migrateTypicalCases(deps, 'operator:miit-ops');
    expect(report.entriesRevoked).toBe(1);
    const revoked = register.entries.get(wrong.entryId);
    expect(revoked?.state).toBe('revoked');
    expect(STANDING_STATES.has(revoked?.state ?? 'valid')).toBe(false);
    expect(revoked?.history.at(-1)).toMatchObject({
      from: 'valid',
      to: 'revoked',
      by: 'migration',
      reason: REVOKED_TYPICAL_REASON,
    });
    expect(register.entries.get(right.entryId)).toEqual(right);
    // Nothing typical stands in the register.
    const standing = [...register.entries.values()].filter((e) => STANDING_STATES.has(e.state));
    expect(standing.map((e) => e.clusterName)).toEqual([right.clusterName]);
  });

  it('run twice: the second run changes nothing', async () => {
    const { records, register, deps } = oldRecords();
    await migrateTypicalCases(deps, 'operator:miit-ops');
    const applications = structuredClone([...records.applications.values()]);
    const entries = structuredClone([...register.entries.values()]);
    const audits = records.audit.length;
    expect(await migrateTypicalCases(deps, 'operator:miit-ops')).toEqual({ converted: 0, entriesRevoked: 0 });
    expect([...records.applications.values()]).toEqual(applications);
    expect([...register.entries.values()]).toEqual(entries);
    expect(records.audit).toHaveLength(audits);
  });

  it('a typical case changed by someone else meanwhile is left to them', async () => {
    const { records, deps } = oldRecords();
    // Between the index read and the write, the case is changed (here: already SELECTED by another run).
    records.beforeNextSave = () => {
      const current = records.applications.get(TYPICAL_ID);
      if (current)
        records.put({ ...current, status: 'SELECTED', validUntil: undefined, revision: current.revision + 1 });
    };
    const report = await migrateTypicalCases(deps, 'operator:miit-ops');
    expect(report.converted).toBe(1);
    expect(records.actions(TYPICAL_ID)).toEqual([]);
    expect((await records.getApplication(TYPICAL_ID))?.status).toBe('SELECTED');
  });
});
