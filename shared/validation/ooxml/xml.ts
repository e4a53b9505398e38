/**
 * The little XML the part checks need: a part's text from its bytes (UTF-8, or UTF-16 with a
 * byte-order mark, as the Open Packaging Conventions allow), attribute values with their entity
 * references decoded (`&#69;xternal` is `External`), and a bounded collector for parts read whole.
 */

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five named entities and numeric character references. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Whether a part starts as UTF-16 (a byte-order mark, or `<` followed or preceded by NUL). */
export function isUtf16(head: Buffer): boolean {
  return (
    (head[0] === 0xff && head[1] === 0xfe) ||
    (head[0] === 0xfe && head[1] === 0xff) ||
    (head[0] === 0x3c && head[1] === 0x00) ||
    (head[0] === 0x00 && head[1] === 0x3c)
  );
}

/** A whole part's text, decoded by its byte-order mark. */
export function partText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0x3c && bytes[1] === 0x00) return bytes.toString('utf16le');
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0x00 && bytes[1] === 0x3c)) {
    const start = bytes[0] === 0xfe ? 2 : 0;
    const swapped = Buffer.from(bytes.subarray(start, start + ((bytes.length - start) & ~1)));
    return swapped.swap16().toString('utf16le');
  }
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/**
 * Encodings in which every byte below 0x80 is that ASCII character, so a byte search finds tags
 * and names as a reader decodes them: UTF-8, the Chinese GB encodings and Big5, ASCII, the ISO
 * 8859 and Windows code pages. A double-byte encoding's second byte may look like ASCII, which can
 * only make a check see more. Not UTF-7, UTF-16/32, EBCDIC nor ISO-2022, where `<` or a name is
 * spelt otherwise (UTF-7 `+ADw-`) or escapes vanish when decoded (`DDE\x1b(BAUTO`).
 */
export const ASCII_COMPATIBLE_ENCODING =
  /^(utf-?8|gb18030|gbk|gb2312|big5|us-ascii|ascii|iso-8859-\d+|windows-125\d)$/i;

/**
 * A tag's inside, as a regular expression's source: attributes whose quoted values may hold `>`
 * (well-formed XML; only `<` is barred there), so `Target="a>b" Type="…"` or `x:a=">"` before
 * the attribute that matters does not end the tag early. One character or one quoted value per
 * step, so a tag that never closes costs a linear search, not a backtracking one.
 */
export const TAG_INSIDE = `(?:[^>"']|"[^"]*"|'[^']*')*`;

/**
 * The characters of an XML name, as a regular expression's character class's inside: any name,
 * characters beyond ASCII included (`<关:Relationship>`, round 13), as bytes 0x80–0xff where a
 * part is read a byte a character. The one spelling of the class: every namespace prefix and
 * attribute name the Office and OFD searches read, and a long item's name (./text-stream.ts), is
 * made of it.
 */
export const NAME_CHARACTERS = '\\w.\\u0080-\\uffff-';
/** An element's prefix, if it has one. Every Office and OFD element search takes its prefix from here. */
export const PREFIX = `(?:[${NAME_CHARACTERS}]+:)?`;
/** PREFIX, its name (without the colon) captured: for a search that must know which prefix a tag has. */
export const CAPTURED_PREFIX = `(?:([${NAME_CHARACTERS}]+):)?`;
/**
 * Each attribute of a tag's inside, its name (prefix included, as PREFIX reads one) and its value
 * in double or single quotes, consumed whole (a name inside a value is not an attribute). Global:
 * read it with `matchAll`, which keeps its own place.
 */
