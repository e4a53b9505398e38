import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { NoLevelDocuments, NoPanels } from '../../../shared/adapters/unwired-steps.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CachedLinkKeys,
  ensureLocalLinkKeyFile,
  FileLinkKeySource,
  LINK_KEY_CACHE_MS,
  rotateLocalLinkKey,
  type SecretValueReader,
  SecretsManagerLinkKeySource,
} from '../../../shared/adapters/link-keys.ts';
import type { Email } from '../../../shared/ports/core.ts';
import { ReviewDesk } from '../../../shared/review/desk.ts';
import {
  decodeLinkHash,
  encodeLinkHash,
  hashLinkSecret,
  linkSecretMatches,
  storedLinkHashes,
} from '../../../shared/review/links.ts';
import { type ReviewStore } from '../../../shared/ports/review.ts';
import { type ReviewRecord, ReviewRecordSchema } from '../../../shared/schemas/reviews.ts';
import { campaignAt, review, sha256 } from '../review/fixtures.ts';

/**
 * The review-link key: HMAC-SHA256 under a version of a Secrets Manager secret (or the local key
 * file), cached per instance, verified under the version recorded beside each hash, so a rotation
 * breaks no link; reviews stored with plain SHA-256 keep opening.
 *
 * Secrets Manager is played by a fake GetSecretValue with its semantics (AWSCURRENT, AWSPREVIOUS,
 * versions by id, ResourceNotFoundException): @aws-sdk/client-secrets-manager is not installed,
 * so aws-sdk-client-mock has no client to mock (see shared/adapters/secrets-manager.ts).
 */

const KEY_A = 'A'.repeat(40) + 'a1b2c3d4e5f6g7h8i9j0k1l2';
const KEY_B = 'B'.repeat(40) + 'z9y8x7w6v5u4t3s2r1q0p9o8';
const KEY_C = 'C'.repeat(64);
const ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:ReviewLinkKey-AbCdEf';

class NotFound extends Error {
  override readonly name = 'ResourceNotFoundException';
}

/** Secrets Manager's GetSecretValue over a list of versions, newest first, with call counts. */
function fakeSecretsManager(initial: { versionId: string; value: string }[]) {
  const versions = [...initial];
  const calls: { VersionId?: string; VersionStage?: string }[] = [];
  const read: SecretValueReader = async (input) => {
    calls.push({ VersionId: input.VersionId, VersionStage: input.VersionStage });
    if (input.SecretId !== ARN) throw new NotFound('Secrets Manager can’t find the specified secret.');
    const found = input.VersionId
      ? versions.find((v) => v.versionId === input.VersionId)
      : input.VersionStage === 'AWSPREVIOUS'
        ? versions[1]
        : versions[0];
    if (!found) throw new NotFound('Secrets Manager can’t find the specified secret value.');
    return { VersionId: found.versionId, SecretString: found.value };
  };
  return {
    read,
    calls,
    /** put-secret-value: the new version becomes AWSCURRENT, the old one AWSPREVIOUS. */
    rotate: (versionId: string, value: string) => versions.unshift({ versionId, value }),
    /** A version past AWSPREVIOUS that Secrets Manager has removed. */
    forget: (versionId: string) =>
      versions.splice(
        versions.findIndex((v) => v.versionId === versionId),
        1,
      ),
  };
}

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('SecretsManagerLinkKeySource', () => {
  it('reads AWSCURRENT and AWSPREVIOUS; before the first rotation there is no previous', async () => {
    const sm = fakeSecretsManager([{ versionId: 'v1', value: KEY_A }]);
    const stages = await new SecretsManagerLinkKeySource(sm.read, ARN).stages();
    expect(stages.current.versionId).toBe('v1');
    expect(Buffer.from(stages.current.key).toString()).toBe(KEY_A);
    expect(stages.previous).toBeUndefined();
    expect(sm.calls).toEqual([
      { VersionId: undefined, VersionStage: 'AWSCURRENT' },
      { VersionId: undefined, VersionStage: 'AWSPREVIOUS' },
    ]);
  });

  it('reads an older version by id, and undefined for one that is gone', async () => {
    const sm = fakeSecretsManager([
      { versionId: 'v3', value: KEY_C },
      { versionId: 'v2', value: KEY_B },
      { versionId: 'v1', value: KEY_A },
    ]);
    const source = new SecretsManagerLinkKeySource(sm.read, ARN);
    expect((await source.byVersion('v1'))?.versionId).toBe('v1');
    expect(await source.byVersion('v0')).toBeUndefined();
  });

  it('fails on other errors, and on a key too short to be one', async () => {
    const denied: SecretValueReader = async () => {
      throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    };
    await expect(new SecretsManagerLinkKeySource(denied, ARN).stages()).rejects.toThrow(/not authorized/);
    const short = fakeSecretsManager([{ versionId: 'v1', value: 'short' }]);
    await expect(new SecretsManagerLinkKeySource(short.read, ARN).stages()).rejects.toThrow(/shorter than 32/);
  });
});

