import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPanels } from '../../shared/adapters/dynamo-panel.ts';
import { DynamoRecords } from '../../shared/adapters/dynamo-records/store.ts';
import { DynamoReviews } from '../../shared/adapters/dynamo-reviews/store.ts';
import { LOCAL_EXPERTS } from '../../local/provision.ts';
import { CampaignSchema } from '../../shared/rules/campaign.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { CRITERIA } from '../../shared/rules/criteria.ts';
import { ReviewRecordSchema } from '../../shared/schemas/reviews.ts';
import type { Expert } from '../../shared/schemas/panel.ts';
import { application, SECRET } from '../unit/review/fixtures.ts';
import { panelReview, seatLinks } from '../unit/review/panel/fixtures.ts';
import { anonymous, as, asOperator, sentEmails, startTestStack, testClients, type TestStack } from './harness.ts';

/**
 * An expert panel of four at Jilin's province, against the local stand-ins (DynamoDB Local, the
 * SES stand-in, the local API): the province seats four of its provisioned experts (refused one
 * from the candidate's city), each takes their link from the local inbox; one recuses, one is
 * late and is replaced, three more score, the panel closes with the trimmed mean, and the review
 * ranks by it. The review (an expert-panel step) is written directly, as the ladder's
 * RequestReview task would have opened it.
 */
let stack: TestStack;
const now = new Date();
const campaign = CampaignSchema.parse({
  ...demoCampaign(now),
  steps: { province: [{ kind: 'review' }, { kind: 'expert-panel', minExperts: 3, aggregate: 'trimmed-mean' }] },
});
const review = panelReview(now, { campaignId: campaign.campaignId });
const reviewId = review.reviewId;
const jilin = LOCAL_EXPERTS['220000'] ?? [];
const scores = (value: number) => Object.fromEntries(CRITERIA.map((criterion) => [criterion, value]));
const declared = { declaration: 'no-conflict', notFromCounty: 'yes', notFromCity: 'yes', noStake: 'yes' };

beforeAll(async () => {
  stack = await startTestStack();
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
  const clients = testClients();
  try {
    const app = application(now, { campaignId: campaign.campaignId, status: 'PROVINCE_REVIEW' });
    await new DynamoRecords(clients.doc, stack.tableName).createApplication(app, {
      applicationId: app.applicationId,
      eventId: crypto.randomUUID(),
      at: now.toISOString(),
      action: 'APPLICATION_CREATED',
      actor: 'test',
    });
    expect(await new DynamoReviews(clients.doc, stack.tableName).createReview(review)).toBe(true);
  } finally {
    clients.destroy();
  }
});

afterAll(async () => {
  await stack?.cleanup();
});

const level = () => anonymous(stack);
const panelPath = (path = '') => `/v1/reviews/${encodeURIComponent(reviewId)}/panel${path}?t=${SECRET}`;
const seatPath = (seatId: string, secret: string, path = '') =>
  `/v1/panels/${encodeURIComponent(reviewId)}/seats/${seatId}${path}?t=${encodeURIComponent(secret)}`;

/** The seat link each expert received, by address, from the local SES stand-in's mailbox. */
async function seatLinksByExpert(): Promise<Map<string, { seatId: string; secret: string }>> {
  const emails = await sentEmails(stack);
  const out = new Map<string, { seatId: string; secret: string }>();
  for (const email of emails) {
    const [seat] = seatLinks([email.body.text ?? '']);
    const to = email.destination.to[0];
    if (seat && to) out.set(to, seat);
  }
  return out;
}

const expertNo = (n: number) => {
  const found = jilin.find((expert) => expert.email.startsWith(`experts+${n}@`));
  if (!found) throw new Error(`no provisioned expert ${n}`);
  return found;
};

