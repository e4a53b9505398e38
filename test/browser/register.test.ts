import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserStack, expectNoSidewaysScroll, screenshot } from './support.ts';

/**
 * The register in Chromium at 375×667: the console's register page (the seed, filters and counts,
 * an operator's import from the page's form with its per-row report), and a county official's
 * "my recognised clusters" on the portal. No sideways scroll; axe-core finds no serious or
 * critical violation. Screenshots: test-artifacts/screenshots/register-*.png.
 */
const { url, signedIn, expectAccessible } = browserStack();

const rowsShown = (page: Page) => page.locator('#register-entries tbody tr').evaluateAll((rows) => rows.length);

describe('the register in a browser', () => {
  it('shows the register by cohort and state, and imports a list from its form with a per-row report', async () => {
    const page = await signedIn('operator', '000000', '/console/register');
    await expect(page.locator('h1').textContent()).resolves.toBe('认定集群名录');
    expect(await rowsShown(page)).toBe(4);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'register-console');

    // The filter: the 2022 cohort is 敦化市医药产业集群 alone.
    await page.locator('select[name="cohort"]').selectOption('2022');
    await Promise.all([page.waitForURL(/cohort=2022/), page.getByRole('button', { name: '筛选' }).click()]);
    await expect(page.locator('#register-entries tbody td').first().textContent()).resolves.toBe('敦化市医药产业集群');
    expect(await rowsShown(page)).toBe(1);

    // The import form: one good row, one that names no county, one without its industry.
    const csv =
      '2024年度名单\n序号,省份,集群名称,主导产业\n1,吉林省,延吉市食品产业集群,食品\n2,吉林省,长春市汽车产业集群,汽车\n3,吉林省,珲春市纺织产业集群,\n';
    await page.goto(url('/console/register'));
    await page.locator('input[name="cohort"]').fill('2024');
    await page.locator('input[name="validFrom"]').fill('2024-12-20');
    await page
      .locator('input[name="file"]')
      .setInputFiles({ name: '名单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    // First only checked: the summary says nothing was entered (it said 新登记 1 个).
    await page.locator('input[name="dryRun"]').check();
    await page.getByRole('button', { name: '导入', exact: true }).click();
    const summary = page.locator('#import-report p[data-report]');
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toBe(
      '仅检查，未导入。共 3 行：可新登记 1 个，已在名录 0 个，拒绝 2 行',
    );
    await page.locator('input[name="dryRun"]').uncheck();
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.locator('#import-report p[data-report]:not(:has-text("仅检查"))').waitFor();
    expect(JSON.parse((await summary.getAttribute('data-report')) ?? '{}')).toEqual({
      rows: 3,
      created: 1,
      existing: 0,
      refused: 2,
    });
    // Each refused row: its number, its column and, in Chinese only, what is wrong and what to write.
    await expect(page.locator('#import-report td').allTextContents()).resolves.toEqual([
      '4',
      '集群名称',
      '集群名称未以吉林省的县（市、区）开头，请增加区县或区县代码列',
      '5',
      '主导产业',
      '主导产业为空，请填写主导产业',
    ]);
    await expect(page.locator('#import-report tr[data-code]').first().getAttribute('data-code')).resolves.toBe(
      'county_not_in_name',
    );
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'register-import-report');
    await page.reload();
    expect(await rowsShown(page)).toBe(5);
    await expectAccessible('/console/register', 'operator', '000000');
    await expectAccessible('/console/register?lang=en&state=valid', 'operator', '000000');
  });

  it('says in Chinese why a file cannot be read as a list, and what to do (it answered in English)', async () => {
    const page = await signedIn('operator', '000000', '/console/register');
    const send = async (name: string, bytes: string) => {
      await page.locator('input[name="validFrom"]').fill('2024-12-20');
      await page
        .locator('input[name="file"]')
        .setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(bytes) });
      await page.getByRole('button', { name: '导入', exact: true }).click();
      const failed = page.locator('#import-report p.bad');
      await failed.waitFor();
      return failed.textContent();
    };
    await expect(send('名单.txt', '序号,省份')).resolves.toBe(
      '导入失败 (400)：无法识别名单文件的格式，请上传扩展名为.xlsx或.csv的文件',
    );
    await page.reload();
    await expect(send('名单.xlsx', '序号,省份,集群名称\n')).resolves.toBe(
      '导入失败 (400)：文件不是XLSX工作簿，请在Excel或WPS中另存为.xlsx后重新导入',
    );
    await page.close();
  });

  it('shows a county its own recognised clusters, their validity and what is due', async () => {
    const page = await signedIn('applicant', '222403', '/portal/clusters');
    await expect(page.locator('h1').textContent()).resolves.toBe('我的认定集群');
    const cards = page.locator('li[data-entry]');
    await expect(cards.locator('h2').allTextContents()).resolves.toEqual(['敦化市医药产业集群']);
    await expect(cards.locator('dd').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['国家级 · 2022', '2022-12-31 至 2025-12-31']),
    );
    // The seeded change record in Chinese only, and the way back to the portal's home.
    await cards.locator('details summary').first().click();
    await expect(cards.locator('details li').first().textContent()).resolves.toContain(
      '2022 年国家级名单（通知中列明）',
    );
    await expect(cards.locator('details').first().textContent()).resolves.not.toContain('national list');
    await expect(page.locator('.crumbs a').getAttribute('href')).resolves.toBe('/portal');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'register-portal');
    await expectAccessible('/portal/clusters', 'applicant', '222403');
  });
});
