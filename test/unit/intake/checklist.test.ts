import { describe, expect, it } from 'vitest';
import { checklistStatus } from '../../../shared/intake/checklist.ts';
import type { ChecklistItem } from '../../../shared/rules/checklist.ts';
import type { EvidenceRecord } from '../../../shared/schemas/records.ts';

const now = new Date('2026-05-01T00:00:00Z');
const item = (id: string, required: boolean, maxFiles = 2): ChecklistItem =>
  ({
    id,
    title: { zh: id, en: id },
    required,
    fileTypes: ['pdf'],
    maxBytes: 1000,
    maxFiles,
  }) as ChecklistItem;

let counter = 0;
const evidence = (criterion: string, status: EvidenceRecord['status'], expires = '2026-05-01T00:10:00Z') =>
  ({
    applicationId: '00000000-0000-4000-8000-000000000000',
    evidenceId: `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`,
    criterion,
    status,
    uploadExpiresAt: expires,
  }) as EvidenceRecord;

describe('checklistStatus', () => {
  it('reports a required item with no file as MISSING and an optional one as fine', () => {
    const [required, optional] = checklistStatus([item('form', true), item('extra', false)], [], now);
    expect(required?.problem).toBe('MISSING');
    expect(optional?.problem).toBeUndefined();
  });

  it('counts only VALID files toward completeness', () => {
    const [status] = checklistStatus([item('form', true)], [evidence('form', 'INVALID')], now);
    expect(status).toMatchObject({ valid: 0, invalid: 1, problem: 'INVALID' });
    const [ok] = checklistStatus([item('form', true)], [evidence('form', 'INVALID'), evidence('form', 'VALID')], now);
    expect(ok?.problem).toBeUndefined();
  });

  it('blocks while an upload is in flight but ignores abandoned upload requests', () => {
    const inFlight = checklistStatus(
      [item('form', true)],
      [evidence('form', 'VALID'), evidence('form', 'PENDING')],
      now,
    );
    expect(inFlight[0]?.problem).toBe('PENDING');
    const abandoned = checklistStatus(
      [item('form', true)],
      [evidence('form', 'VALID'), evidence('form', 'PENDING', '2026-04-30T23:00:00Z')],
      now,
    );
    expect(abandoned[0]).toMatchObject({ pending: 0 });
    expect(abandoned[0]?.problem).toBeUndefined();
  });

  it('refuses more valid files than the item allows', () => {
    const files = [evidence('form', 'VALID'), evidence('form', 'VALID'), evidence('form', 'VALID')];
    expect(checklistStatus([item('form', true, 2)], files, now)[0]?.problem).toBe('TOO_MANY_FILES');
  });
});
