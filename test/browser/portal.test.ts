import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { samplePdf, sampleRecommendationForm } from '../../local/sample-evidence.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { ApiClient } from '../../local/client/index.ts';
import { as, asOperator, TEST_CLIENT, whenTaskWaiting } from '../integration/harness.ts';
import {
  asBeforeSteps,
  browserStack,
  expectNoSidewaysScroll,
  expectPageAccessible,
  reviewLink,
  SCREENSHOTS,
  screenshotPhoneAndDesktop,
  statusOf,
  textOf,
} from './support.ts';

/**
 * The applicants' portal in a real browser against the whole local stack, on a phone-sized
 * screen: 敦化市's county official signs in on the sign-in page with a token from the local
 * issuer, starts a draft, fills the 申报表 (a wrong phone number is shown beside its field, then
 * corrected), prints it, sees what stops the submission, follows the application page's link to
 * the evidence page and uploads every required file from the browser (a progress bar, the verdict
 * going PENDING → VALID; a disguised PDF shown INVALID with its reason in Chinese, then replaced),
 * submits, follows the timeline, is returned by the city with a reason (by a reviewer signed in with
 * a display name, which the county's timeline shows as text), revises, resubmits, and
 * withdraws after a confirmation step. Every page is checked at 375×667 for horizontal scrolling
 * and with axe-core (no serious or critical violation), and photographed there and at a desktop's
 * 1280×800 to test-artifacts/screenshots/portal-*.png. The public notice and the console answer
 * with and without a trailing slash.
 */

const campaign = asBeforeSteps(demoCampaign(new Date()));
const form = sampleRecommendationForm(campaign.year);
const RETURN_REASON = '产值数据与统计年鉴不一致，请核实2024年产值后重报';
/** The city reviewer's display name, from their token: free text, so markup in it must arrive as text. */
const CITY_REVIEWER = {
  sub: 'reviewer-222400',
  role: 'reviewer',
  jurisdiction: '222400',
  name: '王审核 <b>延边州</b>',
} as const;
const web = browserStack();
let page: Page;
let applicationId = '';

const portalUrl = (path = '') => web.url(`/portal${path}`);

beforeAll(async () => {
  expect((await (await asOperator(web.stack)).createCampaign(campaign)).status).toBe(201);
  page = await web.newPage();
});

/** The page at 375×667: no horizontal scroll, no serious or critical axe-core violation; photographed there and at a desktop's size. */
async function checkPage(name: string): Promise<void> {
  await expectNoSidewaysScroll(page);
  await expectPageAccessible(page, name);
  await screenshotPhoneAndDesktop(page, `portal-${name}`);
}

const fill = (name: string, value: string | number) => page.locator(`[name="${name}"]`).fill(String(value));

/** Every field of the 申报表 from the sample form, the phone number as given. */
async function fillForm(phone: string): Promise<void> {
  await fill('form.contact.name', form.contact.name);
  await fill('form.contact.phone', phone);
  await fill('form.contact.email', form.contact.email);
  await fill('form.areaKm2', form.areaKm2);
  await fill('form.enterpriseCount', form.enterpriseCount);
  await fill('form.smeCount', form.smeCount);
  for (const [i, entry] of form.outputByYear.entries()) {
    await fill(`form.outputByYear.${i}.year`, entry.year);
    await fill(`form.outputByYear.${i}.output`, entry.output);
  }
  await fill('form.smeOutputShare', form.smeOutputShare);
  await fill('form.leadingIndustryShare', form.leadingIndustryShare);
  await fill('form.averageGrowthRate', form.averageGrowthRate);
  for (const [criterion, text] of Object.entries(form.criteria)) await fill(`form.criteria.${criterion}`, text);
}

/**
 * What the evidence page's rows went through, recorded in the page: every status a row left (the
 * attribute's old value at each change; the one it is in now is on the row) and how often a
 * progress bar was shown.
 */
