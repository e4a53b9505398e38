/**
 * /console and /console/board: without a campaign, the campaigns to choose from; with one, the
 * campaign board. What is late, what failed and how much quota is left come first; then the
 * provinces by status, the load per stage and the deadline calendar.
 *
 * The board is national: a provincial operator's home is its own jurisdiction's page instead
 * (the picker links there, and a board link for a campaign answers 303 there). A reviewer watches
 * no board, but /console is where the console sends everyone signing in and where its brand link
 * leads: without a campaign, a reviewer is sent to the inbox, its home. Asked for a campaign's
 * board, anyone who watches no jurisdiction at all (reviewers, applicants) is refused with 403.
 */
import { REVOCATION_WORDS } from '../../revocation/words.ts';
import { ANNUAL_WORDS } from '../../annual-report/words.ts';
import { NOTICE_WORDS, PACKAGE_WORDS } from '../../platform/pages/i18n.ts';
import { REGISTER_WORDS } from '../../register/words.ts';
import * as z from 'zod';
import { assertAllowed, may } from '../../platform/auth/policy.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { STAGE_WORDS, STATUS_WORDS, WAITING_POINT_TITLES } from '../../platform/words.ts';
import { parseOrThrow } from '../../platform/parse.ts';
import { MIIT_CODE, placeName } from '../../rules/jurisdictions.ts';
import type { ReviewerGap } from '../../schemas/reviews.ts';
import { APPLICATION_STATUSES, type Bilingual, TrackSchema } from '../../schemas/common.ts';
import type { FailedExecution, LateItem, OpsSummary } from '../../schemas/ops.ts';
import { dayTitle } from '../../platform/pages/i18n.ts';
import {
  gauges,
  html,
  type PageAnswer,
  type PageContext,
  POST_BUTTON_SCRIPT,
  renderPage,
  SafeHtml,
  scroll,
  seeOther,
  statusCells,
  statusHeads,
} from '../../platform/pages/layout.ts';

export const BoardQuerySchema = z.object({
  campaignId: z.string().min(1).max(64).optional(),
  track: TrackSchema.optional(),
});

/** What the campaign picker needs of a campaign (CampaignCatalog.list() gives more). */
export interface CampaignChoice {
  campaignId: string;
  name: Bilingual;
  year: number;
  open: boolean;
}

export interface BoardDeps {
  summary(query: { campaignId: string; track?: string }): Promise<OpsSummary>;
  campaigns(): Promise<readonly CampaignChoice[]>;
  /** Jurisdictions found with nobody registered to review (shown as a warning first). */
  reviewerGaps?(): Promise<readonly ReviewerGap[]>;
}

export async function boardPage(
  ctx: PageContext,
  query: Record<string, string>,
  deps: BoardDeps,
  principal: Principal,
): Promise<PageAnswer> {
  const q = parseOrThrow(BoardQuerySchema, query, 'query');
  if (!may.watch(principal, MIIT_CODE)) {
    if (principal.role === 'reviewer' && q.campaignId === undefined) return seeOther(ctx.link('inbox'));
    assertAllowed(may.watch(principal, principal.jurisdiction), 'watch', principal);
    const home = (campaignId: string) =>
      ctx.link('jurisdiction', { campaignId, code: principal.jurisdiction, track: q.track });
    if (q.campaignId === undefined) return campaignPicker(ctx, await deps.campaigns(), home);
    return seeOther(home(q.campaignId));
  }
  if (q.campaignId === undefined)
    return campaignPicker(ctx, await deps.campaigns(), (campaignId) => ctx.link('board', { campaignId }));
  const [summary, gaps] = await Promise.all([
    deps.summary({ campaignId: q.campaignId, ...(q.track && { track: q.track }) }),
    deps.reviewerGaps?.() ?? [],
  ]);
  return board(ctx, summary, gaps);
}

/** The campaigns, each linking to `target` (the board, or a provincial operator's jurisdiction). */
function campaignPicker(
  ctx: PageContext,
  campaigns: readonly CampaignChoice[],
  target: (campaignId: string) => string,
): PageAnswer {
  const { say } = ctx;
  const body = campaigns.length
    ? html`<section><ul class="plain">${campaigns.map(
        (c) => html`<li><a href="${target(c.campaignId)}"><strong>${say(c.name)}</strong></a>
<span class="note">· ${c.year} · <code>${c.campaignId}</code> · ${c.open ? html`<span class="ok">${say('open')}</span>` : say('closed')}</span></li>`,
      )}</ul></section>`
    : html`<section><p>${say('noCampaigns')}</p></section>`;
  return renderPage(200, ctx, { title: say('pickCampaign'), body });
}

