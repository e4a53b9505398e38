import { TextDecoder } from 'node:util';
import { leadsOutOfReviewersHands, linkReach, percentDecoded, shownTarget, targetAsFollowed } from '../link-target.ts';
import { MAX_CARRY, TextStream } from '../ooxml/text-stream.ts';
import {
  ASCII_COMPATIBLE_ENCODING,
  ATTRIBUTE,
  attributes,
  attributeValues,
  decodeEntities,
  PREFIX,
  shownAsUtf8,
  TAG_INSIDE,
} from '../ooxml/xml.ts';
import type { Report } from '../report.ts';
import { declaredEncoding } from '../xml-encoding.ts';
import type { OfdAttachments } from './attachments.ts';
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
 * - attachments: an `Attachment` entry (of an Attachments.xml a document lists) and its
 *   `FileLoc`s are handed to ./attachments.ts, which accepts one whose file is XML data (an
 *   e-invoice's) and refuses any other, OFD_ATTACHMENT, once the package is walked; what each
 *   part holds that decides whether it is such data (its first bytes, its encoding, its size, a
 *   processing instruction but the declaration, an `html` root, a namespace a browser runs) is
 *   told to it at the part's end, and the `Name` and `Format` the list gives it (under any prefix)
 *   with its locations. Checked alone (no package), an attachment is refused;
 * - actions (`Actions` of a document, page, outline or annotation; `Event` says when):
 *   `Sound`, `Movie` and `GotoA` (opening an attachment) are refused anywhere, OFD_ACTION;
 *   a `URI` is an ordinary link only on `CLICK` (a warning for reviewers); on any other event
 *   (`DO`, `PO`: the document or a page opens) or none, it calls out by itself and is refused.
 *   So is one that leads into a file share or a local path (any `URI` or `Base` it has, under any
 *   prefix), even on a click, as Office hyperlinks and PDF links to one are (../link-target.ts).
 *   An Action whose `Event` attributes (under any prefix) do not all say `CLICK` is not a click: a reader that
 *   takes the last, or the prefixed one, would run it on opening. `Goto` (a place in the
 *   document) is accepted;
 * - names: an element or attribute is found under any namespace prefix, or none (a default
 *   namespace), and a prefix may be any XML name, Chinese included (`<文:URI>`): a reader
 *   resolves the prefix to its namespace, and the local name is what counts;
 * - a tag longer than the text stream's carry (64 KiB: ../ooxml/text-stream.ts) reaches the
 *   checks in pieces, where its name and its attributes are apart: one that has not closed
 *   within its first bytes, or a location element or CDATA whose text runs on that long, is
 *   refused as unreadable (no genuine OFD writes either);
 * - locations (./locations.ts) that name something outside the package, which a reader would
 *   fetch by itself: refused, OFD_ACTION; and those that name an XML part the reader reads for
 *   content (a document, a page, resources, annotations) under a name the zip walk does not
 *   hand to these checks (not `.xml`, or in an Office folder): refused as unreadable;
 * - the part's encoding: its text must be read as the checks read it, bytes where every `<` is
 *   a `<`. A part that starts with anything but `<` or whitespace (UTF-16, UTF-32, EBCDIC) or
 *   declares another encoding than UTF-8 or one of the Chinese and Latin ones that keep ASCII
 *   as it is (UTF-7 writes `<` as `+ADw-`) is refused as unreadable: an XML parser decodes it,
 *   and the tags it finds would be hidden from the checks;
 * - values as the reader reads them (see readings): their bytes decoded in the part's encoding,
 *   so a no-break or ideographic space before a share (`\u3000\\\\host\\share`), which a reader's
 *   trim drops, is seen as a space; a relative URI percent-decoded, as a location is; and each
 *   decoded form folded as every format's targets are (../link-target.ts: full-width forms,
 *   combining marks, look-alike slashes, zero-width and direction marks);
 * - the package's root part (OFD.xml, whose root element is `OFD`): its locations (DocRoot,
 *   Cover, Signatures, a Version's BaseLoc) are read from the package's root, so one that climbs
 *   at all (`../Doc_0/Document.xml`) leaves the package.
 */

