import { describe, expect, it } from 'vitest';
import { panelPage, panelsPage } from '../../../../shared/review/panel/console-page.ts';
import { panelPageModel, type PanelViewResult } from '../../../../shared/review/panel/console-view.ts';
import { rankPanels, type WaitingPanel } from '../../../../shared/review/panel/waiting.ts';
import { pageContext } from '../../../../shared/platform/pages/layout.ts';
import { CRITERIA } from '../../../../shared/rules/criteria.ts';

/**
 * The level's panel page, as a view-model: what it shows in each state of the panel. Scores
 * appear only once it is closed, the forms only while it is open, and every expert of the
 * directory who may not be seated says why beside the name.
 */

const REVIEW = '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42.province.3.1.1';
const seatId = (n: number) => `0a1b2c3d-0000-4000-8000-00000000000${n}`;
const AT = '2026-06-01T02:00:00.000Z';
const LATER = '2026-06-02T02:00:00.000Z';
const FULL = Object.fromEntries(CRITERIA.map((id, i) => [id, 70 + i * 2]));

const directory: PanelViewResult['experts'] = [
  { email: 'e1@example.cn', name: '孙立', affiliation: '吉林大学', conflict: null, seated: true },
  { email: 'e2@example.cn', name: '周敏', conflict: null, seated: true },
  { email: 'e3@example.cn', name: '吴刚', conflict: null, seated: false },
  { email: 'e4@example.cn', name: '郑华', conflict: null, seated: false },
  { email: 'e5@example.cn', name: '金哲', conflict: 'city', seated: false },
  { email: 'e6@example.cn', name: '朴成', conflict: 'county', seated: false },
];

const base: PanelViewResult = {
  reviewId: REVIEW,
  applicationId: '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42',
  clusterName: '敦化市医药产业集群',
  jurisdictionCode: '220000',
  track: 'recommendation',
  deadline: '2026-07-15T15:59:59.000Z',
  minExperts: 3,
  method: 'mean',
  status: 'NOT_OPENED',
  closable: false,
  scored: 0,
  seats: [],
  experts: directory.map((e) => ({ ...e, seated: false })),
};

/** Three seated: 孙立 scored, 周敏 declared (owing), 吴刚 recused. */
const open: PanelViewResult = {
  ...base,
  status: 'OPEN',
  scored: 1,
  seats: [
    {
      seatId: seatId(1),
      expert: { email: 'e1@example.cn', name: '孙立', affiliation: '吉林大学' },
      state: 'SCORED',
      assignedAt: AT,
      waiting: false,
      declaredAt: AT,
      scoredAt: LATER,
    },
    {
      seatId: seatId(2),
      expert: { email: 'e2@example.cn', name: '周敏' },
      state: 'DECLARED',
      assignedAt: AT,
      waiting: true,
      declaredAt: AT,
    },
    {
      seatId: seatId(3),
      expert: { email: 'e3@example.cn', name: '吴刚' },
      state: 'RECUSED',
      assignedAt: AT,
      waiting: false,
      recusedAt: AT,
      recusalReason: '曾为申报企业提供咨询',
    },
  ],
  experts: directory,
};

/** Closed: 吴刚's seat went to 郑华; three scored. */
const closed: PanelViewResult = {
  ...open,
  status: 'CLOSED',
  aggregate: 80.33,
  scored: 3,
  seats: [
    { ...open.seats[0]!, total: 77, scores: FULL },
    { ...open.seats[1]!, state: 'SCORED', waiting: false, scoredAt: LATER, total: 84, scores: FULL },
    { ...open.seats[2]!, state: 'REPLACED', replacedBy: seatId(4) },
    {
      seatId: seatId(4),
      expert: { email: 'e4@example.cn', name: '郑华' },
      state: 'SCORED',
      assignedAt: LATER,
      waiting: false,
      replaces: seatId(3),
      scoredAt: LATER,
      total: 80,
      scores: FULL,
    },
  ],
};