export const ATTRIBUTE = new RegExp(`([${NAME_CHARACTERS}:]+)\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g');

/**
 * Each element `<prefix:local …>` named `local`, with its attributes (values decoded). A prefix is
 * any XML name, characters beyond ASCII included (`<关:Relationship>`), here and in every Office
 * element search (bytes 0x80–0xff where a part is read a byte a character); `null`
 * for a tag that never closes (no `>` outside a quoted value before the text ends), after which
 * nothing more is read: the part is not well-formed, and searching on from every later start
 * would cost the square of its length (a 4 MiB part of `<Relationship a="` took minutes).
 */
export function* elements(text: string, local: string): Generator<Map<string, string> | null> {
  const open = new RegExp(`<${PREFIX}${local}(?=[\\s/>])`, 'g');
  const rest = new RegExp(`(${TAG_INSIDE})>`, 'y');
  for (let m = open.exec(text); m; m = open.exec(text)) {
    rest.lastIndex = open.lastIndex;
    const tag = rest.exec(text);
    if (!tag) {
      yield null;
      return;
    }
    open.lastIndex = rest.lastIndex;
    yield attributes(tag[1] ?? '');
  }
}

/**
 * The attributes of a tag's inside, by local name, values decoded. An unprefixed attribute is the
 * one a package reader reads (a Relationship's or an Override's attributes are in no namespace),
 * so a prefixed one of the same local name, in some other namespace, never replaces it:
 * `Type="…/attachedTemplate" x:Type="…/hyperlink"` is a template.
 */
export function attributes(inside: string): Map<string, string> {
  const found = new Map<string, string>();
  const plain = new Set<string>();
  for (const [local, value, prefixed] of eachAttribute(inside)) {
    if (prefixed && plain.has(local)) continue;
    if (!prefixed) plain.add(local);
    found.set(local, value);
  }
  return found;
}

/**
 * Every value of the attributes called `local` under any prefix or none. Word's attributes are
 * namespaced (`w:instr`), and which prefix names Word's namespace is the part's own choice, so
 * each is judged: `x:instr="PAGE" w:instr="DDEAUTO …"` is DDE.
 */
export function attributeValues(inside: string, local: string): string[] {
  const values: string[] = [];
  for (const [name, value] of eachAttribute(inside)) if (name === local) values.push(value);
  return values;
}

/**
 * A tag's attributes in order, read one after another (a value is consumed whole, so a name
 * inside another attribute's value is never taken for an attribute): local name, decoded value,
 * and whether it had a prefix.
 */
function* eachAttribute(inside: string): Generator<[string, string, boolean]> {
  for (const m of inside.matchAll(ATTRIBUTE)) {
    const name = m[1] ?? '';
    const colon = name.lastIndexOf(':');
    yield [name.slice(colon + 1), decodeEntities(m[2] ?? m[3] ?? ''), colon !== -1];
  }
}

/** Keeps a part's bytes up to `cap`; `overflowed` once more arrived. */
export class WholePart {
  private readonly pieces: Buffer[] = [];
  private bytes = 0;
  overflowed = false;

  constructor(private readonly cap: number) {}

  write(out: Buffer): void {
    if (this.overflowed) return;
    this.bytes += out.length;
    if (this.bytes > this.cap) {
      this.overflowed = true;
      this.pieces.length = 0;
      return;
    }
    this.pieces.push(Buffer.from(out));
  }

  text(): string {
    return partText(Buffer.concat(this.pieces));
  }
}

/**
 * What an XML part's prolog (everything before its root element) declares, as far as `text`
 * reaches: a document type (`<!DOCTYPE`, or any other `<!` that is not a comment), the root
 * element first, or neither yet. A DTD can declare entities that stand for any text, so
 * `<f>&x;</f>` or `TargetMode="&x;"` would reach the checks unexpanded; the Open Packaging
 * Conventions forbid DTDs in package XML (ECMA-376 Part 2, M1.18: an error to the reader), and
 * Office refuses such a part, so the checks refuse it too rather than expand entities.
 * `allowed`: the one DOCTYPE a part may carry (./svg.ts: the SVG DTD's own), passed over.
 */
export function prologDeclares(text: string, allowed?: RegExp): 'doctype' | 'root' | 'unfinished' {
  const root = rootElementAt(text, allowed);
  return typeof root === 'number' ? 'root' : root;
}

/**
 * Where `text`'s root element starts (its `<`), past the prolog, or what the prolog holds instead
 * (prologDeclares). A DOCTYPE `allowed` matches, whole, at its start is passed over; one it does
 * not is decided once its first `>` has come (before, it may still become the allowed one).
 */
export function rootElementAt(text: string, allowed?: RegExp): number | 'doctype' | 'unfinished' {
  for (let at = text.indexOf('<'); at !== -1 && at + 1 < text.length; at = text.indexOf('<', at)) {
    const kind = text[at + 1];
    if (kind !== '?' && kind !== '!') return at;
    if (kind === '!' && text.length < at + 4) return 'unfinished';
    if (kind === '!' && !text.startsWith('<!--', at)) {
      if (!allowed) return 'doctype';
      const doctype = allowed.exec(text.slice(at, at + 512));
      if (!doctype) return text.includes('>', at) ? 'doctype' : 'unfinished';
      at += doctype[0].length;
      continue;
    }
    // A comment's `--` cannot be the start of its `-->`: `<!-->` does not close it.
    const [close, from] = kind === '?' ? ['?>', at + 2] : ['-->', at + 4];
    const end = text.indexOf(close, from);
    if (end === -1) return 'unfinished';
    at = end + close.length;
  }
  return 'unfinished';
}

/**
 * Text the streamed checks (Office's and OFD's) read as Latin-1 (one character per byte,
 * ./text-stream.ts) shown as the UTF-8 it is, for a finding's detail: `附件`, not its bytes. Text
 * holding a character past U+00FF (from a character reference) is already text, shown as it is.
 */
export function shownAsUtf8(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\xff]*$/.test(text) ? Buffer.from(text, 'latin1').toString('utf8') : text;
}