const TAG_NAMES = ['Attachment', 'Action', 'URI', 'GotoA', 'Sound', 'Movie', ...LOCATION_ELEMENTS];
/** Attributes are read whole: a `>` inside a quoted value (well-formed XML) does not end the tag. */
const TAGS = new RegExp(`<(/?)${PREFIX}(${TAG_NAMES.join('|')})(?=[\\s/>])(${TAG_INSIDE})>([^<]*)`, 'g');
/** A location attribute, on whatever element. */
const LOCATION_ATTRIBUTE = new RegExp(
  `[\\s"']${PREFIX}(${LOCATION_ATTRIBUTES.join('|')})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`,
  'g',
);
/** A page's, template's or signature's BaseLoc: the XML part it names. */
const PART_BASE = new RegExp(
  `<${PREFIX}(${[...XML_PART_BASE_OF].join('|')})\\s(?:[^>"']|"[^"]*"|'[^']*')*?(?<=[\\s"'])${PREFIX}BaseLoc\\s*=\\s*(?:"([^"]*)"|'([^']*)')`,
  'g',
);
/**
 * A resource list (`<Res BaseLoc="…">`, the root of PublicRes.xml, DocumentRes.xml and a page's
 * resources): the folder its fonts', media's and colour profiles' relative locations are read
 * from. Each may climb within the package alone, and leave it joined (`../../../..` and
 * `../../../../Windows/Fonts/x.ttf`): a reader that unpacks the package reads what the two lead to.
 */
const RES_BASE = new RegExp(
  `^<${PREFIX}Res\\s(?:[^>"']|"[^"]*"|'[^']*')*?(?<=[\\s"'])${PREFIX}BaseLoc\\s*=\\s*(?:"([^"]*)"|'([^']*)')`,
);
/**
 * An XML Schema location hint (`xsi:schemaLocation`, namespace and location pairs, or
 * `noNamespaceSchemaLocation`): a validating reader fetches the schema it names. One in a file
 * share or a local path is refused, as a link there is; a web one is left to the reader.
 */
const SCHEMA_HINT = new RegExp(
  `[\\s"']${PREFIX}(?:noNamespaceSchemaLocation|schemaLocation)\\s*=\\s*(?:"([^"]*)"|'([^']*)')`,
  'g',
);
/**
 * `!--` and `?`: comments and processing instructions, which may split a location's text (CDATA
 * sections are found by `CDATA`). Not `<!` nor `<?`: a word starting with `<`, the commonest byte
 * of a part, makes the byte search stop at every tag (the page shape of the bench: 36 MiB read
 * in 100 ms instead of 60).
 */
const WORDS = [
  'Attachment',
  'Action',
  'URI',
  'GotoA',
  'Sound',
  'Movie',
  '!--',
  '?',
  // Namespace declarations and xml:base (readDeclarations) by one short word: two longer ones
  // made the byte search of a page a quarter slower.
  'xml',
  ...LOCATION_NEEDLES,
].map((w) => Buffer.from(w));
/** An element's tag, its name and what follows it up to its `>` (attributes read whole). */
const ELEMENT_TAG = new RegExp(`^<[^\\s/>]+(${TAG_INSIDE})`);
/** XInclude's namespaces (the 2001 recommendation's, and the 2003 draft's that libxml2 still reads). */
const XINCLUDE_NAMESPACES = new Set(['http://www.w3.org/2001/xinclude', 'http://www.w3.org/2003/xinclude']);
/** Namespaces whose elements a browser opening an XML file runs or renders (`<h:script>`, SVG's, XSLT). */
const BROWSER_NAMESPACES = new Set([
  'http://www.w3.org/1999/xhtml',
  'http://www.w3.org/2000/svg',
  'http://www.w3.org/1999/xsl/transform',
]);
/**
 * The XML declaration, the one processing instruction attached data may hold: any other is an
 * instruction to the program that opens the file (`<?xml-stylesheet`, which a browser follows;
 * `<?mso-application progid="Excel.Sheet"?>`, by which Office's XML handler, Windows' program for
 * `.xml` where Office is installed, opens it in Excel, Word or InfoPath).
 */
