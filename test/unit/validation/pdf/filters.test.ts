import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DecodeError, decodeStream } from '../../../../shared/validation/pdf/filters.ts';
import { Syntax } from '../../../../shared/validation/pdf/syntax.ts';

/** The standard filters of shared/validation/pdf/filters.ts, each decoding and each refusing. */

const dict = (text: string) => new Syntax(text).parse();
const decode = (data: Buffer | string, filters: string, budget = 1 << 20) =>
  decodeStream(Buffer.from(data as string, 'latin1'), dict(`<< ${filters} >>`), budget).toString('latin1');

describe('stream filters', () => {
  it('passes data without filters through', () => {
    expect(decode('plain', '')).toBe('plain');
  });

  it('decodes ASCIIHex (whitespace, an odd last digit) and refuses other characters', () => {
    expect(decode('48 65 6c6C 6\n>', '/Filter /ASCIIHexDecode')).toBe('Hell`');
    expect(() => decode('4G>', '/Filter /AHx')).toThrow(DecodeError);
  });

  it('decodes ASCII85 (z groups, a short last group) and refuses bad input', () => {
    expect(decode('87cURD]i,"Ebo80~>', '/Filter /ASCII85Decode')).toBe('Hello World!');
    expect(decode('z~>', '/Filter /A85')).toBe('\0\0\0\0');
    expect(() => decode('87cU{~>', '/Filter /A85')).toThrow(DecodeError);
    expect(decode('87cURD]~>', '/Filter /A85')).toBe('Hello');
    expect(() => decode('8~>', '/Filter /A85')).toThrow(/lone final/);
  });

  it('decodes RunLength (literal and repeated runs) within the budget', () => {
    expect(decode(Buffer.from([2, 0x61, 0x62, 0x63, 254, 0x7a, 128]), '/Filter /RunLengthDecode')).toBe('abczzz');
    expect(() => decode(Buffer.from([129, 0x7a, 129, 0x7a]), '/Filter /RL', 100)).toThrow(/over the limit/);
  });

  it('decodes LZW (with and without early change) and refuses codes out of range', () => {
    // "-----A---B" from the PDF reference's LZW example, EarlyChange 1.
    const example = Buffer.from([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01]);
    expect(decode(example, '/Filter /LZWDecode')).toBe('-----A---B');
    expect(decode(example, '/Filter /LZW /DecodeParms << /EarlyChange 0 >>')).toBe('-----A---B');
    // A clear code, then code 300 before the table has it.
    expect(() => decode(Buffer.from([0x80, 0x4b, 0x00]), '/Filter /LZWDecode')).toThrow(/out of range/);
    expect(() => decode(example, '/Filter /LZWDecode', 3)).toThrow(/over the limit/);
  });

  it('applies PNG predictors (None, Sub, Up, Average, Paeth) and the TIFF predictor', () => {
    const rows = Buffer.from([0, 10, 20, 30, 1, 5, 5, 5, 2, 1, 1, 1, 3, 0, 0, 0, 4, 1, 1, 1]);
    const png = decode(deflateSync(rows), '/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 3 >>');
    expect([...Buffer.from(png, 'latin1')]).toEqual([10, 20, 30, 5, 10, 15, 6, 11, 16, 3, 7, 11, 4, 8, 12]);
    const tiff = decode(deflateSync(Buffer.from([1, 1, 1, 5, 1, 1])), '/F /Fl /DP << /Predictor 2 /Columns 3 >>');
    expect([...Buffer.from(tiff, 'latin1')]).toEqual([1, 2, 3, 5, 6, 7]);
    expect(() =>
      decode(
        deflateSync(Buffer.from([9, 0, 0, 0])),
        '/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 3 >>',
      ),
    ).toThrow(/row filter/);
    expect(() =>
      decode(deflateSync(Buffer.from([1])), '/Filter /FlateDecode /DecodeParms << /Predictor 2 /BitsPerComponent 4 >>'),
    ).toThrow(/TIFF/);
    expect(() =>
      decode(deflateSync(Buffer.from([1])), '/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 0 >>'),
    ).toThrow(/row size/);
  });

  it('chains filters in order, abbreviated or not', () => {
    const hex = `${deflateSync(Buffer.from('chained')).toString('hex')}>`;
    expect(decode(hex, '/Filter [/AHx /Fl]')).toBe('chained');
  });

  it('accepts the identity Crypt filter only', () => {
    expect(decode('x', '/Filter /Crypt')).toBe('x');
    expect(decode('x', '/Filter /Crypt /DecodeParms << /Name /Identity >>')).toBe('x');
    expect(() => decode('x', '/Filter /Crypt /DecodeParms << /Name /StdCF >>')).toThrow(/encrypted/);
  });

  it('refuses image filters, unknown filters, filters that are not names, corrupt and oversized Flate', () => {
    expect(() => decode('x', '/Filter /DCTDecode')).toThrow(/DCTDecode/);
    expect(() => decode('x', '/Filter /Rot13Decode')).toThrow(DecodeError);
    expect(() => decode('x', '/Filter 5 0 R')).toThrow(/not a name/);
    expect(() => decode('not deflate', '/Filter /FlateDecode')).toThrow(/FlateDecode/);
    expect(() => decode(deflateSync(Buffer.alloc(4096)), '/Filter /FlateDecode', 100)).toThrow(DecodeError);
  });

  it('refuses filter parameters given by reference, which a reader resolves and the scan does not', () => {
    const rows = deflateSync(Buffer.from('\0abcd\0efgh', 'latin1'));
    const direct = '/Filter /FlateDecode /DecodeParms << /Predictor 10 /Columns 4 >>';
    expect(decode(rows, direct)).toBe('abcdefgh');
    expect(() => decode(rows, '/Filter /FlateDecode /DecodeParms 9 0 R')).toThrow(/by reference/);
    expect(() => decode(rows, '/Filter [/FlateDecode] /DP [9 0 R]')).toThrow(/by reference/);
    expect(() => decode(rows, '/Filter /FlateDecode /DecodeParms << /Predictor 9 0 R /Columns 4 >>')).toThrow(
      /by reference/,
    );
    expect(() => decode(rows, '/Filter /FlateDecode /DecodeParms << /Predictor 10 /Columns 9 0 R >>')).toThrow(
      /by reference/,
    );
    expect(() => decode(rows, '/Filter /FlateDecode /DecodeParms /Columns')).toThrow(/not a dictionary/);
    // `null` stands for no parameters, as in a chain where only a later filter has some.
    expect(decode(rows, '/Filter [/FlateDecode] /DecodeParms [null]')).toBe('\0abcd\0efgh');
  });

  it('skips in ASCII85 only the whitespace every reader skips, and refuses other control bytes', () => {
    expect(decode('87cUR\tD]i,"\r\nEbo80 ~>', '/Filter /A85')).toBe('Hello World!');
    // pdf.js counts a NUL, a form feed or an escape as a digit (below `!`), MuPDF skips NUL and FF: readers part.
    for (const control of ['\0', '\f', '\x1b'])
      expect(() => decode(`87cU${control}RD]~>`, '/Filter /A85'), JSON.stringify(control)).toThrow(/out of range/);
  });

  it('decodes a PNG-predicted last row cut short as pdf.js does (its missing bytes 0), and a TIFF one', () => {
    const parms = '/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >>';
    expect([...Buffer.from(decode(deflateSync(Buffer.from([0, 1, 2, 3, 4, 2, 5])), parms), 'latin1')]).toEqual([
      1, 2, 3, 4, 6, 0, 0, 0,
    ]);
    // A lone tag byte is no row.
    expect(decode(deflateSync(Buffer.from([0, 0x61, 0x62, 0x63, 0x64, 0])), parms)).toBe('abcd');
    const tiff = '/Filter /FlateDecode /DecodeParms << /Predictor 2 /Columns 3 >>';
    expect([...Buffer.from(decode(deflateSync(Buffer.from([1, 1, 1, 5])), tiff), 'latin1')]).toEqual([
      1, 2, 3, 5, 0, 0,
    ]);
  });

  it('refuses predictor parameters readers apply differently: /BPC, another predictor, a part number', () => {
    const rows = deflateSync(Buffer.from('\0abcd\0efgh', 'latin1'));
    expect(() => decode(rows, '/Filter /Fl /DecodeParms << /Predictor 10 /Columns 4 /BPC 8 >>')).toThrow(/BPC/);
    for (const predictor of ['5', '9', '16', '11.5'])
      expect(() => decode(rows, `/Filter /Fl /DecodeParms << /Predictor ${predictor} /Columns 4 >>`)).toThrow(
        /predictor/,
      );
    expect(() => decode(rows, '/Filter /Fl /DecodeParms << /Predictor 10 /Columns 4.5 >>')).toThrow(/whole number/);
    expect(decode(rows, '/Filter /Fl /DecodeParms << /Predictor 1 /BPC 16 >>')).toBe('\0abcd\0efgh');
  });

  it('refuses filter parameters in another shape than the filters, or written under both names', () => {
    const rows = deflateSync(Buffer.from('\0abcd\0efgh', 'latin1'));
    const predictor = '<< /Predictor 10 /Columns 4 >>';
    expect(decode(rows, `/Filter [/FlateDecode] /DecodeParms [${predictor}]`)).toBe('abcdefgh');
    // pdf.js and MuPDF apply none of these parameters; the scan applied them to the first filter.
    expect(() => decode(rows, `/Filter [/FlateDecode] /DecodeParms ${predictor}`)).toThrow(/shape/);
    // Older pdf.js takes the first, newer pdf.js none.
    expect(() => decode(rows, `/Filter /FlateDecode /DecodeParms [${predictor}]`)).toThrow(/shape/);
    // Newer pdf.js reads /DP first, older pdf.js /DecodeParms.
    expect(() => decode(rows, `/Filter /FlateDecode /DecodeParms ${predictor} /DP << >>`)).toThrow(/DP/);
    // Empty parameters change nothing, whatever their shape.
    expect(decode(rows, '/Filter /FlateDecode /DecodeParms [<< >> null]')).toBe('\0abcd\0efgh');
    expect(decode(rows, '/Filter [/FlateDecode] /DP << >>')).toBe('\0abcd\0efgh');
  });

  it('refuses an LZW /EarlyChange other than 0 or 1', () => {
    const example = Buffer.from([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01]);
    for (const value of ['2', '-1', '/Yes'])
      expect(() => decode(example, `/Filter /LZWDecode /DecodeParms << /EarlyChange ${value} >>`)).toThrow(
        /EarlyChange/,
      );
  });
});
