import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoQuotas, quotaKeys } from '../../shared/adapters/dynamo-quota.ts';
import { queryAll } from '../../shared/adapters/dynamo-util.ts';
import { QuotaExceededError } from '../../shared/ladder/quota-errors.ts';
import { quotaHolderOf, quotaRequestFor } from '../../shared/ladder/quota-request.ts';
import type { QuotaRequest } from '../../shared/ports/quotas.ts';
import { type Campaign, CampaignSchema } from '../../shared/rules/campaign.ts';
import {
  miit2025RecommendationInput,
  shanxiSubSectors,
} from '../../shared/rules/campaigns/miit-2025-recommendation.ts';
import type { ApplicationRecord } from '../../shared/schemas/records.ts';
import { sampleApplication } from '../unit/support.ts';
import { startTestStack, type TestClients, type TestStack, testClients } from './harness.ts';

/**
 * Quotas against the real DynamoDB Local: however many reviewers press "recommend" at once, a cap
 * is never exceeded, a retried reservation takes nothing twice, and a release frees exactly once.
 */
let stack: TestStack;
let clients: TestClients;
let quotas: DynamoQuotas;
let conflictRetries = 0;

beforeAll(async () => {
  stack = await startTestStack();
  clients = testClients();
  quotas = new DynamoQuotas(clients.doc, stack.tableName, { onConflictRetry: () => conflictRetries++ });
});

afterAll(async () => {
  clients?.destroy();
  await stack?.cleanup();
});

const TRACK = 'recommendation';
const PROVINCE = '140000';
const TAIYUAN = '140100';
const DATONG = '140200';

/** Each test its own campaign, so counters start from nothing. */
const newCampaign = () => `quota-${randomUUID()}`;

function request(campaignId: string, applicationId: string, extra: Partial<QuotaRequest> = {}): QuotaRequest {
  return {
    campaignId,
    track: TRACK,
    applicationId,
    provincial: { jurisdictionCode: PROVINCE, limit: 8 },
    ...extra,
  };
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

type Outcome =
  | { applicationId: string; kind: 'reserved' | 'alreadyHeld' }
  | { applicationId: string; kind: 'exceeded'; error: QuotaExceededError }
  | { applicationId: string; kind: 'failed'; error: unknown };

async function attempt(req: QuotaRequest): Promise<Outcome> {
  try {
    const result = await quotas.reserve(req);
    if (result.reserved && !result.alreadyHeld) return { applicationId: req.applicationId, kind: 'reserved' };
    if (!result.reserved && result.alreadyHeld) return { applicationId: req.applicationId, kind: 'alreadyHeld' };
    return { applicationId: req.applicationId, kind: 'failed', error: result };
  } catch (error) {
    return error instanceof QuotaExceededError
      ? { applicationId: req.applicationId, kind: 'exceeded', error }
      : { applicationId: req.applicationId, kind: 'failed', error };
  }
}

/** Every request of a batch in flight at once (Promise.all), batch after batch. */
async function race<T, R>(items: T[], batchSize: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += batchSize) {
    results.push(...(await Promise.all(items.slice(start, start + batchSize).map(run))));
  }
  return results;
}

/** The slot items actually stored in a scope's partition (not what the counter claims). */
async function storedHolders(campaignId: string, scope: 'provincial' | 'city' | 'sub-sector', code: string) {
  const items = await queryAll(clients.doc, stack.tableName, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :slot)',
    ExpressionAttributeValues: { ':pk': quotaKeys.partition(campaignId, TRACK, scope, code), ':slot': 'SLOT#' },
    ConsistentRead: true,
  });
  return items.map((item) => String(item.applicationId)).sort();
}

async function provincialUse(campaignId: string) {
  const [use] = await quotas.usage(campaignId, TRACK, PROVINCE);
  return use;
}

