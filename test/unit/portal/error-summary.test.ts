import { describe, expect, it } from 'vitest';
import { pageContext } from '../../../shared/platform/pages/layout.ts';
import { errorSummary } from '../../../shared/portal/form-fields.ts';
import { PORTAL_SITE } from '../../../shared/portal/parts.ts';
import { PEOPLE } from '../support.ts';

/** A refused form's summary says to do again what its own button does: save, create, file. */
describe('errorSummary', () => {
  const errors = [
    { field: 'clusterName', code: 'REQUIRED', message: '请填写集群名称 / the cluster’s name is required' },
  ];
  const ctx = (lang: 'zh' | 'en') => pageContext(lang, 'new', {}, PEOPLE.dunhuaApplicant, PORTAL_SITE);

  it('says 保存 by default (the 申报表, whose button saves)', () => {
    expect(String(errorSummary(ctx('zh'), 'recommendation', errors))).toContain('以下各项有误，请修改后再保存：');
  });

  it('says the word it is given, in the page’s language', () => {
    const zh = String(errorSummary(ctx('zh'), 'recommendation', errors, 'fixFieldsCreate'));
    expect(zh).toContain('以下各项有误，请修改后再创建草稿：');
    expect(zh).not.toContain('保存');
    const en = String(errorSummary(ctx('en'), 'recommendation', errors, 'fixFieldsCreate'));
    expect(en).toContain('Fix these fields, then create the draft:');
  });
});
