import { OfdContentCheck } from '../ofd/content.ts';
import type { Report } from '../report.ts';
import { declaredEncoding } from '../xml-encoding.ts';
import { CONTENT_TYPES_CAP, judgeContentTypes } from './content-types.ts';
import { CustomXmlCheck } from './custom-xml.ts';
import { FieldCheck } from './fields.ts';
import { FormulaCheck } from './formulas.ts';
import { judgeRelationships } from './relationships.ts';
import { MailMergeCheck } from './mail-merge.ts';
import type { PackageInspection } from './package-inspection.ts';
import { judgeProperties, PROPERTIES_CAP, PROPERTIES_PART } from './properties.ts';
import {
  isSettings,
  partKey,
  readsChartFormulas,
  readsFields,
  readsFormulas,
  readsPictures,
  readsSvg,
  SHARED_STRINGS_PART,
} from './stories.ts';
import { SvgCheck } from './svg.ts';
import { SharedStringsCheck } from './workbook-strings.ts';
import { ASCII_COMPATIBLE_ENCODING, isUtf16, prologDeclares, WholePart } from './xml.ts';

/**
 * What the zip walk does with each entry's content as it inflates, chosen by the entry's name:
 * - `[Content_Types].xml`, every relationship part (`_rels/*.rels`, `…/_rels/*.rels`) and the
 *   extended properties (`docProps/app.xml`): read whole and judged (./content-types.ts,
 *   ./relationships.ts, ./properties.ts);
 * - the spreadsheet's parts (worksheets, macro sheets, the workbook, tables; any XML part under
 *   `xl/`): DDE formulas (./formulas.ts); its shared strings: addresses a HYPERLINK may pick
 *   (./workbook-strings.ts);
 * - Word's parts (document, headers, footers, notes, comments, glossary; any XML part under
 *   `word/`): field codes (./fields.ts), and in the settings a mail merge's data source
 *   (./mail-merge.ts); in Word's parts and Excel's VML drawings, the sources VML shapes name
 *   (./element-links.ts). Which parts those are, by name and by content type, is ./stories.ts's;
 * - custom XML parts (`customXml/*.xml`): their root, for Power Query's queries (./custom-xml.ts);
 * - OFD's XML parts (anything outside the Office folders): attachments and actions (../ofd/);
 * - every entry: its first bytes and its name, for an executable program or script;
 * - every XML part (`.xml`, `.rels`): its prolog, which must not declare a DTD (./xml.ts).
 * Parts read as text must be UTF-8: a UTF-16 one would hide its words from the checks, and
 * neither Office, WPS nor OFD writers produce them, so it is refused (OOXML_UNREADABLE).
 */

/** A relationship part names a few dozen targets; a megabyte is thousands. */
const RELS_CAP = 4 * 1024 * 1024;
/** An XML part's prolog is its declaration (a few dozen bytes); 64 KiB is padding. */
const PROLOG_CAP = 64 * 1024;

/** Programs and scripts by their first bytes: PE (MZ), ELF, Mach-O, and `#!` scripts. */
const EXECUTABLE_MAGIC = [
  Buffer.from('MZ', 'latin1'),
  Buffer.from('\x7fELF', 'latin1'),
  Buffer.from([0xfe, 0xed, 0xfa, 0xce]),
  Buffer.from([0xfe, 0xed, 0xfa, 0xcf]),
  Buffer.from([0xce, 0xfa, 0xed, 0xfe]),
  Buffer.from([0xcf, 0xfa, 0xed, 0xfe]),
  Buffer.from('#!', 'latin1'),
];
/**
 * Programs, scripts and files Windows hands to a program that acts on them (a help file runs its
 * scripts, a shortcut or `.url` fetches, `.library-ms` and `.searchconnector-ms` browse a share,
 * `.iqy` queries a URL, `.xll` is an Excel add-in DLL, `.application` and `.appref-ms` install
 * and run), by name: saved out of the package and opened, each acts.
 */
const EXECUTABLE_NAME =
  /\.(exe|dll|com|scr|pif|cpl|msi|msp|msc|bat|cmd|ps1|psm1|vbs|vbe|vb|js|jse|wsf|wsh|wsc|sct|hta|lnk|url|scf|chm|hlp|inf|xll|iqy|library-ms|searchconnector-ms|search-ms|settingcontent-ms|appref-ms|application|gadget|diagcab|appx|msix|jar|sh|reg|app|elf|so|dylib|htm|html|shtml|xht|xhtml|mht|mhtml)$/i;
/**
 * Parts whose first bytes are not sniffed for a web page: XML parts (whose roots are namespaced
 * or named by their vocabulary, never a page's) and SVG pictures (./svg.ts reads those whole).
 */
