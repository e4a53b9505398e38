import { describe, expect, it } from 'vitest';
import { alsoNationalOf, asksAlsoNational } from '../../../shared/review/also-national.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';

const campaign = demoCampaign(new Date('2026-03-01T00:00:00Z'));
const dunhua = { countyCode: '222403' }; // Jilin: its cities state "also national"
const taiyuan = { countyCode: '140105' }; // Shanxi: nobody asks

describe('the city\u2019s "also national" statement', () => {
  it('is asked at a Jilin city\u2019s review, not at its formal-letter step (the letter completes it)', () => {
    expect(asksAlsoNational({ stage: 'city' }, dunhua, campaign)).toBe(true);
    expect(asksAlsoNational({ stage: 'city', step: { index: 0, kind: 'review' } }, dunhua, campaign)).toBe(true);
    expect(asksAlsoNational({ stage: 'city', step: { index: 1, kind: 'formal-letter' } }, dunhua, campaign)).toBe(
      false,
    );
    expect(asksAlsoNational({ stage: 'province' }, dunhua, campaign)).toBe(false);
    expect(asksAlsoNational({ stage: 'city' }, taiyuan, campaign)).toBe(false);
  });

  it('approving the letter step needs no statement; approving the review does', () => {
    const letterStep = { stage: 'city', step: { index: 1, kind: 'formal-letter' } } as const;
    expect(alsoNationalOf(letterStep, dunhua, campaign, { decision: 'approve' })).toBeUndefined();
    expect(() => alsoNationalOf({ stage: 'city' }, dunhua, campaign, { decision: 'approve' })).toThrow(/national/);
    expect(alsoNationalOf({ stage: 'city' }, dunhua, campaign, { decision: 'approve', alsoNational: false })).toBe(
      false,
    );
  });
});
