import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_EXPERTS } from '../../local/provision.ts';
import type { ValidatedEvent } from '../../local/events.ts';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import type { LevelDocumentKind } from '../../shared/ports/steps.ts';
import type { RegisterView } from '../../shared/register/api-schemas.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { shanxiSubSectors } from '../../shared/rules/campaigns/miit-2025-recommendation.ts';
import { CRITERIA } from '../../shared/rules/criteria.ts';
import type { Expert } from '../../shared/schemas/panel.ts';
import { anonymous, as, asOperator, sentEmails, startTestStack, type TestStack } from './harness.ts';
import * as steps from './steps.ts';

/**
 * Issue 12's "done when", as a new user would try it, on the local stand-ins and the real ladder
 * with the demo campaign built from the seeded 2025 sequences (no step overridden):
 * - a Shanxi county (小店区, 太原市) goes city (review, on-site statement; the city cap of 3
 *   refuses a 4th application of 太原 at the city's forwarding) → province (formal check, an
 *   expert panel of three with one recusal and its replacement, a sampling record, meeting
 *   minutes, the provincial 公示 on the manual clock, the formal letter) → MIIT, and the
 *   province's submission package is built and verifies at MIIT;
 * - a Beijing district (丰台区) is never asked for a city document: no city stage, no on-site item;
 * - 梅河口市 goes straight to Jilin's province, past 通化市.
 */
const clock = new ManualClock();
let stack: TestStack;
const campaign = demoCampaign(new Date(clock.now()));
const SHANXI = '140000';
const TAIYUAN = '140100';
const TAIYUAN_COUNTIES = ['140105', '140106', '140107', '140108'];
const declared = { declaration: 'no-conflict', notFromCounty: 'yes', notFromCity: 'yes', noStake: 'yes' };
const scores = (value: number) => Object.fromEntries(CRITERIA.map((criterion) => [criterion, value]));
const DAY_MS = 86_400_000;
const NOTICE_MS = 7 * DAY_MS;

beforeAll(async () => {
  stack = await startTestStack({ stepFunctions: { clock: { timers: clock } } });
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
});

afterAll(async () => {
  await stack?.cleanup();
});

const shanxiFiling = (index: number) => {
  const subSector = shanxiSubSectors[index];
  const countyCode = TAIYUAN_COUNTIES[index];
  if (!subSector || !countyCode) throw new Error(`no Shanxi filing ${index}`);
  return {
    countyCode,
    clusterName: `太原${subSector.name.zh}产业集群`,
    leadingIndustry: '装备制造',
    subSector: subSector.id,
  };
};

/** Shanxi's province files one of its own documents, signed in, and waits for the validator. */
const fileShanxiDocument = (kind: LevelDocumentKind, applicationIds?: string[]) =>
  steps.fileLevelDocument(
    stack,
    { campaignId: campaign.campaignId, track: 'recommendation', jurisdiction: SHANXI },
    kind,
    {
      ...(applicationIds && { applicationIds }),
      pdf: { title: kind, lines: applicationIds ?? [campaign.campaignId] },
    },
  );

/** The seat links of the panel of `reviewId`, by the address each was emailed to. */
async function seatLinksOf(reviewId: string): Promise<Map<string, { seatId: string; secret: string }>> {
  const out = new Map<string, { seatId: string; secret: string }>();
  const ids = [reviewId, encodeURIComponent(reviewId)].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`/v1/panels/(?:${ids.join('|')})/seats/([0-9a-f-]{36})\\?t=([^\\s"<]+)`);
  for (const email of await sentEmails(stack)) {
    const found = pattern.exec(email.body.text ?? '');
    const to = email.destination.to[0];
    if (found && to) out.set(to, { seatId: found[1] ?? '', secret: decodeURIComponent(found[2] ?? '') });
  }
  return out;
}

const shanxiExpert = (n: number): Expert => {
  const found = (LOCAL_EXPERTS[SHANXI] ?? []).find((expert) => expert.email.startsWith(`experts+${n}@`));
  if (!found) throw new Error(`no provisioned Shanxi expert ${n}`);
  return found;
};

/**
 * The province seats three experts (refused one from 太原, the candidate's city); one recuses and
 * is replaced; the three who declared no conflict score; the panel closes with the mean.
 */
