import { createHash, randomUUID } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disguisedExecutable, samplePdf, sampleRecommendationForm } from '../../local/sample-evidence.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { asBeforeSteps } from './steps.ts';
import {
  type ApiClient,
  type CreatedApplication,
  type EvidenceItem,
  uploadEvidence,
} from '../../local/client/index.ts';
import {
  as,
  asOperator,
  startTestStack,
  type TestClients,
  type TestStack,
  testClients,
  whenTaskWaiting,
} from './harness.ts';

/**
 * The intake capability end to end through the local runtime: API gateway → handlers →
 * DynamoDB Local; presigned POST → s3rver → ObjectCreated → validator → evidence record.
 */
let stack: TestStack;
let clients: TestClients;
/** Dunhua's county official, who files every application here. */
let dunhua: ApiClient;
const campaign = asBeforeSteps(demoCampaign(new Date()));

beforeAll(async () => {
  stack = await startTestStack();
  clients = testClients();
  dunhua = await as(stack, 'applicant', '222403');
  const created = await (await asOperator(stack)).createCampaign(campaign);
  expect(created.status).toBe(201);
});

afterAll(async () => {
  clients?.destroy();
  await stack?.cleanup();
});

let clusterCounter = 0;
async function createApplication(countyCode = '222403'): Promise<CreatedApplication> {
  const response = await (
    await as(stack, 'applicant', countyCode)
  ).createApplication({
    campaignId: campaign.campaignId,
    track: 'recommendation',
    countyCode,
    clusterName: `测试产业集群${++clusterCounter}`,
    leadingIndustry: '医药健康',
    subSector: '现代中药',
    form: sampleRecommendationForm(campaign.year),
  });
  expect(response.status).toBe(201);
  return response.body;
}

/** Requests an upload link, posts the bytes as a browser would, and waits for the validator. */
async function upload(
  applicationId: string,
  criterion: string,
  bytes: Uint8Array,
  options: { fileName?: string; declaredSize?: number; sha256?: string } = {},
): Promise<EvidenceItem & { deliveredRecord: unknown }> {
  const { requested, settled: delivery } = await uploadEvidence(
    dunhua,
    applicationId,
    {
      criterion,
      fileName: options.fileName ?? `${criterion}.pdf`,
      contentType: 'application/pdf',
      size: options.declaredSize ?? bytes.byteLength,
      ...(options.sha256 ? { sha256: options.sha256 } : {}),
    },
    { bytes },
    (objectKey) => stack.whenValidated(objectKey),
  );
  expect(delivery.ok).toBe(true);
  const list = await dunhua.listEvidence(applicationId);
  const item = list.body.evidence.find((e) => e.evidenceId === requested.evidenceId);
  if (!item) throw new Error('evidence item missing after upload');
  return { ...item, deliveredRecord: delivery.record };
}

async function completeApplication(): Promise<CreatedApplication> {
  const application = await createApplication();
  for (const item of application.checklist.filter((c) => c.required && c.uploadedBy === 'county')) {
    const outcome = await upload(
      application.applicationId,
      item.id,
      await samplePdf(item.id, [application.applicationId]),
    );
    expect(outcome.status, item.id).toBe('VALID');
  }
  return application;
}

