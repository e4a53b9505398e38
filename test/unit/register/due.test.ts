import { describe, expect, it } from 'vitest';
import { dueFor } from '../../../shared/register/due.ts';
import { lapsedAt } from '../../../shared/register/entry.ts';

const dunhua = { level: 'national', state: 'valid', validFrom: '2022-12-31', validUntil: '2025-12-31' } as const;

describe('what a recognised cluster owes', () => {
  it('before 30 April: last year’s report, which the province sends MIIT by 30 April; in its last year, the re-review', () => {
    expect(dueFor(dunhua, new Date('2025-03-01T00:00:00+08:00'))).toEqual([
      { kind: 'annual-report', reportYear: 2024, provinceDeadline: '2025-04-30' },
      { kind: 're-review', year: 2025 },
    ]);
  });

  it('after 30 April (Beijing time), next year’s report; none on a year after its validity', () => {
    expect(dueFor(dunhua, new Date('2024-05-01T00:30:00+08:00'))).toEqual([
      { kind: 'annual-report', reportYear: 2024, provinceDeadline: '2025-04-30' },
      { kind: 're-review', year: 2025 },
    ]);
    expect(dueFor(dunhua, new Date('2025-06-01T00:00:00+08:00'))).toEqual([{ kind: 're-review', year: 2025 }]);
  });

  it('a provincial cluster has no national re-review; a revoked one owes nothing', () => {
    const at = new Date('2025-03-01T00:00:00+08:00');
    expect(dueFor({ ...dunhua, level: 'provincial' }, at)).toEqual([
      { kind: 'annual-report', reportYear: 2024, provinceDeadline: '2025-04-30' },
    ]);
    expect(dueFor({ ...dunhua, state: 'revoked' }, at)).toEqual([]);
  });

  it('a standing entry past its validity is lapsed, by the Beijing date; its state is not changed by the clock', () => {
    expect(lapsedAt(dunhua, new Date('2025-12-31T15:59:00Z'))).toBe(false);
    expect(lapsedAt(dunhua, new Date('2025-12-31T16:00:00Z'))).toBe(true);
    expect(lapsedAt({ ...dunhua, state: 'revoked' }, new Date('2026-06-01T00:00:00Z'))).toBe(false);
  });
});