const RECORDER = `(() => {
  window.__statuses = [];
  window.__barsShown = 0;
  new MutationObserver((records) => {
    for (const r of records) {
      const target = r.target;
      if (!target.matches) continue;
      if (target.matches('.ev-file') && r.attributeName === 'data-status' && r.oldValue !== null) window.__statuses.push(r.oldValue);
      if (target.matches('.ev-file progress') && r.attributeName === 'hidden' && r.oldValue === '') window.__barsShown += 1;
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-status', 'hidden'] });
})()`;

/** A PNG's first bytes behind a .pdf name. */
const fakePdf = () =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2048, 7)]);

/** A well-formed PDF for one checklist item, as the file chooser takes it. */
async function pdfFile(criterion: string) {
  const bytes = await samplePdf(criterion, [applicationId, criterion]);
  return { name: `${criterion}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(bytes) };
}

const save = () => Promise.all([page.waitForURL(/\/portal\//), page.getByRole('button', { name: '保存' }).click()]);

describe('the applicants’ portal in a browser', () => {
  it('sends a browser without a session to sign in, and the county official lands on the portal', async () => {
    await page.goto(portalUrl(''));
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/portal');
    const { token } = await as(web.stack, 'applicant', '222403');
    await page.locator('textarea#token').fill(token ?? '');
    await Promise.all([page.waitForURL(/\/portal$/), page.getByRole('button', { name: '登录' }).click()]);
    expect(await textOf(page, 'h1')).toContain('敦化市');
    expect(await textOf(page, '.top .brand')).toBe('中小企业特色产业集群 · 申报门户');
    const [cookie] = await page.context().cookies();
    // Plain http locally: cp_session, for the whole site (the console and the portal).
    expect(cookie).toMatchObject({ name: 'cp_session', path: '/', httpOnly: true, sameSite: 'Strict' });
    expect(await page.locator(`#campaigns li[data-campaign="${campaign.campaignId}"]`).count()).toBe(1);
    // With a trailing slash too.
    expect((await page.goto(portalUrl('/')))?.status()).toBe(200);
    await checkPage('home-empty');
  });

  it('answers the console, the portal and the public notice with and without a trailing slash', async () => {
    // The county official is refused the console (a reviewers' and operators' site) with its 403 page.
    const expected = { '/console': 403, '/portal': 200, '/notice': 200 };
    for (const [site, status] of Object.entries(expected)) {
      const bare = await page.goto(web.url(site));
      const bareTitle = await textOf(page, 'h1');
      const slashed = await page.goto(web.url(`${site}/`));
      expect(bare?.status(), site).toBe(status);
      expect(slashed?.status(), `${site}/`).toBe(status);
      expect(await textOf(page, 'h1'), `${site}/`).toBe(bareTitle);
    }
  });

  it('starts a draft from the campaign’s card', async () => {
    await page.goto(portalUrl(''));
    await Promise.all([
      page.waitForURL(/\/portal\/new\?/),
      page.locator(`#campaigns li[data-campaign="${campaign.campaignId}"] a.button`).click(),
    ]);
    await checkPage('new');
    await fill('clusterName', '敦化市医药产业集群');
    await fill('leadingIndustry', '医药健康');
    await fill('subSector', '现代中药');
    await Promise.all([page.waitForURL(/\/portal\/edit\?/), page.getByRole('button', { name: '创建草稿' }).click()]);
    applicationId = new URL(page.url()).searchParams.get('id') ?? '';
    expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await textOf(page, '.flash')).toContain('草稿已创建');
  });

  it('shows the API’s refusal beside the field it names, keeps the entries, and saves once corrected', async () => {
    await fillForm('12345');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('#errors').waitFor();
    const phone = page.locator('[data-field="form.contact.phone"]');
    expect(await phone.locator('.error').textContent()).toContain('有误');
    expect(await phone.locator('input').getAttribute('aria-invalid')).toBe('true');
    // The county's entries are kept.
    expect(await page.locator('[name="form.criteria.green-development"]').inputValue()).toBe(
      form.criteria['green-development'],
    );
    await checkPage('edit-error');

    await fill('form.contact.phone', form.contact.phone);
    await save();
    expect(new URL(page.url()).searchParams.get('done')).toBe('saved');
    expect(await page.locator('.field .error').count()).toBe(0);
    expect(await page.locator('[name="form.contact.phone"]').inputValue()).toBe(form.contact.phone);
    await checkPage('edit-saved');
  });

  it('a save after the session ended: sign in as the portal, told nothing was saved, then back on the form (not a 405)', async () => {
    await page.goto(portalUrl(`/edit?id=${applicationId}`));
    await page.context().clearCookies();
    await Promise.all([page.waitForURL(/\/console\/sign-in\?/), page.getByRole('button', { name: '保存' }).click()]);
    const asked = new URL(page.url()).searchParams;
    expect(asked.get('next')).toBe(`/portal/edit?id=${applicationId}`);
    expect(await textOf(page, '#unsaved')).toContain('未保存');
    // The portal's sign-in, not the console's: its brand, no word of the console, the applicant's command.
    expect(await textOf(page, '.top .brand')).toBe('中小企业特色产业集群 · 申报门户');
    expect(await page.locator('main').textContent()).not.toContain('控制台');
    expect(await textOf(page, '#sign-in code')).toContain('--role applicant');
    await checkPage('sign-in-unsaved');
    const { token } = await as(web.stack, 'applicant', '222403');
    await page.locator('textarea#token').fill(token ?? '');
    const [landed] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '登录' }).click()]);
    expect(landed?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/portal/edit');
    expect(await page.locator('[name="form.contact.phone"]').count()).toBe(1);
  });

  it('prints the 申报表 with the application id, the digest the application page shows, and the stamp box', async () => {
    await page.goto(portalUrl(`/application?id=${applicationId}`));
    const digest = await textOf(page, '#form-digest');
    expect(digest).toMatch(/^[0-9a-f]{12}$/);
    await checkPage('application-draft');

    await page.goto(portalUrl(`/print?id=${applicationId}`));
    expect(await textOf(page, '#print-digest')).toBe(digest);
    expect(await textOf(page, '#sheet')).toContain(applicationId);
    expect(await textOf(page, '#sheet')).toContain('申报单位（盖章）');
    expect(await textOf(page, '#print-figures')).toContain('58.6');
    await checkPage('print');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.top').isVisible()).toBe(false);
    expect(await page.locator('.actions').first().isVisible()).toBe(false);
    await page.pdf({
      path: join(SCREENSHOTS, 'portal-print.pdf'),
      format: 'A4',
    });
    await page.emulateMedia({ media: 'screen' });
  });

  it('names each missing evidence item before anything is sent', async () => {
    await page.goto(portalUrl(`/submit?id=${applicationId}`));
    const missing = await page.locator('#problems li[data-field^="checklist."]').count();
    expect(missing).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: '提交申报' }).count()).toBe(0);
    await checkPage('submit-blocked');
  });

  it('uploads every required file from the evidence page: progress, PENDING → VALID, a disguised PDF refused in Chinese and replaced', async () => {
    await page.goto(portalUrl(`/application?id=${applicationId}`));
    await Promise.all([
      page.waitForURL(/\/portal\/evidence\?/),
      page.getByRole('link', { name: '上传佐证材料' }).click(),
    ]);
    expect(new URL(page.url()).searchParams.get('id')).toBe(applicationId);
    await page.evaluate(RECORDER);
    const required = page.locator('.ev-item[data-changeable="true"]:has(.ev-req)');
    const criteria: string[] = [];
    for (const item of await required.all()) criteria.push((await item.getAttribute('data-criterion')) ?? '');
    expect(criteria.length).toBeGreaterThan(1);
    // One control chooses files, the label drawn as a button: the browser's own file input, a
    // second chooser in the browser's language beside it, is out of sight (still focusable).
    const firstChooser = page.locator('.ev-item[data-changeable="true"]').first();
    expect(await firstChooser.locator('label.ev-choose').isVisible()).toBe(true);
    expect((await firstChooser.locator('input.ev-input').boundingBox())?.width).toBeLessThanOrEqual(1);
    await checkPage('evidence-empty');

    // The first item gets a PNG's bytes behind a .pdf name: the validator's magic-byte check refuses it.
    const first = criteria[0] ?? '';
    const rest = criteria.slice(1);
    const firstItem = page.locator(`.ev-item[data-criterion="${first}"]`);
    await firstItem.locator('input.ev-input').setInputFiles({
      name: '申报表（盖章扫描件）.pdf',
      mimeType: 'application/pdf',
      buffer: fakePdf(),
    });
    const invalid = firstItem.locator('.ev-file[data-status="INVALID"]');
    await invalid.waitFor({ timeout: 20_000 });
    const reasons = (await invalid.locator('.ev-reasons').textContent()) ?? '';
    expect(reasons).toContain('文件的实际格式');
    expect(reasons).toMatch(/[\u4e00-\u9fff]/);
    expect([...(await page.evaluate<string[]>('window.__statuses')), 'INVALID'].join(' ')).toMatch(
      /UPLOADING .*PENDING .*INVALID/,
    );
    expect(await page.evaluate('window.__barsShown')).toBeGreaterThanOrEqual(1);
    expect(await invalid.locator('progress').getAttribute('value')).toBe('100');
    await checkPage('evidence-invalid');

    // Replaced through the row's own button: the new file is VALID, the refused one is gone.
    await page.evaluate('window.__statuses = []');
    const invalidId = await invalid.getAttribute('data-evidence-id');
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      invalid.getByRole('button', { name: '替换' }).click(),
    ]);
    await chooser.setFiles(await pdfFile(first));
    await firstItem.locator('.ev-file[data-status="VALID"]').waitFor({ timeout: 20_000 });
    await firstItem.locator(`.ev-file[data-evidence-id="${invalidId}"]`).waitFor({ state: 'detached' });
    expect([...(await page.evaluate<string[]>('window.__statuses')), 'VALID'].join(' ')).toMatch(
      /UPLOADING .*PENDING .*VALID/,
    );

    // The other required items, each chosen in the page and followed to its verdict.
    for (const criterion of rest) {
      const item = page.locator(`.ev-item[data-criterion="${criterion}"]`);
      await item.locator('input.ev-input').setInputFiles(await pdfFile(criterion));
      await item.locator('.ev-file[data-status="VALID"]').waitFor({ timeout: 20_000 });
    }
    expect(await page.locator('.ev-file:not([data-status="VALID"])').count()).toBe(0);
    expect(await page.locator('.ev-file[data-status="VALID"]').count()).toBe(criteria.length);
    await checkPage('evidence');
  });

  it('submits once complete', async () => {
    await page.goto(portalUrl(`/submit?id=${applicationId}`));
    expect(await page.locator('#problems').count()).toBe(0);
    await checkPage('submit-ready');
    await Promise.all([
      page.waitForURL(/\/portal\/application\?/),
      page.getByRole('button', { name: '提交申报' }).click(),
    ]);
    expect(await textOf(page, '.flash')).toContain('已提交');
    expect(await page.locator('#timeline tr[data-action="SUBMITTED"]').count()).toBe(1);
    expect(await page.locator('#evidence tr[data-status="VALID"]').count()).toBeGreaterThan(0);
    // Submitted: nothing to upload any more, so no link to the uploader.
    expect(await page.getByRole('link', { name: '上传佐证材料' }).count()).toBe(0);
    await checkPage('application-submitted');
  });

  it('shows the city’s return prominently with its reasons, on the application and at home', async () => {
    const city = await reviewLink(web.stack, applicationId, 'city');
    const reviewer = await web.newPage();
    await reviewer.goto(city.url);
    expect(await textOf(reviewer, 'body')).toContain(await textOf(page, '#form-digest'));
    await reviewer.close();
    // The city's reviewer returns it signed in (the API, with their token), so the trail names them.
    const signedIn = new ApiClient({
      ...TEST_CLIENT,
      baseUrl: web.stack.apiUrl,
      token: await web.stack.issuer.issue(CITY_REVIEWER),
    });
    expect((await signedIn.decide(city.reviewId, { decision: 'return', reason: RETURN_REASON })).ok).toBe(true);
    await whenTaskWaiting(
      web.stack,
      (task) => task.executionArn.includes(applicationId) && task.stateName === 'AwaitResubmission',
    );

    await page.goto(portalUrl(`/application?id=${applicationId}`));
    expect(await textOf(page, '#returned .reason')).toBe(RETURN_REASON);
    expect(await page.getByRole('link', { name: '上传佐证材料' }).count()).toBe(1);
    expect(await page.locator('#timeline tr[data-action="RETURNED"]').textContent()).toContain(RETURN_REASON);
    // Who returned it: the reviewer's name as text (its markup escaped), not their token's subject.
    const returnedBy = page.locator('#timeline tr[data-action="REVIEW_RETURNED"]');
    expect(await returnedBy.textContent()).toContain(CITY_REVIEWER.name);
    expect(await returnedBy.locator('b').count()).toBe(0);
    expect(await returnedBy.textContent()).not.toContain(CITY_REVIEWER.sub);
    await checkPage('application-returned');
    await page.goto(portalUrl(''));
    expect(await textOf(page, `li[data-application="${applicationId}"] .returned`)).toContain(RETURN_REASON);
    // What to do next is one click away: revise the form, or change the evidence.
    const card = page.locator(`li[data-application="${applicationId}"]`);
    expect(await card.getByRole('link', { name: '继续填写' }).getAttribute('href')).toBe(
      `/portal/edit?id=${applicationId}`,
    );
    expect(await card.getByRole('link', { name: '上传佐证材料' }).getAttribute('href')).toBe(
      `/portal/evidence?id=${applicationId}`,
    );
    await checkPage('home-returned');
  });

  it('revises and resubmits before the deadline; the timeline shows the resubmission', async () => {
    await page.goto(portalUrl(`/edit?id=${applicationId}`));
    expect(await textOf(page, '#returned')).toContain(RETURN_REASON);
    await fill('form.outputByYear.2.output', '52.8');
    await save();
    await page.goto(portalUrl(`/submit?id=${applicationId}`));
    await Promise.all([
      page.waitForURL(/\/portal\/application\?/),
      page.getByRole('button', { name: '重新提交' }).click(),
    ]);
    expect(await page.locator('#timeline tr[data-action="RESUBMITTED"]').count()).toBe(1);
    expect(['SUBMITTED', 'CITY_REVIEW']).toContain(await statusOf(web.stack, applicationId));
  });

  it('withdraws after a confirmation step that states what withdrawing does', async () => {
    await page.goto(portalUrl(`/application?id=${applicationId}`));
    await Promise.all([page.waitForURL(/\/portal\/withdraw\?/), page.getByRole('link', { name: '撤回申报' }).click()]);
    expect(await textOf(page, '#consequences')).toContain('名额');
    expect(await textOf(page, '#consequences')).toContain('不可恢复');
    await checkPage('withdraw');
    await Promise.all([
      page.waitForURL(/\/portal\/application\?/),
      page.getByRole('button', { name: '确认撤回' }).click(),
    ]);
    expect(await textOf(page, '.flash')).toContain('已撤回');
    expect(await statusOf(web.stack, applicationId)).toBe('WITHDRAWN');
  });

  it('refuses the portal to a reviewer with a 403 page', async () => {
    const other = await web.signedIn('reviewer', '222400', '/portal');
    expect(await textOf(other, 'h1')).toBe('无权查看');
    const response = await other.goto(portalUrl(''));
    expect(response?.status()).toBe(403);
    await other.close();
  });
});
