import { createRemoteJWKSet } from 'jose';
import { type TokenVerifier, tokenVerifier } from '../platform/auth/verify.ts';
import { ENV, readEnv, required } from './env.ts';

let fromEnv: TokenVerifier | undefined;

/**
 * The verifier for AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL, built on first use (the key set
 * is fetched then, and cached by jose across invocations of a warm function). Only routes that
 * the JWT authorizer does not guard verify tokens themselves, so functions without them never
 * need AUTH_*.
 */
export function tokenVerifierFromEnv(): TokenVerifier {
  if (fromEnv) return fromEnv;
  const env = readEnv();
  fromEnv = tokenVerifier({
    issuer: required(env, ENV.authIssuer),
    audience: required(env, ENV.authAudience),
    keys: createRemoteJWKSet(new URL(required(env, ENV.authJwksUrl))),
  });
  return fromEnv;
}
