import { entry, numberOf, type PdfValue, WHITESPACE } from './syntax.ts';

/** pdf.js looks for a linearized file's first `endobj` in its first KiB. */
export const LINEARIZED_HEAD = 1024;

/**
 * Where pdf.js starts reading cross-references when it takes the file as linearized (its first
 * object, `first`, a dictionary with a positive /Linearized whose /L is the file's length,
 * `total`): right after the first `endobj` in the file's first LINEARIZED_HEAD bytes (`head`),
 * whitespace skipped, or at 0 when there is none. Otherwise undefined: it starts at the last
 * `startxref`, as every reader does. A linearized file that is edited later no longer has its
 * length as /L, and is read from `startxref`.
 */
export function linearizedStart(first: PdfValue | undefined, head: Buffer, total: number): number | undefined {
  const mark = numberOf(entry(first, 'Linearized'));
  if (mark === undefined || !(mark > 0) || numberOf(entry(first, 'L')) !== total) return undefined;
  const end = head.indexOf('endobj', 0, 'latin1');
  if (end === -1) return 0;
  let at = end + 'endobj'.length;
  while (at < head.length && WHITESPACE.has(head[at] as number)) at++;
  return at;
}
