import type { Report } from '../report.ts';
import { linkReach, targetAsFollowed } from '../link-target.ts';
import type { HyperlinkUses } from './relationships.ts';
import { attributeValues, PREFIX, TAG_INSIDE } from './xml.ts';

/**
 * What the elements of Word's stories and Excel's drawings link to or load as the file opens (its
 * name until round 12 was `vml-links.ts`, from its first job, VML sources): VML sources named
 * directly, pictures linked rather than embedded, the relationships elements load unasked
 * (FETCHING, SHEET_FETCHING) and an online video's HTML.
 *
 * Places a VML shape names directly, not through a relationship: a picture's or a fill's source
 * (`<v:imagedata src="…">`, `<v:fill src="…">`, their `o:href` and `o:althref`) and a shape's
 * link (`<v:shape href="…">`). Word (inline in its stories, `w:pict`, `w:object`) and Excel (in
 * its VML drawings, for comments and form controls) write relationships instead, but their VML
 * reader comes from Internet Explorer's, which loads a picture from a path or URL as it draws
 * the shape. A share or a local path there hands a share's host the reader's credentials
 * (OOXML_EXTERNAL), as a hyperlink into one does, and so does any scheme that is neither a web
 * page nor an e-mail address (`mhtml:`, `ms-word:`…: ../link-target.ts); a web address is a
 * warning shown to reviewers (EXTERNAL_LINK), as a hyperlink's is.
 *
 * A picture linked through a relationship rather than by address (VML's `r:href`, DrawingML's
 * `r:link`) is refused too, whatever the relationship's type (`linksPicture`).
 *
 * The part checks hand on each item (a tag and the text after it) that holds `src`, `href` or
 * `blip` (LINK_WORDS); only its tag's attributes are judged. A VML tag longer than the text stream's
 * window would be read in pieces, its attributes apart from its name: refused (OOXML_UNREADABLE)
 * by the check that reads it (`vmlSourceTag`), as no genuine one is that long.
 */

/**
 * `src` and `href` for VML's sources; `blip` for a picture's tag: one more byte search over
 * Word's parts (a few per cent of their part checks), whose first byte is rare in Word's markup.
 * Then a piece of the name of each other element that loads a relationship as the file opens
 * (FETCHING), chosen as `blip` was: a byte search costs by how often its first bytes occur, and
 * `i`, `a`, `e`, `s` and `c` start a word in every run of Word's (`w:rsidR`, `w:ascii`,
 * `w:eastAsia`, `w:sz`, `w:color`). On text formatted as Word writes it, the element names in full
 * made the byte search 2.7 times slower; these pieces make it about a fifth slower.
 */
export const LINK_WORDS = [
  'src',
  'href',
  'blip',
  'gedata', // imagedata
  'OLEObject',
  'bDoc', // subDoc
  'Chunk', // altChunk
  'Data', // externalData
  'hart', // chart
  'fill', // VML's fill (a page background's picture): `f` is rarer than the letters above
  'Blip', // svgBlip: an SVG picture beside its PNG copy (round 10)
  'VideoPr', // webVideoPr: an online video's HTML (onlineVideo); `V` is rare
  // Round 11's loaders (FETCHING), each by a piece whose first byte is a capital, rare in Word's
  // markup and in Excel's drawings: a chart's userShapes, SmartArt's relIds, an image layer.
  'Shapes',
  'Ids',
  'Layer',
  'troke', // VML's stroke: `t` starts every `<w:t>`, measured in docs/security.md (round 11)
  // Round 12's loaders: media linked or embedded beside a picture (videoFile, audioFile,
  // quickTimeFile, wavAudioFile by one word; `F` is rare but for `w:rFonts`), Office 2010's media,
  // Word's own movie.
  'File',
  'media',
  'movie',
  'Link', // objectLink: Word 2010's linked OLE object; `L` is as rare as Layer's
].map((word) => Buffer.from(word));

/**
 * What finds a sheet's elements that load a relationship as it opens (SHEET_FETCHING): the
 * attribute that names the relationship, `r:id` under any prefix (an attribute takes no default
 * namespace, so it has one). Every byte search costs a pass over the part, however rare its word:
 * one word for all five elements, not a piece of each name (four pieces made the bench's XLSX
 * part checks a fifth slower; `wing`, whose `w` starts every `<row`, 1.6 times). Excel writes `:`
 * in a row's `x14ac:dyDescent`, once a row. Searched in every part read for formulas, not only in
 * those read for pictures (./formulas.ts).
 */
