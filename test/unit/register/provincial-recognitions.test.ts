import { describe, expect, it } from 'vitest';
import { entryOfProvincialRecognition, recognitionRegister } from '../../../shared/register/recognitions.ts';
import { sampleApplication } from '../support.ts';
import { MemoryRegister } from './memory-register.ts';

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

  it('a national candidate past the steps that settle its province’s list: on the list from now, beside (not instead of) a national entry', () => {
    const application = sampleApplication({ status: 'PROVINCE_REVIEW' });
    const entry = entryOfProvincialRecognition(application, list, now);
    expect(entry).toMatchObject({ level: 'provincial', validFrom: '2026-07-20', validUntil: '2029-07-20' });
    expect(entry?.history[0]?.reason).toContain('national candidate');
  });

  it('never for another track (a typical case is never a recognition)', () => {
    expect(entryOfProvincialRecognition(sampleApplication({ track: 'typical-case' }), list, now)).toBeUndefined();
  });

  it('is entered once by its natural key: a retried task adds nothing, and reads back the entry written first', async () => {
    const stored = new MemoryRegister();
    let clock = now;
    const register = recognitionRegister({ register: stored, cohortOf: async () => 2026, clock: () => clock });
    const application = sampleApplication({ status: 'PROVINCE_REVIEW' });
    expect(await register.enterProvincialRecognition(application, list)).toBe('created');
    clock = new Date('2026-07-21T04:00:00.000Z');
    expect(await register.enterProvincialRecognition(application, list)).toBe('existing');
    expect([...stored.entries.values()].map((entry) => entry.level)).toEqual(['provincial']);
    const entry = await register.provincialRecognitionOf(application, 2026);
    expect(entry).toMatchObject({ validFrom: '2026-07-20', history: [{ at: now.toISOString() }] });
    expect(await register.provincialRecognitionOf(application, 2025)).toBeUndefined();
  });
});