describe('the level’s panel page, by state', () => {
  it('before anyone is seated: the directory with 回避 beside the refused names, the seat form for at least 3, nothing else', () => {
    const model = panelPageModel(base);
    expect(model.seats).toEqual([]);
    expect(model.seatForm).toEqual({ atLeast: 3 });
    expect(model.replaceForm).toBeUndefined();
    expect(model.closeForm).toBeUndefined();
    expect(model.results).toBeUndefined();
    expect(model.candidates.map((c) => [c.name, c.refusal])).toEqual([
      ['孙立', undefined],
      ['周敏', undefined],
      ['吴刚', undefined],
      ['郑华', undefined],
      ['金哲', 'city'],
      ['朴成', 'county'],
    ]);
  });

  it('while open: who declared, recused (with the reason) or owes scores; no score shown; replace and close offered as they may be', () => {
    const model = panelPageModel(open);
    expect(model.seats.map((s) => [s.name, s.state, s.late, s.replaceable])).toEqual([
      ['孙立', 'SCORED', false, false],
      ['周敏', 'DECLARED', true, true],
      ['吴刚', 'RECUSED', false, true],
    ]);
    expect(model.seats[0]).toMatchObject({ affiliation: '吉林大学', movedAt: LATER });
    expect(model.seats[2]?.recusalReason).toBe('曾为申报企业提供咨询');
    expect(model.seats.every((s) => s.total === undefined && s.scores === undefined)).toBe(true);
    expect(model.counted).toBe(2);
    // Seated ones are not offered again; the one who recused does not come back.
    expect(model.candidates.map((c) => c.refusal)).toEqual(['seated', 'seated', 'left', undefined, 'city', 'county']);
    expect(model.replaceForm?.seats.map((s) => s.seatId)).toEqual([seatId(2), seatId(3)]);
    expect(model.closeForm).toEqual({ closable: false, needed: 3 });
    expect(model.seatForm).toEqual({ atLeast: 1 });
    expect(model.results).toBeUndefined();
  });

  it('never shows a score while open, even if one reached the view', () => {
    const leaked = { ...open, seats: open.seats.map((s) => ({ ...s, total: 93.17, scores: FULL })) };
    const model = panelPageModel(leaked);
    expect(model.seats.some((s) => s.total !== undefined || s.scores !== undefined)).toBe(false);
    const page = panelPage(pageContext('zh', 'panels/x', {}), model, {});
    expect(page.body).not.toContain('data-total');
    expect(page.body).not.toContain('93.17');
    // Each language's colon: a Chinese page writes the full-width one.
    expect(page.body).toContain('加权总分：评审结束后显示');
    expect(page.body).toContain('：曾为申报企业提供咨询');
    const english = panelPage(pageContext('en', 'panels/x', {}), model, {});
    expect(english.body).toContain('Weighted total: shown once closed');
  });

  it('offers closing once enough scored', () => {
    expect(panelPageModel({ ...open, closable: true }).closeForm).toEqual({ closable: true, needed: 3 });
  });

  it('once closed: each expert’s total and criteria, the aggregate, the rank; no forms', () => {
    const model = panelPageModel(closed, { rank: 2 });
    expect(model.seatForm).toBeUndefined();
    expect(model.replaceForm).toBeUndefined();
    expect(model.closeForm).toBeUndefined();
    expect(model.results).toEqual({
      aggregate: 80.33,
      rank: 2,
      totals: [
        { name: '周敏', total: 84 },
        { name: '郑华', total: 80 },
        { name: '孙立', total: 77 },
      ],
    });
    const replacement = model.seats.find((s) => s.seatId === seatId(4));
    expect(replacement?.replacesName).toBe('吴刚');
    expect(replacement?.scores?.map((s) => s.score)).toEqual(CRITERIA.map((id) => FULL[id]));
    expect(model.seats.find((s) => s.state === 'REPLACED')?.total).toBeUndefined();
  });
});

describe('the panel page rendered', () => {
  it('says why beside a refused name, in Chinese and in English, and escapes names', () => {
    const view = { ...open, clusterName: '<b>敦化</b>' };
    const zh = panelPage(pageContext('zh', 'panels/x', {}), panelPageModel(view), {}).body;
    expect(zh).toContain('回避：来自申报集群所在市');
    expect(zh).toContain('回避：来自申报集群所在县');
    expect(zh).toContain('&lt;b&gt;敦化&lt;/b&gt;');
    expect(zh).toContain(`name="experts" value="e4@example.cn"`);
    // A refused expert has no field that could post them.
    expect(zh).not.toContain(`value="e5@example.cn"`);
    expect(zh).not.toContain('<script>');
    const en = panelPage(pageContext('en', 'panels/x', {}), panelPageModel(view), {}).body;
    expect(en).toContain('Steps aside: from the candidate’s city');
    expect(en).toContain('action="/console/panels/' + encodeURIComponent(REVIEW) + '/experts?lang=en"');
  });

  it('shows the aggregate and the rank once closed', () => {
    const body = panelPage(pageContext('zh', 'panels/x', {}), panelPageModel(closed, { rank: 1 }), {}).body;
    expect(body).toContain('data-aggregate="80.33"');
    expect(body).toContain('data-rank="1"');
    expect(body).not.toContain('<form method="post" action="/console/panels');
  });
});

