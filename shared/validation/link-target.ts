/**
 * Where following a link leads, however the file spells it, for every format's links (Office
 * relationships, fields, formulas, VML and the hyperlink base in ./ooxml/; PDF links in
 * ./pdf/links.ts; OFD URI actions in ./ofd/content.ts):
 *
 * - 'share-or-local': a UNC path (either slash, twice: `\\host\share`, `//host/share`), a `file:`
 *   or file-sharing URL (`smb:`, `cifs:`, `nfs:`, `afp:`) or a drive (`C:`). Windows opens those
 *   without a browser between, and hands a share's host the reader's credentials.
 * - 'program': any other scheme, handed to whichever program registered it, which acts on the link
 *   itself: `ms-msdt:` ran a script of the link's (Follina), `search-ms:` shows a share's files as
 *   local ones, `mhtml:` and `its:` have Internet Explorer's engine fetch and render a page.
 * - 'web': a web page or an e-mail address, opened by a browser or a mail client: the reviewer
 *   decides. Genuine evidence links to these only, so only these are warnings; the other two are
 *   refused.
 * - 'relative': no scheme, resolved inside the file or against its base.
 *
 * A target is judged as it is followed, not as it is written (targetAsFollowed): a browser's URL
 * parser and Windows' URL handling drop tabs and line breaks anywhere and spaces and control
 * characters at either end, so `ms-ms<tab>dt:` is a program's scheme and `<US>\\host\x` a share,
 * whichever format wrote them (an Office relationship, a PDF /URI, an OFD click link). Its
 * characters are read as the reader decodes them first (asDecoded, round 11): a check that reads
 * a part a byte a character hands UTF-8 as its bytes, and a no-break space (C2 A0), an
 * ideographic space (E3 80 80) or NEL (C2 85) before a share is trimmed by the reader, not by a
 * trim of those bytes; `＼＼host＼share` in full width is folded to a share.
 */
export type LinkReach = 'share-or-local' | 'program' | 'web' | 'relative';

const SHARE_OR_LOCAL = /^(?:[\\/]{2}|(?:file|smb|cifs|nfs|afp):|[a-z]:)/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const WEB_OR_MAIL = /^(?:https?|mailto):/i;

/**
 * Characters of a target's start, as followed (targetAsFollowed), that decide its reach: a reader
 * that keeps only a target's head for speed keeps at least this many, and cuts it only after
 * normalising it, so no run of tabs pushes a scheme out of the window. A scheme name longer than
 * this reads as 'relative'; no program registers one that long.
 */
export const REACH_LEAD = 64;

/** What following `target` reaches, however it is written (targetAsFollowed). */
export function linkReach(target: string): LinkReach {
  const followed = targetAsFollowed(target);
  if (SHARE_OR_LOCAL.test(followed)) return 'share-or-local';
  if (!SCHEME.test(followed)) return 'relative';
  return WEB_OR_MAIL.test(followed) ? 'web' : 'program';
}

/** Whether following `target` is refused: a share, a local path or a program. */
export const leadsOutOfReviewersHands = (target: string): boolean => {
  const reach = linkReach(target);
  return reach === 'share-or-local' || reach === 'program';
};

/** Control characters (C0, DEL and C1): a tab or a line break is one, and so is NEL (U+0085). */
// eslint-disable-next-line no-control-regex -- the controls are what is matched
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;
// eslint-disable-next-line no-control-regex -- the controls are what is matched
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;

/**
 * A link target as the reader's URL parser takes it: its characters as the reader decodes them
 * (asDecoded: a streamed part's UTF-8, full-width ASCII folded), tabs and line breaks anywhere
 * removed (as a browser's URL parser and Windows' URL handling do), and so every other control
 * character (C1's NEL too, a line break to .NET's and Qt's trim), which no genuine target holds
 * and a reader may drop as well; then spaces and controls at either end dropped (a no-break space,
 * an ideographic space and a byte-order mark too, as `trim` drops them). A caller that keeps only
 * a window of a target (a shown value, REACH_LEAD) normalises before it cuts.
 */
export function targetAsFollowed(raw: string): string {
  const text = withoutControls(raw);
  let start = 0;
  let end = text.length;
  while (start < end && spaceOrControl(text.charCodeAt(start))) start++;
  while (end > start && spaceOrControl(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * A target's written lead (what precedes a computed part: ./ooxml/link-lead.ts) as followed: its
 * characters decoded, its controls removed and its leading spaces dropped, but not its trailing
 * ones, which the computed part continues (`"a "&A2` is `a b`, no scheme).
 */
export function leadAsFollowed(raw: string): string {
  const text = withoutControls(raw);
  let start = 0;
  while (start < text.length && spaceOrControl(text.charCodeAt(start))) start++;
  return text.slice(start);
}

/** Any character past ASCII: a target without one is read as written, at no further cost. */
const NON_ASCII = /[\u0080-\uffff]/;
/** A run of characters that are bytes (U+0080–U+00FF): a streamed part's UTF-8, read as latin1. */
const BYTE_RUN = /[\x80-\xff]+/g;
/** The full-width forms of ASCII (U+FF01–U+FF5E) and the ideographic space. */
const FULL_WIDTH = /[\u3000\uff01-\uff5e]/;
const FULL_WIDTH_ALL = /[\u3000\uff01-\uff5e]/g;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A target's characters as its reader decodes them (round 11). Office's streamed parts are read a
 * byte a character (latin1: ./ooxml/text-stream.ts), so a UTF-8 no-break space (C2 A0), an
 * ideographic space (E3 80 80) or NEL (C2 85) before `\\host\share` were two or three characters
 * no trim drops, and the target looked relative to the check while Word or Excel decode the part
 * and trim them away. Each run of such characters that is well-formed UTF-8 is read as UTF-8 (a
 * run that is not stays as it is: text decoded already, as a relationship part is, holds no
 * valid UTF-8 in its Latin-1 letters unless it is mojibake, which no genuine target is). Then
 * full-width ASCII is folded (＼＼host＼share, ｍｓ－ｍｓｄｔ：), as a best-fit conversion to the
 * reader's code page folds it on its way to Windows' path and URL handling, and the ideographic
 * space is a space. Chinese names are left as they are: only U+3000 and U+FF01–U+FF5E change.
 */
function asDecoded(raw: string): string {
  if (!NON_ASCII.test(raw)) return raw;
  const decoded = raw.replace(BYTE_RUN, (run) => {
    try {
      return UTF8.decode(Buffer.from(run, 'latin1'));
    } catch {
      return run;
    }
  });
  return FULL_WIDTH.test(decoded) ? decoded.replace(FULL_WIDTH_ALL, (c) => c.normalize('NFKC')) : decoded;
}

function withoutControls(raw: string): string {
  const text = asDecoded(raw);
  return CONTROL.test(text) ? text.replace(CONTROLS, '') : text;
}

/** A control character (C0, DEL or C1), or whitespace as `trim` knows it (a no-break space, a byte-order mark). */
function spaceOrControl(code: number): boolean {
  return code <= 0x20 || (code >= 0x7f && code <= 0x9f) || (code > 0x9f && String.fromCharCode(code).trim() === '');
}
