import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { stringBytes } from './strings.ts';
import { entry, nameOf, numberOf, type PdfValue } from './syntax.ts';

/**
 * PDF's Standard security handler, as far as the EMPTY user password goes (ISO 32000-1 § 7.6.3,
 * ISO 32000-2 § 7.6.4): government PDFs are often locked against editing, copying or printing
 * under an owner password, with an empty user password that every reader opens them with,
 * asking nothing. Such a file is decrypted and inspected as any other; permissions are not
 * judged (reviewers read, they do not print or copy).
 *
 * Supported: /Filter /Standard, V 1, 2 (RC4, 40–128 bits), 4 (crypt filters: /V2 RC4, /AESV2
 * AES-128, /None, /Identity) and 5 (/AESV3 AES-256), R 2–6. Anything else, or a file the empty
 * password does not open (a user password is asked), is `locked`: the file stays PDF_ENCRYPTED.
 */

/** Why the file cannot be opened without a password (PDF_ENCRYPTED), or what is wrong in its encryption (PDF_UNREADABLE). */
export type Opening = { crypt: Crypt } | { locked: string } | { unreadable: string };

export class DecryptError extends Error {}

/** How one kind of data (streams or strings) is decrypted: not at all, RC4, or AES-CBC with the IV first. */
type Method = 'identity' | 'rc4' | 'aes';

/** The 32 bytes a password is padded with (Algorithm 2, step a). */
const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

export class Crypt {
  constructor(
    private readonly fileKey: Buffer,
    private readonly revision: number,
    private readonly streams: Method,
    private readonly strings: Method,
  ) {}

  /** Whether object streams are stored as they are (an /Identity or /None stream filter). */
  get plainStreams(): boolean {
    return this.streams === 'identity';
  }

  /** A stream's data, decrypted with object `num gen`'s key. */
  stream(data: Buffer, num: number, gen: number): Buffer {
    return this.decrypt(this.streams, data, num, gen);
  }

  /** A string's bytes, decrypted with object `num gen`'s key. */
  string(data: Buffer, num: number, gen: number): Buffer {
    return this.decrypt(this.strings, data, num, gen);
  }

  private decrypt(method: Method, data: Buffer, num: number, gen: number): Buffer {
    if (method === 'identity') return data;
    const key = this.revision >= 5 ? this.fileKey : this.objectKey(num, gen, method === 'aes');
    return method === 'rc4' ? rc4(key, data) : aesCbc(key, data);
  }

  /** Algorithm 1: the file key, the object's number and generation (low bytes first), and `sAlT` for AES; MD5, cut to n + 5 bytes (at most 16). */
  private objectKey(num: number, gen: number, aes: boolean): Buffer {
    const suffix = Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]);
    const hash = createHash('md5').update(this.fileKey).update(suffix);
    if (aes) hash.update('sAlT', 'latin1');
    return hash.digest().subarray(0, Math.min(this.fileKey.length + 5, 16));
  }
}

/**
 * RC4, written here: Node's OpenSSL 3 keeps RC4 in its legacy provider, which Node does not load
 * by default (`createCipheriv('rc4', …)` throws "unsupported"). Its keystream XORed with the data.
 */
