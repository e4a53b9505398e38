import { describe, expect, it } from 'vitest';
import { NOTICE_SITE, objectionStatusPage } from '../../../shared/notice/pages.ts';
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
