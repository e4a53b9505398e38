import { createHash } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Context, S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHandlerModule } from '../../local/lambda.ts';
import { samplePdf } from '../../local/sample-evidence.ts';
import { type ApiClient, postPresigned, type RequestedUpload, uploadEvidence } from '../../local/client/index.ts';
import { EVENT_FUNCTIONS } from '../../shared/platform/functions.ts';
import { toBeijingIso } from '../../shared/platform/time.ts';
import { defineCampaign } from '../../shared/rules/campaign.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { anonymous, as, asOperator, startTestStack, type TestClients, testClients, type TestStack } from './harness.ts';
import * as steps from './steps.ts';
import { asBeforeSteps, DUNHUA } from './steps.ts';

/**
 * One object per evidence item, and reviewers download exactly what the validator checked,
 * through the whole local runtime (s3rver keeps no versions: the pin is the object's ETag):
 *
 * - an upload link used again after the file was validated and the application submitted: the
 *   second object is quarantined, the item keeps its verdict, hash and pin, and the review page
 *   offers no download of bytes other than the checked ones;
 * - the other files' download links serve exactly the bytes the validator hashed;
 * - an upload link never outlives the filing deadline, and an object S3 reports after the
 *   deadline is refused ("after the deadline").
 */

const now = new Date();
const campaign = asBeforeSteps(demoCampaign(now));
/** Submissions close five minutes from now: upload links must not outlive that. */
const closingSoon = defineCampaign({
  ...structuredClone(campaign),
  campaignId: `${campaign.campaignId}-closing`,
  calendar: { ...campaign.calendar, submission: toBeijingIso(new Date(now.getTime() + 5 * 60_000)) },
});

let stack: TestStack;
let clients: TestClients;
let dunhua: ApiClient;
let operator: ApiClient;
/** Object key → the event time S3 reports for it (an object that arrived late). */
const lateEvents = new Map<string, string>();

async function realValidator(event: S3Event, context: Context): Promise<unknown> {
  const handler = await loadHandlerModule(EVENT_FUNCTIONS.validator.entry);
  return handler(event as never, context);
}

beforeAll(async () => {
  stack = await startTestStack({
    invokeValidator: (event, context) => {
      for (const record of event.Records) {
        const late = lateEvents.get(decodeURIComponent(record.s3.object.key));
        if (late) record.eventTime = late;
      }
      return realValidator(event, context);
    },
  });
  clients = testClients();
  dunhua = await as(stack, 'applicant', DUNHUA.countyCode);
  operator = await asOperator(stack);
  expect((await operator.createCampaign(campaign)).status).toBe(201);
  expect((await operator.createCampaign(closingSoon)).status).toBe(201);
});

afterAll(async () => {
  clients?.destroy();
  await stack?.cleanup();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function evidenceItem(applicationId: string, evidenceId: string) {
  const item = (await operator.listEvidence(applicationId)).body.evidence.find((e) => e.evidenceId === evidenceId);
  if (!item) throw new Error(`no evidence ${evidenceId}`);
  return item;
}

async function quarantined(): Promise<string[]> {
  const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: 'quarantine/' }));
  return (listed.Contents ?? []).map((object) => object.Key ?? '');
}

/** The review page's download links, by file name (the page escapes `&` in attributes). */
function downloadLinks(page: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const [, href = '', name = ''] of page.matchAll(/<a href="([^"]+)" rel="noreferrer noopener">([^<]+)<\/a>/g)) {
    links.set(name, href.replaceAll('&amp;', '&'));
  }
  return links;
}

