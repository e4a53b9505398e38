import { leadAsFollowed, linkReach } from '../link-target.ts';

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

/**
 * Whether a computed link target's written lead decides it stays in reach, the lead read as it is
 * followed (../link-target.ts: `"ms-\t"&A2` is `ms-` and whatever A2 adds).
 */
export function leadKeepsLinkInReach(written: string): boolean {
  const lead = leadAsFollowed(written);
  if (lead.startsWith('#')) return true;
  const reach = linkReach(lead);
  if (reach === 'web') return true;
  return reach === 'relative' && !MAY_BECOME_SCHEME_OR_SHARE.test(lead);
}
