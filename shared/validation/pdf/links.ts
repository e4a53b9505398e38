import { leadsOutOfReviewersHands, REACH_LEAD, shownTarget, targetAsFollowed } from '../link-target.ts';
import { hasByteOrderMark, otherTexts, stringBytes, textOf } from './strings.ts';
import type { PdfValue } from './syntax.ts';

/**
 * Links out of the file: a /URI action (a web address) or a /GoToR (another PDF file), and a
 * /Thread into another file, met anywhere a reader clicks them — a link annotation's /A, an
 * outline item's /A, a form button's, a /Next chain. (Opening actions and /AA are judged as acting
 * in ./active.ts; here every such action counts, which for those adds nothing.) Each one is a
 * warning naming its target (EXTERNAL_LINK, as an Office file's hyperlink is), unless its target
 * is a Windows share or a local path, as Office hyperlinks are judged (../link-target.ts):
 * a UNC path (`\\host\share\x.pdf`, `//host/…`), a `file:` URL, a drive (`C:\…`), or an absolute
 * file specification (`/host/share/x.pdf`, `/c/…`: on Windows its first component is a server or
 * a drive, PDF 2.0 § 7.11.2). A click on one opens it with no browser between, and a share's host
 * gets the reviewer's Windows credentials: refused. So is a target handed to a program by its
 * scheme (`ms-msdt:`, `search-ms:`…), which acts on the link itself: a /URI's, and a file
 * specification's, which a reader takes for a URL when it says `/FS /URL` and which no file name
 * genuine evidence links to starts with. The catalog's /URI /Base, which relative URIs resolve
 * against (written in place or by reference), is judged the same way, and so is an associated
 * file outside the document (/AF without /EF, round 18), as a /GoToR's file.
 *
 * Targets are followed through indirect objects (every definition of each), file-specification
 * dictionaries (/UF, /F, and the old /Unix, /DOS, /Mac, any of which a reader may take), and
 * strings decoded as readers decode them (./strings.ts).
 */

/** How a target is read: as a URI, or as a file specification. */
type Reading = 'uri' | 'file';

/** A decoded target: what the warning shows, and whether it leads into a share, a local file or a program. */
interface Target {
  shown: string;
  outside: Record<Reading, boolean>;
}

/** What an entry holds, as far as its own object tells: a string, a reference, or a file-spec dictionary's names. */
type Held = { target: Target } | { ref: number } | { spec: Held[] } | { refs: number[] };

/**
 * A string met in an object of the file's own syntax, kept as written until the scan knows
 * whether the file is encrypted (its trailer usually comes last): then each is decrypted with
 * its object's key and its target decoded again (`held` is updated in place).
 */
interface Sealed {
  held: { target: Target };
  bytes: Buffer;
  num: number;
  gen: number;
  /** Readers' lexers read the string's bytes otherwise (./strings.ts' otherTexts): which bytes they decrypt differs. */
  ambiguous: boolean;
}

/** Receives each string a target is read from, with the object it came from. */
interface Keeper {
  keep(held: { target: Target }, raw: string, hex: boolean): void;
}

/** String bytes kept until the file's encryption is known; past this a file that turns out encrypted is refused. */
export const MAX_SEALED_BYTES = 4 * 1024 * 1024;

interface Link {
  /** The action, as the refusal names it: `/URI`, `/GoToR`, `/Thread`, `/URI /Base`. */
  action: string;
  reading: Reading;
  target: Held | undefined;
  /** A link the reviewer clicks, named in the warning (a /Base only says where relative URIs lead). */
  clicked: boolean;
}

/** A target as the warning shows it (the Office warning's cut). */
export const MAX_SHOWN = 200;
/** The file-specification entries a reader may take the file from, the shown one first. */
const SPEC_KEYS = ['UF', 'F', 'Unix', 'DOS', 'Mac'];
/** How far references are followed. */
const MAX_FOLLOW = 32;

