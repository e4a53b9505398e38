import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LOCAL_JWKS_PATH, localIssuer, serveJwks } from '../../local/auth.ts';
import type { Principal } from '../../shared/platform/auth/principal.ts';
import { ENV } from '../../shared/composition/env.ts';
import { boundPort } from '../../local/ports.ts';

/**
 * Real ID tokens for unit tests of the routes that verify tokens themselves (review links with a
 * Bearer token, the console's session): the local issuer's key, its key set served on a loopback
 * port, and AUTH_ISSUER / AUTH_AUDIENCE / AUTH_JWKS_URL pointing at them, as `npm start` sets them.
 * Start it before the handler modules build their verifier.
 */
export interface TestIssuer {
  /** An ID token for the principal (cached per principal). */
  token(principal: Principal): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const dir = await mkdtemp(join(tmpdir(), 'test-issuer-'));
  const issuer = await localIssuer(dir);
  const server = createServer(serveJwks(issuer));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env[ENV.authIssuer] = LOCAL_ISSUER;
  process.env[ENV.authAudience] = LOCAL_AUDIENCE;
  process.env[ENV.authJwksUrl] = `http://127.0.0.1:${boundPort(server)}${LOCAL_JWKS_PATH}`;
  const tokens = new Map<string, Promise<string>>();
  return {
    token(principal) {
      const key = JSON.stringify(principal);
      let token = tokens.get(key);
      if (!token) {
        token = issuer.issue(principal);
        tokens.set(key, token);
      }
      return token;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
