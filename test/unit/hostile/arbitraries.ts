import fc from 'fast-check';

/**
 * Generators of hostile input for the API properties: odd Unicode, huge strings, wrong types,
 * deep nesting, prototype keys as own JSON keys, malformed bodies, hostile ids and query strings.
 */

/** Strings that break naive code: bidi overrides, zero-width, NUL and controls, lone surrogates, … */
export const ODD_PIECES = [
  '\u202E', // RIGHT-TO-LEFT OVERRIDE
  '\u202D',
  '\u2066',
  '\u200B', // ZERO WIDTH SPACE
  '\u200D', // ZERO WIDTH JOINER
  '\uFEFF', // BOM
  '\u0000',
  '\u0007',
  '\u001B[31m',
  '\u007F',
  '\u0085',
  '\u2028',
  '\u2029',
  '\r\n',
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  '\uDBFF\uDFFF', // U+10FFFF, a valid pair
  'e\u0301\u0301\u0301\u0301', // stacked combining marks
  '\u0301',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '𝕏',
  '\uFFFD',
  '\uFFFF',
  '\uFDFA', // one character that NFKC turns into eighteen
  '汉字',
  '..',
  '../',
  '..\\',
  '%00',
  '%2e%2e%2f',
  '${jndi:ldap://x/a}',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
];

const char16 = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** A short string built from odd pieces, arbitrary UTF-16 code units and full Unicode. */
export const oddString = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...ODD_PIECES) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
      { weight: 2, arbitrary: fc.string({ unit: char16, maxLength: 8 }) },
      { weight: 1, arbitrary: loneSurrogate },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 4 }) },
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join(''));

/** 16 KiB to 1 MiB of one repeated piece (ASCII, Chinese, emoji, combining marks or controls). */
export const hugeString = fc
  .tuple(
    fc.constantFrom('a', '汉', '👨‍👩‍👧‍👦', 'e\u0301', '\u0000', '\u202E', '\uD800', '\uFDFA'),
    fc.integer({ min: 16 * 1024, max: 1024 * 1024 }),
  )
  .map(([piece, bytes]) => piece.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(piece)))));

export const hostileString = fc.oneof(
  { weight: 6, arbitrary: oddString },
  { weight: 2, arbitrary: fc.string() },
  { weight: 1, arbitrary: hugeString },
);

export const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
];
export const hostileKey = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 2, arbitrary: oddString },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);

/** Numbers JSON can carry that code often mishandles. */
export const oddNumber = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 1e308, -1e308, 5e-324, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 4294967296, 1e21),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** An object whose keys are own properties, `__proto__` included (as JSON.parse makes them). */
export function ownObject(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const leaf = fc.oneof(hostileString, oddNumber, fc.boolean(), fc.constant(null));

/** Any JSON value, with hostile strings, numbers and keys at every level. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{
  value: unknown;
  array: unknown[];
  object: Record<string, unknown>;
}>((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 4 }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 }).map(ownObject),
})).value;

/** Arrays or objects nested 33 to 20,000 levels deep, as JSON text. */
export const deepJsonText = fc
  .tuple(fc.integer({ min: 33, max: 20_000 }), fc.constantFrom('array', 'object', 'proto'))
  .map(([depth, kind]) =>
    kind === 'array'
      ? `${'['.repeat(depth)}${']'.repeat(depth)}`
      : kind === 'object'
        ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
        : `${'{"__proto__":'.repeat(depth)}{"polluted":true}${'}'.repeat(depth)}`,
  );

/** Classic pollution payloads, as JSON text. */
export const POLLUTION_TEXTS = [
  '{"__proto__":{"polluted":true,"isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"__proto__":{"__proto__":{"polluted":true}}}',
  '{"a":{"__proto__":{"polluted":true}},"__proto__":[1,2,3]}',
  '[{"__proto__":{"polluted":true}}]',
  '{"__proto__":null}',
  '{"toString":"x","valueOf":1,"hasOwnProperty":null}',
];

/** Text that is not JSON, or JSON that JSON.parse refuses. */
export const malformedJsonText = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":1,}',
    "{'a':1}",
    '{"a":NaN}',
    '{"a":Infinity}',
    '\uFEFF{}',
    '{} trailing',
    '/* comment */ {}',
    '{"a":"\u0000"',
    '{"a":"\\uD800"',
    '{"a":01}',
    '[1,2',
    'undefined',
    '\u0000',
    '{"a":"\\x41"}',
  ),
  fc.json().map((text) => text.slice(0, Math.max(0, text.length - 1)) + (text.endsWith('}') ? '' : '{')),
  fc.string({ unit: char16, minLength: 1, maxLength: 40 }),
);

export interface HostileBody {
  /** What API Gateway passes as `body`. */
  body: string | undefined;
  isBase64Encoded: boolean;
  /** For the report: which generator made it. */
  kind: string;
}

const text =
  (kind: string) =>
  (body: string): HostileBody => ({ body, isBase64Encoded: false, kind });

