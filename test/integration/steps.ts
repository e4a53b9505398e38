import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import {
  type ApiClient,
  latestReviewLink,
  postPresigned,
  type ReviewLink,
  type StoredEmail,
  uploadEvidence,
} from '../../local/client/index.ts';
import { samplePdf, sampleRecommendationForm } from '../../local/sample-evidence.ts';
import type { ManualClock } from '../../local/stepfunctions/clock.ts';
import { stageSteps } from '../../shared/ladder/route.ts';
import { asksAlsoNational } from '../../shared/review/also-national.ts';
import type { LevelDocumentKind } from '../../shared/ports/steps.ts';
import type { Campaign } from '../../shared/rules/campaign.ts';
import type { Step } from '../../shared/rules/steps.ts';
import type { Track } from '../../shared/schemas/common.ts';
import { levelDocumentFor } from '../../shared/review/step-gates.ts';
import { anonymous, as, asOperator, sentEmails, type TestStack, whenTaskWaiting } from './harness.ts';

/**
 * The people's side of the pipeline, driven through the local API as they would drive it: the
 * county files, uploads and submits; reviewers take their link from the email. Shared by the
 * integration and browser tests. Each step signs in as the person who takes it: the county's
 * applicant files, uploads and submits.
 */

interface Placement {
  countyCode: string;
  cityCode?: string;
  /** Checklist items the city uploads itself during its review (its on-site check statement). */
  cityItems: string[];
}

/** Where each application lies, so each step signs in as the person who takes it. */
const placements = new Map<string, Promise<Placement>>();

function placementOf(stack: TestStack, applicationId: string): Promise<Placement> {
  let placement = placements.get(applicationId);
  if (!placement) {
    placement = (async () => {
      const read = await (await asOperator(stack)).getApplication(applicationId);
      expect(read.status, read.text).toBe(200);
      const { countyCode, cityCode, checklist } = read.body;
      return { countyCode, cityCode, cityItems: checklist.filter((c) => c.uploadedBy === 'city').map((c) => c.id) };
    })();
    placements.set(applicationId, placement);
  }
  return placement;
}

/** The applicant of the application's county. */
export async function applicantOf(stack: TestStack, applicationId: string): Promise<ApiClient> {
  return as(stack, 'applicant', (await placementOf(stack, applicationId)).countyCode);
}

/** Who uploads a checklist item: the county's applicant, or the city's reviewer for the city's own items. */
async function uploaderOf(stack: TestStack, applicationId: string, criterion: string): Promise<ApiClient> {
  const { countyCode, cityCode, cityItems } = await placementOf(stack, applicationId);
  return cityItems.includes(criterion) && cityCode !== undefined
    ? as(stack, 'reviewer', cityCode)
    : as(stack, 'applicant', countyCode);
}

export interface Filing {
  countyCode: string;
  clusterName: string;
  leadingIndustry: string;
  subSector: string;
}

/** A demo cluster of Dunhua (Jilin), the county the ladder tests file from. */
export const DUNHUA: Omit<Filing, 'clusterName'> = {
  countyCode: '222403',
  leadingIndustry: '医药健康',
  subSector: '现代中药',
};

/** Creates a draft and, unless told not to, uploads every required county item. */
export async function fileDraft(
  stack: TestStack,
  campaign: { campaignId: string; year: number },
  filing: Filing,
  upload = true,
): Promise<string> {
  const created = await (
    await as(stack, 'applicant', filing.countyCode)
  ).createApplication({
    campaignId: campaign.campaignId,
    track: 'recommendation',
    form: sampleRecommendationForm(campaign.year),
    ...filing,
  });
  expect(created.status, created.text).toBe(201);
  const { applicationId } = created.body;
  if (upload) {
    for (const item of created.body.checklist.filter((c) => c.required && c.uploadedBy === 'county')) {
      await uploadPdf(stack, applicationId, item.id);
    }
  }
  return applicationId;
}

export async function submit(stack: TestStack, applicationId: string): Promise<void> {
  const submitted = await (await applicantOf(stack, applicationId)).submit(applicationId);
  expect(submitted.status, submitted.text).toBe(202);
}

export async function fileAndSubmit(
  stack: TestStack,
  campaign: { campaignId: string; year: number },
  filing: Filing,
): Promise<string> {
  const applicationId = await fileDraft(stack, campaign, filing);
  await submit(stack, applicationId);
  return applicationId;
}

