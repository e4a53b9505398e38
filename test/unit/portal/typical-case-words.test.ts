import { describe, expect, it } from 'vitest';
import { ladder, portalContext } from '../../../shared/portal/parts.ts';
import { portalPage } from '../../../shared/portal/index.ts';
import { CampaignSchema } from '../../../shared/rules/campaign.ts';
import { miit2024TypicalCasesInput } from '../../../shared/rules/campaigns/miit-2024-typical-cases.ts';
import { campaign, NOW, PEOPLE, portalRequest, portalWorld, section } from './fixtures.ts';

/**
 * A typical case is never recognised (认定), and MIIT not selecting one is no rejection: the
 * portal's words for it, as the typical-case walk found them (test/browser/typical-walk.test.ts).
 */
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
const typicalCampaign = CampaignSchema.parse({
  ...miit2024TypicalCasesInput,
  campaignId: 'typical-words',
  opensAt: at(-1),
  calendar: { province: at(30), miit: at(90), validityYears: 3 },
  overlays: miit2024TypicalCasesInput.overlays?.map((overlay) => ({ ...overlay, calendar: { city: at(20) } })),
});

describe('the portal’s words for a typical case', () => {
  it('the ladder marks MIIT’s step 未入选 for a case not selected, 入选 for one selected', () => {
    const ctx = portalContext(portalRequest(undefined), 'home');
    const notSelected = String(ladder(ctx, { countyCode: '340103', status: 'NOT_SELECTED', stage: 'miit' }));
    expect(notSelected).toMatch(
      /<li class="step stopped"><strong>工业和信息化部审核<\/strong>[^]*?<span class="tag">未入选<\/span><\/li><\/ol>$/,
    );
    expect(notSelected).not.toContain('在此终止');
    const selected = String(ladder(ctx, { countyCode: '340104', status: 'SELECTED', stage: 'miit' }));
    expect(selected).toMatch(/<strong>工业和信息化部审核<\/strong>[^]*?<span class="tag">入选<\/span><\/li><\/ol>$/);
    // A rejection below MIIT still ends where it ended.
    const rejected = String(ladder(ctx, { countyCode: '340103', status: 'REJECTED', stage: 'province' }));
    expect(rejected).toContain('在此终止');
  });

  it('the open typical-case call’s last date is MIIT’s selection, not its recognition', async () => {
    const world = portalWorld({}, [campaign, typicalCampaign]);
    const { body } = await portalPage(portalRequest(undefined, {}, PEOPLE.dunhuaApplicant), world.deps);
    const cards = section(body, 'campaigns');
    const typical = cards.slice(cards.indexOf('data-campaign="typical-words"'));
    expect(typical).toContain('<dt>工信部遴选</dt>');
    expect(typical.slice(0, typical.indexOf('</li>'))).not.toContain('认定');
    const recommendation = cards.slice(cards.indexOf(`data-campaign="${campaign.campaignId}"`));
    expect(recommendation.slice(0, recommendation.indexOf('</li>'))).toContain('<dt>工信部认定</dt>');
  });
});