export const SHEET_LOADING_WORDS = [':id'].map((word) => Buffer.from(word));

/**
 * Elements that load the relationship they name as the file opens, by local name, and the
 * attributes (any prefix) that name it: a DrawingML picture (`<a:blip r:embed>`; `r:link` is
 * refused itself: linksPicture), a VML picture (`<v:imagedata r:id>`, or `o:relid` as Excel's
 * VML writes it), an OLE object (`<o:OLEObject Type="Link" r:id>` updates its link; an embedded
 * one's is refused by its type), a subdocument (`<w:subDoc>`), a document imported as Word opens
 * (`<w:altChunk>`), a chart (`<c:chart r:id>` in a drawing) and a chart's data
 * (`<c:externalData>`). A hyperlink relationship named so is refused (./relationships.ts
 * `HyperlinkUses`); a hyperlink element's (`w:hyperlink`, `a:hlinkClick`, a sheet's
 * `<hyperlink>`), which a click follows, stays a warning. A VML fill's picture (`<v:fill r:id>`,
 * Word's page background and a shape's picture fill) is drawn as the shape is, as a VML picture
 * is (round 10). Round 11 adds what else loads a relationship as the file opens: a chart's
 * drawn shapes (`<c:userShapes r:id>`), a SmartArt diagram's data, layout, style and colours
 * (`<dgm:relIds r:dm r:lo r:qs r:cs>`), an artistic effect's image layer (`<a14:imgLayer
 * r:embed>`, in a blip's extensions) and a VML stroke's picture (`<v:stroke r:id>`, a pattern or
 * picture line, drawn as a fill's picture is). Round 12 adds media a picture stands for: DrawingML's
 * video, audio and QuickTime files (`<a:videoFile r:link>`, `<a:audioFile r:link>`,
 * `<a:quickTimeFile r:link>`, `<a:wavAudioFile r:embed>`), Office 2010's media
 * (`<p14:media r:embed r:link>`) and WordprocessingML's movie (`<w:movie r:id>`, which ECMA-376
 * has imported as the document opens). A linked medium is retrieved from its relationship's
 * target for playback; Word and Excel are not known to play them, WPS and other readers may, and
 * no genuine evidence names a web hyperlink so, so a hyperlink-typed one is refused as a
 * picture's would be. And a linked OLE object as Word 2010 and later write it (`<w:objectLink
 * r:id w:updateMode="always">`, the `o:OLEObject Type="Link"` of VML's days), whose link is
 * updated as the document opens, and a VML picture's alternate image (`<v:imagedata r:pict>`).
 */
const FETCHING: Readonly<Record<string, readonly string[]>> = {
  blip: ['embed'],
  svgBlip: ['embed'],
  imagedata: ['id', 'relid', 'pict'],
  fill: ['id', 'relid'],
  OLEObject: ['id'],
  objectLink: ['id'],
  subDoc: ['id'],
  altChunk: ['id'],
  chart: ['id'],
  externalData: ['id'],
  userShapes: ['id'],
  relIds: ['dm', 'lo', 'qs', 'cs'],
  imgLayer: ['embed'],
  stroke: ['id', 'relid'],
  videoFile: ['link'],
  audioFile: ['link'],
  quickTimeFile: ['link'],
  wavAudioFile: ['embed'],
  media: ['embed', 'link'],
  movie: ['id'],
};
/**
 * A sheet's elements that load the relationship they name as it opens (round 10): its background
 * picture (`<picture r:id>`), an OLE object (`<oleObject r:id>`, an embedded one's refused by its
 * type), its drawing and its comments' and header's VML drawings (`<drawing>`,
 * `<legacyDrawing>`, `<legacyDrawingHF>`), each `r:id`.
 */
const SHEET_FETCHING: Readonly<Record<string, readonly string[]>> = {
  picture: ['id'],
  oleObject: ['id'],
  drawing: ['id'],
  legacyDrawing: ['id'],
  legacyDrawingHF: ['id'],
  // Round 12: the picture Excel 2010 and later draw for an OLE object or a control (`<objectPr
  // r:id>`, `<controlPr r:id>`), loaded as the sheet is drawn.
  objectPr: ['id'],
  controlPr: ['id'],
};
const fetchingTag = (names: Record<string, unknown>) =>
  new RegExp(`^<${PREFIX}(${Object.keys(names).join('|')})(?=[\\s/>])(${TAG_INSIDE})>`);