/** Requests an upload link, posts a generated PDF as a browser would, waits for the validator. */
export async function uploadPdf(stack: TestStack, applicationId: string, criterion: string): Promise<void> {
  const bytes = await samplePdf(criterion, [applicationId]);
  await uploadEvidence(
    await uploaderOf(stack, applicationId, criterion),
    applicationId,
    { criterion, fileName: `${criterion}.pdf`, contentType: 'application/pdf', size: bytes.byteLength },
    { bytes },
    (objectKey) => stack.whenValidated(objectKey),
  );
}

export { REVIEW_LINK } from '../../local/client/index.ts';
export { asBeforeSteps } from '../../local/campaign-before-steps.ts';

export interface EmailedLink extends ReviewLink {
  email: StoredEmail;
}

/**
 * Waits until the stage's review task waits (at `step` of the stage's sequence, when given), then
 * takes the link from the reviewers' email.
 */
export async function reviewLink(
  stack: TestStack,
  applicationId: string,
  stage: string,
  round = 1,
  step?: number,
): Promise<EmailedLink> {
  await whenTaskWaiting(
    stack,
    (task) =>
      task.executionArn.includes(applicationId) &&
      task.stateName === 'RequestReview' &&
      JSON.stringify(task.payload).includes(`"stage":"${stage}"`) &&
      (step === undefined || JSON.stringify(task.payload).includes(`"step":{"index":${step},`)),
  );
  const link = latestReviewLink(await sentEmails(stack), applicationId, stage, round, step);
  if (!link) throw new Error(`no ${stage} review email for ${applicationId}`);
  return link;
}

/** What walking a stage's steps needs from the test beyond the API: what this branch cannot do by itself. */
export interface StepWalk {
  round?: number;
  /** The first step to walk (the earlier ones decided already). */
  from?: number;
  /** The city's on-site check statement is uploaded already. */
  statementUploaded?: boolean;
  /** Extra body fields for a step (a province review's scores, say). */
  extra?: (step: Step) => Record<string, unknown>;
  /** Files the level's own document (formal letter, minutes, sampling record naming the application). */
  fileLevelDocument?: (kind: LevelDocumentKind, reviewId: string) => Promise<void>;
  /** Closes the expert panel of the review (its experts score through their own links). */
  closePanel?: (reviewId: string) => Promise<void>;
  /** Lets a public-notice step's period pass (the test's clock). */
  passNotice?: () => Promise<void>;
  /** The "also national" statement where a step asks it (Jilin's city, 梅河口's province, Shanxi's meeting); default true. */
  alsoNational?: boolean;
}

const cannotFile = (kind: string): never => {
  throw new Error(`approving needs the level's ${kind}: pass fileLevelDocument (the level documents' upload)`);
};

/**
 * The decision body that approves `step` (after filing what it needs), or undefined where the
 * filing itself completes the step (a VALID formal letter completes its waiting step).
 */
async function approvalOf(
  stack: TestStack,
  applicationId: string,
  step: Step,
  reviewId: string,
  walk: StepWalk,
): Promise<Record<string, unknown> | undefined> {
  const file = walk.fileLevelDocument ?? cannotFile;
  switch (step.kind) {
    case 'onsite-statement':
      if (!walk.statementUploaded) await uploadPdf(stack, applicationId, 'onsite-check-statement');
      return {};
    case 'formal-check':
      return { checks: Object.fromEntries(step.points.map((point) => [point.id, 'pass'])) };
    case 'sampling':
      if (step.when === 'when-necessary') return { sampling: { sampled: false } };
      await file('sampling-record', reviewId);
      return { sampling: { sampled: true, note: '现场查看，情况属实' } };
    case 'meeting':
      await file('meeting-minutes', reviewId);
      return {};
    case 'formal-letter':
      await file(levelDocumentFor(step) ?? 'formal-letter', reviewId);
      return undefined;
    case 'expert-panel':
      if (!walk.closePanel) throw new Error('approving an expert-panel step needs closePanel');
      await walk.closePanel(reviewId);
      return {};
    default:
      return {};
  }
}

/**
 * Approves every step of the application's current stage as its level declares them (the
 * campaign's, or its province overlay's), each from the link its reviewers were emailed, with
 * the body the step asks; a public notice passes on the test's clock. Returns the links used.
 */
