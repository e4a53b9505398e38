/**
 * The encoding an XML part's declaration names (`<?xml … encoding="…"?>`, after a UTF-8 mark),
 * if any: the Office part checks (./ooxml/parts.ts) and the OFD ones (./ofd/content.ts) both
 * refuse a part whose declared encoding would let a parser find tags the byte search does not.
 *
 * `encoding` counts after any character that cannot be part of a name: a quote as well as a
 * space (`version="1.0"encoding="UTF-7"` is malformed, but a parser that recovers may still take
 * it). Its value is in matching quotes. Only a declaration counts: `<?xml-stylesheet …
 * encoding="…"?>` is an instruction, and no parser decodes the part by it.
 */
const DECLARATION = /^(?:\xef\xbb\xbf)?<\?xml\s[^>]*?\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/** `head`: the part's first bytes as latin1. */
export function declaredEncoding(head: string): string | undefined {
  const declaration = DECLARATION.exec(head);
  return declaration ? (declaration[1] ?? declaration[2]) : undefined;
}
