import type { Report } from '../report.ts';
import { declaredEncoding } from '../xml-encoding.ts';
import { ASCII_COMPATIBLE_ENCODING, prologDeclares, shownAsUtf8 } from './xml.ts';

/**
 * An SVG picture in an Office package (`word/media/image1.svg`, drawn by Office 2016 and later in
 * place of its PNG copy: `<asvg:svgBlip>`, ./element-links.ts), judged by what it may load or
 * run (round 14). Office's own SVG renderer runs no script and, as far as we know, fetches
 * nothing; but the picture is saved out with "Save as Picture" and opened in a browser, other
 * readers (WPS, a previewer) may draw it with a browser's engine, and none of what follows is in
 * a genuine picture: Office's icon gallery and the SVGs drawing programs write hold shapes,
 * gradients and references inside the picture (`xlink:href="#a"`, `fill="url(#g)"`), and a
 * bitmap they embed is a `data:` URL. So an SVG part is refused when it holds:
 *
 * - a `<script>` or a `<foreignObject>` (HTML inside the picture, which may load frames and
 *   images of its own): OOXML_EMBEDDED_OBJECT;
 * - a reference (`href` under any prefix or none, a CSS `url(…)` or `image-set("…")`, an `@import`, an animation
 *   setting an `href`) to anything but
 *   a place in the picture (`#…`) or a bitmap written into it (`data:image/png`, JPEG or GIF): a
 *   web address, a share (`\\host\x`: Windows hands the host the reader's credentials), a file
 *   beside the document, or another SVG (`data:image/svg+xml`, which could load in turn):
 *   OOXML_EXTERNAL.
 *
 * The part is searched as bytes, as it inflates, with a few bytes of each piece kept for the next
 * so a word or value split between pieces is read whole (a picture may be megabytes of embedded
 * bitmap; only the places the words occur are turned into text). A value cut by the end of the
 * part is judged by what there is. A UTF-16 picture is refused before it gets here (./parts.ts),
 * as every streamed part is, and one declaring an encoding whose ASCII bytes are not ASCII (UTF-7
 * writes `<script` as `+ADw-script`) is refused here (OOXML_UNREADABLE), as a part read for
 * fields is.
 *
 * Its prolog is judged as every XML part's is (./parts.ts `PrologCheck`): a DOCTYPE is refused
 * (OOXML_UNREADABLE), as its internal subset may declare entities that spell what the search
 * looks for (`&s;` for `<script`) and its system id names a file or address a validating reader
 * fetches (round 17). But for one: the SVG DTD's own DOCTYPE, W3C's public and system ids with
 * no internal subset (SVG_DOCTYPE), which Graphviz (`dot -Tsvg`) and matplotlib write into every
 * SVG and Illustrator and Inkscape once did; it declares no entity the picture could use, and a
 * reader that fetches it fetches W3C's DTD.
 */

/**
 * The SVG DTD's DOCTYPE (SVG 1.0, 1.1 and 1.1's Tiny and Basic profiles), public and system ids as
 * W3C publishes them, and nothing else: no internal subset, no other address.
 */
