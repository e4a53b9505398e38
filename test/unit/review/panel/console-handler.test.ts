import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoPanels } from '../../../../shared/adapters/dynamo-panel.ts';
import { PEOPLE } from '../../support.ts';
import { application, documentClient, seed, seedReview, TABLE } from '../fixtures.ts';
import { mockedCloud, reviewsFunction } from '../worlds.ts';
import { panelPagePath } from '../../../../shared/review/panel/console-page.ts';
import { EXPERTS, panelCampaignAt, panelReview, PROVINCE } from './fixtures.ts';

/**
 * The level's panel pages through the reviews function (functions/reviews.ts) over a fake table:
 * the session's reviewer of the level lists and opens its panels, seats experts by the form's
 * checkboxes and closes with the form's ticked box; a reviewer of another level is refused and
 * nothing is written.
 */
const cloud = mockedCloud({ functionEnv: true, s3: true });

/** A console request with the principal's ID token (a browser sends it as the session cookie). */
const { console: send } = reviewsFunction();

const now = new Date();
const campaign = panelCampaignAt(now, 'mean');
const review = panelReview(now, { campaignId: campaign.campaignId });
const reviewId = review.reviewId;

beforeEach(async () => {
  seed(cloud.table).campaign(campaign);
  seed(cloud.table).application(application(now, { status: 'PROVINCE_REVIEW', campaignId: campaign.campaignId }));
  await seedReview(review);
  await new DynamoPanels(documentClient(), TABLE).putExperts({
    jurisdictionCode: PROVINCE,
    experts: Object.values(EXPERTS),
  });
});

const seatsStored = () =>
  new DynamoPanels(documentClient(), TABLE).panelOf(reviewId).then((found) => found?.seats ?? []);
const THREE = [EXPERTS.changchun, EXPERTS.jilinCity, EXPERTS.siping];

describe('the level’s panel pages through the reviews function', () => {
  it('lists the level’s candidate at its expert-panel step and opens its panel with 回避 beside the names', async () => {
    const list = await send('GET /console/panels', PEOPLE.jilinReviewer);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`data-review="${reviewId}" data-status="NOT_OPENED"`);
    const panel = await send('GET /console/panels/{reviewId}', PEOPLE.jilinReviewer, { path: { reviewId } });
    expect(panel.statusCode).toBe(200);
    expect(panel.body).toContain(`data-expert="${EXPERTS.dunhua.email}"`);
    expect(panel.body).toMatch(/data-refusal="county">回避：来自申报集群所在县/);
    expect(panel.body).toMatch(/data-refusal="city">回避：来自申报集群所在市/);
  });

  it('seats the experts the checkboxes name, emails each, and comes back with 303', async () => {
    const form = THREE.map((e) => `experts=${encodeURIComponent(e.email)}`).join('&');
    const result = await send('POST /console/panels/{reviewId}/experts', PEOPLE.jilinReviewer, {
      path: { reviewId },
      form,
      query: { lang: 'en' },
    });
    expect(result.statusCode, result.body.slice(0, 300)).toBe(303);
    expect(result.headers?.location).toBe(`/console/panels/${encodeURIComponent(reviewId)}?done=seated&lang=en`);
    expect((await seatsStored()).map((s) => s.expert.email).sort()).toEqual(THREE.map((e) => e.email).sort());
    expect(cloud.sentEmails()).toHaveLength(3);
  });

  it('refuses 回避 as a page naming the field, and writes nothing', async () => {
    const form = [...THREE.slice(0, 2), EXPERTS.yanbian].map((e) => `experts=${encodeURIComponent(e.email)}`).join('&');
    const result = await send('POST /console/panels/{reviewId}/experts', PEOPLE.jilinReviewer, {
      path: { reviewId },
      form,
    });
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('experts.2');
    // A refused form, not a page that cannot show: the way back leads to the panel's page first.
    expect(result.body).toContain('<h1>未能办理</h1>');
    expect(result.body).toContain(`<a href="/console/${panelPagePath(reviewId)}">返回修改</a>`);
    expect(result.body).not.toContain('无法显示');
    expect(await seatsStored()).toEqual([]);
  });

  it('refuses a reviewer of another level (403 page) before reading the form, and writes nothing', async () => {
    const valid = THREE.map((e) => `experts=${encodeURIComponent(e.email)}`).join('&');
    // A form the panel would refuse (400) tells a stranger nothing: they are refused first.
    for (const form of [valid, 'experts=not-an-address&bogus=1'])
      for (const other of [PEOPLE.yanbianReviewer, PEOPLE.jilinOperator]) {
        const result = await send('POST /console/panels/{reviewId}/experts', other, { path: { reviewId }, form });
        expect(result.statusCode).toBe(403);
        expect(result.headers?.['content-type']).toContain('text/html');
      }
    const page = await send('GET /console/panels/{reviewId}', PEOPLE.yanbianReviewer, { path: { reviewId } });
    expect(page.statusCode).toBe(403);
    expect(await seatsStored()).toEqual([]);
    expect(cloud.sentEmails()).toHaveLength(0);
  });

  it('closing needs the box ticked: unticked, a 400 naming confirm', async () => {
    const result = await send('POST /console/panels/{reviewId}/close', PEOPLE.jilinReviewer, {
      path: { reviewId },
      form: '',
    });
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('<code>confirm</code>');
    // Ticked, on a panel nobody sat on yet: 409, nothing closed.
    const ticked = await send('POST /console/panels/{reviewId}/close', PEOPLE.jilinReviewer, {
      path: { reviewId },
      form: 'confirm=true',
    });
    expect(ticked.statusCode).toBe(409);
    expect(ticked.body).toContain('尚未选派评审专家');
  });
});

