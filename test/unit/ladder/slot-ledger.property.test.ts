import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DynamoReviews } from '../../../shared/adapters/dynamo-reviews/store.ts';
import { DynamoQuotas, quotaKeys } from '../../../shared/adapters/dynamo-quota.ts';
import { DynamoRecords } from '../../../shared/adapters/dynamo-records/store.ts';
import { patchDraft } from '../../../shared/intake/drafts.ts';
import { closeApplication, recognize } from '../../../shared/ladder/closing.ts';
import { STAGE_STATUS, WORKFLOW_ERRORS } from '../../../shared/ladder/contract.ts';
import type { ClosingStatus, CurrentStage } from '../../../shared/ladder/payloads.ts';
import { QuotaExceededError } from '../../../shared/ladder/quota-errors.ts';
import { quotaRequestFor } from '../../../shared/ladder/quota-request.ts';
import { markReturned } from '../../../shared/ladder/returns.ts';
import { NOTICE_TAKEOVER_MS } from '../../../shared/ladder/notice-takeover.ts';
import { TransitionRefusedError, WORKFLOW_ACTOR } from '../../../shared/ladder/transition.ts';

import { ConflictError } from '../../../shared/platform/errors.ts';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import type { QuotaScope } from '../../../shared/ports/quotas.ts';
import type { ApplicationStatus } from '../../../shared/schemas/common.ts';
import type { ApplicationRecord } from '../../../shared/schemas/records.ts';
import { application, campaignAt, daysFrom, documentClient, seed, TABLE } from '../review/fixtures.ts';
import { mockedCloud } from '../review/worlds.ts';

/*
 * The slot ledger (DOMAIN.md "Quotas": a slot is taken once and released once; editing an
 * application never orphans a slot), as a property: random sequences of ladder steps, edits and
 * endings for four applications of one Shanxi city (3 per city, 1 per sub-sector, 8 for the
 * province), with colliding sub-sectors, over the real quota and records adapters on the fake
 * table (conditions and transactions evaluated). The steps run the real domain code where it is a
 * function of its own (patchDraft, markReturned, closeApplication, recognize, quotaRequestFor and
 * the reservations the review desk makes at the city's forwarding, for the city cap and the
 * sub-sector, and at the province's approval, for the provincial quota); the other moves between
 * review stages, which take and free nothing, are plain conditional saves.
 */

const cloud = mockedCloud();
const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = campaignAt(now);
const TRACK = 'recommendation';
const PROVINCE = '140000';
const CITY = '140100';
/** 小店区, 迎泽区, 清徐县, 阳曲县: four counties of 太原市, one more than the city may forward. */
const COUNTIES = ['140105', '140106', '140121', '140122'] as const;
const appId = (i: number) => `5a2d9c1e-7b3f-4e8a-9c6d-00000000000${i}`;
/** Few names, so they collide; the spaced one is the same sub-sector once normalised. */
const SUB_SECTORS = ['新材料', '新 材料', '特种钢', '煤机装备'] as const;
const CLOSINGS = ['REJECTED', 'WITHDRAWN', 'CANCELLED', 'OVERDUE'] as const satisfies readonly ClosingStatus[];
const CLOSED: readonly ApplicationStatus[] = CLOSINGS;
const STAGES = ['city', 'province', 'miit'] as const;
type Stage = (typeof STAGES)[number];

const applicant = (i: number): Principal => ({
  sub: `applicant-${COUNTIES[i]}`,
  role: 'applicant',
  jurisdiction: COUNTIES[i] ?? '',
});

type Step =
  | { kind: 'submit' | 'forward' | 'approve' | 'resubmit' | 'return' | 'recognize'; app: number }
  | { kind: 'patch'; app: number; subSector: number; clusterName: boolean }
  | { kind: 'close'; app: number; outcome: ClosingStatus };

const appArb = fc.integer({ min: 0, max: COUNTIES.length - 1 });
/** Weighted towards climbing the ladder, so that sequences reach the province's approval. */
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('submit', 'forward', 'approve'), app: appArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('return'), app: appArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('resubmit', 'recognize'), app: appArb }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('patch'),
      app: appArb,
      subSector: fc.integer({ min: 0, max: SUB_SECTORS.length - 1 }),
      clusterName: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('close'), app: appArb, outcome: fc.constantFrom(...CLOSINGS) }),
  },
);

