/**
 * The console's re-review cohort page (/console/register/cohort): who of the cohort has filed and
 * who has not, by province, city and county, each filing's status, and each level's countdown to
 * its deadline in Beijing time. Server-rendered, Chinese by default; cards, so a phone shows it
 * without scrolling sideways.
 */
import { html, type PageAnswer, type PageContext, renderPage } from '../platform/pages/layout.ts';
import { STAGE_WORDS, STATUS_WORDS } from '../platform/words.ts';
import { placeName } from '../rules/jurisdictions.ts';
import type { Bilingual } from '../schemas/common.ts';
import { type CohortMember, type CohortView, type FilingState, hasFiled } from './cohort.ts';
import { LEVEL_WORDS, REGISTER_WORDS, STATE_WORDS } from './words.ts';

/** The campaign the page shows when none is asked for: the 2025 re-review of the 2022 cohort. */
export const DEFAULT_COHORT_CAMPAIGN = 'miit-2025-rereview';

const W = {
  title: REGISTER_WORDS.cohortTitle,
  /** A label's colon: full-width in Chinese, an ASCII colon and space in English. */
  colon: { zh: '：', en: ': ' },
  intro: {
    zh: '须参与复核的认定集群：是否已提交复核申报、当前状态，以及各级截止时间（北京时间）。',
    en: 'The recognised clusters that must take part in the re-review: whether each has filed, where its filing stands, and each level’s deadline (Beijing time).',
  },
  members: { zh: '批次集群', en: 'Members' },
  filed: { zh: '已提交', en: 'Filed' },
  notFiled: { zh: '未提交', en: 'Not filed' },
  notFiledIn: { zh: '各省份未提交', en: 'Not filed, by province' },
  none: { zh: '本辖区没有该批次的认定集群', en: 'No member of this cohort in your jurisdiction' },
  register: { zh: '认定状态', en: 'Register state' },
  validUntil: { zh: '有效期至', en: 'Valid until' },
  filing: { zh: '复核申报', en: 'Filing' },
  deadlines: { zh: '各级截止时间', en: 'Deadlines' },
  passed: { zh: '已截止', en: 'passed' },
  cohortOf: { zh: '认定批次', en: 'Cohort' },
} as const satisfies Record<string, Bilingual>;

const FILING_WORDS: Record<FilingState, Bilingual> = {
  'not-filed': { zh: '未申报', en: 'Not filed' },
  draft: { zh: '草稿未提交', en: 'Draft, not submitted' },
  'in-review': { zh: '审核中', en: 'Under review' },
  ended: { zh: '已办结', en: 'Ended' },
};

const STYLE = `
.cards{list-style:none;padding:0;margin:0}
.cards li{border-top:1px solid #eee;padding:.6rem 0}
.cards h3{margin:0 0 .25rem;word-break:break-word}
.not-filed h3::after{content:"";display:inline-block;width:.6rem;height:.6rem;margin-left:.4rem;border-radius:50%;background:#8a1c1c}
.counts{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;padding:0;margin:0}
.counts strong{font-size:1.4em;display:block}
.deadlines{list-style:none;padding:0;margin:0}
.deadlines .passed{color:#8a1c1c}
.place{word-break:break-word}
`;

function deadlineList(ctx: PageContext, member: CohortMember) {
  return html`<ul class="deadlines">${member.deadlines.map(
    (d) =>
      html`<li data-stage="${d.stage}" class="${d.passed ? 'passed' : ''}">${ctx.say(STAGE_WORDS[d.stage].title)}${ctx.say(W.colon)}${ctx.when(
        d.at,
      )} · ${ctx.say(d.left)}</li>`,
  )}</ul>`;
}

function memberCard(ctx: PageContext, member: CohortMember) {
  const { say } = ctx;
  const place = [member.provinceName, member.cityName, member.countyName].filter(Boolean).join(' · ');
  const status = member.status ? ` · ${say(STATUS_WORDS[member.status].console)}` : '';
  return html`<li data-entry="${member.entryId}" data-filing="${member.filing}" class="${hasFiled(member) ? 'filed' : 'not-filed'}">
<h3>${member.clusterName}</h3>
<dl class="facts"><dt>${say(W.filing)}</dt><dd data-status="${member.status ?? ''}">${say(FILING_WORDS[member.filing])}${status}</dd>
<dt>${say(W.register)}</dt><dd>${say(STATE_WORDS[member.state])} · ${say(W.validUntil)} ${member.validUntil}</dd>
<dt>${say(W.deadlines)}</dt><dd>${deadlineList(ctx, member)}</dd></dl>
<p class="note place">${place}</p></li>`;
}

/** Members grouped by province, then city: each group headed with its not-filed count. */
function groups(ctx: PageContext, members: readonly CohortMember[]) {
  const byProvince = new Map<string, CohortMember[]>();
  for (const member of members)
    byProvince.set(member.provinceCode, [...(byProvince.get(member.provinceCode) ?? []), member]);
  return [...byProvince.entries()].map(([code, list]) => {
    const missing = list.filter((m) => !hasFiled(m)).length;
    return html`<section data-province="${code}"><h2>${placeName(code) ?? code} <span class="note">${ctx.say(
      W.notFiled,
    )} ${String(missing)} / ${String(list.length)}</span></h2>
<ul class="cards">${list.map((m) => memberCard(ctx, m))}</ul></section>`;
  });
}

export function cohortPage(ctx: PageContext, view: CohortView): PageAnswer {
  const { say } = ctx;
  const { counts } = view;
  const cohortWords = `${say(LEVEL_WORDS[view.cohort.level])} · ${String(view.cohort.year)}`;
  const summary = html`<section><p>${say(W.intro)}</p><p class="note">${say(W.cohortOf)}${say(W.colon)}${cohortWords}</p>
<ul class="counts" id="cohort-counts" data-members="${String(counts.members)}" data-not-filed="${String(counts.notFiled)}">
<li><strong>${String(counts.members)}</strong>${say(W.members)}</li>
<li><strong>${String(counts.filed)}</strong>${say(W.filed)}</li>
<li><strong>${String(counts.notFiled)}</strong>${say(W.notFiled)}</li></ul></section>`;
  const body = view.members.length
    ? html`${summary}${groups(ctx, view.members)}`
    : html`${summary}<section><p>${say(W.none)}</p></section>`;
  return renderPage(200, ctx, { title: say(W.title), body, style: STYLE, refresh: false });
}
