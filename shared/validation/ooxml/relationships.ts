import type { Report } from '../report.ts';
import type { CustomPropertyParts } from './custom-properties.ts';
import { linkReach, percentDecoded, targetAsFollowed } from '../link-target.ts';
import { isSettings, partKey } from './stories.ts';
import { elements, PREFIX } from './xml.ts';

/**
 * Relationship parts (`_rels/.rels`, `word/_rels/document.xml.rels`, …): what each part of an
 * Office document points to, by relationship type. Read whole; what they may point to:
 *
 * - a target outside the package (TargetMode="External", or an absolute URI, UNC or drive path
 *   given as an internal target, which a lenient reader may follow all the same) only as a plain
 *   hyperlink, which a reader must click: that becomes a warning shown to reviewers, if it leads
 *   to a web page or an e-mail address (one into a share or handed to a program, `mhtml:`,
 *   `ms-msdt:`…, is refused: ../link-target.ts; and so is one a picture, an OLE link or another
 *   element loads as the file opens rather than on a click: HyperlinkUses). Not from
 *   Word's settings, which have no hyperlinks: an `r:id` there (an attached template, a
 *   mail-merge source) would have the reader fetch a target typed as a hyperlink. Anything else
 *   outside (a remote template, a linked picture or OLE object, a frame, a subdocument…) is
 *   fetched as the file opens, which leaks the reader's NTLM credentials to a UNC path or runs a
 *   remote template's macros: OOXML_EXTERNAL;
 * - a custom XML part only under `customXml/`, where ./custom-xml.ts reads it for Power Query's
 *   queries (OOXML_UNREADABLE elsewhere: round 12);
 * - never an attached template, a subdocument, an external workbook link, a data connection, query table or data model, a
 *   web add-in (OOXML_EXTERNAL), an OLE object, an embedded package, an ActiveX control, a
 *   document imported by Word's altChunk (OOXML_EMBEDDED_OBJECT), a VBA project or Word's macro
 *   data or an Excel 4.0 macro sheet (MACROS), wherever the target is.
 *
 * Types are matched by their last segment, so Strict OOXML's (`http://purl.oclc.org/ooxml/…`)
 * are the transitional ones; case and surrounding spaces do not matter.
 *
 * One embedded package is accepted: a chart's own data workbook (`.xlsx` from a chart part),
 * which Word and PowerPoint write for every chart and open only to edit the chart's data.
 */

const MAX_TARGET = 200;

type Refusal =
  { code: 'OOXML_EXTERNAL'; kind: string } | { code: 'OOXML_EMBEDDED_OBJECT'; kind: string } | { code: 'MACROS' };

/** A target that names a place outside the package: `scheme:`, `C:`, `\\\\host`, `//host`. */
const OUTSIDE = /^(?:[a-z][a-z0-9+.-]*:|[\\/]{2})/i;

/** Relationship types by the last segment of their URI, lower-cased. */
const REFUSED: Readonly<Record<string, Refusal>> = {
  attachedtemplate: { code: 'OOXML_EXTERNAL', kind: 'template' },
  // A master document's subdocument: Word writes it as a file of its own beside the document.
  subdocument: { code: 'OOXML_EXTERNAL', kind: 'subdocument' },
  externallink: { code: 'OOXML_EXTERNAL', kind: 'external workbook link' },
  externallinkpath: { code: 'OOXML_EXTERNAL', kind: 'external workbook link' },
  externallinklong: { code: 'OOXML_EXTERNAL', kind: 'external workbook link' },
  connections: { code: 'OOXML_EXTERNAL', kind: 'data connection' },
  querytable: { code: 'OOXML_EXTERNAL', kind: 'query table' },
  webextension: { code: 'OOXML_EXTERNAL', kind: 'web add-in' },
  webextensiontaskpanes: { code: 'OOXML_EXTERNAL', kind: 'web add-in' },
  // A Power Pivot data model, whose tables refresh from the outside sources it names.
  powerpivotdata: { code: 'OOXML_EXTERNAL', kind: 'data model' },
  oleobject: { code: 'OOXML_EMBEDDED_OBJECT', kind: 'OLE object' },
  control: { code: 'OOXML_EMBEDDED_OBJECT', kind: 'ActiveX control' },
  activexcontrol: { code: 'OOXML_EMBEDDED_OBJECT', kind: 'ActiveX control' },
  activexcontrolbinary: { code: 'OOXML_EMBEDDED_OBJECT', kind: 'ActiveX control' },
  // altChunk: another document (HTML, MHT, RTF, even a DOCX) imported into the Word document as
  // it opens; an RTF chunk carries OLE objects, an HTML or MHT one fetches its remote images.
  afchunk: { code: 'OOXML_EMBEDDED_OBJECT', kind: 'imported document' },
  // Excel 4.0 macro sheets, by relationship type whatever their part's name and content type.
  xlmacrosheet: { code: 'MACROS' },
  xlintlmacrosheet: { code: 'MACROS' },
  vbaproject: { code: 'MACROS' },
  vbaprojectsignature: { code: 'MACROS' },
  wordvbadata: { code: 'MACROS' },
  keymapcustomizations: { code: 'MACROS' },
  attachedtoolbars: { code: 'MACROS' },
};

