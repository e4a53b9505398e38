/**
 * The annual-report pages' forms as the operations' bodies: the figures form's flat fields typed,
 * the decision form's empty fields dropped. Pure: the hostile-input tests use them as oracles.
 */
import { ValidationError } from '../platform/errors.ts';
import { FIGURE_FIELDS } from './report.ts';

const TEXT_FIELDS: ReadonlySet<string> = new Set(['mainWork', 'problems']);

const FORM_FIELDS: ReadonlySet<string> = new Set(['entryId', ...FIGURE_FIELDS]);

/**
 * The figures form's flat fields as the filing body: numbers typed, empty ones left out (the 400
 * names them). A field the form does not have is refused, not dropped.
 */
export function filingOfForm(body: unknown): unknown {
  const fields = (body ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((name) => !FORM_FIELDS.has(name));
  if (typeof body !== 'object' || body === null || Array.isArray(body) || unknown.length > 0) {
    throw new ValidationError('The form has fields it does not take', [
      ...unknown.map((field) => ({ field, code: 'UNKNOWN_FIELD', message: 'not a field of the form' })),
      ...(unknown.length ? [] : [{ field: 'body', code: 'INVALID', message: 'the form’s fields' }]),
    ]);
  }
  const figures = Object.fromEntries(
    FIGURE_FIELDS.filter((name) => fields[name] !== undefined && fields[name] !== '').map((name) => {
      const value = fields[name];
      return [name, TEXT_FIELDS.has(name) || typeof value !== 'string' ? value : Number(value)];
    }),
  );
  return { entryId: fields.entryId, figures };
}

/** A form's fields without the empty ones (an empty reason is no reason). */
export const withoutEmpty = (body: unknown): unknown =>
  body !== null && typeof body === 'object' && !Array.isArray(body)
    ? Object.fromEntries(Object.entries(body).filter(([, value]) => value !== ''))
    : body;
