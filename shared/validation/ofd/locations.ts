import { percentDecoded, targetAsFollowed } from '../link-target.ts';

/**
 * OFD locations (ST_Loc, GB/T 33190 § 7.3): the paths by which one part names another — the
 * document root, resources, fonts, media, annotations, signatures, custom tags, extensions. A
 * reader reads what they name, so one that names something outside the package makes it fetch
 * that by itself when the document opens: a URL (`http:`, `file:`), a UNC path (`\\host\share`,
 * which on Windows also hands the reviewer's credentials to that host), a drive (`C:`), or a
 * path that climbs (`..`) above every folder a part can sit in. Package paths — relative, or
 * absolute from the package root (`/Doc_0/Res/…`) — stay inside.
 */

/**
 * Elements whose text is a location. `ExtendData` is an extension's data file (Extensions.xml);
 * `File` a file of a version's FileList (a DocVersion part, which OFD.xml's `Version` names);
 * `Cover` the document's cover picture (OFD.xml's DocInfo), which a reader shows with the
 * document's properties.
 */
export const LOCATION_ELEMENTS: readonly string[] = [
  'DocRoot',
  'PublicRes',
  'DocumentRes',
  'FontFile',
  'MediaFile',
  'Annotations',
  'Attachments',
  'CustomTags',
  'Extensions',
  'Signatures',
  'SignedValue',
  'FileLoc',
  'SchemaLoc',
  'BaseLoc',
  'PageRes',
  'ExtendData',
  'File',
  'Cover',
];

/**
 * Elements whose location names an XML part the reader reads for content (Document.xml, pages'
 * resources, annotations, custom tags, extensions, signatures), and elements whose `BaseLoc`
 * attribute does (a page's or template's Content.xml, a Signature.xml, a version's DocVersion
 * part). `FileLoc` names one too,
 * except in an attachment (refused anyway).
 */
export const XML_PART_ELEMENTS: ReadonlySet<string> = new Set([
  'DocRoot',
  'PublicRes',
  'DocumentRes',
  'PageRes',
  'Annotations',
  'Attachments',
  'CustomTags',
  'Extensions',
  'Signatures',
  'FileLoc',
]);
export const XML_PART_BASE_OF: ReadonlySet<string> = new Set(['Page', 'TemplatePage', 'Signature', 'Version']);

/** Attributes whose value is a location (`Profile`: a colour space's ICC profile). */
export const LOCATION_ATTRIBUTES: readonly string[] = ['BaseLoc', 'FileRef', 'Profile'];

/**
 * Byte needles that find every item holding a location (a tag named above, or a CDATA section
 * that may hold one's text): fewer and shorter than the names, so the byte search stays cheap
 * (`Attachments` is found by the check's own `Attachment`).
 */
export const LOCATION_NEEDLES: readonly string[] = [
  'Root',
  'Res>',
  'File',
  'Annotations',
  'CustomTags',
  'Extensions',
  'ExtendData',
  'Sign',
  'Loc',
  'CDATA',
  'Cover',
  'Profile',
];

/**
 * Parts sit at most this many folders deep (Doc_0/Pages/Page_0/, and a resource folder below a
 * part): a path that climbs further leaves the package from wherever it is read.
 */
const MAX_PART_DEPTH = 4;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** A segment Windows reads as `..` (see isOutside). */
const CLIMB = /^\.\.[. ]*$/;

/** Folders and names the zip walk reads as Office parts, not as OFD ones (see ../ooxml/parts.ts). */
const OFFICE_FOLDERS = new Set(['word', 'xl', 'ppt', 'docprops', 'customxml', '_rels']);

/**
 * Whether an XML part named by `loc` is one the OFD checks do not read: the zip walk reads only
 * `.xml` entries outside the Office folders as OFD parts, while a reader reads whatever the
 * location names (`Doc_0/Document.dat`, `word/Content.xml`, `word%2FContent.xml` once a reader
 * decodes it).
 */
export function isUncheckedPart(loc: string): boolean {
  const segments = (loc.includes('%') ? percentDecoded(loc) : loc)
    .trim()
    .toLowerCase()
    .split(/[\\/]/)
    .filter((s) => s !== '' && s !== '.' && s !== '..');
  const last = segments.at(-1);
  if (last === undefined) return false;
  return !last.endsWith('.xml') || last === '[content_types].xml' || segments.some((s) => OFFICE_FOLDERS.has(s));
}

/**
 * Whether the location `loc` names something outside the package. Percent-escapes are decoded
 * first: a location is a URI reference, and a reader that decodes `%5C%5Chost` or `%2E%2E` goes
 * where the decoded path leads (genuine package paths escape none of `\`, `/`, `.` or `:`). It is
 * then read as a URL parser reads it (../link-target.ts): `ht&#9;tp:` is a scheme and a control
 * before `\\host` is dropped. `maxDepth`: how many folders it may climb, from where it is read
 * (none from the package's root part, OFD.xml).
 *
 * A segment of dots, or of dots and spaces (`...`, `.. `), climbs as `..` does: Windows drops a
 * segment's trailing dots and spaces before it opens a path, and no writer names a folder so.
 */
export function isOutside(loc: string, maxDepth = MAX_PART_DEPTH): boolean {
  const path = targetAsFollowed(loc.includes('%') ? percentDecoded(loc) : loc);
  if (path === '') return false;
  if (SCHEME.test(path)) return true;
  // A UNC path, in any mix of separators: Windows reads `/\\host\share` as `\\host\share`.
  if (/^[\\/]{2}/.test(path)) return true;
  let depth = 0;
  for (const segment of path.split(/[\\/]/)) {
    if (segment === '..' || (segment.startsWith('..') && CLIMB.test(segment))) {
      depth--;
      if (depth < -maxDepth) return true;
    } else if (segment !== '' && segment !== '.') {
      depth++;
    }
  }
  return false;
}
