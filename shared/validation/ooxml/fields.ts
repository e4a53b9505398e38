import type { Report } from '../report.ts';
import { ATTRIBUTE, attributeValues, CAPTURED_PREFIX, decodeEntities, PREFIX, shownAsUtf8, TAG_INSIDE } from './xml.ts';
import { leadsOutOfReviewersHands, linkReach } from '../link-target.ts';
import { leadKeepsLinkInReach } from './link-lead.ts';
import { MarkupText } from './markup-text.ts';
import type { PackageInspection } from './package-inspection.ts';
import type { HyperlinkUses } from './relationships.ts';
import { nameLongerThanHead, TextStream } from './text-stream.ts';
import { judgeElementLinks, LINK_WORDS, vmlSourceTag } from './element-links.ts';

/**
 * Field codes in Word documents: `DDE` and `DDEAUTO` start another program and read from it
 * (OOXML_DDE); `LINK`, `INCLUDETEXT` and `INCLUDEPICTURE` fetch a file or URL as the document
 * updates its fields, a UNC path leaking the reader's credentials (OOXML_EXTERNAL), and so do
 * the names Word still accepts for the last two (`INCLUDE`, `IMPORT`), `DATABASE` (a query run
 * against an outside data source through its `\c` connection string) and `RD` (another file read
 * to build an index or table of contents). A field's
 * instructions are the text of its `w:instrText` runs (or `w:delInstrText`, the same runs in a
 * tracked deletion, still a field until the deletion is accepted), concatenated (writers and
 * attackers split them: `DD` + `EAUTO`), or a `w:fldSimple`'s `w:instr`; each field starts at a
 * `w:fldChar` of type `begin`, and its first word names it. CDATA sections and comments are
 * resolved first (./markup-text.ts) and character references decoded (`&#68;DE`), as Word reads
 * them. An instruction run (or a `w:fldSimple` tag) longer than the stream's 64 KiB window cannot
 * be read whole, so whitespace there could push the field's name out of sight: it is refused
 * (OOXML_UNREADABLE); Word writes instructions in runs of a few hundred characters at most.
 *
 * Fields nest: a field inside another's instructions is evaluated first and its result becomes
 * part of them, so `{ {QUOTE "INCLUDE"}PICTURE "\\host\x" }` is an INCLUDEPICTURE whose name
 * no search finds. A field whose name is not finished (no space, switch or quote after its first
 * word, or no word yet) when a nested field begins has its name computed: refused
 * (OOXML_EXTERNAL), whatever its arguments say, since a nested field can compute the path as
 * well (`{QUOTE 92 92 …}` spells `\\`). Genuine fields start with their name; a formula field
 * (`{ = {PAGE} + 1 }`) is named by its `=`.
 */

const TAG = new RegExp(
  `<${CAPTURED_PREFIX}(instrText|delInstrText|fldSimple|fldChar)(?=[\\s>/])(${TAG_INSIDE})>([^<]*)`,
  'y',
);
const FIELD = /^(DDEAUTO|DDE|LINK|INCLUDETEXT|INCLUDEPICTURE|INCLUDE|IMPORT|DATABASE|RD)(?![A-Za-z])/i;
/**
 * `nstr`: in `instrText`, `w:instr` and `delInstrText` alike; `Choice` and `Fallback`: the
 * branches of a markup-compatibility `mc:AlternateContent`, of which Word reads one (BRANCH).
 */
const MENTIONS = ['nstr', 'fldChar', 'Choice', 'Fallback'];
const WORDS = [...MENTIONS.map((word) => Buffer.from(word)), ...LINK_WORDS];
/**
 * A branch of an `mc:AlternateContent` opening or closing. Word reads the first `mc:Choice` whose
 * `Requires` it knows, else the `mc:Fallback`, and skips the others; this check reads them all. A
 * field character or instruction seen here but skipped by Word could end a field early or start
 * one Word does not see (`begin`, `{ QUOTE "INCLUDE" }`, an `end` in a Fallback Word 2010 skips,
 * `PICTURE "\\\\host\\x"`, `end`), so inside a branch a field must be whole: begun, given its
 * instructions and ended in that branch, as the fields in Word's text boxes are (written once in
 * the Choice's drawing, once in the Fallback's VML). A branch that ends, separates, adds to, or
 * leaves open a field begun elsewhere is refused (OOXML_UNREADABLE).
 */
