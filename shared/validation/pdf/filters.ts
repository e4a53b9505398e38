/* eslint-disable no-control-regex -- PDF whitespace includes NUL (0x00), written \x00 in these patterns */
import { constants, inflateSync } from 'node:zlib';
import { entry, nameOf, numberOf, type PdfValue } from './syntax.ts';

/**
 * The standard PDF stream filters, for the streams that can hold objects (object streams and
 * cross-reference streams): FlateDecode and LZWDecode (with PNG and TIFF predictors),
 * ASCIIHexDecode, ASCII85Decode, RunLengthDecode, and the identity Crypt filter, each also under
 * its abbreviated name. Image filters (DCT, JPX, JBIG2, CCITTFax) cannot carry objects, and any
 * other filter cannot be read: both are an error here, and the caller refuses the file.
 *
 * Every stage's output is bounded by `budget` bytes (a decompression bomb stops there).
 */

export class DecodeError extends Error {}

const FILTER_ALIASES: Readonly<Record<string, string>> = {
  AHx: 'ASCIIHexDecode',
  A85: 'ASCII85Decode',
  LZW: 'LZWDecode',
  Fl: 'FlateDecode',
  RL: 'RunLengthDecode',
};

const asList = (value: PdfValue | undefined): (PdfValue | undefined)[] =>
  value === undefined ? [] : value.kind === 'array' ? value.items : [value];

/** Decodes `data` through the stream dictionary's /Filter chain; at most `budget` bytes out. */
export function decodeStream(data: Buffer, dict: PdfValue, budget: number): Buffer {
  const filter = entry(dict, 'Filter') ?? entry(dict, 'F');
  const filters = asList(filter);
  const parms = parametersFor(filter, dict);
  let out = data;
  filters.forEach((filter, i) => {
    const raw = nameOf(filter);
    if (raw === undefined) throw new DecodeError('a filter that is not a name');
    const name = FILTER_ALIASES[raw] ?? raw;
    out = decodeOne(name, out, directParameters(parms[i]), budget);
    if (out.length > budget) throw new DecodeError('decoded data over the limit');
  });
  return out;
}

/**
 * The filter parameters, one per filter, in the shape pdf.js and MuPDF take them: a dictionary
 * for a single filter, an array for an array of filters. Readers part on the other shapes (one
 * filter under an array of parameters: older pdf.js takes the first, newer pdf.js none; an array
 * of filters under one dictionary: both pdf.js and MuPDF none, where the scan applied it to the
 * first filter — its predictor applied by the scan alone), and on a stream that writes both
 * /DecodeParms and /DP (newer pdf.js takes /DP first, older pdf.js and the scan /DecodeParms):
 * each is refused.
 */
function parametersFor(filter: PdfValue | undefined, dict: PdfValue): (PdfValue | undefined)[] {
  const full = entry(dict, 'DecodeParms');
  const short = entry(dict, 'DP');
  if (full !== undefined && short !== undefined) throw new DecodeError('both /DecodeParms and /DP');
  const parms = full ?? short;
  if (parms === undefined || parms.kind === 'other') return []; // none, or `null`
  if ((filter?.kind === 'array') !== (parms.kind === 'array')) {
    // Empty parameters change nothing, however written.
    if (
      asList(parms).every((p) => p === undefined || p.kind === 'other' || (p.kind === 'dict' && p.entries.size === 0))
    )
      return [];
    throw new DecodeError('filter parameters in another shape than the filters');
  }
  return asList(parms);
}

/**
 * A filter's parameters, which must be written in place: a reader resolves a reference
 * (`/DecodeParms 9 0 R`, `/Predictor 9 0 R`) that the scan does not follow, and a predictor the
 * scan did not apply leaves the object stream read otherwise than the reader reads it (a PNG row
 * tag byte, a NUL, inside `/JavaScript`).
 */
function directParameters(parms: PdfValue | undefined): PdfValue | undefined {
  if (parms === undefined || parms.kind === 'other') return undefined; // none, or `null`
  if (parms.kind === 'ref') throw new DecodeError('filter parameters given by reference');
  if (parms.kind !== 'dict') throw new DecodeError('filter parameters that are not a dictionary');
  for (const value of parms.entries.values())
    if (value.kind === 'ref') throw new DecodeError('filter parameters given by reference');
  return parms;
}

