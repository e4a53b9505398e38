/**
 * The public notice's pages (no sign-in), in the console's frame with its strict CSP, Chinese
 * by default and English with ?lang=en, one column on a phone:
 *
 *   GET  /notice                                   what is in notice, what an objection needs,
 *                                                  and a receipt look-up
 *   GET  /notice/applications/{applicationId}      one entry and the objection form
 *   POST /notice/applications/{applicationId}/objections   the form: 201 with the receipt number,
 *                                                  or 400 with each error beside its field
 *   GET  /notice/status?receipt=…                  where an objection stands
 */
import {
  html,
  type PageAnswer,
  type PageContext,
  renderPage,
  type SafeHtml,
  type Site,
} from '../platform/pages/layout.ts';
import { NOTICE_WORDS as W, oneLanguage } from '../platform/pages/i18n.ts';
import type { ErrorDetail } from '../platform/errors.ts';
import type { ObjectionRecord } from '../schemas/reviews.ts';
import type { NoticeEntry, ObjectionStatusView } from './views.ts';

/** Where the public notice lives. */
export const NOTICE_BASE = '/notice';
/** The public notice in the shared page frame: its own base, name and home. */
export const NOTICE_SITE: Site = { base: NOTICE_BASE, brand: W.brand, home: '' };

function page(statusCode: number, ctx: PageContext, title: string, body: SafeHtml): PageAnswer {
  return renderPage(statusCode, ctx, {
    title,
    body,
    refresh: false,
  });
}

const placeText = (entry: NoticeEntry) =>
  [entry.place.province, entry.place.city, entry.place.county].filter(Boolean).join(' ');

/** The facts a notice publishes about one application. */
function facts(ctx: PageContext, entry: NoticeEntry): SafeHtml {
  const { say } = ctx;
  return html`<dl class="facts">
<dt>${say(W.location)}</dt><dd data-field="location">${placeText(entry)}</dd>
<dt>${say(W.leadingIndustry)}</dt><dd data-field="industry">${entry.leadingIndustry}</dd>
<dt>${say(W.subSector)}</dt><dd>${entry.subSector}</dd>
<dt>${say(W.heldBy)}</dt><dd data-field="holder">${entry.holder.name}</dd>
<dt>${say(W.window)}</dt><dd data-field="window">${ctx.when(entry.window.startedAt)} ${say(W.to)} ${ctx.when(entry.window.endsAt)}</dd>
<dt>${say(W.campaign)}</dt><dd>${say(entry.campaign.name)} · ${entry.campaign.notice}</dd>
</dl>`;
}

function needs(ctx: PageContext): SafeHtml {
  return html`<section id="needs"><h2>${ctx.say(W.needsTitle)}</h2><p>${ctx.say(W.needs)}</p></section>`;
}

function lookUpForm(ctx: PageContext, receipt = '', error?: string): SafeHtml {
  const { say } = ctx;
  return html`<section id="look-up"><h2>${say(W.lookUpTitle)}</h2>
<form method="get" action="${ctx.link('status')}">
${ctx.lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<label for="receipt">${say(W.receipt)}</label>
<input class="text" id="receipt" name="receipt" value="${receipt}" autocomplete="off"${error ? html` aria-invalid="true" aria-describedby="receipt-error"` : ''}>
${error ? html`<p class="field-error" id="receipt-error">${error}</p>` : ''}
<p><button type="submit">${say(W.lookUp)}</button></p></form></section>`;
}

export function noticeListPage(ctx: PageContext, entries: readonly NoticeEntry[]): PageAnswer {
  const { say } = ctx;
  const list = entries.length
    ? entries.map(
        (entry) => html`<section class="entry" data-application="${entry.applicationId}">
<h2>${entry.clusterName}</h2>${facts(ctx, entry)}
${
  entry.open
    ? html`<p><a class="button" href="${ctx.link(`applications/${entry.applicationId}`)}" aria-label="${say(W.object)}: ${entry.clusterName}">${say(W.object)}</a></p>`
    : html`<p class="note">${say(W.closed)}</p>`
}</section>`,
      )
    : html`<section><p class="ok">${say(W.none)}</p></section>`;
  const body = html`<p>${say(W.intro)}</p>${list}${needs(ctx)}${lookUpForm(ctx)}`;
  return page(200, ctx, say(W.title), body);
}

export interface ObjectionFormState {
  values: Record<string, string>;
  errors: readonly ErrorDetail[];
}

const FIELDS = [
  { name: 'name', word: W.name, autocomplete: 'name' },
  { name: 'organisation', word: W.organisation, autocomplete: 'organization' },
  { name: 'contact', word: W.contact, autocomplete: 'email', hint: W.contactHint },
] as const;

