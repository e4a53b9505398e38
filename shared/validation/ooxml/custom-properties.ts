import type { Report } from '../report.ts';

/**
 * A worksheet's custom properties (`<customPr name="…" r:id="…">`, ECMA-376 Part 1, 18.3.1.23):
 * Excel keeps each value as a binary part, `xl/customProperty1.bin`, given the type
 * CUSTOM_PROPERTY_TYPE and reached by a relationship of type `…/customProperty`. Add-ins write
 * what they like there; Oracle's Hyperion Smart View writes its settings as XML in UTF-16 without
 * a byte-order mark. Excel hands the bytes to whoever asks for the property and never reads them
 * as a sheet.
 *
 * A part of Excel's folder not named as XML whose first bytes are UTF-16 markup is otherwise
 * refused (OOXML_UNREADABLE, ./parts.ts `IfMarkup`): were a reader to take it for a sheet, its
 * formulas would be in an encoding the checks do not read. Such a part is let through only when
 * both what types it and what reaches it say it is a custom property: its content type (its
 * Override, or else the Default of its extension) is CUSTOM_PROPERTY_TYPE, a customProperty
 * relationship reaches it, and no relationship of another type does (a workbook naming it as a
 * sheet). Both arrive anywhere in the archive, so the verdict waits for the package's end. A part
 * whose first bytes are UTF-8 markup is read for formulas as before, whatever its type.
 */
export const CUSTOM_PROPERTY_TYPE =
  /^\s*application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.customProperty\s*$/i;

export class CustomPropertyParts {
  /** Part key → whether its Override types it as a custom property. */
  private readonly overrides = new Map<string, boolean>();
  /** Extension → whether its Default types it as a custom property. */
  private readonly defaults = new Map<string, boolean>();
  private readonly reachedAsProperty = new Set<string>();
  private readonly reachedOtherwise = new Set<string>();
  /** UTF-16 markup parts waiting for the verdict: key → name as stored. */
  private readonly waiting = new Map<string, string>();

  constructor(private readonly report: Report) {}

  /** A content type from [Content_Types].xml: an Override's part (its key), or a Default's extension. */
  typed(on: { part: string } | { extension: string }, type: string): void {
    const property = CUSTOM_PROPERTY_TYPE.test(type);
    if ('part' in on) this.overrides.set(on.part, property);
    else this.defaults.set(on.extension.trim().toLowerCase(), property);
  }

  /** An internal relationship of `kind` (its type's last segment, lower-cased) reaching the part `key`. */
  reached(key: string, kind: string): void {
    (kind === 'customproperty' ? this.reachedAsProperty : this.reachedOtherwise).add(key);
  }

  /** A part of Excel's folder (`key`, stored as `name`) whose first bytes are UTF-16 markup. */
  utf16Markup(key: string, name: string): void {
    this.waiting.set(key, name);
  }

  /** The package's end: every waiting part not shown to be a custom property is refused. */
  finish(): void {
    for (const [key, name] of this.waiting) {
      if (!this.isCustomProperty(key)) this.report.add('OOXML_UNREADABLE', { part: name });
    }
    this.waiting.clear();
  }

  private isCustomProperty(key: string): boolean {
    const segment = key.slice(key.lastIndexOf('/') + 1);
    const dot = segment.lastIndexOf('.');
    const typed = this.overrides.get(key) ?? this.defaults.get(dot === -1 ? '' : segment.slice(dot + 1)) ?? false;
    return typed && this.reachedAsProperty.has(key) && !this.reachedOtherwise.has(key);
  }
}
