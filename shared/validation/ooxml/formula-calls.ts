import { leadAsFollowed, leadsOutOfReviewersHands, linkReach, targetAsFollowed } from '../link-target.ts';
import { leadKeepsLinkInReach } from './link-lead.ts';

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

/**
 * A reference into another workbook by its book in brackets (round 12), and the path before it:
 * quoted (`'…\\[b.xlsx]S'!A1`, group 1) or not (`…\\[b.xlsx]S!A1`, group 2). PATH finds a path
 * by its ASCII start; a path Excel or Windows reads as a share or a URL that does not start so —
 * `//host/share/`, `＼＼host＼share＼` in full width, a no-break or ideographic space before it
 * — is found by its book's bracket and judged as followed (../link-target.ts). A book with no
 * path (`[1]S!A1`, Excel's own way through an external link part, refused by its type; a sibling
 * `[b.xlsx]S!A1`) or a relative one (`'..\\资料\\[表.xlsx]S'!A1`) reaches no share or program. A
 * table's structured reference (`表1[金额]`) has no `!` after its brackets.
 */
const BOOK_REFERENCE = /'([^']*)\[[^\]']*\][^']*'!|([^\s'!(),;=+*&^<>{}"[\]]*)\[[^\]\s'!]*\][^\s'!()[\]]*!/g;

/** The first path outside the package a formula's decoded text refers to, if any. */
export function referencedPath(formula: string): string | undefined {
  const book = formula.includes('[');
  if (!book && !formula.includes('\\') && !formula.includes(':/')) return undefined;
  const text = outsideStrings(formula);
  const path = PATH.exec(text)?.[0];
  if (path !== undefined) return path.slice(0, 200);
  if (!book) return undefined;
  for (const reference of text.matchAll(BOOK_REFERENCE)) {
    const written = reference[1] ?? reference[2] ?? '';
    if (written !== '' && linkReach(written) !== 'relative') return targetAsFollowed(written).slice(0, 200);
  }
  return undefined;
}

/** The first call in a formula's decoded text that reaches outside, if any. */
export function reachingCall(formula: string): ReachingCall | undefined {
  const text = outsideStringsAndNames(formula);
  const name = CALL.exec(text)?.[1]?.toUpperCase();
  if (!name) return undefined;
  return { name, reach: FETCHES.has(name) ? 'fetches' : 'runs' };
}

/**
 * Where an Excel HYPERLINK call's target (its first argument) comes from:
 * - `literal`: written as a string (`HYPERLINK("\\host\x.xlsx","附件")`), or computed after a
 *   written lead that is already a share or a program's scheme (`"\\host\"&A1`): a click away, as
 *   a hyperlink relationship's target is, and judged as one (../link-target.ts);
 * - `selected`: another cell's value or a defined name's (`HYPERLINK(A2)`, `HYPERLINK(B2,A2)`,
 *   `HYPERLINK(VLOOKUP(A2,链接,2,FALSE))`), picked by references and the functions of SELECTING
 *   only: a string the workbook holds, which ./workbook-strings.ts judges;
 * - `built`: joined from pieces (`&`, CONCAT, CHAR, SUBSTITUTE…: `"\"&"\srv\x"`,
 *   `CHAR(92)&CHAR(92)&…`, or a LET parameter the formula computes so), which no string the
 *   workbook holds shows whole, after a lead that does
 *   not decide its reach (./link-lead.ts): refused, as it may reach a share or a program. Genuine
 *   built targets start with a web address or `#` (`"https://x/?id="&A2`, `"#'"&A2&"'!A1"`).
 */
export type HyperlinkTarget =
  | { readonly from: 'literal'; readonly target: string }
  | { readonly from: 'selected' }
  | { readonly from: 'built'; readonly formula: string };

/**
 * Functions that pick a value from the workbook without changing it (or compute a number or a
 * condition to pick by), so a target they give is one of the workbook's strings.
 */
