/**
 * The ops summary over many seeded applications on DynamoDB Local: how many DynamoDB requests a
 * page load costs (goal: no Scan, at most 5) and how long it takes, as a ratio to one Query.
 * For comparison, the same counts read the naive way (every application through byJurisdiction).
 *
 *   npx tsx bench/ops.ts [applications]     (default 10,000)
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCampaigns } from '../shared/adapters/dynamo-campaigns.ts';
import { DynamoListings } from '../shared/adapters/dynamo-listings.ts';
import { DynamoOpsReads } from '../shared/adapters/dynamo-ops.ts';
import { DynamoQuotas } from '../shared/adapters/dynamo-quota.ts';
import { DynamoRecords } from '../shared/adapters/dynamo-records/store.ts';
import { DynamoTallies } from '../shared/adapters/dynamo-tallies.ts';
import { queryAll } from '../shared/adapters/dynamo-util.ts';
import { CampaignCatalog } from '../shared/intake/campaigns.ts';
import { OpsDesk } from '../shared/operations/desk.ts';
import { demoCampaign } from '../shared/rules/campaigns/index.ts';
import {
  childrenOf,
  type Jurisdiction,
  provincialJurisdictions,
  provincialLevelOf,
  reviewChain,
} from '../shared/rules/jurisdictions.ts';
import type { ApplicationStatus } from '../shared/schemas/common.ts';
import type { ApplicationRecord } from '../shared/schemas/records.ts';
import { INDEXES } from '../shared/adapters/table.ts';
import { startScratchStack } from '../local/scratch-stack.ts';

export interface OpsBench {
  applications: number;
  seedSeconds: number;
  summary: { requests: Record<string, number>; medianMs: number };
  drillDown: { requests: Record<string, number>; medianMs: number };
  singleQueryMs: number;
  naive: { requests: number; medianMs: number };
}

/** Where seeded applications stand: mostly under review, some ended, a few late. */
const STATUS_MIX: readonly [ApplicationStatus, number][] = [
  ['DRAFT', 0.15],
  ['CITY_REVIEW', 0.3],
  ['PROVINCE_REVIEW', 0.2],
  ['MIIT_REVIEW', 0.05],
  ['RETURNED', 0.05],
  ['REJECTED', 0.1],
  ['OVERDUE', 0.05],
  ['RECOGNIZED', 0.05],
  ['WITHDRAWN', 0.05],
];

function counties(): Jurisdiction[] {
  const below = (code: string): Jurisdiction[] =>
    childrenOf(code).flatMap((child) => (child.applicant ? [child] : below(child.code)));
  return provincialJurisdictions().flatMap((province) => below(province.code));
}

