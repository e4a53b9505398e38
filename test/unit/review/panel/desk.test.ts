import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoPanels } from '../../../../shared/adapters/dynamo-panel.ts';
import { DynamoReviews } from '../../../../shared/adapters/dynamo-reviews/store.ts';
import { DomainError } from '../../../../shared/platform/errors.ts';
import { ReviewRecordSchema } from '../../../../shared/schemas/reviews.ts';
import { PEOPLE } from '../../support.ts';
import {
  APP_ID,
  application,
  documentClient,
  evidence,
  FULL_SCORES,
  makeDesk,
  reviewRequest,
  SECRET,
  seed,
  seedReview,
  TABLE,
} from '../fixtures.ts';
import { mockedCloud } from '../worlds.ts';
import { EXPERTS, makePanelDesk, panelCampaignAt, panelReview, PROVINCE, seatLinks } from './fixtures.ts';

// The download links are presigned locally: the mocked cloud's credentials sign them.
const cloud = mockedCloud({ s3: true });

const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = panelCampaignAt(now, 'trimmed-mean');
const link = { kind: 'link' as const, secret: SECRET };
const review = panelReview(now);
const reviewId = review.reviewId;
const desk = makePanelDesk(() => now, [campaign]);
const panels = () => new DynamoPanels(documentClient(), TABLE);

beforeEach(async () => {
  seed(cloud.table).application(application(now, { status: 'PROVINCE_REVIEW' }));
  seed(cloud.table).evidence(evidence());
  await seedReview(review);
  await panels().putExperts({ jurisdictionCode: PROVINCE, experts: Object.values(EXPERTS) });
});

/** The email texts sent so far, with their recipients. */
const mails = () =>
  cloud.sentEmails().map((email) => ({
    to: email.Destination?.ToAddresses ?? [],
    text: email.Content?.Simple?.Body?.Text?.Data ?? '',
  }));

/** The error a promise is refused with. */
async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const FOUR = [EXPERTS.changchun, EXPERTS.jilinCity, EXPERTS.siping, EXPERTS.university].map((e) => e.email);

/** Seats four experts and answers each one's seat link, by address. */
async function seatFour() {
  await desk.assign(reviewId, link, { experts: FOUR }, 'req-assign');
  const links = new Map(
    mails().map((mail) => {
      const [seat] = seatLinks([mail.text]);
      if (!seat) throw new Error('no seat link in the email');
      return [mail.to[0] ?? '', seat];
    }),
  );
  return (email: string) => {
    const seat = links.get(email);
    if (!seat) throw new Error(`no link for ${email}`);
    return seat;
  };
}

const declareNoConflict = { declaration: 'no-conflict', notFromCounty: 'yes', notFromCity: 'yes', noStake: 'yes' };
const scoresOf = (value: number) => Object.fromEntries(Object.keys(FULL_SCORES).map((id) => [id, value]));

describe('seating the panel (the level)', () => {
  it('refuses fewer experts than the step asks, naming the field', async () => {
    const error = await refusal(desk.assign(reviewId, link, { experts: FOUR.slice(0, 2) }, 'r'));
    expect(error.status).toBe(400);
    expect(error.details?.[0]).toMatchObject({ field: 'experts', code: 'TOO_FEW_EXPERTS' });
    expect(mails()).toEqual([]);
  });

  it('refuses an expert from the candidate’s county or city (回避), naming which', async () => {
    const error = await refusal(
      desk.assign(reviewId, link, { experts: [...FOUR.slice(0, 2), EXPERTS.dunhua.email, EXPERTS.yanji.email] }, 'r'),
    );
    expect(error.status).toBe(400);
    expect(error.details?.map((d) => [d.field, d.code])).toEqual([
      ['experts.2', 'CONFLICT_OF_INTEREST'],
      ['experts.3', 'CONFLICT_OF_INTEREST'],
    ]);
    expect(await panels().panelOf(reviewId)).toBeUndefined();
  });

  it('refuses an address outside the level’s directory', async () => {
    const error = await refusal(
      desk.assign(reviewId, link, { experts: [...FOUR.slice(0, 2), 'stranger@example.cn'] }, 'r'),
    );
    expect(error.details?.[0]).toMatchObject({ field: 'experts.2', code: 'UNKNOWN_EXPERT' });
  });

  it('emails each expert their own link, and stores only its hash', async () => {
    const linkOf = await seatFour();
    expect(mails().map((mail) => mail.to)).toEqual(FOUR.map((email) => [email]));
    const secrets = FOUR.map((email) => linkOf(email).secret);
    expect(new Set(secrets).size).toBe(4);
    const stored = JSON.stringify(cloud.table.all());
    for (const secret of secrets) expect(stored).not.toContain(secret);
    // Each link opens its own seat only.
    const first = linkOf(FOUR[0] ?? '');
    const second = linkOf(FOUR[1] ?? '');
    expect((await desk.seatPage(reviewId, first.seatId, second.secret)).state).toBe('forged');
    expect((await desk.seatPage(reviewId, first.seatId, first.secret)).state).toBe('declare');
  });

  it('is the review’s level only: a signed-in reviewer of another jurisdiction is refused', async () => {
    const error = await refusal(
      desk.assign(reviewId, { kind: 'reviewer', principal: PEOPLE.yanbianReviewer }, { experts: FOUR }, 'r'),
    );
    expect(error.status).toBe(403);
    const named = { ...PEOPLE.jilinReviewer, name: '省审核员' };
    await desk.assign(reviewId, { kind: 'reviewer', principal: named }, { experts: FOUR }, 'r');
    const history = cloud.table.all().filter((item) => item.action === 'PANEL_EXPERT_SEATED');
    expect(history).toHaveLength(4);
    expect(history[0]).toMatchObject({
      actor: PEOPLE.jilinReviewer.sub,
      actorName: '省审核员',
      role: 'reviewer',
      jurisdiction: PROVINCE,
    });
  });
});

