import { expectContract } from '../support/contract.ts';
import type { LocalStack } from '../../local/stack.ts';
import { type ApiClient, anonymous as anonymousClient, type ClientSettings, signIn } from '../../local/client/index.ts';
import type { PrincipalRole } from '../../shared/platform/auth/principal.ts';

/**
 * Integration tests run against the real local stand-ins (DynamoDB Local, s3rver,
 * aws-ses-v2-local), started once per test file:
 *
 *   let stack: TestStack;
 *   beforeAll(async () => { stack = await startTestStack(); });
 *   afterAll(() => stack?.cleanup());
 *
 * The stack sets process.env (TABLE_NAME, BUCKET_NAME, AWS_ENDPOINT_URL_*, …) as npm start does,
 * so handler modules imported *after* startTestStack() talk to it. Import handlers dynamically
 * (`await import('../../functions/x.ts')`) inside beforeAll, after the stack is up, or rely on
 * the gateway (`stack.apiUrl`), which imports them on first request.
 *
 * People call the API through the one client (local/client): `(await as(stack, 'applicant',
 * '222403')).submit(applicationId)`. Every test's client is built with TEST_CLIENT, so a check of
 * each answer (the OpenAPI contract) plugs in there, once.
 */
export {
  type ScratchStack as TestStack,
  type ScratchStackOptions as TestStackOptions,
  type SdkClients as TestClients,
  sdkClients as testClients,
  startScratchStack as startTestStack,
  whenTaskWaiting,
} from '../../local/scratch-stack.ts';
export { type StoredEmail, sentEmails } from '../../local/client/index.ts';

/** The settings of every client the tests build: the place for an `onResponse` check. */
export const TEST_CLIENT: ClientSettings = {
  // Every answer any integration test receives is checked against the API's own document
  // (GET /v1/openapi.json): a response that drifts from its schema fails the test that saw it.
  onResponse: (answer) => expectContract(answer),
};

/**
 * Signs in as a role of a jurisdiction: a client with an ID token from the stack's local issuer
 * (the Cognito stand-in), kept for the stack's life. `(await as(stack, 'applicant', '222403'))`.
 */
export function as(
  stack: Pick<LocalStack, 'apiUrl' | 'issuer'>,
  role: PrincipalRole,
  jurisdiction: string,
): Promise<ApiClient> {
  return signIn(stack, role, jurisdiction, TEST_CLIENT);
}

/** A national operator: sees every application (for checks that read state, not for acting). */
export const asOperator = (stack: Pick<LocalStack, 'apiUrl' | 'issuer'>) => as(stack, 'operator', '000000');

/** No one signed in: a review link's holder, or a probe of what needs a token. */
export const anonymous = (stack: Pick<LocalStack, 'apiUrl'>) => anonymousClient(stack, TEST_CLIENT);