let clockAt = now.getTime();
let ids = 0;
const clock = () => new Date((clockAt += 60_000));
const client = documentClient();
const records = new DynamoRecords(client, TABLE);
const quotas = new DynamoQuotas(client, TABLE, { baseDelayMs: 1 });
const campaigns = { get: async () => campaign };
const mailer = { send: async () => ({ messageId: `m-${++ids}` }) };
const deps = {
  records,
  quotas,
  campaigns,
  mailer,
  clock,
  newId: () => crypto.randomUUID(),
  noticeTakeoverMs: NOTICE_TAKEOVER_MS,
  reviews: new DynamoReviews(client, TABLE),
};

async function current(i: number): Promise<ApplicationRecord> {
  const found = await records.getApplication(appId(i));
  if (!found) throw new Error(`no application ${i}`);
  return found;
}

/** The stage the workflow's payloads name, as EnterStage would have built it. */
function currentStage(a: ApplicationRecord): CurrentStage {
  const stage: Stage = a.stage ?? 'city';
  const index = STAGES.indexOf(stage);
  return {
    index,
    isLast: stage === 'miit',
    jurisdictionName: stage,
    timeoutSeconds: 3600,
    step: {
      index: 0,
      kind: 'review',
      isLastOfStage: true,
      config: { kind: 'review' },
      forwards: true,
      quotaReservation: stage === 'province',
      onSiteStatement: false,
    },
    review: {
      applicationId: a.applicationId,
      revision: a.revision,
      stage,
      jurisdictionCode: stage === 'city' ? CITY : stage === 'province' ? PROVINCE : '000000',
      deadline: daysFrom(now, 30),
      round: a.round ?? 1,
    },
  };
}

/** A workflow move that takes and frees no slot: one conditional save, as transition() makes. */
async function move(a: ApplicationRecord, change: Partial<ApplicationRecord>): Promise<void> {
  const next = { ...a, ...change, revision: a.revision + 1, updatedAt: clock().toISOString() };
  await records.saveApplication(next, a, {
    applicationId: a.applicationId,
    eventId: crypto.randomUUID(),
    at: next.updatedAt,
    action: 'SUBMITTED',
    actor: WORKFLOW_ACTOR,
  });
}

type ClosePayload = Parameters<typeof closeApplication>[1];

/** The payload the workflow's Catch (or the city's rejection) hands MarkRejected, MarkWithdrawn, … */
function closing(a: ApplicationRecord, outcome: ClosingStatus): ClosePayload {
  const base = { applicationId: a.applicationId, current: currentStage(a) };
  const decidedAt = clock().toISOString();
  switch (outcome) {
    case 'REJECTED':
      return {
        ...base,
        outcome,
        decision: { reviewId: `r-${++ids}`, decision: 'reject', reason: '不符合条件', decidedBy: 'user:r', decidedAt },
      };
    case 'WITHDRAWN':
      return { ...base, outcome, failure: { Error: WORKFLOW_ERRORS.withdrawn, Cause: '{"reason":"撤回"}' } };
    case 'CANCELLED':
      return { ...base, outcome, failure: { Error: WORKFLOW_ERRORS.cancelled, Cause: '{"reason":"取消"}' } };
    case 'OVERDUE':
      return { ...base, outcome, failure: { Error: 'States.Timeout' } };
  }
}

