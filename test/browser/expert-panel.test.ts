import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_EXPERTS } from '../../local/provision.ts';
import { CampaignSchema } from '../../shared/rules/campaign.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { CRITERIA } from '../../shared/rules/criteria.ts';
import { anonymous, sentEmails } from '../integration/harness.ts';
import { SECRET } from '../unit/review/fixtures.ts';
import { panelReview, seatLinks } from '../unit/review/panel/fixtures.ts';
import { browserStack, expectNoSidewaysScroll, screenshot, seedProvinceReview } from './support.ts';

/**
 * The expert's page in Chromium, on a phone (375×667): the seat's emailed link opens the
 * declaration (no material yet), the declaration opens the application and its evidence with the
 * scoring form, the scores go in once and the page shows the expert's own. No sideways scroll,
 * axe-core with no serious or critical violation, in Chinese and in English. The panel's review
 * (an expert-panel step at Jilin's province) is written directly; the seat is assigned through
 * the API and its link read from the local inbox. Screenshots: test-artifacts/screenshots/panel-*.png.
 */
const web = browserStack();
const { url, expectAccessible } = web;
const now = new Date();
const campaign = CampaignSchema.parse({
  ...demoCampaign(now),
  steps: { province: [{ kind: 'review' }, { kind: 'expert-panel', minExperts: 3, aggregate: 'mean' }] },
});
const review = panelReview(now, { campaignId: campaign.campaignId });
let seatUrl = '';

beforeAll(async () => {
  await seedProvinceReview(web.stack, { campaign, review, now });
  const experts = (LOCAL_EXPERTS['220000'] ?? []).filter(
    (e) => !['222400'].includes(e.cityCode ?? '') && !e.countyCode,
  );
  const seated = await anonymous(web.stack).raw(
    'POST',
    `/v1/reviews/${encodeURIComponent(review.reviewId)}/panel/experts?t=${SECRET}`,
    { experts: experts.slice(0, 3).map((e) => e.email) },
  );
  expect(seated.status, seated.text).toBe(201);
  const emails = await sentEmails(web.stack);
  const first = emails.find((email) => email.destination.to[0] === experts[0]?.email);
  const [seat] = seatLinks([first?.body.text ?? '']);
  if (!seat) throw new Error('no seat link in the first expert’s email');
  seatUrl = `/v1/panels/${encodeURIComponent(review.reviewId)}/seats/${seat.seatId}?t=${encodeURIComponent(seat.secret)}`;
});

describe('the expert’s page in a browser', () => {
  it('declares, then scores the eight criteria once, on a phone', async () => {
    const phone = await web.newPage();
    await phone.goto(url(seatUrl));
    await phone.locator('[data-seat-state="declare"]').waitFor();
    await expect(phone.locator('h1').textContent()).resolves.toBe('敦化市医药产业集群');
    // No material before the declaration.
    await expect(phone.getByText('集群发展规划.pdf').count()).resolves.toBe(0);
    await expectNoSidewaysScroll(phone);
    await screenshot(phone, 'panel-declare');
    await expectAccessible(seatUrl);
    await expectAccessible(`${seatUrl}&lang=en`);

    for (const label of [
      '本人不属于申报集群所在县（市、区）',
      '本人不属于申报集群所在市（州）',
      '本人与申报集群及其企业无利益关联',
    ])
      await phone.getByLabel(label).check();
    await Promise.all([
      phone.waitForURL(/\/seats\/[0-9a-f-]{36}\?t=/),
      phone.getByRole('button', { name: '声明无利害关系，查看材料' }).click(),
    ]);
    await phone.locator('[data-seat-state="score"]').waitFor();
    await expect(phone.getByRole('link', { name: '集群发展规划.pdf' }).count()).resolves.toBe(1);
    await expectNoSidewaysScroll(phone);
    await screenshot(phone, 'panel-score');
    await expectAccessible(seatUrl);

    const inputs = phone.locator('input[type=number]');
    await expect(inputs.count()).resolves.toBe(CRITERIA.length);

    // A mistake first, past the browser's own checks (as an old phone's browser lets it through):
    // 850 for one criterion, another left empty. The refusal names both as the form does, in Chinese.
    for (const [i, criterion] of CRITERIA.entries())
      await phone.locator(`input[name="scores.${criterion}"]`).fill(i === 0 ? '850' : i === 1 ? '' : '80');
    await phone.evaluate('document.querySelectorAll("form").forEach((form) => { form.noValidate = true; })');
    await Promise.all([phone.waitForURL(/\/scores$/), phone.getByRole('button', { name: '提交评分' }).click()]);
    const refusal = (await phone.locator('li').allTextContents()).map((line) => line.trim());
    expect(refusal).toEqual([
      '具有较强核心竞争力：请填写 0–100 之间的分数',
      '优质中小企业梯度培育成效显著：请填写 0–100 之间的分数',
    ]);
    await expect(phone.locator('body').textContent()).resolves.not.toMatch(/Invalid|scores\.|expected number/);
    await expectNoSidewaysScroll(phone);
    await screenshot(phone, 'panel-score-refused');
    await Promise.all([
      phone.waitForURL(/\/seats\/[0-9a-f-]{36}\?t=/),
      phone.getByRole('link', { name: '返回评审页面' }).click(),
    ]);
    await phone.locator('[data-seat-state="score"]').waitFor();
    for (const [i, criterion] of CRITERIA.entries())
      await phone.locator(`input[name="scores.${criterion}"]`).fill(String(70 + i * 2));
    await Promise.all([
      phone.waitForURL(/\/seats\/[0-9a-f-]{36}\?t=/),
      phone.getByRole('button', { name: '提交评分' }).click(),
    ]);
    const done = phone.locator('[data-seat-state="scored"]');
    await done.waitFor();
    // 70, 72, … 84 with equal weights: 77.
    await expect(done.locator('th').last().textContent()).resolves.toBe('77');
    await expectNoSidewaysScroll(phone);
    await screenshot(phone, 'panel-scored');
    await expectAccessible(seatUrl);

    // In English, the same state.
    await phone.goto(url(`${seatUrl}&lang=en`));
    await expect(phone.locator('[data-seat-state="scored"] h2').textContent()).resolves.toBe('Your scores are in');
  });
});
