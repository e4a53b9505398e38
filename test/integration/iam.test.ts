import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asFunction } from '../../local/iam/index.ts';
import { reviewLadderMachine } from '../../local/review-ladder.ts';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import { makeDocumentClient } from '../../shared/composition/clients.ts';
import { API_FUNCTIONS, SCHEDULED_FUNCTIONS } from '../../shared/platform/functions.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { as, asOperator, startTestStack, type TestStack } from './harness.ts';
import { asBeforeSteps, DUNHUA, fileDraft, ladderExecution, reviewLink, statusOf, submit } from './steps.ts';

/**
 * The local IAM check on the whole stack: each function's SDK calls are held to its role as the
 * CDK app grants it (local/iam/). A redrive by the ops function is allowed and audited; a grant
 * taken away (the exports function's Query, removed from its synthesized policy for this stack)
 * is caught on a real call; a write outside the ops function's own item kinds is refused; the
 * sweeper's reminders (its writes limited to application partitions) go through.
 */

const clock = new ManualClock();
const campaign = asBeforeSteps(demoCampaign(new Date()));
/** Applications whose EnterStage task throws (an injected outage), until removed. */
const outage = new Set<string>();
let stack: TestStack;
let applicationId = '';

beforeAll(async () => {
  stack = await startTestStack({
    stepFunctions: { clock: { timers: clock }, retry: { intervalScale: 0 } },
    iam: {
      // The deliberately missing grant: exports may no longer Query (its policy as synthesized, less one action).
      adjust: (policies) => ({
        ...policies,
        [API_FUNCTIONS.exports.entry]: (policies[API_FUNCTIONS.exports.entry] ?? []).map((statement) => ({
          ...statement,
          Action: [statement.Action ?? []].flat().filter((action) => action !== 'dynamodb:Query'),
        })),
      }),
    },
    stateMachines: async () => {
      const ladder = await reviewLadderMachine();
      const enterStage = ladder.handlers.enterStage;
      if (!enterStage) throw new Error('the ladder has no enterStage task');
      const flaky = async (payload: unknown) => {
        if ([...outage].some((id) => JSON.stringify(payload).includes(id))) throw new Error('injected outage');
        return enterStage(payload);
      };
      return [{ ...ladder, handlers: { ...ladder.handlers, enterStage: flaky } }];
    },
  });
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
  applicationId = await fileDraft(stack, campaign, { ...DUNHUA, clusterName: '敦化市医药产业集群' });
  outage.add(applicationId);
  await submit(stack, applicationId);
}, 120_000);

afterAll(() => stack?.cleanup());

describe('the local IAM check', () => {
  it('lets the ops function redrive a failed execution and write its audit event', async () => {
    const failed = ladderExecution(stack, applicationId);
    expect((await stack.stepFunctions.waitForExecution(failed.executionArn, 15_000)).status).toBe('FAILED');
    outage.delete(applicationId);

    const operator = await asOperator(stack);
    const redriven = await operator.redrive(failed.name);
    expect(redriven.status, redriven.text).toBe(202);
    await reviewLink(stack, applicationId, 'city');
    expect(await statusOf(stack, applicationId)).toBe('CITY_REVIEW');
    const history = await operator.history(applicationId);
    expect(history.text).toContain('EXECUTION_REDRIVEN');
  });

  it('lets the sweeper, as its function, remind and escalate (its writes are in application partitions)', async () => {
    const reviewer = await as(stack, 'reviewer', '222400');
    const inbox = await reviewer.inbox({ status: 'PENDING', jurisdiction: '222400' });
    const pending = inbox.body.reviews.find((review) => review.reviewId.startsWith(applicationId));
    if (!pending) throw new Error('the city review is not in the inbox');
    const halfADayBefore = () => new Date(Date.parse(pending.deadline) - 12 * 3_600_000);
    const { wireSweeper } = await import('../../shared/composition/operations.ts');
    const sweep = () => wireSweeper({ clock: halfADayBefore }).sweeper.sweep();
    const summary = await asFunction(SCHEDULED_FUNCTIONS.sweeper.entry, sweep);
    expect(summary).toMatchObject({ failed: 0 });
    expect(summary.remindersSent + summary.escalationsSent).toBeGreaterThan(0);
  });

  it('refuses a call the role lacks (a grant removed from the synthesized policy) with AccessDeniedException', async () => {
    // The runtime logs each refusal as AWS's message; the caller sees the function fail.
    const warnings = vi.spyOn(console, 'warn');
    try {
      const answer = await (await asOperator(stack)).exportSummary(campaign.campaignId, 'summary.csv');
      expect(answer.status).toBe(500);
      const logged = warnings.mock.calls.map((call) => call.map(String).join(' ')).join('\n');
      expect(logged).toMatch(
        /IAM: User: \S+functions\/exports\.ts\S* is not authorized to perform: dynamodb:Query on resource: arn:aws-cn:dynamodb:cn-north-1:000000000000:table\//,
      );
    } finally {
      warnings.mockRestore();
    }
  });

  it('refuses a write by the ops function outside its own item kinds, as AWS would', async () => {
    const documents = makeDocumentClient();
    const write = () =>
      documents.send(new PutCommand({ TableName: stack.tableName, Item: { pk: 'CAMPAIGNS', sk: 'CAMPAIGN#forged' } }));
    const error = await asFunction(API_FUNCTIONS.ops.entry, write).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    expect(String((error as Error).message)).toContain('dynamodb:PutItem');
    // Outside any function (the test's own seeding) the same call goes through.
    await expect(write()).resolves.toBeDefined();
  });
});