const DECLARATION = /^<\?xml[\s?]/;
/** A root element a browser renders as a page. */
const HTML_ROOT = new RegExp(`^<${PREFIX}html[\\s/>]`, 'i');
/** A part's first bytes as XML data's are: a declaration or an element, after a UTF-8 mark and whitespace. */
const MARKUP_START = /^(?:\xef\xbb\xbf)?\s*<(?:\?xml[\s?]|[A-Za-z_:\x80-\xff])/;
const UTF8_NAME = /^\s*utf-?8\s*$/i;
const LOCATION_ELEMENT = new Set(LOCATION_ELEMENTS);
/** Location elements that are also the root of a part listing others (Annotations.xml's root). */
const CONTAINERS = new Set(['Attachments', 'Annotations', 'CustomTags', 'Extensions', 'Signatures']);
const EMPTY = Buffer.alloc(0);
const LT = 0x3c;
/** After a location's text: `</` its end tag, `<!` and `<?` markup the checks see. */
const FOLLOWS_TEXT = new Set([0x2f, 0x21, 0x3f]);
/** A long item's beginning: its tag's name, and whether the tag closes within what is shown. */
const LONG_HEAD = new RegExp(`^<${PREFIX}([\\w.-]+)(${TAG_INSIDE}>)?`);

/** A part's first bytes: enough for its XML declaration. */
const HEAD = 256;
/** The root element's first bytes: enough for its name. */
const ROOT_HEAD = 64;
/** The package's root part's root element (OFD.xml's), under any prefix. */
const OFD_ROOT = new RegExp(`^<${PREFIX}OFD[\\s/>]`);
/** A root element's name not yet whole in what was written. */
const NAME_OPEN = /^<[^\s/>]*$/;

/** Bytes above ASCII in a value read as latin1: characters of the part's encoding. */
const NON_ASCII_RUN = /[\x80-\xff]+/g;
const NON_ASCII = /[\u0080-\uffff]/;
/** A character no byte is (so not a string of bytes read as latin1). */
const WIDE = /[\u0100-\uffff]/;
/** Decoders by the encoding a part declares (null: a name TextDecoder does not know, read as UTF-8). */
const DECODERS = new Map<string, TextDecoder | null>();
const UTF8 = new TextDecoder('utf-8');

/** A location element being read: its text so far, and whether it is the part's root (known from its first item). */
interface OpenLocation {
  tag: string;
  text: string;
  root?: boolean;
}

/** The package whose part is read: where its attachments are told, and the part's name and key. */
export interface OfdPart {
  attachments: OfdAttachments;
  name: string;
  key: string;
}

export class OfdContentCheck {
  private readonly stream: TextStream;
  /** The Event of the Action element being read. */
  private event: string | undefined;
  /**
   * The location element being read, and its text so far: a reader joins the text around a
   * comment or a processing instruction, and a CDATA section's, into one location
   * (`ht<![CDATA[tp://…]]>`, `../..<!---->/../..`), so it is judged whole, at the next tag.
   */
  private location: OpenLocation | undefined;
  /**
   * The piece being written: the byte after a location's text, found there by the item's place,
   * tells whether an element splits it (see follow). `nextByteDue`: the text ended at the
   * piece's last byte, so the next piece's first byte tells.
   */
  private piece: Buffer = EMPTY;
  private nextByteDue = false;
  /** Where the piece being written starts in the part, and where the part's root element starts (-1: not met yet). */
  private offset = 0;
  private rootAt = -1;
  /** A `<` that ended the last piece, the root's if the next piece does not start `?` or `!`. */
  private rootPending = -1;
  /** Inside an Attachment element (whose FileLoc names the attached file, not a part). */
  private inAttachment = false;
  /**
   * The resource list's BaseLoc, if this part is one (see RES_BASE), read from the first element
   * handed on: its decoded forms (readings), each as followed (../link-target.ts: folded), which
   * its resources' locations are joined to.
   */
  private resBases: string[] | undefined;
  private firstElementRead = false;
  private head = '';
  private headJudged = false;
  /** The encoding the part declares, once its head is judged. */
  private encoding: string | undefined;
  /** The root element's first bytes (ROOT_HEAD), gathered over pieces until its name is whole. */
  private rootHead = '';
  /** Whether this is the package's root part (OFD_ROOT), whose locations may not climb at all. */
  private packageRoot = false;
  /** The attachment being read, whose `FileLoc`s are told to the package. */
  private attachment: { locations: string[] } | undefined;
  /** What decides whether the part is XML data an attachment may name (see ./attachments.ts). */
  private bytes = 0;
  private startsAsMarkup = false;
  private active = false;