const BRANCH = new RegExp(`<(\\/?)${PREFIX}(?:Choice|Fallback)(?=[\\s>/])(${TAG_INSIDE})>`, 'y');
const INSTRUCTION_TAG = new RegExp(`^<${PREFIX}(instrText|delInstrText|fldSimple)(?=[\\s>/])`);
/**
 * What may come before a field's name and is not kept: whitespace, and anything else that is not
 * an ASCII letter, digit or `=` (a no-break space, read here as the two bytes of its UTF-8, a
 * quote, a backslash), in case a reader skips it; no genuine field starts so, and 32 no-break
 * spaces must not fill the window before `DDEAUTO` arrives.
 */
const LEADING = /^[^A-Za-z0-9=]+/;
/** Only a field's first word names it: its instructions are kept this far… */
const KEEP = 32;
/** …but a HYPERLINK field's, whose target follows its name, this far. */
const LINK_KEEP = 512;
const HYPERLINK_FIELD = /^HYPERLINK(?![A-Za-z])/i;
/**
 * A HYPERLINK field's target: its first argument, after any switch (`\l "bookmark"`, `\o "tip"`,
 * `\t "frame"` take one; `\m`, `\n` and any other letter, which Word does not define, none),
 * quoted or bare. Inside quotes Word reads `\\` as
 * one backslash, so `"\\\\host\\x"` is `\\host\x`: the raw text starts with two
 * backslashes all the same, and is judged raw. A bare target runs on over a 0xA0 byte: the
 * instructions are read a byte a character, and a UTF-8 no-break space (C2 A0) before `\\host`
 * is part of the target, trimmed as it is followed (../link-target.ts, round 11), not its end.
 */
const HYPERLINK_TARGET =
  /^HYPERLINK(?:\s+\\[lot]\s*(?:"[^"]*"|\S+)|\s+\\(?![lot])[a-z](?![a-z]))*\s+(?:"\s*([^"]*)|((?:[^\s"]|\xa0)+))/i;
/**
 * A HYPERLINK field's instructions kept short without losing its target: a switch's argument
 * (a tip, a frame, a bookmark), whole or begun, is emptied, and whitespace and repeated
 * argument-less switches (`\m`, `\n`) shrink to one, so no tip of 255 Chinese characters (765 bytes as read), padding or run of
 * switches pushes the target past LINK_KEEP (a run of tabs and line breaks alone shrinks to one
 * tab: BREAKS_ONLY). Text inside the target after a `\l`, `\o` or `\t` may be emptied too: what
 * decides its reach comes before.
 */
function compactLink(instructions: string): string {
  return instructions
    .replace(/(\\[lot])\s*(?:"[^"]*"|[^\s"\\]+)/gi, '$1 ""')
    .replace(/(\\[lot])\s*"[^"]*$/i, '$1 "')
    .replace(/(?:\s+\\(?![lot])[a-z](?![a-z]))+/gi, ' \\m')
    .replace(ASCII_SPACES, (run) => (BREAKS_ONLY.test(run) ? '\t' : ' '));
}
/**
 * Whitespace as bytes: the instructions are read a byte a character, and `\s` would take 0xA0, the
 * second byte of a UTF-8 no-break space (C2 A0), for a space and break the character the target's
 * reading decodes and trims (../link-target.ts, round 11).
 */
const ASCII_SPACES = /[\t\n\v\f\r ]+/g;
/**
 * Whitespace that is tabs and line breaks alone: kept as one tab, not made a space, since inside
 * a target a URL parser drops it (`"ms-ms<tab>dt:"` is `ms-msdt:`: ../link-target.ts), where a
 * space would have made it no scheme.
 */
const BREAKS_ONLY = /^[\t\n\r]+$/;
/** A field's name so far, not yet ended by a space, switch or quote: a nested field would finish it. */
const UNFINISHED_NAME = /^[A-Za-z0-9]*$/;
/**
 * Names of fields that fetch nothing and run nothing, none the beginning of a refused name (FIELD,
 * HYPERLINK): a nested field touching one (`{IF{MERGEFIELD 性别}="男" "先生" "女士"}`, as a
 * field typed with Ctrl+F9 inside another is written, `{PAGE{…}}`) makes it no refused field,
 * whether Word reads the nested result as a word of its own or as the rest of the name.
 */
