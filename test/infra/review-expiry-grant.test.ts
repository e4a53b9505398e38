import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { asFunction, installIamCheck } from '../../local/iam/enforce.ts';
import { type FunctionPolicies, localFunctionPolicies } from '../../local/iam/extract.ts';
import { ReviewItems } from '../../shared/adapters/dynamo-reviews/reviews.ts';
import { ReviewTransitions } from '../../shared/adapters/dynamo-reviews/transitions.ts';
import { CLIENT_HOOK } from '../../shared/composition/clients.ts';
import { WORKFLOW_TASKS } from '../../shared/ladder/tasks.ts';
import { reviewIdOf } from '../../shared/schemas/reviews.ts';

/**
 * The closing expires a review left pending (shared/ladder/closing.ts): a Query of the
 * application's partition and an UpdateItem of the review, which lives there (APP#). The
 * close-application function's role as the CDK app synthesizes it allows both; without its
 * UpdateItem on APP# (the grant this write rests on) the local IAM check refuses the expiry, as
 * AWS would. The stack's own run is test/integration/lapse.test.ts.
 */

const CLOSE = WORKFLOW_TASKS.closeApplication.entry;
const APPLICATION = '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42';
const REVIEW = {
  reviewId: reviewIdOf({ applicationId: APPLICATION, stage: 'city', revision: 1, round: 1 }),
  jurisdictionCode: '222400',
  deadline: '2026-06-30T15:59:59.000Z',
};
const LOCAL = {
  region: 'cn-north-1',
  tableName: 'table',
  bucketName: 'bucket',
  stateMachineArn: 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:review-ladder',
  senderEmail: 'no-reply@clusters.localhost',
};
const synthesized = localFunctionPolicies(LOCAL);

let uninstall: (() => void) | undefined;
afterEach(() => uninstall?.());

/** The review store's parts the closing uses, over a client built through the check's hook. */
function closingReviews(policies: FunctionPolicies) {
  uninstall = installIamCheck({
    partition: 'aws-cn',
    region: LOCAL.region,
    accountId: '000000000000',
    policies,
    stateMachineOfToken: () => LOCAL.stateMachineArn,
  });
  // An endpoint nothing listens on: a call past the check fails there, not with AccessDenied.
  const base = new DynamoDBClient({
    endpoint: 'http://127.0.0.1:9',
    region: LOCAL.region,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  (globalThis as { [CLIENT_HOOK]?: (client: unknown) => void })[CLIENT_HOOK]?.(base);
  const table = { client: DynamoDBDocumentClient.from(base), tableName: LOCAL.tableName };
  const items = new ReviewItems(table);
  return { items, transitions: new ReviewTransitions(table, items) };
}

const expire = ({ transitions }: ReturnType<typeof closingReviews>) =>
  asFunction(CLOSE, () => transitions.expireReview(REVIEW, '2026-07-01T00:00:00.000Z', '逾期不予受理'));

describe("the closing's review expiry under the close-application role", () => {
  it('is allowed by the synthesized policy (the list and the update)', async () => {
    const reviews = closingReviews(synthesized);
    await expect(asFunction(CLOSE, () => reviews.items.listApplicationReviews(APPLICATION))).rejects.not.toMatchObject({
      name: 'AccessDeniedException',
    });
    await expect(expire(reviews)).rejects.not.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('is refused without its UpdateItem grant, naming the action and the table', async () => {
    const withoutUpdate: FunctionPolicies = {
      ...synthesized,
      [CLOSE]: (synthesized[CLOSE] ?? []).map((statement) => ({
        ...statement,
        Action: [statement.Action ?? []].flat().filter((action) => action !== 'dynamodb:UpdateItem'),
      })),
    };
    await expect(expire(closingReviews(withoutUpdate))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(
        /functions\/workflow\/close-application\.ts\S* is not authorized to perform: dynamodb:UpdateItem on resource: arn:aws-cn:dynamodb:cn-north-1:000000000000:table\/table/,
      ),
    });
  });
});
