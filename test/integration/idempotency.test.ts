import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf, sampleRecommendationForm } from '../../local/sample-evidence.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { asBeforeSteps } from './steps.ts';
import type { ApiClient } from '../../local/client/index.ts';
import { as, asOperator, startTestStack, type TestStack } from './harness.ts';

/**
 * Retries with an Idempotency-Key through the local runtime against DynamoDB Local: the same
 * request sent several times at once creates one thing, and every answer names it.
 */
let stack: TestStack;
let dunhua: ApiClient;
let operator: ApiClient;
const campaign = asBeforeSteps(demoCampaign(new Date()));

beforeAll(async () => {
  stack = await startTestStack();
  dunhua = await as(stack, 'applicant', '222403');
  operator = await asOperator(stack);
  const created = await operator.createCampaign(campaign);
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await stack?.cleanup();
});

const draft = (clusterName: string) => ({
  campaignId: campaign.campaignId,
  track: 'recommendation' as const,
  countyCode: '222403',
  clusterName,
  leadingIndustry: '医药健康',
  subSector: '现代中药',
  form: sampleRecommendationForm(campaign.year),
});

const countyDrafts = async (clusterName: string) => {
  const drilled = await operator.opsJurisdiction('222403', { campaignId: campaign.campaignId });
  expect(drilled.status, drilled.text).toBe(200);
  return drilled.body.applications.filter((a) => a.clusterName === clusterName);
};

const times = <T>(n: number, send: () => Promise<T>) => Promise.all(Array.from({ length: n }, send));

describe('Idempotency-Key', () => {
  it('creates one draft from five concurrent identical requests with one key; all answer 201 with its id', async () => {
    const key = randomUUID();
    const body = draft('幂等测试产业集群');
    const answers = await times(5, () => dunhua.createApplication(body, { idempotencyKey: key }));
    expect(
      answers.map((a) => a.status),
      JSON.stringify(answers.map((a) => a.json)),
    ).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(answers.map((a) => a.body.applicationId));
    expect(ids.size).toBe(1);
    const drafts = await countyDrafts('幂等测试产业集群');
    expect(drafts.map((d) => d.applicationId)).toEqual([...ids]);

    // A later retry answers the same; the same key for another draft is refused.
    const later = await dunhua.createApplication(body, { idempotencyKey: key });
    expect([later.status, later.body.applicationId]).toEqual([201, [...ids][0]]);
    const reused = await dunhua.createApplication(draft('另一个产业集群'), { idempotencyKey: key });
    expect(reused.status).toBe(422);
    expect(reused.error).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      details: [{ field: 'header.idempotency-key' }],
    });
    const malformed = await dunhua.createApplication(draft('另一个产业集群'), { idempotencyKey: 'no spaces' });
    expect(malformed.status).toBe(400);
    expect(malformed.error.details?.map((d) => d.field)).toEqual(['header.idempotency-key']);
    expect(await countyDrafts('另一个产业集群')).toEqual([]);
  });

  it('requests one upload from five concurrent identical requests with one key; its link works', async () => {
    const created = await dunhua.createApplication(draft('幂等上传产业集群'));
    expect(created.status).toBe(201);
    const { applicationId } = created.body;
    const bytes = await samplePdf('application-form', [applicationId]);
    const request = {
      criterion: 'application-form',
      fileName: 'application-form.pdf',
      contentType: 'application/pdf',
      size: bytes.byteLength,
    };
    const key = randomUUID();
    const answers = await times(5, () => dunhua.requestUpload(applicationId, request, { idempotencyKey: key }));
    expect(
      answers.map((a) => a.status),
      JSON.stringify(answers.map((a) => a.json)),
    ).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(answers.map((a) => a.body.evidenceId));
    expect(ids.size).toBe(1);
    const listed = await dunhua.listEvidence(applicationId);
    expect(listed.body.evidence.map((e) => e.evidenceId)).toEqual([...ids]);

    // Any of the answers' links stores the bytes for the one item, and the validator accepts them.
    const fifth = answers[4];
    if (!fifth) throw new Error('five answers');
    const { upload: link, objectKey, evidenceId } = fifth.body;
    const validated = stack.whenValidated(objectKey);
    expect((await dunhua.upload(link, { bytes })).ok).toBe(true);
    expect((await validated).ok).toBe(true);
    const after = await dunhua.listEvidence(applicationId);
    expect(after.body.evidence.map((e) => [e.evidenceId, e.status])).toEqual([[evidenceId, 'VALID']]);

    // Once uploaded, a retry says so instead of issuing another link.
    const done = await dunhua.requestUpload(applicationId, request, { idempotencyKey: key });
    expect(done.status).toBe(409);
    expect(done.error).toMatchObject({
      code: 'IDEMPOTENT_REQUEST_DONE',
      details: [{ field: 'header.idempotency-key', status: 'VALID' }],
    });
  });
});