describe('an upload link used again after validation and submission', () => {
  let applicationId: string;
  let swapped: RequestedUpload;

  it('quarantines the second object and changes nothing on the item', async () => {
    applicationId = await steps.fileDraft(
      stack,
      campaign,
      { ...DUNHUA, clusterName: '敦化市医药产业集群（固定版本）' },
      false,
    );
    const { checklist } = (await operator.getApplication(applicationId)).body;
    for (const item of checklist.filter((c) => c.required && c.uploadedBy === 'county')) {
      if (item.id !== 'application-form') await steps.uploadPdf(stack, applicationId, item.id);
    }
    const form = await samplePdf('application-form', [applicationId, 'signed form']);
    const { requested } = await uploadEvidence(
      dunhua,
      applicationId,
      {
        criterion: 'application-form',
        fileName: '申报表（盖章）.pdf',
        contentType: 'application/pdf',
        size: form.length,
      },
      { bytes: form },
      (objectKey) => stack.whenValidated(objectKey),
    );
    swapped = requested;
    const checked = await evidenceItem(applicationId, requested.evidenceId);
    expect(checked).toMatchObject({ status: 'VALID', sha256: sha256(form) });
    expect(checked.eTag).toMatch(/^[0-9a-f]{32}$/);
    await steps.submit(stack, applicationId);

    // The same link, other bytes of the same size, after submission.
    const other = await samplePdf('application-form', [applicationId, 'swapped after submission']);
    const delivered = stack.whenValidated(requested.objectKey);
    expect((await postPresigned(requested.upload, { bytes: other })).ok).toBe(true);
    expect((await delivered).ok).toBe(true);

    expect(await evidenceItem(applicationId, requested.evidenceId)).toEqual(checked);
    expect(await quarantined()).toContain(`quarantine/${requested.objectKey}`);
  });

  it("serves reviewers exactly the checked bytes, and never the swapped file's", async () => {
    const link = await steps.reviewLink(stack, applicationId, 'city');
    const page = await anonymous(stack).reviewPage(link.reviewId, link.secret);
    expect(page.status, page.text).toBe(200);
    const links = downloadLinks(page.text);
    // s3rver kept no copy of the checked bytes: no link at all rather than one to other bytes.
    expect(links.has('申报表（盖章）.pdf')).toBe(false);
    expect(page.text).toContain('申报表（盖章）.pdf');

    const others = (await operator.listEvidence(applicationId)).body.evidence.filter(
      (e) => e.status === 'VALID' && e.evidenceId !== swapped.evidenceId,
    );
    expect(others.length).toBeGreaterThan(0);
    for (const item of others) {
      const href = links.get(item.fileName);
      expect(href, item.fileName).toBeDefined();
      const download = await fetch(href ?? '');
      expect(download.status).toBe(200);
      expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(item.sha256);
    }
  });
});

describe('upload links and the filing deadline', () => {
  it('never outlive the deadline, in the answer and in the POST policy S3 enforces', async () => {
    const created = await dunhua.createApplication({
      campaignId: closingSoon.campaignId,
      track: 'recommendation',
      ...DUNHUA,
      clusterName: '敦化市医药产业集群（截止前）',
    });
    expect(created.status, created.text).toBe(201);
    const { applicationId, dueAt } = created.body;
    const requested = await dunhua.requestUpload(applicationId, {
      criterion: 'application-form',
      fileName: '申报表.pdf',
      contentType: 'application/pdf',
      size: 1000,
    });
    expect(requested.status, requested.text).toBe(201);
    const deadline = Date.parse(dueAt);
    const expiresAt = Date.parse(requested.body.upload.expiresAt);
    // Fifteen minutes would be 10 past the deadline: the link ends at it (whole seconds, not after).
    expect(expiresAt).toBeLessThanOrEqual(deadline);
    expect(deadline - expiresAt).toBeLessThan(1_000);
    const policy = JSON.parse(Buffer.from(requested.body.upload.fields.Policy ?? '', 'base64').toString('utf8')) as {
      expiration: string;
    };
    expect(Date.parse(policy.expiration)).toBeLessThanOrEqual(deadline);
    expect(requested.body.uploadDeadline).toBe(dueAt);
  });

  it('refuses an object S3 reports after the deadline: INVALID, "after the deadline"', async () => {
    const applicationId = await steps.fileDraft(
      stack,
      campaign,
      { ...DUNHUA, clusterName: '敦化市医药产业集群（逾期上传）' },
      false,
    );
    const dueAt = (await operator.getApplication(applicationId)).body.dueAt;
    const bytes = await samplePdf('core-competitiveness', [applicationId, 'late']);
    const requested = await dunhua.requestUpload(applicationId, {
      criterion: 'core-competitiveness',
      fileName: '核心竞争力.pdf',
      contentType: 'application/pdf',
      size: bytes.length,
    });
    expect(requested.status, requested.text).toBe(201);
    lateEvents.set(requested.body.objectKey, new Date(Date.parse(dueAt) + 1_000).toISOString());
    const delivered = stack.whenValidated(requested.body.objectKey);
    expect((await postPresigned(requested.body.upload, { bytes })).ok).toBe(true);
    expect((await delivered).ok).toBe(true);
    const item = await evidenceItem(applicationId, requested.body.evidenceId);
    expect(item.status).toBe('INVALID');
    expect(item.findings.map((f) => f.code)).toEqual(['UPLOAD_AFTER_DEADLINE']);
    expect(item.findings[0]?.message.en).toContain('after the deadline');
  });
});

