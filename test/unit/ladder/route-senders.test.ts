import { describe, expect, it } from 'vitest';
import { quotaRequestFor } from '../../../shared/ladder/quota-request.ts';
import { computeRoute } from '../../../shared/ladder/route.ts';
import { type Campaign, CampaignSchema, parseCampaign } from '../../../shared/rules/campaign.ts';
import {
  miit2025Recommendation,
  miit2025RecommendationInput,
} from '../../../shared/rules/campaigns/miit-2025-recommendation.ts';
import { effectiveRules } from '../../../shared/rules/effective-rules.ts';
import { CHANGBAISHAN_CODE, getJurisdiction, reviewChain } from '../../../shared/rules/jurisdictions.ts';
import type { ApplicationRecord } from '../../../shared/schemas/records.ts';
import { sampleApplication } from '../support.ts';

/*
 * Routes with the provinces' senders (issue 12, item 4): Jilin's notice addresses 梅河口 and
 * 长白山管委会 beside its cities, Shanxi's addresses 综改区 as a city-level sender; a Beijing district
 * has no city; a campaign without such an overlay routes by the tree as before.
 */

const campaign = miit2025Recommendation;
/** The same call with no province overlays at all. */
const withoutOverlays: Campaign = CampaignSchema.parse({ ...miit2025RecommendationInput, overlays: [] });

const filedIn = (countyCode: string, subSector = '新材料'): ApplicationRecord =>
  sampleApplication({ campaignId: campaign.campaignId, countyCode, subSector });
const route = (countyCode: string, on: Campaign = campaign) =>
  computeRoute(filedIn(countyCode), on).stages.map((s) => `${s.stage}:${s.jurisdictionCode}`);

describe('computeRoute with senders', () => {
  it('梅河口 (220581) goes to Jilin’s province directly, skipping 通化市', () => {
    expect(getJurisdiction('220581').parentCode).toBe('220500');
    expect(route('220581')).toEqual(['province:220000', 'miit:000000']);
    // Jilin's other counties still climb through their city.
    expect(route('222403')).toEqual(['city:222400', 'province:220000', 'miit:000000']);
  });

  it('长白山管委会 is an applicant under Jilin with the programme’s own code, and goes to the province', () => {
    expect(getJurisdiction(CHANGBAISHAN_CODE)).toMatchObject({
      name: '长白山保护开发区管理委员会',
      parentCode: '220000',
      applicant: true,
    });
    expect(route(CHANGBAISHAN_CODE)).toEqual(['province:220000', 'miit:000000']);
  });

  it('综改区 (140171) is a city-level sender: its own city stage and its own cap, out of 太原’s', () => {
    expect(route('140171')).toEqual(['city:140171', 'province:140000', 'miit:000000']);
    expect(effectiveRules(campaign, 'recommendation', '140171').quota.city).toEqual({
      jurisdictionCode: '140171',
      limit: 3,
    });
    const atCity = quotaRequestFor(filedIn('140171'), campaign, 'city');
    expect(atCity.city).toEqual({ jurisdictionCode: '140171', limit: 3 });
    expect(atCity.subSector).toEqual({ key: '140171:new-materials', limit: 1 });
    // 太原's own counties keep 太原's cap and sub-sector count.
    const taiyuan = quotaRequestFor(filedIn('140105'), campaign, 'city');
    expect(taiyuan.city).toEqual({ jurisdictionCode: '140100', limit: 3 });
    expect(taiyuan.subSector).toEqual({ key: '140100:new-materials', limit: 1 });
  });

  it('a sender’s own cap, where the overlay gives one, replaces the cities’ cap', () => {
    const input = structuredClone(miit2025RecommendationInput);
    const shanxi = input.overlays?.find((o) => o.provinceCode === '140000');
    if (!shanxi) throw new Error('no Shanxi overlay');
    shanxi.senders = [{ code: '140171', as: 'city', cityQuota: 2 }];
    const ownCap = parseCampaign(input);
    expect(quotaRequestFor(filedIn('140171'), ownCap, 'city').city).toEqual({ jurisdictionCode: '140171', limit: 2 });
    expect(quotaRequestFor(filedIn('140105'), ownCap, 'city').city).toEqual({ jurisdictionCode: '140100', limit: 3 });
  });

  it('a Beijing district has no city stage: nothing to reserve at a city, its quota at the municipality', () => {
    expect(route('110105')).toEqual(['province:110000', 'miit:000000']);
    expect(quotaRequestFor(filedIn('110105'), campaign, 'city')).not.toHaveProperty('city');
    expect(quotaRequestFor(filedIn('110105'), campaign, 'province').provincial).toEqual({
      jurisdictionCode: '110000',
      limit: 8,
    });
  });

  it('a campaign without the overlays routes by the tree, as before', () => {
    expect(route('220581', withoutOverlays)).toEqual(['city:220500', 'province:220000', 'miit:000000']);
    expect(route('140171', withoutOverlays)).toEqual(['city:140100', 'province:140000', 'miit:000000']);
    for (const code of ['220581', '140171', '110105', '222403', CHANGBAISHAN_CODE]) {
      expect(effectiveRules(withoutOverlays, 'recommendation', code).stages).toEqual(reviewChain(code));
    }
  });

  it('the province stage reserves the provincial quota only; MIIT reserves nothing', () => {
    const atProvince = quotaRequestFor(filedIn('140105'), campaign, 'province');
    expect(atProvince).toMatchObject({ provincial: { jurisdictionCode: '140000', limit: 8 } });
    expect(atProvince).not.toHaveProperty('city');
    expect(atProvince).not.toHaveProperty('subSector');
    expect(quotaRequestFor(filedIn('140105'), campaign, 'miit')).toEqual({
      campaignId: campaign.campaignId,
      track: 'recommendation',
      applicationId: filedIn('140105').applicationId,
    });
  });

  it('keys 煤机装备 one way however it is spelled on the list; free text keeps its normalised text', () => {
    const key = (subSector: string) => quotaRequestFor(filedIn('140105', subSector), campaign, 'city').subSector?.key;
    expect(key('煤机装备')).toBe('140100:coal-machinery');
    expect(key('coal-machinery')).toBe('140100:coal-machinery');
    expect(key('煤机 装备')).toBe('140100:coal-machinery');
  });
});