const SVG_DOCTYPE =
  /^<!DOCTYPE\s+svg\s+PUBLIC\s+(["'])-\/\/W3C\/\/DTD SVG 1\.[01](?: Tiny| Basic)?\/\/EN\1\s+(["'])http:\/\/www\.w3\.org\/(?:Graphics\/SVG\/1\.1\/DTD\/svg11(?:-tiny|-basic)?\.dtd|TR\/2001\/REC-SVG-20010904\/DTD\/svg10\.dtd)\2\s*>/;
/** A prolog longer than this (comments padding a DOCTYPE out of sight) is refused, as in ./parts.ts. */
const PROLOG_CAP = 64 * 1024;

/** Bytes of the part's start that hold its XML declaration, if it has one. */
const DECLARATION_HEAD = 512;
/**
 * The words searched for, as bytes, in lower case: the picture is searched with its ASCII letters
 * lowered, as CSS reads `URL(` and `@IMPORT` (and refusing `<SCRIPT>` costs no genuine picture).
 * `href` finds `xlink:href` and any other prefix's. A backslash is a CSS escape, which spells
 * `url(` unseen (`u\72l(`, `u\rl(`): one before a `(` with nothing between that ends a word is
 * refused, as no genuine picture writes one.
 */
const WORDS = ['href', 'url(', 'image-set(', '@import', 'script', 'foreignobject', 'attributename', '\\'].map((word) =>
  Buffer.from(word, 'latin1'),
);
/** Bytes read after a word and before it: its `="` and enough of its value to judge; its element's `<`. */
const KEEP = 64;
/** A word and the KEEP bytes after it: a word starting closer than this to a piece's end waits for the next. */
const TAIL = Math.max(...WORDS.map((word) => word.length)) + KEEP;
/** What may follow `href`: the attribute's `=` and opening quote, and its value's start. */
const HREF_VALUE = /^\s*=\s*["']\s*([^"']*)(["']?)/;
/** What may follow `url(` or `image-set(`: an optional quote and the value's start. */
const URL_VALUE = /^\s*["']?\s*([^"')]*)(["')]?)/;
/** A value that stays in the picture: a place in it, or a bitmap written into it. */
const INSIDE = /^(?:#|data:image\/(?:png|jpe?g|gif)[;,])/i;
/**
 * An element's start before `script` or `foreignObject`: `<`, perhaps a prefix and its colon; or
 * a prefix filling all that is kept before the word, whose `<` is further back.
 */
const ELEMENT_START = /(?:^|<)(?:[^\s<>:"'=/]*:)?$/;
/** What follows an attribute's name when whitespace pushes its `=` or value past what is read. */
const PADDING = /^\s*(?:=\s*)?$/;
/** An animation (`<set>`, `<animate>`) of a reference: `attributeName="xlink:href"` sets where it leads. */
const ANIMATED_HREF = /^\s*=\s*["'][^"']*href/i;
/**
 * What follows a backslash that escapes its way into a function's name: characters of a name
 * and hex escapes (each may end in one space: `\72 l(`), then `(`. Read over KEEP bytes at most.
 */
const ESCAPED_CALL = /^(?:[0-9a-f]{1,6}\s?|[^\s"'<>;:,(){}])*\(/;

export class SvgCheck {
  private carry = Buffer.alloc(0);
  private found = false;
  /** The part's first bytes (latin1) until its declaration is judged; undefined after. */
  private head: string | undefined = '';
  /** The part's first bytes (latin1) until its prolog is judged; undefined after. */
  private prolog: string | undefined = '';

  constructor(
    private readonly name: string,
    private readonly report: Report,
  ) {}

  write(out: Buffer): void {
    if (this.head !== undefined) {
      this.head += out.toString('latin1', 0, Math.min(out.length, DECLARATION_HEAD - this.head.length));
      if (this.head.length >= DECLARATION_HEAD || this.head.includes('?>')) this.judgeDeclaration();
    }
    if (this.prolog !== undefined && !this.found) {
      this.prolog += out.toString('latin1', 0, Math.min(out.length, PROLOG_CAP + 1 - this.prolog.length));
      this.judgeProlog(false);
    }
    if (this.found) return;
    const bytes = lowered(this.carry.length > 0 ? Buffer.concat([this.carry, out]) : out);
    // Words in the carry's last TAIL bytes were not judged with the previous piece (KEEP bytes
    // after them had not come); the KEEP bytes before those are kept for what stands before a
    // word (an element's `<`).
    this.search(bytes, Math.max(0, this.carry.length - TAIL), bytes.length - TAIL);
    this.carry = Buffer.from(bytes.subarray(Math.max(0, bytes.length - TAIL - KEEP)));
  }

  end(): void {
    if (this.head !== undefined) this.judgeDeclaration();
    if (this.prolog !== undefined && !this.found) this.judgeProlog(true);
    if (!this.found) this.search(this.carry, Math.max(0, this.carry.length - TAIL), this.carry.length);
    this.carry = Buffer.alloc(0);
  }

  private judgeDeclaration(): void {
    const encoding = declaredEncoding(this.head ?? '');
    this.head = undefined;
    if (this.found || encoding === undefined || ASCII_COMPATIBLE_ENCODING.test(encoding.trim())) return;
    this.found = true;
    this.report.add('OOXML_UNREADABLE', { part: `${this.name} (encoding ${encoding.slice(0, 40)})` });
  }

  /** The prolog so far: a DOCTYPE but SVG_DOCTYPE is refused, and so is a prolog past PROLOG_CAP. */
  private judgeProlog(final: boolean): void {
    const verdict = prologDeclares(this.prolog ?? '', SVG_DOCTYPE);
    if (verdict === 'unfinished' && !final && (this.prolog ?? '').length <= PROLOG_CAP) return;
    this.prolog = undefined;
    if (verdict === 'root' || (verdict === 'unfinished' && final)) return;
    this.found = true;
    this.report.add('OOXML_UNREADABLE', { part: `${this.name} ${verdict === 'doctype' ? '<!DOCTYPE>' : '(prolog)'}` });
  }

  /** Judges each word starting in `bytes[from, until)`, reading up to KEEP bytes after it. */
  private search(bytes: Buffer, from: number, until: number): void {
    for (const word of WORDS) {
      for (
        let at = bytes.indexOf(word, from);
        at !== -1 && at < until && !this.found;
        at = bytes.indexOf(word, at + 1)
      ) {
        this.judge(bytes, at, word.toString('latin1'));
      }
    }
  }

  private judge(bytes: Buffer, at: number, word: string): void {
    const after = bytes.toString('latin1', at + word.length, Math.min(bytes.length, at + word.length + KEEP));
    if (word === '\\') return ESCAPED_CALL.test(after) ? this.refuse(`CSS escape \\${after.slice(0, 20)}`) : undefined;
    if (word === 'script' || word === 'foreignobject') {
      const before = bytes.toString('latin1', Math.max(0, at - KEEP), at);
      if (!ELEMENT_START.test(before) || !/^[\s/>]/.test(after)) return;
      this.found = true;
      this.report.add('OOXML_EMBEDDED_OBJECT', { kind: `SVG ${word} (${this.name})` });
      return;
    }
    if (word === '@import') return this.refuse(after.trim() || '@import');
    if ((word === 'href' || word === 'attributename') && after.length === KEEP && PADDING.test(after)) {
      return this.refuse('-');
    }
    if (word === 'attributename')
      return ANIMATED_HREF.test(after) ? this.refuse(`animated ${after.trim()}`) : undefined;
    const m = (word === 'href' ? HREF_VALUE : URL_VALUE).exec(after);
    const value = m?.[1];
    // An empty `href=""` or `url()` names nothing outside; an empty value left open is whitespace
    // pushing the value past what is read, and is refused.
    if (value === undefined || INSIDE.test(value) || (value === '' && m?.[2] !== '')) return;
    this.refuse(value);
  }

  private refuse(target: string): void {
    this.found = true;
    this.report.add('OOXML_EXTERNAL', {
      kind: `SVG picture's reference (${this.name})`,
      target: shownAsUtf8(target).slice(0, 200) || '-',
    });
  }
}

/** `bytes` with ASCII's capital letters lowered, in a copy (the values shown are lowered too). */
function lowered(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  for (let i = 0; i < copy.length; i++) {
    const byte = copy[i] as number;
    if (byte >= 0x41 && byte <= 0x5a) copy[i] = byte + 0x20;
  }
  return copy;
}
