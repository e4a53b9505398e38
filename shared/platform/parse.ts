import type { z } from 'zod';
import { type ErrorDetail, ValidationError } from './errors.ts';

/*
 * Reading input with a zod schema, for the domain and the handlers alike: a refusal is a
 * ValidationError whose details name every bad field, which the one error mapper turns into a 400.
 */

/** Turns zod issues into error details that name each bad field, prefixed with where it was. */
export function zodDetails(error: z.ZodError, prefix?: string): ErrorDetail[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return { field: path || (prefix ?? '(root)'), code: issue.code, message: issue.message };
  });
}

/** Parses with a schema, or throws a ValidationError naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const details = zodDetails(parsed.error, prefix);
    throw new ValidationError(`Invalid ${prefix ?? 'request'}: ${details.map((d) => d.field).join(', ')}`, details);
  }
  return parsed.data;
}

/** A JSON text's value, or undefined when it is not JSON (a page reading the API's answer). */
export function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
