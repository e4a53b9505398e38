import { describe, expect, it } from 'vitest';
import { quotaKeys } from '../../../shared/adapters/dynamo-quota.ts';
import { reservesAtStage } from '../../../shared/ladder/provincial-list.ts';
import type { LevelDocumentRef } from '../../../shared/ports/steps.ts';
import { renderReviewPage } from '../../../shared/review/page.ts';
import { alsoNationalAskedBy, alsoNationalOf, nationalExceptionOf } from '../../../shared/review/also-national.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import type { StepKind } from '../../../shared/rules/steps.ts';
import { APP_ID, application, makeDesk, review, SECRET, seed, seedReview } from './fixtures.ts';
import { mockedCloud } from './worlds.ts';

/**
 * The decisions of the provincial track (shared/review/also-national.ts, shared/ladder/provincial-list.ts)
 * on the seeded 2025 overlays: who states "also national" where, the exception to "provincial
 * first", and the province's MIIT quota taken for national candidates only.
 */

const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = demoCampaign(now);
const dunhua = { countyCode: '222403', track: 'recommendation' as const };
const meihekou = { countyCode: '220581', track: 'recommendation' as const };
const changbaishan = { countyCode: '229901', track: 'recommendation' as const };
const xiaodian = { countyCode: '140105', track: 'recommendation' as const };
const hebei = { countyCode: '130102', track: 'recommendation' as const };
const at = (stage: 'city' | 'province' | 'miit', index: number, kind: StepKind) => ({ stage, step: { index, kind } });

describe('who states "also national", and where', () => {
  it("Jilin: the city at its review; 梅河口 and 长白山, with no city, at the province's first step", () => {
    expect(alsoNationalAskedBy(at('city', 0, 'review'), dunhua, campaign)).toBe('city');
    expect(alsoNationalAskedBy(at('city', 1, 'formal-letter'), dunhua, campaign)).toBeUndefined();
    // A county with a city is never asked again at the province.
    expect(alsoNationalAskedBy(at('province', 0, 'review'), dunhua, campaign)).toBeUndefined();
    for (const direct of [meihekou, changbaishan]) {
      expect(alsoNationalAskedBy(at('province', 0, 'review'), direct, campaign)).toBe('province');
      expect(alsoNationalAskedBy(at('province', 1, 'sampling'), direct, campaign)).toBeUndefined();
    }
  });

  it('Shanxi: the province at its meeting (the step that settles its list), never at the letter', () => {
    expect(alsoNationalAskedBy(at('city', 0, 'review'), xiaodian, campaign)).toBeUndefined();
    expect(alsoNationalAskedBy(at('province', 3, 'meeting'), xiaodian, campaign)).toBe('province');
    for (const [index, kind] of [
      [0, 'formal-check'],
      [2, 'sampling'],
      [5, 'formal-letter'],
    ] as const) {
      expect(alsoNationalAskedBy(at('province', index, kind), xiaodian, campaign)).toBeUndefined();
    }
  });

  it('nowhere else: Hebei, MIIT, and the re-review track', () => {
    expect(alsoNationalAskedBy(at('city', 0, 'review'), hebei, campaign)).toBeUndefined();
    expect(alsoNationalAskedBy(at('province', 0, 'review'), hebei, campaign)).toBeUndefined();
    expect(alsoNationalAskedBy(at('miit', 0, 'review'), dunhua, campaign)).toBeUndefined();
    expect(
      alsoNationalAskedBy(at('province', 3, 'meeting'), { ...xiaodian, track: 'rereview' }, campaign),
    ).toBeUndefined();
  });

  it('an approval where it is asked needs the statement, naming alsoNational', () => {
    expect(() => alsoNationalOf(at('province', 0, 'review'), meihekou, campaign, { decision: 'approve' })).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ field: 'alsoNational' })] }),
    );
    expect(
      alsoNationalOf(at('province', 3, 'meeting'), xiaodian, campaign, { decision: 'approve', alsoNational: false }),
    ).toBe(false);
    // A return carries none.
    expect(
      alsoNationalOf(at('province', 3, 'meeting'), xiaodian, campaign, { decision: 'return', alsoNational: true }),
    ).toBeUndefined();
  });
});

describe('the exception to "provincial first" (Shanxi)', () => {
  const meeting = at('province', 3, 'meeting');
  const fieldOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return (error as { details?: { field: string; code: string }[] }).details?.[0];
    }
    return undefined;
  };

  it('needs its reason, naming the field', () => {
    const input = { decision: 'approve' as const, alsoNational: true, nationalException: true };
    expect(fieldOf(() => nationalExceptionOf(meeting, xiaodian, campaign, input))).toEqual({
      field: 'reason',
      code: 'EXCEPTION_REASON_REQUIRED',
      message: expect.any(String),
    });
    expect(nationalExceptionOf(meeting, xiaodian, campaign, { ...input, reason: '重点专业镇' })).toBe(true);
  });

  it('concerns a national candidate only, and only where the province requires provincial recognition first', () => {
    const reason = '重点专业镇';
    expect(
      fieldOf(() =>
        nationalExceptionOf(meeting, xiaodian, campaign, {
          decision: 'approve',
          alsoNational: false,
          nationalException: true,
          reason,
        }),
      )?.code,
    ).toBe('EXCEPTION_NEEDS_NATIONAL');
    // Jilin's province asks 梅河口 "also national" but requires no prior provincial recognition.
    expect(
      fieldOf(() =>
        nationalExceptionOf(at('province', 0, 'review'), meihekou, campaign, {
          decision: 'approve',
          alsoNational: true,
          nationalException: true,
          reason,
        }),
      )?.code,
    ).toBe('NOT_ASKED_AT_THIS_STEP');
    expect(
      nationalExceptionOf(meeting, xiaodian, campaign, { decision: 'approve', alsoNational: true }),
    ).toBeUndefined();
  });
});