describe('the expert: declare, then score once', () => {
  it('shows no material before the declaration, and refuses scores before it', async () => {
    const linkOf = await seatFour();
    const seat = linkOf(FOUR[0] ?? '');
    const page = await desk.seatPage(reviewId, seat.seatId, seat.secret);
    expect(page.state).toBe('declare');
    expect(JSON.stringify(page)).not.toContain('evidence');
    const error = await refusal(desk.score(reviewId, seat.seatId, seat.secret, { scores: FULL_SCORES }, 'r'));
    expect(error.status).toBe(409);
  });

  it('needs every point of the declaration confirmed, and a recusal needs its reason', async () => {
    const linkOf = await seatFour();
    const seat = linkOf(FOUR[0] ?? '');
    const partial = await refusal(
      desk.declare(reviewId, seat.seatId, seat.secret, { declaration: 'no-conflict', notFromCounty: 'yes' }, 'r'),
    );
    expect(partial.details?.map((d) => d.field)).toEqual(['notFromCity', 'noStake']);
    const bare = await refusal(desk.declare(reviewId, seat.seatId, seat.secret, { declaration: 'recuse' }, 'r'));
    expect(bare.details?.[0]?.field).toBe('reason');
    await desk.declare(reviewId, seat.seatId, seat.secret, { declaration: 'recuse', reason: '曾任该集群顾问' }, 'r');
    expect(cloud.table.all().find((item) => item.action === 'PANEL_EXPERT_RECUSED')).toMatchObject({
      actor: FOUR[0],
      actorName: EXPERTS.changchun.name,
      role: 'expert',
      reason: '曾任该集群顾问',
    });
  });

  it('opens the application and its evidence once declared, and scores once (a repeat is 409)', async () => {
    const linkOf = await seatFour();
    const seat = linkOf(FOUR[0] ?? '');
    await desk.declare(reviewId, seat.seatId, seat.secret, declareNoConflict, 'r');
    const page = await desk.seatPage(reviewId, seat.seatId, seat.secret);
    expect(page.state).toBe('score');
    if (page.state !== 'score') return;
    expect(page.evidence).toHaveLength(1);
    expect(page.evidence[0]?.downloadUrl).toContain('X-Amz-Signature');

    const bad = await refusal(
      desk.score(reviewId, seat.seatId, seat.secret, { scores: { ...FULL_SCORES, 'green-development': 101 } }, 'r'),
    );
    expect(bad.details?.[0]?.field).toBe('scores.green-development');
    const scored = await desk.score(reviewId, seat.seatId, seat.secret, { scores: FULL_SCORES }, 'r');
    expect(scored.total).toBe(80);
    const again = await refusal(desk.score(reviewId, seat.seatId, seat.secret, { scores: scoresOf(10) }, 'r'));
    expect([again.status, again.code]).toEqual([409, 'ALREADY_SCORED']);
    const audit = cloud.table.all().find((item) => item.action === 'PANEL_SCORED');
    // The expert by their seat's address, and by the name the level seated them under.
    expect(audit).toMatchObject({ actor: FOUR[0], actorName: EXPERTS.changchun.name, role: 'expert' });
    // The trail says who scored, not what.
    expect(JSON.stringify(audit)).not.toContain('"total"');
  });

  it('never shows an expert, nor the level, another expert’s scores before the panel closes', async () => {
    const linkOf = await seatFour();
    for (const [i, email] of FOUR.slice(0, 2).entries()) {
      const seat = linkOf(email);
      await desk.declare(reviewId, seat.seatId, seat.secret, declareNoConflict, 'r');
      await desk.score(reviewId, seat.seatId, seat.secret, { scores: scoresOf(70 + i * 7) }, 'r');
    }
    const mine = linkOf(FOUR[0] ?? '');
    const page = await desk.seatPage(reviewId, mine.seatId, mine.secret);
    expect(page.state).toBe('scored');
    // The other expert's total, 77, as a JSON number anywhere in the page (ids and times are
    // strings, which may hold the digits by chance).
    expect(JSON.stringify(page)).not.toMatch(/[:[,]77[,}\]]/);
    const view = await desk.view(reviewId, link);
    expect(view.seats.every((seat) => seat.total === undefined && seat.scores === undefined)).toBe(true);
    expect((await panels().resultOf(reviewId))?.scores).toEqual([]);
  });
});

