import type { Report } from '../report.ts';
import { TextStream } from './text-stream.ts';
import { PREFIX } from './xml.ts';

/**
 * Word's mail merge, declared in its settings (`w:mailMerge`): a connection string, an SQL query,
 * an Office data source (`w:odso`) or a data-source relationship makes Word ask, as the document
 * opens, to run that query against the source, which may be a workbook on a UNC path (the
 * reader's credentials leak) or any ODBC or OLE DB provider. The source need not be a
 * relationship (those are refused in ./relationships.ts when external), so the settings part is
 * searched for the elements that name one: OOXML_EXTERNAL. Only the settings part is read so
 * (./stories.ts: its content type is taken for settings.xml alone), and only its tags that hold
 * one of those names are turned into text.
 */

const NAMES = ['connectString', 'query', 'dataSource', 'headerSource', 'odso', 'recipientData'];
const WORDS = NAMES.map((name) => Buffer.from(name));
const SOURCE = new RegExp(`^<${PREFIX}(${NAMES.join('|')})(?=[\\s/>])`);

export class MailMergeCheck {
  private readonly text: TextStream;
  private found = false;

  constructor(
    private readonly name: string,
    private readonly report: Report,
  ) {
    this.text = new TextStream((item) => this.read(item), WORDS);
  }

  write(out: Buffer): void {
    if (!this.found) this.text.write(out);
  }

  end(): void {
    if (!this.found) this.text.end();
  }

  private read(item: string): void {
    const element = SOURCE.exec(item)?.[1];
    if (!element || this.found) return;
    this.found = true;
    this.report.add('OOXML_EXTERNAL', { kind: `mail-merge data source (${element})`, target: this.name });
  }
}