const SELECTING = new Set([
  'INDEX',
  'MATCH',
  'XMATCH',
  'VLOOKUP',
  'HLOOKUP',
  'XLOOKUP',
  'LOOKUP',
  'CHOOSE',
  'IF',
  'IFS',
  'IFERROR',
  'IFNA',
  'OFFSET',
  'INDIRECT',
  'ROW',
  'COLUMN',
  'ROWS',
  'COLUMNS',
  'AND',
  'OR',
  'NOT',
  'ISBLANK',
  'ISERROR',
  'ISNUMBER',
  'ISTEXT',
  'LEN',
  // Drops spaces at the ends and between words: joins no two characters a link's reach depends on.
  'TRIM',
]);
/** A call's name (Excel's `_xlfn.`/`_xlws.` prefixes dropped), outside strings. */
const CALLED = /(?<![\p{L}\p{N}_.])((?:_xl(?:fn|ws)\.)*)([\p{L}_][\p{L}\p{N}_.]*)\s*\(/gu;
const HYPERLINK_CALL = /(?<![\p{L}\p{N}_])HYPERLINK\s*\(/giu;
/** A call joining its arguments into one string, the first leading. */
const JOINING = /^(?:_xlfn\.)?(?:CONCATENATE|CONCAT)\s*\(\s*/i;
/** A string literal: `""` inside is a quote. */
const LITERAL = /^"((?:[^"]|"")*)"/;

/** A formula's text with each string's inside blanked, every character kept in place. */
function blankStrings(formula: string): string {
  return formula.includes('"') ? formula.replace(STRING, (s) => `"${' '.repeat(Math.max(0, s.length - 2))}"`) : formula;
}

/** The end of a call's first argument, from `from` (after its `(`) in text whose strings are blanked. */
function argumentEnd(blank: string, from: number): number {
  let depth = 0;
  let quoted = false;
  for (let at = from; at < blank.length; at++) {
    const c = blank[at];
    if (c === "'") quoted = !quoted;
    if (quoted) continue;
    if (c === '(' || c === '{') depth++;
    else if ((c === ')' || c === '}') && depth > 0) depth--;
    else if (depth === 0 && (c === ',' || c === ';' || c === ')')) return at;
  }
  return blank.length;
}

/** The strings of a formula's decoded text (`""` read as one quote), as a cell holding one shows them. */
export function formulaStrings(formula: string): string[] {
  if (!formula.includes('"')) return [];
  return [...formula.matchAll(STRING)].map((m) => m[0].slice(1).replace(/"$/, '').replace(/""/g, '"'));
}

/** Each HYPERLINK call's target in a formula's decoded text, by where it comes from. */
export function hyperlinkTargets(formula: string): HyperlinkTarget[] {
  if (!/hyperlink/i.test(formula)) return [];
  const blank = blankStrings(formula);
  const targets: HyperlinkTarget[] = [];
  for (const m of blank.matchAll(HYPERLINK_CALL)) {
    const from = m.index + m[0].length;
    const end = argumentEnd(blank, from);
    const target = targetOf(formula.slice(from, end), blank.slice(from, end));
    if (target) targets.push(target);
  }
  return targets;
}

/** A HYPERLINK call's first argument's target; none when a written lead decides it stays in reach. */
function targetOf(argument: string, blank: string): HyperlinkTarget | undefined {
  const text = argument.trim();
  // CONCATENATE("https://a.example/?id=",A2) is "https://a.example/?id="&A2: its first piece leads.
  const joined = JOINING.exec(text);
  const literal = LITERAL.exec(joined ? text.slice(joined[0].length) : text);
  if (literal) {
    // As followed before it is cut: tabs inside a scheme cannot push the scheme out of the window.
    const lead = leadAsFollowed((literal[1] ?? '').replace(/""/g, '"')).slice(0, 200);
    if (!joined && literal[0].length === text.length) return { from: 'literal', target: lead.trim() };
    // Joined to more: the written lead is judged as a target, or must decide the link's reach.
    if (leadsOutOfReviewersHands(lead)) return { from: 'literal', target: lead };
    if (leadKeepsLinkInReach(lead)) return undefined;
    return { from: 'built', formula: text.slice(0, 200) };
  }
  const outside = blank.includes("'") ? blank.replace(QUOTED_NAME, ' ') : blank;
  // A LET or LAMBDA parameter (`_xlpm.t`) is a value the same formula computes, however it likes.
  const built =
    outside.includes('&') ||
    /_xlpm\./i.test(outside) ||
    [...outside.matchAll(CALLED)].some((call) => !SELECTING.has((call[2] ?? '').toUpperCase()));
  return built ? { from: 'built', formula: text.slice(0, 200) } : { from: 'selected' };
}

/**
 * What a formula writes from constants joined side by side: string literals and character codes
 * (`CHAR(92)`, `_xlfn.UNICHAR(58)`, a number written in them) joined with `&`, or neighbouring
 * arguments of CONCAT or CONCATENATE. `CHAR(92)&CHAR(92)&"srv\x"` writes `\\srv\x`, which none
 * of its strings shows: a cell or defined name so computed, its cached value left out, holds that
 * address as soon as Excel recalculates it (./workbook-strings.ts judges it as a string held).
 *
 * - `runs`: each run of more than one piece, or holding a character code (a lone string is one
 *   of `formulaStrings`);
 * - `lead`: the run the formula's value starts with, when a computed piece (a reference, another
 *   call) is joined after it: what is written before the computed part, which may already make
 *   the value a share or a program's scheme whatever follows (`CHAR(47)&A2`, `"search-ms:"&A2`);
 *   `coded` when character codes or CONCAT wrote it.
 */
export interface JoinedConstants {
  readonly runs: readonly string[];
  readonly lead?: { readonly text: string; readonly coded: boolean };
}

/** A character code call with a written number, at a place no name continues into. */
const CODE = /(?<![\p{L}\p{N}_.])(?:_xlfn\.)?(UNICHAR|CHAR)\s*\(\s*(\d{1,7})(?:\.\d*)?\s*\)/iuy;
const CONCAT_CALL = /(?<![\p{L}\p{N}_.])(?:_xlfn\.)?CONCAT(?:ENATE)?\s*\(/iuy;
const LITERAL_AT = /"((?:[^"]|"")*)"/y;
const JOINS_OR_CODES = /&|char|concat/i;

