import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, localIssuer } from '../../../../local/auth.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'issuer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the local issuer', () => {
  it('issues tokens with the Cognito claims that verify back to the same principal, across restarts', async () => {
    const first = await localIssuer(dir);
    const token = await first.issue({ sub: 'li-ming', role: 'reviewer', jurisdiction: '222400' });
    // A restart reads the same key from the data folder.
    const again = await localIssuer(dir);
    const { principal, claims } = await again.verify(token);
    expect(principal).toEqual({ sub: 'li-ming', role: 'reviewer', jurisdiction: '222400' });
    expect(claims).toMatchObject({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, 'custom:role': 'reviewer' });
    expect(again.jwks().keys).toEqual([expect.objectContaining({ kty: 'EC', alg: 'ES256', use: 'sig' })]);
    expect(again.jwks().keys[0]).not.toHaveProperty('d');
  });

  it('refuses a token signed by another key, for another audience, expired, or tampered with', async () => {
    const issuer = await localIssuer(dir);
    const other = await localIssuer(await mkdtemp(join(tmpdir(), 'issuer-other-')));
    const forged = await other.issue({ sub: 'x', role: 'operator', jurisdiction: '000000' });
    await expect(issuer.verify(forged)).rejects.toThrow();

    const token = await issuer.issue({ sub: 'x', role: 'applicant', jurisdiction: '222403' });
    const [header, payload, signature] = token.split('.');
    const widened = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()),
        'custom:jurisdiction': '000000',
      }),
    ).toString('base64url');
    await expect(issuer.verify(`${header}.${widened}.${signature}`)).rejects.toThrow();

    const expired = await issuer.issue({ sub: 'x', role: 'applicant', jurisdiction: '222403' }, { hours: -1 });
    await expect(issuer.verify(expired)).rejects.toThrow(/exp/);

    const unsigned = await new SignJWT({ 'custom:role': 'operator', 'custom:jurisdiction': '000000' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject('x')
      .sign(new Uint8Array(32));
    await expect(issuer.verify(unsigned)).rejects.toThrow();
  });

  it('refuses a token of its own key that carries no expiry', async () => {
    const issuer = await localIssuer(dir);
    const stored = JSON.parse(await readFile(join(dir, 'local-issuer-key.json'), 'utf8')) as {
      kid: string;
      privateJwk: JWK;
    };
    const forever = await new SignJWT({ 'custom:role': 'operator', 'custom:jurisdiction': '000000', token_use: 'id' })
      .setProtectedHeader({ alg: 'ES256', kid: stored.kid })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject('x')
      .setIssuedAt()
      .sign(await importJWK(stored.privateJwk, 'ES256'));
    await expect(issuer.verify(forever)).rejects.toThrow(/exp/);
  });
});
