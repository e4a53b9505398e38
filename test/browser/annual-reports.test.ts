import { beforeAll, describe, expect, it } from 'vitest';
import { samplePdf } from '../../local/sample-evidence.ts';
import { currentReportYear } from '../../shared/annual-report/cycle.ts';
import { REMINDER_RULES } from '../../shared/rules/reminders.ts';
import { as } from '../integration/harness.ts';
import { browserStack, expectNoSidewaysScroll, screenshot } from './support.ts';

/**
 * Annual reports in Chromium at 375×667: 敦化市's official follows the portal home's link to them, uploads the report file through the
 * portal's uploader (checked by the validator), files the figures from the form and sees it
 * waiting for the province, uploads again and removes the unwanted file (删除, its box ticked first); 吉林省's reviewer accepts it on the console and forwards the set to
 * MIIT. No sideways scroll; axe-core finds no serious or critical violation. Screenshots:
 * test-artifacts/screenshots/annual-*.png.
 */
const web = browserStack();
const { signedIn, expectAccessible } = web;
const year = currentReportYear(new Date(), REMINDER_RULES.annualReport);

beforeAll(async () => {
  const imported = await (
    await as(web.stack, 'operator', '220000')
  ).raw('POST', '/v1/register/imports', {
    level: 'provincial',
    cohort: year,
    validFrom: `${year}-01-10`,
    fileName: '吉林省名单.csv',
    content: Buffer.from(
      '序号,省份,集群名称,主导产业\n1,吉林省,敦化市人参产业集群,医药\n2,吉林省,延吉市食品产业集群,食品\n',
    ).toString('base64'),
  });
  // 延吉市 never files: its report is forwarded as missing.
  expect(imported.json).toMatchObject({ created: 2 });
});