export async function approveStage(
  stack: TestStack,
  campaign: Campaign,
  applicationId: string,
  stage: 'city' | 'province' | 'miit',
  walk: StepWalk = {},
): Promise<EmailedLink[]> {
  const read = await (await asOperator(stack)).getApplication(applicationId);
  expect(read.status, read.text).toBe(200);
  const links: EmailedLink[] = [];
  for (const [index, step] of stageSteps(read.body, campaign, stage).entries()) {
    if (index < (walk.from ?? 0)) continue;
    if (step.config.kind === 'public-notice') {
      if (!walk.passNotice) throw new Error('a public-notice step needs passNotice');
      await walk.passNotice();
      continue;
    }
    const link = await reviewLink(stack, applicationId, stage, walk.round ?? 1, index);
    const body = await approvalOf(stack, applicationId, step.config, link.reviewId, walk);
    links.push(link);
    if (body === undefined) continue;
    const decided = await anonymous(stack).decide(link.reviewId, {
      t: link.secret,
      decision: 'approve',
      ...body,
      ...(asksAlsoNational({ stage, step: { index, kind: step.config.kind } }, read.body, campaign) && {
        alsoNational: walk.alsoNational ?? true,
      }),
      ...walk.extra?.(step.config),
    });
    expect(decided.status, decided.text).toBe(200);
  }
  return links;
}

/** Where a level files its own document: the call, its track, and the level. */
export interface LevelFiling {
  campaignId: string;
  track: Track;
  jurisdiction: string;
}

/**
 * A level's reviewer files one of its own documents (a formal letter, minutes, a sampling record,
 * 培育举措), signed in: the upload link, the bytes to S3, and the validator's VALID verdict.
 * Answers the SHA-256 of the bytes filed (a package's manifest names it).
 */
export async function fileLevelDocument(
  stack: TestStack,
  level: LevelFiling,
  kind: LevelDocumentKind,
  document: { applicationIds?: string[]; fileName?: string; pdf?: { title: string; lines: string[] } } = {},
): Promise<string> {
  const reviewer = await as(stack, 'reviewer', level.jurisdiction);
  const pdf = document.pdf ?? { title: kind, lines: document.applicationIds ?? [level.jurisdiction] };
  const bytes = await samplePdf(pdf.title, pdf.lines);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const requested = await reviewer.raw(
    'POST',
    `/v1/level-documents?campaignId=${level.campaignId}&track=${level.track}&jurisdiction=${level.jurisdiction}`,
    {
      kind,
      fileName: document.fileName ?? `${kind}.pdf`,
      contentType: 'application/pdf',
      size: bytes.byteLength,
      sha256,
      ...(document.applicationIds && { applicationIds: document.applicationIds }),
    },
  );
  expect(requested.status, requested.text).toBe(201);
  const filed = requested.body as { objectKey: string; upload: { url: string; fields: Record<string, string> } };
  const validated = stack.whenValidated(filed.objectKey);
  const posted = await postPresigned(filed.upload, { bytes });
  expect(posted.ok, posted.text).toBe(true);
  expect((await validated).ok).toBe(true);
  return sha256;
}

export async function statusOf(stack: TestStack, applicationId: string): Promise<string> {
  return (await (await asOperator(stack)).getApplication(applicationId)).body.status;
}

/** The application's review-ladder execution: the ladder's executions are named after their application. */
export function ladderExecution(stack: TestStack, applicationId: string): { name: string; executionArn: string } {
  const execution = stack.stepFunctions
    .listExecutions({ stateMachineArn: stack.stateMachineArns['review-ladder'] ?? '' })
    .executions.find((e) => e.name.startsWith(applicationId));
  if (!execution) throw new Error(`no execution for ${applicationId}`);
  return execution;
}

/**
 * Runs the application's ladder to its end, waking what sleeps on the stack's manual clock (a
 * public notice's period, a province's deadline) until it has ended; its ending.
 */
export async function runToEnd(stack: TestStack, clock: Pick<ManualClock, 'next'>, applicationId: string) {
  const ended = stack.stepFunctions.waitForExecution(ladderExecution(stack, applicationId).executionArn, 10_000);
  let finished = false;
  void ended.finally(() => {
    finished = true;
  });
  while (!finished) if (!(await clock.next())) await ended;
  return ended;
}
