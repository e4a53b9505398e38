import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { asOperator } from '../integration/harness.ts';
import { sampleApplication } from '../unit/support.ts';
import { asBeforeSteps, browserStack, expectNoSidewaysScroll, screenshot, seedApplication } from './support.ts';

/**
 * The public notice in Chromium: the list (no sign-in), an objection filed from its form, its
 * triage on the console by MIIT's reviewer, and the objector's status by receipt number; on a
 * phone (375×667) with no sideways scroll, and axe-core with no serious or critical violation.
 * The application is placed in notice directly in the table (the ladder's own path there is the
 * integration tests'). Screenshots: test-artifacts/screenshots/notice-*.png.
 */
const web = browserStack();
const { url, expectAccessible } = web;
const campaign = asBeforeSteps(demoCampaign(new Date()));
const applicationId = randomUUID();
const DAY = 86_400_000;

beforeAll(async () => {
  expect((await (await asOperator(web.stack)).createCampaign(campaign)).status).toBe(201);
  const now = Date.now();
  const application = sampleApplication({
    applicationId,
    campaignId: campaign.campaignId,
    clusterName: '敦化市医药产业集群',
    status: 'PUBLIC_NOTICE',
    stage: 'miit',
    round: 1,
    noticeStartedAt: new Date(now - DAY).toISOString(),
    noticeEndsAt: new Date(now + 6 * DAY).toISOString(),
    dueAt: new Date(now + 6 * DAY).toISOString(),
  });
  await seedApplication(web.stack, {
    application,
    at: new Date(now),
    event: { action: 'PUBLIC_NOTICE_STARTED', actor: 'workflow' },
  });
});

describe('the public notice in a browser', () => {
  it('answers a mistyped address with its own page and the way back, not the API’s JSON', async () => {
    const page = await web.newPage();
    for (const [lang, text, back] of [
      ['', '没有这个页面。', '/notice'],
      ['?lang=en', 'There is no such page.', '/notice?lang=en'],
    ] as const) {
      const response = await page.goto(url(`/notice/nowhere${lang}`));
      expect(response?.status()).toBe(404);
      expect(response?.headers()['content-type']).toMatch(/^text\/html/);
      await expect(page.locator('.problem').textContent()).resolves.toContain(`${text} /notice/nowhere`);
      await page
        .locator('main a', { hasText: lang ? /back/i : /返回/ })
        .first()
        .click();
      await page.waitForURL((at) => `${at.pathname}${at.search}` === back);
    }
  });

  it('lists, takes an objection from its form, is triaged on the console, and shows the objector the outcome', async () => {
    const phone = await web.newPage();
    await phone.goto(url('/notice'));
    const entry = phone.locator(`[data-application="${applicationId}"]`);
    await expect(entry.locator('h2').textContent()).resolves.toBe('敦化市医药产业集群');
    await expect(entry.locator('[data-field="holder"]').textContent()).resolves.toBe('工业和信息化部');
    await expectNoSidewaysScroll(phone);
    await screenshot(phone, 'notice-list');

    // The form: errors beside the fields first, then a good objection and its receipt.
    await entry.getByRole('link').click();
    await phone.waitForURL(/\/notice\/applications\//);
    await phone.getByRole('button', { name: '提交异议' }).click();
    await phone.waitForSelector('#name-error');
    // The refused form comes back with the focus on what to fix, not at the top of the page.
    await expect(phone.evaluate<string>('document.activeElement.id')).resolves.toBe('errors');
    await expect(phone.title()).resolves.toMatch(/^有误：敦化市医药产业集群 · /);
    // Each refused field is outlined as the reason beside it says: the inputs as the textarea.
    // (A string runs in the page: this project's TypeScript has no DOM types.)
    for (const field of ['name', 'contact', 'reason'])
      expect(
        await phone.evaluate<string>(`getComputedStyle(document.getElementById('${field}')).borderTopColor`),
        field,
      ).toBe('rgb(138, 28, 28)');
    await expectNoSidewaysScroll(phone);
    await screenshot(phone, 'notice-form-errors');
    await phone.locator('#name').fill('张三');
    await phone.locator('#organisation').fill('敦化市某企业');
    await phone.locator('#contact').fill('zhang@example.com');
    await phone.locator('#reason').fill('申报产值与统计年鉴不符');
    await phone.getByRole('button', { name: '提交异议' }).click();
    const receiptBox = phone.locator('[data-receipt]');
    await receiptBox.waitFor();
    const receipt = (await receiptBox.getAttribute('data-receipt')) ?? '';
    expect(receipt).toMatch(/^[0-9a-f-]{36}$/);
    await screenshot(phone, 'notice-received');

    // MIIT's reviewer triages it on the console (session cookie from the sign-in page).
    const reviewer = await web.signedIn('reviewer', '000000', '/console/objections');
    const item = reviewer.locator(`[data-objection="${receipt}"]`);
    await item.waitFor();
    await expectNoSidewaysScroll(reviewer);
    await screenshot(reviewer, 'notice-triage');
    await item.getByRole('radio', { name: '不予采纳' }).check();
    await item.locator('textarea').fill('经核实，产值数据与统计年鉴一致');
    await item.getByRole('button', { name: '提交处理结果' }).click();
    await reviewer.locator(`[data-done="${receipt}"]`).waitFor();
    await screenshot(reviewer, 'notice-triaged');

    // The objector looks it up with the receipt number.
    await phone.goto(url('/notice'));
    await phone.locator('#receipt').fill(receipt);
    await phone.getByRole('button', { name: '查询' }).click();
    await phone.locator('#status[data-state="dismissed"]').waitFor();
    await expectNoSidewaysScroll(phone);
    await screenshot(phone, 'notice-status');

    await expectAccessible('/notice');
    await expectAccessible(`/notice/applications/${applicationId}`);
    await expectAccessible(`/notice/status?receipt=${receipt}`);
    await expectAccessible('/notice?lang=en');
  });
});