/**
 * Judges one relationship part (`name` as stored in the archive) from its whole text; `uses`
 * meets its hyperlinks with the package's elements that load them (a part judged alone, as in a
 * test, has its own).
 */
export function judgeRelationships(
  name: string,
  text: string,
  report: Report,
  uses: HyperlinkUses = new HyperlinkUses(report),
  customProperties?: CustomPropertyParts,
): void {
  if (!new RegExp(`<${PREFIX}Relationships[\\s>]`).test(text)) {
    report.add('OOXML_UNREADABLE', { part: name });
    return;
  }
  // The part the relationships belong to: `word/_rels/document.xml.rels` → `word/document.xml`.
  const source = partKey(name.replace(/(^|\/)_rels\/([^/]*)\.rels$/i, '$1$2'));
  for (const attributes of elements(text, 'Relationship')) {
    if (!attributes) {
      report.add('OOXML_UNREADABLE', { part: `${name} <Relationship>` });
      return;
    }
    const type = (attributes.get('Type') ?? '').trim();
    const target = targetAsFollowed(attributes.get('Target') ?? '').slice(0, MAX_TARGET);
    // An absolute URI or a UNC or drive path is outside the package, whatever the mode says.
    const external = (attributes.get('TargetMode') ?? '').trim().toLowerCase() === 'external' || OUTSIDE.test(target);
    const kind = type.toLowerCase().split('/').pop() ?? '';
    if (!external) {
      customProperties?.reached(partReached(source, target), kind);
      // Reached as something else, also as a lenient reader would resolve it (PATH_ONLY).
      if (kind !== 'customproperty') customProperties?.reached(partReached(source, pathOnly(target)), kind);
    }
    const refusal = REFUSED[kind];
    if (refusal?.code === 'MACROS') {
      report.add('MACROS', { name: target || name });
    } else if (refusal?.code === 'OOXML_EMBEDDED_OBJECT' && !external) {
      report.add('OOXML_EMBEDDED_OBJECT', { kind: refusal.kind });
    } else if (refusal) {
      report.add('OOXML_EXTERNAL', { kind: external ? `linked ${refusal.kind}` : refusal.kind, target: target || '-' });
    } else if (kind === 'customxml' && !external && !CUSTOM_XML_PART.test(partReached(source, target))) {
      // Read for Power Query's queries only under customXml/ (./custom-xml.ts), where every
      // writer puts its custom XML; Excel finds a DataMashup by this relationship wherever it is.
      report.add('OOXML_UNREADABLE', { part: `${name}: custom XML part ${target || '-'}` });
    } else if (kind === 'package') {
      const chartData = source.includes('/charts/') && !external && target.toLowerCase().endsWith('.xlsx');
      if (!chartData) report.add('OOXML_EMBEDDED_OBJECT', { kind: 'embedded package' });
    } else if (external && kind === 'hyperlink' && isSettings(source)) {
      // Word's settings hold no hyperlink: one there is a template or data source in disguise.
      report.add('OOXML_EXTERNAL', { kind: 'hyperlink from settings', target: target || '-' });
    } else if (external && kind === 'hyperlink' && linkReach(target) === 'share-or-local') {
      report.add('OOXML_EXTERNAL', { kind: 'hyperlink to a file share or local path', target });
    } else if (external && kind === 'hyperlink' && linkReach(target) === 'program') {
      report.add('OOXML_EXTERNAL', { kind: 'hyperlink handed to a program', target });
    } else if (external && kind === 'hyperlink') {
      if (!IN_FILE.test(target)) report.warn('EXTERNAL_LINK', { target: target || '-' });
      uses.clickedOnly(source, (attributes.get('Id') ?? '').trim(), target || '-');
    } else if (external) {
      report.add('OOXML_EXTERNAL', { kind: kind || 'unknown', target: target || '-' });
    }
  }
}