export class LinkFacts {
  private readonly links: Link[] = [];
  /** Objects a target may refer to (strings, references, file-spec dictionaries): every definition. */
  private readonly held = new Map<number, Held[]>();
  /** The strings met in the file's own syntax, for decrypting once the key is known. */
  private readonly sealed: Sealed[] = [];
  private sealedBytes = 0;
  private sealedOver = false;
  /** The object being read, when in the file's own syntax (its strings are encrypted in an encrypted file). */
  private owner: { num: number; gen: number } | undefined;
  private readonly keeper: Keeper = {
    keep: (held, raw, hex) => {
      const owner = this.owner;
      if (!owner || this.sealedOver) return;
      const bytes = stringBytes(raw, hex);
      this.sealedBytes += bytes.length;
      if (this.sealedBytes > MAX_SEALED_BYTES) {
        this.sealedOver = true;
        this.sealed.length = 0;
        return;
      }
      this.sealed.push({ held, bytes, num: owner.num, gen: owner.gen, ambiguous: otherTexts(raw, hex).length > 0 });
    },
  };

  /** The object whose values come next: `num gen` when in the file's own syntax, else undefined (an object stream's, a trailer's). */
  begin(owner: { num: number; gen: number } | undefined): void {
    this.owner = owner;
  }

  /**
   * Decrypts the strings kept (an encrypted file's, now its key is known) and decodes their
   * targets again; why they cannot be, or undefined. `inClear`: whether an object's strings are
   * left unencrypted (the encryption dictionary's and a cross-reference stream's, ISO 32000-1
   * § 7.6.1), which qpdf and MuPDF read as written, as pdf.js does the encryption dictionary (it
   * keeps the one it read without the key) and a trailer: such a string is judged as written and
   * decrypted both, which a reader fetching it as any other object would read (round 18: a
   * catalog's /URI /Base into a share, kept in the encryption dictionary, was judged decrypted
   * only, as noise).
   */
  unseal(
    decrypt: (bytes: Buffer, num: number, gen: number) => Buffer,
    inClear: (num: number, gen: number) => boolean,
  ): string | undefined {
    if (this.sealedOver)
      return `link strings over ${MAX_SEALED_BYTES / (1024 * 1024)} MiB kept until the key was known`;
    for (const sealed of this.sealed) {
      const clear = inClear(sealed.num, sealed.gen);
      if (sealed.ambiguous && !clear) return 'an encrypted string that readers read as other bytes';
      let plain: Buffer;
      try {
        plain = decrypt(sealed.bytes, sealed.num, sealed.gen);
      } catch (error) {
        // A string in clear need not decrypt: it is read as written.
        if (clear) continue;
        return `a string that does not decrypt (${(error as Error).message})`;
      }
      const decrypted = decodeTarget(plain.toString('hex'), true);
      sealed.held.target = clear ? eitherTarget(sealed.held.target, decrypted) : decrypted;
    }
    return undefined;
  }

  /** One indirect object's whole value, which a target may refer to. */
  addObject(num: number, value: PdfValue): void {
    const held =
      value.kind === 'dict'
        ? [holdSpec(value, this.keeper)]
        : value.kind === 'array'
          ? [holdSpecs(value.items, this.keeper)]
          : heldTargets(value, this.keeper);
    for (const one of held) {
      if (!one) continue;
      const list = this.held.get(num);
      if (list) list.push(one);
      else this.held.set(num, [one]);
    }
  }

  /**
   * An action dictionary met anywhere, of `type` (./active.ts; `indirect` when its /S is not a
   * name, which a reader resolves: then both its /URI and its /F are read).
   */
  addAction(type: string, dict: Map<string, PdfValue>, indirect: boolean): void {
    const uri = dict.get('URI');
    const file = dict.get('F');
    if ((type === 'URI' || indirect) && uri)
      heldTargets(uri, this.keeper).forEach((target, i) =>
        this.links.push({ action: '/URI', reading: 'uri', target, clicked: i === 0 }),
      );
    if ((type === 'GoToR' || type === 'Thread' || indirect) && file) {
      const action = indirect ? '/GoToR' : `/${type}`;
      this.links.push({ action, reading: 'file', target: holdFile(file, this.keeper), clicked: true });
    }
  }