describe('intake through the local runtime', () => {
  it('lists the seeded campaigns as closed and the new one as open', async () => {
    const list = await dunhua.listCampaigns();
    const open = Object.fromEntries(list.body.campaigns.map((c) => [c.campaignId, c.open]));
    expect(open).toMatchObject({
      'miit-2025-recommendation': false,
      'miit-2025-rereview': false,
      'miit-2024-typical-cases': false,
      [campaign.campaignId]: true,
    });
  });

  it('refuses an application to the 2025 campaign as late', async () => {
    const late = await dunhua.createApplication({
      campaignId: 'miit-2025-recommendation',
      track: 'recommendation',
      countyCode: '222403',
      clusterName: '敦化市医药产业集群',
      leadingIndustry: '医药健康',
      subSector: '现代中药',
    });
    expect(late.status).toBe(409);
    expect(late.error.code).toBe('DEADLINE_PASSED');
  });

  it('files, uploads every required item, validates and submits', async () => {
    const application = await completeApplication();
    const { applicationId } = application;
    const view = await dunhua.getApplication(applicationId);
    // The county's part is complete; the city's on-site statement comes during the city's review.
    expect(view.body.checklist.filter((item) => item.problem).map((item) => item.id)).toEqual([
      'onsite-check-statement',
    ]);

    const submitted = await dunhua.submit(applicationId);
    expect(submitted.status).toBe(202);
    expect(submitted.body.status).toBe('SUBMITTED');

    const again = await dunhua.submit(applicationId);
    expect(again.status).toBe(409);
    expect(again.error.code).toBe('ALREADY_SUBMITTED');

    // Submission starts the review ladder: the city's review is requested next.
    const review = await whenTaskWaiting(
      stack,
      (task) => task.executionArn.includes(applicationId) && task.stateName === 'RequestReview',
    );
    expect(review.executionArn).toContain(`${applicationId}-r`);
    const after = await dunhua.getApplication(applicationId);
    expect(after.body.status).toBe('CITY_REVIEW');
    expect(after.body.history.map((event) => event.action)).toEqual(
      expect.arrayContaining(['APPLICATION_CREATED', 'EVIDENCE_REQUESTED', 'EVIDENCE_VALIDATED', 'SUBMITTED']),
    );
    // The byJurisdiction index lists it under Jilin with its current status (no Scan).
    const listed = await clients.doc.send(
      new QueryCommand({
        TableName: stack.tableName,
        IndexName: 'byJurisdiction',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':pk': 'JUR#220000', ':prefix': `${campaign.campaignId}#CITY_REVIEW#` },
      }),
    );
    expect(listed.Items?.map((item) => item.applicationId)).toContain(applicationId);
  });

  it('lets exactly one of many simultaneous submits through', async () => {
    const { applicationId } = await completeApplication();
    const answers = await Promise.all(Array.from({ length: 8 }, () => dunhua.submit(applicationId)));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(7);
    const audit = await clients.doc.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':prefix': 'AUDIT#' },
      }),
    );
    expect(audit.Items?.filter((item) => item.action === 'SUBMITTED')).toHaveLength(1);
  });

  it('refuses a disguised executable and names the item when submitting', async () => {
    const { applicationId } = await createApplication();
    const bad = await upload(applicationId, 'application-form', disguisedExecutable());
    expect(bad.status).toBe('INVALID');
    expect(bad.findings.map((f) => f.code)).toContain('TYPE_MISMATCH');
    expect(bad.findings[0]?.message.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(bad.findings[0]?.message.en.length).toBeGreaterThan(10);

    const refused = await dunhua.submit(applicationId);
    expect(refused.status).toBe(409);
    const formItem = refused.error.details?.find((d) => d.field === 'checklist.application-form');
    expect(formItem?.code).toBe('INVALID');
    expect((formItem?.reasons as { code: string }[] | undefined)?.map((r) => r.code)).toContain('TYPE_MISMATCH');
  });

  it('re-checks what S3 was told: a size or checksum that differs from the request is refused', async () => {
    const { applicationId } = await createApplication();
    const bytes = await samplePdf('size', ['declared one size, sent another']);
    // s3rver, unlike S3, does not enforce the presigned policy; the validator must catch it.
    const wrongSize = await upload(applicationId, 'application-form', bytes, {
      declaredSize: bytes.byteLength + 10,
    });
    expect(wrongSize.findings.map((f) => f.code)).toContain('SIZE_MISMATCH');
    const wrongHash = await upload(applicationId, 'core-competitiveness', bytes, { sha256: 'a'.repeat(64) });
    expect(wrongHash.status).toBe('INVALID');
    expect(wrongHash.findings.map((f) => f.code)).toContain('CHECKSUM_MISMATCH');
  });

  it('flags the same bytes uploaded twice in one application', async () => {
    const { applicationId } = await createApplication();
    const bytes = await samplePdf('twice', ['the same file for two criteria']);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const first = await upload(applicationId, 'green-development', bytes, { sha256 });
    const second = await upload(applicationId, 'open-cooperation', bytes, { sha256 });
    expect(first.warnings).toEqual([]);
    expect(second.status).toBe('VALID');
    expect(second.warnings[0]).toMatchObject({
      code: 'DUPLICATE_CONTENT',
      detail: { duplicateOf: first.evidenceId },
    });
  });

  it('changes nothing when the same S3 event is delivered again', async () => {
    const { applicationId } = await createApplication();
    const evidence = await upload(applicationId, 'application-form', await samplePdf('replay', ['x']));
    const { handler } = await import('../../functions/validator.ts');
    const auditCount = async () =>
      (
        await clients.doc.send(
          new QueryCommand({
            TableName: stack.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':prefix': 'AUDIT#' },
          }),
        )
      ).Items?.length;
    const before = await auditCount();
    // Exactly the record S3 delivered the first time.
    const replay = { Records: [evidence.deliveredRecord] };
    const outcome = await handler(replay);
    expect(outcome.outcomes).toEqual(['REPLAYED']);
    expect(await auditCount()).toBe(before);
    const list = await dunhua.listEvidence(applicationId);
    expect(list.body.evidence.find((e) => e.evidenceId === evidence.evidenceId)).toEqual(
      expect.objectContaining({ status: 'VALID' }),
    );
  });

  it('quarantines an object that matches no evidence request', async () => {
    const key = `evidence/${randomUUID()}/${randomUUID()}`;
    const validated = stack.whenValidated(key);
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: stack.bucketName,
        Key: key,
        Body: 'stray',
        ContentType: 'application/pdf',
      }),
    );
    expect((await validated).ok).toBe(true);
    await expect(clients.s3.send(new HeadObjectCommand({ Bucket: stack.bucketName, Key: key }))).rejects.toThrow();
    const kept = await clients.s3.send(new GetObjectCommand({ Bucket: stack.bucketName, Key: `quarantine/${key}` }));
    expect(await kept.Body?.transformToString()).toBe('stray');
  });
});
