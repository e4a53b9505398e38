/**
 * Macros in Office documents: VBA projects and Excel 4.0 macro sheets are found by their part
 * names, macro-enabled documents by the content types their [Content_Types].xml declares.
 */

/** The lower-cased name of the part that declares content types. */
export const CONTENT_TYPES = '[content_types].xml';
/** How much of [Content_Types].xml is read for macro content types. */
const CONTENT_TYPES_CAP = 1024 * 1024;
const MACRO_CONTENT_TYPE = /macroEnabled|vbaProject|macrosheet/i;

/** VBA projects (Word, Excel, PowerPoint) and Excel 4.0 macro sheets. */
export function isMacroPart(lowerName: string): boolean {
  return (
    lowerName === 'vbaproject.bin' || lowerName.endsWith('/vbaproject.bin') || lowerName.startsWith('xl/macrosheets/')
  );
}

/** The start of [Content_Types].xml as it inflates, up to the cap. */
export class ContentTypes {
  private readonly pieces: Buffer[] = [];
  private bytes = 0;

  add(out: Buffer): void {
    if (this.bytes >= CONTENT_TYPES_CAP) return;
    this.pieces.push(Buffer.from(out));
    this.bytes += out.length;
  }

  /** Whether what was read declares a macro-enabled document or a macro part. */
  get declaresMacros(): boolean {
    return MACRO_CONTENT_TYPE.test(Buffer.concat(this.pieces).toString('utf8'));
  }
}
