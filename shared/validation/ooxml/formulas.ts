import type { Report } from '../report.ts';
import { formulaStrings, hyperlinkTargets, joinedConstants, reachingCall, referencedPath } from './formula-calls.ts';
import { leadsOutOfReviewersHands, linkReach, targetAsFollowed } from '../link-target.ts';
import { MarkupText } from './markup-text.ts';
import { nameLongerThanHead, TextStream } from './text-stream.ts';
import {
  judgeSheetLoading,
  judgeElementLinks,
  LINK_WORDS,
  SHEET_LOADING_WORDS,
  vmlSourceTag,
} from './element-links.ts';
import type { PackageInspection } from './package-inspection.ts';
import type { HyperlinkUses } from './relationships.ts';
import { leadMakesAddress, textOfItem, type WorkbookLinks } from './workbook-strings.ts';
import { attributeValues, decodeEntities, PREFIX, shownAsUtf8, TAG_INSIDE } from './xml.ts';

/**
 * DDE in spreadsheets: a formula such as `=cmd|' /c calc'!A0` asks Excel to start `cmd` and
 * read a value from it. Excel's formula grammar has no other use for `|` outside a quoted
 * string, so a formula holding a `|` (also written `&#124;`) outside double quotes is DDE:
 * OOXML_DDE. Formulas are a cell's (`<f>`, also a chart's `<c:f>`), a defined name's
 * (`<definedName>`), a conditional format's (`<formula>`), a data validation's (`<formula1>`,
 * `<formula2>`), a table column's (`<calculatedColumnFormula>`, `<totalsRowFormula>`), a form
 * control's (`fmlaRange`, `fmlaLink`… of `<formControlPr>`, or `<x:FmlaRange>`… in its legacy
 * VML drawing), a linked OLE object's (`link` of a sheet's `<oleObject>`) and a pivot table's
 * calculated field's or item's (`formula` of `<cacheField>`, `<calculatedItem>`) and a drawing's
 * shape's (`macro`, `textlink` of `<xdr:sp>`…): Excel evaluates each as the sheet is shown, or,
 * a shape's macro, as it is clicked. The spreadsheet's parts are read as they inflate
 * (./text-stream.ts); only the text around `|` is examined. The text judged is the decoded one,
 * as Excel reads it: CDATA sections and comments resolved (./markup-text.ts), character
 * references decoded (`&#x7C;`, `&#34;`). A formula text longer than the stream's 64 KiB window
 * cannot be read whole and is refused (OOXML_UNREADABLE): Excel allows 8,192 characters, under
 * 48 KiB even with every one escaped.
 *
 * The same formulas may call a worksheet function that reaches out as the sheet recalculates
 * (./formula-calls.ts): RTD starts a COM server, CALL and REGISTER.ID call into a DLL (OOXML_DDE
 * as DDE is: another program runs), WEBSERVICE and IMAGE fetch a URL (OOXML_EXTERNAL). Their
 * items are found by one more byte search, for `(`, which no formula calls a function without.
 * A reference into another workbook written with its path (`'\\host\share\[b.xlsx]S'!A1`,
 * `'https://host/[b.xlsx]S'!A1`) rather than through an external link part (refused by its type)
 * has Excel reach that file: OOXML_EXTERNAL; found by two more byte searches, for `\` and `:/`,
 * which a genuine sheet holds in its namespace declarations only. A HYPERLINK call whose target
 * is a share, a local path or a program's scheme is refused as such a hyperlink relationship is.
 */

const FORMULA_ELEMENT =
  'f|definedName|formula[12]?|calculatedColumnFormula|totalsRowFormula|Fmla(?:Link|Range|Group|Txbx|Pict|Macro)';
const FORMULA = new RegExp(`<(\\/?)${PREFIX}(${FORMULA_ELEMENT})(?=[\\s>/])(${TAG_INSIDE})>([^<]*)`, 'g');
/**
 * Tags whose attributes are formulas: a form control's properties (`fmla…`: its range, linked
 * cell…), a sheet's linked OLE object (`link`: the formula that names its source), a pivot
 * cache's calculated fields and items (`formula`) and its source's name (`name` of
 * `<worksheetSource>`: a defined name or a reference, into another workbook by its path too).
 */
