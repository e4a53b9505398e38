import { describe, expect, it } from 'vitest';
import { pageContext } from '../../../shared/platform/pages/layout.ts';
import { inboxPage, type InboxView } from '../../../shared/review/inbox-page.ts';
import { PEOPLE } from '../support.ts';

/**
 * The reviewer's inbox page: a pending review whose deadline passed can no longer be decided nor
 * its link sent again (逾期不予受理), so it is not to do: it is listed apart, without the button.
 */
const entry = (id: string, deadline: string, overdue: boolean): InboxView['reviews'][number] => ({
  reviewId: `${id}.city.3.1`,
  applicationId: id,
  clusterName: overdue ? '延吉市食品产业集群' : '敦化市医药产业集群',
  countyCode: overdue ? '222401' : '222403',
  countyName: overdue ? '延吉市' : '敦化市',
  stage: 'city',
  round: 1,
  campaignId: 'miit-2025-recommendation',
  track: 'recommendation',
  deadline,
  deadlineBeijing: deadline,
  overdue,
  openedAt: '2025-05-01T00:00:00.000Z',
});
const OPEN = entry('3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42', '2025-06-30T15:59:59.000Z', false);
const LAPSED = entry('6a1b2c3d-0000-4000-8000-000000000002', '2025-05-20T15:59:59.000Z', true);
/** Expired when its stage timed out: listed from storage (InboxView.lapsed), not as pending. */
const EXPIRED = {
  ...entry('6a1b2c3d-0000-4000-8000-000000000003', '2025-04-10T15:59:59.000Z', true),
  clusterName: '珲春市海洋产业集群',
};
const view: InboxView = {
  jurisdiction: { code: '222400', name: '延边朝鲜族自治州' },
  status: 'PENDING',
  reviews: [LAPSED, OPEN],
  lapsed: [],
};

describe('the inbox page', () => {
  it('counts only what can still be decided, and lists a lapsed review apart without the resend button', async () => {
    const ctx = pageContext('zh', 'inbox', {}, PEOPLE.yanbianReviewer);
    const page = (await inboxPage(ctx, {}, async () => view)).body;
    const [toDo, rest] = page.split('<section id="lapsed">') as [string, string];
    expect(toDo).toContain('待办 (1)');
    expect(toDo).toContain(`data-review="${OPEN.reviewId}"`);
    expect(toDo).toContain(`/console/reviews/${encodeURIComponent(OPEN.reviewId)}/resend`);
    expect(toDo).not.toContain(LAPSED.reviewId);
    expect(rest).toContain('期限已过 (1)');
    expect(rest).toContain('逾期不予受理');
    expect(rest).toContain(`data-review="${LAPSED.reviewId}"`);
    expect(rest).not.toContain('/resend');
  });

  it('has no lapsed section when nothing lapsed, and says so in English too', async () => {
    const none = (
      await inboxPage(pageContext('zh', 'inbox', {}, PEOPLE.yanbianReviewer), {}, async () => ({
        ...view,
        reviews: [OPEN],
      }))
    ).body;
    expect(none).not.toContain('id="lapsed"');
    const english = (await inboxPage(pageContext('en', 'inbox', {}, PEOPLE.yanbianReviewer), {}, async () => view))
      .body;
    expect(english).toContain('Deadline passed (1)');
  });

  it('lists the reviews expired when their stage timed out with the lapsed ones, latest first, the same five cells', async () => {
    const ctx = pageContext('zh', 'inbox', {}, PEOPLE.yanbianReviewer);
    const page = (await inboxPage(ctx, {}, async () => ({ ...view, lapsed: [EXPIRED] }))).body;
    const [toDo, rest] = page.split('<section id="lapsed">') as [string, string];
    expect(toDo).toContain('待办 (1)');
    expect(toDo).not.toContain(EXPIRED.reviewId);
    expect(rest).toContain('期限已过 (2)');
    expect(rest).not.toContain('/resend');
    expect(rest.indexOf(LAPSED.reviewId)).toBeLessThan(rest.indexOf(EXPIRED.reviewId));
    const row = (html: string, reviewId: string) => {
      const start = html.indexOf(`<tr data-review="${reviewId}"`);
      return html.slice(start, html.indexOf('</tr>', start));
    };
    const cells = (tr: string) => [...tr.matchAll(/<td[^>]*>/g)].length;
    const expired = row(rest, EXPIRED.reviewId);
    expect(expired).toContain('珲春市海洋产业集群');
    expect(expired).toContain(ctx.when(EXPIRED.deadline));
    // The open table has its actions cell besides the five both share.
    expect(cells(expired)).toBe(5);
    expect(cells(row(toDo, OPEN.reviewId))).toBe(6);
  });
});

