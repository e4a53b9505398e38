import { createHash, timingSafeEqual } from 'node:crypto';

/** Equal strings, compared in constant time (for equal lengths; the length itself is no secret). */
export function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The PKCE challenge a code verifier answers (RFC 7636 §4.2, method S256). */
export const pkceChallenge = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');
