import { entry, nameOf, namesIn, type PdfValue } from './syntax.ts';

/**
 * What in a PDF acts by itself or carries what reviewers cannot check, and the rules for it:
 *
 *   script      /JavaScript, /JS (JavaScript actions and document scripts), /Launch (runs a
 *               program or opens a file), /RichMedia, /RichMediaExecute (embedded players),
 *               /XFA (XML forms, which carry their own scripts);
 *   attachment  /EmbeddedFiles (the attachment list), /EF and /EmbeddedFile (an embedded file and
 *               its stream), /FileAttachment (an attachment annotation);
 *   action      /AA (actions on page, annotation or field events: opening, closing, focus…),
 *               /SubmitForm and /ImportData (form data sent out or read in), /GoToE (into an
 *               embedded file), /Sound, /Movie, /Rendition (media that plays).
 *
 * Refused wherever they occur as names: in the file's own syntax and inside every object stream
 * (decoded through its filters), with `#xx` escapes decoded. An ordinary link (/URI, /GoToR,
 * /Named, /GoTo on an annotation the reader clicks) is not refused; but /OpenAction, which runs
 * when the file opens, may only go to a place in the document: a destination array or a /GoTo
 * action (followed through indirect objects and /Next chains). Any other opening action (a /URI
 * that calls out, a /GoToR to another file…) is an action that acts: refused.
 */

export type ActiveKind = 'script' | 'attachment' | 'action';

const ACTIVE: Readonly<Record<string, ActiveKind>> = {
  JavaScript: 'script',
  JS: 'script',
  Launch: 'script',
  RichMedia: 'script',
  RichMediaExecute: 'script',
  XFA: 'script',
  EmbeddedFiles: 'attachment',
  EmbeddedFile: 'attachment',
  EF: 'attachment',
  FileAttachment: 'attachment',
  AA: 'action',
  SubmitForm: 'action',
  ImportData: 'action',
  GoToE: 'action',
  Sound: 'action',
  Movie: 'action',
  Rendition: 'action',
};

/** Action types (the /S of an action dictionary), PDF 2.0 § 12.6.4. */
const ACTION_TYPES = new Set([
  'GoTo',
  'GoToR',
  'GoToE',
  'GoToDp',
  'Launch',
  'Thread',
  'URI',
  'Sound',
  'Movie',
  'Hide',
  'Named',
  'SubmitForm',
  'ResetForm',
  'ImportData',
  'JavaScript',
  'SetOCGState',
  'Rendition',
  'Trans',
  'GoTo3DView',
  'RichMediaExecute',
]);

/** How deep /Next chains and nested values are followed. */
const MAX_FOLLOW = 32;

interface Action {
  type: string;
  next: PdfValue | undefined;
}

/** What the scan learns of a PDF's objects, as it meets them. */
export class ActiveFacts {
  /** The first name of each kind met. */
  readonly found = new Map<ActiveKind, string>();
  encrypted = false;
  /** Objects that are action dictionaries, by number. */
  private readonly actions = new Map<number, Action>();
  private readonly openActions: PdfValue[] = [];

  /** Every name in a piece of PDF syntax (text or a decoded object stream). */
  scanNames(text: string): void {
    for (const { name } of namesIn(text)) {
      if (name === 'Encrypt') this.encrypted = true;
      const kind = ACTIVE[name];
      if (kind && !this.found.has(kind)) this.found.set(kind, name);
    }
  }

  /** One object's value (its number when it is an indirect object). */
  addObject(num: number | undefined, value: PdfValue): void {
    const type = nameOf(entry(value, 'S'));
    if (num !== undefined && type !== undefined && ACTION_TYPES.has(type)) {
      this.actions.set(num, { type, next: entry(value, 'Next') });
    }
    this.collectOpenActions(value, 0);
  }

  /** The opening actions that do more than go to a place in the document, as `/OpenAction /Type`. */
  actingOpenActions(): string[] {
    const acting = new Set<string>();
    const seen = new Set<number>();
    const visit = (value: PdfValue | undefined, depth: number, top: boolean) => {
      if (!value || depth > MAX_FOLLOW) return;
      if (value.kind === 'ref') {
        if (seen.has(value.num)) return;
        seen.add(value.num);
        const action = this.actions.get(value.num);
        if (action) judge(action, depth);
        return;
      }
      // A destination array is a place, as the opening action's own value; under /Next, a list of actions.
      if (value.kind === 'array') {
        if (!top) for (const item of value.items) visit(item, depth + 1, false);
        return;
      }
      if (value.kind === 'dict') {
        const type = nameOf(value.entries.get('S'));
        if (type !== undefined) judge({ type, next: value.entries.get('Next') }, depth);
      }
    };
    const judge = (action: Action, depth: number) => {
      if (action.type !== 'GoTo') acting.add(`/OpenAction /${action.type}`);
      visit(action.next, depth + 1, false);
    };
    for (const value of this.openActions) visit(value, 0, true);
    return [...acting];
  }

  private collectOpenActions(value: PdfValue, depth: number): void {
    if (depth > MAX_FOLLOW) return;
    if (value.kind === 'dict') {
      for (const [key, inner] of value.entries) {
        if (key === 'OpenAction') this.openActions.push(inner);
        this.collectOpenActions(inner, depth + 1);
      }
    } else if (value.kind === 'array') {
      for (const item of value.items) this.collectOpenActions(item, depth + 1);
    }
  }
}
