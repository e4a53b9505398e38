import { errors as joseErrors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { DomainError } from '../errors.ts';
import { headerIn } from '../http/forms.ts';
import { type Principal, principalFromClaims } from './principal.ts';

/**
 * Verifies ID tokens where the HTTP API's JWT authorizer does not stand in front: the review-link
 * routes (a signed-in reviewer may decide without the link) and the console (its session is a
 * cookie, which the authorizer does not read). The same checks as the authorizer: signature
 * against the issuer's key set, issuer, audience, expiry (required: a token without `exp` is
 * refused, as is one issued in the future); and an ID token, since only ID tokens carry the role
 * and jurisdiction.
 */

/** 401: no credentials, or credentials that are forged, expired or name no role. */
export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Sign in first: send an ID token as "Authorization: Bearer <token>"') {
    super(message, [{ field: 'authorization', code: 'UNAUTHENTICATED', message: '请先登录 / sign in first' }]);
  }
}

export interface TokenVerifier {
  /** The principal of a valid token; UnauthenticatedError otherwise. */
  verify(token: string): Promise<Principal>;
}

export interface VerifierSettings {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
}

/** Cognito signs with RS256; the local issuer with ES256. Nothing else is accepted (never `none`). */
const ALGORITHMS = ['RS256', 'ES256'];

/** How far the issuer's clock may be from ours, in seconds (exp, nbf and iat). */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * What every token must carry, here and at the local issuer's verification: an expiry (a token
 * without `exp` would be good forever) and an issue time not in the future beyond the skew, and
 * no older than an ID token can live (Cognito's longest is one day; `npm run token` issues 24 h at most).
 */
export const TOKEN_TIME_CHECKS = {
  requiredClaims: ['exp', 'iat'],
  clockTolerance: CLOCK_SKEW_SECONDS,
  maxTokenAge: '24h',
} as const;

export function tokenVerifier({ issuer, audience, keys }: VerifierSettings): TokenVerifier {
  return {
    async verify(token) {
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await jwtVerify(token, keys, {
          issuer,
          audience,
          algorithms: ALGORITHMS,
          ...TOKEN_TIME_CHECKS,
          requiredClaims: [...TOKEN_TIME_CHECKS.requiredClaims],
        }));
      } catch (error) {
        if (error instanceof joseErrors.JOSEError)
          throw new UnauthenticatedError(`The token was refused: ${error.code}`);
        throw error;
      }
      const principal = claims.token_use === 'id' ? principalFromClaims(claims) : undefined;
      if (!principal) throw new UnauthenticatedError('The token is not an ID token naming a role and jurisdiction');
      return principal;
    },
  };
}

/** The token of an `Authorization: Bearer <token>` header (API Gateway also takes a bare token). */
export function bearerToken(headers: Record<string, string | undefined>): string | undefined {
  const value = headerIn(headers, 'authorization')?.trim();
  if (!value) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  return match ? match[1] : /^\S+$/.test(value) ? value : undefined;
}

/**
 * The session cookie (the console's and the applicants' portal's): the ID token, HttpOnly. Over
 * plain http (`npm start` on 127.0.0.1) it is `cp_session`; over https it is `__Host-cp_session`,
 * whose prefix makes the browser refuse it unless it is Secure, for Path=/ and from this host
 * only (no Domain): no sibling subdomain or plain-http page can plant or shadow it. Browsers
 * refuse a `__Host-` cookie without Secure, so plain http keeps the bare name.
 */
export const SESSION_COOKIE = 'cp_session';
/** The session cookie's name over https (see SESSION_COOKIE). */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** A cookie's value among a payload 2.0 event's `cookies` ("name=value" each), or undefined. */
export function cookieValue(cookies: readonly string[] | undefined, name: string): string | undefined {
  const prefix = `${name}=`;
  const found = cookies?.find((cookie) => cookie.startsWith(prefix))?.slice(prefix.length);
  return found ? found : undefined;
}

/** The session cookie's value under either name (the `__Host-` one first), or undefined. */
export const sessionToken = (cookies: readonly string[] | undefined): string | undefined =>
  cookieValue(cookies, SECURE_SESSION_COOKIE) ?? cookieValue(cookies, SESSION_COOKIE);
