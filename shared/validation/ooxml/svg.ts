import type { Report } from '../report.ts';
import { shownAsUtf8 } from './xml.ts';

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
 * - a reference (`href` under any prefix or none, a CSS `url(…)`, an `@import`) to anything but
 *   a place in the picture (`#…`) or a bitmap written into it (`data:image/png`, JPEG or GIF): a
 *   web address, a share (`\\host\x`: Windows hands the host the reader's credentials), a file
 *   beside the document, or another SVG (`data:image/svg+xml`, which could load in turn):
 *   OOXML_EXTERNAL.
 *
 * The part is searched as bytes, as it inflates, with a few bytes of each piece kept for the next
 * so a word or value split between pieces is read whole (a picture may be megabytes of embedded
 * bitmap; only the places the words occur are turned into text). A value cut by the end of the
 * part is judged by what there is. A UTF-16 picture is refused before it gets here (./parts.ts),
 * as every streamed part is.
 */

/** The words searched for, as bytes. `href` finds `xlink:href` and any other prefix's. */
const WORDS = ['href', 'url(', '@import', 'script', 'foreignObject'].map((word) => Buffer.from(word, 'latin1'));
/** Bytes of a piece kept for the next: a word, the `="` after it and enough of its value to judge. */
const KEEP = 64;
/** What may follow `href`: the attribute's `=` and opening quote, and its value's start. */
const HREF_VALUE = /^\s*=\s*["']\s*([^"']*)(["']?)/;
/** What may follow `url(`: an optional quote and the value's start. */
const URL_VALUE = /^\s*["']?\s*([^"')]*)(["')]?)/;
/** A value that stays in the picture: a place in it, or a bitmap written into it. */
const INSIDE = /^(?:#|data:image\/(?:png|jpe?g|gif)[;,])/i;
/** An element's start before `script` or `foreignObject`: `<`, perhaps a prefix and its colon. */
const ELEMENT_START = /<(?:[^\s<>:"'=/]+:)?$/;

export class SvgCheck {
  private carry = Buffer.alloc(0);
  private found = false;

  constructor(
    private readonly name: string,
    private readonly report: Report,
  ) {}

  write(out: Buffer): void {
    if (this.found) return;
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, out]) : out;
    // The carry's last KEEP bytes were not judged with the previous piece; the KEEP before them
    // are kept for what stands before a word (an element's `<`).
    this.search(bytes, Math.max(0, this.carry.length - KEEP), bytes.length - KEEP);
    this.carry = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2 * KEEP)));
  }

  end(): void {
    if (!this.found) this.search(this.carry, Math.max(0, this.carry.length - KEEP), this.carry.length);
    this.carry = Buffer.alloc(0);
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
    if (word === 'script' || word === 'foreignObject') {
      const before = bytes.toString('latin1', Math.max(0, at - KEEP), at);
      if (!ELEMENT_START.test(before) || !/^[\s/>]/.test(after)) return;
      this.found = true;
      this.report.add('OOXML_EMBEDDED_OBJECT', { kind: `SVG ${word} (${this.name})` });
      return;
    }
    if (word === '@import') return this.refuse(after.trim() || '@import');
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