export function rc4(key: Buffer, data: Buffer): Buffer {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + (s[i] as number) + (key[i % key.length] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
  }
  const out = Buffer.allocUnsafe(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + (s[i] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
    out[n] = (data[n] as number) ^ (s[((s[i] as number) + (s[j] as number)) & 0xff] as number);
  }
  return out;
}

/** AES-CBC with the 16-byte IV first and PKCS#5 padding (§ 7.6.3.2): anything else does not decrypt. */
function aesCbc(key: Buffer, data: Buffer): Buffer {
  // An empty string stays empty (qpdf writes it so; pdf.js reads it so).
  if (data.length === 0) return data;
  if (data.length < 32 || data.length % 16 !== 0)
    throw new DecryptError('AES data that is not whole blocks after its IV');
  try {
    const decipher = createDecipheriv(key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc', key, data.subarray(0, 16));
    return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
  } catch {
    throw new DecryptError('AES data with bad padding');
  }
}

/** AES without padding, for the R6 hash and the R5/R6 key (one call, no IV chaining beyond `iv`). */
function aesRaw(mode: 'aes-128-cbc' | 'aes-256-cbc', key: Buffer, iv: Buffer, data: Buffer, encrypt: boolean): Buffer {
  const cipher = encrypt ? createCipheriv(mode, key, iv) : createDecipheriv(mode, key, iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** A string entry's bytes (the encryption dictionary's strings are never encrypted). */
function bytesOf(value: PdfValue | undefined): Buffer | undefined {
  return value?.kind === 'string' ? stringBytes(value.raw, value.hex) : undefined;
}

/**
 * Opens an encryption dictionary with the empty user password. `id`: the first string of the
 * trailer's /ID (empty when there is none, as pdf.js and qpdf take it).
 */
export function openEncryption(dict: PdfValue, id: Buffer): Opening {
  const filter = nameOf(entry(dict, 'Filter'));
  if (filter !== 'Standard') return { locked: `the /${filter ?? '?'} security handler` };
  const v = numberOf(entry(dict, 'V')) ?? 0;
  const r = numberOf(entry(dict, 'R'));
  const o = bytesOf(entry(dict, 'O'));
  const u = bytesOf(entry(dict, 'U'));
  const p = numberOf(entry(dict, 'P'));
  if (r === undefined || ![2, 3, 4, 5, 6].includes(r) || ![1, 2, 4, 5].includes(v))
    return { locked: `security handler revision V ${v} R ${r ?? '?'}` };
  if (!o || !u || p === undefined) return { locked: 'an encryption dictionary without /O, /U or /P' };
  if (r >= 5) return openAes256(dict, r, u);
  let streams: Method = 'rc4';
  let strings: Method = 'rc4';
  let bits = v === 1 ? 40 : (numberOf(entry(dict, 'Length')) ?? 40);
  if (v === 4) {
    const stm = cryptFilter(dict, 'StmF');
    const str = cryptFilter(dict, 'StrF');
    if ('unreadable' in stm) return stm;
    if ('unreadable' in str) return str;
    streams = stm.method;
    strings = str.method;
    // The key's length is the stream filter's, or 128 bits when /StmF names none (pdf.js; MuPDF
    // takes the dictionary's /Length then): never the string filter's, where a 40-bit key the
    // empty password opens for the scan alone would be read (round 18).
    bits = stm.bits ?? 128;
  }
  if (!Number.isInteger(bits) || bits < 40 || bits > 128 || bits % 8 !== 0) return { locked: `a key of ${bits} bits` };
  const n = r === 2 ? 5 : bits / 8;
  const pBytes = Buffer.alloc(4);
  pBytes.writeInt32LE(p | 0);
  const metadata = entry(dict, 'EncryptMetadata');
  const clearMetadata = r >= 4 && metadata?.kind === 'other' && metadata.false === true;
  /** Algorithms 2, 4 and 5: the file key a padded user password makes, if /U says it is the user's. */
  const asUser = (padded: Buffer): Buffer | undefined => {
    // The padded password, /O, /P as 4 bytes low first, the first /ID string.
    const hash = createHash('md5').update(padded).update(o.subarray(0, 32)).update(pBytes).update(id);
    // Metadata left in clear (/EncryptMetadata false) changes the key from R 4 on.
    if (clearMetadata) hash.update(Buffer.alloc(4, 0xff));
    let key = hash.digest();
    if (r >= 3) for (let i = 0; i < 50; i++) key = createHash('md5').update(key.subarray(0, n)).digest();
    key = key.subarray(0, n);
    let check: Buffer;
    if (r === 2) check = rc4(key, PAD);
    else {
      check = rc4(key, createHash('md5').update(PAD).update(id).digest());
      for (let i = 1; i <= 19; i++) check = rc4(xored(key, i), check);
    }
    const compared = r === 2 ? 32 : 16;
    return u.length >= compared && check.subarray(0, compared).equals(u.subarray(0, compared)) ? key : undefined;
  };
  // The empty password as the user's only: pdf.js tries a password as the owner's (Algorithms 7
  // and 12) only when one is typed, and asks for one when the empty password is only the owner's.
  const key = asUser(PAD);
  return key ? { crypt: new Crypt(key, r, streams, strings) } : { locked: 'a user password' };
}

/** `key` with each byte XORed with `i` (Algorithms 5 and 7's rounds). */
const xored = (key: Buffer, i: number) => Buffer.from(key.map((b) => b ^ i));

/** A V 4 or 5 crypt filter by its /StmF or /StrF name: /Identity when none is named. */
function cryptFilter(
  dict: PdfValue,
  key: 'StmF' | 'StrF',
): { method: Method; bits: number | undefined } | { unreadable: string } {
  const name = nameOf(entry(dict, key)) ?? 'Identity';
  if (name === 'Identity') return { method: 'identity', bits: undefined };
  // Writers write /CF in place; one by reference (which the scan does not follow) cannot be read.
  if (entry(dict, 'CF')?.kind === 'ref') return { unreadable: 'crypt filters (/CF) given by reference' };
  const filter = entry(entry(dict, 'CF'), name);
  if (filter?.kind !== 'dict') return { unreadable: `the crypt filter /${name}, named by /${key}, is not in /CF` };
  const cfm = nameOf(entry(filter, 'CFM')) ?? 'None';
  const length = numberOf(entry(filter, 'Length'));
  // /Length is in bytes in a crypt filter, though some writers wrote bits (pdf.js takes both).
  const bits = length === undefined ? undefined : length <= 32 ? length * 8 : length;
  if (cfm === 'None') return { method: 'identity', bits };
  if (cfm === 'V2') return { method: 'rc4', bits };
  if (cfm === 'AESV2') return { method: 'aes', bits: 128 };
  if (cfm === 'AESV3') return { method: 'aes', bits: 256 };
  return { unreadable: `the crypt filter method /${cfm}` };
}

/** V 5 (AES-256): R 5 (Adobe's extension level 3) and R 6 (ISO 32000-2), with the empty password. */
function openAes256(dict: PdfValue, r: number, u: Buffer): Opening {
  const ue = bytesOf(entry(dict, 'UE'));
  if (u.length < 48 || !ue || ue.length < 32) return { locked: 'an AES-256 dictionary without /U or /UE' };
  const stm = cryptFilter(dict, 'StmF');
  const str = cryptFilter(dict, 'StrF');
  if ('unreadable' in stm) return stm;
  if ('unreadable' in str) return str;
  const empty = Buffer.alloc(0);
  const hash = (salt: Buffer) => (r === 5 ? createHash('sha256').update(salt).digest() : hardenedHash(empty, salt));
  // Algorithm 11: the hash of the password and /U's validation salt is /U's first 32 bytes; then
  // (Algorithm 2.A) the key salt's hash decrypts /UE into the file key.
  if (!hash(u.subarray(32, 40)).equals(u.subarray(0, 32))) return { locked: 'a user password' };
  const key = aesRaw('aes-256-cbc', hash(u.subarray(40, 48)), Buffer.alloc(16), ue.subarray(0, 32), false);
  return { crypt: new Crypt(key, r, stm.method, str.method) };
}

/** Algorithm 2.B (R 6): SHA-256, then rounds of AES-128 and SHA-256/384/512, for a user password (no /U data). */
function hardenedHash(password: Buffer, salt: Buffer): Buffer {
  let k = createHash('sha256').update(password).update(salt).digest();
  for (let round = 0; ; round++) {
    const k1 = Buffer.concat(Array.from({ length: 64 }, () => Buffer.concat([password, k])));
    const e = aesRaw('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32), k1, true);
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i] as number;
    k = createHash(['sha256', 'sha384', 'sha512'][sum % 3] as string)
      .update(e)
      .digest();
    // At least 64 rounds, then on until the last byte of E is at most the rounds done less 32.
    if (round + 1 >= 64 && (e[e.length - 1] as number) <= round + 1 - 32) return k.subarray(0, 32);
  }
}