/** The string literal or character code at `at`, with where it ends. */
function constantAt(formula: string, at: number): { text: string; coded: boolean; end: number } | undefined {
  const c = formula[at];
  if (c === '"') {
    LITERAL_AT.lastIndex = at;
    const m = LITERAL_AT.exec(formula);
    return m ? { text: (m[1] ?? '').replace(/""/g, '"'), coded: false, end: at + m[0].length } : undefined;
  }
  if (c !== 'C' && c !== 'c' && c !== 'U' && c !== 'u' && c !== '_') return undefined;
  CODE.lastIndex = at;
  const m = CODE.exec(formula);
  const code = Number(m?.[2]);
  if (!m || code < 1 || code > 0x10ffff) return undefined;
  return { text: String.fromCodePoint(code), coded: true, end: at + m[0].length };
}

/** The constants a formula's decoded text joins (JoinedConstants). */
export function joinedConstants(formula: string): JoinedConstants {
  // Nothing joined and no character code: the formula's strings are `formulaStrings`, as they are.
  if (!JOINS_OR_CODES.test(formula)) return { runs: [] };
  const runs: string[] = [];
  let lead: JoinedConstants['lead'];
  let run = '';
  let pieces = 0;
  let coded = false;
  /** The run is written inside a CONCAT. */
  let concat = false;
  /** Nothing but constants and CONCAT's opening stand before the run: it starts the value. */
  let leading = true;
  /** What comes next is joined to the run. */
  let joined = true;
  /** Each open parenthesis: whether it is CONCAT's (whose separators join). */
  const open: boolean[] = [];
  const end = (computedJoined: boolean) => {
    if (pieces > 1 || coded) runs.push(run);
    if (leading && pieces > 0 && computedJoined) lead = { text: run, coded: coded || concat };
    run = '';
    pieces = 0;
    coded = false;
    leading = false;
  };
  for (let at = 0; at < formula.length;) {
    const c = formula[at] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      at++;
      continue;
    }
    const piece = constantAt(formula, at);
    if (piece) {
      if (!joined) end(false);
      run += piece.text;
      pieces++;
      coded ||= piece.coded;
      joined = false;
      at = piece.end;
      continue;
    }
    CONCAT_CALL.lastIndex = at;
    const call = c === 'C' || c === 'c' || c === '_' ? CONCAT_CALL.exec(formula) : null;
    if (call) {
      if (!joined) end(false);
      open.push(true);
      concat = true;
      joined = true;
      at += call[0].length;
      continue;
    }
    if (c === '&' || ((c === ',' || c === ';') && open.at(-1) === true)) {
      joined = true;
    } else if (c === ')' && open.at(-1) === true) {
      open.pop();
      joined = false;
    } else {
      // A reference, a number, another call or operator: the run ends, computed after it if joined.
      if (c === '(') open.push(false);
      else if (c === ')') open.pop();
      end(joined && pieces > 0);
      joined = false;
    }
    at++;
  }
  end(false);
  return lead ? { runs, lead } : { runs };
}
