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

/**
 * A page refused by the rules (a county official opening another county's page, another level's
 * reviewer) speaks its own language: the rule's half of `只能… / may not …`, never the API's
 * English line for developers beside it, nor both halves at once.
 */
describe('a refusal in the page’s language', () => {
  const rule = [
    {
      field: 'authorization',
      message: '只能查看本辖区的运维数据 / you may not watch a jurisdiction outside its scope',
    },
  ];
  const developerLine = 'An operator of 220000 may not watch a jurisdiction outside its scope';

  it('a 403 in Chinese says the rule in Chinese alone', () => {
    const page = problemPage(
      403,
      pageContext('zh', 'board', {}, PEOPLE.miitReviewer),
      'forbidden',
      developerLine,
      rule,
    );
    expect(page.body).toContain('只能查看本辖区的运维数据');
    expect(page.body).not.toContain('may not');
  });

  it('a 403 in English says the rule in English alone', () => {
    const page = problemPage(
      403,
      pageContext('en', 'board', {}, PEOPLE.miitReviewer),
      'forbidden',
      developerLine,
      rule,
    );
    expect(page.body).toContain('you may not watch a jurisdiction outside its scope');
    expect(page.body).not.toContain('只能');
    expect(page.body).not.toContain(developerLine);
  });

  it('a message written in both languages, with nothing else to explain, shows its page’s half', () => {
    const english = pageContext('en', 'objections', {}, PEOPLE.miitReviewer);
    const page = problemPage(409, english, 'refused', '该异议已处理 / already triaged');
    expect(page.body).toContain('already triaged');
    expect(page.body).not.toContain('该异议已处理');
  });
});
