import { describe, expect, it } from 'vitest';
import { entersListAt } from '../../../shared/ladder/provincial-list.ts';
import { computeRoute } from '../../../shared/ladder/route.ts';
import type { Campaign } from '../../../shared/rules/campaign.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import { sampleApplication } from '../support.ts';

/**
 * Where a national candidate enters its province's own list: past the steps that settle the list,
 * i.e. as it enters the province's closing formal letter, or MIIT where the province has none.
 */

const campaign = demoCampaign(new Date('2026-03-01T00:00:00.000Z'));
const taiyuan = sampleApplication({
  campaignId: campaign.campaignId,
  countyCode: '140105',
  cityCode: '140100',
  provincialCode: '140000',
});

/** Every position of the route, as `<stage>:<step kind>`, where entering it enters the list. */
function listEntries(route: ReturnType<typeof computeRoute>): string[] {
  return route.stages.flatMap((stage, index) =>
    stage.steps
      .filter((_step, step) => entersListAt(route, { index, step }))
      .map((step) => `${stage.stage}:${step.config.kind}`),
  );
}

describe('entersListAt', () => {
  it('Shanxi: at its formal letter, the step after its 公示, and nowhere else', () => {
    expect(listEntries(computeRoute(taiyuan, campaign))).toEqual(['province:formal-letter']);
  });

  it('Jilin (敦化市): at its formal letter, after its 初审 and 实地抽查', () => {
    const dunhua = sampleApplication({ campaignId: campaign.campaignId });
    expect(listEntries(computeRoute(dunhua, campaign))).toEqual(['province:formal-letter']);
  });

  it('a province that closes with its 公示 and no letter: as the candidate enters MIIT', () => {
    const noLetter: Campaign = {
      ...campaign,
      overlays: campaign.overlays.map((overlay) =>
        overlay.provinceCode === '140000' && overlay.steps
          ? {
              ...overlay,
              steps: { ...overlay.steps, province: overlay.steps.province?.filter((s) => s.kind !== 'formal-letter') },
            }
          : overlay,
      ),
    };
    const route = computeRoute(taiyuan, noLetter);
    expect(route.stages.find((stage) => stage.stage === 'province')?.steps.at(-1)?.config.kind).toBe('public-notice');
    expect(listEntries(route)).toEqual(['miit:review']);
  });
});
