import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLAIMS, type Principal, principalFromClaims } from '../shared/platform/auth/principal.ts';
import { TOKEN_TIME_CHECKS } from '../shared/platform/auth/verify.ts';

/**
 * The local stand-in for the Cognito user pool: an ES256 key kept in the data folder, tokens with
 * the same claims Cognito gives (`custom:role`, `custom:jurisdiction`), and the verification the
 * HTTP API's JWT authorizer does in AWS (issuer, audience, signature, expiry). `npm run token`
 * prints a token for a role and jurisdiction.
 */
export const LOCAL_ISSUER = 'urn:cluster-pipeline:local-issuer';
export const LOCAL_AUDIENCE = 'cluster-pipeline-local';
/** Where the local gateway serves the key set (Cognito: <issuer>/.well-known/jwks.json). */
export const LOCAL_JWKS_PATH = '/.well-known/jwks.json';
/** How long an ID token lasts unless asked otherwise (the token endpoint's expires_in says the same). */
export const DEFAULT_TOKEN_HOURS = 8;
const ALGORITHM = 'ES256';
const KEY_FILE = 'local-issuer-key.json';

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface LocalIssuer {
  /** The public key set, as Cognito serves it at /.well-known/jwks.json. */
  jwks(): { keys: JWK[] };
  issue(principal: Principal, options?: { hours?: number }): Promise<string>;
  /** The principal of a valid token; throws when the token is forged, expired or for someone else. */
  verify(token: string): Promise<{ principal: Principal; claims: JWTPayload }>;
}

/** Loads the data folder's key, or makes one (written whole, then renamed: never half a key). */
async function loadKey(dataDir: string): Promise<StoredKey> {
  const file = join(dataDir, KEY_FILE);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StoredKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const kid = randomUUID();
  const key: StoredKey = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' },
  };
  await mkdir(dataDir, { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(key), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
  return key;
}

export async function localIssuer(dataDir: string): Promise<LocalIssuer> {
  const key = await loadKey(dataDir);
  const privateKey = await importJWK(key.privateJwk, ALGORITHM);
  const publicKey = await importJWK(key.publicJwk, ALGORITHM);
  return {
    jwks: () => ({ keys: [key.publicJwk] }),
    async issue(principal, options = {}) {
      return new SignJWT({
        [CLAIMS.role]: principal.role,
        [CLAIMS.jurisdiction]: principal.jurisdiction,
        ...(principal.name !== undefined && { name: principal.name }),
        token_use: 'id',
      })
        .setProtectedHeader({ alg: ALGORITHM, kid: key.kid })
        .setSubject(principal.sub)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${options.hours ?? DEFAULT_TOKEN_HOURS}h`)
        .sign(privateKey);
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: [ALGORITHM],
        // As in AWS: no token without an expiry, none issued in the future.
        ...TOKEN_TIME_CHECKS,
        requiredClaims: [...TOKEN_TIME_CHECKS.requiredClaims],
      });
      const principal = principalFromClaims(payload);
      if (!principal) throw new Error('the token names no role and jurisdiction');
      return { principal, claims: payload };
    },
  };
}

/** The gateway's page for the key set: what handlers fetch to verify tokens (AUTH_JWKS_URL). */
export function serveJwks(issuer: LocalIssuer) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    const body = JSON.stringify(issuer.jwks());
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' }).end(body);
  };
}