describe('DynamoQuotas against DynamoDB Local', () => {
  it('1,000 recommendations against a cap of 8, each sent twice: exactly 8 hold a slot', async () => {
    const campaignId = newCampaign();
    const applications = Array.from({ length: 1_000 }, (_, i) => `app-${String(i).padStart(4, '0')}`);
    const calls = shuffle(applications.flatMap((id) => [id, id]));
    const conflictsBefore = conflictRetries;
    const started = performance.now();
    const outcomes = await race(calls, 500, (id) => attempt(request(campaignId, id)));
    const elapsedMs = performance.now() - started;
    console.info(
      `quota race: ${calls.length} reserve calls in ${Math.round(elapsedMs)} ms, ` +
        `${conflictRetries - conflictsBefore} TransactionConflict retries`,
    );

    expect(outcomes.filter((o) => o.kind === 'failed')).toEqual([]);
    const winners = outcomes.filter((o) => o.kind === 'reserved').map((o) => o.applicationId);
    expect(winners).toHaveLength(8);
    expect(new Set(winners).size).toBe(8);
    // A winner's second call found its slot; nobody else got anything.
    const held = outcomes.filter((o) => o.kind === 'alreadyHeld').map((o) => o.applicationId);
    expect(held.sort()).toEqual([...winners].sort());
    const exceeded = outcomes.filter((o) => o.kind === 'exceeded');
    expect(exceeded).toHaveLength(2_000 - 16);
    for (const o of exceeded) {
      expect(winners).not.toContain(o.applicationId);
      expect(o.error).toMatchObject({
        status: 409,
        scope: 'provincial',
        jurisdictionCode: PROVINCE,
        used: 8,
        limit: 8,
      });
    }

    expect(await storedHolders(campaignId, 'provincial', PROVINCE)).toEqual([...winners].sort());
    expect(await provincialUse(campaignId)).toEqual({
      scope: 'provincial',
      jurisdictionCode: PROVINCE,
      used: 8,
      limit: 8,
      holders: [...winners].sort(),
    });
  });

  it('a city cap of 3 under a provincial cap of 8 refuses the 4th of a city with scope "city"', async () => {
    const campaignId = newCampaign();
    const inTaiyuan = (id: string) => request(campaignId, id, { city: { jurisdictionCode: TAIYUAN, limit: 3 } });
    const inDatong = (id: string) => request(campaignId, id, { city: { jurisdictionCode: DATONG, limit: 3 } });

    const outcomes = await race(
      Array.from({ length: 100 }, (_, i) => `ty-${i}`),
      100,
      (id) => attempt(inTaiyuan(id)),
    );
    const winners = outcomes.filter((o) => o.kind === 'reserved').map((o) => o.applicationId);
    expect(winners).toHaveLength(3);
    for (const o of outcomes.filter((o) => o.kind !== 'reserved')) {
      expect(o).toMatchObject({
        kind: 'exceeded',
        error: { scope: 'city', jurisdictionCode: TAIYUAN, used: 3, limit: 3 },
      });
    }
    // The refused ones took nothing from the province: the transaction is all or nothing.
    expect(await provincialUse(campaignId)).toMatchObject({ used: 3, holders: [...winners].sort() });
    expect((await quotas.usage(campaignId, TRACK, TAIYUAN))[0]).toMatchObject({ scope: 'city', used: 3, limit: 3 });

    const fourth = await attempt(inTaiyuan('ty-late'));
    expect(fourth).toMatchObject({ kind: 'exceeded', error: { scope: 'city', used: 3, limit: 3 } });
    expect((await provincialUse(campaignId))?.used).toBe(3);

    // The province still has room for another city.
    await expect(quotas.reserve(inDatong('dt-1'))).resolves.toEqual({ reserved: true, alreadyHeld: false });
    expect((await provincialUse(campaignId))?.used).toBe(4);
  });

  it('one per sub-sector: of many in a sub-sector exactly one is recommended', async () => {
    const campaignId = newCampaign();
    const req = (id: string, subSector: string) =>
      request(campaignId, id, {
        city: { jurisdictionCode: TAIYUAN, limit: 3 },
        subSector: { key: `${TAIYUAN}#${subSector}`, limit: 1 },
      });
    const contenders = shuffle([
      ...Array.from({ length: 60 }, (_, i) => req(`materials-${i}`, '新材料')),
      ...Array.from({ length: 60 }, (_, i) => req(`medicine-${i}`, '中成药')),
    ]);
    const outcomes = await race(contenders, 120, attempt);
    const winners = outcomes.filter((o) => o.kind === 'reserved').map((o) => o.applicationId);
    expect(winners).toHaveLength(2);
    expect(winners.filter((id) => id.startsWith('materials-'))).toHaveLength(1);
    expect(winners.filter((id) => id.startsWith('medicine-'))).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.kind !== 'reserved')) {
      expect(o).toMatchObject({ kind: 'exceeded', error: { scope: 'sub-sector', used: 1, limit: 1 } });
    }
    expect(await storedHolders(campaignId, 'sub-sector', `${TAIYUAN}#新材料`)).toHaveLength(1);
    expect((await quotas.scopeUsage(campaignId, TRACK, 'sub-sector', `${TAIYUAN}#中成药`))?.used).toBe(1);

    // A third sub-sector fits the city's 3; a fourth does not, whatever its sub-sector.
    await expect(quotas.reserve(req('textiles-1', '纺织'))).resolves.toMatchObject({ reserved: true });
    expect(await attempt(req('ceramics-1', '陶瓷'))).toMatchObject({ kind: 'exceeded', error: { scope: 'city' } });
    expect(await provincialUse(campaignId)).toMatchObject({ used: 3 });
    // The refused transaction wrote nothing, not even the new sub-sector's counter.
    await expect(quotas.scopeUsage(campaignId, TRACK, 'sub-sector', `${TAIYUAN}#陶瓷`)).resolves.toBeUndefined();
  });

  it('a release frees exactly one slot even when sent 5 times at once, and a later reservation takes it', async () => {
    const campaignId = newCampaign();
    const apps = Array.from({ length: 8 }, (_, i) => `held-${i}`);
    await Promise.all(apps.map((id) => quotas.reserve(request(campaignId, id))));
    expect(await provincialUse(campaignId)).toMatchObject({ used: 8 });

    const releases = await Promise.all(Array.from({ length: 5 }, () => quotas.release(request(campaignId, 'held-3'))));
    expect(releases.filter((r) => r.released)).toHaveLength(1);
    expect(await provincialUse(campaignId)).toMatchObject({ used: 7, holders: apps.filter((id) => id !== 'held-3') });
    // Releasing what was never held changes nothing.
    await expect(quotas.release(request(campaignId, 'never-held'))).resolves.toEqual({ released: false });
    expect((await provincialUse(campaignId))?.used).toBe(7);

    // 100 race for the one free slot.
    const outcomes = await race(
      Array.from({ length: 100 }, (_, i) => `late-${i}`),
      100,
      (id) => attempt(request(campaignId, id)),
    );
    expect(outcomes.filter((o) => o.kind === 'failed')).toEqual([]);
    const taken = outcomes.filter((o) => o.kind === 'reserved').map((o) => o.applicationId);
    expect(taken).toHaveLength(1);
    expect(await provincialUse(campaignId)).toMatchObject({ used: 8 });
    expect(await storedHolders(campaignId, 'provincial', PROVINCE)).toEqual(
      [...apps.filter((id) => id !== 'held-3'), ...taken].sort(),
    );
  });

  it('swaps a recommendation when full: release A, then B gets the slot', async () => {
    const campaignId = newCampaign();
    const apps = Array.from({ length: 8 }, (_, i) => `a-${i}`);
    for (const id of apps) await quotas.reserve(request(campaignId, id));

    expect(await attempt(request(campaignId, 'b'))).toMatchObject({ kind: 'exceeded', error: { used: 8, limit: 8 } });
    await expect(quotas.release(request(campaignId, 'a-0'))).resolves.toEqual({ released: true });
    await expect(quotas.reserve(request(campaignId, 'b'))).resolves.toEqual({ reserved: true, alreadyHeld: false });
    await expect(quotas.reserve(request(campaignId, 'a-0'))).rejects.toBeInstanceOf(QuotaExceededError);

    const use = await provincialUse(campaignId);
    expect(use).toMatchObject({ used: 8, limit: 8 });
    expect(use?.holders).toEqual([...apps.slice(1), 'b'].sort());
  });

  it('a swap raced many times over keeps the counter equal to the holders', async () => {
    const campaignId = newCampaign();
    const apps = Array.from({ length: 8 }, (_, i) => `s-${i}`);
    await Promise.all(apps.map((id) => quotas.reserve(request(campaignId, id))));
    // Every holder is released while 100 newcomers (and each release's duplicate) race for the slots.
    const work = shuffle<() => Promise<unknown>>([
      ...apps.flatMap((id) => {
        const release = () => quotas.release(request(campaignId, id));
        return [release, release];
      }),
      ...Array.from({ length: 100 }, (_, i) => () => attempt(request(campaignId, `n-${i}`))),
    ]);
    const results = await race(work, work.length, (run) => run());
    expect(results.filter((r) => (r as { released?: boolean }).released === true)).toHaveLength(8);
    expect(results.filter((r) => (r as Outcome).kind === 'failed')).toEqual([]);

    const use = await provincialUse(campaignId);
    const stored = await storedHolders(campaignId, 'provincial', PROVINCE);
    expect(use?.used).toBe(stored.length);
    expect(stored.length).toBeLessThanOrEqual(8);
    expect(stored.every((id) => id.startsWith('n-'))).toBe(true);
  });

  it('a limit lowered below current use refuses newcomers and still lets holders leave', async () => {
    const campaignId = newCampaign();
    const apps = Array.from({ length: 8 }, (_, i) => `l-${i}`);
    for (const id of apps) await quotas.reserve(request(campaignId, id));
    const lowered = (id: string) => request(campaignId, id, { provincial: { jurisdictionCode: PROVINCE, limit: 5 } });

    expect(await attempt(lowered('newcomer'))).toMatchObject({ kind: 'exceeded', error: { used: 8, limit: 5 } });
    await expect(quotas.reserve(lowered('l-0'))).resolves.toEqual({ reserved: false, alreadyHeld: true });
    await expect(quotas.release(lowered('l-0'))).resolves.toEqual({ released: true });
    expect(await attempt(lowered('newcomer'))).toMatchObject({ kind: 'exceeded', error: { used: 7, limit: 5 } });
    expect(await provincialUse(campaignId)).toMatchObject({ used: 7 });
  });

  it('uncapped tracks (typical cases) take no slot at all', async () => {
    const campaignId = newCampaign();
    const typical = request(campaignId, 'case-1', { provincial: { jurisdictionCode: PROVINCE, limit: null } });
    await expect(quotas.reserve(typical)).resolves.toEqual({ reserved: true, alreadyHeld: false });
    await expect(quotas.usage(campaignId, TRACK, PROVINCE)).resolves.toEqual([]);
  });

  it('holds and held answer what the application holds, with the keys it was reserved under', async () => {
    const campaignId = newCampaign();
    const held = request(campaignId, 'app-held', {
      city: { jurisdictionCode: TAIYUAN, limit: 3 },
      subSector: { key: `${TAIYUAN}:新材料`, limit: 1 },
    });
    expect(await quotas.holds(held)).toBe(false);
    await quotas.reserve(held);
    expect(await quotas.holds(held)).toBe(true);
    // Another application holds nothing there.
    expect(await quotas.holds({ ...held, applicationId: 'app-other' })).toBe(false);
    // The holds keep the keys the slots were reserved under.
    expect((await quotas.held(held)).map(({ scope, code }) => ({ scope, code }))).toEqual([
      { scope: 'city', code: TAIYUAN },
      { scope: 'provincial', code: PROVINCE },
      { scope: 'sub-sector', code: `${TAIYUAN}:新材料` },
    ]);
    await quotas.release(held);
    expect(await quotas.holds(held)).toBe(false);
  });
});