describe('the panel page as the level’s operator watches it', () => {
  it('while open: the same seats, states, recusals and counts as the reviewer’s, but no form, no directory, nothing to replace', () => {
    const reviewer = panelPageModel(open);
    const watched = panelPageModel(open, { watching: true });
    expect(watched.watching).toBe(true);
    expect(watched.seats.map((s) => [s.name, s.state, s.late, s.recusalReason])).toEqual(
      reviewer.seats.map((s) => [s.name, s.state, s.late, s.recusalReason]),
    );
    expect([watched.counted, watched.scored, watched.deadline, watched.minExperts]).toEqual([
      reviewer.counted,
      reviewer.scored,
      reviewer.deadline,
      reviewer.minExperts,
    ]);
    expect(watched.seats.some((s) => s.replaceable)).toBe(false);
    expect(watched.candidates).toEqual([]);
    expect(watched.seatForm).toBeUndefined();
    expect(watched.replaceForm).toBeUndefined();
    expect(watched.closeForm).toBeUndefined();
  });

  it('renders no form and no button, says who acts, in both languages', () => {
    for (const view of [base, { ...open, closable: true }]) {
      const zh = panelPage(pageContext('zh', 'panels/x', {}), panelPageModel(view, { watching: true }), {}).body;
      expect(zh).not.toContain('<form method="post" action="/console/panels');
      expect(zh).not.toContain('data-action=');
      expect(zh).not.toContain('<input');
      expect(zh).not.toContain('id="seat"');
      expect(zh).toContain('id="watch-only"');
      expect(zh).toContain('选派专家、替换专家和结束评审由本级审核人员办理');
    }
    const en = panelPage(pageContext('en', 'panels/x', {}), panelPageModel(open, { watching: true }), {}).body;
    expect(en).toContain('the level’s reviewers seat and replace experts and close the panels');
    expect(en).toContain('曾为申报企业提供咨询');
  });

  it('once closed: the results and the rank, as the reviewer sees them', () => {
    const watched = panelPageModel(closed, { rank: 2, watching: true });
    expect(watched.results).toEqual(panelPageModel(closed, { rank: 2 }).results);
    const body = panelPage(pageContext('zh', 'panels/x', {}), watched, {}).body;
    expect(body).toContain('data-aggregate="80.33"');
    expect(body).toContain('data-rank="2"');
  });
});

describe('the level’s list of panels', () => {
  const panel = (n: number, extra: Partial<WaitingPanel>): WaitingPanel => ({
    reviewId: `r${n}`,
    applicationId: `a${n}`,
    clusterName: `集群${n}`,
    countyName: '敦化市',
    campaignId: 'c',
    track: 'recommendation',
    deadline: '2026-07-15T15:59:59.000Z',
    status: 'OPEN',
    seated: 3,
    scored: 0,
    recused: 0,
    ...extra,
  });

  it('ranks the closed panels by aggregate within a campaign and track, ties sharing a place', () => {
    const ranked = rankPanels([
      panel(1, { status: 'CLOSED', aggregate: 70 }),
      panel(2, {}),
      panel(3, { status: 'CLOSED', aggregate: 90 }),
      panel(4, { status: 'CLOSED', aggregate: 70 }),
      panel(5, { status: 'CLOSED', aggregate: 95, track: 'rereview' }),
    ]);
    expect(ranked.map((p) => [p.reviewId, p.rank])).toEqual([
      ['r3', 1],
      ['r5', 1],
      ['r1', 2],
      ['r4', 2],
      ['r2', undefined],
    ]);
  });

  it('renders the list, and says so when nothing waits', () => {
    const ctx = pageContext('zh', 'panels', {});
    const list = panelsPage(ctx, { jurisdictionName: '吉林省', panels: [panel(1, { recused: 1 })] }).body;
    expect(list).toContain('href="/console/panels/r1"');
    expect(list).toContain('回避待替换 1');
    // The level's operator watches the same rows, each opening its panel read-only.
    const watched = panelsPage(ctx, { jurisdictionName: '吉林省', panels: [panel(1, {})], manages: false }).body;
    expect(watched).toContain('href="/console/panels/r1"');
    expect(watched).toContain('id="watch-only"');
    expect(panelsPage(ctx, { jurisdictionName: '吉林省', panels: [] }).body).toContain(
      '当前没有处于专家评审环节的申报',
    );
  });
});
