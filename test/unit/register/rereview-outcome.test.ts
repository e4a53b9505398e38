import { describe, expect, it } from 'vitest';
import { moveEntry } from '../../../shared/register/changes.ts';
import type { RegisterEntry } from '../../../shared/register/entry.ts';
import { renewedValidUntil, rereviewRegister } from '../../../shared/register/rereview-outcome.ts';
import { seedEntries } from '../../../shared/register/seed.ts';
import { sampleApplication } from '../support.ts';
import { MemoryRegister } from './memory-register.ts';

const NOW = new Date('2025-09-01T02:00:00Z');
const [dunhua] = seedEntries(new Date('2025-01-01T00:00:00Z')) as [RegisterEntry];

function setUp() {
  const register = new MemoryRegister([dunhua]);
  const rereview = rereviewRegister({ register, clock: () => NOW });
  const filing = sampleApplication({ track: 'rereview', registerEntryId: dunhua.entryId, status: 'SUBMITTED' });
  return { register, rereview, filing, entry: () => register.entries.get(dunhua.entryId) };
}

describe('a re-review’s outcome moves its register entry', () => {
  it('submitted: under re-review, once (a resubmission changes nothing)', async () => {
    const { rereview, filing, entry } = setUp();
    expect((await rereview.filed(filing))?.changed).toBe(true);
    expect((await rereview.filed(filing))?.changed).toBe(false);
    expect(entry()).toMatchObject({ state: 'under-re-review', revision: 1 });
    expect(entry()?.history.at(-1)).toMatchObject({ from: 'valid', to: 'under-re-review', by: 'workflow' });
  });

  it('MIIT’s approval: retained, its validity renewed from the old validUntil, once', async () => {
    const { rereview, filing, entry } = setUp();
    await rereview.filed(filing);
    const recognized = { ...filing, status: 'RECOGNIZED' as const };
    expect((await rereview.settled(recognized, 3))?.changed).toBe(true);
    // The seed's 2022 entry ran to 2025-12-31: retained to 2028-12-31, whenever MIIT decided.
    expect(entry()).toMatchObject({ state: 'retained', validUntil: '2028-12-31' });
    expect(renewedValidUntil(dunhua, 3)).toBe('2028-12-31');
    // A retried Recognize task finds it retained: nothing moves, the term is not renewed twice.
    expect((await rereview.settled(recognized, 3))?.changed).toBe(false);
    expect(entry()).toMatchObject({ validUntil: '2028-12-31', revision: 2 });
  });

  it('a rejection at any level: revoked, with the reviewer’s reason', async () => {
    const { rereview, filing, entry } = setUp();
    await rereview.filed(filing);
    const rejected = { ...filing, status: 'REJECTED' as const, decisionReason: '集群主导产业已萎缩' };
    await rereview.settled(rejected);
    expect(entry()?.state).toBe('revoked');
    expect(entry()?.history.at(-1)?.reason).toContain('集群主导产业已萎缩');
  });

  it('withdrawn, overdue or cancelled: the entry stays under re-review (the operator decides)', async () => {
    const { rereview, filing, entry } = setUp();
    await rereview.filed(filing);
    for (const status of ['WITHDRAWN', 'OVERDUE', 'CANCELLED'] as const) {
      expect(await rereview.settled({ ...filing, status })).toBeUndefined();
    }
    expect(entry()?.state).toBe('under-re-review');
  });

  it('leaves an entry revoked meanwhile as it is (a revocation is final), and ignores other tracks', async () => {
    const { register, rereview, filing, entry } = setUp();
    await rereview.filed(filing);
    await moveEntry(register, dunhua.entryId, {
      to: 'revoked',
      by: 'operator:x',
      reason: '虚假材料',
      at: NOW.toISOString(),
    });
    expect(await rereview.settled({ ...filing, status: 'RECOGNIZED' }, 3)).toBeUndefined();
    expect(entry()?.state).toBe('revoked');
    const typical = { ...filing, track: 'typical-case' as const, status: 'REJECTED' as const };
    expect(await rereview.settled(typical)).toBeUndefined();
    expect(await rereview.filed({ ...filing, registerEntryId: undefined })).toBeUndefined();
  });
});