  constructor(
    private readonly report: Report,
    private readonly part?: OfdPart,
  ) {
    this.stream = new TextStream(
      (text, at) => this.onItem(text, at),
      WORDS,
      (head) => this.long(head),
    );
  }

  write(out: Buffer): void {
    if (!this.headJudged) {
      this.head += out.toString('latin1', 0, Math.min(out.length, HEAD - this.head.length));
      if (this.head.length >= HEAD) this.judgeHead();
    }
    if (this.nextByteDue && out.length > 0) {
      this.nextByteDue = false;
      this.judgeFollowing(out[0] as number);
    }
    if (this.rootAt === -1) this.findRoot(out);
    else if (NAME_OPEN.test(this.rootHead)) this.readRootName(out, 0);
    this.piece = out;
    this.stream.write(out);
    this.piece = EMPTY;
    this.offset += out.length;
    this.bytes += out.length;
  }

  end(): void {
    if (!this.headJudged) this.judgeHead();
    this.stream.end();
    if (this.location) this.closeLocation();
    if (HTML_ROOT.test(this.rootHead)) this.active = true;
    this.part?.attachments.xmlPartRead(this.part.key, {
      bytes: this.bytes,
      markup: this.startsAsMarkup,
      utf8: this.encoding === undefined || UTF8_NAME.test(this.encoding),
      active: this.active,
    });
  }

  private judgeHead(): void {
    this.headJudged = true;
    const head = this.head;
    this.head = '';
    if (head === '') return;
    const first = head.replace(/^\xef\xbb\xbf/, '').trimStart()[0];
    const encoding = declaredEncoding(head);
    this.encoding = encoding;
    this.startsAsMarkup = MARKUP_START.test(head);
    if (first !== '<' || head.slice(0, 4).includes('\0')) {
      this.report.add('OOXML_UNREADABLE', { part: 'OFD XML not in UTF-8' });
    } else if (encoding !== undefined && !ASCII_COMPATIBLE_ENCODING.test(encoding.trim())) {
      this.report.add('OOXML_UNREADABLE', { part: `OFD XML in ${encoding.slice(0, 40)}` });
    }
  }

  /**
   * The part's root element: the first `<` not starting a declaration, comment or instruction (a
   * `<` inside a prolog comment taken for it only makes a container root unrecognised).
   */
  private findRoot(out: Buffer): void {
    if (this.rootPending !== -1 && out.length > 0) {
      if (out[0] !== 0x3f && out[0] !== 0x21) {
        this.rootAt = this.rootPending;
        this.rootHead = '<';
        this.readRootName(out, 0);
        return;
      }
      this.rootPending = -1;
    }
    for (let at = out.indexOf(LT); at !== -1 && at + 1 < out.length; at = out.indexOf(LT, at + 1)) {
      const next = out[at + 1];
      if (next !== 0x3f && next !== 0x21) {
        this.rootAt = this.offset + at;
        this.readRootName(out, at);
        return;
      }
    }
    // A `<` ending the piece: the root if what follows it is a name (judged with the next piece).
    if (out.at(-1) === LT) this.rootPending = this.offset + out.length - 1;
  }

