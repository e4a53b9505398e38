import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS } from '../../../../shared/platform/auth/principal.ts';
import { CLOCK_SKEW_SECONDS, type TokenVerifier, tokenVerifier } from '../../../../shared/platform/auth/verify.ts';

/*
 * The times a token must carry: an expiry (without one a stolen token is good forever) and an
 * issue time that is not in the future beyond the clock skew.
 */

const ISSUER = 'https://issuer.test.example';
const AUDIENCE = 'token-times';
let key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let verifier: TokenVerifier;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  key = pair.privateKey;
  verifier = tokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: async () => pair.publicKey });
});

const now = () => Math.floor(Date.now() / 1000);

function token(times: { iat?: number; exp?: number }): Promise<string> {
  const jwt = new SignJWT({ [CLAIMS.role]: 'reviewer', [CLAIMS.jurisdiction]: '222400', token_use: 'id' })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('li-ming')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE);
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
  if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
  return jwt.sign(key);
}

describe('tokenVerifier: the token times', () => {
  it('accepts a token issued now that expires in an hour', async () => {
    await expect(verifier.verify(await token({ iat: now(), exp: now() + 3600 }))).resolves.toMatchObject({
      sub: 'li-ming',
    });
  });

  it('refuses a token without exp (401)', async () => {
    await expect(verifier.verify(await token({ iat: now() }))).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('ERR_JWT_CLAIM_VALIDATION_FAILED'),
    });
  });

  it('refuses a token without iat (401)', async () => {
    await expect(verifier.verify(await token({ exp: now() + 3600 }))).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a token issued in the future beyond the skew, and tolerates the skew', async () => {
    const later = now() + CLOCK_SKEW_SECONDS + 120;
    await expect(verifier.verify(await token({ iat: later, exp: later + 3600 }))).rejects.toMatchObject({
      status: 401,
    });
    const skewed = now() + CLOCK_SKEW_SECONDS / 2;
    await expect(verifier.verify(await token({ iat: skewed, exp: skewed + 3600 }))).resolves.toBeDefined();
  });

  it('refuses a token older than an ID token can live', async () => {
    const old = now() - 25 * 3600;
    await expect(verifier.verify(await token({ iat: old, exp: now() + 3600 }))).rejects.toMatchObject({
      status: 401,
    });
  });
});
