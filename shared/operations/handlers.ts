import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { CampaignCatalog } from '../intake/campaigns.ts';
import type { Intake } from '../intake/intake.ts';
import { providerCallback, providerSettings, providerStart } from '../platform/auth/provider-sign-in.ts';
import { signIn, signInPage, signOut } from '../platform/auth/console-sign-in.ts';
import type { TokenVerifier } from '../platform/auth/verify.ts';
import { type ApiRequest, httpHandler, signedIn } from '../platform/http/handler.ts';
import type { RouteKey } from '../platform/http/routes.ts';
import type { RequestLimiter } from '../platform/limits/limiter.ts';
import type { LimitedAction } from '../platform/limits/policy.ts';
import { formText, withJsonBody } from '../platform/http/forms.ts';
import { type HttpResult, json } from '../platform/http/respond.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { ApplicationIdParamSchema } from '../schemas/api.ts';
import { ExecutionNameParamSchema, JurisdictionParamSchema } from '../schemas/ops.ts';
import type { ReviewerGap } from '../schemas/reviews.ts';
import { type ConsoleDeps, consolePage } from './console/index.ts';
import type { OpsDesk } from './desk.ts';

/*
 * The operators' HTTP faces: the ops API and console (makeOpsHandler) and the summary tables
 * (makeExportsHandler). Each takes what its wiring in shared/composition/operations.ts returns,
 * or fakes with the same methods; building one reads no environment.
 */

export interface OpsHandlerDeps {
  ops: Pick<OpsDesk, 'summary' | 'jurisdiction' | 'redrive'>;
  intake: Pick<Intake, 'history'>;
  catalog: Pick<CampaignCatalog, 'list'>;
  /** Jurisdictions found with nobody registered to review (the board's warning). */
  reviewerGaps?: () => Promise<readonly ReviewerGap[]>;
  /** The identity provider's page for the console's sign-in button; all four or none. */
  provider: Parameters<typeof providerSettings>[0];
  /** Verifies the tokens of both ways of signing in (the composition builds it for AUTH_* on first use). */
  verifier: TokenVerifier;
  /** Per-client limits on signing in (a pasted token, the provider's callback); none in tests that build without. */
  limiter?: Pick<RequestLimiter, 'enforce'>;
}

/** Signing in counts against the `signIn` limits, per source address. */
const LIMITED_ROUTES: Partial<Record<RouteKey, LimitedAction>> = {
  'POST /console/sign-in': 'signIn',
  'GET /console/sign-in/callback': 'signIn',
};

const MAX_FORM_BYTES = 64 * 1024;

/**
 * The sign-in form posts `token=…&next=…`: its fields go in as a JSON object (each field's last
 * value). Anything else, and forms too large to be a sign-in, go through unchanged (and are
 * refused there).
 */
function formAsJson(event: APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
  const text = event.routeKey === 'POST /console/sign-in' ? formText(event) : undefined;
  if (text === undefined || Buffer.byteLength(text) > MAX_FORM_BYTES) return event;
  return withJsonBody(event, Object.fromEntries(new URLSearchParams(text)));
}

export function makeOpsHandler(deps: OpsHandlerDeps) {
  const { ops, intake, catalog } = deps;
  /**
   * Sign-in through the identity provider's page, when AUTH_AUTHORIZE_URL and AUTH_TOKEN_URL are
   * set (undefined otherwise: a pasted token only). Half a configuration fails here, at load.
   */
  const provider = providerSettings(deps.provider);
  const providerOffered = provider !== undefined;
  const { verifier } = deps;

  const consoleDeps: ConsoleDeps = {
    ops: {
      summary: (query, principal) => ops.summary(query, principal),
      jurisdiction: (code, query, principal) => ops.jurisdiction(code, query, principal),
      history: (applicationId, principal) =>
        intake.history(parseOrThrow(ApplicationIdParamSchema, { applicationId }, 'query').applicationId, principal),
    },
    campaigns: () => catalog.list(),
    ...(deps.reviewerGaps && { reviewerGaps: deps.reviewerGaps }),
  };

  /** Both redrive routes: the /v1 API (Bearer token) and the board's button (session cookie). */
  const redrive = async (request: ApiRequest) =>
    json(
      202,
      await ops.redrive(
        parseOrThrow(ExecutionNameParamSchema, request.pathParameters, 'path').executionName,
        signedIn(request),
        request.requestId,
      ),
    );

  const api = httpHandler(
    {
      'GET /v1/ops/summary': async (request) => json(200, await ops.summary(request.query, signedIn(request))),
      'GET /v1/ops/jurisdictions/{code}': async (request) =>
        json(
          200,
          await ops.jurisdiction(
            parseOrThrow(JurisdictionParamSchema, request.pathParameters, 'path').code,
            request.query,
            signedIn(request),
          ),
        ),
      'POST /v1/ops/executions/{executionName}/redrive': redrive,
      'POST /console/executions/{executionName}/redrive': redrive,
      'GET /console': (request) => consolePage(request, consoleDeps),
      'GET /console/{page}': (request) => consolePage(request, consoleDeps),
      'GET /console/sign-in': async (request) => signInPage(request, providerOffered),
      'POST /console/sign-in': (request) => signIn(request, verifier, { providerOffered }),
      'POST /console/sign-out': async (request) => signOut(request),
      'GET /console/sign-in/start': async (request) => providerStart(request, provider),
      'GET /console/sign-in/callback': (request) => providerCallback(request, provider, { verifier }),
    },
    deps.limiter && { limiter: deps.limiter, actions: LIMITED_ROUTES },
  );

  return (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> => api(formAsJson(event), context);
}
