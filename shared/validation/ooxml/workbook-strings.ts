import { linkReach } from '../link-target.ts';
import type { Report } from '../report.ts';
import { MarkupText } from './markup-text.ts';
import { TextStream } from './text-stream.ts';
import { decodeEntities, shownAsUtf8, TAG_INSIDE } from './xml.ts';

/**
 * An Excel HYPERLINK whose target another cell or a defined name holds (`HYPERLINK(A2)`, common in
 * a workbook listing web sites) goes wherever that string says, and which cell a reference
 * reaches is a question for Excel, not for a byte search. So the rule is the workbook's: once it
 * has such a HYPERLINK (./formula-calls.ts, `selected`), every string it holds that reads as an
 * address into a share, a local path or to a program (ADDRESS, then ../link-target.ts) refuses it
 * (OOXML_EXTERNAL), in whichever order the two are read. A workbook without one may hold any
 * string: `\\server\share` as text is nobody's click.
 *
 * The strings held are the shared strings (`xl/sharedStrings.xml`, where Excel keeps every text
 * cell: each `<t>`, so a rich-text string cut into runs, `\` then `\srv\x`, is seen by its pieces
 * too), the strings written in formulas (./formulas.ts), and a sheet's inline strings and formula
 * results (`<is><t>`, `<v>` of a `t="str"` cell) that hold `\` or `:/`, which the sheet's reading
 * already finds: sheets are the bulk of a workbook, and are not searched for more.
 *
 * Not seen: a sheet's inline string, cached result or formula string for a program's scheme with
 * none of `\`, `:/`, `(` (`="ms-msdt:-id …"`), and a cell or defined name whose own formula
 * builds an address from character codes (`CHAR(92)&CHAR(92)&…`) that a HYPERLINK elsewhere
 * picks; Excel asks before it follows such a link, and building it in the HYPERLINK itself is
 * refused (`built`).
 */

/**
 * A string that reads as a link target's start (after leading whitespace): two slashes or a
 * backslash (a share, a root path, or a rich-text run that finishes one), a drive and its slash,
 * or a scheme (any name, empty for a run cut before its colon) followed by something other than
 * a space, a digit or `+`. Labels and times (`QQ: 12345`, `QQ:12345`, `Tel:+86…`, `08:30`,
 * `A: 优秀`) are not.
 */
const ADDRESS = /^(?:\\|\/\/|[a-z]:[\\/]|[a-z0-9+.-]*:[^\s\d+])/i;
/** Excel's HYPERLINK takes a target of 255 characters at most: a longer string is no target. */
const MAX_TARGET = 255;

/** Whether a string the workbook holds would take a HYPERLINK that picks it out of the reviewer's hands. */
export function readsAsRefusedAddress(text: string): boolean {
  const lead = text.trimStart();
  return lead.length <= MAX_TARGET && ADDRESS.test(lead) && linkReach(lead) !== 'web';
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
    if (this.address !== undefined || !readsAsRefusedAddress(text)) return;
    this.address = text;
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
const TEXT_ELEMENT = new RegExp(`^<(?:[\\w.-]+:)?(?:t|v)(?=[\\s>])(${TAG_INSIDE})>([^<]*)`);

/** The text of an item that is a string's text element (`<t>…`, `<v>…`), decoded; none for another. */
export function textOfItem(item: string): string | undefined {
  const m = TEXT_ELEMENT.exec(item);
  if (!m || (m[1] ?? '').trimEnd().endsWith('/')) return undefined;
  return decodeEntities(m[2] ?? '');
}

/** What an address needs: a colon, a backslash, or two slashes. */
const ADDRESS_BYTES = [Buffer.from(':'), Buffer.from('\\'), Buffer.from('//')];

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
