import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { CLAIMS, type Principal } from '../../../../shared/platform/auth/principal.ts';

/**
 * A token issuer for the unit tests: an ES256 key of its own, ID tokens with the claims Cognito
 * gives (custom:role, custom:jurisdiction, token_use), and its key set served over HTTP on
 * 127.0.0.1, so tokenVerifierFromEnv() verifies them exactly as in AWS (AUTH_JWKS_URL).
 */

export const ISSUER = 'https://issuer.test.example';
export const AUDIENCE = 'console-unit-tests';
const KID = 'unit-test-key';

export interface TestIssuer {
  jwksUrl: string;
  /** A signed ID token for the principal; `expiresInSeconds` from now (negative: already expired). */
  token(
    principal: Principal,
    options?: { expiresInSeconds?: number; issuer?: string; tokenUse?: string },
  ): Promise<string>;
  /** A token signed with a key the issuer never published. */
  forged(principal: Principal): Promise<string>;
  close(): Promise<void>;
}

async function signer() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: KID, alg: 'ES256', use: 'sig' } as JWK };
}

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

function sign(
  key: PrivateKey,
  principal: Principal,
  {
    expiresInSeconds = 3600,
    issuer = ISSUER,
    tokenUse = 'id',
  }: { expiresInSeconds?: number; issuer?: string; tokenUse?: string },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    [CLAIMS.role]: principal.role,
    [CLAIMS.jurisdiction]: principal.jurisdiction,
    token_use: tokenUse,
  })
    .setProtectedHeader({ alg: 'ES256', kid: KID })
    .setSubject(principal.sub)
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + expiresInSeconds)
    .sign(key);
}

export async function startIssuer(): Promise<TestIssuer> {
  const real = await signer();
  const other = await signer();
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: [real.jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    token: (principal, options = {}) => sign(real.privateKey, principal, options),
    forged: (principal) => sign(other.privateKey, principal, {}),
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Tokens a verifier must refuse, for the principal: forged, expired, another issuer's, an access token, junk. */
export async function refusedTokens(issuer: TestIssuer, principal: Principal): Promise<string[]> {
  return [
    await issuer.forged(principal),
    await issuer.token(principal, { expiresInSeconds: -60 }),
    await issuer.token(principal, { issuer: 'https://elsewhere.example' }),
    await issuer.token(principal, { tokenUse: 'access' }),
    'not-a-token',
  ];
}
