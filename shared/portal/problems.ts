/**
 * What stops an application from being submitted, in words a county reads: each error detail of
 * the API (`form.contact.phone`, `checklist.<item>`) named by its label on the 申报表 or its
 * checklist item, with the files' reasons. The same details the submit refuses with.
 */
import type { ErrorDetail } from '../platform/errors.ts';
import { html, type PageContext, type SafeHtml } from '../platform/pages/layout.ts';
import type { Bilingual, Track } from '../schemas/common.ts';
import { oneLanguage } from '../platform/pages/i18n.ts';
import { detailText } from './detail-words.ts';
import { fieldsOf, type FormField } from './form-layout.ts';
import { colon } from '../platform/pages/punctuation.ts';

/** The layout's field a detail names: the field itself, or the nearest one above it (`coCountyCodes.0` → `coCountyCodes`). */
export function fieldFor(track: Track, name: string | undefined): FormField | undefined {
  if (name === undefined) return undefined;
  const fields = fieldsOf(track);
  const exact = fields.find((field) => field.name === name);
  if (exact) return exact;
  const parts = name.split('.');
  for (let length = parts.length - 1; length > 0; length -= 1) {
    const prefix = parts.slice(0, length).join('.');
    const above = fields.find((field) => field.name === prefix);
    if (above) return above;
  }
  return undefined;
}

/** The layout's fields inside a part the detail names whole (`form.contact` → its name, phone and email). */
export function fieldsUnder(track: Track, name: string | undefined): FormField[] {
  if (name === undefined) return [];
  return fieldsOf(track).filter((field) => field.name.startsWith(`${name}.`));
}

/**
 * A detail's field as a person names it: the form's label; for a part of the form named whole
 * (a submission missing the whole contact), the labels of its fields; the field name only when
 * the form has no such field.
 */
export function labelOf(ctx: PageContext, track: Track, name: string | undefined): string {
  const field = fieldFor(track, name);
  if (field) return ctx.say(field.label);
  const under = fieldsUnder(track, name);
  if (under.length) return under.map((f) => ctx.say(f.label)).join(ctx.lang === 'en' ? ', ' : '、');
  return name ?? '';
}

interface Reason {
  message?: Bilingual | string;
}

function reasonsOf(detail: ErrorDetail): Reason[] {
  const reasons: unknown = (detail as { reasons?: unknown }).reasons;
  return Array.isArray(reasons) ? (reasons as Reason[]) : [];
}

const say = (ctx: PageContext, message: Bilingual | string | undefined) =>
  message === undefined ? '' : typeof message === 'string' ? message : ctx.say(message);

/** The details as a list, each naming its field or checklist item. */
export function problemList(ctx: PageContext, track: Track, details: readonly ErrorDetail[]): SafeHtml | string {
  if (details.length === 0) return '';
  return html`<ul class="problems">${details.map((detail) => {
    const reasons = reasonsOf(detail);
    const isItem = detail.field?.startsWith('checklist.') ?? false;
    // A checklist item's detail comes written once in both languages, `<zh title>：<zh problem> /
    // <en title>: <en problem>` (shared/intake/submission.ts): the page shows its language's half.
    const text = isItem
      ? oneLanguage(ctx.lang, detail.message)
      : detailText(ctx, detail, fieldFor(track, detail.field));
    return html`<li data-field="${detail.field ?? ''}"><strong>${isItem ? '' : labelOf(ctx, track, detail.field)}</strong>${isItem ? '' : colon(ctx.lang)}${text}${
      reasons.length ? html`<ul>${reasons.map((reason) => html`<li>${say(ctx, reason.message)}</li>`)}</ul>` : ''
    }</li>`;
  })}</ul>`;
}
