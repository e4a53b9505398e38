import { describe, expect, it } from 'vitest';
import { currentReportYear, dutiesOf, owesReport, provinceDeadline } from '../../../shared/annual-report/cycle.ts';
import { dutyRows, planForwarding } from '../../../shared/annual-report/forwarding.ts';
import {
  AnnualFiguresSchema,
  fileOfKey,
  annualReportFileKey,
  nextState,
} from '../../../shared/annual-report/report.ts';
import { ConflictError } from '../../../shared/platform/errors.ts';
import { REMINDER_RULES } from '../../../shared/rules/reminders.ts';

const rules = REMINDER_RULES.annualReport;
const entry = (over: Partial<Parameters<typeof owesReport>[0]> & { entryId?: string; clusterName?: string } = {}) => ({
  entryId: 'national#2022#222403#敦化市医药',
  clusterName: '敦化市医药产业集群',
  countyCode: '222403',
  provinceCode: '220000',
  level: 'national' as const,
  cohort: 2022,
  state: 'valid' as const,
  validFrom: '2022-12-20',
  validUntil: '2025-12-20',
  ...over,
});

describe('the cycle', () => {
  it('is due at the end of 30 April of the next year, Beijing time', () => {
    expect(provinceDeadline(2025, rules)).toBe('2026-04-30T23:59:59+08:00');
  });

  it('reports on the past year until 30 April ends in Beijing, then on this year', () => {
    expect(currentReportYear(new Date('2026-04-30T15:59:59Z'), rules)).toBe(2025);
    expect(currentReportYear(new Date('2026-04-30T16:00:00Z'), rules)).toBe(2026);
    expect(currentReportYear(new Date('2026-01-01T00:00:00Z'), rules)).toBe(2025);
  });
});

describe('who owes a report', () => {
  it('an entry in a standing state whose validity overlaps the year', () => {
    expect(owesReport(entry(), 2022)).toBe(true);
    expect(owesReport(entry(), 2025)).toBe(true);
    expect(owesReport(entry(), 2026)).toBe(false);
    expect(owesReport(entry(), 2021)).toBe(false);
    expect(owesReport(entry({ state: 'under-re-review' }), 2024)).toBe(true);
    expect(owesReport(entry({ state: 'retained', validUntil: '2028-12-20' }), 2026)).toBe(true);
  });

  it('a revoked or expired entry owes nothing', () => {
    expect(owesReport(entry({ state: 'revoked' }), 2024)).toBe(false);
    expect(owesReport(entry({ state: 'expired' }), 2024)).toBe(false);
    expect(dutiesOf([entry(), entry({ entryId: 'x', state: 'revoked' })], 2024)).toHaveLength(1);
  });
});

describe('the figures', () => {
  const figures = {
    clusterOutput: 1_250_000,
    smeCount: 120,
    employment: 8600,
    rdSpending: 41_000,
    specialisedSmes: 12,
    littleGiants: 2,
    mainWork: '建设公共技术服务平台',
    problems: '融资难',
  };

  it('accepts a whole report', () => {
    expect(AnnualFiguresSchema.safeParse(figures).success).toBe(true);
  });

  it('names the field that is wrong', () => {
    const paths = (value: unknown) =>
      (AnnualFiguresSchema.safeParse(value).error?.issues ?? []).map((issue) => issue.path.join('.'));
    expect(paths({ ...figures, littleGiants: 13 })).toEqual(['littleGiants']);
    expect(paths({ ...figures, specialisedSmes: 121, littleGiants: 0 })).toEqual(['specialisedSmes']);
    expect(paths({ ...figures, employment: -1 })).toEqual(['employment']);
    expect(paths({ ...figures, mainWork: '  ' })).toEqual(['mainWork']);
    expect(paths({ ...figures, extra: 1 })).toEqual(['']);
  });
});

describe("a report's state machine", () => {
  it('files, is returned, is filed again, is accepted', () => {
    expect(nextState(undefined, 'filed')).toBe('FILED');
    expect(nextState('FILED', 'returned')).toBe('RETURNED');
    expect(nextState('RETURNED', 'filed')).toBe('FILED');
    expect(nextState('FILED', 'filed')).toBe('FILED');
    expect(nextState('FILED', 'accepted')).toBe('ACCEPTED');
  });

  it('refuses what the province has decided, or what was never filed', () => {
    expect(() => nextState('ACCEPTED', 'filed')).toThrow(ConflictError);
    expect(() => nextState(undefined, 'accepted')).toThrow(/not yet filed/);
    expect(() => nextState('RETURNED', 'accepted')).toThrow(ConflictError);
    expect(() => nextState('ACCEPTED', 'returned')).toThrow(ConflictError);
  });
});

describe('the forwarded set', () => {
  it('forwards accepted reports, lists missing ones with why, and holds back while one waits for review', () => {
    const a = entry({ entryId: 'a', clusterName: 'A' });
    const b = entry({ entryId: 'b', clusterName: 'B' });
    const c = entry({ entryId: 'c', clusterName: 'C' });
    const d = entry({ entryId: 'd', clusterName: 'D' });
    const report = (entryId: string, state: 'FILED' | 'ACCEPTED' | 'RETURNED') =>
      ({ entryId, state, revision: 2 }) as Parameters<typeof dutyRows>[1][number];
    const plan = planForwarding(
      dutyRows([a, b, c, d], [report('a', 'ACCEPTED'), report('b', 'RETURNED'), report('d', 'FILED')]),
    );
    expect(plan.reports.map((r) => r.entryId)).toEqual(['a']);
    expect(plan.missing.map((m) => [m.entryId, m.why])).toEqual([
      ['b', 'returned'],
      ['c', 'not-filed'],
    ]);
    expect(plan.unreviewed.map((u) => u.entryId)).toEqual(['d']);
  });
});

describe('the upload key', () => {
  it('names the province, year and file the validator looks up', () => {
    const file = { provinceCode: '220000', reportYear: 2025, fileId: '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f' };
    expect(fileOfKey(annualReportFileKey(file))).toEqual(file);
    expect(fileOfKey('evidence/annual-reports/220000/2025/not-a-uuid')).toBeUndefined();
  });
});
