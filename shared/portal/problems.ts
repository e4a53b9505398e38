/**
 * What stops an application from being submitted, in words a county reads: each error detail of
 * the API (`form.contact.phone`, `checklist.<item>`) named by its label on the 申报表 or its
 * checklist item, with the files' reasons. The same details the submit refuses with.
 */
import type { ErrorDetail } from '../platform/errors.ts';
import { html, type PageContext, type SafeHtml } from '../platform/pages/layout.ts';
import type { Bilingual, Track } from '../schemas/common.ts';
import { fieldsOf, type FormField } from './form-layout.ts';

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

/** A detail's field as a person names it: the form's label, else the field name. */
function labelOf(ctx: PageContext, track: Track, name: string | undefined): string {
  const field = fieldFor(track, name);
  return field ? ctx.say(field.label) : (name ?? '');
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
    return html`<li data-field="${detail.field ?? ''}"><strong>${isItem ? '' : labelOf(ctx, track, detail.field)}</strong>${isItem ? '' : '：'}${detail.message}${
      reasons.length ? html`<ul>${reasons.map((reason) => html`<li>${say(ctx, reason.message)}</li>`)}</ul>` : ''
    }</li>`;
  })}</ul>`;
}
