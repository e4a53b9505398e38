import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf } from '../../local/sample-evidence.ts';
import type { ApiClient } from '../../local/client/index.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { as, asOperator, startTestStack, type TestStack } from './harness.ts';
import { asBeforeSteps, DUNHUA, fileDraft, submit, uploadPdf } from './steps.ts';

/**
 * Removing an evidence file through the local stack (gateway, evidence function, DynamoDB Local,
 * s3rver, the validator): the county removes a file from its draft, the checklist stops counting
 * it, a repeat answers the same, a late upload to a removed file's link is not evidence, and
 * once submitted nothing is removed.
 */
let stack: TestStack;
let dunhua: ApiClient;
let applicationId: string;
const campaign = asBeforeSteps(demoCampaign(new Date()));
const ITEM = 'core-competitiveness';

beforeAll(async () => {
  stack = await startTestStack();
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
  dunhua = await as(stack, 'applicant', '222403');
  applicationId = await fileDraft(stack, campaign, { ...DUNHUA, clusterName: '敦化市医药产业集群（删除材料）' });
});

afterAll(async () => {
  await stack?.cleanup();
});

const itemOf = async (id: string) => {
  const detail = await dunhua.getApplication(applicationId);
  expect(detail.status, detail.text).toBe(200);
  return detail.body.checklist.find((item) => item.id === id);
};
const fileIds = async () => (await dunhua.listEvidence(applicationId)).body.evidence.map((e) => e.evidenceId);

describe('DELETE /v1/applications/{applicationId}/evidence/{evidenceId}', () => {
  it('removes a file of the draft: gone from the list and the checklist, audited once, the same answer twice', async () => {
    await uploadPdf(stack, applicationId, ITEM);
    expect((await itemOf(ITEM))?.valid).toBe(2);
    const listed = (await dunhua.listEvidence(applicationId)).body.evidence.filter((e) => e.criterion === ITEM);
    const second = listed.at(-1)?.evidenceId ?? '';

    const removed = await dunhua.removeEvidence(applicationId, second);
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body).toEqual({ applicationId, evidenceId: second, criterion: ITEM, removed: true });
    expect(await fileIds()).not.toContain(second);
    expect((await itemOf(ITEM))?.valid).toBe(1);

    const again = await dunhua.removeEvidence(applicationId, second);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(removed.body);
    const history = await dunhua.history(applicationId);
    const removals = history.body.events.filter((e) => e.action === 'EVIDENCE_REMOVED');
    expect(removals).toHaveLength(1);
    expect(removals[0]).toMatchObject({ actor: 'applicant-222403', detail: { evidenceId: second, criterion: ITEM } });
  });

  it('refuses another county (403) and a file that never was (404)', async () => {
    const [first] = await fileIds();
    const yanji = await as(stack, 'applicant', '222401');
    expect((await yanji.removeEvidence(applicationId, first ?? '')).status).toBe(403);
    expect((await dunhua.removeEvidence(applicationId, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect(await fileIds()).toContain(first);
  });

  it('does not bring a removed file back when its bytes arrive late through the old link', async () => {
    const bytes = await samplePdf('late', [applicationId]);
    const request = { criterion: ITEM, fileName: 'late.pdf', contentType: 'application/pdf', size: bytes.byteLength };
    const asked = await dunhua.requestUpload(applicationId, request);
    expect(asked.status, asked.text).toBe(201);
    expect((await dunhua.removeEvidence(applicationId, asked.body.evidenceId)).status).toBe(200);

    const validated = stack.whenValidated(asked.body.objectKey);
    const posted = await dunhua.upload(asked.body.upload, { bytes });
    expect(posted.ok, posted.text).toBe(true);
    expect((await validated).ok).toBe(true);

    expect(await fileIds()).not.toContain(asked.body.evidenceId);
    const history = await dunhua.history(applicationId);
    const about = history.body.events.filter((e) => e.detail?.evidenceId === asked.body.evidenceId);
    expect(about.map((e) => e.action)).toEqual(['EVIDENCE_REQUESTED', 'EVIDENCE_REMOVED']);
  });

  it('removes nothing once the application is submitted: 409 NOT_EDITABLE', async () => {
    await submit(stack, applicationId);
    const [first] = await fileIds();
    const refused = await dunhua.removeEvidence(applicationId, first ?? '');
    expect(refused.status, refused.text).toBe(409);
    expect((refused.json as { error: { code: string } }).error.code).toBe('NOT_EDITABLE');
    expect(await fileIds()).toContain(first);
  });
});