describe('the panels list for the level’s operators, and for MIIT’s', () => {
  it('a national (MIIT) operator gets MIIT’s list, not a 403: no panel waits there, and the page says why', async () => {
    const zh = await send('GET /console/panels', PEOPLE.nationalOperator);
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('工业和信息化部 (0)');
    expect(zh.body).toContain('当前没有处于专家评审环节的申报。');
    expect(zh.body).toContain('只有申报活动为本级设置了专家评审环节时');
    expect(zh.body).not.toContain(`data-review="${reviewId}"`);
    const en = await send('GET /console/panels', PEOPLE.nationalOperator, { query: { lang: 'en' } });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('No application is waiting at the expert-panel step.');
    expect(en.body).toContain('only where a campaign’s steps give this level an expert panel');
  });

  it('the province’s operator watches its level’s panels, each row linking to the panel', async () => {
    const list = await send('GET /console/panels', PEOPLE.jilinOperator);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`data-review="${reviewId}" data-status="NOT_OPENED"`);
    expect(list.body).toContain('id="watch-only"');
    expect(list.body).toContain(`href="/console/panels/${encodeURIComponent(reviewId)}"`);
    // The level's reviewer has the same links, and no watch-only note.
    const reviewer = await send('GET /console/panels', PEOPLE.jilinReviewer);
    expect(reviewer.body).toContain(`href="/console/panels/${encodeURIComponent(reviewId)}"`);
    expect(reviewer.body).not.toContain('id="watch-only"');
  });

  it('a county official is refused with a message that names the rule', async () => {
    const refused = await send('GET /console/panels', PEOPLE.dunhuaApplicant);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('只有本级审核人员和运维人员可以查看本级的专家评审');
  });
});

describe('one panel, as the level’s operator watches it', () => {
  const path = { reviewId };
  const seatThree = async () => {
    const form = THREE.map((e) => `experts=${encodeURIComponent(e.email)}`).join('&');
    const seated = await send('POST /console/panels/{reviewId}/experts', PEOPLE.jilinReviewer, { path, form });
    expect(seated.statusCode).toBe(303);
  };

  it('opens read-only: the seats and the panel’s facts the reviewer sees, no form, no directory', async () => {
    await seatThree();
    const watched = await send('GET /console/panels/{reviewId}', PEOPLE.jilinOperator, { path });
    expect(watched.statusCode).toBe(200);
    expect(watched.body).toContain('id="watch-only"');
    expect(watched.body).toContain('data-status="OPEN"');
    for (const expert of THREE) expect(watched.body).toContain(expert.name);
    expect(watched.body.match(/data-state="ASSIGNED"/g)).toHaveLength(3);
    expect(watched.body).not.toContain('<form method="post" action="/console/panels');
    expect(watched.body).not.toContain('data-action=');
    expect(watched.body).not.toContain('data-expert=');
    // What the reviewer's page holds besides its forms, the operator's holds too.
    const reviewer = await send('GET /console/panels/{reviewId}', PEOPLE.jilinReviewer, { path });
    const facts = (body: string) =>
      body.match(/<section id="panel"[\s\S]*?<\/section>[\s\S]*?<section id="seats">[\s\S]*?<\/section>/)?.[0];
    expect(facts(watched.body)).toBeDefined();
    expect(facts(watched.body)).toBe(facts(reviewer.body));
    const en = await send('GET /console/panels/{reviewId}', PEOPLE.jilinOperator, { path, query: { lang: 'en' } });
    expect(en.body).toContain('the level’s reviewers seat and replace experts and close the panels');
  });

  it('still refuses the operator’s seating and closing (403 page), and writes nothing', async () => {
    const seat = await send('POST /console/panels/{reviewId}/experts', PEOPLE.jilinOperator, {
      path,
      form: THREE.map((e) => `experts=${encodeURIComponent(e.email)}`).join('&'),
    });
    expect(seat.statusCode).toBe(403);
    await seatThree();
    const close = await send('POST /console/panels/{reviewId}/close', PEOPLE.jilinOperator, {
      path,
      form: 'confirm=true',
    });
    expect(close.statusCode).toBe(403);
    expect(close.headers?.['content-type']).toContain('text/html');
    expect((await seatsStored()).map((s) => s.state)).toEqual(['ASSIGNED', 'ASSIGNED', 'ASSIGNED']);
    expect(cloud.sentEmails()).toHaveLength(3);
  });

  it('answers others as a reviewer of another level is answered: 403 for the panel, 404 for no review, nothing shown', async () => {
    const strangers = [PEOPLE.hebeiOperator, PEOPLE.nationalOperator, PEOPLE.dunhuaApplicant, PEOPLE.yanbianReviewer];
    for (const other of strangers) {
      const page = await send('GET /console/panels/{reviewId}', other, { path });
      expect(page.statusCode, other.sub).toBe(403);
      expect(page.body).not.toContain(review.clusterName);
      const none = await send('GET /console/panels/{reviewId}', other, { path: { reviewId: `${reviewId}x` } });
      expect(none.statusCode, other.sub).toBe(404);
    }
    // The level's own operator, for a review that does not exist: the reviewer's 404 too.
    const unknown = { reviewId: `${reviewId}x` };
    expect((await send('GET /console/panels/{reviewId}', PEOPLE.jilinOperator, { path: unknown })).statusCode).toBe(
      404,
    );
    expect((await send('GET /console/panels/{reviewId}', PEOPLE.jilinReviewer, { path: unknown })).statusCode).toBe(
      404,
    );
  });
});
