import { TextStream } from '../ooxml/text-stream.ts';
import { ASCII_COMPATIBLE_ENCODING, attributes, decodeEntities, TAG_INSIDE } from '../ooxml/xml.ts';
import type { Report } from '../report.ts';
import {
  isOutside,
  isUncheckedPart,
  LOCATION_ATTRIBUTES,
  LOCATION_ELEMENTS,
  LOCATION_NEEDLES,
  XML_PART_BASE_OF,
  XML_PART_ELEMENTS,
} from './locations.ts';

/**
 * OFD (GB/T 33190) parts, read as they inflate:
 *
 * - attachments: any `Attachment` entry (of an Attachments.xml a document lists) is refused,
 *   OFD_ATTACHMENT: reviewers cannot check what rides along, as with PDF attachments;
 * - actions (`Actions` of a document, page, outline or annotation; `Event` says when):
 *   `Sound`, `Movie` and `GotoA` (opening an attachment) are refused anywhere, OFD_ACTION;
 *   a `URI` is an ordinary link only on `CLICK` (a warning for reviewers); on any other event
 *   (`DO`, `PO`: the document or a page opens) or none, it calls out by itself and is refused.
 *   `Goto` (a place in the document) is accepted;
 * - locations (./locations.ts) that name something outside the package, which a reader would
 *   fetch by itself: refused, OFD_ACTION; and those that name an XML part the reader reads for
 *   content (a document, a page, resources, annotations) under a name the zip walk does not
 *   hand to these checks (not `.xml`, or in an Office folder): refused as unreadable;
 * - the part's encoding: its text must be read as the checks read it, bytes where every `<` is
 *   a `<`. A part that starts with anything but `<` or whitespace (UTF-16, UTF-32, EBCDIC) or
 *   declares another encoding than UTF-8 or one of the Chinese and Latin ones that keep ASCII
 *   as it is (UTF-7 writes `<` as `+ADw-`) is refused as unreadable: an XML parser decodes it,
 *   and the tags it finds would be hidden from the checks.
 */

