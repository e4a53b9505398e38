import { ENV } from '../shared/composition/env.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LOCAL_JWKS_PATH, type LocalIssuer, localIssuer, serveJwks } from './auth.ts';
import type { FaultPlan } from './faults.ts';
import { type ExtraHandler, type Gateway, startGateway } from './gateway/server.ts';
import { explainListenError, makeLog } from './log.ts';
import { LOCAL_AUTHORIZE_PATH, LOCAL_SIGN_IN_PREFIX, LOCAL_TOKEN_PATH, localSignIn } from './sign-in-page.ts';
import type { Cleanup } from './stack-services.ts';

/**
 * The HTTP API and its sign-in: the gateway (API Gateway's stand-in, its JWT authorizer checking
 * the local issuer's tokens), the local issuer's keys, and the sign-in page standing in for
 * Cognito's. Apart because it changes with how people reach the pipeline, not with its services.
 */
export async function startApi(
  input: {
    apiPort: number;
    corsOrigins: readonly string[];
    region: string;
    dataDir: string;
    extraHandlers?: Record<string, ExtraHandler>;
    faults?: FaultPlan;
    /** Where the emails' links point, if not at the gateway itself. */
    publicBaseUrl?: string;
    quiet: boolean;
  },
  cleanups: Cleanup[],
): Promise<{ gateway: Gateway; issuer: LocalIssuer; authEnv: Record<string, string> }> {
  const { apiPort, faults } = input;
  // Sign-in: the local issuer stands in for the Cognito user pool, the gateway for the JWT authorizer.
  const issuer = await localIssuer(input.dataDir);
  const gateway: Gateway = await startGateway({
    port: apiPort,
    corsOrigins: input.corsOrigins,
    region: input.region,
    authorizer: async (token) => (await issuer.verify(token)).claims,
    extraHandlers: { [LOCAL_JWKS_PATH]: serveJwks(issuer), ...input.extraHandlers },
    ...(faults && { loadHandler: faults.wrapApiLoader() }),
    log: makeLog('api', input.quiet),
  }).catch((error: unknown) => {
    throw explainListenError(error, 'the API', apiPort, '--port');
  });
  cleanups.push(() => gateway.close());
  // The stand-in for Cognito's hosted sign-in page and token endpoint; its registered callbacks
  // are this gateway's and PUBLIC_BASE_URL's (known only now that the gateway listens).
  const publicBaseUrl = input.publicBaseUrl ?? gateway.url;
  gateway.mount(LOCAL_SIGN_IN_PREFIX, localSignIn({ issuer, origins: [...new Set([gateway.url, publicBaseUrl])] }));
  const authEnv = {
    [ENV.authIssuer]: LOCAL_ISSUER,
    [ENV.authAudience]: LOCAL_AUDIENCE,
    [ENV.authJwksUrl]: `${gateway.url}${LOCAL_JWKS_PATH}`,
    [ENV.authAuthorizeUrl]: `${gateway.url}${LOCAL_AUTHORIZE_PATH}`,
    [ENV.authTokenUrl]: `${gateway.url}${LOCAL_TOKEN_PATH}`,
  };
  return { gateway, issuer, authEnv };
}
