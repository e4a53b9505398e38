/**
 * /portal/print?id=…: the filled 申报表 on A4, laid out as the official form — the form's title,
 * the application id and the form's digest, each group a section of one table, and the boxes
 * for the applicant's stamp (申报单位（盖章）) and the date. On paper nothing else shows: no
 * header, no buttons. The digest lets a reviewer match the stamped scan to the form as filed.
 */
import { formDigest } from '../intake/digest.ts';
import { html, type PageAnswer, type PageContext, renderPage, type SafeHtml } from '../platform/pages/layout.ts';
import { TRACK_WORDS } from '../platform/words.ts';
import type { Campaign } from '../rules/campaign.ts';
import { placePath } from '../rules/jurisdictions.ts';
import type { ApplicationDetail } from './deps.ts';
import { FORM_TITLES, formLayout, type FormField } from './form-layout.ts';
import { fieldValues } from './form-values.ts';
import { PORTAL_STYLE } from './parts.ts';
import { colon, bracketed } from '../platform/pages/punctuation.ts';

/** The A4 sheet; on screen the same sheet on the page, with the print button above it. */
const PRINT_STYLE = `${PORTAL_STYLE}
@page{size:A4;margin:16mm 15mm}
.sheet{background:#fff;padding:1rem;max-width:210mm;margin:0 auto;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.sheet h2{text-align:center;font-size:1.3rem;margin:.25rem 0 .75rem;letter-spacing:.05em}
.sheet .ids{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem 1rem;font-size:.9em;margin:0 0 .5rem}
table.official{border-collapse:collapse;width:100%;table-layout:fixed}
table.official th,table.official td{border:1px solid #333;padding:.35rem .45rem;white-space:normal;word-break:break-word;vertical-align:top}
table.official th{width:32%;background:#f6f6f6;font-weight:600}
table.official th.group{width:auto;text-align:left;background:#e9e9e9}
table.official td.text{white-space:pre-wrap}
table.official td.blank{color:#777}
.stamp{display:grid;grid-template-columns:1fr 1fr;gap:0;margin-top:1rem}
.stamp div{border:1px solid #333;min-height:7rem;padding:.5rem}
.stamp div+div{border-left:0}
@media print{main{padding:0;max-width:none}.sheet{box-shadow:none;padding:0;max-width:none}h1,.crumbs{display:none}body{font-size:11pt}table.official tr{break-inside:avoid}.stamp{break-inside:avoid}}
`;

/** Opens the browser's print dialog (the page works without it: Ctrl+P). */
const PRINT_SCRIPT = `(() => {
  const button = document.getElementById('print-button');
  if (button) { button.hidden = false; button.addEventListener('click', () => window.print()); }
})();`;

function row(ctx: PageContext, field: FormField, value: string | undefined): SafeHtml {
  const label = html`${ctx.say(field.label)}${field.unit ? bracketed(ctx.lang, ctx.say(field.unit)) : ''}`;
  const blank = value === undefined || value === '';
  return html`<tr data-field="${field.name}"><th scope="row">${label}</th><td class="${field.kind === 'narrative' ? 'text' : ''}${blank ? ' blank' : ''}">${blank ? '—' : value}</td></tr>`;
}

export function printPage(ctx: PageContext, application: ApplicationDetail, campaign: Campaign): PageAnswer {
  const { say } = ctx;
  const { track } = application;
  const values = fieldValues(track, application, application.formAdditions);
  const digest = formDigest(application);
  const groups = formLayout(track, application.formAdditions).map(
    (group) =>
      html`<tbody id="print-${group.id}"><tr><th class="group" colspan="2" scope="colgroup">${say(group.title)}</th></tr>${group.fields.map(
        (field) => row(ctx, field, Object.hasOwn(values, field.name) ? values[field.name] : undefined),
      )}</tbody>`,
  );
  const body = html`<p class="actions noprint"><button type="button" id="print-button" hidden>${say('print')}</button>
<a class="button secondary" href="${ctx.link('application', { id: application.applicationId })}">${say('backToApplication')}</a></p>
<p class="note noprint">${say('printHint')}</p>
<article class="sheet" id="sheet">
<h2>${say(FORM_TITLES[track])}</h2>
<div class="ids"><span>${say('campaign')}${colon(ctx.lang)}${say(campaign.name)}${bracketed(ctx.lang, campaign.notice)}</span><span>${say('track')}${colon(ctx.lang)}${say(TRACK_WORDS[track].title)}</span></div>
<div class="ids"><span>${say('applicationId')}${colon(ctx.lang)}<code>${application.applicationId}</code></span><span>${say('formDigest')}${colon(ctx.lang)}<code id="print-digest">${digest}</code></span></div>
<table class="official">
<tbody><tr><th scope="row">${say('applicant')}</th><td>${placePath(application.countyCode)}</td></tr></tbody>
${groups}
</table>
<div class="stamp"><div><strong>${say('stampBox')}</strong></div><div><strong>${say('filledBy')}</strong><p>${say('signDate')}</p></div></div>
</article>`;
  return renderPage(200, ctx, {
    title: `${application.clusterName} · ${say(FORM_TITLES[track])}`,
    crumbs: html`<a href="${ctx.link('')}">${say('portalHome')}</a>`,
    body,
    refresh: false,
    style: PRINT_STYLE,
    scripts: [PRINT_SCRIPT],
  });
}