describe('the city’s forwarding against DynamoDB Local (issue 12: caps where the notice binds them)', () => {
  /** Shanxi's 2025 rules (3 per city, 1 per sub-sector, 综改区 a city-level sender) on a fresh campaign id. */
  const shanxiCampaign = () =>
    CampaignSchema.parse({ ...structuredClone(miit2025RecommendationInput), campaignId: newCampaign() });
  const SUB_SECTORS = shanxiSubSectors.map((entry) => entry.name.zh);
  const filed = (campaign: Campaign, countyCode: string, i: number): ApplicationRecord =>
    sampleApplication({
      applicationId: randomUUID(),
      campaignId: campaign.campaignId,
      countyCode,
      provincialCode: PROVINCE,
      cityCode: countyCode === ZONE ? ZONE : TAIYUAN,
      subSector: SUB_SECTORS[i % SUB_SECTORS.length] ?? '新材料',
    });
  const ZONE = '140171';

  it('200 concurrent city approvals of 太原 and 200 of 综改区, caps of 3: exactly 3 held each, nothing provincial', async () => {
    const campaign = shanxiCampaign();
    const taiyuan = Array.from({ length: 200 }, (_, i) => filed(campaign, '140105', i));
    const zone = Array.from({ length: 200 }, (_, i) => filed(campaign, ZONE, i));
    const requests = shuffle([...taiyuan, ...zone]).map((a) => quotaRequestFor(a, campaign, 'city'));
    const outcomes = await race(requests, 400, attempt);

    expect(outcomes.filter((o) => o.kind === 'failed')).toEqual([]);
    const winners = outcomes.filter((o) => o.kind === 'reserved').map((o) => o.applicationId);
    const ofTaiyuan = winners.filter((id) => taiyuan.some((a) => a.applicationId === id)).sort();
    const ofZone = winners.filter((id) => zone.some((a) => a.applicationId === id)).sort();
    expect(ofTaiyuan).toHaveLength(3);
    expect(ofZone).toHaveLength(3);
    expect(await storedHolders(campaign.campaignId, 'city', TAIYUAN)).toEqual(ofTaiyuan);
    expect(await storedHolders(campaign.campaignId, 'city', ZONE)).toEqual(ofZone);
    // One per sub-sector within each city-level sender, counted apart.
    for (const winnersOf of [ofTaiyuan, ofZone]) {
      const subSectors = [...taiyuan, ...zone]
        .filter((a) => winnersOf.includes(a.applicationId))
        .map((a) => a.subSector);
      expect(new Set(subSectors).size).toBe(3);
    }
    // The city stage reserves no provincial slot: the province's approval does.
    await expect(provincialUse(campaign.campaignId)).resolves.toBeUndefined();
    for (const o of outcomes.filter((o) => o.kind === 'exceeded')) {
      expect(o).toMatchObject({ error: { scope: expect.stringMatching(/^(city|sub-sector)$/) } });
    }
  });

  it('a release names the holder only and frees the keys the slots were reserved under', async () => {
    const campaign = shanxiCampaign();
    const application = filed(campaign, '140105', 2);
    await quotas.reserve(quotaRequestFor(application, campaign, 'city'));
    await quotas.reserve(quotaRequestFor(application, campaign, 'province'));
    const holder = quotaHolderOf(application);
    expect((await quotas.held(holder)).map((h) => `${h.scope}:${h.code}`)).toEqual([
      'city:140100',
      'provincial:140000',
      'sub-sector:140100:new-materials',
    ]);

    // Whatever the record says now (another sub-sector), the release frees what was reserved.
    const edited: ApplicationRecord = { ...application, subSector: '特种钢' };
    await expect(quotas.release(quotaHolderOf(edited))).resolves.toEqual({ released: true });
    await expect(quotas.held(holder)).resolves.toEqual([]);
    for (const [scope, code] of [
      ['city', TAIYUAN],
      ['provincial', PROVINCE],
      ['sub-sector', `${TAIYUAN}:new-materials`],
    ] as const) {
      expect(await storedHolders(campaign.campaignId, scope, code)).toEqual([]);
      expect((await quotas.scopeUsage(campaign.campaignId, TRACK, scope, code))?.used).toBe(0);
    }
    await expect(quotas.release(holder)).resolves.toEqual({ released: false });
  });
});