  /** The root element's name, from `at` in `out` (on from what earlier pieces gave: NAME_OPEN). */
  private readRootName(out: Buffer, at: number): void {
    this.rootHead += out.toString('latin1', at, at + ROOT_HEAD - this.rootHead.length);
    this.packageRoot = OFD_ROOT.test(this.rootHead);
    if (this.rootHead.length >= ROOT_HEAD && NAME_OPEN.test(this.rootHead)) this.rootHead = '';
  }

  private onItem(text: string, at: number): void {
    this.read(text);
    this.follow(at, text.length); // latin1: a byte a character
  }

  /**
   * What follows the text of the item at `at` (of `length` bytes), if it left a location element
   * open. The checks see only items that hold their words, so a child element in the location
   * (`../..<x/>/../../../x`, which a reader joins into one path) would pass unseen; what follows
   * a genuine location's text is its end tag. The item ends at a `<` in the piece being written,
   * or at the end of what there is (the part's last item, a piece of one over 64 KiB): then not
   * judged.
   */
  private follow(at: number, length: number): void {
    const location = this.location;
    if (!location) return;
    // Whether the location element is the part's root: known from the item it opens in.
    location.root ??= at === this.rootAt;
    const end = at + length - this.offset;
    if (end >= this.piece.length) return;
    if (end + 1 < this.piece.length) this.judgeFollowing(this.piece[end + 1] as number);
    else this.nextByteDue = true;
  }

  /** The byte after the `<` that ends a location's text: an element there splits it, unless it is a container. */
  private judgeFollowing(byte: number): void {
    const location = this.location;
    if (!location || FOLLOWS_TEXT.has(byte)) return;
    if (CONTAINERS.has(location.tag) && location.root === true && location.text.trim() === '') return;
    this.report.add('OOXML_UNREADABLE', { part: `OFD ${location.tag} split by an element` });
    this.location = undefined;
  }

  /** An item handed on in pieces (see the class comment): `head` is its first bytes. */
  private long(head: string): void {
    if (head.startsWith('<![CDATA[')) {
      if (this.location) this.report.add('OOXML_UNREADABLE', { part: `OFD ${this.location.tag} over 64 KiB` });
      return;
    }
    const tag = LONG_HEAD.exec(head);
    if (!tag) return;
    const [, name = '', closed] = tag;
    if (closed === undefined || LOCATION_ELEMENT.has(name)) {
      this.report.add('OOXML_UNREADABLE', { part: `OFD <${name.slice(0, 40)}> over 64 KiB` });
    }
  }

