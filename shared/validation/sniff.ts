import { CFB_SIGNATURE } from './cfb.ts';

/**
 * What a file really is, judged by its first bytes (never by its name or declared type).
 * `family` picks the structural inspector; `label` names the format in TYPE_MISMATCH messages.
 */

export type Family = 'pdf' | 'jpeg' | 'png' | 'zip' | 'other';

export interface Sniffed {
  family: Family;
  label: string;
}

/** Bytes the orchestrator gathers before sniffing: PDF readers accept `%PDF-` this far in. */
export const HEAD_BYTES = 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Signatures of formats we refuse, only so that the message can say what the file is. */
const OTHER_SIGNATURES: ReadonlyArray<readonly [label: string, signature: Buffer]> = [
  ['exe', Buffer.from('MZ')],
  ['ole2', CFB_SIGNATURE], // .doc/.xls, or password-protected .docx/.xlsx: ./cfb.ts tells which
  ['gif', Buffer.from('GIF8')],
  ['tiff', Buffer.from([0x49, 0x49, 0x2a, 0x00])],
  ['tiff', Buffer.from([0x4d, 0x4d, 0x00, 0x2a])],
  ['rar', Buffer.from('Rar!\x1a\x07', 'latin1')],
  ['7z', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])],
  ['gzip', Buffer.from([0x1f, 0x8b])],
  ['zip', Buffer.from('PK\x05\x06', 'latin1')], // an empty archive
  ['elf', Buffer.from('\x7fELF', 'latin1')],
];

function startsWith(head: Buffer, signature: Buffer): boolean {
  return head.length >= signature.length && head.subarray(0, signature.length).equals(signature);
}

export function sniff(head: Buffer): Sniffed {
  if (startsWith(head, Buffer.from('%PDF-'))) return { family: 'pdf', label: 'pdf' };
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    return { family: 'jpeg', label: 'jpeg' };
  }
  if (startsWith(head, PNG_SIGNATURE)) return { family: 'png', label: 'png' };
  if (startsWith(head, Buffer.from('PK\x03\x04', 'latin1'))) return { family: 'zip', label: 'zip' };
  if (startsWith(head, Buffer.from('RIFF')) && head.subarray(8, 12).toString('latin1') === 'WEBP') {
    return { family: 'other', label: 'webp' };
  }
  for (const [label, signature] of OTHER_SIGNATURES) {
    if (startsWith(head, signature)) return { family: 'other', label };
  }
  return { family: 'other', label: 'unknown' };
}
