/**
 * /portal: the county's applications — each with its status in words, where it stands on the
 * ladder, the next deadline with a countdown, and what waits on the county (the reasons it was
 * returned, the form fields and checklist items still missing) — and the campaigns open to the
 * county, with the deadlines that apply to it.
 */
import type { CountyApplication, CountyDesk, OpenCampaign } from '../intake/county.ts';
import { html, type PageAnswer, type PageContext, renderPage, type SafeHtml } from '../platform/pages/layout.ts';
import type { Word } from '../platform/pages/i18n.ts';
import { STATUS_WORDS, TRACK_WORDS } from '../platform/words.ts';
import { placeName } from '../rules/jurisdictions.ts';
import type { Bilingual } from '../schemas/common.ts';
import { deadline, flash, ladder, lateAdvice, openToCounty, PORTAL_STYLE } from './parts.ts';
import { DEADLINE_WORDS as LATE_WORDS } from './deadline-words.ts';
import { problemList } from './problems.ts';
import { REGISTER_WORDS } from '../register/words.ts';
import { ANNUAL_WORDS } from '../annual-report/words.ts';
import { colon } from '../platform/pages/punctuation.ts';

export async function homePage(
  ctx: PageContext,
  query: Record<string, string>,
  desk: CountyDesk,
  now: Date,
): Promise<PageAnswer> {
  const { say } = ctx;
  const body = html`${flash(ctx, query)}
<section id="applications"><h2>${say('ourApplications')} (${desk.applications.length})</h2>${
    desk.applications.length
      ? html`<ul class="cards">${desk.applications.map((entry) => applicationCard(ctx, entry, now))}</ul>`
      : html`<p class="note">${say('noOwnApplications')}</p>`
  }</section>
<section id="campaigns"><h2>${say('openCampaigns')}</h2>${
    desk.open.length
      ? html`<ul class="cards">${desk.open.map((open) => campaignCard(ctx, open))}</ul>`
      : html`<p class="note">${say('noOpenCampaigns')}</p>`
  }</section>
<p id="more" class="actions"><a href="${ctx.link('clusters')}">${say(REGISTER_WORDS.mine)}</a>
<a href="${ctx.link('annual-reports')}">${say(ANNUAL_WORDS.title)}</a></p>`;
  return renderPage(200, ctx, {
    title: `${placeName(desk.countyCode) ?? desk.countyCode} · ${say('ourApplications')}`,
    body,
    refresh: false,
    style: PORTAL_STYLE,
  });
}

function applicationCard(
  ctx: PageContext,
  { application, campaign, problems }: CountyApplication,
  now: Date,
): SafeHtml {
  const { say } = ctx;
  const returned = application.status === 'RETURNED';
  // Past its deadline (or ended OVERDUE) nothing the county sends is accepted: the card says so,
  // what is left and whom to ask, instead of offering to edit, upload and submit.
  const waiting = (application.status === 'DRAFT' || returned) && openToCounty(application, now);
  const late = application.status === 'OVERDUE' || ((application.status === 'DRAFT' || returned) && !waiting);
  return html`<li data-application="${application.applicationId}" data-status="${application.status}">
<h3><a href="${ctx.link('application', { id: application.applicationId })}">${application.clusterName}</a></h3>
<p class="note">${say(campaign.name)} · ${say(TRACK_WORDS[application.track].title)} · ${say('status')}${colon(ctx.lang)}<strong>${say(STATUS_WORDS[application.status].console)}</strong></p>
${ladder(ctx, application)}
${deadline(ctx, application, now)}
${
  returned && waiting && application.decisionReason
    ? html`<div class="returned problem" role="note"><p><strong>${say('returnedReasons')}${colon(ctx.lang)}</strong></p><p class="reason">${application.decisionReason}</p><p>${say('resubmitBy')}</p></div>`
    : ''
}
${
  late
    ? html`<div class="problem late-notice" role="note"><p><strong>${say(LATE_WORDS.overdueTitle)}</strong></p>${lateAdvice(ctx, application)}</div>`
    : ''
}
${
  waiting
    ? html`<details${problems.length ? html` open` : ''}><summary>${say('waitingOnUs')}${colon(ctx.lang)}${
        problems.length ? `${say('missingItems')} ${problems.length}` : say('nothingMissing')
      }</summary>${problemList(ctx, application.track, problems)}</details>
<p class="actions"><a class="button" href="${ctx.link('edit', { id: application.applicationId })}">${say('continueEditing')}</a>
<a class="button" href="${ctx.link('evidence', { id: application.applicationId })}">${say('uploadEvidence')}</a>
<a class="button secondary" href="${ctx.link('submit', { id: application.applicationId })}">${say(returned ? 'resubmitApplication' : 'submitApplication')}</a></p>`
    : ''
}</li>`;
}

const DEADLINE_WORDS: readonly (readonly [keyof OpenCampaign['deadlines'], Word])[] = [
  ['submission', 'deadlineSubmission'],
  ['city', 'deadlineCity'],
  ['province', 'deadlineProvince'],
  ['miit', 'deadlineMiit'],
];

/** MIIT's last date of a call for typical cases only: it selects them (入选), it never recognises one. */
const MIIT_SELECTS: Bilingual = { zh: '工信部遴选', en: 'MIIT selects by' };

function campaignCard(ctx: PageContext, { campaign, tracks, deadlines, milestones }: OpenCampaign): SafeHtml {
  const { say } = ctx;
  const selectsOnly = tracks.length > 0 && tracks.every((track) => track === 'typical-case');
  const rows = [
    ...DEADLINE_WORDS.flatMap(([key, word]) => {
      const at = deadlines[key];
      return at ? [{ at, title: say(key === 'miit' && selectsOnly ? MIIT_SELECTS : word) }] : [];
    }),
    ...milestones.map((milestone) => ({ at: milestone.date, title: say(milestone.title) })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return html`<li data-campaign="${campaign.campaignId}">
<h3>${say(campaign.name)}</h3>
<p class="note">${say('notice')}${colon(ctx.lang)}${campaign.notice} · ${tracks.map((track) => say(TRACK_WORDS[track].title)).join(ctx.lang === 'en' ? ', ' : '、')}</p>
<dl class="facts">${rows.map((row) => html`<dt>${row.title}</dt><dd><time datetime="${row.at}">${ctx.when(row.at)}</time></dd>`)}</dl>
<p class="actions"><a class="button" href="${ctx.link('new', { campaignId: campaign.campaignId })}">${say('newApplication')}</a></p></li>`;
}
