import { describe, expect, it } from 'vitest';
import { alsoNationalOf, asksAlsoNational } from '../../../shared/review/also-national.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';

const campaign = demoCampaign(new Date('2026-03-01T00:00:00Z'));
const dunhua = { countyCode: '222403' };

describe('Jilin city states "also national" once, at its review', () => {
  it('asks at the city review (step 0), not at its formal-letter step', () => {
    expect(asksAlsoNational({ stage: 'city' }, dunhua, campaign)).toBe(true);
    expect(asksAlsoNational({ stage: 'city', step: { index: 0, kind: 'review' } }, dunhua, campaign)).toBe(true);
    expect(asksAlsoNational({ stage: 'city', step: { index: 1, kind: 'formal-letter' } }, dunhua, campaign)).toBe(
      false,
    );
    expect(asksAlsoNational({ stage: 'province' }, dunhua, campaign)).toBe(false);
  });

  it('a formal letter completing the city’s later step needs no statement; the review still does', () => {
    const letter = { stage: 'city' as const, step: { index: 1, kind: 'formal-letter' as const } };
    expect(alsoNationalOf(letter, dunhua, campaign, { decision: 'approve' })).toBeUndefined();
    expect(() => alsoNationalOf({ stage: 'city' }, dunhua, campaign, { decision: 'approve' })).toThrow(
      /also recommended for national/,
    );
  });
});
