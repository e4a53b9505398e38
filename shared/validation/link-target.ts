/**
 * A link's target that leads into a file share or a local path, however the file spells it: a UNC
 * path (either slash, twice: `\\host\share`, `//host/share`), a `file:` URL or a drive (`C:`).
 * Windows opens those without a browser between, and hands a share's host the reader's
 * credentials: an Office hyperlink (./ooxml/relationships.ts) and a PDF link (./pdf/links.ts) to
 * one are refused, where a web link is only a warning.
 */
const SHARE_OR_LOCAL = /^(?:[\\/]{2}|file:|[a-z]:)/i;

/** Whether `target` (its leading whitespace already dropped) leads into a share or a local path. */
export const leadsToShareOrLocalPath = (target: string): boolean => SHARE_OR_LOCAL.test(target);