describe('annual reports in a browser', () => {
  it('the county uploads the file, files the figures and sees the report wait for the province', async () => {
    // Reached from the portal's home, as the county finds it, and with the way back.
    const page = await signedIn('applicant', '222403', '/portal');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/portal/annual-reports'),
      page.getByRole('link', { name: '集群年度报告' }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toContain('集群年度报告');
    await expect(page.locator('.crumbs a').getAttribute('href')).resolves.toBe('/portal');
    const cluster = page.locator('section.ar-cluster');
    await expect(cluster.locator('h2').allTextContents()).resolves.toEqual(['敦化市人参产业集群']);
    await expect(cluster.locator('[data-standing]').getAttribute('data-standing')).resolves.toBe('due');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'annual-county-due');

    const bytes = Buffer.from(await samplePdf('Annual report', [`Dunhua ginseng cluster, ${year}`]));
    await cluster
      .locator('input.ev-input')
      .setInputFiles({ name: '年度报告.pdf', mimeType: 'application/pdf', buffer: bytes });
    await cluster.locator('.ev-file[data-status="VALID"]').waitFor({ timeout: 30_000 });

    const form = cluster.locator('form.ar-form');
    const values: Record<string, string> = {
      clusterOutput: '1250000',
      smeCount: '120',
      employment: '8600',
      rdSpending: '41000',
      specialisedSmes: '12',
      littleGiants: '2',
      mainWork: '建设人参精深加工公共技术服务平台',
      problems: '融资渠道单一',
    };
    // First with more little giants than 专精特新 SMEs (past the browser's own checks): refused
    // beside the field, in Chinese, with every figure kept; corrected there and filed.
    const mistaken = { ...values, specialisedSmes: '2', littleGiants: '12' };
    for (const [name, value] of Object.entries(mistaken)) await form.locator(`[name="${name}"]`).fill(value);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/portal/annual-reports/reports'),
      form.getByRole('button', { name: '报送年度报告' }).click(),
    ]);
    const giants = page.locator('form.ar-form [data-field="littleGiants"]');
    await expect(giants.locator('.error').textContent()).resolves.toContain('不能超过专精特新中小企业数');
    // As the portal's forms: the focus starts at the summary, which names the button's work (报送),
    // and the title, what a screen reader announces first, says the page shows a refusal.
    await expect(page.evaluate<string>('document.activeElement.id')).resolves.toBe('errors');
    await expect(page.locator('#errors').textContent()).resolves.toContain('请修改后再报送');
    await expect(page.title()).resolves.toMatch(/^有误：集群年度报告/);
    await expect(page.locator('main').textContent()).resolves.not.toMatch(/无法显示|figures\.|at most/);
    for (const [name, value] of Object.entries(mistaken)) {
      await expect(page.locator(`form.ar-form [name="${name}"]`).inputValue(), name).resolves.toBe(value);
    }
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'annual-county-refused');
    const kept = page.locator('form.ar-form');
    await kept.locator('[name="specialisedSmes"]').fill(values.specialisedSmes ?? '');
    await kept.locator('[name="littleGiants"]').fill(values.littleGiants ?? '');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/portal/annual-reports'),
      kept.getByRole('button', { name: '报送年度报告' }).click(),
    ]);
    await expect(page.locator('section.ar-cluster [data-standing]').getAttribute('data-standing')).resolves.toBe(
      'filed',
    );
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'annual-county-filed');

    // The same file name uploaded again: the page tells the two apart, which one the report
    // carries and which one a filing again would take instead.
    await page
      .locator('section.ar-cluster input.ev-input')
      .setInputFiles({ name: '年度报告.pdf', mimeType: 'application/pdf', buffer: bytes });
    await page.locator('section.ar-cluster .ev-file[data-status="VALID"]').nth(1).waitFor({ timeout: 30_000 });
    await page.reload();
    const marks = page.locator('section.ar-cluster .ev-file[data-filing]');
    await expect(marks.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-filing')))).resolves.toEqual([
      'fileTakenOnRefiling',
      'fileFiled',
    ]);
    await expect(marks.nth(1).textContent()).resolves.toContain('已随报告报送');
    await expect(marks.nth(0).textContent()).resolves.toContain('重新报送时改用此文件');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'annual-county-two-files');
    await expectAccessible('/portal/annual-reports', 'applicant', '222403');
    await expectAccessible('/portal/annual-reports?lang=en', 'applicant', '222403');

    // The newer one is not wanted after all: 删除 on it (the filed one has none), the box first.
    const rows = page.locator('section.ar-cluster .ev-file');
    await expect(marks.nth(1).locator('form.ar-remove').count()).resolves.toBe(0);
    const removal = marks.nth(0).locator('form.ar-remove');
    const removedId = await marks.nth(0).getAttribute('data-evidence-id');
    await removal.getByRole('button', { name: '删除' }).click();
    // Unticked, the browser holds the form back: still two files, nothing sent.
    await expect(
      page.evaluate<boolean>(`document.getElementById(${JSON.stringify(`rm-${removedId ?? ''}`)}).validity.valid`),
    ).resolves.toBe(false);
    await expect(rows.count()).resolves.toBe(2);
    await screenshot(page, 'annual-county-remove-confirm');
    await removal.getByLabel('确认删除此文件（删除后不能恢复）').check();
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/portal/annual-reports'),
      removal.getByRole('button', { name: '删除' }).click(),
    ]);
    // The list after: the filed file alone, still filed.
    await expect(rows.evaluateAll((list) => list.map((row) => row.getAttribute('data-filing')))).resolves.toEqual([
      'fileFiled',
    ]);
    await expect(page.locator(`.ev-file[data-evidence-id="${removedId ?? ''}"]`).count()).resolves.toBe(0);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'annual-county-removed');
  });

  it('the province accepts the report and forwards the set to MIIT', async () => {
    const page = await signedIn('reviewer', '220000', '/console/annual-reports');
    const row = page.locator('tr[data-entry]', { hasText: '敦化市人参产业集群' });
    await expect(row.locator('[data-standing]').getAttribute('data-standing')).resolves.toBe('filed');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'annual-province-filed');
    await expectAccessible('/console/annual-reports', 'reviewer', '220000');

    await Promise.all([
      page.waitForURL((u) => u.pathname === '/console/annual-reports'),
      row.getByRole('button', { name: '审核通过' }).click(),
    ]);
    await expect(row.locator('[data-standing]').getAttribute('data-standing')).resolves.toBe('accepted');
    // With 延吉市's report missing, one click does not forward the set for good: the box first.
    await expect(page.locator('#missing li').allTextContents()).resolves.toEqual([
      '延吉市食品产业集群（延吉市）· 未报送',
    ]);
    await expect(page.locator('#confirm-missing[required]').count()).resolves.toBe(1);
    await page.locator('#forward').click();
    await expect(page.locator('#forwarded').count()).resolves.toBe(0);
    await page.locator('#confirm-missing').check();
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/console/annual-reports'),
      page.locator('#forward').click(),
    ]);
    await expect(page.locator('#forwarded').textContent()).resolves.toContain('1/2');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'annual-province-forwarded');
  });
});
