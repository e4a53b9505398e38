import { describe, expect, it } from 'vitest';
import { NOTICE_SITE, noticeEntryPage, objectionStatusPage } from '../../../shared/notice/pages.ts';
import type { NoticeEntry } from '../../../shared/notice/views.ts';
import { PublicObjectionBodySchema } from '../../../shared/schemas/reviews.ts';
import { zodDetails } from '../../../shared/platform/parse.ts';
import { pageContext } from '../../../shared/platform/pages/layout.ts';

/** The public notice's pages as the objector reads them. */

const ctx = (lang: 'zh' | 'en') => pageContext(lang, 'status', {}, undefined, NOTICE_SITE);

describe('looking up an objection by its receipt number', () => {
  it('says in the page’s language that a mistyped receipt is not one, and what one looks like', () => {
    // What the handler passes on: the schema's message, in English only.
    const answer = objectionStatusPage(ctx('zh'), {
      receipt: '176ee66f-1a98',
      status: 400,
      error: 'not a receipt number',
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('回执号格式不正确');
    expect(answer.body).toContain('value="176ee66f-1a98"');
    expect(answer.body).not.toContain('not a receipt number');
    const english = objectionStatusPage(ctx('en'), { receipt: 'x', status: 400, error: 'not a receipt number' });
    expect(english.body).toContain('That is not a receipt number');
  });

  it('says in the page’s language alone that no objection has the receipt', () => {
    const answer = objectionStatusPage(ctx('zh'), {
      receipt: '176ee66f-1a98-4e34-ac3a-47c79051b5e5',
      status: 404,
      error: '未找到该回执号的异议 / no objection has this receipt number',
    });
    expect(answer.statusCode).toBe(404);
    expect(answer.body).toContain('未找到该回执号的异议，请对照回执核对后重新输入。');
    expect(answer.body).not.toContain('no objection has this receipt number');
  });
});

describe('the objection form', () => {
  const entry: NoticeEntry = {
    applicationId: '0b6f3b7e-4c1a-4d7e-9a57-2f3a1c0d9e11',
    campaign: { campaignId: 'demo-2026-recommendation', name: { zh: '演示', en: 'Demo' }, notice: '演示' },
    clusterName: '珲春市海洋食品产业集群',
    leadingIndustry: '食品加工',
    subSector: '海洋食品',
    place: { county: '珲春市', city: '延边朝鲜族自治州', province: '吉林省' },
    holder: { stage: 'miit', jurisdictionCode: '000000', name: '工业和信息化部' },
    window: { startedAt: '2026-12-07T00:00:00.000Z', endsAt: '2026-12-14T00:00:00.000Z' },
    open: true,
  };
  // The form's own refusal of an empty objection, as the handler passes it on.
  const parsed = PublicObjectionBodySchema.safeParse({ name: '', contact: '', reason: '' });
  const errors = parsed.success ? [] : zodDetails(parsed.error);

  it('says beside each field what is missing, in the page’s language only', () => {
    expect(errors.length).toBeGreaterThan(0);
    const zh = noticeEntryPage(ctx('zh'), entry, { values: {}, errors }).body;
    expect(zh).toContain('<p class="field-error" id="name-error">请填写姓名</p>');
    expect(zh).not.toContain('your name is required');
    const en = noticeEntryPage(ctx('en'), entry, { values: {}, errors }).body;
    expect(en).toContain('<p class="field-error" id="name-error">your name is required</p>');
  });
});