async function run(step: Step): Promise<void> {
  const a = await current(step.app);
  const reviewing = (stage: Stage) => a.status === STAGE_STATUS[stage] && a.stage === stage;
  switch (step.kind) {
    case 'submit':
      if (a.status === 'DRAFT') await move(a, { status: 'CITY_REVIEW', stage: 'city', round: 1 });
      return;
    case 'forward':
      // The city's approval: the city cap and the sub-sector slot first (decide.ts), then onward.
      if (reviewing('city')) {
        try {
          await quotas.reserve(quotaRequestFor(a, campaign, 'city'));
        } catch (error) {
          if (error instanceof QuotaExceededError) return; // refused with its numbers
          throw error;
        }
        await move(a, { status: 'PROVINCE_REVIEW', stage: 'province', round: 1 });
      }
      return;
    case 'approve': {
      // The province's approval: the review desk reserves first (decide.ts), then the ladder moves on.
      if (reviewing('province')) {
        try {
          await quotas.reserve(quotaRequestFor(a, campaign, 'province'));
        } catch (error) {
          if (error instanceof QuotaExceededError) return; // refused with its numbers
          throw error;
        }
        await move(a, { status: 'MIIT_REVIEW', stage: 'miit', round: 1 });
      } else if (reviewing('miit')) {
        await move(a, { status: 'PUBLIC_NOTICE', noticeEndsAt: daysFrom(now, 40) });
      }
      return;
    }
    case 'recognize':
      if (a.status === 'PUBLIC_NOTICE')
        await recognize(deps, { applicationId: a.applicationId, current: currentStage(a), validityYears: 3 });
      return;
    case 'return':
      if (a.stage && reviewing(a.stage)) {
        await markReturned(deps, {
          applicationId: a.applicationId,
          current: currentStage(a),
          decision: {
            reviewId: `r-${++ids}`,
            decision: 'return',
            reason: '请补充材料',
            decidedBy: 'user:r',
            decidedAt: clock().toISOString(),
          },
        });
      }
      return;
    case 'resubmit':
      if (a.status === 'RETURNED' && a.stage) {
        await move(a, { status: STAGE_STATUS[a.stage], round: (a.round ?? 1) + 1, resubmissionToken: undefined });
      }
      return;
    case 'patch': {
      const body = {
        subSector: SUB_SECTORS[step.subSector],
        ...(step.clusterName && { clusterName: `太原市产业集群${++ids}` }),
      };
      try {
        await patchDraft(deps, a.applicationId, body, { principal: applicant(step.app), requestId: `q-${++ids}` });
      } catch (error) {
        // Not editable now, or (with the keys frozen) a change to a key a slot is held under.
        if (!(error instanceof ConflictError)) throw error;
      }
      return;
    }
    case 'close': {
      try {
        await closeApplication(deps, closing(a, step.outcome));
      } catch (error) {
        if (!(error instanceof TransitionRefusedError)) throw error; // not open: nothing to close
      }
      return;
    }
  }
}

/** Whether the city's forwarding took this application's city slots and nothing has freed them. */
const shouldHoldCity = (a: ApplicationRecord) =>
  (a.stage === 'province' || a.stage === 'miit') && !CLOSED.includes(a.status);
/** Whether the province's approval took its provincial slot and nothing has freed it. */
const shouldHoldProvincial = (a: ApplicationRecord) => a.stage === 'miit' && !CLOSED.includes(a.status);

async function assertLedger(): Promise<void> {
  const apps = await Promise.all(COUNTIES.map((_, i) => current(i)));
  const quotaItems = cloud.table.all().filter((item) => String(item.pk).startsWith('QUOTA#'));
  const slots = quotaItems.filter((item) => String(item.sk).startsWith('SLOT#'));
  const counters = quotaItems.filter((item) => item.sk === 'COUNTER');

  // Counters equal their holders: nothing counted twice, nothing counted for nobody.
  for (const counter of counters) {
    const holders = slots.filter((slot) => slot.pk === counter.pk).length;
    expect(counter.used, `${String(counter.pk)} used`).toBe(holders);
  }
  // Every slot is held by an application that holds it now, under its current keys.
  const keysOf = (a: ApplicationRecord) => {
    const city = quotaRequestFor(a, campaign, 'city');
    const province = quotaRequestFor(a, campaign, 'province');
    const scoped: [QuotaScope, string | undefined][] = [
      ['provincial', shouldHoldProvincial(a) ? province.provincial?.jurisdictionCode : undefined],
      ['city', shouldHoldCity(a) ? city.city?.jurisdictionCode : undefined],
      ['sub-sector', shouldHoldCity(a) ? city.subSector?.key : undefined],
    ];
    return scoped.flatMap(([scope, code]) =>
      code === undefined ? [] : [quotaKeys.slot(campaign.campaignId, TRACK, scope, code, a.applicationId)],
    );
  };
  for (const slot of slots) {
    const holder = apps.find((a) => a.applicationId === slot.applicationId);
    expect(holder, `holder of ${String(slot.pk)}`).toBeDefined();
    if (!holder) continue;
    const current = keysOf(holder).some((key) => key.pk === slot.pk && key.sk === slot.sk);
    expect(current, `${holder.applicationId} (${holder.status}) should not hold ${String(slot.pk)}`).toBe(true);
    // The slot's hold keeps the key it was reserved under, for its release.
    const hold = cloud.table.get(
      `QUOTAHOLD#${campaign.campaignId}#${TRACK}#${holder.applicationId}`,
      String(slot.scope),
    );
    expect(hold?.code, `hold of ${String(slot.pk)}`).toBe(slot.jurisdictionCode);
  }
  // And every hold has its slot: nothing released by half.
  const holds = cloud.table.all().filter((item) => String(item.pk).startsWith('QUOTAHOLD#'));
  expect(holds.length, 'holds equal slots').toBe(slots.length);
  for (const a of apps) {
    // At most one slot per quota scope, and every one it should hold.
    for (const scope of ['provincial', 'city', 'sub-sector']) {
      const held = slots.filter((slot) => slot.applicationId === a.applicationId && slot.scope === scope).length;
      expect(held, `${a.applicationId} slots in ${scope}`).toBeLessThanOrEqual(1);
    }
    for (const key of keysOf(a))
      expect(cloud.table.get(key.pk, key.sk), `${a.applicationId} holds ${key.pk}`).toBeDefined();
  }
}