const NOT_SNIFFED = /\.(xml|rels|svg)$/;
const OFFICE_FOLDER = /^(word|xl|ppt|docprops|customxml|_rels)\//i;

export interface PartCheck {
  write(out: Buffer): void;
  /** The entry's data is complete and intact. */
  end(): void;
}

/** The checks of one entry of the package `inspection` walks. */
export function partCheckFor(name: string, inspection: PackageInspection): PartCheck {
  const { report } = inspection;
  const key = partKey(name);
  if (EXECUTABLE_NAME.test(key)) report.add('EMBEDDED_EXECUTABLE', { name });
  inspection.extensions.partMet(key);
  inspection.ofdAttachments.entryMet(key);
  const checks: PartCheck[] = [];
  if (key === '[content_types].xml') {
    checks.push(
      whole(name, CONTENT_TYPES_CAP, report, (text) =>
        judgeContentTypes(text, report, inspection.extensions, inspection.customProperties),
      ),
    );
  } else if (key === PROPERTIES_PART) {
    checks.push(whole(name, PROPERTIES_CAP, report, (text) => judgeProperties(text, report)));
  } else if (/(^|\/)_rels\/[^/]*\.rels$/.test(key)) {
    checks.push(
      whole(name, RELS_CAP, report, (text) =>
        judgeRelationships(name, text, report, inspection.hyperlinks, inspection.customProperties),
      ),
    );
  } else if (key === SHARED_STRINGS_PART) {
    checks.push(new SharedStringsCheck(inspection.workbook));
  } else if (readsFormulas(key)) {
    checks.push(new FormulaCheck(name, inspection, readsPictures(key)));
  } else if (readsFields(key)) {
    checks.push(new FieldCheck(name, inspection));
    if (isSettings(key)) checks.push(new MailMergeCheck(name, report));
    if (readsChartFormulas(key)) checks.push(new FormulaCheck(name, inspection, false));
  } else if (key.endsWith('.vml') && !key.startsWith('word/')) {
    // A VML drawing outside Excel's folder: its shapes' sources and form controls' formulas.
    checks.push(new FormulaCheck(name, inspection, true));
  } else if (readsSvg(key)) {
    checks.push(new SvgCheck(name, report));
  } else if (/^customxml\/[^/]*\.xml$/.test(key)) {
    checks.push(new CustomXmlCheck(report));
  } else if (key.endsWith('.xml') && !OFFICE_FOLDER.test(key)) {
    checks.push(new OfdContentCheck(report, { attachments: inspection.ofdAttachments, name, key }));
  } else if (/^(word|xl)\//.test(key) && !key.endsWith('.svg')) {
    // Not named as XML (a picture, `word/h.bin`): read as its folder's parts are if it is XML.
    const word = key.startsWith('word/');
    const stories = word
      ? () => new FieldCheck(name, inspection)
      : () => new FormulaCheck(name, inspection, readsPictures(key));
    // UTF-16 markup in Excel's folder may be a custom property's value (./custom-properties.ts).
    const utf16 = word
      ? () => report.add('OOXML_UNREADABLE', { part: name })
      : () => inspection.customProperties.utf16Markup(key, name);
    checks.push(new IfMarkup(utf16, () => [stories(), new PrologCheck(name, report, true)]));
  }
  const office = checks.some(
    (c) => c instanceof FormulaCheck || c instanceof FieldCheck || c instanceof SharedStringsCheck,
  );
  const streamed = office || checks.some((c) => c instanceof OfdContentCheck || c instanceof SvgCheck);
  // Parts read whole (content types, relationships) have their prolog judged with their text.
  const readWhole = checks.length > 0 && !streamed && !checks.some((c) => c instanceof CustomXmlCheck);
  if (/\.(xml|rels)$/.test(key) && !readWhole) checks.push(new PrologCheck(name, report, office));
  const page = NOT_SNIFFED.test(key) ? undefined : new PageSniff(name, report);
  return new FirstBytes(name, report, checks, streamed, page);
}

function whole(name: string, cap: number, report: Report, judge: (text: string) => void): PartCheck {
  const part = new WholePart(cap);
  return {
    write: (out) => part.write(out),
    end: () => {
      const text = part.overflowed ? '' : part.text();
      if (part.overflowed) report.add('OOXML_UNREADABLE', { part: name });
      else if (prologDeclares(text) === 'doctype') report.add('OOXML_UNREADABLE', { part: `${name} <!DOCTYPE>` });
      else judge(text);
    },
  };
}

