import type { Report } from '../report.ts';
import {
  CHART_TYPE,
  DRAWING_TYPE,
  FORMULA_TYPE,
  isSettings,
  partKey,
  readsChartFormulas,
  readsFields,
  readsFormulas,
  readsPictures,
  readsSvg,
  readsVml,
  SETTINGS_TYPE,
  SHARED_STRINGS_PART,
  SHARED_STRINGS_TYPE,
  SVG_TYPE,
  VML_TYPE,
  WORD_STORY_TYPE,
} from './stories.ts';
import type { CustomPropertyParts } from './custom-properties.ts';
import { PROPERTIES_PART, PROPERTIES_TYPE } from './properties.ts';
import { elements, PREFIX } from './xml.ts';

/**
 * [Content_Types].xml, read whole: every part's type, whatever the part is called. Macros are
 * found here by type (a renamed vbaProject.bin is still `application/vnd.ms-office.vbaProject`),
 * and so are ActiveX controls, OLE objects, external workbook links, data connections and data
 * models. A
 * content-types part larger than CONTENT_TYPES_CAP is not read but refused (OOXML_UNREADABLE):
 * real ones are a few KiB, and one pushed past a read window is an attempt to hide a type.
 *
 * The types of Word's stories and of Excel's sheets and tables are where fields and formulas
 * are: a part given one must be a part the field or formula check reads (./stories.ts), or its
 * fields and formulas would go unread (OOXML_UNREADABLE); a Default giving one to every part of
 * an extension is refused the same way. Office writes them as Overrides for its own part names.
 * Word's settings type is taken only for a part called settings.xml (or webSettings.xml), whose
 * hyperlinks ./relationships.ts refuses, the VML drawing type only for a part read for VML (DrawingML's drawing and
 * chart types, which hold linked pictures, for one read for them), the
 * extended-properties type only to docProps/app.xml (./properties.ts), and the shared-strings
 * type only to xl/sharedStrings.xml (./workbook-strings.ts).
 *
 * Excel's binary parts (an `.xlsb` workbook's sheets, tables, names…: `application/vnd.ms-excel.*`
 * types that are not `+xml`) hold formulas in a binary form no check reads, and Excel loads a
 * binary sheet from an `.xlsx` package all the same: a part given such a type is refused
 * (OOXML_UNREADABLE). Binary parts Office writes in genuine files have other types: printer
 * settings, pictures, fonts (and OLE objects and VBA projects, refused above).
 */

/** 10,000 parts (the entry limit) at ~200 bytes per Override fit in 2 MiB. */
export const CONTENT_TYPES_CAP = 4 * 1024 * 1024;

const RULES: ReadonlyArray<readonly [RegExp, (report: Report, type: string) => void]> = [
  [
    /macroEnabled|vbaProject|vbaData|macrosheet|keyMapCustomizations|addin\.macro/i,
    (r, type) => r.add('MACROS', { name: type }),
  ],
  [/activeX/i, (r) => r.add('OOXML_EMBEDDED_OBJECT', { kind: 'ActiveX control' })],
  [/oleObject/i, (r) => r.add('OOXML_EMBEDDED_OBJECT', { kind: 'OLE object' })],
  [/externalLink/i, (r, type) => r.add('OOXML_EXTERNAL', { kind: 'external workbook link', target: type })],
  [/connections\+xml|queryTable/i, (r, type) => r.add('OOXML_EXTERNAL', { kind: 'data connection', target: type })],
  [/webextension/i, (r, type) => r.add('OOXML_EXTERNAL', { kind: 'web add-in', target: type })],
  // A Power Pivot data model (`xl/model/item.data`): its tables refresh from the sources it names.
  [/officedocument\.model\+data/i, (r, type) => r.add('OOXML_EXTERNAL', { kind: 'data model', target: type })],
];