describe('CachedLinkKeys', () => {
  it('reads Secrets Manager once per few minutes, and once for concurrent callers', async () => {
    const sm = fakeSecretsManager([{ versionId: 'v1', value: KEY_A }]);
    const time = clock();
    const keys = new CachedLinkKeys(new SecretsManagerLinkKeySource(sm.read, ARN), { now: time.now });
    await Promise.all([keys.current(), keys.current(), keys.version('v1')]);
    expect(sm.calls).toHaveLength(2); // AWSCURRENT + AWSPREVIOUS, once
    time.advance(LINK_KEY_CACHE_MS - 1);
    await keys.current();
    expect(sm.calls).toHaveLength(2);
    time.advance(1);
    await keys.current();
    expect(sm.calls).toHaveLength(4);
  });

  it('picks up a rotation when the cache expires; versions older than AWSPREVIOUS are read by id once', async () => {
    const sm = fakeSecretsManager([{ versionId: 'v1', value: KEY_A }]);
    const time = clock();
    const keys = new CachedLinkKeys(new SecretsManagerLinkKeySource(sm.read, ARN), { now: time.now });
    expect((await keys.current()).versionId).toBe('v1');
    sm.rotate('v2', KEY_B);
    sm.rotate('v3', KEY_C);
    expect((await keys.current()).versionId).toBe('v1'); // cached
    time.advance(LINK_KEY_CACHE_MS);
    expect((await keys.current()).versionId).toBe('v3');
    expect((await keys.version('v2'))?.versionId).toBe('v2'); // AWSPREVIOUS, no extra call
    const before = sm.calls.length;
    expect((await keys.version('v1'))?.versionId).toBe('v1');
    expect((await keys.version('v1'))?.versionId).toBe('v1');
    expect(sm.calls.length).toBe(before + 1);
    expect(await keys.version('nope')).toBeUndefined();
  });
});