describe('an expert panel of four, against the local stand-ins', () => {
  it('seats four, takes a recusal and replaces a late expert, closes with the trimmed mean', async () => {
    const [a, b, c, d] = [11, 12, 13, 14].map(expertNo) as [Expert, Expert, Expert, Expert];
    const yanbian = expertNo(15);
    const [forLate, forRecused] = [17, 18].map(expertNo) as [Expert, Expert];

    // 回避: 延边大学's expert is from the candidate's city (延边州), named by its field.
    const refused = await level().raw('POST', panelPath('/experts'), { experts: [a.email, b.email, yanbian.email] });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('"field":"experts.2"');

    const seated = await level().raw('POST', panelPath('/experts'), { experts: [a.email, b.email, c.email, d.email] });
    expect(seated.status, seated.text).toBe(201);
    let links = await seatLinksByExpert();
    const link = (email: string) => {
      const found = links.get(email);
      if (!found) throw new Error(`no seat link emailed to ${email}`);
      return found;
    };
    const act = (expert: Expert, path: string, body: unknown) =>
      level().raw('POST', seatPath(link(expert.email).seatId, link(expert.email).secret, path), body);
    const declareAndScore = async (expert: Expert, value: number) => {
      expect((await act(expert, '/declaration', declared)).status).toBe(200);
      const scored = await act(expert, '/scores', { scores: scores(value) });
      expect(scored.status, scored.text).toBe(200);
    };

    // a recuses; b and c score; d is late.
    const recusal = await act(a, '/declaration', {
      declaration: 'recuse',
      reason: '本人曾为该集群龙头企业提供咨询服务',
    });
    expect(recusal.status, recusal.text).toBe(200);
    await declareAndScore(b, 62);
    await declareAndScore(c, 88);
    expect((await act(b, '/scores', { scores: scores(100) })).status).toBe(409);

    // Two have scored: not closable yet; the late expert is shown with the time they were seated.
    expect((await level().raw('POST', panelPath('/close'), { confirm: true })).status).toBe(409);
    const view = (await level().raw('GET', panelPath())).json as PanelView;
    expect(view.seats.find((seat) => seat.expert.email === d.email)).toMatchObject({
      state: 'ASSIGNED',
      waiting: true,
    });
    expect(view.seats.find((seat) => seat.expert.email === a.email)).toMatchObject({
      state: 'RECUSED',
      waiting: false,
    });
    expect(view.seats.some((seat) => seat.total !== undefined)).toBe(false);

    // The province's signed-in reviewer replaces the late expert; the link holder the recused one.
    const byTheLevel = await as(stack, 'reviewer', '220000');
    const late = await byTheLevel.raw('POST', `/v1/reviews/${encodeURIComponent(reviewId)}/panel/experts`, {
      experts: [forLate.email],
      replaces: link(d.email).seatId,
    });
    expect(late.status, late.text).toBe(201);
    const recused = await level().raw('POST', panelPath('/experts'), {
      experts: [forRecused.email],
      replaces: link(a.email).seatId,
    });
    expect(recused.status, recused.text).toBe(201);
    const lateLink = link(d.email);
    links = await seatLinksByExpert();
    // The replaced expert's link takes nothing more.
    expect(
      (await level().raw('POST', seatPath(lateLink.seatId, lateLink.secret, '/declaration'), declared)).status,
    ).toBe(410);
    await declareAndScore(forLate, 95);
    await declareAndScore(forRecused, 75);

    // 62, 88, 95, 75: without 95 and 62 → (88 + 75) / 2 = 81.5.
    const closed = await level().raw('POST', panelPath('/close'), { confirm: true });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json).toMatchObject({ aggregate: 81.5, method: 'trimmed-mean', scored: 4 });

    const clients = testClients();
    try {
      const result = await new DynamoPanels(clients.doc, stack.tableName).resultOf(reviewId);
      expect(result).toMatchObject({ closed: true, aggregate: 81.5, seated: 4, recused: 1, waitingFor: [] });
      expect(result?.scores.map((score) => score.total).sort()).toEqual([62, 75, 88, 95]);
      const stored = await new DynamoReviews(clients.doc, stack.tableName).getReview(reviewId);
      expect(ReviewRecordSchema.parse(stored).weightedScore).toBe(81.5);
      const history = await new DynamoRecords(clients.doc, stack.tableName).listAudit(review.applicationId);
      const named = history.filter((event) => event.action.startsWith('PANEL_'));
      expect(named.find((event) => event.action === 'PANEL_EXPERT_RECUSED')).toMatchObject({
        actor: a.email,
        role: 'expert',
        reason: '本人曾为该集群龙头企业提供咨询服务',
      });
      expect(named.find((event) => event.action === 'PANEL_EXPERT_REPLACED')).toMatchObject({
        actor: 'reviewer-220000',
        role: 'reviewer',
        jurisdiction: '220000',
      });
      expect(
        named
          .filter((event) => event.action === 'PANEL_SCORED')
          .map((event) => event.actor)
          .sort(),
      ).toEqual([b, c, forLate, forRecused].map((expert) => expert.email).sort());
    } finally {
      clients.destroy();
    }

    // Once closed, the expert sees every total (unnamed) and the aggregate.
    const page = await level().raw('GET', seatPath(link(b.email).seatId, link(b.email).secret));
    expect(page.status).toBe(200);
    expect(page.text).toContain('81.5');
  });
});

interface PanelView {
  seats: { seatId: string; expert: { email: string }; state: string; waiting: boolean; total?: number }[];
}