const HARMLESS_NAMES = new Set(
  (
    'ADDRESSBLOCK ADVANCE ASK AUTHOR AUTONUM AUTONUMLGL AUTONUMOUT BIBLIOGRAPHY CITATION COMMENTS ' +
    'COMPARE CREATEDATE DATE DOCPROPERTY DOCVARIABLE EDITTIME EQ FILENAME FILESIZE FILLIN ' +
    'FORMCHECKBOX FORMDROPDOWN FORMTEXT GREETINGLINE IF INDEX INFO KEYWORDS LASTSAVEDBY LISTNUM ' +
    'MERGEFIELD MERGEREC MERGESEQ NEXT NEXTIF NOTEREF NUMCHARS NUMPAGES NUMWORDS PAGE PAGEREF ' +
    'PRINTDATE QUOTE REF REVNUM SAVEDATE SECTION SECTIONPAGES SEQ SET SKIPIF STYLEREF SUBJECT ' +
    'SYMBOL TA TC TEMPLATE TIME TITLE TOA TOC USERADDRESS USERINITIALS USERNAME XE'
  ).split(' '),
);
/** A HYPERLINK field's switches before its target (as HYPERLINK_TARGET reads them). */
const LINK_SWITCHES = String.raw`(?:\s+\\[lot]\s*(?:"[^"]*"|[^\s"]+)|\s+\\(?![lot])[a-z](?![a-z]))*`;
/** A HYPERLINK field whose target is written whole (a nested field after it is a switch's or the tip's). */
const LINK_TARGET_WRITTEN = new RegExp(
  String.raw`^HYPERLINK${LINK_SWITCHES}\s+(?:"[^"]*"|[^\s"\\](?:[^\s"]|\xa0)*[\t\n\v\f\r ])`,
  'i',
);
/** A HYPERLINK field inside a switch's argument (`\l "` a bookmark, `\o "` a tip): no target there. */
const LINK_IN_SWITCH = new RegExp(String.raw`^HYPERLINK${LINK_SWITCHES}\s+\\[lot]\s*(?:"[^"]*)?$`, 'i');
/** A HYPERLINK field whose target is begun (its lead, group 1 quoted or 2 bare) or not yet. */
const LINK_TARGET_BEGUN = new RegExp(
  String.raw`^HYPERLINK${LINK_SWITCHES}(?:\s+(?:"\s*([^"]*)|([^\s"\\](?:[^\s"]|\xa0)*)))?\s*$`,
  'i',
);
/** Fields open at once: Word nests a few deep; a part of unbalanced `begin`s keeps only the innermost. */
const MAX_OPEN = 64;

/** A field whose `begin` has been read and whose `end` has not. */
interface OpenField {
  /** Its instructions so far (LEADING dropped; KEEP at most, LINK_KEEP for a HYPERLINK field). */
  instructions: string;
  /** Its `separate` has been read: what follows is its result, not its instructions. */
  separated: boolean;
}

/**
 * A `fldChar`'s types, as far as the stack of open fields may trust them: a `begin` under any
 * prefix (Word's namespace may have more than one), but a `separate` or `end` only under the
 * element's own prefix, as Word's writers put it. An attribute in another namespace that Word
 * ignores (`<w:fldChar x:fldCharType="end"/>`) must not close a field whose name a nested field
 * then computes unseen; one Word honours that is ignored here only keeps a field open longer,
 * which can only refuse more.
 */
function fieldCharTypes(inside: string, prefix: string | undefined): string[] {
  const types: string[] = [];
  for (const m of inside.matchAll(ATTRIBUTE)) {
    const name = m[1] ?? '';
    if (name !== 'fldCharType' && !name.endsWith(':fldCharType')) continue;
    const type = decodeEntities(m[2] ?? m[3] ?? '').trim();
    const own = name === (prefix === undefined ? 'fldCharType' : `${prefix}:fldCharType`);
    if (type === 'begin' || own) types.push(type);
  }
  return types;
}

/** The next of MENTIONS (instrText, delInstrText, w:instr, fldChar, a branch) at or after `from`, or -1. */
function nextMention(text: string, from: number): number {
  let next = -1;
  for (const word of MENTIONS) {
    const at = text.indexOf(word, from);
    if (at !== -1 && (next === -1 || at < next)) next = at;
  }
  return next;
}

export class FieldCheck {
  private readonly stream: MarkupText;
  private readonly text: TextStream;
  private readonly open: OpenField[] = [];
  /** For each `mc:Choice`/`mc:Fallback` open, how many fields were open as it began. */
  private readonly branches: number[] = [];
  private found = false;

  private readonly report: Report;
  private readonly hyperlinks: HyperlinkUses;

