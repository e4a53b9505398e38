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
 */
export type LinkReach = 'share-or-local' | 'program' | 'web' | 'relative';

const SHARE_OR_LOCAL = /^(?:[\\/]{2}|(?:file|smb|cifs|nfs|afp):|[a-z]:)/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const WEB_OR_MAIL = /^(?:https?|mailto):/i;

/**
 * Characters of a target's start (after leading whitespace) that decide its reach: a reader that
 * keeps only a target's head for speed keeps at least this many. A scheme name longer than this
 * reads as 'relative'; no program registers one that long.
 */
export const REACH_LEAD = 64;

/** What following `target` (its leading whitespace already dropped) reaches. */
export function linkReach(target: string): LinkReach {
  if (SHARE_OR_LOCAL.test(target)) return 'share-or-local';
  if (!SCHEME.test(target)) return 'relative';
  return WEB_OR_MAIL.test(target) ? 'web' : 'program';
}

/** Whether following `target` (leading whitespace dropped) is refused: a share, a local path or a program. */
export const leadsOutOfReviewersHands = (target: string): boolean => {
  const reach = linkReach(target);
  return reach === 'share-or-local' || reach === 'program';
};
