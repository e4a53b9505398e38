/**
 * `Content-Disposition: attachment` for a download (RFC 6266), with the name twice: an ASCII
 * fallback in `filename` for old clients and the exact UTF-8 name in `filename*` (RFC 8187).
 *
 * - The header is ASCII only and has no CR or LF, whatever the name holds.
 * - `filename*` is the name percent-encoded as UTF-8 (also `'()*`, which RFC 8187's attr-char
 *   excludes): decodeURIComponent gives the name back exactly. A lone surrogate, which has no
 *   UTF-8 form, becomes U+FFFD instead of making encodeURIComponent throw.
 * - The fallback is the name's ASCII letters (accents dropped: é → e), every other character,
 *   and the quote, backslash, semicolon and percent sign that could end the quoted string,
 *   start a parameter or be mistaken for an escape, as `_`; `download` when nothing is left.
 */
export function contentDisposition(fileName: string): string {
  const name = fileName.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
  const fallback =
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[^\x20-\x7e]/g, '_')
      .replace(/["\\;%]/g, '_') || 'download';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