/**
 * A hyperlink target that is only a fragment naming a place in the file itself: a sheet's cell or
 * range, a defined name, a bookmark (`#明细!A1`, `#'明细'!A1:B2`, `#_Toc1`: how openpyxl and exceljs
 * write a link to a cell of the workbook, as an external relationship). Excel and Word go there, as
 * for a `location` or `w:anchor` link, which are no warning either. Sheet names, defined names and
 * bookmarks hold no bracket, slash or backslash: a fragment with one (`#[\\host\s\b.xlsx]S!A1`,
 * Excel's way of naming another workbook), with a percent escape, or with DDE's `|`
 * (`#cmd|'calc'!A0`, a program and its topic, which no genuine place name writes) stays a warning.
 */
const IN_FILE = /^#[^[\]\\/%|]*$/;

/** The parts read as custom XML (./parts.ts): `customXml/item1.xml`, as Word, Excel, WPS and LibreOffice name them. */
const CUSTOM_XML_PART = /^customxml\/[^/]+\.xml$/;

/**
 * A target as a lenient reader takes its path (round 18): decoded first, so `%2F` separates as
 * `/` does, and without a query or fragment (`sheet.bin#x`, `sheet.bin?x`), which a reader
 * resolving URI references drops. A UTF-16 custom property (./custom-properties.ts) reached so by
 * a relationship of another type (a workbook's sheet) is refused, as one reached plainly is.
 */
function pathOnly(target: string): string {
  return percentDecoded(target).replace(/[?#].*$/s, '');
}

/**
 * The part an internal `target` reaches from the part `source` (its key): resolved against the
 * source's folder, or the package's root for one starting with `/`; `..` climbs, and a backslash
 * separates as a slash does for a lenient reader.
 */
function partReached(source: string, target: string): string {
  const segments = target.startsWith('/') || target.startsWith('\\') ? [] : source.split('/').slice(0, -1);
  for (const segment of target.split(/[\\/]/)) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return partKey(segments.join('/'));
}

/**
 * A hyperlink relationship is a warning only while nothing but a click follows it: the same id
 * named by an element that loads its target as the file opens (a picture's `r:embed`, a VML
 * picture's `r:id`, a linked OLE object, a subdocument, an imported document, a chart or its
 * data: ./element-links.ts `FETCHING`) has Word or Excel fetch it unasked, a tracking address or a
 * share, whatever the relationship's declared type: OOXML_EXTERNAL. A part's elements and its
 * relationships arrive in either order, so each side is kept until the other comes: the
 * hyperlinks of each part (by its key), and the ids each part's loading elements name, for one
 * package's inspection (./package-inspection.ts).
 */
export class HyperlinkUses {
  /** External hyperlink relationships warned of: part key → id → target. */
  private readonly hyperlinks = new Map<string, Map<string, string>>();
  /** Ids named by elements that load them: part key → id → the element, as `<a:blip r:embed>`. */
  private readonly loaded = new Map<string, Map<string, string>>();
  private decided = false;

  constructor(private readonly report: Report) {}

  /** An external hyperlink relationship `id` of the part `source` (its key), to `target`. */
  clickedOnly(source: string, id: string, target: string): void {
    if (this.decided) return;
    const element = this.loaded.get(source)?.get(id);
    if (element !== undefined) this.loadedUnasked(source, element, target);
    else keep(this.hyperlinks, source, id, target);
  }

  /** The part `part` (as stored) has `element` load its relationship `id` as the file opens. */
  loadedBy(part: string, id: string, element: string): void {
    if (this.decided) return;
    const key = partKey(part);
    const target = this.hyperlinks.get(key)?.get(id.trim());
    if (target !== undefined) this.loadedUnasked(key, element, target);
    else keep(this.loaded, key, id.trim(), element);
  }

  private loadedUnasked(part: string, element: string, target: string): void {
    this.decided = true;
    this.report.add('OOXML_EXTERNAL', { kind: `hyperlink relationship loaded by ${element} in ${part}`, target });
  }
}

function keep(map: Map<string, Map<string, string>>, part: string, id: string, value: string): void {
  const ids = map.get(part);
  if (!ids) map.set(part, new Map([[id, value]]));
  else if (!ids.has(id)) ids.set(id, value);
}
