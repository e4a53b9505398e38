import { leadAsFollowed, linkReach, targetAsFollowed } from '../link-target.ts';
import { leadKeepsLinkInReach } from './link-lead.ts';
import type { Report } from '../report.ts';
import { MarkupText } from './markup-text.ts';
import { TextStream } from './text-stream.ts';
import { decodeEntities, PREFIX, shownAsUtf8, TAG_INSIDE } from './xml.ts';

/**
 * An Excel HYPERLINK whose target another cell or a defined name holds (`HYPERLINK(A2)`, common in
 * a workbook listing web sites) goes wherever that string says, and which cell a reference
 * reaches is a question for Excel, not for a byte search. So the rule is the workbook's: once it
 * has such a HYPERLINK (./formula-calls.ts, `selected`), every string it holds that reads as an
 * address into a share, a local path or to a program (ADDRESS and LABEL, then ../link-target.ts)
 * refuses it (OOXML_EXTERNAL), in whichever order the two are read. A workbook without one may
 * hold any string: `\\server\share` as text is nobody's click. What the parts tell is kept in the
 * package's inspection (./package-inspection.ts, WorkbookLinks), not beside it.
 *
 * The strings held are the shared strings (`xl/sharedStrings.xml`, where Excel keeps every text
 * cell: each `<t>`, so a rich-text string cut into runs, `\` then `\srv\x`, is seen by its pieces
 * too); a sheet's string-typed cells (`t="str"`: a formula's result; `t="inlineStr"`), whatever
 * their text holds, each followed from its tag to its end with its rich-text runs joined
 * (./formulas.ts); the strings written in formulas, in a formula without a call too when it
 * joins, or stands in an array or after a unary `+` or `@` (`"search-ms:"&A2`, `{"…"}`); and what a cell's or defined name's
 * formula writes from strings and character codes joined (`CHAR(92)&CHAR(92)&"srv\x"`,
 * `"ms-msdt"&CHAR(58)&…`, CONCAT), or starts its value with before a computed piece
 * (`CHAR(47)&A2`, `"search-ms:"&A2`: `leadMakesAddress`), whether its cached value is there or
 * left out for Excel to compute (./formula-calls.ts, `joinedConstants`).
 *
 * Labels a person writes with a colon (`ID:AB`, `Re:Q3`, `Note:see below`, `编号` then `:A12` in
 * two runs) are not addresses (LABEL). Not seen: a value joined from cells whose strings are each
 * harmless alone (`A1&A2` with `search-ms:` in one and `query=…` in the other, or a plain word's
 * scheme joined to a cell, `"mhtml:"&A2`), a program whose scheme is a plain word that acts
 * on a label's bare words, and a formula that is a bare string (`="ms-msdt:-id …"`) in a cell
 * stripped of its string type and cached value (finding the string's start by its bytes halved
 * the XLSX's speed: ./formulas.ts, STRING_EDGES); Excel asks before it follows such a link, and building it in the
 * HYPERLINK itself is refused (`built`). A HYPERLINK picking its target so is followed on a click
 * only: since round 14 it is shown as a warning, by its formula (./formulas.ts).
 */

/**
 * A string that reads as a link target's start (after leading whitespace): two slashes or a
 * backslash (a share, a root path, or a rich-text run that finishes one), a drive and its slash,
 * or a scheme (any name, empty for a run cut before its colon) followed by something other than
 * a space, a digit or `+`. Labels and times (`QQ: 12345`, `QQ:12345`, `Tel:+86…`, `08:30`,
 * `A: 优秀`) are not.
 */
const ADDRESS = /^(?:\\|\/\/|[a-z]:[\\/]|[a-z0-9+.-]*:[^\s\d+])/i;
/**
 * A label a person writes with a colon, not a program's address: a word of ASCII letters (or
 * none, where a rich-text run or a joined piece starts at the colon), the colon, then words of
 * ASCII letters and digits or any other script's characters, spaces, and `-` or `_` inside a word
 * (`ID:AB`, `Re:Q3`, `Note:see below`, `Name:张三`, `Ref:ABC-123`). Handed to whichever program
 * registered such a word as a scheme, it carries no path, switch, query or address for the
 * program to act on: the programs that act on a link's text read those (`ms-msdt:-id …`,
 * `search-ms:query=…&crumb=…`, `mhtml:http://…`, `ms-word:ofe|u|…`), and a scheme with `-`, `.`
 * or `+` in its name (`ms-msdt`, `search-ms`) is no label's word. A share or a drive (`smb:host`,
 * `C:x`) is never a label, whatever follows. Any character past ASCII counts as a word's: the
 * text searched is the part's bytes read one to a character (./text-stream.ts), so `张` is three.
 */
const WORD = '[a-z0-9\\u0080-\\u{10ffff}]';
const LABEL = new RegExp(`^[a-z]*:${WORD}(?:${WORD}|\\s|[-_](?=${WORD}))*$`, 'iu');
/** Excel's HYPERLINK takes a target of 255 characters at most: a longer string is no target. */
const MAX_TARGET = 255;