/**
 * A Default types the parts of its extension, and only those (OPC): a Default no part's name ends
 * in types nothing, whatever its type. SheetJS writes `.bin` as a macro-enabled binary workbook and
 * `.data` as a data model into the content types of every `.xlsx` it makes, with neither part in
 * it. So what a Default's type would refuse is refused once a part of its extension is met, before
 * or after [Content_Types].xml (a renamed `vbaProject.bin`, an `oleObject1.bin`, a `sheet2.bin`),
 * and never otherwise. One package's inspection holds one (./package-inspection.ts).
 *
 * A Default may also give a story's or a sheet's type to its extension: a writer that follows the
 * Open Packaging Conventions' steps for adding a part (ECMA-376 Part 2, 10.1.2.4: no Default for
 * the extension yet, so add one) and adds the main part first types `.xml` as the main document,
 * every later part of another type getting an Override. .NET's System.IO.Packaging does so (its
 * packages carry `package/services/metadata/core-properties/*.psmdcp`), as did the writers of POI's
 * 55733.docx, Bug60341.docx, 59021.xlsx and 65016.xlsx; Word, Excel and LibreOffice open them. Such
 * a Default is judged for each part it types: every part of its extension without an Override of
 * its own, met before or after, must be one read as the type asks (`eachPart`).
 */
export class PartExtensions {
  /** Extension → the keys of the parts met with it. */
  private readonly met = new Map<string, string[]>();
  private readonly waiting = new Map<string, Array<() => void>>();
  private readonly perPart = new Map<string, Array<(key: string) => void>>();

  /** A part of the package met by the walk, by its key (./stories.ts `partKey`). */
  partMet(key: string): void {
    const extension = extensionOf(key);
    const keys = this.met.get(extension);
    if (keys) keys.push(key);
    else this.met.set(extension, [key]);
    for (const judge of this.perPart.get(extension) ?? []) judge(key);
    if (keys) return;
    const judges = this.waiting.get(extension);
    this.waiting.delete(extension);
    for (const judge of judges ?? []) judge();
  }

  /** Runs `judge` when a part named with `extension` is met, or now if one was. */
  whenMet(extension: string, judge: () => void): void {
    const key = partKey(extension).trim();
    if (this.met.has(key)) judge();
    else {
      const judges = this.waiting.get(key);
      if (judges) judges.push(judge);
      else this.waiting.set(key, [judge]);
    }
  }

  /** Runs `judge` on each part named with `extension`, those met and those to come. */
  eachPart(extension: string, judge: (key: string) => void): void {
    const key = partKey(extension).trim();
    for (const part of this.met.get(key) ?? []) judge(part);
    const judges = this.perPart.get(key);
    if (judges) judges.push(judge);
    else this.perPart.set(key, [judge]);
  }
}

/** What follows the last dot of a part's last segment (`xl/media/a.b.png` → `png`), or nothing. */
function extensionOf(key: string): string {
  const segment = key.slice(key.lastIndexOf('/') + 1);
  const dot = segment.lastIndexOf('.');
  return dot === -1 ? '' : segment.slice(dot + 1).trim();
}

/**
 * Judges [Content_Types].xml; `extensions` holds a Default's findings until a part of its
 * extension is met (a part judged alone, as in a test, has each Default judged at once);
 * `customProperties` is told every part's and extension's type (./custom-properties.ts).
 */
