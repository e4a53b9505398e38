import { describe, expect, it } from 'vitest';
import { QuotaExceededError, quotaRefusalContext } from '../../../shared/ladder/quota-errors.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import { oneLanguage } from '../../../shared/platform/pages/i18n.ts';

const detail = (error: QuotaExceededError) => error.details?.[0]?.message ?? '';
const DEMO = demoCampaign(new Date('2026-03-01T00:00:00.000Z'));

/**
 * The refusal a reviewer reads when approving over a quota: whose quota, how full, and what to do
 * (the province's walk read "名额已满（已用 8/8）" and nothing more), each half in its language.
 */
describe('a full quota, as the reviewer reads it', () => {
  it('at a province with its own list: the province by name, the count, and the way on (reject, or keep it on the list)', () => {
    const message = detail(new QuotaExceededError('provincial', '140000', 8, 8, { provincialList: true }));
    const zh = oneLanguage('zh', message);
    const en = oneLanguage('en', message);
    expect(zh).toBe(
      '山西省推荐至工业和信息化部的名额已满（已用 8/8），超出的一律不予受理：请选择“不予推荐”并说明原因；已推荐的申报撤回、被取消或未获通过的，名额随即释放，届时可再推荐本申报；也可只列入本省名单、不推荐至工业和信息化部',
    );
    expect(en).toContain("keep the application on the province's own list");
    expect(en).toContain('the quota of 140000 for recommendations to MIIT is full (8 of 8 used)');
    expect(en).toContain('reject this application, with the reason');
    expect(zh).not.toMatch(/[a-z]{3}/);
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('at a province without a list of its own (Beijing): no list to keep the application on is offered', () => {
    const message = detail(new QuotaExceededError('provincial', '110000', 8, 8, { provincialList: false }));
    expect(oneLanguage('zh', message)).toMatch(/^北京市推荐至工业和信息化部的名额已满（已用 8\/8）/);
    expect(message).not.toContain('本省名单');
    expect(message).not.toContain('own list');
  });

  it('knows the list from the campaign: Shanxi keeps one, Beijing does not', () => {
    const shanxi = quotaRefusalContext(
      { subSector: 'special-steel', track: 'recommendation', countyCode: '140105' },
      DEMO,
    );
    const beijing = quotaRefusalContext({ subSector: 'rail', track: 'recommendation', countyCode: '110106' }, DEMO);
    expect(shanxi).toEqual({ subSectorName: 'special-steel', provincialList: true });
    expect(beijing).toEqual({ subSectorName: 'rail', provincialList: false });
  });

  it('at a Shanxi city: its cap of 3 to the province', () => {
    const message = detail(new QuotaExceededError('city', '140100', 3, 3));
    expect(oneLanguage('zh', message)).toBe(
      '太原市推荐至省级的名额已满（已用 3/3），超出的一律不予受理：请选择“不予推荐”并说明原因；已推荐的申报撤回、被取消或未获通过的，名额随即释放，届时可再推荐本申报',
    );
    expect(oneLanguage('en', message)).toContain('(3 of 3 used)');
  });

  it('for a sub-sector: the level that forwards, one per sub-sector, no id in the Chinese half', () => {
    const message = detail(new QuotaExceededError('sub-sector', '140100:coal-machinery', 1, 1));
    const zh = oneLanguage('zh', message);
    expect(zh).toBe(
      '太原市在该细分领域的推荐名额已满（已用 1/1，每个细分领域至多 1 个），超出的一律不予受理：请选择“不予推荐”并说明原因；已推荐的申报撤回、被取消或未获通过的，名额随即释放，届时可再推荐本申报',
    );
    expect(oneLanguage('en', message)).toContain('for the sub-sector coal-machinery is full (1 of 1 used');
  });

  it('names the sub-sector as the application names it, where the one who refuses knows it', () => {
    const error = new QuotaExceededError('sub-sector', '140200:special-steel', 1, 1).forApplication({
      subSectorName: '特种钢',
    });
    const message = detail(error);
    expect(oneLanguage('zh', message)).toMatch(
      /^大同市在细分领域“特种钢”的推荐名额已满（已用 1\/1，每个细分领域至多 1 个）/,
    );
    expect(oneLanguage('en', message)).toContain('for the sub-sector special-steel is full');
    expect(error).toMatchObject({
      status: 409,
      scope: 'sub-sector',
      jurisdictionCode: '140200:special-steel',
      used: 1,
    });
  });

  it('says how a slot comes free again, in each language', () => {
    for (const error of [
      new QuotaExceededError('provincial', '140000', 8, 8),
      new QuotaExceededError('city', '140100', 3, 3),
      new QuotaExceededError('sub-sector', '140100:coal-machinery', 1, 1),
    ]) {
      expect(oneLanguage('zh', detail(error))).toContain(
        '已推荐的申报撤回、被取消或未获通过的，名额随即释放，届时可再推荐本申报',
      );
      expect(oneLanguage('en', detail(error))).toContain(
        'a slot comes free when a forwarded application is withdrawn, cancelled or rejected; this one can then be approved',
      );
    }
  });

  it('keeps the numbers for API clients', () => {
    expect(new QuotaExceededError('provincial', '140000', 8, 8)).toMatchObject({
      status: 409,
      code: 'QUOTA_EXCEEDED',
      message: '8 of 8 used: the provincial quota of 140000 is full',
      details: [{ field: 'decision', code: 'QUOTA_EXCEEDED', scope: 'provincial', used: 8, limit: 8 }],
    });
  });
});
