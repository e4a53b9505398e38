import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActiveFacts } from '../../../../shared/validation/pdf/active.ts';
import { readStretch } from '../../../../shared/validation/pdf/objects.ts';
import { Syntax } from '../../../../shared/validation/pdf/syntax.ts';

/** Objects read in order as a reader's lexer reads them (pdf/objects.ts), and what they act on (pdf/active.ts). */

const nums = (text: string) => readStretch(text).objects.map((o) => o.num);

describe('the objects of a stretch of syntax', () => {
  it('reads headers, values and where the stream keyword is', () => {
    const text = '1 0 obj\n<< /Type /Catalog >>\nendobj\n2 0 obj\n42\nendobj\n3 0 obj\n<< /Length 2 0 R >>\nstream\n';
    const stretch = readStretch(text);
    expect(stretch.objects.map((o) => [o.num, o.at, o.integer])).toEqual([
      [1, 0, false],
      [2, text.indexOf('2 0 obj'), true],
      [3, text.indexOf('3 0 obj'), false],
    ]);
    expect(stretch.streamAt).toBe(text.indexOf('stream\n'));
    expect(stretch.malformed).toBeUndefined();
  });

  it('takes no header or stream keyword inside a string or a comment', () => {
    expect(nums('1 0 obj\n<< /T (2 0 obj) /U (>>\nstream\n) >>\nendobj\n% 3 0 obj\n4 0 obj 5 endobj')).toEqual([1, 4]);
    expect(readStretch('1 0 obj\n<< /T (>>\nstream\n) >>\nendobj\n').streamAt).toBeUndefined();
  });

  it('steps over cross-reference tables and reads trailers as values', () => {
    const text =
      'xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 /ID [(7 0 obj)] >>\nstartxref\n9\n%%EOF\n';
    expect(nums(text)).toEqual([]);
  });

  it('says an object is malformed where readers recover each their own way', () => {
    expect(readStretch('1 0 obj\n<< /A 9 0 obj /B 1 >>\nendobj\n').malformed).toMatch(/not a name/);
    expect(readStretch('1 0 obj\n<< /A << >>\nstream\n').malformed).toMatch(/does not end/);
    expect(readStretch(`1 0 obj\n${'['.repeat(100)}`).malformed).toMatch(/nested deeper/);
  });

  it('reads a run of letters, or nesting a million deep, in one pass', () => {
    expect(new Syntax(`<< ${'a'.repeat(1_000_000)} >>`).parse().kind).toBe('dict');
    const deep = new Syntax(`${'[<< /A '.repeat(1_000_000)}`);
    deep.parse();
    expect(deep.malformed).toMatch(/nested deeper/);
    expect(readStretch(`1 0 obj\n<< ${'x'.repeat(1_000_000)} /K 1 >>\nendobj\n`).malformed).toMatch(/not a name/);
  });

  it('reads any text of PDF tokens to its end, and a stream keyword it reports is one', () => {
    const token = fc.constantFrom(
      '1',
      '0',
      ' ',
      '\n',
      'obj',
      'endobj',
      'stream',
      '<<',
      '>>',
      '[',
      ']',
      '(',
      ')',
      '\\',
      '<',
      '>',
      '%',
      '/A',
      'R',
      'xref',
      'trailer',
      '#',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 200 }), (tokens) => {
        const text = tokens.join('');
        const stretch = readStretch(text);
        if (stretch.streamAt !== undefined) expect(text.startsWith('stream', stretch.streamAt)).toBe(true);
        for (const o of stretch.objects) expect(text.slice(o.at)).toMatch(/^\d+[\s%]/);
      }),
      { numRuns: 2000 },
    );
  });

  it('does not judge junk between objects, which no reader reads', () => {
    const stretch = readStretch('1 0 obj 5 endobj\n) ] >> garbage [ 2 0 obj << /A 1 >> endobj');
    expect(stretch.objects.map((o) => o.num)).toEqual([1]);
    expect(stretch.malformed).toBeUndefined();
  });
});

describe('opening actions, every definition counted', () => {
  const facts = (objects: Array<[number, string]>) => {
    const f = new ActiveFacts();
    for (const [num, text] of objects) f.addObject(num, new Syntax(text).parse());
    return f.unaskedActions();
  };

  it('refuses an object whose first definition acts, whichever the table names', () => {
    const catalog: [number, string] = [1, '<< /Type /Catalog /OpenAction 6 0 R >>'];
    expect(facts([catalog, [6, '<< /S /URI /URI (x) >>'], [6, '<< /S /GoTo /D [3 0 R /Fit] >>']])).toEqual([
      '/OpenAction /URI',
    ]);
    expect(facts([catalog, [6, '<< /S /GoTo /D [3 0 R /Fit] >>'], [6, '<< /S /GoTo /D [3 0 R /FitH 0] >>']])).toEqual(
      [],
    );
  });

  it('follows an object that is a reference, and refuses an /S that is not a name', () => {
    expect(
      facts([
        [1, '<< /OpenAction 6 0 R >>'],
        [6, '7 0 R'],
        [7, '<< /S /Launch /F (x) >>'],
      ]),
    ).toEqual(['/OpenAction /Launch']);
    expect(
      facts([
        [1, '<< /OpenAction << /S 7 0 R /URI (x) >> >>'],
        [7, '/URI'],
      ]),
    ).toEqual(['/OpenAction /S (not a name)']);
    expect(
      facts([
        [1, '<< /OpenAction 6 0 R >>'],
        [6, '7 0 R'],
        [7, '6 0 R'],
      ]),
    ).toEqual([]);
  });

  it('names 3D models and their scripts as scripts, and external stream data as an action', () => {
    const f = new ActiveFacts();
    f.scanNames('<< /Subtype /3D /3DD 7 0 R >>');
    expect(f.found.get('script')).toBe('3DD');
    const g = new ActiveFacts();
    g.scanNames('<< /Type /3D /On#49nstantiate 8 0 R >>');
    expect(g.found.get('script')).toBe('OnInstantiate');
    g.externalStream();
    expect(g.found.get('action')).toBe('F (external stream data)');
  });
});