const FORMULA_ATTRIBUTES_TAG = new RegExp(
  `^<${PREFIX}(formControlPr|oleObject|cacheField|calculatedItem|worksheetSource|sp|pic|graphicFrame|cxnSp)(?=[\\s>/])(${TAG_INSIDE})>`,
);
/**
 * A drawing's shape, picture, chart frame or connector (`<xdr:sp>`…, and a chart's shapes, which
 * share their schema) carries the macro a click on it runs (`macro`) and, a shape, the cell its
 * text shows (`textlink`): references as a formula's are, Excel opening the workbook a path names
 * there (`'\\host\s\[b.xlsm]S'!Auto`) or starting a DDE server (round 10).
 */
const DRAWING_ATTRIBUTES = ['macro', 'textlink'];
const FORMULA_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  formControlPr: ['fmlaLink', 'fmlaRange', 'fmlaGroup', 'fmlaTxbx', 'fmlaPict', 'fmlaMacro'],
  oleObject: ['link'],
  cacheField: ['formula'],
  calculatedItem: ['formula'],
  worksheetSource: ['name'],
  sp: DRAWING_ATTRIBUTES,
  pic: DRAWING_ATTRIBUTES,
  graphicFrame: DRAWING_ATTRIBUTES,
  cxnSp: DRAWING_ATTRIBUTES,
};
/**
 * Web publishing (`<webPublishItem>` of a sheet, `<webPublishObject>` of the workbook): Excel
 * writes the sheet as a web page to `destinationFile`, and again at every save when it is
 * `autoRepublish`; into a share that hands its host the reader's credentials, to a web address
 * the workbook's content. Refused unless the destination is relative (OOXML_EXTERNAL); found by
 * the byte searches for `\\` and `:/`, which every such destination holds.
 */
const PUBLISH_TAG = new RegExp(`^<${PREFIX}(webPublishItem|webPublishObject)(?=[\\s>/])(${TAG_INSIDE})>`);

/**
 * What a formula without a call that gives a string holds (`"search-ms:"&A2`, `{"x"}`, `+"x"`):
 * a join (`&amp;`: `&` is escaped in XML), an array constant (`{`), a unary `+` or `@` before the
 * string, or a quote written `&quot;`. Each word's first byte is rare in a sheet's markup. A formula that
 * is a bare string (`<f>"ms-msdt:-id …"</f>`) is read through its cell's type, `t="str"`, which
 * Excel writes with its cached value: searching for the string's own start (`>"`, or a space and
 * a quote) stops the byte search at nearly every tag and made an XLSX's inspection 1.6 times as
 * slow, so a bare string in a cell stripped of its type and value is not read (docs/security.md).
 */
const STRING_EDGES = ['&amp;', '{', '+', '@', '&quot;'].map((edge) => Buffer.from(edge));
/**
 * A DDE formula's `|`, a call's `(`, a path's `\` or `:/`, any written as a character reference
 * (`&#`); a formula's string (STRING_EDGES); a string-typed cell (`t="str"`, `t="inlineStr"`).
 * And a book's bracket (round 12): a reference into another workbook whose path holds neither
 * `\` nor `:/` (`'//host/share/[b.xlsx]S'!A1`, `'＼＼host＼share＼[b.xlsx]S'!A1`: ./formula-calls.ts
 * `referencedPath`); a sheet's markup has none outside a formula.
 */
const WANTED = [
  Buffer.from('|'),
  Buffer.from('('),
  Buffer.from('\\'),
  Buffer.from(':/'),
  Buffer.from('['),
  Buffer.from('&#'),
  ...STRING_EDGES,
  Buffer.from('str'),
  Buffer.from('Str'),
];
/** A cell's or row's tag, opening (`<c …>`, its attributes) or closing (`</c>`). */
const CELL_TAG = new RegExp(`^<(/?)${PREFIX}(c|row|sheetData)(?=[\\s>/])(${TAG_INSIDE})>`);
/** A phonetic run's tag, opening or closing. */
const PHONETIC = new RegExp(`^</?${PREFIX}rPh(?=[\\s>/])`);
/** Longer than Excel's HYPERLINK takes (255 characters): a cell's text is read no further. */
const MAX_CELL_TEXT = 1024;
const FORMULA_TAG = new RegExp(
  `^<${PREFIX}(${FORMULA_ELEMENT}|formControlPr|oleObject|cacheField|calculatedItem|worksheetSource|sp|pic|graphicFrame|cxnSp)(?=[\\s>/])`,
);

