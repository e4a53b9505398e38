import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { keys as recordKeys } from '../../shared/adapters/dynamo-records/keys.ts';
import { DynamoRecords } from '../../shared/adapters/dynamo-records/store.ts';
import { DynamoReviews } from '../../shared/adapters/dynamo-reviews/store.ts';
import type { PrincipalRole } from '../../shared/platform/auth/principal.ts';
import type { Campaign } from '../../shared/rules/campaign.ts';
import type { AUDIT_ACTIONS, ApplicationRecord, EvidenceRecord } from '../../shared/schemas/records.ts';
import type { ReviewRecord } from '../../shared/schemas/reviews.ts';
import {
  as,
  asOperator,
  startTestStack,
  testClients,
  type TestStack,
  type TestStackOptions,
} from '../integration/harness.ts';
import { application, evidence as evidenceRecord } from '../unit/review/fixtures.ts';

/**
 * What the browser tests share: Debian's chromium through playwright-core, screenshots kept as
 * test artifacts, the fixture that starts the stack once per file and signs people in
 * (browserStack), the page checks every page passes (no sideways scroll, axe-core), an
 * application and its review written straight into the table (seedApplication; seedProvinceReview
 * for one at the province's review, its campaign created first), and the county's
 * side of the pipeline driven through the API (file, upload, submit) as the integration tests do.
 */

export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-artifacts/screenshots');
const AXE = resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

