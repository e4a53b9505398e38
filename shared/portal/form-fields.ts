/**
 * The 申报表's fields as HTML inputs, group by group (fieldsets), each with its label, unit and
 * help, and beside it the API's error for that field and any threshold note (a warning only:
 * it never blocks). Plain inputs and textareas: the form works without script.
 */
import type { ErrorDetail } from '../platform/errors.ts';
import { html, type PageContext, type SafeHtml } from '../platform/pages/layout.ts';
import type { Warning } from '../rules/form.ts';
import type { Bilingual, Track } from '../schemas/common.ts';
import type { FormField, FormGroup } from './form-layout.ts';
import { detailText } from './detail-words.ts';
import { fieldFor, fieldsUnder, labelOf } from './problems.ts';
import { bracketed, colon, inARow } from '../platform/pages/punctuation.ts';
import type { FixWord } from '../platform/pages/i18n.ts';

export interface FieldNotes {
  /** The API's ValidationError details, by the field they name. */
  errors: readonly ErrorDetail[];
  /** The threshold pre-check's warnings. */
  warnings: readonly Warning[];
  /** Fields picked from a configured list (the sub-sector where one exists): shown as a select. */
  choices?: Readonly<Record<string, readonly Choice[]>>;
  /**
   * Fields the county reads but may not change (a filing for a register entry keeps the entry's
   * name, industry and sub-sector): shown as text with the reason, never as an input, so nothing
   * in them is posted.
   */
  locked?: ReadonlySet<string>;
}

/** Why a locked field cannot be typed in: it is the register entry's. */
const LOCKED_NOTE: Bilingual = {
  zh: '取自认定名单，不可修改',
  en: 'From the register entry: it cannot be changed here',
};

const NOT_GIVEN: Bilingual = { zh: '（未列明）', en: '(not given)' };

/** A locked field: its label and value as text, and why it cannot change. */
function lockedFieldHtml(ctx: PageContext, field: FormField, value: string): SafeHtml {
  const { say } = ctx;
  return html`<div class="field locked" data-field="${field.name}" data-locked="true" id="${inputId(field.name)}">
<p class="label">${say(field.label)}</p>
<p class="value">${value === '' ? say(NOT_GIVEN) : value}</p>
<p class="help">${say(LOCKED_NOTE)}</p>
</div>`;
}

/** One option of a list field: what is posted, and what the county reads. */
export interface Choice {
  value: string;
  label: Bilingual;
}

/** A select of the list's entries; a saved value not on it stays shown, so nothing is lost silently. */
function selectHtml(
  ctx: PageContext,
  id: string,
  name: string,
  value: string,
  choices: readonly Choice[],
  aria: SafeHtml,
) {
  const known = choices.some((choice) => choice.value === value);
  return html`<select id="${id}" name="${name}"${aria}>
<option value=""${value === '' ? html` selected` : ''}>${ctx.say('pickOne')}</option>
${known || value === '' ? '' : html`<option value="${value}" selected>${value}</option>`}
${choices.map((choice) => html`<option value="${choice.value}"${choice.value === value ? html` selected` : ''}>${ctx.say(choice.label)}</option>`)}
</select>`;
}

/** An id for a field's input (names hold dots; ids may too, but keep them plain). */
export const inputId = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

const INPUT_TYPES: Readonly<Record<FormField['kind'], { type: string; mode?: string }>> = {
  text: { type: 'text' },
  tel: { type: 'tel', mode: 'tel' },
  email: { type: 'email', mode: 'email' },
  // Numbers stay text inputs: a browser would drop what it cannot parse, and the API must see it to name it.
  int: { type: 'text', mode: 'numeric' },
  number: { type: 'text', mode: 'decimal' },
  year: { type: 'text', mode: 'numeric' },
  codes: { type: 'text' },
  narrative: { type: 'textarea' },
  tick: { type: 'checkbox' },
};

