/** Reading an application's form into cell values: only finite numbers and non-blank text. */

export const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
export const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;
/** The value at `path` in the form, undefined where the path leaves the objects. */
export const field = (form: Record<string, unknown>, ...path: string[]): unknown => {
  let current: unknown = form;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};