const FETCHING_TAG = fetchingTag(FETCHING);
const SHEET_FETCHING_TAG = fetchingTag(SHEET_FETCHING);

const TAG = new RegExp(`^<${PREFIX}[\\w.-]+(?=[\\s/>])(${TAG_INSIDE})>`);
const LINK_ATTRIBUTES = ['src', 'href', 'althref'];
/** The elements that name a source: VML pictures, fills, strokes, OLE objects; an online video (onlineVideo). */
const SOURCE_TAG = new RegExp(`^<${PREFIX}(imagedata|fill|image|stroke|OLEObject|blip|svgBlip|webVideoPr)(?=[\\s>/])`);
/**
 * VML's pictures and fills: an `href` there that is no address is VML's linked picture, the
 * relationship `r:href="rIdN"` names (beside `r:id`, the embedded copy), loaded from that
 * relationship's target as the shape is drawn whatever its type, as `r:link` is (linksPicture).
 */
const PICTURE_TAG = new RegExp(`^<${PREFIX}(imagedata|fill|image|stroke)(?=[\\s>/])`);
/**
 * A DrawingML picture (`<a:blip>`, in a story, a drawing or a chart) and its attributes; and an
 * SVG picture (`<asvg:svgBlip>` in the blip's extensions), which Office 2016 and later draw
 * instead of the blip's PNG copy, loading it by `r:embed` or `r:link` as a blip (round 10).
 */
const BLIP = new RegExp(`^<${PREFIX}(?:blip|svgBlip)(?=[\\s/>])(${TAG_INSIDE})>`);

/**
 * A document imported as Word opens (`<w:altChunk r:id>`), whatever its relationship's type says
 * (round 14): the relationship of type aFChunk is refused (./relationships.ts), but one typed as a
 * picture or a hyperlink (`Type="…/image" Target="media/a.rtf"`) left the import, an RTF chunk
 * with an OLE object (`\object\objdata`, the Equation Editor's shape) or an HTML one with a
 * script or a share's picture, VALID. Word writes no altChunk (it turns an imported document into
 * its own markup when it saves); generators that import HTML do, and are refused either way.
 */
const ALT_CHUNK = new RegExp(`^<${PREFIX}altChunk(?=[\\s/>])`);

/** Judges the attributes of the tag `item` starts with; whether the part was refused. */
export function judgeElementLinks(item: string, part: string, report: Report, uses: HyperlinkUses): boolean {
  // Judged on: the relationship it names is loaded too, and a hyperlink one is refused for that.
  if (item.includes('altChunk') && ALT_CHUNK.test(item)) {
    report.add('OOXML_EMBEDDED_OBJECT', { kind: `imported document (altChunk in ${part})` });
  }
  if ((item.includes('blip') || item.includes('Blip')) && linksPicture(item)) {
    report.add('OOXML_EXTERNAL', { kind: `linked picture in ${part}`, target: 'r:link' });
    return true;
  }
  loadsRelationship(item, part, uses, FETCHING_TAG, FETCHING);
  if (item.includes('VideoPr') && onlineVideo(item, part, report)) return true;
  if (!item.includes('src') && !item.includes('href')) return false;
  const inside = TAG.exec(item)?.[1];
  if (inside === undefined) return false;
  const picture = PICTURE_TAG.test(item);
  for (const name of LINK_ATTRIBUTES) {
    for (const value of attributeValues(inside, name)) {
      const target = targetAsFollowed(value).slice(0, 200);
      const reach = linkReach(target);
      if (picture && name === 'href' && reach === 'relative' && target !== '') {
        report.add('OOXML_EXTERNAL', { kind: `linked picture in ${part}`, target: `r:href ${target}` });
        return true;
      }
      if (reach === 'share-or-local' || reach === 'program') {
        report.add('OOXML_EXTERNAL', { kind: `VML ${name} in ${part}`, target });
        return true;
      }
      if (reach === 'web') report.warn('EXTERNAL_LINK', { target });
    }
  }
  return false;
}

