import { beforeAll, describe, expect, it } from 'vitest';
import type { RegisterView } from '../../shared/register/api-schemas.ts';
import { asOperator } from '../integration/harness.ts';
import { browserStack, expectNoSidewaysScroll, screenshot } from './support.ts';

/**
 * The cancellation requests page in Chromium at 375×667: 吉林省's reviewer asks, from the page's
 * form, to cancel the seeded 敦化市医药产业集群 (an entry of the 2022 list); the page shows the
 * request waiting and tells the reviewer someone else decides it; 吉林省's operator confirms it
 * from the page, and the register shows the entry revoked. No sideways scroll; axe-core finds no
 * serious or critical violation. Screenshots: test-artifacts/screenshots/revocations-*.png.
 */
const web = browserStack();
const { url, signedIn, expectAccessible } = web;
let entryId: string;

beforeAll(async () => {
  const view = (await (await asOperator(web.stack)).raw('GET', '/v1/register?cohort=2022')).json as RegisterView;
  entryId = view.entries.find((e) => e.clusterName === '敦化市医药产业集群')?.entryId ?? '';
  expect(entryId).not.toBe('');
});

describe('the cancellation requests page in a browser', () => {
  it('a reviewer files from the form; the operator confirms from the page; the entry is revoked', async () => {
    // From the register, where the reviewer finds the cluster: the form comes filled in with the
    // entry (its id is shown nowhere; the form asked for it typed).
    const reviewer = await signedIn('reviewer', '220000', '/console/register?cohort=2022');
    await Promise.all([
      reviewer.waitForURL(/\/console\/revocations\?/),
      reviewer.locator(`tr[data-entry="${entryId}"] a[data-ask-revocation]`).click(),
    ]);
    await expect(reviewer.locator('h1').textContent()).resolves.toBe('取消资格申请（虚假信息）');
    await expect(reviewer.locator('#target-kind').inputValue()).resolves.toBe('entry');
    await expect(reviewer.locator('#target-id').inputValue()).resolves.toBe(entryId);
    await reviewer.locator('#file-reason').fill('经查实，集群年度产值数据虚报');
    await reviewer.locator('#file-note').fill('统计部门核查函');
    await Promise.all([
      reviewer.waitForURL(/\/console\/revocations\?done=/),
      reviewer.getByRole('button', { name: '提交申请' }).click(),
    ]);
    const filed = reviewer.locator('li[data-request]');
    await expect(filed.getAttribute('data-state')).resolves.toBe('requested');
    await expect(reviewer.locator('[role=status]').textContent()).resolves.toContain('等待确认');
    // The requester is told someone else decides: no decision form for them.
    await expect(filed.locator('[data-own]').count()).resolves.toBe(1);
    await expect(filed.locator('input[name=decision]').count()).resolves.toBe(0);
    await expectNoSidewaysScroll(reviewer);
    await screenshot(reviewer, 'revocations-requested');

    const operator = await signedIn('operator', '220000', '/console/revocations');
    const waiting = operator.locator('li[data-request]');
    await expect(waiting.locator('h2').textContent()).resolves.toBe('敦化市医药产业集群');
    await waiting.locator('input[name=decision][value=confirm]').check();
    await Promise.all([
      operator.waitForURL(/\/console\/revocations\?done=/),
      operator.getByRole('button', { name: '提交', exact: true }).click(),
    ]);
    await expect(operator.locator('li[data-request]').getAttribute('data-state')).resolves.toBe('confirmed');
    await expect(operator.locator('[data-effect]').textContent()).resolves.toContain('认定已撤销');
    await expectNoSidewaysScroll(operator);
    await screenshot(operator, 'revocations-confirmed');

    // The register shows it revoked.
    await operator.goto(url('/console/register?cohort=2022'));
    await expect(operator.locator(`tr[data-entry="${entryId}"] [data-state]`).getAttribute('data-state')).resolves.toBe(
      'revoked',
    );

    // In English too.
    await operator.goto(url('/console/revocations?lang=en'));
    await expect(operator.locator('h1').textContent()).resolves.toBe('Cancellation for false information');
    await expectNoSidewaysScroll(operator);
    await screenshot(operator, 'revocations-en');
  });

  it('is accessible to the reviewer and the operator', async () => {
    await expectAccessible('/console/revocations', 'reviewer', '220000');
    await expectAccessible('/console/revocations', 'operator', '220000');
  });
});
