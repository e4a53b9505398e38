import { leadsToShareOrLocalPath } from '../link-target.ts';

/**
 * A link's target by what Windows does with it: a share or a local path (../link-target.ts), a
 * web page or an e-mail address (a browser or mail client opens it: a reader decides), or another
 * scheme, handed to whichever program registered it. Those programs act on the link itself:
 * `ms-msdt:` ran a script of the link's (Follina), `search-ms:` shows a share's files as local
 * ones, `mhtml:` and `its:` have Internet Explorer's engine fetch and render a page inside Office.
 * Genuine evidence links to web pages and e-mail addresses only.
 */
export type LinkReach = 'share-or-local' | 'program' | 'web' | 'relative';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const WEB_OR_MAIL = /^(?:https?|mailto):/i;

/** What following `target` (leading whitespace dropped) reaches. */
export function linkReach(target: string): LinkReach {
  if (leadsToShareOrLocalPath(target)) return 'share-or-local';
  if (!SCHEME.test(target)) return 'relative';
  return WEB_OR_MAIL.test(target) ? 'web' : 'program';
}