export class FormulaCheck {
  private readonly stream: MarkupText;
  private readonly text: TextStream;
  private found = false;
  /** The text of the string-typed cell being followed to its end (`followCell`), if one is. */
  private cell: string | undefined;
  /** Inside a phonetic run (`<rPh>`) of that cell: a reading shown above the text, not in it. */
  private phonetic = false;
  private readonly report: Report;
  private readonly workbook: WorkbookLinks;
  private readonly hyperlinks: HyperlinkUses;

  /** `links`: the part may be a VML drawing, whose shapes' sources are judged too (./element-links.ts). */
  constructor(
    private readonly name: string,
    inspection: PackageInspection,
    private readonly links = false,
  ) {
    this.report = inspection.report;
    this.workbook = inspection.workbook;
    this.hyperlinks = inspection.hyperlinks;
    this.text = new TextStream(
      (text) => this.read(text),
      links ? [...WANTED, ...SHEET_LOADING_WORDS, ...LINK_WORDS] : [...WANTED, ...SHEET_LOADING_WORDS],
      (head) => this.long(head),
    );
    this.stream = new MarkupText((out) => this.text.write(out));
  }

  write(out: Buffer): void {
    if (!this.found) this.stream.write(out);
  }

  end(): void {
    if (this.found) return;
    this.stream.end();
    this.text.end();
  }

  private long(head: string): void {
    const tag =
      FORMULA_TAG.exec(head)?.[1] ?? (this.links ? vmlSourceTag(head) : undefined) ?? nameLongerThanHead(head);
    if (!tag || this.found) return;
    this.found = true;
    this.report.add('OOXML_UNREADABLE', { part: `${this.name} <${tag}>` });
  }

  /** One item handed on; true asks for the next (a string-typed cell followed to its end). */
  private read(text: string): boolean {
    if (this.found) return false;
    if (this.links && judgeElementLinks(text, this.name, this.report, this.hyperlinks)) {
      this.found = true;
      return false;
    }
    // A sheet's background, OLE object or drawing named by a relationship id (wherever the sheet is).
    judgeSheetLoading(text, this.name, this.hyperlinks);
    this.formulas(text);
    return !this.found && this.followCell(text);
  }

  private formulas(text: string): void {
    // A sheet's inline string or formula result holding `\` or `:/`: a HYPERLINK elsewhere may pick it.
    const held = textOfItem(text);
    if (held !== undefined) this.workbook.holds(held);
    FORMULA.lastIndex = 0;
    for (let m = FORMULA.exec(text); m && !this.found; m = FORMULA.exec(text)) {
      const closing = m[1] === '/';
      const selfClosing = (m[3] ?? '').endsWith('/');
      if (closing || selfClosing) continue;
      this.judge(decodeEntities(m[4] ?? ''));
    }
    if (!this.found && text.includes('webPublish')) this.publishing(text);
    const tag = this.found ? null : FORMULA_ATTRIBUTES_TAG.exec(text);
    if (!tag) return;
    const inside = tag[2] ?? '';
    for (const name of FORMULA_ATTRIBUTES[tag[1] ?? ''] ?? []) {
      for (const formula of attributeValues(inside, name)) if (!this.found) this.judge(formula);
    }
  }