describe('senders and sub-sectors as campaign configuration', () => {
  const withShanxi = (change: (overlay: Record<string, unknown>) => void) => {
    const input = structuredClone(miit2025RecommendationInput);
    const shanxi = input.overlays?.find((o) => o.provinceCode === '140000');
    if (!shanxi) throw new Error('no Shanxi overlay');
    change(shanxi);
    return () => parseCampaign(input);
  };
  const fields = (parse: () => unknown) => {
    try {
      parse();
      return [];
    } catch (error) {
      return ((error as { details?: { field: string }[] }).details ?? []).map((d) => d.field);
    }
  };

  it('refuses a sender outside the overlay’s province, unknown, or named twice, naming the field', () => {
    expect(fields(withShanxi((o) => (o.senders = [{ code: '220581', as: 'direct' }])))).toEqual([
      'overlays.1.senders.0.code',
    ]);
    expect(fields(withShanxi((o) => (o.senders = [{ code: '149999', as: 'city' }])))).toEqual([
      'overlays.1.senders.0.code',
    ]);
    expect(
      fields(
        withShanxi(
          (o) =>
            (o.senders = [
              { code: '140171', as: 'city' },
              { code: '140171', as: 'direct' },
            ]),
        ),
      ),
    ).toEqual(['overlays.1.senders.1.code']);
    expect(fields(withShanxi((o) => (o.senders = [{ code: '140171', as: 'direct', cityQuota: 1 }])))).toEqual([
      'overlays.1.senders.0.cityQuota',
    ]);
  });

  it('refuses a sub-sector list whose ids or names repeat, naming the entry', () => {
    const twice = [
      { id: 'coal-machinery', name: { zh: '煤机装备', en: 'Coal-mining machinery' } },
      { id: 'coal-machinery', name: { zh: '煤矿机械', en: 'Coal machinery' } },
      { id: 'coal-2', name: { zh: '煤机 装备', en: 'Coal-mining machinery' } },
    ];
    expect(fields(withShanxi((o) => (o.subSectors = twice)))).toEqual([
      'overlays.1.subSectors.1.id',
      'overlays.1.subSectors.2.name',
    ]);
  });
});
