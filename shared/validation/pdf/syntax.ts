/* eslint-disable no-control-regex -- PDF whitespace includes NUL (0x00), written \x00 in these patterns */
/**
 * PDF object syntax, read from latin1 text: enough of a parser to read the dictionaries the scan
 * must understand (stream dictionaries, actions, trailers, object streams' headers). Strings are
 * kept as written, their inside only (./strings.ts decodes the few the scan reads); names have
 * their `#xx` escapes decoded, as readers decode them.
 */

export type PdfValue =
  /** `shadowed`: the earlier values of a key written twice, which a reader that keeps the first takes. */
  | { kind: 'dict'; entries: Map<string, PdfValue>; shadowed?: Array<[string, PdfValue]> }
  | { kind: 'array'; items: PdfValue[] }
  /** `stray`: a number of the reference written with an exponent, which PDFium reads as a keyword. */
  | { kind: 'ref'; num: number; gen: number; stray?: true }
  | { kind: 'name'; name: string }
  /** `stray`: written with an exponent (`1e3`), a keyword to PDFium, a number to pdf.js. */
  | { kind: 'number'; value: number; stray?: true }
  /** `raw`: what is between the delimiters, undecoded; `hex` for `<…>`, else a literal `(…)`. */
  | { kind: 'string'; raw: string; hex: boolean }
  /** `stray`: a keyword that is no value (not true, false or null), a stray delimiter, or no value before `>>`, which PDFium fails to read. */
  | { kind: 'other'; stray?: true; false?: true };

/** PDF whitespace (NUL, tab, LF, FF, CR, space). */
export const WHITESPACE: ReadonlySet<number> = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));
/** Nesting deeper than this is refused by readers (pdf.js stops at 100s): the parse stops. */
const MAX_DEPTH = 64;
const OTHER: PdfValue = { kind: 'other' };
/** The keyword `false`, told apart for the one entry whose value the scan reads (an encryption dictionary's /EncryptMetadata). */
const FALSE: PdfValue = { kind: 'other', false: true };
const STRAY: PdfValue = { kind: 'other', stray: true };
/** The keywords that are values. */
const VALUE_KEYWORDS = new Set(['true', 'false', 'null']);
/** Keywords that end an object's value: a value never takes them in, its caller decides. */
const ENDS = new Set(['obj', 'endobj', 'stream', 'endstream']);

export const isRegular = (code: number) => !WHITESPACE.has(code) && !DELIMITERS.has(code);

/**
 * A name's bytes (after the slash) as a reader reads them: `#xx` escapes decoded, and cut at a
 * `#00`, where a reader that keeps names as C strings (MuPDF) ends it: `/JavaScript#00` is
 * `/JavaScript` to that reader, so it is to the scan.
 */
export function decodeName(raw: string): string {
  if (!raw.includes('#')) return raw;
  const decoded = raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  const nul = decoded.indexOf('\0');
  return nul === -1 ? decoded : decoded.slice(0, nul);
}

const [PLUS, MINUS, DOT, LF, CR] = [0x2b, 0x2d, 0x2e, 0x0a, 0x0d];
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
const startsNumber = (code: number) => isDigit(code) || code === PLUS || code === MINUS || code === DOT;

/**
 * A number read from `at` as pdf.js's lexer reads it (round 13): a sign, or two minus signs (`--9`
 * is −9), line ends after the sign, one point, minus signs inside skipped (`9-` is 9), an exponent
 * (`9e0`, `90e-1`), and an end at the first byte that is none of those, delimiter or not (`0R` is
 * 0 and then the keyword R). Undefined where pdf.js refuses the token (a sign with no digit). The
 * scan read a word of regular characters as a number only when all of it was one, so each of
 * those made a reference pdf.js follows (`[9 0R]`, `[9e0 0 R]`) into numbers and a keyword.
 */
