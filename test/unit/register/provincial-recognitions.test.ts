import { describe, expect, it } from 'vitest';
import type { AddOutcome } from '../../../shared/ports/register.ts';
import type { RegisterEntry } from '../../../shared/register/entry.ts';
import { entryOfProvincialRecognition, recognitionRegister } from '../../../shared/register/recognitions.ts';
import { sampleApplication } from '../support.ts';

/** A province's own recognitions in the register (level provincial), as the provincial track enters them. */

const now = new Date('2026-07-20T04:00:00.000Z');
const list = { cohort: 2026, validityYears: 3 };

describe('entryOfProvincialRecognition', () => {
  it('an application ending on the province list: provincial, its cohort, valid from its recognition for the years given', () => {
    const application = sampleApplication({
      status: 'PROVINCIALLY_RECOGNIZED',
      recognizedAt: '2026-07-19T02:00:00.000Z',
      validUntil: '2029-07-19T02:00:00.000Z',
    });
    const entry = entryOfProvincialRecognition(application, list, now);
    expect(entry).toMatchObject({
      level: 'provincial',
      cohort: 2026,
      countyCode: application.countyCode,
      provinceCode: '220000',
      validFrom: '2026-07-19',
      validUntil: '2029-07-19',
      state: 'valid',
      source: { kind: 'pipeline', applicationId: application.applicationId },
    });
    expect(entry?.entryId).toMatch(/provincial/);
  });

  it('a national candidate leaving its province: on the list from now, beside (not instead of) a national entry', () => {
    const application = sampleApplication({ status: 'MIIT_REVIEW' });
    const entry = entryOfProvincialRecognition(application, list, now);
    expect(entry).toMatchObject({ level: 'provincial', validFrom: '2026-07-20', validUntil: '2029-07-20' });
    expect(entry?.history[0]?.reason).toContain('national candidate');
  });

  it('never for another track (a typical case is never a recognition)', () => {
    expect(entryOfProvincialRecognition(sampleApplication({ track: 'typical-case' }), list, now)).toBeUndefined();
  });

  it('is entered once by its natural key: a retried task adds nothing', async () => {
    const stored = new Map<string, RegisterEntry>();
    const register = recognitionRegister({
      register: {
        add: async (entry): Promise<AddOutcome> => {
          if (stored.has(entry.entryId)) return 'existing';
          stored.set(entry.entryId, entry);
          return 'created';
        },
      },
      cohortOf: async () => 2026,
      clock: () => now,
    });
    const application = sampleApplication({ status: 'MIIT_REVIEW' });
    expect(await register.enterProvincialRecognition(application, list)).toBe('created');
    expect(await register.enterProvincialRecognition(application, list)).toBe('existing');
    expect([...stored.values()].map((entry) => entry.level)).toEqual(['provincial']);
  });
});