function decodeOne(name: string, data: Buffer, parms: PdfValue | undefined, budget: number): Buffer {
  switch (name) {
    case 'FlateDecode':
      return predict(inflate(data, budget), parms);
    case 'LZWDecode': {
      // pdf.js computes code widths from whatever /EarlyChange holds; the two values it is meant to hold are read.
      const earlyChange = numberOf(entry(parms, 'EarlyChange')) ?? (entry(parms, 'EarlyChange') ? -1 : 1);
      if (earlyChange !== 0 && earlyChange !== 1) throw new DecodeError('LZWDecode: an /EarlyChange other than 0 or 1');
      return predict(lzw(data, earlyChange, budget), parms);
    }
    case 'ASCIIHexDecode':
      return asciiHex(data);
    case 'ASCII85Decode':
      return ascii85(data);
    case 'RunLengthDecode':
      return runLength(data, budget);
    case 'Crypt': {
      const handler = nameOf(entry(parms, 'Name'));
      if (handler === undefined || handler === 'Identity') return data;
      throw new DecodeError(`encrypted stream (${handler})`);
    }
    default:
      throw new DecodeError(`filter ${name}`);
  }
}

function inflate(data: Buffer, budget: number): Buffer {
  try {
    // Readers accept a deflate stream that is cut short; so does this (sync flush at the end).
    return inflateSync(data, { maxOutputLength: Math.max(1, budget), finishFlush: constants.Z_SYNC_FLUSH });
  } catch (error) {
    throw new DecodeError(`FlateDecode: ${(error as Error).message}`);
  }
}

function asciiHex(data: Buffer): Buffer {
  const text = data.toString('latin1');
  const end = text.indexOf('>');
  const digits = (end === -1 ? text : text.slice(0, end)).replace(/[\x00\t\n\f\r ]/g, '');
  if (/[^0-9A-Fa-f]/.test(digits)) throw new DecodeError('ASCIIHexDecode: not a hex digit');
  return Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex');
}

/**
 * The bytes ASCII85 readers agree to skip: pdf.js skips only these four and counts any other
 * byte as a digit (NUL as -33), while MuPDF skips NUL and form feed too and refuses the other
 * controls. A control byte the scan skipped shifted every group after it for pdf.js: a packed
 * `/JavaScript` pdf.js read was noise to the scan. Any other byte outside `!`–`u` is refused.
 */
const ASCII85_SKIPPED: ReadonlySet<number> = new Set([0x09, 0x0a, 0x0d, 0x20]);