  /**
   * An /AF (associated files, PDF 2.0 § 14.13): file specifications, in place or by reference, an
   * array or one. One with /EF is embedded (refused as an attachment by its name); one without
   * names a file outside, which a reader lists with the attachments and opens, or fetches, at the
   * reviewer's click (Acrobat): judged as a /GoToR's file, so a share, a local path or a program
   * is refused and any other target a warning. An array given by reference is followed
   * (associatedLists).
   */
  addAssociated(value: PdfValue): void {
    const items = value.kind === 'array' ? value.items : [value];
    for (const item of items) {
      const target =
        item.kind === 'dict' ? holdSpec(item, this.keeper) : item.kind === 'ref' ? { ref: item.num } : undefined;
      if (target) this.links.push({ action: '/AF', reading: 'file', target, clicked: true });
    }
  }

  /** A /URI dictionary (the catalog's): its /Base. */
  addUriDictionary(dict: Map<string, PdfValue>): void {
    const base = dict.get('Base');
    if (base)
      for (const target of heldTargets(base, this.keeper))
        this.links.push({ action: '/URI /Base', reading: 'uri', target, clicked: false });
  }

  /**
   * The targets, each shown once in the order met; and the links that lead into a share or a
   * local file, as `/GoToR \\host\share\x.pdf`.
   */
  judge(): { targets: string[]; outside: string[] } {
    const targets = new Set<string>();
    const outside = new Set<string>();
    for (const link of this.links) {
      const found = this.resolve(link.target, link.reading, 0, new Set());
      if (link.clicked) targets.add(found[0]?.shown || '-');
      for (const target of found)
        if (target.outside[link.reading]) outside.add(`${link.action} ${target.shown || '-'}`);
    }
    return { targets: [...targets], outside: [...outside] };
  }

  /** Every target `held` may be, its shown one first (a string before what a reference holds). */
  private resolve(held: Held | undefined, reading: Reading, depth: number, seen: Set<number>): Target[] {
    if (!held || depth > MAX_FOLLOW) return [];
    if ('target' in held) return [held.target];
    if ('spec' in held)
      return reading === 'file' ? held.spec.flatMap((h) => this.resolve(h, reading, depth + 1, seen)) : [];
    if ('refs' in held)
      return reading === 'file' ? held.refs.flatMap((ref) => this.resolve({ ref }, reading, depth + 1, seen)) : [];
    if (seen.has(held.ref)) return [];
    seen.add(held.ref);
    return (this.held.get(held.ref) ?? []).flatMap((h) => this.resolve(h, reading, depth + 1, seen));
  }
}

/** A target read two ways: shown as the first, leading outside if either does. */
function eitherTarget(first: Target, second: Target): Target {
  const outside = {
    uri: first.outside.uri || second.outside.uri,
    file: first.outside.file || second.outside.file,
  };
  return { shown: first.shown, outside };
}

/** A string or a reference, as a target; `keeper` keeps a string's bytes, in case the file is encrypted. */
function hold(value: PdfValue, keeper: Keeper): Held | undefined {
  if (value.kind === 'ref') return { ref: value.num };
  if (value.kind !== 'string') return undefined;
  const held = { target: decodeTarget(value.raw, value.hex) };
  keeper.keep(held, value.raw, value.hex);
  return held;
}

/**
 * A target written as a name, which readers take as text (round 13): pdf.js as `/` and the name
 * (a relative URL written without parentheses, it says), PDFium as the name alone. So
 * `/URI /#5C#5Chost#5Cshare` leads into a share for one and `/\\host\share` for the other; the
 * scan held no target there, and judged nothing.
 */
