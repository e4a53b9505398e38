import { describe, expect, it } from 'vitest';
import { langOf } from '../../../shared/platform/pages/i18n.ts';
import { pageContext } from '../../../shared/platform/pages/layout.ts';
import { PORTAL_SITE } from '../../../shared/portal/parts.ts';
import type { RegisterView } from '../../../shared/register/api-schemas.ts';
import { myClustersPage } from '../../../shared/register/pages.ts';
import { seedEntries } from '../../../shared/register/seed.ts';
import { PEOPLE } from '../support.ts';

/**
 * The county's "my recognised clusters" (/portal/clusters) with the seeded register: the way back
 * to the portal's home, and each change record in the page's language only.
 */
function page(lang: 'zh' | 'en') {
  const query: Record<string, string> = lang === 'en' ? { lang: 'en' } : {};
  const ctx = pageContext(langOf(query), 'clusters', query, PEOPLE.dunhuaApplicant, PORTAL_SITE);
  const entries = seedEntries(new Date('2024-01-01T00:00:00Z'))
    .filter((entry) => entry.countyCode === '222403')
    .map((entry) => ({ ...entry, lapsed: false, due: [] }));
  const view: RegisterView = { filter: {}, entries, counts: { total: 1, byProvince: {}, byCohort: {}, byState: {} } };
  return myClustersPage(ctx, view).body;
}

const historyOf = (body: string) => (body.match(/<details>[\s\S]*?<\/details>/)?.[0] ?? '').replace(/<[^>]+>/g, ' ');

describe('the portal’s recognised clusters', () => {
  it('leads back to the portal’s home', () => {
    expect(page('zh')).toContain('<p class="crumbs"><a href="/portal">返回首页</a></p>');
    expect(page('en')).toContain('<p class="crumbs"><a href="/portal?lang=en">Home</a></p>');
  });

  it('reads the seeded change record in the page’s language only', () => {
    const zh = historyOf(page('zh'));
    expect(zh).toContain('2022 年国家级名单（通知中列明）');
    expect(zh).not.toMatch(/[A-Za-z]{3,}/);
    const en = historyOf(page('en'));
    expect(en).toContain('2022 national list (named in the notices)');
    expect(en).not.toMatch(/[\u4e00-\u9fff]/u);
  });
});
