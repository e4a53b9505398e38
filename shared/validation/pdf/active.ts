import { LinkFacts } from './links.ts';
import { ReferenceLog } from './references.ts';
import { entry, nameOf, namesIn, type PdfValue } from './syntax.ts';

/**
 * What in a PDF acts by itself or carries what reviewers cannot check, and the rules for it:
 *
 *   script      /JavaScript, /JS (JavaScript actions and document scripts), /Launch (runs a
 *               program or opens a file), /RichMedia, /RichMediaExecute (embedded players),
 *               /XFA (XML forms, which carry their own scripts), /3DD (a 3D annotation's model,
 *               run by the reader's 3D engine, on opening when its /3DA says so),
 *               /OnInstantiate (a 3D model's JavaScript), /Navigator (a portfolio's navigator,
 *               a Flash program Acrobat 9 and X run to show the portfolio);
 *   attachment  /EmbeddedFiles (the attachment list), /EF and /EmbeddedFile (an embedded file and
 *               its stream), /FileAttachment (an attachment annotation);
 *   action      /AA (actions on page, annotation or field events: opening, closing, focus…),
 *               /SubmitForm and /ImportData (form data sent out or read in), /GoToE (into an
 *               embedded file), /Sound, /Movie, /Rendition (media that plays).
 *
 * Refused wherever they occur as names: in the file's own syntax and inside every object stream
 * (decoded through its filters), with `#xx` escapes decoded. An ordinary link (/URI, /GoToR,
 * /Named, /GoTo on an annotation the reader clicks) is not refused (a link out of the file is a
 * warning, or refused when it leads into a Windows share: ./links.ts); but /OpenAction, which runs
 * when the file opens, may only go to a place in the document: a destination array or a /GoTo
 * action (followed through indirect objects and /Next chains, a /Next list by reference too). Any other opening action (a /URI
 * that calls out, a /GoToR to another file…) is an action that acts: refused. So is one whose
 * /S is not a name (a reader resolves `/S 7 0 R`), or is written twice (readers differ on which
 * they keep: every value of a key written twice is read). An object defined more than once (in an
 * update, or twice in one section) acts if any of its definitions does: which one a reader
 * takes depends on its cross-reference reading. A stream whose data is an external file (/F in
 * its dictionary) is an action too: the reader fetches that file; so is a form that shows a page
 * of another file (a reference XObject, /Ref), which the reader fetches to draw the page, and an
 * output intent whose profile is another file (/DestOutputProfileRef's /URLs).
 *
 * A presentation step's actions run unasked too (round 12): a page's /PresSteps is a chain of
 * navigation nodes (PDF 2.0 § 12.4.4.1) whose /NA runs when the step advances — by itself after
 * the node's /Dur in full-screen mode — and /PA when it goes back. Sub-page navigation uses them
 * to show and hide layers, so there an action may change what is shown (/GoTo, /SetOCGState,
 * /Trans, /Hide); any other (a /URI, a /GoToR…) acts. And a font whose /FontMatrix holds a
 * string (or a reference, which may be one) is a script: pdf.js before 4.2.67 wrote the matrix
 * into the JavaScript it compiles to draw the glyphs (CVE-2024-4367), so the string ran in the
 * viewer's page.
 */

export type ActiveKind = 'script' | 'attachment' | 'action';