  /**
   * A sheet's string-typed cell (`t="str"`: a formula's result; `t="inlineStr"`), followed from its
   * tag to its end: its text (the `<v>`, or the `<t>` of each rich-text run, joined) is a string
   * the workbook holds, whatever it holds. The tag is found by its type's bytes (WANTED); the text
   * after it holds no word to search for (`ms-msdt:-id …`), so the items up to `</c>` are asked
   * for. A cell's text longer than a HYPERLINK's target is none.
   */
  private followCell(text: string): boolean {
    if (this.cell !== undefined) {
      const tag = CELL_TAG.exec(text);
      if (!tag) {
        if (PHONETIC.test(text)) this.phonetic = text[1] !== '/';
        const held = this.phonetic ? undefined : textOfItem(text);
        if (held !== undefined && this.cell.length <= MAX_CELL_TEXT) this.cell += held;
        return true;
      }
      // The cell's end, or the next cell or row when a cell is left unclosed.
      this.workbook.holds(this.cell);
      this.cell = undefined;
      this.phonetic = false;
      if (tag[1] === '/') return false;
    }
    const tag = CELL_TAG.exec(text);
    if (!tag || tag[1] === '/' || tag[2] !== 'c' || (tag[3] ?? '').trimEnd().endsWith('/')) return false;
    const type = attributeValues(tag[3] ?? '', 't')[0]?.trim();
    if (type !== 'str' && type !== 'inlineStr') return false;
    this.cell = '';
    return true;
  }

  /** A web publishing item's destination outside the workbook's folder (PUBLISH_TAG). */
  private publishing(text: string): void {
    const tag = PUBLISH_TAG.exec(text);
    if (!tag) return;
    for (const destination of attributeValues(tag[2] ?? '', 'destinationFile')) {
      const target = targetAsFollowed(destination).slice(0, 200);
      if (linkReach(target) === 'relative') continue;
      this.found = true;
      this.report.add('OOXML_EXTERNAL', { kind: `web publishing (${tag[1]})`, target });
      return;
    }
  }

  /** One formula's decoded text. */
  private judge(formula: string): void {
    if (pipeOutsideQuotes(formula)) {
      this.found = true;
      this.report.add('OOXML_DDE', { where: `${this.name} formula` });
      return;
    }
    const path = referencedPath(formula);
    if (path) {
      this.found = true;
      this.report.add('OOXML_EXTERNAL', { kind: 'formula reference to another file', target: path });
      return;
    }
    for (const held of formulaStrings(formula)) this.workbook.holds(held);
    // What the formula writes from strings and character codes joined (`CHAR(92)&CHAR(92)&"srv\x"`).
    const joined = joinedConstants(formula);
    for (const run of joined.runs) this.workbook.holds(run);
    if (joined.lead && leadMakesAddress(joined.lead)) this.workbook.holdsAddress(formula.slice(0, 200));
    // A HYPERLINK or a call that reaches out: no formula calls a function without `(`.
    if (!formula.includes('(')) return;
    for (const link of hyperlinkTargets(formula)) {
      // A HYPERLINK is followed on a click, never as the workbook opens (round 14): one whose
      // target the checks let pass is the reviewer's to judge, shown as a link a relationship
      // names is. One picking its target from a cell (`HYPERLINK(C1)`, C1 perhaps joining cells
      // each harmless alone, no cached value) is shown by its formula, its target unknown here.
      if (link.from === 'selected') {
        this.workbook.selects(this.name);
        this.report.warn('EXTERNAL_LINK', { target: shownAsUtf8(formula.trim().slice(0, 200)) });
      } else if (link.from === 'built') {
        this.found = true;
        this.report.add('OOXML_EXTERNAL', {
          kind: 'HYPERLINK formula whose target is built from pieces',
          target: link.formula,
        });
        return;
      } else if (leadsOutOfReviewersHands(link.target)) {
        this.found = true;
        this.report.add('OOXML_EXTERNAL', {
          kind: 'HYPERLINK formula into a share or to a program',
          target: link.target,
        });
        return;
      } else if (linkReach(link.target) === 'web') {
        this.report.warn('EXTERNAL_LINK', { target: shownAsUtf8(link.target) });
      }
    }
    const call = reachingCall(formula);
    if (!call) return;
    this.found = true;
    if (call.reach === 'runs') this.report.add('OOXML_DDE', { where: `${this.name} formula ${call.name}` });
    else this.report.add('OOXML_EXTERNAL', { kind: `formula ${call.name}`, target: this.name });
  }
}

/** A formula's text (XML-escaped) with a `|` outside double-quoted strings. */
export function isDde(escaped: string): boolean {
  return pipeOutsideQuotes(decodeEntities(escaped));
}

/** A formula's text (decoded) with a `|` outside double-quoted strings. */
function pipeOutsideQuotes(text: string): boolean {
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (c === '|' && !quoted) return true;
  }
  return false;
}
