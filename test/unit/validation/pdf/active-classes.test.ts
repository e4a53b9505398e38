import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeName } from '../../../../shared/validation/pdf/syntax.ts';
import {
  buildClassicPdf,
  buildPdf,
  directRootPdf,
  escapeNames,
  incrementalUpdate,
  linkAnnotations,
  ascii85ControlBytePdf,
  predictorBpcPdf,
  predictorShapePdf,
  predictorShortRowPdf,
  prevWrittenTwicePdf,
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

describe('remote and indirect actions, class by class', () => {
  const annotated = (annot: string, more: PdfObj[] = []) =>
    buildPdf([
      ...pageObjects('', '/Annots [6 0 R]'),
      { num: 6, body: `<< /Type /Annot ${annot} /Rect [0 0 9 9] >>` },
      ...more,
    ]);

  it.each([
    ['/GoToR into a share', linkAnnotations(`<< /S /GoToR /F ${UNC} /D [0 /Fit] >>`), 'PDF_ACTION'],
    [
      '/GoToR by a /UF',
      linkAnnotations(`<< /S /GoToR /F << /Type /Filespec /F (a.pdf) /UF ${UNC} >> >>`),
      'PDF_ACTION',
    ],
    [
      '/GoToR by an smb: URL specification',
      linkAnnotations('<< /S /GoToR /F << /FS /URL /F (smb://h/s/x.pdf) >> >>'),
      'PDF_ACTION',
    ],
    [
      '/GoToR by an ms-msdt: URL specification',
      linkAnnotations('<< /S /GoToR /F << /FS /URL /F (ms-msdt:/id x) >> >>'),
      'PDF_ACTION',
    ],
    [
      '/GoToE from a URL',
      linkAnnotations('<< /S /GoToE /F (http://attacker.example/x.pdf) /T << /R /C /N (a) >> >>'),
      'PDF_ACTION',
    ],
    ['/Thread into a share', linkAnnotations(`<< /S /Thread /F ${UNC} /D 0 >>`), 'PDF_ACTION'],
    [
      '/Launch with a /Win dictionary',
      linkAnnotations('<< /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>'),
      'PDF_SCRIPT',
    ],
    ['/Launch with /Mac and /Unix', linkAnnotations('<< /S /Launch /Mac (x.app) /Unix (xterm) >>'), 'PDF_SCRIPT'],
    [
      '/URI relative to a /Base that is a share',
      [
        { num: 1, body: `<< /Type /Catalog /Pages 2 0 R /URI << /Base ${UNC} >> >>` },
        ...linkAnnotations('<< /S /URI /URI (x.pdf) >>').slice(1),
      ],
      'PDF_ACTION',
    ],
    [
      '/URI relative to a /Base by reference',
      [
        { num: 1, body: '<< /Type /Catalog /Pages 2 0 R /URI 9 0 R >>' },
        ...linkAnnotations('<< /S /URI /URI (x.pdf) >>').slice(1),
        { num: 9, body: '<< /Base (file://attacker.example/share/) >>' },
      ],
      'PDF_ACTION',
    ],
    // A portfolio's navigator is a Flash program Acrobat 9 and X run to show it.
    ['a portfolio navigator', pageObjects('/Collection << /View /C /Navigator << /Layout /Tile >> >>'), 'PDF_SCRIPT'],
  ])('refuses %s', async (_, objects, code) => {
    expect(codes(await inspect(buildPdf(objects), 'pdf'))).toEqual([code]);
  });

  it('refuses 3D and rich media annotations (a 3D stream carries JavaScript), and media that plays', async () => {
    const model: PdfObj = { num: 7, body: '/Type /3D /Subtype /U3D', stream: Buffer.from('U3D\0') };
    expect(codes(await inspect(annotated('/Subtype /3D /3DD 7 0 R', [model]), 'pdf'))).toEqual(['PDF_SCRIPT']);
    expect(codes(await inspect(annotated('/Subtype /RichMedia'), 'pdf'))).toEqual(['PDF_SCRIPT']);
    expect(codes(await inspect(annotated(`/Subtype /Movie /Movie << /F ${UNC} >>`), 'pdf'))).toEqual(['PDF_ACTION']);
    expect(codes(await inspect(annotated(`/Subtype /Screen /A << /S /Rendition /OP 0 >>`), 'pdf'))).toEqual([
      'PDF_ACTION',
    ]);
  });

  it('refuses a portfolio’s files as attachments', async () => {
    const pdf = buildPdf([
      ...pageObjects('/Collection << /View /D >> /Names << /EmbeddedFiles << /Names [(a.pdf) 6 0 R] >> >>'),
      { num: 6, body: '<< /Type /Filespec /F (a.pdf) /EF << /F 7 0 R >> >>' },
      { num: 7, body: '/Type /EmbeddedFile', stream: Buffer.from('%PDF-1.7\n') },
    ]);
    expect(codes(await inspect(pdf, 'pdf'))).toEqual(['PDF_ATTACHMENT']);
  });

  it.each([
    ['/SetOCGState', '<< /S /SetOCGState /State [/OFF 9 0 R] >>'],
    ['/Hide', '<< /S /Hide /T (note) /H true >>'],
    ['/Trans', '<< /S /Trans /Trans << /S /Dissolve >> >>'],
    ['/Named', '<< /S /Named /N /NextPage >>'],
  ])('keeps %s on a click VALID: it changes only what the page shows', async (_, action) => {
    expect(await findings(buildPdf(linkAnnotations(action)))).toEqual({ codes: [], features: [], warnings: [] });
  });

  it('keeps a page transition and an empty portfolio view VALID; a web /GoToR is a warning', async () => {
    expect(codes(await inspect(buildPdf(pageObjects('', '/Trans << /S /Wipe /D 1 >> /Dur 3')), 'pdf'))).toEqual([]);
    expect(codes(await inspect(buildPdf(pageObjects('/Collection << /Type /Collection /View /D >>')), 'pdf'))).toEqual(
      [],
    );
    const web = linkAnnotations('<< /S /GoToR /F (https://www.miit.gov.cn/a.pdf) /D [0 /Fit] >>');
    expect(await findings(buildPdf(web))).toEqual({
      codes: [],
      features: [],
      warnings: ['https://www.miit.gov.cn/a.pdf'],
    });
  });

  // An OPI dictionary names the high-resolution original of a proxy image for a prepress server to
  // swap in when it separates the pages: pdf.js, MuPDF and Acrobat show the proxy and never open
  // the file it names (Acrobat only writes OPI comments into PostScript it prints). No reader acts
  // on it, so it stays VALID, whatever it names.
  it('keeps an image’s /OPI dictionary VALID, even naming a share', async () => {
    const image = '/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8';
    for (const version of [
      `/2.0 << /Type /OPI /Version 2.0 /F ${UNC} /Inks /full_color >>`,
      `/1.3 << /Type /OPI /Version 1.3 /F (art.tif) /Size [9 9] /CropRect [0 0 9 9] /Position [0 0 9 0 9 9 0 9] >>`,
    ]) {
      const pdf = buildPdf([
        ...pageObjects('', '/Resources << /XObject << /Im1 6 0 R >> >>'),
        { num: 6, body: `${image} /OPI << ${version} >>`, stream: Buffer.alloc(1) },
      ]);
      expect(await findings(pdf)).toEqual({ codes: [], features: [], warnings: [] });
    }
  });
});

describe('an opening action’s /Next list written by reference', () => {
  const opening = (list: string, packed: number[] = []) =>
    buildPdf(
      [
        ...pageObjects('/OpenAction 6 0 R'),
        { num: 6, body: '<< /S /GoTo /D [3 0 R /Fit] /Next 7 0 R >>' },
        { num: 7, body: list },
        { num: 8, body: '<< /S /URI /URI (http://attacker.example/t) >>' },
        { num: 9, body: '<< /S /GoTo /D [3 0 R /FitH 0] >>' },
      ],
      { packed },
    );

  it('refuses a list by reference whose action calls out, in the file or packed', async () => {
    for (const packed of [[], [6, 7, 8]])
      expect(await findings(opening('[9 0 R 8 0 R]', packed))).toMatchObject({
        codes: ['PDF_ACTION'],
        features: ['/OpenAction /URI'],
      });
    expect(await findings(opening('[<< /S /URI /URI (http://attacker.example/t) >>]'))).toMatchObject({
      codes: ['PDF_ACTION'],
    });
  });

  it('refuses a list met first as an older catalog’s opening destination, then under the newer one’s /Next', async () => {
    const base = buildClassicPdf([
      ...pageObjects('/OpenAction 7 0 R'),
      { num: 7, body: '[8 0 R]' },
      { num: 8, body: '<< /S /URI /URI (http://attacker.example/t) >>' },
    ]);
    const next = pageObjects('/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 7 0 R >>')[0] as PdfObj;
    expect(codes(await inspect(base, 'pdf'))).toEqual([]);
    expect(codes(await inspect(incrementalUpdate(base, [next]), 'pdf'))).toEqual(['PDF_ACTION']);
  });

  it('keeps a list by reference that only goes to places VALID, and an opening destination by reference', async () => {
    expect(codes(await inspect(opening('[9 0 R]'), 'pdf'))).toEqual([]);
    const destination = buildPdf([...pageObjects('/OpenAction 6 0 R'), { num: 6, body: '[3 0 R /Fit]' }]);
    expect(codes(await inspect(destination, 'pdf'))).toEqual([]);
  });
});

describe('a key written twice in one dictionary', () => {
  const UNC_URI = '(\\\\\\\\attacker.example\\\\s\\\\x)';

  it('judges every value, as a reader that keeps the first would read it', async () => {
    const firstUri = '/OpenAction << /S /URI /URI (http://attacker.example/t) /S /GoTo /D [3 0 R /Fit] >>';
    expect(await findings(buildClassicPdf(pageObjects(firstUri)))).toMatchObject({
      codes: ['PDF_ACTION'],
      features: ['/OpenAction /S (written twice)'],
    });
    const twiceOpening = '/OpenAction << /S /URI /URI (http://attacker.example/t) >> /OpenAction [3 0 R /Fit]';
    expect(await findings(buildClassicPdf(pageObjects(twiceOpening)))).toMatchObject({
      codes: ['PDF_ACTION'],
      features: ['/OpenAction /URI'],
    });
    const link = `<< /S /URI /URI ${UNC_URI} /URI (https://www.miit.gov.cn/) >>`;
    expect(codes(await inspect(buildPdf(linkAnnotations(link)), 'pdf'))).toEqual(['PDF_ACTION']);
    const spec = buildClassicPdf([
      ...linkAnnotations('<< /S /GoToR /F 9 0 R /D [0 /Fit] >>'),
      { num: 9, body: `<< /Type /Filespec /F ${UNC_URI} /F (annex.pdf) >>` },
    ]);
    expect(codes(await inspect(spec, 'pdf'))).toEqual(['PDF_ACTION']);
  });

  it('keeps a harmless key written twice VALID', async () => {
    const pdf = buildClassicPdf(pageObjects('/PageMode /UseNone /PageMode /UseOutlines /OpenAction [3 0 R /Fit]'));
    expect(codes(await inspect(pdf, 'pdf'))).toEqual([]);
  });
});

describe('object streams decoded as pdf.js decodes them (round 9)', () => {
  it.each([
    [
      'a last predictor row cut short, the script in it (was dropped)',
      predictorShortRowPdf,
      ['PDF_SCRIPT', 'PDF_ACTION'],
    ],
    ['a /BPC, rows of another length to pdf.js', predictorBpcPdf, ['PDF_UNREADABLE']],
    ['an array of filters under one parameter dictionary', predictorShapePdf, ['PDF_UNREADABLE']],
    ['ASCII85 with a control byte pdf.js counts as a digit', ascii85ControlBytePdf, ['PDF_UNREADABLE']],
  ])('refuses %s', async (_, build, expected) => {
    expect(codes(await inspect(build(), 'pdf'))).toEqual(expected);
  });

  it('refuses an object an object stream places past its data', async () => {
    // The pair says 6 is 9 bytes after /First; the data ends at /First.
    const pdf = buildPdf([...pageObjects(), { num: 6, body: '' }], {
      packed: [6],
      encoder: () => ['/Filter /FlateDecode', deflateSync('6 9\n')],
    });
    expect(await findings(pdf)).toMatchObject({ codes: ['PDF_UNREADABLE'] });
  });
});

describe('an output intent whose colour profile is another file (PDF/X-5)', () => {
  const intent = (profile: string) =>
    `/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier (FOGRA39) ${profile} >>]`;

  it.each([
    ['a share', `/DestOutputProfileRef << /ProfileName (x) /URLs [${UNC}] >>`],
    ['a file: URL', '/DestOutputProfileRef << /ProfileName (x) /URLs [<< /FS /URL /F (file:///c:/p.icc) >>] >>'],
    ['the web, escaped', `/DestOutputProfileRef << /URL#73 [${URL_SPEC}] >>`],
  ])('is refused, a reader fetching the profile: %s', async (_, profile) => {
    expect(await findings(buildClassicPdf(pageObjects(intent(profile))))).toMatchObject({
      codes: ['PDF_ACTION'],
      features: ['/URLs (a colour profile of another file)'],
    });
  });

  it('is refused by reference in an object stream', async () => {
    const pdf = buildPdf(
      [...pageObjects(intent('/DestOutputProfileRef 6 0 R')), { num: 6, body: `<< /URLs [${UNC}] >>` }],
      { packed: [6] },
    );
    expect(codes(await inspect(pdf, 'pdf'))).toEqual(['PDF_ACTION']);
  });

  it('keeps an embedded profile (PDF/X-4, PDF/A) and one named without /URLs VALID', async () => {
    const embedded = buildClassicPdf([
      ...pageObjects(intent('/DestOutputProfile 6 0 R')),
      { num: 6, body: '/N 4', stream: Buffer.from('an ICC profile') },
    ]);
    expect(codes(await inspect(embedded, 'pdf'))).toEqual([]);
    const named = buildClassicPdf(pageObjects(intent('/DestOutputProfileRef << /ProfileName (ISO Coated v2) >>')));
    expect(codes(await inspect(named, 'pdf'))).toEqual([]);
  });
});

describe('a key that decides how the file is read, written twice with two values (round 9)', () => {
  const hidden = '9 0 obj\n<< /S /JavaScript /JS (x) >>\nendobj\n';
  const image = (lengths: string) =>
    buildClassicPdf([
      ...pageObjects(),
      {
        num: 6,
        body: `/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode ${lengths}`,
        stream: Buffer.from(`AAAA\nendstream\nendobj\n${hidden}`, 'latin1'),
      },
    ]);

  it('refuses a stream dictionary whose /Length or filters are written twice (a reader keeping the first reads on elsewhere)', async () => {
    expect(await findings(image('/Length 4'))).toMatchObject({
      codes: ['PDF_UNREADABLE'],
      features: [undefined],
    });
    const filters = buildPdf(pageObjects(), {
      packed: [2],
      encoder: (plain) => ['/Filter /ASCIIHexDecode /Filter /FlateDecode', deflateSync(plain)],
    });
    expect(codes(await inspect(filters, 'pdf'))).toEqual(['PDF_UNREADABLE']);
  });

  it('follows an earlier /Prev too, and refuses one into a table hidden in stream data', async () => {
    expect(codes(await inspect(prevWrittenTwicePdf(), 'pdf'))).toEqual(['PDF_UNREADABLE']);
  });

  it('refuses a trailer naming two catalogs', async () => {
    const twoCatalogs = buildClassicPdf(
      [...pageObjects(), { num: 7, body: '<< /Type /Catalog /Pages 2 0 R /PageMode /UseOutlines >>' }],
      '/Root 7 0 R',
    );
    expect(codes(await inspect(twoCatalogs, 'pdf'))).toEqual(['PDF_UNREADABLE']);
  });

  it('keeps the same value written twice, and other keys written twice, VALID', async () => {
    expect(codes(await inspect(buildClassicPdf(pageObjects(), '/Root 1 0 R'), 'pdf'))).toEqual([]);
    const form = buildClassicPdf([
      ...pageObjects('', '/Resources << /XObject << /X1 6 0 R >> >>'),
      {
        num: 6,
        body: '/Type /XObject /Subtype /Form /Subtype /Form /BBox [0 0 1 1] /Length 5',
        stream: Buffer.from('0 0 m'),
      },
    ]);
    expect(codes(await inspect(form, 'pdf'))).toEqual([]);
  });
});
