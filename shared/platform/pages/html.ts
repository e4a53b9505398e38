/*
 * The `html` tagged template every page and email is written with: each interpolated value is
 * escaped unless it is markup `html` made itself, so no input reaches a page as markup.
 */

/** Markup that is already safe: produced by `html`, never from input. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export const escapeHtml = (text: string): string => text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);

/** What a page may interpolate: text and numbers (escaped), markup from `html`, lists of them; nothing renders as nothing. */
export type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * Escapes every interpolated value (text and attribute context alike: attributes are always
 * double-quoted). Nested `html` results and arrays of them are inserted as they are.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}
