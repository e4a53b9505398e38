import { attributes } from '../ooxml/xml.ts';
import { TextStream } from '../ooxml/text-stream.ts';
import type { Report } from '../report.ts';

/**
 * OFD (GB/T 33190) parts, read as they inflate:
 *
 * - attachments: any `Attachment` entry (of an Attachments.xml a document lists) is refused,
 *   OFD_ATTACHMENT: reviewers cannot check what rides along, as with PDF attachments;
 * - actions (`Actions` of a document, page, outline or annotation; `Event` says when):
 *   `Sound`, `Movie` and `GotoA` (opening an attachment) are refused anywhere, OFD_ACTION;
 *   a `URI` that runs when the document or a page opens (`DO`, `PO`) is refused too, since it
 *   calls out by itself, while a `URI` on `CLICK` is an ordinary link: a warning for reviewers.
 *   `Goto` (a place in the document) is accepted.
 */

const TAGS = /<(\/?)(?:[\w.-]+:)?(Attachment|Action|URI|GotoA|Sound|Movie)(?=[\s/>])([^>]*)>/g;
const WORDS = ['Attachment', 'Action', 'URI', 'GotoA', 'Sound', 'Movie'].map((w) => Buffer.from(w));

export class OfdContentCheck {
  private readonly stream: TextStream;
  /** The Event of the Action element being read. */
  private event: string | undefined;

  constructor(private readonly report: Report) {
    this.stream = new TextStream((text) => this.read(text), WORDS);
  }

  write(out: Buffer): void {
    this.stream.write(out);
  }

  end(): void {
    this.stream.end();
  }

  private read(text: string): void {
    TAGS.lastIndex = 0;
    for (let m = TAGS.exec(text); m; m = TAGS.exec(text)) {
      const [, slash, tag, inside = ''] = m;
      if (slash === '/') {
        if (tag === 'Action') this.event = undefined;
        continue;
      }
      const attrs = attributes(inside);
      switch (tag) {
        case 'Attachment':
          this.report.add('OFD_ATTACHMENT', { name: attrs.get('Name') ?? attrs.get('ID') ?? '-' });
          break;
        case 'Action':
          this.event = inside.trimEnd().endsWith('/') ? undefined : attrs.get('Event');
          break;
        case 'URI': {
          const target = (attrs.get('URI') ?? '-').slice(0, 200);
          if (this.event === 'DO' || this.event === 'PO')
            this.report.add('OFD_ACTION', { feature: `URI (${this.event})` });
          else this.report.warn('EXTERNAL_LINK', { target });
          break;
        }
        default:
          this.report.add('OFD_ACTION', { feature: tag === 'GotoA' ? 'GotoA (attachment)' : (tag ?? '') });
      }
    }
  }
}
