import { describe, expect, it } from 'vitest';
import { CampaignSchema } from '../../../shared/rules/campaign.ts';
import { ONSITE_STATEMENT_ITEM_ID } from '../../../shared/rules/checklist.ts';
import { builtInCampaigns } from '../../../shared/rules/campaigns/index.ts';
import { scoresSchema, weightedCriteria, weightedScore } from '../../../shared/rules/scoring.ts';
import { campaignAt, FULL_SCORES } from './fixtures.ts';

describe('weighted expert scores', () => {
  it('weighs the eight criteria equally by default', () => {
    const criteria = weightedCriteria('recommendation', undefined);
    expect(criteria).toHaveLength(8);
    expect(criteria.every((c) => c.weight === 1)).toBe(true);
    // (90+80+85+70+75+88+60+92) / 8
    expect(weightedScore(FULL_SCORES, criteria)).toBe(80);
  });

  it('uses the track weights; a criterion not named weighs 1', () => {
    const criteria = weightedCriteria('recommendation', { scoringWeights: { 'core-competitiveness': 3 } });
    // (3·90 + 80+85+70+75+88+60+92) / 10
    expect(weightedScore(FULL_SCORES, criteria)).toBe(82);
  });

  it('scores typical cases on their seven aspects', () => {
    expect(weightedCriteria('typical-case', undefined).map((c) => c.id)).toContain('quality-brand');
    expect(weightedCriteria('typical-case', undefined)).toHaveLength(7);
  });

  it('takes exactly one 0..100 score per criterion, naming the bad one', () => {
    const schema = scoresSchema('recommendation');
    expect(schema.safeParse(FULL_SCORES).success).toBe(true);
    const paths = (value: unknown) =>
      schema.safeParse(value).error?.issues.map((issue) => issue.path.join('.') || issue.code) ?? [];
    expect(paths({ ...FULL_SCORES, 'open-cooperation': -1 })).toEqual(['open-cooperation']);
    expect(paths({ ...FULL_SCORES, 'open-cooperation': '90' })).toEqual(['open-cooperation']);
    const { 'green-development': _left, ...missing } = FULL_SCORES;
    expect(paths(missing)).toEqual(['green-development']);
    expect(paths({ ...FULL_SCORES, bonus: 5 })).toEqual(['unrecognized_keys']);
  });
});

describe('campaign track options of the review desk', () => {
  it('are data: no seeded track weighs its criteria unequally, and the statement is Shanxi’s item only', () => {
    for (const campaign of builtInCampaigns) {
      for (const [track, rules] of Object.entries(campaign.tracks)) {
        expect(rules?.scoringWeights, `${campaign.campaignId} ${track}`).toBeUndefined();
        expect(rules?.checklist.map((item) => item.id)).not.toContain(ONSITE_STATEMENT_ITEM_ID);
      }
      for (const overlay of campaign.overlays) {
        const listsIt = overlay.checklistAdditions.some((item) => item.id === ONSITE_STATEMENT_ITEM_ID);
        expect(listsIt, `${campaign.campaignId} ${overlay.provinceCode}`).toBe(
          overlay.steps?.city?.some((step) => step.kind === 'onsite-statement') ?? false,
        );
      }
    }
  });

  it('refuse bad weights, and read a stored campaign’s old on-site statement flag as nothing', () => {
    const demo = campaignAt(new Date('2026-06-01T00:00:00Z'));
    const result = CampaignSchema.safeParse({
      ...demo,
      tracks: {
        recommendation: {
          ...demo.tracks.recommendation,
          scoringWeights: { 'core-competitiveness': 0, 'made-up': 2 },
        },
      },
    });
    const paths = result.error?.issues.map((issue) => issue.path.join('.')) ?? [];
    expect(paths).toContain('tracks.recommendation.scoringWeights.core-competitiveness');
    expect(paths).toContain('tracks.recommendation.scoringWeights');

    const stored = CampaignSchema.parse({
      ...demo,
      tracks: { recommendation: { ...demo.tracks.recommendation, cityRequiresOnSiteStatement: true } },
    });
    expect(stored.tracks.recommendation).not.toHaveProperty('cityRequiresOnSiteStatement');
  });
});