function heldName(name: string): Held[] {
  const literal = (text: string) => text.replace(/[\\()]/g, '\\$&');
  return [`/${name}`, name].map((text) => ({ target: decodeTarget(literal(text), false) }));
}

/** A /URI's or /Base's targets: a name's two readings, else what hold finds. */
function heldTargets(value: PdfValue, keeper: Keeper): Array<Held | undefined> {
  return value.kind === 'name' ? heldName(value.name) : [hold(value, keeper)];
}

/** A /GoToR's /F: a string, a reference, or a file-spec dictionary. */
function holdFile(value: PdfValue, keeper: Keeper): Held | undefined {
  return value.kind === 'dict' ? holdSpec(value, keeper) : hold(value, keeper);
}

/** A file-spec dictionary's names (none: not one). */
function holdSpec(value: PdfValue & { kind: 'dict' }, keeper: Keeper): Held | undefined {
  let spec: Held[] | undefined;
  for (const key of SPEC_KEYS) {
    const entry = value.entries.get(key);
    const held = entry && hold(entry, keeper);
    if (held) (spec ??= []).push(held);
  }
  // A name written twice: its earlier values too (./syntax.ts), after the shown one.
  for (const [key, entry] of value.shadowed ?? []) {
    const held = SPEC_KEYS.includes(key) ? hold(entry, keeper) : undefined;
    if (held) (spec ??= []).push(held);
  }
  return spec && { spec };
}

/**
 * An array's file specifications and references, as one list (an /AF array by reference): read
 * as files only, as a file-spec dictionary's names are, so no /URI takes an array for a string.
 * Most arrays in a file hold references only (page trees, contents, structure): those are kept
 * as their numbers alone, one small array each.
 */
function holdSpecs(items: PdfValue[], keeper: Keeper): Held | undefined {
  if (!items.some((item) => item.kind === 'dict')) {
    const refs: number[] = [];
    for (const item of items) if (item.kind === 'ref') refs.push(item.num);
    return refs.length > 0 ? { refs } : undefined;
  }
  const spec: Held[] = [];
  for (const item of items) {
    const held = item.kind === 'dict' ? holdSpec(item, keeper) : item.kind === 'ref' ? { ref: item.num } : undefined;
    if (held) spec.push(held);
  }
  return spec.length > 0 ? { spec } : undefined;
}

/** An absolute file specification: its first component is a server (`/host/share/…`) or a drive (`/c/…`). */
const ABSOLUTE_SPEC = /^\//;

/** Bytes decoded for what a target shows and how it starts (a UTF-8 character takes up to 4). */
const HEAD_BYTES = 4 * MAX_SHOWN + 3;
/** Raw characters that hold HEAD_BYTES bytes however written (`\134` takes 4 for one). */
const HEAD_RAW = 4 * HEAD_BYTES;
/** Characters of a target's start that tell a share, a `file:` URL, a drive, a server or a program's scheme. */
const LEAD = REACH_LEAD;

/**
 * Characters of a whole target (its head all padding) that are folded (../link-target.ts's
 * foldedAsReaders); a longer one beyond ASCII is refused.
 */
export const MAX_FOLDED = 1 << 20;
/** Beyond ASCII: what the folding works on (a whole target in ASCII is not folded at all). */
const NON_ASCII = /[\u0080-\uffff]/;
/** Characters U+0080–U+009F: C1 controls, or PDFDocEncoding's characters for those bytes read as Latin-1. */
const C1_CONTROL = /[\x80-\x9f]/;
const C1_CONTROLS = /[\x80-\x9f]/g;
/** PDFDocEncoding's characters for bytes 0x80–0x9E (PDF 2.0 Annex D), as pdf.js decodes them. */
const PDF_DOC_C1 = [
  ...'\u2022\u2020\u2021\u2026\u2014\u2013\u0192\u2044\u2039\u203a\u2212\u2030\u201e\u201c\u201d\u2018',
  ...'\u2019\u201a\u2122\ufb01\ufb02\u0141\u0152\u0160\u0178\u017d\u0131\u0142\u0153\u0161\u017e',
];