const TAG_NAMES = ['Attachment', 'Action', 'URI', 'GotoA', 'Sound', 'Movie', ...LOCATION_ELEMENTS];
/** Attributes are read whole: a `>` inside a quoted value (well-formed XML) does not end the tag. */
const TAGS = new RegExp(`<(/?)(?:[\\w.-]+:)?(${TAG_NAMES.join('|')})(?=[\\s/>])(${TAG_INSIDE})>([^<]*)`, 'g');
const CDATA = /^<!\[CDATA\[([^\]]*)/;
/** A location attribute, on whatever element. */
const LOCATION_ATTRIBUTE = new RegExp(
  `[\\s"'](?:[\\w.-]+:)?(${LOCATION_ATTRIBUTES.join('|')})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`,
  'g',
);
/** A page's, template's or signature's BaseLoc: the XML part it names. */
const PART_BASE = new RegExp(
  `<(?:[\\w.-]+:)?(${[...XML_PART_BASE_OF].join('|')})\\s(?:[^>"']|"[^"]*"|'[^']*')*?(?<=[\\s"'])(?:[\\w.-]+:)?BaseLoc\\s*=\\s*(?:"([^"]*)"|'([^']*)')`,
  'g',
);
const WORDS = ['Attachment', 'Action', 'URI', 'GotoA', 'Sound', 'Movie', ...LOCATION_NEEDLES].map((w) =>
  Buffer.from(w),
);
const LOCATION_ELEMENT = new Set(LOCATION_ELEMENTS);

/** A part's first bytes: enough for its XML declaration. */
const HEAD = 256;
const ENCODING = /^(?:\xef\xbb\xbf)?<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']/;

export class OfdContentCheck {
  private readonly stream: TextStream;
  /** The Event of the Action element being read. */
  private event: string | undefined;
  /** A location element whose text has not been met yet (it may come as CDATA). */
  private openLocation: string | undefined;
  /** Inside an Attachment element (whose FileLoc names the attached file, not a part). */
  private inAttachment = false;
  private head = '';
  private headJudged = false;

  constructor(private readonly report: Report) {
    this.stream = new TextStream((text) => this.read(text), WORDS);
  }

  write(out: Buffer): void {
    if (!this.headJudged) {
      this.head += out.toString('latin1', 0, Math.min(out.length, HEAD - this.head.length));
      if (this.head.length >= HEAD) this.judgeHead();
    }
    this.stream.write(out);
  }

  end(): void {
    if (!this.headJudged) this.judgeHead();
    this.stream.end();
  }

  private judgeHead(): void {
    this.headJudged = true;
    const head = this.head;
    this.head = '';
    if (head === '') return;
    const first = head.replace(/^\xef\xbb\xbf/, '').trimStart()[0];
    const encoding = ENCODING.exec(head)?.[1];
    if (first !== '<' || head.slice(0, 4).includes('\0')) {
      this.report.add('OOXML_UNREADABLE', { part: 'OFD XML not in UTF-8' });
    } else if (encoding !== undefined && !ASCII_COMPATIBLE_ENCODING.test(encoding.trim())) {
      this.report.add('OOXML_UNREADABLE', { part: `OFD XML in ${encoding.slice(0, 40)}` });
    }
  }

  private read(text: string): void {
    const cdata = CDATA.exec(text);
    if (cdata) {
      if (this.openLocation) this.judgeLocation(this.openLocation, cdata[1] ?? '');
      return;
    }
    LOCATION_ATTRIBUTE.lastIndex = 0;
    for (let m = LOCATION_ATTRIBUTE.exec(text); m; m = LOCATION_ATTRIBUTE.exec(text)) {
      this.judgeLocation(m[1] ?? '', decodeEntities(m[2] ?? m[3] ?? ''));
    }
    PART_BASE.lastIndex = 0;
    for (let m = PART_BASE.exec(text); m; m = PART_BASE.exec(text)) {
      this.judgePart(`${m[1]} BaseLoc`, decodeEntities(m[2] ?? m[3] ?? ''));
    }
    TAGS.lastIndex = 0;
    for (let m = TAGS.exec(text); m; m = TAGS.exec(text)) {
      const [, slash, tag = '', inside = '', after = ''] = m;
      this.openLocation = undefined;
      if (slash === '/') {
        if (tag === 'Action') this.event = undefined;
        if (tag === 'Attachment') this.inAttachment = false;
        continue;
      }
      const attrs = attributes(inside);
      const selfClosing = inside.trimEnd().endsWith('/');
      if (LOCATION_ELEMENT.has(tag)) {
        if (!selfClosing && after.trim() === '') this.openLocation = tag;
        else this.judgeLocation(tag, decodeEntities(after));
        continue;
      }
      switch (tag) {
        case 'Attachment':
          this.report.add('OFD_ATTACHMENT', { name: attrs.get('Name') ?? attrs.get('ID') ?? '-' });
          this.inAttachment = !selfClosing;
          break;
        case 'Action':
          this.event = selfClosing ? undefined : attrs.get('Event');
          break;
        case 'URI': {
          const target = (attrs.get('URI') ?? '-').slice(0, 200);
          if (this.event?.trim() === 'CLICK') this.report.warn('EXTERNAL_LINK', { target });
          else this.report.add('OFD_ACTION', { feature: `URI (${this.event ?? 'no event'})` });
          break;
        }
        default:
          this.report.add('OFD_ACTION', { feature: tag === 'GotoA' ? 'GotoA (attachment)' : tag });
      }
    }
  }

  private judgeLocation(where: string, location: string): void {
    if (isOutside(location)) this.report.add('OFD_ACTION', { feature: `${where}: ${location.trim().slice(0, 200)}` });
    if (XML_PART_ELEMENTS.has(where) && !(where === 'FileLoc' && this.inAttachment)) this.judgePart(where, location);
  }

  private judgePart(where: string, location: string): void {
    if (isUncheckedPart(location))
      this.report.add('OOXML_UNREADABLE', { part: `${location.trim().slice(0, 200)} (${where})` });
  }
}