function lexNumber(t: string, at: number): { value: number; end: number; exponent?: true } | undefined {
  let i = at;
  let sign = 0;
  let c = t.charCodeAt(i);
  if (c === MINUS) {
    sign = -1;
    c = t.charCodeAt(++i);
    if (c === MINUS) c = t.charCodeAt(++i);
  } else if (c === PLUS) {
    sign = 1;
    c = t.charCodeAt(++i);
  }
  while (c === LF || c === CR) c = t.charCodeAt(++i);
  let divideBy = 0;
  if (c === DOT) {
    divideBy = 10;
    c = t.charCodeAt(++i);
  }
  if (!isDigit(c)) {
    // A point alone is 0 to pdf.js (and Acrobat); a sign without digits is an error.
    return divideBy === 10 && sign === 0 && (i >= t.length || WHITESPACE.has(c)) ? { value: 0, end: i } : undefined;
  }
  let base = c - 0x30;
  let power = 0;
  let powerSign = 1;
  let exponent = false;
  for (c = t.charCodeAt(++i); i < t.length; c = t.charCodeAt(++i)) {
    if (isDigit(c)) {
      if (exponent) power = power * 10 + c - 0x30;
      else {
        if (divideBy !== 0) divideBy *= 10;
        base = base * 10 + c - 0x30;
      }
    } else if (c === DOT) {
      if (divideBy !== 0) break;
      divideBy = 1;
    } else if (c === MINUS) {
      continue;
    } else if (c === 0x45 || c === 0x65) {
      // `e` or `E`: an exponent if a sign or digit follows, else the start of a keyword.
      const next = t.charCodeAt(i + 1);
      if (next === PLUS || next === MINUS) {
        powerSign = next === MINUS ? -1 : 1;
        i++;
      } else if (!isDigit(next)) break;
      exponent = true;
    } else break;
  }
  if (divideBy !== 0) base /= divideBy;
  if (!exponent) return { value: (sign || 1) * base, end: i };
  return { value: (sign || 1) * base * Math.pow(10, powerSign * power), end: i, exponent: true };
}

const NAME = /\/([^\x00\t\n\f\r ()<>[\]{}/%]{0,127})/g;

/** Every name in `text` (decoded, without the slash), with the index of its slash. */
export function* namesIn(text: string): Generator<{ name: string; at: number }> {
  NAME.lastIndex = 0;
  for (let m = NAME.exec(text); m; m = NAME.exec(text)) yield { name: decodeName(m[1] ?? ''), at: m.index };
}

/**
 * A cursor over PDF syntax in `text`; `parse` reads one value, `pos` is where it stopped. Every
 * step moves forward, so a parse is linear in what it reads, whatever the input. `malformed` says
 * why a value read was not well-formed PDF (a key that is not a name, a dictionary cut by a
 * keyword or by the end of the text, nesting past MAX_DEPTH): readers recover from those each
 * their own way, so what they would read there cannot be known.
 */
export class Syntax {
  pos: number;
  malformed: string | undefined;