/**
 * A part of Word's or Excel's folder not named as XML, read for fields or formulas if its first
 * bytes are markup: Word and Excel take a part's type from [Content_Types].xml, which ./stories.ts
 * holds to names read; should a reader look past a wrong type (Word offers to "recover" a part),
 * a header at `word/h.bin` is read all the same. Pictures (PNG, JPEG, EMF…) never start with
 * `<`; an SVG does, and is read as a picture by its name (./svg.ts), which judges its DOCTYPE itself. Only the first piece is looked at
 * (FirstBytes hands on at least two bytes): whitespace alone counts as markup, and UTF-16 goes to
 * `utf16`, which refuses it (OOXML_UNREADABLE) as in parts named XML, in Excel's folder once the
 * package's end shows it is not a worksheet's custom property (./custom-properties.ts).
 */
class IfMarkup implements PartCheck {
  private checks: PartCheck[] | undefined;

  constructor(
    private readonly utf16: () => void,
    private readonly make: () => PartCheck[],
  ) {}

  write(out: Buffer): void {
    if (!this.checks) {
      const head = out.toString('latin1', 0, Math.min(out.length, 256)).replace(/^\xef\xbb\xbf/, '');
      // UTF-16 with a mark, or without one after spaces (` \0<\0`, `\0 \0<`, or ` \0` alone).
      const utf16 = isUtf16(out) || /^(?:\s\0|\0\s)/.test(head);
      if (utf16) this.utf16();
      this.checks = !utf16 && /^\s*(<|$)/.test(head) ? this.make() : [];
    }
    for (const check of this.checks) check.write(out);
  }

  end(): void {
    for (const check of this.checks ?? []) check.end();
  }
}

/**
 * An XML part's prolog, read from its first bytes until the root element starts: a DTD there is
 * refused (OOXML_UNREADABLE). A prolog longer than PROLOG_CAP (a comment padding a DTD out of
 * sight) is refused too; genuine ones are an XML declaration. A UTF-16 part is left to the checks
 * that read it: streamed parts refuse it, parts read whole judge their decoded prolog.
 *
 * A part read for fields or formulas must be in an encoding whose ASCII bytes are ASCII (UTF-8,
 * or another ASCII-compatible one: ./xml.ts) (`asciiOnly`): one declaring another is refused. The checks search its
 * bytes, and in UTF-7, say, `+AEQ-DEAUTO` is `DDEAUTO`; the Open Packaging Conventions allow only
 * UTF-8 and UTF-16 (ECMA-376 Part 2, M1.17), and a UTF-16 declaration over bytes that are not is
 * a part no reader agrees on.
 */
class PrologCheck implements PartCheck {
  private head = '';
  private done = false;

  constructor(
    private readonly name: string,
    private readonly report: Report,
    private readonly asciiOnly = false,
  ) {}

  write(out: Buffer): void {
    if (this.done || out.length === 0) return;
    if (this.head.length === 0 && isUtf16(out)) {
      this.done = true;
      return;
    }
    this.head += out.toString('latin1', 0, Math.min(out.length, PROLOG_CAP + 1 - this.head.length));
    const declares = prologDeclares(this.head);
    if (declares === 'unfinished' && this.head.length <= PROLOG_CAP) return;
    this.done = true;
    const encoding = this.asciiOnly ? declaredEncoding(this.head) : undefined;
    this.head = '';
    if (declares === 'doctype') this.report.add('OOXML_UNREADABLE', { part: `${this.name} <!DOCTYPE>` });
    else if (declares === 'unfinished') this.report.add('OOXML_UNREADABLE', { part: `${this.name} (prolog)` });
    else if (encoding !== undefined && !ASCII_COMPATIBLE_ENCODING.test(encoding.trim())) {
      this.report.add('OOXML_UNREADABLE', { part: `${this.name} (encoding ${encoding.slice(0, 40)})` });
    }
  }

  end(): void {
    this.done = true;
    this.head = '';
  }
}

/**
 * Looks at an entry's first bytes, then hands everything to the part's own checks. Those bytes
 * are judged together: a first piece of one byte (an entry starting where a chunk of the upload
 * ends, the last byte before it) is held until the next, so a UTF-16 byte-order mark split in two
 * is still seen as one.
 */
class FirstBytes implements PartCheck {
  private seen = false;
  private held: Buffer | undefined;

  constructor(
    private readonly name: string,
    private readonly report: Report,
    private readonly checks: PartCheck[],
    private readonly streamed: boolean,
    private readonly page: PageSniff | undefined,
  ) {}