  constructor(
    private readonly name: string,
    inspection: PackageInspection,
  ) {
    this.report = inspection.report;
    this.hyperlinks = inspection.hyperlinks;
    this.text = new TextStream(
      (text) => this.read(text),
      WORDS,
      (head) => this.long(head),
    );
    this.stream = new MarkupText((out) => this.text.write(out));
  }

  write(out: Buffer): void {
    if (!this.found) this.stream.write(out);
  }

  end(): void {
    if (this.found) return;
    this.stream.end();
    this.text.end();
  }

  private long(head: string): void {
    const instruction = INSTRUCTION_TAG.exec(head)?.[1];
    const tag = instruction ? `w:${instruction}` : (vmlSourceTag(head) ?? nameLongerThanHead(head));
    if (!tag || this.found) return;
    this.found = true;
    this.report.add('OOXML_UNREADABLE', { part: `${this.name} <${tag}>` });
  }

  /** Jumps from one mention of `nstr`/`fldChar` to the next (a regex from every `<` costs 10×). */
  private read(text: string): void {
    if (judgeElementLinks(text, this.name, this.report, this.hyperlinks)) {
      this.found = true;
      return;
    }
    for (let at = nextMention(text, 0); at !== -1 && !this.found; at = nextMention(text, at + 1)) {
      const open = text.lastIndexOf('<', at);
      if (open === -1) continue;
      TAG.lastIndex = open;
      const m = TAG.exec(text);
      if (!m && this.branch(text, open)) {
        at = BRANCH.lastIndex - 1;
        continue;
      }
      if (!m) {
        // Every later mention before the next `<` has this same tag start, and fails the same:
        // trying each would cost the item's length per mention.
        const next = text.indexOf('<', at);
        if (next === -1) break;
        at = next - 1;
        continue;
      }
      const [, prefix, tag, inside = '', content = ''] = m;
      if (tag === 'fldChar') {
        for (const type of fieldCharTypes(inside, prefix)) {
          if (type !== 'begin') this.inBranch();
          if (!this.found) this.fieldChar(type);
        }
      } else if (tag === 'fldSimple') {
        this.nested();
        for (const instr of attributeValues(inside, 'instr')) {
          const instructions = instr.replace(LEADING, '');
          if (!this.found) this.judge(instructions);
          if (!this.found) this.instructionsEnded(instructions);
        }
      } else if (!inside.trimEnd().endsWith('/')) {
        this.inBranch();
        if (!this.found) this.append(decodeEntities(content));
      }
      at = TAG.lastIndex - 1;
    }
  }

  /** A branch's tag at `at`, if there is one there: its opening or closing is noted (BRANCH). */
  private branch(text: string, at: number): boolean {
    BRANCH.lastIndex = at;
    const m = BRANCH.exec(text);
    if (!m) return false;
    const closing = m[1] === '/';
    if ((m[2] ?? '').trimEnd().endsWith('/')) return true;
    if (!closing) {
      if (this.branches.length >= MAX_OPEN) this.branches.shift();
      this.branches.push(this.open.length);
      return true;
    }
    const base = this.branches.pop();
    if (base !== undefined && this.open.length > base) this.split();
    return true;
  }

  /** A field's instructions, `separate` or `end`: inside a branch, only for a field begun there. */
  private inBranch(): void {
    const base = this.branches.at(-1);
    if (base !== undefined && this.open.length <= base) this.split();
  }

  private split(): void {
    if (this.found) return;
    this.found = true;
    this.report.add('OOXML_UNREADABLE', { part: `${this.name} field split by mc:AlternateContent` });
  }

  /** A complex field's `begin`, `separate` or `end`. */
  private fieldChar(type: string): void {
    if (type === 'begin') {
      this.nested();
      if (this.open.length >= MAX_OPEN) this.open.shift();
      this.open.push({ instructions: '', separated: false });
    } else if (type === 'separate') {
      const field = this.open.at(-1);
      if (field && !field.separated) this.instructionsEnded(field.instructions);
      if (field) field.separated = true;
    } else if (type === 'end') {
      const field = this.open.pop();
      if (field && !field.separated) this.instructionsEnded(field.instructions);
    }
  }

  /**
   * A field begins: inside the instructions of one whose name is unfinished (and not a harmless
   * field's whole name), it computes that name; inside a HYPERLINK field's target, it computes
   * where the link goes (targetComputed).
   */
  private nested(): void {
    const outer = this.open.at(-1);
    if (this.found || !outer || outer.separated) return;
    const instructions = outer.instructions;
    if (UNFINISHED_NAME.test(instructions) && !HARMLESS_NAMES.has(instructions.toUpperCase())) {
      this.found = true;
      this.report.add('OOXML_EXTERNAL', { kind: 'field named by a nested field', target: this.name });
    } else if (HYPERLINK_FIELD.test(instructions) && targetComputed(instructions)) {
      this.found = true;
      this.report.add('OOXML_EXTERNAL', {
        kind: 'HYPERLINK field whose target a nested field computes',
        target: shownAsUtf8(instructions.slice(0, 200)),
      });
    }
  }

