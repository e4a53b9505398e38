import { ListObjectsCommand } from '@aws-sdk/client-s3';
import type { sdkClients } from '../local/scratch-stack.ts';
import { DynamoQuotas } from '../shared/adapters/dynamo-quota.ts';
import { DynamoRecords } from '../shared/adapters/dynamo-records/store.ts';
import { EVIDENCE_PREFIX } from '../shared/rules/storage.ts';
import { type Bench, type Filed, person, provincialQuotas } from './ladder-people.ts';
import { pool } from './pacing.ts';

/** The deadline rush's checks afterwards (bench/rush.ts): what the table, the bucket and the engine hold. */

/**
 * Every evidence object in the bucket has its verdict recorded; each county has one draft, each
 * checklist item one evidence record and one verdict, each submitted application one execution;
 * each province's quota counter equals its slot holders, within its limit, and all the province
 * recommendations hold one slot each.
 */
export async function checkRush(
  bench: Bench,
  clients: ReturnType<typeof sdkClients>,
  known: { drafts: Map<string, string>; filed: Map<string, Filed>; provinceApproved: number; stages: Set<string> },
) {
  const { stack, campaign } = bench;
  const records = new DynamoRecords(clients.doc, stack.tableName);
  const quotas = new DynamoQuotas(clients.doc, stack.tableName);
  const failures: string[] = [];
  const lost: string[] = [];
  const doubledDrafts: string[] = [];
  const doubledEvidence: string[] = [];
  const doubledVerdicts: string[] = [];
  const doubledExecutions: string[] = [];
  const missingExecutions: string[] = [];
  const quota: string[] = [];

  // Drafts: the campaign holds exactly the ones the officials were answered.
  const summary = await (await person(bench, 'operator', '000000')).opsSummary({ campaignId: campaign.campaignId });
  const total = summary.ok ? summary.body.totals.total : Number.NaN;
  if (total !== known.drafts.size) doubledDrafts.push(`${total} drafts in the campaign, ${known.drafts.size} created`);

  // The bucket: every stored evidence object (an upload S3 answered 2xx) and its record.
  const stored: string[] = [];
  // ListObjects (v1, by marker): s3rver's v2 continuation token is DES-encrypted, which Node 20's
  // OpenSSL 3 refuses, so every truncated v2 listing answers 500.
  let marker: string | undefined;
  for (;;) {
    const page = await clients.s3.send(
      new ListObjectsCommand({ Bucket: stack.bucketName, Prefix: EVIDENCE_PREFIX, Marker: marker }),
    );
    const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
    stored.push(...keys);
    marker = keys.at(-1);
    if (!page.IsTruncated || marker === undefined) break;
  }
  const evidenceByKey = new Map<string, { status: string }>();
  await pool([...known.drafts.keys()], 16, async (applicationId) => {
    const perItem = new Map<string, number>();
    for (const evidence of await records.listEvidence(applicationId)) {
      evidenceByKey.set(evidence.objectKey, evidence);
      perItem.set(evidence.criterion, (perItem.get(evidence.criterion) ?? 0) + 1);
    }
    for (const [item, n] of perItem) if (n > 1) doubledEvidence.push(`${applicationId}: ${item} ×${n}`);
    const verdicts = new Map<string, number>();
    for (const event of await records.listAudit(applicationId)) {
      if (event.action !== 'EVIDENCE_VALIDATED' && event.action !== 'EVIDENCE_REJECTED') continue;
      const evidenceId = (event.detail as { evidenceId?: string } | undefined)?.evidenceId ?? '?';
      verdicts.set(evidenceId, (verdicts.get(evidenceId) ?? 0) + 1);
    }
    for (const [evidenceId, n] of verdicts) if (n > 1) doubledVerdicts.push(`${applicationId}: ${evidenceId} ×${n}`);
  });
  let verdictsRecorded = 0;
  for (const key of stored) {
    const status = evidenceByKey.get(key)?.status;
    if (status === 'VALID' || status === 'INVALID') verdictsRecorded += 1;
    else lost.push(`${key}: stored, ${status ?? 'no evidence record'}`);
  }

  // Executions: one per submitted application (a resubmission would be `<id>-r<n>`; none here).
  const perApplication = new Map<string, number>();
  for (const stateMachineArn of Object.values(stack.stateMachineArns)) {
    let nextToken: string | undefined;
    do {
      const page = stack.stepFunctions.listExecutions({ stateMachineArn, maxResults: 1000, nextToken });
      for (const execution of page.executions) {
        const applicationId = execution.name.replace(/-r\d+$/, '');
        perApplication.set(applicationId, (perApplication.get(applicationId) ?? 0) + 1);
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  for (const [applicationId, n] of perApplication) if (n > 1) doubledExecutions.push(`${applicationId}: ×${n}`);
  for (const applicationId of known.filed.keys()) {
    if (!perApplication.has(applicationId)) missingExecutions.push(`${applicationId}: submitted, no execution`);
  }

  // Quota slots: counter = holders, no holder twice, within the limit; one per recommendation.
  let used = 0;
  for (const [code, { limit }] of provincialQuotas(bench, [...known.filed.values()])) {
    const use = (await quotas.usage(campaign.campaignId, 'recommendation', code)).find((u) => u.scope === 'provincial');
    if (!use) continue;
    used += use.used;
    if (use.used !== use.holders.length) quota.push(`${code}: counter ${use.used}, holders ${use.holders.length}`);
    if (new Set(use.holders).size !== use.holders.length) quota.push(`${code}: a slot holder twice`);
    if (use.used > limit) quota.push(`${code}: ${use.used} used of ${limit}`);
  }
  if (known.stages.has('province') && used !== known.provinceApproved) {
    quota.push(`${used} slots held, ${known.provinceApproved} province recommendations`);
  }

  const countyFiles =
    campaign.tracks.recommendation?.checklist.filter((c) => c.required && c.uploadedBy === 'county').length ?? 0;
  return {
    countyFiles,
    stored: stored.length,
    verdictsRecorded,
    failures,
    lost,
    doubledDrafts,
    doubledEvidence,
    doubledVerdicts,
    doubledExecutions,
    missingExecutions,
    quota,
  };
}