async function replay(steps: readonly Step[]): Promise<void> {
  // A fresh table (and the client's calls forgotten) for each sequence fast-check tries.
  cloud.ddb.reset();
  cloud.emptyTable();
  COUNTIES.forEach((countyCode, i) => {
    const draft = application(now, {
      applicationId: appId(i),
      countyCode,
      provincialCode: PROVINCE,
      cityCode: CITY,
      clusterName: `太原市产业集群${i}`,
      subSector: SUB_SECTORS[i % 2] ?? '新材料',
      status: 'DRAFT',
      revision: 0,
      stage: undefined,
      round: undefined,
      submittedAt: undefined,
    });
    seed(cloud.table).application(draft);
  });
  for (const step of steps) {
    await run(step);
    await assertLedger();
  }
}

/** What fast-check found before the sub-sector was frozen: the edit orphaned the slot. */
const orphaningEdit: Step[] = [
  { kind: 'submit', app: 1 },
  { kind: 'forward', app: 1 },
  { kind: 'approve', app: 1 },
  { kind: 'return', app: 1 },
  { kind: 'patch', app: 1, subSector: 2, clusterName: false },
];

describe('the quota slot ledger (property)', () => {
  it('Shanxi applications take 3 per city and 1 per sub-sector at the city, 8 per province at the province', async () => {
    const filed = application(now, {
      countyCode: COUNTIES[0],
      cityCode: CITY,
      provincialCode: PROVINCE,
      subSector: '新 材料',
    });
    const city = quotaRequestFor(filed, campaign, 'city');
    expect(city.provincial).toBeUndefined();
    expect(city.city).toEqual({ jurisdictionCode: CITY, limit: 3 });
    // The key is the listed sub-sector's id, however the county spelled it.
    expect(city.subSector).toEqual({ key: `${CITY}:new-materials`, limit: 1 });
    const province = quotaRequestFor(filed, campaign, 'province');
    expect(province).toMatchObject({ provincial: { jurisdictionCode: PROVINCE, limit: 8 } });
    expect(province.city).toBeUndefined();
    expect(province.subSector).toBeUndefined();
    expect(quotaRequestFor(filed, campaign, 'miit')).toEqual({
      campaignId: campaign.campaignId,
      track: TRACK,
      applicationId: filed.applicationId,
    });
  });

  it('never leaks or doubles a slot, whatever the edits, returns and endings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 60, size: 'max' }), (steps) => replay(steps)),
      { numRuns: 150, examples: [[orphaningEdit]] },
    );
  });
});

describe('PATCH while a quota slot is held', () => {
  const patch = (body: object) =>
    patchDraft(deps, appId(1), body, { principal: applicant(1), requestId: `q-${++ids}` });
  const returnedByMiit = () => replay(orphaningEdit.slice(0, 4));

  it('refuses another sub-sector with 409 naming the field, and the slot stays where it is', async () => {
    await returnedByMiit();
    const refused = await patch({ subSector: '特种钢' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ code: 'QUOTA_KEY_FROZEN', details: [{ field: 'subSector' }] });
    expect((await current(1)).subSector).toBe('新 材料');
    await assertLedger();
  });

  it('accepts the same sub-sector written another way, and the other fields', async () => {
    await returnedByMiit();
    await patch({ subSector: '新材料', clusterName: '太原市新材料产业集群' });
    expect(await current(1)).toMatchObject({ subSector: '新材料', clusterName: '太原市新材料产业集群' });
    await assertLedger();
  });

  it('lets a draft, which holds no slot, change its sub-sector', async () => {
    await replay([]);
    await patch({ subSector: '特种钢' });
    expect((await current(1)).subSector).toBe('特种钢');
  });
});
