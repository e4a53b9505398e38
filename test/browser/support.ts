import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * What the browser tests share: Debian's chromium through playwright-core, screenshots kept as
 * test artifacts, and the county's side of the pipeline driven through the API (file, upload,
 * submit) as the integration tests do.
 */

export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-artifacts/screenshots');

export async function launchBrowser(): Promise<Browser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}

/** A full-page screenshot under test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The trimmed text of the first element matching `selector`. */
export async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

export {
  asBeforeSteps,
  type Filing,
  fileDraft,
  reviewLink,
  statusOf,
  submit,
  uploadPdf,
} from '../integration/steps.ts';