  private read(text: string): void {
    if (text.startsWith('<!') || text.startsWith('<?')) {
      if (text.startsWith('<?') && !DECLARATION.test(text)) this.active = true;
      this.markup(text);
      return;
    }
    if (text.includes('xmlns') || text.includes('xml:base')) this.readDeclarations(text);
    if (!this.firstElementRead) {
      this.firstElementRead = true;
      const res = RES_BASE.exec(text);
      if (res) this.resBases = this.readings(decodeEntities(res[1] ?? res[2] ?? ''), true).map(baseAsFollowed);
    }
    LOCATION_ATTRIBUTE.lastIndex = 0;
    for (let m = LOCATION_ATTRIBUTE.exec(text); m; m = LOCATION_ATTRIBUTE.exec(text)) {
      this.judgeLocation(m[1] ?? '', decodeEntities(m[2] ?? m[3] ?? ''));
    }
    PART_BASE.lastIndex = 0;
    for (let m = PART_BASE.exec(text); m; m = PART_BASE.exec(text)) {
      this.judgePart(`${m[1]} BaseLoc`, decodeEntities(m[2] ?? m[3] ?? ''));
    }
    SCHEMA_HINT.lastIndex = 0;
    for (let m = SCHEMA_HINT.exec(text); m; m = SCHEMA_HINT.exec(text)) {
      const local = this.readings(decodeEntities(m[1] ?? m[2] ?? ''))
        .flatMap((hint) => hint.split(/\s+/))
        .find((target) => linkReach(target) === 'share-or-local');
      if (local) this.report.add('OFD_ACTION', { feature: `schema location: ${shown(local)}` });
    }
    // Its end tag, or an element inside it: then it is a container (Annotations.xml's root), not a location.
    if (this.location) this.closeLocation();
    TAGS.lastIndex = 0;
    for (let m = TAGS.exec(text); m; m = TAGS.exec(text)) {
      const [, slash, tag = '', inside = '', after = ''] = m;
      if (slash === '/') {
        if (tag === 'Action') this.event = undefined;
        if (tag === 'Attachment') {
          this.inAttachment = false;
          this.attachment = undefined;
        }
        continue;
      }
      const attrs = attributes(inside);
      const selfClosing = inside.trimEnd().endsWith('/');
      if (LOCATION_ELEMENT.has(tag)) {
        if (this.location) this.closeLocation();
        if (!selfClosing) this.location = { tag, text: decodeEntities(after) };
        continue;
      }
      switch (tag) {
        case 'Attachment': {
          const name = attrs.get('Name') ?? attrs.get('ID') ?? '-';
          if (this.part) {
            const said = { names: attributeValues(inside, 'Name'), formats: attributeValues(inside, 'Format') };
            this.attachment = this.part.attachments.attachment(this.part.name, name, said);
          } else this.report.add('OFD_ATTACHMENT', { name: shownAsUtf8(name) });
          this.inAttachment = !selfClosing;
          if (selfClosing) this.attachment = undefined;
          break;
        }
        case 'Action':
          this.event = selfClosing ? undefined : actionEvent(inside);
          break;
        case 'URI':
          this.judgeUri(attrs, inside);
          break;
        default:
          this.report.add('OFD_ACTION', { feature: tag === 'GotoA' ? 'GotoA (attachment)' : tag });
      }
    }
  }

  /**
   * The namespaces an element binds, and its `xml:base`. A namespace a browser runs makes the
   * part no attachable data. XInclude's, and `xml:base`, are refused as unreadable in any part:
   * an XML toolchain that processes them (libxml2's, Xerces' with XInclude on) reads another
   * file into the part, or resolves its locations from another base, than the checks read;
   * neither ofdrw nor ofd.js processes them, and no OFD writer writes them. XInclude works only
   * through its namespace, so the binding is what is refused, under any prefix.
   */
  private readDeclarations(text: string): void {
    const inside = ELEMENT_TAG.exec(text)?.[1];
    if (inside === undefined) return;
    for (const m of inside.matchAll(ATTRIBUTE)) {
      const name = m[1] ?? '';
      if (name === 'xml:base') {
        this.report.add('OOXML_UNREADABLE', { part: 'OFD xml:base' });
        continue;
      }
      if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
      const uri = decodeEntities(m[2] ?? m[3] ?? '')
        .trim()
        .toLowerCase();
      if (BROWSER_NAMESPACES.has(uri)) this.active = true;
      if (XINCLUDE_NAMESPACES.has(uri)) this.report.add('OOXML_UNREADABLE', { part: 'OFD XInclude' });
    }
  }

  /**
   * A comment, CDATA section or processing instruction: inside a location, the text it adds. One
   * that does not end before the next `<` (`<!-- < -->`) hides what follows it from the checks,
   * which see only the items holding their words: inside a location, it is refused as unreadable.
   */
  private markup(text: string): void {
    const location = this.location;
    if (!location) return;
    const cdata = text.startsWith('<![CDATA[');
    const close = cdata ? ']]>' : text.startsWith('<?') ? '?>' : '-->';
    const end = text.indexOf(close, 2);
    if (end === -1) {
      this.report.add('OOXML_UNREADABLE', { part: `OFD ${location.tag} split by markup` });
      this.location = undefined;
      return;
    }
    const after = decodeEntities(text.slice(end + close.length));
    this.addToLocation(location, cdata ? text.slice(9, end) + after : after);
  }