/** Whether a string the workbook holds would take a HYPERLINK that picks it out of the reviewer's hands. */
export function readsAsRefusedAddress(text: string): boolean {
  if (text.length > MAX_TARGET) return false;
  // As the HYPERLINK follows it: `ms-ms<tab>dt:` is a program's scheme.
  const lead = targetAsFollowed(text);
  if (!ADDRESS.test(lead)) return false;
  const reach = linkReach(lead);
  return reach !== 'web' && (reach === 'share-or-local' || !LABEL.test(lead));
}

/**
 * Whether a formula's written lead, a computed piece joined after it (./formula-calls.ts,
 * `joinedConstants`), makes its value an address whatever the piece holds. Written with
 * character codes or CONCAT, as the HYPERLINK's own target is judged (./link-lead.ts: `CHAR(47)&A2`
 * may become `//host/…`); as a plain string, only when it is a share's or drive's start or a
 * scheme whose name is no label's word (`"search-ms:"&A2`): `"ID:"&A2` is a label and a cell.
 * A lead of whitespace alone (`CHAR(10)&A2`) leaves the value to the cells it joins, judged
 * themselves.
 */
export function leadMakesAddress(lead: { readonly text: string; readonly coded: boolean }): boolean {
  const text = leadAsFollowed(lead.text);
  if (text === '') return false;
  if (lead.coded) return !leadKeepsLinkInReach(text);
  const reach = linkReach(text);
  return reach === 'share-or-local' || (reach === 'program' && !/^[a-z]+:/i.test(text));
}

/**
 * What one workbook's parts tell about its links, whichever part is read first: a HYPERLINK
 * that picks its target from the workbook, and a string it holds that reads as a refused
 * address. Once both are known the workbook is refused, once. One for each package inspected
 * (./package-inspection.ts).
 */
export class WorkbookLinks {
  /** The part holding a HYPERLINK whose target is a selected string, once one is read. */
  private selecting: string | undefined;
  /** The first string held that reads as a refused address. */
  private address: string | undefined;
  private decided = false;

  constructor(private readonly report: Report) {}

  /** A HYPERLINK in `part` picks its target from the workbook's strings. */
  selects(part: string): void {
    this.selecting ??= part;
    this.decide();
  }

  /** A string the workbook holds (decoded). */
  holds(text: string): void {
    if (this.address === undefined && readsAsRefusedAddress(text)) this.holdsAddress(text);
  }

  /**
   * An address the workbook computes rather than holds: a cell's or defined name's formula
   * (decoded) that builds one from pieces no string it holds shows whole (./formula-calls.ts,
   * `buildsAddress`), which Excel computes as the workbook opens and a HYPERLINK picking it follows.
   */
  holdsAddress(shown: string): void {
    this.address ??= shown;
    this.decide();
  }

  private decide(): void {
    if (this.decided || this.selecting === undefined || this.address === undefined) return;
    this.decided = true;
    this.report.add('OOXML_EXTERNAL', {
      kind: `HYPERLINK formula (${this.selecting}) whose target the workbook holds as a share or program address`,
      target: shownAsUtf8(this.address.trim().slice(0, 200)),
    });
  }
}

/** A text element (`<t>`, a sheet's `<v>`) and its text, at an item's start. */
const TEXT_ELEMENT = new RegExp(`^<${PREFIX}(?:t|v)(?=[\\s>])(${TAG_INSIDE})>([^<]*)`);

/** The text of an item that is a string's text element (`<t>…`, `<v>…`), decoded; none for another. */
export function textOfItem(item: string): string | undefined {
  const m = TEXT_ELEMENT.exec(item);
  if (!m || (m[1] ?? '').trimEnd().endsWith('/')) return undefined;
  return decodeEntities(m[2] ?? '');
}

/**
 * What an address needs: a colon, a backslash, or two slashes; or their full-width forms (`：`,
 * `＼`, `／`), which the reading of a target folds (../link-target.ts, round 11): `＼＼host＼share`
 * and `ｍｓ－ｍｓｄｔ：` hold none of the ASCII ones.
 */
const ADDRESS_BYTES = [':', '\\', '//', '：', '＼', '／'].map((word) => Buffer.from(word));

/**
 * The shared strings part, read as it inflates: only the text elements holding one of
 * ADDRESS_BYTES are decoded. A text longer than the stream's window is no HYPERLINK target.
 */
export class SharedStringsCheck {
  private readonly stream: MarkupText;
  private readonly text: TextStream;

  constructor(private readonly workbook: WorkbookLinks) {
    this.text = new TextStream((item) => this.read(item), ADDRESS_BYTES);
    this.stream = new MarkupText((out) => this.text.write(out));
  }

  write(out: Buffer): void {
    this.stream.write(out);
  }

  end(): void {
    this.stream.end();
    this.text.end();
  }

  private read(item: string): void {
    const text = textOfItem(item);
    if (text !== undefined) this.workbook.holds(text);
  }
}
