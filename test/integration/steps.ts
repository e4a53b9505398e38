import { expect } from 'vitest';
import { samplePdf, sampleRecommendationForm } from '../../local/sample-evidence.ts';
import { api, as, asOperator, type Caller, type StoredEmail, sentEmails, type TestStack, whenTaskWaiting } from './harness.ts';

/**
 * The people's side of the pipeline, driven through the local API as they would drive it: the
 * county files, uploads and submits; reviewers take their link from the email. Shared by the
 * integration, browser and benchmark code. Each step signs in as the person who takes it: the
 * county's applicant files, uploads and submits.
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
      const read = await api<Placement & { checklist: { id: string; uploadedBy: string }[] }>(
        await asOperator(stack),
        'GET',
        `/v1/applications/${applicationId}`,
      );
      expect(read.status, read.text).toBe(200);
      const { countyCode, cityCode, checklist } = read.json;
      return { countyCode, cityCode, cityItems: checklist.filter((c) => c.uploadedBy === 'city').map((c) => c.id) };
    })();
    placements.set(applicationId, placement);
  }
  return placement;
}

/** The applicant of the application's county. */
export async function applicantOf(stack: TestStack, applicationId: string): Promise<Caller> {
  return as(stack, 'applicant', (await placementOf(stack, applicationId)).countyCode);
}

/** Who uploads a checklist item: the county's applicant, or the city's reviewer for the city's own items. */
async function uploaderOf(stack: TestStack, applicationId: string, criterion: string): Promise<Caller> {
  const { countyCode, cityCode, cityItems } = await placementOf(stack, applicationId);
  return cityItems.includes(criterion) && cityCode !== undefined
    ? as(stack, 'reviewer', cityCode)
    : as(stack, 'applicant', countyCode);
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

/** A demo cluster of Dunhua (Jilin), the county the ladder tests file from. */
export const DUNHUA: Omit<Filing, 'clusterName'> = { countyCode: '222403', leadingIndustry: '医药健康', subSector: '现代中药' };

/** Creates a draft and, unless told not to, uploads every required county item. */
export async function fileDraft(
  stack: TestStack,
  campaign: { campaignId: string; year: number },
  filing: Filing,
  upload = true,
): Promise<string> {
  const created = await api<Created>(await as(stack, 'applicant', filing.countyCode), 'POST', '/v1/applications', {
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
  const submitted = await api(await applicantOf(stack, applicationId), 'POST', `/v1/applications/${applicationId}/submit`);
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
  const request = await api<{ objectKey: string; upload: { url: string; fields: Record<string, string> } }>(
    await uploaderOf(stack, applicationId, criterion),
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

/** A review link in an email: the whole URL, the review id and the secret. */
export const REVIEW_LINK = /(https?:\/\/[^\s"<>]+\/v1\/reviews\/([^?\s"<>]+)\?t=([A-Za-z0-9_-]+))/;

export interface EmailedLink {
  url: string;
  reviewId: string;
  secret: string;
  email: StoredEmail;
}

/** Waits until the stage's review task waits, then takes the link from the reviewers' email. */
export async function reviewLink(stack: TestStack, applicationId: string, stage: string, round = 1): Promise<EmailedLink> {
  await whenTaskWaiting(
    stack,
    (task) =>
      task.executionArn.includes(applicationId) &&
      task.stateName === 'RequestReview' &&
      JSON.stringify(task.payload).includes(`"stage":"${stage}"`),
  );
  for (const email of (await sentEmails(stack)).reverse()) {
    const match = REVIEW_LINK.exec(email.body.text ?? '');
    const reviewId = match?.[2];
    if (reviewId?.startsWith(`${applicationId}.${stage}.`) && reviewId.endsWith(`.${round}`)) {
      return { url: match?.[1] ?? '', reviewId, secret: match?.[3] ?? '', email };
    }
  }
  throw new Error(`no ${stage} review email for ${applicationId}`);
}

export async function statusOf(stack: TestStack, applicationId: string): Promise<string> {
  return (await api<{ status: string }>(await asOperator(stack), 'GET', `/v1/applications/${applicationId}`)).json.status;
}
