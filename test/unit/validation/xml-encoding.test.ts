import { describe, expect, it } from 'vitest';
import { declaredEncoding } from '../../../shared/validation/xml-encoding.ts';

/** The encoding an XML declaration names, as the Office and OFD part checks both read it. */
describe('declaredEncoding', () => {
  it.each([
    ['<?xml version="1.0" encoding="UTF-7"?><a/>', 'UTF-7'],
    ["<?xml version='1.0' encoding='gb18030'?>", 'gb18030'],
    ['\xef\xbb\xbf<?xml version="1.0" encoding = "GBK" standalone="yes"?>', 'GBK'],
    ['<?xml\tversion="1.0"\r\nencoding="UTF-16"?>', 'UTF-16'],
    // No space before it: malformed, but a recovering parser may still take it.
    ['<?xml version="1.0"encoding="UTF-7"?>', 'UTF-7'],
  ])('%s names %s', (head, encoding) => expect(declaredEncoding(head)).toBe(encoding));

  it.each([
    '<?xml version="1.0"?><a encoding="UTF-7"/>',
    '<?xml-stylesheet href="s.xsl" encoding="UTF-7"?>',
    ' <?xml version="1.0" encoding="UTF-7"?>',
    '<a/>',
    '',
  ])('%s names none', (head) => expect(declaredEncoding(head)).toBeUndefined());
});
