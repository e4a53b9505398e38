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
 * whichever format wrote them (an Office relationship, a PDF /URI, an OFD click link). Each format
 * decodes its own bytes (a streamed Office part's UTF-8, here: utf8RunsDecoded; an OFD part's
 * declared encoding and percent-escapes: ./ofd/content.ts; PDFDocEncoding and UTF-16:
 * ./pdf/links.ts), and every decoded form is folded here, once, as a reader's best-fit conversion,
 * trim and URL parser fold it (foldedAsReaders, round 12): a no-break or ideographic space or NEL
 * before a share is trimmed, `＼＼host＼share` in full width, `⁄⁄host⁄share` in fraction slashes,
 * `ms-m̀sdt:` with a combining mark and `ms-ms\u200Bdt:` with a zero-width space are what they look
 * like, whichever format wrote them.
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
 * A link target as the reader's URL parser takes it: its characters as the reader decodes and
 * folds them (utf8RunsDecoded, foldedAsReaders), tabs and line breaks anywhere removed (as a
 * browser's URL parser and Windows' URL handling do), and so every other control character,
 * which no genuine target holds and a reader may drop as well; then spaces and controls at either
 * end dropped (a no-break space, an ideographic space and a byte-order mark too, as `trim` drops
 * them). A caller that keeps only a window of a target (a shown value, REACH_LEAD) normalises
 * before it cuts.
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
 * `text` with its percent-escapes decoded, byte by byte (as latin1, as the checks read a part): a
 * package's part names (./ooxml/stories.ts), relationship targets and OFD locations alike.
 */
