import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { samplePdf, sampleRecommendationForm } from '../../local/sample-evidence.ts';
import type { Campaign } from '../../shared/rules/campaign.ts';
import { api, sentEmails, type TestStack, whenTaskWaiting } from '../integration/harness.ts';

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

interface Created {
  applicationId: string;
  checklist: { id: string; required: boolean; uploadedBy: 'county' | 'city' }[];
}

export interface Filing {
  countyCode: string;
  clusterName: string;
  leadingIndustry: string;
  subSector: string;
}

/** The county's side: creates a draft and uploads every required county item (submitting is separate). */
export async function fileDraft(stack: TestStack, campaign: Campaign, filing: Filing, upload = true): Promise<string> {
  const created = await api<Created>(stack, 'POST', '/v1/applications', {
    campaignId: campaign.campaignId,
    track: 'recommendation',
    form: sampleRecommendationForm(campaign.year),
    ...filing,
  });
  expect(created.status, created.text).toBe(201);
  const { applicationId } = created.json;
  if (upload) {
    for (const item of created.json.checklist.filter((c) => c.required && c.uploadedBy === 'county')) {
      await uploadPdf(stack, applicationId, item.id);
    }
  }
  return applicationId;
}

export async function submit(stack: TestStack, applicationId: string): Promise<void> {
  const submitted = await api(stack, 'POST', `/v1/applications/${applicationId}/submit`);
  expect(submitted.status, submitted.text).toBe(202);
}

/** Requests an upload link, posts a generated PDF as a browser would, waits for the validator. */
export async function uploadPdf(stack: TestStack, applicationId: string, criterion: string): Promise<void> {
  const bytes = await samplePdf(criterion, [applicationId]);
  const request = await api<{ objectKey: string; upload: { url: string; fields: Record<string, string> } }>(
    stack,
    'POST',
    `/v1/applications/${applicationId}/evidence`,
    { criterion, fileName: `${criterion}.pdf`, contentType: 'application/pdf', size: bytes.byteLength },
  );
  expect(request.status, request.text).toBe(201);
  const validated = stack.whenValidated(request.json.objectKey);
  const form = new FormData();
  for (const [name, value] of Object.entries(request.json.upload.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: 'application/pdf' }));
  expect((await fetch(request.json.upload.url, { method: 'POST', body: form })).ok).toBe(true);
  await validated;
}

const LINK = /(https?:\/\/[^\s"<>]+\/v1\/reviews\/([^?\s"<>]+)\?t=[A-Za-z0-9_-]+)/;

/** Waits until the stage's review task waits, then takes the link from the reviewers' email. */
export async function reviewLink(stack: TestStack, applicationId: string, stage: string, round = 1) {
  await whenTaskWaiting(
    stack,
    (task) =>
      task.executionArn.includes(applicationId) &&
      task.stateName === 'RequestReview' &&
      JSON.stringify(task.payload).includes(`"stage":"${stage}"`),
  );
  for (const email of (await sentEmails(stack)).reverse()) {
    const match = LINK.exec(email.body.text ?? '');
    if (match?.[2]?.startsWith(`${applicationId}.${stage}.`) && match[2].endsWith(`.${round}`)) {
      return { url: match[1] ?? '', reviewId: match[2] };
    }
  }
  throw new Error(`no ${stage} review email for ${applicationId}`);
}

export async function statusOf(stack: TestStack, applicationId: string): Promise<string> {
  return (await api<{ status: string }>(stack, 'GET', `/v1/applications/${applicationId}`)).json.status;
}