export function judgeContentTypes(
  text: string,
  report: Report,
  extensions?: PartExtensions,
  customProperties?: CustomPropertyParts,
): void {
  if (!new RegExp(`<${PREFIX}Types[\\s>]`).test(text)) {
    report.add('OOXML_UNREADABLE', { part: '[Content_Types].xml' });
    return;
  }
  // Every Override's part, first: a part with one is not typed by its extension's Default.
  const overridden = new Set<string>();
  for (const attributes of elements(text, 'Override')) {
    if (attributes) overridden.add(partKey((attributes.get('PartName') ?? '').trim()));
  }
  for (const local of ['Default', 'Override']) {
    for (const attributes of elements(text, local)) {
      if (!attributes) {
        report.add('OOXML_UNREADABLE', { part: `[Content_Types].xml <${local}>` });
        return;
      }
      const type = attributes.get('ContentType') ?? '';
      const name = local === 'Override' ? (attributes.get('PartName') ?? '') : undefined;
      const extension = attributes.get('Extension') ?? '';
      customProperties?.typed(name === undefined ? { extension } : { part: partKey(name.trim()) }, type);
      const unread = (where: string) =>
        report.add('OOXML_UNREADABLE', { part: `[Content_Types].xml: ${where.slice(0, 200)} as ${type}` });
      const judge = () => {
        for (const [pattern, refuse] of RULES) if (pattern.test(type)) refuse(report, type);
        if (name !== undefined && !readAs(type, name)) unread(name);
      };
      if (name !== undefined) {
        judge();
        continue;
      }
      if (extensions) extensions.whenMet(extension, judge);
      else judge();
      // A Default's type is judged on each part it types (PartExtensions); judged alone, at once.
      if (readAs(type, undefined, extension)) continue;
      if (!extensions) unread(`*.${extension}`);
      else {
        extensions.eachPart(extension, (key) => {
          if (key !== CONTENT_TYPES_KEY && !overridden.has(key) && !readAsKey(type, key))
            unread(`*.${extension} (${key})`);
        });
      }
    }
  }
}

/** [Content_Types].xml itself, which is not a part (OPC) and which no Default types. */
const CONTENT_TYPES_KEY = '[content_types].xml';

/** Excel's binary part types (BIFF12, as in `.xlsb`), which no check reads. */
const EXCEL_BINARY_TYPE = /^\s*application\/vnd\.ms-excel\.(?![^;]*\+xml\s*(?:;|$))/i;

/**
 * Whether a part of `type` called `name` (a Default's parts: `undefined`, of `extension`) is read
 * as the type asks. Excel declares its VML drawings by a Default for `.vml`, a name read for VML
 * wherever the part is; any other Default of a type read only in some parts is judged on each part
 * it types (`readAsKey`).
 */
function readAs(type: string, name: string | undefined, extension = ''): boolean {
  if (name !== undefined) return readAsKey(type, partKey(name.trim()));
  const read = readerOf(type);
  if (read === 'none') return false;
  if (!read) return true;
  const ext = extension.trim().toLowerCase();
  return (read === readsVml && ext === 'vml') || (read === readsSvg && ext === 'svg');
}

/** Whether the part `key` (./stories.ts `partKey`) is read as `type` asks. */
function readAsKey(type: string, key: string): boolean {
  const read = readerOf(type);
  if (read === 'none') return false;
  if (!read) return true;
  // `/word/../body.xml` names `/body.xml` to a reader that resolves it: only plain names count.
  if (/(^|\/)\.\.?(\/|$)|\/\/|\\/.test(key)) return false;
  return read(key);
}

/** Which parts are read as `type` asks: undefined for a type any part may have, 'none' for one no part may. */
function readerOf(type: string): ((key: string) => boolean) | 'none' | undefined {
  if (EXCEL_BINARY_TYPE.test(type)) return 'none';
  return WORD_STORY_TYPE.test(type)
    ? readsFields
    : FORMULA_TYPE.test(type)
      ? readsFormulas
      : SETTINGS_TYPE.test(type)
        ? isSettings
        : VML_TYPE.test(type)
          ? readsVml
          : CHART_TYPE.test(type)
            ? (key: string) => (key.startsWith('word/') ? readsChartFormulas(key) : readsPictures(key))
            : DRAWING_TYPE.test(type)
              ? readsPictures
              : PROPERTIES_TYPE.test(type)
                ? (key: string) => key === PROPERTIES_PART
                : SHARED_STRINGS_TYPE.test(type)
                  ? (key: string) => key === SHARED_STRINGS_PART
                  : SVG_TYPE.test(type)
                    ? readsSvg
                    : undefined;
}