const ACTIVE: Readonly<Record<string, ActiveKind>> = {
  JavaScript: 'script',
  JS: 'script',
  Launch: 'script',
  RichMedia: 'script',
  RichMediaExecute: 'script',
  XFA: 'script',
  '3DD': 'script',
  OnInstantiate: 'script',
  Navigator: 'script',
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

/** What a presentation step's action may do without acting: change what is shown. */
const STEP_TYPES: ReadonlySet<string> = new Set(['GoTo', 'SetOCGState', 'Trans', 'Hide']);
/** What an opening action may do without acting: go to a place in the document. */
const OPENING_TYPES: ReadonlySet<string> = new Set(['GoTo']);

/** How deep /Next chains and nested values are followed. */
const MAX_FOLLOW = 32;
/** The type of an action whose /S is not a name. */
const INDIRECT_TYPE = 'S (not a name)';
/** The type of an action whose /S is written twice: which one a reader keeps depends on the reader. */
const TWICE_TYPE = 'S (written twice)';

interface Action {
  type: string;
  next: PdfValue | undefined;
}

/** What the scan learns of a PDF's objects, as it meets them. */
export class ActiveFacts {
  /** The first name of each kind met. */
  readonly found = new Map<ActiveKind, string>();
  encrypted = false;
  /** The links out of the file, met in every object. */
  readonly links = new LinkFacts();
  /** Objects that are action dictionaries, by number: every definition met. */
  private readonly actions = new Map<number, Action[]>();
  /** Objects whose whole value is a reference to another, by number. */
  private readonly aliases = new Map<number, number[]>();
  /** Objects whose whole value is an array (a /Next list of actions by reference): its references and actions. */
  private readonly lists = new Map<number, PdfValue[][]>();
  private readonly openActions: PdfValue[] = [];
  /** Presentation steps' actions (a navigation node's /NA and /PA), with the key that holds each. */
  private readonly stepActions: Array<{ key: string; value: PdfValue }> = [];
  /** Every reference met, and where: ./xref.ts checks them against the cross-reference entries. */
  readonly references = new ReferenceLog();

  /** Every name in a piece of PDF syntax (text or a decoded object stream). */
  scanNames(text: string): void {
    for (const { name } of namesIn(text)) {
      if (name === 'Encrypt') this.encrypted = true;
      const kind = ACTIVE[name];
      if (kind && !this.found.has(kind)) this.found.set(kind, name);
    }
  }

  /**
   * One indirect object's value; `at` and `gen`, its header's stream position and generation when
   * in the file's own syntax (where an encrypted file's strings are encrypted with its key).
   */
  addObject(num: number, value: PdfValue, at?: number, gen = 0): void {
    this.references.begin(num, at);
    this.links.begin(at === undefined ? undefined : { num, gen });
    const type = actionType(value);
    if (type !== undefined) append(this.actions, num, { type, next: nextOf(value) });
    if (value.kind === 'ref') append(this.aliases, num, value.num);
    if (value.kind === 'array') {
      const items = value.items.filter((item) => item.kind === 'ref' || actionType(item) !== undefined);
      if (items.length > 0) append(this.lists, num, items);
    }
    this.links.addObject(num, value);
    this.walk(value);
  }

  /**
   * A trailer's dictionary: its /Root may be the catalog itself, written in place, which pdf.js
   * reads (an opening action, links, as in any object).
   */
  addTrailer(value: PdfValue): void {
    this.references.begin(-1);
    this.links.begin(undefined);
    this.walk(value);
  }

  /** A stream whose data is an external file. */
  externalStream(): void {
    if (!this.found.has('action')) this.found.set('action', 'F (external stream data)');
  }

  /** A form that shows a page of another file (a reference XObject), which a reader fetches to draw it. */
  private externalPage(): void {
    if (!this.found.has('action')) this.found.set('action', 'Ref (a page of another file)');
  }

  /** A font matrix holding text, which pdf.js before 4.2.67 wrote into the JavaScript it ran. */
  private scriptedFontMatrix(): void {
    if (!this.found.has('script')) this.found.set('script', 'FontMatrix (holds a string)');
  }

  /**
   * A colour profile named by file specifications (/URLs, PDF 2.0 § 14.11.5) rather than
   * embedded: a reader or preflight that needs it fetches it, from a share or a `file:` URL too.
   * Evidence embeds its profile (/DestOutputProfile, PDF/X-4 and PDF/A), which stays accepted.
   */
  private externalProfile(): void {
    if (!this.found.has('action')) this.found.set('action', 'URLs (a colour profile of another file)');
  }

  /**
   * The actions that run with no click and do more than they may, as `/OpenAction /Type`: the
   * opening action, which may only go to a place in the document, and a presentation step's
   * (`/NA /Type`, `/PA /Type`), which may change what is shown.
   */
  unaskedActions(): string[] {
    const acting = new Set<string>();
    const opening = this.openActions.map((value) => ({ label: '/OpenAction', value }));
    this.judgeUnasked(opening, true, OPENING_TYPES, acting);
    const steps = this.stepActions.map(({ key, value }) => ({ label: `/${key}`, value }));
    this.judgeUnasked(steps, false, STEP_TYPES, acting);
    return [...acting];
  }

  /**
   * Adds to `acting` each action the roots run (followed through indirect objects and /Next
   * chains) whose type is not in `allowed`, as `label /Type`. `destination`: a root may be a
   * destination array (an opening action's own value), else an array is a list of actions. Each
   * number is followed once for all the roots, so many roots naming one long list cost no more
   * than one.
   */
  private judgeUnasked(
    roots: Array<{ label: string; value: PdfValue }>,
    destination: boolean,
    allowed: ReadonlySet<string>,
    acting: Set<string>,
  ): void {
    const seen = new Set<number>();
    let label = '';
    const visit = (value: PdfValue | undefined, depth: number, top: boolean) => {
      if (!value || depth > MAX_FOLLOW) return;
      if (value.kind === 'ref') {
        // Each number once as the root's own value, once under /Next: an array reads otherwise in each.
        const key = value.num * 2 + (top ? 1 : 0);
        if (seen.has(key)) return;
        seen.add(key);
        for (const action of this.actions.get(value.num) ?? []) judge(action, depth);
        for (const target of this.aliases.get(value.num) ?? [])
          visit({ kind: 'ref', num: target, gen: 0 }, depth + 1, top);
        // An array by reference: as the opening action's own value, a destination; under /Next, a list of actions.
        if (!top)
          for (const items of this.lists.get(value.num) ?? []) for (const item of items) visit(item, depth + 1, false);
        return;
      }
      // A destination array is a place, as the opening action's own value; under /Next, a list of actions.
      if (value.kind === 'array') {
        if (!top) for (const item of value.items) visit(item, depth + 1, false);
        return;
      }
      if (value.kind === 'dict') {
        const type = actionType(value);
        if (type !== undefined) judge({ type, next: nextOf(value) }, depth);
      }
    };
    const judge = (action: Action, depth: number) => {
      if (!allowed.has(action.type)) acting.add(`${label} /${action.type}`);
      visit(action.next, depth + 1, false);
    };
    for (const root of roots) {
      label = root.label;
      visit(root.value, 0, destination);
    }
  }

  /**
   * Every dictionary in a value, however deep (the parse stops nesting at 64): opening actions,
   * and the actions and /URI dictionaries whose links ./links.ts judges.
   */
  private walk(value: PdfValue): void {
    if (value.kind === 'dict') {
      const type = actionType(value);
      const unsure = type === INDIRECT_TYPE || type === TWICE_TYPE;
      if (type !== undefined) this.links.addAction(type, value.entries, unsure);
      // A key written twice: the earlier values are read as well, as a reader that keeps the first reads them.
      if (type !== undefined && value.shadowed) this.links.addAction(type, new Map(value.shadowed), unsure);
      if (isReferenceXObject(value.entries)) this.externalPage();
      // An output intent's profile kept in another file (PDF/X-5's /DestOutputProfileRef), by /URLs a reader may fetch.
      if (value.entries.has('URLs')) this.externalProfile();
      // A /Base is a URI dictionary's (the catalog's /URI, written in place or by reference), which relative URIs resolve against.
      if (value.entries.has('Base')) this.links.addUriDictionary(value.entries);
      for (const [key, inner] of value.shadowed ? [...value.entries, ...value.shadowed] : value.entries) {
        if (key === 'OpenAction') this.openActions.push(inner);
        // A navigation node's actions; a link annotation's /PA is Web Capture's saved /URI, never run.
        else if (key === 'NA' || (key === 'PA' && nameOf(value.entries.get('Subtype')) !== 'Link'))
          this.stepActions.push({ key, value: inner });
        else if (key === 'FontMatrix' && holdsText(inner)) this.scriptedFontMatrix();
        else if (key === 'AF') this.links.addAssociated(inner);
        this.walk(inner);
      }
    } else if (value.kind === 'array') {
      for (const item of value.items) this.walk(item);
    } else if (value.kind === 'ref') {
      this.references.add(value.num, value.gen);
    }
  }
}

/**
 * A reference XObject (PDF 2.0 § 8.10.4): a form whose /Ref names a page of another file, by a
 * file specification a reader with "show reference XObject targets" (Acrobat's setting) fetches
 * while it draws the page, with no click: from a share, with the reviewer's Windows credentials.
 * /Ref is also a structure element's list of references (an array), which is not one.
 */
function isReferenceXObject(entries: Map<string, PdfValue>): boolean {
  const ref = entries.get('Ref');
  if (ref?.kind === 'dict') return true;
  return ref?.kind === 'ref' && nameOf(entries.get('Subtype')) === 'Form';
}

/**
 * Whether a value holds a string, or a reference that may be one, however deep in arrays: what
 * pdf.js before 4.2.67 wrote as text into the glyph code it compiled from a font matrix (an
 * array's items joined, nested arrays too; a reader resolves references). A number, a name, a
 * keyword or a dictionary there came out as no code. Numbers in any notation stay VALID.
 */
function holdsText(value: PdfValue): boolean {
  if (value.kind === 'string' || value.kind === 'ref') return true;
  return value.kind === 'array' && value.items.some(holdsText);
}

/** The action type of a value that is an action dictionary. */
function actionType(value: PdfValue): string | undefined {
  const s = entry(value, 'S');
  if (s === undefined) return undefined;
  if (value.kind === 'dict' && value.shadowed?.some(([key]) => key === 'S')) return TWICE_TYPE;
  const type = nameOf(s);
  if (type === undefined) return INDIRECT_TYPE;
  return ACTION_TYPES.has(type) ? type : undefined;
}

/** An action's /Next, with the earlier values of a /Next written twice: a list, as /Next may be. */
function nextOf(value: PdfValue): PdfValue | undefined {
  const next = entry(value, 'Next');
  const earlier = value.kind === 'dict' ? (value.shadowed ?? []).filter(([key]) => key === 'Next') : [];
  if (earlier.length === 0 || next === undefined) return next;
  return { kind: 'array', items: [next, ...earlier.map(([, inner]) => inner)] };
}

function append<T>(map: Map<number, T[]>, key: number, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}
