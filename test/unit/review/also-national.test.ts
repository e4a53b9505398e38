import { describe, expect, it } from 'vitest';
import { alsoNationalOf, asksAlsoNational } from '../../../shared/review/also-national.ts';
import { alsoNationalCampaignAt } from './fixtures.ts';

const now = new Date('2026-04-01T02:00:00Z');
const campaign = alsoNationalCampaignAt(now);
/** 敦化市, under 延边州 in Jilin: its province asks the city for the statement. */
const dunhua = { countyCode: '222403' };

describe('the city\'s "also national" statement, once per candidate', () => {
  it("is asked at the city's review (its first step) and required to approve there", () => {
    for (const review of [{ stage: 'city' }, { stage: 'city', step: { index: 0, kind: 'review' } }] as const) {
      expect(asksAlsoNational(review, dunhua, campaign)).toBe(true);
      expect(() => alsoNationalOf(review, dunhua, campaign, { decision: 'approve' })).toThrow(
        expect.objectContaining({ details: [expect.objectContaining({ field: 'alsoNational' })] }),
      );
      expect(alsoNationalOf(review, dunhua, campaign, { decision: 'approve', alsoNational: false })).toBe(false);
    }
  });

  it("is neither asked nor kept at the city's later steps (its formal letter is approved by the letter alone)", () => {
    const letterStep = { stage: 'city', step: { index: 1, kind: 'formal-letter' } } as const;
    expect(asksAlsoNational(letterStep, dunhua, campaign)).toBe(false);
    expect(alsoNationalOf(letterStep, dunhua, campaign, { decision: 'approve' })).toBeUndefined();
    expect(alsoNationalOf(letterStep, dunhua, campaign, { decision: 'approve', alsoNational: true })).toBeUndefined();
  });
});