  write(piece: Buffer): void {
    if (piece.length === 0) return;
    this.page?.write(piece);
    let out = piece;
    if (!this.seen) {
      if (this.held) {
        out = Buffer.concat([this.held, piece]);
        this.held = undefined;
      } else if (piece.length < 2) {
        this.held = Buffer.from(piece);
        return;
      }
      this.first(out);
    }
    for (const check of this.checks) check.write(out);
  }

  end(): void {
    this.page?.end();
    if (this.held) {
      this.first(this.held);
      for (const check of this.checks) check.write(this.held);
      this.held = undefined;
    }
    for (const check of this.checks) check.end();
  }

  private first(out: Buffer): void {
    this.seen = true;
    if (EXECUTABLE_MAGIC.some((magic) => out.subarray(0, magic.length).equals(magic))) {
      this.report.add('EMBEDDED_EXECUTABLE', { name: this.name });
    }
    // Relationship and content-types parts decode UTF-16 themselves; streamed parts cannot. A NUL
    // in the first bytes is UTF-16 or UTF-32 without a mark, whatever character comes first.
    if (this.streamed && (isUtf16(out) || out.subarray(0, 4).includes(0))) {
      this.report.add('OOXML_UNREADABLE', { part: this.name });
      this.checks.length = 0;
    }
  }
}

/**
 * How far a browser looks for a page's first tag: the WHATWG MIME Sniffing Standard reads a
 * resource header of 1445 bytes (§5.2), and whitespace past it leaves the bytes unsniffed.
 */
const PAGE_HEADER = 1445;
/**
 * The first tags that make a browser take bytes of unknown type for an HTML page: the standard's
 * list (§7.1, "identify an unknown MIME type", case-blind), here as one expression. The standard
 * wants a space or `>` after the tag; any whitespace or `/` is taken too (`<script\n`, `<br/`),
 * which no picture, font or printer setting starts with.
 */
const PAGE_START = /^<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[\s/>]/i;
/** The longest of those starts: `<!doctype html` and the byte after it. */
const PAGE_START_MAX = 15;

/**
 * Markup a browser runs, stored under a name that is not a page's (`word/media/a.jpg` holding
 * `<html>`, `Doc_0/Res/image1.png` holding `<!DOCTYPE html><script>…`): no package reader renders
 * such a part, but a reviewer who unpacks the file and opens it in a browser may find a page that
 * runs (EMBEDDED_EXECUTABLE). Judged from the part's first bytes, after whitespace and a byte
 * order mark, gathered over as many pieces as it takes and never more than PAGE_HEADER bytes: a
 * picture, a font or a printer setting is decided by its first byte.
 */
class PageSniff {
  private head: Buffer | undefined;
  private done = false;

  constructor(
    private readonly name: string,
    private readonly report: Report,
  ) {}

  write(piece: Buffer): void {
    if (this.done) return;
    const room = PAGE_HEADER - (this.head?.length ?? 0);
    const more = piece.subarray(0, room);
    this.head = this.head ? Buffer.concat([this.head, more]) : Buffer.from(more);
    this.judge(this.head.length >= PAGE_HEADER);
  }

  end(): void {
    if (!this.done && this.head) this.judge(true);
    this.done = true;
    this.head = undefined;
  }

  private judge(final: boolean): void {
    const verdict = pageStart(this.head ?? Buffer.alloc(0), final);
    if (verdict === undefined) return;
    this.done = true;
    this.head = undefined;
    if (verdict) this.report.add('EMBEDDED_EXECUTABLE', { name: this.name });
  }
}

/** Whether `head` starts as a web page does; undefined while more bytes could decide it. */
export function pageStart(head: Buffer, final: boolean): boolean | undefined {
  const text = headText(head, final);
  const rest = text?.replace(/^[\t\n\f\r ]+/, '');
  if (rest === undefined || rest.length === 0) return final ? false : undefined;
  if (rest[0] !== '<') return false;
  if (PAGE_START.test(rest)) return true;
  return final || rest.length >= PAGE_START_MAX ? false : undefined;
}

/** `head` as text, a byte order mark (UTF-8, UTF-16 either way) taken off; undefined while one may be unfinished. */
function headText(head: Buffer, final: boolean): string | undefined {
  const [a, b, c] = head;
  if (a === 0xef && b === 0xbb && c === 0xbf) return head.toString('latin1', 3);
  if (a === 0xff && b === 0xfe) return head.subarray(2, head.length & ~1).toString('utf16le');
  if (a === 0xfe && b === 0xff)
    return Buffer.from(head.subarray(2, head.length & ~1))
      .swap16()
      .toString('utf16le');
  if (!final && head.length < 3 && (a === 0xef || a === 0xff || a === 0xfe)) return undefined;
  return head.toString('latin1');
}
