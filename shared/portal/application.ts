/**
 * /portal/application?id=…: one application as its county sees it — the record and where it
 * stands, the reasons first when it was returned, what the county may do now (edit, print,
 * submit, withdraw), the evidence checklist, the evidence itself, and the timeline of its review
 * from the audit trail (each level, who decided, when, and why).
 *
 * `<section id="evidence">` holds a read-only list of the files; the evidence uploader replaces it.
 */
import { CHECKLIST_PROBLEM_MESSAGES } from '../intake/checklist.ts';
import { formDigest } from '../intake/digest.ts';
import type { Word } from '../platform/pages/i18n.ts';
import { html, type PageAnswer, type PageContext, renderPage, type SafeHtml } from '../platform/pages/layout.ts';
import { jurisdictionCell, timelineTable } from '../platform/pages/timeline.ts';
import { STATUS_WORDS, TRACK_WORDS } from '../platform/words.ts';
import type { Campaign } from '../rules/campaign.ts';
import { placePath } from '../rules/jurisdictions.ts';
import { ENDED_STATUSES, type EvidenceStatus } from '../schemas/common.ts';
import type { ApplicationDetail } from './deps.ts';
import { deadline, flash, ladder, lateSection, openToCounty, PORTAL_STYLE } from './parts.ts';
import { colon } from '../platform/pages/punctuation.ts';

const EVIDENCE_STATUS_WORDS: Readonly<Record<EvidenceStatus, Word>> = {
  PENDING: 'evidenceStatusPENDING',
  VALID: 'evidenceStatusVALID',
  INVALID: 'evidenceStatusINVALID',
};

/** The latest return in the audit trail: who returned it, when and why. */
function lastReturn(application: ApplicationDetail) {
  return [...application.history].reverse().find((event) => event.action === 'RETURNED');
}

function returnedSection(ctx: PageContext, application: ApplicationDetail, now: Date): SafeHtml | string {
  if (application.status !== 'RETURNED') return '';
  const { say } = ctx;
  const event = lastReturn(application);
  const reason = application.decisionReason ?? event?.reason ?? '';
  return html`<section class="returned problem" id="returned" role="alert"><h2>${say('returnedReasons')}</h2>
<p class="reason">${reason}</p>
${event ? html`<p class="note">${say('returnedBy')}${colon(ctx.lang)}${jurisdictionCell(event.jurisdiction, ctx.lang)} · <time datetime="${event.at}">${ctx.when(event.at)}</time></p>` : ''}
<p>${say('resubmitBy')}</p>${deadline(ctx, application, now)}</section>`;
}

function actions(ctx: PageContext, application: ApplicationDetail, now: Date): SafeHtml {
  const { say } = ctx;
  const id = application.applicationId;
  // Past its deadline nothing the county sends is accepted: print and withdraw stay, nothing else.
  const editable = openToCounty(application, now);
  return html`<p class="actions noprint">${
    editable
      ? html`<a class="button" href="${ctx.link('edit', { id })}">${say('editForm')}</a><a class="button" id="upload-evidence" href="${ctx.link('evidence', { id })}">${say('uploadEvidence')}</a>`
      : ''
  }<a class="button secondary" href="${ctx.link('print', { id })}">${say('printForm')}</a>${
    editable
      ? html`<a class="button" href="${ctx.link('submit', { id })}">${say(application.status === 'RETURNED' ? 'resubmitApplication' : 'submitApplication')}</a>`
      : ''
  }${
    ENDED_STATUSES.has(application.status)
      ? ''
      : html`<a class="button secondary" href="${ctx.link('withdraw', { id })}">${say('withdrawApplication')}</a>`
  }</p>`;
}