async function runPanel(reviewId: string): Promise<void> {
  const level = await as(stack, 'reviewer', SHANXI);
  const panel = (path = '') => `/v1/reviews/${encodeURIComponent(reviewId)}/panel${path}`;
  const [fromTaiyuan, recusing, second, third, replacement] = [1, 2, 3, 5, 6].map(shanxiExpert) as [
    Expert,
    Expert,
    Expert,
    Expert,
    Expert,
  ];
  const refused = await level.raw('POST', panel('/experts'), {
    experts: [recusing.email, second.email, fromTaiyuan.email],
  });
  expect(refused.status, refused.text).toBe(400);
  expect(JSON.stringify(refused.json)).toContain('"field":"experts.2"');
  const seated = await level.raw('POST', panel('/experts'), { experts: [recusing.email, second.email, third.email] });
  expect(seated.status, seated.text).toBe(201);

  let links = await seatLinksOf(reviewId);
  const act = (expert: Expert, path: string, body: unknown) => {
    const link = links.get(expert.email);
    if (!link) throw new Error(`no seat link emailed to ${expert.email}`);
    const seat = `/v1/panels/${encodeURIComponent(reviewId)}/seats/${link.seatId}${path}`;
    return anonymous(stack).raw('POST', `${seat}?t=${encodeURIComponent(link.secret)}`, body);
  };
  const recused = await act(recusing, '/declaration', { declaration: 'recuse', reason: '本人曾为该集群企业提供咨询' });
  expect(recused.status, recused.text).toBe(200);
  const recusedSeat = links.get(recusing.email)?.seatId;
  const replaced = await level.raw('POST', panel('/experts'), { experts: [replacement.email], replaces: recusedSeat });
  expect(replaced.status, replaced.text).toBe(201);
  links = await seatLinksOf(reviewId);
  for (const [expert, value] of [
    [second, 80],
    [third, 86],
    [replacement, 92],
  ] as const) {
    expect((await act(expert, '/declaration', declared)).status).toBe(200);
    const scored = await act(expert, '/scores', { scores: scores(value) });
    expect(scored.status, scored.text).toBe(200);
  }
  const closed = await level.raw('POST', panel('/close'), { confirm: true });
  expect(closed.status, closed.text).toBe(200);
  expect(closed.json).toMatchObject({ aggregate: 86, method: 'mean', scored: 3 });
}

/** The next package request of `action` the builder has handled (subscribe before sending it). */
function nextPackageRun(action: 'build' | 'verify'): Promise<ValidatedEvent> {
  return new Promise((resolve) => {
    const listener = (event: ValidatedEvent) => {
      if (!event.key.includes(`/${action}`)) return;
      stack.packageEvents.off('validated', listener);
      resolve(event);
    };
    stack.packageEvents.on('validated', listener);
  });
}