  private addToLocation(location: OpenLocation, text: string): void {
    location.text += text;
    if (location.text.length > MAX_CARRY) {
      this.report.add('OOXML_UNREADABLE', { part: `OFD ${location.tag} over 64 KiB` });
      this.location = undefined;
    }
  }

  private closeLocation(): void {
    const location = this.location;
    this.location = undefined;
    if (location) this.judgeLocation(location.tag, location.text);
  }

  /**
   * A URI action: every `URI` and `Base` attribute it has, under any prefix, is judged, as its
   * `Event`s are (a reader that takes the prefixed one goes where that leads), and so is each URI
   * written after each Base, as a reader that joins them by concatenation follows it (`Base="/"`
   * and `URI="/host/share/x.exe"`, each relative, are `//host/share/x.exe` joined).
   */
  private judgeUri(attrs: Map<string, string>, inside: string): void {
    const uri = attrs.get('URI') ?? '';
    const uris = attributeValues(inside, 'URI');
    const bases = attributeValues(inside, 'Base');
    const joined = bases.flatMap((base) => uris.map((u) => base + u));
    // A relative URI is percent-decoded too, as a location is: a reader that takes it for a path
    // opens `%5C%5Chost%5Cshare` as the share (a web or program URI keeps its escapes). Once only:
    // a URI escaped twice (`%255C%255Chost`) stays a link. No reader we could read decodes twice:
    // ofdrw and ofd.js decode neither a URI nor a location at all (ofdrw's ST_Loc and
    // ResourceLocator join the text as written, ofd.js looks it up in JSZip's names as written),
    // and the URL helpers a closed reader (Suwell, Foxit) would hand a URI to decode one level.
    // A location escaped twice is refused all the same (judgeLocation): isOutside decodes the
    // decoded reading again, and no genuine location escapes `%`, let alone `\`, `/` or `.`.
    const targets = [...uris, ...bases, ...joined];
    const readings = targets.flatMap((target) => this.readings(target));
    const refused =
      readings.find((target) => leadsOutOfReviewersHands(target)) ??
      readings
        .filter((target) => target.includes('%'))
        .flatMap((target) => this.readings(target, true).slice(1))
        .find((target) => linkReach(target) === 'share-or-local');
    const target = shown(uri || '-');
    if (refused !== undefined) {
      this.report.add('OFD_ACTION', {
        feature: `URI to a file share, a local path or a program: ${shown(refused)}`,
      });
    } else if (this.event === 'CLICK') {
      this.report.warn('EXTERNAL_LINK', { target });
    } else {
      this.report.add('OFD_ACTION', { feature: `URI (${this.event ?? 'no event'})` });
    }
  }

  private judgeLocation(where: string, location: string): void {
    let leads: string | undefined;
    for (const reading of this.readings(location, true)) {
      leads = isOutside(reading, this.packageRoot ? 0 : undefined)
        ? reading
        : this.outsideThroughResBase(where, reading);
      if (leads !== undefined) break;
    }
    if (leads !== undefined) this.report.add('OFD_ACTION', { feature: `${where}: ${shown(leads)}` });
    if (where === 'FileLoc' && this.inAttachment) this.attachment?.locations.push(location);
    if (XML_PART_ELEMENTS.has(where) && !(where === 'FileLoc' && this.inAttachment)) this.judgePart(where, location);
  }

  /**
   * Where a resource's location leads through its list's BaseLoc (see RES_BASE), if out of the
   * package: each decoded form of the location joined to each of the base (a base in GBK's
   * full-width `．．／` climbs once decoded and folded, as a reader reads it).
   */
  private outsideThroughResBase(where: string, location: string): string | undefined {
    const bases = this.resBases;
    if (bases === undefined || where === 'BaseLoc') return undefined;
    for (const base of bases) {
      // A base that does not climb adds folders only: the join leads no further than the location.
      if (!base.includes('..') || !mayClimb(location) || isOutside(base)) continue;
      const path = joined(base, location);
      if (isOutside(path)) return path;
    }
    return undefined;
  }