describe('closing, and late or recused experts replaced', () => {
  it('closes once enough have scored: trimmed mean, the review ranked by it, totals revealed', async () => {
    const linkOf = await seatFour();
    const [a, b, c, d] = FOUR.map(linkOf);
    if (!a || !b || !c || !d) throw new Error('four seats');
    // One recuses; one is late and is replaced.
    await desk.declare(reviewId, a.seatId, a.secret, { declaration: 'recuse', reason: '曾为该集群企业提供咨询' }, 'r');
    for (const [seat, value] of [
      [b, 60],
      [c, 90],
    ] as const) {
      await desk.declare(reviewId, seat.seatId, seat.secret, declareNoConflict, 'r');
      await desk.score(reviewId, seat.seatId, seat.secret, { scores: scoresOf(value) }, 'r');
    }
    const early = await refusal(desk.close(reviewId, link, { confirm: true }, 'r'));
    expect([early.status, early.code]).toEqual([409, 'TOO_FEW_SCORES']);
    expect(early.details?.[0]?.waitingFor).toEqual([FOUR[3]]);

    let view = await desk.view(reviewId, link);
    expect(view.seats.find((seat) => seat.seatId === a.seatId)).toMatchObject({ state: 'RECUSED', waiting: false });
    expect(view.seats.find((seat) => seat.seatId === d.seatId)).toMatchObject({ state: 'ASSIGNED', waiting: true });
    // A scored seat is never replaced.
    const scoredSeat = await refusal(
      desk.assign(reviewId, link, { experts: [EXPERTS.institute.email], replaces: b.seatId }, 'r'),
    );
    expect(scoredSeat.details?.[0]?.field).toBe('replaces');

    await desk.assign(reviewId, link, { experts: [EXPERTS.institute.email], replaces: d.seatId }, 'r');
    await desk.assign(reviewId, link, { experts: [EXPERTS.spare.email], replaces: a.seatId }, 'r');
    // The replaced expert's link no longer takes scores.
    const gone = await refusal(desk.score(reviewId, d.seatId, d.secret, { scores: FULL_SCORES }, 'r'));
    expect(gone.status).toBe(410);
    const [e, f] = seatLinks(
      mails()
        .slice(-2)
        .map((mail) => mail.text),
    );
    if (!e || !f) throw new Error('two replacement links');
    for (const [seat, value] of [
      [e, 100],
      [f, 80],
    ] as const) {
      await desk.declare(reviewId, seat.seatId, seat.secret, declareNoConflict, 'r');
      await desk.score(reviewId, seat.seatId, seat.secret, { scores: scoresOf(value) }, 'r');
    }
    view = await desk.view(reviewId, link);
    expect(view.closable).toBe(true);

    // 60, 90, 100, 80: without 100 and 60 → 85.
    const closed = await desk.close(reviewId, link, { confirm: true }, 'r');
    expect(closed).toMatchObject({ aggregate: 85, method: 'trimmed-mean', scored: 4 });
    const ranked = ReviewRecordSchema.parse(cloud.table.get(`APP#${APP_ID}`, `REVIEW#${reviewId}`));
    expect(ranked.weightedScore).toBe(85);
    expect(cloud.table.get(`APP#${APP_ID}`, `REVIEW#${reviewId}`)?.gsi1pk).toBe(`RANK#${PROVINCE}`);

    const result = await panels().resultOf(reviewId);
    expect(result).toMatchObject({ closed: true, aggregate: 85, seated: 4, recused: 1, waitingFor: [] });
    expect(result?.scores.map((s) => s.total).sort()).toEqual([100, 60, 80, 90]);
    const page = await desk.seatPage(reviewId, b.seatId, b.secret);
    expect(page.state === 'closed' && page.totals.map((t) => t.total).sort()).toEqual([100, 60, 80, 90]);

    const twice = await refusal(desk.close(reviewId, link, { confirm: true }, 'r'));
    expect(twice.code).toBe('PANEL_CLOSED');
  });

  it('a review re-armed after its panel closed is ranked again by its decision, from the panel', async () => {
    const linkOf = await seatFour();
    for (const [email, value] of [
      [FOUR[0], 60],
      [FOUR[1], 90],
      [FOUR[2], 80],
    ] as const) {
      const seat = linkOf(email ?? '');
      await desk.declare(reviewId, seat.seatId, seat.secret, declareNoConflict, 'r');
      await desk.score(reviewId, seat.seatId, seat.secret, { scores: scoresOf(value) }, 'r');
    }
    // 60, 90, 80: without 90 and 60 → 80.
    expect(await desk.close(reviewId, link, { confirm: true }, 'r')).toMatchObject({ aggregate: 80 });

    // The state machine retries RequestReview: the review is re-armed with the new token and,
    // pending again, loses the aggregate the close wrote on it and its place in the ranking index.
    const reviewDesk = makeDesk(() => now, [campaign], { panels: panels() });
    const request = reviewRequest(now, { stage: 'province', jurisdictionCode: PROVINCE, taskToken: 'task-token-2' });
    await reviewDesk.open({ ...request, step: review.step });
    const rearmed = cloud.table.get(`APP#${APP_ID}`, `REVIEW#${reviewId}`);
    expect(rearmed).toMatchObject({ status: 'PENDING', taskToken: 'task-token-2' });
    expect(rearmed?.weightedScore).toBeUndefined();
    expect(rearmed?.gsi1pk).toBeUndefined();
    // Nothing was lost to a reader: the ranked lists (the inbox's 择优遴选, the summary tables)
    // hold decided reviews only, with or without the re-arm.
    const reviews = new DynamoReviews(documentClient(), TABLE);
    expect(await reviews.listScored(PROVINCE)).toEqual([]);

    // The level's decision takes the aggregate from the closed panel, and ranks the review by it.
    await reviewDesk.decide(reviewId, link, { decision: 'approve' });
    const decided = ReviewRecordSchema.parse(cloud.table.get(`APP#${APP_ID}`, `REVIEW#${reviewId}`));
    expect(decided).toMatchObject({ status: 'DECIDED', weightedScore: 80 });
    expect((await reviews.listScored(PROVINCE)).map((listed) => [listed.reviewId, listed.weightedScore])).toEqual([
      [reviewId, 80],
    ]);
  });

  it('refuses a panel on a review that is not an expert-panel step', async () => {
    const plain = panelReview(now, { reviewId: `${APP_ID}.province.3.1`, step: { index: 0, kind: 'review' } });
    await seedReview(plain);
    const error = await refusal(desk.assign(plain.reviewId, link, { experts: FOUR }, 'r'));
    expect([error.status, error.code]).toEqual([409, 'NOT_A_PANEL_STEP']);
  });
});

