/**
 * Between the 申报表 as a plain HTML form (flat field names: `clusterName`, `form.contact.phone`,
 * `form.outputByYear.1.output`) and the application as the API takes it (the record's fields and
 * a nested `form`). Only the layout's own field names are ever read from a posted form, so no
 * posted name can reach an object key it did not come from the layout.
 */
import type { ApplicationRecord } from '../schemas/records.ts';
import type { Track } from '../schemas/common.ts';
import type { FormAddition } from '../rules/form-additions.ts';
import { fieldsOf, type FormField } from './form-layout.ts';

/** A posted HTML form: each field's (last) value. */
export type PostedFields = Readonly<Record<string, string>>;

const NUMBER = /^[-+]?\d+(?:\.\d+)?$/;

/**
 * A posted value as the API takes it: numbers as numbers (anything else left as text, so the
 * API's 400 names the field), codes as a list, blank as absent.
 */
function typed(field: FormField, raw: string | undefined): unknown {
  const text = (raw ?? '').trim();
  if (text === '') return undefined;
  switch (field.kind) {
    case 'int':
    case 'number':
    case 'year':
      return NUMBER.test(text) ? Number(text) : text;
    case 'codes':
      return text.split(/[\s,，、;；]+/u).filter(Boolean);
    case 'tick':
      // A ticked box posts its value, "true"; an unticked one posts nothing (absent above).
      return text === 'true' ? true : text;
    default:
      return text;
  }
}

const own = (record: PostedFields, name: string): string | undefined =>
  Object.hasOwn(record, name) ? record[name] : undefined;

type Tree = Record<string, unknown>;

function put(tree: Tree, path: readonly string[], value: unknown): void {
  let node: Tree = tree;
  path.forEach((segment, i) => {
    if (i === path.length - 1) {
      node[segment] = value;
      return;
    }
    const next = path[i + 1] ?? '';
    node[segment] ??= /^\d+$/.test(next) ? [] : {};
    node = node[segment] as Tree;
  });
}

/** Arrays keep their positions (an error names `outputByYear.1`); holes become empty entries, trailing ones go. */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = Array.from(value, (item: unknown) => tidy(item) ?? {});
    while (items.length > 0 && isEmpty(items[items.length - 1])) items.pop();
    return items.length > 0 ? items : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).flatMap(([key, item]) => {
      const kept = tidy(item);
      return kept === undefined ? [] : [[key, kept] as const];
    });
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

const isEmpty = (value: unknown) =>
  value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

export interface PostedApplication {
  clusterName?: string;
  leadingIndustry?: string;
  subSector?: string;
  coCountyCodes?: string[];
  /**
   * Every top-level form field of the track: its value, or null where the county left it blank
   * (PATCH removes a field set to null; a blank must not leave the old value in place).
   */
  form: Record<string, unknown>;
}

/** The posted 申报表 of a track, as the API's create and PATCH bodies take it. */
export function postedApplication(
  track: Track,
  posted: PostedFields,
  additions: readonly FormAddition[] = [],
): PostedApplication {
  const record: Tree = {};
  const form: Tree = {};
  const topLevel = new Set<string>();
  for (const field of fieldsOf(track, additions)) {
    const value = typed(field, own(posted, field.name));
    const [head, ...rest] = field.name.split('.');
    if (head === 'form') {
      topLevel.add(rest[0] ?? '');
      if (value !== undefined) put(form, rest, value);
    } else {
      // A blank name is sent as blank, so the API names it as missing rather than keeping the old one.
      record[field.name] = value ?? (field.kind === 'codes' ? [] : '');
    }
  }
  const tidied = (tidy(form) ?? {}) as Tree;
  const full = Object.fromEntries([...topLevel].map((key) => [key, Object.hasOwn(tidied, key) ? tidied[key] : null]));
  return {
    ...(record as Omit<PostedApplication, 'form'>),
    form: full,
  };
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Tree)[segment];
  }
  return node;
}

/** What each field of the form shows: the saved application's values, as text. */
export function fieldValues(
  track: Track,
  application: Pick<ApplicationRecord, 'clusterName' | 'leadingIndustry' | 'subSector' | 'coCountyCodes' | 'form'>,
  additions: readonly FormAddition[] = [],
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fieldsOf(track, additions)) {
    const [head, ...rest] = field.name.split('.');
    const value = head === 'form' ? valueAt(application.form, rest) : valueAt(application, [field.name]);
    if (Array.isArray(value)) values[field.name] = value.join(', ');
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      values[field.name] = String(value);
  }
  return values;
}

/** The posted values of the layout's fields (to show a refused form again as it was sent). */
export function postedValues(
  track: Track,
  posted: PostedFields,
  additions: readonly FormAddition[] = [],
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fieldsOf(track, additions)) {
    const value = own(posted, field.name);
    if (value !== undefined) values[field.name] = value;
  }
  return values;
}