describe("the province's MIIT quota is for national candidates only", () => {
  it('reservesAtStage: not at the province for one that stays on the provincial list; the city cap always', () => {
    const stays = { ...xiaodian, alsoNational: false };
    expect(reservesAtStage(stays, campaign, 'province')).toBe(false);
    expect(reservesAtStage(stays, campaign, 'city')).toBe(true);
    expect(reservesAtStage({ ...xiaodian, alsoNational: true }, campaign, 'province')).toBe(true);
    // Not yet stated: national, as before provincial lists.
    expect(reservesAtStage(xiaodian, campaign, 'province')).toBe(true);
    // No provincial list in Hebei: a statement changes nothing.
    expect(reservesAtStage({ ...hebei, alsoNational: false }, campaign, 'province')).toBe(true);
  });

  describe('at the desk: the formal letter completing Jilin province’s forwarding step', () => {
    const cloud = mockedCloud();
    const letter: LevelDocumentRef = {
      campaignId: campaign.campaignId,
      track: 'recommendation',
      jurisdictionCode: '220000',
      kind: 'formal-letter',
      documentId: 'letter-1',
      fileName: '正式推荐文件.pdf',
      sha256: 'a'.repeat(64),
      s3Key: 'level-documents/letter-1',
      uploadedBy: 'reviewer-220000',
      validatedAt: now.toISOString(),
    };
    const levelDocuments = { valid: async () => [letter] };
    const slotHeld = () => {
      const slot = quotaKeys.slot(campaign.campaignId, 'recommendation', 'provincial', '220000', APP_ID);
      return cloud.table.get(slot.pk, slot.sk) !== undefined;
    };

    it.each([
      [false, false],
      [true, true],
    ])('the city said "also national: %s": a provincial slot taken: %s', async (alsoNational, taken) => {
      seed(cloud.table).application(application(now, { status: 'PROVINCE_REVIEW', stage: 'province', alsoNational }));
      const open = review(now, { stage: 'province', step: { index: 2, kind: 'formal-letter' } });
      await seedReview(open);
      const desk = makeDesk(() => now, [campaign], { levelDocuments });
      const decided = await desk.decide(open.reviewId, { kind: 'link', secret: SECRET }, { decision: 'approve' });
      expect(decided).toMatchObject({ decision: 'approve' });
      expect(slotHeld()).toBe(taken);
    });

    it("asks 梅河口's province on the page, and records an approval's statement on the application", async () => {
      seed(cloud.table).application(
        application(now, { countyCode: '220581', cityCode: undefined, status: 'PROVINCE_REVIEW', stage: 'province' }),
      );
      const open = review(now, { stage: 'province', step: { index: 0, kind: 'review' } });
      await seedReview(open);
      const desk = makeDesk(() => now, [campaign], { levelDocuments });
      const page = renderReviewPage(await desk.page(open.reviewId, { kind: 'link', secret: SECRET })).body;
      expect(page).toContain('name="alsoNational" value="false"');
      expect(page).not.toContain('name="nationalException"');
      await expect(
        desk.decide(open.reviewId, { kind: 'link', secret: SECRET }, { decision: 'approve' }),
      ).rejects.toMatchObject({ status: 400 });
      await desk.decide(open.reviewId, { kind: 'link', secret: SECRET }, { decision: 'approve', alsoNational: false });
      expect(cloud.table.get(`APP#${APP_ID}`, 'APP')?.alsoNational).toBe(false);
    });

    it("offers Shanxi's meeting the exception, and stores it on the application with the reason audited", async () => {
      const shanxi = { countyCode: '140105', cityCode: '140100', provincialCode: '140000' };
      seed(cloud.table).application(application(now, { ...shanxi, status: 'PROVINCE_REVIEW', stage: 'province' }));
      const open = {
        ...review(now, { stage: 'province', step: { index: 3, kind: 'meeting' } }),
        jurisdictionCode: '140000',
      };
      await seedReview(open);
      const desk = makeDesk(() => now, [campaign], { levelDocuments });
      const page = renderReviewPage(await desk.page(open.reviewId, { kind: 'link', secret: SECRET })).body;
      expect(page).toContain('name="nationalException" value="true"');
      await desk.decide(
        open.reviewId,
        { kind: 'link', secret: SECRET },
        { decision: 'approve', alsoNational: true, nationalException: true, reason: '重点专业镇，直接推荐国家级' },
      );
      expect(cloud.table.get(`APP#${APP_ID}`, 'APP')).toMatchObject({ alsoNational: true, nationalException: true });
      const approved = cloud.table.all().find((item) => item.action === 'REVIEW_APPROVED');
      expect(approved).toMatchObject({
        reason: '重点专业镇，直接推荐国家级',
        detail: expect.objectContaining({ nationalException: true }),
      });
    });
  });
});
