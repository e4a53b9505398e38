import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf, sampleRecommendationForm } from '../../local/sample-evidence.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { api, as, asOperator, type Caller, startTestStack, type TestStack } from './harness.ts';

/**
 * Retries with an Idempotency-Key through the local runtime against DynamoDB Local: the same
 * request sent several times at once creates one thing, and every answer names it.
 */
let stack: TestStack;
let dunhua: Caller;
let operator: Caller;
const campaign = demoCampaign(new Date());

interface Created {
  applicationId: string;
  status: string;
}
interface Evidence {
  evidenceId: string;
  objectKey: string;
  status: string;
  upload: { url: string; fields: Record<string, string>; expiresAt: string };
}
interface Drilled {
  applications: { applicationId: string; clusterName: string; status: string }[];
}
interface ApiError {
  error: { code: string; details?: { field: string; code: string; status?: string }[] };
}

beforeAll(async () => {
  stack = await startTestStack();
  dunhua = await as(stack, 'applicant', '222403');
  operator = await asOperator(stack);
  const created = await api(operator, 'POST', '/v1/campaigns', campaign);
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await stack?.cleanup();
});

const draft = (clusterName: string) => ({
  campaignId: campaign.campaignId,
  track: 'recommendation',
  countyCode: '222403',
  clusterName,
  leadingIndustry: '医药健康',
  subSector: '现代中药',
  form: sampleRecommendationForm(campaign.year),
});

const countyDrafts = async (clusterName: string) => {
  const drilled = await api<Drilled>(operator, 'GET', `/v1/ops/jurisdictions/222403?campaignId=${campaign.campaignId}`);
  expect(drilled.status, drilled.text).toBe(200);
  return drilled.json.applications.filter((a) => a.clusterName === clusterName);
};

const times = <T>(n: number, send: () => Promise<T>) => Promise.all(Array.from({ length: n }, send));

describe('Idempotency-Key', () => {
  it('creates one draft from five concurrent identical requests with one key; all answer 201 with its id', async () => {
    const key = randomUUID();
    const body = draft('幂等测试产业集群');
    const answers = await times(5, () => api<Created>(dunhua, 'POST', '/v1/applications', body, { 'Idempotency-Key': key }));
    expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.json))).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(answers.map((a) => a.json.applicationId));
    expect(ids.size).toBe(1);
    const drafts = await countyDrafts('幂等测试产业集群');
    expect(drafts.map((d) => d.applicationId)).toEqual([...ids]);

    // A later retry answers the same; the same key for another draft is refused.
    const later = await api<Created>(dunhua, 'POST', '/v1/applications', body, { 'Idempotency-Key': key });
    expect([later.status, later.json.applicationId]).toEqual([201, [...ids][0]]);
    const reused = await api<ApiError>(dunhua, 'POST', '/v1/applications', draft('另一个产业集群'), { 'Idempotency-Key': key });
    expect(reused.status).toBe(422);
    expect(reused.json.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: [{ field: 'header.idempotency-key' }] });
    const malformed = await api<ApiError>(dunhua, 'POST', '/v1/applications', draft('另一个产业集群'), { 'Idempotency-Key': 'no spaces' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.details?.map((d) => d.field)).toEqual(['header.idempotency-key']);
    expect(await countyDrafts('另一个产业集群')).toEqual([]);
  });

  it('requests one upload from five concurrent identical requests with one key; its link works', async () => {
    const created = await api<Created>(dunhua, 'POST', '/v1/applications', draft('幂等上传产业集群'));
    expect(created.status).toBe(201);
    const { applicationId } = created.json;
    const bytes = await samplePdf('application-form', [applicationId]);
    const request = {
      criterion: 'application-form',
      fileName: 'application-form.pdf',
      contentType: 'application/pdf',
      size: bytes.byteLength,
    };
    const key = randomUUID();
    const path = `/v1/applications/${applicationId}/evidence`;
    const answers = await times(5, () => api<Evidence>(dunhua, 'POST', path, request, { 'Idempotency-Key': key }));
    expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.json))).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(answers.map((a) => a.json.evidenceId));
    expect(ids.size).toBe(1);
    const listed = await api<{ evidence: Evidence[] }>(dunhua, 'GET', path);
    expect(listed.json.evidence.map((e) => e.evidenceId)).toEqual([...ids]);

    // Any of the answers' links stores the bytes for the one item, and the validator accepts them.
    const { upload: link, objectKey, evidenceId } = answers[4]?.json as Evidence;
    const validated = stack.whenValidated(objectKey);
    const form = new FormData();
    for (const [name, value] of Object.entries(link.fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type: 'application/pdf' }));
    expect((await fetch(link.url, { method: 'POST', body: form })).ok).toBe(true);
    expect((await validated).ok).toBe(true);
    const after = await api<{ evidence: Evidence[] }>(dunhua, 'GET', path);
    expect(after.json.evidence.map((e) => [e.evidenceId, e.status])).toEqual([[evidenceId, 'VALID']]);

    // Once uploaded, a retry says so instead of issuing another link.
    const done = await api<ApiError>(dunhua, 'POST', path, request, { 'Idempotency-Key': key });
    expect(done.status).toBe(409);
    expect(done.json.error).toMatchObject({
      code: 'IDEMPOTENT_REQUEST_DONE',
      details: [{ field: 'header.idempotency-key', status: 'VALID' }],
    });
  });
});
