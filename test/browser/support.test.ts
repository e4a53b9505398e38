import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSidewaysScroll, expectPageAccessible, launchBrowser, PHONE } from './support.ts';

/**
 * The page checks every browser test leans on find what they are for: a page too wide for the
 * phone, and a serious accessibility violation. Without the stack: the pages are set in place.
 */
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: PHONE });
});

afterAll(async () => {
  await browser?.close();
});

const FITS =
  '<!doctype html><html lang="zh-CN"><head><title>页面</title></head><body><main><h1>页面</h1><p>内容</p></main></body></html>';

describe('the browser tests’ page checks', () => {
  it('pass a page that fits and has no serious violation', async () => {
    await page.setContent(FITS);
    await expectNoSidewaysScroll(page);
    await expectPageAccessible(page);
  });

  it('refuse a page wider than the phone', async () => {
    await page.setContent(FITS.replace('<p>内容</p>', '<div style="width: 800px">宽</div>'));
    await expect(expectNoSidewaysScroll(page)).rejects.toThrow();
  });

  it('refuse a page with a serious violation, naming the rule', async () => {
    await page.setContent(FITS.replace('<p>内容</p>', '<button></button>'));
    await expect(expectPageAccessible(page, 'unnamed button')).rejects.toThrow(/button-name/);
  });
});
