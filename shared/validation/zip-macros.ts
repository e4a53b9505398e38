/**
 * Macros and active objects in Office documents found by their part names, a first net under
 * the real checks by content type and relationship type (./ooxml/): VBA projects and their
 * signatures, Word's macro data, Excel 4.0 macro sheets; ActiveX controls and OLE objects.
 */

/** The lower-cased name of the part that declares content types. */
export const CONTENT_TYPES = '[content_types].xml';

/** Excel 4.0 macro sheets, and their international kind (`intlMacrosheet`, English function names in any locale). */
const MACRO_PART = /(^|\/)(vbaproject\.bin|vbaprojectsignature\.bin|vbadata\.xml)$|^xl\/(intl)?macrosheets\//;

/** VBA projects (Word, Excel, PowerPoint), their signatures and data, and Excel 4.0 macro sheets (both kinds). */
export function isMacroPart(lowerName: string): boolean {
  return MACRO_PART.test(lowerName);
}

/** The kind of active object a part's name makes it (ActiveX, OLE object), if any. */
export function macroOrObjectPart(lowerName: string): string | undefined {
  if (/(^|\/)activex\//.test(lowerName)) return 'ActiveX control';
  if (/(^|\/)embeddings\/oleobject[^/]*$/.test(lowerName)) return 'OLE object';
  return undefined;
}