/**
 * A province whose quota to MIIT is full: the review its letter could not complete is marked with
 * the review page's words, and the ranking says which candidates hold the slots and which wait.
 */
describe('the inbox page over a full quota', () => {
  const REFUSAL =
    '北京市推荐至工业和信息化部的名额已满（已用 8/8），超出的一律不予受理 / the quota of 110000 for recommendations to MIIT is full (8 of 8 used): no more are accepted';
  const WAITING = { ...OPEN, stage: 'province' as const, step: 'formal-letter' as const, quotaFull: REFUSAL };
  const OTHER = { ...OPEN, reviewId: `${EXPIRED.applicationId}.province.3.1.2`, applicationId: EXPIRED.applicationId };
  const candidate = (applicationId: string, rank: number, quota?: 'held' | 'waiting') => ({
    rank,
    reviewId: `${applicationId}.province.3.1`,
    applicationId,
    clusterName: `北京${rank}号产业集群`,
    countyCode: '110101',
    weightedScore: 90 - rank,
    scores: {},
    decision: 'approve' as const,
    decidedAt: '2025-06-01T00:00:00.000Z',
    ...(quota && { quota }),
  });
  const beijing: InboxView = {
    jurisdiction: { code: '110000', name: '北京市' },
    status: 'PENDING',
    reviews: [WAITING, OTHER],
    lapsed: [],
    ranking: [
      {
        campaignId: 'miit-2025-recommendation',
        track: 'recommendation',
        quota: { used: 8, limit: 8 },
        candidates: [
          candidate('00000000-0000-4000-8000-000000000001', 1, 'held'),
          candidate(WAITING.applicationId, 2, 'waiting'),
          candidate('00000000-0000-4000-8000-000000000003', 3),
        ],
      },
    ],
  };
  const rowOf = (html: string, attribute: string) => {
    const start = html.indexOf(`<tr ${attribute}`);
    return html.slice(start, html.indexOf('</tr>', start));
  };
  const reviewer = { sub: 'reviewer-110000', role: 'reviewer' as const, jurisdiction: '110000' };

  it("marks the waiting review's row with the review page's words, in the page's language, and no other row", async () => {
    const zh = (await inboxPage(pageContext('zh', 'inbox', {}, reviewer), {}, async () => beijing)).body;
    const marked = rowOf(zh, `data-review="${WAITING.reviewId}"`);
    expect(marked).toContain('正式推荐文件');
    expect(marked).toContain('data-quota-full>北京市推荐至工业和信息化部的名额已满（已用 8/8）');
    expect(marked).not.toContain('the quota of 110000');
    expect(rowOf(zh, `data-review="${OTHER.reviewId}"`)).not.toContain('名额已满');
    const en = (await inboxPage(pageContext('en', 'inbox', {}, reviewer), {}, async () => beijing)).body;
    expect(rowOf(en, `data-review="${WAITING.reviewId}"`)).toContain(
      'data-quota-full>the quota of 110000 for recommendations to MIIT is full (8 of 8 used)',
    );
  });

  it('says in the ranking who holds the slots of the quota, used of limit, and who waits over it', async () => {
    const zh = (await inboxPage(pageContext('zh', 'inbox', {}, reviewer), {}, async () => beijing)).body;
    const ranking = zh.slice(zh.indexOf('<section id="ranking">'));
    expect(ranking).toContain('推荐名额 (8/8)');
    expect(rowOf(ranking, 'data-application="00000000-0000-4000-8000-000000000001"')).toContain(
      'data-quota="held"><span class="ok">占用名额',
    );
    expect(rowOf(ranking, `data-application="${WAITING.applicationId}"`)).toContain(
      'data-quota="waiting"><strong class="late">名额已满，等待',
    );
    const third = rowOf(ranking, 'data-application="00000000-0000-4000-8000-000000000003"');
    expect(third).not.toContain('data-quota');
    expect(third).not.toContain('名额');
  });
});
