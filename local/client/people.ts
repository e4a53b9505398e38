import type { LocalStack } from '../stack.ts';
import type { PrincipalRole } from '../../shared/platform/auth/principal.ts';
import { ApiClient, type ApiClientOptions } from './api-client.ts';

/**
 * The people of a local stack, each an ApiClient signed in with an ID token from the stack's own
 * issuer (the Cognito stand-in). Tokens are made once per role and jurisdiction and kept for the
 * stack's life (keyed by its issuer, so a restarted stack's tokens still verify).
 */

/** Client settings besides where the API is and who is signed in (e.g. `onResponse`). */
export type ClientSettings = Omit<ApiClientOptions, 'baseUrl' | 'token'>;

type Issuing = Pick<LocalStack, 'apiUrl' | 'issuer'>;

const tokens = new WeakMap<LocalStack['issuer'], Map<string, Promise<string>>>();

/** An ID token for `sub` `<role>-<jurisdiction>` from the stack's issuer (made once, then reused). */
export function tokenFor(
  stack: Pick<LocalStack, 'issuer'>,
  role: PrincipalRole,
  jurisdiction: string,
): Promise<string> {
  const mine = tokens.get(stack.issuer) ?? new Map<string, Promise<string>>();
  tokens.set(stack.issuer, mine);
  const sub = `${role}-${jurisdiction}`;
  let token = mine.get(sub);
  if (!token) {
    token = stack.issuer.issue({ sub, role, jurisdiction });
    mine.set(sub, token);
  }
  return token;
}

/** Signs in as a role of a jurisdiction: `await signIn(stack, 'applicant', '222403')`. */
export async function signIn(
  stack: Issuing,
  role: PrincipalRole,
  jurisdiction: string,
  settings: ClientSettings = {},
): Promise<ApiClient> {
  return new ApiClient({ ...settings, baseUrl: stack.apiUrl, token: await tokenFor(stack, role, jurisdiction) });
}

/** Someone signed in nowhere: a review link's holder, or a probe of what needs a token. */
export function anonymous(stack: Pick<LocalStack, 'apiUrl'>, settings: ClientSettings = {}): ApiClient {
  return new ApiClient({ ...settings, baseUrl: stack.apiUrl });
}
