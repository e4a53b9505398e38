import { describe, expect, it } from 'vitest';
import { pageContext, problemPage } from '../../../../shared/platform/pages/layout.ts';
import { PEOPLE } from '../../support.ts';

/**
 * The page a refusal becomes. A console form that is refused (a triage without its reason, too few
 * experts seated) leads back to the form's own page, with what to mend; the API's one line for
 * developers shows only where no detail explains.
 */
describe('problemPage', () => {
  const ctx = pageContext('zh', 'objections', {}, PEOPLE.miitReviewer);
  const details = [{ field: 'reason', message: '不予采纳须写明理由 / a dismissal needs its reason' }];

  it('shows the details alone where there are some, and leads back to the refused form first', () => {
    const page = problemPage(400, ctx, 'notDone', 'Invalid request: reason', details, { fromForm: true });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('<h1>未能办理</h1>');
    expect(page.body).toContain('不予采纳须写明理由');
    expect(page.body).not.toContain('Invalid request');
    expect(page.body).toContain('<a href="/console/objections">返回修改</a> · <a href="/console/inbox">');
  });

  it('keeps the message where nothing else explains, and offers no way back to a page that was never a form', () => {
    const page = problemPage(409, ctx, 'refused', '该异议已处理 / already triaged');
    expect(page.body).toContain('该异议已处理');
    expect(page.body).not.toContain('返回修改');
  });

  it('speaks the page’s language on the way back', () => {
    const english = pageContext('en', 'objections', {}, PEOPLE.miitReviewer);
    const page = problemPage(400, english, 'notDone', 'Invalid request: reason', details, { fromForm: true });
    expect(page.body).toContain('<h1>Not done</h1>');
    expect(page.body).toContain('<a href="/console/objections?lang=en">Back to the form</a>');
  });
});
