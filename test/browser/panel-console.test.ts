import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_EXPERTS } from '../../local/provision.ts';
import { CampaignSchema } from '../../shared/rules/campaign.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { CRITERIA } from '../../shared/rules/criteria.ts';
import { anonymous, sentEmails } from '../integration/harness.ts';
import { panelReview, seatLinks } from '../unit/review/panel/fixtures.ts';
import { browserStack, expectNoSidewaysScroll, screenshot, seedProvinceReview } from './support.ts';

/**
 * The level's expert-panel page (/console/panels) in Chromium, as Jilin's province reviewer signed
 * in on a phone (375×667): 敦化市's candidate waits at the province's expert-panel step; the page
 * refuses 延边州's and 敦化市's experts with the reason beside the name, seats three others, shows
 * the one who recuses (through their own link), replaces them, and shows no score until the panel
 * is closed — then each expert's total, the aggregate and the rank. No sideways scroll, axe-core
 * with no serious or critical violation, Chinese and English. The province's operator follows
 * the same list to the panel and sees it read-only. Waits on navigations and the page's own
 * attributes, never on time. Screenshots: test-artifacts/screenshots/panel-console-*.png.
 */
const web = browserStack();
const { url, expectAccessible } = web;
const JILIN_REVIEWER = ['reviewer', '220000'] as const;
const JILIN_OPERATOR = ['operator', '220000'] as const;
let page: Page;
const now = new Date();
const campaign = CampaignSchema.parse({
  ...demoCampaign(now),
  steps: { province: [{ kind: 'review' }, { kind: 'expert-panel', minExperts: 3, aggregate: 'mean' }] },
});
const review = panelReview(now, { campaignId: campaign.campaignId });
const experts = LOCAL_EXPERTS['220000'] ?? [];
const byName = (name: string) => {
  const found = experts.find((e) => e.name === name);
  if (!found) throw new Error(`no local expert ${name}`);
  return found;
};
const [SUN, ZHOU, WU, ZHENG] = ['孙立', '周敏', '吴刚', '郑华'].map(byName) as [
  (typeof experts)[number],
  (typeof experts)[number],
  (typeof experts)[number],
  (typeof experts)[number],
];

beforeAll(async () => {
  await seedProvinceReview(web.stack, { campaign, review, now, evidence: [] });
  page = await web.signedIn(...JILIN_REVIEWER, '/console/panels');
});

const panelPath = `/console/panels/${encodeURIComponent(review.reviewId)}`;

/** The seat link emailed to `email` (the latest), read from the local inbox. */
async function seatOf(email: string) {
  const mails = (await sentEmails(web.stack)).filter((mail) => mail.destination.to[0] === email);
  const [seat] = seatLinks([mails.at(-1)?.body.text ?? '']);
  if (!seat) throw new Error(`no seat link emailed to ${email}`);
  return seat;
}

/** The expert acts through their own link (their page's forms post the same JSON). */
async function expertActs(email: string, what: 'recuse' | number) {
  const seat = await seatOf(email);
  const base = `/v1/panels/${encodeURIComponent(review.reviewId)}/seats/${seat.seatId}`;
  const t = `?t=${encodeURIComponent(seat.secret)}`;
  const client = anonymous(web.stack);
  if (what === 'recuse') {
    const recused = await client.raw('POST', `${base}/declaration${t}`, {
      declaration: 'recuse',
      reason: '曾为该集群企业提供咨询服务',
    });
    expect(recused.status, recused.text).toBe(200);
    return;
  }
  const declared = await client.raw('POST', `${base}/declaration${t}`, {
    declaration: 'no-conflict',
    notFromCounty: 'yes',
    notFromCity: 'yes',
    noStake: 'yes',
  });
  expect(declared.status, declared.text).toBe(200);
  const scored = await client.raw('POST', `${base}/scores${t}`, {
    scores: Object.fromEntries(CRITERIA.map((id) => [id, what])),
  });
  expect(scored.status, scored.text).toBe(200);
}

