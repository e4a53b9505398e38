import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { tokenVerifierFromEnv } from '../shared/auth/verify.ts';
import { campaignCatalogFromEnv, intakeFromEnv, opsDeskFromEnv } from '../shared/composition.ts';
import { type ConsoleDeps, consolePage } from '../shared/console/index.ts';
import { signIn, signInPage, signOut } from '../shared/console/sign-in.ts';
import { type ApiRequest, httpHandler, signedIn } from '../shared/http/handler.ts';
import { formText, withJsonBody } from '../shared/http/forms.ts';
import { type HttpResult, json, parseOrThrow } from '../shared/http/respond.ts';
import { ApplicationIdParamSchema } from '../shared/schemas/api.ts';
import { ExecutionNameParamSchema, JurisdictionParamSchema } from '../shared/schemas/ops.ts';

const ops = opsDeskFromEnv();
const intake = intakeFromEnv();
const catalog = campaignCatalogFromEnv();

const consoleDeps: ConsoleDeps = {
  ops: {
    summary: (query, principal) => ops.summary(query, principal),
    jurisdiction: (code, query, principal) => ops.jurisdiction(code, query, principal),
    history: (applicationId, principal) =>
      intake.history(parseOrThrow(ApplicationIdParamSchema, { applicationId }, 'query').applicationId, principal),
  },
  campaigns: () => catalog.list(),
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

const api = httpHandler({
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
  'GET /console/sign-in': async (request) => signInPage(request),
  // The verifier is built on first use: only these routes and the session routes need AUTH_*.
  'POST /console/sign-in': (request) => signIn(request, tokenVerifierFromEnv()),
  'POST /console/sign-out': async (request) => signOut(request),
});

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

export const handler = (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> =>
  api(formAsJson(event), context);
