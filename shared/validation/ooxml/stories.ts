import { percentDecoded } from '../link-target.ts';

/**
 * Which parts of an Office package are read for Word fields (./fields.ts) and spreadsheet
 * formulas (./formulas.ts). A part is routed by its name as it inflates, since its content type
 * may be declared anywhere in the archive; but Word and Excel find their parts by relationship
 * and content type, not by name: a document whose main part is `word/body.xml` (with a decoy
 * `word/document.xml` beside it), or a sheet at `x/s.xml`, is opened all the same. So every XML
 * part under `word/` is read for fields and every one under `xl/` for formulas (but the shared
 * strings, styles and themes, which hold no formulas: Excel writes them large), and
 * [Content_Types].xml must give the types of Word's stories and Excel's sheets and tables only to
 * parts read so (./content-types.ts). A name is compared as the Open Packaging Conventions compare part names:
 * without case, percent-encoding decoded.
 */

/** A part name (`/word/document.xml` or the archive's `word/document.xml`) as compared. */
export function partKey(name: string): string {
  const decoded = name.includes('%') ? percentDecoded(name) : name;
  return decoded.replace(/^\/+/, '').toLowerCase();
}

/** Parts read for Word's field codes. */
export function readsFields(key: string): boolean {
  return /^word\/.+\.xml$/.test(key);
}

/** Parts read for spreadsheet formulas (a VML drawing holds its form controls' formulas). */
export function readsFormulas(key: string): boolean {
  return /^xl\/.+\.(xml|vml)$/.test(key) && !/^xl\/(sharedstrings\.xml|styles\.xml|theme\/)/.test(key);
}

/**
 * Parts read for VML shapes' sources (./element-links.ts): every part of Word's (VML sits in its
 * stories), Excel's not named `.xml`, and every `.vml` part wherever it is (a VML drawing, which a
 * relationship may reach outside `xl/`). Excel's own XML parts hold no VML, and sparing its sheets
 * two more byte searches keeps the slowest shape's speed.
 */
export function readsVml(key: string): boolean {
  return key.endsWith('.vml') || key.startsWith('word/') || (key.startsWith('xl/') && !key.endsWith('.xml'));
}

/**
 * Parts read for linked pictures (`r:link`, ./element-links.ts) as well as VML: those read for VML,
 * and Excel's drawings, charts and SmartArt diagrams (`xl/drawings/`, `xl/charts/`,
 * `xl/diagrams/`), where its pictures are; its sheets are spared the byte searches. A part given
 * a drawing's, a chart's or a diagram's type must be one read so (./content-types.ts).
 */
export function readsPictures(key: string): boolean {
  return readsVml(key) || /^xl\/(drawings|charts|diagrams)\//.test(key);
}

/**
 * Word's charts, read for their series' formulas (`c:f`, ./formulas.ts) besides their fields and
 * pictures (round 14): a series names the cells of the chart's data, and one naming another
 * book (`'\\host\s\[b.xlsx]S'!$A$1`) is followed into that share when the chart's data is
 * edited or refreshed. Excel's charts are read for formulas with every part of its folder. A part
 * given a chart's type in Word's folder must be one of these (./content-types.ts, CHART_TYPE).
 */
export function readsChartFormulas(key: string): boolean {
  return /^word\/charts\/.+\.xml$/.test(key);
}

/** Content type of a DrawingML chart (not its user shapes'): in Word's folder, only for a part read as a chart. */
export const CHART_TYPE = /officedocument\.drawingml\.chart\+xml/i;

/** Parts read as SVG pictures (./svg.ts): named `.svg`, wherever they are. */
export function readsSvg(key: string): boolean {
  return key.endsWith('.svg');
}

/** Content type of an SVG picture: only parts read as SVG may have it (a Default only for `.svg`). */
export const SVG_TYPE = /^\s*image\/svg\+xml\s*(?:;|$)/i;

/** Content types of DrawingML drawings, charts and diagrams, which hold pictures: only parts read for them may have them. */
export const DRAWING_TYPE =
  /(?:officedocument\.(?:drawing|drawingml\.chart|drawingml\.chartshapes)|drawingml\.diagram(?:Data|Drawing))\+xml/i;

/** Content type of a VML drawing: only parts read for VML may have it. */
export const VML_TYPE = /officedocument\.vmlDrawing\s*(?:;|$)/i;

/** Content types of Word's parts that hold fields (stories): only parts read for fields may have them. */
export const WORD_STORY_TYPE =
  /wordprocessingml\.(?:document\.main|template\.main|document\.glossary|header|footer|footnotes|endnotes|comments)\+xml/i;
/** Content types of Excel's parts that hold formulas: only parts read for formulas may have them. */
export const FORMULA_TYPE =
  /spreadsheetml\.(?:sheet\.main|template\.main|worksheet|chartsheet|dialogsheet|table)\+xml/i;

/**
 * Excel's shared strings, by the name every writer gives them (Excel, WPS, LibreOffice): the one
 * part read for the strings a HYPERLINK may pick (./workbook-strings.ts), so the only part that may
 * have their type.
 */
export const SHARED_STRINGS_PART = 'xl/sharedstrings.xml';
export const SHARED_STRINGS_TYPE = /spreadsheetml\.sharedStrings\+xml/i;

/** Content types of Word's settings, whose relationships are never hyperlinks (./relationships.ts). */
export const SETTINGS_TYPE = /wordprocessingml\.(?:web)?settings\+xml/i;

/** Word's settings parts, by Word's own names: a settings type is taken only for these. */
export function isSettings(key: string): boolean {
  return /^word\/(glossary\/)?(web)?settings\.xml$/.test(key);
}
