import { describe, expect, it } from 'vitest';
import { CampaignSchema } from '../../../shared/rules/campaign.ts';
import { effectiveRules, isOpen, overlayFor, submissionDeadline } from '../../../shared/rules/effective-rules.ts';
import { stepsAt } from '../../../shared/rules/steps.ts';
import { builtInCampaigns, demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import { CRITERIA, TYPICAL_CASE_ASPECTS } from '../../../shared/rules/criteria.ts';

describe('built-in campaigns', () => {
  it('ships the three seeds, each a valid campaign', () => {
    expect(builtInCampaigns.map((c) => c.campaignId)).toEqual([
      'miit-2025-recommendation',
      'miit-2025-rereview',
      'miit-2024-typical-cases',
    ]);
    for (const campaign of builtInCampaigns) expect(CampaignSchema.safeParse(campaign).success).toBe(true);
  });

  it('2025 recommendation: the signed form plus evidence for each of the eight criteria', () => {
    const [recommendation] = builtInCampaigns;
    const checklist = recommendation?.tracks.recommendation?.checklist ?? [];
    expect(checklist[0]).toMatchObject({ id: 'application-form', required: true, fileTypes: ['pdf', 'ofd'] });
    expect(checklist.flatMap((item) => (item.criterion ? [item.criterion] : []))).toEqual([...CRITERIA]);
    expect(recommendation?.quotas.byRank).toEqual({
      province: 8,
      municipality: 8,
      'planned-city': 2,
      xpcc: 2,
    });
    expect(recommendation?.calendar.province).toBe('2025-07-15T23:59:59+08:00');
  });

  it('re-review and typical cases are not capped', () => {
    const [, rereview, typical] = builtInCampaigns;
    if (!rereview || !typical) throw new Error('seeds missing');
    expect(Object.values(rereview.quotas.byRank).every((limit) => limit === null)).toBe(true);
    expect(Object.values(typical.quotas.byRank).every((limit) => limit === null)).toBe(true);
    expect(effectiveRules(typical, 'typical-case', '110105').quota.provincial.limit).toBeNull();
    expect(submissionDeadline(rereview, '140105')).toBe('2025-05-31T23:59:59+08:00');
  });

  it('declares each level’s steps as the notices give them (DOMAIN.md)', () => {
    const [recommendation, rereview, typical] = builtInCampaigns;
    if (!recommendation || !rereview || !typical) throw new Error('seeds missing');
    const kinds = (campaign: typeof recommendation, county: string, level: 'city' | 'province' | 'miit') => {
      const overlay = overlayFor(campaign, county);
      return stepsAt(level, campaign.steps, overlay?.steps).map((step) => step.kind);
    };
    // The national call: 初审 and 实地抽查 at the province, then its formal letter.
    expect(kinds(recommendation, '130102', 'city')).toEqual(['review']);
    expect(kinds(recommendation, '130102', 'province')).toEqual(['review', 'sampling', 'formal-letter']);
    expect(kinds(recommendation, '130102', 'miit')).toEqual(['review']);
    // Shanxi: the statement at the city; 形式审查, 专家评审, 实地抽查, 会议研究, 结果公示 at the province.
    expect(kinds(recommendation, '140105', 'city')).toEqual(['review', 'onsite-statement']);
    expect(kinds(recommendation, '140105', 'province')).toEqual([
      'formal-check',
      'expert-panel',
      'sampling',
      'meeting',
      'public-notice',
      'formal-letter',
    ]);
    // Jilin's cities send their formal letter.
    expect(kinds(recommendation, '222403', 'city')).toEqual(['review', 'formal-letter']);
    // The re-review: sampling when necessary, the 正式复核意见文件; Shanxi's cities sign the statement.
    expect(rereview.steps.province).toEqual([
      { kind: 'review' },
      { kind: 'sampling', when: 'when-necessary' },
      { kind: 'formal-letter', document: 'rereview' },
    ]);
    expect(kinds(rereview, '140105', 'city')).toEqual(['review', 'onsite-statement']);
    expect(kinds(rereview, '222403', 'city')).toEqual(['review']);
    // No notice at MIIT anywhere: no notice of 2025 puts one there.
    for (const campaign of builtInCampaigns)
      expect(campaign.steps.miit?.map((s) => s.kind) ?? []).not.toContain('public-notice');
    // Typical cases: the gathering level (the province; Anhui's cities too) reviews, then files its
    // 培育举措 once for its batch; MIIT reviews.
    const batch = ['review', 'formal-letter'];
    expect(kinds(typical, '320102', 'city')).toEqual(['review']);
    expect(kinds(typical, '320102', 'province')).toEqual(batch);
    expect(kinds(typical, '340104', 'city')).toEqual(batch);
    expect(kinds(typical, '340104', 'province')).toEqual(batch);
    expect(kinds(typical, '340104', 'miit')).toEqual(['review']);
    expect(typical.steps.province?.[1]).toEqual({ kind: 'formal-letter', document: 'cultivation-measures' });
  });

  it("re-review: Jilin's cities by 16 May, Shanxi's cities by 31 May, the rest by the national 15 July", () => {
    const rereview = builtInCampaigns[1];
    if (!rereview) throw new Error('seed missing');
    // Jilin: 敦化市 (延边州) and 长春 朝阳区; Shanxi: 太原 小店区; Hebei has no overlay.
    for (const county of ['222403', '220104']) {
      expect(effectiveRules(rereview, 'rereview', county).deadlines.city).toBe('2025-05-16T23:59:59+08:00');
      expect(submissionDeadline(rereview, county)).toBe('2025-05-16T23:59:59+08:00');
    }
    expect(effectiveRules(rereview, 'rereview', '140105').deadlines.city).toBe('2025-05-31T23:59:59+08:00');
    expect(effectiveRules(rereview, 'rereview', '130102').deadlines.city).toBe('2025-07-15T23:59:59+08:00');
  });

  it("gives MIIT a review window of its own after the provinces' deadline in every seed", () => {
    for (const campaign of builtInCampaigns) {
      const { province, miit, miitWindowDays } = campaign.calendar;
      expect(Date.parse(miit) - Date.parse(province)).toBeGreaterThanOrEqual(miitWindowDays * 86_400_000);
    }
    const demo = demoCampaign(new Date('2026-11-23T10:00:00+08:00'));
    expect(Date.parse(demo.calendar.miit)).toBeGreaterThan(Date.parse(demo.calendar.province));
  });

  it('typical cases: Anhui cities report by 21 June, the rest by 30 June', () => {
    const typical = builtInCampaigns[2];
    if (!typical) throw new Error('seed missing');
    expect(effectiveRules(typical, 'typical-case', '340102').deadlines.city).toBe('2024-06-21T23:59:59+08:00');
    expect(effectiveRules(typical, 'typical-case', '320102').deadlines.city).toBe('2024-06-30T23:59:59+08:00');
    // The county is never asked for the summary table nor the measures: the gathering level's.
    const ids = typical.tracks['typical-case']?.checklist.map((item) => item.id);
    expect(ids).toEqual([...TYPICAL_CASE_ASPECTS]);
  });
});

describe('demoCampaign', () => {
  const now = new Date('2026-11-23T10:00:00+08:00');
  const demo = demoCampaign(now);

  it('is open now, named after the year, and closes 90 days on', () => {
    expect(demo.campaignId).toBe('demo-2026-recommendation');
    expect(isOpen(demo, now)).toBe(true);
    expect(isOpen(demo, new Date(now.getTime() + 89 * 86_400_000))).toBe(true);
    expect(isOpen(demo, new Date(now.getTime() + 91 * 86_400_000))).toBe(false);
    expect(Date.parse(demo.opensAt)).toBe(now.getTime() - 86_400_000);
  });

  it('keeps the 2025 rules and the Jilin and Shanxi overlays, shifted to now', () => {
    const checklist = demo.tracks.recommendation?.checklist ?? [];
    // Nine items the county uploads; the city's on-site check statement is Shanxi's item only.
    expect(checklist).toHaveLength(9);
    expect(checklist.every((item) => item.uploadedBy === 'county')).toBe(true);
    const cityItems = (county: string) =>
      effectiveRules(demo, 'recommendation', county)
        .checklist.filter((item) => item.uploadedBy === 'city')
        .map((item) => item.id);
    expect(cityItems('140105')).toEqual(['onsite-check-statement']);
    // A Beijing district (no city level) and a Jilin county are never shown it.
    expect(cityItems('110101')).toEqual([]);
    expect(cityItems('222403')).toEqual([]);
    expect(demo.overlays.map((o) => o.provinceCode)).toEqual(['220000', '140000']);
    const jilin = effectiveRules(demo, 'recommendation', '222403');
    expect(Date.parse(jilin.deadlines.city ?? '')).toBe(now.getTime() + 21 * 86_400_000);
    expect(Date.parse(jilin.overlay?.milestones[0]?.date ?? '')).toBe(now.getTime() + 7 * 86_400_000);
    expect(effectiveRules(demo, 'recommendation', '140105').quota.city?.limit).toBe(3);
    expect(Date.parse(submissionDeadline(demo, '130102'))).toBe(now.getTime() + 14 * 86_400_000);
  });

  it('is valid whatever the time of day or year', () => {
    for (const at of ['2027-12-31T23:30:00+08:00', '2028-02-29T00:00:00Z', '2030-06-15T16:00:00Z']) {
      const campaign = demoCampaign(new Date(at));
      expect(isOpen(campaign, new Date(at))).toBe(true);
    }
    expect(demoCampaign(new Date('2027-12-31T23:30:00+08:00')).year).toBe(2027);
  });
});
