import { describe, expect, it } from 'vitest';
import { STAGE_WORDS, STATUS_WORDS, WAITING_POINT_TITLES } from '../../../shared/platform/words.ts';

describe('the one vocabulary', () => {
  it("names the board's waiting points by their status, and a returned application by what it waits for", () => {
    expect(WAITING_POINT_TITLES).toEqual({
      draft: { zh: '草稿', en: 'Draft' },
      submitted: { zh: '已提交', en: 'Submitted' },
      city: { zh: '市级审核', en: 'City review' },
      province: { zh: '省级审核', en: 'Province review' },
      miit: { zh: '工信部审核', en: 'MIIT review' },
      'public-notice': { zh: '公示', en: 'Public notice' },
      returned: { zh: '退回待重报', en: 'Returned, awaiting revision' },
    });
    expect(STATUS_WORDS.RETURNED.console.zh).toBe('退回');
  });

  it('says one stage three ways: to reviewers, to the applicant, and in the summary tables', () => {
    // The stage's title names no step: Beijing's province and the typical-case track run no panel.
    expect(STAGE_WORDS.province.title).toEqual({ zh: '省级审核', en: 'Provincial review' });
    expect(STAGE_WORDS.province.applicant).toEqual({ zh: '省级审核推荐', en: 'provincial review and recommendation' });
    expect(STAGE_WORDS.province.table).toBe('省级审核');
  });
});