function checklistSection(ctx: PageContext, application: ApplicationDetail): SafeHtml {
  const { say } = ctx;
  const rows = application.checklist.map(
    (item) => html`<tr data-item="${item.id}"${item.problem ? html` class="late"` : ''}>
<td class="wrap">${say(item.title)}${item.uploadedBy === 'city' ? html`<div class="note">${say('byCity')}</div>` : ''}</td>
<td>${say(item.required ? 'required' : 'optional')}</td><td>${item.fileTypes.join(', ')}</td>
<td class="n">${item.valid}</td><td class="n">${item.pending}</td><td class="n">${item.invalid}</td>
<td class="wrap">${item.problem ? html`<span class="bad">${say(CHECKLIST_PROBLEM_MESSAGES[item.problem])}</span>` : html`<span class="ok">${say('itemOk')}</span>`}</td></tr>`,
  );
  return html`<section id="checklist"><h2>${say('checklist')}</h2><div class="scroll" tabindex="0" role="region" aria-label="${say('checklist')}"><table><thead><tr>
<th>${say('item')}</th><th>${say('required')}</th><th>${say('fileTypes')}</th><th class="n">${say('validFiles')}</th><th class="n">${say('pendingFiles')}</th><th class="n">${say('invalidFiles')}</th><th>${say('status')}</th>
</tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

/** The files uploaded, read-only: item, file, status, the validator's reasons. */
function evidenceSection(ctx: PageContext, application: ApplicationDetail): SafeHtml {
  const { say } = ctx;
  const titles = new Map(application.checklist.map((item) => [item.id, item.title]));
  const rows = application.evidence.map(
    (file) => html`<tr data-evidence="${file.evidenceId}" data-status="${file.status}">
<td class="wrap">${say(titles.get(file.criterion) ?? { zh: file.criterion, en: file.criterion })}</td><td class="wrap">${file.fileName}</td>
<td>${say(EVIDENCE_STATUS_WORDS[file.status])}</td>
<td class="wrap">${file.findings.map((finding) => html`<div>${say(finding.message)}</div>`)}</td></tr>`,
  );
  return html`<section id="evidence"><h2>${say('evidence')}</h2>${
    rows.length
      ? html`<div class="scroll" tabindex="0" role="region" aria-label="${say('evidence')}"><table><thead><tr><th>${say('item')}</th><th>${say('file')}</th><th>${say('status')}</th><th>${say('reasons')}</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : html`<p class="note">${say('noEvidence')}</p>`
  }</section>`;
}

export function applicationPage(
  ctx: PageContext,
  query: Record<string, string>,
  application: ApplicationDetail,
  campaign: Campaign,
  now: Date,
): PageAnswer {
  const { say } = ctx;
  const submitted = application.submittedAt !== undefined;
  // A withdrawn draft ended no review: its confirmation says what happened to it.
  const done = query.done === 'withdrawn' && !submitted ? { ...query, done: 'withdrawnDraft' } : query;
  const body = html`${flash(ctx, done)}
${lateSection(ctx, application, now)}
${returnedSection(ctx, application, now)}
<section id="summary"><dl class="facts">
<dt>${say('status')}</dt><dd><strong data-status="${application.status}">${say(STATUS_WORDS[application.status].console)}</strong></dd>
<dt>${say('campaign')}</dt><dd>${say(campaign.name)}</dd>
<dt>${say('track')}</dt><dd>${say(TRACK_WORDS[application.track].title)}</dd>
<dt>${say('location')}</dt><dd>${placePath(application.countyCode)}</dd>
<dt>${say('applicationId')}</dt><dd><code>${application.applicationId}</code></dd>
<dt>${say('formDigest')}</dt><dd><code id="form-digest">${formDigest(application)}</code> <span class="note">${say('formDigestNote')}</span></dd>
</dl>
${ladder(ctx, application)}
${application.status === 'RETURNED' ? '' : deadline(ctx, application, now)}
${actions(ctx, application, now)}</section>
${checklistSection(ctx, application)}
${evidenceSection(ctx, application)}
<section id="timeline"><h2>${say('timeline')}</h2>${
    submitted || application.history.length
      ? timelineTable(say, application.history, { details: false, lang: ctx.lang, track: application.track })
      : html`<p class="note">${say('noEvents')}</p>`
  }</section>`;
  return renderPage(200, ctx, {
    title: application.clusterName,
    crumbs: html`<a href="${ctx.link('')}">${say('portalHome')}</a>`,
    body,
    refresh: false,
    style: PORTAL_STYLE,
  });
}
