import { createHash } from 'node:crypto';
import type { ApplicationRecord } from '../schemas/records.ts';

/*
 * The form's digest: what the county prints on the stamped 申报表 and what the reviewer's page
 * shows beside the same application, so a reviewer holding the stamped scan can tell at a glance
 * whether it is the form as filed (the digests match) or an earlier or later one.
 */

/** How many hex digits of the SHA-256 are shown: enough to tell versions apart, short enough to read aloud. */
export const FORM_DIGEST_LENGTH = 12;

/** The fields the 申报表 carries: the cluster's identity and every form field. */
type DigestedFields = Pick<
  ApplicationRecord,
  'countyCode' | 'clusterName' | 'leadingIndustry' | 'subSector' | 'coCountyCodes' | 'form'
>;

/** JSON with every object's keys sorted, so the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The first FORM_DIGEST_LENGTH hex digits of the SHA-256 of the form's canonical JSON. */
export function formDigest(application: DigestedFields): string {
  const { countyCode, clusterName, leadingIndustry, subSector, coCountyCodes, form } = application;
  const text = canonicalJson({ countyCode, clusterName, leadingIndustry, subSector, coCountyCodes, form });
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, FORM_DIGEST_LENGTH);
}
