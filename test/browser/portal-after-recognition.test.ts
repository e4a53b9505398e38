import { beforeAll, describe, expect, it } from 'vitest';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { asOperator } from '../integration/harness.ts';
import { rereviewCampaign, typicalCasesCampaign } from '../support/campaigns.ts';
import { asBeforeSteps, browserStack, expectNoSidewaysScroll, expectPageAccessible, screenshot } from './support.ts';

/**
 * The county's pages after recognition in Chromium at 375×667, walked with the keyboard: 敦化市's
 * official files the 2025 re-review of its 2022 cluster (the seed's 敦化市医药产业集群, listed
 * without a sub-sector) and a typical case for it. The entry's name, industry and sub-sector are
 * shown as the entry's, not as inputs; a save refused comes back with the focus on its errors; the
 * submit page says what each unticked attestation and the aspects need. Screenshots:
 * test-artifacts/screenshots/after-*.png.
 */
const rereview = rereviewCampaign(asBeforeSteps(demoCampaign(new Date())));
const typical = typicalCasesCampaign(`typical-after-${Date.now()}`);

const web = browserStack();
const { signedIn } = web;

beforeAll(async () => {
  const operator = await asOperator(web.stack);
  expect((await operator.createCampaign(rereview)).status).toBe(201);
  const created = await operator.createCampaign(typical);
  expect(created.status, created.text).toBe(201);
});

/** The focused element's id (or its tag when it has none). */
const focused = (page: import('playwright-core').Page) =>
  page.evaluate<string>('document.activeElement.id || document.activeElement.tagName');

describe('the county after recognition, by keyboard', () => {
  it('files the re-review with the entry’s identity locked, and a refused save puts the focus on its errors', async () => {
    const page = await signedIn('applicant', '222403', `/portal/new?campaignId=${rereview.campaignId}&track=rereview`);
    await expect(page.locator('select[name="registerEntryId"] option').first().textContent()).resolves.toContain(
      '敦化市医药产业集群',
    );
    await page.getByRole('button', { name: '创建草稿' }).focus();
    await Promise.all([page.waitForURL((u) => u.pathname === '/portal/edit'), page.keyboard.press('Enter')]);

    // The entry's name, industry and sub-sector are read, not typed: no input, the reason beside them.
    for (const name of ['clusterName', 'leadingIndustry', 'subSector']) {
      await expect(page.locator(`[name="${name}"]`).count(), name).resolves.toBe(0);
      await expect(page.locator(`[data-field="${name}"]`).getAttribute('data-locked'), name).resolves.toBe('true');
    }
    await expect(page.locator('[data-field="clusterName"] .value').textContent()).resolves.toBe('敦化市医药产业集群');
    await expect(page.locator('[data-field="subSector"] .help').textContent()).resolves.toContain('不可修改');
    await expectNoSidewaysScroll(page);
    await expectPageAccessible(page, 'rereview form');
    await screenshot(page, 'after-rereview-locked');

    // A wrong phone number: the save is refused beside it, and nothing asks for a sub-sector the
    // entry does not list. The focus starts on the errors, whose link leads to the field.
    await page.locator('[name="form.contact.name"]').fill('李明');
    await page.locator('[name="form.contact.phone"]').fill('12');
    await page.getByRole('button', { name: '保存' }).focus();
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/form')), page.keyboard.press('Enter')]);
    await expect(focused(page)).resolves.toBe('errors');
    // The title, which a screen reader announces first, says the form was refused; the h1 stays.
    await expect(page.title()).resolves.toMatch(/^有误：敦化市医药产业集群 · /);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/^敦化市医药产业集群 · /);
    await expect(page.locator('#errors').textContent()).resolves.toContain('联系电话');
    await expect(page.locator('#errors').textContent()).resolves.not.toContain('细分领域');
    await expect(page.locator('[name="form.contact.phone"]').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('[name="form.contact.phone"]').getAttribute('aria-describedby')).resolves.toContain(
      'f-form-contact-phone-error',
    );
    await expect(page.locator('[name="form.contact.name"]').inputValue()).resolves.toBe('李明');
    await expect(page.locator('[data-field="clusterName"] .value').textContent()).resolves.toBe('敦化市医药产业集群');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL((u) => u.hash === '#f-form-contact-phone'), page.keyboard.press('Enter')]);
    await expect(focused(page)).resolves.toBe('f-form-contact-phone');
    await screenshot(page, 'after-rereview-refused');

    await page.locator('[name="form.contact.phone"]').fill('0433-6222222');
    await page.getByRole('button', { name: '保存' }).focus();
    await Promise.all([page.waitForURL((u) => u.searchParams.get('done') === 'saved'), page.keyboard.press('Enter')]);
    await expect(page.locator('[name="form.contact.phone"]').inputValue()).resolves.toBe('0433-6222222');
    await page.close();
  });

  it('reads what a typical case still needs: a box to tick for each attestation, at least one aspect', async () => {
    const page = await signedIn(
      'applicant',
      '222403',
      `/portal/new?campaignId=${typical.campaignId}&track=typical-case`,
    );
    await page.getByRole('button', { name: '创建草稿' }).focus();
    await Promise.all([page.waitForURL((u) => u.pathname === '/portal/edit'), page.keyboard.press('Enter')]);
    const id = new URL(page.url()).searchParams.get('id') ?? '';
    await page.goto(web.url(`/portal/submit?id=${id}`));
    const problems = page.locator('#problems');
    await expect(problems.locator('[data-field="form.attestation.noIpDispute"]').textContent()).resolves.toContain(
      '须勾选',
    );
    await expect(problems.locator('[data-field="form.aspects"]').textContent()).resolves.toContain('至少填写一个方面');
    await expect(problems.locator('[data-field="form.aspects"]').textContent()).resolves.not.toContain('必填');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'after-typical-submit');
    await page.close();
  });
});

describe('the 申报表’s language switch', () => {
  it('asks before leaving typed entries unsaved, and leaves without asking once they are saved', async () => {
    // The first test made this county's one re-review draft: open it from the home page.
    const page = await signedIn('applicant', '222403', '/portal');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/portal/edit'),
      page.locator('a[href^="/portal/edit?id="]').first().click(),
    ]);
    await page.locator('[name="form.contact.email"]').fill('dunhua@example.cn');
    const asked = new Promise<string>((resolve) => {
      page.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.dismiss();
      });
    });
    await page.getByRole('link', { name: 'English' }).click();
    await expect(asked).resolves.toBe('beforeunload');
    // Stayed, with what was typed.
    await expect(page.locator('[name="form.contact.email"]').inputValue()).resolves.toBe('dunhua@example.cn');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');

    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('done') === 'saved'),
      page.getByRole('button', { name: '保存' }).click(),
    ]);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('lang') === 'en'),
      page.getByRole('link', { name: 'English' }).click(),
    ]);
    await expect(page.locator('[name="form.contact.email"]').inputValue()).resolves.toBe('dunhua@example.cn');
    await page.close();
  });
});