/** The phone every page must work on, and a desktop's screen. */
export const PHONE = { width: 375, height: 667 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;
export type Viewport = { readonly width: number; readonly height: number };

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

let axeSource: string | undefined;

/**
 * axe-core on the page as it stands (a form's errors shown, an upload's verdict): no serious or
 * critical violation. axe runs through the DevTools protocol (page.evaluate), which the page's
 * strict CSP does not govern: an injected <script> tag would be refused.
 */
export async function expectPageAccessible(page: Page, label = page.url()): Promise<void> {
  axeSource ??= await readFile(AXE, 'utf8');
  await page.evaluate(axeSource);
  // Strings run in the page (this project's TypeScript has no DOM types).
  const violations = await page.evaluate<string[]>(
    `axe.run(document).then((result) => result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + JSON.stringify(v.nodes.map((node) => node.target))))`,
  );
  expect(violations, label).toEqual([]);
}

/** Screenshots of the page at 375×667 (`name`) and at a desktop's 1280×800 (`name-desktop`); left at 375×667. */
export async function screenshotPhoneAndDesktop(page: Page, name: string): Promise<void> {
  await page.setViewportSize(PHONE);
  await screenshot(page, name);
  await page.setViewportSize(DESKTOP);
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
}

/** The page is no wider than its window: nothing to scroll sideways. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  // Strings run in the page (this project's TypeScript has no DOM types).
  const [scrollWidth, clientWidth] = await page.evaluate<[number, number]>(
    '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
  );
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

/** Who a page is seen as: a role of a jurisdiction (as the local issuer's tokens name them), or nobody. */
export type Someone = [] | [role: PrincipalRole, jurisdiction: string];

/** The stack and the browser of one test file, and what its tests do with them. */
export interface BrowserStack {
  readonly stack: TestStack;
  readonly browser: Browser;
  /** The stack's address of `path`. */
  readonly url: (path: string) => string;
  /** A page of its own (nobody signed in) at `viewport`. */
  readonly newPage: (viewport?: Viewport) => Promise<Page>;
  /**
   * Signs `page` in on the console's sign-in page with a token from the local issuer, as a person
   * would (pasting it), and waits until it has landed: on `next` (a path, with a query if need be)
   * when given, else wherever the console sends a fresh session.
   */
  readonly signIn: (page: Page, role: PrincipalRole, jurisdiction: string, next?: string) => Promise<void>;
  /** A page of its own at `viewport`, signed in (signIn) and landed on `next`. */
  readonly signedIn: (role: PrincipalRole, jurisdiction: string, next: string, viewport?: Viewport) => Promise<Page>;
  /** axe-core on `path` opened afresh at 375×667, seen as `who` (or nobody): no serious or critical violation. */
  readonly expectAccessible: (path: string, ...who: Someone) => Promise<void>;
}

/**
 * Starts the local stack and the browser once for the test file that calls it (at its top level:
 * it registers the file's beforeAll and afterAll), and stops both after its last test. A file's
 * own beforeAll, registered after this call, runs once both are up.
 */
export function browserStack(options: TestStackOptions = {}): BrowserStack {
  let stack: TestStack | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    stack = await startTestStack(options);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  const up = () => {
    if (!stack || !browser) throw new Error('the browser stack is not up: call browserStack() at the top of the file');
    return { stack, browser };
  };
  const url = (path: string) => `${up().stack.apiUrl}${path}`;
  const signIn: BrowserStack['signIn'] = async (page, role, jurisdiction, next) => {
    const { token } = await as(up().stack, role, jurisdiction);
    const landing = next === undefined ? undefined : new URL(next, 'http://localhost').pathname;
    await page.goto(url(next === undefined ? '/console/sign-in' : `/console/sign-in?next=${encodeURIComponent(next)}`));
    await page.locator('textarea#token').fill(token ?? '');
    await Promise.all([
      page.waitForURL((u) => (landing === undefined ? !u.pathname.endsWith('/sign-in') : u.pathname === landing)),
      page.getByRole('button', { name: '登录' }).click(),
    ]);
  };

  return {
    get stack() {
      return up().stack;
    },
    get browser() {
      return up().browser;
    },
    url,
    newPage: (viewport = PHONE) => up().browser.newPage({ viewport }),

    signIn,
    signedIn: async (role, jurisdiction, next, viewport = PHONE) => {
      const page = await up().browser.newPage({ viewport });
      await signIn(page, role, jurisdiction, next);
      return page;
    },

    expectAccessible: async (path, ...who) => {
      const [role, jurisdiction] = who;
      const token = role && jurisdiction ? (await as(up().stack, role, jurisdiction)).token : undefined;
      const context = await up().browser.newContext({
        viewport: PHONE,
        ...(role && { extraHTTPHeaders: { authorization: `Bearer ${token ?? ''}` } }),
      });
      try {
        const page = await context.newPage();
        await page.goto(url(path));
        await expectPageAccessible(page, path);
      } finally {
        await context.close();
      }
    },
  };
}

/** What seedApplication writes: the application, created `at`, and what hangs off it. */
export interface SeededApplication {
  application: ApplicationRecord;
  /** When the application was created (its first event's time). */
  at: Date;
  /** Its first event, when it is not APPLICATION_CREATED by 'test' (PUBLIC_NOTICE_STARTED by 'workflow', say). */
  event?: { action: (typeof AUDIT_ACTIONS)[number]; actor: string };
  /** Evidence records as the table holds them (the files themselves are not uploaded). */
  evidence?: readonly EvidenceRecord[];
  /** The review it waits at (a stage's review, or an expert-panel step's). */
  review?: ReviewRecord;
}

/**
 * Writes an application straight into the stack's table, with its creation event, its evidence
 * records and its review when given: a state the pages are tested in (a candidate at the
 * province's expert-panel step, say) without walking the pipeline to it.
 */
export async function seedApplication(stack: Pick<TestStack, 'tableName'>, seeded: SeededApplication): Promise<void> {
  const { application, at, evidence = [], review, event = { action: 'APPLICATION_CREATED', actor: 'test' } } = seeded;
  const clients = testClients();
  try {
    await new DynamoRecords(clients.doc, stack.tableName).createApplication(application, {
      applicationId: application.applicationId,
      eventId: randomUUID(),
      at: at.toISOString(),
      ...event,
    });
    for (const file of evidence)
      await clients.doc.send(
        new PutCommand({
          TableName: stack.tableName,
          Item: { ...file, ...recordKeys.evidence(file.applicationId, file.evidenceId) },
        }),
      );
    if (review) await new DynamoReviews(clients.doc, stack.tableName).createReview(review);
  } finally {
    clients.destroy();
  }
}

/** What seedProvinceReview sets up: the campaign, the review waiting at the province, their "now". */
export interface ProvinceReviewSeed {
  campaign: Campaign;
  /** A province's review of the unit fixtures' application, or an expert-panel step's (panelReview). */
  review: ReviewRecord;
  now: Date;
  /** Its evidence records; one PDF, 集群发展规划.pdf, when not given. */
  evidence?: readonly EvidenceRecord[];
}

/**
 * The campaign created through the operator's API, and the unit fixtures' application
 * (test/unit/review/fixtures.ts) written straight in at PROVINCE_REVIEW, created `now`, with its
 * evidence records and the review waiting on it: where the review page and the province's panel
 * pages are tested from.
 */
export async function seedProvinceReview(stack: TestStack, seed: ProvinceReviewSeed): Promise<void> {
  const { campaign, review, now, evidence = [evidenceRecord({ fileName: '集群发展规划.pdf' })] } = seed;
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
  await seedApplication(stack, {
    application: application(now, { campaignId: campaign.campaignId, status: 'PROVINCE_REVIEW' }),
    at: now,
    evidence,
    review,
  });
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
