import { createHash } from 'node:crypto';

/**
 * A UUID (version 8, name-based) from a name: the same name, the same id. An audit event written
 * by a step that may run twice takes its id from what it records, so writing it again changes
 * nothing.
 */
export function nameBasedUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
