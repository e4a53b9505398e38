import { linkReach } from '../link-target.ts';

/**
 * A link target that is computed, not written: a Word HYPERLINK field whose target a nested field
 * finishes (`{ HYPERLINK "{ DOCPROPERTY x }" }`), an Excel HYPERLINK whose target is a string
 * joined to something (`"#"&A2`, `"\"&"\srv\x"`). What is written before the computed part, its
 * lead, may already decide where the link goes, whatever follows (../link-target.ts):
 *
 * - a web address's scheme (`https://`, `http:`, `mailto:`): a browser or mail client opens it;
 * - `#`: a place inside the document or workbook (`"#'"&A2&"'!A1"`, an index sheet's links);
 * - a relative start no continuation can turn into a scheme, a share or a drive (`附件/`, `a b`):
 *   not a letter, digit, `+`, `.`, `-` run, and not one slash or backslash.
 *
 * Any other lead (none, `\`, `file`, `ms-`) is finished by what is computed: the link may reach a
 * share or a program, and is refused as one.
 */
const MAY_BECOME_SCHEME_OR_SHARE = /^(?:[\\/]?|[a-z][a-z0-9+.-]*)$/i;

/** Whether a computed link target's written lead (leading whitespace dropped) decides it stays in reach. */
export function leadKeepsLinkInReach(lead: string): boolean {
  if (lead.startsWith('#')) return true;
  const reach = linkReach(lead);
  if (reach === 'web') return true;
  return reach === 'relative' && !MAY_BECOME_SCHEME_OR_SHARE.test(lead);
}

/**
 * A link target as the reader's URL parser takes it: leading and trailing whitespace (a no-break
 * space and a byte-order mark too, as `trim` drops them) and control characters dropped, and tabs and line breaks anywhere removed (as a browser's URL parser and
 * Windows' URL handling do), so `\x1f\\host\x` is a share and `ms-ms\tdt:` a program's scheme.
 */
export function targetAsFollowed(raw: string): string {
  const text = raw.replace(/[\t\n\r]/g, '');
  let start = 0;
  let end = text.length;
  while (start < end && spaceOrControl(text.charCodeAt(start))) start++;
  while (end > start && spaceOrControl(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** A control character (C0 or DEL), or whitespace as `trim` knows it (a no-break space, a byte-order mark). */
function spaceOrControl(code: number): boolean {
  return code <= 0x20 || code === 0x7f || String.fromCharCode(code).trim() === '';
}