  /**
   * A value's decoded forms, as readers may decode it (the OFD's own decoding; each is folded as
   * every format's targets are, by ../link-target.ts's foldedAsReaders, when it is judged there or
   * by ./locations.ts): as the check reads it (latin1 bytes, entities decoded, whose UTF-8 the
   * folding reads too); its bytes above ASCII decoded in the part's declared encoding (GBK writes
   * an ideographic space as A1 A1); and with `escapes` (a location, or a relative URI), its
   * percent-escapes decoded from UTF-8 (`%E3%80%80%5C%5Chost`). A value in ASCII without escapes
   * has the one reading.
   */
  private readings(value: string, escapes = false): string[] {
    const unescape = escapes && value.includes('%');
    if (!unescape && !NON_ASCII.test(value)) return [value];
    const readings = [value];
    if (NON_ASCII.test(value)) {
      const decoder = this.decoder();
      const decoded = value.replace(NON_ASCII_RUN, (run) => decoder.decode(Buffer.from(run, 'latin1')));
      if (decoded !== value) readings.push(decoded);
    }
    // Percent-escapes decoded, as a URI's are, from UTF-8 (`%E3%80%80` is an ideographic space).
    const unescaped = unescape ? percentDecoded(value) : value;
    if (unescaped !== value)
      readings.push(!WIDE.test(unescaped) ? UTF8.decode(Buffer.from(unescaped, 'latin1')) : unescaped);
    return readings;
  }

  /** The decoder for the part's declared encoding (UTF-8 if none, or one TextDecoder does not know). */
  private decoder(): TextDecoder {
    const name = (this.headJudged ? this.encoding : declaredEncoding(this.head))?.trim().toLowerCase() ?? 'utf-8';
    let decoder = DECODERS.get(name);
    if (decoder === undefined) {
      try {
        decoder = new TextDecoder(name);
      } catch {
        decoder = null;
      }
      DECODERS.set(name, decoder);
    }
    return decoder ?? UTF8;
  }

  private judgePart(where: string, location: string): void {
    if (isUncheckedPart(location))
      this.report.add('OOXML_UNREADABLE', { part: `${shownAsUtf8(location.trim()).slice(0, 200)} (${where})` });
  }
}

/** A value as a finding or a warning shows it: decoded from UTF-8, then as ../link-target.ts shows a target, cut. */
function shown(value: string): string {
  return shownTarget(shownAsUtf8(value)).slice(0, 200);
}

/** A resource's location as read from its list's BaseLoc: relative to it, unless from the package root. */
function joined(base: string, location: string): string {
  if (/^\s*[\\/]/.test(location)) return location;
  return `${base.trim().replace(/[\\/]+$/, '')}/${location.trim()}`;
}

/**
 * Whether a location may climb (`..`, perhaps percent-escaped, or in characters that fold into
 * it): joined, a base and a location that each stay inside leave the package only if both climb,
 * so the join is judged only then (a resource list holds a location per font and image).
 */
function mayClimb(path: string): boolean {
  return path.includes('..') || path.includes('%') || NON_ASCII.test(path);
}

/** A resource list's BaseLoc as a reader joins it: percent-decoded, folded and trimmed (../link-target.ts). */
function baseAsFollowed(base: string): string {
  return targetAsFollowed(base.includes('%') ? percentDecoded(base) : base);
}

/**
 * An Action's event: `CLICK` only if every `Event` attribute it has, under any prefix, says so
 * (spaces around it aside); otherwise the first that does not, or none.
 */
function actionEvent(inside: string): string | undefined {
  const events = attributeValues(inside, 'Event').map((event) => event.trim());
  return events.find((event) => event !== 'CLICK') ?? events[0];
}
