import { type PdfValue, Syntax } from './syntax.ts';

/**
 * The objects of a stretch of a PDF's own syntax (from the file's start or an `endstream` to the
 * next stream's data), read in order as a reader's lexer reads them: `N G obj`, its value, then
 * `endobj` or `stream`. Strings, comments and values are read whole, so an `N G obj` or a
 * `stream` inside a string, a comment or another object's value is not taken for one — a search
 * for those words would take it, and let a string hide the rest of its object from the scan
 * while a reader reads on. Cross-reference tables are stepped over (./xref.ts reads them).
 */

export interface PdfObject {
  num: number;
  gen: number;
  /** Index in the text of the object's header. */
  at: number;
  value: PdfValue;
  /** The value is a whole integer followed by `endobj` (what an indirect /Length refers to). */
  integer: boolean;
}

export interface Stretch {
  objects: PdfObject[];
  /** Index of the `stream` keyword that follows the last object's value, if one does. */
  streamAt: number | undefined;
  /** Why an object's value is not well-formed (see Syntax): what readers make of it differs. */
  malformed: string | undefined;
}

interface Integer {
  value: number;
  at: number;
}

/** The objects of `text` up to its end or the first object's `stream` keyword. */
export function readStretch(text: string): Stretch {
  const s = new Syntax(text);
  const objects: PdfObject[] = [];
  // The two integers read last at the top level, the candidates for an `N G` before `obj`.
  let older: Integer | undefined;
  let newer: Integer | undefined;
  for (;;) {
    s.skipSpace();
    if (s.pos >= text.length) break;
    const at = s.pos;
    const word = s.peekWord();
    if (word === 'obj') {
      s.pos += word.length;
      if (!older || !newer) continue; // a stray `obj`: no object starts here
      const value = s.parse();
      if (s.malformed) return { objects, streamAt: undefined, malformed: s.malformed };
      const next = s.peekWord();
      objects.push({
        num: older.value,
        gen: newer.value,
        at: older.at,
        value,
        integer: value.kind === 'number' && next === 'endobj',
      });
      older = newer = undefined;
      if (next === 'stream') return { objects, streamAt: s.pos, malformed: undefined };
      continue;
    }
    if (word === 'xref') {
      const trailer = text.indexOf('trailer', at);
      s.pos = trailer === -1 ? text.length : trailer;
      older = newer = undefined;
      continue;
    }
    if (word === 'endobj' || word === 'endstream' || word === 'stream') {
      s.pos += word.length;
      older = newer = undefined;
      continue;
    }
    const value = s.parse();
    if (s.pos === at) s.pos++; // a stray delimiter
    // Junk between objects is no object's value: its form does not matter, only where it ends.
    s.malformed = undefined;
    const integer = value.kind === 'number' && DIGITS.test(text.slice(at, s.pos)) ? value.value : undefined;
    older = integer === undefined ? undefined : newer;
    newer = integer === undefined ? undefined : { value: integer, at };
  }
  return { objects, streamAt: undefined, malformed: undefined };
}

const DIGITS = /^\d{1,10}$/;