describe('the level’s operators watch a panel', () => {
  const jilinReviewer = { kind: 'reviewer' as const, principal: PEOPLE.jilinReviewer };

  it('see the view the level’s reviewer sees, seats and late ones included', async () => {
    await desk.assign(reviewId, link, { experts: FOUR }, 'req-assign');
    const watched = await desk.watch(reviewId, PEOPLE.jilinOperator);
    expect(watched).toEqual(await desk.view(reviewId, jilinReviewer));
    expect(watched.seats).toHaveLength(4);
  });

  it('answer strangers as the reviewer’s path does: 404 for no review, 403 (seePanels) for another level’s, before the step is looked at', async () => {
    const unknown = await refusal(desk.watch(`${reviewId}x`, PEOPLE.jilinOperator));
    expect(unknown.status).toBe(404);
    for (const other of [
      PEOPLE.hebeiOperator,
      PEOPLE.nationalOperator,
      PEOPLE.dunhuaApplicant,
      PEOPLE.yanbianReviewer,
    ]) {
      const error = await refusal(desk.watch(reviewId, other));
      expect([error.status, error.message], other.sub).toEqual([
        403,
        expect.stringContaining("see a level's expert panels"),
      ]);
    }
    // Not a panel step: the level's operator learns so (409), as its reviewer would; a stranger gets 403 first.
    const plain = panelReview(now, { reviewId: `${APP_ID}.province.3.1`, step: { index: 0, kind: 'review' } });
    await seedReview(plain);
    expect((await refusal(desk.watch(plain.reviewId, PEOPLE.jilinOperator))).code).toBe('NOT_A_PANEL_STEP');
    expect((await refusal(desk.watch(plain.reviewId, PEOPLE.hebeiOperator))).status).toBe(403);
  });
});
