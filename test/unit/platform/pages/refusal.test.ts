import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/platform/errors.ts';
import { ForbiddenError } from '../../../../shared/platform/auth/policy.ts';
import { errorPage } from '../../../../shared/platform/http/respond.ts';
import { refusalText } from '../../../../shared/platform/pages/refusal.ts';
import { renderRefusal } from '../../../../shared/review/panel/page.ts';

/**
 * The refusals no page frame of its own draws (the framework's, before a page renders) and the
 * expert panel's: each in the page's language, the details alone where there are some.
 */
describe('refusalText', () => {
  it('keeps the details alone, else the message', () => {
    const details = [{ message: '请填写姓名 / your name is required' }];
    expect(refusalText('Invalid request: name', details)).toEqual({ details });
    expect(refusalText('Invalid request: name', [])).toEqual({ message: 'Invalid request: name' });
    expect(refusalText('Invalid request: name', undefined)).toEqual({ message: 'Invalid request: name' });
  });
});

describe('the framework’s refusal page', () => {
  const crossSite = new ForbiddenError('The console takes no requests from other sites', [
    { field: 'origin', code: 'CROSS_SITE', message: '只接受本站页面提交 / only from this site’s own pages' },
  ]);

  it('is titled and worded in Chinese alone by default', () => {
    const page = errorPage(crossSite);
    expect(page.body).toContain('<h1>请求未被受理</h1>');
    expect(page.body).toContain('只接受本站页面提交');
    expect(page.body).not.toContain('refused');
    expect(page.body).not.toContain('only from this site');
    expect(page.body).not.toContain('The console takes');
  });

  it('is in English alone with ?lang=en', () => {
    const page = errorPage(crossSite, 'en');
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('<h1>The request was refused</h1>');
    expect(page.body).toContain('only from this site');
    expect(page.body).not.toMatch(/[\u4e00-\u9fff]/u);
  });

  it('shows the message where no detail explains', () => {
    const page = errorPage(new ValidationError('请选择申报批次 / choose a campaign'), 'en');
    expect(page.body).toContain('<p>choose a campaign</p>');
  });
});

describe('the expert panel’s refusal', () => {
  const answer = (details: object[]) => ({
    statusCode: 409,
    body: JSON.stringify({ error: { code: 'PANEL_CLOSED', message: 'The panel is closed', details } }),
  });
  const closed = [{ field: 'seat', code: 'PANEL_CLOSED', message: '专家评审已结束 / the panel has closed' }];

  it('says a detail written in both languages in the page’s half', () => {
    const english = renderRefusal(answer(closed), { seatId: 's1', secret: 't', lang: 'en' });
    expect(english.body).toContain('the panel has closed');
    expect(english.body).not.toContain('专家评审已结束');
    const chinese = renderRefusal(answer(closed), { seatId: 's1', secret: 't', lang: 'zh' });
    expect(chinese.body).toContain('专家评审已结束');
    expect(chinese.body).not.toContain('the panel has closed');
  });

  it('shows the developer line only without details', () => {
    expect(renderRefusal(answer(closed), { seatId: 's1', lang: 'en' }).body).not.toContain('The panel is closed');
    expect(renderRefusal(answer([]), { seatId: 's1', lang: 'en' }).body).toContain('The panel is closed');
  });
});
