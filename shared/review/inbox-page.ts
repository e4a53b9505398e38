/**
 * /console/inbox: the signed-in reviewer's inbox — their jurisdiction's pending reviews by
 * deadline, those whose deadline passed listed apart, and for a province its candidates ranked
 * by expert score.
 * Each row's cluster name opens the review's console page (console-review-handler.ts; a lapsed one says
 * why it takes no decision), and a pending one offers to email the link again beside it.
 */
import { REVOCATION_WORDS } from '../revocation/words.ts';
import { ANNUAL_WORDS } from '../annual-report/words.ts';
import { REGISTER_WORDS } from '../register/words.ts';
import {
  LEVEL_DOCUMENT_WORDS,
  NOTICE_WORDS,
  oneLanguage,
  PACKAGE_WORDS,
  PANEL_CONSOLE_WORDS,
} from '../platform/pages/i18n.ts';
import * as z from 'zod';
import { DECISION_WORDS, STAGE_WORDS, TRACK_WORDS } from '../platform/words.ts';
import type { ReviewDesk } from './desk.ts';
import type { QuotaStanding } from './inbox.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { placeName } from '../rules/jurisdictions.ts';
import { STEP_TITLES } from '../rules/steps.ts';
import { type Bilingual, DivisionCodeSchema } from '../schemas/common.ts';
import { panelPagePath } from './panel/console-page.ts';
import { reviewPagePath } from './console-review-handler.ts';
import {
  html,
  type PageAnswer,
  type PageContext,
  POST_BUTTON_SCRIPT,
  renderPage,
  type SafeHtml,
  scroll,
} from '../platform/pages/layout.ts';

/** What `ReviewDesk.inbox()` answers. */
export type InboxView = Awaited<ReturnType<ReviewDesk['inbox']>>;
export type InboxReader = (query: Record<string, string>) => Promise<InboxView>;

/** An expert-panel step's row: the level runs the panel on its console page, not on the review page. */
const RUN_PANEL: Bilingual = { zh: '选派专家、结束评审', en: 'Seat experts, close the panel' };

/**
 * Where a ranked candidate stands against the quota to MIIT: holding a slot, or waiting over the
 * full quota (its approval is refused until a slot comes free); the column's head, with the use.
 */
const QUOTA_WORDS: Readonly<Record<'head' | 'held' | 'waiting', Bilingual>> = {
  head: { zh: '推荐名额', en: 'Quota' },
  held: { zh: '占用名额', en: 'Holds a slot' },
  waiting: { zh: '名额已满，等待', en: 'Waits: quota full' },
};

export const InboxPageQuerySchema = z.object({
  /** The reader is the signed-in reviewer's inbox; an old link naming the jurisdiction must name theirs. */
  jurisdiction: DivisionCodeSchema.optional(),
  campaignId: z.string().min(1).max(64).optional(),
});

export async function inboxPage(
  ctx: PageContext,
  query: Record<string, string>,
  read: InboxReader,
): Promise<PageAnswer> {
  const q = parseOrThrow(InboxPageQuerySchema, query, 'query');
  const view = await read({
    ...(q.jurisdiction && { jurisdiction: q.jurisdiction }),
    ...(q.campaignId && { campaignId: q.campaignId }),
  });
  return inbox(ctx, view);
}

/**
 * A review whose deadline passed can no longer be decided (its link answers 逾期不予受理, and the
 * workflow closed the application when the stage timed out, expiring the review), nor its link
 * sent again: it is no longer to do. It is listed apart, without the resend button, so that the
 * level sees what lapsed at it: the expired ones from storage (InboxView.lapsed), with any still
 * pending past its deadline while the timeout is under way.
 */
const LAPSED: Readonly<Record<'title' | 'note', Bilingual>> = {
  title: { zh: '期限已过', en: 'Deadline passed' },
  note: {
    zh: '以下审核未在期限内作出决定，逾期不予受理：不能再作出决定，也无需再办理。',
    en: 'These reviews were not decided by their deadline and are no longer accepted: they can no longer be decided, and nothing is left to do.',
  },
};