const seatState = (name: string) => page.locator('li[data-seat]', { hasText: name }).first().getAttribute('data-state');

describe('the level’s expert-panel page', () => {
  it('lists the candidate waiting at the province’s expert-panel step', async () => {
    await page.goto(url('/console/panels'));
    const row = page.locator(`tr[data-review="${review.reviewId}"]`);
    await expect(row.getAttribute('data-status')).resolves.toBe('NOT_OPENED');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'panel-console-list');
    await expectAccessible('/console/panels', ...JILIN_REVIEWER);
    await Promise.all([page.waitForURL(/\/console\/panels\/[^/?]+$/), row.getByRole('link').click()]);
    await expect(page.locator('h1').textContent()).resolves.toBe('敦化市医药产业集群');
  });

  it('says beside each name why 延边州’s and 敦化市’s experts may not sit, and seats three others', async () => {
    await page.goto(url(panelPath));
    const refusal = (name: string) => page.locator('li.refused', { hasText: name }).locator('.why').textContent();
    await expect(refusal('金哲')).resolves.toBe('回避：来自申报集群所在市');
    await expect(refusal('朴成')).resolves.toBe('回避：来自申报集群所在县');
    await expect(page.locator('li.refused', { hasText: '金哲' }).locator('input').isDisabled()).resolves.toBe(true);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'panel-console-directory');
    await expectAccessible(panelPath, ...JILIN_REVIEWER);

    for (const expert of [SUN, ZHOU, WU]) await page.locator(`li[data-expert="${expert.email}"] input`).check();
    await Promise.all([page.waitForURL(/done=seated/), page.getByRole('button', { name: '选派所选专家' }).click()]);
    await expect(page.locator('[data-done="seated"]').count()).resolves.toBe(1);
    await expect(page.locator('li[data-seat]').count()).resolves.toBe(3);
    for (const name of [SUN.name, ZHOU.name, WU.name]) await expect(seatState(name)).resolves.toBe('ASSIGNED');
  });

  it('shows the recusal with its reason and who owes scores, but no score before closing', async () => {
    await expertActs(WU.email, 'recuse');
    await expertActs(SUN.email, 90);
    await expertActs(ZHOU.email, 70);
    await page.goto(url(panelPath));
    await expect(seatState(WU.name)).resolves.toBe('RECUSED');
    await expect(page.locator('li[data-seat]', { hasText: WU.name }).textContent()).resolves.toContain(
      '曾为该集群企业提供咨询服务',
    );
    await expect(seatState(SUN.name)).resolves.toBe('SCORED');
    // Scored, yet nobody — the level neither — sees a score before the panel closes.
    await expect(page.locator('[data-total]').count()).resolves.toBe(0);
    await expect(page.locator('#results').count()).resolves.toBe(0);
    await expect(page.locator('#close').textContent()).resolves.toContain('评分人数不足');
    // The recused expert is not offered again.
    await expect(page.locator(`li[data-expert="${WU.email}"] .why`).textContent()).resolves.toBe(
      '已回避或被替换，不再选派',
    );
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'panel-console-recused');
    await expectAccessible(panelPath, ...JILIN_REVIEWER);
  });

  it('opens read-only for the province’s operator, from their list: the same seats, no form, no button', async () => {
    const watcher = await web.signedIn(...JILIN_OPERATOR, '/console/panels');
    try {
      const row = watcher.locator(`tr[data-review="${review.reviewId}"]`);
      await expect(row.getAttribute('data-status')).resolves.toBe('OPEN');
      await expect(watcher.locator('#watch-only').count()).resolves.toBe(1);
      await Promise.all([watcher.waitForURL(/\/console\/panels\/[^/?]+$/), row.getByRole('link').click()]);
      await expect(watcher.locator('h1').textContent()).resolves.toBe('敦化市医药产业集群');
      await expect(watcher.locator('#watch-only').count()).resolves.toBe(1);
      await expect(watcher.locator('li[data-seat]', { hasText: WU.name }).getAttribute('data-state')).resolves.toBe(
        'RECUSED',
      );
      await expect(watcher.locator('li[data-seat]', { hasText: WU.name }).textContent()).resolves.toContain(
        '曾为该集群企业提供咨询服务',
      );
      await expect(watcher.locator('li[data-seat]', { hasText: SUN.name }).getAttribute('data-state')).resolves.toBe(
        'SCORED',
      );
      // The only form left is the frame's sign-out.
      await expect(watcher.locator('form[action*="/console/panels"]').count()).resolves.toBe(0);
      await expect(watcher.locator('[data-action], input, select, textarea').count()).resolves.toBe(0);
      await expect(watcher.locator('[data-total]').count()).resolves.toBe(0);
      await expectNoSidewaysScroll(watcher);
      await screenshot(watcher, 'panel-console-watched');
      await expectAccessible(panelPath, ...JILIN_OPERATOR);
      await expectAccessible(`${panelPath}?lang=en`, ...JILIN_OPERATOR);
    } finally {
      await watcher.close();
    }
  });

  it('replaces the expert who recused; the replacement’s link is emailed', async () => {
    const recusedSeat = await page.locator('li[data-seat]', { hasText: WU.name }).first().getAttribute('data-seat');
    await page.locator('select#replaces').selectOption(recusedSeat ?? '');
    await page.locator('select#replacement').selectOption(ZHENG.email);
    await Promise.all([
      page.waitForURL(/done=replaced/),
      page.getByRole('button', { name: '替换', exact: true }).click(),
    ]);
    await expect(seatState(WU.name)).resolves.toBe('REPLACED');
    await expect(seatState(ZHENG.name)).resolves.toBe('ASSIGNED');
    await expect(page.locator('li[data-seat]', { hasText: ZHENG.name }).textContent()).resolves.toContain(
      `替换 ${WU.name}`,
    );
    await expect(seatOf(ZHENG.email)).resolves.toMatchObject({ seatId: expect.any(String) });
  });

  it('closes the panel once three scored: each total, the aggregate and the rank appear only then', async () => {
    await expertActs(ZHENG.email, 80);
    await page.goto(url(panelPath));
    await expect(page.locator('[data-total]').count()).resolves.toBe(0);
    await page.getByLabel('确认结束本次专家评审').check();
    await Promise.all([page.waitForURL(/done=closed/), page.getByRole('button', { name: '结束评审' }).click()]);
    await expect(page.locator('#panel').getAttribute('data-status')).resolves.toBe('CLOSED');
    await expect(page.locator('#results').getAttribute('data-aggregate')).resolves.toBe('80');
    await expect(page.locator('[data-rank]').textContent()).resolves.toBe('1');
    // Seats seated together are listed in the store's order: compare the totals, not their order.
    expect((await page.locator('[data-total]').allTextContents()).sort()).toEqual(['70', '80', '90']);
    await expect(page.locator('form[action*="/console/panels/"]').count()).resolves.toBe(0);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'panel-console-closed');
    await expectAccessible(panelPath, ...JILIN_REVIEWER);

    await page.goto(url(`${panelPath}?lang=en`));
    await expect(page.locator('#results h2').textContent()).resolves.toBe('Results');
    await expectAccessible(`${panelPath}?lang=en`, ...JILIN_REVIEWER);
    await page.goto(url('/console/panels?lang=en'));
    const row = page.locator(`tr[data-review="${review.reviewId}"]`);
    await expect(row.getAttribute('data-status')).resolves.toBe('CLOSED');
    await expect(row.locator('td.n').allTextContents()).resolves.toEqual(['80', '1']);
    await expectNoSidewaysScroll(page);
  });
});