function ascii85(data: Buffer): Buffer {
  const out: number[] = [];
  let group: number[] = [];
  const flush = (count: number) => {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 85 + (group[i] ?? 84);
    const bytes = [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
    out.push(...bytes.slice(0, count));
    group = [];
  };
  for (let i = 0; i < data.length; i++) {
    const c = data[i] as number;
    if (c === 0x7e) break; // ~> ends the data
    if (ASCII85_SKIPPED.has(c)) continue;
    if (c === 0x7a && group.length === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    if (c < 0x21 || c > 0x75) throw new DecodeError('ASCII85Decode: a byte out of range');
    group.push(c - 0x21);
    if (group.length === 5) flush(4);
  }
  if (group.length === 1) throw new DecodeError('ASCII85Decode: a lone final character');
  if (group.length > 1) flush(group.length - 1);
  return Buffer.from(out);
}

function runLength(data: Buffer, budget: number): Buffer {
  const out: Buffer[] = [];
  let size = 0;
  for (let i = 0; i < data.length;) {
    const n = data[i++] as number;
    if (n === 128) break;
    const piece = n < 128 ? data.subarray(i, i + n + 1) : Buffer.alloc(257 - n, data[i] ?? 0);
    i += n < 128 ? n + 1 : 1;
    out.push(piece);
    size += piece.length;
    if (size > budget) throw new DecodeError('RunLengthDecode: decoded data over the limit');
  }
  return Buffer.concat(out);
}

function lzw(data: Buffer, earlyChange: number, budget: number): Buffer {
  const out: Buffer[] = [];
  let size = 0;
  let table: Buffer[] = [];
  const reset = () => {
    table = Array.from({ length: 258 }, (_, i) => Buffer.from([i]));
  };
  reset();
  let width = 9;
  let previous: Buffer | undefined;
  let bits = 0;
  let value = 0;
  for (let i = 0; i < data.length; i++) {
    value = ((value << 8) | (data[i] as number)) & 0xffffff;
    bits += 8;
    while (bits >= width) {
      const code = (value >>> (bits - width)) & ((1 << width) - 1);
      bits -= width;
      if (code === 256) {
        reset();
        width = 9;
        previous = undefined;
        continue;
      }
      if (code === 257) return Buffer.concat(out);
      let piece: Buffer;
      if (code < table.length) piece = table[code] as Buffer;
      else if (code === table.length && previous) piece = Buffer.concat([previous, previous.subarray(0, 1)]);
      else throw new DecodeError('LZWDecode: a code out of range');
      if (previous) table.push(Buffer.concat([previous, piece.subarray(0, 1)]));
      previous = piece;
      out.push(piece);
      size += piece.length;
      if (size > budget) throw new DecodeError('LZWDecode: decoded data over the limit');
      const next = table.length + earlyChange;
      width = next >= 2048 ? 12 : next >= 1024 ? 11 : next >= 512 ? 10 : 9;
    }
  }
  return Buffer.concat(out);
}

/** A predictor parameter, written as a whole number; `fallback` when absent. */
function predictorParameter(parms: PdfValue | undefined, key: string, fallback: number): number {
  const value = entry(parms, key);
  if (value === undefined) return fallback;
  const n = numberOf(value);
  if (n === undefined || !Number.isInteger(n)) throw new DecodeError(`predictor: /${key} is not a whole number`);
  return n;
}

/**
 * PNG (10–15) and TIFF (2) predictors of FlateDecode and LZWDecode, as pdf.js applies them.
 * What readers apply otherwise is refused: another predictor number (pdf.js refuses it, MuPDF
 * reads the data unpredicted), a /BPC (pdf.js takes it before /BitsPerComponent, the others
 * ignore it: rows of another length, and every row's tag byte lands elsewhere). A last row cut
 * short is decoded, its missing bytes 0, as pdf.js decodes it: the scan once dropped it, and an
 * object packed there was read by pdf.js and never by the scan.
 */
function predict(data: Buffer, parms: PdfValue | undefined): Buffer {
  const predictor = predictorParameter(parms, 'Predictor', 1);
  if (predictor <= 1) return data;
  if (predictor !== 2 && (predictor < 10 || predictor > 15))
    throw new DecodeError(`predictor ${predictor}, which readers apply differently`);
  if (entry(parms, 'BPC') !== undefined) throw new DecodeError('predictor: a /BPC, which readers read differently');
  const colors = predictorParameter(parms, 'Colors', 1);
  const bpc = predictorParameter(parms, 'BitsPerComponent', 8);
  const columns = predictorParameter(parms, 'Columns', 1);
  const pixel = Math.max(1, Math.ceil((colors * bpc) / 8));
  const row = Math.ceil((colors * bpc * columns) / 8);
  if (!(row > 0 && row < 1 << 24)) throw new DecodeError('predictor: bad row size');
  if (predictor === 2) {
    if (bpc !== 8) throw new DecodeError('TIFF predictor with other than 8 bits per component');
    const out = Buffer.alloc(Math.ceil(data.length / row) * row);
    data.copy(out);
    for (let start = 0; start < out.length; start += row) {
      for (let i = start + pixel; i < start + row; i++) {
        // A byte past the data is 0, as pdf.js makes it.
        out[i] = i < data.length ? ((out[i] as number) + (out[i - pixel] as number)) & 0xff : 0;
      }
    }
    return out;
  }
  // A row of only its tag byte is no row to pdf.js; one cut shorter is a row.
  const rows = Math.floor(data.length / (row + 1)) + (data.length % (row + 1) > 1 ? 1 : 0);
  const out = Buffer.alloc(rows * row);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (row + 1)] as number;
    const src = r * (row + 1) + 1;
    const dst = r * row;
    const end = Math.min(row, data.length - src);
    for (let i = 0; i < end; i++) {
      const raw = data[src + i] as number;
      const left = i >= pixel ? (out[dst + i - pixel] as number) : 0;
      const up = r > 0 ? (out[dst - row + i] as number) : 0;
      const upLeft = r > 0 && i >= pixel ? (out[dst - row + i - pixel] as number) : 0;
      let value: number;
      switch (type) {
        case 0:
          value = raw;
          break;
        case 1:
          value = raw + left;
          break;
        case 2:
          value = raw + up;
          break;
        case 3:
          value = raw + ((left + up) >> 1);
          break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          throw new DecodeError(`PNG predictor: row filter ${type}`);
      }
      out[dst + i] = value & 0xff;
    }
  }
  return out;
}