function inbox(ctx: PageContext, view: InboxView): PageAnswer {
  const { say } = ctx;
  const open = view.reviews.filter((r) => !r.overdue);
  // Still pending in storage with its deadline passed (its stage's timeout is under way), or expired
  // when the stage timed out: the same to the level. The latest first.
  const lapsed = [...view.reviews.filter((r) => r.overdue), ...view.lapsed].sort(
    (a, b) => Date.parse(b.deadline) - Date.parse(a.deadline),
  );
  const reviews = open.length
    ? scroll(html`<table><thead><tr>${leadingHeads(ctx)}<th class="wrap"></th></tr></thead>
<tbody>${open.map(
        (r, i) => html`<tr data-review="${r.reviewId}">
${leadingCells(ctx, r)}
<td class="wrap">${
          r.step === 'expert-panel'
            ? html`<a data-panel href="${ctx.link(panelPagePath(r.reviewId))}">${say(RUN_PANEL)}</a><br>`
            : ''
        }<button type="button" data-post="/console/reviews/${encodeURIComponent(r.reviewId)}/resend" data-out="resend-${i}"
data-busy="${say('sending')}" data-ok="${say('sentTo')}" data-failed="${say('requestFailed')}">${say('resend')}</button>
<output id="resend-${i}" aria-live="polite"></output></td></tr>`,
      )}</tbody></table>`)
    : html`<p class="ok">${say('noReviews')}</p>`;
  const lapsedSection = lapsed.length
    ? html`<section id="lapsed"><h2>${say(LAPSED.title)} (${lapsed.length})</h2><p class="note">${say(LAPSED.note)}</p>${scroll(html`<table><thead><tr>${leadingHeads(ctx)}</tr></thead>
<tbody>${lapsed.map(
        (r) => html`<tr data-review="${r.reviewId}" class="late">
${leadingCells(ctx, r, html`<br><strong class="late">${say('overdue')}</strong>`)}</tr>`,
      )}</tbody></table>`)}</section>`
    : '';

  const body = html`<p class="note">${say('inboxOf')} <strong>${view.jurisdiction.name}</strong> <code>${view.jurisdiction.code}</code></p>
<section id="reviews"><h2>${say('pending')} (${open.length})</h2><p class="note">${say('resendNote')}</p>${reviews}</section>
${lapsedSection}
<p><a href="${ctx.link('objections')}">${say(NOTICE_WORDS.triageTitle)}</a> · <a href="${ctx.link('packages')}">${say(PACKAGE_WORDS.title)}</a> · <a href="${ctx.link('revocations')}">${say(REVOCATION_WORDS.title)}</a></p>
<p><a href="${ctx.link('level-documents')}">${say(LEVEL_DOCUMENT_WORDS.link)}</a> · <a href="${ctx.link('panels')}">${say(PANEL_CONSOLE_WORDS.link)}</a></p>
<p><a href="${ctx.link('register')}">${say(REGISTER_WORDS.title)}</a> · <a href="${ctx.link('register/cohort')}">${say(REGISTER_WORDS.cohortTitle)}</a> · <a href="${ctx.link('annual-reports')}">${say(ANNUAL_WORDS.title)}</a></p>
${view.ranking ? ranking(ctx, view.ranking) : ''}`;

  return renderPage(200, ctx, {
    title: `${say('inbox')} · ${view.jurisdiction.name}`,
    body,
    scripts: [POST_BUTTON_SCRIPT],
  });
}

type Entry = InboxView['reviews'][number];

/** The five columns every review table of the inbox opens with (to do and lapsed alike). */
function leadingHeads(ctx: PageContext): SafeHtml {
  const { say } = ctx;
  return html`<th>${say('due')}</th><th class="wrap">${say('cluster')}</th><th>${say('county')}</th>
<th>${say('stage')}</th><th class="n">${say('round')}</th>`;
}

/** The five leading cells of a review's row, in leadingHeads' order; `dueNote` follows the deadline. */
function leadingCells(ctx: PageContext, r: Entry, dueNote: SafeHtml | '' = ''): SafeHtml {
  return html`<td>${ctx.when(r.deadline)}${dueNote}</td>
<td class="wrap"><a data-open href="${ctx.link(reviewPagePath(r.reviewId))}">${r.clusterName}</a></td><td>${r.countyName}</td><td>${stageCell(ctx, r)}</td><td class="n">${r.round}</td>`;
}

/**
 * The stage, and the step where it is not the stage's single review; under it, where its approval
 * would be refused over a full quota, the review page's own words (a formal letter filed does not
 * complete such a step: it waits, and the level must know).
 */
function stageCell(ctx: PageContext, r: Entry): SafeHtml {
  const step = r.step && r.step !== 'review' ? html`<br>${ctx.say(STEP_TITLES[r.step])}` : '';
  const full = r.quotaFull === undefined ? '' : oneLanguage(ctx.lang, r.quotaFull);
  return html`${ctx.say(STAGE_WORDS[r.stage].title)}${step}${full ? html`<br><strong class="late" data-quota-full>${full}</strong>` : ''}`;
}

function quotaStanding(ctx: PageContext, standing: QuotaStanding | undefined): SafeHtml | string {
  if (standing === 'held') return html`<span class="ok">${ctx.say(QUOTA_WORDS.held)}</span>`;
  if (standing === 'waiting') return html`<strong class="late">${ctx.say(QUOTA_WORDS.waiting)}</strong>`;
  return '';
}

function ranking(ctx: PageContext, groups: NonNullable<InboxView['ranking']>): SafeHtml {
  const { say } = ctx;
  const tables = groups.map(
    (group) =>
      html`<h3>${say(TRACK_WORDS[group.track].title)} · <code>${group.campaignId}</code></h3>${scroll(html`<table>
<thead><tr><th class="n">${say('rank')}</th><th class="wrap">${say('cluster')}</th><th>${say('county')}</th><th class="n">${say('score')}</th>
<th>${say('decision')}</th><th>${say('decidedAt')}</th><th>${say(QUOTA_WORDS.head)}${group.quota ? html` (${group.quota.used}/${group.quota.limit})` : ''}</th></tr></thead>
<tbody>${group.candidates.map(
        (
          c,
        ) => html`<tr data-application="${c.applicationId}"><td class="n">${c.rank}</td><td class="wrap">${c.clusterName}</td>
<td>${placeName(c.countyCode) ?? c.countyCode}</td><td class="n">${c.weightedScore}</td><td>${say(DECISION_WORDS[c.decision].title)}</td><td>${ctx.when(c.decidedAt)}</td>
<td${c.quota ? html` data-quota="${c.quota}"` : ''}>${quotaStanding(ctx, c.quota)}</td></tr>`,
      )}</tbody></table>`)}`,
  );
  return html`<section id="ranking"><h2>${say('ranking')}</h2>${tables.length ? tables : html`<p class="note">${say('noRanking')}</p>`}</section>`;
}