describe('keyed link hashes', () => {
  const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA';
  let sm: ReturnType<typeof fakeSecretsManager>;
  let time: ReturnType<typeof clock>;
  let keys: CachedLinkKeys;

  beforeEach(() => {
    sm = fakeSecretsManager([{ versionId: 'v1', value: KEY_A }]);
    time = clock();
    keys = new CachedLinkKeys(new SecretsManagerLinkKeySource(sm.read, ARN), { now: time.now });
  });

  it('stores HMAC-SHA256 under the current version, with the version: not the plain SHA-256', async () => {
    const stored = await hashLinkSecret(SECRET, keys);
    expect(stored).toEqual({ secretHash: expect.stringMatching(/^[0-9a-f]{64}$/), secretKeyVersion: 'v1' });
    // A copy of the table alone cannot confirm a guessed secret: its SHA-256 is not what is stored.
    expect(stored.secretHash).not.toBe(sha256(SECRET));
    expect(await linkSecretMatches(SECRET, [stored], keys)).toBe(true);
    expect(await linkSecretMatches(`${SECRET}x`, [stored], keys)).toBe(false);
    expect(await linkSecretMatches(undefined, [stored], keys)).toBe(false);
  });

  it('a link minted under the previous version still opens after a rotation; a forged one does not', async () => {
    const before = await hashLinkSecret(SECRET, keys);
    sm.rotate('v2', KEY_B);
    time.advance(LINK_KEY_CACHE_MS);
    const after = await hashLinkSecret('another-secret-another-secret-xx', keys);
    expect(after.secretKeyVersion).toBe('v2');
    const hashes = [before, after];
    expect(await linkSecretMatches(SECRET, hashes, keys)).toBe(true);
    expect(await linkSecretMatches('another-secret-another-secret-xx', hashes, keys)).toBe(true);
    expect(await linkSecretMatches('forged-forged-forged-forged-forged', hashes, keys)).toBe(false);
    // The right secret under the wrong version opens nothing.
    expect(await linkSecretMatches(SECRET, [{ ...before, secretKeyVersion: 'v2' }], keys)).toBe(false);
  });

  it('still opens after further rotations (read by version id), and no longer once that version is deleted', async () => {
    const minted = await hashLinkSecret(SECRET, keys);
    sm.rotate('v2', KEY_B);
    sm.rotate('v3', KEY_C);
    time.advance(LINK_KEY_CACHE_MS);
    expect(await linkSecretMatches(SECRET, [minted], keys)).toBe(true);
    sm.forget('v1');
    time.advance(LINK_KEY_CACHE_MS);
    expect(await linkSecretMatches(SECRET, [minted], keys)).toBe(false);
  });

  it('reviews stored before keyed hashes (plain SHA-256, no version) keep opening, with or without a key', async () => {
    const legacy = { secretHash: sha256(SECRET) };
    expect(await linkSecretMatches(SECRET, [legacy], keys)).toBe(true);
    expect(await linkSecretMatches(SECRET, [legacy], undefined)).toBe(true);
    expect(await linkSecretMatches('forged', [legacy], keys)).toBe(false);
    // Without a key the desk stores plain SHA-256, as before.
    expect(await hashLinkSecret(SECRET, undefined)).toEqual(legacy);
    // A keyed hash with no key to check it opens nothing (never falls back to SHA-256).
    expect(await linkSecretMatches(SECRET, [await hashLinkSecret(SECRET, keys)], undefined)).toBe(false);
  });

  it('reissued hashes carry their version in the stored string, and the review schema takes both forms', async () => {
    const keyed = await hashLinkSecret(SECRET, keys);
    const encoded = encodeLinkHash(keyed);
    expect(encoded).toBe(`${keyed.secretHash}@v1`);
    expect(decodeLinkHash(encoded)).toEqual(keyed);
    expect(decodeLinkHash(sha256(SECRET))).toEqual({ secretHash: sha256(SECRET) });
    const now = new Date('2025-05-01T00:00:00Z');
    const record = review(now, {
      ...keyed,
      secretKeyVersion: '8f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42',
      extraSecretHashes: [sha256('old'), `${keyed.secretHash}@8f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42`],
    });
    expect(ReviewRecordSchema.parse(record)).toEqual(record);
    expect(storedLinkHashes(record)).toHaveLength(3);
    expect(() =>
      ReviewRecordSchema.parse({ ...record, extraSecretHashes: [`${keyed.secretHash}@bad version`] }),
    ).toThrow();
  });
});

describe('the local stand-in: <dataDir>/link-key.json', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'link-key-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is made with a random key at first start, readable by its owner only, and kept afterwards', async () => {
    const path = await ensureLocalLinkKeyFile(dir);
    expect(path).toBe(join(dir, 'link-key.json'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const first = await readFile(path, 'utf8');
    expect(await ensureLocalLinkKeyFile(dir)).toBe(path);
    expect(await readFile(path, 'utf8')).toBe(first);
    const { versions } = JSON.parse(first) as { versions: { versionId: string; key: string }[] };
    expect(versions).toHaveLength(1);
    expect(versions[0]?.key.length).toBeGreaterThanOrEqual(64);
  });

  it('rotates like Secrets Manager: links minted before keep opening', async () => {
    const path = await ensureLocalLinkKeyFile(dir);
    const time = clock();
    const keys = new CachedLinkKeys(new FileLinkKeySource(path), { now: time.now });
    const before = await hashLinkSecret('secret-before-rotation-xxxxxxxx', keys);
    const rotated = await rotateLocalLinkKey(path);
    time.advance(LINK_KEY_CACHE_MS);
    expect((await keys.current()).versionId).toBe(rotated);
    expect(await linkSecretMatches('secret-before-rotation-xxxxxxxx', [before], keys)).toBe(true);
  });

  it('refuses a file that is not a key file', async () => {
    const other = await mkdtemp(join(tmpdir(), 'link-key-bad-'));
    await writeFile(join(other, 'link-key.json'), '{"versions":[]}');
    await expect(ensureLocalLinkKeyFile(other)).rejects.toThrow(/not a link key file/);
    await rm(other, { recursive: true, force: true });
  });
});

