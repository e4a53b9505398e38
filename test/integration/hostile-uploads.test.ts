import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf, sampleRecommendationForm } from '../../local/sample-evidence.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { asBeforeSteps } from './steps.ts';
import { MIME_BY_FILE_TYPE } from '../../shared/schemas/common.ts';
import { CORPUS, type CorpusItem } from '../unit/hostile/corpus.ts';
import { type ApiClient, type EvidenceItem, uploadEvidence } from '../../local/client/index.ts';
import {
  as,
  asOperator,
  sentEmails,
  startTestStack,
  type TestClients,
  type TestStack,
  testClients,
} from './harness.ts';

/**
 * A handful of the hostile upload corpus (test/unit/hostile/corpus.ts) through the whole local
 * runtime, as a county's browser would send them: evidence request → presigned POST to s3rver →
 * ObjectCreated → validator → evidence record. Each must end INVALID with its finding, and
 * nothing else may change: no content hash claimed, nothing quarantined, no email, the checklist
 * still incomplete and the submission refused with 409 naming the item and the reasons. Dunhua's
 * applicant files and uploads; another county's applicant may not ask for an upload link.
 */
let stack: TestStack;
let clients: TestClients;
/** Dunhua's county official: files, uploads, submits. */
let dunhua: ApiClient;
/** A national operator: reads what happened, for the assertions. */
let operator: ApiClient;
const campaign = asBeforeSteps(demoCampaign(new Date()));
/** Takes PDF, OFD, JPEG, PNG and DOCX, up to 5 files: every corpus item lands on the same item. */
const TARGET = 'digital-transformation';

const HANDFUL = [
  'exe-as-pdf',
  'pdf+zip',
  'pdf-javascript-object-streams',
  'pdf-attachment',
  'pdf-encrypted',
  'png-flood-100k',
  'jpeg+zip',
  'bomb-docx-ratio',
  'slip-dotdot',
  'docm-vba-part',
  'size-smaller-than-declared',
  'empty',
  // Active content ("Trust II"): a remote template, a script in the middle of a 2 MiB scan, an OFD attachment.
  'docx-remote-template-unc',
  'pdf-active-javascript-middle',
  'ofd-attachment-exe',
];
const items = HANDFUL.map((id) => {
  const item = CORPUS.find((candidate) => candidate.id === id);
  if (!item) throw new Error(`no corpus item ${id}`);
  return item;
});

let applicationId: string;
/** Corpus items that ended INVALID with their finding, counted as each one's checks pass. */
const endedInvalid: string[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  clients = testClients();
  dunhua = await as(stack, 'applicant', '222403');
  operator = await asOperator(stack);
  expect((await operator.createCampaign(campaign)).status).toBe(201);
  const created = await dunhua.createApplication({
    campaignId: campaign.campaignId,
    track: 'recommendation',
    countyCode: '222403',
    clusterName: '敦化市医药产业集群',
    leadingIndustry: '医药健康',
    subSector: '现代中药',
    form: sampleRecommendationForm(campaign.year),
  });
  expect(created.status, created.text).toBe(201);
  applicationId = created.body.applicationId;
  // Everything else the county owes, genuine: only the target item is left to the corpus.
  for (const item of created.body.checklist.filter((c) => c.required && c.uploadedBy === 'county' && c.id !== TARGET)) {
    const bytes = Buffer.from(await samplePdf(item.id, [applicationId]));
    const outcome = await upload(item.id, 'pdf', bytes, bytes.length);
    expect(outcome.status, item.id).toBe('VALID');
  }
});

afterAll(async () => {
  clients?.destroy();
  await stack?.cleanup();
});

/** Requests an upload link, posts the bytes as a browser would, and waits for the validator. */
async function upload(
  criterion: string,
  type: CorpusItem['declared'],
  bytes: Buffer,
  declaredSize: number,
): Promise<EvidenceItem> {
  const contentType = MIME_BY_FILE_TYPE[type];
  const { requested, settled } = await uploadEvidence(
    dunhua,
    applicationId,
    { criterion, fileName: `佐证材料.${type === 'jpeg' ? 'jpg' : type}`, contentType, size: declaredSize },
    { bytes },
    (objectKey) => stack.whenValidated(objectKey),
  );
  expect(settled.ok).toBe(true);
  const list = await operator.listEvidence(applicationId);
  const item = list.body.evidence.find((e) => e.evidenceId === requested.evidenceId);
  if (!item) throw new Error('evidence item missing after upload');
  return item;
}

describe('hostile uploads through the local runtime', () => {
  it.each(items.map((item) => [`${item.id} → ${item.expect}`, item] as const))(
    '%s ends INVALID',
    async (_title, item) => {
      const bytes = await item.bytes();
      const evidence = await upload(TARGET, item.declared, bytes, item.declaredSize?.(bytes.length) ?? bytes.length);
      expect(evidence.status).toBe('INVALID');
      expect(evidence.findings.map((finding) => finding.code)).toContain(item.expect);
      endedInvalid.push(item.id);
    },
  );

  it('changed nothing else: no hash claimed, nothing quarantined, no email, submit refused', async () => {
    expect(endedInvalid).toEqual(HANDFUL);
    const hashes = await clients.doc.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':prefix': 'SHA256#' },
      }),
    );
    const evidence = (await operator.listEvidence(applicationId)).body.evidence;
    const valid = evidence.filter((e) => e.status === 'VALID');
    // Only the genuine uploads claimed their content hash.
    expect(hashes.Items?.length).toBe(valid.length);
    expect(evidence.filter((e) => e.criterion === TARGET).map((e) => e.status)).toEqual(items.map(() => 'INVALID'));

    const quarantined = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: 'quarantine/' }),
    );
    expect(quarantined.KeyCount ?? 0).toBe(0);
    expect(await sentEmails(stack)).toEqual([]);

    const application = await operator.getApplication(applicationId);
    expect(application.body.status).toBe('DRAFT');
    expect(application.body.checklist.find((c) => c.id === TARGET)?.problem).toBeDefined();

    const submitted = await dunhua.submit(applicationId);
    expect(submitted.status).toBe(409);
    expect(submitted.error.code).toBe('SUBMISSION_INCOMPLETE');
    const detail = submitted.error.details?.find((d) => d.field === `checklist.${TARGET}`);
    expect(detail?.code).toBe('INVALID');
    const reasons = new Set((detail?.reasons as { code: string }[] | undefined)?.map((reason) => reason.code));
    for (const item of items) expect(reasons).toContain(item.expect);
    expect((await operator.getApplication(applicationId)).body.status).toBe('DRAFT');
  });

  it("another county's applicant (长安区 130102) gets no upload link for Dunhua's application", async () => {
    // Last, so a missing check cannot leave a requested item behind for the checks above.
    const before = (await operator.listEvidence(applicationId)).body.evidence;
    const refused = await (
      await as(stack, 'applicant', '130102')
    ).requestUpload(applicationId, {
      criterion: TARGET,
      fileName: '佐证材料.pdf',
      contentType: 'application/pdf',
      size: 1024,
    });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.error.code).toBe('FORBIDDEN');
    const after = (await operator.listEvidence(applicationId)).body.evidence;
    expect(after).toHaveLength(before.length);
  });
});