/** The entry and, while the notice runs, the form; with `state`, the values sent and each error beside its field. */
export function noticeEntryPage(ctx: PageContext, entry: NoticeEntry, state?: ObjectionFormState): PageAnswer {
  const { say } = ctx;
  // The form's messages come in both languages (请填写姓名 / your name is required): the page's half.
  const errorsOf = (field: string) =>
    (state?.errors ?? []).filter((e) => e.field === field).map((e) => oneLanguage(ctx.lang, e.message));
  const unplaced = (state?.errors ?? []).filter(
    (e) => !['name', 'organisation', 'contact', 'reason'].includes(e.field ?? ''),
  );
  const described = (field: string, hint: boolean) => {
    const ids = [...(hint ? [`${field}-hint`] : []), ...(errorsOf(field).length ? [`${field}-error`] : [])];
    return ids.length ? html` aria-describedby="${ids.join(' ')}"` : '';
  };
  const invalid = (field: string) => (errorsOf(field).length ? html` aria-invalid="true"` : '');
  const errorText = (field: string) =>
    errorsOf(field).length ? html`<p class="field-error" id="${field}-error">${errorsOf(field).join('；')}</p>` : '';
  const value = (field: string) => state?.values[field] ?? '';

  const form = entry.open
    ? html`<section id="object"><h2>${say(W.objectTo)}</h2>
${state?.errors.length ? html`<p class="problem" id="errors" role="alert" tabindex="-1" autofocus>${say(W.fix)}</p>` : ''}
${unplaced.map((e) => html`<p class="field-error">${oneLanguage(ctx.lang, e.message)}</p>`)}
<form method="post" action="${ctx.link(`applications/${entry.applicationId}/objections`)}" novalidate>
${FIELDS.map(
  (f) => html`<label for="${f.name}">${say(f.word)}</label>
<input class="text" id="${f.name}" name="${f.name}" value="${value(f.name)}" autocomplete="${f.autocomplete}"${invalid(f.name)}${described(f.name, 'hint' in f)}>
${'hint' in f ? html`<p class="note" id="${f.name}-hint">${say(f.hint)}</p>` : ''}${errorText(f.name)}`,
)}
<label for="reason">${say(W.reason)}</label>
<textarea class="prose" id="reason" name="reason" rows="8"${invalid('reason')}${described('reason', false)}>${value('reason')}</textarea>
${errorText('reason')}
<p><button type="submit">${say(W.submit)}</button></p>
</form></section>`
    : html`<section><p class="note">${say(W.closed)}</p></section>`;

  const body = html`<p class="crumbs"><a href="${ctx.link('')}">${say(W.back)}</a></p>
<section data-application="${entry.applicationId}">${facts(ctx, entry)}</section>
${needs(ctx)}${form}`;
  const refused = (state?.errors.length ?? 0) > 0;
  return renderPage(refused ? 400 : 200, ctx, { title: entry.clusterName, refused, body, refresh: false });
}

export function objectionReceivedPage(ctx: PageContext, objection: ObjectionRecord, entry: NoticeEntry): PageAnswer {
  const { say } = ctx;
  const body = html`<section id="receipt-box"><p>${say(W.receivedText)}</p>
<dl class="facts"><dt>${say(W.about)}</dt><dd>${entry.clusterName}</dd>
<dt>${say(W.heldBy)}</dt><dd>${entry.holder.name}</dd>
<dt>${say(W.receipt)}</dt><dd><strong data-receipt="${objection.objectionId}">${objection.objectionId}</strong></dd>
<dt>${say(W.filedAt)}</dt><dd>${ctx.when(objection.filedAt)}</dd></dl>
<p>${say(W.keepReceipt)}</p>
<p><a href="${ctx.link('status', { receipt: objection.objectionId })}">${say(W.lookUpTitle)}</a></p>
<p><a href="${ctx.link('')}">${say(W.back)}</a></p></section>`;
  return page(201, ctx, say(W.received), body);
}

const STATE_WORDS = { pending: W.pending, upheld: W.upheld, dismissed: W.dismissed } as const;

/** The look-up form, and the objection's status when a receipt number was given. */
export function objectionStatusPage(
  ctx: PageContext,
  found: { view?: ObjectionStatusView; receipt?: string; error?: string; status?: number },
): PageAnswer {
  const { say } = ctx;
  const view = found.view;
  const result = view
    ? html`<section id="status" data-state="${view.state}"><h2>${say(W.statusTitle)}</h2><dl class="facts">
<dt>${say(W.receipt)}</dt><dd>${view.objectionId}</dd>
<dt>${say(W.about)}</dt><dd>${view.clusterName}</dd>
<dt>${say(W.heldBy)}</dt><dd>${view.holder}</dd>
<dt>${say(W.filedAt)}</dt><dd>${ctx.when(view.filedAt)}</dd>
<dt>${say(W.outcome)}</dt><dd><strong>${say(STATE_WORDS[view.state])}</strong></dd>
${view.resolvedAt ? html`<dt>${say(W.resolvedAt)}</dt><dd>${ctx.when(view.resolvedAt)}</dd>` : ''}
${view.resolution ? html`<dt>${say(W.resolution)}</dt><dd>${view.resolution}</dd>` : ''}
</dl></section>`
    : '';
  // A refused look-up in the page's own words: the handler's message is the API's (English, or both languages).
  const error = found.status === 400 ? say(W.badReceipt) : found.status === 404 ? say(W.unknownReceipt) : found.error;
  const body = html`<p class="crumbs"><a href="${ctx.link('')}">${say(W.back)}</a></p>${result}${lookUpForm(ctx, found.receipt, error)}`;
  return page(found.status ?? 200, ctx, say(W.lookUpTitle), body);
}

/** 404 and the like, in the notice's frame, with the way back. */
export function noticeProblemPage(ctx: PageContext, statusCode: number, message: string): PageAnswer {
  const body = html`<section class="problem"><p>${message}</p></section><p><a href="${ctx.link('')}">${ctx.say(W.back)}</a></p>`;
  return page(statusCode, ctx, message, body);
}
