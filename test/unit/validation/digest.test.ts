import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fileDigest,
  HASH_BESIDE_FROM_BYTES,
  STAGING_BUFFERS,
  STAGING_BYTES,
  stagingBuffersForTest,
  stopHashWorkerForTest,
} from '../../../shared/validation/digest.ts';
import { chunkedAt } from '../../fixtures/files.ts';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('fileDigest', () => {
  it('hashes beside or here to the same SHA-256, however the file is cut', async () => {
    const file = randomBytes(3 * STAGING_BYTES + 12_345);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), async (cuts, beside) => {
        const digest = fileDigest(file.length, beside);
        for await (const piece of chunkedAt(
          file,
          cuts.map((cut) => cut % (file.length + 1)),
        ))
          await digest.update(piece);
        expect(await digest.digest()).toBe(sha256(file));
      }),
      { numRuns: 30 },
    );
  });

  it('chooses by size: a small file is hashed here, where nothing ever waits', async () => {
    const big = randomBytes((STAGING_BUFFERS + 1) * STAGING_BYTES);
    const here = fileDigest(HASH_BESIDE_FROM_BYTES - 1);
    expect(here.update(big)).toBeUndefined();
    expect(await here.digest()).toBe(sha256(big));
    const beside = fileDigest(0, true);
    const waiting = beside.update(big); // more than the staging buffers hold: the caller waits
    expect(waiting).toBeInstanceOf(Promise);
    await waiting;
    expect(await beside.digest()).toBe(sha256(big));
  });

  it('holds at most its staging buffers, and a producer may reuse its piece once update has settled', async () => {
    const piece = randomBytes((STAGING_BUFFERS + 3) * STAGING_BYTES);
    const original = Buffer.from(piece);
    const digest = fileDigest(0, true);
    const waiting = digest.update(piece);
    expect(waiting).toBeInstanceOf(Promise); // more than the staging buffers hold: the caller waits
    await waiting;
    piece.fill(0); // the producer reuses its buffer once the wait is over
    expect(await digest.digest()).toBe(sha256(original));
  });

  it('gives the thread its staging buffers once: digest after digest reuses them', async () => {
    await stopHashWorkerForTest(); // a fresh thread, given no buffer yet
    const piece = randomBytes((STAGING_BUFFERS + 2) * STAGING_BYTES);
    for (let round = 0; round < 3; round++) {
      const digest = fileDigest(0, true);
      await digest.update(piece);
      expect(await digest.digest()).toBe(sha256(piece));
    }
    expect(stagingBuffersForTest()).toBe(STAGING_BUFFERS);
  });

  it('settles a waiting update when its digest is abandoned, and serves the next digest from the same buffers', async () => {
    const digest = fileDigest(0, true);
    const waiting = digest.update(randomBytes((STAGING_BUFFERS + 1) * STAGING_BYTES));
    expect(waiting).toBeInstanceOf(Promise);
    digest.abandon();
    await expect(waiting).rejects.toThrow(/abandoned/);
    const next = fileDigest(0, true);
    const piece = randomBytes((STAGING_BUFFERS + 2) * STAGING_BYTES + 5);
    await next.update(piece);
    expect(await next.digest()).toBe(sha256(piece));
  });

  it('fails a digest whose thread stops, and the next digest starts a new thread', async () => {
    const digest = fileDigest(0, true);
    await digest.update(randomBytes(STAGING_BYTES));
    await stopHashWorkerForTest();
    await expect(digest.digest()).rejects.toThrow(/hashing thread stopped/);
    expect(() => digest.update(randomBytes(10))).toThrow(/hashing thread stopped/);

    const next = fileDigest(0, true);
    const data = randomBytes(1000);
    await next.update(data);
    expect(await next.digest()).toBe(sha256(data));
  });

  it('lets go of an abandoned digest: the thread goes on serving others', async () => {
    const abandoned = fileDigest(0, true);
    await abandoned.update(randomBytes(2 * STAGING_BYTES));
    abandoned.abandon();
    const other = fileDigest(0, true);
    const data = randomBytes(STAGING_BYTES * 2 + 1);
    await other.update(data);
    expect(await other.digest()).toBe(sha256(data));
  });
});
