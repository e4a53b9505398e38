import type { Report } from '../report.ts';
import { MarkupText } from './markup-text.ts';
import { TextStream } from './text-stream.ts';
import { decodeEntities, TAG_INSIDE } from './xml.ts';

/**
 * DDE in spreadsheets: a formula such as `=cmd|' /c calc'!A0` asks Excel to start `cmd` and
 * read a value from it. Excel's formula grammar has no other use for `|` outside a quoted
 * string, so a formula holding a `|` (also written `&#124;`) outside double quotes is DDE:
 * OOXML_DDE. Formulas are a cell's (`<f>`, also a chart's `<c:f>`), a defined name's
 * (`<definedName>`), a conditional format's (`<formula>`), a data validation's (`<formula1>`,
 * `<formula2>`) and a table column's (`<calculatedColumnFormula>`, `<totalsRowFormula>`): Excel
 * evaluates each as the sheet is shown. The spreadsheet's parts are read as they inflate
 * (./text-stream.ts); only the text around `|` is examined. The text judged is the decoded one,
 * as Excel reads it: CDATA sections and comments resolved (./markup-text.ts), character
 * references decoded (`&#x7C;`, `&#34;`). A formula text longer than the stream's 64 KiB window
 * cannot be read whole and is refused (OOXML_UNREADABLE): Excel allows 8,192 characters, under
 * 48 KiB even with every one escaped.
 */

const FORMULA_ELEMENT = 'f|definedName|formula[12]?|calculatedColumnFormula|totalsRowFormula';
const FORMULA = new RegExp(`<(\\/?)(?:[\\w.-]+:)?(${FORMULA_ELEMENT})(?=[\\s>/])(${TAG_INSIDE})>([^<]*)`, 'g');
const PIPE = [Buffer.from('|'), Buffer.from('&#')];
const FORMULA_TAG = new RegExp(`^<(?:[\\w.-]+:)?(${FORMULA_ELEMENT})(?=[\\s>/])`);

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
      if (isDde(m[4] ?? '')) {
        this.found = true;
        this.report.add('OOXML_DDE', { where: `${this.name} formula` });
      }
    }
  }
}

/** A formula's text (XML-escaped) with a `|` outside double-quoted strings. */
export function isDde(escaped: string): boolean {
  const text = decodeEntities(escaped);
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (c === '|' && !quoted) return true;
  }
  return false;
}