describe('renaming a draft (the one-filing-per-cluster guard moves with the name)', () => {
  const file = (clusterName: string) =>
    dunhua.createApplication({ campaignId: campaign.campaignId, track: 'recommendation', ...DUNHUA, clusterName });

  it('refuses a rename onto a name the county filed, frees the old name, takes the new one', async () => {
    const first = await file('敦化市人参产业集群（改名）');
    const second = await file('敦化市林蛙产业集群（改名）');
    expect([first.status, second.status]).toEqual([201, 201]);
    const secondId = second.body.applicationId;

    const onto = await dunhua.patchApplication(secondId, { clusterName: '敦化市人参产业集群（改名）' });
    expect(onto.status, onto.text).toBe(409);
    expect(onto.error.code).toBe('DUPLICATE_APPLICATION');
    expect((await operator.getApplication(secondId)).body.clusterName).toBe('敦化市林蛙产业集群（改名）');

    const renamed = await dunhua.patchApplication(secondId, { clusterName: '敦化市食用菌产业集群（改名）' });
    expect(renamed.status, renamed.text).toBe(200);
    // The old name is free again; the new one is taken.
    expect((await file('敦化市林蛙产业集群（改名）')).status).toBe(201);
    const again = await file('敦化市食用菌产业集群（改名）');
    expect(again.status).toBe(409);
    expect(again.error.details?.[0]).toMatchObject({ field: 'clusterName', applicationId: secondId });
  });
});

describe('evidence requests per application are bounded', () => {
  it('lets racing requests past neither the per-item nor the per-application limit (409 naming it)', async () => {
    const bounded = defineCampaign({
      ...structuredClone(campaign),
      campaignId: `${campaign.campaignId}-bounded`,
      evidenceLimits: { perApplication: 3, perItem: 2 },
    });
    expect((await operator.createCampaign(bounded)).status).toBe(201);
    const created = await dunhua.createApplication({
      campaignId: bounded.campaignId,
      track: 'recommendation',
      ...DUNHUA,
      clusterName: '敦化市医药产业集群（限额）',
    });
    expect(created.status, created.text).toBe(201);
    const { applicationId } = created.body;
    const ask = (criterion: string, i: number) =>
      dunhua.requestUpload(applicationId, {
        criterion,
        fileName: `佐证材料${i}.pdf`,
        contentType: 'application/pdf',
        size: 1000 + i,
      });
    // Six at once for one item that takes five files: the counter lets exactly two through.
    const racing = await Promise.all(Array.from({ length: 6 }, (_, i) => ask('digital-transformation', i)));
    expect(racing.filter((r) => r.status === 201)).toHaveLength(2);
    const refused = racing.filter((r) => r.status !== 201);
    for (const answer of refused) {
      expect(answer.status).toBe(409);
      expect(answer.error.details?.[0]).toMatchObject({ field: 'criterion', code: 'ITEM_EVIDENCE_LIMIT', limit: 2 });
    }
    expect((await ask('green-development', 10)).status).toBe(201);
    const over = await ask('open-cooperation', 11);
    expect(over.status).toBe(409);
    expect(over.error.code).toBe('EVIDENCE_LIMIT_REACHED');
    expect(over.error.details?.[0]).toMatchObject({ code: 'APPLICATION_EVIDENCE_LIMIT', limit: 3 });
    expect((await operator.listEvidence(applicationId)).body.evidence).toHaveLength(3);
  });
});