/** The warning above everything: reviews that wait because nobody is registered to email. */
function reviewerGapWarning(ctx: PageContext, gaps: readonly ReviewerGap[]): SafeHtml | string {
  if (gaps.length === 0) return '';
  const { say } = ctx;
  return html`<section id="reviewer-gaps" role="alert"><h2 class="bad">${say('reviewerGaps')} <span class="late">(${gaps.length})</span></h2>
<p>${say('reviewerGapsNote')}</p><ul class="plain">${gaps.map(
    (
      gap,
    ) => html`<li data-jurisdiction="${gap.jurisdictionCode}"><strong>${placeName(gap.jurisdictionCode) ?? gap.jurisdictionCode}</strong> <code>${gap.jurisdictionCode}</code>
<span class="note">· ${say('gapSince')} ${ctx.when(gap.firstSeenAt)} · ${say('gapLast')} ${ctx.when(gap.lastSeenAt)}${gap.reviewId ? html` · <code>${gap.reviewId}</code>` : ''}</span></li>`,
  )}</ul></section>`;
}

function board(ctx: PageContext, summary: OpsSummary, gaps: readonly ReviewerGap[] = []): PageAnswer {
  const { say } = ctx;
  const campaignId = summary.campaign.campaignId;
  const head = html`<p class="note">${say('generatedAt')} ${ctx.when(summary.generatedAt)} · <code>${campaignId}</code> ·
${say('applications')} <strong data-total>${summary.totals.total}</strong> · <a href="${ctx.link('board')}">${say('campaigns')}</a></p>`;

  const glance = html`<div class="glance">
<section id="late"><h2>${say('late')} <span class="late">(${summary.late.length})</span></h2>${lateList(ctx, summary.late)}</section>
<section id="failed"><h2>${say('failed')} <span class="late">(${summary.failedExecutions.length})</span></h2>${failures(ctx, summary.failedExecutions)}</section>
<section id="quotas"><h2>${say('quotas')}</h2>${gauges(ctx, summary.quotas)}</section>
</div>`;

  const provinces = html`<section id="provinces"><h2>${say('provinces')}</h2>${scroll(html`<table>
<thead><tr><th>${say('place')}</th><th class="n">${say('total')}</th>${statusHeads(say)}</tr></thead>
<tbody>${summary.provinces.map(
    (p) =>
      html`<tr data-code="${p.code}"><td><a href="${ctx.link('jurisdiction', { campaignId, code: p.code })}">${p.name}</a></td><td class="n" data-total>${p.total}</td>${statusCells(p.byStatus)}</tr>`,
  )}
<tr data-code="total" class="total"><td>${say('total')}</td><td class="n" data-total>${summary.totals.total}</td>${statusCells(summary.totals.byStatus)}</tr></tbody>
</table>`)}</section>`;

  const stages = html`<section id="stages"><h2>${say('stages')}</h2>${scroll(html`<table>
<thead><tr><th>${say('stage')}</th><th class="n">${say('pending')}</th><th class="n">${say('overdue')}</th></tr></thead>
<tbody>${summary.stages.length === 0 ? html`<tr><td colspan="3" class="ok">${say('noReviews')}</td></tr>` : ''}${summary.stages.map(
    (s) =>
      html`<tr data-stage="${s.stage}"${s.overdue > 0 ? new SafeHtml(' class="late"') : ''}><td>${say(WAITING_POINT_TITLES[s.stage] ?? { zh: s.stage, en: s.stage })}</td><td class="n">${s.pending}</td><td class="n">${s.overdue}</td></tr>`,
  )}</tbody></table>`)}</section>`;

  return renderPage(200, ctx, {
    title: `${ctx.lang === 'en' ? (summary.campaign.nameEn ?? summary.campaign.name) : summary.campaign.name} · ${say('board')}`,
    body: html`${head}${reviewerGapWarning(ctx, gaps)}${glance}${provinces}${stages}${calendar(ctx, summary)}
<p><a href="${ctx.link('objections')}">${say(NOTICE_WORDS.triageTitle)}</a> · <a href="${ctx.link('packages', { campaignId: summary.campaign.campaignId })}">${say(PACKAGE_WORDS.title)}</a> · <a href="${ctx.link('revocations')}">${say(REVOCATION_WORDS.title)}</a></p>
<p><a href="${ctx.link('register')}">${say(REGISTER_WORDS.title)}</a> · <a href="${ctx.link('register/cohort')}">${say(REGISTER_WORDS.cohortTitle)}</a> · <a href="${ctx.link('annual-reports')}">${say(ANNUAL_WORDS.title)}</a></p>`,
    scripts: [POST_BUTTON_SCRIPT],
  });
}

function lateList(ctx: PageContext, late: readonly LateItem[]): SafeHtml {
  const { say } = ctx;
  if (late.length === 0) return html`<p class="ok">${say('noneLate')}</p>`;
  return scroll(html`<table><thead><tr><th class="wrap">${say('cluster')}</th><th>${say('status')}</th><th>${say('due')}</th><th class="n">${say('daysLate')}</th></tr></thead>
<tbody>${late.map(
    (item) => html`<tr data-application="${item.applicationId}" class="late">
<td class="wrap"><a href="${ctx.link('application', { id: item.applicationId })}">${item.clusterName}</a><br><span class="note">${item.place}</span></td>
<td>${say(STATUS_WORDS[item.status].console)}${item.stage ? html`<br><span class="note">${say(STAGE_WORDS[item.stage].title)}</span>` : ''}</td>
<td>${ctx.when(item.dueAt)}</td><td class="n">${item.daysLate}</td></tr>`,
  )}</tbody></table>`);
}

