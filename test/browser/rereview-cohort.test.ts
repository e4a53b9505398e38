import { describe, expect, it } from 'vitest';
import { browserStack, expectNoSidewaysScroll, screenshot } from './support.ts';

/**
 * The re-review cohort page in Chromium at 375×667 (/console/register/cohort): the 2025
 * re-review's 2022 cohort as the seed holds it (敦化市医药产业集群, not filed), its counts and each
 * level's deadline, in Chinese and in English; no sideways scroll; axe-core finds no serious or
 * critical violation. Screenshots: test-artifacts/screenshots/rereview-cohort-*.png.
 */
const { url, signedIn, expectAccessible } = browserStack();

describe('the re-review cohort page in a browser', () => {
  it('shows the member that has not filed, its counts and deadlines, on a phone', async () => {
    const page = await signedIn('reviewer', '220000', '/console/register/cohort');
    await expect(page.locator('h1').textContent()).resolves.toBe('复核批次');
    const counts = page.locator('#cohort-counts');
    await expect(counts.getAttribute('data-members')).resolves.toBe('1');
    await expect(counts.getAttribute('data-not-filed')).resolves.toBe('1');
    const member = page.locator('li[data-filing="not-filed"]');
    await expect(member.locator('h3').textContent()).resolves.toBe('敦化市医药产业集群');
    // Its route: 延边州, 吉林省, MIIT — each level's deadline in Beijing time.
    await expect(
      member.locator('.deadlines li').evaluateAll((items) => items.map((i) => i.getAttribute('data-stage'))),
    ).resolves.toEqual(['city', 'province', 'miit']);
    await expect(member.locator('.deadlines li').first().textContent()).resolves.toContain('北京时间');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'rereview-cohort-zh');

    await page.goto(url('/console/register/cohort?lang=en'));
    await expect(page.locator('h1').textContent()).resolves.toBe('Re-review cohort');
    await expect(page.locator('li[data-filing="not-filed"] dd').first().textContent()).resolves.toContain('Not filed');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'rereview-cohort-en');
    await page.close();
  });

  it('shows another province’s officials none of Jilin’s members', async () => {
    const page = await signedIn('operator', '140000', '/console/register/cohort');
    await expect(page.locator('#cohort-counts').getAttribute('data-members')).resolves.toBe('0');
    await page.close();
  });

  it('has no serious or critical accessibility violation', async () => {
    await expectAccessible('/console/register/cohort', 'operator', '000000');
  });
});
