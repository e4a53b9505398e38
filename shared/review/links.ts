/**
 * Review links' secrets: minted here, never stored. Only a keyed hash is kept (HMAC-SHA256 under
 * the link key's current version, with the version; plain SHA-256 without a key, as every review
 * stored before keyed hashes), and a presented secret is checked against every hash that opens
 * the review (the original link's and the reissued ones) in constant time.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ReviewRecord } from '../schemas/reviews.ts';
import type { LinkKeys, StoredLinkHash } from '../ports/review.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmacSha256 = (key: Uint8Array, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');

/** A new link secret: 256 random bits, URL-safe. */
export const newLinkSecret = () => randomBytes(32).toString('base64url');

/** The review page's address for a link secret (the secret is the link's only credential). */
export function reviewLinkUrl(publicBaseUrl: string, reviewId: string, secret: string): string {
  const baseUrl = publicBaseUrl.replace(/\/+$/, '');
  return `${baseUrl}/v1/reviews/${encodeURIComponent(reviewId)}?t=${encodeURIComponent(secret)}`;
}

/**
 * Constant-time comparison of a presented secret with the stored hash, or with each of several
 * (the original link and the reissued ones): every hash is compared, whichever matches.
 * Plain SHA-256 only (reviews stored before keyed hashes); `linkSecretMatches` checks both kinds.
 */
export function secretMatches(secret: string | undefined, secretHashes: string | readonly string[]): boolean {
  if (!secret) return false;
  const presented = sha256(secret);
  let matched = false;
  for (const secretHash of typeof secretHashes === 'string' ? [secretHashes] : secretHashes) {
    if (sameHex(presented, secretHash)) matched = true;
  }
  return matched;
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** Every hash as stored: the original link's and the reissued ones (those may carry `@<key version>`). */
export const linkHashes = (review: Pick<ReviewRecord, 'secretHash' | 'extraSecretHashes'>): string[] => [
  review.secretHash,
  ...(review.extraSecretHashes ?? []),
];

// ---- keyed hashes ----------------------------------------------------------------------------

/** Reissued links keep their key version in the same string: `<hash>@<version>` (plain hash: SHA-256). */
const KEY_VERSION_SEPARATOR = '@';

export function encodeLinkHash(hash: StoredLinkHash): string {
  return hash.secretKeyVersion === undefined
    ? hash.secretHash
    : `${hash.secretHash}${KEY_VERSION_SEPARATOR}${hash.secretKeyVersion}`;
}

export function decodeLinkHash(stored: string): StoredLinkHash {
  const at = stored.indexOf(KEY_VERSION_SEPARATOR);
  return at < 0 ? { secretHash: stored } : { secretHash: stored.slice(0, at), secretKeyVersion: stored.slice(at + 1) };
}

/** Every hash that opens the review (the original link's and the reissued ones), with its key version. */
export function storedLinkHashes(
  review: Pick<ReviewRecord, 'secretHash' | 'secretKeyVersion' | 'extraSecretHashes'>,
): StoredLinkHash[] {
  return [
    {
      secretHash: review.secretHash,
      ...(review.secretKeyVersion !== undefined && { secretKeyVersion: review.secretKeyVersion }),
    },
    ...(review.extraSecretHashes ?? []).map(decodeLinkHash),
  ];
}

/**
 * What to store for a new link's secret: HMAC-SHA256 under the key's current version, with that
 * version (a copy of the table alone then cannot confirm a guessed link), or plain SHA-256 when
 * the desk has no key.
 */
export async function hashLinkSecret(secret: string, keys: LinkKeys | undefined): Promise<StoredLinkHash> {
  if (!keys) return { secretHash: sha256(secret) };
  const { versionId, key } = await keys.current();
  return { secretHash: hmacSha256(key, secret), secretKeyVersion: versionId };
}

/**
 * Whether `secret` opens any of `hashes`: each keyed hash under the version recorded beside it,
 * each plain one as SHA-256; compared in constant time, every hash compared. A version that no
 * longer exists (or a desk without a key) matches nothing.
 */
export async function linkSecretMatches(
  secret: string | undefined,
  hashes: readonly StoredLinkHash[],
  keys: LinkKeys | undefined,
): Promise<boolean> {
  if (!secret) return false;
  let matched = false;
  for (const hash of hashes) {
    let presented: string | undefined;
    if (hash.secretKeyVersion === undefined) presented = sha256(secret);
    else {
      const key = keys ? await keys.version(hash.secretKeyVersion) : undefined;
      presented = key ? hmacSha256(key.key, secret) : undefined;
    }
    if (presented !== undefined && sameHex(presented, hash.secretHash)) matched = true;
  }
  return matched;
}
