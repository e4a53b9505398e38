import type { Report } from '../report.ts';
import { MarkupText } from './markup-text.ts';
import { TextStream } from './text-stream.ts';
import { attributeValues, decodeEntities, TAG_INSIDE } from './xml.ts';

/**
 * DDE in spreadsheets: a formula such as `=cmd|' /c calc'!A0` asks Excel to start `cmd` and
 * read a value from it. Excel's formula grammar has no other use for `|` outside a quoted
 * string, so a formula holding a `|` (also written `&#124;`) outside double quotes is DDE:
 * OOXML_DDE. Formulas are a cell's (`<f>`, also a chart's `<c:f>`), a defined name's
 * (`<definedName>`), a conditional format's (`<formula>`), a data validation's (`<formula1>`,
 * `<formula2>`), a table column's (`<calculatedColumnFormula>`, `<totalsRowFormula>`) and a form
 * control's (`fmlaRange`, `fmlaLink`… of `<formControlPr>`, or `<x:FmlaRange>`… in its legacy VML
 * drawing): Excel evaluates each as the sheet is shown. The spreadsheet's parts are read as they inflate
 * (./text-stream.ts); only the text around `|` is examined. The text judged is the decoded one,
 * as Excel reads it: CDATA sections and comments resolved (./markup-text.ts), character
 * references decoded (`&#x7C;`, `&#34;`). A formula text longer than the stream's 64 KiB window
 * cannot be read whole and is refused (OOXML_UNREADABLE): Excel allows 8,192 characters, under
 * 48 KiB even with every one escaped.
 */

const FORMULA_ELEMENT =
  'f|definedName|formula[12]?|calculatedColumnFormula|totalsRowFormula|Fmla(?:Link|Range|Group|Txbx|Pict|Macro)';
const FORMULA = new RegExp(`<(\\/?)(?:[\\w.-]+:)?(${FORMULA_ELEMENT})(?=[\\s>/])(${TAG_INSIDE})>([^<]*)`, 'g');
/** A form control's properties, whose `fmla…` attributes are formulas (its range, linked cell…). */
const FORM_CONTROL = new RegExp(`^<(?:[\\w.-]+:)?formControlPr(?=[\\s>/])(${TAG_INSIDE})>`);
const FORM_CONTROL_FORMULAS = ['fmlaLink', 'fmlaRange', 'fmlaGroup', 'fmlaTxbx', 'fmlaPict', 'fmlaMacro'];
const PIPE = [Buffer.from('|'), Buffer.from('&#')];
const FORMULA_TAG = new RegExp(`^<(?:[\\w.-]+:)?(${FORMULA_ELEMENT}|formControlPr)(?=[\\s>/])`);

export class FormulaCheck {
  private readonly stream: MarkupText;
  private readonly text: TextStream;
  private found = false;

  constructor(
    private readonly name: string,
    private readonly report: Report,
  ) {
    this.text = new TextStream(
      (text) => this.read(text),
      PIPE,
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
    const tag = FORMULA_TAG.exec(head)?.[1];
    if (!tag || this.found) return;
    this.found = true;
    this.report.add('OOXML_UNREADABLE', { part: `${this.name} <${tag}>` });
  }

  private read(text: string): void {
    FORMULA.lastIndex = 0;
    for (let m = FORMULA.exec(text); m && !this.found; m = FORMULA.exec(text)) {
      const closing = m[1] === '/';
      const selfClosing = (m[3] ?? '').endsWith('/');
      if (closing || selfClosing) continue;
      if (isDde(m[4] ?? '')) this.dde();
    }
    const control = this.found ? null : FORM_CONTROL.exec(text);
    if (!control) return;
    const inside = control[1] ?? '';
    const dde = FORM_CONTROL_FORMULAS.some((name) => attributeValues(inside, name).some(pipeOutsideQuotes));
    if (dde) this.dde();
  }

  private dde(): void {
    this.found = true;
    this.report.add('OOXML_DDE', { where: `${this.name} formula` });
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