  constructor(
    private readonly text: string,
    from = 0,
  ) {
    this.pos = from;
  }

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (WHITESPACE.has(c)) this.pos++;
      else if (c === 0x25) {
        // % comment, to the end of the line
        while (this.pos < t.length && t[this.pos] !== '\n' && t[this.pos] !== '\r') this.pos++;
      } else return;
    }
  }

  /** The next regular-character token (a number or keyword), without consuming it. */
  peekWord(): string {
    this.skipSpace();
    let end = this.pos;
    while (end < this.text.length && isRegular(this.text.charCodeAt(end))) end++;
    return this.text.slice(this.pos, end);
  }

  parse(depth = 0): PdfValue {
    this.skipSpace();
    const t = this.text;
    if (this.pos >= t.length) return OTHER;
    if (depth > MAX_DEPTH) {
      this.malformed ??= `values nested deeper than ${MAX_DEPTH}`;
      this.pos = t.length;
      return OTHER;
    }
    const c = t[this.pos];
    if (c === '/') {
      let end = this.pos + 1;
      while (end < t.length && isRegular(t.charCodeAt(end))) end++;
      const name = decodeName(t.slice(this.pos + 1, end));
      this.pos = end;
      return { kind: 'name', name };
    }
    if (c === '<' && t[this.pos + 1] === '<') return this.dict(depth);
    if (c === '>' && t[this.pos + 1] === '>') return STRAY; // a value missing: the dictionary ends here
    if (c === '<') {
      const end = t.indexOf('>', this.pos);
      const raw = t.slice(this.pos + 1, end === -1 ? t.length : end);
      this.pos = end === -1 ? t.length : end + 1;
      return { kind: 'string', raw, hex: true };
    }
    if (c === '(') {
      const start = this.pos;
      const closed = this.skipString();
      return { kind: 'string', raw: t.slice(start + 1, closed ? this.pos - 1 : this.pos), hex: false };
    }
    if (c === '[') {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.pos >= t.length || ENDS.has(this.peekWord())) {
          this.malformed ??= 'an array that does not end';
          break;
        }
        if (t[this.pos] === ']') {
          this.pos++;
          break;
        }
        const before = this.pos;
        items.push(this.parse(depth + 1));
        if (this.pos === before) this.pos++; // a stray delimiter: step over it
      }
      return { kind: 'array', items };
    }
    const number = startsNumber(t.charCodeAt(this.pos)) ? lexNumber(t, this.pos) : undefined;
    if (number !== undefined) {
      this.pos = number.end;
      // `n g R` is a reference whenever pdf.js reads both numbers as integers (Number.isInteger):
      // `+9 0 R`, `9.0 0 R`, `9 -0 R` are object 9, as a signed integer is one to the standard.
      // A negative object number is no object (pdf.js finds null); a negative generation is
      // kept, and meets the scan's check of generations against the entries.
      if (Number.isInteger(number.value) && number.value >= 0) {
        const save = this.pos;
        this.skipSpace();
        const gen = startsNumber(t.charCodeAt(this.pos)) ? lexNumber(t, this.pos) : undefined;
        if (gen !== undefined && Number.isInteger(gen.value)) {
          this.pos = gen.end;
          if (this.peekWord() === 'R') {
            this.pos += 1;
            const ref: PdfValue = { kind: 'ref', num: number.value + 0, gen: gen.value + 0 };
            return number.exponent || gen.exponent ? { ...ref, stray: true } : ref;
          }
        }
        this.pos = save;
      }
      return number.exponent
        ? { kind: 'number', value: number.value, stray: true }
        : { kind: 'number', value: number.value };
    }
    const word = this.peekWord();
    if (word === '') {
      this.pos++; // a stray `)`, `>`, `]`, `{` or `}`
      return STRAY;
    }
    // A keyword: true, false, null or any other is read; obj/endobj/stream are left for the caller.
    if (ENDS.has(word)) return OTHER;
    this.pos += word.length;
    if (word === 'false') return FALSE;
    return VALUE_KEYWORDS.has(word) ? OTHER : STRAY;
  }

  private dict(depth: number): PdfValue {
    const t = this.text;
    this.pos += 2;
    const entries = new Map<string, PdfValue>();
    let shadowed: Array<[string, PdfValue]> | undefined;
    for (;;) {
      this.skipSpace();
      if (this.pos >= t.length || ENDS.has(this.peekWord())) {
        this.malformed ??= 'a dictionary that does not end';
        break;
      }
      if (t[this.pos] === '>' && t[this.pos + 1] === '>') {
        this.pos += 2;
        break;
      }
      const before = this.pos;
      const key = this.parse(depth + 1);
      if (key.kind !== 'name') {
        this.malformed ??= 'a dictionary key that is not a name';
        if (this.pos === before) this.pos++;
        continue;
      }
      // pdf.js, MuPDF and PDFium keep the last value of a repeated key; the earlier ones are kept
      // aside, for a reader that keeps the first.
      const earlier = entries.get(key.name);
      if (earlier !== undefined) (shadowed ??= []).push([key.name, earlier]);
      entries.set(key.name, this.parse(depth + 1));
    }
    return shadowed ? { kind: 'dict', entries, shadowed } : { kind: 'dict', entries };
  }

  /** A literal string: balanced parentheses, backslash escapes. Whether its closing `)` was met. */
  private skipString(): boolean {
    const t = this.text;
    let depth = 0;
    while (this.pos < t.length) {
      const c = t[this.pos++];
      if (c === '\\') this.pos++;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return true;
    }
    this.pos = Math.min(this.pos, t.length);
    return false;
  }
}

/**
 * The first of `keys` a dictionary writes twice with another value, if any. pdf.js, MuPDF and
 * PDFium keep the last value; poppler, for a dictionary it has sorted, either: where the key
 * decides how the file is read (a stream's length or filters, a trailer's /Root), readers part.
 * The same value written twice (a careless writer's) reads alike everywhere.
 */
export function writtenTwice(value: PdfValue | undefined, keys: ReadonlySet<string>): string | undefined {
  if (value?.kind !== 'dict' || !value.shadowed) return undefined;
  const { entries } = value;
  return value.shadowed.find(([key, earlier]) => keys.has(key) && !sameValue(earlier, entries.get(key)))?.[0];
}

/** Two values that read alike: numbers, names and references by what they say (arrays item by item); dictionaries and strings never. */
function sameValue(a: PdfValue, b: PdfValue | undefined): boolean {
  if (b === undefined || a.kind !== b.kind) return false;
  if (a.kind === 'number' && b.kind === 'number') return a.value === b.value;
  if (a.kind === 'name' && b.kind === 'name') return a.name === b.name;
  if (a.kind === 'ref' && b.kind === 'ref') return a.num === b.num && a.gen === b.gen;
  if (a.kind === 'array' && b.kind === 'array')
    return a.items.length === b.items.length && a.items.every((item, i) => sameValue(item, b.items[i]));
  return false;
}

/** The entry `key` of a dictionary value, if it is one. */
export function entry(value: PdfValue | undefined, key: string): PdfValue | undefined {
  return value?.kind === 'dict' ? value.entries.get(key) : undefined;
}

export function nameOf(value: PdfValue | undefined): string | undefined {
  return value?.kind === 'name' ? value.name : undefined;
}

export function numberOf(value: PdfValue | undefined): number | undefined {
  return value?.kind === 'number' ? value.value : undefined;
}