/**
 * A string's decoded forms, as readers may decode it (PDF's own decoding; the folding of each is
 * ../link-target.ts's, shared with Office and OFD): as ./strings.ts decoded it, where bytes
 * 0x80–0x9F of a string without a byte-order mark are C1 controls, which the folding drops (a
 * reader's trim drops a NEL before a share); and with those bytes read as PDFDocEncoding's
 * characters (pdf.js reads a string without a byte-order mark so: 0x87 is a fraction slash, 0x93
 * the ligature `ﬁ`, which the folding turns into ASCII).
 */
function readingsOf(text: string): string[] {
  return C1_CONTROL.test(text) ? [text, asPdfDoc(text)] : [text];
}

/** `text`'s C1 controls as PDFDocEncoding's characters for those bytes (0x9F, undefined, as nothing). */
function asPdfDoc(text: string): string {
  return text.replace(C1_CONTROLS, (c) => PDF_DOC_C1[c.charCodeAt(0) - 0x80] ?? '');
}

/** How each decoded form of `text` starts, as followed (../link-target.ts: decoded forms folded, then trimmed). */
function startsOf(text: string): string[] {
  return readingsOf(text).map((reading) => targetAsFollowed(reading).slice(0, LEAD));
}

/**
 * A string's target. Only its head is decoded (a PDF may hold thousands of strings, few of them
 * targets): what it shows, and how each of its decoded forms (readingsOf) starts as a reader
 * follows it (../link-target.ts: folded, tabs, line breaks and controls dropped, spaces at its
 * start too) — unless what the head keeps of it is shorter than LEAD, when the whole
 * string is read for where it starts, so no padding pushes a scheme or a share out of the head.
 * Where readers' lexers read the string otherwise (./strings.ts's otherTexts: pdf.js's octal
 * escapes past a byte, MuPDF's stray hex characters), each of their texts is judged too.
 */
function decodeTarget(raw: string, hex: boolean): Target {
  const headRaw = raw.length > HEAD_RAW ? raw.slice(0, HEAD_RAW) : raw;
  const bytes = stringBytes(headRaw, hex);
  const partial = raw.length > HEAD_RAW || bytes.length > HEAD_BYTES;
  // A text of its own (textOf copies), so what is kept does not hold the whole syntax it came from.
  const head = textOf(bytes.subarray(0, HEAD_BYTES));
  const others = otherTexts(headRaw, hex).map((text) => text.slice(0, HEAD_BYTES));
  let starts = [head, ...others].flatMap(startsOf);
  if (partial && starts.some((start) => start.length < LEAD)) {
    const wholes = [textOf(stringBytes(raw, hex)), ...otherTexts(raw, hex)];
    // Folding costs some ten times the decoding: a padded target past MAX_FOLDED characters,
    // beyond ASCII, is refused rather than folded (no genuine target is a megabyte of padding).
    const unfoldable = wholes.some((whole) => whole.length > MAX_FOLDED && NON_ASCII.test(whole));
    starts = unfoldable ? [] : wholes.flatMap(startsOf);
  }
  const unfoldable = starts.length === 0;
  // A string without a byte-order mark is PDFDocEncoding: shown with its characters for 0x80–0x9E.
  const text = C1_CONTROL.test(head) && !hasByteOrderMark(bytes) ? asPdfDoc(head) : head;
  const shown = shownTarget(text).slice(0, MAX_SHOWN);
  const refused = unfoldable || starts.some((start) => leadsOutOfReviewersHands(start));
  return { shown, outside: { uri: refused, file: refused || starts.some((start) => ABSOLUTE_SPEC.test(start)) } };
}