/** Whole request bodies: random and hostile JSON, malformed text, base64 flags, non-UTF-8 bytes, huge ones. */
export const hostileBody: fc.Arbitrary<HostileBody> = fc.oneof(
  { weight: 4, arbitrary: hostileValue.map((value) => JSON.stringify(value) ?? 'null').map(text('hostile JSON')) },
  { weight: 2, arbitrary: fc.json().map(text('random JSON')) },
  {
    weight: 2,
    arbitrary: fc
      .anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true, withSparseArray: true })
      .map((value) => JSON.stringify(value) ?? '"undefined"')
      .map(text('fc.anything')),
  },
  { weight: 2, arbitrary: malformedJsonText.map(text('malformed JSON')) },
  { weight: 1, arbitrary: deepJsonText.map(text('deeply nested')) },
  { weight: 1, arbitrary: fc.constantFrom(...POLLUTION_TEXTS).map(text('prototype keys')) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1024 * 1024 - 64, max: 1024 * 1024 + 4096 }).map((size) => ({
      body: JSON.stringify({ x: 'a'.repeat(size) }),
      isBase64Encoded: false,
      kind: 'about 1 MiB',
    })),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 256 }).map((bytes) => ({
      body: Buffer.from(bytes).toString('base64'),
      isBase64Encoded: true,
      kind: 'base64 random bytes',
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('\xff', '\xc3\x28', '\xed\xa0\x80', '\xf0\x28\x8c\x28', '\xc0\xaf', '\xe2\x82'),
        fc.constantFrom('reason', 'clusterName', 'fileName', 't'),
      )
      .map(([bad, key]) => ({
        // A JSON document whose string holds bytes that are not UTF-8 (overlong, surrogate, cut).
        body: Buffer.concat([Buffer.from(`{"${key}":"x`), Buffer.from(bad, 'latin1'), Buffer.from('y"}')]).toString(
          'base64',
        ),
        isBase64Encoded: true,
        kind: 'non-UTF-8 bytes',
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ minLength: 1, maxLength: 40 })
      .map((body) => ({ body, isBase64Encoded: true, kind: 'not base64' })),
  },
);

/** Values of every JSON type but the one given (wrong types for a field). */
export function wrongTypeFor(valid: unknown): fc.Arbitrary<unknown> {
  const kind = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
  const all = fc.oneof(
    oddNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
    fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }).map((d) => ownObject(Object.entries(d))),
    hostileString,
  );
  return all.filter((value) => kind(value) !== kind(valid));
}

/** One change to a valid JSON object body: a wrong type, a hostile value, a removed or an extra (prototype) key, nesting. */
export function mutatedBody(valid: Record<string, unknown>): fc.Arbitrary<{ value: unknown; change: string }> {
  const keys = Object.keys(valid);
  const pick = fc.constantFrom(...keys);
  return fc.oneof(
    fc.tuple(pick, fc.constant(null)).chain(([key]) =>
      wrongTypeFor(valid[key]).map((value) => ({
        value: ownObject([...Object.entries(valid).filter(([k]) => k !== key), [key, value]]),
        change: `${key}: wrong type`,
      })),
    ),
    fc.tuple(pick, hostileValue).map(([key, value]) => ({
      value: ownObject([...Object.entries(valid).filter(([k]) => k !== key), [key, value]]),
      change: `${key}: hostile value`,
    })),
    pick.map((key) => ({
      value: ownObject(Object.entries(valid).filter(([k]) => k !== key)),
      change: `${key}: removed`,
    })),
    fc.tuple(hostileKey, hostileValue).map(([key, value]) => ({
      value: ownObject([...Object.entries(valid), [key, value]]),
      change: `extra key ${JSON.stringify(key).slice(0, 20)}`,
    })),
    fc.constantFrom(...PROTO_KEYS.slice(0, 3)).map((key) => ({
      value: ownObject([...Object.entries(valid), [key, { polluted: true, isAdmin: true }]]),
      change: `own ${key} key`,
    })),
    fc.constantFrom('array', 'nested', 'string').map((how) => ({
      value: how === 'array' ? [valid] : how === 'nested' ? { body: valid } : JSON.stringify(valid),
      change: `whole body as ${how}`,
    })),
  );
}

/** Path parameter values: traversal, NUL, encoded tricks, very long ids, odd Unicode, ids of the wrong shape. */
export const hostileId = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '..',
      '../..',
      '../../etc/passwd',
      '..\\..\\windows',
      '.',
      '%00',
      '\u0000',
      'a\u0000b',
      '%2e%2e%2f',
      '%252e%252e',
      ' ',
      '\t',
      'CON',
      'NUL',
      '__proto__',
      'constructor',
      'prototype',
      'null',
      'undefined',
      '0',
      '-1',
      '1e9',
      '*',
      '?',
      '#',
      '/',
      '\\',
      '"',
      "'",
      '<script>',
      '${jndi:x}',
    ),
  },
  { weight: 3, arbitrary: oddString },
  { weight: 1, arbitrary: fc.integer({ min: 257, max: 100_000 }).map((n) => 'a'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 2000 }).map((n) => '汉'.repeat(n)) },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.uuid().map((id) => id.toUpperCase()) },
  { weight: 1, arbitrary: fc.uuid().map((id) => `${id}\u0000`) },
  { weight: 1, arbitrary: fc.uuid().map((id) => `${id}/../${id}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

/** Query strings: hostile names and values, prototype keys as own keys, and hostile values for `names`. */
export function hostileQuery(names: readonly string[]): fc.Arbitrary<Record<string, string>> {
  const name = names.length > 0 ? fc.oneof(fc.constantFrom(...names), hostileKey) : hostileKey;
  const value = fc.oneof(hostileString, hostileId, fc.constant(''));
  return fc
    .array(fc.tuple(name, value), { minLength: 1, maxLength: 5 })
    .map((entries) => ownObject(entries) as Record<string, string>);
}