/** An online video's tag (`<wp15:webVideoPr embeddedHtml h w>`) and its attributes. */
const WEB_VIDEO = new RegExp(`^<${PREFIX}webVideoPr(?=[\\s/>])(${TAG_INSIDE})>`);
/** The one element an online video's HTML may be: an iframe, its attributes, nothing inside. */
const IFRAME = /^\s*<iframe((?:\s+[\w-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*>\s*<\/iframe>\s*$/i;
const IFRAME_ATTRIBUTE = /([\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
/** What an embed code from a video site gives its iframe (YouTube's, Youku's, Bilibili's…). */
const IFRAME_KEPT = new Set([
  'width',
  'height',
  'frameborder',
  'border',
  'framespacing',
  'scrolling',
  'allow',
  'allowfullscreen',
  'title',
  'referrerpolicy',
  'loading',
]);

/**
 * Word's online video (`<wp15:webVideoPr embeddedHtml="…">`, round 10): a click on the video's
 * picture has Word render `embeddedHtml` in Internet Explorer's engine, whatever it holds — a
 * script runs there, an iframe's source loads. Word writes a video site's embed code, one iframe
 * to a web address: that is a warning (EXTERNAL_LINK), as a clicked link is; any other HTML (a
 * script, other elements or attributes, `javascript:`, a share) is refused, OOXML_EXTERNAL.
 * Whether the part was refused.
 */
function onlineVideo(item: string, part: string, report: Report): boolean {
  const inside = WEB_VIDEO.exec(item)?.[1];
  if (inside === undefined) return false;
  for (const html of attributeValues(inside, 'embeddedHtml')) {
    const source = iframeSource(html);
    if (source === undefined) {
      report.add('OOXML_EXTERNAL', { kind: `online video HTML in ${part}`, target: html.slice(0, 200) });
      return true;
    }
    report.warn('EXTERNAL_LINK', { target: source });
  }
  return false;
}

/** A video site's embed code is a few hundred characters; a longer one is not read (IFRAME backtracks). */
const MAX_VIDEO_HTML = 2048;

/** The web address an iframe-only HTML loads, or undefined if the HTML is anything else. */
function iframeSource(html: string): string | undefined {
  if (html.length > MAX_VIDEO_HTML) return undefined;
  const attributes = IFRAME.exec(html)?.[1];
  if (attributes === undefined) return undefined;
  let source: string | undefined;
  IFRAME_ATTRIBUTE.lastIndex = 0;
  for (let m = IFRAME_ATTRIBUTE.exec(attributes); m; m = IFRAME_ATTRIBUTE.exec(attributes)) {
    const name = (m[1] ?? '').toLowerCase();
    if (name === 'src' && source === undefined) source = targetAsFollowed(m[2] ?? m[3] ?? m[4] ?? '').slice(0, 200);
    else if (!IFRAME_KEPT.has(name)) return undefined;
  }
  return source !== undefined && /^https?:\/\/[^/\\]/i.test(source) ? source : undefined;
}

/** Tells `uses` of the relationships a sheet's tag `item` starts with loads as it opens (SHEET_FETCHING). */
export function judgeSheetLoading(item: string, part: string, uses: HyperlinkUses): void {
  loadsRelationship(item, part, uses, SHEET_FETCHING_TAG, SHEET_FETCHING);
}

function loadsRelationship(
  item: string,
  part: string,
  uses: HyperlinkUses,
  tag: RegExp,
  elements: Readonly<Record<string, readonly string[]>>,
): void {
  const loading = tag.exec(item);
  if (!loading) return;
  const [, element = '', inside = ''] = loading;
  for (const name of elements[element] ?? []) {
    for (const id of attributeValues(inside, name)) uses.loadedBy(part, id, `<${element} ${name}>`);
  }
}

/**
 * A DrawingML picture linked rather than embedded: `<a:blip r:link="rIdN">` (Insert Picture's
 * "Link to File"), which Word and Excel load from the relationship's target as the picture is
 * drawn, whatever that relationship's type: an image relationship outside the package is refused
 * by its part (./relationships.ts), but one typed as a hyperlink to a web address is only a
 * warning there, and would have the file fetch a tracking picture as it opens. Office writes
 * `r:link` only for linked pictures, so the attribute itself is refused, under any prefix.
 */
function linksPicture(item: string): boolean {
  const inside = BLIP.exec(item)?.[1];
  return inside !== undefined && attributeValues(inside, 'link').length > 0;
}

/** The VML element that names a source a tag's beginning (`head`) opens, if any. */
export function vmlSourceTag(head: string): string | undefined {
  return SOURCE_TAG.exec(head)?.[1];
}