function fieldHtml(ctx: PageContext, field: FormField, value: string, notes: FieldNotes, track: Track): SafeHtml {
  if (notes.locked?.has(field.name)) return lockedFieldHtml(ctx, field, value);
  const { say } = ctx;
  const id = inputId(field.name);
  const errors = notes.errors.filter(
    (detail) => detail.field === field.name || fieldFor(track, detail.field)?.name === field.name,
  );
  const warnings = notes.warnings.filter((warning) => warning.field === field.name);
  const described = [
    field.help ? `${id}-help` : '',
    errors.length ? `${id}-error` : '',
    warnings.length ? `${id}-warn` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const aria = html`${described ? html` aria-describedby="${described}"` : ''}${errors.length ? html` aria-invalid="true"` : ''}`;
  const kind = INPUT_TYPES[field.kind];
  const choices = notes.choices?.[field.name];
  const input = choices
    ? selectHtml(ctx, id, field.name, value, choices, aria)
    : kind.type === 'checkbox'
      ? html`<input id="${id}" name="${field.name}" type="checkbox" value="true"${value === 'true' ? html` checked` : ''}${aria}>`
      : kind.type === 'textarea'
        ? html`<textarea id="${id}" name="${field.name}" rows="6"${field.maxLength ? html` maxlength="${field.maxLength}"` : ''}${aria}>${value}</textarea>`
        : html`<input id="${id}" name="${field.name}" type="${kind.type}"${kind.mode ? html` inputmode="${kind.mode}"` : ''} value="${value}"${
            field.maxLength ? html` maxlength="${field.maxLength}"` : ''
          } autocomplete="off"${aria}>`;
  return html`<div class="field${errors.length ? ' invalid' : ''}" data-field="${field.name}">
<label for="${id}">${say(field.label)}${field.unit ? html` <span class="unit">${bracketed(ctx.lang, say(field.unit))}</span>` : ''}</label>
${input}
${field.help ? html`<p class="help" id="${id}-help">${say(field.help)}</p>` : ''}
${
  errors.length
    ? html`<p class="error" id="${id}-error" role="alert">${say('fieldError')}${inARow(
        ctx.lang,
        errors.map((detail) => detailText(ctx, detail, field)),
      )}</p>`
    : ''
}
${warnings.length ? html`<p class="warn" id="${id}-warn">${say('warningNote')}${warnings.map((warning) => say(warning.message)).join('；')}</p>` : ''}
</div>`;
}

/** The groups as fieldsets, with the values shown and the notes beside their fields. */
export function formFieldsets(
  ctx: PageContext,
  track: Track,
  groups: readonly FormGroup[],
  values: Readonly<Record<string, string>>,
  notes: FieldNotes,
): SafeHtml {
  return html`${groups.map(
    (group) =>
      html`<fieldset id="group-${group.id}"><legend>${ctx.say(group.title)}</legend>${group.fields.map((field) =>
        fieldHtml(ctx, field, Object.hasOwn(values, field.name) ? (values[field.name] ?? '') : '', notes, track),
      )}</fieldset>`,
  )}`;
}

/**
 * The errors at the top of the form, each linking to its field (those no field shows are listed in
 * full). A refused form comes back as a new page, whose focus would start at its top: the summary
 * takes it (autofocus, focusable by script only), so a keyboard or screen reader reaches the
 * first error first and its link leads on to the field.
 */
export function errorSummary(
  ctx: PageContext,
  track: Track,
  errors: readonly ErrorDetail[],
  /** What the form's button does, said again: 再保存 (the 申报表), 再创建 (the new draft). */
  fixWord: FixWord = 'fixFields',
): SafeHtml | string {
  if (errors.length === 0) return '';
  const { say } = ctx;
  return html`<section class="problem" id="errors" role="alert" tabindex="-1" autofocus><p><strong>${say(fixWord)}</strong></p><ul>${errors.map(
    (detail) => {
      const field = fieldFor(track, detail.field);
      // A part named whole (the contact) links to its first field.
      const target = field ?? fieldsUnder(track, detail.field)[0];
      return html`<li>${
        target
          ? html`<a href="#${inputId(target.name)}">${labelOf(ctx, track, detail.field)}</a>${colon(ctx.lang)}`
          : html`<code>${detail.field ?? ''}</code> `
      }${detailText(ctx, detail, field)}</li>`;
    },
  )}</ul></section>`;
}

/**
 * Typed entries are the county's until saved: leaving the 申报表 by a link (the language switch,
 * the way home, back to the application) would drop them silently, as each link loads the saved
 * form. Once something is typed, or from the start on a refused form (what it shows was not
 * saved: `data-unsaved-guard="unsaved"`), the browser asks before leaving; saving (the form's own
 * submit) does not ask. A constant: the page passes it as its frame's script.
 */
export const UNSAVED_GUARD_SCRIPT = `(() => {
  const form = document.querySelector('form[data-unsaved-guard]');
  if (!form) return;
  let typed = form.dataset.unsavedGuard === 'unsaved';
  for (const type of ['input', 'change']) form.addEventListener(type, () => { typed = true; });
  form.addEventListener('submit', () => { typed = false; });
  addEventListener('beforeunload', (event) => { if (typed) { event.preventDefault(); event.returnValue = ''; } });
})();`;