/** Counts every request a client sends, by command. */
function countingClient(endpoint: string) {
  const counts: Record<string, number> = {};
  const raw = new DynamoDBClient({ endpoint });
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      counts[name] = (counts[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return {
    doc,
    counts,
    reset: () => Object.keys(counts).forEach((key) => delete counts[key]),
    destroy: () => raw.destroy(),
  };
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

async function inParallel<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

export async function benchOps(
  options: { applications?: number; progress?: (line: string) => void } = {},
): Promise<OpsBench> {
  const total = options.applications ?? 10_000;
  const progress = options.progress ?? (() => {});
  const now = new Date();
  const campaign = demoCampaign(now);
  const stack = await startScratchStack();
  const client = countingClient(stack.endpoints.dynamodb);
  try {
    const records = new DynamoRecords(client.doc, stack.tableName);
    const places = counties();
    const plan = Array.from({ length: total }, (_, i) => i);
    const seedStart = performance.now();
    await inParallel(plan, 32, async (i) => {
      const county = places[(i * 7919) % places.length] as Jurisdiction;
      const status = pick(i / total);
      // Created where it stands (one transaction each): the tallies move exactly as on a transition.
      const application: ApplicationRecord = {
        applicationId: randomUUID(),
        campaignId: campaign.campaignId,
        track: 'recommendation',
        countyCode: county.code,
        provincialCode: provincialLevelOf(county.code).code,
        ...(cityOf(county) !== undefined && { cityCode: cityOf(county) }),
        clusterName: `集群${i}`,
        leadingIndustry: '装备制造',
        subSector: `细分${i % 40}`,
        coCountyCodes: [],
        alsoProvincial: false,
        form: {},
        status,
        revision: 0,
        dueAt: new Date(now.getTime() + ((i % 40) - 10) * 86_400_000).toISOString(),
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        ...(status === 'RECOGNIZED' && { validUntil: new Date(now.getTime() + 3 * 365 * 86_400_000).toISOString() }),
      };
      await records.createApplication(application, {
        applicationId: application.applicationId,
        eventId: randomUUID(),
        at: now.toISOString(),
        action: 'APPLICATION_CREATED',
        actor: 'bench',
        role: 'workflow',
      });
      if ((i + 1) % 1000 === 0) progress(`  seeded ${i + 1}/${total}`);
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const tallies = new DynamoTallies(client.doc, stack.tableName);
    const reads = new DynamoOpsReads(client.doc, stack.tableName);
    const listings = new DynamoListings(client.doc, stack.tableName);
    const quotas = new DynamoQuotas(client.doc, stack.tableName);
    const desk = new OpsDesk({
      campaigns: new CampaignCatalog(new DynamoCampaigns(client.doc, stack.tableName), () => now, [campaign]),
      reads: {
        tallies: (c, kind, within) => tallies.list(c, kind, within),
        late: (c, at, limit) => reads.late(c, at, limit),
        quotaCounters: (c, counters) => reads.quotaCounters(c, counters),
        applications: (ids) => reads.applications(ids),
        applicationsOf: (code, c) => listings.applicationsOf(code, c),
        quotaUsage: (c, track, code) => quotas.usage(c, track, code),
      },
      // Failed executions come from Step Functions, not DynamoDB: none here.
      executions: { failures: async () => [], redrive: async () => Promise.reject(new Error('not in the bench')) },
      records,
      clock: () => now,
    });

    const measure = async (fn: () => Promise<unknown>) => {
      client.reset();
      await fn();
      const requests = { ...client.counts };
      return { requests, medianMs: await timed(7, fn) };
    };
    const operator = { sub: 'bench-operator', role: 'operator', jurisdiction: '000000' } as const;
    const summary = await measure(() => desk.summary({ campaignId: campaign.campaignId }, operator));
    const drillDown = await measure(() => desk.jurisdiction('220000', { campaignId: campaign.campaignId }, operator));
    const singleQueryMs = await timed(7, () =>
      client.doc.send(
        new QueryCommand({
          TableName: stack.tableName,
          IndexName: INDEXES.byJurisdiction.indexName,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': 'JUR#220000' },
          Limit: 100,
        }),
      ),
    );
    // The naive summary: every application of the campaign, province by province.
    const naiveRead = () =>
      Promise.all(
        provincialJurisdictions().map((p) =>
          queryAll(client.doc, stack.tableName, {
            IndexName: INDEXES.byJurisdiction.indexName,
            KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :campaign)',
            ExpressionAttributeValues: { ':pk': `JUR#${p.code}`, ':campaign': `${campaign.campaignId}#` },
          }),
        ),
      );
    client.reset();
    await naiveRead();
    const naiveRequests = Object.values(client.counts).reduce((a, b) => a + b, 0);
    const naiveMs = await timed(3, naiveRead);
    return {
      applications: total,
      seedSeconds,
      summary,
      drillDown,
      singleQueryMs,
      naive: { requests: naiveRequests, medianMs: naiveMs },
    };
  } finally {
    client.destroy();
    await stack.cleanup();
  }
}

function pick(fraction: number): ApplicationStatus {
  let sum = 0;
  for (const [status, share] of STATUS_MIX) {
    sum += share;
    if (fraction < sum) return status;
  }
  return 'DRAFT';
}

function cityOf(county: Jurisdiction): string | undefined {
  return reviewChain(county.code).find((stage) => stage.stage === 'city')?.jurisdictionCode;
}

export function opsReport(bench: OpsBench): string[] {
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const list = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([name, n]) => `${n} ${name.replace('Command', '')}`)
      .join(', ');
  return [
    `Ops summary over ${bench.applications.toLocaleString('en')} seeded applications (DynamoDB Local; seeded in ${bench.seedSeconds.toFixed(0)} s)`,
    `  summary page      ${sum(bench.summary.requests)} DynamoDB requests (${list(bench.summary.requests)}); Scan: ${bench.summary.requests.ScanCommand ?? 0}  (goal ≤ 5, no Scan)`,
    `                    ${bench.summary.medianMs.toFixed(1)} ms median = ${(bench.summary.medianMs / bench.singleQueryMs).toFixed(1)} × one Query (${bench.singleQueryMs.toFixed(1)} ms, 100 items)`,
    `  province drill-down ${sum(bench.drillDown.requests)} requests (${list(bench.drillDown.requests)}), ${(bench.drillDown.medianMs / bench.singleQueryMs).toFixed(1)} × one Query`,
    `  naive (read every application) ${bench.naive.requests} requests, ${(bench.naive.medianMs / bench.singleQueryMs).toFixed(1)} × one Query`,
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const applications = Number(process.argv[2] ?? 10_000);
  const result = await benchOps({ applications, progress: (line) => console.error(line) });
  for (const line of opsReport(result)) console.log(line);
}
