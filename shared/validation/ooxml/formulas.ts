import type { Report } from '../report.ts';
import { TextStream } from './text-stream.ts';

/**
 * DDE in spreadsheets: a formula such as `=cmd|' /c calc'!A0` asks Excel to start `cmd` and
 * read a value from it. Excel's formula grammar has no other use for `|` outside a quoted
 * string, so a cell formula (`<f>`) or defined name (`<definedName>`) holding a `|` (also written
 * `&#124;`) outside double quotes is DDE: OOXML_DDE. Worksheets, macro sheets and the workbook
 * are read as they inflate (./text-stream.ts); only the text around `|` is examined.
 */

const FORMULA = /<(\/?)(?:[\w.-]+:)?(f|definedName)(?=[\s>/])([^>]*)>([^<]*)/g;
const PIPE = [Buffer.from('|'), Buffer.from('&#')];

export class FormulaCheck {
  private readonly stream: TextStream;
  private found = false;

  constructor(
    private readonly name: string,
    private readonly report: Report,
  ) {
    this.stream = new TextStream((text) => this.read(text), PIPE);
  }

  write(out: Buffer): void {
    if (!this.found) this.stream.write(out);
  }

  end(): void {
    if (!this.found) this.stream.end();
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
  const text = escaped.replace(/&#(x7[cC]|0*124);/g, '|').replace(/&quot;|&#(x22|0*34);/g, '"');
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (c === '|' && !quoted) return true;
  }
  return false;
}
