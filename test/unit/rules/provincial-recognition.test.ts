import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/platform/errors.ts';
import { parseCampaign } from '../../../shared/rules/campaign.ts';
import { type ProvinceOverlayInput } from '../../../shared/rules/province-overlay.ts';
import {
  miit2025Recommendation,
  miit2025RecommendationInput,
} from '../../../shared/rules/campaigns/miit-2025-recommendation.ts';
import { provinceStatementStep, ProvincialRecognitionSchema } from '../../../shared/rules/provincial-recognition.ts';

/** The overlay schema of a province's own list, and the seeded Jilin and Shanxi overlays. */

const overlayOf = (code: string) => miit2025Recommendation.overlays.find((overlay) => overlay.provinceCode === code);

/** The 2025 call with one province's overlay changed, parsed; the fields its errors name. */
function fieldsWith(code: string, change: (overlay: ProvinceOverlayInput) => ProvinceOverlayInput): string[] {
  try {
    parseCampaign({
      ...miit2025RecommendationInput,
      overlays: (miit2025RecommendationInput.overlays ?? []).map((o) => (o.provinceCode === code ? change(o) : o)),
    });
    return [];
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return (error.details ?? []).map((detail) => detail.field ?? '');
  }
}

describe('provincialRecognition', () => {
  it('defaults to 3 years and no prior provincial recognition required; names its own kind of national candidates', () => {
    expect(ProvincialRecognitionSchema.parse({ nationalCandidates: 'city-states' })).toEqual({
      validityYears: 3,
      nationalCandidates: 'city-states',
      priorProvincialRequired: false,
    });
    expect(ProvincialRecognitionSchema.safeParse({ nationalCandidates: 'miit-decides' }).success).toBe(false);
    expect(ProvincialRecognitionSchema.safeParse({ nationalCandidates: 'city-states', validityYears: 0 }).success).toBe(
      false,
    );
  });

  it('is seeded for Jilin (the city states it; its cities file their own tables) and Shanxi (the province chooses)', () => {
    expect(overlayOf('220000')).toMatchObject({
      cityStatesAlsoNational: true,
      cityTables: true,
      provincialRecognition: { validityYears: 3, nationalCandidates: 'city-states', priorProvincialRequired: false },
    });
    expect(overlayOf('140000')?.provincialRecognition).toEqual({
      validityYears: 3,
      nationalCandidates: 'province-chooses',
      priorProvincialRequired: true,
    });
    // No other province of the 2025 call keeps a list of its own.
    expect(miit2025Recommendation.overlays.filter((o) => o.provincialRecognition).map((o) => o.provinceCode)).toEqual([
      '220000',
      '140000',
    ]);
  });

  it("asks Shanxi's province at its meeting, and Jilin's at its first step only for a sender with no city", () => {
    const shanxiProvince = overlayOf('140000')?.steps?.province ?? [];
    expect(provinceStatementStep({ nationalCandidates: 'province-chooses' }, shanxiProvince, true)).toBe(3);
    expect(shanxiProvince[3]?.kind).toBe('meeting');
    const national = [{ kind: 'review' }, { kind: 'sampling' }, { kind: 'formal-letter' }] as const;
    expect(provinceStatementStep({ nationalCandidates: 'city-states' }, national, false)).toBe(0);
    expect(provinceStatementStep({ nationalCandidates: 'city-states' }, national, true)).toBeUndefined();
    expect(provinceStatementStep({ nationalCandidates: 'province-chooses' }, national, true)).toBe(1);
  });

  it('refuses a province that would state its candidates at its last step, naming the field', () => {
    // Shanxi's province reduced to one review: nothing follows the statement, so nothing can end there.
    expect(fieldsWith('140000', (o) => ({ ...o, steps: { ...o.steps, province: [{ kind: 'review' }] } }))).toEqual([
      'overlays.1.provincialRecognition',
    ]);
    // Jilin's direct senders would be asked at a single province step.
    expect(fieldsWith('220000', (o) => ({ ...o, steps: { ...o.steps, province: [{ kind: 'review' }] } }))).toEqual([
      'overlays.0.provincialRecognition',
    ]);
    // The seeded sequences are accepted.
    expect(fieldsWith('140000', (o) => o)).toEqual([]);
  });

  it('refuses city-states where the overlay does not ask its cities (cityStatesAlsoNational)', () => {
    expect(fieldsWith('220000', (o) => ({ ...o, cityStatesAlsoNational: false }))).toEqual([
      'overlays.0.cityStatesAlsoNational',
    ]);
  });
});
