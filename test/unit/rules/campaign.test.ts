import { describe, expect, it } from 'vitest';
import { UnknownJurisdictionError, ValidationError } from '../../../shared/platform/errors.ts';
import { type CampaignInput, CampaignSchema, parseCampaign } from '../../../shared/rules/campaign.ts';
import { LEGACY_THRESHOLD_SOURCE, StoredCampaignSchema } from '../../../shared/rules/stored-campaign.ts';
import { effectiveRules, isOpen, submissionDeadline } from '../../../shared/rules/effective-rules.ts';
import { builtInCampaigns, findBuiltInCampaign } from '../../../shared/rules/campaigns/index.ts';
import { miit2025RecommendationInput } from '../../../shared/rules/campaigns/miit-2025-recommendation.ts';

const recommendation = findBuiltInCampaign('miit-2025-recommendation');
if (!recommendation) throw new Error('seed missing');

/** A fresh copy of the 2025 recommendation input to break in one place. */
const input = (): CampaignInput => structuredClone(miit2025RecommendationInput);

const issues = (value: unknown) => {
  const result = CampaignSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('the size of a definition', () => {
  it('refuses a notice longer than a document number, and a definition too large to store as one item', () => {
    expect(issues({ ...input(), notice: '号'.repeat(201) })).toEqual([expect.objectContaining({ path: 'notice' })]);
    const bloated = input();
    bloated.name = { zh: '集'.repeat(110_000), en: 'x' };
    expect(issues(bloated)).toEqual([
      expect.objectContaining({ path: '', message: expect.stringContaining('at most 300000') }),
    ]);
  });
});

describe('effectiveRules: overlays', () => {
  it("applies Shanxi's city quota of 3 and 1 per sub-sector to a Shanxi county", () => {
    const rules = effectiveRules(recommendation, 'recommendation', '140105'); // 太原 小店区
    expect(rules.quota).toEqual({
      provincial: { jurisdictionCode: '140000', limit: 8 },
      city: { jurisdictionCode: '140100', limit: 3 },
      perSubSector: 1,
    });
    expect(rules.deadlines.city).toBe('2025-05-31T23:59:59+08:00');
    expect(rules.checklist.map((item) => item.id)).toContain('shanxi-provincial-recognition');
  });

  it("applies Jilin's 16 May city deadline to a Jilin county, not to a Hebei one", () => {
    const jilin = effectiveRules(recommendation, 'recommendation', '222403');
    expect(jilin.deadlines).toEqual({
      submission: '2025-05-16T23:59:59+08:00',
      city: '2025-05-16T23:59:59+08:00',
      province: '2025-07-15T23:59:59+08:00',
      miit: '2025-12-31T23:59:59+08:00',
    });
    expect(jilin.overlay?.milestones[0]?.date).toBe('2025-04-10T23:59:59+08:00');
    expect(submissionDeadline(recommendation, '222403')).toBe('2025-05-16T23:59:59+08:00');

    const hebei = effectiveRules(recommendation, 'recommendation', '130102'); // 石家庄 长安区
    expect(hebei.overlay).toBeUndefined();
    expect(hebei.deadlines.city).toBe('2025-07-15T23:59:59+08:00');
    expect(hebei.quota).toEqual({ provincial: { jurisdictionCode: '130000', limit: 8 } });
    expect(hebei.checklist.map((item) => item.id)).not.toContain('shanxi-provincial-recognition');
    expect(submissionDeadline(recommendation, '130102')).toBe('2025-07-15T23:59:59+08:00');
  });

  it('caps planned cities and the XPCC at 2, municipalities at 8', () => {
    expect(effectiveRules(recommendation, 'recommendation', '440305').quota.provincial).toEqual({
      jurisdictionCode: '440300',
      limit: 2,
    });
    expect(effectiveRules(recommendation, 'recommendation', '210202').quota.provincial.limit).toBe(2); // 大连
    expect(effectiveRules(recommendation, 'recommendation', '659001').quota.provincial).toEqual({
      jurisdictionCode: '660000',
      limit: 2,
    });
    expect(effectiveRules(recommendation, 'recommendation', '110105').quota.provincial.limit).toBe(8);
  });

  it('does not cap a track whose quota is off', () => {
    const rereview = findBuiltInCampaign('miit-2025-rereview');
    if (!rereview) throw new Error('seed missing');
    expect(effectiveRules(rereview, 'rereview', '140105').quota).toEqual({
      provincial: { jurisdictionCode: '140000', limit: null },
    });
  });

  it('ships no thresholds: the notices give none, and the western relaxation is no default', () => {
    for (const campaign of builtInCampaigns) {
      for (const rules of Object.values(campaign.tracks)) expect(rules?.thresholds).toBeUndefined();
    }
    expect(effectiveRules(recommendation, 'recommendation', '510104').thresholds).toBeUndefined();
  });

  it("applies a campaign's own western figures only to western counties, keeping their source", () => {
    const own = input();
    const track = own.tracks.recommendation;
    if (!track) throw new Error('seed track missing');
    track.thresholds = {
      source: '某省通知（示例）',
      minAnnualOutput: 40,
      maxAreaKm2: 100,
      western: { minAnnualOutput: 20 },
    };
    const campaign = CampaignSchema.parse(own);
    expect(effectiveRules(campaign, 'recommendation', '510104').thresholds).toEqual({
      source: '某省通知（示例）',
      minAnnualOutput: 20,
      maxAreaKm2: 100,
    });
    expect(effectiveRules(campaign, 'recommendation', '222403').thresholds?.minAnnualOutput).toBe(40);
  });

  it('refuses thresholds that name no source', () => {
    const own = input();
    const track = own.tracks.recommendation;
    if (!track) throw new Error('seed track missing');
    track.thresholds = { minAnnualOutput: 40 } as NonNullable<typeof track.thresholds>;
    expect(issues(own).map((i) => i.path)).toEqual(['tracks.recommendation.thresholds.source']);
    track.thresholds = { source: '  ', minAnnualOutput: 40 };
    expect(issues(own).map((i) => i.path)).toEqual(['tracks.recommendation.thresholds.source']);
  });

  it('rejects a track the campaign does not offer, and an unknown county', () => {
    expect(() => effectiveRules(recommendation, 'typical-case', '222403')).toThrow(ValidationError);
    expect(() => effectiveRules(recommendation, 'recommendation', '999999')).toThrow(UnknownJurisdictionError);
  });
});

describe('isOpen', () => {
  it('is open from opensAt to the last deadline, inclusive', () => {
    expect(isOpen(recommendation, new Date('2025-03-02T23:59:59+08:00'))).toBe(false);
    expect(isOpen(recommendation, new Date('2025-03-03T00:00:00+08:00'))).toBe(true);
    expect(isOpen(recommendation, new Date('2025-12-31T23:59:59+08:00'))).toBe(true);
    expect(isOpen(recommendation, new Date('2026-01-01T00:00:00+08:00'))).toBe(false);
  });

  it('is closed for every seeded campaign on 2026-11-23', () => {
    for (const campaign of builtInCampaigns) {
      expect(isOpen(campaign, new Date('2026-11-23T12:00:00+08:00'))).toBe(false);
    }
  });
});

describe('CampaignSchema', () => {
  it('names the calendar field that is out of order', () => {
    const bad = input();
    bad.calendar = {
      ...bad.calendar,
      submission: '2025-06-01T23:59:59+08:00',
      city: '2025-05-01T23:59:59+08:00',
    };
    expect(issues(bad)).toEqual([
      expect.objectContaining({
        path: 'calendar.city',
        message: expect.stringContaining('calendar.submission'),
      }),
    ]);
  });

  it('wants the first deadline after opensAt and province no later than miit', () => {
    const early = input();
    early.calendar = { ...early.calendar, submission: '2025-03-03T00:00:00+08:00' };
    expect(issues(early).map((i) => i.path)).toEqual(['calendar.submission']);

    const late = input();
    late.calendar = { ...late.calendar, miit: '2025-07-01T00:00:00+08:00' };
    expect(issues(late).map((i) => i.path)).toEqual(['calendar.miit']);
  });

  it('names an overlay deadline later than the national one', () => {
    const bad = input();
    bad.overlays = [
      {
        provinceCode: '220000',
        name: { zh: '吉林省', en: 'Jilin' },
        calendar: { city: '2025-08-01T00:00:00+08:00' },
      },
    ];
    expect(issues(bad).map((i) => i.path)).toContain('overlays.0.calendar.city');
  });

  it('names an overlay date that breaks the order with the national calendar', () => {
    const bad = input();
    bad.calendar = { ...bad.calendar, submission: '2025-05-01T23:59:59+08:00' };
    bad.overlays = [
      {
        provinceCode: '220000',
        name: { zh: '吉林省', en: 'Jilin' },
        calendar: { city: '2025-04-20T00:00:00+08:00' },
      },
    ];
    expect(issues(bad)).toEqual([
      expect.objectContaining({
        path: 'overlays.0.calendar.city',
        message: expect.stringContaining('calendar.submission'),
      }),
    ]);
  });

  it('rejects duplicate checklist ids, naming the second one', () => {
    const bad = input();
    const checklist = bad.tracks.recommendation?.checklist ?? [];
    const first = checklist[1];
    if (!first) throw new Error('seed checklist too short');
    checklist.push({ ...first, title: { zh: '重复', en: 'Duplicate' } });
    expect(issues(bad)).toEqual([
      {
        path: `tracks.recommendation.checklist.${checklist.length - 1}.id`,
        message: expect.stringContaining(`duplicate checklist id "${first.id}"`),
      },
    ]);
  });

  it('rejects an overlay for a jurisdiction without provincial rank, and repeated overlays', () => {
    const bad = input();
    bad.overlays = [
      { provinceCode: '222400', name: { zh: '延边州', en: 'Yanbian' } },
      { provinceCode: '140000', name: { zh: '山西省', en: 'Shanxi' } },
      { provinceCode: '140000', name: { zh: '山西省', en: 'Shanxi' } },
    ];
    expect(issues(bad).map((i) => i.path)).toEqual(['overlays.2.provinceCode', 'overlays.0.provinceCode']);
  });

  it('accepts a planned city as an overlay holder', () => {
    const ok = input();
    ok.overlays = [{ provinceCode: '440300', name: { zh: '深圳市', en: 'Shenzhen' }, cityQuota: 1 }];
    expect(issues(ok)).toEqual([]);
  });

  it('needs at least one track, a known track name and non-empty file types', () => {
    expect(issues({ ...input(), tracks: {} }).map((i) => i.path)).toEqual(['tracks']);
    expect(issues({ ...input(), tracks: { nonsense: { checklist: [] } } }).map((i) => i.path)).toContain('tracks');
    const bad = input();
    const item = bad.tracks.recommendation?.checklist[0];
    if (!item) throw new Error('seed checklist empty');
    item.fileTypes = [];
    expect(issues(bad).map((i) => i.path)).toEqual(['tracks.recommendation.checklist.0.fileTypes']);
  });

  it('requires the province deadline and dates with an offset', () => {
    const bad = input();
    bad.calendar = { validityYears: 3 } as CampaignInput['calendar'];
    bad.opensAt = '2025-03-03T00:00:00';
    expect(
      issues(bad)
        .map((i) => i.path)
        .sort(),
    ).toEqual(['calendar.miit', 'calendar.province', 'opensAt']);
  });

  it("refuses a calendar without MIIT's deadline, naming calendar.miit", () => {
    const bad = input();
    bad.calendar = { province: '2025-07-15T23:59:59+08:00' } as CampaignInput['calendar'];
    expect(issues(bad)).toEqual([
      { path: 'calendar.miit', message: expect.stringContaining("MIIT's own review deadline") as string },
    ]);
  });

  it("wants MIIT's deadline at least the window after the provinces', the window configurable", () => {
    const at = (miit: string, miitWindowDays?: number) => {
      const own = input();
      own.calendar = {
        province: '2025-07-15T23:59:59+08:00',
        miit,
        ...(miitWindowDays !== undefined && { miitWindowDays }),
      };
      return issues(own);
    };
    // The provinces' own date, and a day short of the default 14 days: refused, naming the field.
    expect(at('2025-07-15T23:59:59+08:00')).toEqual([
      { path: 'calendar.miit', message: expect.stringContaining('at least 14 days after calendar.province') as string },
    ]);
    expect(at('2025-07-28T23:59:59+08:00').map((i) => i.path)).toEqual(['calendar.miit']);
    expect(at('2025-07-29T23:59:59+08:00')).toEqual([]);
    // A campaign's own window: shorter or longer, never nil.
    expect(at('2025-07-18T23:59:59+08:00', 3)).toEqual([]);
    expect(at('2025-08-15T23:59:59+08:00', 60).map((i) => i.path)).toEqual(['calendar.miit']);
    expect(at('2025-07-29T23:59:59+08:00', 0).map((i) => i.path)).toEqual(['calendar.miitWindowDays']);
  });

  it("reads a stored campaign without MIIT's deadline, or thresholds without a source, as upgraded", () => {
    const stored = input() as Record<string, unknown> & CampaignInput;
    stored.calendar = { province: '2025-07-15T23:59:59+08:00', noticeDays: 7 } as CampaignInput['calendar'];
    const track = stored.tracks.recommendation;
    if (!track) throw new Error('seed track missing');
    track.thresholds = { minAnnualOutput: 40 } as NonNullable<typeof track.thresholds>;
    expect(issues(stored).map((i) => i.path)).toEqual(['calendar.miit', 'tracks.recommendation.thresholds.source']);
    const read = StoredCampaignSchema.parse(stored);
    expect(read.calendar.miit).toBe('2025-07-29T23:59:59+08:00');
    expect(read.calendar.noticeDays).toBe(7);
    expect(read.tracks.recommendation?.thresholds?.source).toBe(LEGACY_THRESHOLD_SOURCE);
    expect(StoredCampaignSchema.parse(structuredClone(read))).toEqual(read);
  });

  it('fills defaults and parses its own output again (stored campaigns are re-parsed)', () => {
    const minimal = input();
    minimal.calendar = { province: '2025-07-15T23:59:59+08:00', miit: '2025-12-31T23:59:59+08:00' };
    minimal.overlays = undefined;
    const parsed = CampaignSchema.parse(minimal);
    expect(parsed.calendar).toEqual({
      province: '2025-07-15T23:59:59+08:00',
      miit: '2025-12-31T23:59:59+08:00',
      miitWindowDays: 14,
      validityYears: 3,
    });
    expect(parsed.overlays).toEqual([]);
    expect(CampaignSchema.parse(structuredClone(parsed))).toEqual(parsed);
  });

  it('parseCampaign throws a ValidationError whose details name the fields', () => {
    const bad = input();
    bad.campaignId = 'X';
    try {
      parseCampaign(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual([expect.objectContaining({ field: 'campaignId' })]);
    }
  });
});