export function percentDecoded(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * A target's written lead (what precedes a computed part: ./ooxml/link-lead.ts) as followed: its
 * characters decoded and folded, its controls removed and its leading spaces dropped, but not its
 * trailing ones, which the computed part continues (`"a "&A2` is `a b`, no scheme).
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
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The decoding of a part read a byte a character (round 11), which Office's streamed checks hand
 * every target in (./ooxml/text-stream.ts): a UTF-8 no-break space (C2 A0), an ideographic space
 * (E3 80 80) or NEL (C2 85) before `\\host\share` were two or three characters no trim drops, and
 * the target looked relative to the check while Word or Excel decode the part and trim them away.
 * Each run of such characters that is well-formed UTF-8 is read as UTF-8; a run that is not stays
 * as it is (text decoded already, a relationship part's, a PDF string's or an OFD value in its
 * part's encoding, holds no valid UTF-8 in its Latin-1 letters unless it is mojibake, which no
 * genuine target is). It is every format's, not Office's alone (round 14 meant to move it into
 * ./ooxml/ and found so): PDF's string readings (./pdf/links.ts) have no UTF-8 one of their own,
 * yet pdf.js reads a /URI's bytes as UTF-8 when they are (`tryConvertEncoding`), and a /URI
 * `<E380805C5C…>` or `<C2A05C5C…>` is a share only through this; OFD's isOutside
 * (./ofd/locations.ts) percent-decodes a location to bytes read as latin1 and judges
 * `%E3%80%80%5C%5Chost` through it as well. Either format may take it over with a UTF-8 reading
 * of its own; until both have, it stays here.
 */
function utf8RunsDecoded(raw: string): string {
  return raw.replace(BYTE_RUN, (run) => {
    try {
      return UTF8.decode(Buffer.from(run, 'latin1'));
    } catch {
      return run;
    }
  });
}

/**
 * What a reader drops unseen: C1 controls (U+0085, NEL, is a line break to Qt's and .NET's trim)
 * and format characters (Unicode's Cf: zero-width spaces and joiners U+200B–U+200D, direction
 * marks, embeddings, overrides and isolates U+200E–U+200F, U+202A–U+202E, U+2066–U+2069, the
 * invisible operators U+2060–U+2064, a byte-order mark inside, a soft hyphen, tags), which a
 * reader's conversion to its code page or a URL parser's mapping drops or reorders: with them
 * `\u200B\\host\share` and `ms-ms\u200Bdt:` read as written are relative to a regular expression.
 */
const UNSEEN = /[\x80-\x9f\p{Cf}]/u;
const UNSEEN_ALL = /[\x80-\x9f\p{Cf}]/gu;
/**
 * Combining marks (the diacritical blocks: U+0300–U+036F, U+1AB0–U+1AFF, U+1DC0–U+1DFF,
 * U+20D0–U+20FF, U+FE20–U+FE2F), which a best-fit conversion drops from a letter (`ḿ` is `m`).
 */
// eslint-disable-next-line no-misleading-character-class -- the marks alone are what is matched
const COMBINING = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
/**
 * Slashes NFKC leaves alone that Windows' best-fit conversion of a path to a code page turns into
 * ASCII ones (the fraction slash, PDFDocEncoding's 0x87; the division slash; the big solidus; set
 * minus; the reverse solidus operator; the big reverse solidus).
 */
const LOOK_ALIKE_SLASHES = /[\u2044\u2215\u2216\u29f5\u29f8\u29f9]/g;
const ASCII_SLASH: Readonly<Record<string, string>> = {
  '\u2044': '/',
  '\u2215': '/',
  '\u29f8': '/',
  '\u2216': '\\',
  '\u29f5': '\\',
  '\u29f9': '\\',
};

/**
 * A character the folding may change: beyond ASCII and the CJK ideographs (U+3400–U+4DBF,
 * U+4E00–U+9FFF), which have no compatibility form, mark or slash of their own, so a target of
 * ASCII and Chinese characters alone (`附件/说明.pdf`) is not normalised at all.
 */
// eslint-disable-next-line no-control-regex -- ASCII, controls included, is what is passed over
const FOLDABLE = /[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]/;

/**
 * A decoded target's characters as a reader's best-fit conversion to its code page, its trim and
 * its URL parser leave them (round 12: one folding for Office, PDF and OFD alike, each format
 * decoding its own bytes first — a part's UTF-8, an OFD part's declared encoding and
 * percent-escapes, PDFDocEncoding or UTF-16 — and handing each decoded form here through
 * targetAsFollowed):
 *
 * - what a reader drops unseen (UNSEEN): C1 controls, zero-width, direction and other format marks;
 * - compatibility forms (NFKC): full-width ASCII and the ideographic space (`＼＼host＼share`,
 *   `ｍｓ－ｍｓｄｔ：`), ligatures (`ﬁle:`), small and vertical forms;
 * - up to the first colon, letters' combining marks (`ms-m̀sdt:`, `ḿs-msdt:`, `C̀:`) and look-alike
 *   slashes (`⁄⁄host⁄share`, `∕∕host∕share`, `..⁄..⁄`).
 *
 * The marks and slashes are folded only before the first colon, which is all that decides where a
 * target leads (its scheme or drive, a share's slashes, a path's segments); after it a web
 * address keeps its letters as written, so a warning that shows it shows `bücher.example`, not
 * another host. A genuine Chinese name folds into itself (or a full-width bracket into ASCII's).
 * A target all in ASCII (or ASCII and Chinese ideographs: FOLDABLE) is returned as it is, at the
 * cost of one regular expression test.
 */
export function foldedAsReaders(text: string): string {
  if (!FOLDABLE.test(text)) return text;
  const compatible = (UNSEEN.test(text) ? text.replace(UNSEEN_ALL, '') : text).normalize('NFKC');
  const colon = compatible.indexOf(':');
  const lead = colon === -1 ? compatible : compatible.slice(0, colon);
  if (!FOLDABLE.test(lead)) return compatible;
  const folded = lead
    .normalize('NFKD')
    .replace(COMBINING, '')
    .normalize('NFKC')
    .replace(LOOK_ALIKE_SLASHES, (c) => ASCII_SLASH[c] ?? c);
  return colon === -1 ? folded : folded + compatible.slice(colon);
}

/** Not shown: controls (C0, DEL, C1) and format characters (Unicode's Cf). */
// eslint-disable-next-line no-control-regex -- the controls are what is matched
const UNSHOWN = /[\x00-\x1f\x7f-\x9f\p{Cf}]/gu;

/**
 * A target as a finding or a warning shows it, in every format: without controls and format
 * characters (a right-to-left override would reorder the message around it, and zero-width marks
 * hide where a target differs from what it looks like), trimmed. Its letters stay as written.
 */
export function shownTarget(text: string): string {
  return text.replace(UNSHOWN, '').trim();
}

/** A target decoded as a byte-read part is (utf8RunsDecoded), folded, its controls removed. */
function withoutControls(raw: string): string {
  const text = NON_ASCII.test(raw) ? foldedAsReaders(utf8RunsDecoded(raw)) : raw;
  return CONTROL.test(text) ? text.replace(CONTROLS, '') : text;
}

/** A control character (C0, DEL or C1), or whitespace as `trim` knows it (a no-break space, a byte-order mark). */
function spaceOrControl(code: number): boolean {
  return code <= 0x20 || (code >= 0x7f && code <= 0x9f) || (code > 0x9f && String.fromCharCode(code).trim() === '');
}
