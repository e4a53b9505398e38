/**
 * Worksheet functions that reach outside the workbook as it recalculates, which Excel does as the
 * file opens:
 * - RTD starts the COM real-time-data server its formula names, and CALL and REGISTER.ID load a
 *   DLL and call into it; EXEC, REGISTER, EVALUATE, RUN, SEND.KEYS and the file functions (FILES
 *   and DIRECTORY list a folder, a share's too; FOPEN, FWRITE, FWRITELN and FDELETE write and
 *   delete files) are Excel 4.0 macro functions (EVALUATE turns a built-up string into any of
 *   these), which a workbook's defined names still run: another program's code runs, or files;
 * - WEBSERVICE fetches a URL (the formula can append any cell to it: data leaves the file), and
 *   IMAGE fetches a picture from one.
 *
 * Excel writes the newer ones with a prefix (`_xlfn.WEBSERVICE(`, `_xlfn.IMAGE(`), the older ones
 * bare (`RTD(`, `CALL(`), and reads a function's name without regard to case, so a name is found
 * whatever precedes it after a `.` or a character that cannot be part of a name, in any case, and
 * with spaces before its `(`. Text in double quotes is a string, not a call (`"IMAGE("`).
 *
 * A reference into another workbook by its path (`'\\host\share\[b.xlsx]S'!A1`) has Excel open
 * that file to update the value: `referencedPath`.
 */

export interface ReachingCall {
  /** The function, as the formula spells it (upper-cased). */
  readonly name: string;
  /** `runs`: another program's code runs; `fetches`: a URL is fetched. */
  readonly reach: 'runs' | 'fetches';
}

const FETCHES = new Set(['WEBSERVICE', 'IMAGE']);
const CALL =
  /(?<![\p{L}\p{N}_])(RTD|CALL|REGISTER\.ID|REGISTER|EXEC|EVALUATE|RUN|SEND\.KEYS|FILES|DIRECTORY|FOPEN|FWRITE|FWRITELN|FDELETE|WEBSERVICE|IMAGE)\s*\(/iu;
/** A string in a formula (`""` inside one is two strings side by side: the same for this). */
const STRING = /"[^"]*(?:"|$)/g;

/** A formula's text with its strings blanked. */
const outsideStrings = (formula: string) => (formula.includes('"') ? formula.replace(STRING, ' ') : formula);

/**
 * A sheet or workbook name in single quotes (`'Run (2)'!A1`: Excel names a sheet's copy so); `''`
 * inside one is two quoted names side by side, the same for this. Only a quote that closes counts:
 * a lone one blanks nothing.
 */
const QUOTED_NAME = /'[^']*'/g;

/** A formula's text with its strings and quoted sheet names blanked: what is left may call. */
const outsideStringsAndNames = (formula: string) => {
  const text = outsideStrings(formula);
  return text.includes("'") ? text.replace(QUOTED_NAME, ' ') : text;
};

/**
 * A path outside the package a formula refers to (outside its strings): a UNC path, a drive path
 * or a URL, as a reference into another workbook names it. `ISNUMBER(SEARCH("\\",A1))` holds
 * its backslashes in a string: not a reference.
 */
const PATH = /\\{2}[^'!]*|[a-z]:\\[^'!]*|[a-z][a-z0-9+.-]*:\/[^'!]*/i;

/** The first path outside the package a formula's decoded text refers to, if any. */
export function referencedPath(formula: string): string | undefined {
  if (!formula.includes('\\') && !formula.includes(':/')) return undefined;
  return PATH.exec(outsideStrings(formula))?.[0].slice(0, 200);
}

/** The first call in a formula's decoded text that reaches outside, if any. */
export function reachingCall(formula: string): ReachingCall | undefined {
  const text = outsideStringsAndNames(formula);
  const name = CALL.exec(text)?.[1]?.toUpperCase();
  if (!name) return undefined;
  return { name, reach: FETCHES.has(name) ? 'fetches' : 'runs' };
}

const HYPERLINK = /(?<![\p{L}\p{N}_])HYPERLINK\s*\(\s*"([^"]*)"/giu;

/**
 * The target of a HYPERLINK call written as a string (`HYPERLINK("\\host\x.xlsx","附件")`): a
 * click away, as a hyperlink relationship's is, and judged as one (../link-target.ts).
 */
export function hyperlinkTarget(formula: string): string | undefined {
  if (!/hyperlink/i.test(formula)) return undefined;
  for (const m of formula.matchAll(HYPERLINK)) {
    // A call, not words inside a string: an even number of quotes before it.
    const quotes = formula.slice(0, m.index).split('"').length - 1;
    if (quotes % 2 === 0) return (m[1] ?? '').trim().slice(0, 200);
  }
  return undefined;
}