describe('the review desk with a link key', () => {
  const now = new Date('2025-05-01T00:00:00Z');

  /** The desk over an in-memory review store: enough to reissue a link and check one. */
  function deskWith(keys: CachedLinkKeys, stored: ReviewRecord) {
    const reviews = new Map([[stored.reviewId, stored]]);
    const mails: Email[] = [];
    const store: Partial<ReviewStore> = {
      getReview: async (id) => reviews.get(id),
      reviewers: async () => ['reviewer@yanbian.example.gov.cn'],
      addLinkSecret: async (current, input) => {
        const next = { ...current, extraSecretHashes: [...(current.extraSecretHashes ?? []), input.secretHash] };
        reviews.set(current.reviewId, next);
        return { added: true, review: next };
      },
    };
    const desk = new ReviewDesk({
      reviews: store as ReviewStore,
      records: {} as never,
      campaigns: { get: async () => campaignAt(now) },
      quotas: {} as never,
      panels: new NoPanels(),
      levelDocuments: new NoLevelDocuments(),
      tasks: {} as never,
      mailer: {
        send: async (email) => {
          mails.push(email);
          return { messageId: `m${mails.length}` };
        },
      },
      publicBaseUrl: 'https://api.clusters.example.gov.cn',
      clock: () => now,
      linkKeys: keys,
    });
    const secretOf = (email: Email | undefined) => /[?&]t=([A-Za-z0-9_-]+)/.exec(email?.text ?? '')?.[1] ?? '';
    /** Withdrawn, so page() answers right after checking the link: `gone` when it opens, `forged` when not. */
    const opens = async (secret: string) => {
      const current = reviews.get(stored.reviewId);
      if (current) reviews.set(stored.reviewId, { ...current, status: 'WITHDRAWN' });
      const page = await desk.page(stored.reviewId, { kind: 'link', secret });
      if (current) reviews.set(stored.reviewId, current);
      return page.state !== 'forged';
    };
    return { desk, reviews, mails, secretOf, opens };
  }

  it('a reissued link is keyed; after a rotation it, the original plain-SHA-256 link and a newer one all open; a forged one does not', async () => {
    const sm = fakeSecretsManager([{ versionId: 'v1', value: KEY_A }]);
    const time = clock();
    const keys = new CachedLinkKeys(new SecretsManagerLinkKeySource(sm.read, ARN), { now: time.now });
    const ORIGINAL = 'original-secret-stored-as-plain-sha256';
    const legacy = review(now, { secretHash: sha256(ORIGINAL), emailedAt: undefined });
    const { desk, reviews, mails, secretOf, opens } = deskWith(keys, legacy);

    await desk.reissueLink(legacy.reviewId, {
      reason: 'reminder',
      actor: { id: 'scheduler', role: 'scheduler', requestId: 'r1' },
    });
    const first = secretOf(mails[0]);
    expect(reviews.get(legacy.reviewId)?.extraSecretHashes?.[0]).toMatch(/^[0-9a-f]{64}@v1$/);

    sm.rotate('v2', KEY_B);
    time.advance(LINK_KEY_CACHE_MS);
    await desk.reissueLink(legacy.reviewId, {
      reason: 'reminder',
      actor: { id: 'scheduler', role: 'scheduler', requestId: 'r2' },
    });
    const second = secretOf(mails[1]);
    expect(reviews.get(legacy.reviewId)?.extraSecretHashes?.[1]).toMatch(/^[0-9a-f]{64}@v2$/);

    expect(await opens(ORIGINAL)).toBe(true);
    expect(await opens(first)).toBe(true);
    expect(await opens(second)).toBe(true);
    expect(await opens('forged-forged-forged-forged-forged-forged')).toBe(false);
  });
});