  /**
   * The innermost open field's instructions so far. Instructions outside any field are judged as a
   * field of their own, never taken for an unfinished name.
   */
  private append(text: string): void {
    let field = this.open.at(-1);
    if (!field) {
      field = { instructions: '', separated: true };
      this.open.push(field);
    }
    const link = HYPERLINK_FIELD.test(field.instructions);
    if (field.instructions.length >= (link ? LINK_KEEP : KEEP)) return;
    const instructions = (field.instructions + text).replace(LEADING, '');
    field.instructions = HYPERLINK_FIELD.test(instructions)
      ? compactLink(instructions).slice(0, LINK_KEEP)
      : instructions.slice(0, KEEP);
    this.judge(field.instructions);
  }

  private judge(text: string): void {
    const field = FIELD.exec(text)?.[1]?.toUpperCase();
    if (!field) {
      this.judgeHyperlink(text);
      return;
    }
    this.found = true;
    if (field.startsWith('DDE')) this.report.add('OOXML_DDE', { where: `${this.name} field ${field}` });
    else this.report.add('OOXML_EXTERNAL', { kind: `field ${field}`, target: this.name });
  }

  /**
   * A field's instructions are complete (its `separate`, its `end` without one, a `w:fldSimple`'s
   * `w:instr`): a HYPERLINK field to the web is shown to reviewers (EXTERNAL_LINK), as a hyperlink
   * relationship and a HYPERLINK formula are. Judged only now, so that a target growing over
   * several runs is one warning, whole; one into a share or to a program was refused as it grew.
   * A link to a bookmark (`\l` alone) has no target, and no warning.
   */
  private instructionsEnded(instructions: string): void {
    if (this.found || !HYPERLINK_FIELD.test(instructions)) return;
    const m = HYPERLINK_TARGET.exec(instructions);
    const target = (m?.[1] ?? m?.[2])?.trim();
    if (!target || linkReach(target) !== 'web') return;
    this.report.warn('EXTERNAL_LINK', { target: shownAsUtf8(target.replace(/\\\\/g, '\\').slice(0, 200)) });
  }

  /**
   * A HYPERLINK field into a share, a local path or handed to a program: refused as such a
   * hyperlink relationship is (../link-target.ts). Judged as its instructions grow: a target cut
   * between two runs is judged again, whole, with the next.
   */
  private judgeHyperlink(text: string): void {
    const m = HYPERLINK_TARGET.exec(text);
    const target = (m?.[1] ?? m?.[2])?.trim();
    if (!target) return;
    if (!leadsOutOfReviewersHands(target)) return;
    this.found = true;
    this.report.add('OOXML_EXTERNAL', {
      kind: 'HYPERLINK field into a share or to a program',
      // Shown as Word reads it: `\\\\` in quotes is one backslash, the bytes UTF-8.
      target: shownAsUtf8(target.replace(/\\\\/g, '\\').slice(0, 200)),
    });
  }
}

/**
 * Whether a nested field beginning now, in a HYPERLINK field's instructions so far, computes its
 * target: `{ HYPERLINK "{ QUOTE 92 92 … }" }`, `{ HYPERLINK { DOCPROPERTY 网址 } }` go where the
 * nested field's result says, which no search of the file sees (a document property, a merge
 * field's data, a built string). Refused unless the target's written lead already decides it stays
 * in reach (./link-lead.ts: `"https://a.example/{ MERGEFIELD id }"`), the target is written
 * whole before it, or it sits in a switch's argument (a bookmark, a tip). A mail-merge main
 * document's `{ HYPERLINK "{ MERGEFIELD 网址 }" }` is refused so; the merged documents it makes
 * hold the addresses written, and are judged as any.
 */
function targetComputed(instructions: string): boolean {
  if (LINK_TARGET_WRITTEN.test(instructions) || LINK_IN_SWITCH.test(instructions)) return false;
  const begun = LINK_TARGET_BEGUN.exec(instructions);
  if (!begun) return true;
  return !leadKeepsLinkInReach((begun[1] ?? begun[2] ?? '').trimStart());
}