/** How an execution ended, in the page's words (Step Functions' own status is its code). */
const EXECUTION_STATUS_WORDS: Readonly<Record<FailedExecution['status'], Bilingual>> = {
  FAILED: { zh: '执行失败', en: 'Failed' },
  TIMED_OUT: { zh: '执行超时', en: 'Timed out' },
  ABORTED: { zh: '执行已中止', en: 'Aborted' },
};

/**
 * What a failed execution means for its application, and what to do (docs/runbook.md,
 * ladder-executions-failed): said once above the list, so the page alone is enough at night.
 */
const FAILURE_MEANING: Bilingual = {
  zh: '申报停在失败的那一步，不会再有人收到审核请求，直到重新执行。先按“原因”排除故障（例如补上缺少的权限），再点“从失败处继续执行”：申报从失败的那一步继续，已完成的步骤不会重复。',
  en: 'The application stops at the step that failed and nobody is asked to decide until it runs again. Fix what the cause names first (a missing permission, say), then press Redrive: it resumes at the step that failed, and steps already done are not done twice.',
};

function failures(ctx: PageContext, executions: readonly FailedExecution[]): SafeHtml {
  const { say } = ctx;
  if (executions.length === 0) return html`<p class="ok">${say('noneFailed')}</p>`;
  return html`<p class="note" id="failed-meaning">${say(FAILURE_MEANING)}</p><ul class="plain">${executions.map(
    (e, i) => {
      const message = causeMessage(e.cause);
      const action = e.redrivable
        ? html`<button type="button" data-post="/console/executions/${encodeURIComponent(e.executionName)}/redrive" data-out="redrive-${i}"
data-busy="${say('redriving')}" data-ok="${say('redriven')}" data-failed="${say('requestFailed')}" data-reload>${say('redrive')}</button><output id="redrive-${i}" aria-live="polite"></output>`
        : html`<p class="note">${say('notRedrivable')}</p>`;
      return html`<li data-execution="${e.executionName}">
<div>${e.applicationId ? html`<a href="${ctx.link('application', { id: e.applicationId })}">${e.clusterName ?? e.applicationId}</a>` : (e.clusterName ?? '')}
<span class="bad" data-status="${e.status}">${say(EXECUTION_STATUS_WORDS[e.status])}</span></div>
<div class="note">${say('execution')} <code>${e.executionName}</code> · ${say('stoppedAt')} ${ctx.when(e.stopDate ?? e.startDate)} · ${say('redriveCount')} ${e.redriveCount}</div>
${e.error ? html`<div>${say('error')}: <strong>${e.error}</strong></div>` : ''}
${message ? html`<div class="cause">${say('cause')}: ${message}</div>` : ''}
${e.cause && e.cause !== message ? html`<details><summary>${say('detail')}</summary><div class="cause">${clip(e.cause, 4000)}</div></details>` : ''}
${action}</li>`;
    },
  )}</ul>`;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

const CauseSchema = z.object({ errorMessage: z.string() }).or(z.object({ message: z.string() }));

/** A Lambda error's cause is JSON with errorMessage and a stack trace: show the message first. */
function causeMessage(cause: string | undefined): string | undefined {
  if (cause === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(cause);
  } catch {
    return clip(cause, 300);
  }
  const found = CauseSchema.safeParse(parsed);
  if (!found.success) return clip(cause, 300);
  return clip('errorMessage' in found.data ? found.data.errorMessage : found.data.message, 300);
}

function calendar(ctx: PageContext, summary: OpsSummary): SafeHtml {
  const { say } = ctx;
  const days = summary.calendar;
  const body = days.length
    ? scroll(html`<table><thead><tr><th>${say('date')}</th><th class="n">${say('pending')}</th><th class="wrap">${say('status')}</th><th class="wrap">${say('milestones')}</th></tr></thead>
<tbody>${days.map((day) => {
        const counts = APPLICATION_STATUSES.filter((s) => (day.byStatus[s] ?? 0) > 0).map(
          (s) => `${say(STATUS_WORDS[s].console)} ${day.byStatus[s]}`,
        );
        return html`<tr data-date="${day.date}"${day.past ? new SafeHtml(' class="past"') : ''}>
<td>${say(dayTitle(day.date))}${day.past ? html` <span class="late">(${say('pastDay')})</span>` : ''}</td>
<td class="n">${day.total}</td><td class="wrap">${counts.join(' · ')}</td><td class="wrap">${day.milestones.join('; ')}</td></tr>`;
      })}</tbody></table>`)
    : html`<p class="note">${say('noCalendar')}</p>`;
  return html`<section id="calendar"><h2>${say('calendar')}</h2>${body}</section>`;
}
