import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../shared/platform/errors.ts';
import type { RegisterStore } from '../../../shared/ports/register.ts';
import { changedEntry, mayChange, moveEntry } from '../../../shared/register/changes.ts';
import { REGISTER_STATES, type RegisterEntry, type RegisterState } from '../../../shared/register/entry.ts';

/** A register kept in memory whose replace is conditional on the revision, as DynamoRegister's is. */
class MemoryRegister implements Pick<RegisterStore, 'get' | 'replace'> {
  readonly entries = new Map<string, RegisterEntry>();
  replaces = 0;
  /** Runs just before the next replace: someone else's change landing in between. */
  beforeReplace?: () => void;

  async get(entryId: string) {
    const entry = this.entries.get(entryId);
    return entry && structuredClone(entry);
  }

  async replace(entry: RegisterEntry, expectedRevision: number) {
    this.replaces++;
    const racing = this.beforeReplace;
    this.beforeReplace = undefined;
    racing?.();
    if (this.entries.get(entry.entryId)?.revision !== expectedRevision) return false;
    this.entries.set(entry.entryId, structuredClone(entry));
    return true;
  }
}

const ENTRY_ID = 'national#2022#222403#医药';
const AT = '2025-06-01T02:00:00.000Z';

function entry(state: RegisterState = 'valid', revision = 0): RegisterEntry {
  return {
    entryId: ENTRY_ID,
    clusterName: '敦化市医药产业集群',
    countyCode: '222403',
    provinceCode: '220000',
    leadingIndustry: '医药',
    subSector: '',
    level: 'national',
    cohort: 2022,
    validFrom: '2022-12-01',
    validUntil: '2025-12-01',
    state,
    history: [{ at: '2022-12-01T00:00:00.000Z', by: 'seed', to: 'valid', reason: 'the 2022 list' }],
    source: { kind: 'seed' },
    revision,
    createdAt: '2022-12-01T00:00:00.000Z',
    updatedAt: '2022-12-01T00:00:00.000Z',
  };
}

const revoke = { to: 'revoked' as const, by: 'operator:op-1', reason: '虚假信息：产值造假', at: AT };

describe('which register states may follow which', () => {
  const ALLOWED: Record<RegisterState, RegisterState[]> = {
    valid: ['under-re-review', 'revoked', 'expired'],
    'under-re-review': ['valid', 'retained', 'revoked', 'expired'],
    retained: ['under-re-review', 'revoked', 'expired'],
    revoked: [],
    expired: [],
  };
  for (const from of REGISTER_STATES) {
    for (const to of REGISTER_STATES) {
      const allowed = ALLOWED[from].includes(to);
      it(`${from} → ${to}: ${allowed ? 'allowed' : 'refused'}`, () => {
        expect(mayChange(from, to)).toBe(allowed);
        const change = () => changedEntry(entry(from), { ...revoke, to });
        if (allowed) expect(change().state).toBe(to);
        else expect(change).toThrow(ConflictError);
      });
    }
  }

  it('a change adds one history line naming who, when and why, and the next revision', () => {
    const changed = changedEntry(entry('valid', 4), revoke);
    expect(changed.revision).toBe(5);
    expect(changed.updatedAt).toBe(AT);
    expect(changed.history).toHaveLength(2);
    expect(changed.history.at(-1)).toEqual({
      at: AT,
      by: 'operator:op-1',
      from: 'valid',
      to: 'revoked',
      reason: revoke.reason,
    });
  });

  it('a retained entry carries its renewed validity; other changes keep the validity they had', () => {
    const retained = changedEntry(entry('under-re-review'), { ...revoke, to: 'retained', validUntil: '2028-12-01' });
    expect(retained.validUntil).toBe('2028-12-01');
    expect(changedEntry(entry(), revoke).validUntil).toBe('2025-12-01');
  });
});

describe('moveEntry', () => {
  it('writes the change once: a retry of the same change finds it written and writes nothing', async () => {
    const register = new MemoryRegister();
    register.entries.set(ENTRY_ID, entry());
    const first = await moveEntry(register, ENTRY_ID, revoke);
    expect(first.changed).toBe(true);
    expect(first.entry.state).toBe('revoked');
    const again = await moveEntry(register, ENTRY_ID, revoke);
    expect(again.changed).toBe(false);
    expect(register.replaces).toBe(1);
    expect(register.entries.get(ENTRY_ID)?.history).toHaveLength(2);
  });

  it('a different change after it is refused: a revoked entry is final', async () => {
    const register = new MemoryRegister();
    register.entries.set(ENTRY_ID, entry('revoked', 1));
    await expect(moveEntry(register, ENTRY_ID, { ...revoke, to: 'retained' })).rejects.toThrow(ConflictError);
    // The same state for another reason is another change, and revoked allows none.
    await expect(moveEntry(register, ENTRY_ID, { ...revoke, reason: 'another reason' })).rejects.toThrow(ConflictError);
    expect(register.replaces).toBe(0);
  });

  it('re-reads and retries when someone changed the entry in between, and keeps both changes', async () => {
    const register = new MemoryRegister();
    register.entries.set(ENTRY_ID, entry());
    register.beforeReplace = () => {
      const current = register.entries.get(ENTRY_ID) as RegisterEntry;
      register.entries.set(
        ENTRY_ID,
        changedEntry(current, { to: 'under-re-review', by: 'workflow', reason: '2025 re-review', at: AT }),
      );
    };
    const moved = await moveEntry(register, ENTRY_ID, revoke);
    expect(moved.changed).toBe(true);
    expect(register.replaces).toBe(2);
    const stored = register.entries.get(ENTRY_ID) as RegisterEntry;
    expect(stored.state).toBe('revoked');
    expect(stored.revision).toBe(2);
    expect(stored.history.map((h) => h.to)).toEqual(['valid', 'under-re-review', 'revoked']);
  });

  it('refuses, after the re-read, a change the racing one made impossible', async () => {
    const register = new MemoryRegister();
    register.entries.set(ENTRY_ID, entry());
    register.beforeReplace = () => {
      const current = register.entries.get(ENTRY_ID) as RegisterEntry;
      register.entries.set(
        ENTRY_ID,
        changedEntry(current, { to: 'expired', by: 'operator:op-2', reason: 'lapsed', at: AT }),
      );
    };
    await expect(moveEntry(register, ENTRY_ID, revoke)).rejects.toThrow(/expired: it cannot become revoked/);
    expect(register.entries.get(ENTRY_ID)?.state).toBe('expired');
  });

  it('gives up with REGISTER_BUSY when the entry keeps changing under it', async () => {
    const register = new MemoryRegister();
    register.entries.set(ENTRY_ID, entry());
    const bump = () => {
      const current = register.entries.get(ENTRY_ID) as RegisterEntry;
      register.entries.set(ENTRY_ID, { ...current, revision: current.revision + 1 });
      register.beforeReplace = bump;
    };
    register.beforeReplace = bump;
    await expect(moveEntry(register, ENTRY_ID, revoke, 3)).rejects.toMatchObject({ code: 'REGISTER_BUSY' });
    expect(register.replaces).toBe(3);
  });

  it('an unknown entry is not found', async () => {
    await expect(moveEntry(new MemoryRegister(), ENTRY_ID, revoke)).rejects.toThrow(NotFoundError);
  });
});