describe("issue 12's done-when: the notices' steps, walked end to end", () => {
  it('a Shanxi county climbs city → province → MIIT in one verified package; 丰台区 and 梅河口 skip the city', async () => {
    const operator = await asOperator(stack);

    // 丰台区: Beijing has no city level; nothing in its checklist is the city's to upload.
    const fengtai = await steps.fileDraft(stack, campaign, {
      countyCode: '110106',
      clusterName: '丰台区轨道交通装备产业集群',
      leadingIndustry: '装备制造',
      subSector: '轨道交通装备',
    });
    const fengtaiRead = (await operator.getApplication(fengtai)).body;
    expect(fengtaiRead.cityCode).toBeUndefined();
    expect(fengtaiRead.checklist.map((item) => item.id)).not.toContain('onsite-check-statement');
    expect(fengtaiRead.checklist.some((item) => item.uploadedBy === 'city')).toBe(false);
    await steps.submit(stack, fengtai);
    await steps.reviewLink(stack, fengtai, 'province');

    // 梅河口市: a sender of Jilin's province directly, past 通化市.
    const meihekou = await steps.fileAndSubmit(stack, campaign, {
      countyCode: '220581',
      clusterName: '梅河口市医药产业集群',
      leadingIndustry: '医药健康',
      subSector: '化学药',
    });
    await steps.reviewLink(stack, meihekou, 'province');

    // 太原: four counties file; the city forwards three, and the cap of 3 refuses the fourth.
    const taiyuan: string[] = [];
    for (const index of [0, 1, 2, 3]) taiyuan.push(await steps.fileAndSubmit(stack, campaign, shanxiFiling(index)));
    const [xiaodian, ...others] = taiyuan as [string, ...string[]];
    const cityRead = (await operator.getApplication(xiaodian)).body;
    expect(cityRead.cityCode).toBe(TAIYUAN);
    expect(cityRead.checklist.find((item) => item.id === 'onsite-check-statement')?.uploadedBy).toBe('city');
    for (const applicationId of taiyuan.slice(0, 3)) {
      const links = await steps.approveStage(stack, campaign, applicationId, 'city');
      // The city's review, then its on-site statement: two person steps, the second's id adds `.1`.
      expect(links.map((link) => /\.city\.\d+\.1(\.1)?$/.exec(link.reviewId)?.[1])).toEqual([undefined, '.1']);
    }
    const fourth = others[2] ?? '';
    const review = await steps.reviewLink(stack, fourth, 'city', 1, 0);
    expect((await anonymous(stack).decide(review.reviewId, { t: review.secret, decision: 'approve' })).status).toBe(
      200,
    );
    const statement = await steps.reviewLink(stack, fourth, 'city', 1, 1);
    await steps.uploadPdf(stack, fourth, 'onsite-check-statement');
    const overCap = await anonymous(stack).decide(statement.reviewId, { t: statement.secret, decision: 'approve' });
    expect(overCap.status, overCap.text).toBe(409);
    expect(overCap.error.code).toBe('QUOTA_EXCEEDED');
    expect(overCap.error.details?.[0]).toMatchObject({ scope: 'city', jurisdictionCode: TAIYUAN, used: 3, limit: 3 });

    // Shanxi's province: formal check, the panel, sampling, minutes, 公示, formal letter.
    const onShanxiList = async (applicationId: string) => {
      const view = (await operator.raw('GET', `/v1/register?level=provincial`)).json as RegisterView;
      return view.entries.some(
        (entry) => entry.source.kind === 'pipeline' && entry.source.applicationId === applicationId,
      );
    };
    expect(await onShanxiList(xiaodian)).toBe(false);
    await steps.approveStage(stack, campaign, xiaodian, 'province', {
      closePanel: runPanel,
      fileLevelDocument: async (kind) => {
        // Its 公示 over, the cluster is on Shanxi's own list before the province files the letter
        // that forwards it (DOMAIN.md: recognised after the 公示, national candidates chosen from it).
        if (kind === 'formal-letter') expect(await onShanxiList(xiaodian)).toBe(true);
        await fileShanxiDocument(kind, kind === 'sampling-record' ? [xiaodian] : undefined);
      },
      passNotice: async () => {
        // The other reviews' timeouts sleep till their deadlines (weeks away); the 公示 is 7 days.
        const isNotice = (delay: number) => Math.abs(delay - NOTICE_MS) < DAY_MS;
        await clock.whenPending(clock.pendingDelays().filter((delay) => !isNotice(delay)).length + 1);
        const notice = clock.pendingDelays().find(isNotice);
        expect(notice).toBeDefined();
        expect(await steps.statusOf(stack, xiaodian)).toBe('PUBLIC_NOTICE');
        await clock.advance(notice ?? 0);
      },
    });
    // The province's list is sealed and sent at its deadline: MIIT's review opens.
    const deadline = Date.parse(campaign.calendar.province);
    await clock.advance(Math.max(0, deadline - clock.now()) + 1_000);
    const miit = await steps.reviewLink(stack, xiaodian, 'miit');
    expect(await steps.statusOf(stack, xiaodian)).toBe('MIIT_REVIEW');

    // The province's submission package: its letter present, every file in the manifest; MIIT verifies it.
    const province = await as(stack, 'reviewer', SHANXI);
    const built = nextPackageRun('build');
    const started = await province.buildPackage(campaign.campaignId);
    expect(started.status, started.text).toBe(202);
    expect((await built).ok).toBe(true);
    const ready = (await province.package(campaign.campaignId, started.body.packageId)).body;
    expect(ready.status, ready.failure).toBe('READY');
    expect(ready.missing).toEqual([]);
    const miitReviewer = await as(stack, 'reviewer', '000000');
    const verified = nextPackageRun('verify');
    expect((await miitReviewer.verifyPackage(campaign.campaignId, ready.packageId)).status).toBe(202);
    await verified;
    const checked = (await miitReviewer.package(campaign.campaignId, ready.packageId)).body;
    expect(checked.verification?.status, JSON.stringify(checked.verification)).toBe('VERIFIED');
    expect(checked.verification?.entries).toBe(ready.files);

    // MIIT decides; no notice after MIIT in this campaign: the execution ends, the cluster recognised.
    const execution = steps.ladderExecution(stack, xiaodian);
    const ended = stack.stepFunctions.waitForExecution(execution.executionArn, 10_000);
    expect((await anonymous(stack).decide(miit.reviewId, { t: miit.secret, decision: 'approve' })).status).toBe(200);
    expect((await ended).status).toBe('SUCCEEDED');
    expect(await steps.statusOf(stack, xiaodian)).toBe('RECOGNIZED');

    // Nobody was ever emailed a city review for 丰台区 or 梅河口.
    const history = async (applicationId: string) =>
      (
        (await operator.raw('GET', `/v1/applications/${applicationId}/history`)).body as {
          events: { action: string; detail?: { stage?: string } }[];
        }
      ).events;
    for (const applicationId of [fengtai, meihekou]) {
      const events = await history(applicationId);
      expect(events.some((event) => event.action === 'STAGE_ENTERED' && event.detail?.stage === 'city')).toBe(false);
      expect(events.some((event) => event.action === 'STAGE_ENTERED')).toBe(true);
    }
  });
});
